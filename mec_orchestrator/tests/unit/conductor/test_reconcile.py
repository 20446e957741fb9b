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
"""Reconciliation of app instances with the VIM (fake infra driver)."""

from unittest import mock

from oslo_utils import uuidutils

from mec_orchestrator.conductor import reconcile
from mec_orchestrator.drivers import loader
from mec_orchestrator.tests.unit.conductor import test_app_lcm


class TestReconcile(test_app_lcm.LcmServiceTestCase):

    def setUp(self):
        super().setUp()
        self.vim = self.dbapi.get_vim_by_name('edge')
        self.driver = loader.get_driver('infra', 'fake')
        self.driver.stacks.clear()
        self.reconciler = reconcile.Reconciler(
            mock.Mock(responsible_for=mock.Mock(return_value=True)),
            self.dbapi)

    def instantiated(self):
        inst = self.instance()
        self.service().run(self.op(inst).id)
        return self.dbapi.get_app_instance(inst.id)

    def test_in_sync(self):
        inst = self.instantiated()
        self.assertEqual('INSTANTIATED', inst.instantiation_state)
        self.assertEqual({'orphans': [], 'vanished': [], 'deleted': []},
                         self.reconciler.reconcile(self.vim))

    def test_orphans_are_reported_then_deleted_when_asked(self):
        gone = uuidutils.generate_uuid()
        self.driver.create(None, None, {'id': gone}, {}, {})
        report = self.reconciler.reconcile(self.vim)
        self.assertEqual([gone], report['orphans'])
        self.assertEqual([], report['deleted'])
        self.assertIsNotNone(self.driver.show(None, None, {'id': gone}))
        self.config(delete_orphans=True, group='app_lcm')
        report = self.reconciler.reconcile(self.vim)
        self.assertEqual([gone], report['deleted'])
        self.assertIsNone(self.driver.show(None, None, {'id': gone}))

    def test_a_not_instantiated_instance_with_resources_is_an_orphan(self):
        inst = self.instance()
        self.driver.create(None, None, {'id': inst.id}, {}, {})
        self.assertEqual([inst.id],
                         self.reconciler.reconcile(self.vim)['orphans'])

    def test_an_operation_in_progress_is_left_alone(self):
        inst = self.instance()
        self.op(inst)
        self.driver.create(None, None, {'id': inst.id}, {}, {})
        self.assertEqual([], self.reconciler.reconcile(self.vim)['orphans'])

    def test_vanished_resources_are_reported(self):
        inst = self.instantiated()
        self.driver.delete(None, None, {'id': inst.id})
        self.assertEqual([inst.id],
                         self.reconciler.reconcile(self.vim)['vanished'])

    def test_an_unreachable_vim_is_skipped(self):
        self.dbapi.update_vim(self.vim.id, {'status': 'UNREACHABLE'})
        self.driver.create(None, None, {'id': uuidutils.generate_uuid()},
                           {}, {})
        self.assertIsNone(self.reconciler.reconcile(
            self.dbapi.get_vim(self.vim.id)))


class TestClaimsAudit(test_app_lcm.LcmServiceTestCase):

    def setUp(self):
        super().setUp()
        self.reconciler = reconcile.Reconciler(mock.Mock(), self.dbapi)
        self.host = self.dbapi.list_mec_hosts()[0]

    def claim(self, consumer):
        self.dbapi.claim_capacity(
            self.host.id, self.dbapi.get_mec_host(self.host.id).generation,
            consumer, 'p', {'vcpus': 1, 'memory_mb': 512, 'disk_gb': 1})

    def test_claims_nobody_stands_for_are_released(self):
        instantiated = self.instance()
        self.service().run(self.op(instantiated).id)
        running = self.instance()
        self.op(running)
        self.claim(running.id)
        idle = self.instance()
        self.claim(idle.id)
        self.claim('deleted-instance')
        self.dbapi.create_grant({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_instance_id': 'mepm-instance', 'app_lcm_op_occ_id': 'o',
            'app_d_id': 'd', 'operation': 'INSTANTIATE',
            'status': 'GRANTED', 'request': {}})
        self.claim('mepm-instance')
        self.assertEqual(sorted([idle.id, 'deleted-instance']),
                         self.reconciler.audit_claims())
        self.assertEqual(
            sorted([instantiated.id, running.id, 'mepm-instance']),
            sorted({a.consumer_id for a in self.dbapi.list_allocations()}))
        self.assertEqual([], self.reconciler.audit_claims())
