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
"""Policy rules of the admin API's MEC hosts resource.

Any project's readers may list and show MEC hosts, to choose where their
app instances go (site, zone, location, capacity, latencies, platform
services). Only what ``mec:mec_host:get:internal`` allows (admins by
default) shows the internal fields: the MEC platform endpoint and the
VIM-side details (compute hosts, hypervisors, aggregate metadata).
"""

from oslo_policy import policy

from mec_orchestrator.policies import base

#: Admins, or readers of any project.
ADMIN_OR_ANY_READER = '(%s) or (%s)' % (base.ADMIN, base.ANY_READER)

rules = [
    policy.DocumentedRuleDefault(
        name='mec:mec_host:get',
        check_str=ADMIN_OR_ANY_READER,
        scope_types=['project'],
        description='List MEC hosts and show one.',
        operations=[{'method': 'GET', 'path': '/v1/mec_hosts'},
                    {'method': 'GET', 'path': '/v1/mec_hosts/{host_id}'}]),
    policy.DocumentedRuleDefault(
        name='mec:mec_host:get:internal',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='See the internal fields of MEC hosts: mep_endpoint '
                    'and the VIM-side details.',
        operations=[{'method': 'GET', 'path': '/v1/mec_hosts'},
                    {'method': 'GET', 'path': '/v1/mec_hosts/{host_id}'}]),
    policy.DocumentedRuleDefault(
        name='mec:mec_host:update',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='Set the fields of a MEC host that the VIM cannot '
                    'know: name, description, location, MEC platform '
                    'endpoint and services, latencies, enabled.',
        operations=[{'method': 'PATCH',
                     'path': '/v1/mec_hosts/{host_id}'}]),
]


def list_rules():
    return rules
