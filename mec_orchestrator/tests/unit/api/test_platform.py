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
"""The operator view of the MEC platforms: rules, platform state, services."""

import datetime

from oslo_utils import uuidutils

from mec_orchestrator.common import context
from mec_orchestrator.common import policy
from mec_orchestrator import policies
from mec_orchestrator.tests.unit.api import base
from mec_orchestrator.tests.unit.conductor import test_placement

TRAFFIC = {'trafficRuleId': 'tr-1', 'filterType': 'FLOW', 'priority': 1,
           'trafficFilter': [{'dstAddress': ['10.0.0.0/24']}],
           'action': 'PASS'}
DNS = {'dnsRuleId': 'dns-1', 'domainName': 'web.example.org',
       'ipAddressType': 'IP_V4', 'ipAddress': '10.0.0.8', 'ttl': 300}
HOST_ID = '2b7c9e10-5d4a-4e3b-9c21-8f0a1d6e4c03'


class PlatformApiTestCase(base.ApiTestCase):

    start_conductor = False

    def setUp(self):
        super().setUp()
        self.inst_a = self.instance('project-a')
        self.inst_b = self.instance('project-b')
        self.dbapi.configure_mep_app(
            {'id': self.inst_a.id, 'project_id': 'project-a',
             'mec_host_id': HOST_ID, 'state': 'CONFIGURED',
             'confirm_ready': True},
            rules=[('traffic', 'tr-1', TRAFFIC, 'INACTIVE'),
                   ('dns', 'dns-1', DNS, 'ACTIVE')])
        self.dbapi.configure_mep_app(
            {'id': self.inst_b.id, 'project_id': 'project-b',
             'mec_host_id': HOST_ID, 'state': 'READY',
             'confirm_ready': False}, rules=[])
        self.svc_a = self.service(self.inst_a.id, 'rnis')
        self.svc_b = self.service(self.inst_b.id, 'location')

    def instance(self, project_id):
        appd = test_placement.appd()
        package = self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': project_id,
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_d_id': appd['appDId'], 'appd': appd,
            'onboarding_state': 'ONBOARDED',
            'operational_state': 'ENABLED', 'usage_state': 'NOT_IN_USE'})
        return self.dbapi.create_app_instance({
            'id': uuidutils.generate_uuid(), 'project_id': project_id,
            'app_d_id': package.app_d_id, 'app_pkg_id': package.id,
            'instantiation_state': 'INSTANTIATED'})

    def service(self, app_instance_id, name):
        return self.dbapi.create_mep_service({
            'id': uuidutils.generate_uuid(),
            'app_instance_id': app_instance_id, 'mec_host_id': HOST_ID,
            'ser_name': name, 'state': 'ACTIVE',
            'body': {'serName': name, 'version': '2.2.1',
                     'serializer': 'JSON',
                     'transportInfo': {'id': 'mep-rest-http',
                                       'name': 'REST'}}})

    def get(self, url, status=200):
        resp = self.app.get(url, expect_errors=True)
        self.assertEqual(status, resp.status_int, resp.text)
        return resp

    def rules_url(self, inst, *rest):
        return '/'.join(('/v1/app_instances', inst.id, 'rules') + rest)


class TestRules(PlatformApiTestCase):

    def test_list_shows_wanted_and_applied_states(self):
        self.dbapi.update_mep_rule(self.inst_a.id, 'dns', 'dns-1', {
            'applied_state': 'ACTIVE'})
        self.dbapi.update_mep_rule(self.inst_a.id, 'traffic', 'tr-1', {
            'error': 'no port for 10.0.0.0/24'})
        rules = self.get(self.rules_url(self.inst_a)).json['rules']
        self.assertEqual([
            {'kind': 'traffic', 'id': 'tr-1', 'state': 'INACTIVE',
             'appliedState': None, 'error': 'no port for 10.0.0.0/24',
             'rule': dict(TRAFFIC, state='INACTIVE')},
            {'kind': 'dns', 'id': 'dns-1', 'state': 'ACTIVE',
             'appliedState': 'ACTIVE', 'error': None,
             'rule': dict(DNS, state='ACTIVE')}], rules)

    def test_list_one_kind(self):
        rules = self.get(self.rules_url(self.inst_a) + '?kind=dns').json
        self.assertEqual(['dns-1'], [r['id'] for r in rules['rules']])
        self.assertProblem(self.get(self.rules_url(self.inst_a)
                                    + '?kind=nat', status=400), 400,
                           'kind must be traffic or dns')

    def test_show_by_id_with_or_without_kind(self):
        rule = self.get(self.rules_url(self.inst_a, 'tr-1')).json
        self.assertEqual(('traffic', 'tr-1', 'INACTIVE'),
                         (rule['kind'], rule['id'], rule['rule']['state']))
        rule = self.get(self.rules_url(self.inst_a, 'dns-1')
                        + '?kind=dns').json
        self.assertEqual('web.example.org', rule['rule']['domainName'])

    def test_show_ambiguous_id_needs_the_kind(self):
        self.dbapi.destroy_mep_app(self.inst_a.id)
        self.dbapi.configure_mep_app(
            {'id': self.inst_a.id, 'project_id': 'project-a',
             'state': 'READY'},
            rules=[('traffic', 'same', TRAFFIC, 'ACTIVE'),
                   ('dns', 'same', DNS, 'ACTIVE')])
        self.assertProblem(self.get(self.rules_url(self.inst_a, 'same'),
                                    status=400), 400, 'give the kind')
        rule = self.get(self.rules_url(self.inst_a, 'same')
                        + '?kind=dns').json
        self.assertEqual('dns', rule['kind'])

    def test_unknown_rule(self):
        self.assertProblem(self.get(self.rules_url(self.inst_a, 'nope'),
                                    status=404), 404,
                           'Rule nope could not be found')
        self.assertProblem(self.get(self.rules_url(self.inst_a, 'tr-1')
                                    + '?kind=dns', status=404), 404,
                           'DNS rule tr-1')

    def test_unknown_instance(self):
        self.assertProblem(self.get('/v1/app_instances/nope/rules',
                                    status=404), 404,
                           'App instance nope could not be found')
        self.assertProblem(self.get('/v1/app_instances/nope/rules/tr-1',
                                    status=404), 404)

    def test_instance_without_rules(self):
        self.assertEqual({'rules': []},
                         self.get(self.rules_url(self.inst_b)).json)

    def test_reader_sees_its_project_only(self):
        self.set_identity(['reader'], project_id='project-a')
        self.assertEqual(2, len(self.get(
            self.rules_url(self.inst_a)).json['rules']))
        self.get(self.rules_url(self.inst_a, 'tr-1'))
        for url in (self.rules_url(self.inst_b),
                    self.rules_url(self.inst_b, 'tr-1')):
            body = self.assertProblem(self.get(url, status=404), 404)
            self.assertIn(self.inst_b.id, body['detail'])

    def test_no_role_is_refused(self):
        self.set_identity(['member'], project_id='project-a')
        self.assertProblem(self.get(self.rules_url(self.inst_a),
                                    status=403), 403)
        self.assertProblem(self.get(self.rules_url(self.inst_a, 'tr-1'),
                                    status=403), 403)

    def test_admin_sees_other_projects(self):
        self.set_identity(['admin'], project_id='admin-project')
        self.assertEqual(2, len(self.get(
            self.rules_url(self.inst_a)).json['rules']))

    def test_read_only(self):
        resp = self.app.post_json(self.rules_url(self.inst_a), {},
                                  expect_errors=True)
        self.assertEqual(405, resp.status_int)


class TestPlatformState(PlatformApiTestCase):

    def url(self, inst_id):
        return '/v1/app_instances/%s/platform' % inst_id

    def test_show(self):
        self.assertEqual({'state': 'CONFIGURED', 'confirmReady': True,
                          'readyAt': None, 'mecHostId': HOST_ID,
                          'services': {}},
                         self.get(self.url(self.inst_a.id)).json)
        ready = datetime.datetime(2024, 5, 1, 10, 0, 0)
        self.dbapi.update_mep_app(self.inst_a.id, {'state': 'READY',
                                                   'ready_at': ready})
        body = self.get(self.url(self.inst_a.id)).json
        self.assertEqual(('READY', '2024-05-01T10:00:00Z'),
                         (body['state'], body['readyAt']))

    def test_no_secret_shown(self):
        self.dbapi.update_mep_app(self.inst_a.id,
                                  {'client_secret': 'sekrit'})
        self.assertNotIn('sekrit', self.get(self.url(self.inst_a.id)).text)

    def test_unknown_to_the_platform(self):
        self.dbapi.destroy_mep_app(self.inst_a.id)
        self.assertProblem(self.get(self.url(self.inst_a.id), status=404),
                           404, 'not known to this MEC platform')

    def test_other_project_and_roles(self):
        self.set_identity(['reader'], project_id='project-b')
        self.get(self.url(self.inst_b.id))
        self.assertProblem(self.get(self.url(self.inst_a.id), status=404),
                           404)
        self.set_identity(['member'], project_id='project-b')
        self.assertProblem(self.get(self.url(self.inst_b.id), status=403),
                           403)

    def test_unknown_sub_resource(self):
        self.get('/v1/app_instances/%s/nope' % self.inst_a.id, status=404)
        self.get('/v1/app_instances/%s' % self.inst_a.id, status=404)


class TestServices(PlatformApiTestCase):

    def ids(self, query='', status=200):
        return [s['serInstanceId'] for s in self.get(
            '/v1/mec_services' + query, status=status).json['mec_services']]

    def test_admin_lists_all_with_filters(self):
        self.assertEqual([self.svc_a.id, self.svc_b.id], self.ids())
        self.assertEqual([self.svc_b.id],
                         self.ids('?app_instance_id=%s' % self.inst_b.id))
        self.assertEqual([self.svc_a.id], self.ids('?ser_name=rnis'))
        self.assertEqual([], self.ids('?mec_host_id=elsewhere'))
        self.assertEqual(2, len(self.ids('?mec_host_id=%s' % HOST_ID)))
        self.assertProblem(self.get('/v1/mec_services?x=1', status=400),
                           400, 'Unknown query parameters: x')

    def test_reader_lists_its_projects(self):
        self.set_identity(['reader'], project_id='project-a')
        self.assertEqual([self.svc_a.id], self.ids())
        self.assertEqual([], self.ids('?ser_name=location'))
        self.set_identity(['reader'], project_id='project-c')
        self.assertEqual([], self.ids())

    def test_show(self):
        body = self.get('/v1/mec_services/%s' % self.svc_a.id).json
        self.assertEqual(self.svc_a.id, body['serInstanceId'])
        self.assertEqual('rnis', body['serName'])
        self.assertEqual('ACTIVE', body['state'])
        self.assertEqual(self.inst_a.id, body['appInstanceId'])
        self.assertEqual(HOST_ID, body['mecHostId'])

    def test_reader_shows_its_projects_only(self):
        self.set_identity(['reader'], project_id='project-a')
        self.get('/v1/mec_services/%s' % self.svc_a.id)
        self.assertProblem(self.get('/v1/mec_services/%s' % self.svc_b.id,
                                    status=404), 404,
                           'Service %s could not be found' % self.svc_b.id)

    def test_no_role_is_refused(self):
        self.set_identity(['member'], project_id='project-a')
        self.assertProblem(self.get('/v1/mec_services', status=403), 403)
        self.assertProblem(self.get('/v1/mec_services/%s' % self.svc_a.id,
                                    status=403), 403)

    def test_unknown_service(self):
        self.assertProblem(self.get('/v1/mec_services/nope', status=404),
                           404, 'Service nope could not be found')


class TestPolicies(base.ApiTestCase):

    start_conductor = False
    NAMES = ('mec:platform:rule:list', 'mec:platform:rule:get',
             'mec:platform:service:list', 'mec:platform:service:get')

    def test_documented_project_scoped_reader_or_admin(self):
        rules = {r.name: r for r in policies.list_rules()}
        for name in self.NAMES:
            self.assertEqual(['project'], rules[name].scope_types, name)
            self.assertTrue(rules[name].operations, name)
            for roles, project, allowed in (
                    (['reader'], 'p1', True), (['admin'], 'p2', True),
                    (['reader'], 'p2', False), (['member'], 'p1', False)):
                ctx = context.RequestContext(user_id='u', project_id=project,
                                             roles=roles)
                self.assertEqual(allowed, policy.check(
                    name, {'project_id': 'p1'}, ctx), (name, roles))
