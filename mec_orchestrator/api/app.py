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
"""The API WSGI application: pecan with its hooks and middleware."""

import re

from oslo_middleware import cors
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
import pecan

from mec_orchestrator.api import hooks
from mec_orchestrator.api.middleware import auth_token
from mec_orchestrator.api.middleware import body_limit
from mec_orchestrator.api.middleware import noauth
from mec_orchestrator.api.middleware import problem_details
from mec_orchestrator.common import policy
from mec_orchestrator import conf

CONF = conf.CONF

#: Paths served without authentication.
PUBLIC_API_ROUTES = ('/',)


#: Routes whose body is package content, streamed to the package store.
_UPLOAD_ROUTE = re.compile(
    r'^/app_pkgm/v1/(app_packages|onboarded_app_packages)/[^/]+/'
    r'package_content/?$')


def _body_limit(req):
    if req.method == 'PUT' and _UPLOAD_ROUTE.match(req.path_info):
        return CONF.app_package.max_package_size
    return CONF.api.max_request_body_size


def setup_app(extra_hooks=None):
    """Build the API WSGI application.

    The pipeline, from the outside in: ProblemDetails for every error,
    request id, CORS, proxy headers, body size limit, authentication
    (keystonemiddleware or noauth), then pecan.

    :param extra_hooks: pecan hooks added after the default ones (tests).
    :returns: a WSGI application.
    """
    policy.init_enforcer()
    app = pecan.make_app(
        'mec_orchestrator.api.controllers.root.RootController',
        hooks=hooks.default_hooks() + list(extra_hooks or []),
        force_canonical=False,
        guess_content_type_from_ext=False,
        static_root=None,
        debug=False)
    if CONF.auth_strategy == 'keystone':
        app = auth_token.AuthTokenMiddleware(
            app, {'oslo_config_config': CONF},
            public_api_routes=PUBLIC_API_ROUTES)
    else:
        app = noauth.NoAuthMiddleware(app)
    app = body_limit.BodySizeLimit(app, _body_limit)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf=CONF)
    app = cors.CORS(app, CONF)
    app = request_id.RequestId(app)
    return problem_details.ProblemDetailsMiddleware(app)
