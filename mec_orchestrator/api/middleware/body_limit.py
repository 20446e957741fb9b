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
"""A limit on the size of request bodies, enforced before they are read."""

from oslo_middleware import sizelimit
import webob

from mec_orchestrator.api import problem
from mec_orchestrator.common.i18n import _


class BodySizeLimit(object):
    """Refuses bodies over a limit with 413, without reading them.

    A declared Content-Length over the limit is refused at once; a chunked
    body is cut off by a limiting reader when it grows past the limit.

    :param app: the WSGI application to wrap.
    :param limit: a callable returning the limit in bytes for a request
        (so that upload routes may have their own).
    """

    def __init__(self, app, limit):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        limit = self.limit(req)
        if req.content_length is not None and req.content_length > limit:
            resp = problem.problem_response(
                413, _('Request body of %(size)d bytes exceeds the limit of '
                       '%(limit)d bytes.') % {'size': req.content_length,
                                              'limit': limit},
                req.path_qs)
            return resp(environ, start_response)
        if req.is_body_readable:
            environ['wsgi.input'] = sizelimit.LimitingReader(
                environ['wsgi.input'], limit)
        try:
            return self.app(environ, start_response)
        except webob.exc.HTTPRequestEntityTooLarge:
            resp = problem.problem_response(
                413, _('Request body exceeds the limit of %d bytes.') % limit,
                req.path_qs)
            return resp(environ, start_response)
