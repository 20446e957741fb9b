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
"""The conductor's RPC endpoint and its lifecycle (heartbeat, workers).

Long operations are handed to the manager's worker pool; periodic tasks
(heartbeat now; takeovers, reconciliation and audits in later releases) run
each on a thread of its own that a stop event ends at once. Nothing here
uses eventlet.
"""

import threading

import futurist
from oslo_log import log
import oslo_messaging as messaging

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import app_lcm
from mec_orchestrator.conductor import mep
from mec_orchestrator.conductor import notifier
from mec_orchestrator.conductor import outbox
from mec_orchestrator.conductor import reconcile
from mec_orchestrator.conductor import rpcapi
from mec_orchestrator.conductor import vims
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi

LOG = log.getLogger(__name__)
CONF = conf.CONF


class ConductorManager(object):
    """The conductor RPC endpoint.

    :param host: the conductor's host name (unique among conductors).
    :param topic: the RPC topic it serves.
    """

    RPC_API_VERSION = '1.6'

    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host, topic=rpcapi.TOPIC):
        self.host = host
        self.topic = topic
        self.site = CONF.conductor.site
        self.dbapi = None
        self._executor = None
        self._stop = threading.Event()
        self._periodic_threads = []
        self._packages = None
        self.notifier = None
        self.outbox = None
        self.vims = None
        self.lcm = None
        self.reconciler = None
        self.platform = None

    # -- lifecycle ------------------------------------------------------------

    def init_host(self):
        """Register the conductor and start its workers and periodic tasks.

        Called by the service before the RPC server starts consuming.
        """
        self.dbapi = dbapi.get_instance()
        self.dbapi.register_conductor({'hostname': self.host,
                                       'site': self.site})
        self._executor = futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.workers_pool_size)
        self.notifier = notifier.Notifier(on_result=self._notified)
        self.notifier.start()
        self.outbox = outbox.Outbox(self.host, self.dbapi, self.notifier)
        self._stop.clear()
        self._start_periodic(self._heartbeat,
                             CONF.conductor.heartbeat_interval)
        self.vims = vims.VimService(self.host, self.site, self.dbapi,
                                    self._executor)
        if CONF.vim.check_interval:
            self._start_periodic(self.vims.periodic_check,
                                 CONF.vim.check_interval)
        self.lcm = app_lcm.LcmService(self.host, self.dbapi, self._executor,
                                      self.outbox)
        # Op-occs of this host name from before a restart are resumed once
        # their lease expires (the previous process may still be finishing
        # them); those of dead conductors likewise.
        self.lcm.take_over()
        self._start_periodic(self.lcm.take_over,
                             CONF.app_lcm.takeover_interval)
        # Notifications whose sender died, or stopped before sending them.
        self._start_periodic(self.outbox.take_over,
                             CONF.app_lcm.takeover_interval)
        self.reconciler = reconcile.Reconciler(self.vims, self.dbapi)
        if CONF.app_lcm.reconcile_interval:
            self._start_periodic(self.reconciler.periodic_reconcile,
                                 CONF.app_lcm.reconcile_interval)
        self.platform = mep.PlatformService(self.dbapi, self._executor,
                                            self.vims)
        # After a restart the data plane may have lost rules: apply them
        # all once now, then periodically.
        self._executor.submit(self.platform.periodic_sync)
        if CONF.platform.sync_interval:
            self._start_periodic(self.platform.periodic_sync,
                                 CONF.platform.sync_interval)
        LOG.info('Conductor %(host)s (site %(site)s) started',
                 {'host': self.host, 'site': self.site or '-'})

    def del_host(self):
        """Stop the periodic tasks, let running work finish, unregister.

        The heartbeat (and with it the leases of the op-occs being run) goes
        on until the running work has finished: no other conductor takes an
        op-occ over while this one still works on it.
        """
        self._stop.set()
        for thread in self._periodic_threads:
            thread.join()
        self._periodic_threads = []
        if self._executor is not None:
            finishing = threading.Event()

            def beat():
                while not finishing.wait(CONF.conductor.heartbeat_interval):
                    self._heartbeat()

            heartbeat = threading.Thread(target=beat, daemon=True,
                                         name='%s-final-heartbeat'
                                         % self.host)
            heartbeat.start()
            try:
                self._executor.shutdown(wait=True)
            finally:
                finishing.set()
                heartbeat.join()
        if self.notifier is not None:
            self.notifier.stop()
        if self.dbapi is not None:
            try:
                self.dbapi.unregister_conductor(self.host)
            except exception.ConductorNotFound:
                pass
        LOG.info('Conductor %s stopped', self.host)

    def _start_periodic(self, func, spacing):
        """Run func every spacing seconds until the conductor stops."""

        def loop():
            while not self._stop.wait(spacing):
                func()

        thread = threading.Thread(target=loop, daemon=True,
                                  name='%s-%s' % (self.host, func.__name__))
        thread.start()
        self._periodic_threads.append(thread)

    @staticmethod
    def _notified(result):
        if result.stopped:
            LOG.info('Notification %(n)s (%(type)s) to subscription %(sub)s '
                     'stays in the outbox: the conductor stops',
                     {'n': result.notification_id,
                      'type': result.notification_type,
                      'sub': result.subscription_id})
        elif not result.delivered:
            LOG.warning('Notification %(n)s (%(type)s) to %(uri)s of '
                        'subscription %(sub)s not delivered after '
                        '%(attempts)d attempts: %(reason)s',
                        {'n': result.notification_id,
                         'type': result.notification_type,
                         'uri': result.callback_uri,
                         'sub': result.subscription_id,
                         'attempts': result.attempts,
                         'reason': result.reason})

    def _heartbeat(self):
        try:
            self.dbapi.touch_conductor(self.host)
            if self.lcm is not None:
                self.lcm.renew_leases()
            if self.outbox is not None:
                self.outbox.renew_leases()
        except exception.ConductorNotFound:
            # Marked offline by someone else: come back.
            LOG.warning('Conductor %s was unregistered; registering again',
                        self.host)
            self.dbapi.register_conductor({'hostname': self.host,
                                           'site': self.site})
        except Exception:
            LOG.exception('Heartbeat of conductor %s failed', self.host)

    # -- RPC methods ----------------------------------------------------------

    def ping(self, context, payload=None):
        """Answer a ping.

        :param context: the request context.
        :param payload: a JSON value to send back.
        :returns: this conductor's identity and the payload.
        """
        return {'hostname': self.host,
                'site': self.site,
                'rpc_api_version': self.RPC_API_VERSION,
                'payload': payload}

    # -- app packages ---------------------------------------------------------

    def _app_packages(self):
        if self._packages is None:
            from mec_orchestrator.conductor import app_packages
            self._packages = app_packages.from_config(self.dbapi,
                                                      self.outbox)
        return self._packages

    def onboard_app_package(self, context, package_id, base_url=None):
        """Onboard a package on the worker pool.

        :param context: the request context.
        :param package_id: the package's id.
        :param base_url: the API's URL as the client sees it.
        """
        self._executor.submit(self._app_packages().onboard, context,
                              package_id, base_url)

    def notify_app_package(self, context, project_id, notification_type,
                           info, base_url=None):
        """Notify a package's subscribers on the worker pool.

        For APIs older than RPC 1.6, which do not write the package's
        notifications to the outbox themselves.

        :param context: the request context.
        :param project_id: the package's project.
        :param notification_type: an AppPkg.NotificationType.
        :param info: the package's AppPkgInfo just after the change.
        :param base_url: the API's URL as the client sees it.
        """
        self._executor.submit(self._app_packages().notify, context,
                              notification_type, project_id, info,
                              base_url)

    def send_notifications(self, context):
        """Send the outbox's notifications that nobody sends, now.

        :param context: the request context.
        """
        self._executor.submit(self.outbox.take_over)

    @messaging.expected_exceptions(exception.MecOrchestratorException)
    def create_subscription(self, context, values):
        """Store a subscription, its authentication encrypted.

        :param context: the request context.
        :param values: the subscription's columns; ``authentication`` in
            clear.
        :returns: the subscription's id.
        """
        from mec_orchestrator.common import crypto
        notifier.test_notification(
            {'callbackUri': values['callback_uri'],
             'authentication': values.get('authentication')},
            token_cache=self.notifier.token_cache)
        values = dict(values)
        if values.get('authentication'):
            values['authentication'] = crypto.encrypt_dict(
                values['authentication'])
        return self.dbapi.create_subscription(values).id

    # -- VIMs (conductor/vims.py) ---------------------------------------------

    @messaging.expected_exceptions(exception.Invalid, exception.Conflict,
                                   exception.KeyRepositoryError)
    def create_vim(self, context, values):
        """Validate a VIM with its driver and register it.

        :param context: the request context.
        :param values: the VIM's fields, credentials in clear.
        :returns: the new VIM's id.
        :raises: DuplicateName, Invalid, KeyRepositoryError
        """
        return self.vims.create(context, values)

    @messaging.expected_exceptions(exception.Invalid, exception.Conflict,
                                   exception.NotFound,
                                   exception.KeyRepositoryError,
                                   exception.DecryptionFailed)
    def update_vim(self, context, vim_id, values):
        """Update a VIM, validating it again if its access changes.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :param values: the fields to change.
        :returns: the VIM's id.
        :raises: VimNotFound, DuplicateName, Invalid, KeyRepositoryError,
            DecryptionFailed
        """
        return self.vims.update(context, vim_id, values)

    @messaging.expected_exceptions(exception.NotFound, exception.Conflict)
    def delete_vim(self, context, vim_id):
        """Delete a VIM and its MEC hosts.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :raises: VimNotFound, VimInUse
        """
        self.vims.delete(context, vim_id)

    @messaging.expected_exceptions(exception.NotFound)
    def check_vim(self, context, vim_id):
        """Check a VIM now.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :returns: a dict with ``status`` and ``status_reason``.
        :raises: VimNotFound
        """
        return self.vims.check(context, vim_id)

    # -- placement ------------------------------------------------------------

    @messaging.expected_exceptions(exception.MecOrchestratorException)
    def preview_placement(self, context, app_d_id, request=None,
                          user_area=None):
        """Rank the MEC hosts for an instance of an onboarded AppD.

        :param context: the request context.
        :param app_d_id: the AppD's id, onboarded in the context's project.
        :param request: an InstantiateAppRequest, or None.
        :param user_area: the user area for the latency checks.
        :returns: the decision's explanation.
        """
        from mec_orchestrator.conductor import placement
        pkg = self.dbapi.get_onboarded_app_package(context.project_id,
                                                   app_d_id)
        return placement.PlacementService(self.dbapi).preview(
            pkg.appd, request, user_area)

    @messaging.expected_exceptions(exception.MecOrchestratorException)
    def create_grant(self, context, grant_id):
        """Decide a grant (GRANTED or REJECTED is recorded on it).

        :param context: the request context.
        :param grant_id: the grant's id.
        :returns: the grant's status.
        """
        from mec_orchestrator.conductor import granting
        return granting.Granting(self.dbapi).decide(context,
                                                    grant_id).status

    # -- app lifecycle (conductor/app_lcm.py) ---------------------------------

    def run_app_lcm_op(self, context, op_occ_id):
        """Run (or resume) an op-occ on the worker pool.

        :param context: the request context.
        :param op_occ_id: the op-occ's id.
        """
        self.lcm.submit(op_occ_id)

    @messaging.expected_exceptions(exception.NotFound, exception.Conflict)
    def act_on_app_lcm_op(self, context, op_occ_id, action, params=None):
        """Retry, roll back, fail or cancel an op-occ.

        :param context: the request context.
        :param op_occ_id: the op-occ's id.
        :param action: retry, rollback, fail or cancel.
        :param params: the task's body.
        :returns: the op-occ's state after the change.
        :raises: AppLcmOpOccNotFound, InvalidState
        """
        return self.lcm.act(op_occ_id, action, params)

    # -- MEC platform ---------------------------------------------------------

    def sync_platform(self, context, app_instance_id=None):
        """Make the data plane match the rules of one app, or of all.

        :param context: the request context.
        :param app_instance_id: the app instance, or None for every app.
        """
        self.platform.submit(app_instance_id)
