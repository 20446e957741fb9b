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
"""The MEC 010-2 (v2.1.1) representations of app instances, their LCM
operation occurrences, subscriptions and notifications (``/app_lcm/v1``).

Where v2.1.1 is short of what a lifecycle needs, the later versions of the
specification and NFV SOL003 fill in, in their own names: the op-occ's
``FAILED_TEMP``, ``ROLLING_BACK`` and ``ROLLED_BACK`` states, its
``appInstanceId``, ``isCancelPending`` and ``error``, and the links of the
``retry``, ``rollback``, ``fail`` and ``cancel`` tasks. ``lcmOperation``
is spelt ``INSTANTIATE``, as in ``OperationTypes`` (v2.1.1's
``LcmOperation`` enum has the typo ``INSTATIATE``), and ``operationParams``
is the operation's request, as its description says (v2.1.1's schema makes
it a copy of the operation type).
"""

import calendar

from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import states

BASE = '/app_lcm/v1'

INSTANTIATE = 'INSTANTIATE'
TERMINATE = 'TERMINATE'
OPERATE = 'OPERATE'

#: Operations, by what clients send.
OPERATIONS = {'INSTANTIATE': INSTANTIATE, 'INSTATIATE': INSTANTIATE,
              'OPERATE': OPERATE, 'TERMINATE': TERMINATE}

INSTANCE_STATE_CHANGE = 'AppInstanceStateChange'
OP_OCC_STATE_CHANGE = 'AppLcmOpOccStateChange'
SUBSCRIPTION_TYPES = (INSTANCE_STATE_CHANGE, OP_OCC_STATE_CHANGE)

#: Attributes a filter may name.
INSTANCE_ATTRIBUTES = ('id', 'appInstanceName', 'appInstanceDescription',
                       'appDId', 'appProvider', 'appName', 'appSoftVersion',
                       'appDVersion', 'appPkgId', 'instantiationState',
                       'instantiatedAppState', 'vimConnectionInfo',
                       'mecHostInformation')
INSTANCE_COMPLEX = ('vimConnectionInfo', 'instantiatedAppState',
                    'mecHostInformation')
OP_OCC_ATTRIBUTES = ('id', 'operationState', 'stateEnteredTime',
                     'startTime', 'lcmOperation', 'appInstanceId',
                     'isCancelPending', 'operationParams', 'error')
OP_OCC_COMPLEX = ('operationParams', 'error')


def _link(base_url, *parts):
    return {'href': '/'.join([base_url.rstrip('/'), BASE.strip('/')]
                             + [str(p) for p in parts])}


def _timestamp(value=None):
    """A TimeStamp (seconds and nanoseconds since the epoch, UTC)."""
    value = timeutils.normalize_time(value or timeutils.utcnow())
    seconds = calendar.timegm(value.utctimetuple())
    return {'seconds': seconds, 'nanoSeconds': value.microsecond * 1000}


def instance_info(inst, base_url, vim=None, host=None):
    """AppInstanceInfo of an app instance.

    :param inst: the instance's database row.
    :param base_url: the API's base URL.
    :param vim: the VIM's row, when instantiated (for vimConnectionInfo,
        without any credential).
    :param host: the MEC host's row, when instantiated.
    :returns: a dict.
    """
    from mec_orchestrator.etsi import granting

    links = {'self': _link(base_url, 'app_instances', inst.id)}
    if inst.instantiation_state == states.NOT_INSTANTIATED:
        links['instantiate'] = _link(base_url, 'app_instances', inst.id,
                                     'instantiate')
    else:
        links['terminate'] = _link(base_url, 'app_instances', inst.id,
                                   'terminate')
        links['operate'] = _link(base_url, 'app_instances', inst.id,
                                 'operate')
    info = {
        'id': inst.id,
        'appInstanceName': inst.app_instance_name,
        'appInstanceDescription': inst.app_instance_description,
        'appDId': inst.app_d_id,
        'appProvider': inst.app_provider or '',
        'appName': inst.app_name or '',
        'appSoftVersion': inst.app_soft_version or '',
        'appDVersion': inst.app_d_version or '',
        'appPkgId': inst.app_pkg_id,
        'instantiationState': inst.instantiation_state,
        '_links': links,
    }
    if inst.instantiation_state == states.INSTANTIATED:
        info['instantiatedAppState'] = {
            'operationalState': inst.operational_state or states.STARTED}
        if vim is not None:
            info['vimConnectionInfo'] = [granting.vim_connection(vim)]
        if host is not None:
            info['mecHostInformation'] = {
                'hostId': {'id': host.id, 'vimId': host.vim_id},
                'hostName': host.name}
    return {k: v for k, v in info.items() if v is not None}


def op_occ(op, base_url):
    """AppInstanceLcmOpOcc of an operation occurrence.

    :param op: the op-occ's database row.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    links = {'self': _link(base_url, 'app_lcm_op_occs', op.id),
             'appInstance': _link(base_url, 'app_instances',
                                  op.app_instance_id)}
    state = op.operation_state
    if state == states.FAILED_TEMP:
        links['retry'] = _link(base_url, 'app_lcm_op_occs', op.id, 'retry')
        links['fail'] = _link(base_url, 'app_lcm_op_occs', op.id, 'fail')
        if op.operation != TERMINATE:
            links['rollback'] = _link(base_url, 'app_lcm_op_occs', op.id,
                                      'rollback')
    if state in states.OP_ACTIVE_STATES:
        links['cancel'] = _link(base_url, 'app_lcm_op_occs', op.id, 'cancel')
    info = {
        'id': op.id,
        'operationState': state,
        'stateEnteredTime': _timestamp(op.state_entered_time),
        'startTime': _timestamp(op.start_time),
        'lcmOperation': op.operation,
        'operationParams': op.operation_params,
        'appInstanceId': op.app_instance_id,
        'isCancelPending': bool(op.is_cancel_pending),
        'error': op.error or None,
        '_links': links,
    }
    return {k: v for k, v in info.items() if v is not None}


def subscription_info(sub, base_url):
    """AppInstSubscriptionInfo or AppLcmOpOccSubscriptionInfo.

    Never the subscription's credentials.

    :param sub: the subscription's database row.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    info = {
        'id': sub.id,
        'subscriptionType': sub.subscription_type,
        'callbackUri': sub.callback_uri,
        '_links': {'self': _link(base_url, 'subscriptions', sub.id)},
    }
    flt = sub.filter or {}
    if sub.subscription_type == INSTANCE_STATE_CHANGE:
        # notificationType (required in v2.1.1) is the one state notified;
        # a subscription to every state has none to give.
        if flt.get('appInstanceState'):
            info['notificationType'] = flt['appInstanceState']
            info['appInstanceState'] = flt['appInstanceState']
        if flt.get('appInstanceSubscriptionFilter'):
            info['appInstanceSubscriptionFilter'] = flt[
                'appInstanceSubscriptionFilter']
    elif flt.get('appLcmOpOccSubscriptionFilter'):
        info['appLcmOpOccSubscriptionFilter'] = flt[
            'appLcmOpOccSubscriptionFilter']
    return info


def subscription_list(subs, base_url):
    """SubscriptionLinkList.

    :param subs: the subscriptions' rows.
    :param base_url: the API's base URL.
    :returns: a dict.
    """
    return {'_links': {
        'self': _link(base_url, 'subscriptions'),
        'subscriptions': [dict(_link(base_url, 'subscriptions', s.id),
                               subscriptionType=s.subscription_type)
                          for s in subs]}}


def _selects(selector, inst):
    """Whether an AppInstanceSubscriptionFilter selects an instance."""
    if not selector:
        return True
    kind = selector.get('appInstSelectorType') or 'VOID'
    wanted = selector.get('appInstances') or []
    if kind == 'VOID':
        return True
    if kind == 'APP_IDENTITY':
        return inst['id'] in wanted
    if kind == 'APP_NAME':
        return inst.get('appName') in wanted
    if kind == 'APP_D_ID':
        return inst.get('appDId') in wanted
    if kind == 'APP_FROM_PROVIDER':
        for provider in selector.get('appsFromProviders') or []:
            if provider.get('appProvider') != inst.get('appProvider'):
                continue
            products = provider.get('appProducts') or []
            if not products:
                return True
            for product in products:
                if product.get('appName') not in (None, inst.get('appName')):
                    continue
                versions = product.get('versions') or []
                if not versions or any(
                        v.get('appSoftVersion') in (
                            None, inst.get('appSoftVersion'))
                        for v in versions):
                    return True
        return False
    return False


def instance_state(inst):
    """The AppInstanceState of an instance (what subscriptions name).

    :param inst: an AppInstanceInfo.
    :returns: NOT_INSTANTIATED, STARTED or STOPPED.
    """
    if inst.get('instantiationState') != states.INSTANTIATED:
        return states.NOT_INSTANTIATED
    return inst['instantiatedAppState']['operationalState']


def matches_instance_subscription(sub, inst):
    """Whether an AppInstanceStateChange subscription wants a change.

    :param sub: the subscription's row.
    :param inst: the instance's AppInstanceInfo after the change.
    """
    flt = sub.filter or {}
    state = flt.get('appInstanceState')
    if state and state != instance_state(inst):
        return False
    return _selects(flt.get('appInstanceSubscriptionFilter'), inst)


def matches_op_occ_subscription(sub, op, inst):
    """Whether an AppLcmOpOccStateChange subscription wants a change.

    :param sub: the subscription's row.
    :param op: the op-occ's AppInstanceLcmOpOcc after the change.
    :param inst: the instance's AppInstanceInfo.
    """
    flt = (sub.filter or {}).get('appLcmOpOccSubscriptionFilter') or {}

    def listed(value, allowed):
        if not allowed:
            return True
        if isinstance(allowed, str):
            allowed = [allowed]
        return value in allowed

    return (listed(op['operationState'], flt.get('operationStates'))
            and listed(op['lcmOperation'], [
                OPERATIONS.get(o, o) for o in (
                    [flt['operationTypes']] if isinstance(
                        flt.get('operationTypes'), str)
                    else flt.get('operationTypes') or [])])
            and _selects(flt.get('appInstanceSubscriptionFilter'), inst))


def instance_notification(sub, inst, base_url, notification_id=None):
    """An AppInstNotification.

    :param sub: the subscription's row.
    :param inst: the instance's AppInstanceInfo after the change.
    :param base_url: the API's base URL.
    :param notification_id: the same for every subscriber of one change.
    :returns: a dict.
    """
    return {
        'id': notification_id or uuidutils.generate_uuid(),
        'notificationType': instance_state(inst),
        'subscriptionId': sub.id,
        'timeStamp': _timestamp(),
        'appInstanceId': inst['id'],
        'appPkgId': inst['appPkgId'],
        'appDId': inst['appDId'],
        '_links': {'subscription': _link(base_url, 'subscriptions',
                                         sub.id)},
    }


def op_occ_notification(sub, op, base_url, notification_id=None):
    """An AppLcmOpOccNotification.

    :param sub: the subscription's row.
    :param op: the op-occ's AppInstanceLcmOpOcc after the change.
    :param base_url: the API's base URL.
    :param notification_id: the same for every subscriber of one change.
    :returns: a dict.
    """
    doc = {
        'id': notification_id or uuidutils.generate_uuid(),
        'notificationType': op['operationState'],
        'subscriptionId': sub.id,
        'timeStamp': _timestamp(),
        'appLcmOpOccId': op['id'],
        'appInstanceId': op['appInstanceId'],
        'operation': op['lcmOperation'],
        '_links': {
            'appInstance': _link(base_url, 'app_instances',
                                 op['appInstanceId']),
            'subscription': _link(base_url, 'subscriptions', sub.id),
            'appLcmOpOcc': _link(base_url, 'app_lcm_op_occs', op['id']),
        },
    }
    if op.get('error'):
        doc['error'] = op['error']
    return doc
