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
"""The secure RBAC personas every resource's rules are built from.

All rules are project-scoped (``scope_types=['project']``): an ETSI
resource belongs to a project, and the admin API is for the cloud's admins,
who hold the ``admin`` role in a project. The ``service`` role is for
the project's own internal callers (a MEPM asking the MEO for a grant, a
platform reporting back).
"""

from oslo_policy import policy

RULE_ADMIN = 'rule:admin'
RULE_SERVICE = 'rule:service'

ADMIN = 'role:admin'
SERVICE = 'role:service'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'

ADMIN_OR_SERVICE = '(%s) or (%s)' % (ADMIN, SERVICE)
PROJECT_MEMBER_OR_ADMIN = '(%s) or (%s)' % (ADMIN, PROJECT_MEMBER)
PROJECT_READER_OR_ADMIN = '(%s) or (%s)' % (ADMIN, PROJECT_READER)
#: A reader of any project: for resources that are not tenant data but that
#: every project may see (a filtered view of the MEC hosts, for instance).
ANY_READER = 'role:reader'

rules = [
    policy.RuleDefault(
        name='admin',
        check_str=ADMIN,
        description='The cloud administrator persona.'),
    policy.RuleDefault(
        name='service',
        check_str=SERVICE,
        description='Internal service callers (MEPM, platforms).'),
]


def list_rules():
    return rules
