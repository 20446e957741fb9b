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
import time

from mec_orchestrator.tests.unit.api import vim_base

PLATFORM_SERVICES = [
    {'serName': 'rnis', 'version': '2.2.1', 'transport': 'REST_HTTP'},
    {'serName': 'location', 'version': '2.2.1', 'transport': 'REST_HTTP'},
]


class HostApiTestCase(vim_base.VimApiTestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.create().json
        self.host = self.wait_for_hosts(self.vim['id'])[0]
        self.url = '/v1/mec_hosts/%s' % self.host.id

    def patch(self, body, status=200):
        return self.request('patch', self.url, body, status=status)


class TestShowAndList(HostApiTestCase):

    def test_admin_sees_everything(self):
        host = self.request('get', self.url, status=200).json
        self.assertEqual('edge-1-nova', host['name'])
        self.assertEqual(self.vim['id'], host['vim_id'])
        self.assertEqual(('paris', 'nova', None),
                         (host['site'], host['zone'], host['aggregate']))
        self.assertEqual({'vcpus': 36, 'memory_mb': 28160,
                          'disk_gb': 150}, host['capacity'])
        self.assertEqual({'vcpus': 4, 'memory_mb': 2560, 'disk_gb': 21},
                         host['usage'])
        self.assertEqual('placement', host['capacity_source'])
        self.assertTrue(host['enabled'])
        self.assertTrue(host['available'])
        self.assertIsNone(host['mep_endpoint'])
        self.assertEqual(['compute-1', 'compute-2'],
                         host['details']['compute_hosts'])
        self.assertEqual('http://localhost' + self.url,
                         host['links'][0]['href'])

    def test_reader_of_any_project_sees_a_filtered_view(self):
        self.patch({'mep_endpoint': 'https://mep.internal:8443/'})
        self.set_identity(['reader'], project_id='tenant-b')
        for host in (self.request('get', self.url, status=200).json,
                     self.request('get', '/v1/mec_hosts',
                                  status=200).json['mec_hosts'][0]):
            self.assertNotIn('mep_endpoint', host)
            self.assertNotIn('details', host)
            self.assertNotIn('mep.internal', str(host))
            self.assertNotIn(self.cloud.url, str(host))
            self.assertEqual('edge-1-nova', host['name'])
            self.assertEqual(36, host['capacity']['vcpus'])

    def test_reader_sees_no_vim(self):
        self.set_identity(['reader'])
        self.request('get', '/v1/vims', status=403)
        self.request('get', '/v1/vims/%s' % self.vim['id'], status=403)

    def test_role_without_reader_is_refused(self):
        self.set_identity(['member'])
        self.assertProblem(self.request('get', '/v1/mec_hosts',
                                        status=403), 403)

    def test_unknown_host(self):
        self.assertProblem(self.request('get', '/v1/mec_hosts/nope',
                                        status=404), 404,
                           'MEC host nope could not be found')

    def test_filters_and_paging(self):
        other = self.request('post', '/v1/vims', {
            'name': 'aaa', 'type': 'fake', 'site': 'nice'},
            status=201).json
        fake_host = self.wait_for_hosts(other['id'])[0]
        body = self.request('get', '/v1/mec_hosts?limit=1',
                            status=200).json
        self.assertEqual(['aaa-fake-host'],
                         [h['name'] for h in body['mec_hosts']])
        body = self.request('get', body['next'], status=200).json
        self.assertEqual(['edge-1-nova'],
                         [h['name'] for h in body['mec_hosts']])

        def names(query):
            return [h['name'] for h in self.request(
                'get', '/v1/mec_hosts?' + query,
                status=200).json['mec_hosts']]

        self.assertEqual(['aaa-fake-host'], names('site=nice'))
        self.assertEqual(['edge-1-nova'],
                         names('vim_id=%s' % self.vim['id']))
        self.assertEqual(['aaa-fake-host', 'edge-1-nova'],
                         names('zone=nova'))
        self.request('patch', '/v1/mec_hosts/%s' % fake_host.id,
                     {'enabled': False}, status=200)
        self.assertEqual(['edge-1-nova'], names('enabled=true'))
        self.assertEqual(['aaa-fake-host'], names('enabled=false'))
        resp = self.request('get', '/v1/mec_hosts?enabled=maybe',
                            status=400)
        self.assertProblem(resp, 400, 'enabled must be true or false')
        self.assertProblem(self.request('get', '/v1/mec_hosts?x=1',
                                        status=400), 400)

    def test_no_create_or_delete(self):
        resp = self.request('post', '/v1/mec_hosts', {'name': 'x'},
                            status=405)
        self.assertProblem(resp, 405)
        self.request('delete', self.url, status=405)


class TestUpdate(HostApiTestCase):

    def test_operator_fields(self):
        host = self.patch({
            'name': 'paris-edge-a', 'description': 'rack 4',
            'location': {'latitude': 48.85, 'longitude': 2.35,
                         'area_id': 'paris-15', 'cell_ids': ['208-01-1'],
                         'country_code': 'FR',
                         'civic_address': [{'caType': 3,
                                            'caValue': 'Paris'}]},
            'mep_endpoint': 'https://mep.paris:8443/',
            'platform_services': PLATFORM_SERVICES,
            'latencies': {'paris-15': 2.5, 'lyon': 11},
            'enabled': False}).json
        self.assertEqual('paris-edge-a', host['name'])
        self.assertEqual({'latitude': 48.85, 'longitude': 2.35,
                          'area_id': 'paris-15', 'cell_ids': ['208-01-1'],
                          'country_code': 'FR',
                          'civic_address': [{'caType': 3,
                                             'caValue': 'Paris'}]},
                         host['location'])
        self.assertEqual('https://mep.paris:8443/', host['mep_endpoint'])
        self.assertEqual(PLATFORM_SERVICES, host['platform_services'])
        self.assertEqual({'paris-15': 2.5, 'lyon': 11}, host['latencies'])
        self.assertFalse(host['enabled'])
        self.assertEqual(host, self.request('get', self.url,
                                            status=200).json)

    def test_merge_patch_semantics(self):
        self.patch({'location': {'latitude': 1, 'longitude': 2,
                                 'area_id': 'a'},
                    'latencies': {'a': 1, 'b': 2}})
        host = self.patch({'location': {'area_id': None},
                           'latencies': {'a': None, 'c': 3}}).json
        self.assertEqual({'latitude': 1, 'longitude': 2, 'area_id': None,
                          'cell_ids': [], 'country_code': None,
                          'civic_address': []}, host['location'])
        self.assertEqual({'b': 2, 'c': 3}, host['latencies'])
        host = self.patch({'location': None, 'latencies': None}).json
        self.assertIsNone(host['location']['latitude'])
        self.assertEqual({}, host['latencies'])

    def test_bad_bodies(self):
        for body, detail in (
                ({'zone': 'other'}, "'zone' was unexpected"),
                ({'vcpus': 1}, "'vcpus' was unexpected"),
                ({'location': {'latitude': 91, 'longitude': 0}},
                 'latitude'),
                ({'location': {'latitude': 1}},
                 'latitude and longitude go together'),
                ({'latencies': {'a': -1}}, 'latencies/a'),
                ({'platform_services': [{'version': '1'}]}, 'serName'),
                ({'platform_services': [{'serName': 'x',
                                         'transport': 'SMOKE'}]},
                 'transport'),
                ({'mep_endpoint': 'mep.local'}, 'mep_endpoint'),
                ({'enabled': 'no'}, 'enabled'),
                ({'name': ''}, 'name')):
            resp = self.patch(body, status=400)
            self.assertProblem(resp, 400, detail)

    def test_only_admins_update(self):
        for roles in (['reader'], ['member', 'reader']):
            self.set_identity(roles)
            resp = self.patch({'enabled': False}, status=403)
            self.assertProblem(resp, 403, 'mec:mec_host:update')

    def test_discovery_keeps_the_operators_fields(self):
        fields = {'name': 'mine', 'description': 'kept',
                  'location': {'latitude': 10, 'longitude': 20,
                               'area_id': None, 'cell_ids': ['c1'],
                               'country_code': 'FR', 'civic_address': []},
                  'mep_endpoint': 'https://mep:1/',
                  'platform_services': PLATFORM_SERVICES,
                  'latencies': {'x': 1}, 'enabled': False}
        before = self.patch(fields).json
        # The VIM now reports more capacity.
        self.cloud.state['hypervisors'][1]['state'] = 'down'
        self.request('post', '/v1/vims/%s/check' % self.vim['id'],
                     status=200)
        deadline = time.monotonic() + 10
        while True:
            after = self.request('get', self.url, status=200).json
            if after['discovered_at'] != before['discovered_at']:
                break
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        self.assertEqual(32, after['capacity']['vcpus'])
        for field, value in fields.items():
            self.assertEqual(value, after[field], field)
