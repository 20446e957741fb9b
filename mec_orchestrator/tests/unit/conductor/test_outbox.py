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
"""The notification outbox: nothing lost when its conductor dies."""

import datetime
import threading

from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import app_lcm
from mec_orchestrator.conductor import notifier
from mec_orchestrator.conductor import outbox
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.conductor import test_app_lcm


class FakeNotifier(object):
    """Records what it is given; the test says how each delivery ends."""

    def __init__(self):
        self.given = []

    def notify(self, subscription, notification, on_result=None):
        self.given.append((subscription.id, notification, on_result))

    def end(self, index=-1, delivered=True, stopped=False):
        sub_id, body, on_result = self.given[index]
        on_result(notifier.DeliveryResult(
            subscription_id=sub_id, callback_uri='http://cb',
            notification_id=body['id'], notification_type='T',
            delivered=delivered, attempts=1, stopped=stopped))


def expire_notifications():
    with enginefacade.writer.using(threading.local()) as session:
        session.query(models.Notification).update({
            'lease_expires_at': timeutils.utcnow()
            - datetime.timedelta(seconds=1)})


def outbox_rows():
    with enginefacade.reader.using(threading.local()) as session:
        return session.query(models.Notification).all()


class TestOutbox(base.DbTestCase):

    def setUp(self):
        super().setUp()
        self.config(lease_duration=30, group='app_lcm')
        self.sub = self.subscription()
        self.notifier = FakeNotifier()
        self.outbox = outbox.Outbox('alive', self.dbapi, self.notifier)

    def subscription(self, api='app_lcm'):
        return self.dbapi.create_subscription({
            'id': uuidutils.generate_uuid(), 'project_id': 'p', 'api': api,
            'subscription_type': 'AppLcmOpOccStateChange',
            'callback_uri': 'http://cb'})

    def send(self, count=1):
        bodies = [{'id': uuidutils.generate_uuid(), 'n': n}
                  for n in range(count)]
        self.assertTrue(self.outbox.send(
            'app_lcm', 'p', [(self.sub, b) for b in bodies]))
        return bodies

    def test_queued_before_sent_and_removed_once_delivered(self):
        [body] = self.send()
        [row] = outbox_rows()
        self.assertEqual((body, 'alive', self.sub.id),
                         (row.body, row.owner, row.subscription_id))
        self.assertEqual([body], [n for _s, n, _c in self.notifier.given])
        self.assertEqual({row.id}, self.outbox.sending())
        self.notifier.end()
        self.assertEqual([], outbox_rows())
        self.assertEqual(set(), self.outbox.sending())

    def test_given_up_is_removed_too(self):
        self.send()
        self.notifier.end(delivered=False)
        self.assertEqual([], outbox_rows())

    def test_a_dead_conductors_notifications_are_sent_again(self):
        bodies = self.send(2)
        # The conductor dies: nothing delivered, nothing renewed.
        peer = FakeNotifier()
        other = outbox.Outbox('peer', self.dbapi, peer)
        self.assertEqual(0, other.take_over())
        expire_notifications()
        self.assertEqual(2, other.take_over())
        self.assertEqual(sorted(b['id'] for b in bodies),
                         sorted(n['id'] for _s, n, _c in peer.given))
        self.assertEqual({'peer'}, {r.owner for r in outbox_rows()})
        # Taken once only.
        expire_notifications()
        self.assertEqual(2, other.take_over())
        self.assertEqual(4, len(peer.given))
        peer.end(0)
        peer.end(1)
        self.assertEqual([], outbox_rows())

    def test_a_stopping_notifier_leaves_them_to_the_next(self):
        [body] = self.send()
        self.notifier.end(delivered=False, stopped=True)
        [row] = outbox_rows()
        self.assertEqual(body, row.body)
        self.assertEqual(set(), self.outbox.sending())

    def test_renewal_keeps_the_notifications_being_sent(self):
        self.send()
        expire_notifications()
        self.outbox.renew_leases()
        self.assertEqual(0, outbox.Outbox(
            'peer', self.dbapi, FakeNotifier()).take_over())

    def test_a_deleted_subscription_gets_nothing_more(self):
        self.send()
        other = self.subscription()
        self.outbox.send('app_lcm', 'p', [(other, {'id': 'x'})])
        self.dbapi.destroy_subscription('app_lcm', self.sub.id)
        self.assertEqual([other.id],
                         [r.subscription_id for r in outbox_rows()])
        # Gone between the claim and the send: dropped.
        with enginefacade.writer.using(threading.local()) as session:
            session.query(models.Subscription).delete()
        expire_notifications()
        peer = FakeNotifier()
        self.assertEqual(1, outbox.Outbox('peer', self.dbapi,
                                          peer).take_over())
        self.assertEqual([], peer.given)
        self.assertEqual([], outbox_rows())


    def test_a_package_change_and_its_notifications_are_one(self):
        pkg = self.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'app_pkg_name': 'p', 'app_pkg_version': '1',
            'onboarding_state': 'ONBOARDED', 'operational_state': 'ENABLED',
            'usage_state': 'NOT_IN_USE'})
        sub = self.subscription('app_pkgm')

        def rows():
            return outbox.rows('app_pkgm', 'p', [(sub, {'id': 'n'})])

        self.assertRaises(exception.InvalidState,
                          self.dbapi.update_app_package, pkg.id,
                          {'operational_state': 'DISABLED'},
                          expected={'operational_state': 'DISABLED'},
                          notifications=rows())
        self.assertRaises(exception.InvalidState,
                          self.dbapi.destroy_app_package, pkg.id,
                          expected={'operational_state': 'DISABLED'},
                          notifications=rows())
        self.assertEqual([], outbox_rows())
        self.dbapi.update_app_package(
            pkg.id, {'operational_state': 'DISABLED'},
            expected={'operational_state': 'ENABLED'}, notifications=rows())
        self.dbapi.destroy_app_package(
            pkg.id, expected={'operational_state': 'DISABLED'},
            notifications=rows())
        # Any conductor's to send.
        self.assertEqual([(None, None, sub.id)] * 2, [
            (r.owner, r.lease_expires_at, r.subscription_id)
            for r in outbox_rows()])
        self.assertEqual(2, self.outbox.take_over())


class TestOpOccNotifications(test_app_lcm.LcmServiceTestCase):
    """An op-occ state's notifications are queued once.

    Even across a conductor's death between the state change and the
    queueing.
    """

    def setUp(self):
        super().setUp()
        self.sub = self.dbapi.create_subscription({
            'id': uuidutils.generate_uuid(), 'project_id': 'p',
            'api': 'app_lcm',
            'subscription_type': 'AppLcmOpOccStateChange',
            'callback_uri': 'http://cb'})
        self.fake = FakeNotifier()

    def service(self, host='alive'):
        return app_lcm.LcmService(host, self.dbapi, self.executor,
                                  outbox.Outbox(host, self.dbapi, self.fake))

    def states_sent(self):
        return [n['notificationType'] for _s, n, _c in self.fake.given]

    def test_every_state_is_queued_once(self):
        op = self.op(self.instance())
        self.service().run(op.id)
        self.assertEqual(['STARTING', 'PROCESSING', 'COMPLETED'],
                         self.states_sent())
        self.assertEqual(3, len(outbox_rows()))
        self.assertIsNone(self.dbapi.get_app_lcm_op(op.id).notify_state)
        self.assertEqual(0, self.service('peer').notify_pending())
        self.assertEqual(3, len(self.fake.given))

    def failed_temp_not_notified(self):
        """An op-occ moved to FAILED_TEMP by a conductor that then died.

        It died before it queued the notifications.
        """
        op = self.op(self.instance())
        self.service().run(op.id)
        del self.fake.given[:]
        return self.dbapi.update_app_lcm_op(op.id, {
            'operation_state': 'FAILED_TEMP', 'notify_state': 'FAILED_TEMP',
            'error': {'status': 500, 'detail': 'boom'}})

    def test_a_state_its_conductor_did_not_notify_is_notified_later(self):
        op = self.failed_temp_not_notified()
        peer = self.service('peer')
        self.assertEqual(0, peer.notify_pending())
        self.assertEqual([], self.fake.given)
        self.dbapi.update_app_lcm_op(op.id, {
            'state_entered_time': timeutils.utcnow()
            - datetime.timedelta(seconds=31)})
        self.assertEqual(1, peer.notify_pending())
        self.assertEqual(['FAILED_TEMP'], self.states_sent())
        self.assertEqual(0, peer.notify_pending())
        self.assertEqual(0, self.service().notify_pending())
        self.assertEqual(1, len(self.fake.given))

    def test_a_state_left_unnotified_goes_before_the_next(self):
        op = self.failed_temp_not_notified()
        self.service('peer').act(op.id, 'fail')
        self.assertEqual(['FAILED_TEMP', 'FAILED'], self.states_sent())
