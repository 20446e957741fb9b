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
"""The outbound client over a fake network: every byte goes through the
real requests/urllib3 stack and the pinned transport; only name
resolution and the TCP connect are replaced (by a table and socket pairs
served by http.server handlers)."""

import base64
import errno
import gzip
import hashlib
import http.server
import os
import socket
import threading
import time

import fixtures

from mec_orchestrator.common import exception
from mec_orchestrator.common import outbound
from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.common.outbound import transport
from mec_orchestrator.tests import base

A = '93.184.216.34'
B = '93.184.216.35'
C = '2606:2800:220:1:248:1893:25c8:1946'


class Server(object):
    """What one fake address answers: routes by path.

    A route is a (status, headers, body) tuple, or a callable taking the
    handler and returning one; ``body`` may be an iterable of chunks,
    sent without Content-Length (read until close).
    """

    def __init__(self, routes=None):
        self.routes = routes or {}
        self.requests = []

    def respond(self, handler):
        route = self.routes.get(handler.path.split('?')[0])
        if route is None:
            return 404, {}, b'not found'
        if callable(route):
            return route(handler)
        return route


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves one request for a Server over a connected socket."""

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        self.server.requests.append((self.command, self.path,
                                     dict(self.headers), body))
        status, headers, payload = self.server.respond(self)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(payload, bytes):
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(payload)
        else:
            self.end_headers()
            for chunk in payload:
                self.wfile.write(chunk)
                self.wfile.flush()

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _serve

    def log_message(self, *args):
        pass


class FakeNetwork(fixtures.Fixture):
    """A table for getaddrinfo and fake servers behind open_socket.

    :ivar lookups: names resolved, in order.
    :ivar connects: sockaddrs connected to, in order.
    """

    def __init__(self):
        super().__init__()
        self.names = {}
        self.servers = {}

    def _setUp(self):
        self.lookups = []
        self.connects = []
        self._threads = []
        self.useFixture(fixtures.MockPatch('socket.getaddrinfo',
                                           side_effect=self._getaddrinfo))
        self.useFixture(fixtures.MockPatchObject(
            transport, 'open_socket', side_effect=self._open_socket))
        self.addCleanup(self._join)

    def _getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        answers = self.names.get(host)
        if answers is None and kwargs.get('flags', 0) & socket.AI_NUMERICHOST:
            answers = [host]
        if answers is None:
            raise socket.gaierror(socket.EAI_NONAME, 'unknown name')
        if callable(answers):
            answers = answers()
        infos = []
        for ip in answers:
            if ':' in ip:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, '',
                              (ip, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, '',
                              (ip, port)))
        return infos

    def _open_socket(self, family, sockaddr, timeout, source_address=None,
                     socket_options=None):
        self.connects.append(sockaddr)
        server = self.servers.get(sockaddr[0])
        if server is None:
            raise ConnectionRefusedError(errno.ECONNREFUSED,
                                         'Connection refused')
        ours, theirs = socket.socketpair()
        ours.settimeout(timeout)
        thread = threading.Thread(target=self._serve,
                                  args=(server, theirs, sockaddr),
                                  daemon=True)
        thread.start()
        self._threads.append(thread)
        return ours

    @staticmethod
    def _serve(server, sock, sockaddr):
        try:
            _Handler(sock, ('198.51.100.1', 50000), server)
        except OSError:
            pass  # the client went away (size limit, timeout)
        finally:
            sock.close()

    def _join(self):
        for thread in self._threads:
            thread.join(5)


class ClientTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.net = self.useFixture(FakeNetwork())

    def serve(self, name, ip, routes):
        self.net.names.setdefault(name, []).append(ip)
        server = self.net.servers[ip] = Server(routes)
        return server


class TestRequest(ClientTestCase):

    def test_get(self):
        server = self.serve('a.example', A, {'/x': (200, {}, b'hello')})
        resp = client.request('GET', 'http://a.example/x')
        self.assertEqual(200, resp.status_code)
        self.assertEqual(b'hello', resp.content)
        self.assertTrue(resp.ok)
        headers = server.requests[0][2]
        self.assertEqual('a.example', headers['Host'])
        self.assertTrue(headers['User-Agent'].startswith('mec-orchestrator/'))

    def test_connects_to_the_vetted_address_only(self):
        # DNS rebinding: the first answer is public, later ones loopback.
        answers = iter([[A], ['127.0.0.1'], ['127.0.0.1']])
        self.net.names['rebind.example'] = lambda: next(answers)
        self.net.servers[A] = Server({'/': (200, {}, b'public')})
        self.net.servers['127.0.0.1'] = Server({'/': (200, {}, b'secret')})
        resp = client.request('GET', 'http://rebind.example/')
        self.assertEqual(b'public', resp.content)
        self.assertEqual(['rebind.example'], self.net.lookups)
        self.assertEqual([(A, 80)], self.net.connects)
        self.assertEqual([], self.net.servers['127.0.0.1'].requests)

    def test_ipv6_and_port(self):
        server = self.serve('six.example', C, {'/': (204, {}, b'')})
        resp = client.request('GET', 'http://six.example:8080/')
        self.assertEqual(204, resp.status_code)
        self.assertEqual([(C, 8080, 0, 0)], self.net.connects)
        self.assertEqual('six.example:8080', server.requests[0][2]['Host'])

    def test_failover_to_the_next_vetted_address(self):
        self.net.names['dual.example'] = [A, B]
        self.net.servers[B] = Server({'/': (200, {}, b'b')})
        resp = client.request('GET', 'http://dual.example/')
        self.assertEqual(b'b', resp.content)
        self.assertEqual([(A, 80), (B, 80)], self.net.connects)

    def test_connection_refused(self):
        self.net.names['down.example'] = [A]
        exc = self.assertRaises(errors.OutboundRequestFailed, client.request,
                                'GET', 'http://down.example/x?token=abc')
        self.assertIn('Connection refused', str(exc))
        self.assertNotIn('token', str(exc))
        self.assertNotIsInstance(exc, exception.Invalid)

    def test_refused_before_connecting(self):
        self.net.servers['127.0.0.1'] = Server({'/': (200, {}, b'x')})
        self.assertRaises(errors.OutboundRequestRefused, client.request,
                          'GET', 'http://127.0.0.1/')
        self.assertEqual([], self.net.connects)

    def test_allowlisted_loopback(self):
        self.config(group='outbound', allowed_networks=['127.0.0.1/32'])
        self.net.servers['127.0.0.1'] = Server({'/': (200, {}, b'x')})
        resp = client.request('GET', 'http://127.0.0.1/')
        self.assertEqual(b'x', resp.content)

    def test_allowlisted_ipv6_literal(self):
        self.config(group='outbound', allowed_networks=['::1/128'])
        server = self.net.servers['::1'] = Server({'/': (200, {}, b'v6')})
        for url in ('http://[::1]:8080/', 'http://[0:0:0:0:0:0:0:1]:8080/',
                    'http://[::ffff:127.0.0.1]:8080/'):
            if 'ffff' in url:
                self.assertRaises(errors.OutboundRequestRefused,
                                  client.request, 'GET', url)
                continue
            self.assertEqual(b'v6', client.request('GET', url).content)
        self.assertEqual([('::1', 8080, 0, 0)] * 2, self.net.connects)
        self.assertEqual('[::1]:8080', server.requests[0][2]['Host'])

    def test_non_2xx_returned_not_raised(self):
        self.serve('a.example', A, {'/': (503, {'Retry-After': '7'}, b'')})
        resp = client.request('POST', 'http://a.example/', json={'a': 1})
        self.assertEqual(503, resp.status_code)
        self.assertFalse(resp.ok)
        self.assertEqual(7.0, resp.retry_after)
        exc = self.assertRaises(errors.OutboundHTTPError,
                                resp.raise_for_status)
        self.assertEqual(503, exc.status_code)

    def test_json_body_and_answer(self):
        server = self.serve('a.example', A, {
            '/n': (200, {'Content-Type': 'application/json'},
                   b'{"ok": true}')})
        resp = client.request('POST', 'http://a.example/n',
                              json={'notificationType': 'X'})
        self.assertEqual({'ok': True}, resp.json())
        method, _path, headers, body = server.requests[0]
        self.assertEqual('POST', method)
        self.assertEqual('application/json', headers['Content-Type'])
        self.assertEqual(b'{"notificationType": "X"}', body)

    def test_environment_proxies_ignored(self):
        self.useFixture(fixtures.EnvironmentVariable(
            'http_proxy', 'http://10.0.0.1:3128'))
        self.useFixture(fixtures.EnvironmentVariable(
            'HTTP_PROXY', 'http://10.0.0.1:3128'))
        self.serve('a.example', A, {'/': (200, {}, b'direct')})
        self.assertEqual(b'direct',
                         client.request('GET', 'http://a.example/').content)
        self.assertEqual([(A, 80)], self.net.connects)

    def test_response_too_large(self):
        self.serve('a.example', A, {'/big': (200, {}, b'x' * 5000),
                                    '/stream': (200, {}, [b'y' * 1000] * 5)})
        self.assertRaises(errors.OutboundResponseTooLarge, client.request,
                          'GET', 'http://a.example/big', max_bytes=4096)
        exc = self.assertRaises(errors.OutboundResponseTooLarge,
                                client.request, 'GET',
                                'http://a.example/stream', max_bytes=4096)
        self.assertIsInstance(exc, exception.Invalid)
        self.assertIn('4096 bytes', str(exc))
        resp = client.request('GET', 'http://a.example/stream',
                              max_bytes=5000)
        self.assertEqual(5000, len(resp.content))

    def test_compressed_body_counted_decoded(self):
        bomb = gzip.compress(b'\0' * (8 * 1024 * 1024))
        self.serve('a.example', A, {'/gz': (200, {
            'Content-Encoding': 'gzip'}, bomb)})
        self.assertLess(len(bomb), 64 * 1024)
        self.assertRaises(errors.OutboundResponseTooLarge, client.request,
                          'GET', 'http://a.example/gz', max_bytes=1024 * 1024)

    def test_total_timeout(self):
        def slow(handler):
            def chunks():
                for _ in range(20):
                    time.sleep(0.1)
                    yield b'z'
            return 200, {}, chunks()

        self.serve('a.example', A, {'/slow': slow})
        start = time.monotonic()
        exc = self.assertRaises(errors.OutboundTimeout, client.request,
                                'GET', 'http://a.example/slow',
                                total_timeout=0.5)
        self.assertLess(time.monotonic() - start, 1.5)
        self.assertIn('total time limit', str(exc))

    def test_read_timeout(self):
        self.config(group='outbound', read_timeout=0.3)
        release = threading.Event()
        self.addCleanup(release.set)

        def hang(handler):
            release.wait(5)
            return 200, {}, b''

        self.serve('a.example', A, {'/hang': hang})
        exc = self.assertRaises(errors.OutboundTimeout, client.request,
                                'GET', 'http://a.example/hang')
        self.assertIn('did not answer in time', str(exc))


class TestRedirects(ClientTestCase):

    def redirect(self, location, status=302):
        return (status, {'Location': location}, b'')

    def test_chain_followed_and_each_hop_resolved(self):
        self.serve('a.example', A, {'/1': self.redirect('/2'),
                                    '/2': self.redirect('http://b.example/3')})
        self.serve('b.example', B, {'/3': self.redirect('/4', 301),
                                    '/4': (200, {}, b'done')})
        resp = client.request('GET', 'http://a.example/1')
        self.assertEqual(b'done', resp.content)
        self.assertEqual('http://b.example/4', resp.url)
        self.assertEqual(['a.example', 'a.example', 'b.example',
                          'b.example'], self.net.lookups)
        self.assertEqual([(A, 80), (A, 80), (B, 80), (B, 80)],
                         self.net.connects)

    def test_redirect_to_internal_targets_refused(self):
        self.net.names['internal.example'] = ['10.0.0.7']
        for location, category in (
                ('http://127.0.0.1/admin', 'loopback'),
                ('http://169.254.169.254/latest/meta-data/', 'metadata'),
                ('http://[::ffff:169.254.169.254]/', 'metadata'),
                ('http://[::1]:8080/', 'loopback'),
                ('http://2130706433/', 'dotted-quad'),
                ('http://internal.example/', 'private'),
                ('file:///etc/passwd', 'only http and https'),
                ('gopher://a.example:70/_x', 'only http and https')):
            self.net.servers.clear()
            self.net.connects[:] = []
            self.serve('a.example', A, {'/r': self.redirect(location)})
            self.net.servers['127.0.0.1'] = Server({'/admin': (200, {},
                                                               b'x')})
            exc = self.assertRaises(errors.OutboundRequestRefused,
                                    client.request, 'GET',
                                    'http://a.example/r')
            self.assertIn(category, str(exc), location)
            self.assertEqual([(A, 80)], self.net.connects, location)

    def test_redirect_to_allowlisted_target(self):
        self.config(group='outbound', allowed_networks=['127.0.0.1'])
        self.serve('a.example', A, {'/r': self.redirect(
            'http://127.0.0.1:8080/ok')})
        self.net.servers['127.0.0.1'] = Server({'/ok': (200, {}, b'ok')})
        self.assertEqual(b'ok', client.request('GET',
                                               'http://a.example/r').content)

    def test_too_many_redirects(self):
        self.serve('a.example', A, {'/loop': self.redirect('/loop')})
        exc = self.assertRaises(errors.OutboundRequestRefused,
                                client.request, 'GET',
                                'http://a.example/loop')
        self.assertIn('more than 5 redirects', str(exc))
        self.assertEqual(6, len(self.net.connects))
        self.config(group='outbound', max_redirects=0)
        self.assertRaises(errors.OutboundRequestRefused, client.request,
                          'GET', 'http://a.example/loop')

    def test_redirect_not_followed_when_asked(self):
        self.serve('a.example', A, {'/r': self.redirect('/x')})
        resp = client.request('GET', 'http://a.example/r',
                              allow_redirects=False)
        self.assertEqual(302, resp.status_code)
        self.assertEqual('/x', resp.headers['Location'])

    def test_credentials_stay_with_the_first_origin(self):
        first = self.serve('a.example', A, {
            '/1': self.redirect('/2'),
            '/2': self.redirect('http://b.example/3')})
        second = self.serve('b.example', B, {'/3': (200, {}, b'')})
        client.request('GET', 'http://a.example/1', auth=('user', 'pw'),
                       headers={'Authorization': 'Bearer tok',
                                'X-Other': '1'})
        expected = 'Basic %s' % base64.b64encode(b'user:pw').decode()
        for request in first.requests:
            self.assertEqual(expected, request[2]['Authorization'])
        headers = second.requests[0][2]
        self.assertNotIn('Authorization', headers)
        self.assertEqual('1', headers['X-Other'])

    def test_credentials_from_the_url(self):
        server = self.serve('a.example', A, {'/p': (200, {}, b'')})
        client.request('GET', 'http://us%40er:pa%3Ass@a.example/p')
        expected = 'Basic %s' % base64.b64encode(b'us@er:pa:ss').decode()
        self.assertEqual(expected, server.requests[0][2]['Authorization'])

    def test_see_other_turns_post_into_get(self):
        server = self.serve('a.example', A, {
            '/post': self.redirect('/get', 303),
            '/keep': self.redirect('/get', 307),
            '/get': (200, {}, b'')})
        client.request('POST', 'http://a.example/post', json={'a': 1})
        client.request('POST', 'http://a.example/keep', json={'a': 1})
        methods = [(r[0], r[1], r[3]) for r in server.requests]
        self.assertEqual([('POST', '/post', b'{"a": 1}'),
                          ('GET', '/get', b''),
                          ('POST', '/keep', b'{"a": 1}'),
                          ('POST', '/get', b'{"a": 1}')], methods)


class TestFetchToFile(ClientTestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(self.dir, 'pkg.zip')
        self.body = os.urandom(300 * 1024)
        self.server = self.serve('repo.example', A, {
            '/pkg.zip': (200, {'Content-Type': 'application/zip'},
                         self.body),
            '/chunked': (200, {}, [self.body[i:i + 1000]
                                   for i in range(0, len(self.body), 1000)]),
            '/missing': (404, {}, b'')})

    def test_fetch(self):
        sha256 = hashlib.sha256(self.body).hexdigest()
        result = client.fetch_to_file(
            'http://repo.example/pkg.zip', self.path,
            checksum={'algorithm': 'SHA-256', 'hash': sha256.upper()})
        with open(self.path, 'rb') as f:
            self.assertEqual(self.body, f.read())
        self.assertEqual(len(self.body), result.size)
        self.assertEqual(sha256, result.sha256)
        self.assertEqual(hashlib.sha512(self.body).hexdigest(),
                         result.sha512)
        self.assertEqual('application/zip', result.content_type)
        self.assertEqual(0o600, os.stat(self.path).st_mode & 0o777)
        self.assertEqual(['pkg.zip'], os.listdir(self.dir))
        self.assertEqual('identity',
                         self.server.requests[0][2]['Accept-Encoding'])

    def test_other_checksum_algorithms(self):
        digest = hashlib.sha3_256(self.body).hexdigest()
        result = client.fetch_to_file('http://repo.example/chunked',
                                      self.path,
                                      checksum=('SHA3-256', digest))
        self.assertEqual(digest, result.digests['sha3_256'])

    def leaves_nothing(self):
        self.assertEqual([], os.listdir(self.dir))

    def test_checksum_mismatch_leaves_no_file(self):
        exc = self.assertRaises(
            client.errors.ChecksumMismatch, client.fetch_to_file,
            'http://repo.example/pkg.zip', self.path,
            checksum={'algorithm': 'SHA-512', 'hash': '00' * 64})
        self.assertIn('SHA-512', str(exc))
        self.leaves_nothing()

    def test_existing_file_replaced_only_on_success(self):
        with open(self.path, 'wb') as f:
            f.write(b'old')
        self.assertRaises(errors.OutboundResponseTooLarge,
                          client.fetch_to_file,
                          'http://repo.example/chunked', self.path,
                          max_bytes=1000)
        with open(self.path, 'rb') as f:
            self.assertEqual(b'old', f.read())
        self.assertEqual(['pkg.zip'], os.listdir(self.dir))

    def test_oversize_aborts_and_leaves_no_file(self):
        for path in ('/pkg.zip', '/chunked'):
            self.assertRaises(errors.OutboundResponseTooLarge,
                              client.fetch_to_file,
                              'http://repo.example' + path, self.path,
                              max_bytes=len(self.body) - 1)
            self.leaves_nothing()

    def test_max_download_size_caps_the_caller(self):
        self.config(group='outbound', max_download_size=100 * 1024)
        self.assertRaises(errors.OutboundResponseTooLarge,
                          client.fetch_to_file,
                          'http://repo.example/chunked', self.path,
                          max_bytes=10 * 1024 * 1024)
        self.leaves_nothing()

    def test_http_error(self):
        exc = self.assertRaises(errors.OutboundHTTPError,
                                client.fetch_to_file,
                                'http://repo.example/missing', self.path)
        self.assertEqual(404, exc.status_code)
        self.leaves_nothing()

    def test_bad_checksums_refused_before_connecting(self):
        for checksum in ({'algorithm': 'MD5', 'hash': 'aa'},
                         ('SHA-1', 'aa'), {'algorithm': 'SHA-256'},
                         {'hash': 'aa'}, 'SHA-256', ('SHA-256', '')):
            self.assertRaises(exception.InvalidParameterValue,
                              client.fetch_to_file,
                              'http://repo.example/pkg.zip', self.path,
                              checksum=checksum)
        self.assertEqual([], self.net.connects)

    def test_scheme_refused(self):
        self.assertRaises(errors.OutboundRequestRefused,
                          client.fetch_to_file, 'file:///etc/passwd',
                          self.path)
        self.leaves_nothing()


class TestIterContent(ClientTestCase):

    def test_chunks(self):
        body = os.urandom(200 * 1024)
        self.serve('repo.example', A, {
            '/p': (200, {}, [body[i:i + 5000]
                             for i in range(0, len(body), 5000)]),
            '/r': (302, {'Location': '/p'}, b''),
            '/missing': (404, {}, b'')})
        stream = outbound.iter_content('http://repo.example/r', 1024 * 1024)
        self.assertEqual([], self.net.connects)  # nothing before next()
        self.assertEqual(body, b''.join(stream))
        self.assertRaises(errors.OutboundResponseTooLarge, b''.join,
                          outbound.iter_content('http://repo.example/p',
                                                1000))
        self.assertRaises(errors.OutboundHTTPError, list,
                          outbound.iter_content(
                              'http://repo.example/missing'))
        self.assertRaises(errors.OutboundRequestRefused, list,
                          outbound.iter_content('http://127.0.0.1/'))


class TestResponse(base.TestCase):

    def response(self, **headers):
        return client.Response(200, client.structures.CaseInsensitiveDict(
            headers), b'', 'http://a.example/')

    def test_retry_after(self):
        self.assertIsNone(self.response().retry_after)
        self.assertEqual(120.0, self.response(**{
            'Retry-After': '120'}).retry_after)
        self.assertEqual(0.0, self.response(**{
            'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT'}).retry_after)
        later = time.strftime('%a, %d %b %Y %H:%M:%S GMT',
                              time.gmtime(time.time() + 60))
        self.assertGreater(self.response(**{
            'Retry-After': later}).retry_after, 50)
        self.assertIsNone(self.response(**{
            'Retry-After': 'soon'}).retry_after)

    def test_hash_names(self):
        self.assertEqual('sha256', client.hash_name('SHA-256'))
        self.assertEqual('sha512', client.hash_name('sha512'))
        self.assertEqual('sha3_384', client.hash_name('SHA3-384'))
        self.assertRaises(exception.InvalidParameterValue,
                          client.hash_name, 'MD5')
