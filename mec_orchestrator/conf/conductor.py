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

"""Options of the [conductor] group."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup('conductor', title=_('Conductor options'))

opts = [
    cfg.StrOpt('topic',
               default='mec-orchestrator.conductor',
               help=_('RPC topic the conductors listen on and the API '
                      'sends to. Orchestrators sharing a message broker '
                      'need topics of their own: the broker routes a '
                      'topic to one queue, whatever the exchange.')),
    cfg.StrOpt('site',
               help=_('Site this conductor serves. Conductors of a site '
                      'also listen on the site topic, so that edge sites '
                      'can run their own conductors.')),
    cfg.IntOpt('heartbeat_interval',
               default=10,
               min=1,
               help=_('Seconds between two heartbeats of a conductor.')),
    cfg.IntOpt('heartbeat_timeout',
               default=60,
               min=2,
               help=_('Seconds after its last heartbeat at which a '
                      'conductor is considered dead, and its work may be '
                      'taken over by another.')),
    cfg.IntOpt('workers_pool_size',
               default=64,
               min=2,
               help=_('Threads of a conductor\'s worker pool, which runs '
                      'long operations.')),
    cfg.IntOpt('rpc_timeout',
               help=_('Seconds an RPC call to a conductor waits for its '
                      'answer. Defaults to [DEFAULT] rpc_response_timeout.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
