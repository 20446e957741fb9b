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

"""Authentication of notifications sent to subscribers' callback URIs.

A subscription may carry a ``SubscriptionAuthentication`` (ETSI GS NFV-SOL
013, used by the MEC 010-2 subscriptions)::

    {"authType": ["BASIC" | "OAUTH2_CLIENT_CREDENTIALS" | "TLS_CERT"],
     "paramsBasic": {"userName": ..., "password": ...},
     "paramsOauth2ClientCredentials": {"clientId": ..., "clientPassword": ...,
                                       "tokenEndpoint": ...}}

``authType`` lists what the subscriber accepts; the notifier uses OAuth 2.0
when it is listed with its parameters, else HTTP Basic. ``TLS_CERT``
(mutual TLS with the orchestrator's client certificate) is not supported
yet, nor are parameters provisioned out of band.

OAuth 2.0 tokens come from the subscriber's token endpoint with the client
credentials grant (RFC 6749 section 4.4), through the outbound client (the
token endpoint is a URI the user gave), and are cached until shortly
before they expire. Passwords and tokens are never logged nor put in a
message; their holders' ``repr`` hides them.
"""

import base64
import collections
import hashlib
import threading
import time
import urllib.parse

from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import urls

LOG = log.getLogger(__name__)

BASIC = 'BASIC'
OAUTH2_CLIENT_CREDENTIALS = 'OAUTH2_CLIENT_CREDENTIALS'
TLS_CERT = 'TLS_CERT'
AUTH_TYPES = (BASIC, OAUTH2_CLIENT_CREDENTIALS, TLS_CERT)

#: Lifetime of a token whose response has no ``expires_in``.
DEFAULT_TOKEN_TTL = 300
#: Most tokens cached; expired ones are dropped first.
MAX_CACHED_TOKENS = 4096


class TokenRequestFailed(exception.MecOrchestratorException):
    """No access token could be had from a token endpoint.

    :param url: the token endpoint, redacted.
    :param reason: why, safe to show.
    :param retryable: whether trying again later may help.
    :param retry_after: seconds the endpoint asked to wait, or None.
    """

    msg_fmt = _("No access token from %(url)s: %(reason)s")
    code = 502

    def __init__(self, message=None, retryable=False, retry_after=None,
                 **kwargs):
        super().__init__(message, **kwargs)
        self.retryable = retryable
        self.retry_after = retry_after


def _auth_types(authentication):
    types = authentication.get('authType')
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, (list, tuple)) or not types:
        raise exception.InvalidParameterValue(
            err=_('authentication.authType must list at least one of %s.')
            % ', '.join(AUTH_TYPES))
    unknown = [t for t in types if t not in AUTH_TYPES]
    if unknown:
        raise exception.InvalidParameterValue(
            err=_('authentication.authType: unknown type(s) %s.')
            % ', '.join(str(t) for t in unknown))
    return list(types)


def _require(params, name, keys):
    if not isinstance(params, dict):
        raise exception.InvalidParameterValue(
            err=_('authentication.%s is required for this authType.')
            % name)
    for key in keys:
        if not isinstance(params.get(key), str) or not params.get(key):
            raise exception.InvalidParameterValue(
                err=_('authentication.%(name)s.%(key)s is required.')
                % {'name': name, 'key': key})
    return params


def choose(authentication):
    """The authentication type the notifier will use, checked.

    :param authentication: a ``SubscriptionAuthentication`` dict, or None.
    :returns: ``OAUTH2_CLIENT_CREDENTIALS``, ``BASIC`` or None (none).
    :raises: InvalidParameterValue when it is malformed, lacks the
        parameters of its type, or asks for ``TLS_CERT`` only.
    """
    if not authentication:
        return None
    if not isinstance(authentication, dict):
        raise exception.InvalidParameterValue(
            err=_('authentication must be an object.'))
    types = _auth_types(authentication)
    if OAUTH2_CLIENT_CREDENTIALS in types and (
            authentication.get('paramsOauth2ClientCredentials')
            or BASIC not in types):
        params = _require(authentication.get('paramsOauth2ClientCredentials'),
                          'paramsOauth2ClientCredentials',
                          ('clientId', 'clientPassword', 'tokenEndpoint'))
        urls.check(params['tokenEndpoint'], resolve=False)
        return OAUTH2_CLIENT_CREDENTIALS
    if BASIC in types:
        _require(authentication.get('paramsBasic'), 'paramsBasic',
                 ('userName', 'password'))
        return BASIC
    raise exception.InvalidParameterValue(
        err=_('authentication.authType TLS_CERT is not supported; use '
              'BASIC or OAUTH2_CLIENT_CREDENTIALS.'))


class BasicCredentials(object):
    """HTTP Basic credentials of a callback.

    :param user: the ``userName``.
    :param password: the ``password``.
    """

    refreshable = False

    def __init__(self, user, password):
        self._user = user
        self._password = password

    def __repr__(self):
        return '<BasicCredentials user=%s>' % self._user

    def headers(self, refresh=False):
        """The request headers that carry the credentials.

        :param refresh: ignored (nothing to refresh).
        :returns: a dict.
        """
        raw = ('%s:%s' % (self._user, self._password)).encode('utf-8')
        return {'Authorization':
                'Basic %s' % base64.b64encode(raw).decode('ascii')}


class OAuth2Credentials(object):
    """OAuth 2.0 client credentials of a callback, and their token cache.

    :param client_id: the ``clientId``.
    :param client_password: the ``clientPassword``.
    :param token_endpoint: the ``tokenEndpoint`` URI.
    :param cache: the :class:`TokenCache` to get tokens from.
    """

    refreshable = True

    def __init__(self, client_id, client_password, token_endpoint, cache):
        self.client_id = client_id
        self.client_password = client_password
        self.token_endpoint = token_endpoint
        self._cache = cache

    def __repr__(self):
        return '<OAuth2Credentials client=%s endpoint=%s>' % (
            self.client_id, urls.redact(self.token_endpoint))

    @property
    def cache_key(self):
        """What a token is cached under: the password only as a hash."""
        digest = hashlib.sha256(
            self.client_password.encode('utf-8')).hexdigest()
        return (self.token_endpoint, self.client_id, digest)

    def headers(self, refresh=False):
        """The request headers that carry a (cached) access token.

        :param refresh: get a new token even if one is cached (after the
            callback answered 401).
        :returns: a dict.
        :raises: TokenRequestFailed, OutboundRequestRefused,
            OutboundRequestFailed
        """
        token = self._cache.token(self, refresh=refresh)
        return {'Authorization': 'Bearer %s' % token}


def credentials(authentication, cache):
    """The credentials a subscription's notifications are sent with.

    :param authentication: a ``SubscriptionAuthentication`` dict, or None.
    :param cache: the :class:`TokenCache` of OAuth 2.0 tokens.
    :returns: BasicCredentials, OAuth2Credentials or None.
    :raises: InvalidParameterValue, as :func:`choose`.
    """
    kind = choose(authentication)
    if kind == OAUTH2_CLIENT_CREDENTIALS:
        params = authentication['paramsOauth2ClientCredentials']
        return OAuth2Credentials(params['clientId'],
                                 params['clientPassword'],
                                 params['tokenEndpoint'], cache)
    if kind == BASIC:
        params = authentication['paramsBasic']
        return BasicCredentials(params['userName'], params['password'])
    return None


class TokenCache(object):
    """OAuth 2.0 access tokens, by token endpoint and client, until expiry.

    One token request at a time per client: concurrent deliveries to the
    same subscriber wait for the token the first one asked for.

    :param clock: a monotonic clock (for tests).
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = {}
        self._locks = collections.defaultdict(threading.Lock)

    def token(self, creds, refresh=False):
        """An access token for the client, from the cache or the endpoint.

        :param creds: the :class:`OAuth2Credentials`.
        :param refresh: drop the cached token and get a new one.
        :returns: the access token.
        :raises: TokenRequestFailed, OutboundRequestRefused,
            OutboundRequestFailed
        """
        key = creds.cache_key
        with self._lock:
            key_lock = self._locks[key]
        with key_lock:
            with self._lock:
                cached = self._tokens.get(key)
            if refresh or cached is None or cached[1] <= self._clock():
                cached = self._fetch(creds)
                with self._lock:
                    self._store(key, cached)
            return cached[0]

    def invalidate(self, creds):
        """Forget the client's token.

        :param creds: the :class:`OAuth2Credentials`.
        """
        with self._lock:
            self._tokens.pop(creds.cache_key, None)

    def _store(self, key, entry):
        if len(self._tokens) >= MAX_CACHED_TOKENS:
            now = self._clock()
            for old in [k for k, v in self._tokens.items() if v[1] <= now]:
                del self._tokens[old]
                self._locks.pop(old, None)
            while len(self._tokens) >= MAX_CACHED_TOKENS:
                old = next(iter(self._tokens))
                del self._tokens[old]
                self._locks.pop(old, None)
        self._tokens[key] = entry

    def _fetch(self, creds):
        """Ask the token endpoint (client credentials grant).

        The client authenticates with HTTP Basic, its id and password
        form-encoded first (RFC 6749 section 2.3.1).

        :returns: (token, expiry on the clock).
        """
        url = urls.redact(creds.token_endpoint)
        auth = (urllib.parse.quote_plus(creds.client_id),
                urllib.parse.quote_plus(creds.client_password))
        resp = client.request('POST', creds.token_endpoint,
                              data={'grant_type': 'client_credentials'},
                              headers={'Accept': 'application/json'},
                              auth=auth, allow_redirects=False)
        if resp.status_code == 429 or resp.status_code >= 500:
            raise TokenRequestFailed(
                url=url, reason=_('HTTP %d') % resp.status_code,
                retryable=True, retry_after=resp.retry_after)
        if resp.status_code != 200:
            raise TokenRequestFailed(
                url=url, reason=_('HTTP %d') % resp.status_code)
        try:
            body = resp.json()
        except ValueError:
            body = None
        token = body.get('access_token') if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise TokenRequestFailed(
                url=url, reason=_('the response has no access_token'))
        token_type = body.get('token_type', 'Bearer')
        if not isinstance(token_type, str) or token_type.lower() != 'bearer':
            raise TokenRequestFailed(
                url=url, reason=_('the token type is not Bearer'))
        ttl = body.get('expires_in', DEFAULT_TOKEN_TTL)
        try:
            ttl = float(ttl)
        except (TypeError, ValueError):
            ttl = DEFAULT_TOKEN_TTL
        # Renew a little before the end: the token must outlive the call.
        ttl = max(ttl - min(30.0, ttl * 0.1), 0.0)
        LOG.debug('Got an access token from %(url)s for client %(client)s, '
                  'valid %(ttl)d s', {'url': url, 'client': creds.client_id,
                                      'ttl': ttl})
        return token, self._clock() + ttl
