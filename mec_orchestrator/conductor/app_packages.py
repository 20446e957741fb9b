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
"""Onboarding of app packages and their notifications (MEO).

Onboarding runs on a conductor's worker pool: fetch the content from
``appPkgPath`` (through the guarded outbound client) when it was not
uploaded, check the whole package's checksum, read and check the package
(:mod:`mec_orchestrator.packaging`), record the normalized AppD, then
notify the subscribers. Every state change is a compare-and-swap on the
package's row, so a second conductor given the same package does nothing.
A failure leaves the package in ERROR with a ProblemDetails, and no
content in the store.
"""

import time

from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common import states
from mec_orchestrator.conductor import outbox
from mec_orchestrator import conf
from mec_orchestrator.etsi import app_pkgm as etsi_pkgm
from mec_orchestrator.store import base as store_base

CONF = conf.CONF
LOG = log.getLogger(__name__)

API = 'app_pkgm'

def _problem(status, detail):
    return {'type': 'about:blank', 'title': 'Onboarding failed',
            'status': status, 'detail': detail}


class AppPackageOnboarding(object):
    """The MEO's package work, owned by a conductor manager.

    :param dbapi: the database API.
    :param outbox: queues and delivers notifications to subscribers (its
        ``send(api, project_id, [(subscription, notification)])``).
    :param fetch: a callable (url, max_size) -> iterable of bytes, through
        the guarded outbound client.
    :param reader: a callable (path) -> AppPackage (the package reader).
    """

    def __init__(self, dbapi, outbox, fetch, reader):
        self.dbapi = dbapi
        self.outbox = outbox
        self.fetch = fetch
        self.reader = reader

    def onboard(self, context, package_id, base_url=None):
        """Take a package from CREATED (with appPkgPath) or UPLOADING to
        ONBOARDED or ERROR.

        :param context: the request context.
        :param package_id: the package's id.
        :param base_url: the API's URL as the client saw it.
        """
        pkg = self.dbapi.get_app_package(package_id)
        store = store_base.get_store()
        try:
            if pkg.onboarding_state == states.CREATED and pkg.app_pkg_path:
                pkg = self._fetch(pkg, store)
            pkg = self.dbapi.update_app_package(
                package_id, {'onboarding_state': states.PROCESSING},
                expected={'onboarding_state': states.UPLOADING})
        except exception.InvalidState:
            LOG.info('App package %s is not waiting for processing',
                     package_id)
            return
        except Exception as e:
            self._fail(pkg, store, e)
            return
        started = time.monotonic()
        try:
            self._check_checksum(pkg)
            with store.local_path(pkg.content_location) as path:
                package = self.reader(path)
            values = self._values(package)
        except Exception as e:
            self._fail(pkg, store, e)
            return
        values.update({'onboarding_state': states.ONBOARDED,
                       'operational_state': states.ENABLED})
        # The package as it is about to be, for its notifications: they
        # are written in the transaction of the change.
        for column, value in values.items():
            setattr(pkg, column, value)
        base_url = CONF.api.public_endpoint or base_url or ''
        notifications = outbox.rows(API, pkg.project_id, etsi_pkgm.deliveries(
            self.dbapi.list_subscriptions(API, pkg.project_id),
            'AppPackageOnBoarded', etsi_pkgm.package_info(pkg, base_url),
            base_url))
        pkg = self.dbapi.update_app_package(
            package_id, values,
            expected={'onboarding_state': states.PROCESSING},
            notifications=notifications)
        LOG.info('App package %(id)s onboarded (appDId %(appd)s) in '
                 '%(t).3f s', {'id': package_id, 'appd': pkg.app_d_id,
                               't': time.monotonic() - started})
        if notifications:
            self.outbox.take_over()

    def _fetch(self, pkg, store):
        states.PACKAGE_ONBOARDING.check(pkg.onboarding_state,
                                        states.UPLOADING)
        pkg = self.dbapi.update_app_package(
            pkg.id, {'onboarding_state': states.UPLOADING},
            expected={'onboarding_state': states.CREATED})
        stored = store.put(pkg.id, self.fetch(
            pkg.app_pkg_path, CONF.app_package.max_package_size),
            CONF.app_package.max_package_size)
        return self.dbapi.update_app_package(pkg.id, {
            'content_location': stored.location,
            'content_size': stored.size,
            'content_sha256': stored.sha256,
            'content_sha512': stored.sha512})

    @staticmethod
    def _check_checksum(pkg):
        if not pkg.checksum_hash:
            return
        stored = store_base.StoredContent(
            pkg.content_location, pkg.content_size, pkg.content_sha256,
            pkg.content_sha512)
        actual = stored.digest(pkg.checksum_algorithm or 'SHA-256')
        if actual is None:
            raise exception.Invalid(
                reason='checksum algorithm %s is not supported; use SHA-256 '
                       'or SHA-512' % pkg.checksum_algorithm)
        if actual != pkg.checksum_hash.lower():
            raise exception.Invalid(
                reason='the package\'s %s is %s, not the %s given in '
                       'checksum' % (pkg.checksum_algorithm, actual,
                                     pkg.checksum_hash))

    @staticmethod
    def _values(package):
        appd = package.appd
        return {
            'appd': appd,
            'app_d_id': appd['appDId'],
            'app_name': appd.get('appName'),
            'app_provider': appd.get('appProvider'),
            'app_software_version': appd.get('appSoftVersion'),
            'app_d_version': appd.get('appDVersion'),
            'software_images': list(getattr(package, 'sw_images', None)
                                    or []),
            'additional_artifacts': list(getattr(package, 'artifacts', None)
                                         or []),
        }

    def _fail(self, pkg, store, error):
        if isinstance(error, exception.MecOrchestratorException) and \
                error.safe and int(error.code) < 500:
            problem = _problem(int(error.code), error.message)
            LOG.info('App package %(id)s failed onboarding: %(err)s',
                     {'id': pkg.id, 'err': error.message})
        else:
            problem = _problem(500, 'Internal error while onboarding; see '
                                    'the conductor log.')
            LOG.exception('App package %s failed onboarding', pkg.id)
        current = self.dbapi.get_app_package(pkg.id)
        if current.content_location:
            store.delete(current.content_location)
        try:
            self.dbapi.update_app_package(
                pkg.id, {'onboarding_state': states.ERROR,
                         'onboarding_failure': problem,
                         'content_location': None, 'content_size': None,
                         'content_sha256': None, 'content_sha512': None},
                expected={'onboarding_state': {states.CREATED,
                                               states.UPLOADING,
                                               states.PROCESSING}})
        except exception.MecOrchestratorException:
            LOG.warning('App package %s vanished or changed while failing',
                        pkg.id)

    # -- notifications --------------------------------------------------------

    def notify(self, context, notification_type, project_id, info,
               base_url=None):
        """Send a notification about a package to its matching subscribers.

        :param context: the request context.
        :param notification_type: an AppPkg.NotificationType.
        :param project_id: the package's project.
        :param info: the package's AppPkgInfo (for the subscriptions'
            filters and the notification's attributes).
        :param base_url: the API's URL as the client saw it; [api]
            public_endpoint wins when set.
        """
        base_url = CONF.api.public_endpoint or base_url or ''
        deliveries = etsi_pkgm.deliveries(
            self.dbapi.list_subscriptions(API, project_id), notification_type,
            info, base_url)
        self.outbox.send(API, project_id, deliveries)

def from_config(dbapi, outbox):
    """The onboarding of the configured service.

    :param dbapi: the database API.
    :param outbox: the conductor's
        :class:`~mec_orchestrator.conductor.outbox.Outbox`.
    :returns: an :class:`AppPackageOnboarding`.
    """
    from mec_orchestrator.common.outbound import client as outbound
    from mec_orchestrator import packaging

    from mec_orchestrator.packaging import limits

    options = limits.reader_options_from_conf(CONF)

    def read(path):
        return packaging.read_package(path, **options)

    def fetch(url, max_size):
        return outbound.iter_content(url, max_size)

    return AppPackageOnboarding(dbapi, outbox, fetch, read)
