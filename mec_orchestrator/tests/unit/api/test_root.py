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
from mec_orchestrator.tests.unit.api import base


class TestRoot(base.ApiTestCase):

    start_conductor = False

    def test_versions(self):
        resp = self.app.get('/')
        self.assertEqual('application/json', resp.content_type)
        body = resp.json
        self.assertEqual(['v1'], [v['id'] for v in body['versions']])
        self.assertEqual('http://localhost/v1/',
                         body['versions'][0]['links'][0]['href'])
        self.assertEqual('v1', body['default_version']['id'])
        self.assertIn('X-OpenStack-Request-ID', resp.headers)

    def test_versions_behind_proxy(self):
        self.config(enable_proxy_headers_parsing=True,
                    group='oslo_middleware')
        resp = self.app.get('/', headers={'X-Forwarded-Proto': 'https',
                                          'X-Forwarded-Host': 'mec.example'})
        self.assertEqual('https://mec.example/v1/',
                         resp.json['versions'][0]['links'][0]['href'])

    def test_public_endpoint(self):
        self.config(public_endpoint='https://api.example/mec/', group='api')
        resp = self.app.get('/')
        self.assertEqual('https://api.example/mec/v1/',
                         resp.json['versions'][0]['links'][0]['href'])

    def test_v1_lists_resources(self):
        resp = self.app.get('/v1')
        self.assertEqual('http://localhost/v1/conductors',
                         resp.json['resources']['conductors']['href'])
