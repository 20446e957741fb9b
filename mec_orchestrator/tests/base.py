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
"""Base classes and fixtures of the unit tests."""

import atexit
import os
import shutil
import tempfile
import threading

import fixtures
from oslo_config import fixture as config_fixture
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log
import testtools

from mec_orchestrator.common import policy
from mec_orchestrator.common import rpc
from mec_orchestrator import conf
from mec_orchestrator.conf import opts
from mec_orchestrator.db.sqlalchemy import models

CONF = conf.CONF

log.register_options(CONF)
opts.update_opt_defaults(CONF)
CONF([], project='mec-orchestrator', default_config_files=[])

_REAL_TMP = tempfile.gettempdir()


class Database(fixtures.Fixture):
    """A SQLite database with the models' schema, emptied after each test.

    The schema is built once per test process from the models (the engine
    is global to oslo.db's enginefacade); each test starts with empty
    tables. That the migrations build the same schema is checked by the
    functional tests, on SQLite and MariaDB.
    """

    _lock = threading.Lock()
    _url = None

    def _setUp(self):
        with Database._lock:
            if Database._url is None:
                # Not under the tests' NestedTempfile: it outlives tests.
                path = tempfile.mkdtemp(prefix='mec-orchestrator-test-db-',
                                        dir=_REAL_TMP)
                atexit.register(shutil.rmtree, path, True)
                Database._url = 'sqlite:///%s' % os.path.join(path, 'db')
                CONF.set_override('connection', Database._url,
                                  group='database')
                models.Base.metadata.create_all(
                    enginefacade.writer.get_engine())
        CONF.set_override('connection', Database._url, group='database')
        self.addCleanup(self._empty)

    @staticmethod
    def _empty():
        with enginefacade.writer.using(threading.local()) as session:
            for table in reversed(models.Base.metadata.sorted_tables):
                session.execute(table.delete())


class TestCase(testtools.TestCase):
    """Base of the unit tests: clean configuration, policy and RPC."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())
        self.config = self.useFixture(config_fixture.Config(CONF)).config
        # The fixture's cleanup resets the parsed state; parse again.
        CONF([], project='mec-orchestrator', default_config_files=[])
        self.config(auth_strategy='noauth', rpc_transport='local',
                    host='test-conductor')
        self.config(heartbeat_interval=1, group='conductor')
        self.log = self.useFixture(fixtures.FakeLogger(level=log.DEBUG))
        policy.reset()
        self.addCleanup(policy.reset)
        self.addCleanup(rpc.cleanup)


class DbTestCase(TestCase):
    """A test with an empty, migrated database."""

    def setUp(self):
        super().setUp()
        self.useFixture(Database())
        from mec_orchestrator.db import api as dbapi
        self.dbapi = dbapi.get_instance()

