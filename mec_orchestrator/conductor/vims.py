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
"""VIM registration and checks, and MEC host discovery (conductor side).

The API validates request bodies and enforces policy; the conductor runs
the VIM driver (chosen by the VIM's ``type``, its entry point name),
encrypts the credentials (:mod:`mec_orchestrator.common.crypto`) and
records the result. Registering or updating validates synchronously
(wrong credentials: 400 and nothing stored); host discovery then runs on
the manager's worker pool. The periodic check authenticates against each
VIM this conductor is responsible for, sets REACHABLE or UNREACHABLE,
refreshes the MEC hosts, and re-encrypts credentials after a key rotation.
Nothing here logs a credential: only ids, names, statuses and the VIM's
own reasons.
"""

import functools
import hashlib
import threading

from oslo_log import log
from oslo_utils import timeutils
from oslo_utils import uuidutils

from mec_orchestrator.common import context as mec_context
from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states
from mec_orchestrator import conf
from mec_orchestrator.drivers import loader

LOG = log.getLogger(__name__)
CONF = conf.CONF

#: VIM columns an update sets as given.
_PLAIN_FIELDS = ('name', 'description', 'site', 'extra')
_CAPACITY_FIELDS = ('vcpus', 'memory_mb', 'disk_gb')


def driver_for(vim_type):
    """The VIM driver of a type (its entry point name).

    :param vim_type: the VIM's type.
    :returns: the driver.
    :raises: Invalid when no such driver is enabled on this conductor.
    """
    try:
        return loader.get_driver('vim', vim_type)
    except exception.DriverLoadError as e:
        LOG.warning('VIM driver %(type)s is not available: %(err)s',
                    {'type': vim_type, 'err': e})
        raise exception.Invalid(reason=_(
            'VIM type %s is not enabled on the conductors') % vim_type)


def driver_view(vim, credentials):
    """A VIM as drivers see it: a plain dict, credentials decrypted.

    :param vim: the VIM's row, or a dict of its columns.
    :param credentials: the decrypted credentials.
    :returns: a dict.
    """
    get = vim.get if isinstance(vim, dict) else functools.partial(
        getattr, vim)
    return {'id': get('id'), 'name': get('name'), 'type': get('type'),
            'site': get('site'), 'access': dict(get('access') or {}),
            'credentials': dict(credentials or {}),
            'ca_cert': get('ca_cert'), 'extra': dict(get('extra') or {})}


def load_driver_view(dbapi, vim_id):
    """A VIM read from the database, as drivers see it.

    :param dbapi: the database API.
    :param vim_id: the VIM's id.
    :returns: a dict, credentials decrypted.
    :raises: VimNotFound
    """
    row = dbapi.get_vim(vim_id)
    creds = crypto.decrypt_dict(row.credentials) if row.credentials else {}
    return driver_view(row, creds)


def host_values(vim_name, host):
    """The MEC host columns of a host a driver discovered.

    :param vim_name: the VIM's name, prefix of a new host's name.
    :param host: a driver's host dict: ``discovery_key`` (else the name
        is the key), ``name``, ``zone``, ``aggregate``, capacity and usage
        either flat (``vcpus``, ``vcpus_used``...) or as ``capacity`` and
        ``usage`` dicts, ``capacity_source``, ``details``.
    :returns: a dict for :meth:`Connection.sync_mec_hosts`.
    """
    capacity = host.get('capacity') or {}
    usage = host.get('usage') or {}
    values = {
        'discovery_key': host.get('discovery_key') or 'name:%s'
        % host['name'],
        'name': '%s-%s' % (vim_name, host['name']),
        'zone': host.get('zone'),
        'aggregate': host.get('aggregate'),
        'details': host.get('details') or {},
    }
    for field in _CAPACITY_FIELDS:
        values[field] = host.get(field, capacity.get(field))
        values[field + '_used'] = host.get(field + '_used',
                                           usage.get(field))
    values['capacity_source'] = host.get('capacity_source') or (
        'vim' if capacity else None)
    return values


class VimService(object):
    """The VIM work of a conductor.

    :param host: the conductor's host name.
    :param site: the conductor's site.
    :param dbapi: the database API.
    :param executor: the manager's worker pool (futurist).
    """

    def __init__(self, host, site, dbapi, executor):
        self.host = host
        self.site = site
        self.dbapi = dbapi
        self.executor = executor
        self._inflight = set()
        self._lock = threading.Lock()
        self._warn_without_keys()

    @staticmethod
    def _warn_without_keys():
        """Say at start-up when credentials could not be encrypted."""
        if crypto.usable_or_creatable():
            return
        LOG.warning('The credential key repository %s does not exist: '
                    'registering VIMs will fail until it is set up '
                    '(mec-orchestrator-keys setup).',
                    CONF.crypto.key_repository)

    # -- RPC operations -------------------------------------------------------

    def create(self, context, values):
        """Validate a VIM with its driver, then store it.

        :param context: the request context.
        :param values: ``name``, ``type``, ``description``, ``site``,
            ``access``, ``credentials`` (clear), ``auth_type``,
            ``ca_cert``, ``extra`` and ``force``.
        :returns: the new VIM's id.
        :raises: DuplicateName, Invalid (VimAuthFailed, VimUnreachable
            unless forced, VimMissingServices), KeyRepositoryError
        """
        self._check_name_free(values['name'])
        driver = driver_for(values['type'])
        vim = dict(values, id=uuidutils.generate_uuid())
        view = driver_view(vim, values.get('credentials'))
        status, reason, capabilities = self._validate(
            context, driver, view, values.get('force', False))
        credentials = values.get('credentials')
        row = {
            'id': vim['id'], 'name': vim['name'], 'type': vim['type'],
            'description': vim.get('description'), 'site': vim.get('site'),
            'access': vim.get('access') or {},
            'auth_type': vim.get('auth_type'),
            'credentials': (crypto.encrypt_dict(credentials)
                            if credentials else None),
            'ca_cert': vim.get('ca_cert'), 'extra': vim.get('extra') or {},
            'status': status, 'status_reason': reason,
            'last_checked_at': timeutils.utcnow(),
            'capabilities': capabilities or {},
        }
        self.dbapi.create_vim(row)
        LOG.info('Registered VIM %(name)s (%(id)s, type %(type)s): '
                 '%(status)s', {'name': vim['name'], 'id': vim['id'],
                                'type': vim['type'], 'status': status})
        if status == states.REACHABLE:
            self._spawn_discovery(view, driver)
        return vim['id']

    def update(self, context, vim_id, values):
        """Update a VIM; validate again when its access or secrets change.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :param values: the fields to change: any of ``name``,
            ``description``, ``site``, ``extra``, ``access`` (merged;
            None removes a field), ``credentials`` with ``auth_type``
            (replaced as a whole), ``ca_cert``; and ``force``.
        :returns: the VIM's id.
        :raises: VimNotFound, DuplicateName, Invalid, KeyRepositoryError,
            DecryptionFailed
        """
        row = self.dbapi.get_vim(vim_id)
        if values.get('name') not in (None, row.name):
            self._check_name_free(values['name'])
        changes = {k: values[k] for k in _PLAIN_FIELDS if k in values}
        revalidate = any(k in values for k in ('access', 'credentials',
                                               'ca_cert'))
        view = None
        if revalidate:
            driver = driver_for(row.type)
            access = dict(row.access or {})
            for key, value in (values.get('access') or {}).items():
                if value is None:
                    access.pop(key, None)
                else:
                    access[key] = value
            if 'credentials' in values:
                credentials = values['credentials'] or {}
            else:
                credentials = self._decrypt(row)
            vim = dict(row.as_dict(), access=access,
                       ca_cert=values.get('ca_cert', row.ca_cert))
            vim.update(changes)
            view = driver_view(vim, credentials)
            status, reason, capabilities = self._validate(
                context, driver, view, values.get('force', False))
            changes.update(access=access, ca_cert=vim['ca_cert'],
                           last_checked_at=timeutils.utcnow(),
                           status_reason=reason,
                           status=self._transition(row.status, status))
            if capabilities is not None:
                changes['capabilities'] = capabilities
            if 'credentials' in values:
                changes['credentials'] = (crypto.encrypt_dict(credentials)
                                          if credentials else None)
                changes['auth_type'] = values.get('auth_type')
        self.dbapi.update_vim(vim_id, changes)
        LOG.info('Updated VIM %(id)s: %(fields)s',
                 {'id': vim_id, 'fields': ', '.join(sorted(values))})
        if view is not None and changes['status'] == states.REACHABLE:
            self._spawn_discovery(view, driver)
        return vim_id

    def delete(self, context, vim_id):
        """Delete a VIM and its MEC hosts.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :raises: VimNotFound, VimInUse
        """
        self.dbapi.destroy_vim(vim_id)
        LOG.info('Deleted VIM %s', vim_id)

    def check(self, context, vim_id):
        """Check a VIM now; its MEC hosts are refreshed in the background.

        :param context: the request context.
        :param vim_id: the VIM's id.
        :returns: a dict with the new ``status`` and ``status_reason``.
        :raises: VimNotFound
        """
        view, driver = self._check(context, vim_id)
        if view is not None:
            self._spawn_discovery(view, driver)
        row = self.dbapi.get_vim(vim_id)
        return {'status': row.status, 'status_reason': row.status_reason}

    # -- the periodic check ---------------------------------------------------

    def periodic_check(self):
        """Check the VIMs this conductor is responsible for.

        Each check runs on the worker pool; a VIM whose previous check has
        not finished is skipped.
        """
        try:
            vims = self.dbapi.list_vims()
            alive = self.dbapi.get_alive_conductors(
                CONF.conductor.heartbeat_timeout)
        except Exception:
            LOG.exception('Listing the VIMs to check failed')
            return
        ctx = mec_context.get_admin_context()
        for vim in vims:
            if not self.responsible_for(vim, alive):
                continue
            with self._lock:
                if vim.id in self._inflight:
                    continue
                self._inflight.add(vim.id)
            self.executor.submit(self._periodic_one, ctx, vim.id)

    def responsible_for(self, vim, alive):
        """Whether this conductor checks a VIM.

        The live conductors of the VIM's site share its VIMs; when the
        site has none (or the VIM has no site), all the live conductors
        do. A VIM goes to one of them by a hash of its id.

        :param vim: the VIM's row.
        :param alive: the live conductors' rows.
        :returns: True or False.
        """
        hosts = {c.hostname: c.site for c in alive}
        hosts.setdefault(self.host, self.site)
        candidates = sorted(h for h, site in hosts.items()
                            if vim.site and site == vim.site)
        candidates = candidates or sorted(hosts)
        digest = hashlib.sha256(vim.id.encode('utf-8')).hexdigest()
        return candidates[int(digest, 16) % len(candidates)] == self.host

    def _periodic_one(self, context, vim_id):
        try:
            view, driver = self._check(context, vim_id)
            if view is not None:
                self._discover(context, view, driver)
        except exception.VimNotFound:
            pass
        except Exception:
            LOG.exception('Checking VIM %s failed', vim_id)
        finally:
            with self._lock:
                self._inflight.discard(vim_id)

    # -- helpers --------------------------------------------------------------

    def _check_name_free(self, name):
        try:
            self.dbapi.get_vim_by_name(name)
        except exception.VimNotFound:
            return
        raise exception.DuplicateName(resource='VIM', name=name)

    @staticmethod
    def _transition(current, new):
        if current != new:
            states.VIM_STATUS.check(current, new)
        return new

    @staticmethod
    def _decrypt(row):
        if not row.credentials:
            return {}
        return crypto.decrypt_dict(row.credentials)

    @staticmethod
    def _validate(context, driver, view, force):
        """(status, reason, capabilities) of a driver's validation.

        Capabilities are None when the VIM could not be asked.
        """
        try:
            return states.REACHABLE, None, driver.validate(context, view)
        except exception.VimCheckNotSupported as e:
            return states.UNREACHABLE, e.message, None
        except exception.VimUnreachable as e:
            if not force:
                raise
            LOG.info('VIM %(name)s is unreachable, stored anyway (force): '
                     '%(reason)s', {'name': view['name'], 'reason': e})
            return states.UNREACHABLE, e.message, None

    def _check(self, context, vim_id):
        """Validate a stored VIM and record its status.

        :returns: (the driver's view, the driver) when REACHABLE, else
            (None, None).
        """
        row = self.dbapi.get_vim(vim_id)
        view = driver = capabilities = None
        changes = {}
        try:
            driver = driver_for(row.type)
            credentials = {}
            if row.credentials:
                cipher = crypto.get_cipher()
                credentials = crypto.decrypt_dict(row.credentials, cipher)
                if cipher.needs_reencryption(row.credentials):
                    self._reencrypt(row, cipher)
            view = driver_view(row, credentials)
            capabilities = driver.validate(context, view)
            status, reason = states.REACHABLE, None
        except (exception.KeyRepositoryError,
                exception.DecryptionFailed) as e:
            LOG.error('Cannot decrypt the credentials of VIM %(id)s: '
                      '%(err)s', {'id': vim_id, 'err': e})
            status, reason = states.UNREACHABLE, _(
                'the conductor cannot decrypt the VIM\'s credentials with '
                'its key repository')
        except exception.Invalid as e:
            status, reason = states.UNREACHABLE, e.message
        if capabilities is not None:
            changes['capabilities'] = capabilities
        self._record(row, status, reason, changes)
        if status == states.REACHABLE:
            return view, driver
        return None, None

    def _reencrypt(self, row, cipher):
        """Encrypt a VIM's credentials with the primary key.

        Only if they did not change meanwhile (an update wins).
        """
        try:
            self.dbapi.update_vim(
                row.id, {'credentials': cipher.reencrypt(row.credentials)},
                expected={'credentials': row.credentials})
        except exception.Conflict:
            return
        LOG.info('Re-encrypted the credentials of VIM %s with the primary '
                 'key', row.id)

    def _record(self, row, status, reason, changes=None):
        changes = dict(changes or {})
        changes.update(status=self._transition(row.status, status),
                       status_reason=reason,
                       last_checked_at=timeutils.utcnow())
        if status != row.status:
            LOG.info('VIM %(name)s (%(id)s) is now %(status)s%(reason)s',
                     {'name': row.name, 'id': row.id, 'status': status,
                      'reason': ': %s' % reason if reason else ''})
        self.dbapi.update_vim(row.id, changes)

    def _spawn_discovery(self, view, driver):
        ctx = mec_context.get_admin_context()
        self.executor.submit(self._discover_safely, ctx, view, driver)

    def _discover_safely(self, context, view, driver):
        try:
            self._discover(context, view, driver)
        except exception.VimNotFound:
            pass
        except Exception:
            LOG.exception('Discovering the MEC hosts of VIM %s failed',
                          view['id'])

    def _discover(self, context, view, driver):
        """Refresh a VIM's MEC hosts; a failure makes it UNREACHABLE."""
        try:
            hosts = driver.discover_hosts(context, view)
        except exception.Invalid as e:
            row = self.dbapi.get_vim(view['id'])
            self._record(row, states.UNREACHABLE,
                         _('MEC host discovery failed: %s') % e.message)
            return
        rows = self.dbapi.sync_mec_hosts(
            view['id'], [host_values(view['name'], h) for h in hosts])
        LOG.debug('VIM %(id)s has %(count)d MEC hosts',
                  {'id': view['id'], 'count': len(rows)})
