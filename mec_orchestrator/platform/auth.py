#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""Mp1 credentials: each app instance's client secret and access tokens.

An app instance receives, in its user data, a client id (its
appInstanceId) and a client secret. It trades them for a bearer access
token with the OAuth 2.0 client credentials grant (RFC 6749 section 4.4,
as ETSI GS MEC 009 describes for MEC APIs) at ``POST /mep/token``, then
calls Mp1 with ``Authorization: Bearer <token>``.

The secret is kept encrypted with the project's credential keys (so that a
retried lifecycle step can give the same one to the VIM again). Access
tokens are Fernet tokens of those same keys: self-contained, checked
without a database read, valid for ``[platform] token_lifetime`` seconds;
a key rotation invalidates them, and a deleted app's tokens stop working
because every request also loads the app.
"""

import hmac
import secrets
import time

from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator import conf

CONF = conf.CONF

#: Token ``kind``: keeps an access token apart from any other encrypted
#: dict of the service.
TOKEN_KIND = 'mp1-access'  # noqa: S105 (a label)


def new_secret():
    """A new client secret and its encrypted form.

    :returns: (secret, encrypted) strings.
    """
    secret = secrets.token_urlsafe(32)
    return secret, crypto.encrypt_dict({'client_secret': secret})


def reveal_secret(encrypted):
    """The clear client secret of an app, for its user data.

    :param encrypted: the app's ``client_secret`` column.
    :returns: the secret.
    """
    return crypto.decrypt_dict(encrypted)['client_secret']


def check_secret(encrypted, offered):
    """Whether a client secret is the app's, in constant time.

    :param encrypted: the app's ``client_secret`` column (may be None).
    :param offered: the secret the client sent.
    """
    if not encrypted or not offered:
        return False
    try:
        secret = reveal_secret(encrypted)
    except exception.DecryptionFailed:
        return False
    return hmac.compare_digest(secret.encode('utf-8'),
                               str(offered).encode('utf-8'))


def issue_token(app_instance_id, now=None):
    """An access token for an app instance.

    :returns: (token, lifetime in seconds).
    """
    now = time.time() if now is None else now
    token = crypto.encrypt_dict({'kind': TOKEN_KIND,
                                 'app_instance_id': app_instance_id,
                                 'issued_at': int(now)})
    return token, CONF.platform.token_lifetime


def verify_token(token, now=None):
    """The app instance an access token stands for.

    :param token: the bearer token.
    :returns: the appInstanceId.
    :raises: NotAuthorized when the token is not one of ours, or expired.
    """
    now = time.time() if now is None else now
    try:
        claims = crypto.decrypt_dict(token)
    except (exception.DecryptionFailed, ValueError, TypeError):
        raise exception.NotAuthorized(_('The access token is not valid.'))
    if not isinstance(claims, dict) or claims.get('kind') != TOKEN_KIND:
        raise exception.NotAuthorized(_('The access token is not valid.'))
    issued = claims.get('issued_at')
    if not isinstance(issued, int) or not (
            issued - 60 <= now < issued + CONF.platform.token_lifetime):
        raise exception.NotAuthorized(_('The access token has expired.'))
    return claims['app_instance_id']
