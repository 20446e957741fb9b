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
"""``/v1``: the project's own API (VIMs, MEC hosts, conductors...)."""

import pecan

from mec_orchestrator.api.controllers.v1 import conductors
from mec_orchestrator.api.controllers.v1 import mec_hosts
from mec_orchestrator.api.controllers.v1 import placement
from mec_orchestrator.api.controllers.v1 import platform
from mec_orchestrator.api.controllers.v1 import vims
from mec_orchestrator.api import utils

RESOURCES = ('conductors', 'mec_hosts', 'placement', 'vims')


class Controller(object):
    """``/v1``: links to the resources of the admin API."""

    app_instances = platform.AppInstancesController()
    conductors = conductors.ConductorsController()
    mec_hosts = mec_hosts.MecHostsController()
    mec_services = platform.MecServicesController()
    placement = placement.PlacementController()
    vims = vims.VimsController()

    @pecan.expose(generic=True, template='json')
    def index(self):
        """The resources of v1.

        :returns: the version and links to its resources.
        """
        utils.only_get()
        return {'id': 'v1',
                'links': [{'rel': 'self', 'href': utils.link('v1', '')}],
                'resources': {name: {'href': utils.link('v1', name)}
                              for name in RESOURCES}}
