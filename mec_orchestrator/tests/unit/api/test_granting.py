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
"""/granting/v1: grants through the real pipeline, checked against the
MEC 010-2 AppGrant OpenAPI file."""

import copy
import time

from oslo_utils import uuidutils

from mec_orchestrator.tests import spec
from mec_orchestrator.tests.unit.api import base
from mec_orchestrator.tests.unit.conductor import test_placement

URL = '/granting/v1/grants'
SPEC = spec.load('mec010-2/MEC010-2_AppGrant.yaml')
PROBLEM_SPEC = copy.deepcopy(SPEC)
# ProblemDetails.instance is a URI reference (RFC 7807): the request path.
PROBLEM_SPEC['components']['schemas']['ProblemDetails']['properties'][
    'instance']['format'] = 'uri-reference'


class TestGrants(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.set_identity(['service'], project_id='project-a')
        appd = test_placement.appd()
        self.app_d_id = appd['appDId']
        self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'project-a',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_d_id': self.app_d_id, 'appd': appd,
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        self.vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'openstack', 'status': 'REACHABLE', 'site': 'paris',
            'access': {'auth_url': 'https://keystone.edge/v3',
                       'project_name': 'mec', 'region': 'RegionOne'},
            'credentials': 'never-shown'})
        self.host = self.dbapi.sync_mec_hosts(self.vim.id, [{
            'discovery_key': 'az:edge', 'name': 'edge', 'zone': 'edge-az',
            'aggregate': None, 'vcpus': 2, 'vcpus_used': 0,
            'memory_mb': 2048, 'memory_mb_used': 0, 'disk_gb': 10,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.dbapi.update_mec_host(self.host.id, {
            'platform_services': test_placement.LOCATION})

    def request(self, instance='inst-1', operation='INSTANTIATE', **extra):
        body = {'appInstanceId': instance, 'appLcmOpOccId': 'op-1',
                'appDId': self.app_d_id, 'operation': operation,
                'addResources': [{'id': 'vdu1', 'type': 'COMPUTE',
                                  'resourceTemplateId': 'vdu1',
                                  'resource': {}}],
                '_links': {'appLcmOpOcc': {'href': 'http://mepm/op-1'},
                           'appInstance': {'href': 'http://mepm/inst-1'}}}
        body.update(extra)
        return body

    def test_instantiate_is_granted_on_the_host(self):
        resp = self.app.post_json(URL, self.request())
        self.assertEqual(201, resp.status_int)
        grant = resp.json
        spec.validate_response(SPEC, '/grants', 'post', 201, grant)
        self.assertEqual(resp.headers['Location'],
                         grant['_links']['self']['href'])
        self.assertEqual(self.vim.id, grant['vimConnections'][0]['id'])
        self.assertEqual('https://keystone.edge/v3', grant['vimConnections'][
            0]['interfaceInfo']['auth_url'])
        self.assertNotIn('never-shown', resp.text)
        self.assertEqual('edge-az', grant['zones'][0]['zoneId'])
        self.assertEqual([{'resourceDefinitionId': 'vdu1',
                           'vimConnectionId': self.vim.id,
                           'zoneId': 'edge-az'}], grant['addResources'])
        self.assertEqual(self.host.id,
                         grant['additionalParams']['mecHostId'])
        again = self.app.get(grant['_links']['self']['href'])
        spec.validate_response(SPEC, '/grants/{grantId}', 'get', 200,
                               again.json)
        self.assertEqual(grant, again.json)
        self.assertEqual(1, len(self.dbapi.list_allocations(
            consumer_id='inst-1')))

    def test_asking_again_keeps_the_same_claim(self):
        self.app.post_json(URL, self.request())
        self.app.post_json(URL, self.request())
        self.assertEqual(1, len(self.dbapi.list_allocations(
            consumer_id='inst-1')))

    def test_full_host_rejects_with_reasons_then_terminate_frees_it(self):
        self.app.post_json(URL, self.request('inst-1'))
        self.app.post_json(URL, self.request('inst-2'))
        resp = self.app.post_json(URL, self.request('inst-3'),
                                  expect_errors=True)
        body = self.assertProblem(resp, 403, 'Grant rejected')
        spec.validate_response(PROBLEM_SPEC, '/grants', 'post', 403, body)
        self.assertTrue(body['placement']['rejected'])
        resp = self.app.post_json(URL, self.request(
            'inst-1', operation='TERMINATE',
            removeResources=[{'id': 'vdu1', 'type': 'COMPUTE',
                              'resourceTemplateId': 'vdu1',
                              'resource': {}}]))
        self.assertEqual(201, resp.status_int)
        self.assertEqual([{'resourceDefinitionId': 'vdu1'}],
                         resp.json['removeResources'])
        self.assertEqual(201, self.app.post_json(
            URL, self.request('inst-3')).status_int)

    def test_asynchronous_mode(self):
        resp = self.app.post_json(URL, self.request(),
                                  headers={'Prefer': 'respond-async'})
        self.assertEqual(202, resp.status_int)
        location = resp.headers['Location']
        deadline = time.monotonic() + 10
        while True:
            resp = self.app.get(location)
            if resp.status_int == 200 or time.monotonic() > deadline:
                break
            self.assertEqual(202, resp.status_int)
            time.sleep(0.05)
        spec.validate_response(SPEC, '/grants/{grantId}', 'get', 200,
                               resp.json)

    def test_bad_requests(self):
        for body in ({}, self.request(operation='SCALE'),
                     dict(self.request(), appDId=7),
                     dict(self.request(), unknown=1)):
            resp = self.app.post_json(URL, body, expect_errors=True)
            spec.validate_response(PROBLEM_SPEC, '/grants', 'post', 400,
                                   self.assertProblem(resp, 400))
        resp = self.app.post_json(URL, self.request(appDId='nope'),
                                  expect_errors=True)
        self.assertProblem(resp, 403, 'nope')

    def test_only_the_service_role_or_admins(self):
        self.set_identity(['member', 'reader'], project_id='project-a')
        self.assertProblem(self.app.post_json(URL, self.request(),
                                              expect_errors=True), 403)
        self.set_identity(['service'], project_id='project-a')
        grant = self.app.post_json(URL, self.request()).json
        # The service role is the platform's own, across projects.
        self.set_identity(['service'], project_id='project-b')
        self.assertEqual(200, self.app.get(
            grant['_links']['self']['href']).status_int)
        self.set_identity(['member', 'reader'], project_id='project-a')
        self.assertProblem(self.app.get(grant['_links']['self']['href'],
                                        expect_errors=True), 403)
        self.assertProblem(self.app.get(URL + '/nope', expect_errors=True),
                           404)

    def test_typo_of_clients_is_accepted(self):
        resp = self.app.post_json(URL, self.request(operation='INSTATIATE'))
        self.assertEqual(201, resp.status_int)
