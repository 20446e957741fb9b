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
"""The app lifecycle end to end against the lab: the EdgeGallery VM
sample onboarded through the all-in-one, instantiated as a real Heat stack
with a Nova server (fake virt driver) and Neutron ports, stopped, started,
terminated and deleted, with every notification received by a real
callback server and checked against the MEC 010-2 AppLcm OpenAPI file."""

import os
import time

import requests

from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import cluster
from mec_orchestrator.tests.functional import lab as lab_fixtures
from mec_orchestrator.tests import spec

LCM = '/app_lcm/v1'
SPEC = spec.app_lcm()


class LabLcmTestCase(base.FunctionalTestCase):
    """The all-in-one with the OpenStack infra driver and a lab VIM."""

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.project = self.useFixture(lab_fixtures.LabProject(
            self.lab, admin=True, prefix='mec-lcm'))
        self.conn = self.project.connection()
        self.server = base.HttpServer()
        self.addCleanup(self.server.stop)
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'),
                                 self.aio_sections())
        self.aio.start()

    def aio_sections(self):
        return {
            'outbound': {'allowed_networks': '127.0.0.1/32',
                         'verify_callback_on_subscribe': 'false'},
            'drivers': {'infra_drivers': 'openstack,fake'},
            'openstack': {'stack_timeout': '300', 'poll_interval': '0.25',
                          'max_poll_interval': '2'},
            'app_lcm': {'reconcile_interval': '0'},
        }

    def register_vim(self):
        vim = self.aio.call('POST', '/v1/vims', {
            'name': 'lab', 'site': 'lab', 'auth_url': self.lab.auth_url,
            'username': self.project.username,
            'password': self.project.password,
            'project_name': self.project.project_name,
            'user_domain_name': 'Default',
            'project_domain_name': 'Default'}, status=201).json()
        base.wait_for(
            lambda: self.aio.call('GET', '/v1/mec_hosts?vim_id=%s'
                                  % vim['id']).json()['mec_hosts'],
            timeout=90, what='the lab VIM hosts')
        return vim

    def onboard(self):
        pkg = self.aio.call('POST', '/app_pkgm/v1/app_packages', {
            'appPkgName': 'vmtest', 'appPkgVersion': '1'},
            status=201).json()
        resp = requests.put(
            '%s/app_pkgm/v1/app_packages/%s/package_content' % (
                self.aio.url, pkg['id']),
            data=cluster.vm_package(self.lab.image),
            headers={'Content-Type': 'application/zip'}, timeout=60)
        self.assertEqual(202, resp.status_code, resp.text)
        pkg = base.wait_for(
            lambda: (lambda p: p if p['onboardingState'] in (
                'ONBOARDED', 'ERROR') else None)(self.aio.call(
                    'GET', '/app_pkgm/v1/app_packages/%s'
                    % pkg['id']).json()),
            timeout=60, what='onboarding')
        self.assertEqual('ONBOARDED', pkg['onboardingState'], pkg)
        return pkg

    def task(self, inst_id, task, body, until=('COMPLETED', 'FAILED_TEMP',
                                               'FAILED', 'ROLLED_BACK'),
             timeout=240):
        resp = self.aio.call('POST', '%s/app_instances/%s/%s' % (
            LCM, inst_id, task), body, status=202)
        return self.wait_op(resp.headers['Location'], until, timeout)

    def wait_op(self, url, until=('COMPLETED', 'FAILED_TEMP', 'FAILED',
                                  'ROLLED_BACK'), timeout=240):
        def done():
            op = requests.get(url, timeout=30).json()
            return op if op['operationState'] in until else None
        return base.wait_for(done, timeout=timeout, interval=0.25,
                             what='the op-occ at %s' % url)

    def stacks(self, inst_id):
        return [s for s in self.conn.orchestration.stacks()
                if s.name == 'mec-%s' % inst_id
                and s.status != 'DELETE_COMPLETE']

    def server_of(self, inst_id):
        stack = self.stacks(inst_id)[0]
        servers = [r for r in self.conn.orchestration.resources(stack)
                   if r.resource_type == 'OS::Nova::Server']
        self.assertEqual(1, len(servers))
        return self.conn.compute.get_server(servers[0].physical_resource_id)


class TestVmAppLifecycle(LabLcmTestCase):

    def test_from_onboarding_to_deletion_with_notifications(self):
        self.register_vim()
        pkg = self.onboard()
        for kind in ('AppLcmOpOccStateChange', 'AppInstanceStateChange'):
            sub = self.aio.call('POST', LCM + '/subscriptions', {
                'subscriptionType': kind,
                'callbackUri': self.server.url + '/' + kind},
                status=201).json()
            spec.validate_response(SPEC, '/subscriptions', 'post', 201, sub)

        inst = self.aio.call('POST', LCM + '/app_instances', {
            'appDId': pkg['appDId'], 'appInstanceName': 'vmtest'},
            status=201).json()
        self.assertEqual('IN_USE', self.aio.call(
            'GET', '/app_pkgm/v1/app_packages/%s' % pkg['id']).json()[
                'usageState'])
        started = time.monotonic()
        op = self.task(inst['id'], 'instantiate', {
            'additionalParams': {'network': self.lab.network}})
        self.assertEqual('COMPLETED', op['operationState'], op)
        instantiate_s = time.monotonic() - started
        spec.validate_response(SPEC, '/app_lcm_op_occs/{appLcmOpOccId}',
                               'get', 200, op)

        shown = self.aio.call('GET', '%s/app_instances/%s' % (
            LCM, inst['id'])).json()
        spec.validate_response(SPEC, '/app_instances/{appInstanceId}',
                               'get', 200, shown)
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        self.assertNotIn(self.project.password, str(shown))
        [stack] = self.stacks(inst['id'])
        self.assertEqual('CREATE_COMPLETE', stack.status)
        server = self.server_of(inst['id'])
        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(512, server.flavor['ram'])

        op = self.task(inst['id'], 'operate', {'changeStateTo': 'STOPPED'})
        self.assertEqual('COMPLETED', op['operationState'], op)
        self.assertEqual('SHUTOFF', self.conn.compute.get_server(
            server.id).status)
        op = self.task(inst['id'], 'operate', {'changeStateTo': 'STARTED'})
        self.assertEqual('COMPLETED', op['operationState'], op)
        self.assertEqual('ACTIVE', self.conn.compute.get_server(
            server.id).status)

        op = self.task(inst['id'], 'terminate',
                       {'terminationType': 'FORCEFUL'})
        self.assertEqual('COMPLETED', op['operationState'], op)
        self.assertEqual([], self.stacks(inst['id']))
        self.aio.call('DELETE', '%s/app_instances/%s' % (LCM, inst['id']),
                      status=204)
        self.assertEqual('NOT_IN_USE', self.aio.call(
            'GET', '/app_pkgm/v1/app_packages/%s' % pkg['id']).json()[
                'usageState'])

        received = base.wait_for(
            lambda: (self.server.received
                     if len(self.server.received) >= 16 else None),
            timeout=60, what='16 notifications')
        ops = [n for n in received if 'appLcmOpOccId' in n]
        insts = [n for n in received if 'appLcmOpOccId' not in n]
        for n in ops:
            spec.validate_schema(SPEC, 'AppLcmOpOccNotification', n)
        for n in insts:
            spec.validate_schema(SPEC, 'AppInstNotification', n)
        by_op = {}
        for n in ops:
            by_op.setdefault((n['appLcmOpOccId'], n['operation']),
                             []).append(n['notificationType'])
        self.assertEqual(4, len(by_op))
        for states in by_op.values():
            self.assertEqual(['STARTING', 'PROCESSING', 'COMPLETED'],
                             sorted(states, key=['STARTING', 'PROCESSING',
                                                 'COMPLETED'].index))
        self.assertEqual(['STARTED', 'STOPPED', 'STARTED',
                          'NOT_INSTANTIATED'],
                         [n['notificationType'] for n in insts])
        self.addDetail('instantiate seconds',
                       __import__('testtools').content.text_content(
                           '%.1f' % instantiate_s))

    def test_heat_failure_then_rollback_leaves_nothing(self):
        self.register_vim()
        pkg = self.onboard()
        inst = self.aio.call('POST', LCM + '/app_instances', {
            'appDId': pkg['appDId']}, status=201).json()
        op = self.task(inst['id'], 'instantiate', {
            'additionalParams': {'network': 'no-such-network'}})
        self.assertEqual('FAILED_TEMP', op['operationState'], op)
        self.assertIn('no-such-network', op['error']['detail'])
        self.assertIn('step infra', op['error']['detail'])
        resp = self.aio.call('POST', '%s/app_lcm_op_occs/%s/rollback' % (
            LCM, op['id']), status=202)
        del resp
        op = self.wait_op(op['_links']['self']['href'])
        self.assertEqual('ROLLED_BACK', op['operationState'], op)
        self.assertEqual([], self.stacks(inst['id']))
        shown = self.aio.call('GET', '%s/app_instances/%s' % (
            LCM, inst['id'])).json()
        self.assertEqual('NOT_INSTANTIATED', shown['instantiationState'])
        self.aio.call('DELETE', '%s/app_instances/%s' % (LCM, inst['id']),
                      status=204)
