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
"""ProblemDetails (IETF RFC 7807), the body of every error response."""

import http

from oslo_log import log
from oslo_serialization import jsonutils
import webob

from mec_orchestrator.common import exception

LOG = log.getLogger(__name__)

CONTENT_TYPE = 'application/problem+json'


def problem_response(status, detail=None, instance=None,
                     problem_type='about:blank', title=None, headers=None):
    """A webob Response carrying a ProblemDetails document.

    :param status: the HTTP status code.
    :param detail: the human-readable explanation of this occurrence.
    :param instance: a URI reference of the occurrence (the request path).
    :param problem_type: a URI identifying the problem type.
    :param title: a short summary; the status's phrase by default.
    :param headers: extra response headers (a list of pairs).
    :returns: a webob.Response.
    """
    status = int(status)
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = 'Error'
    body = {'type': problem_type,
            'title': title or phrase,
            'status': status,
            'detail': detail or phrase}
    if instance:
        body['instance'] = instance
    resp = webob.Response(status=status, charset='UTF-8',
                          content_type=CONTENT_TYPE,
                          body=jsonutils.dump_as_bytes(body))
    for name, value in headers or ():
        resp.headers[name] = value
    return resp


def from_exception(exc, request):
    """The ProblemDetails response for an exception raised in the API.

    Exceptions of the project give their status and message; webob's HTTP
    exceptions their status and explanation; anything else is a 500 whose
    detail says nothing of the internals (the traceback goes to the log).

    :param exc: the exception.
    :param request: the webob Request.
    :returns: a webob.Response.
    """
    instance = request.path_qs if request is not None else None
    if isinstance(exc, exception.MecOrchestratorException):
        status = int(exc.code)
        if status >= 500 and not exc.safe:
            LOG.error('Request %s failed: %s', instance, exc)
            detail = None
        else:
            detail = exc.message
        return problem_response(status, detail, instance,
                                problem_type=exc.problem_type)
    if isinstance(exc, webob.exc.HTTPException):
        headers = []
        if exc.status_int == 405 and 'Allow' in exc.headers:
            headers.append(('Allow', exc.headers['Allow']))
        detail = getattr(exc, 'detail', None) or exc.explanation
        if exc.status_int == 405 and request is not None:
            detail = 'Method %s is not allowed on %s.' % (request.method,
                                                          request.path)
            if 'Allow' in exc.headers:
                detail += ' Allowed: %s.' % exc.headers['Allow']
        return problem_response(exc.status_int, detail, instance,
                                headers=headers)
    LOG.exception('Unexpected error serving %s', instance)
    return problem_response(500, None, instance)
