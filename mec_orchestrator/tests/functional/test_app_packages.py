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
"""App packages through the all-in-one: onboarding from a real HTTP
server (appPkgPath) and by upload, with notifications delivered to a real
callback server, and the SSRF guard refusing internal targets."""

import base64
import hashlib
import os
import time

import requests

from mec_orchestrator.tests.functional import base

DATA = os.path.join(os.path.dirname(__file__), '..', 'data', 'packages')
PKGM = '/app_pkgm/v1'


class TestAppPackages(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        with open(os.path.join(DATA,
                               'edgegallery_apprules_container_app.csar'),
                  'rb') as f:
            self.csar = f.read()
        self.server = base.HttpServer({'/pkg.csar': self.csar})
        self.addCleanup(self.server.stop)
        # The callback server and the package server are local; the
        # operator allows exactly that network.
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'), {
            'outbound': {'allowed_networks': '127.0.0.1/32',
                         'verify_callback_on_subscribe': 'true'},
            'packaging': {'allow_manifest_mismatch': 'true'},
        })
        self.aio.start()
        self.url = self.aio.url

    def _wait(self, pkg_id):
        def done():
            pkg = requests.get('%s%s/app_packages/%s' % (
                self.url, PKGM, pkg_id), timeout=10).json()
            return pkg if pkg['onboardingState'] in (
                'ONBOARDED', 'ERROR') else None
        return base.wait_for(done, timeout=60, what='onboarding')

    def _notifications(self, count):
        return base.wait_for(
            lambda: (self.server.received
                     if len(self.server.received) >= count else None),
            timeout=60, what='%d notifications' % count)

    def test_fetch_onboard_notify_disable_delete(self):
        sub = requests.post(self.url + PKGM + '/subscriptions', json={
            'callbackUri': self.server.url + '/callback',
            'subsctiptionType': 'AppPackageOnBoarding',
            'authentication': {'authType': ['BASIC'], 'paramsBasic': {
                'userName': 'mec', 'password': 'cb-secret-1'}}},
            timeout=30)
        self.assertEqual(201, sub.status_code, sub.text)
        self.assertNotIn('cb-secret-1', sub.text)
        for kind in ('AppPacakgeOperationChange', 'AppPackageDeletion'):
            resp = requests.post(self.url + PKGM + '/subscriptions', json={
                'callbackUri': self.server.url + '/callback',
                'subscriptionType': kind}, timeout=30)
            self.assertEqual(201, resp.status_code, resp.text)

        started = time.monotonic()
        resp = requests.post(self.url + PKGM + '/app_packages', json={
            'appPkgName': 'apprules', 'appPkgVersion': '1.0',
            'appPkgPath': self.server.url + '/pkg.csar',
            'checksum': {'algorithm': 'SHA-256',
                         'hash': hashlib.sha256(self.csar).hexdigest()}},
            timeout=30)
        self.assertEqual(201, resp.status_code, resp.text)
        self.assertLess(time.monotonic() - started, 5)
        pkg = self._wait(resp.json()['id'])
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))

        note = self._notifications(1)[0]
        self.assertEqual('AppPackageOnBoarded', note['notificationType'])
        self.assertEqual(pkg['id'], note['appPkgId'])
        self.assertEqual(pkg['appDId'], note['appDId'])
        self.assertEqual(sub.json()['id'], note['subscriptionId'])
        self.assertEqual('Basic ' + base64.b64encode(
            b'mec:cb-secret-1').decode(),
            self.server.headers[0]['Authorization'])

        url = '%s%s/app_packages/%s' % (self.url, PKGM, pkg['id'])
        resp = requests.patch(url, json={'operationState': 'DISABLED'},
                              timeout=30)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(204, requests.delete(url, timeout=30).status_code)
        notes = self._notifications(3)
        self.assertEqual(['AppPackageOnBoarded', 'AppPacakgeDisabled',
                          'AppPackageDeleted'],
                         [n['notificationType'] for n in notes])

        log = '\n'.join(self.aio.logs().values())
        self.assertNotIn('cb-secret-1', log)
        with open(os.path.join(self.tmp, 'state',
                               'mec-orchestrator.sqlite'), 'rb') as f:
            self.assertNotIn(b'cb-secret-1', f.read())

    def test_internal_targets_are_refused(self):
        for uri in ('http://169.254.169.254/latest/meta-data/',
                    'http://10.0.0.1/pkg.csar', 'file:///etc/passwd',
                    'ftp://127.0.0.1/pkg.csar'):
            resp = requests.post(self.url + PKGM + '/subscriptions', json={
                'callbackUri': uri,
                'subsctiptionType': 'AppPackageOnBoarding'}, timeout=30)
            self.assertEqual(400, resp.status_code, (uri, resp.text))
            self.assertEqual('application/problem+json',
                             resp.headers['Content-Type'])
            resp = requests.post(self.url + PKGM + '/app_packages', json={
                'appPkgName': 'x', 'appPkgVersion': '1', 'appPkgPath': uri},
                timeout=30)
            self.assertEqual(201, resp.status_code, resp.text)
            pkg = self._wait(resp.json()['id'])
            self.assertEqual('ERROR', pkg['onboardingState'])
            self.assertEqual(400, pkg['onboardingFailureDetails']['status'])
        subs = requests.get(self.url + PKGM + '/subscriptions',
                            timeout=30).json()
        self.assertEqual([], subs['_links']['subscriptions'])

    def test_upload_of_a_large_package_streams(self):
        # A package padded with a 20 MB artifact onboards without the
        # service holding it in memory (the store is a file).
        import io
        import zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_STORED) as z:
            z.writestr('TOSCA-Metadata/TOSCA.meta',
                       'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                       'Created-By: tests\nEntry-Definitions: appd.json\n')
            with open(os.path.join(DATA, 'plain_appd.json'), 'rb') as f:
                z.writestr('appd.json', f.read())
            z.writestr('Artifacts/blob.bin', os.urandom(20 * 1024 * 1024))
        content = buf.getvalue()
        resp = requests.post(self.url + PKGM + '/app_packages', json={
            'appPkgName': 'big', 'appPkgVersion': '1'}, timeout=30)
        pkg_id = resp.json()['id']
        resp = requests.put('%s%s/app_packages/%s/package_content' % (
            self.url, PKGM, pkg_id), data=content,
            headers={'Content-Type': 'application/zip'}, timeout=120)
        self.assertEqual(202, resp.status_code, resp.text)
        pkg = self._wait(pkg_id)
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        got = requests.get('%s%s/app_packages/%s/package_content' % (
            self.url, PKGM, pkg_id), timeout=120)
        self.assertEqual(hashlib.sha256(content).hexdigest(),
                         hashlib.sha256(got.content).hexdigest())
