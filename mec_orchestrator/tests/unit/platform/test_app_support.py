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
"""/mec_app_support/v1: ETSI GS MEC 011 v2.1.1, checked against the
vendored OpenAPI file.

Deviations of :func:`app_support_spec` from the file, each a defect of
the file or a documented tolerance (``doc/source/user/mp1.rst``):

* the file is OpenAPI 3.1.0; its schemas use the draft 4 keywords
  :mod:`mec_orchestrator.tests.spec` understands, but for ``const``
  (``AppReadyConfirmation.indication``), turned into a one-value
  ``enum``;
* ``TrafficRule.dstInterface`` may also be a list of one or two
  DestinationInterfaces (cardinality 0..2 of the data model, clause
  7.1.2.2; the file has one object).
"""

import time
from unittest import mock

from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import rpcapi
from mec_orchestrator import conf
from mec_orchestrator.drivers import fake
from mec_orchestrator.drivers import loader
from mec_orchestrator.tests import spec
from mec_orchestrator.tests.unit.platform import base

CONF = conf.CONF

V1 = '/mec_app_support/v1'
APP = '7d6a2b1c-0000-4000-8000-000000000001'
OTHER = '7d6a2b1c-0000-4000-8000-000000000002'
TERMINATION = 'AppTerminationNotificationSubscription'
CALLBACK = 'https://app.example.com/notifications'

TRAFFIC = {
    'trafficRuleId': 'tr1', 'filterType': 'FLOW', 'priority': 1,
    'trafficFilter': [{'srcAddress': ['192.168.2.0/24'],
                       'dstAddress': ['192.127.4.100/32'],
                       'dstPort': ['80'], 'protocol': ['TCP']}],
    'action': 'FORWARD_DECAPSULATED',
    'dstInterface': {'interfaceType': 'IP', 'dstIpAddress': '20.1.1.1'},
}
DNS = {'dnsRuleId': 'dns1', 'domainName': 'www.example.com',
       'ipAddressType': 'IP_V4', 'ipAddress': '146.241.7.3', 'ttl': 300}
RULES = [('traffic', 'tr1', TRAFFIC, 'INACTIVE'),
         ('dns', 'dns1', DNS, 'INACTIVE')]


SPEC = spec.mec011_app_support()


class AppSupportTestCase(base.PlatformTestCase):

    def setUp(self):
        super().setUp()
        self.sync = self.useFixture_sync()
        self.row, secret = self.make_app(APP, rules=RULES)
        self.headers = self.headers_for(APP, secret)
        self.other_row, other_secret = self.make_app(
            OTHER, rules=[('traffic', 'tr1', TRAFFIC, 'INACTIVE')])
        self.other_headers = self.headers_for(OTHER, other_secret)

    def useFixture_sync(self):
        patcher = mock.patch.object(rpcapi.ConductorAPI, 'sync_platform',
                                    autospec=True)
        sync = patcher.start()
        self.addCleanup(patcher.stop)
        return sync

    def check(self, template, method, resp):
        """Validate a response against the file; returns its JSON."""
        body = resp.json if resp.body else None
        spec.validate_response(SPEC, template, method, resp.status_int, body)
        return body

    def problem(self, template, method, resp, status, detail=None):
        body = self.assertProblem(resp, status, detail)
        self.check(template, method, resp)
        return body

    def assertSynced(self, app_instance_id=APP):
        self.sync.assert_called_once_with(mock.ANY, mock.ANY,
                                          app_instance_id)

    def rule(self, kind, rule_id, app_instance_id=APP):
        return self.dbapi.get_mep_rule(app_instance_id, kind, rule_id)


class TestRules(AppSupportTestCase):

    LIST = '/applications/{appInstanceId}/traffic_rules'
    ONE = '/applications/{appInstanceId}/traffic_rules/{trafficRuleId}'
    DNS_LIST = '/applications/{appInstanceId}/dns_rules'
    DNS_ONE = '/applications/{appInstanceId}/dns_rules/{dnsRuleId}'

    def url(self, kind='traffic', rule_id=None, app=APP):
        url = '%s/applications/%s/%s_rules' % (V1, app, kind)
        return url + '/' + rule_id if rule_id else url

    def put(self, body, kind='traffic', rule_id='tr1', status=200, **kw):
        return self.app.put_json(self.url(kind, rule_id), body,
                                 headers=self.headers, status=status, **kw)

    def test_list_and_show(self):
        resp = self.app.get(self.url(), headers=self.headers)
        body = self.check(self.LIST, 'get', resp)
        self.assertEqual([dict(TRAFFIC, state='INACTIVE')], body)
        resp = self.app.get(self.url(rule_id='tr1'), headers=self.headers)
        self.assertEqual(dict(TRAFFIC, state='INACTIVE'),
                         self.check(self.ONE, 'get', resp))
        resp = self.app.get(self.url('dns'), headers=self.headers)
        self.assertEqual([dict(DNS, state='INACTIVE')],
                         self.check(self.DNS_LIST, 'get', resp))
        resp = self.app.get(self.url('dns', 'dns1'), headers=self.headers)
        self.assertEqual(dict(DNS, state='INACTIVE'),
                         self.check(self.DNS_ONE, 'get', resp))

    def test_empty_list(self):
        self.dbapi.destroy_mep_app(APP)
        _row, secret = self.make_app(APP)
        headers = self.headers_for(APP, secret)
        for kind, template in (('traffic', self.LIST),
                               ('dns', self.DNS_LIST)):
            resp = self.app.get(self.url(kind), headers=headers)
            self.assertEqual([], self.check(template, 'get', resp))

    def test_unknown_rule_is_404(self):
        resp = self.app.get(self.url(rule_id='nope'), headers=self.headers,
                            status=404)
        self.problem(self.ONE, 'get', resp, 404, 'nope')
        resp = self.app.get(self.url('dns', 'tr1'), headers=self.headers,
                            status=404)
        self.problem(self.DNS_ONE, 'get', resp, 404)
        resp = self.put(dict(TRAFFIC, trafficRuleId='nope', state='ACTIVE'),
                        rule_id='nope', status=404)
        self.problem(self.ONE, 'put', resp, 404)
        self.sync.assert_not_called()

    def test_another_apps_rules_are_403_and_unchanged(self):
        for url, template in ((self.url(app=OTHER), self.LIST),
                              (self.url(rule_id='tr1', app=OTHER), self.ONE),
                              (self.url('dns', app=OTHER), self.DNS_LIST),
                              (self.url(rule_id='nope', app=OTHER),
                               self.ONE)):
            resp = self.app.get(url, headers=self.headers, status=403)
            self.problem(template, 'get', resp, 403)
        resp = self.app.put_json(self.url(rule_id='tr1', app=OTHER),
                                 dict(TRAFFIC, state='ACTIVE'),
                                 headers=self.headers, status=403)
        self.problem(self.ONE, 'put', resp, 403)
        self.assertEqual('INACTIVE', self.rule('traffic', 'tr1', OTHER).state)
        self.sync.assert_not_called()

    def test_put_activates_a_traffic_rule(self):
        resp = self.put(dict(TRAFFIC, state='ACTIVE'))
        self.assertEqual(dict(TRAFFIC, state='ACTIVE'),
                         self.check(self.ONE, 'put', resp))
        row = self.rule('traffic', 'tr1')
        self.assertEqual('ACTIVE', row.state)
        self.assertEqual(TRAFFIC, row.body)
        self.assertSynced()
        resp = self.app.get(self.url(rule_id='tr1'), headers=self.headers)
        self.assertEqual('ACTIVE', resp.json['state'])

    def test_put_new_body_is_applied_again(self):
        self.dbapi.update_mep_rule(APP, 'traffic', 'tr1',
                                   {'applied_state': 'INACTIVE'})
        self.put(dict(TRAFFIC, state='INACTIVE'))
        self.assertEqual('INACTIVE', self.rule('traffic', 'tr1')
                         .applied_state)
        changed = dict(TRAFFIC, priority=7, state='INACTIVE',
                       dstInterface=[{'interfaceType': 'MAC',
                                      'dstMacAddress': '02-00-00-00-00-01'}])
        resp = self.put(changed)
        self.assertEqual(changed, self.check(self.ONE, 'put', resp))
        row = self.rule('traffic', 'tr1')
        self.assertIsNone(row.applied_state)
        self.assertEqual(7, row.body['priority'])

    def test_put_bad_traffic_rules_are_400_and_change_nothing(self):
        good = dict(TRAFFIC, state='ACTIVE')

        def without(field):
            return {k: v for k, v in good.items() if k != field}

        def flt(**values):
            return dict(good, trafficFilter=[dict(TRAFFIC['trafficFilter'][0],
                                                  **values)])

        cases = [
            (dict(good, priority='1'), 'priority'),
            (dict(good, priority=256), 'priority'),
            (dict(good, action='FORWARD'), 'action'),
            (dict(good, filterType='flow'), 'filterType'),
            (dict(good, state='ON'), 'state'),
            (without('action'), 'action'),
            (without('trafficFilter'), 'trafficFilter'),
            (dict(good, surprise=1), 'surprise'),
            (dict(good, trafficRuleId='tr2'), 'trafficRuleId'),
            (flt(dstAddress='10.0.0.1'), 'dstAddress'),
            (flt(dstAddress=['10.0.0.300']), 'dstAddress'),
            (flt(srcAddress=['10.0.0.9-10.0.0.1']), 'srcAddress'),
            (flt(dstPort=['65536']), 'dstPort'),
            (flt(srcPort=['90-80']), 'srcPort'),
            (flt(dstPort=[80]), 'dstPort'),
            (flt(dSCP=64), 'dSCP'),
            (dict(good, dstInterface={'interfaceType': 'IP'}),
             'dstIpAddress'),
            (dict(good, dstInterface={'interfaceType': 'IP',
                                      'dstIpAddress': 'host'}),
             'dstIpAddress'),
            (dict(good, dstInterface={'interfaceType': 'MAC',
                                      'dstMacAddress': '02:00'}),
             'dstMacAddress'),
            (dict(good, dstInterface={'interfaceType': 'TUNNEL',
                                      'tunnelInfo': {'tunnelType': 'VXLAN'}}),
             'tunnelType'),
        ]
        for body, field in cases:
            resp = self.put(body, status=400)
            self.problem(self.ONE, 'put', resp, 400, field)
        self.assertEqual('INACTIVE', self.rule('traffic', 'tr1').state)
        self.assertEqual(TRAFFIC, self.rule('traffic', 'tr1').body)
        self.sync.assert_not_called()

    def test_put_needs_json(self):
        resp = self.app.put(self.url(rule_id='tr1'), 'state=ACTIVE',
                            headers=self.headers, status=415)
        self.assertProblem(resp, 415)
        resp = self.app.put(self.url(rule_id='tr1'), '{"state":',
                            headers=dict(self.headers,
                                         **{'Content-Type':
                                            'application/json'}),
                            status=400)
        self.problem(self.ONE, 'put', resp, 400)
        self.sync.assert_not_called()

    def _openstack_host(self):
        vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'openstack', 'status': 'REACHABLE',
            'access': {'auth_url': 'https://keystone.edge/v3'},
            'credentials': None})
        host = self.dbapi.sync_mec_hosts(vim.id, [{
            'discovery_key': 'az:edge', 'name': 'edge', 'zone': 'edge-az',
            'aggregate': None, 'vcpus': 4, 'vcpus_used': 0,
            'memory_mb': 8192, 'memory_mb_used': 0, 'disk_gb': 40,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.dbapi.update_mep_app(APP, {'mec_host_id': host.id})
        return vim

    def test_put_a_rule_the_data_plane_refuses(self):
        from mec_orchestrator.drivers.openstack import traffic
        self._openstack_host()
        drivers = {'openstack': traffic.SfcTrafficDriver(CONF)}
        with mock.patch.object(loader, 'get_driver', autospec=True,
                               side_effect=lambda kind, name:
                               drivers[name]) as get_driver:
            resp = self.put(dict(TRAFFIC, action='DUPLICATE_DECAPSULATED',
                                 state='ACTIVE'), status=400)
            self.problem(self.ONE, 'put', resp, 400, 'duplicate')
            get_driver.assert_called_with('traffic', 'openstack')
            self.assertEqual('INACTIVE', self.rule('traffic', 'tr1').state)
            self.sync.assert_not_called()
            resp = self.put(dict(TRAFFIC, state='ACTIVE'))
            self.check(self.ONE, 'put', resp)

    def test_put_driver_not_enabled_or_no_host_is_not_checked(self):
        self._openstack_host()
        error = exception.DriverLoadError(name='openstack', namespace='x',
                                          reason='not enabled')
        with mock.patch.object(loader, 'get_driver', autospec=True,
                               side_effect=error):
            resp = self.put(dict(TRAFFIC, action='DUPLICATE_DECAPSULATED',
                                 state='ACTIVE'))
        self.check(self.ONE, 'put', resp)
        self.dbapi.update_mep_app(APP, {'mec_host_id': None})
        with mock.patch.object(loader, 'get_driver', autospec=True) as get:
            self.put(dict(TRAFFIC, state='INACTIVE'))
        get.assert_not_called()

    def test_put_fake_driver_accepts(self):
        vim = self._openstack_host()
        with mock.patch.object(loader, 'get_driver', autospec=True,
                               return_value=fake.FakeTrafficDriver(CONF)):
            resp = self.put(dict(TRAFFIC, action='DUPLICATE_DECAPSULATED',
                                 state='ACTIVE'))
        self.assertEqual('DUPLICATE_DECAPSULATED', resp.json['action'])
        self.assertEqual('openstack', vim.type)

    def test_put_dns_rule(self):
        body = dict(DNS, ipAddressType='IP_V6', ipAddress='2001:db8::1',
                    state='ACTIVE')
        resp = self.put(body, 'dns', 'dns1')
        self.assertEqual(body, self.check(self.DNS_ONE, 'put', resp))
        row = self.rule('dns', 'dns1')
        self.assertEqual('ACTIVE', row.state)
        self.assertNotIn('state', row.body)
        self.assertSynced()

    def test_put_bad_dns_rules_are_400_and_change_nothing(self):
        good = dict(DNS, state='ACTIVE')
        cases = [
            (dict(good, ipAddress='2001:db8::1'), 'ipAddress'),
            (dict(good, ipAddressType='IP_V6'), 'ipAddress'),
            (dict(good, ipAddressType='IPV4'), 'ipAddressType'),
            (dict(good, ttl='300'), 'ttl'),
            (dict(good, ttl=-1), 'ttl'),
            (dict(good, dnsRuleId='dns2'), 'dnsRuleId'),
            (dict(good, domainName='bad name.example'), 'domainName'),
            ({k: v for k, v in good.items() if k != 'domainName'},
             'domainName'),
        ]
        for body, field in cases:
            resp = self.put(body, 'dns', 'dns1', status=400)
            self.problem(self.DNS_ONE, 'put', resp, 400, field)
        self.assertEqual('INACTIVE', self.rule('dns', 'dns1').state)
        self.sync.assert_not_called()

    def test_methods_and_queries(self):
        for method in ('post_json', 'delete'):
            resp = getattr(self.app, method)(
                self.url(rule_id='tr1'), headers=self.headers, status=405)
            self.assertProblem(resp, 405)
        for method in ('post_json', 'put_json'):
            resp = getattr(self.app, method)(
                self.url(), dict(TRAFFIC, state='ACTIVE'),
                headers=self.headers, status=405)
            self.assertProblem(resp, 405)
        resp = self.app.get(self.url() + '?state=ACTIVE',
                            headers=self.headers, status=400)
        self.problem(self.LIST, 'get', resp, 400, 'state')

    def test_unknown_paths_are_404(self):
        for path in ('/applications', '/applications/%s' % APP,
                     '/applications/%s/nothing' % APP, '/nothing'):
            resp = self.app.get(V1 + path, headers=self.headers, status=404)
            self.assertProblem(resp, 404)


class TestSubscriptions(AppSupportTestCase):

    LIST = '/applications/{appInstanceId}/subscriptions'
    ONE = '/applications/{appInstanceId}/subscriptions/{subscriptionId}'

    def url(self, app=APP, sub_id=None):
        url = '%s/applications/%s/subscriptions' % (V1, app)
        return url + '/' + sub_id if sub_id else url

    def body(self, **extra):
        return dict({'subscriptionType': TERMINATION,
                     'callbackReference': CALLBACK,
                     'appInstanceId': APP}, **extra)

    def subscribe(self, body=None, status=201, headers=None, app=APP):
        return self.app.post_json(self.url(app), body or self.body(),
                                  headers=headers or self.headers,
                                  status=status)

    def test_subscribe_show_list_and_unsubscribe(self):
        resp = self.subscribe()
        sub = self.check(self.LIST, 'post', resp)
        href = sub['_links']['self']['href']
        self.assertEqual(resp.headers['Location'], href)
        self.assertTrue(href.startswith('http://localhost/mec_app_support/'
                                        'v1/applications/%s/subscriptions/'
                                        % APP))
        sub_id = href.rsplit('/', 1)[1]
        self.assertEqual(self.body(), {k: v for k, v in sub.items()
                                       if k != '_links'})
        row = self.dbapi.get_mep_subscription(sub_id)
        self.assertEqual(('host-1', CALLBACK, TERMINATION),
                         (row.mec_host_id, row.callback_reference,
                          row.subscription_type))
        resp = self.app.get(self.url(sub_id=sub_id), headers=self.headers)
        self.assertEqual(sub, self.check(self.ONE, 'get', resp))
        resp = self.app.get(self.url(), headers=self.headers)
        links = self.check(self.LIST, 'get', resp)['_links']
        self.assertEqual(self.url().replace('/mec', 'http://localhost/mec',
                                            1), links['self']['href'])
        self.assertEqual([{'href': href, 'subscriptionType': TERMINATION,
                           'rel': TERMINATION}], links['subscriptions'])
        resp = self.app.delete(self.url(sub_id=sub_id), headers=self.headers,
                               status=204)
        self.check(self.ONE, 'delete', resp)
        resp = self.app.get(self.url(sub_id=sub_id), headers=self.headers,
                            status=404)
        self.problem(self.ONE, 'get', resp, 404)
        resp = self.app.delete(self.url(sub_id=sub_id), headers=self.headers,
                               status=404)
        self.problem(self.ONE, 'delete', resp, 404)

    def test_links_sent_are_replaced(self):
        resp = self.subscribe(self.body(
            _links={'self': {'href': 'http://elsewhere/x'}}))
        self.assertNotIn('elsewhere', resp.json['_links']['self']['href'])

    def test_empty_list(self):
        resp = self.app.get(self.url(), headers=self.headers)
        self.assertEqual([], self.check(self.LIST, 'get', resp)['_links']
                         ['subscriptions'])

    def test_bad_subscriptions_are_400(self):
        cases = [
            (self.body(subscriptionType='SerAvailabilityNotification'
                                        'Subscription'), 'subscriptionType'),
            (self.body(appInstanceId=OTHER), 'appInstanceId'),
            (self.body(callbackReference='http://10.0.0.5/cb'), '10.0.0.5'),
            (self.body(callbackReference='ftp://app.example.com/cb'),
             'http'),
            (self.body(callbackReference=5), 'callbackReference'),
            ({'subscriptionType': TERMINATION, 'appInstanceId': APP},
             'callbackReference'),
            (self.body(filter={}), 'filter'),
        ]
        for body, detail in cases:
            resp = self.subscribe(body, status=400)
            self.problem(self.LIST, 'post', resp, 400, detail)
        self.assertEqual([], self.dbapi.list_mep_subscriptions(
            app_instance_id=APP))

    def test_another_app_is_refused(self):
        sub_id = self.subscribe().json['_links']['self']['href'].rsplit(
            '/', 1)[1]
        resp = self.app.get(self.url(APP, sub_id),
                            headers=self.other_headers, status=403)
        self.problem(self.ONE, 'get', resp, 403)
        resp = self.app.delete(self.url(APP, sub_id),
                               headers=self.other_headers, status=403)
        self.problem(self.ONE, 'delete', resp, 403)
        resp = self.app.get(self.url(APP), headers=self.other_headers,
                            status=403)
        self.problem(self.LIST, 'get', resp, 403)
        resp = self.subscribe(headers=self.other_headers, status=403)
        self.problem(self.LIST, 'post', resp, 403)
        # Under its own path, another app's subscription is unknown.
        for method in ('get', 'delete'):
            resp = getattr(self.app, method)(
                self.url(OTHER, sub_id), headers=self.other_headers,
                status=404)
            self.problem(self.ONE, method, resp, 404)
        self.dbapi.get_mep_subscription(sub_id)

    def test_other_subscription_types_are_not_served_here(self):
        row = self.dbapi.create_mep_subscription({
            'id': uuidutils.generate_uuid(), 'app_instance_id': APP,
            'mec_host_id': 'host-1',
            'subscription_type': 'SerAvailabilityNotificationSubscription',
            'callback_reference': CALLBACK, 'body': {}})
        resp = self.app.get(self.url(), headers=self.headers)
        self.assertEqual([], resp.json['_links']['subscriptions'])
        self.app.get(self.url(sub_id=row.id), headers=self.headers,
                     status=404)
        self.app.delete(self.url(sub_id=row.id), headers=self.headers,
                        status=404)
        self.dbapi.get_mep_subscription(row.id)

    def test_methods(self):
        resp = self.app.put_json(self.url(sub_id='x'), self.body(),
                                 headers=self.headers, status=405)
        self.assertProblem(resp, 405)
        resp = self.app.delete(self.url(), headers=self.headers, status=405)
        self.assertEqual('GET, POST', resp.headers['Allow'])
        self.assertProblem(resp, 405)


class TestConfirmReady(AppSupportTestCase):

    PATH = '/applications/{appInstanceId}/confirm_ready'

    def confirm(self, body=None, status=204, app=APP, headers=None):
        return self.app.post_json(
            '%s/applications/%s/confirm_ready' % (V1, app),
            {'indication': 'READY'} if body is None else body,
            headers=headers or self.headers, status=status)

    def test_ready_activates_the_rules(self):
        resp = self.confirm()
        self.check(self.PATH, 'post', resp)
        app = self.dbapi.get_mep_app(APP)
        self.assertEqual('READY', app.state)
        self.assertIsNotNone(app.ready_at)
        self.assertEqual(['ACTIVE', 'ACTIVE'], [
            r.state for r in self.dbapi.list_mep_rules(APP)])
        self.assertEqual('INACTIVE', self.rule('traffic', 'tr1', OTHER).state)
        self.assertSynced()
        call_context = self.sync.call_args[0][1]
        self.assertEqual('project-a', call_context.project_id)

    def test_ready_again_changes_nothing(self):
        self.confirm()
        self.sync.reset_mock()
        self.dbapi.set_mep_rules_state(APP, 'INACTIVE', kind='dns')
        resp = self.confirm()
        self.check(self.PATH, 'post', resp)
        self.assertEqual('INACTIVE', self.rule('dns', 'dns1').state)
        self.sync.assert_not_called()

    def test_empty_body_means_ready(self):
        resp = self.app.post('%s/applications/%s/confirm_ready' % (V1, APP),
                             headers=self.headers, status=204)
        self.check(self.PATH, 'post', resp)
        self.assertEqual('READY', self.dbapi.get_mep_app(APP).state)

    def test_terminating_is_409(self):
        self.dbapi.update_mep_app(APP, {'state': 'TERMINATING',
                                        'operation_action': 'TERMINATING'})
        resp = self.confirm(status=409)
        self.problem(self.PATH, 'post', resp, 409, 'TERMINATING')
        self.assertEqual(['INACTIVE', 'INACTIVE'], [
            r.state for r in self.dbapi.list_mep_rules(APP)])
        self.sync.assert_not_called()

    def test_bad_bodies_and_another_app(self):
        for body in ({'indication': 'NOT_READY'}, {}, {'indication': 1},
                     {'indication': 'READY', 'x': 1}, []):
            resp = self.confirm(body, status=400)
            self.assertProblem(resp, 400)
        resp = self.confirm(app=OTHER, status=403)
        self.problem(self.PATH, 'post', resp, 403)
        resp = self.app.post('%s/applications/%s/confirm_ready' % (V1, APP),
                             'indication=READY', headers=self.headers,
                             status=415)
        self.assertProblem(resp, 415)
        self.assertEqual('CONFIGURED', self.dbapi.get_mep_app(APP).state)
        self.assertEqual('CONFIGURED', self.dbapi.get_mep_app(OTHER).state)
        self.sync.assert_not_called()
        resp = self.app.get('%s/applications/%s/confirm_ready' % (V1, APP),
                            headers=self.headers, status=405)
        self.assertProblem(resp, 405)


class TestConfirmTermination(AppSupportTestCase):

    PATH = '/applications/{appInstanceId}/confirm_termination'

    def confirm(self, action='TERMINATING', status=204, app=APP):
        return self.app.post_json(
            '%s/applications/%s/confirm_termination' % (V1, app),
            {'operationAction': action}, headers=self.headers,
            status=status)

    def terminating(self, action='TERMINATING'):
        self.dbapi.update_mep_app(APP, {'state': 'TERMINATING',
                                        'operation_action': action})

    def test_confirm_termination_and_stop(self):
        for action in ('TERMINATING', 'STOPPING'):
            self.terminating(action)
            resp = self.confirm(action)
            self.check(self.PATH, 'post', resp)
            self.assertEqual(action, self.dbapi.get_mep_app(
                APP).termination_confirmed)
            self.confirm(action)  # again: the same answer

    def test_not_terminating_is_409(self):
        resp = self.confirm(status=409)
        self.problem(self.PATH, 'post', resp, 409, 'CONFIGURED')
        self.assertIsNone(self.dbapi.get_mep_app(APP).termination_confirmed)

    def test_wrong_action_and_bad_bodies_are_400(self):
        self.terminating('STOPPING')
        resp = self.confirm('TERMINATING', status=400)
        self.assertProblem(resp, 400, 'STOPPING')
        for action in ('DELETING', None):
            resp = self.confirm(action, status=400)
            self.assertProblem(resp, 400, 'operationAction')
        resp = self.app.post(
            '%s/applications/%s/confirm_termination' % (V1, APP),
            headers=self.headers, status=415)
        self.assertProblem(resp, 415)
        self.assertIsNone(self.dbapi.get_mep_app(APP).termination_confirmed)

    def test_another_app_is_403(self):
        self.dbapi.update_mep_app(OTHER, {'state': 'TERMINATING',
                                          'operation_action': 'TERMINATING'})
        resp = self.confirm(app=OTHER, status=403)
        self.problem(self.PATH, 'post', resp, 403)
        self.assertIsNone(self.dbapi.get_mep_app(
            OTHER).termination_confirmed)


class TestTiming(AppSupportTestCase):

    def test_current_time(self):
        before = time.time()
        resp = self.app.get(V1 + '/timing/current_time',
                            headers=self.headers)
        body = self.check('/timing/current_time', 'get', resp)
        self.assertEqual('NONTRACEABLE', body['timeSourceStatus'])
        self.assertLess(abs(body['seconds'] - before), 5)
        self.assertTrue(0 <= body['nanoSeconds'] < 10 ** 9)

    def test_timing_caps(self):
        resp = self.app.get(V1 + '/timing/timing_caps', headers=self.headers)
        body = self.check('/timing/timing_caps', 'get', resp)
        self.assertEqual(['timeStamp'], list(body))
        self.assertLess(abs(body['timeStamp']['seconds'] - time.time()), 5)

    def test_errors(self):
        resp = self.app.get(V1 + '/timing/current_time', status=401)
        self.assertProblem(resp, 401)
        resp = self.app.post_json(V1 + '/timing/timing_caps', {},
                                  headers=self.headers, status=405)
        self.assertProblem(resp, 405)
        resp = self.app.get(V1 + '/timing/current_time?x=1',
                            headers=self.headers, status=400)
        self.problem('/timing/current_time', 'get', resp, 400, 'x')
