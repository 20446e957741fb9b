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

"""Options of the [api] group."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup('api', title=_('API service options'))

opts = [
    cfg.HostAddressOpt('host_ip',
                       default='127.0.0.1',
                       help=_('Address the API service listens on.')),
    cfg.PortOpt('port',
                default=9898,
                help=_('Port the API service listens on.')),
    cfg.IntOpt('api_workers',
               default=8,
               min=1,
               help=_('Threads serving API requests in the WSGI server of '
                      'mec-orchestrator-api and the all-in-one.')),
    cfg.IntOpt('max_request_body_size',
               default=1024 * 1024,
               min=1024,
               help=_('Largest JSON request body accepted, in bytes. A '
                      'larger body is refused with 413 before it is '
                      'read.')),
    cfg.StrOpt('public_endpoint',
               help=_('Public URL of the API, used in links and the '
                      'Location header when the service sits behind a '
                      'proxy that does not send X-Forwarded headers. '
                      'Defaults to the request\'s host URL.')),
    cfg.IntOpt('max_limit',
               default=1000,
               min=1,
               help=_('Largest number of items a list returns in one '
                      'page.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
