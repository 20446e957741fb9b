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
"""/app_lcm/v1 through the real pipeline and an in-process conductor,
with the fake infrastructure driver, checked against the MEC 010-2
AppLcm OpenAPI file."""

import time
from unittest import mock

from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import notifier
from mec_orchestrator.drivers import fake
from mec_orchestrator.tests import spec
from mec_orchestrator.tests.unit.api import base
from mec_orchestrator.tests.unit.conductor import test_placement

BASE = '/app_lcm/v1'
SPEC = spec.app_lcm()


def wait_op(test, op_url, states=('COMPLETED', 'FAILED_TEMP', 'FAILED',
                                  'ROLLED_BACK'), timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        op = test.app.get(op_url).json
        if op['operationState'] in states:
            return op
        if time.monotonic() > deadline:
            test.fail('op-occ still %s after %d s' % (op['operationState'],
                                                      timeout))
        time.sleep(0.02)


class LcmTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.set_identity(['member', 'reader'], project_id='project-a')
        self.config(vm_vim_types=['openstack', 'fake'], group='placement')
        self.config(verify_callback_on_subscribe=False, group='outbound')
        appd = test_placement.appd()
        self.app_d_id = appd['appDId']
        self.package = self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'project-a',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_provider': appd.get('appProvider'),
            'app_name': appd.get('appName'),
            'app_d_id': self.app_d_id, 'appd': appd,
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        self.vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'fake', 'status': 'REACHABLE', 'site': 'paris',
            'access': {'auth_url': 'https://keystone.edge/v3'},
            'credentials': None})
        self.host = self.dbapi.sync_mec_hosts(self.vim.id, [{
            'discovery_key': 'az:edge', 'name': 'edge', 'zone': 'edge-az',
            'aggregate': None, 'vcpus': 4, 'vcpus_used': 0,
            'memory_mb': 8192, 'memory_mb_used': 0, 'disk_gb': 40,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.dbapi.update_mec_host(self.host.id, {
            'platform_services': test_placement.LOCATION})
        self.sent = []
        real_notify = notifier.Notifier.notify

        def record(notifier_self, sub, notification, on_result=None):
            self.sent.append((sub.id, notification))

        self.useFixture_patch = mock.patch.object(
            notifier.Notifier, 'notify', autospec=True, side_effect=record)
        self.useFixture_patch.start()
        self.addCleanup(self.useFixture_patch.stop)
        del real_notify

    def create(self, **extra):
        body = {'appDId': self.app_d_id}
        body.update(extra)
        resp = self.app.post_json(BASE + '/app_instances', body)
        self.assertEqual(201, resp.status_int)
        return resp.json

    def task(self, inst_id, task, body, status=202):
        resp = self.app.post_json(
            '%s/app_instances/%s/%s' % (BASE, inst_id, task), body,
            expect_errors=status != 202)
        self.assertEqual(status, resp.status_int, resp.text)
        return resp

    def run_task(self, inst_id, task, body,
                 until=('COMPLETED', 'FAILED_TEMP', 'FAILED',
                        'ROLLED_BACK')):
        resp = self.task(inst_id, task, body)
        self.assertEqual('', resp.text)
        return wait_op(self, resp.headers['Location'], until)

    def instantiated(self):
        inst = self.create(appInstanceName='cam')
        op = self.run_task(inst['id'], 'instantiate', {})
        self.assertEqual('COMPLETED', op['operationState'], op)
        return inst


class TestAppInstances(LcmTestCase):

    def test_lifecycle_end_to_end(self):
        inst = self.create(appInstanceName='cam',
                           appInstanceDescription='a camera')
        spec.validate_response(SPEC, '/app_instances', 'post', 201, inst)
        self.assertEqual('NOT_INSTANTIATED', inst['instantiationState'])
        self.assertIn('instantiate', inst['_links'])
        self.assertEqual('IN_USE', self.dbapi.get_app_package(
            self.package.id).usage_state)

        op = self.run_task(inst['id'], 'instantiate', {})
        spec.validate_response(SPEC, '/app_lcm_op_occs/{appLcmOpOccId}',
                               'get', 200, op)
        self.assertEqual('COMPLETED', op['operationState'])
        self.assertEqual('INSTANTIATE', op['lcmOperation'])
        shown = self.app.get(inst['_links']['self']['href']).json
        spec.validate_response(SPEC, '/app_instances/{appInstanceId}',
                               'get', 200, shown)
        self.assertEqual('INSTANTIATED', shown['instantiationState'])
        self.assertEqual({'operationalState': 'STARTED'},
                         shown['instantiatedAppState'])
        self.assertEqual('edge', shown['mecHostInformation']['hostName'])
        self.assertEqual(self.vim.id, shown['vimConnectionInfo'][0]['id'])
        self.assertEqual(1, len(self.dbapi.list_allocations(
            consumer_id=inst['id'])))

        op = self.run_task(inst['id'], 'operate',
                           {'changeStateTo': 'STOPPED'})
        self.assertEqual('COMPLETED', op['operationState'])
        self.assertEqual('STOPPED', self.app.get(
            inst['_links']['self']['href']).json['instantiatedAppState'][
                'operationalState'])
        op = self.run_task(inst['id'], 'operate',
                           {'changeStateTo': 'STARTED'})
        self.assertEqual('COMPLETED', op['operationState'])

        op = self.run_task(inst['id'], 'terminate',
                           {'terminationType': 'GRACEFUL',
                            'gracefulTerminationTimeout': 5})
        self.assertEqual('COMPLETED', op['operationState'])
        shown = self.app.get(inst['_links']['self']['href']).json
        self.assertEqual('NOT_INSTANTIATED', shown['instantiationState'])
        self.assertNotIn('mecHostInformation', shown)
        self.assertEqual([], self.dbapi.list_allocations(
            consumer_id=inst['id']))

        listed = self.app.get(BASE + '/app_lcm_op_occs').json
        spec.validate_response(SPEC, '/app_lcm_op_occs', 'get', 200, listed)
        self.assertEqual(['INSTANTIATE', 'OPERATE', 'OPERATE', 'TERMINATE'],
                         [o['lcmOperation'] for o in listed])

        resp = self.app.delete(inst['_links']['self']['href'])
        self.assertEqual(204, resp.status_int)
        self.assertEqual('NOT_IN_USE', self.dbapi.get_app_package(
            self.package.id).usage_state)
        self.assertProblem(self.app.get(inst['_links']['self']['href'],
                                        expect_errors=True), 404)

    def test_list_filters_and_selectors(self):
        self.create(appInstanceName='a')
        b = self.create(appInstanceName='b')
        listed = self.app.get(BASE + '/app_instances',
                              {'filter': '(eq,appInstanceName,b)'}).json
        spec.validate_response(SPEC, '/app_instances', 'get', 200, listed)
        self.assertEqual([b['id']], [i['id'] for i in listed])
        resp = self.app.get(BASE + '/app_instances',
                            {'filter': '(eq,nope,b)'}, expect_errors=True)
        self.assertProblem(resp, 400)

    def test_unknown_or_disabled_package(self):
        resp = self.app.post_json(BASE + '/app_instances',
                                  {'appDId': 'no-such-appd'},
                                  expect_errors=True)
        self.assertProblem(resp, 404, 'no-such-appd')
        self.dbapi.update_app_package(self.package.id,
                                      {'operational_state': 'DISABLED'})
        resp = self.app.post_json(BASE + '/app_instances',
                                  {'appDId': self.app_d_id},
                                  expect_errors=True)
        self.assertProblem(resp, 409, 'ENABLED')
        self.assertEqual([], self.dbapi.list_app_instances())

    def test_instantiate_a_disabled_package(self):
        inst = self.create()
        self.dbapi.update_app_package(self.package.id,
                                      {'operational_state': 'DISABLED'})
        self.assertProblem(self.task(inst['id'], 'instantiate', {}, 409),
                           409, 'ENABLED')
        self.assertEqual([], self.dbapi.list_app_lcm_ops())

    def test_wrong_states_are_conflicts_and_change_nothing(self):
        inst = self.create()
        self.assertProblem(self.task(inst['id'], 'terminate',
                                     {'terminationType': 'FORCEFUL'}, 409),
                           409, 'INSTANTIATED')
        self.assertProblem(self.task(inst['id'], 'operate',
                                     {'changeStateTo': 'STOPPED'}, 409),
                           409)
        inst = self.instantiated()
        self.assertProblem(self.task(inst['id'], 'instantiate', {}, 409),
                           409, 'NOT_INSTANTIATED')
        self.assertProblem(self.task(inst['id'], 'operate',
                                     {'changeStateTo': 'STARTED'}, 409),
                           409, 'STARTED')
        resp = self.app.delete('%s/app_instances/%s' % (BASE, inst['id']),
                               expect_errors=True)
        self.assertProblem(resp, 409, 'terminate it first')
        self.assertEqual('INSTANTIATED', self.dbapi.get_app_instance(
            inst['id']).instantiation_state)

    def test_one_operation_at_a_time(self):
        inst = self.create()
        op = self.dbapi.start_app_lcm_op({
            'id': uuidutils.generate_uuid(), 'project_id': 'project-a',
            'app_instance_id': inst['id'], 'operation': 'INSTANTIATE',
            'operation_params': {}},
            expected={'instantiation_state': 'NOT_INSTANTIATED'})
        body = self.assertProblem(self.task(inst['id'], 'instantiate', {},
                                            409), 409)
        self.assertIn(op.id, body['detail'])
        resp = self.app.delete('%s/app_instances/%s' % (BASE, inst['id']),
                               expect_errors=True)
        self.assertProblem(resp, 409, 'in progress')

    def test_bad_bodies(self):
        inst = self.create()
        for task, body, detail in [
                ('terminate', {}, 'terminationType'),
                ('terminate', {'terminationType': 'SOFT'}, 'SOFT'),
                ('terminate', {'terminationType': 'FORCEFUL',
                               'gracefulTerminationTimeout': 3},
                 'GRACEFUL'),
                ('operate', {'changeStateTo': 'STARTED',
                             'stopType': 'FORCEFUL'}, 'STOPPED'),
                ('operate', {'changeStateTo': 'STOPPED',
                             'stopType': 'GRACEFUL'}, 'gracefulStopTimeout'),
                ('operate', {'changeStateTo': 'STOPPED',
                             'gracefulStopTimeout': 'ten'}, 'ten'),
                ('instantiate', {'selectedMECHostInfo': []}, 'non-empty'),
                ('instantiate', {'unknown': 1}, 'unknown'),
                ('instantiate', [], 'object')]:
            resp = self.task(inst['id'], task, body, 400)
            self.assertProblem(resp, 400, detail)
        resp = self.app.post_json(BASE + '/app_instances', {},
                                  expect_errors=True)
        self.assertProblem(resp, 400, 'appDId')
        resp = self.app.post(BASE + '/app_instances', '{not json',
                             content_type='application/json',
                             expect_errors=True)
        self.assertProblem(resp, 400)
        self.assertEqual([], self.dbapi.list_app_lcm_ops())

    def test_another_projects_instance_is_not_found(self):
        inst = self.create()
        self.set_identity(['member', 'reader'], project_id='project-b')
        url = '%s/app_instances/%s' % (BASE, inst['id'])
        self.assertProblem(self.app.get(url, expect_errors=True), 404)
        self.assertProblem(self.task(inst['id'], 'instantiate', {}, 404),
                           404)
        self.assertProblem(self.app.delete(url, expect_errors=True), 404)
        self.assertEqual([], self.app.get(BASE + '/app_instances').json)

    def test_reader_cannot_instantiate(self):
        inst = self.create()
        self.set_identity(['reader'], project_id='project-a')
        self.assertProblem(self.task(inst['id'], 'instantiate', {}, 403),
                           403)

    def test_selected_host_that_does_not_fit_fails_the_operation(self):
        inst = self.create()
        op = self.run_task(inst['id'], 'instantiate', {
            'selectedMECHostInfo': [{'hostId': {'id': 'elsewhere'}}]})
        self.assertEqual('FAILED_TEMP', op['operationState'])
        self.assertEqual(409, op['error']['status'])
        self.assertIn('placement', op['error']['detail'])


class TestErrorHandling(LcmTestCase):

    def fail_infra(self, reason='Heat: Quota exceeded'):
        patcher = mock.patch.object(
            fake.FakeInfraDriver, 'create', autospec=True,
            side_effect=exception.InfraError(reason=reason))
        patcher.start()
        self.addCleanup(patcher.stop)
        return patcher

    def failed_instantiation(self):
        inst = self.create()
        patcher = self.fail_infra()
        op = self.run_task(inst['id'], 'instantiate', {})
        patcher.stop()
        self.assertEqual('FAILED_TEMP', op['operationState'])
        spec.validate_response(SPEC, '/app_lcm_op_occs/{appLcmOpOccId}',
                               'get', 200, op)
        return inst, op

    def act(self, op, action, status=202):
        resp = self.app.post_json(
            '%s/app_lcm_op_occs/%s/%s' % (BASE, op['id'], action), {},
            expect_errors=status >= 400)
        self.assertEqual(status, resp.status_int, resp.text)
        return resp

    def test_failure_shows_the_vims_reason(self):
        inst, op = self.failed_instantiation()
        self.assertEqual(502, op['error']['status'])
        self.assertIn('Heat: Quota exceeded', op['error']['detail'])
        self.assertIn('infra', op['error']['detail'])
        self.assertEqual({'retry', 'rollback', 'fail', 'cancel'} - {'cancel'},
                         set(op['_links']) - {'self', 'appInstance'})
        self.assertEqual('NOT_INSTANTIATED', self.app.get(
            '%s/app_instances/%s' % (BASE, inst['id'])).json[
                'instantiationState'])
        # The instance is held by the failed operation.
        self.assertProblem(self.task(inst['id'], 'instantiate', {}, 409),
                           409, op['id'])

    def test_retry_resumes_at_the_failed_step(self):
        inst, op = self.failed_instantiation()
        claimed = self.dbapi.list_allocations(consumer_id=inst['id'])
        self.act(op, 'retry')
        op = wait_op(self, op['_links']['self']['href'])
        self.assertEqual('COMPLETED', op['operationState'])
        self.assertNotIn('error', op)
        # Placement was not done again: the same claim.
        self.assertEqual([a.id for a in claimed], [
            a.id for a in self.dbapi.list_allocations(
                consumer_id=inst['id'])])

    def test_rollback_undoes_everything(self):
        inst, op = self.failed_instantiation()
        self.act(op, 'rollback')
        op = wait_op(self, op['_links']['self']['href'])
        self.assertEqual('ROLLED_BACK', op['operationState'])
        self.assertEqual([], self.dbapi.list_allocations(
            consumer_id=inst['id']))
        row = self.dbapi.get_app_instance(inst['id'])
        self.assertIsNone(row.mec_host_id)
        self.assertIsNone(row.current_op_occ_id)
        self.assertIsNone(fake.FakeInfraDriver(None).show(
            None, None, {'id': inst['id']}))
        op = self.run_task(inst['id'], 'instantiate', {})
        self.assertEqual('COMPLETED', op['operationState'])

    def test_fail_is_final(self):
        inst, op = self.failed_instantiation()
        resp = self.act(op, 'fail', status=200)
        spec.validate_response(SPEC, '/app_lcm_op_occs/{appLcmOpOccId}',
                               'get', 200, resp.json)
        self.assertEqual('FAILED', resp.json['operationState'])
        for action in ('retry', 'rollback', 'fail'):
            self.assertProblem(self.act(op, action, status=409), 409,
                               'FAILED_TEMP')
        self.assertIsNone(self.dbapi.get_app_instance(
            inst['id']).current_op_occ_id)

    def test_tasks_on_a_completed_operation_are_conflicts(self):
        inst = self.instantiated()
        op = self.app.get(BASE + '/app_lcm_op_occs').json[0]
        for action in ('retry', 'rollback', 'fail', 'cancel'):
            self.assertProblem(self.act(op, action, status=409), 409)
        self.assertEqual('COMPLETED', self.app.get(
            op['_links']['self']['href']).json['operationState'])
        del inst

    def test_terminate_cannot_be_rolled_back(self):
        inst = self.instantiated()
        with mock.patch.object(fake.FakeInfraDriver, 'delete',
                               autospec=True,
                               side_effect=exception.InfraError(
                                   reason='DELETE_FAILED')):
            op = self.run_task(inst['id'], 'terminate',
                               {'terminationType': 'FORCEFUL'})
        self.assertEqual('FAILED_TEMP', op['operationState'])
        self.assertNotIn('rollback', op['_links'])
        self.assertProblem(self.act(op, 'rollback', status=409), 409,
                           'cannot be rolled back')
        self.act(op, 'retry')
        op = wait_op(self, op['_links']['self']['href'])
        self.assertEqual('COMPLETED', op['operationState'])

    def test_cancel_a_starting_operation(self):
        inst = self.create()
        op = self.dbapi.start_app_lcm_op({
            'id': uuidutils.generate_uuid(), 'project_id': 'project-a',
            'app_instance_id': inst['id'], 'operation': 'INSTANTIATE',
            'operation_params': {}},
            expected={'instantiation_state': 'NOT_INSTANTIATED'})
        resp = self.app.post_json('%s/app_lcm_op_occs/%s/cancel' % (
            BASE, op.id), {'cancelMode': 'FORCEFUL'})
        self.assertEqual(202, resp.status_int)
        self.assertEqual('ROLLED_BACK', self.app.get(
            '%s/app_lcm_op_occs/%s' % (BASE, op.id)).json['operationState'])
        self.assertIsNone(self.dbapi.get_app_instance(
            inst['id']).current_op_occ_id)

    def test_unknown_and_other_projects_op_occs(self):
        inst, op = self.failed_instantiation()
        self.assertProblem(self.app.post_json(
            BASE + '/app_lcm_op_occs/nope/retry', {}, expect_errors=True),
            404)
        self.set_identity(['member', 'reader'], project_id='project-b')
        self.assertProblem(self.act(op, 'retry', status=404), 404)
        self.assertEqual([], self.app.get(BASE + '/app_lcm_op_occs').json)
        del inst


class TestSubscriptions(LcmTestCase):

    def subscribe(self, body):
        resp = self.app.post_json(BASE + '/subscriptions', body)
        self.assertEqual(201, resp.status_int)
        spec.validate_response(SPEC, '/subscriptions', 'post', 201,
                               resp.json)
        return resp.json

    def test_notifications_of_a_lifecycle(self):
        ops = self.subscribe({'subscriptionType': 'AppLcmOpOccStateChange',
                              'callbackUri': 'https://client.example/op'})
        insts = self.subscribe({
            'subscriptionType': 'AppInstanceStateChange',
            'callbackUri': 'https://client.example/inst'})
        only_stopped = self.subscribe({
            'subscriptionType': 'AppInstanceStateChange',
            'callbackUri': 'https://client.example/stopped',
            'appInstanceState': 'STOPPED'})
        inst = self.instantiated()
        self.run_task(inst['id'], 'operate', {'changeStateTo': 'STOPPED'})
        deadline = time.monotonic() + 5
        while len(self.sent) < 9 and time.monotonic() < deadline:
            time.sleep(0.02)
        by_sub = {}
        for sub_id, notification in self.sent:
            by_sub.setdefault(sub_id, []).append(notification)
        self.assertEqual(
            [('INSTANTIATE', 'STARTING'), ('INSTANTIATE', 'PROCESSING'),
             ('INSTANTIATE', 'COMPLETED'), ('OPERATE', 'STARTING'),
             ('OPERATE', 'PROCESSING'), ('OPERATE', 'COMPLETED')],
            [(n['operation'], n['notificationType'])
             for n in by_sub[ops['id']]])
        for n in by_sub[ops['id']]:
            spec.validate_schema(SPEC, 'AppLcmOpOccNotification', n)
        self.assertEqual(['STARTED', 'STOPPED'],
                         [n['notificationType'] for n in by_sub[insts['id']]])
        for n in by_sub[insts['id']]:
            spec.validate_schema(SPEC, 'AppInstNotification', n)
            self.assertEqual(self.package.id, n['appPkgId'])
        self.assertEqual(['STOPPED'], [
            n['notificationType'] for n in by_sub[only_stopped['id']]])

    def test_op_occ_filter(self):
        sub = self.subscribe({
            'subscriptionType': 'AppLcmOpOccStateChange',
            'callbackUri': 'https://client.example/op',
            'appLcmOpOccSubscriptionFilter': {
                'operationStates': ['COMPLETED'],
                'operationTypes': 'OPERATE'}})
        inst = self.instantiated()
        self.run_task(inst['id'], 'operate', {'changeStateTo': 'STOPPED'})
        time.sleep(0.2)
        self.assertEqual([(sub['id'], 'OPERATE', 'COMPLETED')], [
            (s, n['operation'], n['notificationType'])
            for s, n in self.sent])

    def test_list_show_delete(self):
        a = self.subscribe({'subscriptionType': 'AppLcmOpOccStateChange',
                            'callbackUri': 'https://client.example/op'})
        b = self.subscribe({'subscriptionType': 'AppInstanceStateChange',
                            'callbackUri': 'https://client.example/i',
                            'appInstanceSubscriptionFilter': {
                                'appInstSelectorType': 'APP_D_ID',
                                'appInstances': [self.app_d_id]}})
        listed = self.app.get(BASE + '/subscriptions').json
        self.assertEqual({a['id'], b['id']}, {
            s['href'].rsplit('/', 1)[1]
            for s in listed['_links']['subscriptions']})
        only = self.app.get(BASE + '/subscriptions',
                            {'subscriptionType': 'AppInstanceStateChange'})
        self.assertEqual(1, len(only.json['_links']['subscriptions']))
        shown = self.app.get(b['_links']['self']['href']).json
        self.assertEqual(b, shown)
        self.assertEqual(204, self.app.delete(
            b['_links']['self']['href']).status_int)
        self.assertProblem(self.app.get(b['_links']['self']['href'],
                                        expect_errors=True), 404)

    def test_bad_subscriptions(self):
        for body, detail in [
                ({'subscriptionType': 'Nope', 'callbackUri': 'https://a/'},
                 'Nope'),
                ({'subscriptionType': 'AppInstanceStateChange'},
                 'callbackUri'),
                ({'subscriptionType': 'AppInstanceStateChange',
                  'callbackUri': 'https://a/',
                  'appLcmOpOccSubscriptionFilter': {}},
                 'AppLcmOpOccStateChange'),
                ({'subscriptionType': 'AppInstanceStateChange',
                  'callbackUri': 'file:///etc/passwd'}, 'http and https')]:
            resp = self.app.post_json(BASE + '/subscriptions', body,
                                      expect_errors=True)
            self.assertProblem(resp, 400, detail)
        self.assertEqual([], self.dbapi.list_subscriptions(
            'app_lcm', 'project-a'))
