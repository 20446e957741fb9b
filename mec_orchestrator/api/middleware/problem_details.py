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
"""Turns every error response into ProblemDetails.

Errors raised in the controllers already are (see the pecan hook); this
middleware covers the responses made outside them: keystonemiddleware's
401, the body size limit's 413, and anything that escaped. It also
guarantees that no traceback ever reaches a client.
"""

import re

from oslo_log import log
from oslo_serialization import jsonutils
import webob

from mec_orchestrator.api import problem

LOG = log.getLogger(__name__)

_TAGS = re.compile(r'<[^>]+>')


def _detail(resp):
    """A readable detail from a non-ProblemDetails error body."""
    body = resp.body
    if not body:
        return None
    text = body.decode('utf-8', 'replace')
    if 'json' in (resp.content_type or ''):
        try:
            data = jsonutils.loads(text)
        except ValueError:
            return None
        if isinstance(data, dict):
            err = data.get('error', data)
            if isinstance(err, dict):
                return err.get('message') or err.get('detail')
        return None
    text = ' '.join(_TAGS.sub(' ', text).split())
    # webob's pages repeat the status line first; keep the explanation.
    return text[:500] or None


class ProblemDetailsMiddleware(object):
    """WSGI middleware rewriting error responses as ProblemDetails.

    :param app: the WSGI application to wrap.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        try:
            resp = req.get_response(self.app)
        except Exception as e:
            resp = problem.from_exception(e, req)
        if (resp.status_int >= 400
                and resp.content_type != problem.CONTENT_TYPE):
            detail = None if resp.status_int >= 500 else _detail(resp)
            headers = [(name, resp.headers[name])
                       for name in ('WWW-Authenticate', 'Allow',
                                    'X-OpenStack-Request-ID',
                                    'Retry-After')
                       if name in resp.headers]
            resp = problem.problem_response(resp.status_int, detail,
                                            req.path_qs, headers=headers)
        return resp(environ, start_response)
