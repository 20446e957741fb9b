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
"""Policy rules of /app_lcm/v1: app instances, op-occs, subscriptions."""

from oslo_policy import policy

from mec_orchestrator.policies import base

_INST = '/app_lcm/v1/app_instances'
_OPS = '/app_lcm/v1/app_lcm_op_occs'
_SUBS = '/app_lcm/v1/subscriptions'


def _rule(name, check_str, description, operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, scope_types=['project'],
        description=description, operations=operations)


rules = [
    _rule('mec:app_instance:create', base.PROJECT_MEMBER_OR_ADMIN,
          'Create an app instance identifier from an onboarded AppD.',
          [{'method': 'POST', 'path': _INST}]),
    _rule('mec:app_instance:get', base.PROJECT_READER_OR_ADMIN,
          'List and show app instances.',
          [{'method': 'GET', 'path': _INST},
           {'method': 'GET', 'path': _INST + '/{appInstanceId}'}]),
    _rule('mec:app_instance:delete', base.PROJECT_MEMBER_OR_ADMIN,
          'Delete a NOT_INSTANTIATED app instance.',
          [{'method': 'DELETE', 'path': _INST + '/{appInstanceId}'}]),
    _rule('mec:app_instance:instantiate', base.PROJECT_MEMBER_OR_ADMIN,
          'Instantiate an app instance.',
          [{'method': 'POST',
            'path': _INST + '/{appInstanceId}/instantiate'}]),
    _rule('mec:app_instance:terminate', base.PROJECT_MEMBER_OR_ADMIN,
          'Terminate an app instance.',
          [{'method': 'POST', 'path': _INST + '/{appInstanceId}/terminate'}]),
    _rule('mec:app_instance:operate', base.PROJECT_MEMBER_OR_ADMIN,
          'Start or stop an app instance.',
          [{'method': 'POST', 'path': _INST + '/{appInstanceId}/operate'}]),
    _rule('mec:app_lcm_op_occ:get', base.PROJECT_READER_OR_ADMIN,
          'List and show lifecycle operation occurrences.',
          [{'method': 'GET', 'path': _OPS},
           {'method': 'GET', 'path': _OPS + '/{appLcmOpOccId}'}]),
    _rule('mec:app_lcm_op_occ:retry', base.PROJECT_MEMBER_OR_ADMIN,
          'Retry a FAILED_TEMP operation.',
          [{'method': 'POST', 'path': _OPS + '/{appLcmOpOccId}/retry'}]),
    _rule('mec:app_lcm_op_occ:rollback', base.PROJECT_MEMBER_OR_ADMIN,
          'Roll back a FAILED_TEMP operation.',
          [{'method': 'POST', 'path': _OPS + '/{appLcmOpOccId}/rollback'}]),
    _rule('mec:app_lcm_op_occ:fail', base.PROJECT_MEMBER_OR_ADMIN,
          'Mark a FAILED_TEMP operation as finally FAILED.',
          [{'method': 'POST', 'path': _OPS + '/{appLcmOpOccId}/fail'}]),
    _rule('mec:app_lcm_op_occ:cancel', base.PROJECT_MEMBER_OR_ADMIN,
          'Cancel an operation in progress.',
          [{'method': 'POST', 'path': _OPS + '/{appLcmOpOccId}/cancel'}]),
    _rule('mec:app_lcm:subscription:create', base.PROJECT_MEMBER_OR_ADMIN,
          'Subscribe to app instance and op-occ notifications.',
          [{'method': 'POST', 'path': _SUBS}]),
    _rule('mec:app_lcm:subscription:get', base.PROJECT_READER_OR_ADMIN,
          'List and show app lifecycle subscriptions.',
          [{'method': 'GET', 'path': _SUBS},
           {'method': 'GET', 'path': _SUBS + '/{subscriptionId}'}]),
    _rule('mec:app_lcm:subscription:delete', base.PROJECT_MEMBER_OR_ADMIN,
          'Delete an app lifecycle subscription.',
          [{'method': 'DELETE', 'path': _SUBS + '/{subscriptionId}'}]),
]


def list_rules():
    return rules
