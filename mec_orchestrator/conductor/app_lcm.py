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
"""Runs app lifecycle operations: ownership, leases, journal, takeovers.

An op-occ is run by the conductor that owns it (``owner``) until its lease
expires; the owner renews the leases of all its active op-occs with its
heartbeat. Every state change and every journal entry is a
compare-and-swap on (state, owner), so a conductor that lost an op-occ
(paused past its lease, then taken over) cannot write over the new
owner's work: its next write fails and it stops.

A live conductor takes over the op-occs whose owner stopped heartbeating
and whose lease expired, or that no conductor took (a lost cast); a
restarting conductor resumes its own once their lease expired (its
previous process may still be finishing them: a stopping conductor keeps
renewing its leases until its running work is done). All resume from the
journal (:mod:`mec_orchestrator.conductor.flows`).
"""

import datetime
import http
import threading
import time

from oslo_log import log
from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import context as mec_context
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states
from mec_orchestrator.conductor import flows
from mec_orchestrator import conf
from mec_orchestrator.etsi import app_lcm as etsi_lcm

CONF = conf.CONF
LOG = log.getLogger(__name__)

API = 'app_lcm'


class LostOwnership(Exception):
    """Another conductor owns the op-occ now: stop working on it."""


def problem(exc, step=None):
    """The ProblemDetails of a failed step.

    :param exc: the exception.
    :param step: the step's name.
    :returns: a dict.
    """
    if isinstance(exc, exception.MecOrchestratorException) and (
            exc.safe or int(exc.code) < 500):
        status, detail = int(exc.code), exc.message
    else:
        status = 500
        detail = _('internal error; the conductor log has the details')
    if step:
        detail = _('step %(step)s: %(detail)s') % {'step': step,
                                                   'detail': detail}
    return {'type': 'about:blank',
            'title': http.HTTPStatus(status).phrase,
            'status': status, 'detail': detail}


class LcmService(object):
    """The lifecycle operations a conductor runs.

    :param host: the conductor's hostname (the op-occs' owner).
    :param dbapi: the database API.
    :param executor: the conductor's worker pool.
    :param outbox: the conductor's
        :class:`~mec_orchestrator.conductor.outbox.Outbox`.
    """

    def __init__(self, host, dbapi, executor, outbox):
        self.host = host
        self.dbapi = dbapi
        self.executor = executor
        self.outbox = outbox
        # The op-occs a worker of this conductor is driving: a cast, a
        # takeover and a resume of the same op-occ run it once.
        self._running = set()
        self._lock = threading.Lock()

    @property
    def lease(self):
        return CONF.app_lcm.lease_duration

    # -- entry points ---------------------------------------------------------

    def submit(self, op_occ_id, previous=None):
        """Run an op-occ on the worker pool.

        :param op_occ_id: the op-occ's id.
        :param previous: the dead owner to take it over from, if any.
        """
        return self.executor.submit(self.run, op_occ_id, previous)

    def run(self, op_occ_id, previous=None):
        """Own an op-occ and drive it to a stable state.

        :param op_occ_id: the op-occ's id.
        :param previous: the dead owner to take it over from, if any.
        """
        with self._lock:
            if op_occ_id in self._running:
                LOG.debug('Op-occ %s is running here already', op_occ_id)
                return
            self._running.add(op_occ_id)
        try:
            self._run(op_occ_id, previous)
        finally:
            with self._lock:
                self._running.discard(op_occ_id)

    def _run(self, op_occ_id, previous):
        op = self.dbapi.acquire_app_lcm_op(op_occ_id, self.host, self.lease,
                                           previous=previous)
        if op is None:
            LOG.debug('Op-occ %s is not for this conductor', op_occ_id)
            return
        if previous:
            LOG.warning('Conductor %(me)s takes over op-occ %(op)s '
                        '(%(operation)s, %(state)s) from %(prev)s',
                        {'me': self.host, 'op': op.id,
                         'operation': op.operation,
                         'state': op.operation_state, 'prev': previous})
        try:
            self._drive(op)
        except LostOwnership:
            LOG.warning('Conductor %(me)s lost op-occ %(op)s to another '
                        'conductor; stopping', {'me': self.host,
                                                'op': op_occ_id})
        except Exception:
            LOG.exception('Op-occ %s failed unexpectedly', op_occ_id)

    def act(self, op_occ_id, action, params=None):
        """Retry, roll back, fail or cancel an op-occ (the API's tasks).

        :param op_occ_id: the op-occ's id.
        :param action: retry, rollback, fail or cancel.
        :param params: the task's body.
        :returns: the op-occ's state after the change.
        :raises: InvalidState (409) when the op-occ's state does not allow
            the task.
        """
        op = self.dbapi.get_app_lcm_op(op_occ_id)
        state = op.operation_state
        if action == 'cancel':
            return self._cancel(op)
        if state != states.FAILED_TEMP:
            raise exception.InvalidState(
                resource='App LCM operation occurrence', id=op.id,
                state=state, reason=_('%s needs FAILED_TEMP') % action)
        if action == 'fail':
            op = self._transition(op, states.FAILED, owned=False)
            return op.operation_state
        if action == 'rollback' and not flows.get_flow(
                op.operation).rollback:
            raise exception.InvalidState(
                resource='App LCM operation occurrence', id=op.id,
                state=state, reason=_('a %s cannot be rolled back')
                % op.operation)
        target = (states.PROCESSING if action == 'retry'
                  else states.ROLLING_BACK)
        op = self._transition(op, target, owned=False, values={
            'owner': self.host, 'lease_expires_at': self._lease_end()})
        self.submit(op.id)
        return op.operation_state

    def renew_leases(self):
        """Extend the leases of the op-occs this process runs (heartbeat).

        Only those a worker of this process is driving: the op-occs of an
        earlier process of the same host name are left to expire, and
        then resumed.
        """
        with self._lock:
            running = sorted(self._running)
        if not running:
            return
        try:
            self.dbapi.renew_app_lcm_leases(self.host, self.lease,
                                            op_occ_ids=running)
        except Exception:
            LOG.exception('Renewing the leases of %s failed', self.host)

    def take_over(self):
        """Take over the op-occs that dead conductors (or nobody) own.

        Those of this conductor's host name whose lease expired are taken
        too: they are from before a restart (a running op-occ's lease is
        renewed by the heartbeat).

        :returns: the number of op-occs taken.
        """
        try:
            alive = [c.hostname for c in self.dbapi.get_alive_conductors(
                CONF.conductor.heartbeat_timeout)
                if c.hostname != self.host]
            abandoned = self.dbapi.list_abandoned_app_lcm_ops(
                alive, unowned_after=self.lease)
        except Exception:
            LOG.exception('Looking for abandoned op-occs failed')
            return 0
        for op in abandoned:
            self.submit(op.id, previous=op.owner)
        self.notify_pending()
        return len(abandoned)

    def notify_pending(self):
        """Notify the op-occ states whose notifications were not queued.

        Their conductor died between the state change and the queueing;
        a state is older than a lease before it is taken here, so that a
        live conductor always queues its own.

        :returns: the number of op-occ states notified.
        """
        try:
            ops = self.dbapi.list_app_lcm_ops_to_notify(self.lease)
        except Exception:
            LOG.exception('Looking for op-occs to notify failed')
            return 0
        count = 0
        for op in ops:
            if self._notify(op):
                LOG.info('Conductor %(me)s notified the %(state)s of op-occ '
                         '%(op)s for a conductor that did not',
                         {'me': self.host, 'state': op.notify_state,
                          'op': op.id})
                count += 1
        return count

    # -- the state machine ----------------------------------------------------

    def _lease_end(self):
        return timeutils.utcnow() + datetime.timedelta(
            seconds=self.lease)

    def _transition(self, op, target, owned=True, values=None,
                    instance_values=None):
        states.LCM_OPERATION.check(op.operation_state, target)
        if op.notify_state == op.operation_state:
            # The state left was never notified: notify it first.
            self._notify(op)
        values = dict(values or {}, operation_state=target,
                      notify_state=target)
        if target in states.OP_FINAL_STATES or target == states.FAILED_TEMP:
            values.update(owner=None, lease_expires_at=None,
                          is_cancel_pending=False)
        if target == states.COMPLETED:
            values['error'] = None
        expected = {'operation_state': op.operation_state}
        if owned:
            expected['owner'] = self.host
        try:
            op = self.dbapi.update_app_lcm_op(
                op.id, values, expected=expected,
                instance_values=instance_values)
        except exception.InvalidState:
            if owned:
                raise LostOwnership()
            raise
        LOG.info('Op-occ %(op)s (%(operation)s of %(inst)s): %(state)s',
                 {'op': op.id, 'operation': op.operation,
                  'inst': op.app_instance_id, 'state': target})
        self._notify(op)
        return op

    def _record(self, op, journal):
        try:
            return self.dbapi.update_app_lcm_op(
                op.id, {'steps': journal,
                        'lease_expires_at': self._lease_end()},
                expected={'operation_state': op.operation_state,
                          'owner': self.host})
        except exception.InvalidState:
            raise LostOwnership()

    def _cancel(self, op):
        state = op.operation_state
        if state == states.STARTING:
            try:
                op = self._transition(op, states.ROLLED_BACK, owned=False)
                return op.operation_state
            except exception.InvalidState:
                op = self.dbapi.get_app_lcm_op(op.id)
                state = op.operation_state
        if state in (states.PROCESSING, states.ROLLING_BACK):
            self.dbapi.update_app_lcm_op(
                op.id, {'is_cancel_pending': True},
                expected={'operation_state': state})
            return state
        raise exception.InvalidState(
            resource='App LCM operation occurrence', id=op.id, state=state,
            reason=_('only an operation in progress can be cancelled'))

    def _context(self, op):
        ctx = mec_context.get_admin_context()
        ctx.project_id = op.project_id
        # The worker thread's log lines carry this op-occ's own request id,
        # not that of the last request the thread served.
        ctx.update_store()
        return ctx

    def _flow_context(self, op):
        instance = self.dbapi.get_app_instance(op.app_instance_id)
        package = self.dbapi.get_app_package(instance.app_pkg_id)
        return flows.FlowContext(self._context(op), self.dbapi, op,
                                 instance, package)

    def _drive(self, op):
        if op.notify_state == op.operation_state:
            self._notify(op)
        if op.operation_state == states.STARTING:
            op = self._transition(op, states.PROCESSING)
        if op.operation_state == states.PROCESSING:
            self._forward(op)
        elif op.operation_state == states.ROLLING_BACK:
            self._backward(op)

    def _cancelled(self, op):
        current = self.dbapi.get_app_lcm_op(op.id)
        if current.owner != self.host:
            raise LostOwnership()
        return current.is_cancel_pending

    def _fail_temp(self, op, error):
        self._transition(op, states.FAILED_TEMP, values={'error': error})

    def _forward(self, op):
        flow = flows.get_flow(op.operation)
        fctx = self._flow_context(op)
        journal = fctx.journal
        done = journal.setdefault(flows.JOURNAL_DONE, {})
        started = journal.setdefault('started', [])
        for step in flow.steps:
            if step.name in done:
                continue
            if self._cancelled(op):
                self._fail_temp(op, problem(exception.Conflict(
                    _('the operation was cancelled'))))
                return
            if step.name not in started:
                started.append(step.name)
                op = self._record(op, journal)
            started_at = time.monotonic()
            try:
                result = step.do(fctx)
            except LostOwnership:
                raise
            except Exception as e:
                LOG.warning('Op-occ %(op)s: step %(step)s failed: %(err)s',
                            {'op': op.id, 'step': step.name, 'err': e},
                            exc_info=not isinstance(
                                e, exception.MecOrchestratorException))
                self._fail_temp(op, problem(e, step.name))
                return
            done[step.name] = dict(result or {}, seconds=round(
                time.monotonic() - started_at, 3))
            op = self._record(op, journal)
        self._transition(op, states.COMPLETED,
                         instance_values=flow.completed(fctx))

    def _backward(self, op):
        flow = flows.get_flow(op.operation)
        fctx = self._flow_context(op)
        journal = fctx.journal
        done = journal.get(flows.JOURNAL_DONE) or {}
        undone = journal.setdefault(flows.JOURNAL_UNDONE, [])
        by_name = {s.name: s for s in flow.steps}
        for name in reversed(journal.get('started') or []):
            if name in undone:
                continue
            if self._cancelled(op):
                self._fail_temp(op, problem(exception.Conflict(
                    _('the rollback was cancelled'))))
                return
            try:
                by_name[name].undo(fctx, done.get(name))
            except LostOwnership:
                raise
            except Exception as e:
                LOG.warning('Op-occ %(op)s: undoing %(step)s failed: '
                            '%(err)s', {'op': op.id, 'step': name,
                                        'err': e})
                self._fail_temp(op, problem(e, 'rollback of %s' % name))
                return
            undone.append(name)
            op = self._record(op, journal)
        self._transition(op, states.ROLLED_BACK,
                         instance_values=flow.rolled_back(fctx))

    # -- notifications --------------------------------------------------------

    def _notify(self, op):
        """Queue and send the notifications of an op-occ's state.

        A no-op unless the state's notifications are still to be queued
        (``notify_state``); a COMPLETED operation also notifies its
        instance's new state.

        :returns: True if this call queued them.
        """
        state = op.notify_state
        if state is None or state != op.operation_state:
            return False
        try:
            queued = self.outbox.send(API, op.project_id, self._deliveries(
                op, state == states.COMPLETED), op_occ=(op.id, state))
        except Exception:
            # Left to notify_pending: the state stays to be notified.
            LOG.exception('Notifying the change of op-occ %s failed', op.id)
            return False
        op.notify_state = None
        return queued

    def _deliveries(self, op, instance_changed):
        """The (subscription, notification) pairs of an op-occ's state."""
        deliveries = []
        base_url = CONF.api.public_endpoint or op.base_url or ''
        subs = self.dbapi.list_subscriptions(API, op.project_id)
        if not subs:
            return deliveries
        try:
            inst = self.dbapi.get_app_instance(op.app_instance_id)
            inst_info = etsi_lcm.instance_info(inst, base_url)
        except exception.AppInstanceNotFound:
            inst_info = {'id': op.app_instance_id}
        op_info = etsi_lcm.op_occ(op, base_url)
        op_id, inst_id = (uuidutils.generate_uuid(),
                          uuidutils.generate_uuid())
        for sub in subs:
            if sub.subscription_type == etsi_lcm.OP_OCC_STATE_CHANGE:
                if etsi_lcm.matches_op_occ_subscription(sub, op_info,
                                                        inst_info):
                    deliveries.append((sub, etsi_lcm.op_occ_notification(
                        sub, op_info, base_url, op_id)))
            elif (instance_changed and sub.subscription_type
                  == etsi_lcm.INSTANCE_STATE_CHANGE):
                if etsi_lcm.matches_instance_subscription(sub, inst_info):
                    deliveries.append((sub, etsi_lcm.instance_notification(
                        sub, inst_info, base_url, inst_id)))
        return deliveries
