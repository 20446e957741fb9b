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
"""The noauth strategy: every request acts as the configured identity."""

from mec_orchestrator import conf

CONF = conf.CONF

# Identity headers a client might send, which would otherwise be trusted.
_IDENTITY_HEADERS = (
    'HTTP_X_IDENTITY_STATUS', 'HTTP_X_SERVICE_IDENTITY_STATUS',
    'HTTP_X_USER_ID', 'HTTP_X_USER_NAME', 'HTTP_X_USER_DOMAIN_ID',
    'HTTP_X_USER_DOMAIN_NAME', 'HTTP_X_PROJECT_ID', 'HTTP_X_PROJECT_NAME',
    'HTTP_X_PROJECT_DOMAIN_ID', 'HTTP_X_PROJECT_DOMAIN_NAME',
    'HTTP_X_DOMAIN_ID', 'HTTP_X_DOMAIN_NAME', 'HTTP_X_ROLES',
    'HTTP_X_SERVICE_ROLES', 'HTTP_X_SYSTEM_SCOPE', 'HTTP_X_IS_ADMIN_PROJECT',
    'HTTP_X_TENANT_ID', 'HTTP_X_TENANT_NAME', 'HTTP_X_ROLE',
)


class NoAuthMiddleware(object):
    """Sets the identity of [noauth] on every request.

    Identity headers sent by the client are dropped first, so that the
    configured roles, not the client, decide what policy allows.

    :param app: the WSGI application to wrap.
    :param public_api_routes: accepted for symmetry with the auth_token
        middleware; every route is open.
    """

    def __init__(self, app, public_api_routes=()):
        self.app = app

    def __call__(self, env, start_response):
        for header in _IDENTITY_HEADERS:
            env.pop(header, None)
        env['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        env['HTTP_X_USER_ID'] = CONF.noauth.user_id
        env['HTTP_X_PROJECT_ID'] = CONF.noauth.project_id
        env['HTTP_X_ROLES'] = ','.join(CONF.noauth.roles)
        return self.app(env, start_response)
