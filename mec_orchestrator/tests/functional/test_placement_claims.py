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
"""Concurrent placement claims on MariaDB: never oversubscribed."""

import threading

from oslo_utils import uuidutils
import sqlalchemy as sa

from mec_orchestrator.conductor import placement
from mec_orchestrator.db import api as dbapi
from mec_orchestrator.db import migration
from mec_orchestrator.placement import scheduler
from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.unit.conductor import test_placement


class TestConcurrentClaims(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.config(connection=db.url, group='database')
        self.useFixture(base.DatabaseEngine(db.url))
        migration.upgrade()
        self.db_url = db.url
        self.dbapi = dbapi.get_instance()
        vim = self.dbapi.create_vim({
            'id': uuidutils.generate_uuid(), 'name': 'edge',
            'type': 'openstack', 'status': 'REACHABLE', 'site': 'paris'})
        # Room for exactly 40 instances of the AppD (1 vCPU, 1 GiB of RAM,
        # 5 GB of disk each): disk is the limit.
        self.host = self.dbapi.sync_mec_hosts(vim.id, [{
            'discovery_key': 'az:nova', 'name': 'nova', 'zone': 'nova',
            'aggregate': None, 'vcpus': 64, 'vcpus_used': 0,
            'memory_mb': 64 * 1024, 'memory_mb_used': 0, 'disk_gb': 200,
            'disk_gb_used': 0, 'capacity_source': 'nova',
            'details': {}}])[0]
        self.dbapi.update_mec_host(self.host.id, {
            'platform_services': test_placement.LOCATION})
        self.config(disk_allocation_ratio=1.0, group='placement')

    def test_50_concurrent_claims_for_40_places(self):
        appd = test_placement.appd()
        outcomes = []
        lock = threading.Lock()
        start = threading.Barrier(50)

        def claim(i):
            service = placement.PlacementService(self.dbapi)
            start.wait()
            try:
                service.claim('instance-%02d' % i, 'p1', appd)
                result = 'placed'
            except scheduler.NoValidHost as e:
                result = 'no valid host'
                self.assertIn('capacity', str(e))
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=claim, args=(i,))
                   for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(40, outcomes.count('placed'), outcomes)
        self.assertEqual(10, outcomes.count('no valid host'))

        # What the database holds, read directly: 40 claims, 200 GB.
        engine = sa.create_engine(self.db_url)
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            count, disk, consumers = conn.execute(sa.text(
                'SELECT COUNT(*), SUM(disk_gb), COUNT(DISTINCT consumer_id) '
                'FROM allocations WHERE host_id = :h'),
                {'h': self.host.id}).one()
        self.assertEqual((40, 200, 40), (count, int(disk), consumers))
