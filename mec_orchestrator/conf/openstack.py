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
"""Options of the [openstack] group: the OpenStack infrastructure driver."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'openstack', title=_('OpenStack infrastructure driver'),
    help=_('How app instances are created on OpenStack VIMs with Heat.'))

opts = [
    cfg.IntOpt('stack_timeout', default=1800, min=10,
               help=_('Seconds to wait for a Heat stack to be created, '
                      'updated or deleted before the operation fails.')),
    cfg.FloatOpt('poll_interval', default=1.0, min=0.05,
                 help=_('First interval, in seconds, between two polls of '
                        'a stack or a server; it grows with backoff.')),
    cfg.FloatOpt('max_poll_interval', default=10.0, min=0.1,
                 help=_('Longest interval between two polls.')),
    cfg.IntOpt('max_concurrent_stack_operations', default=8, min=1,
               help=_('Stack creations and deletions one conductor runs '
                      'at the same time on one VIM; the others wait for a '
                      'slot. Heat answers a burst of hundreds of stack '
                      'requests with timeouts; bounding the burst per '
                      'conductor keeps each request within '
                      '[vim] request_timeout.')),
    cfg.StrOpt('default_network',
               help=_('Name or id of the Neutron network of the ports of '
                      'app instances whose request names none (the '
                      'additionalParams "extCpNetworks" and "network"). '
                      'Unset, the only network the VIM project sees is '
                      'used, if there is exactly one.')),
    cfg.BoolOpt('create_flavors', default=True,
                help=_('Create a private flavor named '
                       'mec-<vcpus>-<ram MiB>-<disk GiB>, with access for '
                       'the VIM project, when no existing flavor fits an '
                       'AppD. Needs the rights to create flavors (admin by '
                       'default).')),
    cfg.BoolOpt('image_upload', default=True,
                help=_('Upload the image file of the app package to '
                       'Glance when the VIM has no image of the AppD\'s '
                       'name.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
