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

"""Options of the [DEFAULT] group."""

import socket

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

opts = [
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('keystone', _('Tokens are validated by Keystone '
                                       'through keystonemiddleware.')),
                        ('noauth', _('No authentication: every request acts '
                                     'as the project and roles of the '
                                     '[noauth] group. Policy is still '
                                     'enforced. For the all-in-one and '
                                     'tests only.'))],
               help=_('How API requests are authenticated.')),
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='localhost',
               help=_('Name of this node. Conductors register under it; it '
                      'must be unique among the conductors sharing a '
                      'database.')),
    cfg.StrOpt('rpc_transport',
               default='oslo',
               choices=[('oslo', _('oslo.messaging over transport_url.')),
                        ('local', _('In-process calls between the API and '
                                    'a conductor in the same process (the '
                                    'all-in-one).'))],
               help=_('How the API reaches the conductors.')),
    cfg.StrOpt('state_path',
               default='/var/lib/mec-orchestrator',
               help=_('Top-level directory for the service\'s state.')),
]


def register_opts(conf):
    conf.register_opts(opts)
