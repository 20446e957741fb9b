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
"""API -> RabbitMQ -> a real conductor process -> back."""

import os
import signal

import webtest

from mec_orchestrator.api import app
from mec_orchestrator.common import rpc
from mec_orchestrator.conductor import manager
from mec_orchestrator.db import migration
from mec_orchestrator.tests.functional import base


class TestRabbitMQRoundTrip(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        transport_url = base.rabbit_url(self)
        exchange = base.bus_exchange()
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.host = 'conductor-%s' % os.getpid()
        conf_file = os.path.join(self.tmp, 'mec.conf')
        base.write_config(conf_file, {
            'DEFAULT': {'transport_url': transport_url, 'host': self.host,
                        'control_exchange': exchange},
            'database': {'connection': db.url},
            'conductor': {'topic': exchange,
                          'heartbeat_interval': 1, 'heartbeat_timeout': 5,
                          'rpc_timeout': 5},
        })
        self.config(connection=db.url, group='database')
        self.useFixture(base.DatabaseEngine(db.url))
        migration.upgrade()
        self.conductor = self.useFixture(base.ServiceProcess(
            ['mec-orchestrator-conductor', '--config-file', conf_file],
            os.path.join(self.tmp, 'conductor.log')))
        # The API side: this process, on the same RabbitMQ and database.
        rpc.register_opts()
        self.config(rpc_transport='oslo', transport_url=transport_url,
                    control_exchange=exchange)
        self.config(topic=exchange, rpc_timeout=5, heartbeat_timeout=5,
                    group='conductor')
        self.api = webtest.TestApp(app.setup_app())

    def _conductor(self):
        resp = self.api.get('/v1/conductors/%s' % self.host,
                            expect_errors=True)
        return resp.json if resp.status_int == 200 else None

    def _ping(self):
        resp = self.api.post('/v1/conductors/%s/ping' % self.host,
                             expect_errors=True)
        return resp.json if resp.status_int == 200 else None

    def test_ping_round_trip_and_clean_stop(self):
        base.wait_for(lambda: (self._conductor() or {}).get('alive'),
                      timeout=60, what='the conductor to register')
        # The RPC server starts consuming right after registering.
        answer = base.wait_for(self._ping, timeout=30, what='a ping answer')
        self.assertEqual(self.host, answer['hostname'], answer)
        self.assertEqual(manager.ConductorManager.RPC_API_VERSION,
                         answer['rpc_api_version'])
        self.assertLess(answer['round_trip_ms'], 5000)

        times = []
        for _ in range(20):
            resp = self.api.post('/v1/conductors/%s/ping' % self.host)
            times.append(resp.json['round_trip_ms'])
        times.sort()
        # RabbitMQ round trips take milliseconds; a median near a second
        # would mean a broken consumer.
        self.assertLess(times[len(times) // 2], 200, times)

        # A clean stop unregisters the conductor.
        self.conductor.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, self.conductor.process.wait(30),
                         self.conductor.output())
        body = self._conductor()
        self.assertFalse(body['online'])
        self.assertFalse(body['alive'])

        # Nobody answers now: 503 after the RPC timeout, not a hang.
        resp = self.api.post('/v1/conductors/%s/ping' % self.host,
                             expect_errors=True)
        self.assertEqual(503, resp.status_int, resp.text)
        self.assertEqual('application/problem+json', resp.content_type)
        self.assertIn(self.host, resp.json['detail'])

        # oslo.service ran the conductor on its threading backend.
        self.assertIn('oslo_service.backend._threading',
                      self.conductor.output())
