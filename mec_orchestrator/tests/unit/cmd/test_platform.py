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
"""mec-platform-api's DNS responder start."""

import socket

from mec_orchestrator.cmd import platform
from mec_orchestrator.tests import base


class TestDnsResponderStart(base.DbTestCase):

    def _taken_port(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(('127.0.0.1', 0))
        self.addCleanup(sock.close)
        return sock.getsockname()[1]

    def test_starts_on_the_configured_port(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        sock.close()
        self.config(dns_port=port, group='platform')
        responder = platform.start_dns_responder()
        self.addCleanup(responder.stop)
        self.assertEqual(port, responder.port)

    def test_a_taken_port_fails_the_platform_but_not_the_aio(self):
        self.config(dns_port=self._taken_port(), group='platform')
        self.assertRaises(OSError, platform.start_dns_responder)
        self.assertIsNone(platform.start_dns_responder(tolerant=True))
        self.assertIn('DNS rules are not answered', self.log.output)

    def test_off(self):
        self.config(dns_port=0, group='platform')
        self.assertIsNone(platform.start_dns_responder())
        self.config(dns_port=5354, dns_driver='designate', group='platform')
        self.assertIsNone(platform.start_dns_responder())
