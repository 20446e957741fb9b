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
"""Base of the API tests: the real WSGI pipeline in webtest."""

import fixtures
import webtest

from mec_orchestrator.api import app
from mec_orchestrator.common import rpc_service
from mec_orchestrator.tests import base


class ApiTestCase(base.DbTestCase):
    """The API with a conductor in the same process (local RPC)."""

    #: Whether to start a conductor for the test.
    start_conductor = True

    def setUp(self):
        super().setUp()
        # futurist's idle workers look for work once a second: stopping a
        # conductor waits that long for each, unless told to look faster.
        self.useFixture(fixtures.MockPatch(
            'futurist._thread.ThreadWorker.MAX_IDLE_FOR', 0.02))
        if self.start_conductor:
            self.conductor = rpc_service.RPCService('test-conductor')
            self.conductor.start()
            self.addCleanup(self.conductor.stop)
        self.app = webtest.TestApp(app.setup_app())

    def set_identity(self, roles, project_id='project-a', user_id='user-a'):
        """Make the noauth identity the given roles in a project."""
        self.config(roles=roles, project_id=project_id, user_id=user_id,
                    group='noauth')

    def assertProblem(self, resp, status, detail_contains=None):
        """Assert that a response is a ProblemDetails of a status."""
        self.assertEqual(status, resp.status_int)
        self.assertEqual('application/problem+json', resp.content_type)
        body = resp.json
        self.assertEqual(status, body['status'])
        for field in ('type', 'title', 'detail', 'instance'):
            self.assertIn(field, body)
        self.assertNotIn('Traceback', resp.text)
        if detail_contains:
            self.assertIn(detail_contains, body['detail'])
        return body
