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
"""Subscription authentication of callbacks and the OAuth 2.0 token cache."""

import base64
import json
import threading
import urllib.parse

import fixtures
from requests import structures

from mec_orchestrator.common import exception
from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.conductor import callback_auth
from mec_orchestrator.tests import base

TOKEN_URL = 'https://auth.example/token'


def response(status, body=b'', headers=None):
    return client.Response(status, structures.CaseInsensitiveDict(
        headers or {}), body, TOKEN_URL)


def oauth2(client_id='mec-client', password='cl1ent-s3cret',
           endpoint=TOKEN_URL):
    return {'authType': ['OAUTH2_CLIENT_CREDENTIALS'],
            'paramsOauth2ClientCredentials': {
                'clientId': client_id, 'clientPassword': password,
                'tokenEndpoint': endpoint}}


class FakeClock(object):

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class TestChoose(base.TestCase):

    def test_none(self):
        self.assertIsNone(callback_auth.choose(None))
        self.assertIsNone(callback_auth.choose({}))

    def test_basic(self):
        self.assertEqual('BASIC', callback_auth.choose({
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'u', 'password': 'p'}}))
        self.assertEqual('BASIC', callback_auth.choose({
            'authType': 'BASIC',
            'paramsBasic': {'userName': 'u', 'password': 'p'}}))

    def test_oauth2_preferred_when_its_parameters_are_given(self):
        auth = oauth2()
        auth['authType'] = ['BASIC', 'OAUTH2_CLIENT_CREDENTIALS']
        auth['paramsBasic'] = {'userName': 'u', 'password': 'p'}
        self.assertEqual('OAUTH2_CLIENT_CREDENTIALS',
                         callback_auth.choose(auth))
        del auth['paramsOauth2ClientCredentials']
        self.assertEqual('BASIC', callback_auth.choose(auth))

    def test_invalid(self):
        for auth in ({'authType': []}, {'authType': ['KERBEROS']},
                     {'authType': ['BASIC']},
                     {'authType': ['BASIC'], 'paramsBasic': {'userName': 'u'}},
                     {'authType': ['OAUTH2_CLIENT_CREDENTIALS']},
                     {'authType': ['TLS_CERT']}, 'BASIC',
                     oauth2(endpoint='ftp://auth.example/token'),
                     oauth2(endpoint='http://169.254.169.254/token'),
                     oauth2(password='')):
            self.assertRaises(exception.Invalid, callback_auth.choose, auth)

    def test_tls_cert_message(self):
        exc = self.assertRaises(exception.InvalidParameterValue,
                                callback_auth.choose,
                                {'authType': ['TLS_CERT']})
        self.assertIn('TLS_CERT is not supported', str(exc))


class TestBasic(base.TestCase):

    def test_header_and_repr(self):
        creds = callback_auth.credentials(
            {'authType': ['BASIC'],
             'paramsBasic': {'userName': 'üser', 'password': 'p:ss'}},
            callback_auth.TokenCache())
        expected = base64.b64encode('üser:p:ss'.encode()).decode()
        self.assertEqual({'Authorization': 'Basic %s' % expected},
                         creds.headers())
        self.assertNotIn('p:ss', repr(creds))
        self.assertFalse(creds.refreshable)


class TestTokenCache(base.TestCase):

    def setUp(self):
        super().setUp()
        self.answers = []
        self.calls = []
        self.useFixture(fixtures.MockPatchObject(
            client, 'request', side_effect=self._request))
        self.clock = FakeClock()
        self.cache = callback_auth.TokenCache(clock=self.clock)

    def _request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def token_answer(self, token, expires_in=3600, token_type='Bearer'):
        body = {'access_token': token, 'token_type': token_type}
        if expires_in is not None:
            body['expires_in'] = expires_in
        return response(200, json.dumps(body).encode(),
                        {'Content-Type': 'application/json'})

    def creds(self, **kwargs):
        return callback_auth.credentials(oauth2(**kwargs), self.cache)

    def test_token_request(self):
        self.answers = [self.token_answer('t1')]
        creds = self.creds(client_id='id:1', password='p@ss w')
        self.assertEqual({'Authorization': 'Bearer t1'}, creds.headers())
        method, url, kwargs = self.calls[0]
        self.assertEqual(('POST', TOKEN_URL), (method, url))
        self.assertEqual({'grant_type': 'client_credentials'},
                         kwargs['data'])
        self.assertEqual((urllib.parse.quote_plus('id:1'),
                          urllib.parse.quote_plus('p@ss w')), kwargs['auth'])
        self.assertFalse(kwargs['allow_redirects'])
        self.assertNotIn('p@ss', repr(creds))

    def test_cached_until_shortly_before_expiry(self):
        self.answers = [self.token_answer('t1', 100),
                        self.token_answer('t2', 100)]
        creds = self.creds()
        self.assertEqual('t1', self.cache.token(creds))
        self.clock.now += 89
        self.assertEqual('t1', self.cache.token(creds))
        self.clock.now += 2  # 10% of the lifetime is kept as margin
        self.assertEqual('t2', self.cache.token(creds))
        self.assertEqual(2, len(self.calls))

    def test_refresh_and_invalidate(self):
        self.answers = [self.token_answer('t1'), self.token_answer('t2'),
                        self.token_answer('t3')]
        creds = self.creds()
        self.assertEqual('t1', self.cache.token(creds))
        self.assertEqual('t2', self.cache.token(creds, refresh=True))
        self.cache.invalidate(creds)
        self.assertEqual('t3', self.cache.token(creds))

    def test_keyed_by_client_and_password(self):
        self.answers = [self.token_answer('a'), self.token_answer('b'),
                        self.token_answer('c')]
        self.assertEqual('a', self.cache.token(self.creds()))
        self.assertEqual('b', self.cache.token(self.creds(client_id='x')))
        self.assertEqual('c', self.cache.token(self.creds(password='new')))
        self.assertEqual('a', self.cache.token(self.creds()))

    def test_no_expires_in(self):
        self.answers = [self.token_answer('t1', None),
                        self.token_answer('t2')]
        creds = self.creds()
        self.cache.token(creds)
        self.clock.now += callback_auth.DEFAULT_TOKEN_TTL
        self.assertEqual('t2', self.cache.token(creds))

    def test_bad_answers(self):
        for answer, retryable in (
                (response(500), True), (response(503), True),
                (response(429, headers={'Retry-After': '3'}), True),
                (response(400, b'{"error": "invalid_client"}'), False),
                (response(401), False), (response(200, b'not json'), False),
                (response(200, b'{"token_type": "Bearer"}'), False),
                (self.token_answer('t', token_type='mac'), False)):
            self.answers = [answer]
            exc = self.assertRaises(callback_auth.TokenRequestFailed,
                                    self.cache.token, self.creds())
            self.assertEqual(retryable, exc.retryable, answer)
            self.assertNotIn('cl1ent-s3cret', str(exc))
        self.answers = [response(429, headers={'Retry-After': '3'})]
        exc = self.assertRaises(callback_auth.TokenRequestFailed,
                                self.cache.token, self.creds())
        self.assertEqual(3.0, exc.retry_after)

    def test_one_request_for_concurrent_callers(self):
        started = threading.Event()
        release = threading.Event()

        def slow(method, url, **kwargs):
            self.calls.append(url)
            started.set()
            release.wait(5)
            return self.token_answer('shared')

        client.request.side_effect = slow
        creds = self.creds()
        got = []
        threads = [threading.Thread(
            target=lambda: got.append(self.cache.token(creds)))
            for _ in range(4)]
        for thread in threads:
            thread.start()
        started.wait(5)
        release.set()
        for thread in threads:
            thread.join(5)
        self.assertEqual(['shared'] * 4, got)
        self.assertEqual(1, len(self.calls))


class TestTokenEndpointGuarded(base.TestCase):

    def test_token_endpoint_goes_through_the_guard(self):
        cache = callback_auth.TokenCache()
        creds = callback_auth.OAuth2Credentials(
            'id', 'cl1ent-s3cret', 'http://169.254.169.254/token', cache)
        exc = self.assertRaises(errors.OutboundRequestRefused, creds.headers)
        self.assertIn('metadata', str(exc))
        self.assertNotIn('cl1ent-s3cret', self.log.output)
