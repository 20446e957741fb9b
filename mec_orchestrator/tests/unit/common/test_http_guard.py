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
"""The SSRF guard: address policy and URL checks (no network)."""

import ipaddress
import socket

import fixtures

from mec_orchestrator.common import exception
from mec_orchestrator.common.outbound import addresses
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.common.outbound import urls
from mec_orchestrator.tests import base

PUBLIC_V4 = '93.184.216.34'
PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946'

REFUSED = {
    '127.0.0.1': addresses.LOOPBACK,
    '127.255.255.254': addresses.LOOPBACK,
    '169.254.169.254': addresses.METADATA,
    '169.254.170.2': addresses.METADATA,
    '169.254.1.1': addresses.LINK_LOCAL,
    '10.0.0.1': addresses.PRIVATE,
    '172.16.5.4': addresses.PRIVATE,
    '172.31.255.255': addresses.PRIVATE,
    '192.168.1.1': addresses.PRIVATE,
    '100.64.0.1': addresses.PRIVATE,
    '100.100.100.200': addresses.METADATA,
    '0.0.0.0': addresses.UNSPECIFIED,
    '0.1.2.3': addresses.UNSPECIFIED,
    '224.0.0.1': addresses.MULTICAST,
    '239.255.255.250': addresses.MULTICAST,
    '240.0.0.1': addresses.RESERVED,
    '255.255.255.255': addresses.RESERVED,
    '192.0.2.1': addresses.RESERVED,
    '198.18.0.1': addresses.RESERVED,
    '198.51.100.7': addresses.RESERVED,
    '203.0.113.9': addresses.RESERVED,
    '::1': addresses.LOOPBACK,
    '::': addresses.UNSPECIFIED,
    'fe80::1': addresses.LINK_LOCAL,
    'fe80::1%eth0': addresses.LINK_LOCAL,
    'febf:ffff::1': addresses.LINK_LOCAL,
    'fc00::1': addresses.PRIVATE,
    'fd12:3456::1': addresses.PRIVATE,
    'fec0::1': addresses.PRIVATE,
    'fd00:ec2::254': addresses.METADATA,
    'ff02::1': addresses.MULTICAST,
    'ff05::1:3': addresses.MULTICAST,
    '2001:db8::1': addresses.RESERVED,
    '2001:0:4136:e378:8000:63bf:3fff:fdd2': addresses.RESERVED,  # Teredo
    '100::1': addresses.RESERVED,
    '::ffff:0:1.2.3.4': addresses.RESERVED,  # SIIT, not 2000::/3
    # IPv6 forms that carry an IPv4 address are judged on it.
    '::ffff:127.0.0.1': addresses.LOOPBACK,
    '::ffff:7f00:1': addresses.LOOPBACK,
    '0:0:0:0:0:ffff:127.0.0.1': addresses.LOOPBACK,
    '::ffff:169.254.169.254': addresses.METADATA,
    '::ffff:a9fe:a9fe': addresses.METADATA,
    '::ffff:10.0.0.1': addresses.PRIVATE,
    '::ffff:0.0.0.0': addresses.UNSPECIFIED,
    '::127.0.0.1': addresses.LOOPBACK,           # IPv4-compatible
    '::169.254.169.254': addresses.METADATA,
    '64:ff9b::7f00:1': addresses.LOOPBACK,       # NAT64
    '64:ff9b::a9fe:a9fe': addresses.METADATA,
    '64:ff9b:1::1': addresses.PRIVATE,           # local-use NAT64
    '2002:7f00:1::1': addresses.LOOPBACK,        # 6to4
    '2002:a00:1::': addresses.PRIVATE,
}

PUBLIC = ['8.8.8.8', '1.1.1.1', PUBLIC_V4, '100.63.255.255',
          '100.128.0.1', '172.32.0.1', '11.0.0.1', '223.255.255.1',
          '2001:4860:4860::8888', PUBLIC_V6,
          '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']


class TestAddressPolicy(base.TestCase):

    def test_refused_categories(self):
        policy = addresses.AddressPolicy()
        for address, category in REFUSED.items():
            self.assertEqual(category, policy.check(address),
                             'for %s' % address)

    def test_public_addresses_pass(self):
        policy = addresses.AddressPolicy()
        for address in PUBLIC:
            self.assertIsNone(policy.check(address), 'for %s' % address)

    def test_allowed_networks(self):
        policy = addresses.AddressPolicy(allowed_networks=[
            ipaddress.ip_network('127.0.0.1/32'),
            ipaddress.ip_network('::1/128')])
        for address in ('127.0.0.1', '::ffff:127.0.0.1', '::1'):
            self.assertIsNone(policy.check(address), address)
        self.assertEqual(addresses.LOOPBACK, policy.check('127.0.0.2'))
        self.assertEqual(addresses.METADATA,
                         policy.check('169.254.169.254'))
        self.assertEqual(addresses.PRIVATE, policy.check('10.0.0.1'))

    def test_allowed_networks_can_name_the_metadata_service(self):
        policy = addresses.AddressPolicy(allowed_networks=[
            ipaddress.ip_network('169.254.169.254/32')])
        self.assertIsNone(policy.check('169.254.169.254'))

    def test_allow_private_keeps_loopback_link_local_and_metadata(self):
        policy = addresses.AddressPolicy(allow_private=True)
        for address in ('10.0.0.1', '172.16.0.1', '192.168.0.1',
                        '100.64.0.1', 'fd12::1', '::ffff:192.168.0.1'):
            self.assertIsNone(policy.check(address), address)
        for address in ('127.0.0.1', '::1', '169.254.169.254',
                        '169.254.1.1', 'fe80::1', 'fd00:ec2::254',
                        '100.100.100.200', '0.0.0.0', '224.0.0.1',
                        '192.0.2.1'):
            self.assertIsNotNone(policy.check(address), address)

    def test_denied_networks_win(self):
        net = ipaddress.ip_network('8.8.8.0/24')
        policy = addresses.AddressPolicy(
            allowed_networks=[net], denied_networks=[net],
            allow_private=True)
        self.assertEqual(addresses.DENIED, policy.check('8.8.8.8'))
        self.assertEqual(addresses.DENIED, policy.check('::ffff:8.8.8.8'))
        self.assertIsNone(policy.check('8.8.4.4'))

    def test_from_conf(self):
        self.config(group='outbound',
                    allowed_networks=['127.0.0.1', '10.1.0.0/16'],
                    denied_networks=['8.8.8.8/32'],
                    allow_private_networks=True)
        policy = addresses.AddressPolicy.from_conf(base.CONF)
        self.assertIsNone(policy.check('127.0.0.1'))
        self.assertEqual(addresses.DENIED, policy.check('8.8.8.8'))
        self.assertTrue(policy.allow_private)

    def test_bad_network_in_conf(self):
        self.assertRaises(ValueError, self.config, group='outbound',
                          allowed_networks=['not-a-network'])


def _addrinfo(*ips, port=80):
    infos = []
    for ip in ips:
        if ':' in ip:
            infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, '',
                          (ip, port, 0, 0)))
        else:
            infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, '',
                          (ip, port)))
    return infos


class TestCheckURL(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dns = {}
        self.lookups = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            self.lookups.append(host)
            if host in self.dns:
                return _addrinfo(*self.dns[host], port=port)
            if kwargs.get('flags', 0) & socket.AI_NUMERICHOST:
                return real(host, port, *args, **kwargs)
            raise socket.gaierror(socket.EAI_NONAME, 'unknown')

        self.useFixture(fixtures.MockPatch('socket.getaddrinfo',
                                           side_effect=getaddrinfo))

    def assertRefused(self, url, *fragments):
        exc = self.assertRaises(errors.OutboundRequestRefused, urls.check,
                                url)
        self.assertIsInstance(exc, exception.Invalid)
        self.assertEqual(400, exc.code)
        for fragment in fragments:
            self.assertIn(fragment, str(exc))
        return exc

    def test_schemes(self):
        for url in ('file:///etc/passwd', 'ftp://example.com/x',
                    'gopher://example.com:70/_x', 'data:text/plain,hi',
                    'javascript:alert(1)', 'dict://example.com:11211/',
                    'ldap://example.com/', 'sftp://example.com/',
                    'jar:http://example.com/x!/', '//example.com/x',
                    'example.com/x', ''):
            self.assertRefused(url)
        self.assertEqual([], self.lookups)
        self.assertRefused('file:///etc/passwd',
                           'only http and https URLs are allowed')

    def test_scheme_case_insensitive(self):
        self.dns['example.com'] = [PUBLIC_V4]
        target = urls.check('HTTPS://Example.COM/Path')
        self.assertEqual('https://example.com/Path', target.url)

    def test_literal_addresses(self):
        for url, category in (
                ('http://127.0.0.1/', 'loopback'),
                ('http://127.0.0.1:8080/admin', 'loopback'),
                ('http://169.254.169.254/latest/meta-data/',
                 'cloud metadata'),
                ('http://0.0.0.0/', 'unspecified'),
                ('http://10.1.2.3/', 'private'),
                ('http://224.0.0.1/', 'multicast'),
                ('http://[::1]/', 'loopback'),
                ('http://[::]/', 'unspecified'),
                ('http://[::ffff:127.0.0.1]/', 'loopback'),
                ('http://[::ffff:7f00:1]/', 'loopback'),
                ('http://[0:0:0:0:0:ffff:127.0.0.1]/', 'loopback'),
                ('http://[::ffff:169.254.169.254]/', 'cloud metadata'),
                ('http://[::ffff:a9fe:a9fe]/', 'cloud metadata'),
                ('http://[fe80::1]/', 'link-local'),
                ('http://[fe80::1%25eth0]/', 'link-local'),
                ('http://[fc00::1]:8080/', 'private'),
                ('http://[fd00:ec2::254]/', 'cloud metadata'),
                ('http://[64:ff9b::7f00:1]/', 'loopback'),
                ('http://[2002:7f00:1::1]/', 'loopback'),
                ('http://[ff02::1]/', 'multicast')):
            self.assertRefused(url, category)
        self.assertEqual([], self.lookups)

    def test_odd_ipv4_notations(self):
        for host in ('2130706433', '0x7f000001', '0x7f.1', '0x7f.0.0.1',
                     '0177.0.0.1', '0177.1', '017700000001', '127.1',
                     '127.0.1', '0x7F.0x00.0x00.0x01', '3232235777',
                     '0xa9fea9fe', '2852039166', '0251.0376.0251.0376',
                     '127.000.000.001', '00000127.0.0.1'):
            self.assertRefused('http://%s/' % host, 'dotted-quad')
            self.assertRefused('http://%s:8080/x' % host, 'dotted-quad')
        self.assertEqual([], self.lookups)

    def test_odd_notations_refused_even_when_allowed(self):
        self.config(group='outbound', allowed_networks=['0.0.0.0/0'])
        self.assertRefused('http://2130706433/', 'dotted-quad')
        self.assertRefused('http://0x7f.1/', 'dotted-quad')

    def test_malformed(self):
        for url in ('http://exa mple.com/', 'http://example.com/a b',
                    'http://example.com\\@127.0.0.1/',
                    'http://example.com\\.evil/',
                    'http://%31%32%37.0.0.1/', 'http://ex%41mple.com/',
                    'http://[127.0.0.1]/', 'http://[::1/',
                    'http://[zz::1]/', 'http://example.com:99999/',
                    'http://example.com:0/', 'http://example.com:-1/',
                    'http://example.com:port/', 'http:///path',
                    'http://user@/', 'http://exa\tmple.com/',
                    'http://example.com/\r\nX-Injected: 1',
                    'http://example.com/\x00', 'http://a..b/',
                    'http://exa$mple.com/', 'http://' + 'a' * 64 + '.com/',
                    'http://example.com/' + 'a' * urls.MAX_URL_LENGTH):
            self.assertRefused(url)
        self.assertEqual([], self.lookups)
        self.assertRaises(errors.OutboundRequestRefused, urls.check, None)

    def test_host_name_resolving_to_internal(self):
        self.dns['internal.example'] = ['10.0.0.5']
        exc = self.assertRefused('http://internal.example/pkg.zip',
                                 'internal.example', 'private')
        # The address learnt from DNS stays in the log.
        self.assertNotIn('10.0.0.5', str(exc))
        self.assertIn('10.0.0.5', self.log.output)

    def test_host_name_resolving_to_metadata_v6_mapped(self):
        self.dns['meta.example'] = ['::ffff:169.254.169.254']
        self.assertRefused('http://meta.example/', 'cloud metadata')

    def test_any_internal_address_refuses_the_host(self):
        self.dns['mixed.example'] = [PUBLIC_V4, '127.0.0.1']
        self.assertRefused('http://mixed.example/', 'loopback')
        self.dns['mixed.example'] = ['::1', PUBLIC_V4]
        self.assertRefused('http://mixed.example/', 'loopback')

    def test_localhost(self):
        self.dns['localhost'] = ['127.0.0.1', '::1']
        self.assertRefused('http://localhost:8080/', 'loopback')

    def test_resolved_once_and_kept(self):
        self.dns['example.com'] = [PUBLIC_V4, PUBLIC_V6]
        target = urls.check('https://example.com:8443/a?b=c#frag')
        self.assertEqual(['example.com'], self.lookups)
        self.assertEqual('https://example.com:8443/a?b=c', target.url)
        self.assertEqual(('https', 'example.com', 8443), target.origin)
        self.assertEqual(
            ((socket.AF_INET, (PUBLIC_V4, 8443)),
             (socket.AF_INET6, (PUBLIC_V6, 8443, 0, 0))),
            target.addresses)

    def test_duplicate_addresses_dropped(self):
        self.dns['example.com'] = [PUBLIC_V4, PUBLIC_V4]
        target = urls.check('http://example.com/')
        self.assertEqual(1, len(target.addresses))

    def test_unresolvable(self):
        exc = self.assertRaises(errors.OutboundRequestFailed, urls.check,
                                'http://nowhere.example/')
        self.assertIn('could not be resolved', str(exc))
        self.assertEqual(502, exc.code)

    def test_allowlisted_loopback(self):
        self.config(group='outbound', allowed_networks=['127.0.0.1/32'])
        target = urls.check('http://127.0.0.1:8080/x')
        self.assertEqual(((socket.AF_INET, ('127.0.0.1', 8080)),),
                         target.addresses)
        self.assertRefused('http://127.0.0.2/', 'loopback')
        self.assertRefused('http://169.254.169.254/', 'metadata')

    def test_without_resolving(self):
        target = urls.check('http://unknown.example/x', resolve=False)
        self.assertEqual((), target.addresses)
        self.assertEqual([], self.lookups)
        self.assertRaises(errors.OutboundRequestRefused, urls.check,
                          'http://127.0.0.1/', resolve=False)

    def test_userinfo_taken_out(self):
        self.dns['repo.example'] = [PUBLIC_V4]
        target = urls.check('https://us%40er:p%3Ass@repo.example/pkg')
        self.assertEqual('https://repo.example/pkg', target.url)
        self.assertEqual(('us@er', 'p:ss'), target.userinfo)
        self.assertNotIn('p:ss', repr(target))

    def test_idn_host(self):
        self.dns['xn--bcher-kva.example'] = [PUBLIC_V4]
        target = urls.check('http://bücher.example/')
        self.assertEqual('xn--bcher-kva.example', target.host)
        self.assertEqual('http://xn--bcher-kva.example/', target.url)

    def test_messages_carry_no_credentials(self):
        exc = self.assertRefused(
            'http://admin:s3cret@127.0.0.1/x?token=t0ps3cret#f')
        self.assertNotIn('s3cret', str(exc))
        self.assertNotIn('t0ps3cret', str(exc))
        self.assertNotIn('s3cret', self.log.output)
        self.assertNotIn('t0ps3cret', self.log.output)

    def test_redact(self):
        self.assertEqual('https://example.com:8443/a/b',
                         urls.redact('https://u:p@example.com:8443/a/b?t=1'))
        self.assertEqual('http://[::1]/', urls.redact('http://[::1]/'))
        self.assertEqual('<invalid URL>', urls.redact('http://[::1/'))
        self.assertEqual('<invalid URL>', urls.redact('http://a:b:c/'))
        self.assertEqual('<no URL>', urls.redact(None))
