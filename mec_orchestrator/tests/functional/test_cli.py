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
"""The real ``openstack mec`` command against the all-in-one."""

import json
import os
import subprocess
import sys
import zipfile

import requests


from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures

DATA = os.path.join(os.path.dirname(__file__), '..', 'data', 'packages')


class TestOpenStackCLI(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # EdgeGallery's packages carry placeholder manifest digests.
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'), {
            'packaging': {'allow_manifest_mismatch': 'true'}})
        self.aio.start()
        self.url = self.aio.url

    def openstack(self, *args, check=True):
        cmd = [os.path.join(os.path.dirname(sys.executable), 'openstack'),
               '--os-auth-type', 'none', '--os-endpoint', self.url] + list(
                   args)
        result = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=300)
        if check:
            self.assertEqual(0, result.returncode,
                             'stdout: %s\nstderr: %s' % (result.stdout,
                                                         result.stderr))
        return result

    def json(self, *args):
        return json.loads(self.openstack(*(args + ('-f', 'json'))).stdout)

    def test_conductors(self):
        conductors = self.json('mec', 'conductor', 'list')
        self.assertEqual(1, len(conductors))
        self.assertTrue(conductors[0]['alive'])
        table = self.openstack('mec', 'conductor', 'list').stdout
        self.assertIn('Last Heartbeat', table)
        ping = self.json('mec', 'conductor', 'ping',
                         conductors[0]['hostname'])
        self.assertEqual(conductors[0]['hostname'], ping['hostname'])

    def test_errors_print_the_detail(self):
        result = self.openstack('mec', 'conductor', 'show', 'ghost',
                                check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn('Conductor ghost could not be found', result.stderr)
        self.assertNotIn('Traceback', result.stderr)

    def test_app_package_lifecycle(self):
        path = os.path.join(DATA, 'edgegallery_apprules_container_app.csar')
        pkg = self.json('mec', 'app', 'package', 'create', '--file', path,
                        '--name', 'apprules', '--package-version', '1.0',
                        '--wait')
        self.assertEqual('ONBOARDED', pkg['onboardingState'])
        self.assertEqual('ENABLED', pkg['operationalState'])
        listed = self.json('mec', 'app', 'package', 'list', '--filter',
                           '(eq,onboardingState,ONBOARDED)')
        self.assertEqual([pkg['id']], [p['id'] for p in listed])
        appd = json.loads(self.openstack('mec', 'app', 'package', 'appd',
                                         'show', pkg['id']).stdout)
        self.assertEqual(pkg['appDId'], appd['appDId'])
        out = os.path.join(self.tmp, 'download.csar')
        self.openstack('mec', 'app', 'package', 'download', pkg['id'],
                       '--file', out)
        with open(path, 'rb') as a, open(out, 'rb') as b:
            self.assertEqual(a.read(), b.read())
        result = self.openstack('mec', 'app', 'package', 'delete',
                                pkg['id'], check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn('409', result.stderr)
        pkg = self.json('mec', 'app', 'package', 'disable', pkg['id'])
        self.assertEqual('DISABLED', pkg['operationalState'])
        self.openstack('mec', 'app', 'package', 'delete', pkg['id'])
        self.assertEqual([], self.json('mec', 'app', 'package', 'list'))

    def test_failed_onboarding_exits_non_zero(self):
        bad = os.path.join(self.tmp, 'bad.csar')
        with open(bad, 'wb') as f:
            f.write(b'not a zip at all')
        result = self.openstack('mec', 'app', 'package', 'create', '--file',
                                bad, '--wait', check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn('failed', result.stderr)
        self.assertIn('ERROR', result.stderr)
        self.assertNotIn('Traceback', result.stderr)

    def test_register_the_lab_as_a_vim(self):
        lab = lab_fixtures.require_lab(self)
        admin = lab.admin
        vim = self.json('mec', 'vim', 'register', 'lab-vim',
                        '--auth-url', lab.auth_url,
                        '--username', admin['username'],
                        '--password', admin['password'],
                        '--project-name', admin['project_name'],
                        '--user-domain-name', 'Default',
                        '--project-domain-name', 'Default',
                        '--site', 'site-a')
        self.assertEqual('REACHABLE', vim['status'])
        self.assertNotIn(admin['password'], json.dumps(vim))
        self.assertIn('orchestration', json.dumps(vim['capabilities']))
        vims = self.json('mec', 'vim', 'list')
        self.assertEqual(['lab-vim'], [v['name'] for v in vims])

        hosts = base.wait_for(
            lambda: self.json('mec', 'host', 'list', '--vim', vim['id']),
            timeout=60, what='the discovered MEC hosts')
        host = self.json('mec', 'host', 'set', hosts[0]['id'],
                         '--latency', 'downtown=4.5', '--mep-endpoint',
                         'https://mep.site-a.example')
        self.assertEqual({'downtown': 4.5}, host['latencies'])
        self.assertEqual('site-a', host['site'])

        # Placement over it, and a grant.
        package = os.path.join(self.tmp, 'location-app.csar')
        with zipfile.ZipFile(package, 'w') as z:
            z.writestr('TOSCA-Metadata/TOSCA.meta',
                       'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                       'Created-By: tests\nEntry-Definitions: appd.json\n')
            z.write(os.path.join(DATA, 'plain_appd.json'), 'appd.json')
        pkg = self.json('mec', 'app', 'package', 'create', '--file', package,
                        '--wait')
        ranked = self.json('mec', 'placement', 'preview', pkg['appDId'],
                           '--user-area', 'downtown', '--rejected')
        self.assertEqual([(hosts[0]['id'], 'services')],
                         [(r['id'], r['filter']) for r in ranked])
        self.json('mec', 'host', 'set', hosts[0]['id'],
                  '--platform-services',
                  '[{"serName": "LocationService", "version": "2.1.1"}]')
        ranked = self.json('mec', 'placement', 'preview', pkg['appDId'],
                           '--user-area', 'downtown')
        self.assertEqual([(hosts[0]['id'], True)],
                         [(r['id'], r['chosen']) for r in ranked])
        resp = requests.post(self.url + '/granting/v1/grants', json={
            'appInstanceId': 'i-1', 'appLcmOpOccId': 'o-1',
            'appDId': pkg['appDId'], 'operation': 'INSTANTIATE'},
            timeout=60)
        self.assertEqual(201, resp.status_code, resp.text)
        grant = self.json('mec', 'grant', 'show', resp.json()['id'])
        self.assertEqual(vim['id'], grant['vimConnections'][0]['id'])
        requests.post(self.url + '/granting/v1/grants', json={
            'appInstanceId': 'i-1', 'appLcmOpOccId': 'o-2',
            'appDId': pkg['appDId'], 'operation': 'TERMINATE'}, timeout=60)

        result = self.openstack('mec', 'vim', 'register', 'lab-vim',
                                '--auth-url', lab.auth_url,
                                '--username', admin['username'],
                                '--password', 'wrong',
                                '--project-name', admin['project_name'],
                                check=False)
        self.assertEqual(1, result.returncode)
        self.assertNotIn('Traceback', result.stderr)
        self.openstack('mec', 'vim', 'delete', vim['id'])
        self.assertEqual([], self.json('mec', 'vim', 'list'))
