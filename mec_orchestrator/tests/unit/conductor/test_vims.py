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
import collections
import os
import shutil
import time
from unittest import mock

import fixtures
import futurist

from mec_orchestrator.common import context
from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.common import states
from mec_orchestrator.conductor import manager
from mec_orchestrator.conductor import vims
from mec_orchestrator.drivers import fake
from mec_orchestrator.tests import base

Conductor = collections.namedtuple('Conductor', 'hostname site')
Vim = collections.namedtuple('Vim', 'id site')

SECRET = 'periodic-secret-pw'


class VimServiceTestCase(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.keys = os.path.join(self.tmp, 'keys')
        self.config(key_repository=self.keys, group='crypto')
        self.executor = futurist.SynchronousExecutor()
        self.dbapi.register_conductor({'hostname': 'test-conductor'})
        self.service = vims.VimService('test-conductor', None, self.dbapi,
                                       self.executor)
        self.ctx = context.get_admin_context()

    def create(self, **values):
        body = {'name': 'edge', 'type': 'fake', 'site': None,
                'access': {'auth_url': 'http://k/v3'},
                'credentials': {'username': 'u', 'password': SECRET},
                'auth_type': 'password', 'extra': {}}
        body.update(values)
        return self.service.create(self.ctx, body)

    def patch_validate(self, **kwargs):
        patcher = mock.patch.object(fake.FakeVimDriver, 'validate',
                                    **kwargs)
        self.addCleanup(patcher.stop)
        return patcher.start()


class TestPeriodicCheck(VimServiceTestCase):

    def test_flips_between_reachable_and_unreachable(self):
        vim_id = self.create()
        first = self.dbapi.list_mec_hosts()[0]
        self.patch_validate(side_effect=exception.VimUnreachable(
            reason='connection refused'))
        self.service.periodic_check()
        vim = self.dbapi.get_vim(vim_id)
        self.assertEqual(states.UNREACHABLE, vim.status)
        self.assertIn('connection refused', vim.status_reason)
        self.assertIn('is now UNREACHABLE', self.log.output)
        # Hosts are left as they were while the VIM cannot be asked.
        self.assertEqual(first.discovered_at,
                         self.dbapi.get_mec_host(first.id).discovered_at)

        mock.patch.stopall()
        self.service.periodic_check()
        vim = self.dbapi.get_vim(vim_id)
        self.assertEqual(states.REACHABLE, vim.status)
        self.assertIsNone(vim.status_reason)
        self.assertGreater(self.dbapi.get_mec_host(first.id).discovered_at,
                           first.discovered_at)
        self.assertNotIn(SECRET, self.log.output)

    def test_refused_credentials_make_it_unreachable(self):
        vim_id = self.create()
        self.patch_validate(side_effect=exception.VimAuthFailed(
            reason='password changed'))
        self.service.periodic_check()
        vim = self.dbapi.get_vim(vim_id)
        self.assertEqual(states.UNREACHABLE, vim.status)
        self.assertIn('refused the credentials: password changed',
                      vim.status_reason)

    def test_failed_discovery_makes_it_unreachable(self):
        vim_id = self.create()
        with mock.patch.object(fake.FakeVimDriver, 'discover_hosts',
                               side_effect=exception.VimUnreachable(
                                   reason='nova down')):
            self.service.periodic_check()
        vim = self.dbapi.get_vim(vim_id)
        self.assertEqual(states.UNREACHABLE, vim.status)
        self.assertIn('MEC host discovery failed', vim.status_reason)
        self.assertIn('nova down', vim.status_reason)

    def test_vanished_vim_is_ignored(self):
        vim_id = self.create()
        with mock.patch.object(self.dbapi, 'list_vims', return_value=[
                self.dbapi.get_vim(vim_id)]):
            self.dbapi.destroy_vim(vim_id)
            self.service.periodic_check()
        self.assertNotIn('Checking VIM', self.log.output)

    def test_rotation_reencrypts_the_credentials(self):
        vim_id = self.create()
        old = self.dbapi.get_vim(vim_id).credentials
        crypto.KeyRepository(self.keys).rotate()
        self.service.periodic_check()
        new = self.dbapi.get_vim(vim_id).credentials
        self.assertNotEqual(old, new)
        cipher = crypto.get_cipher()
        self.assertFalse(cipher.needs_reencryption(new))
        self.assertEqual(SECRET, crypto.decrypt_dict(new)['password'])
        self.assertIn('Re-encrypted the credentials', self.log.output)

    def test_reencryption_never_overwrites_new_credentials(self):
        vim_id = self.create()
        stale = self.dbapi.get_vim(vim_id)
        crypto.KeyRepository(self.keys).rotate()
        new = crypto.encrypt_dict({'username': 'u', 'password': 'new'})
        self.dbapi.update_vim(vim_id, {'credentials': new})
        self.service._reencrypt(stale, crypto.get_cipher())
        self.assertEqual(new, self.dbapi.get_vim(vim_id).credentials)
        self.assertNotIn('Re-encrypted', self.log.output)

    def test_vim_without_credentials_needs_no_keys(self):
        self.config(auto_create_key_repository=False, group='crypto')
        vim_id = self.create(credentials=None)
        self.service.periodic_check()
        self.assertEqual(states.REACHABLE,
                         self.dbapi.get_vim(vim_id).status)
        self.assertFalse(os.path.exists(self.keys))

    def test_lost_keys_make_it_unreachable(self):
        vim_id = self.create()
        shutil.rmtree(self.keys)
        crypto.KeyRepository(self.keys).create()
        self.service.periodic_check()
        vim = self.dbapi.get_vim(vim_id)
        self.assertEqual(states.UNREACHABLE, vim.status)
        self.assertIn('cannot decrypt', vim.status_reason)
        self.assertNotIn(SECRET, self.log.output)

    def test_a_vim_being_checked_is_not_submitted_again(self):
        self.create()
        executor = mock.Mock()
        self.service.executor = executor
        self.service.periodic_check()
        self.service.periodic_check()
        self.assertEqual(1, executor.submit.call_count)

    def test_listing_failure_is_logged(self):
        with mock.patch.object(self.dbapi, 'list_vims',
                               side_effect=RuntimeError('db gone')):
            self.service.periodic_check()
        self.assertIn('Listing the VIMs to check failed', self.log.output)


class TestResponsibility(VimServiceTestCase):

    def _owners(self, vim, alive):
        owners = []
        for conductor in alive:
            service = vims.VimService(conductor.hostname, conductor.site,
                                      self.dbapi, self.executor)
            if service.responsible_for(vim, alive):
                owners.append(conductor.hostname)
        return owners

    def test_each_vim_has_exactly_one_owner(self):
        alive = [Conductor('c%d' % i, None) for i in range(3)]
        counts = collections.Counter()
        for i in range(60):
            owners = self._owners(Vim('vim-%d' % i, None), alive)
            self.assertEqual(1, len(owners))
            counts[owners[0]] += 1
        self.assertEqual(3, len(counts))

    def test_the_sites_conductors_check_its_vims(self):
        alive = [Conductor('central-1', None), Conductor('central-2', None),
                 Conductor('edge-1', 'edge')]
        for i in range(10):
            self.assertEqual(['edge-1'],
                             self._owners(Vim('v%d' % i, 'edge'), alive))
            self.assertEqual(1, len(self._owners(Vim('v%d' % i, 'other'),
                                                 alive)))

    def test_a_conductor_not_yet_listed_counts_itself(self):
        self.assertTrue(self.service.responsible_for(Vim('v', None), []))


class TestCreate(VimServiceTestCase):

    def test_unsupported_check_is_stored_unreachable_without_force(self):
        self.patch_validate(side_effect=exception.VimCheckNotSupported(
            type='fake', reason='later'))
        vim = self.dbapi.get_vim(self.create())
        self.assertEqual(states.UNREACHABLE, vim.status)
        self.assertIn('later', vim.status_reason)
        self.assertEqual([], self.dbapi.list_mec_hosts())

    def test_state_machine(self):
        self.assertTrue(states.VIM_STATUS.is_allowed(states.REACHABLE,
                                                     states.UNREACHABLE))
        self.assertRaises(exception.InvalidStateTransition,
                          states.VIM_STATUS.check, states.REACHABLE,
                          'DELETED')

    def test_host_values(self):
        flat = vims.host_values('v', {'discovery_key': 'az:a', 'name': 'a',
                                      'vcpus': 4, 'vcpus_used': 1,
                                      'capacity_source': 'nova'})
        self.assertEqual(('az:a', 'v-a', 4, 1, None, 'nova'),
                         (flat['discovery_key'], flat['name'],
                          flat['vcpus'], flat['vcpus_used'],
                          flat['memory_mb'], flat['capacity_source']))
        nested = vims.host_values('v', {'name': 'h', 'capacity': {
            'vcpus': 2, 'memory_mb': 3}, 'usage': {'vcpus': 1}})
        self.assertEqual(('name:h', 2, 1, 3, None, 'vim'),
                         (nested['discovery_key'], nested['vcpus'],
                          nested['vcpus_used'], nested['memory_mb'],
                          nested['memory_mb_used'],
                          nested['capacity_source']))


class TestManagerPeriodic(VimServiceTestCase):

    def test_manager_runs_the_periodic_check(self):
        self.config(check_interval=1, group='vim')
        conductor = manager.ConductorManager('test-conductor')
        conductor.init_host()
        self.addCleanup(conductor.del_host)
        vim_id = conductor.create_vim(self.ctx, {
            'name': 'p', 'type': 'fake', 'credentials': None})
        self.patch_validate(side_effect=exception.VimUnreachable(
            reason='gone'))
        deadline = time.monotonic() + 10
        while self.dbapi.get_vim(vim_id).status != states.UNREACHABLE:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)

    def test_no_periodic_check_when_disabled(self):
        self.config(check_interval=0, group='vim')
        conductor = manager.ConductorManager('test-conductor')
        conductor.init_host()
        self.addCleanup(conductor.del_host)
        names = [t.name for t in conductor._periodic_threads]
        self.assertIn('test-conductor-_heartbeat', names)
        self.assertNotIn('test-conductor-periodic_check', names)

    def test_missing_key_repository_is_reported_at_start(self):
        self.config(rpc_transport='oslo')
        vims.VimService('h', None, self.dbapi, self.executor)
        self.assertIn('does not exist: registering VIMs will fail',
                      self.log.output)
        self.assertFalse(os.path.exists(self.keys))
