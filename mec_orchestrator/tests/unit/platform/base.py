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
"""Base of the Mp1 API tests: the platform's WSGI pipeline in webtest."""

import base64

import fixtures
import webtest

from mec_orchestrator.platform import app
from mec_orchestrator.platform import auth
from mec_orchestrator.tests import base


class PlatformTestCase(base.DbTestCase):
    """The Mp1 API on an empty database, with helpers to make apps."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MockPatch(
            'futurist._thread.ThreadWorker.MAX_IDLE_FOR', 0.02))
        self.app = webtest.TestApp(app.setup_app())

    def make_app(self, app_instance_id, state='CONFIGURED', rules=(),
                 mec_host_id='host-1', project_id='project-a'):
        """Configure an app on the platform as the MEPM does.

        :returns: (the MepApp row, its clear client secret).
        """
        secret, encrypted = auth.new_secret()
        row = self.dbapi.configure_mep_app(
            {'id': app_instance_id, 'project_id': project_id,
             'mec_host_id': mec_host_id, 'app_name': 'app',
             'state': state, 'confirm_ready': True,
             'client_secret': encrypted}, rules=rules)
        return row, secret

    def token(self, app_instance_id, secret):
        """An access token from /mep/token (client_secret_basic)."""
        basic = base64.b64encode(
            ('%s:%s' % (app_instance_id, secret)).encode()).decode()
        resp = self.app.post(
            '/mep/token', 'grant_type=client_credentials',
            headers={'Authorization': 'Basic ' + basic,
                     'Content-Type': 'application/x-www-form-urlencoded'})
        return resp.json['access_token']

    def headers_for(self, app_instance_id, secret=None):
        """Authorization headers of an app (made if secret is None)."""
        if secret is None:
            _row, secret = self.make_app(app_instance_id)
        return {'Authorization': 'Bearer ' + self.token(app_instance_id,
                                                        secret)}

    def assertProblem(self, resp, status, detail_contains=None):
        """Assert that a response is a ProblemDetails of a status."""
        self.assertEqual(status, resp.status_int)
        self.assertEqual('application/problem+json', resp.content_type)
        body = resp.json
        self.assertEqual(status, body['status'])
        self.assertNotIn('Traceback', resp.text)
        if detail_contains:
            self.assertIn(detail_contains, body['detail'])
        return body
