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

"""Options of the [packaging] group: limits and trust for package reading.

The package reader itself never reads this group: callers build a
:class:`mec_orchestrator.packaging.limits.Limits` from it with
``Limits.from_conf(CONF)`` and pass it in.
"""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup('packaging', title=_('Application package reading'))

_MIB = 1024 * 1024

opts = [
    cfg.IntOpt('max_members',
               default=4096,
               min=1,
               help=_('Largest number of members (files and directories) '
                      'an application package archive may hold; a nested '
                      'archive counts separately.')),
    cfg.IntOpt('max_member_size',
               default=2048 * _MIB,
               min=1,
               help=_('Largest decompressed size of one package member, in '
                      'bytes. Software images inside a package must fit. '
                      'Members are streamed, never held in memory whole, '
                      'except YAML, JSON and metadata documents (see '
                      'max_yaml_size).')),
    cfg.IntOpt('max_total_size',
               default=4096 * _MIB,
               min=1,
               help=_('Largest decompressed size of all the members of a '
                      'package together, in bytes, counted on the bytes '
                      'actually decompressed.')),
    cfg.IntOpt('max_compression_ratio',
               default=100,
               min=1,
               help=_('Largest ratio between the decompressed and the '
                      'compressed size of a member (ZIP bomb guard). It '
                      'applies once a member has produced more than 1 MiB, '
                      'so that small, very compressible files pass.')),
    cfg.IntOpt('max_yaml_size',
               default=2 * _MIB,
               min=1024,
               help=_('Largest size in bytes of a YAML or JSON document '
                      '(AppD, TOSCA template, imported type file, '
                      'TOSCA.meta, manifest) read from a package.')),
    cfg.IntOpt('max_yaml_nodes',
               default=200000,
               min=100,
               help=_('Largest number of nodes a YAML document may have '
                      'once every alias is expanded (protection against '
                      'alias bombs, "billion laughs"). Each alias counts '
                      'as the full size of the node it points to.')),
    cfg.StrOpt('trust_store',
               help=_('Directory of PEM CA certificates, or a PEM bundle '
                      'file, used to verify package signatures (ETSI NFV '
                      'SOL004 signed manifests and signed CSAR '
                      'containers). Unset: signatures are checked for '
                      'integrity only and their signers are not trusted.')),
    cfg.BoolOpt('allow_unsigned',
                default=True,
                help=_('Accept packages that carry no signature, or whose '
                       'signature cannot be checked against a trust store '
                       'because none is configured. Few real packages are '
                       'signed, hence the default; set to False (with a '
                       'trust_store) to accept only packages signed by a '
                       'trusted provider. A signature that is present but '
                       'invalid, or made by a certificate that the trust '
                       'store does not trust, is always refused.')),
    cfg.BoolOpt('allow_manifest_mismatch',
                default=False,
                help=_('Accept a package whose files do not match the '
                       'digests of its (unsigned) manifest, with a warning '
                       'instead of an error. Some packaging tools, '
                       'EdgeGallery\'s among them, write placeholder '
                       'digests. A file the manifest lists but the package '
                       'lacks, and any mismatch under a signed manifest, '
                       'are always refused.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
