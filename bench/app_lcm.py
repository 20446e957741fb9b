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
"""Instantiate and terminate through the API, against Heat's own time.

A deployment in processes (the API and two conductors on RabbitMQ and
MariaDB, :class:`~mec_orchestrator.tests.functional.cluster.Cluster`)
drives the OpenStack lab's Heat (``tools/lab``) as its VIM, in a fresh lab
project whose Nova and Neutron quotas are lifted. The package is the
EdgeGallery VM sample with 64 MB of RAM, its three ports on a network of
the project's own (``MEC_BENCH_CIDR``, default ``10.99.0.0/22``).

Sequential: after a warm-up, instances are instantiated then terminated
one after the other (50 of each by default). An operation's total time is
measured by the client, from the ``POST`` to the first poll (every 50 ms)
that sees the op-occ COMPLETED. Heat's own time for the stack create or
delete (``vim_seconds``, from the stack's events) is read from the op-occ's
journal in the database. The orchestrator's overhead is total minus Heat's
time; the baseline of the ratio is Heat's time in the same run. As
Heat's events are to the second, a second baseline copies the stack of
one instance in five (its template read back from Heat) and creates and
deletes the copy straight in Heat, timed by the client the same way.

Concurrent: 100 instances are created, then 100 instantiations are posted
at once from a thread pool; one poller lists the op-occs until all are
final. The same for their termination. Finally no ``mec-`` stack of the
benchmark may be left but in DELETE_COMPLETE.

Needs ``MEC_LAB_STATE`` (``tools/lab/lab run``), ``PIFPAF_RABBITMQ_URL``
and ``PIFPAF_MYSQL_URL`` (``pifpaf run rabbitmq -- pifpaf run mysql``):
``tools/run-bench-lab.sh`` provides them. Environment:
``MEC_BENCH_LCM_RUNS`` (sequential operations of each kind, default 50),
``MEC_BENCH_LCM_WARMUP`` (default 2), ``MEC_BENCH_LCM_CONCURRENT``
(default 100), ``MEC_BENCH_STACK_TIMEOUT`` (the conductors' Heat timeout,
default 1800 s), ``MEC_BENCH_VIM_TIMEOUT`` (their ``[vim]
request_timeout``, default the cluster's 60 s), ``MEC_BENCH_STALL``
(seconds without any op-occ becoming final after which the rest are
reported stuck, default 600), ``MEC_BENCH_LCM_HEAT_RUNS`` (stack copies
created and deleted straight in Heat as a client-timed baseline, default
10), ``MEC_BENCH_KEEP`` (keep the cluster's directory and logs).
"""

import collections
import concurrent.futures
import json
import math
import os
import re
import shutil
import sys
import threading
import time

LCM = '/app_lcm/v1'
FINAL = ('COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK')
ENV = (('MEC_LAB_STATE', 'the OpenStack lab: tools/lab/lab run'),
       ('PIFPAF_RABBITMQ_URL', 'RabbitMQ: pifpaf run rabbitmq'),
       ('PIFPAF_MYSQL_URL', 'MariaDB: pifpaf run mysql'))


def log(msg):
    """A progress line on stderr."""
    print('[%s] %s' % (time.strftime('%H:%M:%S'), msg), file=sys.stderr,
          flush=True)


def missing_environment():
    """Why a lab benchmark cannot run, or None.

    :returns: a sentence naming the missing variables, or None.
    """
    missing = ['%s (%s)' % (name, what) for name, what in ENV
               if not os.environ.get(name)]
    if not missing:
        return None
    return ('NOT RUN: %s not set (run it with tools/run-bench-lab.sh)'
            % ', '.join(missing))


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def percentile(values, q):
    """The nearest-rank percentile of values (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(int(math.ceil(q * len(ordered))) - 1, 0)]


def stats(values):
    """p50, p95, min, max and count, in seconds (3 decimals)."""
    values = [v for v in values if v is not None]
    if not values:
        return {'count': 0}
    return {'p50': round(percentile(values, 0.5), 3),
            'p95': round(percentile(values, 0.95), 3),
            'min': round(min(values), 3), 'max': round(max(values), 3),
            'count': len(values)}


UUID = re.compile(r'[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?'
                  r'[0-9a-f]{12}|\breq-[0-9a-f-]+')
LEVEL = re.compile(r'\b(ERROR|CRITICAL|WARNING)\b (.*)')


def log_problems(logs, limit=15):
    """The distinct WARNING/ERROR messages of the processes' logs.

    :param logs: {file name: text}.
    :returns: a list of {level, count, files, message}, most frequent
        first (ids replaced by ``<id>`` to group them).
    """
    seen = collections.OrderedDict()
    for name, text in logs.items():
        previous = None
        for line in text.splitlines():
            match = LEVEL.search(line)
            if not match:
                continue
            # A traceback's lines repeat the first one's time and pid.
            stamp = line[:match.start()]
            if stamp == previous:
                continue
            previous = stamp
            message = match.group(2)
            key = (match.group(1), re.sub(r'\d+', 'N', UUID.sub(
                '<id>', message))[:160])
            entry = seen.setdefault(key, {'level': match.group(1),
                                          'count': 0, 'files': set(),
                                          'message': message[:400]})
            entry['count'] += 1
            entry['files'].add(re.sub(r'-\d+\.log$', '', name))
    out = sorted(seen.values(), key=lambda e: (e['level'] == 'WARNING',
                                               -e['count']))
    return [dict(e, files=sorted(e['files'])) for e in out[:limit]]


class LabCluster(object):
    """The lab project, database and cluster the LCM benchmarks share.

    :param prefix: the lab project's name prefix.
    :param sections: configuration sections merged over the cluster's.
    """

    def __init__(self, prefix, sections=None):
        self.prefix = prefix
        self.sections = sections or {}
        self._fixtures = []
        self.workdir = None

    def __enter__(self):
        from mec_orchestrator.tests.functional import base
        from mec_orchestrator.tests.functional import cluster
        from mec_orchestrator.tests.functional import lab as lab_fixtures
        import sqlalchemy as sa

        self.lab = lab_fixtures.Lab.load()
        try:
            self.project = self._use(lab_fixtures.LabProject(
                self.lab, admin=True, prefix=self.prefix))
            log('lab project %s' % self.project.project_name)
            self._lift_quotas()
            self.network = self._network()
            db = self._use(base.MySQLDatabase(os.environ[
                'PIFPAF_MYSQL_URL'].replace('mysql://', 'mysql+pymysql://',
                                            1)))
            self.engine = sa.create_engine(db.url)
            self.workdir = cluster.workdir()
            self.cluster = self._use(cluster.Cluster(
                self.workdir, os.environ['PIFPAF_RABBITMQ_URL'], db.url,
                conductors=2, sections=self.sections))
            log('cluster up at %s (%s)' % (self.cluster.url, self.workdir))
            self.vim = self.cluster.register_lab_vim(self.lab, self.project)
            self.package = self.cluster.onboard(cluster.vm_package(
                self.lab.image, memory_mb=64))
            log('package %s onboarded' % self.package['id'])
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _use(self, fixture):
        fixture.setUp()
        self._fixtures.append(fixture)
        return fixture

    def _network(self):
        """The project's own network, for more ports than the lab's /24.

        The sample has three connection points, so 100 instances need 300
        addresses. ``MEC_BENCH_CIDR`` (default ``10.99.0.0/22``); empty
        uses the lab's network.
        """
        cidr = os.environ.get('MEC_BENCH_CIDR', '10.99.0.0/22')
        if not cidr:
            return self.lab.network
        conn = self.project.connection()
        net = conn.network.create_network(name='mec-bench-net')
        conn.network.create_subnet(network_id=net.id, ip_version=4,
                                   cidr=cidr, name='mec-bench-subnet')
        return net.name

    def _lift_quotas(self):
        admin = self.lab.admin_connection()
        pid = self.project.project_id
        admin.set_compute_quotas(pid, instances=-1, cores=-1, ram=-1)
        admin.set_network_quotas(pid, port=-1)
        self._admin = admin

    def __exit__(self, *exc):
        engine = getattr(self, 'engine', None)
        if engine is not None:
            engine.dispose()
        while self._fixtures:
            fixture = self._fixtures.pop()
            try:
                fixture.cleanUp()
            except Exception as e:  # noqa: BLE001 - keep cleaning up
                log('cleanup of %s failed: %s' % (
                    type(fixture).__name__, e))
        admin = getattr(self, '_admin', None)
        if admin is not None:
            try:
                admin.delete_compute_quotas(self.project.project_id)
            except Exception:  # noqa: BLE001 - the project is gone anyway
                pass
        self.logs = {}
        if self.workdir and os.path.isdir(self.workdir):
            for name in sorted(os.listdir(self.workdir)):
                if name.endswith('.log'):
                    with open(os.path.join(self.workdir, name), 'rb') as f:
                        self.logs[name] = f.read().decode('utf-8', 'replace')
            if os.environ.get('MEC_BENCH_KEEP'):
                log('kept %s' % self.workdir)
            else:
                shutil.rmtree(self.workdir, ignore_errors=True)
        return False

    # -- what the benchmarks read --------------------------------------------

    def journal(self, op_id):
        """The op-occ's steps journal, from the database."""
        import sqlalchemy as sa
        with self.engine.connect() as conn:
            raw = conn.execute(sa.text(
                'SELECT steps FROM app_lcm_op_occs WHERE id = :id'),
                {'id': op_id}).scalar()
        if not raw:
            return {}
        return raw if isinstance(raw, dict) else json.loads(raw)

    def op_rows(self):
        """Every op-occ: operation, state, start and state times, error."""
        import sqlalchemy as sa
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.text(
                'SELECT id, operation, operation_state, start_time, '
                'state_entered_time, error FROM app_lcm_op_occs'))]

    def count(self, sql):
        import sqlalchemy as sa
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()

    def stacks_left(self, instance_ids=None):
        """The project's ``mec-`` stacks not DELETE_COMPLETE.

        :param instance_ids: only these instances' stacks (default: every
            stack the project's user owns).
        :returns: a list of (name, status, reason).
        """
        conn = self.project.connection()
        names = ({'mec-%s' % i for i in instance_ids}
                 if instance_ids is not None else None)
        out = []
        for stack in conn.orchestration.stacks():
            if not stack.name.startswith('mec-'):
                continue
            if names is not None and stack.name not in names:
                continue
            if names is None and stack.owner_id != self.project.username:
                continue
            if stack.status != 'DELETE_COMPLETE':
                out.append((stack.name, stack.status, stack.status_reason))
        return out


def vim_seconds(journal):
    infra = ((journal or {}).get('done') or {}).get('infra') or {}
    value = infra.get('vim_seconds')
    return float(value) if value is not None else None


def step_seconds(journal):
    return {name: step.get('seconds')
            for name, step in ((journal or {}).get('done') or {}).items()}


def op_id(url):
    return url.rstrip('/').rsplit('/', 1)[-1]


# -- the client-timed Heat baseline ------------------------------------------


class HeatBaseline(object):
    """Create and delete a copy of an instance's stack straight in Heat.

    The copy has the same template (read back from Heat); create and
    delete are timed as the orchestrator's operations are, by the client,
    from the request to the first poll (every 50 ms) that sees the end.
    """

    def __init__(self, env):
        self.conn = env.project.connection()
        self.records = {'create': [], 'delete': [], 'failed': []}
        self.count = 0

    def _get(self, path):
        return self.conn.orchestration.get(path, raise_exc=False)

    def measure(self, inst_id):
        heat = self.conn.orchestration
        name = 'mec-%s' % inst_id
        stack = heat.find_stack(name, ignore_missing=True)
        if stack is None:
            self.records['failed'].append('%s not found' % name)
            return
        template = self._get('/stacks/%s/%s/template' % (
            name, stack.id)).json()
        self.count += 1
        copy = 'bench-heat-%d-%s' % (self.count, inst_id[:8])
        started = time.perf_counter()
        resp = heat.post('/stacks', json={
            'stack_name': copy, 'template': template, 'timeout_mins': 30,
            'disable_rollback': True}, raise_exc=False)
        if resp.status_code != 201:
            self.records['failed'].append('create: %d %s' % (
                resp.status_code, resp.text[:300]))
            return
        path = '/stacks/%s/%s' % (copy, resp.json()['stack']['id'])
        status, seen = self._until(path, ('CREATE_COMPLETE',
                                          'CREATE_FAILED'))
        if status != 'CREATE_COMPLETE':
            self.records['failed'].append('create: %s' % status)
        else:
            self.records['create'].append(seen - started)
        started = time.perf_counter()
        heat.delete(path, raise_exc=False)
        status, seen = self._until(path, ('DELETE_COMPLETE',
                                          'DELETE_FAILED', None))
        if status == 'DELETE_FAILED':
            self.records['failed'].append('delete: %s' % status)
        else:
            self.records['delete'].append(seen - started)

    def _until(self, path, ends, timeout=600):
        deadline = time.monotonic() + timeout
        while True:
            resp = self._get(path)
            status = (resp.json()['stack']['stack_status']
                      if resp.status_code == 200 else None)
            if status in ends:
                return status, time.perf_counter()
            if time.monotonic() > deadline:
                return 'TIMEOUT (%s)' % status, time.perf_counter()
            time.sleep(0.05)

    def summary(self):
        return {'create_s': stats(self.records['create']),
                'delete_s': stats(self.records['delete']),
                'failed': self.records['failed']}


# -- sequential ---------------------------------------------------------------


def _wait(cluster, url, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        op = cluster.op(url)
        if op['operationState'] in FINAL:
            return op, time.perf_counter()
        if time.monotonic() > deadline:
            raise RuntimeError('op-occ %s still %s after %d s' % (
                url, op['operationState'], timeout))
        time.sleep(interval)


def _timed(env, inst_id, task, body, timeout):
    """POST a task, poll its op-occ every 50 ms; total client-side."""
    started = time.perf_counter()
    resp = env.cluster.call('POST', '%s/app_instances/%s/%s' % (
        LCM, inst_id, task), body)
    if resp.status_code != 202:
        return {'state': 'REFUSED', 'error': '%d %s' % (
            resp.status_code, resp.text[:300])}
    url = resp.headers['Location']
    try:
        op, seen = _wait(env.cluster, url, timeout)
    except RuntimeError as e:
        return {'op': op_id(url), 'state': 'NOT FINAL', 'error': str(e)}
    journal = env.journal(op_id(url))
    return {'op': op_id(url), 'state': op['operationState'],
            'error': (op.get('error') or {}).get('detail'),
            'total': seen - started, 'vim': vim_seconds(journal),
            'steps': step_seconds(journal)}


def _create(env):
    return env.cluster.call('POST', LCM + '/app_instances', {
        'appDId': env.package['appDId']}, status=201).json()['id']


def _delete(env, inst_id):
    resp = env.cluster.call('DELETE', '%s/app_instances/%s' % (LCM, inst_id))
    if resp.status_code != 204:
        log('instance %s not deleted: %d %s' % (inst_id, resp.status_code,
                                                resp.text[:300]))


def _summarize(records):
    done = [r for r in records if r['state'] == 'COMPLETED']
    totals = [r['total'] for r in done]
    vims = [r['vim'] for r in done if r['vim'] is not None]
    overheads = [r['total'] - r['vim'] for r in done
                 if r['vim'] is not None]
    steps = collections.defaultdict(list)
    for r in done:
        for name, seconds in r['steps'].items():
            if seconds is not None:
                steps[name].append(seconds)
    infra_minus_vim = [r['steps']['infra'] - r['vim'] for r in done
                       if r['vim'] is not None and
                       r['steps'].get('infra') is not None]
    out = {'operations': len(records), 'completed': len(done),
           'not_completed': [(r.get('op'), r['state'], r['error'])
                             for r in records if r not in done],
           'total_s': stats(totals), 'vim_s': stats(vims),
           'overhead_s': stats(overheads),
           'steps_s': {k: stats(v) for k, v in sorted(steps.items())},
           'infra_step_minus_vim_s': stats(infra_minus_vim)}
    if vims and overheads:
        out['ratio_overhead_over_vim_p50'] = round(
            percentile(overheads, 0.5) / percentile(vims, 0.5), 3)
        out['ratio_overhead_over_vim_p95'] = round(
            percentile(overheads, 0.95) / percentile(vims, 0.95), 3)
    return out


def sequential(env, runs, warmup, network, timeout, heat_runs):
    """Instantiate then terminate ``runs`` instances one at a time.

    Every few instances, while the instance is up, a copy of its stack is
    created and deleted straight in Heat (``heat_runs`` in all).
    """
    records = {'INSTANTIATE': [], 'TERMINATE': []}
    baseline = HeatBaseline(env)
    every = max(runs // heat_runs, 1) if heat_runs else 0
    for i in range(warmup + runs):
        inst = _create(env)
        inst_r = _timed(env, inst, 'instantiate',
                        {'additionalParams': {'network': network}}, timeout)
        if (every and i >= warmup and inst_r['state'] == 'COMPLETED' and
                (i - warmup) % every == 0 and baseline.count < heat_runs):
            baseline.measure(inst)
            log('Heat baseline %d/%d: create %.2f s, delete %.2f s' % (
                baseline.count, heat_runs,
                (baseline.records['create'] or [0])[-1],
                (baseline.records['delete'] or [0])[-1]))
        term_r = None
        if inst_r['state'] == 'COMPLETED':
            term_r = _timed(env, inst, 'terminate',
                            {'terminationType': 'FORCEFUL'}, timeout)
        _delete(env, inst)
        tag = 'warm-up' if i < warmup else '%d/%d' % (i - warmup + 1, runs)
        log('sequential %s: instantiate %s %.2f s (Heat %s), terminate %s'
            % (tag, inst_r['state'], inst_r.get('total') or 0,
               inst_r.get('vim'), term_r and '%s %.2f s (Heat %s)' % (
                   term_r['state'], term_r.get('total') or 0,
                   term_r.get('vim'))))
        if inst_r['state'] != 'COMPLETED':
            log('  instantiate error: %s' % inst_r['error'])
        if i < warmup:
            continue
        records['INSTANTIATE'].append(inst_r)
        if term_r is not None:
            records['TERMINATE'].append(term_r)
    out = {op: _summarize(r) for op, r in records.items()}
    out['heat_client'] = heat = baseline.summary()
    for op, key in (('INSTANTIATE', 'create_s'), ('TERMINATE', 'delete_s')):
        mine, theirs = out[op]['total_s'], heat[key]
        if mine.get('count') and theirs.get('count'):
            out[op]['heat_client_s'] = theirs
            out[op]['ratio_total_over_heat_client_p50'] = round(
                mine['p50'] / theirs['p50'], 3)
            out[op]['total_minus_heat_client_p50_s'] = round(
                mine['p50'] - theirs['p50'], 3)
    return out


# -- concurrent ---------------------------------------------------------------


def _all_final(env, urls, posted, timeout, what, stall):
    """Poll the op-occ list until every url is final.

    Gives up after ``timeout`` seconds, or after ``stall`` seconds in
    which no op-occ became final (the others are then stuck).

    :returns: {url: (op-occ, seconds from its POST to first seen final)},
        and {url: last state} of those not final.
    """
    wanted = {op_id(u): u for u in urls}
    results = {}
    pending = {}
    deadline = time.monotonic() + timeout
    last_note = last_progress = time.monotonic()
    while len(results) < len(wanted):
        resp = env.cluster.call('GET', LCM + '/app_lcm_op_occs')
        now = time.perf_counter()
        states = collections.Counter()
        if resp.status_code == 200:
            for op in resp.json():
                url = wanted.get(op['id'])
                if url is None or url in results:
                    continue
                if op['operationState'] in FINAL:
                    results[url] = (op, now - posted[url])
                    pending.pop(url, None)
                    last_progress = time.monotonic()
                else:
                    pending[url] = op['operationState']
                    states[op['operationState']] += 1
        if time.monotonic() - last_note > 15:
            last_note = time.monotonic()
            log('%s: %d/%d final, others %s' % (what, len(results),
                                                len(wanted), dict(states)))
        if len(results) == len(wanted):
            break
        if time.monotonic() > deadline:
            log('%s: %d op-occs not final after %d s: %s' % (
                what, len(wanted) - len(results), timeout, dict(states)))
            break
        if time.monotonic() - last_progress > stall:
            log('%s: no op-occ became final for %d s; %d stuck: %s' % (
                what, stall, len(wanted) - len(results), dict(states)))
            break
        time.sleep(0.2)
    return results, pending


def _burst(env, inst_ids, task, body, timeout, what):
    posted = {}
    lock = threading.Lock()
    refused = []

    def post(inst_id):
        started = time.perf_counter()
        resp = env.cluster.call('POST', '%s/app_instances/%s/%s' % (
            LCM, inst_id, task), body)
        if resp.status_code != 202:
            with lock:
                refused.append((inst_id, resp.status_code, resp.text[:300]))
            return
        with lock:
            posted[resp.headers['Location']] = started

    begin = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(
            max(len(inst_ids), 1)) as pool:
        list(pool.map(post, inst_ids))
    posting = time.perf_counter() - begin
    log('%s: %d posted in %.1f s, %d refused' % (what, len(posted), posting,
                                                 len(refused)))
    results, pending = _all_final(env, list(posted), posted, timeout, what,
                                  env_int('MEC_BENCH_STALL', 600))
    wall = max([s + posted[u] - begin for u, (_op, s) in results.items()]
               or [0])
    records = []
    for url in posted:
        if url not in results:
            records.append({'op': op_id(url), 'state': 'NOT FINAL',
                            'error': 'still %s' % pending.get(url),
                            'total': None, 'vim': None, 'steps': {}})
            continue
        op, seconds = results[url]
        journal = env.journal(op_id(url))
        records.append({'op': op_id(url), 'state': op['operationState'],
                        'error': (op.get('error') or {}).get('detail'),
                        'total': seconds, 'vim': vim_seconds(journal),
                        'steps': step_seconds(journal)})
    out = _summarize(records)
    out.update({'posted': len(posted), 'refused': refused,
                'posting_s': round(posting, 2), 'wall_s': round(wall, 2)})
    log('%s: %d/%d COMPLETED, wall %.1f s, per op p50 %s p95 %s' % (
        what, out['completed'], len(inst_ids), wall,
        out['total_s'].get('p50'), out['total_s'].get('p95')))
    return out


def concurrent_run(env, count, network, timeout):
    """Instantiate ``count`` instances at once, then terminate them."""
    inst_ids = [_create(env) for _ in range(count)]
    log('concurrent: %d instances created' % count)
    out = {'instances': count}
    out['instantiate'] = _burst(
        env, inst_ids, 'instantiate',
        {'additionalParams': {'network': network}}, timeout,
        'concurrent instantiate')
    states = collections.Counter()
    to_terminate = []
    for inst in inst_ids:
        state = env.cluster.call('GET', '%s/app_instances/%s' % (
            LCM, inst)).json()['instantiationState']
        states[state] += 1
        if state == 'INSTANTIATED':
            to_terminate.append(inst)
    out['instances_after_instantiate'] = dict(states)
    out['terminate'] = _burst(
        env, to_terminate, 'terminate', {'terminationType': 'FORCEFUL'},
        timeout, 'concurrent terminate')
    for inst in inst_ids:
        _delete(env, inst)
    out['stacks_left'] = env.stacks_left(inst_ids)
    return out


def _line(name, r):
    if not r.get('completed'):
        return '%s: none completed' % name
    nan = float('nan')
    line = ('%s %d/%d: total p50 %.2f p95 %.2f s, Heat p50 %.2f p95 %.2f s, '
            'overhead p50 %.2f p95 %.2f s (x%s of Heat at p50)' % (
                name, r['completed'], r['operations'], r['total_s']['p50'],
                r['total_s']['p95'], r['vim_s'].get('p50', nan),
                r['vim_s'].get('p95', nan), r['overhead_s'].get('p50', nan),
                r['overhead_s'].get('p95', nan),
                r.get('ratio_overhead_over_vim_p50')))
    if 'heat_client_s' in r:
        line += (', Heat timed by a client p50 %.2f s (total x%s)' % (
            r['heat_client_s']['p50'],
            r['ratio_total_over_heat_client_p50']))
    return line


def run():
    why = missing_environment()
    if why:
        return {'skipped': why, 'summary': why}
    runs = env_int('MEC_BENCH_LCM_RUNS', 50)
    warmup = env_int('MEC_BENCH_LCM_WARMUP', 2)
    count = env_int('MEC_BENCH_LCM_CONCURRENT', 100)
    stack_timeout = env_int('MEC_BENCH_STACK_TIMEOUT', 1800)
    sections = {'openstack': {'stack_timeout': str(stack_timeout)}}
    vim_timeout = os.environ.get('MEC_BENCH_VIM_TIMEOUT')
    if vim_timeout:
        sections['vim'] = {'request_timeout': vim_timeout}
    result = {'runs': runs, 'concurrent': count,
              'stack_timeout_s': stack_timeout,
              'vim_request_timeout_s': vim_timeout or 'cluster default'}
    started = time.monotonic()
    with LabCluster('mec-bench-lcm', sections) as env:
        network = env.network
        if runs:
            result['sequential'] = sequential(
                env, runs, warmup, network, timeout=stack_timeout + 120,
                heat_runs=env_int('MEC_BENCH_LCM_HEAT_RUNS', 10))
        if count:
            result['concurrent_ops'] = concurrent_run(
                env, count, network, timeout=stack_timeout + 300)
        result['stacks_left'] = env.stacks_left()
        result['op_occs_unfinished'] = env.count(
            "SELECT COUNT(*) FROM app_lcm_op_occs WHERE operation_state "
            "IN ('STARTING', 'PROCESSING', 'ROLLING_BACK')")
        result['allocations_left'] = env.count(
            'SELECT COUNT(*) FROM allocations')
    result['log_problems'] = log_problems(env.logs)
    result['elapsed_s'] = round(time.monotonic() - started, 1)
    parts = []
    seq = result.get('sequential')
    if seq:
        parts.append(_line('instantiate', seq['INSTANTIATE']))
        parts.append(_line('terminate', seq['TERMINATE']))
    conc = result.get('concurrent_ops')
    if conc:
        for name in ('instantiate', 'terminate'):
            r = conc[name]
            parts.append('%d concurrent %s: %d COMPLETED in %.1f s (per op '
                         'p50 %s p95 %s s)' % (
                             len(r['not_completed']) + r['completed'],
                             name, r['completed'], r['wall_s'],
                             r['total_s'].get('p50'),
                             r['total_s'].get('p95')))
    parts.append('%d stacks left' % len(result['stacks_left']))
    result['summary'] = '; '.join(parts)
    return result


if __name__ == '__main__':
    json.dump(run(), sys.stdout, indent=2, default=str)
