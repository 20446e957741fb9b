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
"""keystonemiddleware's auth_token, with public routes left open."""

import re

from keystonemiddleware import auth_token
from oslo_log import log

LOG = log.getLogger(__name__)


class AuthTokenMiddleware(auth_token.AuthProtocol):
    """Validates tokens, except on the routes that are public.

    :param app: the WSGI application to wrap.
    :param conf: keystonemiddleware's configuration dict.
    :param public_api_routes: regular expressions of the paths served
        without a token (the versions document).
    """

    def __init__(self, app, conf, public_api_routes=()):
        self._public_routes = [re.compile(r'^%s$' % route)
                               for route in public_api_routes]
        super().__init__(app, conf)

    def __call__(self, env, start_response):
        path = env.get('PATH_INFO', '/').rstrip('/') or '/'
        env['mec.public_api'] = any(route.match(path)
                                    for route in self._public_routes)
        if env['mec.public_api']:
            return self._app(env, start_response)
        return super().__call__(env, start_response)
