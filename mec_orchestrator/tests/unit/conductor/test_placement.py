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
"""The MEO's placement over the database's inventory, and its claims."""

import json
import os
import threading

from oslo_utils import uuidutils

from mec_orchestrator.conductor import placement
from mec_orchestrator.placement import scheduler
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.db import test_vims

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'data',
                    'packages')
LOCATION = [{'serName': 'LocationService', 'version': '2.1.1',
             'transport': 'REST_HTTP'}]


def appd():
    with open(os.path.join(DATA, 'plain_appd.json')) as f:
        return json.load(f)


class PlacementTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'openstack', 'status': 'REACHABLE', 'site': 'paris'})
        self.service = placement.PlacementService(self.dbapi)
        self._values = {}

    def host(self, key, services=LOCATION, latency=None, **capacity):
        values = {'vcpus': 8, 'vcpus_used': 0, 'memory_mb': 16384,
                  'memory_mb_used': 0, 'disk_gb': 160, 'disk_gb_used': 0,
                  'capacity_source': 'nova'}
        values.update(capacity)
        # Discovery gives the VIM's whole picture each time.
        self._values[key] = values
        rows = self.dbapi.sync_mec_hosts(
            self.vim.id, [test_vims._host(k, k, **v)
                          for k, v in self._values.items()])
        row = [h for h in rows if h.discovery_key == key][0]
        update = {'platform_services': services}
        if latency is not None:
            update['latencies'] = {'downtown': latency}
        return self.dbapi.update_mec_host(row.id, update)



class TestPreview(PlacementTestCase):

    def test_the_host_offering_the_service_is_chosen(self):
        offering = self.host('az:a')
        lacking = self.host('az:b', services=[])
        result = self.service.preview(appd())
        self.assertEqual(offering.id, result['chosen']['id'])
        rejected = {host_id: r['filter'] for r in result['rejected']
                    for host_id in r['hosts']}
        self.assertEqual('services', rejected[lacking.id])

    def test_latency_decides_between_two_fitting_hosts(self):
        self.host('az:far', latency=9)
        near = self.host('az:near', latency=2)
        result = self.service.preview(appd(), user_area='downtown')
        self.assertEqual(near.id, result['chosen']['id'])
        self.assertEqual(2, len(result['ranked']))

    def test_location_constraints_use_the_hosts_country(self):
        paris = self.host('az:paris')
        self.dbapi.update_mec_host(paris.id, {
            'country_code': 'FR',
            'civic_address': [{'caType': 3, 'caValue': 'Paris'}]})
        request = {'locationConstraints': {
            'countryCode': 'FR',
            'civicAddressElement': [{'caType': 3, 'caValue': 'paris'}]}}
        self.assertEqual(paris.id, self.service.preview(
            appd(), request)['chosen']['id'])
        request['locationConstraints']['countryCode'] = 'DE'
        result = self.service.preview(appd(), request)
        self.assertIsNone(result['chosen'])
        self.assertEqual(['location'],
                         [r['filter'] for r in result['rejected']])

    def test_no_valid_host_explains_itself(self):
        self.host('az:a', vcpus=0)
        self.assertIsNone(self.service.preview(appd())['chosen'])
        exc = self.assertRaises(scheduler.NoValidHost, self.service.claim,
                                'c1', 'p1', appd())
        self.assertEqual(409, exc.code)
        self.assertTrue(exc.explanation['rejected'])
        self.assertEqual([], self.dbapi.list_allocations())


class TestClaims(PlacementTestCase):

    def test_claims_fill_a_host_then_move_on_then_stop(self):
        first = self.host('az:a', vcpus=2, memory_mb=2048, disk_gb=10)
        second = self.host('az:b', vcpus=1, memory_mb=1024, disk_gb=5)
        chosen = [self.service.claim('c%d' % i, 'p1', appd())[0].id
                  for i in range(3)]
        self.assertEqual(2, chosen.count(first.id))
        self.assertEqual(1, chosen.count(second.id))
        self.assertRaises(scheduler.NoValidHost, self.service.claim, 'c3',
                          'p1', appd())
        self.service.release('c0')
        self.assertEqual(first.id, self.service.claim('c4', 'p1',
                                                      appd())[0].id)

    def test_concurrent_claims_never_oversubscribe(self):
        self.host('az:a', vcpus=6, memory_mb=6 * 1024, disk_gb=30)
        outcomes = []

        def claim(i):
            try:
                self.service.claim('c%d' % i, 'p1', appd())
                outcomes.append('placed')
            except scheduler.NoValidHost:
                outcomes.append('no valid host')

        threads = [threading.Thread(target=claim, args=(i,))
                   for i in range(9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(6, outcomes.count('placed'))
        self.assertEqual(3, outcomes.count('no valid host'))
        self.assertEqual(6, sum(a.vcpus for a in
                                self.dbapi.list_allocations()))
