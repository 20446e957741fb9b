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
"""The lifecycle service: ownership, leases, takeovers and the journal."""

import datetime
import threading
import time
from unittest import mock

import futurist
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import app_lcm
from mec_orchestrator.conductor import flows
from mec_orchestrator.conductor.flows import instantiate
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.drivers import fake
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.conductor import test_placement


class LcmServiceTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.config(vm_vim_types=['openstack', 'fake'], group='placement')
        self.config(lease_duration=30, group='app_lcm')
        appd = test_placement.appd()
        self.package = self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'app_d_id': appd['appDId'], 'appd': appd,
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge', 'type': 'fake',
            'status': 'REACHABLE'})
        host = self.dbapi.sync_mec_hosts(vim.id, [{
            'discovery_key': 'az', 'name': 'edge', 'zone': 'az',
            'aggregate': None, 'vcpus': 8, 'vcpus_used': 0,
            'memory_mb': 16384, 'memory_mb_used': 0, 'disk_gb': 100,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.dbapi.update_mec_host(host.id, {
            'platform_services': test_placement.LOCATION})
        self.executor = futurist.SynchronousExecutor()
        self.notifier = mock.Mock()
        for name in ('alive', 'dead', 'peer'):
            self.dbapi.register_conductor({'hostname': name})

    def service(self, host='alive'):
        return app_lcm.LcmService(host, self.dbapi, self.executor,
                                  self.notifier)

    def instance(self):
        return self.dbapi.create_app_instance({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_d_id': self.package.app_d_id,
            'app_pkg_id': self.package.id,
            'instantiation_state': 'NOT_INSTANTIATED'})

    def op(self, inst, **values):
        op = self.dbapi.start_app_lcm_op({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_instance_id': inst.id, 'operation': 'INSTANTIATE',
            'operation_params': {}})
        if values:
            op = self.dbapi.update_app_lcm_op(op.id, values)
        return op

    def age(self, hostname, seconds):
        """Make a conductor's last heartbeat seconds old."""
        with enginefacade.writer.using(threading.local()) as session:
            session.query(models.Conductor).filter_by(
                hostname=hostname).update({
                    'heartbeat_at': timeutils.utcnow()
                    - datetime.timedelta(seconds=seconds)})

    def expire(self, op):
        return self.dbapi.update_app_lcm_op(op.id, {
            'lease_expires_at': timeutils.utcnow()
            - datetime.timedelta(seconds=1)})


class TestOwnership(LcmServiceTestCase):

    def test_run_completes_and_records_every_step(self):
        inst = self.instance()
        op = self.op(inst)
        self.service().run(op.id)
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('COMPLETED', op.operation_state)
        self.assertIsNone(op.owner)
        self.assertEqual(['placement', 'platform-prepare', 'infra', 'platform',
                          'monitor'],
                         op.steps['started'])
        self.assertEqual(set(op.steps['started']),
                         set(op.steps[flows.JOURNAL_DONE]))
        self.assertEqual('INSTANTIATED', self.dbapi.get_app_instance(
            inst.id).instantiation_state)

    def test_a_live_peers_op_occ_is_left_alone(self):
        inst = self.instance()
        op = self.op(inst, owner='peer', operation_state='PROCESSING',
                     lease_expires_at=timeutils.utcnow()
                     + datetime.timedelta(seconds=30))
        self.service().run(op.id)
        self.assertEqual(0, self.service().take_over())
        # Even with its lease expired: the peer heartbeats.
        self.expire(op)
        self.assertEqual(0, self.service().take_over())
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual(('peer', 'PROCESSING'),
                         (op.owner, op.operation_state))

    def test_a_dead_conductors_op_occ_is_resumed_from_its_journal(self):
        inst = self.instance()
        op = self.op(inst, owner='dead', operation_state='PROCESSING',
                     lease_expires_at=timeutils.utcnow())
        # The dead conductor had placed the instance and started infra.
        instantiate.PlaceStep().do(flows.FlowContext(
            None, self.dbapi, op, inst, self.package))
        claim = self.dbapi.list_allocations(consumer_id=inst.id)
        op = self.dbapi.update_app_lcm_op(op.id, {'steps': {
            'started': ['placement', 'infra'],
            flows.JOURNAL_DONE: {'placement': {}}}})
        self.age('dead', 3600)
        self.expire(op)
        with mock.patch.object(instantiate.PlaceStep, 'do') as place:
            self.assertEqual(1, self.service().take_over())
        place.assert_not_called()
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('COMPLETED', op.operation_state)
        self.assertEqual([a.id for a in claim], [
            a.id for a in self.dbapi.list_allocations(consumer_id=inst.id)])

    def test_an_unexpired_lease_is_not_taken_even_from_the_dead(self):
        inst = self.instance()
        op = self.op(inst, owner='dead', operation_state='PROCESSING',
                     lease_expires_at=timeutils.utcnow()
                     + datetime.timedelta(seconds=30))
        self.age('dead', 3600)
        self.assertEqual(0, self.service().take_over())
        self.assertEqual('dead', self.dbapi.get_app_lcm_op(op.id).owner)

    def test_an_op_occ_nobody_took_is_taken_after_a_lease(self):
        inst = self.instance()
        op = self.op(inst)
        self.assertEqual(0, self.service().take_over())
        self.dbapi.update_app_lcm_op(op.id, {
            'state_entered_time': timeutils.utcnow()
            - datetime.timedelta(seconds=60)})
        self.assertEqual(1, self.service().take_over())
        self.assertEqual('COMPLETED', self.dbapi.get_app_lcm_op(
            op.id).operation_state)

    def test_restart_resumes_its_own_once_their_lease_expired(self):
        mine = self.op(self.instance(), owner='alive',
                       operation_state='PROCESSING',
                       lease_expires_at=timeutils.utcnow()
                       + datetime.timedelta(seconds=30))
        theirs = self.op(self.instance(), owner='peer',
                         operation_state='PROCESSING',
                         lease_expires_at=timeutils.utcnow())
        # The previous process may still be finishing it: not yet.
        self.assertEqual(0, self.service().take_over())
        self.expire(mine)
        self.assertEqual(1, self.service().take_over())
        self.assertEqual('COMPLETED', self.dbapi.get_app_lcm_op(
            mine.id).operation_state)
        self.assertEqual('PROCESSING', self.dbapi.get_app_lcm_op(
            theirs.id).operation_state)

    def test_an_op_occ_running_here_is_not_run_twice(self):
        inst = self.instance()
        op = self.op(inst)
        service = self.service()
        calls = []
        place = instantiate.PlaceStep.do

        def again(step_self, flow):
            calls.append(1)
            # A takeover of the same op-occ in this process meanwhile.
            service.run(op.id, previous='alive')
            return place(step_self, flow)

        with mock.patch.object(instantiate.PlaceStep, 'do', again):
            service.run(op.id)
        self.assertEqual(1, len(calls))
        self.assertEqual('COMPLETED', self.dbapi.get_app_lcm_op(
            op.id).operation_state)

    def test_losing_the_op_occ_stops_the_old_owner(self):
        inst = self.instance()
        op = self.op(inst)
        service = self.service()

        def stolen(step_self, flow):
            # Another conductor takes the op-occ over meanwhile.
            self.dbapi.update_app_lcm_op(op.id, {'owner': 'peer'})
            return {}

        with mock.patch.object(instantiate.PlaceStep, 'do', stolen):
            service.run(op.id)
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual(('peer', 'PROCESSING'),
                         (op.owner, op.operation_state))
        self.assertEqual({}, op.steps.get(flows.JOURNAL_DONE) or {})

    def test_leases_are_renewed_for_what_this_process_runs(self):
        def op(owner):
            return self.op(self.instance(), owner=owner,
                           operation_state='PROCESSING',
                           lease_expires_at=timeutils.utcnow())

        running, earlier, theirs = op('alive'), op('alive'), op('peer')
        service = self.service()
        service._running.add(running.id)
        service._running.add(theirs.id)
        service.renew_leases()
        later = timeutils.utcnow() + datetime.timedelta(seconds=20)
        self.assertGreater(self.dbapi.get_app_lcm_op(
            running.id).lease_expires_at, later)
        # Of an earlier process of this host name: left to expire.
        self.assertLess(self.dbapi.get_app_lcm_op(
            earlier.id).lease_expires_at, later)
        self.assertLess(self.dbapi.get_app_lcm_op(
            theirs.id).lease_expires_at, later)


class TestFailures(LcmServiceTestCase):

    def test_unexpected_error_is_a_500_without_internals(self):
        inst = self.instance()
        op = self.op(inst)
        with mock.patch.object(fake.FakeInfraDriver, 'create',
                               side_effect=RuntimeError('secret path')):
            self.service().run(op.id)
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('FAILED_TEMP', op.operation_state)
        self.assertEqual(500, op.error['status'])
        self.assertNotIn('secret', op.error['detail'])
        self.assertIn('infra', op.error['detail'])

    def test_cancel_pending_stops_at_the_next_step(self):
        inst = self.instance()
        op = self.op(inst)

        def cancel(step_self, flow):
            self.service().act(op.id, 'cancel')
            return {}

        with mock.patch.object(instantiate.PlaceStep, 'do', cancel):
            self.service().run(op.id)
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('FAILED_TEMP', op.operation_state)
        self.assertIn('cancelled', op.error['detail'])
        self.assertFalse(op.is_cancel_pending)
        self.assertEqual(['placement'], op.steps['started'])

    def test_failed_rollback_is_failed_temp_again(self):
        inst = self.instance()
        op = self.op(inst)
        with mock.patch.object(fake.FakeInfraDriver, 'create',
                               side_effect=exception.InfraError(
                                   reason='boom')):
            self.service().run(op.id)
        with mock.patch.object(fake.FakeInfraDriver, 'delete',
                               side_effect=exception.InfraError(
                                   reason='DELETE_FAILED')):
            self.service().act(op.id, 'rollback')
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('FAILED_TEMP', op.operation_state)
        self.assertIn('rollback of infra', op.error['detail'])
        # The claim is still there: infra was not undone, placement not
        # reached.
        self.assertEqual(1, len(self.dbapi.list_allocations(
            consumer_id=inst.id)))
        self.service().act(op.id, 'rollback')
        op = self.dbapi.get_app_lcm_op(op.id)
        self.assertEqual('ROLLED_BACK', op.operation_state)
        self.assertEqual([], self.dbapi.list_allocations(
            consumer_id=inst.id))


class TestGracefulStop(LcmServiceTestCase):

    def test_leases_are_renewed_until_running_work_is_done(self):
        from mec_orchestrator.conductor import manager
        self.config(heartbeat_interval=1, group='conductor')
        conductor = manager.ConductorManager('stopping')
        conductor.init_host()
        op = self.op(self.instance(), owner='stopping',
                     operation_state='PROCESSING',
                     lease_expires_at=timeutils.utcnow()
                     + datetime.timedelta(seconds=2))
        release = threading.Event()
        conductor.lcm._running.add(op.id)
        conductor._executor.submit(release.wait, 10)
        stopper = threading.Thread(target=conductor.del_host)
        stopper.start()
        self.addCleanup(stopper.join)
        self.addCleanup(release.set)
        first = self.dbapi.get_app_lcm_op(op.id).lease_expires_at
        deadline = time.monotonic() + 5
        while (self.dbapi.get_app_lcm_op(op.id).lease_expires_at <= first
               and time.monotonic() < deadline):
            time.sleep(0.1)
        self.assertGreater(self.dbapi.get_app_lcm_op(op.id).lease_expires_at,
                           first)
        self.assertTrue(stopper.is_alive())
        release.set()
        stopper.join(10)
        self.assertFalse(stopper.is_alive())
