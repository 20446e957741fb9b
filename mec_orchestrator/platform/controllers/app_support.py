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
"""``/mec_app_support/v1``: the application support API of ETSI GS MEC 011
v2.1.1 (Mp1).

An app instance, authenticated by its Mp1 access token (see
:mod:`mec_orchestrator.platform.hooks`), reads and changes its traffic
and DNS rules, confirms that it is ready and that it terminated
gracefully, subscribes to its termination notifications and reads the
platform's time. Every ``{appInstanceId}`` of a path must be the
caller's own (else 403).

Where the platform chooses, as documented in ``doc/source/user/mp1.rst``:

* an ``appInstanceId`` in a subscription's body that is not the path's
  is a 400 (the path names the subscriber);
* ``confirm_ready`` with an empty body is taken as ``READY`` (the
  OpenAPI file makes the body optional);
* ``timing_caps`` gives the platform's time stamp only: the platform
  publishes no NTP server or PTP master.
"""

import ipaddress
import re
import time

from oslo_log import log
import oslo_messaging as messaging
from oslo_utils import timeutils
from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.conductor import notifier
from mec_orchestrator.platform import app_support_schemas as schemas
from mec_orchestrator.platform import dataplane
from mec_orchestrator.platform import hooks

LOG = log.getLogger(__name__)

BASE = 'mec_app_support/v1'
TERMINATION_SUBSCRIPTION = 'AppTerminationNotificationSubscription'

_MAC = re.compile(r'^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$')
_ADDRESS_FIELDS = ('srcAddress', 'dstAddress', 'srcTunnelAddress',
                   'tgtTunnelAddress')
_PORT_FIELDS = ('srcPort', 'dstPort', 'srcTunnelPort', 'dstTunnelPort')


# -- views --------------------------------------------------------------------

def rule_view(row):
    """A TrafficRule or DnsRule as the API shows it.

    :param row: a MepRule row.
    :returns: the rule's body with its wanted ``state``.
    """
    return dict(row.body, state=row.state)


def subscription_view(row):
    """An AppTerminationNotificationSubscription as the API shows it.

    :param row: a MepSubscription row.
    :returns: the subscription as the app sent it, with ``_links.self``.
    """
    return dict(row.body, _links={'self': {'href': subscription_link(row)}})


def subscription_link(row):
    """The absolute URI of a subscription."""
    return hooks.link(BASE, 'applications', row.app_instance_id,
                      'subscriptions', row.id)


# -- checks -------------------------------------------------------------------

def _invalid(field, reason):
    return exception.Invalid(reason='%s: %s' % (field, reason))


def _check_address(field, text):
    """An IP address, prefix (``192.0.2.0/24``) or range (``a-b``)."""
    try:
        if '-' in text:
            first, last = (ipaddress.ip_address(part.strip())
                           for part in text.split('-', 1))
            if first.version != last.version or first > last:
                raise ValueError(_('not a range of one family, low to '
                                   'high'))
        else:
            ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as e:
        raise _invalid(field, _('%(value)r is not an IP address, prefix or '
                                'range: %(error)s') % {'value': text,
                                                        'error': e})


def _check_port(field, text):
    """A port (0 to 65535) or a range ``min-max``."""
    parts = text.strip().split('-')
    numbers = [int(p) for p in parts if p.strip().isdigit()]
    if (len(numbers) != len(parts) or len(numbers) not in (1, 2)
            or numbers[0] > numbers[-1]
            or not all(0 <= n <= 65535 for n in numbers)):
        raise _invalid(field, _('%r is not a port (0 to 65535) or a range '
                                '"min-max"') % text)


def _check_ip(field, text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise _invalid(field, _('%r is not an IP address') % text)


def _check_interface(where, interface):
    kind = interface['interfaceType']
    needed = {'IP': 'dstIpAddress', 'MAC': 'dstMacAddress',
              'TUNNEL': 'tunnelInfo'}[kind]
    if needed not in interface:
        raise _invalid(where, _('an interface of type %(type)s needs '
                                '%(field)s') % {'type': kind,
                                                'field': needed})
    if 'dstIpAddress' in interface:
        _check_ip(where + '/dstIpAddress', interface['dstIpAddress'])
    for field in ('srcMacAddress', 'dstMacAddress'):
        if field in interface and not _MAC.match(interface[field]):
            raise _invalid(where + '/' + field,
                           _('%r is not a MAC address') % interface[field])
    tunnel = interface.get('tunnelInfo') or {}
    for field in ('tunnelDstAddress', 'tunnelSrcAddress'):
        if field in tunnel:
            _check_ip('%s/tunnelInfo/%s' % (where, field), tunnel[field])


def check_traffic_rule(rule):
    """Check the addresses, ports and interfaces of a TrafficRule.

    :param rule: a TrafficRule that matched
        :data:`~mec_orchestrator.platform.app_support_schemas.TRAFFIC_RULE`.
    :raises: Invalid naming the offending field.
    """
    for index, item in enumerate(rule['trafficFilter']):
        for field in _ADDRESS_FIELDS:
            for text in item.get(field, ()):
                _check_address('trafficFilter/%d/%s' % (index, field), text)
        for field in _PORT_FIELDS:
            for text in item.get(field, ()):
                _check_port('trafficFilter/%d/%s' % (index, field), text)
    interfaces = rule.get('dstInterface')
    if isinstance(interfaces, dict):
        _check_interface('dstInterface', interfaces)
    else:
        for index, interface in enumerate(interfaces or ()):
            _check_interface('dstInterface/%d' % index, interface)


def sync_platform(app):
    """Have a conductor realise the app's rules (a cast).

    A lost message is not an error: the conductors' periodic pass
    applies whatever is pending.
    """
    try:
        pecan.request.rpcapi.sync_platform(pecan.request.context, app.id)
    except messaging.MessagingException as e:
        LOG.warning('Could not ask a conductor to apply the rules of app '
                    'instance %(app)s (the periodic pass will): %(error)s',
                    {'app': app.id, 'error': e})


def _json_body(schema, empty=None):
    """The request's JSON body, or ``empty`` when there is none.

    :param schema: the JSON schema the body must match.
    :param empty: what an empty body means; None: a body is required.
    """
    if empty is not None and not pecan.request.body:
        return empty
    return utils.json_body(schema=schema)


# -- rules --------------------------------------------------------------------

class AppResourceController(rest.RestController):
    """A resource of one app instance.

    :param app_instance_id: the path's ``{appInstanceId}``; each method
        checks that it is the caller's (:func:`hooks.own_app`).
    """

    def __init__(self, app_instance_id):
        self.app_instance_id = app_instance_id


class RulesController(AppResourceController):
    """``/applications/{appInstanceId}/traffic_rules`` or ``dns_rules``.

    :param app_instance_id: the path's app instance.
    :param kind: ``traffic`` or ``dns``.
    """

    _ID = {'traffic': 'trafficRuleId', 'dns': 'dnsRuleId'}
    _SCHEMA = {'traffic': schemas.TRAFFIC_RULE, 'dns': schemas.DNS_RULE}

    def __init__(self, app_instance_id, kind):
        super().__init__(app_instance_id)
        self.kind = kind

    @pecan.expose('json')
    def get_all(self, **query):
        """The app's rules of this kind (a list of TrafficRule or
        DnsRule).
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(query, ())
        return [rule_view(row) for row in pecan.request.dbapi.list_mep_rules(
            app.id, kind=self.kind)]

    @pecan.expose('json')
    def get_one(self, rule_id, **query):
        """One rule.

        :raises: MepResourceNotFound (404)
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(query, ())
        return rule_view(pecan.request.dbapi.get_mep_rule(
            app.id, self.kind, rule_id))

    @pecan.expose('json')
    def put(self, rule_id=None, **_body):
        """Change a rule, notably its ``state``; the data plane follows.

        :raises: MepResourceNotFound (404); Invalid (400) for a malformed
            rule, another id in the body, an address of the wrong family;
            TrafficRuleNotSupported (400) when the VIM's data plane cannot
            express the rule.
        """
        app = hooks.own_app(self.app_instance_id)
        if rule_id is None:
            pecan.abort(405, headers={'Allow': 'GET'})
        etsi.check_query(dict(pecan.request.GET), ())
        dbapi = pecan.request.dbapi
        row = dbapi.get_mep_rule(app.id, self.kind, rule_id)
        rule = utils.json_body(schema=self._SCHEMA[self.kind])
        id_field = self._ID[self.kind]
        if rule[id_field] != rule_id:
            raise _invalid(id_field, _(
                '%(body)r is not the id of the path, %(path)r') % {
                    'body': rule[id_field], 'path': rule_id})
        if self.kind == 'traffic':
            check_traffic_rule(rule)
        dataplane.validate_rule(self.kind, rule, dataplane.host_vim_type(
            pecan.request.dbapi, app.mec_host_id))
        body = {k: v for k, v in rule.items() if k != 'state'}
        values = {'body': body, 'state': rule['state']}
        if body != row.body:
            # The data plane has the old rule: it is to be applied again.
            values['applied_state'] = None
        row = dbapi.update_mep_rule(app.id, self.kind, rule_id, values)
        LOG.info('App instance %(app)s changed its %(kind)s rule %(rule)s '
                 '(state %(state)s)', {'app': app.id, 'kind': self.kind,
                                       'rule': rule_id, 'state': row.state})
        sync_platform(app)
        return rule_view(row)


# -- subscriptions ------------------------------------------------------------

class SubscriptionsController(AppResourceController):
    """``/applications/{appInstanceId}/subscriptions``: the app's
    AppTerminationNotificationSubscriptions.
    """

    def _get(self, app, subscription_id):
        sub = pecan.request.dbapi.get_mep_subscription(subscription_id)
        if (sub.app_instance_id != app.id
                or sub.subscription_type != TERMINATION_SUBSCRIPTION):
            raise exception.MepSubscriptionNotFound(
                subscription_id=subscription_id)
        return sub

    @pecan.expose('json')
    def get_all(self, **query):
        """The app's subscriptions (MecAppSuptApiSubscriptionLinkList)."""
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(query, ())
        subs = pecan.request.dbapi.list_mep_subscriptions(
            app_instance_id=app.id,
            subscription_type=TERMINATION_SUBSCRIPTION)
        return {'_links': {
            'self': {'href': hooks.link(BASE, 'applications', app.id,
                                        'subscriptions')},
            # rel: the name the OpenAPI file gives; subscriptionType: the
            # one of the data model (MEC 011 clause 7.1.3.3).
            'subscriptions': [
                {'href': subscription_link(sub),
                 'subscriptionType': sub.subscription_type,
                 'rel': sub.subscription_type} for sub in subs],
        }}

    @pecan.expose('json')
    def get_one(self, subscription_id, **query):
        """One subscription.

        :raises: MepSubscriptionNotFound (404)
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(query, ())
        return subscription_view(self._get(app, subscription_id))

    @pecan.expose('json')
    def post(self, **_body):
        """Subscribe to the app's termination notifications.

        :raises: Invalid (400) for a malformed subscription or another
            appInstanceId; OutboundRequestRefused (400) for a callback
            URI the platform may not call.
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(dict(pecan.request.GET), ())
        body = utils.json_body(schema=schemas.TERMINATION_SUBSCRIPTION)
        if body['appInstanceId'] != app.id:
            raise _invalid('appInstanceId', _(
                'an app instance subscribes to its own termination only: '
                '%(body)r is not the path\'s %(path)r') % {
                    'body': body['appInstanceId'], 'path': app.id})
        notifier.validate_subscription(
            {'callbackUri': body['callbackReference']})
        body.pop('_links', None)
        sub = pecan.request.dbapi.create_mep_subscription({
            'id': uuidutils.generate_uuid(),
            'app_instance_id': app.id,
            'mec_host_id': app.mec_host_id,
            'subscription_type': TERMINATION_SUBSCRIPTION,
            'callback_reference': body['callbackReference'],
            'body': body,
        })
        pecan.response.status = 201
        pecan.response.location = subscription_link(sub)
        return subscription_view(sub)

    @pecan.expose(status_code=204)
    def delete(self, subscription_id=None):
        """Unsubscribe.

        :raises: MepSubscriptionNotFound (404)
        """
        app = hooks.own_app(self.app_instance_id)
        if subscription_id is None:
            pecan.abort(405, headers={'Allow': 'GET, POST'})
        sub = self._get(app, subscription_id)
        pecan.request.dbapi.destroy_mep_subscription(sub.id)


# -- confirmations ------------------------------------------------------------

class ConfirmReadyController(AppResourceController):
    """``/applications/{appInstanceId}/confirm_ready``."""

    @pecan.expose(status_code=204)
    def post(self, **_body):
        """The app is ready: its rules become active.

        Idempotent: a READY app stays so, nothing changed.

        :raises: Invalid (400) for a malformed AppReadyConfirmation;
            InvalidState (409) while the app is terminating.
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(dict(pecan.request.GET), ())
        _json_body(schemas.READY_CONFIRMATION, empty={'indication': 'READY'})
        if app.state == 'READY':
            return
        dbapi = pecan.request.dbapi
        try:
            app = dbapi.update_mep_app(
                app.id, {'state': 'READY',
                         'ready_at': timeutils.utcnow()},
                expected_states=['CONFIGURED'])
        except exception.InvalidState:
            if dbapi.get_mep_app(app.id).state == 'READY':
                return  # confirmed by a request at the same time
            raise
        changed = dbapi.set_mep_rules_state(app.id, 'ACTIVE')
        LOG.info('App instance %(app)s confirmed it is ready; %(count)d '
                 'rules to activate', {'app': app.id, 'count': changed})
        sync_platform(app)


class ConfirmTerminationController(AppResourceController):
    """``/applications/{appInstanceId}/confirm_termination``."""

    @pecan.expose(status_code=204)
    def post(self, **_body):
        """The app finished its graceful termination or stop.

        :raises: Invalid (400) for a malformed AppTerminationConfirmation
            or an operationAction that is not the one notified;
            InvalidState (409) when no termination is in progress.
        """
        app = hooks.own_app(self.app_instance_id)
        etsi.check_query(dict(pecan.request.GET), ())
        action = _json_body(
            schemas.TERMINATION_CONFIRMATION)['operationAction']
        if app.state != 'TERMINATING':
            raise exception.InvalidState(
                resource='App instance', id=app.id, state=app.state,
                reason=_('no termination or stop was notified'))
        if action != app.operation_action:
            raise _invalid('operationAction', _(
                'the operation notified is %(notified)s, not %(action)s') % {
                    'notified': app.operation_action, 'action': action})
        pecan.request.dbapi.update_mep_app(
            app.id, {'termination_confirmed': action},
            expected_states=['TERMINATING'])
        LOG.info('App instance %(app)s confirmed its %(action)s',
                 {'app': app.id, 'action': action})


# -- the tree -----------------------------------------------------------------

class ApplicationController(object):
    """``/applications/{appInstanceId}``: the resources of one app.

    :param app_instance_id: the path's app instance (checked to be the
        caller by each method).
    """

    def __init__(self, app_instance_id):
        self.traffic_rules = RulesController(app_instance_id, 'traffic')
        self.dns_rules = RulesController(app_instance_id, 'dns')
        self.subscriptions = SubscriptionsController(app_instance_id)
        self.confirm_ready = ConfirmReadyController(app_instance_id)
        self.confirm_termination = ConfirmTerminationController(
            app_instance_id)


class ApplicationsController(object):
    """``/applications``: only its members' resources are served."""

    @pecan.expose()
    def _lookup(self, app_instance_id, *remainder):
        if not remainder:
            pecan.abort(404)
        return ApplicationController(app_instance_id), remainder


class CurrentTimeController(rest.RestController):
    """``/timing/current_time``."""

    @pecan.expose('json')
    def get_all(self, **query):
        """The platform's time (CurrentTime), from its system clock."""
        etsi.check_query(query, ())
        seconds, nanos = divmod(time.time_ns(), 10 ** 9)
        return {'seconds': seconds, 'nanoSeconds': nanos,
                'timeSourceStatus': 'NONTRACEABLE'}


class TimingCapsController(rest.RestController):
    """``/timing/timing_caps``."""

    @pecan.expose('json')
    def get_all(self, **query):
        """The platform's timing capabilities (TimingCaps): its time
        stamp; no NTP server or PTP master is published.
        """
        etsi.check_query(query, ())
        seconds, nanos = divmod(time.time_ns(), 10 ** 9)
        return {'timeStamp': {'seconds': seconds, 'nanoSeconds': nanos}}


class TimingController(object):
    """``/timing``."""

    current_time = CurrentTimeController()
    timing_caps = TimingCapsController()


class V1Controller(object):
    """``/mec_app_support/v1``."""

    applications = ApplicationsController()
    timing = TimingController()


class AppSupportController(object):
    """``/mec_app_support``."""

    v1 = V1Controller()
