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
"""How a VIM is shown by the admin API: never its credentials.

Only the access fields listed in :data:`PUBLIC_ACCESS_FIELDS` are shown;
the credentials (encrypted in the ``credentials`` column) are reduced to
``auth_type``, and the CA bundle to ``has_ca_cert``.
"""

from mec_orchestrator.api import utils

#: Access fields that may be shown (none of them is a secret).
PUBLIC_ACCESS_FIELDS = (
    'auth_url', 'endpoint', 'region', 'interface', 'project_name',
    'project_id', 'project_domain_name', 'project_domain_id',
    'user_domain_name', 'user_domain_id', 'namespace', 'insecure',
)


def _time(value):
    return value.isoformat() + 'Z' if value else None


def format(vim):
    """The API representation of a VIM.

    :param vim: the VIM's database row.
    :returns: a dict.
    """
    access = vim.access or {}
    result = {
        'id': vim.id,
        'name': vim.name,
        'type': vim.type,
        'description': vim.description,
        'site': vim.site,
        'status': vim.status,
        'status_reason': vim.status_reason,
        'last_checked_at': _time(vim.last_checked_at),
        'auth_type': vim.auth_type,
        'has_ca_cert': bool(vim.ca_cert),
        'capabilities': vim.capabilities or {},
        'extra': vim.extra or {},
        'created_at': _time(vim.created_at),
        'updated_at': _time(vim.updated_at),
        'links': [
            {'rel': 'self', 'href': utils.link('v1', 'vims', vim.id)},
            {'rel': 'mec_hosts',
             'href': utils.link('v1', 'mec_hosts', vim_id=vim.id)},
        ],
    }
    for field in PUBLIC_ACCESS_FIELDS:
        if field in access:
            result[field] = access[field]
    return result
