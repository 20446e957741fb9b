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
"""Database access for the notification outbox.

A notification is a row from the moment it is decided until it is
delivered or given up. An op-occ's notifications are queued in the same
transaction that clears the op-occ's ``notify_state``, a compare-and-swap
that makes sure a state's notifications are queued exactly once.
"""

import datetime
import threading

from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa

from mec_orchestrator.db.sqlalchemy import engine
from mec_orchestrator.db.sqlalchemy import models

_CONTEXT = threading.local()


def _lease_end(lease):
    return timeutils.utcnow() + datetime.timedelta(seconds=lease)


def add_notifications(session, rows, owner=None, lease=None):
    """Write outbox rows in a session's transaction.

    :param rows: dicts with ``id``, ``api``, ``subscription_id``,
        ``project_id`` and ``body``.
    :param owner: the conductor sending them; None for any conductor.
    :param lease: seconds the owner holds them.
    """
    expires = _lease_end(lease) if owner is not None else None
    for row in rows or ():
        session.add(models.Notification(owner=owner,
                                        lease_expires_at=expires, **row))


class NotificationMixin(object):
    """Outbox methods of the SQLAlchemy Connection."""

    @engine.retry_on_deadlock
    def queue_notifications(self, rows, owner, lease, op_occ_id=None,
                            op_state=None):
        with enginefacade.writer.using(_CONTEXT) as session:
            if op_occ_id is not None:
                count = session.query(models.AppLcmOpOcc).filter_by(
                    id=op_occ_id, notify_state=op_state).update(
                        {'notify_state': None}, synchronize_session=False)
                if not count:
                    return False
            add_notifications(session, rows, owner, lease)
            session.flush()
        return True

    @engine.retry_on_deadlock
    def delete_notification(self, notification_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            return session.query(models.Notification).filter_by(
                id=notification_id).delete(synchronize_session=False)

    @engine.retry_on_deadlock
    def renew_notification_leases(self, owner, lease, notification_ids):
        ids = list(notification_ids)
        count = 0
        with enginefacade.writer.using(_CONTEXT) as session:
            expires = _lease_end(lease)
            # In chunks: a long IN list is slow or refused.
            for start in range(0, len(ids), 500):
                count += session.query(models.Notification).filter(
                    models.Notification.owner == owner,
                    models.Notification.id.in_(ids[start:start + 500])
                ).update({'lease_expires_at': expires},
                         synchronize_session=False)
        return count

    def claim_notifications(self, owner, lease, limit=100):
        now = timeutils.utcnow()
        table = models.Notification
        with enginefacade.reader.using(_CONTEXT) as session:
            candidates = session.query(
                table.id, table.lease_expires_at).filter(
                    sa.or_(table.lease_expires_at.is_(None),
                           table.lease_expires_at < now)).order_by(
                               table.created_at, table.id).limit(
                                   limit).all()
        claimed = []
        for notification_id, expires in candidates:
            row = self._claim_notification(notification_id, expires, owner,
                                           lease)
            if row is not None:
                claimed.append(row)
        return claimed

    @engine.retry_on_deadlock
    def _claim_notification(self, notification_id, expires, owner, lease):
        table = models.Notification
        with enginefacade.writer.using(_CONTEXT) as session:
            query = session.query(table).filter(table.id == notification_id)
            if expires is None:
                query = query.filter(table.lease_expires_at.is_(None))
            else:
                query = query.filter(table.lease_expires_at == expires)
            if not query.update({'owner': owner,
                                 'lease_expires_at': _lease_end(lease)},
                                synchronize_session=False):
                return None
            return session.get(table, notification_id,
                               populate_existing=True)

    def list_app_lcm_ops_to_notify(self, older_than):
        limit = timeutils.utcnow() - datetime.timedelta(seconds=older_than)
        op = models.AppLcmOpOcc
        with enginefacade.reader.using(_CONTEXT) as session:
            return session.query(op).filter(
                op.notify_state.is_not(None),
                op.state_entered_time < limit).order_by(
                    op.state_entered_time).all()
