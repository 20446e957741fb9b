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
"""How a MEC host is shown by the admin API.

Everyone allowed to see MEC hosts sees where they are, what they can hold
and offer; only callers allowed ``mec:mec_host:get:internal`` (admins)
see the internal fields: the MEC platform endpoint and the VIM-side
details (compute hosts, hypervisors, aggregate metadata).
"""

from mec_orchestrator.api import utils

#: Fields shown only to callers allowed mec:mec_host:get:internal.
INTERNAL_FIELDS = ('mep_endpoint', 'details')


def _time(value):
    return value.isoformat() + 'Z' if value else None


def format(host, internal=False):
    """The API representation of a MEC host.

    :param host: the MEC host's database row.
    :param internal: whether to show the internal fields.
    :returns: a dict.
    """
    result = {
        'id': host.id,
        'name': host.name,
        'description': host.description,
        'vim_id': host.vim_id,
        'site': host.site,
        'zone': host.zone,
        'aggregate': host.aggregate,
        'location': {'latitude': host.latitude,
                     'longitude': host.longitude,
                     'area_id': host.area_id,
                     'cell_ids': host.cell_ids or [],
                     'country_code': host.country_code,
                     'civic_address': host.civic_address or []},
        'capacity': {'vcpus': host.vcpus, 'memory_mb': host.memory_mb,
                     'disk_gb': host.disk_gb},
        'usage': {'vcpus': host.vcpus_used,
                  'memory_mb': host.memory_mb_used,
                  'disk_gb': host.disk_gb_used},
        'capacity_source': host.capacity_source,
        'platform_services': host.platform_services or [],
        'latencies': host.latencies or {},
        'enabled': host.enabled,
        'available': host.available,
        'discovered_at': _time(host.discovered_at),
        'created_at': _time(host.created_at),
        'updated_at': _time(host.updated_at),
        'links': [{'rel': 'self',
                   'href': utils.link('v1', 'mec_hosts', host.id)}],
    }
    if internal:
        result['mep_endpoint'] = host.mep_endpoint
        result['details'] = host.details or {}
    return result
