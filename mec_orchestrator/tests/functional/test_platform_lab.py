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
"""The MEC platform end to end against the lab (issue: Mp1, traffic rules
on networking-sfc, DNS rules).

The EdgeGallery VM sample (a traffic rule and a DNS rule in its AppD) is
instantiated through the all-in-one on the lab's Heat, Nova and Neutron
with networking-sfc. The test then plays the MEC app inside the VM: it
reads its Mp1 credentials from the user data Heat passed to the server,
gets a token, registers a service, subscribes to its termination and
confirms ready; the port chain and flow classifier appear in Neutron and
the platform's DNS responder answers the rule's name. A second instance
discovers the service. A GRACEFUL terminate tells the app, which
confirms, and removes chain, classifier, DNS answer and service. Every
Mp1 response is checked against the MEC 011 OpenAPI files.
"""

import base64
import json

import dns.message
import dns.query
import dns.rcode
import requests
import yaml

from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import test_app_lcm_lab
from mec_orchestrator.tests import spec

LCM = '/app_lcm/v1'
SUPPORT = '/mec_app_support/v1'
SERVICES = '/mec_service_mgmt/v1'
APP_SUPPORT = spec.mec011_app_support()
SERVICE_MGMT = spec.mec011_service_mgmt()
DNS_NAME = 'mec.edgegallery.com.'


class MecApp(object):
    """The MEC app of one instance, as the test plays it.

    :param test: the test case.
    :param platform: the ``platform`` part of the instance's user data.
    """

    def __init__(self, test, platform):
        self.test = test
        self.platform = platform
        self.id = platform['appInstanceId']
        self.server = base.HttpServer()
        test.addCleanup(self.server.stop)
        basic = base64.b64encode(('%s:%s' % (
            platform['clientId'], platform['clientSecret'])).encode())
        resp = requests.post(
            platform['tokenEndpoint'], data={'grant_type':
                                             'client_credentials'},
            headers={'Authorization': 'Basic ' + basic.decode()},
            timeout=30)
        test.assertEqual(200, resp.status_code, resp.text)
        self.token = resp.json()['access_token']

    def call(self, method, path, body=None, status=200, template=None,
             doc=APP_SUPPORT):
        """An Mp1 request with the app's token, checked against the spec.

        :param path: the path after the API's base, with ``{app}`` for the
            app's id.
        :param template: the spec's path template of the response.
        """
        api, _sep, rest = path.partition(' ')
        url = '%s%s%s' % (self.platform['mp1Endpoint'], api,
                          rest.replace('{app}', self.id))
        resp = requests.request(method, url, json=body, timeout=30,
                                headers={'Authorization':
                                         'Bearer ' + self.token})
        self.test.assertEqual(status, resp.status_code, resp.text)
        data = resp.json() if resp.content else None
        if template is not None:
            spec.validate_response(doc, template, method.lower(), status,
                                   data)
        return resp, data


class TestPlatform(test_app_lcm_lab.LabLcmTestCase):

    def setUp(self):
        self.dns_port = base.free_port()
        super().setUp()

    def aio_sections(self):
        sections = super().aio_sections()
        sections['drivers'] = {'infra_drivers': 'openstack,fake',
                               'traffic_drivers': 'openstack,fake'}
        sections['DEFAULT'] = {'debug': 'true'}
        sections['platform'] = {'dns_port': str(self.dns_port),
                                'dns_refresh': '0.2',
                                'sync_interval': '0'}
        return sections

    def user_data(self, inst_id):
        """The platform data Heat gave the instance's server."""
        [stack] = self.stacks(inst_id)
        template = self.conn.orchestration.get_stack_template(stack)
        servers = [r for r in template['resources'].values()
                   if r['type'] == 'OS::Nova::Server']
        cloud_config = yaml.safe_load(servers[0]['properties']['user_data'])
        [written] = cloud_config['write_files']
        self.assertEqual('0600', written['permissions'])
        return json.loads(written['content'])['platform']

    def resolve(self, name=DNS_NAME):
        query = dns.message.make_query(name, 'A')
        return dns.query.udp(query, '127.0.0.1', port=self.dns_port,
                             timeout=5)

    def chains(self, inst_id):
        name = 'mec-%s-trafficRule1' % inst_id
        return ([c for c in self.conn.network.sfc_port_chains()
                 if c.name == name],
                [c for c in self.conn.network.sfc_flow_classifiers()
                 if c.name.startswith(name)])

    def instantiate(self, pkg, name):
        inst = self.aio.call('POST', LCM + '/app_instances', {
            'appDId': pkg['appDId'], 'appInstanceName': name},
            status=201).json()
        op = self.task(inst['id'], 'instantiate', {
            'additionalParams': {'network': self.lab.network}})
        self.assertEqual('COMPLETED', op['operationState'], op)
        return inst

    def test_mp1_rules_services_and_graceful_termination(self):
        self.register_vim()
        pkg = self.onboard()
        first = self.instantiate(pkg, 'producer')
        data = self.user_data(first['id'])
        self.assertEqual(self.aio.url, data['mp1Endpoint'])
        app = MecApp(self, data)

        # Configured by the MEPM, INACTIVE until the app is ready.
        _r, rules = app.call('GET', SUPPORT + ' /applications/{app}/'
                             'traffic_rules', template='/applications/'
                             '{appInstanceId}/traffic_rules')
        self.assertEqual([('trafficRule1', 'INACTIVE')],
                         [(r['trafficRuleId'], r['state']) for r in rules])
        _r, dns_rules = app.call('GET', SUPPORT + ' /applications/{app}/'
                                 'dns_rules', template='/applications/'
                                 '{appInstanceId}/dns_rules')
        self.assertEqual(['INACTIVE'], [r['state'] for r in dns_rules])
        self.assertEqual(([], []), self.chains(first['id']))
        self.assertEqual(dns.rcode.NXDOMAIN, self.resolve().rcode())

        # The app registers its service, subscribes, confirms ready.
        service = {
            'serName': 'appService3', 'version': '1.0', 'state': 'ACTIVE',
            'serializer': 'JSON',
            'serCategory': {'href': 'http://example.org/cat/video',
                            'id': 'video', 'name': 'video',
                            'version': '1'},
            'transportInfo': {
                'id': 'app-rest', 'name': 'REST', 'type': 'REST_HTTP',
                'protocol': 'HTTP', 'version': '1.1',
                'endpoint': {'uris': [app.server.url + '/api']},
                'security': {}}}
        resp, registered = app.call(
            'POST', SERVICES + ' /applications/{app}/services', service,
            status=201, template='/applications/{appInstanceId}/services',
            doc=SERVICE_MGMT)
        self.assertIn(registered['serInstanceId'], resp.headers['Location'])
        app.call('POST', SUPPORT + ' /applications/{app}/subscriptions', {
            'subscriptionType': 'AppTerminationNotificationSubscription',
            'callbackReference': app.server.url + '/terminate',
            'appInstanceId': app.id}, status=201,
            template='/applications/{appInstanceId}/subscriptions')
        app.call('POST', SUPPORT + ' /applications/{app}/confirm_ready',
                 {'indication': 'READY'}, status=204)

        chains, classifiers = base.wait_for(
            lambda: (lambda c: c if c[0] and c[1] else None)(
                self.chains(first['id'])),
            timeout=60, what='the port chain of trafficRule1')
        self.assertEqual(1, len(chains))
        self.assertEqual({c.id for c in classifiers},
                         set(chains[0].flow_classifiers))
        classifier = classifiers[0]
        self.assertEqual('192.0.2.0/28', classifier.destination_ip_prefix)
        self.assertEqual('tcp', classifier.protocol)
        # The data plane loses the chain: the restarted platform puts it
        # back, and duplicates nothing.
        self.conn.network.delete_sfc_port_chain(chains[0])
        self.assertEqual(0, self.aio.processes[-1].stop(),
                         self.aio.processes[-1].output())
        self.aio.start()
        chains, again = base.wait_for(
            lambda: (lambda c: c if c[0] else None)(
                self.chains(first['id'])),
            timeout=60, what='the port chain, again')
        self.assertEqual(1, len(chains))
        self.assertEqual(sorted(c.id for c in classifiers),
                         sorted(c.id for c in again))
        self.assertEqual(1, len([
            g for g in self.conn.network.sfc_port_pair_groups()
            if g.name == 'mec-%s-trafficRule1' % first['id']]))
        answer = base.wait_for(
            lambda: (lambda r: r if r.answer else None)(self.resolve()),
            timeout=30, what='the DNS answer')
        self.assertEqual(['127.0.0.1'],
                         [item.address for item in answer.answer[0]])
        _r, rules = app.call('GET', SUPPORT + ' /applications/{app}/'
                             'traffic_rules', template='/applications/'
                             '{appInstanceId}/traffic_rules')
        self.assertEqual(['ACTIVE'], [r['state'] for r in rules])

        # The operator sees what the data plane has.
        seen = self.aio.call('GET', '/v1/app_instances/%s/rules'
                             % first['id'], status=200).json()['rules']
        self.assertEqual({('traffic', 'ACTIVE', 'ACTIVE'),
                          ('dns', 'ACTIVE', 'ACTIVE')},
                         {(r['kind'], r['state'], r['appliedState'])
                          for r in seen})
        self.assertEqual(['appService3'], [
            s['serName'] for s in self.aio.call(
                'GET', '/v1/mec_services?app_instance_id=%s' % first['id'],
                status=200).json()['mec_services']])

        # Another app instance discovers the service.
        second = self.instantiate(pkg, 'consumer')
        consumer = MecApp(self, self.user_data(second['id']))
        self.assertNotEqual(app.token, consumer.token)
        _r, found = consumer.call(
            'GET', SERVICES + ' /services?ser_name=appService3',
            template='/services', doc=SERVICE_MGMT)
        self.assertEqual([registered['serInstanceId']],
                         [s['serInstanceId'] for s in found])
        self.assertEqual([app.server.url + '/api'],
                         found[0]['transportInfo']['endpoint']['uris'])
        consumer.call('POST', SERVICES + ' /applications/{app}/'
                      'subscriptions', {
                          'subscriptionType':
                              'SerAvailabilityNotificationSubscription',
                          'callbackReference':
                              consumer.server.url + '/availability',
                          'filteringCriteria': {
                              'serNames': ['appService3']}},
                      status=201, template='/applications/{appInstanceId}/'
                      'subscriptions', doc=SERVICE_MGMT)
        # One app cannot touch another's rules.
        consumer.call('GET', SUPPORT + ' /applications/%s/traffic_rules'
                      % app.id, status=403)

        # GRACEFUL terminate: the app is told, confirms, rules go.
        resp = self.aio.call('POST', '%s/app_instances/%s/terminate' % (
            LCM, first['id']), {'terminationType': 'GRACEFUL',
                                'gracefulTerminationTimeout': 120},
            status=202)
        [notification] = base.wait_for(
            lambda: app.server.received or None, timeout=60,
            what='the AppTerminationNotification')
        spec.validate_schema(APP_SUPPORT, 'AppTerminationNotification',
                             notification)
        self.assertEqual('TERMINATING', notification['operationAction'])
        confirm = notification['_links']['confirmTermination']['href']
        self.assertEqual(204, requests.post(
            confirm, json={'operationAction': 'TERMINATING'},
            headers={'Authorization': 'Bearer ' + app.token},
            timeout=30).status_code)
        op = self.wait_op(resp.headers['Location'])
        self.assertEqual('COMPLETED', op['operationState'], op)
        self.assertEqual(([], []), self.chains(first['id']))
        base.wait_for(
            lambda: self.resolve().rcode() == dns.rcode.NXDOMAIN,
            timeout=30, what='the DNS name to go')
        _r, found = consumer.call(
            'GET', SERVICES + ' /services?ser_name=appService3',
            template='/services', doc=SERVICE_MGMT)
        self.assertEqual([], found)
        [removed] = base.wait_for(
            lambda: consumer.server.received or None, timeout=60,
            what='the ServiceAvailabilityNotification')
        spec.validate_schema(SERVICE_MGMT, 'ServiceAvailabilityNotification',
                             removed)
        self.assertEqual(['REMOVED'], [r['changeType'] for r in
                                       removed['serviceReferences']])
        # The terminated app's credentials no longer open Mp1.
        app.call('GET', SUPPORT + ' /timing/current_time', status=401)

        op = self.task(second['id'], 'terminate',
                       {'terminationType': 'FORCEFUL'})
        self.assertEqual('COMPLETED', op['operationState'], op)
        for inst in (first, second):
            self.aio.call('DELETE', '%s/app_instances/%s' % (
                LCM, inst['id']), status=204)
        self.assertEqual([], self.stacks(first['id']))
        # The secrets and tokens never reach the log nor an API answer.
        texts = list(self.aio.logs().values()) + [
            r.text for r in self.aio.responses]
        self.assertIn('DEBUG', texts[0])
        for secret in (data['clientSecret'], app.token, consumer.token):
            for text in texts:
                self.assertNotIn(secret, text)
