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
"""The MEC platform: Mp1 requests and the DNS responder.

Both run on a throwaway SQLite database migrated to the latest schema,
holding one MEC host's apps as the MEPM configures them: 20 apps with two
traffic rules, two DNS rules and one registered service each, and more
apps with two DNS rules each until 200 DNS rules are ACTIVE.

Mp1: the platform's WSGI application (``platform.app.setup_app()``,
called in-process with webtest, no sockets) for
``GET /mec_app_support/v1/applications/{id}/traffic_rules`` and
``GET /mec_service_mgmt/v1/services`` (discovery), each with the bearer
token of one of the 20 apps in turn, against ``GET /`` of the same
application (public: no token, no database) as the baseline. The token
endpoint (``POST /mep/token``, client credentials in HTTP Basic) is timed
too.

DNS: :class:`~mec_orchestrator.platform.dns.DnsResponder` on loopback,
answering from the ACTIVE DNS rules of the database (read again every
second, as the service does), against a minimal UDP server in the same
process that parses each query with dnspython and answers it with no
records. Both serve at once; one client thread sends the same sequential
A queries to both (``dns.query.udp``), in alternate chunks of 500, half
for the rules' names, half for names without a rule (NXDOMAIN); the ratio
is what the responder's checks, lookups and answers cost beyond
dnspython's parsing and serialisation and the UDP round trip.

Environment: ``MEC_BENCH_PLATFORM_REQUESTS`` (requests per Mp1 path,
default 1000; half as many token requests), ``MEC_BENCH_DNS_QUERIES``
(queries per server, default 5000), ``MEC_BENCH_DNS_RULES`` (ACTIVE DNS
rules, default 200).
"""

import base64
import itertools
import os
import random
import shutil
import socketserver
import tempfile
import threading
import time

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import uuidutils
import webtest

from bench import common
from mec_orchestrator.cmd import platform as platform_cmd
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.db import migration
from mec_orchestrator.platform import app as platform_app
from mec_orchestrator.platform import auth
from mec_orchestrator.platform import dns as platform_dns

CONF = conf.CONF

HOST_ID = 'bench-host'
APPS = 20
DOMAIN = 'mec.bench.example'
TRAFFIC_PATH = '/mec_app_support/v1/applications/%s/traffic_rules'
DISCOVERY_PATH = '/mec_service_mgmt/v1/services'


def _env_int(name, default, minimum=1):
    """An integer from the environment, ``default`` when unset or empty."""
    return max(int(os.environ.get(name) or default), minimum)


def _traffic_rule(rule_id, index):
    """A MEC 011 TrafficRule, the ``index``-th of its app."""
    return {'trafficRuleId': rule_id, 'filterType': 'FLOW',
            'priority': index + 1,
            'trafficFilter': [{'srcAddress': ['192.168.2.0/24'],
                               'dstAddress': ['10.20.%d.%d/32'
                                              % (index, index + 1)],
                               'dstPort': ['80'], 'protocol': ['TCP']}],
            'action': 'FORWARD_DECAPSULATED',
            'dstInterface': {'interfaceType': 'IP',
                             'dstIpAddress': '20.1.1.%d' % (index + 1)}}


def _dns_rule(number):
    """An ACTIVE DNS rule of ``configure_mep_app``: ``app<number>``."""
    return ('dns', 'dns%d' % number,
            {'dnsRuleId': 'dns%d' % number,
             'domainName': 'app%d.%s' % (number, DOMAIN),
             'ipAddressType': 'IP_V4',
             'ipAddress': '10.%d.%d.%d' % (number // 65536 % 256,
                                           number // 256 % 256,
                                           number % 256),
             'ttl': 300},
            'ACTIVE')


def _service_body(number, service_id):
    """The ServiceInfo the platform stores for a registered service."""
    return {'serInstanceId': service_id, 'serName': 'bench-svc-%d' % number,
            'serCategory': {'href': 'http://mep.example.com/categories/rni',
                            'id': 'RNI', 'name': 'RNI', 'version': '2.1.1'},
            'version': '2.1.1', 'state': 'ACTIVE', 'serializer': 'JSON',
            'transportInfo': {
                'id': 'svc-%d-http' % number, 'name': 'REST',
                'type': 'REST_HTTP', 'protocol': 'HTTP', 'version': '2.0',
                'endpoint': {'uris': ['http://svc%d.example.com/v2'
                                      % number]},
                'security': {}},
            'scopeOfLocality': 'MEC_HOST', 'consumedLocalOnly': True,
            'isLocal': True}


def _database(tmp):
    """Configure and migrate a SQLite database in ``tmp``.

    The engine of oslo.db's global enginefacade is made once per process
    and another benchmark may have made it already; a fresh factory is
    patched in, on this configuration.

    :returns: a callable that disposes of the engine and puts the previous
        factory back.
    """
    CONF([], project='mec-orchestrator', default_config_files=[])
    CONF.set_override('connection', 'sqlite:///%s' % os.path.join(tmp, 'db'),
                      group='database')
    CONF.set_override('key_repository', os.path.join(tmp, 'keys'),
                      group='crypto')
    CONF.set_override('auto_create_key_repository', True, group='crypto')
    manager = enginefacade.transaction_context()
    reset = enginefacade._context_manager.patch_factory(manager)
    migration.upgrade()

    def cleanup():
        manager.dispose_pool()
        reset()
    return cleanup


def _populate(api, dns_rules):
    """The apps of one MEC host, with their rules and services.

    :returns: a list of (app instance id, client secret) of the apps with
        traffic rules and a service.
    """
    apps = []
    number = 0
    index = 0
    while index < APPS or number < dns_rules:
        app_id = uuidutils.generate_uuid()
        secret, encrypted = auth.new_secret()
        rules = []
        if index < APPS:
            rules = [('traffic', 'tr%d' % i, _traffic_rule('tr%d' % i, i),
                      'ACTIVE') for i in range(2)]
        for _rule in range(2):
            if number < dns_rules:
                rules.append(_dns_rule(number))
                number += 1
        api.configure_mep_app(
            {'id': app_id, 'project_id': 'bench', 'mec_host_id': HOST_ID,
             'app_name': 'bench-%d' % index, 'state': 'CONFIGURED',
             'confirm_ready': True, 'client_secret': encrypted},
            rules=rules)
        if index < APPS:
            service_id = uuidutils.generate_uuid()
            body = _service_body(index, service_id)
            api.create_mep_service({
                'id': service_id, 'app_instance_id': app_id,
                'mec_host_id': HOST_ID, 'ser_name': body['serName'],
                'state': 'ACTIVE', 'body': body})
            apps.append((app_id, secret))
        index += 1
    return apps


def _token_request(client, app_id, secret):
    """``POST /mep/token`` with the app's credentials in HTTP Basic."""
    basic = base64.b64encode(('%s:%s' % (app_id, secret)).encode()).decode()
    return client.post(
        '/mep/token', 'grant_type=client_credentials',
        headers={'Authorization': 'Basic ' + basic,
                 'Content-Type': 'application/x-www-form-urlencoded'})


def _mp1(apps, repeat, rounds=10):
    """Time the Mp1 paths and the token endpoint, in ``rounds`` rounds."""
    client = webtest.TestApp(platform_app.setup_app())
    headers = {app_id: {'Authorization': 'Bearer %s' % _token_request(
        client, app_id, secret).json['access_token']}
        for app_id, secret in apps}

    # Check what is timed: every app sees its rules and the host's
    # services.
    for app_id, _secret in apps:
        rules = client.get(TRAFFIC_PATH % app_id, headers=headers[app_id])
        found = client.get(DISCOVERY_PATH, headers=headers[app_id])
        if len(rules.json) != 2 or len(found.json) != len(apps):
            raise AssertionError('unexpected Mp1 answers: %d traffic rules, '
                                 '%d services' % (len(rules.json),
                                                  len(found.json)))

    def cycling(request):
        turn = itertools.cycle(apps)
        return lambda: request(*next(turn))

    calls = {
        'root_baseline': (lambda: client.get('/'), repeat),
        'traffic_rules': (cycling(
            lambda app_id, _s: client.get(TRAFFIC_PATH % app_id,
                                          headers=headers[app_id])),
            repeat),
        'service_discovery': (cycling(
            lambda app_id, _s: client.get(DISCOVERY_PATH,
                                          headers=headers[app_id])),
            repeat),
        'token': (cycling(
            lambda app_id, secret: _token_request(client, app_id, secret)),
            max(repeat // 2, 1)),
    }
    # In rounds, each path in turn, so that all see the same noise.
    timed = {name: [] for name in calls}
    for turn in range(rounds):
        for name, (call, total) in calls.items():
            share = total // rounds + (turn < total % rounds)
            if share:
                timed[name].extend(common.timings(call, share, warmup=2))
    return {name: common.describe(sorted(values))
            for name, values in timed.items()}


class _BaselineHandler(socketserver.BaseRequestHandler):
    """Parse the query, answer it with no records."""

    def handle(self):
        data, sock = self.request
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        sock.sendto(response.to_wire(), self.client_address)


class _BaselineServer(object):
    """A minimal UDP DNS server on loopback, in a thread."""

    def __init__(self):
        self.server = socketserver.UDPServer(('127.0.0.1', 0),
                                             _BaselineHandler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={'poll_interval': 0.1},
            name='bench-dns-baseline', daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _queries(names, count, seed=1):
    """``count`` A queries, half for ``names``, half for names absent."""
    rand = random.Random(seed)
    out = []
    for i in range(count):
        if i % 2:
            name = 'nx%d-%d.%s' % (i, rand.randrange(10 ** 6), DOMAIN)
        else:
            name = rand.choice(names)
        out.append(dns.message.make_query(name, dns.rdatatype.A))
    rand.shuffle(out)
    return out


def _send_all(port, queries, latencies, rcodes):
    """Send the queries one after the other; note latencies and rcodes.

    :returns: the elapsed seconds.
    """
    start = time.perf_counter()
    for query in queries:
        before = time.perf_counter()
        reply = dns.query.udp(query, '127.0.0.1', port=port, timeout=2.0)
        latencies.append(time.perf_counter() - before)
        text = dns.rcode.to_text(reply.rcode())
        rcodes[text] = rcodes.get(text, 0) + 1
    return time.perf_counter() - start


def _dns(dns_rules, count, chunk=500):
    """Time the responder and the baseline server on the same queries.

    Both serve at once; the queries go to one then the other in chunks,
    so that both see the same share of the machine's noise.
    """
    reads = []

    def records():
        reads.append(None)
        return platform_cmd.active_dns_rules()

    names = ['app%d.%s' % (n, DOMAIN) for n in range(dns_rules)]
    queries = _queries(names, count)
    warmup = _queries(names, 50, seed=2)
    servers = {'responder': platform_dns.DnsResponder(
                   records, host='127.0.0.1', port=0, refresh=1.0),
               'baseline': _BaselineServer()}
    latencies = {name: [] for name in servers}
    rcodes = {name: {} for name in servers}
    elapsed = dict.fromkeys(servers, 0.0)
    started = []
    try:
        for server in servers.values():
            server.start()
            started.append(server)
        for server in servers.values():
            _send_all(server.port, warmup, [], {})
        reads.clear()
        for first in range(0, count, chunk):
            for name, server in servers.items():
                elapsed[name] += _send_all(
                    server.port, queries[first:first + chunk],
                    latencies[name], rcodes[name])
    finally:
        for server in started:
            server.stop()
    out = {name: dict(common.describe(sorted(latencies[name])),
                      qps=round(count / elapsed[name]), rcodes=rcodes[name])
           for name in servers}
    expected = {'NOERROR': (count + 1) // 2, 'NXDOMAIN': count // 2}
    if out['responder']['rcodes'] != expected:
        raise AssertionError('unexpected DNS answers: %s, not %s'
                             % (out['responder']['rcodes'], expected))
    out['responder']['rule_reads'] = len(reads)
    return out


def run():
    repeat = _env_int('MEC_BENCH_PLATFORM_REQUESTS', 1000)
    count = _env_int('MEC_BENCH_DNS_QUERIES', 5000, minimum=2)
    dns_rules = _env_int('MEC_BENCH_DNS_RULES', 200)
    tmp = tempfile.mkdtemp(prefix='mec-bench-platform-')
    try:
        cleanup = _database(tmp)
        try:
            apps = _populate(dbapi.get_instance(), dns_rules)
            mp1 = _mp1(apps, repeat)
            dns_out = _dns(dns_rules, count)
        finally:
            cleanup()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = mp1['root_baseline']['median_ms']
    ratios = {name: round(mp1[name]['median_ms'] / base, 1)
              for name in ('traffic_rules', 'service_discovery', 'token')}
    ours, bare = dns_out['responder'], dns_out['baseline']
    dns_ratio = round(bare['qps'] / ours['qps'], 2)
    return {
        'mp1': dict(mp1, ratios_over_root=ratios, apps=len(apps),
                    requests=repeat),
        'dns': dict(dns_out, ratio_baseline_qps_over_responder=dns_ratio,
                    rules=dns_rules, queries=count),
        'summary': 'Mp1 p50 traffic_rules %.2f ms (x%.1f GET /), discovery '
                   '%.2f ms (x%.1f), token %.2f ms, GET / %.2f ms; DNS '
                   'responder %d qps (p50 %.3f ms) vs bare dnspython server '
                   '%d qps (p50 %.3f ms): x%.2f slower'
                   % (mp1['traffic_rules']['median_ms'],
                      ratios['traffic_rules'],
                      mp1['service_discovery']['median_ms'],
                      ratios['service_discovery'],
                      mp1['token']['median_ms'], base,
                      ours['qps'], ours['median_ms'], bare['qps'],
                      bare['median_ms'], dns_ratio),
    }
