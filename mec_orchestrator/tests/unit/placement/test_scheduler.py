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
"""Tests of the scheduler and the weighers."""

import json

from mec_orchestrator.common import exception
from mec_orchestrator.conf import CONF
from mec_orchestrator.placement import scheduler
from mec_orchestrator.placement import weighers
from mec_orchestrator.tests.unit.placement import base

SERVICE = {'serName': 'LocationService', 'version': '2.1.1'}


class TestScheduler(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.sched = scheduler.Scheduler.from_conf(CONF)

    def test_loads_every_configured_plugin(self):
        self.assertEqual(
            ['enabled', 'vim_type', 'affinity', 'capacity', 'latency',
             'services', 'features', 'location'],
            [f.name for f in self.sched.filters])
        self.assertEqual(['latency', 'load', 'cost'],
                         [w.name for w in self.sched.weighers])

    def test_unknown_plugin(self):
        self.config(enabled_filters=['nope'], group='placement')
        self.assertRaises(exception.DriverLoadError,
                          scheduler.Scheduler.from_conf, CONF)

    def test_no_host_does_not_raise(self):
        result = self.sched.select(self.spec(), [])
        self.assertEqual([], result.ranked)
        self.assertIsNone(result.explain()['chosen'])
        exc = self.assertRaises(scheduler.NoValidHost,
                                result.raise_if_empty)
        self.assertIsInstance(exc, exception.Conflict)
        self.assertEqual(409, exc.code)

    def test_ranks_and_rejects(self):
        spec = self.spec(appServiceRequired=[SERVICE],
                         appLatency={'maxLatency': 20000000},
                         user_area='a1')
        hosts = [
            base.host('slow', platform_services=[SERVICE],
                      latencies={'a1': 15}),
            base.host('fast', platform_services=[SERVICE],
                      latencies={'a1': 2}),
            base.host('nosvc', latencies={'a1': 1}),
            base.host('off', enabled=False),
            base.host('far', platform_services=[SERVICE],
                      latencies={'a1': 50}),
        ]
        result = self.sched.select(spec, hosts)
        self.assertEqual(['fast', 'slow'], [h.id for h, _w in result.ranked])
        self.assertEqual('fast', result.chosen.id)
        self.assertEqual({'nosvc', 'off', 'far'}, set(result.rejected))
        self.assertEqual('services', result.rejected['nosvc'][0][0])
        explanation = result.explain()
        json.dumps(explanation)
        per = {r['filter']: r for r in explanation['rejected']}
        self.assertEqual(1, per['latency']['rejected'])
        self.assertIn('50 ms', per['latency']['hosts']['far'])
        self.assertEqual('fast', explanation['chosen']['id'])
        result.raise_if_empty()

    def test_selected_hosts_run_every_filter(self):
        spec = self.spec(
            appServiceRequired=[SERVICE],
            request={'selectedMECHostInfo': [
                {'hostId': {'id': 'h1'}}, {'hostId': 'x',
                                           'hostName': 'name-h2'},
                {'hostId': 'ghost'}]})
        hosts = [base.host('h1', enabled=False, vcpus=0),
                 base.host('h2', platform_services=[SERVICE]),
                 base.host('h3', platform_services=[SERVICE])]
        result = self.sched.select(spec, hosts)
        self.assertEqual(['h2'], [h.id for h, _w in result.ranked])
        self.assertEqual(['enabled', 'capacity', 'services'],
                         [name for name, _r in result.rejected['h1']])
        self.assertNotIn('h3', result.rejected)
        self.assertEqual(['ghost'], result.unknown_selected)
        self.assertEqual(2, result.considered)

    def test_selected_hosts_all_fail(self):
        spec = self.spec(request={'selectedMECHostInfo': [
            {'hostId': 'h1'}]})
        result = self.sched.select(spec, [base.host('h1', vcpus=1)])
        exc = self.assertRaises(scheduler.NoValidHost,
                                result.raise_if_empty)
        self.assertIn('capacity rejected 1', str(exc))
        self.assertEqual('capacity',
                         exc.explanation['rejected'][0]['filter'])

    def test_explain_truncates(self):
        self.config(explain_max_hosts=2, group='placement')
        hosts = [base.host('h%d' % i, enabled=False) for i in range(5)]
        per = self.sched.select(self.spec(), hosts).explain()['rejected']
        self.assertEqual(5, per[0]['rejected'])
        self.assertEqual(2, len(per[0]['hosts']))
        self.assertTrue(per[0]['truncated'])

    def test_max_ranked(self):
        self.config(max_ranked=2, group='placement')
        hosts = [base.host('h%d' % i) for i in range(5)]
        self.assertEqual(2, len(self.sched.select(self.spec(),
                                                  hosts).ranked))

    def test_latency_note_without_area(self):
        spec = self.spec(appLatency={'maxLatency': 1})
        result = self.sched.select(spec, [base.host()])
        self.assertEqual(1, len(result.ranked))
        self.assertIn('no user area', result.explain()['notes'][0])


class TestWeighers(base.PlacementTestCase):

    def _order(self, hosts, spec=None):
        sched = scheduler.Scheduler.from_conf(CONF)
        result = sched.select(spec or self.spec(), hosts)
        return [h.id for h, _w in result.ranked]

    def test_normalize(self):
        self.assertEqual([0.0, 0.5, 1.0], weighers.normalize([2, 3, 4]))
        self.assertEqual([0.0, 0.0], weighers.normalize([7, 7]))
        self.assertEqual([], weighers.normalize([]))

    def test_load_spread_and_pack(self):
        self.config(enabled_weighers=['load'], group='placement')
        hosts = [base.host('busy', vcpus_used=6),
                 base.host('idle', vcpus_used=0)]
        self.assertEqual(['idle', 'busy'], self._order(hosts))
        self.config(load_strategy='pack', group='placement')
        self.assertEqual(['busy', 'idle'], self._order(hosts))

    def test_cost(self):
        self.config(enabled_weighers=['cost'], default_cost=5,
                    group='placement')
        hosts = [base.host('dear', details={'cost': 9}),
                 base.host('default'),
                 base.host('cheap', details={'cost': 1})]
        self.assertEqual(['cheap', 'default', 'dear'], self._order(hosts))

    def test_latency_unknown_is_worst(self):
        self.config(enabled_weighers=['latency'], group='placement')
        hosts = [base.host('none'), base.host('slow', latencies={'a': 9}),
                 base.host('fast', latencies={'a': 1})]
        spec = self.spec(user_area='a')
        self.assertEqual(['fast', 'slow', 'none'],
                         self._order(hosts, spec))

    def test_multipliers(self):
        self.config(enabled_weighers=['latency', 'cost'],
                    cost_weight_multiplier=3.0, group='placement')
        hosts = [base.host('near', latencies={'a': 1},
                           details={'cost': 9}),
                 base.host('cheap', latencies={'a': 9},
                           details={'cost': 1})]
        spec = self.spec(user_area='a')
        result = scheduler.Scheduler.from_conf(CONF).select(spec, hosts)
        self.assertEqual([('cheap', 3.0), ('near', 1.0)],
                         [(h.id, w) for h, w in result.ranked])
        self.assertEqual({'latency': 0.0, 'cost': 3.0},
                         result.explain()['ranked'][0]['weights'])

    def test_zero_multiplier_skips(self):
        self.config(enabled_weighers=['cost'], cost_weight_multiplier=0,
                    group='placement')
        hosts = [base.host('a', details={'cost': 9}),
                 base.host('b', details={'cost': 1})]
        self.assertEqual(['a', 'b'], self._order(hosts))


class TestRequestSpec(base.PlacementTestCase):

    def test_plain_appd(self):
        with open('mec_orchestrator/tests/data/packages/'
                  'plain_appd.json') as f:
            appd = json.load(f)
        spec = scheduler.RequestSpec.from_appd(appd, instance_id='i')
        self.assertEqual((1, 1024, 5), (spec.vcpus, spec.memory_mb,
                                        spec.disk_gb))
        self.assertEqual('vm', spec.image_kind)
        self.assertEqual(10.0, spec.max_latency_ms)
        self.assertEqual('LocationService', spec.services[0][0])
        json.dumps(spec.to_dict())

    def test_container_milli_cpus(self):
        spec = self.spec(virtualComputeDescriptor=None,
                         swImageDescriptor=None, osContainerDescriptor=[
                             {'osContainerDescId': 'a', 'name': 'a',
                              'requestedCpuResources': 1500,
                              'requestedMemoryResources': 256},
                             {'osContainerDescId': 'b', 'name': 'b',
                              'requestedCpuResources': 500}])
        self.assertEqual((2.0, 256.0), (spec.vcpus, spec.memory_mb))
