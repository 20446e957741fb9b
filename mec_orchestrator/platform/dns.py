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
"""The MEC platform's DNS: the apps' DNS rules (ETSI GS MEC 011).

A DnsRule says that ``domainName`` resolves to ``ipAddress`` (an A record
for ``IP_V4``, an AAAA record for ``IP_V6``) while its ``state`` is
``ACTIVE``. Two drivers publish the rules (``[platform] dns_driver``):

* ``responder`` (:class:`ResponderDnsDriver`): the platform's own
  authoritative DNS server, :class:`DnsResponder`, which answers from the
  active rules of the platform's database. Resolvers forward the rules'
  names to it.
* ``designate`` (:class:`~mec_orchestrator.drivers.openstack.dns.
  DesignateDnsDriver`): recordsets in the VIM's Designate.

Both check a rule with :func:`validate_rule` first.
"""

import errno
import ipaddress
import re
import socket
import socketserver
import struct
import threading
import time

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.drivers import base

LOG = log.getLogger(__name__)

#: TTL, in seconds, of the records of a rule that gives no ``ttl``: short,
#: since an app may change or deactivate its rules at any time.
DEFAULT_TTL = 60
#: The largest TTL DNS allows (RFC 2181, section 8).
MAX_TTL = 2 ** 31 - 1
#: Record type of each ``ipAddressType``.
RECORD_TYPES = {'IP_V4': dns.rdatatype.A, 'IP_V6': dns.rdatatype.AAAA}
#: The states of a DnsRule.
STATES = ('ACTIVE', 'INACTIVE')

#: The largest UDP query read; a longer datagram arrives cut, and so is
#: dropped as malformed.
MAX_QUERY_SIZE = 4096
#: The largest UDP answer, whatever the client's EDNS payload says (the
#: size DNS Flag Day 2020 recommends); a larger one is truncated (TC), and
#: the client asks again over TCP.
MAX_UDP_PAYLOAD = 1232
#: Seconds a TCP client may stay silent before its connection is closed.
TCP_TIMEOUT = 5.0
#: Queries answered on one TCP connection before it is closed.
MAX_TCP_QUERIES = 100
#: TCP connections served at once; further ones are closed at once.
MAX_TCP_CLIENTS = 32
#: Tries at finding an ephemeral port free on both UDP and TCP.
BIND_ATTEMPTS = 10

_FAMILIES = {'IP_V4': (ipaddress.IPv4Address, 'IPv4'),
             'IP_V6': (ipaddress.IPv6Address, 'IPv6')}
#: A label of a host name: letters, digits, hyphens inside, and
#: underscores (service labels); IDNs arrive as their xn-- form.
_LABEL = re.compile(rb'^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$', re.IGNORECASE)


def _invalid(rule, reason):
    """An Invalid naming the rule (by id, else by name)."""
    rule = rule if isinstance(rule, dict) else {}
    if rule.get('dnsRuleId'):
        which = _('DNS rule %s') % rule['dnsRuleId']
    else:
        which = _('DNS rule for %r') % rule.get('domainName')
    return exception.Invalid(reason='%s: %s' % (which, reason))


def domain_name(rule):
    """The rule's ``domainName`` as an absolute name.

    :param rule: a MEC 011 DnsRule as a dict.
    :returns: a :class:`dns.name.Name`, absolute (the trailing dot is
        optional in the rule).
    :raises: Invalid when it is not a host name.
    """
    text = rule.get('domainName')
    if not isinstance(text, str) or not text.strip('.'):
        raise _invalid(rule, _('domainName must be a non-empty string'))
    try:
        name = dns.name.from_text(text)
    except (dns.exception.DNSException, UnicodeError, ValueError) as e:
        raise _invalid(rule, _('domainName %(name)r is not a domain name '
                               '(%(error)s)') % {'name': text, 'error': e})
    for label in name.labels[:-1]:
        if not _LABEL.match(label):
            raise _invalid(rule, _(
                'domainName %(name)r has the label %(label)r: labels are '
                'letters, digits, underscores and inner hyphens (no '
                'wildcards)') % {'name': text,
                                 'label': label.decode('ascii', 'replace')})
    return name


def validate_rule(rule):
    """Check a DnsRule's name, address type, address, TTL and state.

    :param rule: a MEC 011 DnsRule as a dict (``dnsRuleId``,
        ``domainName``, ``ipAddressType``, ``ipAddress``, optional ``ttl``
        and ``state``).
    :returns: a tuple of the name (an absolute :class:`dns.name.Name`),
        the record type (``dns.rdatatype.A`` or ``AAAA``) and the address
        in its canonical text form.
    :raises: Invalid naming the rule and what is wrong.
    """
    if not isinstance(rule, dict):
        raise exception.Invalid(reason=_('a DNS rule must be an object'))
    name = domain_name(rule)
    address_type = rule.get('ipAddressType')
    if address_type not in RECORD_TYPES:
        raise _invalid(rule, _('ipAddressType must be IP_V4 or IP_V6, not '
                               '%r') % (address_type,))
    family, family_name = _FAMILIES[address_type]
    text = rule.get('ipAddress')
    try:
        address = family(text if isinstance(text, str) else '')
    except ValueError:
        address = None
    if address is None or getattr(address, 'scope_id', None):
        raise _invalid(rule, _(
            'ipAddress %(address)r is not an %(family)s address '
            '(ipAddressType is %(type)s)') % {
                'address': text, 'family': family_name,
                'type': address_type})
    ttl = rule.get('ttl')
    if ttl is not None and (not isinstance(ttl, int) or
                            isinstance(ttl, bool) or
                            not 0 <= ttl <= MAX_TTL):
        raise _invalid(rule, _('ttl must be an integer from 0 to %(max)d, '
                               'not %(ttl)r') % {'max': MAX_TTL, 'ttl': ttl})
    state = rule.get('state')
    if state is not None and state not in STATES:
        raise _invalid(rule, _('state must be ACTIVE or INACTIVE, not '
                               '%r') % (state,))
    return name, RECORD_TYPES[address_type], str(address)


class _Table(object):
    """The records of the active rules, indexed by name.

    ``records`` maps a name to ``{rdtype: (ttl, [addresses])}``; ``names``
    also holds every ancestor of those names (empty non-terminals, which
    exist without records: NOERROR, not NXDOMAIN).
    """

    def __init__(self, rules):
        self.records = {}
        self.names = set()
        for rule in rules:
            try:
                name, rdtype, address = validate_rule(rule)
            except exception.Invalid as e:
                LOG.warning('The DNS responder skips a rule: %s', e)
                continue
            ttl = rule.get('ttl')
            ttl = DEFAULT_TTL if ttl is None else ttl
            old_ttl, addresses = self.records.setdefault(name, {}).get(
                rdtype, (ttl, []))
            if address not in addresses:
                addresses.append(address)
            # One TTL per RRset (RFC 2181): the shortest rule's.
            self.records[name][rdtype] = (min(ttl, old_ttl), addresses)
            while name != dns.name.root and name not in self.names:
                self.names.add(name)
                name = name.parent()


class _UdpHandler(socketserver.BaseRequestHandler):

    def handle(self):
        data, sock = self.request
        reply = self.server.responder.answer(data, self.client_address)
        if reply is None:
            return
        try:
            sock.sendto(reply, self.client_address)
        except OSError as e:
            LOG.debug('DNS answer to %(peer)s not sent: %(error)s',
                      {'peer': self.client_address, 'error': e})


def _recv_exactly(sock, size):
    """``size`` bytes from a TCP client, or None (closed, silent, error)."""
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b''.join(chunks)


class _TcpHandler(socketserver.BaseRequestHandler):
    """Length-prefixed queries (RFC 1035, 4.2.2; RFC 7766), one at a time."""

    def handle(self):
        sock = self.request
        sock.settimeout(TCP_TIMEOUT)
        try:
            for _query in range(MAX_TCP_QUERIES):
                prefix = _recv_exactly(sock, 2)
                if prefix is None:
                    return
                data = _recv_exactly(sock, struct.unpack('!H', prefix)[0])
                if data is None:
                    return
                reply = self.server.responder.answer(
                    data, self.client_address, udp=False)
                if reply is None:
                    return
                sock.sendall(struct.pack('!H', len(reply)) + reply)
        except OSError as e:
            LOG.debug('DNS connection of %(peer)s closed: %(error)s',
                      {'peer': self.client_address, 'error': e})


class _ServerMixin(object):
    """What both transports share: the responder, and logged errors."""

    def __init__(self, address, family, responder, handler):
        self.address_family = family
        self.responder = responder
        super().__init__(address, handler)

    def handle_error(self, request, client_address):
        LOG.exception('The DNS responder failed to answer %s',
                      client_address)


class _UdpServer(_ServerMixin, socketserver.UDPServer):
    # Queries are answered in the serving thread: no thread per datagram,
    # whatever the query rate.
    max_packet_size = MAX_QUERY_SIZE


class _TcpServer(_ServerMixin, socketserver.TCPServer):
    """A thread per connection, at most :data:`MAX_TCP_CLIENTS` at once."""

    allow_reuse_address = True
    request_queue_size = MAX_TCP_CLIENTS

    def __init__(self, *args):
        self._slots = threading.BoundedSemaphore(MAX_TCP_CLIENTS)
        self._clients = {}
        self._clients_lock = threading.Lock()
        super().__init__(*args)

    def verify_request(self, request, client_address):
        if self._slots.acquire(blocking=False):
            return True
        LOG.debug('DNS connection of %s refused: %d connections already',
                  client_address, MAX_TCP_CLIENTS)
        return False

    def process_request(self, request, client_address):
        # Registered by the serving thread, so that once it has stopped,
        # close_clients() knows every connection's thread.
        thread = threading.Thread(target=self._serve_client,
                                  args=(request, client_address),
                                  name='dns-responder-tcp-client',
                                  daemon=True)
        with self._clients_lock:
            self._clients[request] = thread
        try:
            thread.start()
        except Exception:
            self._forget(request)
            raise

    def _serve_client(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self._forget(request)

    def _forget(self, request):
        with self._clients_lock:
            self._clients.pop(request, None)
        self._slots.release()

    def close_clients(self):
        """End the connections: their reads see the end; join them."""
        with self._clients_lock:
            clients = list(self._clients.items())
        for sock, _thread in clients:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for _sock, thread in clients:
            thread.join()


def _family(host):
    try:
        return (socket.AF_INET6 if ipaddress.ip_address(host).version == 6
                else socket.AF_INET)
    except ValueError:
        return socket.AF_INET


class DnsResponder(object):
    """An authoritative DNS server answering the active DNS rules.

    It answers on UDP (in one thread) and TCP (a thread accepts, one per
    connection answers) from the rules that ``records()`` returns, read at
    most once every ``refresh`` seconds so that a storm of queries does not
    become a storm of database reads.
    It is authoritative for the rules' names only (AA set) and never
    recurses:

    * A (``IP_V4`` rules) and AAAA (``IP_V6`` rules), one record per
      rule, several records when several rules have the name; ANY gives
      both;
    * NOERROR with no answer when the name has records of another type
      only, or is an ancestor of a rule's name;
    * NXDOMAIN for any other name (names are case-insensitive);
    * REFUSED for any other opcode than QUERY, another class than IN, and
      zone transfers; FORMERR for a query without exactly one question;
      BADVERS for EDNS versions above 0; SERVFAIL while the rules could
      never be read;
    * malformed packets, and responses, are dropped (logged at debug).

    UDP answers are cut to the client's EDNS payload (512 bytes without
    EDNS, :data:`MAX_UDP_PAYLOAD` at most) with TC set. TCP connections
    are closed after :data:`TCP_TIMEOUT` seconds of silence or
    :data:`MAX_TCP_QUERIES` queries; at most :data:`MAX_TCP_CLIENTS` are
    served at once.
    """

    def __init__(self, records, host='127.0.0.1', port=0, refresh=1.0,
                 clock=time.monotonic):
        """:param records: a callable returning the active DNS rules, as a
            list of dicts with ``domainName``, ``ipAddressType``,
            ``ipAddress`` and optionally ``ttl``.
        :param host: the address to bind.
        :param port: the UDP and TCP port to bind; 0 for an ephemeral one.
        :param refresh: seconds the rules read are used before being read
            again.
        :param clock: the monotonic clock (tests replace it).
        """
        self._records = records
        self.host = host
        self.requested_port = port
        self.refresh = refresh
        self._clock = clock
        #: The port bound, while started; else None.
        self.port = None
        self._lock = threading.Lock()
        self._table = None
        self._expires = None
        self._servers = []
        self._threads = []

    # -- the answers ----------------------------------------------------------

    def _current(self):
        """The table of the rules, read again when older than refresh."""
        with self._lock:
            now = self._clock()
            if self._expires is None or now >= self._expires:
                # Another failure waits for the next refresh too.
                self._expires = now + self.refresh
                try:
                    self._table = _Table(self._records())
                except Exception as e:
                    LOG.warning('The DNS responder cannot read the DNS '
                                'rules (%(error)s); %(what)s',
                                {'error': e,
                                 'what': 'it answers SERVFAIL'
                                 if self._table is None else
                                 'it answers from the rules read before'})
            return self._table

    def _fill(self, query, response):
        """Add the answer to ``response``; return its rcode."""
        if query.opcode() != dns.opcode.QUERY:
            return dns.rcode.REFUSED
        if query.edns > 0:
            return dns.rcode.BADVERS
        if len(query.question) != 1:
            return dns.rcode.FORMERR
        question = query.question[0]
        qtype = question.rdtype
        if question.rdclass != dns.rdataclass.IN or (
                qtype != dns.rdatatype.ANY and
                dns.rdatatype.is_metatype(qtype)):
            return dns.rcode.REFUSED
        table = self._current()
        if table is None:
            return dns.rcode.SERVFAIL
        response.flags |= dns.flags.AA
        records = table.records.get(question.name)
        if records is None:
            return (dns.rcode.NOERROR if question.name in table.names
                    else dns.rcode.NXDOMAIN)
        for rdtype in sorted(records):
            if qtype in (rdtype, dns.rdatatype.ANY):
                ttl, addresses = records[rdtype]
                response.answer.append(dns.rrset.from_text_list(
                    question.name, ttl, dns.rdataclass.IN, rdtype,
                    addresses))
        return dns.rcode.NOERROR

    def answer(self, wire, peer=None, udp=True):
        """The answer to a query, in wire format.

        :param wire: the query as received.
        :param peer: the client's address, for the logs.
        :param udp: whether the answer goes over UDP (and so is cut to the
            client's payload size).
        :returns: the answer's bytes, or None to send nothing (a malformed
            packet, or not a query).
        """
        try:
            query = dns.message.from_wire(wire)
        except Exception as e:
            # Anything dnspython cannot read: the packet is the client's
            # problem, not ours.
            LOG.debug('Malformed DNS packet from %(peer)s dropped: '
                      '%(error)r', {'peer': peer, 'error': e})
            return None
        if query.flags & dns.flags.QR:
            LOG.debug('DNS response from %s dropped', peer)
            return None
        response = dns.message.make_response(query,
                                             our_payload=MAX_UDP_PAYLOAD)
        response.set_rcode(self._fill(query, response))
        if not udp:
            size = 65535
        elif query.edns >= 0:
            size = min(max(query.payload, 512), MAX_UDP_PAYLOAD)
        else:
            size = 512
        return response.to_wire(max_size=size, prefer_truncation=True)

    # -- the servers ----------------------------------------------------------

    def _bind(self):
        family = _family(self.host)
        for attempt in range(BIND_ATTEMPTS):
            udp = _UdpServer((self.host, self.requested_port), family, self,
                             _UdpHandler)
            try:
                tcp = _TcpServer((self.host, udp.server_address[1]), family,
                                 self, _TcpHandler)
            except OSError as e:
                udp.server_close()
                if (self.requested_port or e.errno != errno.EADDRINUSE or
                        attempt == BIND_ATTEMPTS - 1):
                    raise
                continue
            return udp, tcp

    def start(self):
        """Bind the UDP and TCP sockets and serve them, each in a thread.

        :raises: OSError when the address cannot be bound.
        """
        if self._servers:
            return
        udp, tcp = self._bind()
        self._servers = [udp, tcp]
        self.port = udp.server_address[1]
        for server, kind in ((udp, 'udp'), (tcp, 'tcp')):
            thread = threading.Thread(
                target=server.serve_forever, kwargs={'poll_interval': 0.1},
                name='dns-responder-%s' % kind, daemon=True)
            thread.start()
            self._threads.append(thread)
        LOG.info('DNS responder listening on %(host)s port %(port)d (UDP '
                 'and TCP)', {'host': self.host, 'port': self.port})

    def stop(self):
        """Stop serving, close the connections and free the port."""
        if not self._servers:
            return
        udp, tcp = self._servers
        for server in self._servers:
            server.shutdown()
        tcp.close_clients()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join()
        LOG.info('DNS responder on %(host)s port %(port)d stopped',
                 {'host': self.host, 'port': self.port})
        self._servers, self._threads, self.port = [], [], None


def make_responder(conf, records):
    """The responder ``[platform]`` options describe.

    :param conf: the service's ConfigOpts.
    :param records: what :class:`DnsResponder` answers from.
    :returns: a :class:`DnsResponder`, not started, or None when
        ``[platform] dns_port`` is 0 (disabled).
    """
    opts = conf.platform
    if not opts.dns_port:
        return None
    return DnsResponder(records, host=opts.dns_host, port=opts.dns_port,
                        refresh=opts.dns_refresh)


def _endpoint(host, port):
    return '[%s]:%d' % (host, port) if ':' in host else '%s:%d' % (host,
                                                                   port)


class ResponderDnsDriver(base.DnsDriver):
    """DNS rules answered by the platform's :class:`DnsResponder`.

    The platform's database is the source of truth: the responder reads
    the active rules from it, so activating a rule only checks it, and
    deactivating one has nothing to undo.
    """

    name = 'responder'

    def activate(self, context, vim, instance, rule):
        """Check the rule; the responder answers it once it is active.

        :param context: the request context.
        :param vim: unused.
        :param instance: the app instance as a dict.
        :param rule: the MEC 011 DnsRule as a dict.
        :returns: ``{'responder': '<host>:<port>'}``, or a None responder
            when ``[platform] dns_port`` is 0 (disabled).
        :raises: Invalid naming the rule and what is wrong with it.
        """
        validate_rule(rule)
        opts = self.conf.platform
        if not opts.dns_port:
            LOG.warning('DNS rule %(rule)s of app instance %(instance)s is '
                        'kept, but the DNS responder is disabled ([platform] '
                        'dns_port is 0)', {'rule': rule.get('dnsRuleId'),
                                           'instance': instance.get('id')})
            return {'responder': None}
        return {'responder': _endpoint(opts.dns_host, opts.dns_port)}

    def deactivate(self, context, vim, instance, rule_id, realised=None):
        """Nothing to do: the responder stops answering inactive rules.

        :param context: the request context.
        :param vim: unused.
        :param instance: the app instance as a dict.
        :param rule_id: the rule's dnsRuleId.
        :param realised: what :meth:`activate` returned, or None.
        """
