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
"""The operator view of the MEC platforms, in the project's own API.

Apps see their platform through Mp1 with their own tokens; the project
that owns an app instance, and the cloud's admins, see it here with their
Keystone tokens:

* ``/v1/app_instances/{appInstanceId}/rules``: the instance's traffic and
  DNS rules (MEC 011), with the state the data plane has;
* ``/v1/app_instances/{appInstanceId}/platform``: the instance's state on
  its MEC platform;
* ``/v1/mec_services``: the services the apps registered.

Another project's app instance or service is a 404, as an unknown one.
"""

import pecan
from pecan import rest

from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import policy
from mec_orchestrator.platform import services

#: The kinds of rules, as the ``kind`` query parameter names them.
RULE_KINDS = ('traffic', 'dns')

#: Query parameters that filter the list of services.
SERVICE_FILTERS = ('app_instance_id', 'mec_host_id', 'ser_name')


def _time(value):
    return value.isoformat() + 'Z' if value else None


def rule_view(row):
    """A traffic or DNS rule with what the data plane has of it.

    :param row: a MepRule row.
    :returns: ``kind``, ``id``, ``state`` (wanted), ``appliedState``,
        ``error`` and ``rule``, the MEC 011 TrafficRule or DnsRule with
        its state.
    """
    return {'kind': row.kind, 'id': row.rule_id, 'state': row.state,
            'appliedState': row.applied_state, 'error': row.error,
            'rule': dict(row.body, state=row.state)}


def platform_view(row):
    """The state of an app instance on its MEC platform.

    :param row: a MepApp row.
    :returns: ``state``, ``confirmReady``, ``readyAt``, ``mecHostId`` and
        ``services`` (the AppD's required, optional and produced service
        names).
    """
    return {'state': row.state, 'confirmReady': row.confirm_ready,
            'readyAt': _time(row.ready_at), 'mecHostId': row.mec_host_id,
            'services': row.services or {}}


def service_view(row):
    """A registered service: its MEC 011 ServiceInfo and where it is.

    :param row: a MepService row.
    :returns: the ServiceInfo with ``appInstanceId`` and ``mecHostId``.
    """
    return dict(services.service_info(row), appInstanceId=row.app_instance_id,
                mecHostId=row.mec_host_id)


def _owned_instance(app_instance_id, rule):
    """The app instance, if the request may see it.

    :raises: PolicyNotAuthorized (403) when the request may see no
        instance; AppInstanceNotFound or ResourceNotFound (404) when it
        is unknown or another project's.
    """
    utils.authorize(rule)
    row = pecan.request.dbapi.get_app_instance(app_instance_id)
    return utils.owned(row, rule, 'App instance', app_instance_id)


class RulesController(rest.RestController):
    """The traffic and DNS rules of an app instance."""

    def __init__(self, app_instance_id):
        super().__init__()
        self.app_instance_id = app_instance_id

    @pecan.expose('json')
    def get_all(self, **query):
        r"""List the rules of the app instance, traffic rules first.

        :param query: \`\`kind\`\` (traffic or dns) to list one kind.
        :returns: ``{"rules": [...]}``.
        :raises: InvalidParameterValue (400), PolicyNotAuthorized (403),
            AppInstanceNotFound (404)
        """
        kind = _kind(query)
        _owned_instance(self.app_instance_id, 'mec:platform:rule:list')
        rows = pecan.request.dbapi.list_mep_rules(
            app_instance_id=self.app_instance_id, kind=kind)
        order = {k: i for i, k in enumerate(RULE_KINDS)}
        rows = sorted(rows, key=lambda r: (order.get(r.kind, len(order)),
                                           r.rule_id))
        return {'rules': [rule_view(r) for r in rows]}

    @pecan.expose('json')
    def get_one(self, rule_id, **query):
        r"""Show a rule of the app instance.

        :param rule_id: the trafficRuleId or dnsRuleId.
        :param query: \`\`kind\`\` (traffic or dns), needed when the
            instance has a traffic rule and a DNS rule of that id.
        :returns: the rule.
        :raises: InvalidParameterValue (400), PolicyNotAuthorized (403),
            AppInstanceNotFound, ResourceNotFound (404)
        """
        kind = _kind(query)
        _owned_instance(self.app_instance_id, 'mec:platform:rule:get')
        dbapi = pecan.request.dbapi
        if kind is not None:
            return rule_view(dbapi.get_mep_rule(self.app_instance_id, kind,
                                                rule_id))
        rows = [r for r in dbapi.list_mep_rules(
            app_instance_id=self.app_instance_id) if r.rule_id == rule_id]
        if not rows:
            raise exception.ResourceNotFound(resource=_('Rule'), id=rule_id)
        if len(rows) > 1:
            raise exception.InvalidParameterValue(
                err=_('App instance %(inst)s has a traffic rule and a DNS '
                      'rule %(rule)s: give the kind (traffic or dns)')
                % {'inst': self.app_instance_id, 'rule': rule_id})
        return rule_view(rows[0])


def _kind(query):
    unknown = sorted(set(query) - {'kind'})
    if unknown:
        raise exception.InvalidParameterValue(
            err=_('Unknown query parameters: %s') % ', '.join(unknown))
    kind = query.get('kind')
    if kind is not None and kind not in RULE_KINDS:
        raise exception.InvalidParameterValue(
            err=_('kind must be traffic or dns, not %s') % kind)
    return kind


class PlatformStateController(object):
    """The state of an app instance on its MEC platform."""

    def __init__(self, app_instance_id):
        self.app_instance_id = app_instance_id

    @pecan.expose(generic=True, template='json')
    def index(self):
        """Show the state of the app instance on its MEC platform.

        :returns: ``state`` (CONFIGURED, READY or TERMINATING),
            ``confirmReady``, ``readyAt`` and ``mecHostId``.
        :raises: PolicyNotAuthorized (403), AppInstanceNotFound or
            MepAppNotFound (404)
        """
        utils.only_get()
        _owned_instance(self.app_instance_id, 'mec:platform:rule:get')
        return platform_view(
            pecan.request.dbapi.get_mep_app(self.app_instance_id))


class AppInstanceController(object):
    """What the MEC platform holds of one app instance."""

    def __init__(self, app_instance_id):
        self.rules = RulesController(app_instance_id)
        self.platform = PlatformStateController(app_instance_id)


class AppInstancesController(object):
    """``/v1/app_instances``: only the platform's sub-resources.

    The app instances themselves are in ``/app_lcm/v1`` (MEC 010-2).
    """

    @pecan.expose()
    def _lookup(self, app_instance_id, *remainder):
        if not remainder:
            pecan.abort(404)
        return AppInstanceController(app_instance_id), remainder


class MecServicesController(rest.RestController):
    """The services registered on the MEC platforms (MEC 011)."""

    @pecan.expose('json')
    def get_all(self, **query):
        r"""List the services the request may see, oldest first.

        A project's users see those of its app instances; admins see all.

        :param query: filters \`\`app_instance_id\`\`, \`\`mec_host_id\`\`
            and \`\`ser_name\`\`.
        :returns: ``{"mec_services": [...]}``.
        :raises: InvalidParameterValue (400), PolicyNotAuthorized (403)
        """
        rule = 'mec:platform:service:list'
        utils.authorize(rule)
        unknown = sorted(set(query) - set(SERVICE_FILTERS))
        if unknown:
            raise exception.InvalidParameterValue(
                err=_('Unknown query parameters: %s') % ', '.join(unknown))
        ctx = pecan.request.context
        dbapi = pecan.request.dbapi
        rows = dbapi.list_mep_services(
            mec_host_id=query.get('mec_host_id'),
            app_instance_id=query.get('app_instance_id'))
        if 'ser_name' in query:
            rows = [r for r in rows if r.ser_name == query['ser_name']]
        # A service is its producer's project's: the platform's record of
        # the app instance says which.
        owners = {a.id: a.project_id for a in dbapi.list_mep_apps()}
        allowed = {ctx.project_id: True}

        def visible(row):
            project = owners.get(row.app_instance_id)
            if project is None:
                return False
            if project not in allowed:
                allowed[project] = policy.check(
                    rule, {'project_id': project}, ctx)
            return allowed[project]

        return {'mec_services': [service_view(r) for r in rows
                                 if visible(r)]}

    @pecan.expose('json')
    def get_one(self, service_id):
        """Show a registered service.

        :param service_id: the serInstanceId.
        :returns: the ServiceInfo with ``appInstanceId`` and ``mecHostId``.
        :raises: PolicyNotAuthorized (403), MepServiceNotFound or
            ResourceNotFound (404)
        """
        rule = 'mec:platform:service:get'
        utils.authorize(rule)
        dbapi = pecan.request.dbapi
        row = dbapi.get_mep_service(service_id)
        try:
            app = dbapi.get_mep_app(row.app_instance_id)
        except exception.MepAppNotFound:
            raise exception.MepServiceNotFound(service_id=service_id)
        utils.owned(app, rule, 'Service', service_id)
        return service_view(row)
