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
"""Database schema migrations (alembic)."""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
from oslo_log import log

from mec_orchestrator.db.sqlalchemy import api as sqla_api

LOG = log.getLogger(__name__)

_INI = os.path.join(os.path.dirname(__file__), 'sqlalchemy', 'alembic.ini')


def _config(connection=None):
    config = alembic_config.Config(_INI)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def upgrade(revision='heads', engine=None):
    """Bring the schema up to a revision.

    :param revision: the target revision; the latest by default.
    :param engine: the engine to migrate; the configured one by default.
    """
    engine = engine or sqla_api.get_engine()
    current = version(engine)
    if revision == 'heads' and current == head():
        return
    LOG.info('Upgrading the database schema from %(cur)s to %(rev)s',
             {'cur': current, 'rev': revision})
    with engine.begin() as connection:
        alembic_command.upgrade(_config(connection), revision)


def version(engine=None):
    """The schema's current revision.

    :param engine: the engine to inspect; the configured one by default.
    :returns: the revision id, or None for an empty database.
    """
    engine = engine or sqla_api.get_engine()
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def head():
    """The latest revision the code knows.

    :returns: the revision id.
    """
    script = alembic_script.ScriptDirectory.from_config(_config())
    return script.get_current_head()


def is_current(engine=None):
    """Whether the schema is at the latest revision.

    :param engine: the engine to inspect; the configured one by default.
    :returns: True or False.
    """
    return version(engine) == head()
