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
"""``/app_pkgm/v1/subscriptions``."""

from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api.schemas import app_pkgm as schemas
from mec_orchestrator.api import utils
from mec_orchestrator.api.views import app_package as view
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.conductor import notifier
from mec_orchestrator.etsi import app_pkgm as etsi_pkgm
from mec_orchestrator.etsi import filters

API = 'app_pkgm'


def _get(subscription_id, rule):
    return utils.owned(
        pecan.request.dbapi.get_subscription(API, subscription_id), rule,
        'Subscription', subscription_id)


class SubscriptionsController(rest.RestController):
    """Subscriptions to app package notifications."""

    @pecan.expose('json')
    def get_all(self, **query):
        """The project's subscriptions (AppPkgSubscriptionLinkList)."""
        utils.authorize('mec:app_package:subscription:get')
        etsi.check_query(query, ())
        ctx = pecan.request.context
        return view.format_subscription_list(
            pecan.request.dbapi.list_subscriptions(API, ctx.project_id))

    @pecan.expose('json')
    def get_one(self, subscription_id):
        """Show a subscription (AppPkgSubscriptionInfo)."""
        return view.format_subscription(
            _get(subscription_id, 'mec:app_package:subscription:get'))

    @pecan.expose('json')
    def post(self):
        """Subscribe.

        The callback URI is checked against the outbound policy, and the
        authentication's form, before anything is stored; a conductor
        encrypts the credentials (and tests the callback if the operator
        asks for it).
        """
        utils.authorize('mec:app_package:subscription:create')
        body = utils.json_body(schema=schemas.APP_PKG_SUBSCRIPTION)
        kind = body.get('subsctiptionType') or body.get('subscriptionType')
        if not kind:
            raise exception.Invalid(reason=_('subsctiptionType is '
                                             'required'))
        for expression in body.get('appPkgFilter', ()):
            filters.parse_filter(expression, etsi_pkgm.ATTRIBUTES)
        ctx = pecan.request.context
        req = pecan.request
        notifier.validate_subscription(body)
        sub_id = req.rpcapi.create_subscription(ctx, {
            'id': uuidutils.generate_uuid(),
            'project_id': ctx.project_id,
            'api': API,
            'subscription_type': etsi_pkgm.SUBSCRIPTION_TYPE[kind],
            'callback_uri': body['callbackUri'],
            'filter': body.get('appPkgFilter'),
            'authentication': body.get('authentication'),
        })
        sub = req.dbapi.get_subscription(API, sub_id)
        pecan.response.status = 201
        pecan.response.location = utils.link(view.BASE, 'subscriptions',
                                             sub.id)
        return view.format_subscription(sub)

    @pecan.expose(status_code=204)
    def delete(self, subscription_id):
        """Unsubscribe."""
        sub = _get(subscription_id, 'mec:app_package:subscription:delete')
        pecan.request.dbapi.destroy_subscription(API, sub.id)
