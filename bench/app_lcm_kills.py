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
"""Instantiate and terminate while conductors are killed (SIGKILL).

The deployment of :mod:`bench.app_lcm` (the API and two conductors on
RabbitMQ and MariaDB, the lab's Heat as the VIM) runs the rounds of
:func:`mec_orchestrator.tests.functional.reliability.run`: three
instances instantiated, then terminated, a conductor killed at a random
moment of each, started again at once (it resumes its own op-occs) or
after its lease expired (the other takes them over). Reports the kills,
how many op-occs completed (every one should), the op-occs' durations
under kills (from the database's ``start_time`` and
``state_entered_time``, to the second), and the stacks left (none should
be). A subscriber to the op-occ state changes refuses each notification
once (each waits 1-2 s in its conductor for a retry); every op-occ's
STARTING, PROCESSING and final state must reach it however the conductors
died, and the outbox must end empty: reports the states never notified
and the notifications received (at least once: a notification whose
conductor died before the subscriber's answer comes again).

Environment: ``MEC_BENCH_KILLS`` (default 100), ``MEC_BENCH_SEED`` (the
random seed, default random), ``MEC_BENCH_KEEP``; and the lab and pifpaf
variables of :mod:`bench.app_lcm`.
"""

import collections
import json
import random
import sys
import time

import requests

from bench import app_lcm


def _durations(rows):
    out = collections.defaultdict(list)
    for row in rows:
        if row['operation_state'] == 'COMPLETED':
            out[row['operation']].append(
                (row['state_entered_time'] - row['start_time'])
                .total_seconds())
    return out


def run():
    why = app_lcm.missing_environment()
    if why:
        return {'skipped': why, 'summary': why}
    from mec_orchestrator.tests.functional import reliability

    kills = app_lcm.env_int('MEC_BENCH_KILLS', 100)
    seed = app_lcm.env_int('MEC_BENCH_SEED', random.randrange(1 << 30))
    result = {'kills_asked': kills, 'seed': seed}
    started = time.monotonic()
    with app_lcm.LabCluster('mec-bench-kill',
                            reliability.Subscriber.SECTIONS) as env:
        app_lcm.log('%d kills, seed %d' % (kills, seed))
        subscriber = reliability.Subscriber(env.cluster)
        try:
            outcome = reliability.run(
                env.cluster, env.package['appDId'], env.network, kills,
                random.Random(seed), log=app_lcm.log)
        except (AssertionError, requests.RequestException) as e:
            # Op-occs not final in time: report what the database holds.
            app_lcm.log('the rounds stopped: %s' % e)
            result['stopped'] = str(e)
            outcome = reliability.Outcome()
        result['run_s'] = round(time.monotonic() - started, 1)
        missing = subscriber.wait(outcome.final_states)
        subscriber.stop()
        result['states_not_notified'] = sorted(missing)
        result['notifications_received'], result['notifications_distinct'] = (
            subscriber.counts())
        result['outbox_left'] = env.count(
            'SELECT COUNT(*) FROM notifications')
        rows = env.op_rows()
        result['stacks_left'] = env.stacks_left()
        result['instances_left'] = len(env.cluster.call(
            'GET', app_lcm.LCM + '/app_instances').json())
        result['allocations_left'] = env.count(
            'SELECT COUNT(*) FROM allocations')
    result['kills'] = outcome.kills
    result['restarts_at_once'] = outcome.restarts_at_once
    result['takeovers_waited'] = outcome.takeovers_waited
    result['ops'] = len(outcome.ops)
    by_op = collections.Counter((o[0], o[1]) for o in outcome.ops)
    result['ops_by_state'] = {'%s %s' % k: v for k, v in by_op.items()}
    result['completed'] = sum(1 for o in outcome.ops if o[1] == 'COMPLETED')
    result['not_completed'] = [
        {'operation': o[0], 'state': o[1], 'error': o[2]}
        for o in outcome.not_completed]
    result['db_op_occs_by_state'] = dict(collections.Counter(
        '%s %s' % (r['operation'], r['operation_state']) for r in rows))
    durations = _durations(rows)
    result['duration_s'] = {op: app_lcm.stats(v)
                            for op, v in sorted(durations.items())}
    result['duration_s']['ALL'] = app_lcm.stats(
        [v for values in durations.values() for v in values])
    result['kills_per_minute'] = round(
        outcome.kills / (result['run_s'] / 60.0), 2)
    result['log_problems'] = app_lcm.log_problems(env.logs)
    result['elapsed_s'] = round(time.monotonic() - started, 1)
    every = result['duration_s']['ALL']
    result['summary'] = (
        '%d kills (%d restarted at once, %d taken over) in %.0f s; '
        '%d/%d op-occs COMPLETED; op duration under kills p50 %s p95 %s s; '
        '%d op-occ states not notified (%d notifications received, %d '
        'distinct), %d left in the outbox; %d stacks left' % (
            outcome.kills, outcome.restarts_at_once,
            outcome.takeovers_waited, result['run_s'], result['completed'],
            result['ops'], every.get('p50'), every.get('p95'),
            len(missing), result['notifications_received'],
            result['notifications_distinct'], result['outbox_left'],
            len(result['stacks_left'])))
    if 'stopped' in result:
        result['summary'] = 'STOPPED (%s); %s' % (result['stopped'][:300],
                                                  result['summary'])
    if result['not_completed']:
        result['summary'] += '; NOT COMPLETED: %s' % '; '.join(
            '%(operation)s %(state)s (%(error)s)' % o
            for o in result['not_completed'])
    return result


if __name__ == '__main__':
    json.dump(run(), sys.stdout, indent=2, default=str)
