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
"""The service's configuration: every option group, registered on CONF."""

from oslo_config import cfg

from mec_orchestrator.conf import api
from mec_orchestrator.conf import app_lcm
from mec_orchestrator.conf import app_package
from mec_orchestrator.conf import conductor
from mec_orchestrator.conf import crypto
from mec_orchestrator.conf import database
from mec_orchestrator.conf import default
from mec_orchestrator.conf import drivers
from mec_orchestrator.conf import noauth
from mec_orchestrator.conf import openstack
from mec_orchestrator.conf import outbound
from mec_orchestrator.conf import packaging
from mec_orchestrator.conf import placement
from mec_orchestrator.conf import platform
from mec_orchestrator.conf import vim

CONF = cfg.CONF

api.register_opts(CONF)
app_lcm.register_opts(CONF)
app_package.register_opts(CONF)
conductor.register_opts(CONF)
crypto.register_opts(CONF)
database.register_opts(CONF)
default.register_opts(CONF)
drivers.register_opts(CONF)
noauth.register_opts(CONF)
openstack.register_opts(CONF)
outbound.register_opts(CONF)
packaging.register_opts(CONF)
placement.register_opts(CONF)
platform.register_opts(CONF)
vim.register_opts(CONF)
