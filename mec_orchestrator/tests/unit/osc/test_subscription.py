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
"""The subscription commands, against a fake API at the HTTP boundary."""

import fixtures
from osc_lib import exceptions

from mec_orchestrator.osc.v1 import subscription
from mec_orchestrator.tests.unit.osc import test_app_instance as base

LCM = '/app_lcm/v1/subscriptions'
PKGM = '/app_pkgm/v1/subscriptions'
SUB_ID = '0d9a8b7c-6e5f-4a3b-8c2d-1e0f9a8b7c01'
PKG_SUB_ID = '5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c02'
CALLBACK = 'https://oss.example/notify'


def lcm_sub(**kwargs):
    info = {'id': SUB_ID, 'subscriptionType': 'AppInstanceStateChange',
            'callbackUri': CALLBACK,
            '_links': {'self': {'href': base.ENDPOINT + LCM + '/' + SUB_ID}}}
    info.update(kwargs)
    return info


def pkg_sub(**kwargs):
    info = {'id': PKG_SUB_ID, 'subscriptionType': 'AppPackageOnBoarding',
            'callbackUri': CALLBACK + '/pkg',
            '_links': {'self': {'href': base.ENDPOINT + PKGM + '/'
                                + PKG_SUB_ID}}}
    info.update(kwargs)
    return info


def link_list(path, *items):
    return {'_links': {'self': {'href': base.ENDPOINT + path},
                       'subscriptions': [
                           dict({'href': '%s%s/%s' % (base.ENDPOINT, path,
                                                      i)}, **{key: kind})
                           for i, kind, key in items]}}


class TestCreate(base.CommandTestCase):

    def test_instance_state_change(self):
        self.api.add('GET', base.LCM + '/app_instances?filter=(eq,'
                     'appInstanceName,web)', 200, [base.instance()])
        self.api.add('POST', LCM, 201, lcm_sub(
            appInstanceState='STARTED'))
        out = self.run_command(subscription.CreateSubscription, [
            '--type', 'appinstancestatechange', '--callback-uri', CALLBACK,
            '--instance', 'web', '--instance', base.OP_ID,
            '--state', 'started', '--basic-auth', 'oss:s3cret:x'])
        self.assertEqual([{
            'subscriptionType': 'AppInstanceStateChange',
            'callbackUri': CALLBACK,
            'appInstanceState': 'STARTED',
            'appInstanceSubscriptionFilter': {
                'appInstSelectorType': 'APP_IDENTITY',
                'appInstances': [base.INSTANCE_ID, base.OP_ID]},
            'authentication': {'authType': ['BASIC'], 'paramsBasic': {
                'userName': 'oss', 'password': 's3cret:x'}},
        }], self.api.sent('POST', LCM))
        self.assertRow('Callback URI', CALLBACK, out)
        self.assertRow('Subscription Type', 'AppInstanceStateChange', out)
        self.assertRow('API', 'app_lcm', out)
        self.assertNotIn('s3cret', out)

    def test_op_occ_state_change(self):
        self.api.add('POST', LCM, 201, lcm_sub(
            subscriptionType='AppLcmOpOccStateChange'))
        data = self.run_json(subscription.CreateSubscription, [
            '--type', 'AppLcmOpOccStateChange', '--callback-uri', CALLBACK,
            '--instance', base.INSTANCE_ID, '--state', 'FAILED_TEMP',
            '--operation', 'instantiate'])
        self.assertEqual([{
            'subscriptionType': 'AppLcmOpOccStateChange',
            'callbackUri': CALLBACK,
            'appLcmOpOccSubscriptionFilter': {
                'appInstanceSubscriptionFilter': {
                    'appInstSelectorType': 'APP_IDENTITY',
                    'appInstances': [base.INSTANCE_ID]},
                'operationStates': 'FAILED_TEMP',
                'operationTypes': 'INSTANTIATE'},
        }], self.api.sent('POST', LCM))
        self.assertEqual('AppLcmOpOccStateChange', data['subscriptionType'])
        self.assertEqual('app_lcm', data['api'])

    def test_op_occ_without_filter(self):
        self.api.add('POST', LCM, 201, lcm_sub(
            subscriptionType='AppLcmOpOccStateChange'))
        self.run_command(subscription.CreateSubscription, [
            '--type', 'AppLcmOpOccStateChange', '--callback-uri', CALLBACK])
        self.assertEqual([{'subscriptionType': 'AppLcmOpOccStateChange',
                           'callbackUri': CALLBACK}],
                         self.api.sent('POST', LCM))

    def test_package_subscription(self):
        self.api.add('POST', PKGM, 201, pkg_sub(
            subscriptionType='AppPacakgeOperationChange',
            appPkgFilter=['(eq,appName,web)']))
        data = self.run_json(subscription.CreateSubscription, [
            '--type', 'AppPacakgeOperationChange', '--callback-uri',
            CALLBACK, '--filter', '(eq,appName,web)'])
        self.assertEqual([{'subscriptionType': 'AppPackageOperationChange',
                           'callbackUri': CALLBACK,
                           'appPkgFilter': ['(eq,appName,web)']}],
                         self.api.sent('POST', PKGM))
        self.assertEqual('app_pkgm', data['api'])
        self.assertEqual(['(eq,appName,web)'], data['appPkgFilter'])
        self.assertEqual([], self.api.sent('POST', LCM))

    def test_options_of_the_other_api(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.CreateSubscription, [
                                    '--type', 'AppPackageOnBoarding',
                                    '--callback-uri', CALLBACK,
                                    '--instance', base.INSTANCE_ID])
        self.assertIn('use --filter', str(exc))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.CreateSubscription, [
                                    '--type', 'AppInstanceStateChange',
                                    '--callback-uri', CALLBACK,
                                    '--filter', '(eq,appName,x)'])
        self.assertIn('--filter is for app package subscriptions', str(exc))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.CreateSubscription, [
                                    '--type', 'AppInstanceStateChange',
                                    '--callback-uri', CALLBACK,
                                    '--state', 'PROCESSING'])
        self.assertIn('NOT_INSTANTIATED, STARTED or STOPPED', str(exc))
        self.assertEqual([], self.api.calls)

    def test_unknown_type(self):
        cmd = subscription.CreateSubscription(base._App(self.client), None)
        parser = cmd.get_parser('openstack mec subscription create')
        self.useFixture(fixtures.MonkeyPatch('sys.stderr',
                                             base._Stream()))
        self.assertRaises(SystemExit, parser.parse_args,
                          ['--type', 'Nope', '--callback-uri', CALLBACK])

    def test_password_prompted_on_a_terminal(self):
        self.useFixture(fixtures.MockPatch('sys.stdin.isatty',
                                           return_value=True))
        self.useFixture(fixtures.MockPatch('getpass.getpass',
                                           return_value='asked'))
        self.api.add('POST', LCM, 201, lcm_sub())
        self.run_command(subscription.CreateSubscription, [
            '--type', 'AppInstanceStateChange', '--callback-uri', CALLBACK,
            '--basic-auth', 'oss'])
        self.assertEqual({'userName': 'oss', 'password': 'asked'},
                         self.api.sent('POST', LCM)[0]['authentication'][
                             'paramsBasic'])

    def test_no_password_without_a_terminal(self):
        self.useFixture(fixtures.MockPatch('sys.stdin.isatty',
                                           return_value=False))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.CreateSubscription, [
                                    '--type', 'AppInstanceStateChange',
                                    '--callback-uri', CALLBACK,
                                    '--basic-auth', 'oss'])
        self.assertIn('no password', str(exc))

    def test_refused_callback(self):
        self.api.add('POST', LCM, 400, {
            'status': 400, 'detail': 'callbackUri: 10.0.0.1 is not allowed '
                                     'by the outbound policy'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.CreateSubscription, [
                                    '--type', 'AppInstanceStateChange',
                                    '--callback-uri', 'http://10.0.0.1/'])
        self.assertEqual('callbackUri: 10.0.0.1 is not allowed by the '
                         'outbound policy (HTTP 400)', str(exc))


class TestList(base.CommandTestCase):

    def setUp(self):
        super().setUp()
        self.api.add('GET', LCM, 200, link_list(
            LCM, (SUB_ID, 'AppInstanceStateChange', 'subscriptionType')))
        # The package API spells the key as v2.1.1 does.
        self.api.add('GET', PKGM, 200, link_list(
            PKGM, (PKG_SUB_ID, 'AppPacakgeOperationChange',
                   'subsctiptionType')))

    def test_both_apis(self):
        out = self.run_command(subscription.ListSubscription, [])
        header = out.splitlines()[1]
        self.assertEqual(['ID', 'Subscription Type', 'API'],
                         [c.strip() for c in header.strip('|').split('|')])
        self.assertRegex(out, r'\| %s \| AppInstanceStateChange +\| '
                              r'app_lcm +\|' % SUB_ID)
        self.assertRegex(out, r'\| %s \| AppPacakgeOperationChange +\| '
                              r'app_pkgm +\|' % PKG_SUB_ID)

    def test_lcm_type(self):
        path = LCM + '?subscriptionType=AppLcmOpOccStateChange'
        self.api.add('GET', path, 200, link_list(LCM))
        rows = self.run_json(subscription.ListSubscription,
                             ['--type', 'AppLcmOpOccStateChange'])
        self.assertEqual([], rows)
        self.assertEqual(['GET %s' % path],
                         ['%s %s' % c[:2] for c in self.api.calls])

    def test_package_type(self):
        rows = self.run_json(subscription.ListSubscription,
                             ['--type', 'AppPackageOperationChange'])
        self.assertEqual([{'id': PKG_SUB_ID, 'api': 'app_pkgm',
                           'subscriptionType':
                               'AppPacakgeOperationChange'}], rows)
        rows = self.run_json(subscription.ListSubscription,
                             ['--type', 'AppPackageOnBoarding'])
        self.assertEqual([], rows)
        self.assertEqual([], self.api.sent('GET', LCM))

    def test_long(self):
        self.api.add('GET', LCM + '/' + SUB_ID, 200, lcm_sub())
        self.api.add('GET', PKGM + '/' + PKG_SUB_ID, 200, pkg_sub())
        out = self.run_command(subscription.ListSubscription, ['--long'])
        self.assertIn('Callback URI', out.splitlines()[1])
        self.assertRegex(out, r'\| app_lcm +\| %s +\|' % CALLBACK)
        self.assertRegex(out, r'\| app_pkgm \| %s/pkg \|' % CALLBACK)


class TestShowDelete(base.CommandTestCase):

    def test_show_lcm(self):
        self.api.add('GET', LCM + '/' + SUB_ID, 200, lcm_sub())
        out = self.run_command(subscription.ShowSubscription, [SUB_ID])
        self.assertRow('ID', SUB_ID, out)
        self.assertRow('API', 'app_lcm', out)
        self.assertRow('Callback URI', CALLBACK, out)

    def test_show_package(self):
        self.api.add('GET', PKGM + '/' + PKG_SUB_ID, 200, pkg_sub())
        data = self.run_json(subscription.ShowSubscription, [PKG_SUB_ID])
        self.assertEqual('AppPackageOnBoarding', data['subscriptionType'])
        self.assertEqual('app_pkgm', data['api'])

    def test_show_unknown(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.ShowSubscription, [SUB_ID])
        self.assertEqual('No subscription %s.' % SUB_ID, str(exc))

    def test_show_other_error(self):
        self.api.add('GET', LCM + '/' + SUB_ID, 403,
                     {'status': 403, 'detail': 'Policy does not allow it'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.ShowSubscription, [SUB_ID])
        self.assertEqual('Policy does not allow it (HTTP 403)', str(exc))

    def test_delete_in_the_right_api(self):
        self.api.add('GET', PKGM + '/' + PKG_SUB_ID, 200, pkg_sub())
        self.api.add('DELETE', PKGM + '/' + PKG_SUB_ID, 204)
        self.api.add('GET', LCM + '/' + SUB_ID, 200, lcm_sub())
        self.api.add('DELETE', LCM + '/' + SUB_ID, 204)
        self.run_command(subscription.DeleteSubscription,
                         [PKG_SUB_ID, SUB_ID])
        self.assertEqual(
            [('DELETE', PKGM + '/' + PKG_SUB_ID),
             ('DELETE', LCM + '/' + SUB_ID)],
            [c[:2] for c in self.api.calls if c[0] == 'DELETE'])

    def test_delete_unknown(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                subscription.DeleteSubscription, ['nope'])
        self.assertEqual('nope: No subscription nope.', str(exc))
