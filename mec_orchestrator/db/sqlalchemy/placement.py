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
"""Database access for capacity claims (allocations) on MEC hosts.

A claim is a compare-and-swap on the host's ``generation``: the caller
decides on a snapshot of the host read at some generation, and the claim
inserts its allocation only if the host is still at that generation,
bumping it in the same transaction. Two concurrent claims on one host
cannot both succeed on the same snapshot, on SQLite (one writer) as on
MySQL/MariaDB (the UPDATE locks the row).
"""

import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from mec_orchestrator.common import exception
from mec_orchestrator.db.sqlalchemy import engine
from mec_orchestrator.db.sqlalchemy import models

_CONTEXT = threading.local()

RESOURCES = ('vcpus', 'memory_mb', 'disk_gb')


class PlacementMixin(object):
    """Claim methods of the SQLAlchemy Connection."""

    @engine.retry_on_deadlock
    def claim_capacity(self, host_id, generation, consumer_id, project_id,
                       resources):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.MecHost).filter_by(
                id=host_id, generation=generation).update(
                    {'generation': models.MecHost.generation + 1},
                    synchronize_session=False)
            if not count:
                raise exception.HostGenerationConflict(host=host_id)
            ref = models.Allocation(
                host_id=host_id, consumer_id=consumer_id,
                project_id=project_id,
                **{r: int(resources.get(r) or 0) for r in RESOURCES})
            session.add(ref)
            session.flush()
            return ref

    @engine.retry_on_deadlock
    def release_capacity(self, consumer_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            hosts = [row.host_id for row in session.query(
                models.Allocation.host_id).filter_by(
                    consumer_id=consumer_id).distinct()]
            count = session.query(models.Allocation).filter_by(
                consumer_id=consumer_id).delete(synchronize_session=False)
            if hosts:
                session.query(models.MecHost).filter(
                    models.MecHost.id.in_(hosts)).update(
                        {'generation': models.MecHost.generation + 1},
                        synchronize_session=False)
            return count

    def list_allocations(self, consumer_id=None, host_id=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.Allocation)
            if consumer_id is not None:
                query = query.filter_by(consumer_id=consumer_id)
            if host_id is not None:
                query = query.filter_by(host_id=host_id)
            return query.order_by(models.Allocation.id).all()

    def get_allocation_usage(self):
        alloc, host = models.Allocation, models.MecHost
        sums = [sa.func.sum(getattr(alloc, r)) for r in RESOURCES]
        recent = [sa.func.sum(sa.case(
            # >=: MySQL keeps whole seconds, and a claim made in the
            # second of a discovery may not be in the VIM's figures.
            (sa.or_(host.discovered_at.is_(None),
                    alloc.created_at >= host.discovered_at),
             getattr(alloc, r)), else_=0)) for r in RESOURCES]
        with enginefacade.reader.using(_CONTEXT) as session:
            rows = session.query(alloc.host_id, *sums, *recent).join(
                host, host.id == alloc.host_id).group_by(
                    alloc.host_id).all()
        usage = {}
        for row in rows:
            values = [int(v or 0) for v in row[1:]]
            usage[row[0]] = {
                'total': dict(zip(RESOURCES, values[:3], strict=True)),
                'since_discovery': dict(zip(RESOURCES, values[3:],
                                            strict=True)),
            }
        return usage

    # -- grants ---------------------------------------------------------------

    def create_grant(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = models.Grant(**values)
            session.add(ref)
            session.flush()
            return ref

    def get_grant(self, grant_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.Grant, grant_id)
        if ref is None:
            raise exception.ResourceNotFound(resource='Grant', id=grant_id)
        return ref

    def update_grant(self, grant_id, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.Grant).filter_by(
                id=grant_id).update(values, synchronize_session=False)
            if not count:
                raise exception.ResourceNotFound(resource='Grant',
                                                 id=grant_id)
            return session.get(models.Grant, grant_id,
                               populate_existing=True)

    def list_granted_consumers(self):
        with enginefacade.reader.using(_CONTEXT) as session:
            rows = session.query(models.Grant.app_instance_id).filter_by(
                operation='INSTANTIATE', status='GRANTED').distinct()
            return {row[0] for row in rows}
