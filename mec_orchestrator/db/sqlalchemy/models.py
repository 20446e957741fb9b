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
"""SQLAlchemy models of the orchestrator's tables.

Every table of tenant data carries ``project_id``. The alembic migrations
in ``alembic/versions`` produce exactly these tables; a test checks it on
SQLite and MariaDB.
"""

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy import orm

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


class MecBase(models.TimestampMixin, models.ModelBase):
    """Base of the models: created_at/updated_at and dict-like access."""

    def as_dict(self):
        """The row's columns as a dict.

        :returns: a dict of column name to value.
        """
        return {c.name: getattr(self, c.key)
                for c in self.__table__.columns}


Base = orm.declarative_base(cls=MecBase)


class Conductor(Base):
    """A conductor process: where RPC casts go and who owns work."""

    __tablename__ = 'conductors'
    __table_args__ = (
        sa.UniqueConstraint('hostname', name='uniq_conductors0hostname'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.Integer, primary_key=True)
    hostname = sa.Column(sa.String(255), nullable=False)
    site = sa.Column(sa.String(255), nullable=True)
    online = sa.Column(sa.Boolean, nullable=False, default=True)
    heartbeat_at = sa.Column(sa.DateTime, nullable=True)
