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
"""POST /v1/placement/preview: a dry run over the real pipeline."""

from oslo_utils import uuidutils

from mec_orchestrator.tests.unit.api import base
from mec_orchestrator.tests.unit.conductor import test_placement

URL = '/v1/placement/preview'


class TestPreview(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.set_identity(['admin', 'member', 'reader'])
        appd = test_placement.appd()
        self.app_d_id = appd['appDId']
        self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'project-a',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_d_id': self.app_d_id, 'appd': appd,
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'openstack', 'status': 'REACHABLE', 'site': 'paris'})
        hosts = self.dbapi.sync_mec_hosts(vim.id, [
            {'discovery_key': 'az:%s' % n, 'name': n, 'zone': n,
             'aggregate': None, 'vcpus': 8, 'vcpus_used': 0,
             'memory_mb': 16384, 'memory_mb_used': 0, 'disk_gb': 100,
             'disk_gb_used': 0, 'capacity_source': 'nova', 'details': {}}
            for n in ('a', 'b')])
        self.offering = hosts[0]
        self.dbapi.update_mec_host(self.offering.id, {
            'platform_services': test_placement.LOCATION})

    def test_ranked_hosts_and_reasons_without_claiming(self):
        body = self.app.post_json(URL, {'appDId': self.app_d_id}).json
        self.assertEqual(self.offering.id, body['chosen']['id'])
        self.assertEqual(2, body['considered'])
        self.assertEqual(['services'],
                         [r['filter'] for r in body['rejected']])
        self.assertEqual([], self.dbapi.list_allocations())

    def test_selected_host_that_fails_is_explained(self):
        other = [h for h in self.dbapi.list_mec_hosts()
                 if h.id != self.offering.id][0]
        body = self.app.post_json(URL, {
            'appDId': self.app_d_id,
            'instantiateAppRequest': {'selectedMECHostInfo': [
                {'hostId': other.id}]}}).json
        self.assertIsNone(body['chosen'])
        self.assertIn(other.id, body['rejected'][0]['hosts'])

    def test_errors(self):
        self.assertProblem(self.app.post_json(
            URL, {'appDId': 'nope'}, expect_errors=True), 404)
        self.assertProblem(self.app.post_json(
            URL, {'appDId': 1}, expect_errors=True), 400)
        self.assertProblem(self.app.post_json(
            URL, {'appDId': self.app_d_id, 'x': 1}, expect_errors=True), 400)
        self.set_identity(['member', 'reader'])
        self.assertProblem(self.app.post_json(
            URL, {'appDId': self.app_d_id}, expect_errors=True), 403)
