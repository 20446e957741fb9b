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
"""The OpenStack infrastructure driver: one Heat stack per app instance.

Registered as the ``openstack`` entry point of
``mec_orchestrator.infra_drivers``. The stack is named
:func:`~mec_orchestrator.drivers.base.resource_name` of the app instance,
which makes every method idempotent: ``create`` waits for a stack of that
name instead of making a second one, ``delete`` of a missing stack
succeeds.

Before creating the stack the driver chooses, on the VIM:

* the **flavor**: the smallest existing one with enough vCPUs, RAM and
  root disk (:func:`~mec_orchestrator.drivers.openstack.hot.requirements`),
  else a private flavor ``mec-<vcpus>-<ram>-<disk>`` it creates with
  access for the VIM's project (``[openstack] create_flavors``);
* the **image**: the Glance image of the ``swImageDescriptor``'s name (or
  id), else the one it uploaded before, else it uploads the package's
  image file (``[openstack] image_upload``) and waits until it is active;
* the **network** of each external connection point: the request's
  ``additionalParams.extCpNetworks[cpdId]``, else
  ``additionalParams.network``, else ``[openstack] default_network``, else
  the only network the project sees.

The template itself comes from
:func:`mec_orchestrator.drivers.openstack.hot.build_template`.
"""

import contextlib
import datetime
import hashlib
import math
import threading
import time

from heatclient import client as heat_client
from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ka_exc
import openstack.connection
from openstack import exceptions as sdk_exc
from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.drivers import base
from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.drivers.openstack import hot

LOG = log.getLogger(__name__)

STARTED = 'STARTED'
STOPPED = 'STOPPED'
SERVER_TYPE = 'OS::Nova::Server'
PORT_TYPE = 'OS::Neutron::Port'
#: Tag of the stacks the driver creates.
STACK_TAG = 'mec-orchestrator'
#: Image statuses that will not become active.
DEAD_IMAGE = ('killed', 'deleted', 'pending_delete', 'deactivated')
#: Errors of a poll that the next poll may not have (an API restarting, a
#: connection reset): a wait tolerates this many in a row.
TRANSIENT = (ka_exc.ConnectFailure, ka_exc.ConnectTimeout,
             ka_exc.ServiceUnavailable, ka_exc.GatewayTimeout,
             heat_exc.CommunicationError, heat_exc.HTTPServiceUnavailable,
             sdk_exc.HttpException)
MAX_TRANSIENT = 10
#: Stack creations tried when Heat's answer is lost, and the seconds to
#: look for a stack whose creation may have been received nonetheless.
CREATE_ATTEMPTS = 3
APPEAR_TIMEOUT = 30


def _transient(exc):
    """Whether a failed poll may succeed if tried again."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, sdk_exc.HttpException):
        return cause.status_code is None or cause.status_code >= 500
    return isinstance(cause, TRANSIENT)


def _heat_reason(exc):
    """Heat's own message, without heatclient's ``ERROR:`` prefix."""
    error = getattr(exc, 'error', None)
    if isinstance(error, dict):
        message = (error.get('error') or {}).get('message')
        if message:
            return '%s (HTTP %s)' % (message, exc.code)
    return str(exc)


@contextlib.contextmanager
def _vim_errors(what):
    """Turn the client libraries' errors into InfraError.

    :param what: what was being done, for the message.
    :raises: InfraError with the VIM's reason.
    """
    try:
        yield
    except exception.InfraError:
        raise
    except heat_exc.HTTPException as e:
        raise exception.InfraError(reason='%s: %s' % (what, _heat_reason(e)))
    except sdk_exc.SDKException as e:
        raise exception.InfraError(reason='%s: %s' % (
            what, getattr(e, 'details', None) or e))
    except ka_exc.ClientException as e:
        raise exception.InfraError(reason='%s: %s' % (
            what, client._reason(e)))
    except exception.Invalid as e:
        raise exception.InfraError(reason='%s: %s' % (what, e))


def _usable(status):
    """Whether a stack in a settled status holds the app instance."""
    return status.endswith('_COMPLETE') and not status.startswith(
        ('DELETE_', 'ROLLBACK_'))


def _parse_time(value):
    if not value:
        return None
    value = str(value).replace('Z', '+00:00')
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def _seconds(start, end):
    start, end = _parse_time(start), _parse_time(end)
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


class _Vim(object):
    """The Heat client and openstacksdk connection of one call."""

    def __init__(self, session, vim, interface):
        access = vim.get('access') or {}
        self.session = session
        region = access.get('region')
        self.heat = heat_client.Client('1', session=session,
                                       region_name=region,
                                       interface=interface)
        self.conn = openstack.connection.Connection(
            session=session, region_name=region, interface=interface)

    @property
    def project_id(self):
        return self.session.get_project_id()


class OpenStackInfraDriver(base.InfraDriver):
    """App instances as Heat stacks on an OpenStack VIM."""

    name = 'openstack'

    def __init__(self, conf):
        super().__init__(conf)
        #: Replaced by tests.
        self._sleep = time.sleep
        self._clock = time.monotonic
        self._slots = {}
        self._slots_lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------

    @property
    def _opts(self):
        return self.conf.openstack

    @contextlib.contextmanager
    def _vim(self, vim):
        interface = ((vim.get('access') or {}).get('interface') or
                     self.conf.vim.openstack_interface)
        with _vim_errors(_('VIM %s') % (vim.get('name') or vim.get('id'))):
            with client.vim_session(vim, self.conf.vim.request_timeout) as s:
                yield _Vim(s, vim, interface)

    @contextlib.contextmanager
    def _stack_slot(self, vim, name):
        """One of the VIM's ``max_concurrent_stack_operations`` slots."""
        key = vim.get('id') or vim.get('name')
        with self._slots_lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = threading.BoundedSemaphore(
                    self._opts.max_concurrent_stack_operations)
        if not slot.acquire(blocking=False):
            LOG.info('Stack %(name)s waits for one of the %(n)d stack '
                     'operation slots of VIM %(vim)s',
                     {'name': name, 'vim': key,
                      'n': self._opts.max_concurrent_stack_operations})
            slot.acquire()
        try:
            yield
        finally:
            slot.release()

    def _poll(self, fetch, done, action, timeout=None):
        """Call ``fetch`` with backoff until ``done(result)`` is true.

        :returns: the last result.
        :raises: InfraTimeout after ``timeout`` (default ``[openstack]
            stack_timeout``) seconds.
        """
        timeout = self._opts.stack_timeout if timeout is None else timeout
        deadline = self._clock() + timeout
        interval = self._opts.poll_interval
        failures = 0
        while True:
            try:
                result = fetch()
                failures = 0
            except exception.InfraError as e:
                failures += 1
                if not _transient(e) or failures > MAX_TRANSIENT:
                    raise
                LOG.warning('Polling for %(action)s failed (%(err)s); '
                            'trying again', {'action': action, 'err': e})
            else:
                if done(result):
                    return result
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise exception.InfraTimeout(action=action, timeout=timeout)
            self._sleep(min(interval, remaining))
            interval = min(interval * 2, self._opts.max_poll_interval)

    # -- stacks ---------------------------------------------------------------

    def _lookup(self, vim_, name_or_id):
        """:meth:`_find_stack`, riding out transient errors (timeouts)."""
        return self._poll(lambda: self._find_stack(vim_, name_or_id),
                          lambda _stack: True,
                          _('reading stack %s') % name_or_id)

    @staticmethod
    def _find_stack(vim_, name_or_id):
        with _vim_errors(_('reading stack %s') % name_or_id):
            try:
                stack = vim_.heat.stacks.get(name_or_id)
            except heat_exc.HTTPNotFound:
                return None
        if stack.stack_status == 'DELETE_COMPLETE':
            return None
        return stack

    @staticmethod
    def _failure(vim_, stack):
        """Heat's reason for a failed stack, with its failed resources."""
        reason = stack.stack_status_reason or stack.stack_status
        try:
            resources = vim_.heat.resources.list(stack.id, nested_depth=2)
        except (heat_exc.HTTPException, ka_exc.ClientException):
            resources = []
        failed = ['%s: %s' % (r.resource_name, r.resource_status_reason)
                  for r in resources
                  if (r.resource_status or '').endswith('_FAILED') and
                  r.resource_status_reason and
                  r.resource_status_reason not in reason]
        if failed:
            reason = '%s (%s)' % (reason, '; '.join(failed))
        return _('stack %(name)s is %(status)s: %(reason)s') % {
            'name': stack.stack_name, 'status': stack.stack_status,
            'reason': reason}

    def _wait_stack(self, vim_, stack_id, action):
        def fetch():
            with _vim_errors(_('reading stack %s') % stack_id):
                try:
                    return vim_.heat.stacks.get(stack_id)
                except heat_exc.HTTPNotFound:
                    return None

        return self._poll(
            fetch, lambda s: s is None or not s.stack_status.endswith(
                '_IN_PROGRESS'), action)

    def _vim_seconds(self, vim_, stack, start=None):
        """Heat's time from ``start`` (the creation) to its last event."""
        end = None
        try:
            events = vim_.heat.events.list(stack.id, sort_dir='desc',
                                           sort_keys='event_time', limit=1)
            if events:
                end = events[0].event_time
        except (heat_exc.HTTPException, ka_exc.ClientException) as e:
            LOG.debug('no events for stack %(id)s: %(e)s',
                      {'id': stack.id, 'e': e})
        return _seconds(start or stack.creation_time,
                        end or stack.updated_time)

    def _stack_resources(self, vim_, stack_id, resource_type):
        what = _('listing the resources of stack %s') % stack_id

        def fetch():
            with _vim_errors(what):
                return [r.physical_resource_id
                        for r in vim_.heat.resources.list(stack_id)
                        if r.resource_type == resource_type and
                        r.physical_resource_id]

        # A slow answer (a timeout) is asked again, as in the polls.
        return self._poll(fetch, lambda _found: True, what)

    def _describe(self, vim_, stack, started):
        """The dict ``create`` returns for a complete stack."""
        servers, ports = [], []
        with _vim_errors(_('reading the servers of stack %s') % stack.id):
            for server_id in self._stack_resources(vim_, stack.id,
                                                   SERVER_TYPE):
                server = vim_.conn.compute.get_server(server_id)
                servers.append({'id': server.id, 'name': server.name,
                                'status': server.status,
                                'addresses': server.addresses or {}})
            for port_id in self._stack_resources(vim_, stack.id, PORT_TYPE):
                port = vim_.conn.network.get_port(port_id)
                ports.append({'id': port.id, 'name': port.name,
                              'network_id': port.network_id,
                              'fixed_ips': port.fixed_ips or []})
        outputs = {o['output_key']: o.get('output_value')
                   for o in getattr(stack, 'outputs', None) or []}
        seconds = self._vim_seconds(vim_, stack)
        if seconds is None:
            seconds = self._clock() - started
        return {'stack_id': stack.id, 'stack_name': stack.stack_name,
                'status': stack.stack_status, 'servers': servers,
                'ports': ports, 'outputs': outputs,
                'vim_seconds': float(seconds)}

    # -- flavor, image, networks ----------------------------------------------

    def _flavor(self, vim_, need):
        """The smallest flavor that fits, or a private one made for it."""
        compute = vim_.conn.compute
        with _vim_errors(_('listing flavors')):
            flavors = list(compute.flavors(details=True))
        fits = [f for f in flavors
                if not getattr(f, 'is_disabled', False) and
                f.vcpus >= need['vcpus'] and f.ram >= need['ram'] and
                (f.disk >= need['disk'] if f.disk else not need['disk'])]
        if fits:
            best = min(fits, key=lambda f: (f.vcpus, f.ram, f.disk, f.name))
            return best.id
        wanted = _('%(vcpus)d vCPU, %(ram)d MiB RAM, %(disk)d GiB disk') % need
        if not self._opts.create_flavors:
            raise exception.InfraError(reason=_(
                'no flavor of the VIM fits %s, and [openstack] '
                'create_flavors is off') % wanted)
        name = 'mec-%(vcpus)d-%(ram)d-%(disk)d' % need
        what = _('creating flavor %(name)s (%(wanted)s)') % {
            'name': name, 'wanted': wanted}
        with _vim_errors(what):
            flavor = compute.find_flavor(name, ignore_missing=True,
                                         is_public=None)
            if flavor is None:
                try:
                    flavor = compute.create_flavor(
                        name=name, vcpus=need['vcpus'], ram=need['ram'],
                        disk=need['disk'], is_public=False)
                    LOG.info('Created flavor %(name)s (%(id)s)',
                             {'name': name, 'id': flavor.id})
                except sdk_exc.ConflictException:
                    flavor = compute.find_flavor(name, ignore_missing=False,
                                                 is_public=None)
            try:
                compute.flavor_add_tenant_access(flavor, vim_.project_id)
            except sdk_exc.ConflictException:
                pass  # the project has access already
        return flavor.id

    @staticmethod
    def upload_name(appd):
        """The deterministic name of an image uploaded for an AppD.

        :param appd: the normalized AppD.
        :returns: ``mec-<image name>-<12 hex digits>``, the digits hashing
            the AppD id and version, the image path and its checksum.
        """
        image = appd.get('swImageDescriptor') or {}
        checksum = image.get('checksum') or {}
        key = '|'.join(str(part) for part in (
            appd.get('appDId'), appd.get('appDVersion'), image.get('swImage'),
            checksum.get('hash') if isinstance(checksum, dict) else checksum))
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return 'mec-%s-%s' % (image.get('name') or image.get('id') or 'image',
                              digest)

    def _find_image(self, vim_, name_or_id):
        images = vim_.conn.image
        try:
            found = images.get_image(name_or_id)
            return found if found.status not in DEAD_IMAGE else None
        except (sdk_exc.NotFoundException, sdk_exc.BadRequestException):
            pass  # not an image id
        candidates = [i for i in images.images(name=name_or_id)
                      if i.status not in DEAD_IMAGE]
        if not candidates:
            return None
        active = [i for i in candidates if i.status == 'active']
        # Several images of one name: the newest active one.
        return max(active or candidates,
                   key=lambda i: (i.created_at or '', i.id))

    def _wait_image(self, vim_, image):
        def fetch():
            with _vim_errors(_('reading image %s') % image.id):
                return vim_.conn.image.get_image(image.id)

        def done(found):
            if found.status in DEAD_IMAGE:
                raise exception.InfraError(reason=_(
                    'image %(name)s (%(id)s) became %(status)s') % {
                    'name': found.name, 'id': found.id,
                    'status': found.status})
            return found.status == 'active'

        return self._poll(fetch, done, _('uploading image %s') % image.name)

    def _image(self, vim_, appd, artifacts):
        """The id of the AppD's image in Glance, uploaded when missing."""
        desc = appd.get('swImageDescriptor') or {}
        names = [n for n in (desc.get('name'), desc.get('id'),
                             self.upload_name(appd)) if n]
        with _vim_errors(_('looking for image %s') % names[0]):
            for name in dict.fromkeys(names):
                found = self._find_image(vim_, name)
                if found is not None:
                    break
        if found is not None:
            if found.status != 'active':
                found = self._wait_image(vim_, found)
            return found.id
        path = desc.get('swImage')
        if artifacts is None or not path:
            raise exception.InfraError(reason=_(
                'the VIM has no image %s and the package gives no image '
                'file to upload') % names[0])
        if not self._opts.image_upload:
            raise exception.InfraError(reason=_(
                'the VIM has no image %s, and [openstack] image_upload is '
                'off') % names[0])
        name = self.upload_name(appd)
        what = _('uploading %(path)s as image %(name)s') % {
            'path': path, 'name': name}
        meta = {'mec_app_d_id': str(appd.get('appDId', '')),
                'mec_sw_image': str(path)}
        session = vim_.session
        request_timeout = session.timeout
        with _vim_errors(what):
            with artifacts.open(path) as data:
                # One long request: the upload takes what it takes.
                session.timeout = self._opts.stack_timeout
                try:
                    image = vim_.conn.image.create_image(
                        name, data=data,
                        disk_format=desc.get('diskFormat') or 'qcow2',
                        container_format=desc.get('containerFormat') or
                        'bare',
                        min_disk=int(math.ceil(desc.get('minDisk') or 0)),
                        min_ram=int(math.ceil(desc.get('minRam') or 0)),
                        meta=meta, wait=False, allow_duplicates=True)
                finally:
                    session.timeout = request_timeout
        LOG.info('Uploaded %(path)s as image %(name)s (%(id)s)',
                 {'path': path, 'name': name, 'id': image.id})
        return self._wait_image(vim_, image).id

    def _networks(self, vim_, appd, request):
        """Connection point id -> network name or id."""
        params = (request or {}).get('additionalParams') or {}
        per_cp = params.get('extCpNetworks') or {}
        fallback = params.get('network') or self._opts.default_network
        networks = {}
        for cpd_id in hot.connection_points(appd):
            network = per_cp.get(cpd_id) or fallback
            if not network:
                if fallback is None:
                    fallback = self._only_network(vim_, cpd_id)
                network = fallback
            networks[cpd_id] = network
        return networks

    @staticmethod
    def _only_network(vim_, cpd_id):
        with _vim_errors(_('listing networks')):
            found = [n for n in vim_.conn.network.networks()
                     if not n.is_router_external or n.is_shared]
        if len(found) != 1:
            raise exception.InfraError(reason=_(
                'no network given for connection point %(cp)s (set '
                'additionalParams "extCpNetworks" or "network", or '
                '[openstack] default_network), and the project sees '
                '%(count)d networks, not exactly one') % {
                'cp': cpd_id, 'count': len(found)})
        return found[0].id

    # -- the contract ---------------------------------------------------------

    def create(self, context, vim, instance, appd, request, artifacts=None):
        """Create the app instance's stack, or wait for the existing one.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict (``id``, ``mec_host``,
            ``platform``...).
        :param appd: the normalized AppD.
        :param request: the InstantiateAppRequest (``additionalParams``:
            ``extCpNetworks`` {cpdId: network}, ``network``).
        :param artifacts: an object whose ``open(path)`` returns a binary
            file of the package, or None.
        :returns: ``stack_id``, ``stack_name``, ``status``, ``servers``
            [{id, name, status, addresses}], ``ports`` [{id, network_id,
            fixed_ips}], ``outputs`` {key: value}, ``vim_seconds``
            (creation time to Heat's last event).
        :raises: InfraError (Heat's or Nova's reason), InfraTimeout
        """
        started = self._clock()
        name = base.resource_name(instance['id'])
        with self._stack_slot(vim, name), self._vim(vim) as vim_:
            stack = self._lookup(vim_, name)
            if stack is not None and stack.stack_status.startswith(
                    'DELETE_'):
                if stack.stack_status != 'DELETE_IN_PROGRESS':
                    raise exception.InfraError(reason=self._failure(
                        vim_, stack))
                self._wait_stack(vim_, stack.id, _('deleting stack %s') % name)
                stack = None
            if stack is None:
                stack_id = self._create_stack(vim_, name, instance, appd,
                                              request, artifacts)
            else:
                LOG.info('Stack %(name)s exists (%(status)s): waiting for it',
                         {'name': name, 'status': stack.stack_status})
                stack_id = stack.id
            stack = self._wait_stack(vim_, stack_id,
                                     _('creating stack %s') % name)
            if stack is None:
                raise exception.InfraError(reason=_(
                    'stack %s disappeared while it was created') % name)
            if not _usable(stack.stack_status):
                raise exception.InfraError(reason=self._failure(vim_, stack))
            result = self._describe(vim_, stack, started)
        LOG.info('Stack %(name)s %(status)s in %(seconds).1f s (Heat)',
                 {'name': name, 'status': result['status'],
                  'seconds': result['vim_seconds']})
        return result

    def _create_stack(self, vim_, name, instance, appd, request, artifacts):
        need = hot.requirements(appd)
        flavor = self._flavor(vim_, need)
        image = self._image(vim_, appd, artifacts)
        networks = self._networks(vim_, appd, request)
        template = hot.build_template(appd, instance, request, flavor, image,
                                      networks)
        fields = {'stack_name': name, 'template': template,
                  'timeout_mins': int(math.ceil(
                      self._opts.stack_timeout / 60.0)),
                  'disable_rollback': True, 'tags': STACK_TAG}
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                with _vim_errors(_('creating stack %s') % name):
                    try:
                        body = vim_.heat.stacks.create(**fields)
                    except heat_exc.HTTPConflict:
                        # Another conductor created it since we looked.
                        stack = self._find_stack(vim_, name)
                        if stack is None:
                            raise
                        return stack.id
            except exception.InfraError as e:
                if not _transient(e) or attempt == CREATE_ATTEMPTS:
                    raise
                # The request may have reached Heat before the answer was
                # lost: look for the stack before asking again.
                LOG.warning('Creating stack %(name)s: %(err)s; looking '
                            'for it before trying again',
                            {'name': name, 'err': e})
                stack = self._appearing(vim_, name)
                if stack is not None:
                    return stack.id
                continue
            LOG.info('Creating stack %(name)s (%(id)s)',
                     {'name': name, 'id': body['stack']['id']})
            return body['stack']['id']

    def _appearing(self, vim_, name):
        """The stack of a name, if it shows within a short while."""
        try:
            return self._poll(lambda: self._find_stack(vim_, name),
                              lambda stack: stack is not None,
                              _('looking for stack %s') % name,
                              timeout=min(APPEAR_TIMEOUT,
                                          self._opts.stack_timeout))
        except exception.InfraTimeout:
            return None

    def _servers(self, vim_, stack_id):
        with _vim_errors(_('reading the servers of stack %s') % stack_id):
            return [vim_.conn.compute.get_server(server_id)
                    for server_id in self._stack_resources(vim_, stack_id,
                                                           SERVER_TYPE)]

    def _set_power(self, vim_, stack_id, state, timeout=None, strict=True):
        """Start or stop the stack's servers and wait for them."""
        target = 'ACTIVE' if state == STARTED else 'SHUTOFF'
        compute = vim_.conn.compute
        servers = self._servers(vim_, stack_id)
        for server in servers:
            if server.status == 'ERROR':
                raise exception.InfraError(reason=_(
                    'server %(name)s (%(id)s) is in ERROR: %(fault)s') % {
                    'name': server.name, 'id': server.id,
                    'fault': (server.fault or {}).get('message', '-')})
            if server.status == target:
                continue
            with _vim_errors(_('%(verb)s server %(id)s') % {
                    'verb': 'starting' if state == STARTED else 'stopping',
                    'id': server.id}):
                try:
                    if state == STARTED:
                        compute.start_server(server)
                    else:
                        compute.stop_server(server)
                except sdk_exc.ConflictException:
                    LOG.debug('server %s is changing state already',
                              server.id)

        def fetch():
            with _vim_errors(_('reading the servers of stack %s') %
                             stack_id):
                return [compute.get_server(s.id) for s in servers]

        def done(current):
            for server in current:
                if server.status == 'ERROR':
                    raise exception.InfraError(reason=_(
                        'server %(name)s (%(id)s) went to ERROR: '
                        '%(fault)s') % {
                        'name': server.name, 'id': server.id,
                        'fault': (server.fault or {}).get('message', '-')})
            return all(s.status == target and not s.task_state
                       for s in current)

        action = _('%(verb)s the servers of stack %(id)s') % {
            'verb': 'starting' if state == STARTED else 'stopping',
            'id': stack_id}
        try:
            self._poll(fetch, done, action, timeout)
        except exception.InfraTimeout:
            if strict:
                raise
            LOG.info('%s took longer than %s s: going on', action, timeout)

    def delete(self, context, vim, instance, graceful_timeout=None):
        """Delete the app instance's stack and wait until it is gone.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param graceful_timeout: when set, the servers are stopped first
            (Nova's graceful shutdown) and given that many seconds.
        :returns: ``vim_seconds``: Heat's time from the start of the
            delete to its end (0.0 when there was nothing to delete).
        :raises: InfraError (``DELETE_FAILED`` with Heat's reason),
            InfraTimeout
        """
        name = base.resource_name(instance['id'])
        started = self._clock()
        with self._stack_slot(vim, name), self._vim(vim) as vim_:
            stack = self._lookup(vim_, name)
            if stack is None:
                LOG.info('Stack %s is gone already', name)
                return {'vim_seconds': 0.0}
            stack_id = stack.id
            if graceful_timeout and stack.stack_status != \
                    'DELETE_IN_PROGRESS':
                try:
                    self._set_power(vim_, stack_id, STOPPED,
                                    timeout=graceful_timeout, strict=False)
                except exception.InfraError as e:
                    LOG.info('Could not stop the servers of %(name)s before '
                             'deleting it: %(e)s', {'name': name, 'e': e})
            delete_started = datetime.datetime.now(datetime.timezone.utc)
            if stack.stack_status != 'DELETE_IN_PROGRESS':
                with _vim_errors(_('deleting stack %s') % name):
                    try:
                        vim_.heat.stacks.delete(stack_id)
                    except heat_exc.HTTPNotFound:
                        return {'vim_seconds': 0.0}
            final = self._wait_stack(vim_, stack_id,
                                     _('deleting stack %s') % name)
            if final is not None and final.stack_status != \
                    'DELETE_COMPLETE':
                raise exception.InfraError(reason=self._failure(vim_, final))
            seconds = None
            if final is not None:
                # Heat sets updated_time when the delete starts.
                seconds = self._vim_seconds(
                    vim_, final,
                    start=final.updated_time or delete_started.isoformat())
            if seconds is None:
                seconds = self._clock() - started
        LOG.info('Stack %(name)s deleted in %(seconds).1f s',
                 {'name': name, 'seconds': seconds})
        return {'vim_seconds': float(seconds)}

    def operate(self, context, vim, instance, state, graceful_timeout=None):
        """Start or stop every server of the app instance's stack.

        Servers already in the wanted state are left alone. Nova stops a
        server gracefully by itself (its ``shutdown_timeout``); the wait
        for ``SHUTOFF`` lasts up to ``[openstack] stack_timeout``, or
        ``graceful_timeout`` when that is longer.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param state: ``STARTED`` or ``STOPPED``.
        :param graceful_timeout: seconds the guest may take to stop.
        :raises: InfraError (no stack, a server in ERROR with its fault),
            InfraTimeout
        """
        if state not in (STARTED, STOPPED):
            raise exception.InfraError(reason=_(
                'unknown state %s: STARTED or STOPPED') % state)
        name = base.resource_name(instance['id'])
        timeout = max(self._opts.stack_timeout, graceful_timeout or 0)
        with self._vim(vim) as vim_:
            stack = self._lookup(vim_, name)
            if stack is None:
                raise exception.InfraError(reason=_(
                    'the VIM has no stack %s') % name)
            self._set_power(vim_, stack.id, state, timeout=timeout)

    def show(self, context, vim, instance):
        """The state of the app instance's stack.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :returns: ``status``, ``status_reason``, ``stack_id`` and
            ``stack_name``, or None when there is no stack.
        :raises: InfraError when Heat cannot be read.
        """
        with self._vim(vim) as vim_:
            stack = self._lookup(vim_, base.resource_name(instance['id']))
        if stack is None:
            return None
        return {'status': stack.stack_status,
                'status_reason': stack.stack_status_reason,
                'stack_id': stack.id, 'stack_name': stack.stack_name}

    def list_instances(self, context, vim):
        """The app instances that have a stack in the VIM's project.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: a list of ``instance_id``, ``stack_id``, ``status``.
        :raises: InfraError when Heat cannot be read.
        """
        with self._vim(vim) as vim_:
            with _vim_errors(_('listing stacks')):
                stacks = list(vim_.heat.stacks.list())
        result = []
        for stack in stacks:
            instance_id = base.instance_id_from_name(stack.stack_name)
            if instance_id and stack.stack_status != 'DELETE_COMPLETE':
                result.append({'instance_id': instance_id,
                               'stack_id': stack.id,
                               'status': stack.stack_status})
        return result
