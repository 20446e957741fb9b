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
"""keystonemiddleware in front of the API (token validation faked by
keystonemiddleware's own fixture; the functional tests use a real Keystone).
"""

import uuid

from keystonemiddleware import fixture as ksm_fixture
import webtest

from mec_orchestrator.api import app
from mec_orchestrator.tests.unit.api import base


class TestAuthToken(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config(auth_strategy='keystone')
        self.config(www_authenticate_uri='http://keystone.invalid/v3',
                    group='keystone_authtoken')
        self.tokens = self.useFixture(ksm_fixture.AuthTokenFixture())
        self.app = webtest.TestApp(app.setup_app())

    def _token(self, roles, project_id='project-a'):
        token_id = uuid.uuid4().hex
        self.tokens.add_token_data(
            token_id=token_id, user_id='user-1', project_id=project_id,
            role_list=roles, project_domain_id='default',
            user_domain_id='default')
        return token_id

    def test_versions_need_no_token(self):
        self.assertEqual(200, self.app.get('/').status_int)

    def test_no_token_is_401(self):
        resp = self.app.get('/v1/conductors', expect_errors=True)
        self.assertProblem(resp, 401)
        self.assertIn('keystone.invalid', resp.headers['WWW-Authenticate'])

    def test_bogus_token_is_401(self):
        resp = self.app.get('/v1/conductors',
                            headers={'X-Auth-Token': 'bogus'},
                            expect_errors=True)
        self.assertProblem(resp, 401)

    def test_member_is_403(self):
        token = self._token(['member', 'reader'])
        resp = self.app.get('/v1/conductors',
                            headers={'X-Auth-Token': token},
                            expect_errors=True)
        self.assertProblem(resp, 403, 'mec:conductor:get')

    def test_admin_is_200(self):
        token = self._token(['admin', 'member', 'reader'])
        resp = self.app.get('/v1/conductors',
                            headers={'X-Auth-Token': token})
        self.assertEqual(['test-conductor'],
                         [c['hostname'] for c in resp.json['conductors']])

    def test_forged_identity_headers_are_ignored(self):
        token = self._token(['reader'])
        resp = self.app.get('/v1/conductors',
                            headers={'X-Auth-Token': token,
                                     'X-Roles': 'admin'},
                            expect_errors=True)
        self.assertProblem(resp, 403)

    def test_unknown_url_without_token_is_401_not_404(self):
        # Nothing about the API's shape leaks to anonymous clients.
        resp = self.app.get('/v1/nothing', expect_errors=True)
        self.assertProblem(resp, 401)
