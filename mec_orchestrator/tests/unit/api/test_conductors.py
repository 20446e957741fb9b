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
import datetime

from oslo_utils import timeutils

from mec_orchestrator.conductor import manager
from mec_orchestrator.tests.unit.api import base


class TestConductors(base.ApiTestCase):

    def test_list_shows_the_live_conductor(self):
        body = self.app.get('/v1/conductors').json
        self.assertEqual(1, len(body['conductors']))
        conductor = body['conductors'][0]
        self.assertEqual('test-conductor', conductor['hostname'])
        self.assertTrue(conductor['alive'])
        self.assertTrue(conductor['online'])
        self.assertTrue(conductor['last_heartbeat'].endswith('Z'))
        self.assertEqual('http://localhost/v1/conductors/test-conductor',
                         conductor['links'][0]['href'])
        self.assertNotIn('next', body)

    def test_show(self):
        body = self.app.get('/v1/conductors/test-conductor').json
        self.assertEqual('test-conductor', body['hostname'])
        self.assertIsNone(body['site'])

    def test_dead_conductor_is_not_alive(self):
        self.dbapi.register_conductor({'hostname': 'old', 'site': 'edge-1'})
        past = timeutils.utcnow() - datetime.timedelta(hours=1)
        with _frozen(past):
            self.dbapi.touch_conductor('old')
        body = self.app.get('/v1/conductors/old').json
        self.assertFalse(body['alive'])
        self.assertEqual('edge-1', body['site'])

    def test_stopped_conductor_is_offline(self):
        self.conductor.stop()
        self.conductor = None
        body = self.app.get('/v1/conductors/test-conductor').json
        self.assertFalse(body['online'])
        self.assertFalse(body['alive'])

    def test_paging(self):
        for name in ('c-1', 'c-2', 'c-3'):
            self.dbapi.register_conductor({'hostname': name})
        body = self.app.get('/v1/conductors?limit=2').json
        self.assertEqual(['c-1', 'c-2'],
                         [c['hostname'] for c in body['conductors']])
        self.assertEqual(
            'http://localhost/v1/conductors?limit=2&marker=c-2',
            body['next'])
        body = self.app.get(body['next']).json
        self.assertEqual(['c-3', 'test-conductor'],
                         [c['hostname'] for c in body['conductors']])

    def test_ping_goes_through_rpc(self):
        resp = self.app.post('/v1/conductors/test-conductor/ping')
        body = resp.json
        self.assertEqual('test-conductor', body['hostname'])
        self.assertEqual(manager.ConductorManager.RPC_API_VERSION,
                         body['rpc_api_version'])
        self.assertEqual(resp.headers['X-OpenStack-Request-ID'],
                         body['payload'])
        self.assertGreaterEqual(body['round_trip_ms'], 0)

    def test_reader_cannot_list(self):
        self.set_identity(['reader'])
        self.assertProblem(self.app.get('/v1/conductors',
                                        expect_errors=True), 403)

    def test_admin_of_another_project_can_list(self):
        self.set_identity(['admin'], project_id='other')
        self.assertEqual(200, self.app.get('/v1/conductors').status_int)


class _frozen(object):
    """Freeze oslo.utils' clock at a time."""

    def __init__(self, when):
        self.when = when

    def __enter__(self):
        timeutils.set_time_override(self.when)

    def __exit__(self, *exc):
        timeutils.clear_time_override()
