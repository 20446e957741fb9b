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
"""Database access for app instances and their LCM operation occurrences.

Every state change is a compare-and-swap (an UPDATE narrowed to the
expected state, whose row count says whether it won), so two API workers
or two conductors can never both move the same instance or op-occ.
"""

import datetime
import threading

from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states
from mec_orchestrator.db.sqlalchemy import app_packages
from mec_orchestrator.db.sqlalchemy import engine
from mec_orchestrator.db.sqlalchemy import models

_CONTEXT = threading.local()

_expect = app_packages._expect


def _describe(expected):
    return ', '.join(
        '%s %s' % (k, '|'.join(sorted(v)) if isinstance(
            v, (set, frozenset, list, tuple)) else v)
        for k, v in sorted((expected or {}).items()))


def _with_state_time(values):
    values = dict(values)
    if 'operation_state' in values:
        values.setdefault('state_entered_time', timeutils.utcnow())
    return values


class AppLcmMixin(object):
    """App instance and op-occ methods of the SQLAlchemy Connection."""

    # -- app instances --------------------------------------------------------

    @engine.retry_on_deadlock
    def create_app_instance(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            # The package must be usable, and becomes IN_USE in the same
            # transaction: a package cannot be deleted under an instance.
            count = session.query(models.AppPackage).filter_by(
                id=values['app_pkg_id'], project_id=values['project_id'],
                onboarding_state=states.ONBOARDED,
                operational_state=states.ENABLED).update(
                    {'usage_state': states.IN_USE},
                    synchronize_session=False)
            if not count:
                raise exception.InvalidState(
                    resource='App package', id=values['app_pkg_id'],
                    state=states.DISABLED,
                    reason=_('only an ONBOARDED and ENABLED package can be '
                             'instantiated'))
            ref = models.AppInstance(**values)
            session.add(ref)
            session.flush()
            return ref

    def get_app_instance(self, instance_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.AppInstance, instance_id)
        if ref is None:
            raise exception.AppInstanceNotFound(instance_id=instance_id)
        return ref

    def list_app_instances(self, project_id=None, vim_id=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.AppInstance)
            if project_id is not None:
                query = query.filter_by(project_id=project_id)
            if vim_id is not None:
                query = query.filter_by(vim_id=vim_id)
            return query.order_by(models.AppInstance.created_at,
                                  models.AppInstance.id).all()

    @engine.retry_on_deadlock
    def update_app_instance(self, instance_id, values, expected=None):
        with enginefacade.writer.using(_CONTEXT) as session:
            query = _expect(session.query(models.AppInstance).filter_by(
                id=instance_id), models.AppInstance, expected)
            count = query.update(values, synchronize_session=False)
            ref = session.get(models.AppInstance, instance_id,
                              populate_existing=True)
        if ref is None:
            raise exception.AppInstanceNotFound(instance_id=instance_id)
        if not count:
            raise exception.InvalidState(
                resource='App instance', id=instance_id,
                state=ref.instantiation_state,
                reason='expected %s' % _describe(expected))
        return ref

    @engine.retry_on_deadlock
    def destroy_app_instance(self, instance_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.get(models.AppInstance, instance_id)
            if ref is None:
                raise exception.AppInstanceNotFound(instance_id=instance_id)
            count = session.query(models.AppInstance).filter_by(
                id=instance_id, current_op_occ_id=None,
                instantiation_state=states.NOT_INSTANTIATED).delete(
                    synchronize_session=False)
            if not count:
                if ref.current_op_occ_id:
                    raise exception.OperationInProgress(
                        resource='App instance', id=instance_id,
                        op_occ=ref.current_op_occ_id)
                raise exception.InvalidState(
                    resource='App instance', id=instance_id,
                    state=ref.instantiation_state,
                    reason=_('only a NOT_INSTANTIATED instance can be '
                             'deleted; terminate it first'))
            others = session.query(models.AppInstance.id).filter_by(
                app_pkg_id=ref.app_pkg_id).first()
            if others is None:
                session.query(models.AppPackage).filter_by(
                    id=ref.app_pkg_id).update(
                        {'usage_state': states.NOT_IN_USE},
                        synchronize_session=False)
            return ref

    # -- op-occs --------------------------------------------------------------

    @engine.retry_on_deadlock
    def start_app_lcm_op(self, values, expected=None):
        """Create an op-occ and lock its instance, or raise 404/409."""
        instance_id = values['app_instance_id']
        now = timeutils.utcnow()
        with enginefacade.writer.using(_CONTEXT) as session:
            query = _expect(session.query(models.AppInstance).filter_by(
                id=instance_id, current_op_occ_id=None),
                models.AppInstance, expected)
            count = query.update({'current_op_occ_id': values['id']},
                                 synchronize_session=False)
            if not count:
                ref = session.get(models.AppInstance, instance_id)
                if ref is None:
                    raise exception.AppInstanceNotFound(
                        instance_id=instance_id)
                if ref.current_op_occ_id:
                    raise exception.OperationInProgress(
                        resource='App instance', id=instance_id,
                        op_occ=ref.current_op_occ_id)
                state = ref.instantiation_state
                if ref.operational_state:
                    state += '/' + ref.operational_state
                raise exception.InvalidState(
                    resource='App instance', id=instance_id, state=state,
                    reason='%s needs %s' % (values['operation'],
                                            _describe(expected)))
            ref = models.AppLcmOpOcc(
                operation_state=states.STARTING, state_entered_time=now,
                start_time=now, is_cancel_pending=False, steps={},
                notify_state=states.STARTING,
                **values)
            session.add(ref)
            session.flush()
            return ref

    def get_app_lcm_op(self, op_occ_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.AppLcmOpOcc, op_occ_id)
        if ref is None:
            raise exception.AppLcmOpOccNotFound(op_occ_id=op_occ_id)
        return ref

    def list_app_lcm_ops(self, project_id=None, app_instance_id=None,
                         operation_states=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.AppLcmOpOcc)
            if project_id is not None:
                query = query.filter_by(project_id=project_id)
            if app_instance_id is not None:
                query = query.filter_by(app_instance_id=app_instance_id)
            if operation_states is not None:
                query = query.filter(models.AppLcmOpOcc.operation_state.in_(
                    list(operation_states)))
            return query.order_by(models.AppLcmOpOcc.start_time,
                                  models.AppLcmOpOcc.id).all()

    @engine.retry_on_deadlock
    def update_app_lcm_op(self, op_occ_id, values, expected=None,
                          instance_values=None):
        """Change an op-occ if it is as expected (and its instance too).

        A final state releases the instance's lock in the same
        transaction; ``instance_values`` are written with it.
        """
        values = _with_state_time(values)
        with enginefacade.writer.using(_CONTEXT) as session:
            query = _expect(session.query(models.AppLcmOpOcc).filter_by(
                id=op_occ_id), models.AppLcmOpOcc, expected)
            count = query.update(values, synchronize_session=False)
            ref = session.get(models.AppLcmOpOcc, op_occ_id,
                              populate_existing=True)
            if ref is None:
                raise exception.AppLcmOpOccNotFound(op_occ_id=op_occ_id)
            if not count:
                raise exception.InvalidState(
                    resource='App LCM operation occurrence', id=op_occ_id,
                    state=ref.operation_state,
                    reason='expected %s' % _describe(expected))
            instance_values = dict(instance_values or {})
            if values.get('operation_state') in states.OP_FINAL_STATES:
                instance_values['current_op_occ_id'] = None
            if instance_values:
                session.query(models.AppInstance).filter_by(
                    id=ref.app_instance_id,
                    current_op_occ_id=op_occ_id).update(
                        instance_values, synchronize_session=False)
            return ref

    @engine.retry_on_deadlock
    def acquire_app_lcm_op(self, op_occ_id, owner, lease, previous=None):
        """Become an active op-occ's owner for lease seconds.

        :param previous: the owner to take the op-occ over from (whose
            lease must have expired); None to take an op-occ nobody owns
            or that this owner already has.
        :returns: the op-occ, or None when someone else has it.
        """
        now = timeutils.utcnow()
        op = models.AppLcmOpOcc
        with enginefacade.writer.using(_CONTEXT) as session:
            query = session.query(op).filter(
                op.id == op_occ_id,
                op.operation_state.in_(list(states.OP_ACTIVE_STATES)))
            if previous is None:
                query = query.filter(sa.or_(op.owner.is_(None),
                                            op.owner == owner))
            else:
                query = query.filter(op.owner == previous,
                                     op.lease_expires_at < now)
            count = query.update(
                {'owner': owner, 'lease_expires_at':
                 now + datetime.timedelta(seconds=lease)},
                synchronize_session=False)
            if not count:
                return None
            return session.get(op, op_occ_id, populate_existing=True)

    @engine.retry_on_deadlock
    def renew_app_lcm_leases(self, owner, lease, op_occ_ids=None):
        now = timeutils.utcnow()
        with enginefacade.writer.using(_CONTEXT) as session:
            query = session.query(models.AppLcmOpOcc).filter(
                models.AppLcmOpOcc.owner == owner,
                models.AppLcmOpOcc.operation_state.in_(
                    list(states.OP_ACTIVE_STATES)))
            if op_occ_ids is not None:
                query = query.filter(
                    models.AppLcmOpOcc.id.in_(list(op_occ_ids)))
            return query.update(
                        {'lease_expires_at':
                         now + datetime.timedelta(seconds=lease)},
                        synchronize_session=False)

    def list_abandoned_app_lcm_ops(self, alive, unowned_after):
        """Active op-occs nobody runs.

        :param alive: the hostnames of the live conductors.
        :param unowned_after: seconds after which an op-occ that no
            conductor took (a lost cast) is abandoned.
        :returns: op-occ rows: owned by a conductor not alive whose lease
            has expired, or unowned for longer than unowned_after.
        """
        now = timeutils.utcnow()
        op = models.AppLcmOpOcc
        stale = now - datetime.timedelta(seconds=unowned_after)
        with enginefacade.reader.using(_CONTEXT) as session:
            return session.query(op).filter(
                op.operation_state.in_(list(states.OP_ACTIVE_STATES)),
                sa.or_(
                    sa.and_(op.owner.is_(None),
                            op.state_entered_time < stale),
                    sa.and_(op.owner.is_not(None),
                            op.owner.not_in(list(alive) or ['']),
                            op.lease_expires_at < now))).order_by(
                                op.start_time).all()
