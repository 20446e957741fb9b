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
"""/app_pkgm/v1: packages through the real pipeline, onboarded by an
in-process conductor from the sample packages."""

import hashlib
import io
import os
import time
import zipfile

import fixtures

from mec_orchestrator.tests.unit.api import base

DATA = os.path.join(os.path.dirname(__file__), '..', '..', 'data',
                    'packages')
BASE = '/app_pkgm/v1'


def sample(name):
    with open(os.path.join(DATA, name), 'rb') as f:
        return f.read()


def plain_appd_package():
    """A CSAR whose entry definitions is the sample JSON AppD."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as z:
        z.writestr('TOSCA-Metadata/TOSCA.meta',
                   'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                   'Created-By: tests\nEntry-Definitions: appd.json\n')
        z.writestr('appd.json', sample('plain_appd.json'))
    return out.getvalue()


class AppPackageTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.store = self.useFixture(fixtures.TempDir()).path
        self.config(file_store_path=self.store, group='app_package')

    def create(self, **extra):
        body = {'appPkgName': 'demo', 'appPkgVersion': '1.0'}
        body.update(extra)
        resp = self.app.post_json(BASE + '/app_packages', body)
        self.assertEqual(201, resp.status_int)
        return resp.json

    def upload(self, pkg_id, content, content_type='application/zip',
               **kw):
        return self.app.put(
            '%s/app_packages/%s/package_content' % (BASE, pkg_id), content,
            headers={'Content-Type': content_type}, **kw)

    def wait_state(self, pkg_id, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            pkg = self.app.get('%s/app_packages/%s' % (BASE, pkg_id)).json
            if pkg['onboardingState'] not in ('UPLOADING', 'PROCESSING'):
                return pkg
            if time.monotonic() > deadline:
                self.fail('package stuck in %s' % pkg['onboardingState'])
            time.sleep(0.05)

    def onboard(self, content, **extra):
        pkg = self.create(**extra)
        self.assertEqual(202, self.upload(pkg['id'], content).status_int)
        return self.wait_state(pkg['id'])

    def stored_files(self):
        return sorted(os.listdir(self.store)) if os.path.isdir(
            self.store) else []


class TestCreate(AppPackageTestCase):

    def test_create(self):
        resp = self.app.post_json(BASE + '/app_packages',
                                  {'appPkgName': 'demo',
                                   'appPkgVersion': '1.0',
                                   'appProvider': 'ACME',
                                   'userDefinedData': {'k': 'v'}})
        body = resp.json
        self.assertEqual('http://localhost%s/app_packages/%s'
                         % (BASE, body['id']), resp.headers['Location'])
        self.assertEqual('CREATED', body['onboardingState'])
        self.assertEqual('DISABLED', body['operationalState'])
        self.assertEqual('NOT_IN_USE', body['usageState'])
        self.assertEqual({'k': 'v'}, body['userDefinedData'])
        self.assertNotIn('appDId', body)
        self.assertEqual(resp.headers['Location'],
                         body['_links']['self']['href'])

    def test_missing_mandatory_field(self):
        resp = self.app.post_json(BASE + '/app_packages',
                                  {'appPkgName': 'demo'},
                                  expect_errors=True)
        self.assertProblem(resp, 400, 'appPkgVersion')
        self.assertEqual([], self.app.get(BASE + '/app_packages').json)

    def test_wrong_type_and_unknown_field(self):
        for body in ({'appPkgName': 1, 'appPkgVersion': '1'},
                     {'appPkgName': 'a', 'appPkgVersion': '1', 'x': 1},
                     {'appPkgName': 'a', 'appPkgVersion': '1',
                      'checksum': {'algorithm': 'MD5', 'hash': 'ab'}},
                     ['not', 'an', 'object']):
            resp = self.app.post_json(BASE + '/app_packages', body,
                                      expect_errors=True)
            self.assertProblem(resp, 400)
        self.assertEqual([], self.app.get(BASE + '/app_packages').json)

    def test_malformed_json_and_content_type(self):
        resp = self.app.post(BASE + '/app_packages', b'{"appPkgName": ',
                             headers={'Content-Type': 'application/json'},
                             expect_errors=True)
        self.assertProblem(resp, 400, 'Malformed')
        resp = self.app.post(BASE + '/app_packages', b'appPkgName=x',
                             headers={'Content-Type': 'text/plain'},
                             expect_errors=True)
        self.assertProblem(resp, 415)
        self.assertEqual([], self.app.get(BASE + '/app_packages').json)

    def test_reader_cannot_create(self):
        self.set_identity(['reader'])
        resp = self.app.post_json(BASE + '/app_packages',
                                  {'appPkgName': 'a', 'appPkgVersion': '1'},
                                  expect_errors=True)
        self.assertProblem(resp, 403)


class TestOnboarding(AppPackageTestCase):

    def test_plain_appd_package_onboards(self):
        content = plain_appd_package()
        pkg = self.onboard(content, checksum={
            'algorithm': 'SHA-256',
            'hash': hashlib.sha256(content).hexdigest()})
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        self.assertEqual('ENABLED', pkg['operationalState'])
        appd = self.app.get('%s/app_packages/%s/appd'
                            % (BASE, pkg['id'])).json
        self.assertEqual(pkg['appDId'], appd['appDId'])
        self.assertEqual(appd['appName'], pkg['appName'])
        same = self.app.get('%s/onboarded_app_packages/%s/appd'
                            % (BASE, pkg['appDId'])).json
        self.assertEqual(appd, same)
        download = self.app.get('%s/app_packages/%s/package_content'
                                % (BASE, pkg['id']))
        self.assertEqual('application/zip', download.content_type)
        self.assertEqual(content, download.body)

    def test_edgegallery_sample_needs_manifest_leniency(self):
        # EdgeGallery writes placeholder digests in its manifests.
        pkg = self.onboard(sample('edgegallery_apprules_container_app.csar'))
        self.assertEqual('ERROR', pkg['onboardingState'])
        self.assertIn('does not match the manifest',
                      pkg['onboardingFailureDetails']['detail'])

    def test_edgegallery_sample_onboards(self):
        self.config(allow_manifest_mismatch=True, group='packaging')
        pkg = self.onboard(sample('edgegallery_apprules_container_app.csar'))
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        appd = self.app.get('%s/app_packages/%s/appd'
                            % (BASE, pkg['id'])).json
        self.assertTrue(appd.get('appTrafficRule'))
        self.assertTrue(appd.get('appDNSRule'))

    def _csar_of(self, name):
        from mec_orchestrator.tests.unit.packaging import utils
        return utils.build_zip(list(utils.build_csar(
            'Definitions/%s' % name, sample(name)).items()))

    def test_mec037_package_onboards(self):
        pkg = self.onboard(self._csar_of('mec037_video_analytics.yaml'))
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        appd = self.app.get('%s/app_packages/%s/appd'
                            % (BASE, pkg['id'])).json
        self.assertEqual('8f8e2e8e-0c4b-4a4e-9d52-3d1f2f0c7a10',
                         appd['appDId'])
        self.assertEqual('Example Corp', appd['appProvider'])
        self.assertEqual(appd['appDId'], pkg['appDId'])

    def test_tosca_mec_profile_package_onboards(self):
        pkg = self.onboard(self._csar_of('tosca_mec_profile_edge_cache.yaml'))
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        appd = self.app.get('%s/onboarded_app_packages/%s/appd'
                            % (BASE, pkg['appDId'])).json
        self.assertEqual(pkg['appName'], appd['appName'])

    def test_zip_slip_member_is_refused(self):
        from mec_orchestrator.tests.unit.packaging import utils
        members = utils.build_csar('Definitions/appd.json',
                                   sample('plain_appd.json'),
                                   with_manifest=False)
        members['../../escape.txt'] = b'x'
        pkg = self.onboard(utils.build_zip(list(members.items())))
        self.assertEqual('ERROR', pkg['onboardingState'])
        self.assertIn('escape.txt', pkg['onboardingFailureDetails']['detail'])
        self.assertEqual([], self.stored_files())

    def test_not_a_zip_is_error_and_leaves_no_file(self):
        pkg = self.onboard(b'this is not a zip file')
        self.assertEqual('ERROR', pkg['onboardingState'])
        failure = pkg['onboardingFailureDetails']
        self.assertEqual(400, failure['status'])
        self.assertTrue(failure['detail'])
        self.assertEqual([], self.stored_files())
        resp = self.app.get('%s/app_packages/%s/appd' % (BASE, pkg['id']),
                            expect_errors=True)
        self.assertProblem(resp, 409)

    def test_checksum_mismatch(self):
        pkg = self.onboard(plain_appd_package(), checksum={
            'algorithm': 'SHA-256', 'hash': 'a' * 64})
        self.assertEqual('ERROR', pkg['onboardingState'])
        self.assertIn('checksum', pkg['onboardingFailureDetails']['detail'])
        self.assertEqual([], self.stored_files())

    def test_error_package_can_be_uploaded_again(self):
        pkg = self.onboard(b'garbage')
        self.assertEqual(202, self.upload(pkg['id'],
                                          plain_appd_package()).status_int)
        pkg = self.wait_state(pkg['id'])
        self.assertEqual('ONBOARDED', pkg['onboardingState'])
        self.assertNotIn('onboardingFailureDetails', pkg)

    def test_upload_twice_is_409(self):
        pkg = self.onboard(plain_appd_package())
        resp = self.upload(pkg['id'], plain_appd_package(),
                           expect_errors=True)
        self.assertProblem(resp, 409)

    def test_wrong_upload_content_type(self):
        pkg = self.create()
        resp = self.upload(pkg['id'], b'{}', 'application/json',
                           expect_errors=True)
        self.assertProblem(resp, 415)
        self.assertEqual('CREATED', self.wait_state(pkg['id'])[
            'onboardingState'])

    def test_oversize_upload_is_413_and_leaves_nothing(self):
        self.config(max_package_size=4096, group='app_package')
        pkg = self.create()
        resp = self.upload(pkg['id'], b'x' * 10000, expect_errors=True)
        self.assertProblem(resp, 413)
        self.assertEqual('CREATED', self.wait_state(pkg['id'])[
            'onboardingState'])
        self.assertEqual([], [f for f in self.stored_files()])


class TestLifecycle(AppPackageTestCase):

    def test_enable_disable_delete(self):
        pkg = self.onboard(plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        resp = self.app.delete(url, expect_errors=True)
        self.assertProblem(resp, 409, 'DISABLED')
        resp = self.app.patch_json(url, {'operationState': 'DISABLED'})
        self.assertEqual({'operationState': 'DISABLED'}, resp.json)
        resp = self.app.patch_json(url, {'operationState': 'DISABLED'},
                                   expect_errors=True)
        self.assertProblem(resp, 409)
        self.assertEqual(1, len(self.stored_files()))
        self.assertEqual(204, self.app.delete(url).status_int)
        self.assertProblem(self.app.get(url, expect_errors=True), 404)
        self.assertEqual([], self.stored_files())

    def test_later_spelling_of_the_patch_attribute(self):
        pkg = self.onboard(plain_appd_package())
        resp = self.app.patch_json(
            '%s/app_packages/%s' % (BASE, pkg['id']),
            {'operationalState': 'DISABLED'})
        self.assertEqual('DISABLED', resp.json['operationState'])

    def test_patch_before_onboarding_and_bad_bodies(self):
        pkg = self.create()
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        self.assertProblem(self.app.patch_json(
            url, {'operationState': 'ENABLED'}, expect_errors=True), 409)
        for body in ({}, {'operationState': 'ON'},
                     {'operationState': 'ENABLED', 'x': 1}):
            self.assertProblem(self.app.patch_json(
                url, body, expect_errors=True), 400)

    def test_created_package_can_be_deleted(self):
        pkg = self.create()
        self.assertEqual(204, self.app.delete(
            '%s/app_packages/%s' % (BASE, pkg['id'])).status_int)

    def test_another_projects_package_is_404(self):
        pkg = self.create()
        self.set_identity(['member', 'reader'], project_id='project-b')
        for method in ('get', 'delete'):
            resp = getattr(self.app, method)(
                '%s/app_packages/%s' % (BASE, pkg['id']),
                expect_errors=True)
            self.assertProblem(resp, 404)
        resp = self.upload(pkg['id'], plain_appd_package(),
                           expect_errors=True)
        self.assertProblem(resp, 404)
        self.assertEqual([], self.app.get(BASE + '/app_packages').json)

    def test_unknown_id(self):
        self.assertProblem(self.app.get(BASE + '/app_packages/nope',
                                        expect_errors=True), 404)
        self.assertProblem(self.app.get(
            BASE + '/onboarded_app_packages/nope/appd',
            expect_errors=True), 404)


class TestQueries(AppPackageTestCase):

    def test_filter_and_selectors(self):
        onboarded = self.onboard(plain_appd_package())
        created = self.create()
        url = BASE + '/app_packages?filter=(eq,onboardingState,ONBOARDED)'
        self.assertEqual([onboarded['id']],
                         [p['id'] for p in self.app.get(url).json])
        url = BASE + '/app_packages?filter=(neq,onboardingState,ONBOARDED)'
        self.assertEqual([created['id']],
                         [p['id'] for p in self.app.get(url).json])
        expr = ('(in,onboardingState,CREATED,ONBOARDED);(eq,appDId,%s)'
                % onboarded['appDId'])
        resp = self.app.get(BASE + '/app_packages', params={'filter': expr})
        self.assertEqual([onboarded['id']], [p['id'] for p in resp.json])
        items = self.app.get(BASE + '/app_packages?exclude_default').json
        self.assertNotIn('softwareImages', items[0])
        self.assertIn('checksum' if 'checksum' in onboarded else 'id',
                      items[0])

    def test_bad_filters(self):
        for expr in ('eq,a,b', '(eq,nothing,1)', '(like,appName,x)',
                     "(eq,appName,'unbalanced)", '(eq,appName,a,b)'):
            resp = self.app.get(BASE + '/app_packages',
                                params={'filter': expr},
                                expect_errors=True)
            self.assertProblem(resp, 400)
        resp = self.app.get(BASE + '/app_packages?colour=red',
                            expect_errors=True)
        self.assertProblem(resp, 400, 'colour')

    def test_paging(self):
        self.config(max_limit=2, group='api')
        ids = [self.create()['id'] for _ in range(3)]
        resp = self.app.get(BASE + '/app_packages')
        self.assertEqual(ids[:2], [p['id'] for p in resp.json])
        link = resp.headers['Link']
        self.assertTrue(link.endswith('>; rel="next"'), link)
        resp = self.app.get(link[1:link.index('>')])
        self.assertEqual(ids[2:], [p['id'] for p in resp.json])
        self.assertNotIn('Link', resp.headers)
