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

"""Options of the [vim] group: VIM checks and MEC host discovery."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'vim', title=_('VIMs and MEC host discovery'),
    help=_('How the conductors check the registered VIMs and discover '
           'their MEC hosts.'))

opts = [
    cfg.IntOpt('check_interval',
               default=300,
               min=0,
               help=_('Seconds between two checks of every VIM. A check '
                      'authenticates against the VIM, refreshes its '
                      'service catalog, sets its status to REACHABLE or '
                      'UNREACHABLE, and refreshes its MEC hosts. Each VIM '
                      'is checked by one live conductor (of its site when '
                      'there is one). 0 disables the periodic check.')),
    cfg.IntOpt('request_timeout',
               default=10,
               min=1,
               help=_('Seconds a request to a VIM may take (connect and '
                      'read).')),
    cfg.ListOpt('openstack_required_services',
                default=['orchestration', 'compute', 'network'],
                help=_('Service types an OpenStack VIM must offer in its '
                       'catalog (Heat, Nova, Neutron). Registering a VIM '
                       'without them fails with 400 naming the missing '
                       'ones.')),
    cfg.StrOpt('openstack_interface',
               default='public',
               choices=['public', 'internal', 'admin'],
               help=_('Default endpoint interface of the OpenStack VIMs '
                      '(a VIM may set its own).')),
    cfg.StrOpt('mec_host_aggregate_key',
               default='mec_host',
               help=_('Metadata key of the Nova host aggregates that are '
                      'MEC hosts of their own: an aggregate whose metadata '
                      'sets it to true becomes one MEC host, and its '
                      'compute hosts leave their availability zone\'s MEC '
                      'host.')),
    cfg.BoolOpt('use_placement',
                default=True,
                help=_('Take the capacity and usage of OpenStack MEC hosts '
                       'from Placement (inventories with allocation '
                       'ratios, and usages) when the VIM has it; else from '
                       'Nova\'s hypervisor statistics.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
