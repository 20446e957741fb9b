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
"""Process start-up shared by every command."""

import sys

from oslo_log import log
from oslo_service import backend

from mec_orchestrator import conf
from mec_orchestrator.conf import opts
from mec_orchestrator import version

CONF = conf.CONF
LOG = log.getLogger(__name__)


def init_backend():
    """Select oslo.service's threading backend (no eventlet), once."""
    if backend.get_backend_type() is None:
        backend.init_backend(backend.BackendType.THREADING)


def prepare_service(argv=None, default_config_files=None):
    """Parse the configuration and set up logging.

    :param argv: the command line, without the program name; sys.argv's by
        default.
    :param default_config_files: configuration files read when none is
        given on the command line.
    """
    init_backend()
    argv = sys.argv[1:] if argv is None else argv
    log.register_options(CONF)
    opts.update_opt_defaults(CONF)
    CONF(argv, project='mec-orchestrator',
         version=version.version_string(),
         default_config_files=default_config_files)
    log.setup(CONF, 'mec-orchestrator')
