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
"""``/mec_service_mgmt/v1`` against ETSI GS MEC 011 v2.1.1.

Every response body is validated against the vendored OpenAPI file. The
file is OpenAPI 3.1 (``spec.load`` takes 3.0 only): it is read here, and
its schemas use no keyword that the draft-4 validator reads otherwise.
"""

from unittest import mock

import fixtures

from mec_orchestrator.platform import services
from mec_orchestrator.tests import spec
from mec_orchestrator.tests.unit.platform import base

SPEC = spec.mec011_service_mgmt()

V1 = '/mec_service_mgmt/v1'
A = 'a0000000-0000-4000-8000-00000000000a'
B = 'b0000000-0000-4000-8000-00000000000b'
C = 'c0000000-0000-4000-8000-00000000000c'
D = 'd0000000-0000-4000-8000-00000000000d'
SUB_TYPE = 'SerAvailabilityNotificationSubscription'
CALLBACK = 'http://consumer.example.com/notify'
RNI = {'href': 'http://catalogue.example.com/rni', 'id': 'cat-rni',
       'name': 'RNI', 'version': '2.1.1'}
LOCATION = {'href': 'http://catalogue.example.com/loc', 'id': 'cat-loc',
            'name': 'Location', 'version': '2.1.1'}

SERVICES = '/applications/{appInstanceId}/services'
SERVICE = '/applications/{appInstanceId}/services/{serviceId}'
SUBSCRIPTIONS = '/applications/{appInstanceId}/subscriptions'
SUBSCRIPTION = '/applications/{appInstanceId}/subscriptions/{subscriptionId}'


def transport_info(**extra):
    info = {'id': 'rni-rest', 'name': 'REST', 'type': 'REST_HTTP',
            'protocol': 'HTTP', 'version': '2.0',
            'endpoint': {'uris': ['http://rni.example.com/rni/v2']},
            'security': {'oAuth2Info': {
                'grantTypes': ['OAUTH2_CLIENT_CREDENTIALS'],
                'tokenEndpoint': 'http://rni.example.com/token'}}}
    info.update(extra)
    return info


def service_info(name='rni', **extra):
    info = {'serName': name, 'serCategory': RNI, 'version': '2.1.1',
            'state': 'ACTIVE', 'transportInfo': transport_info(),
            'serializer': 'JSON'}
    info.update(extra)
    return info


class FakeNotifier(object):
    """Records what would be delivered."""

    def __init__(self):
        self.sent = []

    def notify(self, subscription, notification, on_result=None):
        self.sent.append((subscription, notification))


class ServiceMgmtTestCase(base.PlatformTestCase):

    def setUp(self):
        super().setUp()
        self.notifier = FakeNotifier()
        self.useFixture(fixtures.MockPatch(
            'mec_orchestrator.conductor.notifier.get_notifier',
            return_value=self.notifier))
        self.h = {}
        for app_id, host in ((A, 'host-1'), (B, 'host-1'), (C, 'host-2'),
                             (D, 'host-1')):
            _row, secret = self.make_app(app_id, mec_host_id=host)
            self.h[app_id] = self.headers_for(app_id, secret)

    # -- helpers --------------------------------------------------------------

    def call(self, method, url, template, status, app=A, body=None,
             headers=None, **kw):
        """Call the API as an app and validate the answer's body."""
        h = dict(self.h[app], **(headers or {}))
        if body is not None:
            resp = getattr(self.app, method + '_json')(
                V1 + url, body, headers=h, status=status, **kw)
        else:
            resp = getattr(self.app, method)(V1 + url, headers=h,
                                             status=status, **kw)
        data = resp.json if resp.body else None
        spec.validate_response(SPEC, template, method, status, data)
        if status >= 400:
            self.assertProblem(resp, status)
        return resp

    def register(self, app=A, **kw):
        info = service_info(**kw)
        return self.call('post', '/applications/%s/services' % app,
                         SERVICES, 201, app=app, body=info).json

    def subscribe(self, app, criteria=None, callback=CALLBACK):
        body = {'subscriptionType': SUB_TYPE, 'callbackReference': callback}
        if criteria is not None:
            body['filteringCriteria'] = criteria
        return self.call('post', '/applications/%s/subscriptions' % app,
                         SUBSCRIPTIONS, 201, app=app, body=body)

    def discover(self, query='', app=B, status=200):
        return self.call('get', '/services' + query, '/services', status,
                         app=app).json

    def sent(self):
        """{callbackUri: [notification...]}, every one checked; emptied."""
        out = {}
        for sub, notification in self.notifier.sent:
            spec.validate_schema(SPEC, 'ServiceAvailabilityNotification',
                                 notification)
            out.setdefault(sub['callbackUri'], []).append(notification)
        self.notifier.sent = []
        return out


class TestTransports(ServiceMgmtTestCase):

    def test_the_platform_rest_transport(self):
        resp = self.call('get', '/transports', '/transports', 200)
        [transport] = resp.json
        self.assertEqual('REST_HTTP', transport['type'])
        self.assertEqual('HTTP', transport['protocol'])
        self.assertEqual(['http://localhost'], transport['endpoint']['uris'])
        self.assertEqual(
            {'grantTypes': ['OAUTH2_CLIENT_CREDENTIALS'],
             'tokenEndpoint': 'http://localhost/mep/token'},
            transport['security']['oAuth2Info'])
        spec.validate_schema(SPEC, 'TransportInfo', transport)

    def test_public_endpoint_and_errors(self):
        self.config(public_endpoint='https://mep.example.com/',
                    group='platform')
        [transport] = self.call('get', '/transports', '/transports', 200).json
        self.assertEqual(['https://mep.example.com'],
                         transport['endpoint']['uris'])
        self.call('get', '/transports?x=1', '/transports', 400)
        self.app.get(V1 + '/transports', status=401)


class TestRouting(ServiceMgmtTestCase):

    def test_unknown_paths_and_methods(self):
        a = '/applications/%s' % A
        for method, url, status in (
                ('post', '/services', 405),
                ('delete', '/transports', 405),
                ('put', a + '/services', 405),
                ('delete', a + '/services', 405),
                ('delete', a + '/subscriptions', 405),
                ('patch', a + '/services/x', 405),
                ('get', a, 404),
                ('get', '/applications', 404),
                ('get', a + '/services/x/y', 404),
                ('get', '/nothing', 404)):
            resp = getattr(self.app, method)(V1 + url, headers=self.h[A],
                                             status=status)
            self.assertProblem(resp, status)


class TestAppServices(ServiceMgmtTestCase):

    def test_register_show_list(self):
        resp = self.call('post', '/applications/%s/services' % A, SERVICES,
                         201, body=service_info())
        info = resp.json
        sid = info['serInstanceId']
        self.assertEqual(
            'http://localhost%s/applications/%s/services/%s' % (V1, A, sid),
            resp.headers['Location'])
        self.assertEqual('MEC_HOST', info['scopeOfLocality'])
        self.assertIs(True, info['consumedLocalOnly'])
        self.assertIs(True, info['isLocal'])
        self.assertEqual(transport_info(), info['transportInfo'])
        self.assertIn('ETag', resp.headers)
        row = self.dbapi.get_mep_service(sid)
        self.assertEqual(('host-1', A, 'ACTIVE'),
                         (row.mec_host_id, row.app_instance_id, row.state))
        shown = self.call('get', '/applications/%s/services/%s' % (A, sid),
                          SERVICE, 200)
        self.assertEqual(info, shown.json)
        self.assertEqual(resp.headers['ETag'], shown.headers['ETag'])
        listed = self.call('get', '/applications/%s/services' % A, SERVICES,
                           200).json
        self.assertEqual([info], listed)
        self.assertEqual([], self.call(
            'get', '/applications/%s/services' % B, SERVICES, 200,
            app=B).json)

    def test_own_list_filters(self):
        s1 = self.register(name='one')
        s2 = self.register(name='two', serCategory=LOCATION, isLocal=False)
        url = '/applications/%s/services' % A

        def names(query):
            return [i['serName'] for i in self.call(
                'get', url + query, SERVICES, 200).json]

        self.assertEqual(['one'], names('?ser_name=one'))
        self.assertEqual(['one', 'two'], names(
            '?ser_instance_id=%s,%s' % (s1['serInstanceId'],
                                        s2['serInstanceId'])))
        self.assertEqual(['two'], names('?ser_category_id=cat-loc'))
        self.assertEqual(['one'], names('?is_local=true'))
        self.call('get', url + '?ser_name=one&ser_category_id=x', SERVICES,
                  400)

    def test_only_the_services_the_appd_produces(self):
        self.dbapi.update_mep_app(A, {'services': {
            'required': [], 'optional': [], 'produced': ['produced-one']}})
        resp = self.call('post', '/applications/%s/services' % A, SERVICES,
                         403, body=service_info(serName='other'))
        self.assertIn('appServiceProduced', resp.json['detail'])
        self.assertEqual([], self.dbapi.list_mep_services(app_instance_id=A))
        self.register(serName='produced-one')

    def test_register_with_a_platform_transport(self):
        info = service_info()
        del info['transportInfo']
        info['transportId'] = services.REST_TRANSPORT_ID
        created = self.call('post', '/applications/%s/services' % A,
                            SERVICES, 201, body=info).json
        [transport] = self.call('get', '/transports', '/transports',
                                200).json
        self.assertEqual(transport, created['transportInfo'])
        self.assertNotIn('transportId', created)

    def test_transport_id_and_info_are_exclusive(self):
        url = '/applications/%s/services' % A
        both = service_info(transportId=services.REST_TRANSPORT_ID)
        neither = service_info()
        del neither['transportInfo']
        unknown = dict(neither, transportId='nope')
        for body, detail in ((both, 'Exactly one'),
                             (neither, 'Exactly one'),
                             (unknown, 'nope')):
            resp = self.call('post', url, SERVICES, 400, body=body)
            self.assertIn(detail, resp.json['detail'])
        self.assertEqual([], self.dbapi.list_mep_services())

    def test_bad_bodies(self):
        url = '/applications/%s/services' % A
        no_name = service_info()
        del no_name['serName']
        no_version = service_info()
        del no_version['version']
        no_ep = service_info(transportInfo=transport_info())
        del no_ep['transportInfo']['endpoint']
        bodies = [
            no_name, no_version, no_ep,
            service_info(version=2),
            service_info(state='RUNNING'),
            service_info(serializer='YAML'),
            service_info(scopeOfLocality='PLANET'),
            service_info(consumedLocalOnly='yes'),
            service_info(isLocal=1),
            service_info(serInstanceId='mine'),
            service_info(livenessInterval=10),
            service_info(serCategory={'id': 'x', 'name': 'y'}),
            service_info(transportInfo=transport_info(type='CARRIER_PIGEON')),
            service_info(transportInfo=transport_info(
                endpoint={'addresses': [{'host': 'h', 'port': 'http'}]})),
            service_info(transportInfo=transport_info(endpoint={})),
            service_info(transportInfo=transport_info(
                security={'oAuth2Info': {'grantTypes': [],
                                         'tokenEndpoint': 'x'}})),
            [service_info()],
        ]
        for body in bodies:
            self.call('post', url, SERVICES, 400, body=body)
        resp = self.call('post', url, SERVICES, 400, params='{nope',
                         headers={'Content-Type': 'application/json'})
        self.assertIn('body', resp.json['detail'])
        resp = self.app.post(V1 + url, 'serName=x', headers=self.h[A],
                             status=415)
        self.assertProblem(resp, 415)
        self.assertEqual([], self.dbapi.list_mep_services())
        self.assertEqual([], self.notifier.sent)

    def test_serinstanceid_is_refused_in_a_registration(self):
        resp = self.call('post', '/applications/%s/services' % A, SERVICES,
                         400, body=service_info(serInstanceId='mine'))
        self.assertIn('assigned by the MEC platform', resp.json['detail'])

    def test_duplicate_name_is_400(self):
        first = self.register()
        resp = self.call('post', '/applications/%s/services' % A, SERVICES,
                         400, body=service_info(version='3'))
        self.assertIn(first['serInstanceId'], resp.json['detail'])
        # Another app may use the name.
        self.register(app=B)
        self.assertEqual(2, len(self.dbapi.list_mep_services()))

    def test_put(self):
        created = self.register()
        sid = created['serInstanceId']
        url = '/applications/%s/services/%s' % (A, sid)
        etag = self.call('get', url, SERVICE, 200).headers['ETag']
        body = dict(created, state='INACTIVE')
        resp = self.call('put', url, SERVICE, 200, body=body,
                         headers={'If-Match': etag})
        self.assertEqual('INACTIVE', resp.json['state'])
        self.assertNotEqual(etag, resp.headers['ETag'])
        self.assertEqual('INACTIVE', self.dbapi.get_mep_service(sid).state)
        # A stale ETag.
        self.call('put', url, SERVICE, 412, body=created,
                  headers={'If-Match': etag})
        # Without serInstanceId, and without If-Match.
        body = dict(created, version='3')
        del body['serInstanceId']
        resp = self.call('put', url, SERVICE, 200, body=body)
        self.assertEqual(dict(created, version='3'), resp.json)
        self.assertEqual('3', self.dbapi.get_mep_service(sid).body['version'])

    def test_put_refusals(self):
        created = self.register()
        sid = created['serInstanceId']
        url = '/applications/%s/services/%s' % (A, sid)
        no_transport = dict(created)
        del no_transport['transportInfo']
        for body, detail in (
                (dict(created, serName='other'), 'serName cannot change'),
                (dict(created, serInstanceId='x'), 'serInstanceId cannot'),
                (dict(created, state='GONE'), 'state'),
                (no_transport, 'transportInfo'),
                (dict(no_transport, transportId='mep-rest-http'),
                 'transportId')):
            resp = self.call('put', url, SERVICE, 400, body=body)
            self.assertIn(detail, resp.json['detail'])
        self.call('put', '/applications/%s/services/nope' % A, SERVICE, 404,
                  body=created)
        self.assertEqual(created, services.service_info(
            self.dbapi.get_mep_service(sid)))

    def test_delete(self):
        sid = self.register()['serInstanceId']
        url = '/applications/%s/services/%s' % (A, sid)
        resp = self.call('delete', url, SERVICE, 204)
        self.assertEqual(b'', resp.body)
        self.call('get', url, SERVICE, 404)
        self.call('delete', url, SERVICE, 404)
        self.assertEqual([], self.dbapi.list_mep_services())

    def test_another_apps_id_or_service(self):
        theirs = self.register(app=B)['serInstanceId']
        mine = self.register(name='mine')['serInstanceId']
        before = [services.service_info(s)
                  for s in self.dbapi.list_mep_services()]
        # Another app's id in the path: 403, whatever follows.
        for method, url, template, body in (
                ('get', '/applications/%s/services' % B, SERVICES, None),
                ('post', '/applications/%s/services' % B, SERVICES,
                 service_info(name='x')),
                ('get', '/applications/%s/services/%s' % (B, theirs),
                 SERVICE, None),
                ('put', '/applications/%s/services/%s' % (B, theirs),
                 SERVICE, service_info()),
                ('delete', '/applications/%s/services/%s' % (B, theirs),
                 SERVICE, None),
                ('get', '/applications/%s/services/%s' % (B, mine),
                 SERVICE, None)):
            self.call(method, url, template, 403, body=body)
        # Another app's service under my id: 404.
        url = '/applications/%s/services/%s' % (A, theirs)
        self.call('get', url, SERVICE, 404)
        self.call('put', url, SERVICE, 404,
                  body=service_info(serInstanceId=theirs))
        self.call('delete', url, SERVICE, 404)
        self.assertEqual(before, [services.service_info(s)
                                  for s in self.dbapi.list_mep_services()])


class TestDiscovery(ServiceMgmtTestCase):

    def setUp(self):
        super().setUp()
        self.s1 = self.register(name='rni', scopeOfLocality='MEC_SYSTEM',
                                consumedLocalOnly=False)
        self.s2 = self.register(name='location', serCategory=LOCATION,
                                isLocal=False, state='INACTIVE')
        self.s3 = self.register(app=D, name='rni')

    def names(self, query='', app=B):
        return [(i['serName'], i['serInstanceId'])
                for i in self.discover(query, app=app)]

    def test_every_service_of_the_host(self):
        listed = self.discover()
        self.assertEqual([self.s1, self.s2, self.s3], listed)
        self.assertEqual(listed, self.discover(app=A))

    def test_another_host_sees_nothing(self):
        self.assertEqual([], self.discover(app=C))
        theirs = self.register(app=C, name='far')
        self.assertEqual([theirs], self.discover(app=C))
        self.assertNotIn(theirs, self.discover())
        self.call('get', '/services/%s' % self.s1['serInstanceId'],
                  '/services/{serviceId}', 404, app=C)
        self.call('get', '/services/%s' % theirs['serInstanceId'],
                  '/services/{serviceId}', 404, app=B)

    def test_one_service(self):
        resp = self.call('get', '/services/%s' % self.s2['serInstanceId'],
                         '/services/{serviceId}', 200, app=B)
        self.assertEqual(self.s2, resp.json)
        self.call('get', '/services/nope', '/services/{serviceId}', 404)

    def test_filters(self):
        one, two, three = (
            (s['serName'], s['serInstanceId'])
            for s in (self.s1, self.s2, self.s3))
        for query, expected in (
                ('?ser_instance_id=%s' % one[1], [one]),
                ('?ser_instance_id=%s,%s' % (one[1], two[1]), [one, two]),
                ('?ser_instance_id=%s&ser_instance_id=%s' % (two[1], three[1]),
                 [two, three]),
                ('?ser_instance_id=unknown', []),
                ('?ser_name=rni', [one, three]),
                ('?ser_name=location,nope', [two]),
                ('?ser_category_id=cat-rni', [one, three]),
                ('?ser_category_id=cat-loc', [two]),
                ('?consumed_local_only=false', [one]),
                ('?consumed_local_only=true', [two, three]),
                ('?is_local=false', [two]),
                ('?is_local=TRUE', [one, three]),
                ('?scope_of_locality=MEC_SYSTEM', [one]),
                ('?scope_of_locality=MEC_HOST', [two, three]),
                ('?scope_of_locality=ZONE', []),
                ('?ser_name=rni&is_local=true&scope_of_locality=MEC_HOST',
                 [three])):
            self.assertEqual(expected, self.names(query), query)

    def test_bad_queries(self):
        for query in ('?ser_name=rni&ser_instance_id=x',
                      '?ser_category_id=x&ser_name=rni',
                      '?ser_category_id=a&ser_category_id=b',
                      '?ser_name=',
                      '?ser_name=,',
                      '?is_local=yes',
                      '?consumed_local_only=1',
                      '?scope_of_locality=PLANET',
                      '?nextpage_opaque_marker=x',
                      '?filter=(eq,serName,rni)'):
            self.discover(query, status=400)
        self.discover('?ser_name=' + 'x' * 5000, status=414)


class TestSubscriptions(ServiceMgmtTestCase):

    def test_create_show_list_delete(self):
        criteria = {'serNames': ['rni'], 'states': ['ACTIVE'],
                    'isLocal': True}
        resp = self.subscribe(A, criteria)
        sub = resp.json
        href = sub['_links']['self']['href']
        self.assertEqual(href, resp.headers['Location'])
        self.assertTrue(href.startswith(
            'http://localhost%s/applications/%s/subscriptions/' % (V1, A)))
        self.assertEqual(
            {'subscriptionType': SUB_TYPE, 'callbackReference': CALLBACK,
             'filteringCriteria': criteria, '_links': {'self': {
                 'href': href}}}, sub)
        sid = href.rsplit('/', 1)[1]
        row = self.dbapi.get_mep_subscription(sid)
        self.assertEqual(('host-1', CALLBACK, SUB_TYPE),
                         (row.mec_host_id, row.callback_reference,
                          row.subscription_type))
        url = '/applications/%s/subscriptions' % A
        self.assertEqual(sub, self.call('get', '%s/%s' % (url, sid),
                                        SUBSCRIPTION, 200).json)
        listed = self.call('get', url, SUBSCRIPTIONS, 200).json
        self.assertEqual(
            {'self': {'href': 'http://localhost%s%s' % (V1, url)},
             'subscriptions': [{'href': href, 'rel': SUB_TYPE}]},
            listed['_links'])
        self.call('delete', '%s/%s' % (url, sid), SUBSCRIPTION, 204)
        self.call('get', '%s/%s' % (url, sid), SUBSCRIPTION, 404)
        self.call('delete', '%s/%s' % (url, sid), SUBSCRIPTION, 404)
        self.assertEqual([], self.call('get', url, SUBSCRIPTIONS,
                                       200).json['_links']['subscriptions'])

    def test_without_criteria_and_with_links_given(self):
        body = {'subscriptionType': SUB_TYPE, 'callbackReference': CALLBACK,
                '_links': {'self': {'href': 'http://evil.example.com/x'}}}
        sub = self.call('post', '/applications/%s/subscriptions' % A,
                        SUBSCRIPTIONS, 201, body=body).json
        self.assertNotIn('evil', sub['_links']['self']['href'])
        self.assertNotIn('filteringCriteria', sub)

    def test_bad_subscriptions(self):
        url = '/applications/%s/subscriptions' % A
        good = {'subscriptionType': SUB_TYPE, 'callbackReference': CALLBACK}
        for body in (
                dict(good, subscriptionType='AppTerminationNotification'
                                            'Subscription'),
                {'subscriptionType': SUB_TYPE},
                {'callbackReference': CALLBACK},
                dict(good, callbackReference=7),
                dict(good, callbackReference='ftp://consumer.example.com/'),
                dict(good, callbackReference='http://169.254.169.254/'),
                dict(good, filteringCriteria={'states': ['GONE']}),
                dict(good, filteringCriteria={'isLocal': 'yes'}),
                dict(good, filteringCriteria={'serCategories': [{'id': 1}]}),
                dict(good, filteringCriteria={'serNames': ['a'],
                                              'serInstanceIds': ['b']}),
                dict(good, filteringCriteria={'serNames': ['a'],
                                              'serCategories': [RNI]}),
                dict(good, expiryDeadline={'seconds': 1})):
            self.call('post', url, SUBSCRIPTIONS, 400, body=body)
        self.assertEqual([], self.dbapi.list_mep_subscriptions())

    def test_another_apps_subscriptions(self):
        theirs = self.subscribe(B).json['_links']['self']['href'].rsplit(
            '/', 1)[1]
        # An app support subscription is not one of this API.
        self.dbapi.create_mep_subscription({
            'id': 'term-1', 'app_instance_id': A, 'mec_host_id': 'host-1',
            'subscription_type': 'AppTerminationNotificationSubscription',
            'callback_reference': CALLBACK, 'body': {}})
        for method, url, template, body in (
                ('get', '/applications/%s/subscriptions' % B, SUBSCRIPTIONS,
                 None),
                ('post', '/applications/%s/subscriptions' % B, SUBSCRIPTIONS,
                 {'subscriptionType': SUB_TYPE,
                  'callbackReference': CALLBACK}),
                ('get', '/applications/%s/subscriptions/%s' % (B, theirs),
                 SUBSCRIPTION, None),
                ('delete', '/applications/%s/subscriptions/%s' % (B, theirs),
                 SUBSCRIPTION, None)):
            self.call(method, url, template, 403, body=body)
        for sid in (theirs, 'term-1'):
            url = '/applications/%s/subscriptions/%s' % (A, sid)
            self.call('get', url, SUBSCRIPTION, 404)
            self.call('delete', url, SUBSCRIPTION, 404)
        self.assertEqual([], self.call(
            'get', '/applications/%s/subscriptions' % A, SUBSCRIPTIONS,
            200).json['_links']['subscriptions'])
        self.assertEqual(2, len(self.dbapi.list_mep_subscriptions()))


class TestNotifications(ServiceMgmtTestCase):

    def setUp(self):
        super().setUp()
        self.subscribe(A, callback='http://a.example.com/cb')
        self.subscribe(B, {'serNames': ['rni']},
                       callback='http://b.example.com/cb')
        self.subscribe(C, callback='http://c.example.com/cb')
        self.subscribe(D, {'states': ['INACTIVE'], 'isLocal': True},
                       callback='http://d.example.com/cb')
        self.subscribe(D, {'serCategories': [LOCATION]},
                       callback='http://d.example.com/loc')

    def refs(self, notifications):
        return [(r['serName'], r['state'], r['changeType'])
                for n in notifications for r in n['serviceReferences']]

    def test_lifecycle_of_a_service(self):
        created = self.register()
        sid = created['serInstanceId']
        sent = self.sent()
        # A made the change; C is on another host; D's filters do not match.
        self.assertEqual(['http://b.example.com/cb'], list(sent))
        [note] = sent['http://b.example.com/cb']
        self.assertEqual(SUB_TYPE, note['notificationType'])
        self.assertEqual(
            [{'serName': 'rni', 'serInstanceId': sid, 'state': 'ACTIVE',
              'changeType': 'ADDED',
              'link': {'href': 'http://localhost%s/services/%s'
                               % (V1, sid)}}],
            note['serviceReferences'])
        self.assertIn('/applications/%s/subscriptions/' % B,
                      note['_links']['subscription']['href'])

        url = '/applications/%s/services/%s' % (A, sid)
        self.call('put', url, SERVICE, 200,
                  body=dict(created, state='INACTIVE'))
        sent = self.sent()
        self.assertEqual({'http://b.example.com/cb', 'http://d.example.com/cb'},
                         set(sent))
        for notes in sent.values():
            self.assertEqual([('rni', 'INACTIVE', 'STATE_CHANGED')],
                             self.refs(notes))

        # Nothing changed: nothing sent.
        self.call('put', url, SERVICE, 200,
                  body=dict(created, state='INACTIVE'))
        self.assertEqual({}, self.sent())

        self.call('put', url, SERVICE, 200,
                  body=dict(created, state='INACTIVE', version='3'))
        sent = self.sent()
        self.assertEqual([('rni', 'INACTIVE', 'ATTRIBUTES_CHANGED')],
                         self.refs(sent['http://b.example.com/cb']))
        self.assertEqual([('rni', 'INACTIVE', 'ATTRIBUTES_CHANGED')],
                         self.refs(sent['http://d.example.com/cb']))

        self.call('delete', url, SERVICE, 204)
        sent = self.sent()
        self.assertEqual({'http://b.example.com/cb', 'http://d.example.com/cb'},
                         set(sent))
        [note] = sent['http://b.example.com/cb']
        self.assertEqual([('rni', 'INACTIVE', 'REMOVED')], self.refs([note]))
        self.assertNotIn('link', note['serviceReferences'][0])

    def test_category_filter_and_deliveries(self):
        self.register(name='location', serCategory=LOCATION)
        [(subscription, note)] = self.notifier.sent
        sent = self.sent()
        self.assertEqual(['http://d.example.com/loc'], list(sent))
        sub_id = note['_links']['subscription']['href'].rsplit('/', 1)[1]
        self.assertEqual({'id': sub_id,
                          'callbackUri': 'http://d.example.com/loc'},
                         subscription)
        self.assertEqual(D, self.dbapi.get_mep_subscription(
            sub_id).app_instance_id)

    def test_unsubscribed_hears_nothing(self):
        url = '/applications/%s/subscriptions' % B
        [link] = self.call('get', url, SUBSCRIPTIONS, 200,
                           app=B).json['_links']['subscriptions']
        self.call('delete', url + '/' + link['href'].rsplit('/', 1)[1],
                  SUBSCRIPTION, 204, app=B)
        self.register()
        self.assertEqual({}, self.sent())

    def test_notify_availability_for_the_mepm(self):
        # The MEPM removes an app's services when it terminates: one
        # notification per subscriber, every matching service in it.
        self.register(name='rni')
        self.register(name='location', serCategory=LOCATION)
        self.sent()
        rows = self.dbapi.destroy_mep_app(A)
        futures = services.notify_availability(
            self.dbapi, 'host-1', rows, services.REMOVED)
        sent = self.sent()
        self.assertEqual(len(futures), sum(len(v) for v in sent.values()))
        self.assertEqual({'http://b.example.com/cb',
                          'http://d.example.com/loc'}, set(sent))
        self.assertEqual([('rni', 'ACTIVE', 'REMOVED')],
                         self.refs(sent['http://b.example.com/cb']))
        self.assertEqual([('location', 'ACTIVE', 'REMOVED')],
                         self.refs(sent['http://d.example.com/loc']))
        self.assertEqual([], services.notify_availability(
            self.dbapi, 'host-1', [], services.REMOVED))
        self.assertRaises(ValueError, services.notify_availability,
                          self.dbapi, 'host-1', rows, 'GONE')

    def test_exclude_app(self):
        self.register(app=B, name='rni')
        self.sent()
        [row] = self.dbapi.list_mep_services(app_instance_id=B)
        services.notify_availability(self.dbapi, 'host-1', [row],
                                     services.ATTRIBUTES_CHANGED,
                                     exclude_app=B)
        self.assertEqual(['http://a.example.com/cb'], list(self.sent()))

    def test_a_failing_notifier_does_not_fail_the_request(self):
        self.notifier.notify = mock.Mock(side_effect=RuntimeError('down'))
        self.register()
        self.assertEqual(1, len(self.dbapi.list_mep_services()))
