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
"""Policy rules of the admin API's conductors resource."""

from oslo_policy import policy

from mec_orchestrator.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='mec:conductor:get',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='List conductors, show one (host, site, last '
                    'heartbeat, whether it is alive) and ping one over the '
                    'message bus.',
        operations=[
            {'method': 'GET', 'path': '/v1/conductors'},
            {'method': 'GET', 'path': '/v1/conductors/{hostname}'},
            {'method': 'POST', 'path': '/v1/conductors/{hostname}/ping'},
        ]),
]


def list_rules():
    return rules
