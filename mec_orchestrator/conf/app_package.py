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
"""Options of the [app_package] group: package onboarding and storage."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup('app_package',
                     title=_('Application package onboarding'))

opts = [
    cfg.StrOpt('store',
               default='file',
               help=_('Where package content is kept: the name of a '
                      'mec_orchestrator.package_stores entry point. '
                      '"file" keeps it in a directory, which must be '
                      'shared by the API services and the conductors '
                      'when they run on different nodes.')),
    cfg.StrOpt('file_store_path',
               default='$state_path/app_packages',
               help=_('Directory of the "file" store.')),
    cfg.IntOpt('max_package_size',
               default=8 * 1024 ** 3,
               min=1024,
               help=_('Largest package accepted, in bytes, uploaded '
                      '(PUT .../package_content) or fetched from '
                      'appPkgPath. The upload is streamed to the store '
                      'and refused with 413 past this size.')),
    cfg.IntOpt('chunk_size',
               default=1024 * 1024,
               min=4096,
               help=_('Bytes read at a time when streaming package '
                      'content.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
