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
"""The SQLAlchemy implementation of the database API."""

import datetime
import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log
from oslo_utils import timeutils
import sqlalchemy as sa

from mec_orchestrator.common import exception
from mec_orchestrator.db import api
from mec_orchestrator.db.sqlalchemy import app_lcm
from mec_orchestrator.db.sqlalchemy import app_packages
from mec_orchestrator.db.sqlalchemy import mep
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.db.sqlalchemy import notifications
from mec_orchestrator.db.sqlalchemy import placement
from mec_orchestrator.db.sqlalchemy import vims

LOG = log.getLogger(__name__)

_CONTEXT = threading.local()


def get_backend():
    """The backend of oslo.db's DBAPI loader.

    :returns: a :class:`Connection`.
    """
    return Connection()


def get_engine():
    """The writer engine (migrations and tests).

    :returns: a SQLAlchemy engine.
    """
    return enginefacade.writer.get_engine()


def _paginate(query, model, sort_key, limit=None, marker=None):
    """Keyset pagination on a unique column.

    :param query: the query to page.
    :param model: the model queried.
    :param sort_key: the name of a unique column to sort on.
    :param limit: the largest number of rows.
    :param marker: the value of sort_key after which to start.
    :returns: the paged query.
    """
    column = getattr(model, sort_key)
    query = query.order_by(column)
    if marker is not None:
        query = query.filter(column > marker)
    if limit is not None:
        query = query.limit(limit)
    return query


class Connection(app_lcm.AppLcmMixin, app_packages.AppPackageMixin,
                 mep.MepMixin, notifications.NotificationMixin,
                 placement.PlacementMixin,
                 vims.VimMixin, api.Connection):
    """SQLAlchemy connection."""

    # -- conductors -----------------------------------------------------------

    def register_conductor(self, values):
        now = timeutils.utcnow()
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.query(models.Conductor).filter_by(
                hostname=values['hostname']).one_or_none()
            if ref is None:
                ref = models.Conductor(hostname=values['hostname'])
                session.add(ref)
            ref.site = values.get('site')
            ref.online = True
            ref.heartbeat_at = now
            try:
                session.flush()
            except db_exc.DBDuplicateEntry:
                # Another process registered the same name in between.
                raise exception.Conflict(
                    reason='conductor %s registered concurrently'
                    % values['hostname'])
            return ref

    def touch_conductor(self, hostname):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.Conductor).filter_by(
                hostname=hostname, online=True).update(
                    {'heartbeat_at': timeutils.utcnow()},
                    synchronize_session=False)
        if not count:
            raise exception.ConductorNotFound(conductor=hostname)

    def unregister_conductor(self, hostname):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.Conductor).filter_by(
                hostname=hostname, online=True).update(
                    {'online': False}, synchronize_session=False)
        if not count:
            raise exception.ConductorNotFound(conductor=hostname)

    def get_conductor(self, hostname):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.query(models.Conductor).filter_by(
                hostname=hostname).one_or_none()
        if ref is None:
            raise exception.ConductorNotFound(conductor=hostname)
        return ref

    def list_conductors(self, limit=None, marker=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = _paginate(session.query(models.Conductor),
                              models.Conductor, 'hostname', limit, marker)
            return query.all()

    def get_alive_conductors(self, timeout, site=None):
        limit = timeutils.utcnow() - datetime.timedelta(seconds=timeout)
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.Conductor).filter(
                models.Conductor.online == sa.true(),
                models.Conductor.heartbeat_at >= limit)
            if site is not None:
                query = query.filter_by(site=site)
            return query.order_by(models.Conductor.hostname).all()
