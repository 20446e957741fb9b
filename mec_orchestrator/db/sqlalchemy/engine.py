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
"""Engine settings oslo.db does not make: SQLite for concurrent threads.

The all-in-one and the tests run many threads on one SQLite file. On
SQLite only, each connection waits up to 30 s for a lock (instead of
pysqlite's 5 s) and the journal is in WAL mode, so that readers do not
block the writer.

A transaction takes SQLite's write lock when it begins (``BEGIN
IMMEDIATE``), the recipe of SQLAlchemy's pysqlite documentation: with
pysqlite's deferred ``BEGIN``, a transaction that read first and then
writes must upgrade its lock, and when another connection writes at that
moment SQLite answers "database is locked" at once, without waiting for
the busy timeout (it cannot wait: the other writer may be waiting for this
reader's snapshot).
"""

from oslo_db import api as oslo_db_api
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

BUSY_TIMEOUT_MS = 30000



def _sqlite_locked(exc):
    """Whether SQLite gave up on a lock at once ("database is locked")."""
    return 'database is locked' in str(exc)


#: Retries of a write that lost a deadlock: MySQL/MariaDB roll the loser
#: back, so doing it again is safe, compare-and-swap included. SQLite's
#: rare immediate "database is locked" is retried likewise.
retry_on_deadlock = oslo_db_api.wrap_db_retry(
    max_retries=5, retry_on_deadlock=True, retry_interval=0.1,
    inc_retry_interval=True, max_retry_interval=2,
    exception_checker=_sqlite_locked)

_registered = False


def _on_engine_create(engine):
    if engine.dialect.name != 'sqlite':
        return

    @sa.event.listens_for(engine, 'connect')
    def _connect(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA busy_timeout = %d' % BUSY_TIMEOUT_MS)
        if engine.url.database not in (None, '', ':memory:'):
            cursor.execute('PRAGMA journal_mode = WAL')
        cursor.close()

    # oslo.db already turns pysqlite's BEGIN off and emits its own, deferred
    # one unless conn.info says a transaction began: go first, immediate.
    def _begin(conn):
        if 'in_transaction' not in conn.info:
            conn.exec_driver_sql('BEGIN IMMEDIATE')
            conn.info['in_transaction'] = True

    sa.event.listen(engine, 'begin', _begin, insert=True)

    # oslo.db connected once to test the URL, before this listener: drop
    # that connection so that every connection gets the settings.
    engine.dispose()


def register():
    """Apply the settings to the engines enginefacade creates, once."""
    global _registered
    if not _registered:
        enginefacade.writer.append_on_engine_create(_on_engine_create)
        _registered = True
