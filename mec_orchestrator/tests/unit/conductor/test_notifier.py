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
"""The notifier: retries, ordering, workers, reporting, callback test."""

import json
import threading
import time

import fixtures
from requests import structures

from mec_orchestrator.common import exception
from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.conductor import notifier
from mec_orchestrator.tests import base

CB = 'https://subscriber.example/callback'
CB2 = 'https://other.example/callback'
TOKEN_URL = 'https://auth.example/token'


def response(status, headers=None, body=b''):
    return client.Response(status, structures.CaseInsensitiveDict(
        headers or {}), body, CB)


def token(value, expires_in=3600):
    return response(200, {'Content-Type': 'application/json'}, json.dumps(
        {'access_token': value, 'token_type': 'Bearer',
         'expires_in': expires_in}).encode())


def subscription(uri=CB, **extra):
    sub = {'id': 'sub-1', 'callbackUri': uri}
    sub.update(extra)
    return sub


def notification(n=1):
    return {'id': 'n-%d' % n, 'notificationType': 'AppPackageOnBoarded'}


class FakeHTTP(object):
    """client.request, scripted per URL.

    Answers are consumed in order (the last one repeats); an answer may be
    an exception or a callable.
    """

    def __init__(self):
        self.script = {}
        self.calls = []
        self.lock = threading.Lock()

    def __call__(self, method, url, **kwargs):
        with self.lock:
            self.calls.append((method, url, kwargs))
            answers = self.script.get(url) or [response(204)]
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if callable(answer) and not isinstance(answer, client.Response):
            answer = answer(method, url, kwargs)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def to(self, url):
        return [c for c in self.calls if c[1] == url]


class NotifierTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config(group='outbound', notification_max_attempts=4,
                    notification_retry_initial_delay=0.01,
                    notification_retry_max_delay=0.02,
                    notification_retry_max_time=30)
        self.http = FakeHTTP()
        self.useFixture(fixtures.MockPatchObject(client, 'request',
                                                 side_effect=self.http))
        self.results = []

    def start(self, **kwargs):
        n = notifier.Notifier(on_result=self.results.append, **kwargs)
        n.start()
        # futurist's idle workers take a second to notice a shutdown.
        self.addCleanup(n.stop, wait=False)
        return n

    def deliver(self, sub=None, note=None, **kwargs):
        n = self.start(**kwargs)
        return n.notify(sub or subscription(),
                        note or notification()).result(10)


class TestDelivery(NotifierTestCase):

    def test_delivered(self):
        result = self.deliver()
        self.assertTrue(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertEqual(204, result.status_code)
        self.assertEqual(('sub-1', 'n-1', 'AppPackageOnBoarded', CB),
                         (result.subscription_id, result.notification_id,
                          result.notification_type, result.callback_uri))
        self.assertEqual([result], self.results)
        method, url, kwargs = self.http.calls[0]
        self.assertEqual(('POST', CB), (method, url))
        self.assertEqual(notification(), kwargs['json'])
        self.assertFalse(kwargs['allow_redirects'])
        self.assertNotIn('Authorization', kwargs['headers'])

    def test_5xx_retried(self):
        self.http.script[CB] = [response(503), response(500), response(204)]
        result = self.deliver()
        self.assertTrue(result.delivered)
        self.assertEqual(3, result.attempts)
        self.assertEqual(3, len(self.http.calls))

    def test_429_retried_after_retry_after(self):
        self.http.script[CB] = [response(429, {'Retry-After': '1'}),
                                response(204)]
        start = time.monotonic()
        result = self.deliver()
        self.assertTrue(result.delivered)
        self.assertEqual(2, result.attempts)
        self.assertGreaterEqual(time.monotonic() - start, 0.95)

    def test_retry_after_past_the_time_budget_gives_up(self):
        self.config(group='outbound', notification_retry_max_time=5)
        self.http.script[CB] = [response(503, {'Retry-After': '3600'})]
        result = self.deliver()
        self.assertFalse(result.delivered)
        self.assertFalse(result.stopped)
        self.assertEqual(1, result.attempts)
        self.assertEqual(503, result.status_code)

    def test_other_4xx_and_3xx_not_retried(self):
        n = self.start()
        for status in (400, 401, 403, 404, 410, 422, 301, 302):
            self.http.calls[:] = []
            self.http.script[CB] = [response(status)]
            result = n.notify(subscription(), notification()).result(10)
            self.assertFalse(result.delivered)
            self.assertEqual(1, result.attempts, status)
            self.assertEqual(status, result.status_code)
            self.assertIn('HTTP %d' % status, result.reason)

    def test_transport_failures_retried_up_to_max_attempts(self):
        self.http.script[CB] = [errors.OutboundTimeout(
            url=CB, reason='the connection timed out')]
        result = self.deliver()
        self.assertFalse(result.delivered)
        self.assertEqual(4, result.attempts)
        self.assertIn('timed out', result.reason)
        self.assertIsNone(result.status_code)

    def test_refused_uri_not_retried(self):
        self.http.script[CB] = [errors.OutboundRequestRefused(
            url=CB, reason='the host resolves to a loopback address')]
        result = self.deliver()
        self.assertFalse(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertIn('loopback', result.reason)

    def test_unexpected_error_reported(self):
        self.http.script[CB] = [RuntimeError('boom')]
        result = self.deliver()
        self.assertFalse(result.delivered)
        self.assertEqual('internal error', result.reason)

    def test_result_callbacks(self):
        seen = []

        def broken(result):
            raise ValueError('recorder down')

        n = notifier.Notifier(on_result=broken)
        n.start()
        self.addCleanup(n.stop, wait=False)
        future = n.notify(subscription(), notification(),
                          on_result=seen.append)
        result = future.result(10)
        self.assertEqual([result], seen)
        self.assertIn('result callback failed', self.log.output)


class TestAuthentication(NotifierTestCase):

    def test_basic(self):
        sub = subscription(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'mec', 'password': 'b4sic-s3cret'}})
        self.http.script[CB] = [response(503), response(204)]
        self.assertTrue(self.deliver(sub).delivered)
        for _method, _url, kwargs in self.http.calls:
            self.assertEqual('Basic bWVjOmI0c2ljLXMzY3JldA==',
                             kwargs['headers']['Authorization'])
        self.assertNotIn('b4sic-s3cret', self.log.output)

    def oauth2_subscription(self):
        return subscription(authentication={
            'authType': ['OAUTH2_CLIENT_CREDENTIALS'],
            'paramsOauth2ClientCredentials': {
                'clientId': 'mec', 'clientPassword': 'cl1ent-s3cret',
                'tokenEndpoint': TOKEN_URL}})

    def test_oauth2_token_cached(self):
        self.http.script[TOKEN_URL] = [token('t0k3n-1'), token('t0k3n-2')]
        n = self.start()
        for i in range(3):
            self.assertTrue(n.notify(self.oauth2_subscription(),
                                     notification(i)).result(10).delivered)
        self.assertEqual(1, len(self.http.to(TOKEN_URL)))
        for _m, _u, kwargs in self.http.to(CB):
            self.assertEqual('Bearer t0k3n-1',
                             kwargs['headers']['Authorization'])

    def test_oauth2_401_refreshes_once(self):
        self.http.script[TOKEN_URL] = [token('stale'), token('fresh')]

        def check(method, url, kwargs):
            ok = kwargs['headers']['Authorization'] == 'Bearer fresh'
            return response(204 if ok else 401)

        self.http.script[CB] = [check]
        result = self.deliver(self.oauth2_subscription())
        self.assertTrue(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertEqual(2, len(self.http.to(TOKEN_URL)))
        self.assertEqual(2, len(self.http.to(CB)))

    def test_oauth2_401_twice_fails(self):
        self.http.script[TOKEN_URL] = [token('a'), token('b')]
        self.http.script[CB] = [response(401)]
        result = self.deliver(self.oauth2_subscription())
        self.assertFalse(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertEqual(401, result.status_code)
        self.assertEqual(2, len(self.http.to(CB)))

    def test_token_endpoint_errors(self):
        self.http.script[TOKEN_URL] = [response(503), token('t')]
        self.assertTrue(self.deliver(self.oauth2_subscription()).delivered)
        self.http.calls[:] = []
        self.http.script[TOKEN_URL] = [response(400)]
        n = self.start(token_cache=notifier.callback_auth.TokenCache())
        result = n.notify(self.oauth2_subscription(),
                          notification()).result(10)
        self.assertFalse(result.delivered)
        self.assertEqual(1, len(self.http.calls))
        self.assertIn('HTTP 400', result.reason)

    def test_no_secret_in_logs(self):
        self.http.script[TOKEN_URL] = [token('t0k3n-v4lue')]
        self.http.script[CB] = [response(500)]
        result = self.deliver(self.oauth2_subscription())
        self.assertFalse(result.delivered)
        for secret in ('cl1ent-s3cret', 't0k3n-v4lue'):
            self.assertNotIn(secret, self.log.output)
            self.assertNotIn(secret, repr(result))

    def test_bad_authentication_not_retried(self):
        sub = subscription(authentication={'authType': ['TLS_CERT']})
        result = self.deliver(sub)
        self.assertFalse(result.delivered)
        self.assertIn('TLS_CERT', result.reason)
        self.assertEqual([], self.http.calls)


class TestStoredSubscriptions(NotifierTestCase):
    """Subscriptions as the database holds them.

    Snake_case attributes, and the authentication encrypted until the
    notification is sent.
    """

    class Row(object):
        def __init__(self, authentication):
            self.id = 'sub-db'
            self.callback_uri = CB
            self.authentication = authentication

    def test_decrypted_at_delivery(self):
        decrypted = []

        def decrypt(token):
            decrypted.append(token)
            return {'authType': ['BASIC'],
                    'paramsBasic': {'userName': 'u', 'password': 'p'}}

        n = self.start(decrypt=decrypt)
        result = n.deliver(self.Row('gAAAA-token'), notification()).result(10)
        self.assertTrue(result.delivered)
        self.assertEqual('sub-db', result.subscription_id)
        self.assertEqual(['gAAAA-token'], decrypted)
        self.assertIn('Authorization', self.http.calls[0][2]['headers'])

    def test_undecryptable(self):
        def decrypt(token):
            raise ValueError('bad key s3cret')

        n = self.start(decrypt=decrypt)
        result = n.notify(self.Row('gAAAA-token'), notification()).result(10)
        self.assertFalse(result.delivered)
        self.assertEqual(1, result.attempts)
        self.assertIn('could not be decrypted', result.reason)
        self.assertEqual([], self.http.calls)
        self.assertNotIn('s3cret', self.log.output)

    def test_no_authentication(self):
        result = self.start().notify(self.Row(None),
                                     notification()).result(10)
        self.assertTrue(result.delivered)

    def test_process_notifier(self):
        self.addCleanup(notifier.stop_notifier)
        first = notifier.get_notifier()
        self.assertIs(first, notifier.get_notifier())
        self.assertTrue(first.notify(subscription(),
                                     notification()).result(10).delivered)
        notifier.stop_notifier()
        self.assertIsNot(first, notifier.get_notifier())


class TestScheduling(NotifierTestCase):

    def test_order_kept_per_callback_uri(self):
        release = threading.Event()
        in_flight = {'now': 0, 'max': 0}
        lock = threading.Lock()
        order = []

        def slow(method, url, kwargs):
            with lock:
                in_flight['now'] += 1
                in_flight['max'] = max(in_flight['max'], in_flight['now'])
            release.wait(5)
            with lock:
                in_flight['now'] -= 1
                order.append(kwargs['json']['id'])
            return response(204)

        self.http.script[CB] = [slow]
        n = self.start(max_workers=4)
        futures = [n.notify(subscription(), notification(i))
                   for i in range(5)]
        other = n.notify(subscription(CB2), notification(99))
        # Another subscriber is served while the first one is slow.
        self.assertTrue(other.result(10).delivered)
        release.set()
        for future in futures:
            self.assertTrue(future.result(10).delivered)
        self.assertEqual(['n-%d' % i for i in range(5)], order)
        self.assertEqual(1, in_flight['max'])

    def test_order_kept_across_retries(self):
        self.http.script[CB] = [response(503), response(503),
                                response(204)]
        n = self.start()
        futures = [n.notify(subscription(), notification(i))
                   for i in range(3)]
        for future in futures:
            self.assertTrue(future.result(10).delivered)
        ids = [c[2]['json']['id'] for c in self.http.to(CB)]
        self.assertEqual(['n-0', 'n-0', 'n-0', 'n-1', 'n-2'], ids)

    def test_waiting_retries_hold_no_worker(self):
        self.config(group='outbound', notification_retry_initial_delay=1,
                    notification_retry_max_delay=1)
        self.http.script[CB] = [response(503), response(204)]
        n = self.start(max_workers=1)
        slow = n.notify(subscription(), notification(1))
        time.sleep(0.2)  # the first attempt failed; its retry waits
        start = time.monotonic()
        fast = n.notify(subscription(CB2), notification(2))
        self.assertTrue(fast.result(10).delivered)
        self.assertLess(time.monotonic() - start, 0.9)
        self.assertFalse(slow.done())
        self.assertTrue(slow.result(10).delivered)

    def test_too_many_pending(self):
        self.config(group='outbound', notification_max_pending=2)
        release = threading.Event()
        self.addCleanup(release.set)
        self.http.script[CB] = [lambda m, u, k: release.wait(5)
                                and response(204)]
        n = self.start()
        first = n.notify(subscription(), notification(1))
        second = n.notify(subscription(), notification(2))
        dropped = n.notify(subscription(), notification(3)).result(1)
        self.assertFalse(dropped.delivered)
        self.assertEqual(0, dropped.attempts)
        self.assertIn('too many', dropped.reason)
        release.set()
        self.assertTrue(first.result(10).delivered)
        self.assertTrue(second.result(10).delivered)

    def test_stop_reports_what_is_left(self):
        self.config(group='outbound', notification_retry_initial_delay=60,
                    notification_retry_max_delay=60,
                    notification_retry_max_time=1000)
        self.http.script[CB] = [response(503)]
        n = self.start()
        waiting = n.notify(subscription(), notification(1))
        queued = n.notify(subscription(), notification(2))
        time.sleep(0.2)
        self.assertEqual(2, n.pending())
        n.stop()
        for future in (waiting, queued):
            result = future.result(1)
            self.assertFalse(result.delivered)
            self.assertIn('stopped', result.reason)
            # Not given up: the outbox leaves it for another conductor.
            self.assertTrue(result.stopped)
        self.assertEqual(1, waiting.result().attempts)
        self.assertEqual(0, queued.result().attempts)
        self.assertEqual(0, n.pending())

    def test_not_running(self):
        n = notifier.Notifier(on_result=self.results.append)
        result = n.notify(subscription(), notification()).result(1)
        self.assertFalse(result.delivered)
        self.assertIn('not running', result.reason)
        self.assertTrue(result.stopped)
        self.assertEqual([result], self.results)


class TestRetryPolicy(base.TestCase):

    def test_exponential_with_jitter(self):
        policy = notifier.RetryPolicy(max_attempts=10, max_time=1000,
                                      initial_delay=1, max_delay=8)
        state = policy.new_state()
        for ceiling in (1, 2, 4, 8, 8, 8):
            delay = policy.next_delay(state)
            self.assertGreaterEqual(delay, ceiling / 2.0)
            self.assertLessEqual(delay, ceiling)

    def test_max_attempts(self):
        policy = notifier.RetryPolicy(max_attempts=3, max_time=1000,
                                      initial_delay=0, max_delay=0)
        state = policy.new_state()
        self.assertIsNotNone(policy.next_delay(state))
        self.assertIsNotNone(policy.next_delay(state))
        self.assertIsNone(policy.next_delay(state))
        self.assertEqual(3, state.attempt_number)

    def test_retry_after(self):
        policy = notifier.RetryPolicy(max_attempts=5, max_time=100,
                                      initial_delay=1, max_delay=2)
        self.assertEqual(30, policy.next_delay(policy.new_state(), 30))
        self.assertIsNone(policy.next_delay(policy.new_state(), 200))

    def test_max_time(self):
        policy = notifier.RetryPolicy(max_attempts=50, max_time=0.05,
                                      initial_delay=0, max_delay=0)
        state = policy.new_state()
        self.assertIsNotNone(policy.next_delay(state))
        time.sleep(0.06)
        self.assertIsNone(policy.next_delay(state))


class TestCallbackTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.http = FakeHTTP()
        self.useFixture(fixtures.MockPatchObject(client, 'request',
                                                 side_effect=self.http))

    def test_disabled(self):
        self.config(group='outbound', verify_callback_on_subscribe=False)
        self.assertFalse(notifier.test_notification(subscription()))
        self.assertEqual([], self.http.calls)

    def test_passes_with_204(self):
        sub = subscription(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'mec', 'password': 'b4sic-s3cret'}})
        self.assertTrue(notifier.test_notification(sub))
        method, url, kwargs = self.http.calls[0]
        self.assertEqual(('GET', CB), (method, url))
        self.assertIn('Authorization', kwargs['headers'])
        self.assertFalse(kwargs['allow_redirects'])

    def test_forced(self):
        self.config(group='outbound', verify_callback_on_subscribe=False)
        self.assertTrue(notifier.test_notification(subscription(),
                                                   force=True))

    def test_fails(self):
        for answer, fragment in (
                (response(200), 'HTTP 200'), (response(404), 'HTTP 404'),
                (response(302), 'HTTP 302'),
                (errors.OutboundRequestFailed(
                    url=CB, reason='the connection failed'),
                 'connection failed')):
            self.http.script[CB] = [answer]
            exc = self.assertRaises(notifier.CallbackVerificationFailed,
                                    notifier.test_notification,
                                    subscription())
            self.assertEqual(422, exc.code)
            self.assertIn(fragment, str(exc))



class TestCallbackTestGuarded(base.TestCase):

    def test_refused_uri_is_a_bad_request(self):
        for uri in ('http://127.0.0.1:8080/cb', 'http://[::1]/cb',
                    'http://169.254.169.254/', 'file:///etc/passwd'):
            exc = self.assertRaises(errors.OutboundRequestRefused,
                                    notifier.test_notification,
                                    subscription(uri))
            self.assertEqual(400, exc.code)


class TestValidateSubscription(base.TestCase):

    def test_valid(self):
        notifier.validate_subscription(subscription())
        notifier.validate_subscription(subscription(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'u', 'password': 'p'}}))

    def test_invalid(self):
        for sub in (subscription('file:///tmp/x'),
                    subscription('http://169.254.169.254/'),
                    subscription('http://0x7f.1/'),
                    {'id': 'x'},
                    subscription(authentication={'authType': ['TLS_CERT']})):
            exc = self.assertRaises(exception.Invalid,
                                    notifier.validate_subscription, sub)
            self.assertEqual(400, exc.code)
