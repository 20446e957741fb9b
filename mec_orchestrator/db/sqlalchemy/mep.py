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
"""Database access for the MEC platform (MEC 011): the apps it serves,
their traffic and DNS rules, the services registered and the Mp1
subscriptions.
"""

import threading

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade

from mec_orchestrator.common import exception
from mec_orchestrator.db.sqlalchemy import engine
from mec_orchestrator.db.sqlalchemy import models

_CONTEXT = threading.local()

RULE_KINDS = ('traffic', 'dns')
_RULE_RESOURCE = {'traffic': 'Traffic rule', 'dns': 'DNS rule'}


def _get(model, key, not_found):
    """A row by primary key, or ``not_found()`` raised."""
    with enginefacade.reader.using(_CONTEXT) as session:
        ref = session.get(model, key)
    if ref is None:
        raise not_found()
    return ref


def _list(model, **filters):
    """The rows matching the filters that are not None, oldest first."""
    with enginefacade.reader.using(_CONTEXT) as session:
        query = session.query(model).filter_by(
            **{k: v for k, v in filters.items() if v is not None})
        return query.order_by(model.created_at, model.id).all()


class MepMixin(object):
    """MEC platform methods of the SQLAlchemy Connection."""

    # -- apps -----------------------------------------------------------------

    @engine.retry_on_deadlock
    def configure_mep_app(self, values, rules=()):
        """Create the platform's record of an app with its rules, once.

        Idempotent: an app already configured is returned unchanged (a
        repeated lifecycle step), with its rules as they are now.

        :param values: the MepApp columns (``id`` is the appInstanceId).
        :param rules: (kind, rule_id, body, state) tuples.
        :returns: the MepApp row.
        """
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = session.get(models.MepApp, values['id'])
            if ref is not None:
                return ref
            ref = models.MepApp(**values)
            session.add(ref)
            for kind, rule_id, body, state in rules:
                session.add(models.MepRule(
                    app_instance_id=values['id'], kind=kind,
                    rule_id=rule_id, body=body, state=state))
            session.flush()
            return ref

    def get_mep_app(self, app_instance_id):
        return _get(models.MepApp, app_instance_id,
                    lambda: exception.MepAppNotFound(
                        app_instance_id=app_instance_id))

    def list_mep_apps(self, mec_host_id=None, state=None):
        return _list(models.MepApp, mec_host_id=mec_host_id, state=state)

    @engine.retry_on_deadlock
    def update_mep_app(self, app_instance_id, values, expected_states=None):
        """Update an app; with ``expected_states``, a compare-and-swap.

        :raises: MepAppNotFound; InvalidState when the app is not in one
            of ``expected_states``.
        """
        with enginefacade.writer.using(_CONTEXT) as session:
            query = session.query(models.MepApp).filter_by(
                id=app_instance_id)
            if expected_states is not None:
                query = query.filter(
                    models.MepApp.state.in_(list(expected_states)))
            count = query.update(values, synchronize_session=False)
            ref = session.get(models.MepApp, app_instance_id,
                              populate_existing=True)
        if ref is None:
            raise exception.MepAppNotFound(app_instance_id=app_instance_id)
        if not count:
            raise exception.InvalidState(
                resource='App instance', id=app_instance_id, state=ref.state,
                reason='expected %s' % '|'.join(sorted(expected_states)))
        return ref

    @engine.retry_on_deadlock
    def destroy_mep_app(self, app_instance_id):
        """Forget an app, its rules, services and subscriptions.

        :returns: the services it had registered (as they were), for the
            availability notifications.
        """
        with enginefacade.writer.using(_CONTEXT) as session:
            services = session.query(models.MepService).filter_by(
                app_instance_id=app_instance_id).all()
            for model in (models.MepRule, models.MepService,
                          models.MepSubscription):
                session.query(model).filter_by(
                    app_instance_id=app_instance_id).delete(
                        synchronize_session=False)
            session.query(models.MepApp).filter_by(
                id=app_instance_id).delete(synchronize_session=False)
            return services

    # -- rules ----------------------------------------------------------------

    def list_mep_rules(self, app_instance_id=None, kind=None, state=None,
                       pending=False):
        """Rules, in a stable order.

        :param pending: only those whose data plane differs from their
            state (``applied_state`` is not ``state``).
        """
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.MepRule)
            if app_instance_id is not None:
                query = query.filter_by(app_instance_id=app_instance_id)
            if kind is not None:
                query = query.filter_by(kind=kind)
            if state is not None:
                query = query.filter_by(state=state)
            if pending:
                query = query.filter(
                    (models.MepRule.applied_state.is_(None))
                    | (models.MepRule.applied_state != models.MepRule.state))
            return query.order_by(models.MepRule.app_instance_id,
                                  models.MepRule.kind,
                                  models.MepRule.rule_id).all()

    def get_mep_rule(self, app_instance_id, kind, rule_id):
        return _get(models.MepRule, (app_instance_id, kind, rule_id),
                    lambda: exception.MepResourceNotFound(
                        resource=_RULE_RESOURCE.get(kind, kind), id=rule_id,
                        app_instance_id=app_instance_id))

    @engine.retry_on_deadlock
    def update_mep_rule(self, app_instance_id, kind, rule_id, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            session.query(models.MepRule).filter_by(
                app_instance_id=app_instance_id, kind=kind,
                rule_id=rule_id).update(values, synchronize_session=False)
            ref = session.get(models.MepRule, (app_instance_id, kind, rule_id),
                              populate_existing=True)
        if ref is None:
            raise exception.MepResourceNotFound(
                resource=_RULE_RESOURCE[kind], id=rule_id,
                app_instance_id=app_instance_id)
        return ref

    @engine.retry_on_deadlock
    def set_mep_rules_state(self, app_instance_id, state, kind=None):
        """Ask for every rule of an app to be ACTIVE or INACTIVE.

        :returns: how many rules changed.
        """
        with enginefacade.writer.using(_CONTEXT) as session:
            query = session.query(models.MepRule).filter(
                models.MepRule.app_instance_id == app_instance_id,
                models.MepRule.state != state)
            if kind is not None:
                query = query.filter(models.MepRule.kind == kind)
            return query.update({'state': state}, synchronize_session=False)

    # -- services -------------------------------------------------------------

    @engine.retry_on_deadlock
    def create_mep_service(self, values):
        """Register a service.

        :raises: DuplicateService when the app already has one with that
            name.
        """
        try:
            with enginefacade.writer.using(_CONTEXT) as session:
                ref = models.MepService(**values)
                session.add(ref)
                session.flush()
                return ref
        except db_exc.DBDuplicateEntry:
            existing = self.list_mep_services(
                app_instance_id=values['app_instance_id'])
            ids = [s.id for s in existing if s.ser_name == values['ser_name']]
            raise exception.DuplicateService(
                app_instance_id=values['app_instance_id'],
                ser_name=values['ser_name'],
                service_id=ids[0] if ids else '?')

    def get_mep_service(self, service_id):
        return _get(models.MepService, service_id,
                    lambda: exception.MepServiceNotFound(
                        service_id=service_id))

    def list_mep_services(self, mec_host_id=None, app_instance_id=None):
        return _list(models.MepService, mec_host_id=mec_host_id,
                     app_instance_id=app_instance_id)

    @engine.retry_on_deadlock
    def update_mep_service(self, service_id, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.MepService).filter_by(
                id=service_id).update(values, synchronize_session=False)
            ref = session.get(models.MepService, service_id,
                              populate_existing=True)
        if not count or ref is None:
            raise exception.MepServiceNotFound(service_id=service_id)
        return ref

    @engine.retry_on_deadlock
    def destroy_mep_service(self, service_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.MepService).filter_by(
                id=service_id).delete(synchronize_session=False)
        if not count:
            raise exception.MepServiceNotFound(service_id=service_id)

    # -- subscriptions --------------------------------------------------------

    @engine.retry_on_deadlock
    def create_mep_subscription(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = models.MepSubscription(**values)
            session.add(ref)
            session.flush()
            return ref

    def get_mep_subscription(self, subscription_id):
        return _get(models.MepSubscription, subscription_id,
                    lambda: exception.MepSubscriptionNotFound(
                        subscription_id=subscription_id))

    def list_mep_subscriptions(self, app_instance_id=None,
                               subscription_type=None, mec_host_id=None):
        return _list(models.MepSubscription, app_instance_id=app_instance_id,
                     subscription_type=subscription_type,
                     mec_host_id=mec_host_id)

    @engine.retry_on_deadlock
    def destroy_mep_subscription(self, subscription_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.MepSubscription).filter_by(
                id=subscription_id).delete(synchronize_session=False)
        if not count:
            raise exception.MepSubscriptionNotFound(
                subscription_id=subscription_id)
