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

"""Options of the [drivers] group: which drivers are enabled."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'drivers', title=_('Drivers'),
    help=_('Drivers are stevedore plugins, named by their entry point in '
           'the mec_orchestrator.<kind>_drivers namespaces.'))

opts = [
    cfg.ListOpt('vim_drivers', default=['openstack', 'kubernetes', 'fake'],
                help=_('VIM drivers enabled (mec_orchestrator.vim_drivers '
                       'entry points).')),
    cfg.ListOpt('infra_drivers', default=['openstack', 'fake'],
                help=_('Infrastructure drivers enabled '
                       '(mec_orchestrator.infra_drivers entry points).')),
    cfg.ListOpt('mgmt_drivers', default=['mep', 'noop'],
                help=_('MEC platform management drivers enabled '
                       '(mec_orchestrator.mgmt_drivers entry points); the '
                       'first one configures the platforms.')),
    cfg.ListOpt('monitor_drivers', default=['noop'],
                help=_('Monitoring drivers enabled '
                       '(mec_orchestrator.monitor_drivers entry points).')),
    cfg.ListOpt('traffic_drivers', default=['openstack', 'fake'],
                help=_('Traffic steering drivers enabled '
                       '(mec_orchestrator.traffic_drivers entry points, '
                       'named by the VIM type they steer).')),
    cfg.ListOpt('dns_drivers', default=['responder', 'designate'],
                help=_('DNS drivers enabled (mec_orchestrator.dns_drivers '
                       'entry points); [platform] dns_driver picks one.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
