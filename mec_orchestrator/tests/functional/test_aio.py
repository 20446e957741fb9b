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
"""The all-in-one, run as a user runs it."""

import os
import signal

import requests

from mec_orchestrator.tests.functional import base


class TestAllInOne(base.FunctionalTestCase):

    def test_serves_versions_and_its_conductor(self):
        port = base.free_port()
        state_dir = os.path.join(self.tmp, 'state')
        aio = self.useFixture(base.ServiceProcess(
            ['mec-orchestrator-aio', '--port', str(port),
             '--state-dir', state_dir],
            os.path.join(self.tmp, 'aio.log')))
        url = 'http://127.0.0.1:%d' % port
        base.wait_for(lambda: requests.get(url + '/', timeout=5).ok,
                      timeout=60, what='the all-in-one to serve')

        versions = requests.get(url + '/', timeout=5).json()
        self.assertEqual('v1', versions['default_version']['id'])
        self.assertEqual(url + '/v1/',
                         versions['versions'][0]['links'][0]['href'])

        conductors = requests.get(url + '/v1/conductors',
                                  timeout=5).json()['conductors']
        self.assertEqual(1, len(conductors))
        self.assertTrue(conductors[0]['alive'])

        # In-process RPC: a round trip costs well under a millisecond,
        # not the 50 ms of oslo.messaging's fake driver.
        hostname = conductors[0]['hostname']
        times = sorted(
            requests.post('%s/v1/conductors/%s/ping' % (url, hostname),
                          timeout=5).json()['round_trip_ms']
            for _ in range(20))
        self.assertLess(times[10], 10, times)

        resp = requests.get(url + '/v1/nothing', timeout=5)
        self.assertEqual(404, resp.status_code)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])

        self.assertTrue(os.path.exists(
            os.path.join(state_dir, 'mec-orchestrator.sqlite')))
        self.assertIn('Serving the API on %s/' % url, aio.output())

        aio.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, aio.process.wait(30), aio.output())
        self.assertIn('Conductor %s stopped' % hostname, aio.output())

    def test_restart_keeps_state(self):
        port = base.free_port()
        state_dir = os.path.join(self.tmp, 'state')
        url = 'http://127.0.0.1:%d' % port
        outputs = []
        for attempt in range(2):
            aio = self.useFixture(base.ServiceProcess(
                ['mec-orchestrator-aio', '--port', str(port),
                 '--state-dir', state_dir],
                os.path.join(self.tmp, 'aio-%d.log' % attempt)))
            base.wait_for(
                lambda: requests.get(url + '/v1/conductors',
                                     timeout=5).json()['conductors'][0][
                                         'alive'],
                timeout=60, what='the conductor')
            self.assertEqual(0, aio.stop(), aio.output())
            outputs.append(aio.output())
        # The first start migrated the database; the second found it
        # current and registered the same conductor again.
        self.assertIn('Upgrading the database schema from None', outputs[0])
        self.assertNotIn('Upgrading the database schema', outputs[1])
