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
"""Database access for VIMs and MEC hosts."""

import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.db.sqlalchemy import engine
from mec_orchestrator.db.sqlalchemy import models

LOG = log.getLogger(__name__)

_CONTEXT = threading.local()

#: MEC host columns that discovery sets; the others are the operator's.
DISCOVERED_HOST_FIELDS = (
    'zone', 'aggregate', 'vcpus', 'vcpus_used', 'memory_mb',
    'memory_mb_used', 'disk_gb', 'disk_gb_used', 'capacity_source',
    'details',
)

#: MEC host columns the operator sets (PATCH /v1/mec_hosts/{id}).
OPERATOR_HOST_FIELDS = (
    'name', 'description', 'latitude', 'longitude', 'area_id', 'cell_ids',
    'country_code', 'civic_address', 'mep_endpoint', 'platform_services',
    'latencies', 'enabled',
)


def _page_by_name(session, query, model, limit, marker):
    """Keyset paging on (name, id), the marker being an id."""
    if marker is not None:
        ref = session.get(model, marker)
        if ref is None:
            raise exception.InvalidParameterValue(
                err=_('marker %s was not found') % marker)
        query = query.filter(sa.or_(
            model.name > ref.name,
            sa.and_(model.name == ref.name, model.id > ref.id)))
    query = query.order_by(model.name, model.id)
    if limit is not None:
        query = query.limit(limit)
    return query


def _filter(query, model, filters):
    for column, value in (filters or {}).items():
        query = query.filter(getattr(model, column) == value)
    return query


class VimMixin(object):
    """VIM and MEC host methods of the SQLAlchemy Connection."""

    # -- VIMs -----------------------------------------------------------------

    @engine.retry_on_deadlock
    def create_vim(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = models.Vim(**values)
            session.add(ref)
            try:
                session.flush()
            except db_exc.DBDuplicateEntry:
                raise exception.DuplicateName(resource='VIM',
                                              name=values['name'])
            return ref

    def get_vim(self, vim_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.Vim, vim_id)
        if ref is None:
            raise exception.VimNotFound(vim=vim_id)
        return ref

    def get_vim_by_name(self, name):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.query(models.Vim).filter_by(
                name=name).one_or_none()
        if ref is None:
            raise exception.VimNotFound(vim=name)
        return ref

    def list_vims(self, limit=None, marker=None, filters=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = _filter(session.query(models.Vim), models.Vim, filters)
            return _page_by_name(session, query, models.Vim, limit,
                                 marker).all()

    @engine.retry_on_deadlock
    def update_vim(self, vim_id, values, expected=None):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.query(models.Vim).filter_by(
                id=vim_id).with_for_update().one_or_none()
            if ref is None:
                raise exception.VimNotFound(vim=vim_id)
            for column, value in (expected or {}).items():
                if getattr(ref, column) != value:
                    raise exception.Conflict(reason=_(
                        'VIM %(id)s: %(column)s changed meanwhile')
                        % {'id': vim_id, 'column': column})
            ref.update(values)
            if 'site' in values:
                session.query(models.MecHost).filter_by(
                    vim_id=vim_id).update({'site': values['site']},
                                          synchronize_session=False)
            try:
                session.flush()
            except db_exc.DBDuplicateEntry:
                raise exception.DuplicateName(resource='VIM',
                                              name=values.get('name'))
            return ref

    @engine.retry_on_deadlock
    def destroy_vim(self, vim_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.get(models.Vim, vim_id)
            if ref is None:
                raise exception.VimNotFound(vim=vim_id)
            count = self.count_app_instances_on_vim(vim_id)
            if count:
                raise exception.VimInUse(vim=vim_id, count=count)
            session.query(models.MecHost).filter_by(vim_id=vim_id).delete(
                synchronize_session=False)
            session.delete(ref)

    def count_app_instances_on_vim(self, vim_id):
        # The app instances placed on the VIM's hosts are the consumers of
        # the capacity claimed there.
        with enginefacade.reader.using(_CONTEXT) as session:
            return session.query(sa.func.count(sa.distinct(
                models.Allocation.consumer_id))).join(
                    models.MecHost,
                    models.MecHost.id == models.Allocation.host_id).filter(
                        models.MecHost.vim_id == vim_id).scalar() or 0

    # -- MEC hosts ------------------------------------------------------------

    @engine.retry_on_deadlock
    def sync_mec_hosts(self, vim_id, hosts):
        now = timeutils.utcnow()
        with enginefacade.writer.using(_CONTEXT) as session:
            vim = session.get(models.Vim, vim_id)
            if vim is None:
                raise exception.VimNotFound(vim=vim_id)
            existing = {ref.discovery_key: ref for ref in session.query(
                models.MecHost).filter_by(vim_id=vim_id)}
            seen = set()
            for host in hosts:
                key = host['discovery_key']
                if key in seen:
                    continue
                seen.add(key)
                ref = existing.get(key)
                if ref is None:
                    ref = models.MecHost(
                        id=uuidutils.generate_uuid(), vim_id=vim_id,
                        discovery_key=key, name=host['name'],
                        enabled=True)
                    session.add(ref)
                for column in DISCOVERED_HOST_FIELDS:
                    setattr(ref, column, host.get(column))
                ref.site = vim.site
                ref.available = True
                ref.discovered_at = now
            for key, ref in existing.items():
                if key not in seen and ref.available:
                    LOG.info('MEC host %(id)s (%(key)s) of VIM %(vim)s is '
                             'no longer reported by the VIM',
                             {'id': ref.id, 'key': key, 'vim': vim_id})
                    ref.available = False
            session.flush()
            return session.query(models.MecHost).filter_by(
                vim_id=vim_id).order_by(models.MecHost.name).all()

    def get_mec_host(self, host_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.MecHost, host_id)
        if ref is None:
            raise exception.MecHostNotFound(host=host_id)
        return ref

    def list_mec_hosts(self, limit=None, marker=None, filters=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = _filter(session.query(models.MecHost), models.MecHost,
                            filters)
            return _page_by_name(session, query, models.MecHost, limit,
                                 marker).all()

    @engine.retry_on_deadlock
    def update_mec_host(self, host_id, values):
        unknown = sorted(set(values) - set(OPERATOR_HOST_FIELDS))
        if unknown:
            raise exception.Invalid(
                reason=_('discovery owns %s') % ', '.join(unknown))
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.get(models.MecHost, host_id)
            if ref is None:
                raise exception.MecHostNotFound(host=host_id)
            ref.update(values)
            session.flush()
            return ref
