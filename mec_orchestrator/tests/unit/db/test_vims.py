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
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.tests import base


def _host(key, name=None, **values):
    host = {'discovery_key': key, 'name': name or key, 'zone': 'nova',
            'aggregate': None, 'vcpus': 8, 'vcpus_used': 1,
            'memory_mb': 1024, 'memory_mb_used': 0, 'disk_gb': 10,
            'disk_gb_used': 0, 'capacity_source': 'placement',
            'details': {'compute_hosts': ['c1']}}
    host.update(values)
    return host


class TestVims(base.DbTestCase):

    def _vim(self, name='v', **values):
        row = {'id': uuidutils.generate_uuid(), 'name': name,
               'type': 'fake', 'status': 'REACHABLE', 'site': 's1'}
        row.update(values)
        return self.dbapi.create_vim(row)

    def test_create_get_and_json_columns(self):
        vim = self._vim(access={'auth_url': 'http://k/v3'},
                        extra={'a': [1]}, capabilities={'sfc': True})
        got = self.dbapi.get_vim(vim.id)
        self.assertEqual({'auth_url': 'http://k/v3'}, got.access)
        self.assertEqual({'a': [1]}, got.extra)
        self.assertEqual(got.id, self.dbapi.get_vim_by_name('v').id)

    def test_not_found(self):
        self.assertRaises(exception.VimNotFound, self.dbapi.get_vim, 'x')
        self.assertRaises(exception.VimNotFound, self.dbapi.get_vim_by_name,
                          'x')
        self.assertRaises(exception.VimNotFound, self.dbapi.update_vim,
                          'x', {'name': 'y'})
        self.assertRaises(exception.VimNotFound, self.dbapi.destroy_vim,
                          'x')
        self.assertRaises(exception.VimNotFound, self.dbapi.sync_mec_hosts,
                          'x', [])

    def test_duplicate_names(self):
        self._vim('a')
        other = self._vim('b')
        exc = self.assertRaises(exception.DuplicateName, self._vim, 'a')
        self.assertEqual(409, exc.code)
        self.assertRaises(exception.DuplicateName, self.dbapi.update_vim,
                          other.id, {'name': 'a'})

    def test_list_filters_and_paging(self):
        ids = {n: self._vim(n, site=s).id
               for n, s in (('c', 's1'), ('a', 's2'), ('b', 's1'))}
        self.assertEqual(['a', 'b', 'c'],
                         [v.name for v in self.dbapi.list_vims()])
        page = self.dbapi.list_vims(limit=2)
        self.assertEqual(['a', 'b'], [v.name for v in page])
        self.assertEqual(['c'], [v.name for v in self.dbapi.list_vims(
            limit=2, marker=ids['b'])])
        self.assertEqual(['b', 'c'], [v.name for v in self.dbapi.list_vims(
            filters={'site': 's1'})])
        self.assertRaises(exception.InvalidParameterValue,
                          self.dbapi.list_vims, marker='nope')

    def test_compare_and_swap(self):
        vim = self._vim(credentials='token-1')
        self.dbapi.update_vim(vim.id, {'credentials': 'token-2'},
                              expected={'credentials': 'token-1'})
        exc = self.assertRaises(exception.Conflict, self.dbapi.update_vim,
                                vim.id, {'credentials': 'token-3'},
                                expected={'credentials': 'token-1'})
        self.assertIn('credentials changed meanwhile', str(exc))
        self.assertEqual('token-2', self.dbapi.get_vim(vim.id).credentials)

    def test_destroy_removes_the_hosts(self):
        vim = self._vim()
        self.dbapi.sync_mec_hosts(vim.id, [_host('az:nova')])
        self.assertEqual(0, self.dbapi.count_app_instances_on_vim(vim.id))
        self.dbapi.destroy_vim(vim.id)
        self.assertEqual([], self.dbapi.list_mec_hosts())


class TestMecHosts(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'fake', 'status': 'REACHABLE', 'site': 'paris'})

    def test_discovery_creates_enabled_hosts_on_the_vims_site(self):
        rows = self.dbapi.sync_mec_hosts(self.vim.id, [
            _host('az:nova', 'edge-nova'),
            _host('aggregate:1', 'edge-rack', aggregate='rack')])
        self.assertEqual(['edge-nova', 'edge-rack'],
                         [r.name for r in rows])
        for row in rows:
            self.assertTrue(row.enabled)
            self.assertTrue(row.available)
            self.assertEqual('paris', row.site)
            self.assertIsNotNone(row.discovered_at)
            self.assertEqual({'compute_hosts': ['c1']}, row.details)

    def test_discovery_merge_keeps_the_operators_fields(self):
        host = self.dbapi.sync_mec_hosts(self.vim.id,
                                         [_host('az:nova')])[0]
        operator = {'name': 'mine', 'description': 'd', 'latitude': 1.5,
                    'longitude': 2.5, 'area_id': 'a', 'cell_ids': ['c'],
                    'mep_endpoint': 'https://mep/',
                    'platform_services': [{'serName': 'rnis'}],
                    'latencies': {'a': 3}, 'enabled': False}
        self.dbapi.update_mec_host(host.id, operator)
        rows = self.dbapi.sync_mec_hosts(self.vim.id, [
            _host('az:nova', 'a-new-discovered-name', vcpus=64,
                  zone='nova2', details={'compute_hosts': ['c1', 'c2']})])
        row = rows[0]
        self.assertEqual(host.id, row.id)
        for field, value in operator.items():
            self.assertEqual(value, getattr(row, field), field)
        self.assertEqual(64, row.vcpus)
        self.assertEqual('nova2', row.zone)
        self.assertEqual(['c1', 'c2'], row.details['compute_hosts'])

    def test_vanished_hosts_become_unavailable_and_come_back(self):
        self.dbapi.sync_mec_hosts(self.vim.id, [_host('az:a'),
                                                _host('az:b')])
        rows = self.dbapi.sync_mec_hosts(self.vim.id, [_host('az:a')])
        self.assertEqual({'az:a': True, 'az:b': False},
                         {r.discovery_key: r.available for r in rows})
        self.assertIn('is no longer reported by the VIM', self.log.output)
        rows = self.dbapi.sync_mec_hosts(self.vim.id, [_host('az:a'),
                                                       _host('az:b')])
        self.assertTrue(all(r.available for r in rows))
        self.assertEqual(2, len(rows))

    def test_site_follows_the_vim(self):
        host = self.dbapi.sync_mec_hosts(self.vim.id,
                                         [_host('az:nova')])[0]
        self.dbapi.update_vim(self.vim.id, {'site': 'lyon'})
        self.assertEqual('lyon', self.dbapi.get_mec_host(host.id).site)

    def test_operator_cannot_set_discovered_columns(self):
        host = self.dbapi.sync_mec_hosts(self.vim.id,
                                         [_host('az:nova')])[0]
        exc = self.assertRaises(exception.Invalid,
                                self.dbapi.update_mec_host, host.id,
                                {'vcpus': 1, 'zone': 'x'})
        self.assertIn('vcpus, zone', str(exc))
        self.assertRaises(exception.MecHostNotFound,
                          self.dbapi.update_mec_host, 'nope',
                          {'enabled': False})

    def test_list_paging_on_equal_names(self):
        other = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'other',
            'type': 'fake', 'status': 'REACHABLE'})
        self.dbapi.sync_mec_hosts(self.vim.id, [_host('az:nova', 'same')])
        self.dbapi.sync_mec_hosts(other.id, [_host('az:nova', 'same')])
        first = self.dbapi.list_mec_hosts(limit=1)
        rest = self.dbapi.list_mec_hosts(limit=1, marker=first[0].id)
        self.assertEqual(1, len(rest))
        self.assertNotEqual(first[0].id, rest[0].id)
        self.assertEqual([], self.dbapi.list_mec_hosts(marker=rest[0].id))
        self.assertEqual(1, len(self.dbapi.list_mec_hosts(
            filters={'vim_id': other.id})))
