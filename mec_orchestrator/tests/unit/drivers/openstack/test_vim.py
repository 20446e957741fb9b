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
"""The OpenStack VIM driver against a fake cloud over real HTTP."""

import os
from unittest import mock

from keystoneauth1 import session as ka_session

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers.openstack import vim as os_vim
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.drivers.openstack import fake_cloud

CONF = conf.CONF

#: A self-signed certificate (CN=test-ca), only parsed, never trusted.
CA_PEM = '''-----BEGIN CERTIFICATE-----
MIIBeTCCAR+gAwIBAgIUSH4v4wmZmJV5m0sWbQ6t8nFcP1owCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjAxMDEwMDAwMDBaFw0zNjAxMDEwMDAw
MDBaMBIxEDAOBgNVBAMMB3Rlc3QtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AAQ=
-----END CERTIFICATE-----
'''


class DriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(fake_cloud.FakeCloud())
        self.config(request_timeout=5, group='vim')
        self.driver = os_vim.OpenStackVimDriver(CONF)

    def vim(self, **access):
        values = {'auth_url': self.cloud.auth_url, 'project_name': 'admin',
                  'user_domain_name': 'Default',
                  'project_domain_name': 'Default'}
        values.update(access)
        return {'id': 'vim-1', 'name': 'edge', 'type': 'openstack',
                'access': values,
                'credentials': {'username': 'admin',
                                'password': fake_cloud.PASSWORD},
                'ca_cert': None, 'extra': {}}


class TestValidate(DriverTestCase):

    def test_discovers_region_services_and_sfc(self):
        caps = self.driver.validate(None, self.vim())
        self.assertEqual('RegionOne', caps['region'])
        self.assertEqual(['RegionOne'], caps['regions'])
        self.assertEqual({'orchestration': True, 'compute': True,
                          'network': True, 'image': True,
                          'placement': True, 'dns': False},
                         caps['services'])
        self.assertEqual({'sfc': True, 'flow_classifier': True},
                         caps['network_extensions'])
        self.assertTrue(caps['sfc'])
        self.assertEqual('p1', caps['project_id'])
        self.assertEqual(self.cloud.endpoint('compute'),
                         caps['endpoints']['compute'])
        self.assertNotIn('identity', caps['endpoints'])

    def test_designate_noted_and_sfc_absent(self):
        self.cloud.state['services'].append('dns')
        self.cloud.state['extensions'] = ['router']
        caps = self.driver.validate(None, self.vim())
        self.assertTrue(caps['services']['dns'])
        self.assertFalse(caps['sfc'])
        self.assertEqual({'sfc': False, 'flow_classifier': False},
                         caps['network_extensions'])

    def test_versioned_neutron_endpoint(self):
        self.cloud.state['versioned_network'] = True
        caps = self.driver.validate(None, self.vim())
        self.assertTrue(caps['sfc'])
        paths = [p for _, p, _ in self.cloud.requests]
        self.assertIn('/network/v2.0/extensions', paths)

    def test_auth_url_without_v3(self):
        vim = self.vim(auth_url=self.cloud.url + '/identity/')
        self.assertEqual('RegionOne',
                         self.driver.validate(None, vim)['region'])

    def test_wrong_password_gives_keystones_reason(self):
        vim = self.vim()
        vim['credentials']['password'] = 'not-the-password'
        exc = self.assertRaises(exception.VimAuthFailed,
                                self.driver.validate, None, vim)
        self.assertIn('The request you have made requires authentication',
                      exc.message)
        self.assertIn('HTTP 401', exc.message)
        self.assertNotIn('not-the-password', exc.message)
        self.assertEqual(400, exc.code)

    def test_application_credential(self):
        vim = self.vim(project_name=None)
        vim['credentials'] = {
            'application_credential_id': fake_cloud.APP_CRED_ID,
            'application_credential_secret': fake_cloud.APP_CRED_SECRET}
        self.driver.validate(None, vim)
        identity = self.cloud.auth_bodies[-1]['auth']['identity']
        self.assertEqual(['application_credential'], identity['methods'])

    def test_domains_default_to_default(self):
        vim = self.vim(user_domain_name=None, project_domain_name=None)
        self.driver.validate(None, vim)
        auth = self.cloud.auth_bodies[-1]['auth']
        self.assertEqual(
            'Default', auth['identity']['password']['user']['domain'][
                'name'])
        self.assertEqual('Default',
                         auth['scope']['project']['domain']['name'])

    def test_password_needs_a_project(self):
        vim = self.vim(project_name=None)
        exc = self.assertRaises(exception.Invalid, self.driver.validate,
                                None, vim)
        self.assertIn('project_name or project_id', exc.message)

    def test_missing_services_are_named(self):
        self.cloud.state['services'].remove('orchestration')
        self.cloud.state['services'].remove('network')
        exc = self.assertRaises(exception.VimMissingServices,
                                self.driver.validate, None, self.vim())
        self.assertIn('orchestration, network', exc.message)
        self.assertIn('RegionOne', exc.message)
        self.assertEqual(400, exc.code)

    def test_required_services_are_configurable(self):
        self.cloud.state['services'].remove('orchestration')
        self.config(openstack_required_services=['compute'], group='vim')
        caps = self.driver.validate(None, self.vim())
        self.assertTrue(caps['services']['compute'])
        self.assertNotIn('orchestration', caps['services'])

    def test_several_regions_need_a_choice(self):
        self.cloud.state['regions'] = ['RegionOne', 'RegionTwo']
        exc = self.assertRaises(exception.Invalid, self.driver.validate,
                                None, self.vim())
        self.assertIn('RegionOne, RegionTwo', exc.message)
        caps = self.driver.validate(None, self.vim(region='RegionTwo'))
        self.assertEqual('RegionTwo', caps['region'])

    def test_unknown_region(self):
        exc = self.assertRaises(exception.Invalid, self.driver.validate,
                                None, self.vim(region='Mars'))
        self.assertIn('Mars', exc.message)
        self.assertNotIsInstance(exc, exception.VimUnreachable)

    def test_closed_port_is_unreachable(self):
        vim = self.vim(auth_url='http://127.0.0.1:9/v3')
        exc = self.assertRaises(exception.VimUnreachable,
                                self.driver.validate, None, vim)
        self.assertIn('http://127.0.0.1:9/v3', exc.message)
        self.assertFalse(self.driver.check_reachable(None, vim))

    def test_server_error_is_unreachable(self):
        self.cloud.state['broken'] = ['/network']
        self.assertRaises(exception.VimUnreachable, self.driver.validate,
                          None, self.vim())

    def test_wrong_path_is_invalid_not_unreachable(self):
        vim = self.vim(auth_url=self.cloud.url + '/nothing/v3')
        exc = self.assertRaises(exception.Invalid, self.driver.validate,
                                None, vim)
        self.assertNotIsInstance(exc, exception.VimUnreachable)
        self.assertIn('not found', exc.message)

    def test_check_reachable(self):
        self.assertTrue(self.driver.check_reachable(None, self.vim()))

    def test_ca_bundle_is_a_private_temporary_file(self):
        seen = {}
        real = ka_session.Session

        def session(**kwargs):
            path = kwargs['verify']
            seen['path'] = path
            with open(path) as f:
                seen['content'] = f.read()
            seen['mode'] = os.stat(os.path.dirname(path)).st_mode & 0o777
            return real(**dict(kwargs, verify=True))

        vim = self.vim()
        vim['ca_cert'] = CA_PEM
        with mock.patch.object(ka_session, 'Session', side_effect=session):
            self.driver.validate(None, vim)
        self.assertEqual(CA_PEM, seen['content'])
        self.assertEqual(0o700, seen['mode'])
        self.assertFalse(os.path.exists(seen['path']))

    def test_insecure_disables_verification(self):
        vim = self.vim(insecure=True)
        vim['ca_cert'] = CA_PEM
        real = ka_session.Session
        with mock.patch.object(ka_session, 'Session',
                               side_effect=lambda **kw: real(**kw)) as m:
            self.driver.validate(None, vim)
        self.assertIs(False, m.call_args.kwargs['verify'])


class TestDiscoverHosts(DriverTestCase):

    def test_one_host_per_zone_with_placement_capacity(self):
        hosts = self.driver.discover_hosts(None, self.vim())
        self.assertEqual(1, len(hosts))
        host = hosts[0]
        self.assertEqual('az:nova', host['discovery_key'])
        self.assertEqual('nova', host['zone'])
        self.assertIsNone(host['aggregate'])
        self.assertEqual('placement', host['capacity_source'])
        # (total - reserved) * allocation_ratio, summed.
        self.assertEqual(8 * 4 + 4, host['vcpus'])
        self.assertEqual(16384 - 512 + 8192 * 1.5, host['memory_mb'])
        self.assertEqual(150, host['disk_gb'])
        self.assertEqual(4, host['vcpus_used'])
        self.assertEqual(2560, host['memory_mb_used'])
        self.assertEqual(21, host['disk_gb_used'])
        self.assertEqual(['compute-1', 'compute-2'],
                         host['details']['compute_hosts'])
        self.assertEqual(['node-1', 'node-2'],
                         [h['hypervisor_hostname'] for h in
                          host['details']['hypervisors']])

    def test_nova_microversion_is_sent(self):
        self.driver.discover_hosts(None, self.vim())
        headers = [h for _, p, h in self.cloud.requests
                   if p.startswith('/compute/')]
        self.assertTrue(headers)
        for h in headers:
            self.assertEqual('compute 2.53', h['OpenStack-API-Version'])

    def test_nova_statistics_without_placement(self):
        self.cloud.state['services'].remove('placement')
        host = self.driver.discover_hosts(None, self.vim())[0]
        self.assertEqual('nova', host['capacity_source'])
        self.assertEqual(12, host['vcpus'])
        self.assertEqual(3, host['vcpus_used'])
        self.assertEqual(24576, host['memory_mb'])
        self.assertEqual(150, host['disk_gb'])

    def test_placement_can_be_turned_off(self):
        self.config(use_placement=False, group='vim')
        host = self.driver.discover_hosts(None, self.vim())[0]
        self.assertEqual('nova', host['capacity_source'])
        self.assertFalse([p for _, p, _ in self.cloud.requests
                          if p.startswith('/placement')])

    def test_provider_unknown_to_placement_uses_nova(self):
        del self.cloud.state['inventories']['rp-2']
        host = self.driver.discover_hosts(None, self.vim())[0]
        self.assertEqual('nova+placement', host['capacity_source'])
        self.assertEqual(8 * 4 + 4, host['vcpus'])

    def test_down_or_disabled_hypervisors_add_nothing(self):
        self.cloud.state['hypervisors'][1]['state'] = 'down'
        host = self.driver.discover_hosts(None, self.vim())[0]
        self.assertEqual(32, host['vcpus'])
        self.assertEqual(2, len(host['details']['hypervisors']))

    def test_flagged_aggregate_is_a_host_of_its_own(self):
        self.cloud.state['aggregates'] = [
            {'id': 1, 'uuid': 'agg-uuid', 'name': 'edge-rack',
             'availability_zone': None, 'hosts': ['compute-2'],
             'metadata': {'mec_host': 'true'}},
            {'id': 2, 'uuid': 'other', 'name': 'gpu', 'hosts':
             ['compute-1'], 'metadata': {'gpu': 'true'}},
        ]
        hosts = {h['discovery_key']: h for h in
                 self.driver.discover_hosts(None, self.vim())}
        self.assertEqual({'az:nova', 'aggregate:agg-uuid'}, set(hosts))
        zone, agg = hosts['az:nova'], hosts['aggregate:agg-uuid']
        self.assertEqual(['compute-1'], zone['details']['compute_hosts'])
        self.assertEqual(32, zone['vcpus'])
        self.assertEqual('edge-rack', agg['name'])
        self.assertEqual('edge-rack', agg['aggregate'])
        self.assertEqual('nova', agg['zone'])
        self.assertEqual(4, agg['vcpus'])
        self.assertEqual({'mec_host': 'true'}, agg['details']['metadata'])

    def test_zone_left_empty_by_aggregates_is_not_a_host(self):
        self.cloud.state['aggregates'] = [
            {'id': 1, 'uuid': 'a', 'name': 'all', 'hosts':
             ['compute-1', 'compute-2'], 'availability_zone': 'nova',
             'metadata': {'mec_host': 'True'}}]
        hosts = self.driver.discover_hosts(None, self.vim())
        self.assertEqual(['aggregate:a'],
                         [h['discovery_key'] for h in hosts])

    def test_aggregate_key_is_configurable(self):
        self.config(mec_host_aggregate_key='edge', group='vim')
        self.cloud.state['aggregates'] = [
            {'id': 7, 'name': 'e', 'hosts': ['compute-1'],
             'metadata': {'edge': '1'}}]
        keys = [h['discovery_key']
                for h in self.driver.discover_hosts(None, self.vim())]
        self.assertEqual(['az:nova', 'aggregate:7'], keys)

    def test_without_admin_rights_zones_have_no_capacity(self):
        self.cloud.state['forbidden'] = [
            '/compute/v2.1/os-availability-zone/detail',
            '/compute/v2.1/os-hypervisors', '/compute/v2.1/os-aggregates']
        hosts = self.driver.discover_hosts(None, self.vim())
        self.assertEqual(['az:nova'], [h['discovery_key'] for h in hosts])
        self.assertIsNone(hosts[0]['capacity_source'])
        self.assertNotIn('vcpus', hosts[0])

    def test_hypervisor_pages_are_followed(self):
        self.cloud.state['page_size'] = 1
        host = self.driver.discover_hosts(None, self.vim())[0]
        self.assertEqual(2, len(host['details']['hypervisors']))

    def test_nova_down_is_unreachable(self):
        self.cloud.state['broken'] = ['/compute']
        self.assertRaises(exception.VimUnreachable,
                          self.driver.discover_hosts, None, self.vim())
