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
"""Policy rules of /granting/v1: grants asked by a MEPM."""

from oslo_policy import policy

from mec_orchestrator.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='mec:grant:create',
        check_str=base.ADMIN_OR_SERVICE,
        scope_types=['project'],
        description='Ask the MEO for a grant (a MEPM, with the service '
                    'role).',
        operations=[{'method': 'POST', 'path': '/granting/v1/grants'}]),
    policy.DocumentedRuleDefault(
        name='mec:grant:get',
        check_str=base.ADMIN_OR_SERVICE,
        scope_types=['project'],
        description='Read a grant.',
        operations=[{'method': 'GET',
                     'path': '/granting/v1/grants/{grantId}'}]),
]


def list_rules():
    return rules
