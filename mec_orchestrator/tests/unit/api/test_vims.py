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
from unittest import mock

from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.db.sqlalchemy import vims as vims_db
from mec_orchestrator.drivers import fake
from mec_orchestrator.tests.unit.api import vim_base
from mec_orchestrator.tests.unit.drivers.openstack import fake_cloud

PASSWORD = vim_base.PASSWORD


class TestRegister(vim_base.VimApiTestCase):

    def test_register_an_openstack_vim(self):
        resp = self.create()
        vim = resp.json
        self.assertEqual('http://localhost/v1/vims/%s' % vim['id'],
                         resp.headers['Location'])
        self.assertEqual('REACHABLE', vim['status'])
        self.assertIsNone(vim['status_reason'])
        self.assertEqual('openstack', vim['type'])
        self.assertEqual('paris', vim['site'])
        self.assertEqual('password', vim['auth_type'])
        self.assertEqual(self.cloud.auth_url, vim['auth_url'])
        self.assertEqual('admin', vim['project_name'])
        caps = vim['capabilities']
        self.assertEqual('RegionOne', caps['region'])
        for service in ('orchestration', 'compute', 'network', 'image',
                        'placement'):
            self.assertTrue(caps['services'][service], service)
        self.assertFalse(caps['services']['dns'])
        self.assertTrue(caps['sfc'])
        for field in ('password', 'username', 'credentials', 'ca_cert'):
            self.assertNotIn(field, vim)
        hosts = self.wait_for_hosts(vim['id'])
        self.assertEqual('edge-1-nova', hosts[0].name)
        self.assertEqual('paris', hosts[0].site)
        self.assertEqual(36, hosts[0].vcpus)
        self.assertNoSecret(PASSWORD)

    def test_credentials_are_encrypted_at_rest(self):
        vim_id = self.create().json['id']
        row = self.raw_rows('vims')[0]
        self.assertTrue(row['credentials'].startswith('gAAAAA'))
        self.assertNotIn('admin', row['credentials'])
        self.assertEqual({'username': 'admin', 'password': PASSWORD},
                         crypto.decrypt_dict(row['credentials']))
        self.assertEqual(vim_id, row['id'])

    def test_wrong_password_is_400_with_keystones_reason(self):
        resp = self.create(status=400, password='wrong-password-123')
        body = self.assertProblem(resp, 400, 'refused the credentials')
        self.assertIn('The request you have made requires authentication',
                      body['detail'])
        self.assertEqual([], self.raw_rows('vims'))
        self.assertEqual([], self.raw_rows('mec_hosts'))
        self.assertNoSecret('wrong-password-123')

    def test_application_credential(self):
        resp = self.create(username=None, password=None, project_name=None,
                           application_credential_id=fake_cloud.APP_CRED_ID,
                           application_credential_secret=(
                               fake_cloud.APP_CRED_SECRET))
        self.assertEqual('v3applicationcredential', resp.json['auth_type'])
        self.assertNotIn(fake_cloud.APP_CRED_ID, resp.text)
        self.assertNoSecret(fake_cloud.APP_CRED_SECRET)

    def test_unreachable_is_400(self):
        resp = self.create(status=400, auth_url='http://127.0.0.1:9/v3')
        self.assertProblem(resp, 400, 'cannot be reached')
        self.assertIn('http://127.0.0.1:9/v3', resp.json['detail'])
        self.assertEqual([], self.raw_rows('vims'))

    def test_unreachable_with_force_is_stored_unreachable(self):
        vim = self.create(auth_url='http://127.0.0.1:9/v3',
                          force=True).json
        self.assertEqual('UNREACHABLE', vim['status'])
        self.assertIn('cannot be reached', vim['status_reason'])
        self.assertEqual({}, vim['capabilities'])
        self.assertEqual([], self.raw_rows('mec_hosts'))
        self.assertNoSecret(PASSWORD)

    def test_force_does_not_store_refused_credentials(self):
        self.create(status=400, password='nope', force=True)
        self.assertEqual([], self.raw_rows('vims'))

    def test_missing_services_are_named(self):
        self.cloud.state['services'].remove('orchestration')
        resp = self.create(status=400)
        self.assertProblem(resp, 400, 'lacks required services: '
                                      'orchestration')
        self.assertEqual([], self.raw_rows('vims'))

    def test_duplicate_name_is_409(self):
        self.wait_for_hosts(self.create().json['id'])
        auth_requests = len(self.cloud.auth_bodies)
        resp = self.create(status=409)
        self.assertProblem(resp, 409, 'edge-1')
        # Refused before the VIM was asked anything.
        self.assertEqual(auth_requests, len(self.cloud.auth_bodies))

    def test_kubernetes_vim_is_stored_unreachable(self):
        resp = self.request('post', '/v1/vims', {
            'name': 'k8s', 'type': 'kubernetes',
            'endpoint': 'https://k8s.example:6443',
            'bearer_token': 'k8s-token-secret', 'namespace': 'mec'},
            status=201)
        vim = resp.json
        self.assertEqual('UNREACHABLE', vim['status'])
        self.assertIn('not implemented yet', vim['status_reason'])
        self.assertEqual('token', vim['auth_type'])
        self.assertEqual('https://k8s.example:6443', vim['endpoint'])
        self.assertEqual('mec', vim['namespace'])
        self.assertEqual({'bearer_token': 'k8s-token-secret'},
                         crypto.decrypt_dict(
                             self.raw_rows('vims')[0]['credentials']))
        self.assertNoSecret('k8s-token-secret')

    def test_fake_driver_vim(self):
        vim = self.request('post', '/v1/vims', {'name': 'f', 'type':
                                                'fake'}, status=201).json
        self.assertEqual('REACHABLE', vim['status'])
        self.assertIsNone(vim['auth_type'])
        self.assertIsNone(self.raw_rows('vims')[0]['credentials'])
        hosts = self.wait_for_hosts(vim['id'])
        self.assertEqual(('f-fake-host', 'name:fake-host', 8),
                         (hosts[0].name, hosts[0].discovery_key,
                          hosts[0].vcpus))

    def test_type_not_enabled(self):
        self.config(vim_drivers=['fake'], group='drivers')
        resp = self.request('post', '/v1/vims', {
            'name': 'x', 'type': 'nosuch'}, status=400)
        self.assertProblem(resp, 400, 'VIM type nosuch is not enabled')

    def test_no_conductor_is_503(self):
        self.conductor.stop()
        self.conductor = None
        resp = self.create(status=503)
        self.assertProblem(resp, 503)


class TestBadRequests(vim_base.VimApiTestCase):

    def _bad(self, body, detail=None, status=400):
        resp = self.request('post', '/v1/vims', body, status=status)
        self.assertProblem(resp, status, detail)
        self.assertEqual([], self.raw_rows('vims'))
        return resp

    def test_bad_json(self):
        resp = self.request('post', '/v1/vims', params='{"name": ',
                            content_type='application/json', status=400)
        self.assertProblem(resp, 400, 'Malformed request body')

    def test_not_json(self):
        resp = self.request('post', '/v1/vims', params='name=x',
                            content_type='text/plain', status=415)
        self.assertProblem(resp, 415)

    def test_body_not_an_object(self):
        self._bad(['x'], 'must be of type object')

    def test_unknown_field(self):
        self._bad(self.body(passwd='x'), "'passwd' was unexpected")

    def test_field_of_another_type(self):
        self._bad(self.body(bearer_token='x'),
                  "'bearer_token' was unexpected")

    def test_wrong_type(self):
        self._bad(self.body(insecure='yes'), 'insecure')
        self._bad(self.body(site=12), 'site')

    def test_missing_name_or_auth_url(self):
        self._bad(self.body(name=None), "'name' is a required property")
        self._bad(self.body(auth_url=None),
                  "'auth_url' is a required property")

    def test_auth_url_checks(self):
        self._bad(self.body(auth_url='ftp://x/v3'), 'auth_url')
        self._bad(self.body(auth_url='http://user:pw@keystone/v3'),
                  'must not carry credentials')
        self._bad(self.body(auth_url='http:///v3'), 'no host name')
        self._bad(self.body(auth_url='http://k:99999/v3'), 'invalid port')
        self._bad(self.body(auth_url='http://k/v3?x=1'), 'query')

    def test_credentials_required(self):
        self._bad(self.body(username=None, password=None),
                  'credentials are required')

    def test_incomplete_credentials(self):
        self._bad(self.body(password=None), 'password authentication also '
                                            'needs password')
        self._bad(self.body(username=None, password=None,
                            application_credential_id='x'),
                  'application_credential_secret')

    def test_mixed_methods(self):
        self._bad(self.body(application_credential_secret='s'),
                  'one authentication method')

    def test_secret_values_are_never_echoed(self):
        long_secret = 'S3cr3t' * 3000
        resp = self._bad(self.body(password=long_secret),
                         'password: must have at most')
        self.assertNotIn('S3cr3t', resp.text)
        resp = self._bad(self.body(password=123456789),
                         'password: must be of type string')
        self.assertNotIn('123456789', resp.text)
        self.assertNotIn('S3cr3t', self.log.output)

    def test_bad_ca_cert(self):
        self._bad(self.body(ca_cert='not a certificate'),
                  'ca_cert: not a PEM certificate')

    def test_bad_kubernetes_client_key(self):
        self._bad({'name': 'k', 'type': 'kubernetes',
                   'endpoint': 'https://k:6443', 'client_cert': 'x',
                   'client_key': 'private-stuff'}, 'client_cert')

    def test_bad_type_name(self):
        self._bad(self.body(type='Open Stack!'), 'type: ')


class TestPolicy(vim_base.VimApiTestCase):

    def test_member_cannot_register(self):
        self.set_identity(['member', 'reader'])
        resp = self.create(status=403)
        self.assertProblem(resp, 403, 'mec:vim:create')
        self.assertEqual([], self.cloud.auth_bodies)

    def test_member_gets_403_before_body_checks(self):
        self.set_identity(['member'])
        resp = self.request('post', '/v1/vims', {'bad': 1}, status=403)
        self.assertProblem(resp, 403)

    def test_reader_cannot_list_show_update_delete_check(self):
        self.set_identity(['admin'], project_id='admin')
        vim_id = self.create().json['id']
        self.set_identity(['reader', 'member'])
        for method, url in (('get', '/v1/vims'),
                            ('get', '/v1/vims/%s' % vim_id),
                            ('delete', '/v1/vims/%s' % vim_id),
                            ('post', '/v1/vims/%s/check' % vim_id)):
            self.assertProblem(self.request(method, url, status=403), 403)
        resp = self.request('patch', '/v1/vims/%s' % vim_id,
                            {'name': 'x'}, status=403)
        self.assertProblem(resp, 403, 'mec:vim:update')

    def test_admin_of_any_project(self):
        self.set_identity(['admin'], project_id='elsewhere')
        self.create()


class TestReadUpdateDelete(vim_base.VimApiTestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.create().json
        self.url = '/v1/vims/%s' % self.vim['id']
        self.wait_for_hosts(self.vim['id'])

    def test_show_and_list(self):
        shown = self.request('get', self.url, status=200).json
        self.assertEqual(self.vim['id'], shown['id'])
        listed = self.request('get', '/v1/vims', status=200).json
        self.assertEqual([self.vim['id']], [v['id'] for v in
                                            listed['vims']])
        self.assertNotIn('next', listed)
        self.assertNoSecret(PASSWORD)

    def test_unknown_id_is_404(self):
        for method in ('get', 'delete'):
            resp = self.request(method, '/v1/vims/nope', status=404)
            self.assertProblem(resp, 404, 'VIM nope could not be found')
        self.assertProblem(self.request('patch', '/v1/vims/nope',
                                        {'name': 'x'}, status=404), 404)
        self.assertProblem(self.request('post', '/v1/vims/nope/check',
                                        status=404), 404)

    def test_filters_and_paging(self):
        for name, site in (('a', 'lyon'), ('b', 'lyon'), ('c', 'nice')):
            self.request('post', '/v1/vims', {'name': name, 'type': 'fake',
                                              'site': site}, status=201)
        body = self.request('get', '/v1/vims?site=lyon&limit=1',
                            status=200).json
        self.assertEqual(['a'], [v['name'] for v in body['vims']])
        self.assertIn('site=lyon', body['next'])
        body = self.request('get', body['next'], status=200).json
        self.assertEqual(['b'], [v['name'] for v in body['vims']])
        body = self.request('get', body['next'], status=200).json
        self.assertEqual([], body['vims'])
        names = [v['name'] for v in self.request(
            'get', '/v1/vims?type=fake', status=200).json['vims']]
        self.assertEqual(['a', 'b', 'c'], names)
        names = [v['name'] for v in self.request(
            'get', '/v1/vims?status=REACHABLE', status=200).json['vims']]
        self.assertEqual(['a', 'b', 'c', 'edge-1'], names)

    def test_bad_list_parameters(self):
        self.assertProblem(self.request('get', '/v1/vims?status=UP',
                                        status=400), 400, 'status')
        self.assertProblem(self.request('get', '/v1/vims?color=red',
                                        status=400), 400, 'color')
        self.assertProblem(self.request('get', '/v1/vims?marker=nope',
                                        status=400), 400, 'marker')

    def test_metadata_update_does_not_ask_the_vim(self):
        before = len(self.cloud.auth_bodies)
        vim = self.request('patch', self.url, {
            'name': 'edge-one', 'description': 'rack 4', 'site': 'lille',
            'extra': {'owner': 'ops'}}, status=200).json
        self.assertEqual(before, len(self.cloud.auth_bodies))
        self.assertEqual(('edge-one', 'rack 4', 'lille', {'owner': 'ops'}),
                         (vim['name'], vim['description'], vim['site'],
                          vim['extra']))
        host = self.dbapi.list_mec_hosts(filters={'vim_id': vim['id']})[0]
        self.assertEqual('lille', host.site)

    def test_extra_is_merged(self):
        self.request('patch', self.url, {'extra': {'a': 1, 'b': {'c': 2}}},
                     status=200)
        vim = self.request('patch', self.url, {
            'extra': {'a': None, 'b': {'d': 3}}}, status=200).json
        self.assertEqual({'b': {'c': 2, 'd': 3}}, vim['extra'])

    def test_new_password_is_checked_and_replaces_the_old(self):
        before = len(self.cloud.auth_bodies)
        resp = self.request('patch', self.url, {
            'username': 'admin', 'password': 'wrong-new-pw'}, status=400)
        self.assertProblem(resp, 400, 'requires authentication')
        self.assertGreater(len(self.cloud.auth_bodies), before)
        token = self.raw_rows('vims')[0]['credentials']
        self.assertEqual(PASSWORD, crypto.decrypt_dict(token)['password'])
        self.request('patch', self.url, {
            'username': 'admin', 'password': PASSWORD,
            'description': 'same secret'}, status=200)
        self.assertNoSecret(PASSWORD, 'wrong-new-pw')

    def test_credentials_are_replaced_as_a_whole(self):
        resp = self.request('patch', self.url, {'password': 'x'},
                            status=400)
        self.assertProblem(resp, 400, 'also needs username')
        vim = self.request('patch', self.url, {
            'application_credential_id': fake_cloud.APP_CRED_ID,
            'application_credential_secret': fake_cloud.APP_CRED_SECRET},
            status=200).json
        self.assertEqual('v3applicationcredential', vim['auth_type'])
        token = self.raw_rows('vims')[0]['credentials']
        self.assertEqual({'application_credential_id',
                          'application_credential_secret'},
                         set(crypto.decrypt_dict(token)))

    def test_access_change_is_checked(self):
        resp = self.request('patch', self.url, {'region': 'Mars'},
                            status=400)
        self.assertProblem(resp, 400, 'region Mars is not in the catalog')
        vim = self.request('patch', self.url, {'region': 'RegionOne'},
                           status=200).json
        self.assertEqual('RegionOne', vim['region'])
        vim = self.request('patch', self.url, {'region': None},
                           status=200).json
        self.assertNotIn('region', vim)

    def test_required_fields_cannot_be_removed_or_retyped(self):
        self.assertProblem(self.request('patch', self.url,
                                        {'auth_url': None}, status=400),
                           400, 'auth_url cannot be removed')
        self.assertProblem(self.request('patch', self.url,
                                        {'type': 'kubernetes'},
                                        status=400), 400, "'type'")

    def test_move_to_an_unreachable_url_needs_force(self):
        url = {'auth_url': 'http://127.0.0.1:9/v3'}
        self.request('patch', self.url, url, status=400)
        vim = self.request('patch', self.url, dict(url, force=True),
                           status=200).json
        self.assertEqual('UNREACHABLE', vim['status'])
        self.assertEqual('http://127.0.0.1:9/v3', vim['auth_url'])
        # The last good capabilities are kept.
        self.assertEqual('RegionOne', vim['capabilities']['region'])

    def test_rename_to_a_taken_name_is_409(self):
        self.request('post', '/v1/vims', {'name': 'other', 'type': 'fake'},
                     status=201)
        self.assertProblem(self.request('patch', self.url,
                                        {'name': 'other'}, status=409), 409)

    def test_patch_content_types(self):
        resp = self.app.patch(self.url, '{"description": "d"}',
                              content_type='application/merge-patch+json')
        self.assertEqual('d', resp.json['description'])
        resp = self.app.patch(self.url, 'x', content_type='text/plain',
                              expect_errors=True)
        self.assertProblem(resp, 415)

    def test_check_flips_the_status(self):
        self.cloud.state['broken'] = ['/network']
        vim = self.request('post', self.url + '/check', status=200).json
        self.assertEqual('UNREACHABLE', vim['status'])
        self.assertIn('HTTP 503', vim['status_reason'])
        self.cloud.state['broken'] = []
        vim = self.request('post', self.url + '/check', status=200).json
        self.assertEqual('REACHABLE', vim['status'])
        self.assertIsNone(vim['status_reason'])
        self.assertNoSecret(PASSWORD)

    def test_delete(self):
        resp = self.request('delete', self.url, status=204)
        self.assertEqual(b'', resp.body)
        self.request('get', self.url, status=404)
        self.assertEqual([], self.raw_rows('mec_hosts'))

    def test_delete_refused_while_instances_run(self):
        with mock.patch.object(vims_db.VimMixin,
                               'count_app_instances_on_vim',
                               return_value=2):
            resp = self.request('delete', self.url, status=409)
        self.assertProblem(resp, 409, 'still hosts 2 app instances')
        self.request('get', self.url, status=200)

    def test_unexpected_driver_error_is_a_bare_500(self):
        with mock.patch.object(fake.FakeVimDriver, 'validate',
                               side_effect=RuntimeError(PASSWORD)):
            resp = self.request('post', '/v1/vims', {'name': 'z',
                                                     'type': 'fake'})
        self.assertProblem(resp, 500)
        self.assertNotIn(PASSWORD, resp.text)

    def test_driver_errors_keep_their_status(self):
        for exc, status in ((exception.VimAuthFailed(reason='no'), 400),
                            (exception.VimUnreachable(reason='x'), 400),
                            (exception.Invalid(reason='y'), 400)):
            with mock.patch.object(fake.FakeVimDriver, 'validate',
                                   side_effect=exc):
                resp = self.request('post', '/v1/vims', {
                    'name': 'z', 'type': 'fake'}, status=status)
            self.assertProblem(resp, status, exc.message)
