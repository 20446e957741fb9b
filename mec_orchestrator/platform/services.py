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
"""MEC services of the platform (ETSI GS MEC 011 v2.1.1): their
representation, the platform's transports and the service availability
notifications.

A platform is a MEC host: the services an app discovers, and those whose
availability it hears of, are the ones registered on its own host.
"""

import copy

from oslo_log import log

from mec_orchestrator.conductor import notifier
from mec_orchestrator.platform import service_mgmt_schemas as schemas

LOG = log.getLogger(__name__)

#: The path of the API under the platform's base URL.
BASE = 'mec_service_mgmt/v1'

#: The changes a ServiceAvailabilityNotification reports.
ADDED = 'ADDED'
REMOVED = 'REMOVED'
STATE_CHANGED = 'STATE_CHANGED'
ATTRIBUTES_CHANGED = 'ATTRIBUTES_CHANGED'
CHANGE_TYPES = (ADDED, REMOVED, STATE_CHANGED, ATTRIBUTES_CHANGED)

#: The id of the platform's REST transport (``GET /transports``).
REST_TRANSPORT_ID = 'mep-rest-http'

#: ServiceInfo defaults (the text of MEC 011 v2.1.1, clause 8.1.2.2).
DEFAULTS = {'scopeOfLocality': 'MEC_HOST', 'consumedLocalOnly': True,
            'isLocal': True}


def transports(base_url):
    """The transports the platform provides (TransportInfo).

    One: REST over HTTP/1.1 at the Mp1 base URL, secured with OAuth 2.0
    client credentials from the platform's token endpoint.

    :param base_url: the platform's base URL as the app sees it.
    :returns: a list of TransportInfo dicts.
    """
    return [{
        'id': REST_TRANSPORT_ID,
        'name': 'REST',
        'description': 'The REST API of the MEC platform (Mp1)',
        'type': 'REST_HTTP',
        'protocol': 'HTTP',
        'version': '1.1',
        'endpoint': {'uris': [base_url]},
        'security': {'oAuth2Info': {
            'grantTypes': ['OAUTH2_CLIENT_CREDENTIALS'],
            'tokenEndpoint': base_url + '/mep/token'}},
    }]


def find_transport(base_url, transport_id):
    """A transport of the platform by its id.

    :returns: the TransportInfo dict, or None.
    """
    for transport in transports(base_url):
        if transport['id'] == transport_id:
            return transport
    return None


def service_body(info, service_id):
    """The ServiceInfo to store and show, from a request's.

    :param info: the ServiceInfo of the request (checked), with
        ``transportInfo``.
    :param service_id: the serInstanceId.
    :returns: a new dict with the serInstanceId and the defaults.
    """
    body = {k: copy.deepcopy(v) for k, v in info.items()
            if k != 'transportId'}
    body['serInstanceId'] = service_id
    for key, value in DEFAULTS.items():
        body.setdefault(key, value)
    return body


def service_info(row):
    """The ServiceInfo of a registered service.

    :param row: a MepService.
    :returns: a new dict.
    """
    body = copy.deepcopy(row.body)
    body['serInstanceId'] = row.id
    body['state'] = row.state
    return body


def change_of(old, new):
    """The changeType of an update, or None if nothing changed.

    :param old: the ServiceInfo before.
    :param new: the ServiceInfo after.
    """
    if old == new:
        return None
    rest = [k for k in set(old) | set(new)
            if k != 'state' and old.get(k) != new.get(k)]
    return ATTRIBUTES_CHANGED if rest else STATE_CHANGED


def _category_ids(categories):
    return {c.get('id') for c in categories or ()}


def matches(criteria, info):
    """Whether a service matches a subscription's filteringCriteria.

    Every criterion given must hold (a logical AND); a list criterion
    holds when the service has one of its values. A category matches by
    its ``id``.

    :param criteria: the filteringCriteria (or None: everything matches).
    :param info: the service's ServiceInfo.
    :returns: a bool.
    """
    if not criteria:
        return True
    if 'serInstanceIds' in criteria and (
            info.get('serInstanceId') not in criteria['serInstanceIds']):
        return False
    if 'serNames' in criteria and (
            info.get('serName') not in criteria['serNames']):
        return False
    if 'serCategories' in criteria:
        category = info.get('serCategory') or {}
        if category.get('id') not in _category_ids(
                criteria['serCategories']):
            return False
    if 'states' in criteria and info.get('state') not in criteria['states']:
        return False
    if 'isLocal' in criteria and (
            info.get('isLocal', DEFAULTS['isLocal'])
            is not criteria['isLocal']):
        return False
    return True


def subscription_link(base_url, app_instance_id, subscription_id):
    """The URI of an app's subscription."""
    return '/'.join((base_url, BASE, 'applications', app_instance_id,
                     'subscriptions', subscription_id))


def subscription_info(row):
    """The SerAvailabilityNotificationSubscription of a subscription.

    :param row: a MepSubscription (its body holds the representation made
        when it was created, with its ``_links``).
    :returns: a new dict.
    """
    body = copy.deepcopy(row.body)
    body['subscriptionType'] = schemas.SUBSCRIPTION_TYPE
    body['callbackReference'] = row.callback_reference
    return body


def _base_of(subscription):
    """The platform's base URL, from a subscription's self link."""
    href = subscription.body.get('_links', {}).get('self', {}).get('href', '')
    base, sep, _rest = href.partition('/' + BASE + '/')
    return base if sep else None


def notification(subscription, services, change):
    """The ServiceAvailabilityNotification of some services to a
    subscription.

    :param subscription: the MepSubscription.
    :param services: the ServiceInfo dicts (already matched).
    :param change: the changeType.
    :returns: the notification dict.
    """
    base = _base_of(subscription)
    refs = []
    for info in services:
        ref = {'serName': info['serName'],
               'serInstanceId': info['serInstanceId'],
               'state': info['state'],
               'changeType': change}
        if base and change != REMOVED:
            ref['link'] = {'href': '/'.join(
                (base, BASE, 'services', info['serInstanceId']))}
        refs.append(ref)
    return {
        'notificationType': schemas.SUBSCRIPTION_TYPE,
        'serviceReferences': refs,
        '_links': {'subscription': {
            'href': subscription.body['_links']['self']['href']}},
    }


def notify_availability(dbapi, mec_host_id, services, change_type,
                        exclude_app=None):
    """Tell the subscribers of a host that services changed.

    Each SerAvailabilityNotificationSubscription on the host whose
    filteringCriteria match one of the services gets one
    ServiceAvailabilityNotification listing those it matches, through the
    notifier (asynchronously: this returns at once).

    :param dbapi: the DB API.
    :param mec_host_id: the host (platform) of the services.
    :param services: the MepService rows (as they are after the change; as
        they were for REMOVED).
    :param change_type: ADDED, REMOVED, STATE_CHANGED or ATTRIBUTES_CHANGED.
    :param exclude_app: an app instance whose subscriptions are skipped
        (the one that made the change).
    :returns: the futures of the deliveries (see
        :meth:`mec_orchestrator.conductor.notifier.Notifier.notify`).
    :raises: ValueError for an unknown change type.
    """
    if change_type not in CHANGE_TYPES:
        raise ValueError('unknown changeType %s' % change_type)
    infos = [service_info(s) for s in services]
    if not infos:
        return []
    subscriptions = [
        s for s in dbapi.list_mep_subscriptions(
            subscription_type=schemas.SUBSCRIPTION_TYPE,
            mec_host_id=mec_host_id)
        # A host of None must not mean "every host".
        if s.mec_host_id == mec_host_id and s.app_instance_id != exclude_app]
    futures = []
    for sub in subscriptions:
        matched = [i for i in infos
                   if matches(sub.body.get('filteringCriteria'), i)]
        if not matched:
            continue
        try:
            futures.append(notifier.get_notifier().notify(
                {'id': sub.id, 'callbackUri': sub.callback_reference},
                notification(sub, matched, change_type)))
        except Exception:
            LOG.exception('The availability notification to subscription '
                          '%s could not be queued', sub.id)
    return futures
