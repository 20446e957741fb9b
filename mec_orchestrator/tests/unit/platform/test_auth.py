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
"""Mp1 credentials: the token endpoint and the bearer check."""

import base64
import time

from mec_orchestrator.platform import auth
from mec_orchestrator.tests.unit.platform import base

FORM = {'Content-Type': 'application/x-www-form-urlencoded'}
APP = '7d6a2b1c-0000-4000-8000-000000000001'
OTHER = '7d6a2b1c-0000-4000-8000-000000000002'


class TestToken(base.PlatformTestCase):

    def setUp(self):
        super().setUp()
        self.row, self.secret = self.make_app(APP)

    def _basic(self, client_id, secret):
        return 'Basic ' + base64.b64encode(
            ('%s:%s' % (client_id, secret)).encode()).decode()

    def test_basic_credentials_give_a_bearer_token(self):
        resp = self.app.post(
            '/mep/token', 'grant_type=client_credentials',
            headers=dict(FORM, Authorization=self._basic(APP, self.secret)))
        self.assertEqual('Bearer', resp.json['token_type'])
        self.assertEqual(3600, resp.json['expires_in'])
        self.assertEqual('no-store', resp.headers['Cache-Control'])
        self.assertEqual(APP, auth.verify_token(resp.json['access_token']))

    def test_form_credentials(self):
        resp = self.app.post(
            '/mep/token', 'grant_type=client_credentials&client_id=%s&'
            'client_secret=%s' % (APP, self.secret), headers=FORM)
        self.assertIn('access_token', resp.json)

    def test_wrong_secret_unknown_client_and_grant(self):
        for client, secret in ((APP, 'wrong'), (OTHER, self.secret),
                               ('', '')):
            resp = self.app.post(
                '/mep/token', 'grant_type=client_credentials',
                headers=dict(FORM, Authorization=self._basic(client, secret)),
                status=401)
            self.assertEqual('invalid_client', resp.json['error'])
            self.assertNotIn(self.secret, resp.text)
        resp = self.app.post(
            '/mep/token', 'grant_type=password',
            headers=dict(FORM, Authorization=self._basic(APP, self.secret)),
            status=400)
        self.assertEqual('unsupported_grant_type', resp.json['error'])
        resp = self.app.post_json('/mep/token', {'grant_type': 'x'},
                                  status=400)
        self.assertEqual('invalid_request', resp.json['error'])
        resp = self.app.post(
            '/mep/token', 'grant_type=client_credentials',
            headers=dict(FORM, Authorization='Basic %%%'), status=401)
        self.app.get('/mep/token', status=405)

    def test_secret_is_kept_encrypted(self):
        row = self.dbapi.get_mep_app(APP)
        self.assertNotIn(self.secret, row.client_secret)
        self.assertEqual(self.secret, auth.reveal_secret(row.client_secret))


class TestBearer(base.PlatformTestCase):

    URL = '/mec_app_support/v1/applications/%s/traffic_rules'

    def test_missing_bad_and_expired_tokens_are_401(self):
        _row, secret = self.make_app(APP)
        resp = self.app.get(self.URL % APP, status=401)
        self.assertProblem(resp, 401, 'Bearer')
        for value in ('Bearer', 'Bearer nonsense', 'Basic abc',
                      'Bearer ' + auth.issue_token(APP, now=time.time()
                                                   - 7200)[0]):
            resp = self.app.get(self.URL % APP,
                                headers={'Authorization': value},
                                status=401)
            self.assertProblem(resp, 401)

    def test_token_of_a_forgotten_app_is_401(self):
        headers = self.headers_for(APP)
        self.dbapi.destroy_mep_app(APP)
        resp = self.app.get(self.URL % APP, headers=headers, status=401)
        self.assertProblem(resp, 401, 'not served')

    def test_root_is_public(self):
        resp = self.app.get('/')
        self.assertEqual('/mep/token', resp.json['token_endpoint'])
