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
"""WSGI entry point of the Mp1 API, for uWSGI, gunicorn or mod_wsgi.

Example: ``uwsgi --http 127.0.0.1:8099 --module
mec_orchestrator.platform.wsgi:application``; run the DNS responder with
``mec-platform-api --dns-only``. Configuration files as for
:mod:`mec_orchestrator.api.wsgi`.
"""

from mec_orchestrator.api import wsgi
from mec_orchestrator.platform import app


def initialize_wsgi_app(argv=None):
    """Parse the configuration and build the Mp1 application.

    :param argv: the command line, without the program name.
    :returns: the WSGI application.
    """
    wsgi.prepare(argv)
    return app.setup_app()


def __getattr__(name):
    # Built on first access, so that importing the module has no effect.
    if name == 'application':
        global application
        application = initialize_wsgi_app()
        return application
    raise AttributeError(name)
