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
"""Nothing is lost when conductors crash: 20 SIGKILLs of conductors
during instantiations and terminations on the lab's Heat, with two
conductors on RabbitMQ and MariaDB; every op-occ state change reaches a
subscriber's callback server, whichever conductor died, though the
subscriber refuses each notification once (so that conductors die with
notifications waiting for their retry)."""

import os
import random

import fixtures
import sqlalchemy as sa
from testtools import content

from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import cluster as cluster_fixtures
from mec_orchestrator.tests.functional import lab as lab_fixtures
from mec_orchestrator.tests.functional import reliability

KILLS = int(os.environ.get('MEC_RELIABILITY_KILLS', '20'))


class TestConductorCrashes(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        # Twenty crashes, each followed by a recovery, take minutes.
        self.useFixture(fixtures.Timeout(
            int(os.environ.get('MEC_RELIABILITY_TIMEOUT', 1200)),
            gentle=True))
        self.lab = lab_fixtures.require_lab(self)
        transport_url = base.rabbit_url(self)
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.db_url = db.url
        self.project = self.useFixture(lab_fixtures.LabProject(
            self.lab, admin=True, prefix='mec-kill'))
        self.conn = self.project.connection()
        workdir = os.path.join(self.tmp, 'cluster')
        os.makedirs(workdir)
        self.cluster = self.useFixture(cluster_fixtures.Cluster(
            workdir, transport_url, db.url, conductors=2,
            sections=reliability.Subscriber.SECTIONS))
        self.addOnException(self._logs)

    def _logs(self, exc_info):
        for name, text in self.cluster.logs().items():
            self.addDetail(name, content.text_content(
                text[-20000:]))

    def stacks(self):
        return [s for s in self.conn.orchestration.stacks()
                if s.name.startswith('mec-')
                and s.status != 'DELETE_COMPLETE']

    def test_kills_during_instantiate_and_terminate_lose_nothing(self):
        self.cluster.register_lab_vim(self.lab, self.project)
        pkg = self.cluster.onboard(cluster_fixtures.vm_package(
            self.lab.image))
        subscriber = reliability.Subscriber(self.cluster)
        self.addCleanup(subscriber.stop)
        seed = int(os.environ.get('MEC_RELIABILITY_SEED',
                                  random.randrange(1 << 30)))
        self.addDetail('seed', content.text_content(
            str(seed)))
        lines = []
        self.addDetail('kills', content.Content(
            content.UTF8_TEXT, lambda: ['\n'.join(lines).encode('utf-8')]))
        outcome = reliability.run(
            self.cluster, pkg['appDId'], self.lab.network, KILLS,
            random.Random(seed), log=lines.append)
        self.assertGreaterEqual(outcome.kills, KILLS)
        self.assertGreater(outcome.restarts_at_once, 0)
        self.assertGreater(outcome.takeovers_waited, 0)
        self.assertEqual([], outcome.not_completed)
        self.assertEqual([], self.stacks())

        # Every op-occ's STARTING, PROCESSING and final state reached the
        # subscriber (at least once: a notification whose conductor died
        # before it was acknowledged comes again, with the same id).
        missing = subscriber.wait(outcome.final_states)
        self.addDetail('notifications', content.text_content(
            '%d received, %d distinct' % subscriber.counts()))
        self.assertEqual(set(), missing, '%d op-occ states never notified'
                         % len(missing))
        engine = sa.create_engine(self.db_url)
        self.addCleanup(engine.dispose)

        def count(sql):
            with engine.connect() as conn:
                return conn.execute(sa.text(sql)).scalar()

        # Delivered, then removed from the outbox.
        base.wait_for(lambda: count(
            'SELECT COUNT(*) FROM notifications') == 0, timeout=30,
            what='an empty outbox')
        with engine.connect() as conn:
            self.assertEqual(0, conn.execute(sa.text(
                'SELECT COUNT(*) FROM app_lcm_op_occs WHERE notify_state '
                'IS NOT NULL')).scalar())
        self.assertEqual([], self.cluster.call(
            'GET', '/app_lcm/v1/app_instances').json())
        with engine.connect() as conn:
            self.assertEqual(0, conn.execute(sa.text(
                'SELECT COUNT(*) FROM allocations')).scalar())
            self.assertEqual(0, conn.execute(sa.text(
                "SELECT COUNT(*) FROM app_lcm_op_occs WHERE operation_state "
                "IN ('STARTING', 'PROCESSING', 'ROLLING_BACK')")).scalar())
