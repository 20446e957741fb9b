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
"""Client side of the conductor RPC API."""

import oslo_messaging as messaging

from mec_orchestrator.common import rpc
from mec_orchestrator import conf

CONF = conf.CONF

#: The default topic of the conductors ([conductor] topic).
TOPIC = 'mec-orchestrator.conductor'


class ConductorAPI(object):
    """Client side of the conductor RPC API.

    Every method takes the request context first and carries ids, never
    objects. Long work is a ``cast``; ``call`` is for quick answers.

    API version history:

    | 1.0 - Initial version: ping.
    | 1.1 - VIMs: create_vim, update_vim, delete_vim, check_vim.
    | 1.2 - App packages: onboard_app_package, notify_app_package,
    |       create_subscription.
    | 1.3 - Placement: preview_placement, create_grant.
    | 1.4 - App lifecycle: run_app_lcm_op, act_on_app_lcm_op.
    | 1.5 - MEC platform: sync_platform.
    | 1.6 - Notification outbox: send_notifications (the API writes a
    |       package's notifications to the outbox itself and no longer
    |       casts notify_app_package, which conductors still serve for
    |       older APIs).
    """

    RPC_API_VERSION = '1.6'

    def __init__(self, topic=None):
        self.topic = topic or CONF.conductor.topic
        target = messaging.Target(topic=self.topic,
                                  version=self.RPC_API_VERSION)
        # A pinned cap lets old and new conductors mix during an upgrade.
        self.client = rpc.get_client(target,
                                     version_cap=self.RPC_API_VERSION)

    def _prepare(self, version, server=None):
        return self.client.prepare(topic=self.topic, server=server,
                                   version=version,
                                   timeout=CONF.conductor.rpc_timeout)

    def ping(self, context, hostname=None, payload=None):
        """Round trip to a conductor, for diagnostics.

        :param context: the request context.
        :param hostname: the conductor to ask; any conductor if None.
        :param payload: a JSON value the conductor sends back.
        :returns: a dict with the answering conductor's ``hostname``,
            ``site``, ``rpc_api_version`` and the ``payload``.
        :raises: MessagingTimeout when no conductor answers.
        """
        cctxt = self._prepare('1.0', server=hostname)
        return cctxt.call(context, 'ping', payload=payload)

    # -- VIMs (1.1) -----------------------------------------------------------

    def create_vim(self, context, values):
        """Validate a VIM against its driver and register it.

        A call: the caller learns at once whether the VIM accepted the
        credentials. MEC host discovery continues on the conductor.

        :param context: the request context.
        :param values: the VIM's fields (see
            :meth:`mec_orchestrator.conductor.vims.VimService.create`),
            credentials in clear: use TLS on the message bus.
        :returns: the new VIM's id.
        :raises: DuplicateName, Invalid (VimAuthFailed, VimUnreachable,
            VimMissingServices), KeyRepositoryError, MessagingTimeout
        """
        return self._prepare('1.1').call(context, 'create_vim',
                                         values=values)

    def update_vim(self, context, vim_id, values):
        """Update a VIM, validating it again if its access changes.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :param values: the fields to change.
        :returns: the VIM's id.
        :raises: VimNotFound, DuplicateName, Invalid, KeyRepositoryError,
            MessagingTimeout
        """
        return self._prepare('1.1').call(context, 'update_vim',
                                         vim_id=vim_id, values=values)

    def delete_vim(self, context, vim_id):
        """Delete a VIM and its MEC hosts.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :raises: VimNotFound, VimInUse, MessagingTimeout
        """
        return self._prepare('1.1').call(context, 'delete_vim',
                                         vim_id=vim_id)

    def check_vim(self, context, vim_id):
        """Check a VIM now (its MEC hosts are refreshed afterwards).

        :param context: the request context.
        :param vim_id: the VIM's id.
        :returns: a dict with ``status`` and ``status_reason``.
        :raises: VimNotFound, MessagingTimeout
        """
        return self._prepare('1.1').call(context, 'check_vim',
                                         vim_id=vim_id)

    # -- app packages (1.2) ---------------------------------------------------

    def onboard_app_package(self, context, package_id, base_url):
        """Fetch (when needed), check and onboard an app package.

        :param context: the request context.
        :param package_id: the package's id.
        :param base_url: the API's URL as the client sees it, for the links
            of the notifications (unless [api] public_endpoint is set).
        """
        self._prepare('1.2').cast(context, 'onboard_app_package',
                                  package_id=package_id, base_url=base_url)

    def create_subscription(self, context, values):
        """Store a subscription, its authentication encrypted.

        Only conductors hold the credential keys. When the operator asks
        for it, the callback URI is tested first (NFV SOL013).

        :param context: the request context.
        :param values: the subscription's columns, with ``authentication``
            as the client gave it (a dict) or None.
        :returns: the new subscription's id.
        :raises: CallbackVerificationFailed, OutboundRequestRefused,
            KeyRepositoryError
        """
        return self._prepare('1.2').call(context, 'create_subscription',
                                         values=values)

    # -- placement (1.3) ------------------------------------------------------

    def preview_placement(self, context, app_d_id, request=None,
                          user_area=None):
        """Rank the MEC hosts for an instance of an onboarded AppD.

        :param context: the request context (its project's AppD).
        :param app_d_id: the AppD's id.
        :param request: an InstantiateAppRequest, or None.
        :param user_area: the user area for the latency checks.
        :returns: the decision's explanation.
        :raises: ResourceNotFound, Invalid
        """
        return self._prepare('1.3').call(context, 'preview_placement',
                                         app_d_id=app_d_id, request=request,
                                         user_area=user_area)

    def create_grant(self, context, grant_id, wait=True):
        """Decide a grant.

        :param context: the request context.
        :param grant_id: the grant's id (recorded PROCESSING).
        :param wait: answer once decided (a call); else a cast.
        """
        cctxt = self._prepare('1.3')
        if wait:
            return cctxt.call(context, 'create_grant', grant_id=grant_id)
        cctxt.cast(context, 'create_grant', grant_id=grant_id)

    # -- app lifecycle (1.4) --------------------------------------------------

    def run_app_lcm_op(self, context, op_occ_id):
        """Have a conductor run (or resume) an op-occ.

        A cast: the op-occ is recorded STARTING already, and a conductor
        that finds it abandoned takes it over should this message be lost.

        :param context: the request context.
        :param op_occ_id: the op-occ's id.
        """
        self._prepare('1.4').cast(context, 'run_app_lcm_op',
                                  op_occ_id=op_occ_id)

    def act_on_app_lcm_op(self, context, op_occ_id, action, params=None):
        """Retry, roll back, fail or cancel an op-occ.

        A call: the state change is checked and made before the answer,
        the work it starts runs afterwards.

        :param context: the request context.
        :param op_occ_id: the op-occ's id.
        :param action: ``retry``, ``rollback``, ``fail`` or ``cancel``.
        :param params: the action's request body (cancelMode).
        :returns: the op-occ's state after the change.
        :raises: AppLcmOpOccNotFound, InvalidState (409)
        """
        return self._prepare('1.4').call(context, 'act_on_app_lcm_op',
                                         op_occ_id=op_occ_id, action=action,
                                         params=params)

    # -- MEC platform (1.5) ---------------------------------------------------

    def sync_platform(self, context, app_instance_id=None):
        """Have a conductor make the data plane match an app's rules.

        A cast: the rules' wanted state is in the database already, and
        the conductors' periodic pass applies whatever a lost message
        left pending.

        :param context: the request context.
        :param app_instance_id: the app instance, or None for every app.
        """
        self._prepare('1.5').cast(context, 'sync_platform',
                                  app_instance_id=app_instance_id)

    # -- notification outbox (1.6) --------------------------------------------

    def send_notifications(self, context):
        """Have a conductor send the outbox's notifications nobody sends.

        A cast, and only a hint: the notifications are in the database
        already, and every conductor's periodic takeover sends them if the
        cast is lost.

        :param context: the request context.
        """
        self._prepare('1.6').cast(context, 'send_notifications')
