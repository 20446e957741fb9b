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
import oslo_messaging as messaging

from mec_orchestrator.common import context
from mec_orchestrator.common import exception
from mec_orchestrator.common import rpc
from mec_orchestrator.tests import base


class _Endpoint(object):
    target = messaging.Target(version='1.1')

    def __init__(self):
        self.seen = []

    def echo(self, ctxt, value=None):
        self.seen.append((ctxt, value))
        return {'value': value, 'project': ctxt.project_id}

    @messaging.expected_exceptions(exception.Conflict)
    def conflict(self, ctxt):
        raise exception.Conflict(reason='busy')


class TestLocalRPC(base.TestCase):

    def setUp(self):
        super().setUp()
        self.endpoint = _Endpoint()
        target = messaging.Target(topic='t', server='s')
        self.server = rpc.get_server(target, [self.endpoint])
        self.server.start()
        self.addCleanup(self.server.stop)
        self.client = rpc.get_client(messaging.Target(topic='t',
                                                      version='1.0'),
                                     version_cap='1.1')
        self.ctxt = context.RequestContext(project_id='p1', user_id='u1')

    def test_call_crosses_as_json(self):
        answer = self.client.prepare(version='1.1').call(
            self.ctxt, 'echo', value=('a', 1))
        # A tuple crosses the wire as a list, as it would on RabbitMQ.
        self.assertEqual({'value': ['a', 1], 'project': 'p1'}, answer)
        remote_ctxt, _ = self.endpoint.seen[0]
        self.assertIsNot(self.ctxt, remote_ctxt)
        self.assertEqual('u1', remote_ctxt.user_id)

    def test_expected_exception_is_reraised(self):
        exc = self.assertRaises(exception.Conflict, self.client.call,
                                self.ctxt, 'conflict')
        self.assertIn('busy', str(exc))

    def test_unknown_method(self):
        self.assertRaises(messaging.NoSuchMethod, self.client.call,
                          self.ctxt, 'nothing')

    def test_private_method_not_exposed(self):
        self.assertRaises(messaging.NoSuchMethod, self.client.call,
                          self.ctxt, '__init__')

    def test_version_cap(self):
        self.assertTrue(self.client.can_send_version('1.1'))
        self.assertFalse(self.client.can_send_version('1.2'))
        self.assertRaises(messaging.RPCVersionCapError,
                          self.client.prepare(version='1.2').call,
                          self.ctxt, 'echo')

    def test_endpoint_too_old(self):
        client = rpc.get_client(messaging.Target(topic='t', version='1.2'))
        self.assertRaises(messaging.NoSuchMethod, client.call, self.ctxt,
                          'echo')

    def test_cast_runs_in_background(self):
        self.client.cast(self.ctxt, 'echo', value='x')
        rpc._LOCAL.executor.shutdown(wait=True)
        self.assertEqual('x', self.endpoint.seen[0][1])

    def test_no_server(self):
        self.server.stop()
        self.assertRaises(exception.NoConductorAvailable, self.client.call,
                          self.ctxt, 'echo')
