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

"""A requests transport that connects to checked addresses only.

:class:`PinnedAdapter` is mounted on a session that serves one
:class:`~mec_orchestrator.common.outbound.urls.Target`: its connections go
to the target's addresses, resolved and checked before, and the host name is
never resolved again. The URL keeps the host name, so that the ``Host``
header, the TLS server name (SNI) and the certificate check use it, as they
would without the pinning. A connection pool for any other origin is
refused: a session of this adapter serves its target and nothing else.
"""

import socket
import sys

import requests
from urllib3 import connection
from urllib3 import exceptions as urllib3_exc
from urllib3 import poolmanager

from mec_orchestrator.common.i18n import _
from mec_orchestrator.common.outbound import errors


def open_socket(family, sockaddr, timeout, source_address=None,
                socket_options=None):
    """Open a TCP connection to one address (no name resolution).

    :param family: ``socket.AF_INET`` or ``socket.AF_INET6``.
    :param sockaddr: the address, as ``getaddrinfo`` returned it.
    :param timeout: the connect timeout in seconds, or None.
    :param source_address: a (host, port) to bind to, or None.
    :param socket_options: ``(level, option, value)`` tuples to set.
    :returns: the connected socket.
    :raises: OSError (TimeoutError on timeout).
    """
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        for option in socket_options or ():
            sock.setsockopt(*option)
        if isinstance(timeout, (int, float)):
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedConnectionMixin(object):
    """Connects to the pinned addresses, in order, instead of resolving."""

    def __init__(self, *args, pinned_addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._pinned_addresses = tuple(pinned_addresses)

    def _new_conn(self):
        error = None
        for family, sockaddr in self._pinned_addresses:
            try:
                sock = open_socket(family, sockaddr, self.timeout,
                                   self.source_address, self.socket_options)
            except OSError as exc:
                error = exc
                continue
            sys.audit('http.client.connect', self, self.host, self.port)
            return sock
        if isinstance(error, TimeoutError):
            raise urllib3_exc.ConnectTimeoutError(
                self, 'Connection to %s timed out. (connect timeout=%s)'
                % (self.host, self.timeout)) from error
        raise urllib3_exc.NewConnectionError(
            self, 'Failed to establish a new connection: %s'
            % (error or 'no address')) from error


class PinnedHTTPConnection(_PinnedConnectionMixin,
                           connection.HTTPConnection):
    pass


class PinnedHTTPSConnection(_PinnedConnectionMixin,
                            connection.HTTPSConnection):
    pass


_CONNECTIONS = {'http': PinnedHTTPConnection,
                'https': PinnedHTTPSConnection}


class PinnedPoolManager(poolmanager.PoolManager):
    """A PoolManager whose pools connect to one target's addresses.

    :param target: the :class:`~.urls.Target`.
    """

    def __init__(self, target, **kwargs):
        super().__init__(**kwargs)
        self.target = target

    def _new_pool(self, scheme, host, port, request_context=None):
        origin = (scheme, host.strip('[]').lower(), port)
        if origin != self.target.origin:
            # Never happens through client.py; refuse rather than resolve.
            raise errors.OutboundRequestRefused(
                url=self.target.redacted,
                reason=_('the connection does not go to the checked host'))
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.ConnectionCls = _CONNECTIONS[scheme]
        pool.conn_kw = dict(pool.conn_kw,
                            pinned_addresses=self.target.addresses)
        return pool


class PinnedAdapter(requests.adapters.HTTPAdapter):
    """A requests adapter that serves one checked target, without proxies.

    :param target: the :class:`~.urls.Target`, resolved.
    """

    def __init__(self, target):
        self.target = target
        super().__init__(pool_connections=1, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, connections, maxsize, block=False,
                         **pool_kwargs):
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = PinnedPoolManager(
            self.target, num_pools=connections, maxsize=maxsize,
            block=block, **pool_kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise errors.OutboundRequestRefused(
            url=self.target.redacted, reason=_('proxies are not supported'))


def session_for(target, ca_file=None):
    """A requests session that reaches ``target`` and nothing else.

    The environment is ignored (no proxies, no ``.netrc``, no CA bundle
    variable), and nothing (cookies, connections) carries over to another
    target: every redirect hop gets a session of its own.

    :param target: the :class:`~.urls.Target`, resolved.
    :param ca_file: a PEM CA bundle to verify HTTPS servers against, or
        None for certifi's.
    :returns: a :class:`requests.Session`, to close after use.
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = ca_file or True
    session.proxies = {}
    for prefix in list(session.adapters):
        session.adapters.pop(prefix).close()
    adapter = PinnedAdapter(target)
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    return session
