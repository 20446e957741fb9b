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
"""Lifecycle operations under conductor crashes (SIGKILL).

Used by the functional reliability test (at least 20 kills) and by the
benchmark (``python -m bench app_lcm_kills``, 100 kills). Each round
instantiates a few app instances through the API, kills a conductor at a
random moment, starts it again at once (it resumes its own op-occs) or
only after the others settled (a live conductor takes them over once the
lease expired), then terminates them the same way.
"""

import threading
import time

from mec_orchestrator.tests.functional import base

LCM = '/app_lcm/v1'
FINAL = ('COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK')


class Subscriber(object):
    """A callback server subscribed to a cluster's op-occ state changes.

    It answers each notification's first delivery with a 503, so that
    every notification waits 1-2 s in its conductor for a retry (with the
    cluster's :data:`SECTIONS`): a conductor killed then dies with
    notifications still to deliver.

    :param cluster: a :class:`~.cluster.Cluster` made with
        :data:`SECTIONS` among its sections.
    """

    #: The cluster's configuration sections this subscriber expects.
    SECTIONS = {'outbound': {'notification_retry_initial_delay': '2'}}

    def __init__(self, cluster):
        self._refused = set()
        self._lock = threading.Lock()
        self.server = base.HttpServer(answer=self._answer)
        cluster.call('POST', LCM + '/subscriptions', {
            'subscriptionType': 'AppLcmOpOccStateChange',
            'callbackUri': self.server.url + '/lcm'}, status=201)

    def _answer(self, notification):
        with self._lock:
            if notification['id'] in self._refused:
                return 204
            self._refused.add(notification['id'])
            return 503

    def stop(self):
        self.server.stop()

    def missing(self, final_states):
        """The op-occ states not notified yet.

        :param final_states: {op-occ id: final state}.
        :returns: a set of (op-occ id, state): STARTING, PROCESSING and
            the final state of each op-occ not received.
        """
        seen = {(n['appLcmOpOccId'], n['notificationType'])
                for n in list(self.server.received)}
        return {(op_id, state) for op_id, final in final_states.items()
                for state in ('STARTING', 'PROCESSING', final)} - seen

    def wait(self, final_states, timeout=120):
        """Wait for every op-occ state to be notified.

        :returns: the states still not notified after timeout seconds.
        """
        deadline = time.monotonic() + timeout
        while self.missing(final_states) and time.monotonic() < deadline:
            time.sleep(0.5)
        return self.missing(final_states)

    def counts(self):
        """(notifications received, distinct notification ids)."""
        received = list(self.server.received)
        return len(received), len({n['id'] for n in received})


class Outcome(object):
    """What the rounds saw."""

    def __init__(self):
        self.kills = 0
        self.restarts_at_once = 0
        self.takeovers_waited = 0
        #: (operation, final state, error detail or None, seconds).
        self.ops = []
        #: {op-occ id: final state}.
        self.final_states = {}

    @property
    def not_completed(self):
        return [o for o in self.ops if o[1] != 'COMPLETED']


def _settle(cluster, urls, timeout):
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    results = {}
    while len(results) < len(urls):
        for url in urls:
            if url in results:
                continue
            op = cluster.op(url)
            if op['operationState'] in FINAL:
                results[url] = (op, time.monotonic() - started)
        if time.monotonic() > deadline and len(results) < len(urls):
            pending = [cluster.op(u) for u in urls if u not in results]
            raise AssertionError('op-occs not final after %d s: %s' % (
                timeout, [(p['id'], p['operationState']) for p in pending]))
        time.sleep(0.25)
    return [results[u] for u in urls]


def _crash(cluster, rng, outcome, urls, window, settle_timeout, log,
           kills=2, down_for=9):
    """Kill conductors while op-occs run, then wait for them to settle.

    Each kill hits a random conductor at a random moment of the window; it
    is started again at once (it resumes its own op-occs) or after
    ``down_for`` seconds (long enough for its lease and heartbeat to
    expire, so that a live conductor takes its op-occs over).
    """
    for _ in range(kills):
        time.sleep(rng.uniform(0, window / kills))
        victim = rng.choice(sorted(cluster.conductors))
        cluster.kill(victim)
        outcome.kills += 1
        at_once = rng.random() < 0.5
        log('kill %d: %s (%s)' % (outcome.kills, victim,
                                  'restarted at once' if at_once
                                  else 'down for %d s' % down_for))
        if at_once:
            outcome.restarts_at_once += 1
        else:
            time.sleep(down_for)
            outcome.takeovers_waited += 1
        cluster.start_conductor(victim)
    return _settle(cluster, urls, settle_timeout)


def run(cluster, app_d_id, network, kills, rng, per_round=3,
        settle_timeout=300, log=lambda msg: None):
    """Instantiate and terminate under conductor crashes.

    :param cluster: a :class:`~.cluster.Cluster` with 2+ conductors.
    :param app_d_id: an onboarded, enabled AppD.
    :param network: the network for the instances' ports.
    :param kills: how many SIGKILLs to send (at least).
    :param rng: a random.Random.
    :param per_round: instances per round.
    :param settle_timeout: seconds an op-occ may take to be final.
    :param log: called with progress lines.
    :returns: an :class:`Outcome`.
    """
    outcome = Outcome()
    while outcome.kills < kills:
        insts = [cluster.call('POST', LCM + '/app_instances', {
            'appDId': app_d_id}, status=201).json()
            for _ in range(per_round)]
        urls = [cluster.call(
            'POST', '%s/app_instances/%s/instantiate' % (LCM, i['id']),
            {'additionalParams': {'network': network}},
            status=202).headers['Location'] for i in insts]
        for op, seconds in _crash(cluster, rng, outcome, urls, 10,
                                  settle_timeout, log):
            outcome.final_states[op['id']] = op['operationState']
            outcome.ops.append(('INSTANTIATE', op['operationState'],
                                (op.get('error') or {}).get('detail'),
                                seconds))
        urls = []
        for inst in insts:
            state = cluster.call('GET', '%s/app_instances/%s' % (
                LCM, inst['id'])).json()['instantiationState']
            if state == 'INSTANTIATED':
                urls.append(cluster.call(
                    'POST', '%s/app_instances/%s/terminate' % (
                        LCM, inst['id']), {'terminationType': 'FORCEFUL'},
                    status=202).headers['Location'])
        if urls:
            for op, seconds in _crash(cluster, rng, outcome, urls, 5,
                                      settle_timeout, log):
                outcome.final_states[op['id']] = op['operationState']
                outcome.ops.append(('TERMINATE', op['operationState'],
                                    (op.get('error') or {}).get('detail'),
                                    seconds))
        for inst in insts:
            resp = cluster.call('DELETE', '%s/app_instances/%s' % (
                LCM, inst['id']))
            if resp.status_code != 204:
                log('instance %s not deleted: %s' % (inst['id'],
                                                     resp.text))
    return outcome
