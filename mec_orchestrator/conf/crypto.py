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

"""Options of the [crypto] group: encryption of secrets at rest."""

from oslo_config import cfg

from mec_orchestrator.common.i18n import _

group = cfg.OptGroup(
    'crypto', title=_('Encryption of secrets at rest'),
    help=_('VIM credentials (and other secrets the service keeps) are '
           'encrypted before they are stored. Only the conductors need '
           'the keys; every conductor sharing a database needs the same '
           'key repository.'))

opts = [
    cfg.StrOpt('backend',
               default='fernet',
               choices=[('fernet', _('Fernet (AES-128-CBC + HMAC-SHA256) '
                                     'with the keys of key_repository.'))],
               help=_('How secrets are encrypted. A key manager backend '
                      '(castellan) may be added later.')),
    cfg.StrOpt('key_repository',
               default='$state_path/crypto-keys',
               help=_('Directory of the fernet keys, laid out as '
                      'Keystone\'s: files named 0, 1, 2...; the highest '
                      'number is the primary key, which encrypts; key 0 '
                      'is the staged key, the next primary; every key '
                      'decrypts. The directory must be mode 0700 and the '
                      'keys 0600, readable by the conductor only.')),
    cfg.BoolOpt('auto_create_key_repository',
                help=_('Create the key repository, with new keys, when it '
                       'does not exist. Unset (the default): only with '
                       '[DEFAULT] rpc_transport = local, as in the '
                       'all-in-one, where a single conductor uses the keys. '
                       'Deployments with several conductors must create '
                       'the repository once (mec-orchestrator-keys setup) '
                       'and copy it to every conductor.')),
    cfg.IntOpt('max_active_keys',
               default=3,
               min=2,
               help=_('Keys kept by a rotation (mec-orchestrator-keys '
                      'rotate): the staged key, the primary key and '
                      'the most recent secondary keys. Secrets encrypted '
                      'with an older key are re-encrypted with the primary '
                      'key by the next periodic VIM check.')),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
