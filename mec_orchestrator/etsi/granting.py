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
"""The MEC 010-2 (v2.1.1) representations of grants (``/granting/v1``)."""

BASE = '/granting/v1'

#: Operations of a GrantRequest, by what clients send (v2.1.1 has no typo
#: here, but clients of the LCM API write INSTATIATE).
OPERATIONS = {'INSTANTIATE': 'INSTANTIATE', 'INSTATIATE': 'INSTANTIATE',
              'OPERATE': 'OPERATE', 'TERMINATE': 'TERMINATE'}


def _href(base_url, *parts):
    return {'href': '/'.join([base_url.rstrip('/')]
                             + [str(p).strip('/') for p in parts])}


def grant(row, base_url):
    """The Grant document of a granted request.

    :param row: the grant's database row (status GRANTED).
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    doc = dict(row.grant or {})
    doc.update({
        'id': row.id,
        'appInstanceId': row.app_instance_id,
        'appLcmOpOccId': row.app_lcm_op_occ_id,
        '_links': {
            'self': _href(base_url, BASE, 'grants', row.id),
            'appLcmOpOcc': _href(base_url, '/app_lcm/v1/app_lcm_op_occs',
                                 row.app_lcm_op_occ_id),
            'appInstance': _href(base_url, '/app_lcm/v1/app_instances',
                                 row.app_instance_id),
        },
    })
    return doc


def vim_connection(vim):
    """A VimConnectionInfo for a VIM, without any credential.

    :param vim: the VIM's database row.
    :returns: a dict.
    """
    access = vim.access or {}
    info = {'id': vim.id, 'vimId': vim.id,
            'vimType': 'ETSINFV.OPENSTACK_KEYSTONE.V_3'
            if vim.type == 'openstack' else vim.type.upper(),
            'interfaceInfo': {k: access[k] for k in (
                'auth_url', 'endpoint', 'region', 'interface')
                if access.get(k)},
            'accessInfo': {k: access[k] for k in (
                'project_name', 'project_id', 'project_domain_name',
                'user_domain_name', 'region', 'namespace') if access.get(k)},
            'extra': {'site': vim.site} if vim.site else {}}
    return info
