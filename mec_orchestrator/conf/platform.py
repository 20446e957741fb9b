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
"""Options of the [platform] group: the MEC platform (Mp1, ETSI MEC 011)."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'platform', title=_('MEC platform'),
    help=_('The MEC platform: the Mp1 API that MEC apps call, their '
           'credentials, and the realisation of their traffic and DNS '
           'rules.'))

opts = [
    cfg.StrOpt('host', default='127.0.0.1',
               help=_('Address mec-platform-api listens on.')),
    cfg.PortOpt('port', default=8099,
                help=_('Port mec-platform-api listens on.')),
    cfg.URIOpt('public_endpoint', schemes=['http', 'https'],
               help=_('The Mp1 base URL given to app instances (in their '
                      'user data) and used in the links of Mp1 responses, '
                      'e.g. https://mep.example.org:8099. Defaults to '
                      'http://<host>:<port>.')),
    cfg.IntOpt('token_lifetime', default=3600, min=60,
               help=_('Seconds an Mp1 access token, obtained with the app '
                      'instance\'s client credentials, stays valid.')),
    cfg.StrOpt('dns_driver', default='responder',
               help=_('How active DNS rules are published: "responder" '
                      '(the platform\'s own authoritative DNS server) or '
                      '"designate" (recordsets in the VIM\'s Designate).')),
    cfg.HostAddressOpt('dns_host', default='127.0.0.1',
                       help=_('Address the platform\'s DNS responder '
                              'binds (UDP and TCP).')),
    cfg.PortOpt('dns_port', default=5354,
                help=_('Port of the platform\'s DNS responder; 0 disables '
                       'it.')),
    cfg.FloatOpt('dns_refresh', default=1.0, min=0,
                 help=_('Seconds the DNS responder caches the active DNS '
                        'rules read from the database.')),
    cfg.StrOpt('dns_zone',
               help=_('The Designate zone (e.g. mec.example.org.) that '
                      'holds the DNS rules\' recordsets, for the designate '
                      'driver; a rule outside it is refused.')),
    cfg.IntOpt('sync_interval', default=60, min=0,
               help=_('Seconds between two passes of the conductor that '
                      'make the data plane match the platform\'s rules '
                      '(a lost message, a data plane that lost them); 0 '
                      'disables it. A conductor also makes one pass when '
                      'it starts.')),
    cfg.IntOpt('default_graceful_timeout', default=30, min=0,
               help=_('Seconds a graceful terminate or stop waits for the '
                      'app\'s confirm_termination when the request gives '
                      'no timeout.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
