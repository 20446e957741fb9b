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
"""Options of the [app_lcm] group: app instance lifecycle operations."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'app_lcm', title=_('App lifecycle management'),
    help=_('Lifecycle operation occurrences, their leases and the '
           'reconciliation with the VIMs.'))

opts = [
    cfg.IntOpt('lease_duration', default=60, min=5,
               help=_('Seconds an operation occurrence stays with the '
                      'conductor running it without a renewal. When a '
                      'conductor dies, a live one takes its operations '
                      'over once their lease has expired and its '
                      'heartbeat is older than '
                      '[conductor] heartbeat_timeout.')),
    cfg.IntOpt('takeover_interval', default=10, min=1,
               help=_('Seconds between two searches for operation '
                      'occurrences whose owner is gone.')),
    cfg.IntOpt('reconcile_interval', default=600, min=0,
               help=_('Seconds between two reconciliations of the app '
                      'instances with their VIMs (orphaned stacks, '
                      'vanished resources); 0 disables it.')),
    cfg.BoolOpt('delete_orphans', default=False,
                help=_('Whether the reconciliation deletes the VIM '
                       'resources named after an app instance that no '
                       'longer exists (or is NOT_INSTANTIATED with no '
                       'operation running), rather than only reporting '
                       'them.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
