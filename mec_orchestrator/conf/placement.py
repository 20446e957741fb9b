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
"""Options of the [placement] group: the MEO scheduler."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'placement', title=_('MEO placement scheduler'),
    help=_('How the MEO chooses the MEC host (and so the VIM and site) of '
           'an application instance: filters drop the hosts that cannot '
           'take it, weighers rank the others.'))

opts = [
    cfg.ListOpt('enabled_filters',
                default=['enabled', 'vim_type', 'capacity', 'services',
                         'features', 'latency', 'location', 'affinity'],
                help=_('Entry point names (namespace '
                       'mec_orchestrator.placement.filters) of the filters '
                       'to run. They run cheapest first whatever the order '
                       'given here.')),
    cfg.ListOpt('enabled_weighers',
                default=['latency', 'load', 'cost'],
                help=_('Entry point names (namespace '
                       'mec_orchestrator.placement.weighers) of the '
                       'weighers that rank the hosts left.')),
    cfg.FloatOpt('cpu_allocation_ratio', default=4.0, min=0.0,
                 help=_('Virtual CPUs per physical CPU of a MEC host whose '
                        'capacity does not come from Placement (Placement '
                        'figures already carry the VIM\'s ratios).')),
    cfg.FloatOpt('ram_allocation_ratio', default=1.0, min=0.0,
                 help=_('Virtual RAM per physical RAM, as above.')),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help=_('Virtual disk per physical disk, as above.')),
    cfg.BoolOpt('unknown_capacity_passes', default=False,
                help=_('Whether a MEC host whose capacity is unknown (not '
                       'discovered yet, or a VIM that does not report it) '
                       'passes the capacity filter.')),
    cfg.ListOpt('vm_vim_types', default=['openstack'],
                help=_('VIM types that can run an application shipped as '
                       'a virtual machine image.')),
    cfg.ListOpt('container_vim_types', default=['kubernetes'],
                help=_('VIM types that can run an application shipped as '
                       'container images.')),
    cfg.FloatOpt('latency_weight_multiplier', default=1.0,
                 help=_('Multiplier of the latency weigher: positive '
                        'prefers the hosts closer to the user area.')),
    cfg.FloatOpt('load_weight_multiplier', default=1.0,
                 help=_('Multiplier of the load weigher.')),
    cfg.StrOpt('load_strategy', default='spread',
               choices=[('spread', _('prefer the hosts with more free '
                                     'capacity')),
                        ('pack', _('prefer the hosts with less free '
                                   'capacity'))],
               help=_('What the load weigher prefers.')),
    cfg.FloatOpt('cost_weight_multiplier', default=1.0,
                 help=_('Multiplier of the cost weigher: positive prefers '
                        'the cheaper hosts.')),
    cfg.FloatOpt('default_cost', default=1.0, min=0.0,
                 help=_('Cost of a MEC host that sets none (``cost`` in '
                        'its details).')),
    cfg.IntOpt('max_ranked', default=20, min=1,
               help=_('How many of the hosts that pass every filter are '
                      'ranked and returned, best first.')),
    cfg.IntOpt('explain_max_hosts', default=50, min=0,
               help=_('How many rejected hosts, per filter, an '
                      'explanation lists with their reasons (the counts '
                      'are always complete).')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
