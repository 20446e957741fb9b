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
"""The MEPM's management driver for this project's own MEC platform (Mm5).

The platform's state lives in the database the MEPM shares with it, so
"configuring the platform" is writing that state and having the data plane
follow (:mod:`mec_orchestrator.platform.dataplane`):

- ``prepare`` (before the VIM resources exist): the app instance becomes
  known to the platform serving its MEC host, with its Mp1 client secret
  and the AppD's traffic and DNS rules, INACTIVE. The rules are checked
  against the traffic driver of the VIM type (a rule networking-sfc cannot
  express fails the instantiation, naming the rule). What it returns goes
  into the instance's user data: the Mp1 endpoint and credentials.
- ``configure``: an app that does not use Mp1 (``confirmReady`` false in
  the instantiate request's additionalParams, or ``appSupportMp1`` false in
  its AppD) has its rules made ACTIVE at once; the others stay INACTIVE
  until the app calls ``confirm_ready``.
- ``unconfigure`` and ``stop``: with a graceful timeout, the app's
  termination subscribers get an AppTerminationNotification and the step
  waits for ``confirm_termination`` or the timeout; then the rules leave
  the data plane. ``unconfigure`` also deregisters the app's services
  (REMOVED notifications) and forgets the app.

A platform on another site would get an HTTP Mm5 driver beside this one.
"""

import datetime
import time

from oslo_log import log
from oslo_utils import timeutils

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi_
from mec_orchestrator.drivers import base
from mec_orchestrator.platform import auth
from mec_orchestrator.platform import dataplane

CONF = conf.CONF
LOG = log.getLogger(__name__)

CONFIGURED = 'CONFIGURED'
READY = 'READY'
TERMINATING = 'TERMINATING'
TERMINATION_SUBSCRIPTION = 'AppTerminationNotificationSubscription'
#: Seconds between two looks for the app's confirm_termination.
CONFIRM_POLL = 0.5


def platform_endpoint():
    """The Mp1 base URL apps are given."""
    return (CONF.platform.public_endpoint or 'http://%s:%d' % (
        CONF.platform.host, CONF.platform.port)).rstrip('/')


def rules_of(appd):
    """The AppD's traffic and DNS rules as platform rules, INACTIVE.

    :returns: (kind, rule_id, body, state) tuples.
    """
    rules = []
    for rule in appd.get('appTrafficRule') or []:
        body = {k: v for k, v in rule.items() if k != 'state'}
        rules.append(('traffic', str(rule['trafficRuleId']), body,
                      dataplane.INACTIVE))
    for rule in appd.get('appDNSRule') or []:
        body = {k: v for k, v in rule.items() if k != 'state'}
        rules.append(('dns', str(rule['dnsRuleId']), body,
                      dataplane.INACTIVE))
    return rules


def services_of(appd):
    """The serNames of the AppD's required, optional, produced services."""
    def names(key):
        return sorted({str(s['serName']) for s in appd.get(key) or []
                       if isinstance(s, dict) and s.get('serName')})
    return {'required': names('appServiceRequired'),
            'optional': names('appServiceOptional'),
            'produced': names('appServiceProduced')}


def confirms_ready(appd, request):
    """Whether the app will call confirm_ready before its rules apply.

    The instantiate request's ``additionalParams.confirmReady`` decides;
    else the AppD's ``appSupportMp1`` (as EdgeGallery's AppDs say it);
    else yes.
    """
    params = (request or {}).get('additionalParams') or {}
    if isinstance(params.get('confirmReady'), bool):
        return params['confirmReady']
    return (appd or {}).get('appSupportMp1', True) is not False


class MepMgmtDriver(base.MgmtDriver):
    """Configures this project's MEC platform through its database."""

    name = 'mep'

    def __init__(self, conf):
        super().__init__(conf)
        #: Replaced by tests.
        self._sleep = time.sleep

    @property
    def dbapi(self):
        return dbapi_.get_instance()

    def _validate(self, instance, rules):
        vim_type = None
        if instance.get('vim_id'):
            try:
                vim_type = self.dbapi.get_vim(instance['vim_id']).type
            except exception.NotFound:
                vim_type = None
        for kind, _rule_id, body, _state in rules:
            dataplane.validate_rule(kind, body, vim_type)

    def platform_data(self, row):
        """What the instance is given to reach Mp1 (its user data)."""
        endpoint = platform_endpoint()
        data = {'appInstanceId': row.id, 'mp1Endpoint': endpoint,
                'tokenEndpoint': endpoint + '/mep/token',
                'clientId': row.id,
                'clientSecret': auth.reveal_secret(row.client_secret)}
        if CONF.platform.dns_driver == 'responder' and CONF.platform.dns_port:
            data['dnsServer'] = '%s:%d' % (CONF.platform.dns_host,
                                           CONF.platform.dns_port)
        return data

    def prepare(self, context, instance, appd, request):
        try:
            row = self.dbapi.get_mep_app(instance['id'])
        except exception.MepAppNotFound:
            rules = rules_of(appd)
            self._validate(instance, rules)
            _secret, encrypted = auth.new_secret()
            row = self.dbapi.configure_mep_app({
                'id': instance['id'], 'project_id': instance['project_id'],
                'mec_host_id': instance.get('mec_host_id'),
                'app_name': instance.get('app_name'),
                'app_d_id': instance.get('app_d_id'),
                'state': CONFIGURED,
                'confirm_ready': confirms_ready(appd, request),
                'client_secret': encrypted,
                'services': services_of(appd)}, rules=rules)
            LOG.info('App instance %(id)s configured on the platform of '
                     'host %(host)s with %(n)d rules',
                     {'id': row.id, 'host': row.mec_host_id,
                      'n': len(rules)})
        return self.platform_data(row)

    def configure(self, context, instance, appd):
        row = self.dbapi.get_mep_app(instance['id'])
        if not row.confirm_ready and row.state == CONFIGURED:
            self.dbapi.update_mep_app(row.id, {
                'state': READY, 'ready_at': timeutils.utcnow()})
            self.dbapi.set_mep_rules_state(row.id, dataplane.ACTIVE)
        dataplane.DataPlane(self.dbapi).sync(row.id, strict=True)

    def _tell(self, row, action, timeout):
        """Notify the app's termination subscribers and wait for the app.

        :returns: whether the app confirmed within the timeout.
        """
        subs = self.dbapi.list_mep_subscriptions(
            app_instance_id=row.id, subscription_type=TERMINATION_SUBSCRIPTION)
        if not subs:
            return False
        if row.state == TERMINATING and row.operation_action == action:
            if row.termination_confirmed == action:
                return True
            deadline = row.termination_deadline
        else:
            deadline = timeutils.utcnow() + datetime.timedelta(
                seconds=timeout)
            row = self.dbapi.update_mep_app(row.id, {
                'state': TERMINATING, 'operation_action': action,
                'termination_deadline': deadline,
                'termination_confirmed': None})
        from mec_orchestrator.conductor import notifier
        endpoint = platform_endpoint()
        base_path = '%s/mec_app_support/v1/applications/%s' % (endpoint,
                                                                row.id)
        for sub in subs:
            notifier.get_notifier().notify(
                {'id': sub.id, 'callbackUri': sub.callback_reference},
                {'notificationType': 'AppTerminationNotification',
                 'operationAction': action,
                 'maxGracefulTimeout': int(timeout),
                 '_links': {
                     'subscription': {
                         'href': '%s/subscriptions/%s' % (base_path,
                                                          sub.id)},
                     'confirmTermination': {
                         'href': base_path + '/confirm_termination'}}})
        LOG.info('App instance %(id)s told of %(action)s; waiting up to '
                 '%(timeout)d s for its confirmation',
                 {'id': row.id, 'action': action, 'timeout': timeout})
        while timeutils.utcnow() < deadline:
            row = self.dbapi.get_mep_app(row.id)
            if row.termination_confirmed == action:
                LOG.info('App instance %(id)s confirmed %(action)s',
                         {'id': row.id, 'action': action})
                return True
            self._sleep(CONFIRM_POLL)
        LOG.info('App instance %(id)s did not confirm %(action)s within '
                 '%(timeout)d s; going on', {'id': row.id, 'action': action,
                                             'timeout': timeout})
        return False

    def unconfigure(self, context, instance, graceful_timeout=None):
        try:
            row = self.dbapi.get_mep_app(instance['id'])
        except exception.MepAppNotFound:
            return
        if graceful_timeout:
            self._tell(row, 'TERMINATING', graceful_timeout)
        dataplane.DataPlane(self.dbapi).remove(row.id)
        services = self.dbapi.destroy_mep_app(row.id)
        if services:
            from mec_orchestrator.platform import services as mep_services
            mep_services.notify_availability(
                self.dbapi, row.mec_host_id, services, 'REMOVED')
        LOG.info('App instance %(id)s removed from its platform '
                 '(%(n)d services deregistered)',
                 {'id': row.id, 'n': len(services)})

    def stop(self, context, instance, graceful_timeout=None):
        try:
            row = self.dbapi.get_mep_app(instance['id'])
        except exception.MepAppNotFound:
            return
        if graceful_timeout:
            self._tell(row, 'STOPPING', graceful_timeout)
        dataplane.DataPlane(self.dbapi).remove(row.id)
        self.dbapi.update_mep_app(row.id, {
            'state': CONFIGURED, 'ready_at': None, 'operation_action': None,
            'termination_deadline': None, 'termination_confirmed': None})

    def start(self, context, instance):
        # Like a new instance: an Mp1 app confirms ready once it runs.
        try:
            self.configure(context, instance, {})
        except exception.MepAppNotFound:
            pass
