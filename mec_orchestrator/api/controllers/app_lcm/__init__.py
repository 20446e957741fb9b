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
"""``/app_lcm/v1``: ETSI GS MEC 010-2 application lifecycle management."""

from mec_orchestrator.api.controllers.app_lcm import instances
from mec_orchestrator.api.controllers.app_lcm import op_occs
from mec_orchestrator.api.controllers.app_lcm import subscriptions

#: The entry of the versions document.
API = {'name': 'app_lcm', 'uriPrefix': '/app_lcm/v1',
       'specification': 'ETSI GS MEC 010-2', 'version': '2.1.1'}


class V1Controller(object):
    """``/app_lcm/v1``."""

    app_instances = instances.AppInstancesController()
    app_lcm_op_occs = op_occs.OpOccsController()
    subscriptions = subscriptions.SubscriptionsController()


class AppLcmController(object):
    """``/app_lcm``."""

    v1 = V1Controller()
