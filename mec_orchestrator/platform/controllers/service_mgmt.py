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
"""``/mec_service_mgmt/v1``: ETSI GS MEC 011 v2.1.1 service management.

An app registers the services it produces under
``/applications/{appInstanceId}/services``, discovers those of its platform
(its MEC host) under ``/services``, and subscribes to their availability
under ``/applications/{appInstanceId}/subscriptions``. An app may only use
its own ``appInstanceId`` (else 403); another app's service or subscription
under its own path is a 404.
"""

import hashlib
import http

from oslo_serialization import jsonutils
from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.conductor import notifier
from mec_orchestrator.platform import hooks
from mec_orchestrator.platform import service_mgmt_schemas as schemas
from mec_orchestrator.platform import services

#: The query filters of the service lists.
FILTERS = ('ser_instance_id', 'ser_name', 'ser_category_id',
           'consumed_local_only', 'is_local', 'scope_of_locality')
#: Filters of which at most one may be given.
EXCLUSIVE = ('ser_instance_id', 'ser_name', 'ser_category_id')
#: The longest query string of a service list (longer: 414).
MAX_QUERY_LENGTH = 4096

_BOOLEANS = {'true': True, 'false': False}


def _check_produced(app, ser_name):
    """Refuse a service the app's AppD does not say it produces.

    An AppD that lists ``appServiceProduced`` names every service its app
    may register; one that lists none leaves the app free.

    :raises: Forbidden (403)
    """
    produced = (app.services or {}).get('produced') or []
    if produced and ser_name not in produced:
        raise exception.Forbidden(action=_(
            'the registration of service %(name)s: the app\'s AppD '
            'produces only %(produced)s (appServiceProduced)') % {
                'name': ser_name, 'produced': ', '.join(produced)})


class QueryTooLong(exception.MecOrchestratorException):
    msg_fmt = _("The query string is longer than %(limit)d characters.")
    code = http.HTTPStatus.REQUEST_URI_TOO_LONG


def _one(query, name):
    values = query.getall(name)
    if len(values) != 1 or not values[0]:
        raise exception.InvalidParameterValue(
            err=_('%s takes one value') % name)
    return values[0]


def _many(query, name):
    values = [v.strip() for raw in query.getall(name)
              for v in raw.split(',') if v.strip()]
    if not values:
        raise exception.InvalidParameterValue(
            err=_('%s takes one or more comma-separated values') % name)
    return values


def _boolean(query, name):
    value = _one(query, name)
    if value.lower() not in _BOOLEANS:
        raise exception.InvalidParameterValue(
            err=_('%(name)s must be true or false, not %(value)s')
            % {'name': name, 'value': value})
    return _BOOLEANS[value.lower()]


def _service_filter():
    """The request's service filters, as a predicate on a ServiceInfo.

    ``ser_instance_id`` and ``ser_name`` take comma-separated lists (or
    the parameter repeated); at most one of ``ser_instance_id``,
    ``ser_name`` and ``ser_category_id`` may be given.

    :raises: InvalidParameterValue (400), QueryTooLong (414).
    """
    req = pecan.request
    if len(req.query_string) > MAX_QUERY_LENGTH:
        raise QueryTooLong(limit=MAX_QUERY_LENGTH)
    query = req.GET
    etsi.check_query(dict(query), FILTERS)
    given = [name for name in EXCLUSIVE if name in query]
    if len(given) > 1:
        raise exception.InvalidParameterValue(err=_(
            'Only one of ser_instance_id, ser_name and ser_category_id may '
            'be given, not %s') % ', '.join(given))
    tests = []
    if 'ser_instance_id' in query:
        ids = _many(query, 'ser_instance_id')
        tests.append(lambda i: i['serInstanceId'] in ids)
    if 'ser_name' in query:
        names = _many(query, 'ser_name')
        tests.append(lambda i: i['serName'] in names)
    if 'ser_category_id' in query:
        category = _one(query, 'ser_category_id')
        tests.append(lambda i: (i.get('serCategory') or {}).get('id')
                     == category)
    for name, attr in (('consumed_local_only', 'consumedLocalOnly'),
                       ('is_local', 'isLocal')):
        if name in query:
            tests.append(_attr_is(attr, _boolean(query, name)))
    if 'scope_of_locality' in query:
        scope = _one(query, 'scope_of_locality')
        if scope not in schemas.LOCALITY_TYPES:
            raise exception.InvalidParameterValue(err=_(
                'scope_of_locality must be one of %s')
                % ', '.join(schemas.LOCALITY_TYPES))
        tests.append(_attr_is('scopeOfLocality', scope))
    return lambda info: all(test(info) for test in tests)


def _attr_is(attr, value):
    default = services.DEFAULTS[attr]
    return lambda info: info.get(attr, default) == value


def _etag(info):
    return hashlib.sha256(
        jsonutils.dump_as_bytes(info, sort_keys=True)).hexdigest()


def _show(info):
    """A ServiceInfo response, with its ETag."""
    pecan.response.etag = _etag(info)
    return info


def _link(*parts):
    return hooks.link(services.BASE, *parts)


def _no_collection_method(item_id):
    """A 405 for PUT or DELETE on a collection."""
    if item_id is None:
        pecan.abort(405, headers={'Allow': 'GET, POST'})


class AppServicesController(rest.RestController):
    """``/applications/{appInstanceId}/services``: an app's services."""

    def __init__(self, app_instance_id):
        self.app_instance_id = app_instance_id

    def _service(self, service_id):
        """The caller's app and its service (404 for another app's)."""
        app = hooks.own_app(self.app_instance_id)
        row = pecan.request.dbapi.get_mep_service(service_id)
        if row.app_instance_id != app.id:
            raise exception.MepServiceNotFound(service_id=service_id)
        return app, row

    @pecan.expose('json')
    def get_all(self, **_query):
        """The services the app registered (a list of ServiceInfo)."""
        app = hooks.own_app(self.app_instance_id)
        keep = _service_filter()
        infos = [services.service_info(s) for s in
                 pecan.request.dbapi.list_mep_services(
                     app_instance_id=app.id)]
        return [i for i in infos if keep(i)]

    @pecan.expose('json')
    def get_one(self, service_id, **query):
        """A service of the app, with its ETag."""
        etsi.check_query(query, ())
        _app, row = self._service(service_id)
        return _show(services.service_info(row))

    @pecan.expose('json')
    def post(self, **_body):
        """Register a service (201, Location).

        The platform assigns the serInstanceId; a transportId names one of
        the platform's transports, whose TransportInfo the service gets.
        """
        app = hooks.own_app(self.app_instance_id)
        req = pecan.request
        body = utils.json_body()
        if isinstance(body, dict) and 'serInstanceId' in body:
            raise exception.InvalidParameterValue(err=_(
                'serInstanceId is assigned by the MEC platform: it must be '
                'absent when a service is registered'))
        utils.validate(body, schemas.SERVICE_INFO_POST)
        if ('transportId' in body) == ('transportInfo' in body):
            raise exception.InvalidParameterValue(err=_(
                'Exactly one of transportId and transportInfo must be '
                'given'))
        if 'transportId' in body:
            transport = services.find_transport(hooks.base_url(),
                                                body['transportId'])
            if transport is None:
                raise exception.InvalidParameterValue(err=_(
                    'transportId %s is not a transport of this platform '
                    '(see GET /transports)') % body['transportId'])
            body = dict(body, transportInfo=transport)
        _check_produced(app, body['serName'])
        service_id = uuidutils.generate_uuid()
        info = services.service_body(body, service_id)
        try:
            row = req.dbapi.create_mep_service({
                'id': service_id, 'app_instance_id': app.id,
                'mec_host_id': app.mec_host_id, 'ser_name': info['serName'],
                'state': info['state'], 'body': info})
        except exception.DuplicateService as e:
            # MEC 011 answers a registration with 400, not 409.
            raise exception.InvalidParameterValue(err=e.message)
        services.notify_availability(req.dbapi, app.mec_host_id, [row],
                                     services.ADDED, exclude_app=app.id)
        pecan.response.status = 201
        pecan.response.location = _link('applications', app.id, 'services',
                                        service_id)
        return _show(services.service_info(row))

    @pecan.expose('json')
    def put(self, service_id=None, **_body):
        """Replace a service's information (If-Match: 412 on a mismatch).

        serInstanceId, if given, and serName cannot change.
        """
        _no_collection_method(service_id)
        app, row = self._service(service_id)
        req = pecan.request
        old = services.service_info(row)
        if _etag(old) not in req.if_match:
            raise exception.PreconditionFailed(reason=_(
                'the service changed since the ETag of If-Match'))
        body = utils.json_body(schema=schemas.SERVICE_INFO_PUT)
        if body.get('serInstanceId', service_id) != service_id:
            raise exception.InvalidParameterValue(err=_(
                'serInstanceId cannot change (it is %s)') % service_id)
        if body['serName'] != row.ser_name:
            raise exception.InvalidParameterValue(err=_(
                'serName cannot change (it is %s): deregister the service '
                'and register another') % row.ser_name)
        info = services.service_body(body, service_id)
        change = services.change_of(old, info)
        if change is not None:
            row = req.dbapi.update_mep_service(
                service_id, {'state': info['state'], 'body': info})
            services.notify_availability(req.dbapi, app.mec_host_id, [row],
                                         change, exclude_app=app.id)
        return _show(services.service_info(row))

    @pecan.expose(status_code=204)
    def delete(self, service_id=None):
        """Deregister a service."""
        _no_collection_method(service_id)
        app, row = self._service(service_id)
        req = pecan.request
        req.dbapi.destroy_mep_service(service_id)
        services.notify_availability(req.dbapi, app.mec_host_id, [row],
                                     services.REMOVED, exclude_app=app.id)


class AppSubscriptionsController(rest.RestController):
    """``/applications/{appInstanceId}/subscriptions``: service
    availability subscriptions of an app.
    """

    def __init__(self, app_instance_id):
        self.app_instance_id = app_instance_id

    def _subscription(self, subscription_id):
        app = hooks.own_app(self.app_instance_id)
        row = pecan.request.dbapi.get_mep_subscription(subscription_id)
        if (row.app_instance_id != app.id
                or row.subscription_type != schemas.SUBSCRIPTION_TYPE):
            raise exception.MepSubscriptionNotFound(
                subscription_id=subscription_id)
        return row

    @pecan.expose('json')
    def get_all(self, **query):
        """The app's subscriptions (MecServiceMgmtApiSubscriptionLinkList)."""
        etsi.check_query(query, ())
        app = hooks.own_app(self.app_instance_id)
        rows = pecan.request.dbapi.list_mep_subscriptions(
            app_instance_id=app.id,
            subscription_type=schemas.SUBSCRIPTION_TYPE)
        return {'_links': {
            'self': {'href': _link('applications', app.id,
                                   'subscriptions')},
            'subscriptions': [
                {'href': services.subscription_info(r)['_links']['self'][
                    'href'], 'rel': schemas.SUBSCRIPTION_TYPE}
                for r in rows],
        }}

    @pecan.expose('json')
    def get_one(self, subscription_id, **query):
        """A subscription of the app."""
        etsi.check_query(query, ())
        return services.subscription_info(
            self._subscription(subscription_id))

    @pecan.expose('json')
    def post(self, **_body):
        """Subscribe to service availability notifications (201)."""
        app = hooks.own_app(self.app_instance_id)
        body = utils.json_body(schema=schemas.SUBSCRIPTION)
        criteria = body.get('filteringCriteria')
        given = [k for k in ('serInstanceIds', 'serNames', 'serCategories')
                 if k in (criteria or {})]
        if len(given) > 1:
            raise exception.InvalidParameterValue(err=_(
                'filteringCriteria: serInstanceIds, serNames and '
                'serCategories are alternatives; %s were given')
                % ', '.join(given))
        notifier.validate_subscription(
            {'callbackUri': body['callbackReference']})
        subscription_id = uuidutils.generate_uuid()
        href = services.subscription_link(hooks.base_url(), app.id,
                                          subscription_id)
        doc = {'subscriptionType': schemas.SUBSCRIPTION_TYPE,
               'callbackReference': body['callbackReference'],
               '_links': {'self': {'href': href}}}
        if criteria is not None:
            doc['filteringCriteria'] = criteria
        row = pecan.request.dbapi.create_mep_subscription({
            'id': subscription_id, 'app_instance_id': app.id,
            'mec_host_id': app.mec_host_id,
            'subscription_type': schemas.SUBSCRIPTION_TYPE,
            'callback_reference': body['callbackReference'], 'body': doc})
        pecan.response.status = 201
        pecan.response.location = href
        return services.subscription_info(row)

    @pecan.expose(status_code=204)
    def delete(self, subscription_id=None):
        """Unsubscribe."""
        _no_collection_method(subscription_id)
        row = self._subscription(subscription_id)
        pecan.request.dbapi.destroy_mep_subscription(row.id)


class ApplicationController(object):
    """``/applications/{appInstanceId}``."""

    def __init__(self, app_instance_id):
        self.subscriptions = AppSubscriptionsController(app_instance_id)
        self.services = AppServicesController(app_instance_id)


class ApplicationsController(object):
    """``/applications``."""

    @pecan.expose()
    def _lookup(self, app_instance_id, *remainder):
        return ApplicationController(app_instance_id), remainder


class ServicesController(rest.RestController):
    """``/services``: discovery of the services of the caller's host."""

    @staticmethod
    def _host_services():
        host = pecan.request.mep_app.mec_host_id
        return [s for s in pecan.request.dbapi.list_mep_services(
            mec_host_id=host) if s.mec_host_id == host]

    @pecan.expose('json')
    def get_all(self, **_query):
        """The services of the platform (a list of ServiceInfo)."""
        keep = _service_filter()
        infos = [services.service_info(s) for s in self._host_services()]
        return [i for i in infos if keep(i)]

    @pecan.expose('json')
    def get_one(self, service_id, **query):
        """A service of the platform."""
        etsi.check_query(query, ())
        row = pecan.request.dbapi.get_mep_service(service_id)
        if row.mec_host_id != pecan.request.mep_app.mec_host_id:
            raise exception.MepServiceNotFound(service_id=service_id)
        return services.service_info(row)


class TransportsController(rest.RestController):
    """``/transports``: the transports the platform provides."""

    @pecan.expose('json')
    def get_all(self, **query):
        """The platform's transports (a list of TransportInfo)."""
        etsi.check_query(query, ())
        return services.transports(hooks.base_url())


class V1Controller(object):
    """``/mec_service_mgmt/v1``."""

    applications = ApplicationsController()
    services = ServicesController()
    transports = TransportsController()


class ServiceMgmtController(object):
    """``/mec_service_mgmt``."""

    v1 = V1Controller()
