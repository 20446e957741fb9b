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
"""The Mp1 token endpoint: OAuth 2.0 client credentials (RFC 6749 4.4)."""

import base64
import binascii
import urllib.parse

from oslo_serialization import jsonutils
import webob

from mec_orchestrator.common import exception
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.platform import auth

FORM = 'application/x-www-form-urlencoded'


def _oauth_error(status, error, description, challenge=False):
    """An OAuth 2.0 error response (RFC 6749 section 5.2)."""
    resp = webob.Response(status=status, content_type='application/json',
                          charset='UTF-8')
    resp.body = jsonutils.dump_as_bytes(
        {'error': error, 'error_description': description})
    resp.headers['Cache-Control'] = 'no-store'
    if challenge:
        resp.headers['WWW-Authenticate'] = 'Basic realm="mep"'
    return resp


def _client_credentials(req, form):
    """(client_id, client_secret) from HTTP Basic or the form."""
    scheme, _sep, value = req.headers.get('Authorization', '').partition(' ')
    if scheme.lower() == 'basic':
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode(
                'utf-8')
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _sep, secret = decoded.partition(':')
        return (urllib.parse.unquote_plus(client_id),
                urllib.parse.unquote_plus(secret))
    return form.get('client_id'), form.get('client_secret')


class TokenApp(object):
    """``POST /mep/token``: the OAuth 2.0 client credentials grant.

    A plain WSGI application: its errors are OAuth's JSON errors
    (RFC 6749 section 5.2), not ProblemDetails.
    """

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        return self.respond(req)(environ, start_response)

    def respond(self, req):
        if req.method != 'POST':
            resp = _oauth_error(405, 'invalid_request', 'use POST')
            resp.headers['Allow'] = 'POST'
            return resp
        if req.content_type != FORM:
            return _oauth_error(400, 'invalid_request',
                                'use %s' % FORM)
        try:
            form = dict(urllib.parse.parse_qsl(
                req.body.decode('utf-8'), strict_parsing=False))
        except (UnicodeDecodeError, ValueError):
            return _oauth_error(400, 'invalid_request', 'malformed form')
        if form.get('grant_type') != 'client_credentials':
            return _oauth_error(400, 'unsupported_grant_type',
                                'only client_credentials is supported')
        client_id, secret = _client_credentials(req, form)
        app = None
        if client_id:
            try:
                app = dbapi.get_instance().get_mep_app(client_id)
            except exception.MepAppNotFound:
                app = None
        if app is None or not auth.check_secret(app.client_secret, secret):
            return _oauth_error(401, 'invalid_client',
                                'unknown client or wrong secret',
                                challenge=True)
        token, lifetime = auth.issue_token(app.id)
        resp = webob.Response(status=200, content_type='application/json',
                              charset='UTF-8')
        resp.body = jsonutils.dump_as_bytes(
            {'access_token': token, 'token_type': 'Bearer',
             'expires_in': lifetime})
        resp.headers['Cache-Control'] = 'no-store'
        return resp
