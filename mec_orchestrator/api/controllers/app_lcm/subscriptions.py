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
"""``/app_lcm/v1/subscriptions``: app instance and op-occ state changes."""

from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api.schemas import app_lcm as schemas
from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.conductor import notifier
from mec_orchestrator.etsi import app_lcm as etsi_lcm

API = 'app_lcm'

_FILTER_KEYS = ('appInstanceState', 'appInstanceSubscriptionFilter',
                'appLcmOpOccSubscriptionFilter')


def _get(subscription_id, rule):
    return utils.owned(
        pecan.request.dbapi.get_subscription(API, subscription_id), rule,
        'Subscription', subscription_id)


def _check_type(query):
    kind = query.get('subscriptionType')
    if kind is not None and kind not in etsi_lcm.SUBSCRIPTION_TYPES:
        raise exception.InvalidParameterValue(
            err=_('subscriptionType must be one of %s')
            % ', '.join(etsi_lcm.SUBSCRIPTION_TYPES))
    return kind


class SubscriptionsController(rest.RestController):
    """Subscriptions to app lifecycle notifications."""

    @pecan.expose('json')
    def get_all(self, **query):
        """The project's subscriptions (SubscriptionLinkList)."""
        utils.authorize('mec:app_lcm:subscription:get')
        etsi.check_query(query, ('subscriptionType',))
        kind = _check_type(query)
        ctx = pecan.request.context
        return etsi_lcm.subscription_list(
            pecan.request.dbapi.list_subscriptions(
                API, ctx.project_id,
                subscription_types=[kind] if kind else None),
            utils.base_url())

    @pecan.expose('json')
    def get_one(self, subscription_id, **query):
        """Show a subscription."""
        etsi.check_query(query, ('subscriptionType',))
        sub = _get(subscription_id, 'mec:app_lcm:subscription:get')
        kind = _check_type(query)
        if kind and kind != sub.subscription_type:
            raise exception.ResourceNotFound(resource='Subscription',
                                             id=subscription_id)
        return etsi_lcm.subscription_info(sub, utils.base_url())

    @pecan.expose('json')
    def post(self, **_body):
        """Subscribe.

        The body is an AppInstSubscriptionRequest or an
        AppLcmOpOccSubscriptionRequest.
        """
        utils.authorize('mec:app_lcm:subscription:create')
        query = dict(pecan.request.GET)
        etsi.check_query(query, ('subscriptionType',))
        body = utils.json_body(schema=schemas.SUBSCRIPTION)
        kind = body['subscriptionType']
        if _check_type(query) not in (None, kind):
            raise exception.Invalid(reason=_(
                'the subscriptionType of the query and of the body differ'))
        if kind == etsi_lcm.INSTANCE_STATE_CHANGE and (
                'appLcmOpOccSubscriptionFilter' in body):
            raise exception.Invalid(reason=_(
                'appLcmOpOccSubscriptionFilter is for '
                'AppLcmOpOccStateChange subscriptions'))
        if kind == etsi_lcm.OP_OCC_STATE_CHANGE and (
                'appInstanceState' in body
                or 'appInstanceSubscriptionFilter' in body):
            raise exception.Invalid(reason=_(
                'appInstanceState and appInstanceSubscriptionFilter are for '
                'AppInstanceStateChange subscriptions'))
        notifier.validate_subscription(body)
        ctx = pecan.request.context
        req = pecan.request
        sub_id = utils.call_conductor('create_subscription', {
            'id': uuidutils.generate_uuid(),
            'project_id': ctx.project_id,
            'api': API,
            'subscription_type': kind,
            'callback_uri': body['callbackUri'],
            'filter': {k: body[k] for k in _FILTER_KEYS if k in body},
            'authentication': body.get('authentication'),
        })
        sub = req.dbapi.get_subscription(API, sub_id)
        pecan.response.status = 201
        pecan.response.location = utils.link(etsi_lcm.BASE, 'subscriptions',
                                             sub.id)
        return etsi_lcm.subscription_info(sub, utils.base_url())

    @pecan.expose(status_code=204)
    def delete(self, subscription_id):
        """Unsubscribe."""
        sub = _get(subscription_id, 'mec:app_lcm:subscription:delete')
        pecan.request.dbapi.destroy_subscription(API, sub.id)
