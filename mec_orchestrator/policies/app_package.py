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
"""Policy rules of /app_pkgm/v1: app packages and their subscriptions."""

from oslo_policy import policy

from mec_orchestrator.policies import base

_PKGS = '/app_pkgm/v1/app_packages'
_SUBS = '/app_pkgm/v1/subscriptions'


def _rule(name, check_str, description, operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, scope_types=['project'],
        description=description, operations=operations)


rules = [
    _rule('mec:app_package:create', base.PROJECT_MEMBER_OR_ADMIN,
          'Create an app package (to upload, or to fetch from appPkgPath).',
          [{'method': 'POST', 'path': _PKGS}]),
    _rule('mec:app_package:get', base.PROJECT_READER_OR_ADMIN,
          'List and show app packages and read their AppD.',
          [{'method': 'GET', 'path': _PKGS},
           {'method': 'GET', 'path': _PKGS + '/{appPkgId}'},
           {'method': 'GET', 'path': _PKGS + '/{appPkgId}/appd'},
           {'method': 'GET',
            'path': '/app_pkgm/v1/onboarded_app_packages/{appDId}/appd'}]),
    _rule('mec:app_package:download', base.PROJECT_READER_OR_ADMIN,
          'Download the content of an onboarded app package.',
          [{'method': 'GET', 'path': _PKGS + '/{appPkgId}/package_content'},
           {'method': 'GET', 'path': '/app_pkgm/v1/onboarded_app_packages/'
                                     '{appDId}/package_content'}]),
    _rule('mec:app_package:upload', base.PROJECT_MEMBER_OR_ADMIN,
          'Upload the content of an app package.',
          [{'method': 'PUT', 'path': _PKGS + '/{appPkgId}/package_content'},
           {'method': 'PUT', 'path': '/app_pkgm/v1/onboarded_app_packages/'
                                     '{appDId}/package_content'}]),
    _rule('mec:app_package:update', base.PROJECT_MEMBER_OR_ADMIN,
          'Enable or disable an app package.',
          [{'method': 'PATCH', 'path': _PKGS + '/{appPkgId}'}]),
    _rule('mec:app_package:delete', base.PROJECT_MEMBER_OR_ADMIN,
          'Delete an app package.',
          [{'method': 'DELETE', 'path': _PKGS + '/{appPkgId}'}]),
    _rule('mec:app_package:subscription:create',
          base.PROJECT_MEMBER_OR_ADMIN,
          'Subscribe to app package notifications.',
          [{'method': 'POST', 'path': _SUBS}]),
    _rule('mec:app_package:subscription:get', base.PROJECT_READER_OR_ADMIN,
          'List and show app package subscriptions.',
          [{'method': 'GET', 'path': _SUBS},
           {'method': 'GET', 'path': _SUBS + '/{subscriptionId}'}]),
    _rule('mec:app_package:subscription:delete',
          base.PROJECT_MEMBER_OR_ADMIN,
          'Delete an app package subscription.',
          [{'method': 'DELETE', 'path': _SUBS + '/{subscriptionId}'}]),
]


def list_rules():
    return rules
