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
"""Capacity claims: generation compare-and-swap, release, usage."""

import datetime
import threading

from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.db import test_vims


class TestClaims(base.DbTestCase):

    def setUp(self):
        super().setUp()
        vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'fake', 'status': 'REACHABLE', 'site': 'paris'})
        self.host = self.dbapi.sync_mec_hosts(
            vim.id, [test_vims._host('az:nova', 'edge-nova')])[0]

    def _claim(self, consumer, generation=None, vcpus=1):
        if generation is None:
            generation = self.dbapi.get_mec_host(self.host.id).generation
        return self.dbapi.claim_capacity(
            self.host.id, generation, consumer, 'p1',
            {'vcpus': vcpus, 'memory_mb': 256, 'disk_gb': 1})

    def test_claim_bumps_the_generation(self):
        before = self.dbapi.get_mec_host(self.host.id).generation
        alloc = self._claim('c1')
        self.assertEqual(self.host.id, alloc.host_id)
        self.assertEqual(before + 1,
                         self.dbapi.get_mec_host(self.host.id).generation)

    def test_stale_generation_is_refused_and_claims_nothing(self):
        generation = self.dbapi.get_mec_host(self.host.id).generation
        self._claim('c1', generation)
        self.assertRaises(exception.HostGenerationConflict, self._claim,
                          'c2', generation)
        self.assertEqual(['c1'], [a.consumer_id for a in
                                  self.dbapi.list_allocations()])

    def test_concurrent_claims_on_one_snapshot(self):
        generation = self.dbapi.get_mec_host(self.host.id).generation
        results = []

        def claim(consumer):
            try:
                self._claim(consumer, generation)
                results.append('ok')
            except exception.HostGenerationConflict:
                results.append('conflict')

        threads = [threading.Thread(target=claim, args=('c%d' % i,))
                   for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(1, results.count('ok'))
        self.assertEqual(7, results.count('conflict'))
        self.assertEqual(1, len(self.dbapi.list_allocations()))

    def test_release_is_idempotent_and_bumps_the_generation(self):
        self._claim('c1', vcpus=2)
        self._claim('c1', vcpus=1)
        generation = self.dbapi.get_mec_host(self.host.id).generation
        self.assertEqual(2, self.dbapi.release_capacity('c1'))
        self.assertEqual(generation + 1,
                         self.dbapi.get_mec_host(self.host.id).generation)
        self.assertEqual(0, self.dbapi.release_capacity('c1'))
        self.assertEqual([], self.dbapi.list_allocations(consumer_id='c1'))

    def test_usage_separates_claims_since_discovery(self):
        past = timeutils.utcnow() - datetime.timedelta(hours=1)
        timeutils.set_time_override(past)
        try:
            self._claim('old', vcpus=3)
        finally:
            timeutils.clear_time_override()
        # Discovered after the old claim: only the new one is unknown to
        # the VIM's usage figures.
        self._set_discovered_at(timeutils.utcnow()
                                - datetime.timedelta(seconds=1))
        self._claim('new', vcpus=2)
        usage = self.dbapi.get_allocation_usage()[self.host.id]
        self.assertEqual(5, usage['total']['vcpus'])
        self.assertEqual(512, usage['total']['memory_mb'])
        self.assertEqual(2, usage['since_discovery']['vcpus'])

    def _set_discovered_at(self, when):
        with enginefacade.writer.using(threading.local()) as session:
            session.query(models.MecHost).filter_by(
                id=self.host.id).update({'discovered_at': when})

    def test_claims_are_the_instances_on_a_vim(self):
        self.assertEqual(0, self.dbapi.count_app_instances_on_vim(
            self.host.vim_id))
        self._claim('c1', vcpus=1)
        self._claim('c1', vcpus=1)
        self._claim('c2', vcpus=1)
        self.assertEqual(2, self.dbapi.count_app_instances_on_vim(
            self.host.vim_id))
        self.dbapi.release_capacity('c1')
        self.dbapi.release_capacity('c2')
        self.assertEqual(0, self.dbapi.count_app_instances_on_vim(
            self.host.vim_id))
