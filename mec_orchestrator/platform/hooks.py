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
"""pecan hooks of the Mp1 API: the calling app, the DB and RPC APIs."""

import pecan
from pecan import hooks

from mec_orchestrator.api import hooks as api_hooks
from mec_orchestrator.api import problem
from mec_orchestrator.common import context
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.platform import auth

CONF = conf.CONF

#: Paths served without an access token.
PUBLIC_PATHS = ('/', '/mep/token')


class MepAuthMiddleware(object):
    """Authenticates the calling app instance by its bearer token.

    Before any routing (an unknown path tells an unauthenticated caller
    nothing), every path but :data:`PUBLIC_PATHS` needs a valid Mp1 access
    token of an app the platform serves; else a 401 ProblemDetails with a
    Bearer challenge. The app's row goes in the environ for
    :class:`MepAppHook`.

    :param app: the WSGI application to wrap.
    """

    ENVIRON_KEY = 'mec_orchestrator.mep_app'

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '').rstrip('/') or '/'
        if path not in PUBLIC_PATHS:
            try:
                environ[self.ENVIRON_KEY] = self._authenticate(environ)
            except exception.NotAuthorized as e:
                resp = problem.problem_response(
                    401, e.message, environ.get('PATH_INFO'),
                    headers=[('WWW-Authenticate', 'Bearer realm="mep"')])
                return resp(environ, start_response)
        return self.app(environ, start_response)

    @staticmethod
    def _authenticate(environ):
        scheme, _sep, token = environ.get(
            'HTTP_AUTHORIZATION', '').partition(' ')
        if scheme.lower() != 'bearer' or not token.strip():
            raise exception.NotAuthorized(_(
                'An Mp1 access token is required (Authorization: Bearer); '
                'get one at /mep/token with the app instance\'s client '
                'credentials.'))
        app_instance_id = auth.verify_token(token.strip())
        try:
            return dbapi.get_instance().get_mep_app(app_instance_id)
        except exception.MepAppNotFound:
            raise exception.NotAuthorized(_(
                'The access token\'s app instance is not served by this '
                'platform any more.'))


class MepAppHook(hooks.PecanHook):
    """Puts the calling app, its context and the DB API on the request.

    ``request.mep_app`` is the platform's row of the app (None on public
    paths); ``request.context`` has the app's project and no roles (an app
    is not a Keystone user).
    """

    priority = 50

    def before(self, state):
        req = state.request
        req.dbapi = dbapi.get_instance()
        app = req.environ.get(MepAuthMiddleware.ENVIRON_KEY)
        req.mep_app = app
        request_id = req.environ.get('openstack.request_id')
        if app is None:
            req.context = context.RequestContext(request_id=request_id)
        else:
            req.context = context.RequestContext(
                project_id=app.project_id, user_id='mep-app-%s' % app.id,
                request_id=request_id)


def default_hooks():
    """The hooks of the Mp1 application, in order."""
    return [MepAppHook(), api_hooks.RPCHook(), api_hooks.ProblemDetailsHook()]


def own_app(app_instance_id):
    """The calling app, when the path names it; else a 403.

    An app may only read or change its own rules, services and
    subscriptions: another app's id in the path is refused without saying
    whether that app exists.

    :param app_instance_id: the ``{appInstanceId}`` of the path.
    :returns: the caller's MepApp row.
    :raises: Forbidden
    """
    app = pecan.request.mep_app
    if app is None or app.id != app_instance_id:
        raise exception.Forbidden(action=_(
            'access to the resources of another app instance'))
    return app


def base_url():
    """The Mp1 base URL as the app sees it."""
    return (CONF.platform.public_endpoint
            or pecan.request.host_url).rstrip('/')


def link(*parts):
    """An absolute link to an Mp1 resource.

    :param parts: path segments (e.g. ``'mec_app_support/v1'``,
        ``'applications'``, the id).
    """
    return '/'.join([base_url()] + [str(p).strip('/') for p in parts])
