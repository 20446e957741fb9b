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
from mec_orchestrator.tests.functional import cluster
from mec_orchestrator.tests.functional import lab as lab_fixtures

DATA = os.path.join(os.path.dirname(__file__), '..', 'data', 'packages')


class CommandMixin(object):
    """Runs the real ``openstack`` command."""

    def auth_args(self):
        return ['--os-auth-type', 'none', '--os-endpoint', self.url]

    def openstack(self, *args, check=True):
        cmd = [os.path.join(os.path.dirname(sys.executable), 'openstack')
               ] + self.auth_args() + list(args)
        result = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=300)
        if check:
            self.assertEqual(0, result.returncode,
                             'stdout: %s\nstderr: %s' % (result.stdout,
                                                         result.stderr))
        return result

    def json(self, *args):
        return json.loads(self.openstack(*(args + ('-f', 'json'))).stdout)


class TestOpenStackCLI(CommandMixin, base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # EdgeGallery's packages carry placeholder manifest digests.
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'), {
            'packaging': {'allow_manifest_mismatch': 'true'}})
        self.aio.start()
        self.url = self.aio.url

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


class LifecycleCLITestCase(CommandMixin, base.FunctionalTestCase):
    """An app's whole lifecycle with ``openstack mec``, on the lab."""

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.project = self.useFixture(lab_fixtures.LabProject(
            self.lab, admin=True, prefix='mec-cli'))
        self.conn = self.project.connection()
        self.csar = os.path.join(self.tmp, 'vmtest.csar')
        with open(self.csar, 'wb') as f:
            f.write(cluster.vm_package(self.lab.image))

    def start_aio(self, sections):
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'),
                                 sections)
        self.aio.start()
        self.url = self.aio.url

    def register_vim(self):
        vim = self.json('mec', 'vim', 'register', 'lab',
                        '--auth-url', self.lab.auth_url,
                        '--username', self.project.username,
                        '--password', self.project.password,
                        '--project-name', self.project.project_name,
                        '--user-domain-name', 'Default',
                        '--project-domain-name', 'Default')
        base.wait_for(lambda: self.json('mec', 'host', 'list', '--vim',
                                        vim['id']),
                      timeout=90, what='the lab VIM hosts')

    def lifecycle(self):
        pkg = self.json('mec', 'app', 'package', 'create', '--file',
                        self.csar, '--wait')
        inst = self.json('mec', 'app', 'instance', 'create', pkg['appDId'],
                         '--name', 'cam-1')
        self.assertEqual('NOT_INSTANTIATED', inst['instantiationState'])
        op = self.json('mec', 'app', 'instance', 'instantiate', 'cam-1',
                       '--param', 'network=%s' % self.lab.network, '--wait')
        self.assertEqual('COMPLETED', op['operationState'])
        shown = self.json('mec', 'app', 'instance', 'show', 'cam-1')
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        stack = 'mec-%s' % inst['id']
        self.assertEqual(['CREATE_COMPLETE'], [
            s.status for s in self.conn.orchestration.stacks()
            if s.name == stack])
        for command, state in (('stop', 'STOPPED'), ('start', 'STARTED')):
            op = self.json('mec', 'app', 'instance', command, 'cam-1',
                           '--wait')
            self.assertEqual('COMPLETED', op['operationState'])
            self.assertEqual(state, self.json(
                'mec', 'app', 'instance', 'show', inst['id'])[
                    'instantiatedAppState']['operationalState'])
        op = self.json('mec', 'app', 'instance', 'terminate', 'cam-1',
                       '--wait')
        self.assertEqual('COMPLETED', op['operationState'])
        ops = self.json('mec', 'app', 'op', 'list', '--instance',
                        inst['id'])
        self.assertEqual(['INSTANTIATE', 'OPERATE', 'OPERATE', 'TERMINATE'],
                         sorted(o['lcmOperation'] for o in ops))
        self.assertEqual({'COMPLETED'},
                         {o['operationState'] for o in ops})
        table = self.openstack('mec', 'app', 'op', 'list').stdout
        self.assertIn('Operation State', table)
        self.openstack('mec', 'app', 'instance', 'delete', 'cam-1')
        self.assertEqual([], self.json('mec', 'app', 'instance', 'list'))
        self.assertEqual([], [s for s in self.conn.orchestration.stacks()
                              if s.name == stack
                              and s.status != 'DELETE_COMPLETE'])



class TestLifecycleCLI(LifecycleCLITestCase):

    def test_lifecycle_on_the_all_in_one(self):
        self.start_aio({})
        self.register_vim()
        self.lifecycle()

    def test_failed_instantiation_exits_with_the_detail(self):
        self.start_aio({})
        self.register_vim()
        pkg = self.json('mec', 'app', 'package', 'create', '--file',
                        self.csar, '--wait')
        self.json('mec', 'app', 'instance', 'create', pkg['appDId'],
                  '--name', 'broken')
        result = self.openstack('mec', 'app', 'instance', 'instantiate',
                                'broken', '--param', 'network=nowhere',
                                '--wait', check=False)
        self.assertEqual(1, result.returncode)
        self.assertIn('nowhere', result.stderr)
        self.assertNotIn('Traceback', result.stderr)
        [op] = self.json('mec', 'app', 'op', 'list')
        self.assertEqual('FAILED_TEMP', op['operationState'])
        self.json('mec', 'app', 'op', 'rollback', op['id'], '--wait')
        self.assertEqual('ROLLED_BACK', self.json(
            'mec', 'app', 'op', 'show', op['id'])['operationState'])


class TestLifecycleCLIWithKeystone(LifecycleCLITestCase):
    """The same behind the lab's Keystone, the endpoint from its catalog."""

    def auth_args(self):
        return ['--os-auth-url', self.lab.auth_url,
                '--os-username', self.project.username,
                '--os-password', self.project.password,
                '--os-project-name', self.project.project_name,
                '--os-user-domain-name', 'Default',
                '--os-project-domain-name', 'Default',
                '--os-region-name', self.lab.region]

    def start_aio(self, sections):
        sections = dict(sections, **base.keystone_sections(self.lab))
        super().start_aio(sections)
        # The catalog's entry for the all-in-one, in the lab's region (a
        # region of its own would make the lab's catalog ambiguous for the
        # tests that register it as a VIM meanwhile).
        admin = self.lab.admin_connection()
        service = admin.identity.create_service(
            type='mec-orchestration',
            name='mec-%s' % self.project.project_name)
        self.addCleanup(admin.identity.delete_service, service)
        endpoint = admin.identity.create_endpoint(
            service_id=service.id, interface='public', url=self.url,
            region_id=self.lab.region)
        self.addCleanup(admin.identity.delete_endpoint, endpoint)

    def test_lifecycle_behind_keystone(self):
        self.start_aio({})
        self.register_vim()
        self.lifecycle()
