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
"""The Mp1 WSGI application (``mec-platform-api``), and the dispatcher that
mounts it beside the MEO API in the all-in-one."""

from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
import pecan

from mec_orchestrator.api.middleware import body_limit
from mec_orchestrator.api.middleware import problem_details
from mec_orchestrator import conf
from mec_orchestrator.platform import hooks
from mec_orchestrator.platform import token

CONF = conf.CONF

#: The path prefixes the platform serves.
PREFIXES = ('/mec_app_support/', '/mec_service_mgmt/', '/mep/')

TOKEN_PATH = '/mep/token'  # noqa: S105 (a path)


def setup_app(extra_hooks=None):
    """Build the Mp1 WSGI application.

    The pipeline, from the outside in: request id, proxy headers, body
    size limit; then ``/mep/token`` (OAuth errors) or, for the rest,
    ProblemDetails for every error, the app's authentication
    by its Mp1 access token (not Keystone: apps are not Keystone users),
    then pecan.

    :param extra_hooks: pecan hooks added after the default ones (tests).
    :returns: a WSGI application.
    """
    app = pecan.make_app(
        'mec_orchestrator.platform.controllers.root.RootController',
        hooks=hooks.default_hooks() + list(extra_hooks or []),
        force_canonical=False,
        guess_content_type_from_ext=False,
        static_root=None,
        debug=False)
    app = hooks.MepAuthMiddleware(app)
    app = problem_details.ProblemDetailsMiddleware(app)
    app = Router(app, {TOKEN_PATH: token.TokenApp()})
    app = body_limit.BodySizeLimit(
        app, lambda req: CONF.api.max_request_body_size)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf=CONF)
    return request_id.RequestId(app)


class Router(object):
    """Sends exact paths to their own WSGI apps, the rest to ``default``."""

    def __init__(self, default, routes):
        self.default = default
        self.routes = routes

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '').rstrip('/')
        app = self.routes.get(path, self.default)
        return app(environ, start_response)


class Dispatcher(object):
    """Sends the platform's paths to the Mp1 app, the rest to the MEO API.

    :param api: the MEO API WSGI application.
    :param platform: the Mp1 WSGI application.
    """

    def __init__(self, api, platform):
        self.api = api
        self.platform = platform

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path.startswith(PREFIXES):
            return self.platform(environ, start_response)
        return self.api(environ, start_response)
