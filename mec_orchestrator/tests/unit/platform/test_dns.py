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
"""The DNS rules' checks, the DNS responder over real sockets, its driver."""

import socket
import struct
import threading
import time

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.platform import dns as responder
from mec_orchestrator.tests import base

CONF = conf.CONF
HOST = '127.0.0.1'
TIMEOUT = 3


def rule(name='www.example.com', address='192.0.2.10', kind='IP_V4',
         **extra):
    value = {'dnsRuleId': 'dnsRule1', 'domainName': name,
             'ipAddressType': kind, 'ipAddress': address, 'state': 'ACTIVE'}
    value.update(extra)
    return value


class TestValidateRule(base.TestCase):

    def assertInvalid(self, value, *words):
        e = self.assertRaises(exception.Invalid, responder.validate_rule,
                              value)
        for word in words:
            self.assertIn(word, str(e))
        return e

    def test_ipv4(self):
        self.assertEqual(
            (dns.name.from_text('www.example.com.'), dns.rdatatype.A,
             '192.0.2.10'), responder.validate_rule(rule()))

    def test_ipv6_canonical_and_trailing_dot(self):
        name, rdtype, address = responder.validate_rule(rule(
            'V6.Example.com.', '2001:DB8:0::1', 'IP_V6', ttl=30))
        self.assertEqual(dns.name.from_text('v6.example.com'), name)
        self.assertEqual(dns.rdatatype.AAAA, rdtype)
        self.assertEqual('2001:db8::1', address)

    def test_underscore_and_idn(self):
        responder.validate_rule(rule('_svc._tcp.example.com'))
        name, _rdtype, _address = responder.validate_rule(
            rule('bücher.example'))
        self.assertEqual('xn--bcher-kva.example.', name.to_text())

    def test_bad_names(self):
        for name in ('', '.', 'a..example.com', '-a.example.com',
                     'a-.example.com', '*.example.com', 'a b.example.com',
                     'x' * 64 + '.example.com', ('a' * 60 + '.') * 5, None,
                     42):
            self.assertInvalid(rule(name), 'DNS rule dnsRule1', 'domainName')

    def test_address_of_the_other_family(self):
        self.assertInvalid(rule(address='2001:db8::1'), 'dnsRule1',
                           "'2001:db8::1' is not an IPv4 address",
                           'IP_V4')
        self.assertInvalid(rule(address='192.0.2.1', kind='IP_V6'),
                           'is not an IPv6 address')

    def test_bad_addresses(self):
        for address in ('', '192.0.2', '192.0.2.256', 'example.com', None,
                        3232235521):
            self.assertInvalid(rule(address=address), 'ipAddress')
        self.assertInvalid(rule(address='fe80::1%eth0', kind='IP_V6'),
                           'fe80::1%eth0')

    def test_bad_type(self):
        self.assertInvalid(rule(kind='IPV4'),
                           'ipAddressType must be IP_V4 or IP_V6', 'IPV4')

    def test_ttl(self):
        responder.validate_rule(rule(ttl=0))
        responder.validate_rule(rule(ttl=None))
        for ttl in (-1, 2 ** 31, '60', 1.5, True):
            self.assertInvalid(rule(ttl=ttl), 'ttl must be an integer')

    def test_state(self):
        responder.validate_rule(rule(state='INACTIVE'))
        self.assertInvalid(rule(state='ON'), 'state must be')

    def test_rule_without_id_is_named_by_its_name(self):
        value = rule(address='x')
        del value['dnsRuleId']
        self.assertInvalid(value, "DNS rule for 'www.example.com'")

    def test_not_a_dict(self):
        self.assertInvalid(['www.example.com'], 'must be an object')


class ResponderTestCase(base.TestCase):
    """A DnsResponder on 127.0.0.1, on an ephemeral port."""

    def setUp(self):
        super().setUp()
        self.rules = [
            rule(),
            rule(address='192.0.2.11', ttl=300),
            rule('www.example.com.', '2001:db8::10', 'IP_V6', ttl=120),
            rule('Only-V4.Example.COM', '198.51.100.1', ttl=30),
            rule('deep.sub.example.org', '203.0.113.7'),
        ]
        self.calls = 0
        self.now = 1000.0
        self.responder = responder.DnsResponder(
            self.records, host=HOST, port=0, refresh=5,
            clock=lambda: self.now)
        self.responder.start()
        self.addCleanup(self.responder.stop)

    def records(self):
        self.calls += 1
        if isinstance(self.rules, Exception):
            raise self.rules
        return [dict(r) for r in self.rules]

    def udp(self, name, rdtype='A', **kwargs):
        return dns.query.udp(dns.message.make_query(name, rdtype, **kwargs),
                             HOST, port=self.responder.port,
                             timeout=TIMEOUT)

    def tcp(self, name, rdtype='A'):
        return dns.query.tcp(dns.message.make_query(name, rdtype), HOST,
                             port=self.responder.port, timeout=TIMEOUT)

    def addresses(self, answer):
        return sorted(rd.to_text() for rrset in answer.answer for rd in rrset)


class TestAnswers(ResponderTestCase):

    def test_a_over_udp_and_tcp(self):
        for ask in (self.udp, self.tcp):
            answer = ask('www.example.com')
            self.assertEqual(dns.rcode.NOERROR, answer.rcode())
            self.assertTrue(answer.flags & dns.flags.AA)
            self.assertFalse(answer.flags & dns.flags.RA)
            self.assertEqual(['192.0.2.10', '192.0.2.11'],
                             self.addresses(answer))
            rrset = answer.answer[0]
            self.assertEqual(dns.rdatatype.A, rrset.rdtype)
            # One TTL per RRset: the shortest, here the default.
            self.assertEqual(responder.DEFAULT_TTL, rrset.ttl)

    def test_aaaa(self):
        for ask in (self.udp, self.tcp):
            answer = ask('www.example.com', 'AAAA')
            self.assertEqual(['2001:db8::10'], self.addresses(answer))
            self.assertEqual(dns.rdatatype.AAAA, answer.answer[0].rdtype)
            self.assertEqual(120, answer.answer[0].ttl)

    def test_any_gives_both(self):
        answer = self.tcp('www.example.com', 'ANY')
        self.assertEqual(['192.0.2.10', '192.0.2.11', '2001:db8::10'],
                         self.addresses(answer))

    def test_names_are_case_insensitive_with_or_without_dot(self):
        for name in ('only-v4.example.com', 'ONLY-V4.EXAMPLE.COM.',
                     'oNlY-v4.ExAmPlE.cOm'):
            answer = self.udp(name)
            self.assertEqual(['198.51.100.1'], self.addresses(answer))
            self.assertEqual(30, answer.answer[0].ttl)
            # The answer echoes the question's case (0x20 encoding).
            self.assertEqual(dns.name.from_text(name).to_text(),
                             answer.answer[0].name.to_text())

    def test_unknown_name_is_nxdomain(self):
        for ask in (self.udp, self.tcp):
            answer = ask('nothing.example.com')
            self.assertEqual(dns.rcode.NXDOMAIN, answer.rcode())
            self.assertTrue(answer.flags & dns.flags.AA)
            self.assertEqual([], answer.answer)

    def test_known_name_other_type_is_empty_noerror(self):
        for name, rdtype in (('only-v4.example.com', 'AAAA'),
                             ('www.example.com', 'MX'),
                             ('www.example.com', 'TXT')):
            answer = self.udp(name, rdtype)
            self.assertEqual(dns.rcode.NOERROR, answer.rcode())
            self.assertTrue(answer.flags & dns.flags.AA)
            self.assertEqual([], answer.answer)

    def test_empty_non_terminal_is_empty_noerror(self):
        answer = self.udp('sub.example.org')
        self.assertEqual(dns.rcode.NOERROR, answer.rcode())
        self.assertEqual([], answer.answer)
        self.assertEqual(['203.0.113.7'],
                         self.addresses(self.udp('deep.sub.example.org')))

    def test_other_opcode_is_refused(self):
        query = dns.message.make_query('www.example.com', 'A')
        query.set_opcode(dns.opcode.NOTIFY)
        answer = dns.query.udp(query, HOST, port=self.responder.port,
                               timeout=TIMEOUT)
        self.assertEqual(dns.rcode.REFUSED, answer.rcode())
        self.assertEqual(dns.opcode.NOTIFY, answer.opcode())
        self.assertEqual([], answer.answer)

    def test_zone_transfer_and_other_class_are_refused(self):
        self.assertEqual(dns.rcode.REFUSED,
                         self.tcp('www.example.com', 'AXFR').rcode())
        query = dns.message.make_query('www.example.com', 'A',
                                       rdclass=dns.rdataclass.CH)
        answer = dns.query.udp(query, HOST, port=self.responder.port,
                               timeout=TIMEOUT)
        self.assertEqual(dns.rcode.REFUSED, answer.rcode())

    def test_no_recursion(self):
        answer = self.udp('www.openstack.org')
        self.assertEqual(dns.rcode.NXDOMAIN, answer.rcode())
        self.assertFalse(answer.flags & dns.flags.RA)

    def test_udp_answer_too_large_is_truncated(self):
        self.rules = [rule('many.example.com', '10.0.%d.%d' % divmod(i, 250))
                      for i in range(300)]
        self.now += 10
        answer = dns.query.udp(
            dns.message.make_query('many.example.com', 'A', use_edns=False),
            HOST, port=self.responder.port, timeout=TIMEOUT)
        self.assertTrue(answer.flags & dns.flags.TC)
        self.assertEqual(300, len(self.addresses(self.tcp(
            'many.example.com'))))

    def test_rules_that_are_wrong_are_skipped(self):
        self.rules.append(rule('bad..example.com'))
        self.rules.append(rule('v4.example.com', address='2001:db8::1'))
        self.now += 10
        self.assertEqual(['192.0.2.10', '192.0.2.11'],
                         self.addresses(self.udp('www.example.com')))
        self.assertIn('skips a rule', self.log.output)


class TestCache(ResponderTestCase):

    def test_rules_read_once_per_refresh(self):
        for _ in range(20):
            self.udp('www.example.com')
            self.tcp('nothing.example.com')
        self.assertEqual(1, self.calls)
        self.rules = [rule('new.example.com', '192.0.2.99')]
        self.now += 4.9
        self.assertEqual(dns.rcode.NXDOMAIN,
                         self.udp('new.example.com').rcode())
        self.assertEqual(1, self.calls)
        self.now += 0.2
        self.assertEqual(['192.0.2.99'],
                         self.addresses(self.udp('new.example.com')))
        self.assertEqual(dns.rcode.NXDOMAIN,
                         self.udp('www.example.com').rcode())
        self.assertEqual(2, self.calls)

    def test_unreadable_rules_keep_the_last_ones(self):
        self.udp('www.example.com')
        self.rules = RuntimeError('database is gone')
        self.now += 10
        self.assertEqual(['192.0.2.10', '192.0.2.11'],
                         self.addresses(self.udp('www.example.com')))
        self.assertIn('database is gone', self.log.output)
        # The failure is not retried before the next refresh.
        self.udp('www.example.com')
        self.assertEqual(2, self.calls)

    def test_rules_never_read_is_servfail(self):
        self.rules = RuntimeError('database is gone')
        self.assertEqual(dns.rcode.SERVFAIL,
                         self.udp('www.example.com').rcode())


class TestSafety(ResponderTestCase):

    def raw_udp(self, data, timeout=0.5):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.settimeout(timeout)
        sock.sendto(data, (HOST, self.responder.port))
        try:
            return sock.recv(65535)
        except TimeoutError:
            return None

    def test_garbage_over_udp_is_dropped(self):
        for data in (b'', b'\x00', b'garbage' * 3, b'\xff' * 512,
                     dns.message.make_query('www.example.com',
                                            'A').to_wire()[:-3]):
            self.assertIsNone(self.raw_udp(data, timeout=0.2))
        self.assertEqual(dns.rcode.NOERROR,
                         self.udp('www.example.com').rcode())
        self.assertIn('Malformed DNS packet', self.log.output)
        self.assertNotIn('Traceback', self.log.output)

    def test_responses_are_not_answered(self):
        query = dns.message.make_query('www.example.com', 'A')
        response = dns.message.make_response(query)
        self.assertIsNone(self.raw_udp(response.to_wire(), timeout=0.2))
        self.assertIn('DNS response from', self.log.output)

    def test_garbage_over_tcp_closes_the_connection(self):
        sock = socket.create_connection((HOST, self.responder.port),
                                        timeout=TIMEOUT)
        self.addCleanup(sock.close)
        sock.sendall(struct.pack('!H', 9) + b'not a dns')
        self.assertEqual(b'', sock.recv(100))
        self.assertEqual(dns.rcode.NOERROR,
                         self.tcp('www.example.com').rcode())
        self.assertNotIn('Traceback', self.log.output)

    def test_tcp_several_queries_on_one_connection(self):
        sock = socket.create_connection((HOST, self.responder.port),
                                        timeout=TIMEOUT)
        self.addCleanup(sock.close)
        for name in ('www.example.com', 'only-v4.example.com'):
            query = dns.message.make_query(name, 'A')
            # The length prefix split across writes is still read whole.
            wire = query.to_wire(prepend_length=True)
            sock.sendall(wire[:1])
            time.sleep(0.05)
            sock.sendall(wire[1:])
            answer, _when = dns.query.receive_tcp(sock, time.time() + 3)
            self.assertEqual(query.id, answer.id)
            self.assertEqual(dns.rcode.NOERROR, answer.rcode())

    def test_silent_tcp_client_is_disconnected(self):
        self.short_tcp_timeout(0.3)
        sock = socket.create_connection((HOST, self.responder.port),
                                        timeout=TIMEOUT)
        self.addCleanup(sock.close)
        sock.sendall(b'\x00')
        started = time.monotonic()
        self.assertEqual(b'', sock.recv(100))
        self.assertLess(time.monotonic() - started, 2)

    def short_tcp_timeout(self, seconds):
        old = responder.TCP_TIMEOUT
        responder.TCP_TIMEOUT = seconds
        self.addCleanup(setattr, responder, 'TCP_TIMEOUT', old)

    def test_too_many_tcp_clients_are_turned_away(self):
        self.short_tcp_timeout(2)
        socks = []
        for _ in range(responder.MAX_TCP_CLIENTS):
            sock = socket.create_connection((HOST, self.responder.port),
                                            timeout=TIMEOUT)
            self.addCleanup(sock.close)
            socks.append(sock)
        # Each connection is taken in turn: ask on the last one to know
        # that all are being served.
        socks[-1].sendall(dns.message.make_query(
            'www.example.com', 'A').to_wire(prepend_length=True))
        dns.query.receive_tcp(socks[-1], time.time() + 3)
        extra = socket.create_connection((HOST, self.responder.port),
                                         timeout=TIMEOUT)
        self.addCleanup(extra.close)
        self.assertEqual(b'', extra.recv(100))
        # UDP is still answered.
        self.assertEqual(dns.rcode.NOERROR,
                         self.udp('www.example.com').rcode())


class TestStartStop(base.TestCase):

    def test_stop_frees_the_port_and_ends_the_threads(self):
        threads = threading.active_count()
        first = responder.DnsResponder(lambda: [rule()], host=HOST)
        first.start()
        port = first.port
        self.assertIsInstance(port, int)
        self.assertNotEqual(0, port)
        # An idle TCP client does not hold the stop up.
        idle = socket.create_connection((HOST, port), timeout=TIMEOUT)
        self.addCleanup(idle.close)
        dns.query.udp(dns.message.make_query('www.example.com', 'A'), HOST,
                      port=port, timeout=TIMEOUT)
        started = time.monotonic()
        first.stop()
        self.assertLess(time.monotonic() - started, responder.TCP_TIMEOUT)
        self.assertIsNone(first.port)
        self.assertEqual(threads, threading.active_count())
        self.assertRaises((dns.exception.Timeout, ConnectionRefusedError),
                          dns.query.udp,
                          dns.message.make_query('www.example.com', 'A'),
                          HOST, port=port, timeout=0.3)
        second = responder.DnsResponder(lambda: [rule()], host=HOST,
                                        port=port)
        second.start()
        self.addCleanup(second.stop)
        self.assertEqual(port, second.port)
        answer = dns.query.tcp(dns.message.make_query('www.example.com',
                                                      'A'),
                               HOST, port=port, timeout=TIMEOUT)
        self.assertEqual(dns.rcode.NOERROR, answer.rcode())

    def test_port_taken_is_an_error(self):
        first = responder.DnsResponder(list, host=HOST)
        first.start()
        self.addCleanup(first.stop)
        second = responder.DnsResponder(list, host=HOST, port=first.port)
        self.assertRaises(OSError, second.start)
        self.assertIsNone(second.port)

    def test_stop_before_start(self):
        responder.DnsResponder(list).stop()

    def test_make_responder(self):
        self.config(dns_host='127.0.0.2', dns_port=5399, dns_refresh=2.5,
                    group='platform')
        made = responder.make_responder(CONF, list)
        self.assertEqual(('127.0.0.2', 5399, 2.5),
                         (made.host, made.requested_port, made.refresh))
        self.config(dns_port=0, group='platform')
        self.assertIsNone(responder.make_responder(CONF, list))


class TestResponderDriver(base.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = responder.ResponderDnsDriver(CONF)
        self.instance = {'id': 'inst-1'}

    def test_activate_validates_and_names_the_responder(self):
        self.config(dns_host='192.0.2.53', dns_port=53, group='platform')
        self.assertEqual({'responder': '192.0.2.53:53'},
                         self.driver.activate(None, None, self.instance,
                                              rule()))
        self.config(dns_host='2001:db8::53', group='platform')
        self.assertEqual({'responder': '[2001:db8::53]:53'},
                         self.driver.activate(None, None, self.instance,
                                              rule()))

    def test_activate_refuses_a_wrong_rule(self):
        e = self.assertRaises(exception.Invalid, self.driver.activate, None,
                              None, self.instance, rule(kind='IP_V6'))
        self.assertIn('DNS rule dnsRule1', str(e))

    def test_activate_with_responder_disabled(self):
        self.config(dns_port=0, group='platform')
        self.assertEqual({'responder': None},
                         self.driver.activate(None, None, self.instance,
                                              rule()))
        self.assertIn('DNS responder is disabled', self.log.output)

    def test_deactivate_does_nothing(self):
        self.assertIsNone(self.driver.deactivate(None, None, self.instance,
                                                 'dnsRule1'))
        self.assertIsNone(self.driver.deactivate(None, None, self.instance,
                                                 'dnsRule1',
                                                 {'responder': 'x'}))
