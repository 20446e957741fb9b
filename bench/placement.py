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
"""One placement decision over synthetic MEC hosts, and Placement's.

Ours: :meth:`mec_orchestrator.placement.scheduler.Scheduler.select` with
every filter and weigher enabled, over 1,000, 10,000 and 100,000
synthetic hosts (a mix of VIM types and states, capacities, platform
services, features, latencies, countries and coordinates; about one host
in a thousand passes every filter, each filter rejecting its share), for
a request that activates every filter (VM image, 1 vCPU / 512 MB /
1 GB, two services, a feature, a latency bound to a user area, country
and civic address, a circle area, anti-affinity).
Building the HostStates is timed apart (the caller may cache them).

The baseline, in the same run: OpenStack Placement's
``GET /allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1
&limit=1000`` over 1,000 and 10,000 resource providers with VCPU,
MEMORY_MB and DISK_GB inventories, created through its API. Placement
runs in the lab's nova venv (``~/.cache/mec-orchestrator-lab/venvs/*/
nova``), in a subprocess, as its WSGI app called in-process (no socket,
so neither side pays for HTTP) with ``noauth2`` and a throwaway SQLite
database. When the venv is absent the benchmark says so and reports ours.

Environment: ``MEC_BENCH_PLACEMENT_SIZES`` (default ``1000,10000,100000``),
``MEC_BENCH_PLACEMENT_RPS`` (default ``1000,10000``; empty skips
Placement), ``MEC_BENCH_PLACEMENT_RUNS`` (decisions per size, default 50
at 100,000 hosts, more for smaller sizes), ``MEC_BENCH_PLACEMENT_VENV``
(the venv holding openstack-placement).
"""

import glob
import json
import os
import random
import subprocess
import sys
import tempfile

from oslo_config import cfg

from bench import common
from mec_orchestrator.conf import placement as placement_conf
from mec_orchestrator.placement import scheduler

SERVICES = ('LocationService', 'RNIService', 'BWManagementService',
            'UEIdentityService', 'WLANInformationService')
COUNTRIES = ('FR', 'DE', 'ES', 'IT')
FILTERS = ['enabled', 'vim_type', 'capacity', 'services', 'features',
           'latency', 'location', 'affinity']
APPD = {
    'appDId': 'bench', 'appName': 'bench', 'appProvider': 'bench',
    'appSoftVersion': '1', 'appDVersion': '1', 'mecVersion': ['2.1.1'],
    'appDescription': 'bench',
    'virtualComputeDescriptor': {
        'virtualComputeDescId': 'vdu1',
        'virtualCpu': {'numVirtualCpu': 1},
        'virtualMemory': {'virtualMemSize': 512},
        'virtualDisk': [{'sizeOfStorage': 1}]},
    'swImageDescriptor': {'name': 'img', 'diskFormat': 'qcow2',
                          'containerFormat': 'bare'},
    'appServiceRequired': [
        {'serName': 'LocationService', 'version': '2.x'},
        {'serName': 'RNIService', 'version': '>=2.0,<3',
         'serTransportDependencies': [{
             'transport': {'type': 'REST_HTTP', 'protocol': 'HTTP',
                           'version': '2.0', 'security': {}},
             'serializers': ['JSON'], 'labels': ['l']}]}],
    'appFeatureRequired': [{'featureName': 'UserApps', 'version': '1'}],
    'appLatency': {'maxLatency': 20000000},
}
REQUEST = {
    'selectedMECHostInfo': [],
    'locationConstraints': {
        'countryCode': 'FR',
        'civicAddressElement': [{'caType': 1, 'caValue': 'Ile-de-France'}],
        'area': {'circle': {'center': {'latitude': 48.85,
                                       'longitude': 2.35},
                            'radius': 900000}}},
}


def _conf():
    conf = cfg.ConfigOpts()
    placement_conf.register_opts(conf)
    conf([], project='mec-orchestrator-bench', default_config_files=[])
    conf.set_override('enabled_filters', FILTERS, group='placement')
    conf.set_override('enabled_weighers', ['latency', 'load', 'cost'],
                      group='placement')
    return conf


def _rows(count, seed=42):
    """Synthetic (host dict, vim dict, usage) triples."""
    rnd = random.Random(seed)
    vims = [{'id': 'vim-%d' % i,
             'type': 'kubernetes' if i % 5 == 0 else 'openstack',
             'status': 'UNREACHABLE' if i % 17 == 0 else 'REACHABLE'}
            for i in range(max(count // 50, 1))]
    rows = []
    for i in range(count):
        vim = vims[i % len(vims)]
        services = [{'serName': s, 'version': rnd.choice(('2.1.1', '3.0')),
                     'transport': rnd.choice(('REST_HTTP', 'MB_TOPIC_BASED'))}
                    for s in SERVICES if rnd.random() < 0.8]
        host = {
            'id': 'host-%06d' % i, 'name': 'mec-%06d' % i,
            'vim_id': vim['id'], 'site': 'site-%d' % (i % 100),
            'enabled': rnd.random() > 0.02, 'available': True,
            'vcpus': rnd.choice((8, 16, 32, 64)),
            'vcpus_used': rnd.randint(0, 64),
            'memory_mb': rnd.choice((16384, 65536, 131072)),
            'memory_mb_used': rnd.randint(0, 65536),
            'disk_gb': rnd.choice((100, 500, 1000)),
            'disk_gb_used': rnd.randint(0, 500),
            'capacity_source': 'nova',
            'latitude': rnd.uniform(36.0, 55.0),
            'longitude': rnd.uniform(-5.0, 15.0),
            'platform_services': services,
            'latencies': {'area-%d' % a: rnd.uniform(1, 40)
                          for a in range(3)},
            'details': {
                'features': ['UserApps:1.0'] if rnd.random() < 0.9 else [],
                'cost': rnd.choice((1, 2, 3)),
                'location': {
                    'country_code': rnd.choice(COUNTRIES),
                    'civic_address': [{'caType': 1, 'caValue': rnd.choice(
                        ('Ile-de-France', 'Bretagne'))}]}},
        }
        usage = {'instances': ['inst-%d' % i] if i % 7 == 0 else []}
        rows.append((host, vim, usage))
    return rows


def _ours(sizes, runs):
    conf = _conf()
    sched = scheduler.Scheduler.from_conf(conf)
    spec = scheduler.RequestSpec.from_appd(
        APPD, REQUEST, user_area='area-0', instance_id='new',
        affinity={'anti_affinity': ['inst-0', 'inst-7', 'inst-14']})
    ratios = (4.0, 1.0, 1.0)
    out = {}
    for size in sizes:
        rows = _rows(size)
        build = common.timings(
            lambda rows=rows: [scheduler.HostState.from_row(
                h, v, u, ratios=ratios) for h, v, u in rows],
            max(runs // 10, 3), warmup=1)
        hosts = [scheduler.HostState.from_row(h, v, u, ratios=ratios)
                 for h, v, u in rows]
        result = sched.select(spec, hosts)
        repeat = runs if size >= 100000 else runs * (
            4 if size >= 10000 else 20)
        times = common.timings(lambda hosts=hosts: sched.select(spec, hosts),
                               repeat, warmup=3)
        out[size] = dict(_percentiles(times), passed=result.passed,
                         runs=repeat,
                         build_hoststates=common.describe(build))
    return out


def _percentiles(times):
    def pick(q):
        return round(times[min(int(len(times) * q), len(times) - 1)] * 1000,
                     3)
    return {'p50_ms': pick(0.5), 'p99_ms': pick(0.99)}


PLACEMENT_SCRIPT = r'''
import json, sys, tempfile, time, os, uuid
from oslo_config import cfg
from placement import conf as pconf
from placement import db_api
from placement import deploy
import webob

n_rps = [int(x) for x in sys.argv[1].split(',')]
runs = int(sys.argv[2])
tmp = tempfile.mkdtemp()
conf = cfg.ConfigOpts()
pconf.register_opts(conf)
path = os.path.join(tmp, 'placement.conf')
with open(path, 'w') as f:
    f.write('[api]\nauth_strategy = noauth2\n[placement_database]\n'
            'connection = sqlite:///%s/placement.db\n'
            'sync_on_startup = true\n' % tmp)
conf([], project='placement', default_config_files=[path])
db_api.configure(conf)
app = deploy.loadapp(conf)
HEADERS = {'X-Auth-Token': 'admin', 'OpenStack-API-Version':
           'placement latest', 'Content-Type': 'application/json',
           'Accept': 'application/json'}

def call(method, path, body=None):
    req = webob.Request.blank(path, method=method, headers=HEADERS)
    if body is not None:
        req.body = json.dumps(body).encode()
    resp = req.get_response(app)
    if resp.status_int >= 400:
        raise SystemExit('%s %s: %s' % (method, path, resp.text[:300]))
    return resp

out = {}
made = 0
for target in n_rps:
    start = time.perf_counter()
    while made < target:
        rp = str(uuid.uuid4())
        call('POST', '/resource_providers', {'name': 'rp-%d' % made,
                                             'uuid': rp})
        call('PUT', '/resource_providers/%s/inventories' % rp, {
            'resource_provider_generation': 0,
            'inventories': {
                'VCPU': {'total': 32, 'allocation_ratio': 4.0},
                'MEMORY_MB': {'total': 65536},
                'DISK_GB': {'total': 500}}})
        made += 1
    setup = time.perf_counter() - start
    path = ('/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,'
            'DISK_GB:1&limit=1000')
    for _ in range(2):
        call('GET', path)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        call('GET', path)
        times.append(time.perf_counter() - t)
    times.sort()
    out[target] = {'times': times, 'setup_s': setup}
print(json.dumps(out))
'''


def _placement_python():
    venv = os.environ.get('MEC_BENCH_PLACEMENT_VENV')
    candidates = [venv] if venv else sorted(glob.glob(os.path.expanduser(
        '~/.cache/mec-orchestrator-lab/venvs/*/nova')))
    for path in candidates:
        python = os.path.join(path, 'bin', 'python')
        if os.path.exists(os.path.join(path, 'bin', 'placement-manage')) \
                and os.path.exists(python):
            return python
    return None


def _placement(rps, runs):
    python = _placement_python()
    if python is None:
        return None, ('openstack-placement not found (no lab nova venv); '
                      'set MEC_BENCH_PLACEMENT_VENV')
    with tempfile.NamedTemporaryFile('w', suffix='.py',
                                     delete=False) as f:
        f.write(PLACEMENT_SCRIPT)
    try:
        proc = subprocess.run(
            [python, f.name, ','.join(str(n) for n in rps), str(runs)],
            capture_output=True, text=True, timeout=900, check=False)
    finally:
        os.unlink(f.name)
    if proc.returncode != 0:
        return None, 'Placement failed: %s' % (proc.stderr or
                                               proc.stdout)[-500:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {int(k): dict(_percentiles(v['times']), runs=len(v['times']),
                         setup_s=round(v['setup_s'], 1))
            for k, v in data.items()}, None


def _ints(name, default):
    value = os.environ.get(name)
    value = default if value is None else value
    return [int(x) for x in value.split(',') if x.strip()]


def run():
    sizes = _ints('MEC_BENCH_PLACEMENT_SIZES', '1000,10000,100000')
    rps = _ints('MEC_BENCH_PLACEMENT_RPS', '1000,10000')
    runs = max(int(os.environ.get('MEC_BENCH_PLACEMENT_RUNS') or 50), 1)
    ours = _ours(sizes, runs)
    result = {'ours': ours}
    parts = ['%d hosts p50 %.2f / p99 %.2f ms'
             % (n, r['p50_ms'], r['p99_ms']) for n, r in ours.items()]
    if rps:
        theirs, why = _placement(rps, max(runs // 2, 10))
        if theirs is None:
            result['placement'] = {'skipped': why}
            parts.append('Placement not run: %s' % why)
        else:
            result['placement'] = theirs
            for n, r in theirs.items():
                mine = ours.get(n)
                ratio = (round(r['p50_ms'] / mine['p50_ms'], 1)
                         if mine else None)
                result['placement'][n]['ratio_placement_over_ours_p50'] = \
                    ratio
                parts.append('Placement %d RPs p50 %.1f / p99 %.1f ms%s'
                             % (n, r['p50_ms'], r['p99_ms'],
                                ' (x%s ours)' % ratio if ratio else ''))
    result['summary'] = '; '.join(parts)
    return result


if __name__ == '__main__':
    json.dump(run(), sys.stdout, indent=2)
