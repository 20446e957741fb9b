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
"""The outbox: ETSI notifications that survive the conductor sending them.

A notification is written to the ``notifications`` table before it is
handed to the :class:`~.notifier.Notifier`, and deleted once it was
delivered or given up (``[outbound] notification_max_attempts`` and
``notification_retry_max_time``). The conductor sending it owns it for a
lease that its heartbeat renews, like an op-occ. When a conductor dies
(or stops with notifications still queued), the lease of its
notifications expires and a live conductor sends them again, with the
same notification ``id``: delivery is at least once, and a subscriber
recognises a repeated notification by its ``id``.

An op-occ's notifications are queued in the same transaction that clears
its ``notify_state`` (set in the transaction of the state change), so a
state whose notifications were never queued, because its conductor died
in between, is found and notified later (:meth:`.LcmService.take_over`).
"""

import functools
import threading

from oslo_log import log
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator import conf

CONF = conf.CONF
LOG = log.getLogger(__name__)


def rows(api, project_id, deliveries):
    """The outbox rows of notifications.

    :param api: the subscriptions' API (``app_pkgm`` or ``app_lcm``).
    :param project_id: the project of the subscriptions.
    :param deliveries: a list of (subscription, notification dict).
    :returns: a list of dicts, one per delivery, in the same order.
    """
    return [{'id': uuidutils.generate_uuid(), 'api': api,
             'subscription_id': sub.id, 'project_id': project_id,
             'body': body} for sub, body in deliveries]


class Outbox(object):
    """Queues notifications in the database, then delivers them.

    :param host: the conductor's host name (the notifications' owner).
    :param dbapi: the database API.
    :param notifier: the conductor's
        :class:`~mec_orchestrator.conductor.notifier.Notifier`.
    """

    def __init__(self, host, dbapi, notifier):
        self.host = host
        self.dbapi = dbapi
        self.notifier = notifier
        # The outbox rows this process has handed to the notifier.
        self._sending = set()
        self._lock = threading.Lock()

    @property
    def lease(self):
        return CONF.app_lcm.lease_duration

    def send(self, api, project_id, deliveries, op_occ=None):
        """Queue notifications, then deliver them.

        :param api: the subscriptions' API (``app_pkgm`` or ``app_lcm``).
        :param project_id: the project of the subscriptions.
        :param deliveries: a list of (subscription, notification dict).
        :param op_occ: (op-occ id, state) of the op-occ state change the
            notifications are about, to queue them only if that state's
            notifications were not queued yet.
        :returns: False if the op-occ state's notifications were queued
            already (nothing is sent), else True.
        """
        queued = rows(api, project_id, deliveries)
        if not queued and op_occ is None:
            return True
        op_occ_id, op_state = op_occ or (None, None)
        if not self.dbapi.queue_notifications(
                queued, self.host, self.lease, op_occ_id=op_occ_id,
                op_state=op_state):
            return False
        for row, (sub, body) in zip(queued, deliveries, strict=True):
            self._deliver(row['id'], sub, body)
        return True

    def _deliver(self, row_id, subscription, body):
        with self._lock:
            self._sending.add(row_id)
        self.notifier.notify(subscription, body,
                             on_result=functools.partial(self._done, row_id))

    def _done(self, row_id, result):
        with self._lock:
            self._sending.discard(row_id)
        if result.stopped:
            # Not given up: its lease expires and a conductor sends it.
            return
        try:
            self.dbapi.delete_notification(row_id)
        except Exception:
            # Sent again once its lease expires: at least once.
            LOG.exception('Removing notification %s from the outbox failed',
                          row_id)

    def sending(self):
        """The outbox rows this process is delivering.

        :returns: a set of row ids.
        """
        with self._lock:
            return set(self._sending)

    def renew_leases(self):
        """Extend the leases of the notifications this process delivers."""
        sending = self.sending()
        if not sending:
            return
        try:
            self.dbapi.renew_notification_leases(self.host, self.lease,
                                                 sending)
        except Exception:
            LOG.exception('Renewing the leases of the notifications of %s '
                          'failed', self.host)

    def take_over(self):
        """Send the notifications nobody is sending (their lease expired).

        :returns: the number of notifications taken.
        """
        try:
            rows = self.dbapi.claim_notifications(self.host, self.lease)
        except Exception:
            LOG.exception('Looking for notifications to send again failed')
            return 0
        for row in rows:
            try:
                sub = self.dbapi.get_subscription(row.api,
                                                  row.subscription_id)
            except exception.ResourceNotFound:
                self.dbapi.delete_notification(row.id)
                continue
            LOG.info('Conductor %(me)s sends again notification %(id)s '
                     '(%(type)s) to subscription %(sub)s',
                     {'me': self.host, 'id': row.body.get('id'),
                      'type': row.body.get('notificationType'),
                      'sub': row.subscription_id})
            self._deliver(row.id, sub, row.body)
        return len(rows)
