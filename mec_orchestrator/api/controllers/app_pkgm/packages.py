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
"""``/app_pkgm/v1/app_packages`` and ``/onboarded_app_packages``."""

from oslo_log import log
from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api.schemas import app_pkgm as schemas
from mec_orchestrator.api import utils
from mec_orchestrator.api.views import app_package as view
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states
from mec_orchestrator.conductor import outbox
from mec_orchestrator import conf
from mec_orchestrator.etsi import app_pkgm as etsi_pkgm
from mec_orchestrator.etsi import filters
from mec_orchestrator.store import base as store_base

CONF = conf.CONF
LOG = log.getLogger(__name__)

#: The subscriptions' API name.
API = 'app_pkgm'

UPLOAD_TYPES = ('application/zip', 'application/octet-stream',
                'application/x-zip-compressed')


def get_package(package_id, rule):
    """A package the request may act on; another project's is a 404.

    :param package_id: the package's id.
    :param rule: the policy rule of the action.
    :returns: the package's row.
    :raises: ResourceNotFound, PolicyNotAuthorized
    """
    return utils.owned(pecan.request.dbapi.get_app_package(package_id),
                       rule, 'App package', package_id)


def _appd(pkg):
    if pkg.onboarding_state != states.ONBOARDED:
        raise exception.InvalidState(
            resource='App package', id=pkg.id, state=pkg.onboarding_state,
            reason=_('its AppD is known once it is ONBOARDED'))
    return pkg.appd


def _content(pkg):
    if pkg.onboarding_state != states.ONBOARDED:
        raise exception.InvalidState(
            resource='App package', id=pkg.id, state=pkg.onboarding_state,
            reason=_('its content can be downloaded once it is ONBOARDED'))
    store = store_base.get_store()
    f = store.open(pkg.content_location)
    resp = pecan.response
    resp.content_type = 'application/zip'
    resp.content_length = pkg.content_size
    resp.headers['Content-Disposition'] = (
        'attachment; filename="%s.zip"' % pkg.id)
    resp.app_iter = _chunks(f)
    return resp


def _chunks(f):
    with f:
        while True:
            chunk = f.read(CONF.app_package.chunk_size)
            if not chunk:
                return
            yield chunk


def _request_chunks():
    body = pecan.request.body_file_raw
    remaining = pecan.request.content_length
    size = CONF.app_package.chunk_size
    while remaining is None or remaining > 0:
        chunk = body.read(size if remaining is None
                          else min(size, remaining))
        if not chunk:
            if remaining:
                raise exception.Invalid(
                    reason=_('the upload ended before Content-Length '
                             'bytes'))
            return
        if remaining is not None:
            remaining -= len(chunk)
        yield chunk


def upload(pkg):
    """Stream the request body into the store and start processing.

    :param pkg: the package's row (CREATED or ERROR).
    :raises: InvalidState (409) unless the package waits for content,
        UnsupportedMediaType (415), RequestEntityTooLarge (413).
    """
    req = pecan.request
    if req.content_type not in UPLOAD_TYPES:
        raise exception.UnsupportedMediaType(
            content_type=req.content_type or _('(none)'),
            expected=', '.join(UPLOAD_TYPES))
    previous = pkg.onboarding_state
    if previous not in (states.CREATED, states.ERROR):
        raise exception.InvalidState(
            resource='App package', id=pkg.id, state=previous,
            reason=_('content can be uploaded to a CREATED package, or '
                     'again to one in ERROR'))
    dbapi = req.dbapi
    store = store_base.get_store()
    states.PACKAGE_ONBOARDING.check(previous, states.UPLOADING)
    dbapi.update_app_package(pkg.id, {'onboarding_state': states.UPLOADING,
                                      'onboarding_failure': None},
                             expected={'onboarding_state': previous})
    try:
        stored = store.put(pkg.id, _request_chunks(),
                           CONF.app_package.max_package_size)
    except Exception:
        # Back to where it was: nothing of the failed upload remains.
        dbapi.update_app_package(pkg.id, {'onboarding_state': previous},
                                 expected={'onboarding_state':
                                           states.UPLOADING})
        raise
    dbapi.update_app_package(pkg.id, {
        'content_location': stored.location,
        'content_size': stored.size,
        'content_sha256': stored.sha256,
        'content_sha512': stored.sha512})
    try:
        req.rpcapi.onboard_app_package(req.context, pkg.id,
                                       utils.base_url())
    except Exception:
        # No conductor took it: the client may try again later.
        store.delete(stored.location)
        dbapi.update_app_package(
            pkg.id, {'onboarding_state': previous, 'content_location': None,
                     'content_size': None, 'content_sha256': None,
                     'content_sha512': None},
            expected={'onboarding_state': states.UPLOADING})
        raise
    LOG.info('App package %(id)s: %(size)d bytes uploaded',
             {'id': pkg.id, 'size': stored.size})
    pecan.response.status = 202


class PackageContentController(rest.RestController):
    """``.../package_content``: download and upload."""

    def __init__(self, finder):
        self._find = finder

    @pecan.expose()
    def get_all(self, key):
        """Download an onboarded package's content (application/zip)."""
        return _content(self._find(key, 'mec:app_package:download'))

    @pecan.expose()
    def put(self, key):
        """Upload a package's content; processing is asynchronous (202)."""
        upload(self._find(key, 'mec:app_package:upload'))


class AppDController(rest.RestController):
    """``.../appd``: the normalized AppD (MEC 010-2 AppD)."""

    def __init__(self, finder):
        self._find = finder

    @pecan.expose('json')
    def get_all(self, key, **query):
        etsi.check_query(query, ())
        return _appd(self._find(key, 'mec:app_package:get'))


class AppPackagesController(rest.RestController):
    """``/app_pkgm/v1/app_packages``."""

    appd = AppDController(get_package)
    package_content = PackageContentController(get_package)

    @pecan.expose('json')
    def get_all(self, **query):
        """Query the project's app packages (filter, selectors, paging)."""
        utils.authorize('mec:app_package:get')
        etsi.check_query(query, ('filter', 'all_fields', 'fields',
                                 'exclude_fields', 'exclude_default',
                                 'nextpage_opaque_marker'))
        terms = filters.parse_filter(query['filter'],
                                      etsi_pkgm.ATTRIBUTES) if (
            'filter' in query) else []
        ctx = pecan.request.context
        items = [view.format_package(p) for p in
                 pecan.request.dbapi.list_app_packages(ctx.project_id)]
        items = [i for i in items if filters.matches(i, terms)]
        return [filters.select_fields(i, query,
                                      etsi_pkgm.COMPLEX_ATTRIBUTES,
                                      etsi_pkgm.DEFAULT_EXCLUDED)
                for i in etsi.page(items, query)]

    @pecan.expose('json')
    def get_one(self, package_id, **query):
        """Show an app package."""
        etsi.check_query(query, ('all_fields', 'fields', 'exclude_fields',
                                 'exclude_default'))
        pkg = get_package(package_id, 'mec:app_package:get')
        return filters.select_fields(view.format_package(pkg), query,
                                     etsi_pkgm.COMPLEX_ATTRIBUTES,
                                     etsi_pkgm.DEFAULT_EXCLUDED)

    @pecan.expose('json')
    def post(self):
        """Create an app package; with appPkgPath, fetch it (async)."""
        utils.authorize('mec:app_package:create')
        body = utils.json_body(schema=schemas.CREATE_APP_PKG)
        ctx = pecan.request.context
        checksum = body.get('checksum') or {}
        pkg = pecan.request.dbapi.create_app_package({
            'id': uuidutils.generate_uuid(),
            'project_id': ctx.project_id,
            'app_pkg_name': body['appPkgName'],
            'app_pkg_version': body['appPkgVersion'],
            'app_provider': body.get('appProvider'),
            'app_pkg_path': body.get('appPkgPath'),
            'checksum_algorithm': checksum.get('algorithm', '').upper()
            or None,
            'checksum_hash': checksum.get('hash', '').lower() or None,
            'user_defined_data': body.get('userDefinedData'),
            'onboarding_state': states.CREATED,
            'operational_state': states.DISABLED,
            'usage_state': states.NOT_IN_USE,
        })
        if pkg.app_pkg_path:
            pecan.request.rpcapi.onboard_app_package(ctx, pkg.id,
                                                     utils.base_url())
        pecan.response.status = 201
        pecan.response.location = utils.link(view.BASE, 'app_packages',
                                             pkg.id)
        return view.format_package(pkg)

    @pecan.expose('json')
    def patch(self, package_id):
        """Enable or disable an onboarded package."""
        body = utils.json_body(utils.MERGE_PATCH_TYPES,
                               schemas.APP_PKG_INFO_MODIFICATIONS)
        target = body.get('operationState') or body.get('operationalState')
        pkg = get_package(package_id, 'mec:app_package:update')
        if pkg.onboarding_state != states.ONBOARDED:
            raise exception.InvalidState(
                resource='App package', id=pkg.id,
                state=pkg.onboarding_state,
                reason=_('only an ONBOARDED package can be enabled or '
                         'disabled'))
        if pkg.operational_state == target:
            raise exception.InvalidState(
                resource='App package', id=pkg.id,
                state=pkg.operational_state,
                reason=_('it is already %s') % target)
        states.PACKAGE_OPERATIONAL.check(pkg.operational_state, target)
        info = dict(view.format_package(pkg), operationalState=target)
        notifications = _notifications(
            pkg, 'AppPacakgeEnabled' if target == states.ENABLED
            else 'AppPacakgeDisabled', info)
        pkg = pecan.request.dbapi.update_app_package(
            pkg.id, {'operational_state': target},
            expected={'operational_state': pkg.operational_state,
                      'onboarding_state': states.ONBOARDED},
            notifications=notifications)
        _send(notifications)
        return {'operationState': target}

    @pecan.expose(status_code=204)
    def delete(self, package_id):
        """Delete a package that is disabled and not in use."""
        pkg = get_package(package_id, 'mec:app_package:delete')
        notifications = None
        if pkg.onboarding_state == states.ONBOARDED:
            notifications = _notifications(pkg, 'AppPackageDeleted',
                                           view.format_package(pkg))
        pecan.request.dbapi.destroy_app_package(pkg.id, expected={
            'operational_state': states.DISABLED,
            'usage_state': states.NOT_IN_USE,
            'onboarding_state': {states.CREATED, states.ONBOARDED,
                                 states.ERROR}}, notifications=notifications)
        if pkg.content_location:
            store_base.get_store().delete(pkg.content_location)
        _send(notifications)


def _notifications(pkg, notification_type, info):
    """The outbox rows of a package change, for its transaction.

    The change and its notifications are written together, so that
    neither is lost without the other; a conductor sends them.

    :param pkg: the package (before the change).
    :param notification_type: an AppPkg.NotificationType.
    :param info: the package's AppPkgInfo after the change.
    :returns: a list of outbox rows.
    """
    subs = pecan.request.dbapi.list_subscriptions(API, pkg.project_id)
    return outbox.rows(API, pkg.project_id, etsi_pkgm.deliveries(
        subs, notification_type, info, utils.base_url()))


def _send(notifications):
    """Ask a conductor to send the notifications just written now.

    A lost cast delays them until a conductor's next takeover pass.
    """
    if not notifications:
        return
    try:
        pecan.request.rpcapi.send_notifications(pecan.request.context)
    except Exception as exc:
        LOG.warning('Could not ask a conductor to send %(n)d notification(s) '
                    'now (%(err)s); they are sent at the next takeover',
                    {'n': len(notifications), 'err': exc})


def get_onboarded(app_d_id, rule):
    """The project's latest onboarded package with an appDId.

    :param app_d_id: the AppD's id.
    :param rule: the policy rule of the action.
    :returns: the package's row.
    """
    utils.authorize(rule)
    return pecan.request.dbapi.get_onboarded_app_package(
        pecan.request.context.project_id, app_d_id)


class OnboardedAppPackagesController(rest.RestController):
    """``/app_pkgm/v1/onboarded_app_packages/{appDId}/...``."""

    appd = AppDController(get_onboarded)
    package_content = PackageContentController(get_onboarded)

    @pecan.expose('json')
    def get_one(self, app_d_id):
        """The latest onboarded package with an appDId (AppPkgInfo).

        As the later versions of the specification serve it.
        """
        return view.format_package(get_onboarded(app_d_id,
                                                 'mec:app_package:get'))
