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
"""WSGI entry point, for uWSGI, gunicorn or mod_wsgi.

Example: ``uwsgi --http 127.0.0.1:9898 --module
mec_orchestrator.api.wsgi:application``. Configuration files are the
defaults of oslo.config (``/etc/mec-orchestrator/mec-orchestrator.conf``)
or ``OS_MEC_ORCHESTRATOR_CONFIG_FILES`` (semicolon-separated).
"""

import os

from mec_orchestrator.api import app
from mec_orchestrator.common import service


def prepare(argv=None):
    """Parse the configuration, set up logging and the service.

    :param argv: the command line, without the program name.
    """
    files = os.environ.get('OS_MEC_ORCHESTRATOR_CONFIG_FILES')
    service.prepare_service(
        argv or [],
        default_config_files=files.split(';') if files else None)


def initialize_wsgi_app(argv=None):
    """Parse the configuration and build the application.

    :param argv: the command line, without the program name.
    :returns: the WSGI application.
    """
    prepare(argv)
    return app.setup_app()


def __getattr__(name):
    # Built on first access, so that importing the module has no effect.
    if name == 'application':
        global application
        application = initialize_wsgi_app()
        return application
    raise AttributeError(name)
