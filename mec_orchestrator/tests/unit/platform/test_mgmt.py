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
"""The mep management driver (Mm5) and the data plane of the rules."""

import threading
from unittest import mock

import fixtures
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import mep as conductor_mep
from mec_orchestrator.drivers import fake
from mec_orchestrator.drivers import loader
from mec_orchestrator.platform import auth
from mec_orchestrator.platform import dataplane
from mec_orchestrator.platform import mgmt
from mec_orchestrator.tests import base

TRAFFIC = {'trafficRuleId': 'tr-1', 'filterType': 'FLOW', 'priority': 1,
           'trafficFilter': [{'dstAddress': ['192.0.2.10/32'],
                              'dstPort': ['80'], 'protocol': ['TCP']}],
           'action': 'FORWARD_DECAPSULATED'}
DNS = {'dnsRuleId': 'dns-1', 'domainName': 'app.mec.example',
       'ipAddressType': 'IP_V4', 'ipAddress': '192.0.2.10', 'ttl': 30}
APPD = {'appDId': 'appd-1', 'appTrafficRule': [TRAFFIC],
        'appDNSRule': [DNS], 'appServiceProduced': [{'serName': 'svc'}]}


class MgmtTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        loader.get_driver.cache_clear()
        self.addCleanup(loader.get_driver.cache_clear)
        self.vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge', 'type': 'fake',
            'status': 'REACHABLE'})
        self.host = self.dbapi.sync_mec_hosts(self.vim.id, [{
            'discovery_key': 'az', 'name': 'edge', 'zone': 'az',
            'aggregate': None, 'vcpus': 8, 'vcpus_used': 0,
            'memory_mb': 16384, 'memory_mb_used': 0, 'disk_gb': 100,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.driver = mgmt.MepMgmtDriver(self.config)
        self.driver._sleep = lambda s: None
        self.traffic = loader.get_driver('traffic', 'fake')
        self.notifier = mock.Mock()
        self.useFixture(fixtures.MockPatch(
            'mec_orchestrator.conductor.notifier.get_notifier',
            return_value=self.notifier))
        self.inst = {'id': uuidutils.generate_uuid(), 'project_id': 'p',
                     'vim_id': self.vim.id, 'mec_host_id': self.host.id,
                     'app_name': 'app', 'app_d_id': 'appd-1'}
        self.package = self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_d_id': 'appd-1', 'appd': APPD,
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        self.dbapi.create_app_instance({
            'id': self.inst['id'], 'project_id': 'p', 'app_d_id': 'appd-1',
            'app_pkg_id': self.package.id, 'vim_id': self.vim.id,
            'mec_host_id': self.host.id,
            'vim_resources': {'ports': [{'id': 'port-1'}]},
            'instantiation_state': 'NOT_INSTANTIATED'})

    def rules(self):
        return {(r.kind, r.rule_id): r for r in self.dbapi.list_mep_rules(
            app_instance_id=self.inst['id'])}

    def steered(self):
        prefix = 'mec-%s-' % self.inst['id']
        return sorted(k[len(prefix):] for k in self.traffic.active
                      if k.startswith(prefix))


class TestPrepare(MgmtTestCase):

    def test_prepare_records_the_app_and_its_rules_inactive(self):
        data = self.driver.prepare(None, self.inst, APPD, {})
        self.assertEqual(self.inst['id'], data['clientId'])
        self.assertEqual('http://127.0.0.1:8099/mep/token',
                         data['tokenEndpoint'])
        row = self.dbapi.get_mep_app(self.inst['id'])
        self.assertEqual('CONFIGURED', row.state)
        self.assertTrue(row.confirm_ready)
        self.assertNotIn(data['clientSecret'], row.client_secret)
        self.assertTrue(auth.check_secret(row.client_secret,
                                          data['clientSecret']))
        rules = self.rules()
        self.assertEqual({('traffic', 'tr-1'), ('dns', 'dns-1')}, set(rules))
        self.assertEqual({'INACTIVE'}, {r.state for r in rules.values()})
        self.assertEqual(TRAFFIC, rules['traffic', 'tr-1'].body)
        self.assertEqual({'required': [], 'optional': [],
                          'produced': ['svc']}, row.services)

    def test_prepare_again_gives_the_same_credentials(self):
        first = self.driver.prepare(None, self.inst, APPD, {})
        second = self.driver.prepare(None, self.inst, APPD, {})
        self.assertEqual(first, second)
        self.assertEqual(2, len(self.rules()))

    def test_a_rule_the_data_plane_refuses_fails_with_nothing_kept(self):
        refused = exception.TrafficRuleNotSupported(rule_id='tr-1',
                                                    reason='no DUPLICATE')
        with mock.patch.object(fake.FakeTrafficDriver, 'validate',
                               side_effect=refused):
            e = self.assertRaises(exception.TrafficRuleNotSupported,
                                  self.driver.prepare, None, self.inst,
                                  APPD, {})
        self.assertIn('tr-1', str(e))
        self.assertRaises(exception.MepAppNotFound,
                          self.dbapi.get_mep_app, self.inst['id'])
        self.assertEqual({}, self.rules())

    def test_a_bad_dns_rule_is_refused(self):
        appd = dict(APPD, appDNSRule=[dict(DNS, ipAddress='2001:db8::1')])
        e = self.assertRaises(exception.Invalid, self.driver.prepare, None,
                              self.inst, appd, {})
        self.assertIn('dns-1', str(e))
        self.assertEqual({}, self.rules())


class TestActivation(MgmtTestCase):

    def test_rules_wait_for_confirm_ready(self):
        self.driver.prepare(None, self.inst, APPD, {})
        self.driver.configure(None, self.inst, APPD)
        self.assertEqual([], self.steered())
        # What confirm_ready does, then the conductor's cast.
        self.dbapi.set_mep_rules_state(self.inst['id'], 'ACTIVE')
        counts = dataplane.DataPlane(self.dbapi).sync(self.inst['id'])
        self.assertEqual({'activated': 2, 'deactivated': 0, 'failed': 0},
                         counts)
        self.assertEqual(['tr-1'], self.steered())
        self.assertEqual({'ACTIVE'},
                         {r.applied_state for r in self.rules().values()})
        # Nothing left to do: a second pass changes nothing.
        self.assertEqual(0, dataplane.DataPlane(self.dbapi).sync(
            self.inst['id'])['activated'])

    def test_an_app_without_mp1_gets_its_rules_at_once(self):
        self.driver.prepare(None, self.inst, APPD,
                            {'additionalParams': {'confirmReady': False}})
        self.driver.configure(None, self.inst, APPD)
        self.assertEqual('READY',
                         self.dbapi.get_mep_app(self.inst['id']).state)
        self.assertEqual(['tr-1'], self.steered())

    def test_an_appd_without_mp1_support_gets_its_rules_at_once(self):
        appd = dict(APPD, appSupportMp1=False)
        self.driver.prepare(None, self.inst, appd, {})
        self.driver.configure(None, self.inst, appd)
        self.assertEqual(['tr-1'], self.steered())

    def test_the_request_overrides_the_appd(self):
        appd = dict(APPD, appSupportMp1=False)
        self.driver.prepare(None, self.inst, appd,
                            {'additionalParams': {'confirmReady': True}})
        self.driver.configure(None, self.inst, appd)
        self.assertEqual([], self.steered())

    def test_failures_are_recorded_and_retried_by_the_periodic_pass(self):
        self.driver.prepare(None, self.inst, APPD,
                            {'additionalParams': {'confirmReady': False}})
        with mock.patch.object(fake.FakeTrafficDriver, 'activate',
                               side_effect=exception.InfraError(
                                   reason='neutron says no')):
            self.assertRaises(exception.InfraError, self.driver.configure,
                              None, self.inst, APPD)
        rule = self.rules()['traffic', 'tr-1']
        self.assertIn('neutron says no', rule.error)
        self.assertIsNone(rule.applied_state)
        service = conductor_mep.PlatformService(
            self.dbapi, mock.Mock(), mock.Mock(
                responsible_for=mock.Mock(return_value=True)))
        service.periodic_sync()
        rule = self.rules()['traffic', 'tr-1']
        self.assertEqual('ACTIVE', rule.applied_state)
        self.assertIsNone(rule.error)
        self.assertEqual(['tr-1'], self.steered())

    def test_periodic_pass_reapplies_active_rules_without_duplicates(self):
        self.driver.prepare(None, self.inst, APPD,
                            {'additionalParams': {'confirmReady': False}})
        self.driver.configure(None, self.inst, APPD)
        self.traffic.active.clear()  # the data plane lost them
        vims = mock.Mock(responsible_for=mock.Mock(return_value=True))
        conductor_mep.PlatformService(self.dbapi, mock.Mock(),
                                      vims).periodic_sync()
        self.assertEqual(['tr-1'], self.steered())
        # Not this conductor's VIM: left alone.
        self.traffic.active.clear()
        vims.responsible_for.return_value = False
        conductor_mep.PlatformService(self.dbapi, mock.Mock(),
                                      vims).periodic_sync()
        self.assertEqual([], self.steered())


class TestTermination(MgmtTestCase):

    def setUp(self):
        super().setUp()
        self.driver.prepare(None, self.inst, APPD,
                            {'additionalParams': {'confirmReady': False}})
        self.driver.configure(None, self.inst, APPD)

    def subscribe(self):
        return self.dbapi.create_mep_subscription({
            'id': uuidutils.generate_uuid(),
            'app_instance_id': self.inst['id'],
            'mec_host_id': self.host.id,
            'subscription_type': 'AppTerminationNotificationSubscription',
            'callback_reference': 'http://app.example/term',
            'body': {}})

    def test_forceful_unconfigure_removes_everything(self):
        self.driver.unconfigure(None, self.inst)
        self.assertEqual([], self.steered())
        self.assertRaises(exception.MepAppNotFound,
                          self.dbapi.get_mep_app, self.inst['id'])
        self.assertEqual({}, self.rules())
        self.notifier.notify.assert_not_called()
        # Idempotent.
        self.driver.unconfigure(None, self.inst)

    def test_graceful_unconfigure_waits_for_the_confirmation(self):
        sub = self.subscribe()
        waited = []

        def sleep(seconds):
            waited.append(seconds)
            if len(waited) == 3:
                self.dbapi.update_mep_app(self.inst['id'], {
                    'termination_confirmed': 'TERMINATING'})

        self.driver._sleep = sleep
        self.driver.unconfigure(None, self.inst, graceful_timeout=60)
        self.assertEqual(3, len(waited))
        (subscription, notification), _kw = self.notifier.notify.call_args
        self.assertEqual('http://app.example/term',
                         subscription['callbackUri'])
        self.assertEqual('AppTerminationNotification',
                         notification['notificationType'])
        self.assertEqual('TERMINATING', notification['operationAction'])
        self.assertEqual(60, notification['maxGracefulTimeout'])
        self.assertTrue(notification['_links']['subscription'][
            'href'].endswith('/subscriptions/%s' % sub.id))
        self.assertTrue(notification['_links']['confirmTermination'][
            'href'].endswith('/applications/%s/confirm_termination'
                             % self.inst['id']))
        self.assertEqual([], self.steered())

    def test_graceful_unconfigure_goes_on_after_the_timeout(self):
        self.subscribe()
        self.driver._sleep = lambda s: threading.Event().wait(0.05)
        self.driver.unconfigure(None, self.inst, graceful_timeout=1)
        self.assertIn('did not confirm TERMINATING', self.log.output)
        self.assertRaises(exception.MepAppNotFound,
                          self.dbapi.get_mep_app, self.inst['id'])

    def test_graceful_without_subscription_does_not_wait(self):
        self.driver._sleep = mock.Mock()
        self.driver.unconfigure(None, self.inst, graceful_timeout=60)
        self.driver._sleep.assert_not_called()

    def test_stop_deactivates_and_start_reactivates(self):
        self.driver.stop(None, self.inst)
        self.assertEqual([], self.steered())
        self.assertEqual('CONFIGURED',
                         self.dbapi.get_mep_app(self.inst['id']).state)
        self.driver.start(None, self.inst)
        self.assertEqual(['tr-1'], self.steered())

    def test_removal_failure_keeps_the_app_for_a_retry(self):
        with mock.patch.object(fake.FakeTrafficDriver, 'deactivate',
                               side_effect=exception.InfraError(
                                   reason='neutron down')):
            self.assertRaises(exception.InfraError, self.driver.unconfigure,
                              None, self.inst)
        self.assertEqual('READY',
                         self.dbapi.get_mep_app(self.inst['id']).state)
        self.driver.unconfigure(None, self.inst)
        self.assertEqual([], self.steered())
