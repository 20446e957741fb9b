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
"""The migrations produce exactly the models, on SQLite and on MariaDB."""

import os
import subprocess
import sys

from oslo_db.sqlalchemy import test_migrations
import sqlalchemy as sa

from mec_orchestrator.db import migration
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.tests.functional import base


class _ModelsMigrationsSync(test_migrations.ModelsMigrationsSync):

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.Base.metadata

    def db_sync(self, engine):
        migration.upgrade(engine=engine)


class TestModelsMigrationsSQLite(_ModelsMigrationsSync,
                                 base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.engine = sa.create_engine(
            'sqlite:///%s' % os.path.join(self.tmp, 'db'))
        self.addCleanup(self.engine.dispose)


class TestModelsMigrationsMySQL(_ModelsMigrationsSync,
                                base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.engine = sa.create_engine(db.url)
        self.addCleanup(self.engine.dispose)

    def test_tables_are_innodb_utf8mb4(self):
        migration.upgrade(engine=self.engine)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text(
                'SELECT table_name, engine, table_collation FROM '
                'information_schema.tables WHERE table_schema = DATABASE() '
                "AND table_name != 'alembic_version'")).fetchall()
        self.assertTrue(rows)
        for name, engine, collation in rows:
            self.assertEqual('InnoDB', engine, name)
            self.assertTrue(collation.startswith('utf8mb4'), name)


class TestDbsyncCommand(base.FunctionalTestCase):
    """dbsync and status on MariaDB, as an operator runs them."""

    def _run(self, *args):
        script = os.path.join(os.path.dirname(sys.executable), args[0])
        return subprocess.run([script, '--config-file', self.conf_file]
                              + list(args[1:]), capture_output=True,
                              text=True, timeout=120)

    def test_upgrade_version_check(self):
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.conf_file = os.path.join(self.tmp, 'mec.conf')
        base.write_config(self.conf_file, {'database': {'connection':
                                                        db.url}})
        result = self._run('mec-orchestrator-dbsync', 'check')
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('needs an upgrade', result.stdout)
        status = self._run('mec-orchestrator-status', 'upgrade', 'check')
        self.assertNotEqual(0, status.returncode)
        self.assertIn('Result: Failure', status.stdout)
        self.assertIn('Schema at None, expected %s' % migration.head(),
                      status.stdout)

        result = self._run('mec-orchestrator-dbsync', 'upgrade')
        self.assertEqual(0, result.returncode, result.stderr)
        result = self._run('mec-orchestrator-dbsync', 'version')
        self.assertEqual(migration.head(), result.stdout.strip())
        result = self._run('mec-orchestrator-dbsync', 'check')
        self.assertEqual(0, result.returncode, result.stderr)
        # Upgrading again is a no-op.
        result = self._run('mec-orchestrator-dbsync', 'upgrade')
        self.assertEqual(0, result.returncode, result.stderr)
        # Only the noauth warning would fail the checks; keystone is the
        # default.
        status = self._run('mec-orchestrator-status', 'upgrade', 'check')
        self.assertEqual(0, status.returncode, status.stdout)
