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
"""Every error is a ProblemDetails; none leaves a row behind."""

from unittest import mock

from mec_orchestrator.tests.unit.api import base


class TestErrors(base.ApiTestCase):

    def test_unknown_url(self):
        resp = self.app.get('/v1/nothing', expect_errors=True)
        self.assertProblem(resp, 404)
        self.assertEqual('/v1/nothing', resp.json['instance'])

    def test_unknown_top_level_url(self):
        self.assertProblem(self.app.get('/nothing/at/all',
                                        expect_errors=True), 404)

    def test_wrong_method(self):
        resp = self.app.delete('/v1/conductors', expect_errors=True)
        self.assertProblem(resp, 405, 'DELETE')
        self.assertIn('GET', resp.headers['Allow'])

    def test_wrong_method_on_root(self):
        self.assertProblem(self.app.post('/', expect_errors=True), 405)

    def test_unknown_conductor(self):
        resp = self.app.get('/v1/conductors/ghost', expect_errors=True)
        self.assertProblem(resp, 404, 'ghost')

    def test_bad_limit(self):
        for limit in ('0', '-1', 'ten'):
            resp = self.app.get('/v1/conductors?limit=%s' % limit,
                                expect_errors=True)
            self.assertProblem(resp, 400, 'limit')

    def test_unknown_query_parameter(self):
        resp = self.app.get('/v1/conductors?colour=red', expect_errors=True)
        self.assertProblem(resp, 400, 'colour')

    def test_body_over_limit_refused_before_reading(self):
        self.config(max_request_body_size=1024, group='api')
        self.app = self._app()
        resp = self.app.post('/v1/conductors/test-conductor/ping',
                             b'x' * 2048,
                             headers={'Content-Type': 'application/json'},
                             expect_errors=True)
        self.assertProblem(resp, 413, '1024')

    def test_chunked_body_over_limit(self):
        self.config(max_request_body_size=1024, group='api')
        app = self._app()
        resp = app.request('/v1/conductors/test-conductor/ping',
                           method='POST', body=b'x' * 4096,
                           headers={'Content-Type': 'application/json',
                                    'Transfer-Encoding': 'chunked'},
                           expect_errors=True)
        # webtest sets a Content-Length whatever the headers say: both
        # paths end in 413.
        self.assertProblem(resp, 413)

    def test_forbidden_by_policy(self):
        self.set_identity(['member', 'reader'])
        resp = self.app.get('/v1/conductors', expect_errors=True)
        self.assertProblem(resp, 403, 'mec:conductor:get')

    def test_client_cannot_forge_roles_in_noauth(self):
        self.set_identity(['reader'])
        resp = self.app.get('/v1/conductors',
                            headers={'X-Roles': 'admin'},
                            expect_errors=True)
        self.assertProblem(resp, 403)

    def test_unexpected_error_hides_internals(self):
        with mock.patch.object(self.dbapi, 'list_conductors',
                               side_effect=RuntimeError('secret-internal')):
            resp = self.app.get('/v1/conductors', expect_errors=True)
        body = self.assertProblem(resp, 500)
        self.assertNotIn('secret-internal', resp.text)
        self.assertEqual('Internal Server Error', body['title'])

    def _app(self):
        import webtest

        from mec_orchestrator.api import app
        return webtest.TestApp(app.setup_app())
