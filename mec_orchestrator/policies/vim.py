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
"""Policy rules of the admin API's VIMs resource.

VIMs are the cloud's infrastructure: only admins see or change them, and
their credentials are never returned to anyone.
"""

from oslo_policy import policy

from mec_orchestrator.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='mec:vim:create',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='Register a VIM (its credentials are checked against '
                    'the VIM, then stored encrypted).',
        operations=[{'method': 'POST', 'path': '/v1/vims'}]),
    policy.DocumentedRuleDefault(
        name='mec:vim:get',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='List VIMs and show one (never their credentials).',
        operations=[{'method': 'GET', 'path': '/v1/vims'},
                    {'method': 'GET', 'path': '/v1/vims/{vim_id}'}]),
    policy.DocumentedRuleDefault(
        name='mec:vim:update',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='Update a VIM (a new access or credentials are checked '
                    'against the VIM first).',
        operations=[{'method': 'PATCH', 'path': '/v1/vims/{vim_id}'}]),
    policy.DocumentedRuleDefault(
        name='mec:vim:delete',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='Delete a VIM and its MEC hosts (refused while app '
                    'instances run on them).',
        operations=[{'method': 'DELETE', 'path': '/v1/vims/{vim_id}'}]),
    policy.DocumentedRuleDefault(
        name='mec:vim:check',
        check_str=base.ADMIN,
        scope_types=['project'],
        description='Check a VIM now and refresh its MEC hosts.',
        operations=[{'method': 'POST', 'path': '/v1/vims/{vim_id}/check'}]),
]


def list_rules():
    return rules
