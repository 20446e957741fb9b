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

"""Options of the [outbound] group: outbound HTTP requests.

Every request the service makes to a URI a user gave (application package
URIs, notification callbacks, OAuth 2.0 token endpoints) goes through
:mod:`mec_orchestrator.common.outbound.client`, which applies these limits
and the address policy (the SSRF guard). Notification delivery options are
here too, with a ``notification_`` prefix.
"""

import ipaddress

from oslo_config import cfg
from oslo_config import types

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup('outbound', title=_('Outbound HTTP requests'),
                     help=_('Limits and address policy of the requests the '
                            'service makes to URIs given by users: package '
                            'downloads, notification callbacks and OAuth '
                            '2.0 token endpoints.'))

_MIB = 1024 * 1024


class _Network(types.ConfigType):
    """An IPv4 or IPv6 network in CIDR notation.

    A bare address is a /32 or /128; host bits may be set.
    """

    def __init__(self, type_name='network value'):
        super().__init__(type_name=type_name)

    def __call__(self, value):
        if isinstance(value, (ipaddress.IPv4Network,
                              ipaddress.IPv6Network)):
            return value
        try:
            return ipaddress.ip_network(str(value).strip(), strict=False)
        except ValueError:
            raise ValueError(_('%s is not an IP network in CIDR '
                               'notation') % value)

    def __repr__(self):
        return 'Network'

    def __eq__(self, other):
        return self.__class__ == other.__class__

    def _formatter(self, value):
        return str(value)


opts = [
    cfg.ListOpt('allowed_networks',
                item_type=_Network(),
                default=[],
                help=_('Networks (CIDR) that outbound requests may reach '
                       'even though they are not public: loopback, '
                       'link-local, private or reserved ranges are refused '
                       'otherwise. All-in-one and lab deployments that '
                       'serve packages or receive notifications on the same '
                       'host list 127.0.0.1/32 (and ::1/128) here. Listing '
                       '0.0.0.0/0 turns the guard off; do not.')),
    cfg.ListOpt('denied_networks',
                item_type=_Network(),
                default=[],
                help=_('Networks (CIDR) that outbound requests never reach, '
                       'even when they are public or listed in '
                       'allowed_networks: the addresses of the control '
                       'plane (API endpoints, databases, message bus) '
                       'belong here when they are public addresses.')),
    cfg.BoolOpt('allow_private_networks',
                default=False,
                help=_('Allow the private ranges (10.0.0.0/8, '
                       '172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, '
                       'fc00::/7) as targets. Loopback, link-local, the '
                       'cloud metadata addresses and the reserved ranges '
                       'stay refused; list them in allowed_networks to '
                       'reach them.')),
    cfg.IntOpt('max_redirects',
               default=5,
               min=0,
               max=20,
               help=_('Most HTTP redirects followed by one request; every '
                      'hop is checked against the address policy.')),
    cfg.FloatOpt('connect_timeout',
                 default=10.0,
                 min=0.1,
                 help=_('Seconds to wait for a TCP connection (and TLS '
                        'handshake) to a remote server.')),
    cfg.FloatOpt('read_timeout',
                 default=30.0,
                 min=0.1,
                 help=_('Seconds to wait for the remote server to send '
                        'anything (response headers or the next piece of '
                        'the body).')),
    cfg.FloatOpt('request_total_timeout',
                 default=60.0,
                 min=1,
                 help=_('Most seconds an API-style request (a notification, '
                        'a token request, a callback test) may take, '
                        'redirects and body included. Checked between '
                        'reads: a request may overrun it by up to '
                        'read_timeout.')),
    cfg.FloatOpt('download_total_timeout',
                 default=3600.0,
                 min=1,
                 help=_('Most seconds a download (an application package) '
                        'may take, redirects included. Checked between '
                        'reads: a download may overrun it by up to '
                        'read_timeout.')),
    cfg.IntOpt('max_response_size',
               default=1 * _MIB,
               min=1024,
               help=_('Largest response body, in bytes, that an API-style '
                      'request reads (a token response, a callback\'s '
                      'answer); a larger one fails the request.')),
    cfg.IntOpt('max_download_size',
               default=4096 * _MIB,
               min=1024,
               help=_('Largest download, in bytes, unless the caller gives '
                      'a smaller limit: a download that goes past it is '
                      'aborted and its partial file removed.')),
    cfg.StrOpt('ca_file',
               help=_('PEM bundle of the CA certificates that HTTPS '
                      'servers are verified against. Unset: the bundle of '
                      'the certifi package. Certificates are always '
                      'verified.')),
    cfg.BoolOpt('verify_callback_on_subscribe',
                default=True,
                help=_('Test the callback URI of a new subscription before '
                       'creating it, as ETSI GS NFV-SOL 013 describes: a '
                       'GET with the subscription\'s authentication that '
                       'must be answered with 204 No Content; the '
                       'subscription is refused (422) otherwise.')),
    cfg.IntOpt('notification_workers',
               default=16,
               min=1,
               help=_('Threads that deliver notifications. A delivery '
                      'holds a thread only while its HTTP request runs, '
                      'not while it waits to be retried.')),
    cfg.IntOpt('notification_max_attempts',
               default=5,
               min=1,
               help=_('Most attempts to deliver one notification, the '
                      'first included.')),
    cfg.FloatOpt('notification_retry_max_time',
                 default=600.0,
                 min=0,
                 help=_('Most seconds between the first attempt to deliver '
                        'a notification and the last retry: no retry is '
                        'scheduled past it, even when a Retry-After header '
                        'asks for one.')),
    cfg.FloatOpt('notification_retry_initial_delay',
                 default=1.0,
                 min=0,
                 help=_('Seconds before the first retry; each retry waits '
                        'twice as long as the previous one, half of it '
                        'random (jitter), up to '
                        'notification_retry_max_delay.')),
    cfg.FloatOpt('notification_retry_max_delay',
                 default=60.0,
                 min=0,
                 help=_('Longest wait between two attempts, unless the '
                        'subscriber asks for a longer one with '
                        'Retry-After.')),
    cfg.IntOpt('notification_max_pending',
               default=1000,
               min=1,
               help=_('Most notifications waiting for one callback URI '
                      '(they are delivered in order, one at a time); more '
                      'are dropped and reported as failed.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
