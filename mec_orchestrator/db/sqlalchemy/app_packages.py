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
"""Database access for app packages and subscriptions."""

import threading

from oslo_db.sqlalchemy import enginefacade

from mec_orchestrator.common import exception
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.db.sqlalchemy import notifications as outbox

_CONTEXT = threading.local()


def _expect(query, model, expected):
    """Narrow a query to rows whose columns have the expected values."""
    for column, value in (expected or {}).items():
        attr = getattr(model, column)
        if isinstance(value, (set, frozenset, list, tuple)):
            query = query.filter(attr.in_(list(value)))
        else:
            query = query.filter(attr == value)
    return query


class AppPackageMixin(object):
    """App package and subscription methods of the SQLAlchemy Connection."""

    # -- app packages ---------------------------------------------------------

    def create_app_package(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = models.AppPackage(**values)
            session.add(ref)
            session.flush()
            return ref

    def get_app_package(self, package_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.get(models.AppPackage, package_id)
        if ref is None:
            raise exception.ResourceNotFound(resource='App package',
                                             id=package_id)
        return ref

    def get_onboarded_app_package(self, project_id, app_d_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.query(models.AppPackage).filter_by(
                project_id=project_id, app_d_id=app_d_id,
                onboarding_state='ONBOARDED').order_by(
                    models.AppPackage.created_at.desc()).first()
        if ref is None:
            raise exception.ResourceNotFound(resource='Onboarded app package '
                                             'with appDId', id=app_d_id)
        return ref

    def list_app_packages(self, project_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            return session.query(models.AppPackage).filter_by(
                project_id=project_id).order_by(
                    models.AppPackage.created_at,
                    models.AppPackage.id).all()

    def update_app_package(self, package_id, values, expected=None,
                           notifications=None):
        with enginefacade.writer.using(_CONTEXT) as session:
            query = _expect(session.query(models.AppPackage).filter_by(
                id=package_id), models.AppPackage, expected)
            count = query.update(values, synchronize_session=False)
            if count:
                outbox.add_notifications(session, notifications)
            ref = session.get(models.AppPackage, package_id,
                              populate_existing=True)
        if ref is None:
            raise exception.ResourceNotFound(resource='App package',
                                             id=package_id)
        if not count:
            raise exception.InvalidState(
                resource='App package', id=package_id,
                state='%s/%s/%s' % (ref.onboarding_state,
                                    ref.operational_state, ref.usage_state),
                reason='expected %s' % ', '.join(
                    '%s %s' % (k, '|'.join(sorted(v)) if isinstance(
                        v, (set, frozenset)) else v)
                    for k, v in sorted(expected.items())))
        return ref

    def destroy_app_package(self, package_id, expected=None,
                            notifications=None):
        with enginefacade.writer.using(_CONTEXT) as session:
            query = _expect(session.query(models.AppPackage).filter_by(
                id=package_id), models.AppPackage, expected)
            count = query.delete(synchronize_session=False)
            if count:
                outbox.add_notifications(session, notifications)
            if not count:
                ref = session.get(models.AppPackage, package_id)
                if ref is None:
                    raise exception.ResourceNotFound(resource='App package',
                                                     id=package_id)
                raise exception.InvalidState(
                    resource='App package', id=package_id,
                    state='%s/%s/%s' % (ref.onboarding_state,
                                        ref.operational_state,
                                        ref.usage_state),
                    reason='only a package that is DISABLED, NOT_IN_USE '
                           'and not being processed can be deleted')

    # -- subscriptions --------------------------------------------------------

    def create_subscription(self, values):
        with enginefacade.writer.using(_CONTEXT) as session:
            ref = models.Subscription(**values)
            session.add(ref)
            session.flush()
            return ref

    def get_subscription(self, api, subscription_id):
        with enginefacade.reader.using(_CONTEXT) as session:
            ref = session.query(models.Subscription).filter_by(
                id=subscription_id, api=api).one_or_none()
        if ref is None:
            raise exception.ResourceNotFound(resource='Subscription',
                                             id=subscription_id)
        return ref

    def list_subscriptions(self, api, project_id, subscription_types=None):
        with enginefacade.reader.using(_CONTEXT) as session:
            query = session.query(models.Subscription).filter_by(
                api=api, project_id=project_id)
            if subscription_types is not None:
                query = query.filter(models.Subscription.subscription_type.in_(
                    list(subscription_types)))
            return query.order_by(models.Subscription.created_at,
                                  models.Subscription.id).all()

    def destroy_subscription(self, api, subscription_id):
        with enginefacade.writer.using(_CONTEXT) as session:
            count = session.query(models.Subscription).filter_by(
                id=subscription_id, api=api).delete(
                    synchronize_session=False)
            # Nothing more is sent to a subscription that is gone.
            session.query(models.Notification).filter_by(
                subscription_id=subscription_id, api=api).delete(
                    synchronize_session=False)
        if not count:
            raise exception.ResourceNotFound(resource='Subscription',
                                             id=subscription_id)
