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

"""Delivery of ETSI notifications to subscribers' callback URIs.

:class:`Notifier` POSTs a notification (a JSON dict) to a subscription's
``callbackUri`` through the outbound client (the SSRF guard), with the
subscription's authentication (:mod:`.callback_auth`):

* deliveries run on a bounded thread pool (futurist), never on the caller's
  thread, so a slow subscriber never blocks the conductor;
* notifications to one callback URI are delivered one at a time, in the
  order they were given: a notification waits for the previous one to be
  delivered or given up;
* connection errors, timeouts, 5xx and 429 are retried with exponential
  backoff and jitter (tenacity's wait and stop strategies), honouring
  ``Retry-After``, up to ``[outbound] notification_max_attempts`` and
  ``notification_retry_max_time``; other 4xx, redirects and refused URIs
  are not retried. A delivery waiting for its retry holds no thread: a
  scheduler thread hands it back to the pool when its time comes;
* a 401 with OAuth 2.0 gets a fresh token and is tried once more at once;
* every outcome is reported, as a :class:`DeliveryResult`, to the
  callbacks given and through the future :meth:`Notifier.notify` returns,
  so that the caller can record it. Failures are logged without secrets.

A subscription is an ETSI dict (``callbackUri``, ``authentication``) or a
database object (``callback_uri``, ``authentication``); an
``authentication`` stored encrypted (a string) is decrypted only when a
notification is sent.

Deliveries live in memory: those still queued when the notifier stops are
reported as not delivered with ``stopped`` set, for the caller to record.
A conductor sends the ETSI notifications through its outbox
(:mod:`.outbox`), which keeps them in the database until they are
delivered or given up, so that a conductor that dies loses none;
:func:`get_notifier` and :func:`stop_notifier` serve the processes that
send without one (the MEC platform's Mp1 notifications).

:func:`test_notification` is the callback test that ETSI GS NFV-SOL 013
describes for a new subscription (``[outbound]
verify_callback_on_subscribe``).
"""

import collections
import collections.abc
import concurrent.futures
import dataclasses
import functools
import heapq
import itertools
import threading
import time

import futurist
from oslo_log import log
import tenacity

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common.outbound import client
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.common.outbound import urls
from mec_orchestrator.conductor import callback_auth
from mec_orchestrator import conf

LOG = log.getLogger(__name__)
CONF = conf.CONF


class CallbackVerificationFailed(exception.UnprocessableEntity):
    """The callback URI did not pass the test of a new subscription."""

    msg_fmt = _("The callback URI %(url)s did not pass the test (a GET "
                "answered with 204 No Content): %(reason)s")


@dataclasses.dataclass(frozen=True)
class DeliveryResult(object):
    """The outcome of delivering one notification.

    :ivar subscription_id: the subscription's ``id``, if it has one.
    :ivar callback_uri: the callback URI, redacted (no credentials, no
        query).
    :ivar notification_id: the notification's ``id``, if it has one.
    :ivar notification_type: its ``notificationType``, if it has one.
    :ivar delivered: whether the subscriber acknowledged it (2xx).
    :ivar attempts: how many attempts were made (0 if it was never tried).
    :ivar status_code: the HTTP status of the last answer, if any.
    :ivar reason: why it was not delivered (safe to record and show).
    :ivar stopped: not delivered because the notifier stopped (or was not
        running): the notification was not given up, another process may
        send it.
    """

    subscription_id: str
    callback_uri: str
    notification_id: str
    notification_type: str
    delivered: bool
    attempts: int
    status_code: int = None
    reason: str = None
    stopped: bool = False


@dataclasses.dataclass(frozen=True)
class _Outcome(object):
    """The outcome of one attempt."""

    delivered: bool
    retryable: bool = False
    status_code: int = None
    reason: str = None
    retry_after: float = None


def _field(subscription, *names):
    """A field of a subscription: an ETSI dict or a database object."""
    for name in names:
        if isinstance(subscription, collections.abc.Mapping):
            if name in subscription:
                return subscription[name]
        elif hasattr(subscription, name):
            return getattr(subscription, name)
    return None


def callback_uri(subscription):
    """The callback URI of a subscription.

    :param subscription: a dict (``callbackUri``) or a database object
        (``callback_uri``).
    :returns: the URI, or None.
    """
    return _field(subscription, 'callbackUri', 'callback_uri')


def decrypt_authentication(token):
    """Decrypt a subscription's authentication, as stored at rest.

    :param token: what :func:`mec_orchestrator.common.crypto.encrypt_dict`
        made.
    :returns: the ``SubscriptionAuthentication`` dict.
    """
    # Only conductors hold the keys: imported when a secret is needed.
    from mec_orchestrator.common import crypto
    return crypto.decrypt_dict(token)


def _authentication(subscription, decrypt):
    """The subscription's authentication, decrypted if it is a token.

    :raises: InvalidParameterValue if it cannot be decrypted.
    """
    authentication = _field(subscription, 'authentication')
    if isinstance(authentication, (str, bytes)):
        try:
            authentication = decrypt(authentication)
        except Exception as exc:
            LOG.warning('The authentication of subscription %(id)s could '
                        'not be decrypted (%(error)s)',
                        {'id': _field(subscription, 'id'),
                         'error': type(exc).__name__})
            raise exception.InvalidParameterValue(
                err=_('The subscription\'s authentication could not be '
                      'decrypted.'))
    return authentication


def validate_subscription(subscription):
    """Check a subscription's callback URI and authentication, offline.

    For the API, before a subscription is stored: the URI's syntax and an
    IP literal are checked (not its host name's addresses: they are checked
    at each delivery).

    :param subscription: a dict with ``callbackUri`` and, optionally,
        ``authentication``.
    :raises: OutboundRequestRefused (400) for a refused URI;
        InvalidParameterValue (400) for a bad authentication.
    """
    urls.check(callback_uri(subscription), resolve=False)
    authentication = _field(subscription, 'authentication')
    if not isinstance(authentication, (str, bytes)):
        callback_auth.choose(authentication)


def _call(method, uri, creds, json=None):
    """One request to a callback URI with its credentials.

    A 401 with OAuth 2.0 credentials gets a fresh token and one more try.
    """
    headers = {'Accept': 'application/json'}
    if creds is not None:
        headers.update(creds.headers())
    resp = client.request(method, uri, json=json, headers=headers,
                          allow_redirects=False)
    if resp.status_code == 401 and creds is not None and creds.refreshable:
        LOG.info('Callback %s answered 401; trying again with a new token',
                 urls.redact(uri))
        headers.update(creds.headers(refresh=True))
        resp = client.request(method, uri, json=json, headers=headers,
                              allow_redirects=False)
    return resp


def _attempt(subscription, notification, tokens, decrypt):
    """Deliver once; never raises.

    :returns: an :class:`_Outcome`.
    """
    uri = callback_uri(subscription)
    try:
        creds = callback_auth.credentials(
            _authentication(subscription, decrypt), tokens)
        resp = _call('POST', uri, creds, json=notification)
    except errors.OutboundRequestRefused as exc:
        return _Outcome(False, reason=exc.message)
    except errors.OutboundRequestFailed as exc:
        return _Outcome(False, retryable=True, reason=exc.message)
    except callback_auth.TokenRequestFailed as exc:
        return _Outcome(False, retryable=exc.retryable, reason=exc.message,
                        retry_after=exc.retry_after)
    except exception.Invalid as exc:
        return _Outcome(False, reason=exc.message)
    except Exception:
        LOG.exception('Unexpected error delivering a notification to %s',
                      urls.redact(uri))
        return _Outcome(False, reason=_('internal error'))
    status = resp.status_code
    if resp.ok:
        return _Outcome(True, status_code=status)
    reason = _('the callback answered HTTP %d') % status
    if status == 429 or status >= 500:
        return _Outcome(False, retryable=True, status_code=status,
                        reason=reason, retry_after=resp.retry_after)
    return _Outcome(False, status_code=status, reason=reason)


def test_notification(subscription, token_cache=None, force=False,
                      decrypt=decrypt_authentication):
    """Test a new subscription's callback URI, as ETSI GS NFV-SOL 013 says.

    A GET to the callback URI, with the subscription's authentication,
    must be answered with 204 No Content. Nothing is done unless
    ``[outbound] verify_callback_on_subscribe`` is set or ``force`` is.

    :param subscription: a dict with ``callbackUri`` and, optionally,
        ``authentication``.
    :param token_cache: a :class:`.callback_auth.TokenCache`, to share the
        token with later deliveries; a new one by default.
    :param force: test even if the option is unset.
    :param decrypt: turns an encrypted ``authentication`` into its dict.
    :returns: True if the callback was tested (and passed), False if the
        test is disabled.
    :raises: OutboundRequestRefused (400) when the URI is refused;
        InvalidParameterValue (400) for a bad authentication;
        CallbackVerificationFailed (422) when the test fails.
    """
    if not (force or CONF.outbound.verify_callback_on_subscribe):
        return False
    uri = callback_uri(subscription)
    tokens = token_cache or callback_auth.TokenCache()
    creds = callback_auth.credentials(_authentication(subscription, decrypt),
                                      tokens)
    try:
        resp = _call('GET', uri, creds)
    except errors.OutboundRequestFailed as exc:
        raise CallbackVerificationFailed(url=urls.redact(uri),
                                         reason=exc.reason)
    except callback_auth.TokenRequestFailed as exc:
        raise CallbackVerificationFailed(url=urls.redact(uri),
                                         reason=exc.message)
    if resp.status_code != 204:
        raise CallbackVerificationFailed(
            url=urls.redact(uri),
            reason=_('it answered HTTP %d') % resp.status_code)
    return True


class RetryPolicy(object):
    """When to retry a delivery: tenacity's strategies, without sleeping.

    The wait before retry n is ``d/2 + random(0, d/2)`` with
    ``d = min(initial_delay * 2**(n-1), max_delay)``, or what the
    subscriber asked for with ``Retry-After`` if that is longer. No retry
    is scheduled past ``max_attempts`` nor ``max_time`` after the first
    attempt.

    :param max_attempts: most attempts, the first included.
    :param max_time: seconds from the first attempt to the last retry.
    :param initial_delay: seconds before the first retry (about).
    :param max_delay: longest wait, ``Retry-After`` aside.
    """

    def __init__(self, max_attempts, max_time, initial_delay, max_delay):
        half, half_max = initial_delay / 2.0, max_delay / 2.0
        self.max_time = max_time
        self.wait = (
            tenacity.wait_exponential(multiplier=half, max=half_max)
            + tenacity.wait_random_exponential(multiplier=half,
                                               max=half_max))
        self.stop = (tenacity.stop_after_attempt(max_attempts)
                     | tenacity.stop_after_delay(max_time))

    @classmethod
    def from_conf(cls, conf):
        """The policy of the ``[outbound] notification_*`` options."""
        opts = conf.outbound
        return cls(opts.notification_max_attempts,
                   opts.notification_retry_max_time,
                   opts.notification_retry_initial_delay,
                   opts.notification_retry_max_delay)

    @staticmethod
    def new_state():
        """The state of a new delivery, its first attempt starting now."""
        return tenacity.RetryCallState(retry_object=None, fn=None, args=(),
                                       kwargs={})

    def next_delay(self, state, retry_after=None):
        """After a failed attempt: the wait before the next, or None.

        :param state: the delivery's ``tenacity.RetryCallState``; moved to
            the next attempt when one is due.
        :param retry_after: seconds the subscriber asked to wait, or None.
        :returns: seconds to wait, or None to give up.
        """
        state.outcome_timestamp = time.monotonic()
        if self.stop(state):
            return None
        delay = self.wait(state)
        if retry_after is not None:
            delay = max(delay, retry_after)
        if state.seconds_since_start + delay > self.max_time:
            return None
        state.prepare_for_next_attempt()
        return delay


class _Scheduler(object):
    """Calls functions after a delay, from one thread.

    Deliveries wait for their retry here, not on the pool's threads.
    """

    def __init__(self):
        self._cond = threading.Condition()
        self._heap = []
        self._seq = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='notifier-retries')

    def start(self):
        self._thread.start()

    def call_later(self, delay, func):
        with self._cond:
            heapq.heappush(self._heap,
                           (time.monotonic() + delay, next(self._seq), func))
            self._cond.notify()

    def _loop(self):
        while True:
            with self._cond:
                while not self._stopped:
                    wait = (self._heap[0][0] - time.monotonic()
                            if self._heap else None)
                    if wait is not None and wait <= 0:
                        break
                    self._cond.wait(wait)
                if self._stopped:
                    return
                func = heapq.heappop(self._heap)[2]
            try:
                func()
            except Exception:
                LOG.exception('A scheduled notification retry failed')

    def stop(self):
        with self._cond:
            self._stopped = True
            self._heap = []
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join()


class _Delivery(object):
    """One notification on its way to one subscription."""

    def __init__(self, subscription, notification, on_result):
        self.subscription = subscription
        self.notification = notification
        self.on_result = on_result
        self.future = concurrent.futures.Future()
        self.state = None
        self.attempts = 0
        self.done = False

    def result(self, delivered, outcome=None, reason=None, stopped=False):
        return DeliveryResult(
            subscription_id=_field(self.subscription, 'id'),
            callback_uri=urls.redact(callback_uri(self.subscription)),
            notification_id=self.notification.get('id'),
            notification_type=self.notification.get('notificationType'),
            delivered=delivered, attempts=self.attempts,
            status_code=outcome.status_code if outcome else None,
            reason=reason or (outcome.reason if outcome else None),
            stopped=stopped)


class Notifier(object):
    """Delivers notifications on a worker pool, in order per callback URI.

    :param on_result: called with every :class:`DeliveryResult` (from a
        worker thread), e.g. to record failures; exceptions it raises are
        logged and ignored.
    :param max_workers: threads of the pool; ``[outbound]
        notification_workers`` by default.
    :param token_cache: the :class:`.callback_auth.TokenCache` of OAuth 2.0
        tokens; a new one by default.
    :param decrypt: turns a subscription's ``authentication`` stored
        encrypted (a string) into its dict, at delivery time;
        :func:`decrypt_authentication` by default.
    """

    def __init__(self, on_result=None, max_workers=None, token_cache=None,
                 decrypt=decrypt_authentication):
        self._on_result = on_result
        self._decrypt = decrypt
        self._max_workers = max_workers or CONF.outbound.notification_workers
        self.token_cache = token_cache or callback_auth.TokenCache()
        self._lock = threading.Lock()
        self._queues = {}
        self._executor = None
        self._scheduler = None
        self._policy = None
        self._running = False

    def start(self):
        """Start the worker pool and the retry scheduler."""
        with self._lock:
            if self._running:
                return
            self._policy = RetryPolicy.from_conf(CONF)
            self._executor = futurist.ThreadPoolExecutor(
                max_workers=self._max_workers)
            self._scheduler = _Scheduler()
            self._scheduler.start()
            self._running = True

    def stop(self, wait=True):
        """Stop: finish the requests under way, give up on the others.

        Notifications not delivered yet (queued or waiting for a retry)
        are reported as failed.

        :param wait: wait for the requests under way to end.
        """
        with self._lock:
            if not self._running:
                return
            self._running = False
        self._scheduler.stop()
        self._executor.shutdown(wait=wait)
        with self._lock:
            left = [d for queue in self._queues.values() for d in queue]
            self._queues.clear()
        for delivery in left:
            self._report(delivery, delivery.result(
                False, stopped=True,
                reason=_('the notifier stopped before the notification '
                         'was delivered')))

    def pending(self):
        """How many notifications are queued or under way."""
        with self._lock:
            return sum(len(q) for q in self._queues.values())

    def notify(self, subscription, notification, on_result=None):
        """Queue a notification for a subscription; return at once.

        :param subscription: a dict with ``callbackUri`` and, optionally,
            ``id`` and ``authentication``; or an object with ``id``,
            ``callback_uri`` and ``authentication`` attributes (a database
            subscription). An ``authentication`` that is a string is
            decrypted when the notification is sent, not before.
        :param notification: the notification, a JSON-serialisable dict.
        :param on_result: called with this notification's
            :class:`DeliveryResult`, besides the notifier's ``on_result``.
        :returns: a :class:`concurrent.futures.Future` of the
            DeliveryResult (it never raises: a failure is a result).
        """
        delivery = _Delivery(subscription, notification, on_result)
        key = callback_uri(subscription)
        submit = refused = None
        stopped = False
        with self._lock:
            if not self._running:
                refused = _('the notifier is not running')
                stopped = True
            else:
                queue = self._queues.get(key)
                if queue is None:
                    queue = self._queues[key] = collections.deque()
                    submit = key
                if len(queue) >= CONF.outbound.notification_max_pending:
                    refused = _('too many notifications are waiting for '
                                'this callback URI')
                else:
                    queue.append(delivery)
        if refused is not None:
            self._report(delivery, delivery.result(False, reason=refused,
                                                   stopped=stopped))
        elif submit is not None:
            self._submit(key)
        return delivery.future

    def deliver(self, subscription, notification, on_result=None):
        """Same as :meth:`notify`."""
        return self.notify(subscription, notification, on_result=on_result)

    def _submit(self, key):
        try:
            self._executor.submit(self._run, key)
        except RuntimeError:
            # Shut down meanwhile: stop() reports what is left.
            LOG.debug('Notifier stopped; delivery to %s not resubmitted',
                      urls.redact(key))

    def _run(self, key):
        """Make the next attempt for the first delivery of a URI."""
        with self._lock:
            queue = self._queues.get(key)
            if not queue or not self._running:
                return
            delivery = queue[0]
        if delivery.state is None:
            delivery.state = self._policy.new_state()
        delivery.attempts += 1
        outcome = _attempt(delivery.subscription, delivery.notification,
                           self.token_cache, self._decrypt)
        if not outcome.delivered and outcome.retryable:
            delay = self._policy.next_delay(delivery.state,
                                            outcome.retry_after)
            if delay is not None:
                LOG.info('Notification %(id)s to subscription %(sub)s '
                         '(%(uri)s) failed: %(reason)s; attempt %(next)d in '
                         '%(delay).1f s',
                         {'id': delivery.notification.get('id'),
                          'sub': _field(delivery.subscription, 'id'),
                          'uri': urls.redact(key), 'reason': outcome.reason,
                          'next': delivery.attempts + 1, 'delay': delay})
                self._scheduler.call_later(
                    delay, functools.partial(self._submit, key))
                return
        self._report(delivery, delivery.result(outcome.delivered, outcome))
        with self._lock:
            queue = self._queues.get(key)
            if queue and queue[0] is delivery:
                queue.popleft()
            if not queue:
                self._queues.pop(key, None)
                return
        self._submit(key)

    def _report(self, delivery, result):
        with self._lock:
            if delivery.done:
                return
            delivery.done = True
        if result.delivered:
            LOG.debug('Notification %(id)s delivered to subscription '
                      '%(sub)s (%(uri)s) in %(n)d attempt(s)',
                      {'id': result.notification_id,
                       'sub': result.subscription_id,
                       'uri': result.callback_uri, 'n': result.attempts})
        else:
            LOG.warning('Notification %(id)s (%(type)s) not delivered to '
                        'subscription %(sub)s (%(uri)s) after %(n)d '
                        'attempt(s): %(reason)s',
                        {'id': result.notification_id,
                         'type': result.notification_type,
                         'sub': result.subscription_id,
                         'uri': result.callback_uri, 'n': result.attempts,
                         'reason': result.reason})
        for callback in (delivery.on_result, self._on_result):
            if callback is None:
                continue
            try:
                callback(result)
            except Exception:
                LOG.exception('A notification result callback failed')
        delivery.future.set_result(result)


_NOTIFIER = None
_NOTIFIER_LOCK = threading.Lock()


def get_notifier():
    """The process's notifier, started on first use.

    :returns: a running :class:`Notifier`.
    """
    global _NOTIFIER
    with _NOTIFIER_LOCK:
        if _NOTIFIER is None:
            _NOTIFIER = Notifier()
            _NOTIFIER.start()
        return _NOTIFIER


def stop_notifier():
    """Stop the process's notifier, if it was started (at shutdown)."""
    global _NOTIFIER
    with _NOTIFIER_LOCK:
        current, _NOTIFIER = _NOTIFIER, None
    if current is not None:
        current.stop()
