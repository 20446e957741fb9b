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
from mec_orchestrator.common import context
from mec_orchestrator.common import policy
from mec_orchestrator import policies
from mec_orchestrator.tests import base


def _ctx(*roles, project='p1'):
    return context.RequestContext(user_id='u', project_id=project,
                                  roles=list(roles))


class TestVimAndHostPolicies(base.TestCase):

    def _allowed(self, rule, ctx):
        return policy.check(rule, {'project_id': ctx.project_id}, ctx)

    def test_rules_are_documented_and_project_scoped(self):
        rules = {r.name: r for r in policies.list_rules()}
        for name in ('mec:vim:create', 'mec:vim:get', 'mec:vim:update',
                     'mec:vim:delete', 'mec:vim:check',
                     'mec:mec_host:get', 'mec:mec_host:get:internal',
                     'mec:mec_host:update'):
            self.assertEqual(['project'], rules[name].scope_types, name)
            self.assertTrue(rules[name].description, name)
            self.assertTrue(rules[name].operations, name)

    def test_vims_are_for_admins_only(self):
        for rule in ('mec:vim:create', 'mec:vim:get', 'mec:vim:update',
                     'mec:vim:delete', 'mec:vim:check'):
            self.assertTrue(self._allowed(rule, _ctx('admin')))
            self.assertFalse(self._allowed(rule, _ctx('member', 'reader')))
            self.assertFalse(self._allowed(rule, _ctx('reader')))

    def test_hosts_readable_by_any_reader_internals_by_admins(self):
        for ctx in (_ctx('reader'), _ctx('reader', project='other'),
                    _ctx('admin')):
            self.assertTrue(self._allowed('mec:mec_host:get', ctx))
        self.assertFalse(self._allowed('mec:mec_host:get', _ctx('member')))
        self.assertFalse(self._allowed('mec:mec_host:get:internal',
                                       _ctx('reader', 'member')))
        self.assertTrue(self._allowed('mec:mec_host:get:internal',
                                      _ctx('admin')))
        self.assertFalse(self._allowed('mec:mec_host:update',
                                       _ctx('reader', 'member')))
        self.assertTrue(self._allowed('mec:mec_host:update',
                                      _ctx('admin')))
