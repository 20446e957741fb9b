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
"""RPC between the API and the conductors.

Two transports, chosen by ``[DEFAULT] rpc_transport``:

``oslo``
    oslo.messaging over ``transport_url`` (RabbitMQ in production).
``local``
    the all-in-one: the API and one conductor share a process, and a call is
    a direct method call on the conductor's endpoint. It keeps the RPC
    semantics (the context and the arguments cross as JSON-compatible
    values, expected exceptions are re-raised, casts run on the
    conductor's worker threads) without oslo.messaging's ``fake://``
    driver, whose listener polls every 50 ms.
"""

import threading

import futurist
from oslo_log import log
import oslo_messaging as messaging
from oslo_serialization import jsonutils
from oslo_utils import versionutils

from mec_orchestrator.common import context as mec_context
from mec_orchestrator.common import exception
from mec_orchestrator import conf

LOG = log.getLogger(__name__)
CONF = conf.CONF

TRANSPORT = None
_LOCAL = None
_LOCK = threading.Lock()

messaging.set_transport_defaults(control_exchange='mec-orchestrator')


class RequestContextSerializer(messaging.Serializer):
    """Serializes the request context as a dict on the wire."""

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, ctxt, entity):
        if self._base:
            return self._base.serialize_entity(ctxt, entity)
        return entity

    def deserialize_entity(self, ctxt, entity):
        if self._base:
            return self._base.deserialize_entity(ctxt, entity)
        return entity

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return mec_context.RequestContext.from_dict(ctxt)


def register_opts(conf_obj=None):
    """Register oslo.messaging's transport options ahead of its first use.

    oslo.messaging registers ``transport_url`` when it creates a
    transport; the all-in-one and the tests need to read or set it before.

    :param conf_obj: the ConfigOpts; the global CONF by default.
    """
    from oslo_messaging import opts as messaging_opts
    conf_obj = conf_obj or CONF
    for group, opts in messaging_opts.list_opts():
        if group in (None, 'DEFAULT'):
            conf_obj.register_opts(opts)


def init(conf_obj=None):
    """Set up the transport the configuration asks for.

    :param conf_obj: the ConfigOpts; the global CONF by default.
    """
    global TRANSPORT, _LOCAL
    conf_obj = conf_obj or CONF
    with _LOCK:
        if conf_obj.rpc_transport == 'local':
            if _LOCAL is None:
                _LOCAL = _LocalBus()
        elif TRANSPORT is None:
            # The project's exceptions are rebuilt on the caller's side
            # (expected_exceptions); others arrive as RemoteError.
            TRANSPORT = messaging.get_rpc_transport(
                conf_obj, allowed_remote_exmods=[exception.__name__])


def cleanup():
    """Tear down the transport (end of a process or a test)."""
    global TRANSPORT, _LOCAL
    with _LOCK:
        if TRANSPORT is not None:
            TRANSPORT.cleanup()
        if _LOCAL is not None:
            _LOCAL.shutdown()
        TRANSPORT = _LOCAL = None


def get_client(target, version_cap=None):
    """An RPC client for a target.

    :param target: an oslo_messaging Target (topic, version).
    :param version_cap: the highest version the client may send.
    :returns: an object with oslo.messaging's RPCClient interface
        (``prepare``, ``call``, ``cast``, ``can_send_version``).
    """
    if CONF.rpc_transport == 'local':
        init()
        return _LocalClient(_LOCAL, target, version_cap)
    init()
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap,
        serializer=RequestContextSerializer())


def get_server(target, endpoints):
    """An RPC server for a conductor's endpoints.

    :param target: an oslo_messaging Target with topic and server.
    :param endpoints: the endpoint objects.
    :returns: an object with ``start``, ``stop`` and ``wait``.
    """
    init()
    if CONF.rpc_transport == 'local':
        return _LocalServer(_LOCAL, target, endpoints)
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints,
        serializer=RequestContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)


# -- the in-process transport ------------------------------------------------

def _wire(value):
    """What a value becomes after crossing the wire as JSON."""
    return jsonutils.loads(jsonutils.dumps(value))


class _LocalBus(object):
    """Endpoints of the in-process servers, by topic."""

    def __init__(self):
        self.endpoints = {}
        self.executor = futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.workers_pool_size)

    def shutdown(self):
        self.executor.shutdown(wait=True)

    def find(self, topic, method, version):
        for endpoint in self.endpoints.get(topic, []):
            target = getattr(endpoint, 'target', None)
            endpoint_version = target.version if target else '1.0'
            if (hasattr(endpoint, method)
                    and not method.startswith('_')
                    and versionutils.is_compatible(version, endpoint_version)):
                return getattr(endpoint, method)
        raise messaging.NoSuchMethod(method)


class _LocalServer(object):

    def __init__(self, bus, target, endpoints):
        self._bus = bus
        self._target = target
        self._endpoints = endpoints

    def start(self):
        self._bus.endpoints.setdefault(self._target.topic, []).extend(
            self._endpoints)

    def stop(self):
        registered = self._bus.endpoints.get(self._target.topic, [])
        for endpoint in self._endpoints:
            if endpoint in registered:
                registered.remove(endpoint)

    def wait(self):
        pass


class _LocalClient(object):

    def __init__(self, bus, target, version_cap):
        self._bus = bus
        self.target = target
        self.version_cap = version_cap

    def prepare(self, topic=None, server=None, version=None, timeout=None,
                fanout=None, **kwargs):
        changes = {name: value for name, value in (
            ('topic', topic), ('server', server), ('version', version),
            ('fanout', fanout)) if value is not None}
        target = self.target(**changes)
        return _LocalClient(self._bus, target, self.version_cap)

    def can_send_version(self, version=None):
        version = version or self.target.version
        return (not self.version_cap
                or versionutils.is_compatible(version, self.version_cap))

    def _dispatch(self, ctxt, method, kwargs):
        if not self.can_send_version():
            raise messaging.RPCVersionCapError(
                version=self.target.version, version_cap=self.version_cap)
        func = self._bus.find(self.target.topic, method,
                              self.target.version or '1.0')
        remote_ctxt = mec_context.RequestContext.from_dict(
            _wire(ctxt.to_dict()))
        try:
            return _wire(func(remote_ctxt, **_wire(kwargs)))
        except messaging.ExpectedException as e:
            raise e.exc_info[1]

    def call(self, ctxt, method, **kwargs):
        if not self._bus.endpoints.get(self.target.topic):
            raise exception.NoConductorAvailable()
        return self._dispatch(ctxt, method, kwargs)

    def cast(self, ctxt, method, **kwargs):
        if not self._bus.endpoints.get(self.target.topic):
            raise exception.NoConductorAvailable()

        def run():
            try:
                self._dispatch(ctxt, method, kwargs)
            except Exception:
                LOG.exception('Cast of %s failed', method)

        self._bus.executor.submit(run)
