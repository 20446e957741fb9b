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
"""A lab-only ML2 mechanism driver that binds every port.

The lab has no L2 agent, so without a mechanism driver every port fails to
bind and Nova puts servers in ERROR (``PortBindingFailed``). This driver
binds any port on the first segment offered as an ``ovs`` VIF and marks it
ACTIVE, which is all that Nova's fake virt driver needs. There is no data
plane behind it.

``tools/lab`` copies this module into the neutron venv together with a
``meclab_ml2-1.0.dist-info`` whose entry point registers it as
``meclab`` under ``neutron.ml2.mechanism_drivers``.
"""

from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class LabMechanismDriver(api.MechanismDriver):
    """Bind every port (``vif_type=ovs``, status ACTIVE)."""

    def initialize(self):
        """Nothing to set up."""

    @property
    def connectivity(self):
        """Plain L2 connectivity."""
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        """Bind the port on the first segment that needs binding.

        :param context: the ML2 PortContext of the port being bound.
        """
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID], portbindings.VIF_TYPE_OVS,
                {portbindings.CAP_PORT_FILTER: True,
                 portbindings.OVS_HYBRID_PLUG: False},
                status=constants.PORT_STATUS_ACTIVE)
            return
