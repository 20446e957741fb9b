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
"""Outbound requests and notifications against real local HTTP servers.

The servers are stdlib ``http.server`` instances on 127.0.0.1, in threads,
allowed through the SSRF guard with ``[outbound] allowed_networks``, as an
all-in-one or lab deployment does; TLS ones use a CA made for the test.
"""

import base64
import datetime
import hashlib
import http.server
import json
import os
import socket
import ssl
import threading
import time

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
import fixtures

from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.conductor import notifier
from mec_orchestrator.tests.functional import base

MIB = 1024 * 1024


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        self.server.record(self, body)
        route = self.server.routes.get(self.path.split('?')[0])
        if route is None:
            status, headers, payload = 404, {}, b''
        else:
            status, headers, payload = route(self, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(payload, bytes):
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        # An iterable: no length, the end of the body is the close.
        self.send_header('Connection', 'close')
        self.end_headers()
        self.close_connection = True
        try:
            for chunk in payload:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # the client gave up

    do_GET = do_POST = do_HEAD = _serve

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up (size limit, timeouts) are expected


class LocalServer(fixtures.Fixture):
    """An HTTP(S) server on 127.0.0.1, in a thread.

    :param routes: path -> callable(handler, body) returning
        (status, headers, body bytes or iterable of chunks).
    :param tls: (cert file, key file) to serve HTTPS.
    """

    def __init__(self, routes=None, tls=None):
        super().__init__()
        self.routes = routes if routes is not None else {}
        self.tls = tls

    def _setUp(self):
        self.requests = []
        self.server_names = []
        self.release = threading.Event()
        server = _Server(('127.0.0.1', 0), _Handler)
        server.routes = self.routes
        server.record = self._record
        if self.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self.tls)
            ctx.sni_callback = self._sni
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05},
                                  daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(thread.join, 5)
        self.addCleanup(server.shutdown)
        self.addCleanup(self.release.set)

    def _record(self, handler, body):
        self.requests.append({'method': handler.command, 'path': handler.path,
                              'headers': dict(handler.headers), 'body': body,
                              'time': time.monotonic()})

    def _sni(self, sslobj, name, ctx):
        self.server_names.append(name)

    def url(self, path='/', host='127.0.0.1'):
        scheme = 'https' if self.tls else 'http'
        return '%s://%s:%d%s' % (scheme, host, self.port, path)

    def hits(self, path):
        return [r for r in self.requests if r['path'].split('?')[0] == path]


def fixed(status, headers=None, body=b''):
    return lambda handler, request_body: (status, headers or {}, body)


def sequence(*answers):
    """A route answering each request with the next answer.

    The last answer repeats.
    """
    answers = list(answers)
    lock = threading.Lock()

    def route(handler, body):
        with lock:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return answer(handler, body)

    return route


class OutboundTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # What a lab does to reach servers on the same host.
        self.config(group='outbound',
                    allowed_networks=['127.0.0.1/32', '::1/128'])

    def serve(self, routes, tls=None):
        return self.useFixture(LocalServer(routes, tls))


class TestFetch(OutboundTestCase):

    def setUp(self):
        super().setUp()
        self.body = os.urandom(8 * MIB)
        chunks = [self.body[i:i + 256 * 1024]
                  for i in range(0, len(self.body), 256 * 1024)]
        self.server = self.serve({
            '/pkg.zip': fixed(200, {'Content-Type': 'application/zip'},
                              self.body),
            '/stream.zip': lambda h, b: (200, {}, iter(chunks)),
            '/r1': fixed(302, {'Location': '/r2'}),
            '/r2': fixed(301, {'Location': '/r3?x=1'}),
            '/r3': fixed(307, {'Location': '/pkg.zip'}),
            '/loop': fixed(302, {'Location': '/loop'}),
            '/to-metadata': fixed(302, {
                'Location': 'http://169.254.169.254/latest/meta-data/'}),
            '/to-other-loopback': fixed(302, {
                'Location': 'http://127.0.0.2/'}),
        })
        self.dir = os.path.join(self.tmp, 'download')
        os.mkdir(self.dir)
        self.path = os.path.join(self.dir, 'pkg.zip')

    def test_multi_megabyte_download_with_checksum(self):
        sha256 = hashlib.sha256(self.body).hexdigest()
        for path in ('/pkg.zip', '/stream.zip'):
            result = client.fetch_to_file(
                self.server.url(path), self.path,
                checksum={'algorithm': 'SHA-256', 'hash': sha256})
            self.assertEqual(len(self.body), result.size)
            self.assertEqual(sha256, result.sha256)
            self.assertEqual(hashlib.sha512(self.body).hexdigest(),
                             result.sha512)
            with open(self.path, 'rb') as f:
                self.assertEqual(self.body, f.read())
            self.assertEqual(['pkg.zip'], os.listdir(self.dir))

    def test_checksum_mismatch_leaves_no_file(self):
        self.assertRaises(errors.ChecksumMismatch, client.fetch_to_file,
                          self.server.url('/pkg.zip'), self.path,
                          checksum=('SHA-512', '0' * 128))
        self.assertEqual([], os.listdir(self.dir))

    def test_oversize_download_aborted_and_no_file_left(self):
        for path in ('/pkg.zip', '/stream.zip'):
            exc = self.assertRaises(errors.OutboundResponseTooLarge,
                                    client.fetch_to_file,
                                    self.server.url(path), self.path,
                                    max_bytes=1 * MIB)
            self.assertIn('1048576 bytes', str(exc))
            self.assertEqual([], os.listdir(self.dir))

    def test_redirect_chain(self):
        result = client.fetch_to_file(self.server.url('/r1'), self.path)
        self.assertEqual(len(self.body), result.size)
        self.assertEqual(self.server.url('/pkg.zip'), result.url)
        self.assertEqual(['/r1', '/r2', '/r3?x=1', '/pkg.zip'],
                         [r['path'] for r in self.server.requests])

    def test_redirects_to_refused_targets(self):
        for path, fragment in (('/to-metadata', 'metadata'),
                               ('/to-other-loopback', 'loopback'),
                               ('/loop', 'more than 5 redirects')):
            exc = self.assertRaises(errors.OutboundRequestRefused,
                                    client.fetch_to_file,
                                    self.server.url(path), self.path)
            self.assertIn(fragment, str(exc))
        self.assertEqual([], os.listdir(self.dir))

    def test_loopback_refused_without_the_allowlist(self):
        self.config(group='outbound', allowed_networks=[])
        exc = self.assertRaises(errors.OutboundRequestRefused,
                                client.fetch_to_file,
                                self.server.url('/pkg.zip'), self.path)
        self.assertIn('loopback', str(exc))
        self.assertEqual([], self.server.requests)


class TestTimeouts(OutboundTestCase):

    def test_hanging_server_read_timeout(self):
        self.config(group='outbound', read_timeout=1)
        server = self.serve({})
        server.routes['/hang'] = lambda h, b: (server.release.wait(30),
                                               (200, {}, b''))[1]
        start = time.monotonic()
        exc = self.assertRaises(errors.OutboundTimeout, client.request,
                                'GET', server.url('/hang'))
        elapsed = time.monotonic() - start
        self.assertIn('did not answer in time', str(exc))
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 5)

    def test_silent_socket_read_timeout(self):
        # Accepts the connection, never says a word.
        self.config(group='outbound', read_timeout=1)
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        url = 'http://127.0.0.1:%d/' % listener.getsockname()[1]
        start = time.monotonic()
        self.assertRaises(errors.OutboundTimeout, client.request, 'GET',
                          url)
        self.assertLess(time.monotonic() - start, 5)

    def test_trickling_body_total_timeout(self):
        self.config(group='outbound', read_timeout=2)

        def trickle(handler, body):
            def chunks():
                for _ in range(100):
                    time.sleep(0.2)
                    yield b'x'
            return 200, {}, chunks()

        server = self.serve({'/trickle': trickle})
        start = time.monotonic()
        exc = self.assertRaises(errors.OutboundTimeout, client.request,
                                'GET', server.url('/trickle'),
                                total_timeout=1.5)
        self.assertIn('total time limit', str(exc))
        self.assertLess(time.monotonic() - start, 3.5)

    def test_connection_refused(self):
        url = 'http://127.0.0.1:%d/' % base.free_port()
        exc = self.assertRaises(errors.OutboundRequestFailed,
                                client.request, 'GET', url)
        self.assertIn('Connection refused', str(exc))


def _basic(user, password):
    raw = ('%s:%s' % (user, password)).encode()
    return 'Basic %s' % base64.b64encode(raw).decode()


class TestNotifications(OutboundTestCase):

    def setUp(self):
        super().setUp()
        self.config(group='outbound', notification_retry_initial_delay=0.1,
                    notification_retry_max_delay=0.2,
                    notification_max_attempts=5)
        self.notifier = notifier.Notifier()
        self.notifier.start()
        self.addCleanup(self.notifier.stop)

    def notify(self, sub, n=1):
        note = {'id': 'n-%d' % n, 'notificationType': 'AppPackageOnBoarded',
                'subscriptionId': sub.get('id')}
        return self.notifier.notify(sub, note).result(60)

    def test_503_twice_then_204(self):
        server = self.serve({'/cb': sequence(fixed(503), fixed(503),
                                             fixed(204))})
        result = self.notify({'id': 's1', 'callbackUri': server.url('/cb')})
        self.assertTrue(result.delivered)
        self.assertEqual(3, result.attempts)
        hits = server.hits('/cb')
        self.assertEqual(3, len(hits))
        for hit in hits:
            self.assertEqual('POST', hit['method'])
            self.assertEqual('n-1', json.loads(hit['body'])['id'])
            self.assertEqual('application/json',
                             hit['headers']['Content-Type'])

    def test_429_with_retry_after(self):
        server = self.serve({'/cb': sequence(
            fixed(429, {'Retry-After': '1'}), fixed(204))})
        result = self.notify({'id': 's1', 'callbackUri': server.url('/cb')})
        self.assertTrue(result.delivered)
        first, second = server.hits('/cb')
        self.assertGreaterEqual(second['time'] - first['time'], 0.95)

    def test_client_error_not_retried(self):
        server = self.serve({'/cb': fixed(404)})
        result = self.notify({'id': 's1', 'callbackUri': server.url('/cb')})
        self.assertFalse(result.delivered)
        self.assertEqual((1, 404), (result.attempts, result.status_code))
        self.assertEqual(1, len(server.hits('/cb')))

    def test_basic_auth_checked_by_the_server(self):
        expected = _basic('mec', 'b4sic-s3cret')

        def check(handler, body):
            ok = handler.headers.get('Authorization') == expected
            return (204 if ok else 401), {}, b''

        server = self.serve({'/cb': check})

        def sub(password):
            return {'id': 's1', 'callbackUri': server.url('/cb'),
                    'authentication': {
                        'authType': ['BASIC'],
                        'paramsBasic': {'userName': 'mec',
                                        'password': password}}}

        self.assertTrue(self.notify(sub('b4sic-s3cret')).delivered)
        wrong = self.notify(sub('wr0ng-s3cret'), 2)
        self.assertFalse(wrong.delivered)
        self.assertEqual((1, 401), (wrong.attempts, wrong.status_code))
        for secret in ('b4sic-s3cret', 'wr0ng-s3cret'):
            self.assertNotIn(secret, self.log.output)

    def test_oauth2_token_refreshed_after_401(self):
        issued = []
        valid = set()

        def token_endpoint(handler, body):
            if handler.headers.get('Authorization') != _basic(
                    'mec-client', 'cl1ent-s3cret'):
                return 401, {}, b'{"error": "invalid_client"}'
            if body != b'grant_type=client_credentials':
                return 400, {}, b'{"error": "unsupported_grant_type"}'
            token = 't0k3n-%d' % (len(issued) + 1)
            issued.append(token)
            if len(issued) > 1:
                valid.add(token)  # the first one is "revoked" at once
            return 200, {'Content-Type': 'application/json'}, json.dumps(
                {'access_token': token, 'token_type': 'bearer',
                 'expires_in': 3600}).encode()

        def callback(handler, body):
            auth = handler.headers.get('Authorization', '')
            ok = auth.startswith('Bearer ') and auth[7:] in valid
            return (204 if ok else 401), {}, b''

        server = self.serve({'/token': token_endpoint, '/cb': callback})
        sub = {'id': 's1', 'callbackUri': server.url('/cb'),
               'authentication': {
                   'authType': ['OAUTH2_CLIENT_CREDENTIALS'],
                   'paramsOauth2ClientCredentials': {
                       'clientId': 'mec-client',
                       'clientPassword': 'cl1ent-s3cret',
                       'tokenEndpoint': server.url('/token')}}}
        result = self.notify(sub)
        self.assertTrue(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertEqual(['t0k3n-1', 't0k3n-2'], issued)
        self.assertEqual(2, len(server.hits('/cb')))
        # The fresh token is cached for the next notification.
        self.assertTrue(self.notify(sub, 2).delivered)
        self.assertEqual(2, len(issued))
        self.assertEqual(3, len(server.hits('/cb')))
        for secret in ('cl1ent-s3cret', 't0k3n-1', 't0k3n-2'):
            self.assertNotIn(secret, self.log.output)

    def test_callback_test_on_subscribe(self):
        server = self.serve({'/good': fixed(204), '/bad': fixed(200)})
        self.assertTrue(notifier.test_notification(
            {'callbackUri': server.url('/good')}))
        self.assertEqual('GET', server.hits('/good')[0]['method'])
        exc = self.assertRaises(notifier.CallbackVerificationFailed,
                                notifier.test_notification,
                                {'callbackUri': server.url('/bad')})
        self.assertEqual(422, exc.code)


def _certificates(directory, name):
    """A CA and a server certificate for ``name``, as PEM files.

    :returns: (CA file, server cert file, server key file)
    """
    now = datetime.datetime.now(datetime.timezone.utc)

    def build(subject, issuer, public_key, signing_key, ca, san=None,
              issuer_key=None):
        builder = (x509.CertificateBuilder()
                   .subject_name(subject).issuer_name(issuer)
                   .public_key(public_key)
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.BasicConstraints(ca=ca,
                                                        path_length=None),
                                  critical=True)
                   .add_extension(
                       x509.SubjectKeyIdentifier.from_public_key(public_key),
                       critical=False)
                   .add_extension(
                       x509.AuthorityKeyIdentifier.from_issuer_public_key(
                           (issuer_key or signing_key).public_key()),
                       critical=False))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False), critical=True)
        else:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(san)]),
                critical=False).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                            'mec-test-ca')])
    ca = build(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = build(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]),
                 ca_name, key.public_key(), ca_key, False, san=name)
    paths = [os.path.join(directory, n)
             for n in ('ca.pem', '%s.pem' % name, '%s.key' % name)]
    with open(paths[0], 'wb') as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths[2], 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return paths


class TestTLS(OutboundTestCase):
    """TLS to the vetted address, with the host name for SNI and checks.

    The connection goes to the address checked, while the TLS server name
    and the certificate check use the host name.
    """

    def tls_server(self, name, routes):
        directory = os.path.join(self.tmp, name)
        os.mkdir(directory)
        ca_file, cert, key = _certificates(directory, name)
        self.config(group='outbound', ca_file=ca_file)
        return self.serve(routes, tls=(cert, key))

    def test_server_name_and_certificate_use_the_host_name(self):
        server = self.tls_server('localhost', {'/': fixed(200, {}, b'tls')})
        resp = client.request('GET', server.url('/', host='localhost'))
        self.assertEqual(b'tls', resp.content)
        self.assertEqual(['localhost'], server.server_names)
        self.assertEqual('localhost:%d' % server.port,
                         server.requests[0]['headers']['Host'])

    def test_certificate_for_another_name_refused(self):
        server = self.tls_server('other.example', {'/': fixed(200)})
        exc = self.assertRaises(errors.OutboundRequestFailed,
                                client.request, 'GET',
                                server.url('/', host='localhost'))
        self.assertIn('TLS failed', str(exc))
        self.assertIn('Hostname mismatch', str(exc))
        self.assertEqual([], server.requests)

    def test_unknown_ca_refused(self):
        server = self.tls_server('localhost', {'/': fixed(200)})
        self.config(group='outbound', ca_file=None)
        exc = self.assertRaises(errors.OutboundRequestFailed,
                                client.request, 'GET',
                                server.url('/', host='localhost'))
        self.assertIn('TLS failed', str(exc))

    def test_https_to_http_redirect_refused(self):
        plain = self.serve({'/': fixed(200)})
        server = self.tls_server('localhost', {'/down': fixed(
            302, {'Location': plain.url('/')})})
        exc = self.assertRaises(errors.OutboundRequestRefused,
                                client.request, 'GET',
                                server.url('/down', host='localhost'))
        self.assertIn('https to http', str(exc))
        self.assertEqual([], plain.requests)
