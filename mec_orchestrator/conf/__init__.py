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
from mec_orchestrator.conf import conductor
from mec_orchestrator.conf import database
from mec_orchestrator.conf import default
from mec_orchestrator.conf import drivers
from mec_orchestrator.conf import noauth

CONF = cfg.CONF

api.register_opts(CONF)
conductor.register_opts(CONF)
database.register_opts(CONF)
default.register_opts(CONF)
drivers.register_opts(CONF)
noauth.register_opts(CONF)
