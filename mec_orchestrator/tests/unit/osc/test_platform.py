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
"""The MEC platform commands, against a fake API at the HTTP boundary."""

from osc_lib import exceptions

from mec_orchestrator.osc.v1 import platform
from mec_orchestrator.tests.unit.osc import test_app_instance as base

INSTANCE_ID = base.INSTANCE_ID
HOST_ID = base.HOST_ID
SERVICE_ID = '5e8d7c6b-4a39-4281-9f0e-1d2c3b4a5f06'
RULES = '/v1/app_instances/%s/rules' % INSTANCE_ID


def service(**kwargs):
    info = {'serInstanceId': SERVICE_ID, 'serName': 'rnis',
            'serCategory': {'href': '/c', 'id': 'rni', 'name': 'RNI',
                            'version': '2'},
            'version': '2.2.1', 'state': 'ACTIVE',
            'transportInfo': {'id': 'mep-rest-http', 'name': 'REST'},
            'serializer': 'JSON', 'scopeOfLocality': 'MEC_HOST',
            'consumedLocalOnly': True, 'isLocal': True,
            'appInstanceId': INSTANCE_ID, 'mecHostId': HOST_ID}
    info.update(kwargs)
    return info


def rule(kind='traffic', rule_id='tr-1', **kwargs):
    info = {'kind': kind, 'id': rule_id, 'state': 'ACTIVE',
            'appliedState': 'ACTIVE', 'error': None,
            'rule': {'trafficRuleId': rule_id, 'filterType': 'FLOW',
                     'priority': 1, 'action': 'PASS', 'state': 'ACTIVE'}}
    info.update(kwargs)
    return info


def header(out):
    return [c.strip() for c in out.splitlines()[1].strip('|').split('|')]


class TestServices(base.CommandTestCase):

    def test_list_columns(self):
        self.api.add('GET', '/v1/mec_services', 200,
                     {'mec_services': [service()]})
        out = self.run_command(platform.ListService, [])
        self.assertEqual(['ID', 'Name', 'Version', 'State',
                          'App Instance ID', 'MEC Host ID'], header(out))
        self.assertRegex(out, r'\| %s \| rnis +\| 2.2.1 +\| ACTIVE +\| '
                              r'%s \| %s \|'
                         % (SERVICE_ID, INSTANCE_ID, HOST_ID))

    def test_list_filters(self):
        path = ('/v1/mec_services?app_instance_id=%s&mec_host_id=%s'
                '&ser_name=rnis' % (INSTANCE_ID, HOST_ID))
        self.api.add('GET', path, 200, {'mec_services': []})
        self.run_command(platform.ListService,
                         ['--app-instance', INSTANCE_ID, '--host', HOST_ID,
                          '--name', 'rnis'])
        self.assertEqual(1, len(self.api.sent('GET', path)))

    def test_list_by_app_instance_name(self):
        self.api.add('GET', base.LCM + '/app_instances?filter=(eq,'
                     'appInstanceName,web)', 200, [base.instance()])
        path = '/v1/mec_services?app_instance_id=' + INSTANCE_ID
        self.api.add('GET', path, 200, {'mec_services': [service()]})
        rows = self.run_json(platform.ListService, ['--app-instance', 'web'])
        self.assertEqual(SERVICE_ID, rows[0]['serInstanceId'])

    def test_show(self):
        self.api.add('GET', '/v1/mec_services/' + SERVICE_ID, 200,
                     service())
        out = self.run_command(platform.ShowService, [SERVICE_ID])
        self.assertRow('ID', SERVICE_ID, out)
        self.assertRow('Name', 'rnis', out)
        self.assertRow('App Instance ID', INSTANCE_ID, out)
        self.assertRow('MEC Host ID', HOST_ID, out)
        self.assertRow('Scope Of Locality', 'MEC_HOST', out)

    def test_show_json_keeps_api_names(self):
        self.api.add('GET', '/v1/mec_services/' + SERVICE_ID, 200,
                     service())
        data = self.run_json(platform.ShowService, [SERVICE_ID])
        self.assertEqual('rnis', data['serName'])
        self.assertEqual(HOST_ID, data['mecHostId'])

    def test_unknown_service_shows_the_problem(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                platform.ShowService, ['nope'])
        self.assertEqual('No such resource: /v1/mec_services/nope '
                         '(HTTP 404)', str(exc))


class TestRules(base.CommandTestCase):

    def test_list_columns(self):
        self.api.add('GET', RULES, 200, {'rules': [
            rule(), rule('dns', 'dns-1', appliedState=None,
                         error='no port')]})
        out = self.run_command(platform.ListAppRule, [INSTANCE_ID])
        self.assertEqual(['Kind', 'ID', 'State', 'Applied', 'Error'],
                         header(out))
        self.assertRegex(out, r'\| traffic \| tr-1 +\| ACTIVE \| ACTIVE +\| '
                              r'None +\|')
        self.assertRegex(out, r'\| dns +\| dns-1 +\| ACTIVE \| None +\| '
                              r'no port \|')

    def test_list_one_kind(self):
        self.api.add('GET', RULES + '?kind=dns', 200, {'rules': []})
        self.run_command(platform.ListAppRule, [INSTANCE_ID, '--kind', 'dns'])
        self.assertEqual(1, len(self.api.sent('GET', RULES + '?kind=dns')))

    def test_show(self):
        self.api.add('GET', RULES + '/tr-1', 200, rule())
        out = self.run_command(platform.ShowAppRule, [INSTANCE_ID, 'tr-1'])
        self.assertRow('Kind', 'traffic', out)
        self.assertRow('Applied', 'ACTIVE', out)
        self.assertIn('trafficRuleId', out)

    def test_show_with_kind(self):
        self.api.add('GET', RULES + '/same?kind=dns', 200,
                     rule('dns', 'same'))
        data = self.run_json(platform.ShowAppRule,
                             [INSTANCE_ID, 'same', '--kind', 'dns'])
        self.assertEqual(('dns', 'same'), (data['kind'], data['id']))
        self.assertEqual('ACTIVE', data['appliedState'])

    def test_ambiguous_rule_shows_the_problem(self):
        self.api.add('GET', RULES + '/same', 400, {
            'title': 'Bad Request', 'status': 400,
            'detail': 'give the kind (traffic or dns)'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                platform.ShowAppRule, [INSTANCE_ID, 'same'])
        self.assertIn('give the kind', str(exc))


class TestPlatformState(base.CommandTestCase):

    def test_show(self):
        self.api.add('GET', '/v1/app_instances/%s/platform' % INSTANCE_ID,
                     200, {'state': 'READY', 'confirmReady': True,
                           'readyAt': '2024-05-01T10:00:00Z',
                           'mecHostId': HOST_ID})
        out = self.run_command(platform.ShowAppPlatform, [INSTANCE_ID])
        self.assertRow('State', 'READY', out)
        self.assertRow('Confirm Ready', 'True', out)
        self.assertRow('Ready At', '2024-05-01T10:00:00Z', out)
        self.assertRow('MEC Host ID', HOST_ID, out)

    def test_by_name(self):
        self.api.add('GET', base.LCM + '/app_instances?filter=(eq,'
                     'appInstanceName,web)', 200, [base.instance()])
        self.api.add('GET', '/v1/app_instances/%s/platform' % INSTANCE_ID,
                     200, {'state': 'CONFIGURED', 'confirmReady': True,
                           'readyAt': None, 'mecHostId': None})
        data = self.run_json(platform.ShowAppPlatform, ['web'])
        self.assertEqual('CONFIGURED', data['state'])
