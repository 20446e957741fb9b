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
"""Policy rules of the operator view of the MEC platforms (``/v1``).

What the platforms hold of an app instance (its traffic and DNS rules,
its state on the platform) and the services its apps registered (MEC
011) belong to the instance's project: its readers may see them, admins
see every project's.
"""

from oslo_policy import policy

from mec_orchestrator.policies import base

_RULES = '/v1/app_instances/{appInstanceId}/rules'
_SERVICES = '/v1/mec_services'


def _rule(name, description, operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=base.PROJECT_READER_OR_ADMIN,
        scope_types=['project'], description=description,
        operations=operations)


rules = [
    _rule('mec:platform:rule:list',
          'List the traffic and DNS rules of an app instance, with the '
          'state the data plane has.',
          [{'method': 'GET', 'path': _RULES}]),
    _rule('mec:platform:rule:get',
          'Show a traffic or DNS rule of an app instance, and the state '
          'of the app instance on its MEC platform.',
          [{'method': 'GET', 'path': _RULES + '/{ruleId}'},
           {'method': 'GET',
            'path': '/v1/app_instances/{appInstanceId}/platform'}]),
    _rule('mec:platform:service:list',
          'List the services registered on the MEC platforms by the app '
          'instances of the project (all projects for admins).',
          [{'method': 'GET', 'path': _SERVICES}]),
    _rule('mec:platform:service:get',
          'Show a service registered on a MEC platform.',
          [{'method': 'GET', 'path': _SERVICES + '/{serInstanceId}'}]),
]


def list_rules():
    return rules
