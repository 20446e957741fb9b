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

"""Checking an outbound URL and resolving its host, once.

:func:`check` parses a URL, refuses what the outbound policy does not allow
(scheme, odd host notations, addresses), resolves the host name once and
returns a :class:`Target` that names the addresses to connect to. The
transport connects to those addresses and nowhere else, so a DNS answer
that changes between the check and the connection (DNS rebinding) has no
effect.
"""

import dataclasses
import ipaddress
import re
import socket
import urllib.parse

from oslo_log import log

from mec_orchestrator.common.i18n import _
from mec_orchestrator.common.outbound import addresses
from mec_orchestrator.common.outbound import errors
from mec_orchestrator import conf

CONF = conf.CONF
LOG = log.getLogger(__name__)

SCHEMES = {'http': 80, 'https': 443}
MAX_URL_LENGTH = 8192

# Control characters and spaces anywhere; backslashes in the authority.
_BAD_CHARS = re.compile(r'[\x00-\x20\x7f]')
_HOST_NAME = re.compile(r'^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$')


@dataclasses.dataclass(frozen=True)
class Target(object):
    """A checked URL and the addresses its host resolved to.

    :ivar url: the URL to request: no user information, no fragment, the
        host in ASCII.
    :ivar scheme: ``http`` or ``https``.
    :ivar host: the host name (ASCII) or IP address, without brackets: the
        ``Host`` header, the TLS server name and the name the server's
        certificate is checked against.
    :ivar port: the TCP port.
    :ivar addresses: ``(family, sockaddr)`` pairs, checked, in the order
        to try them; empty when the URL was checked without resolving.
    :ivar userinfo: ``(user, password)`` from the URL, or None.
    """

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple = ()
    userinfo: tuple = dataclasses.field(default=None, repr=False)

    @property
    def origin(self):
        """(scheme, host, port): credentials never cross origins."""
        return (self.scheme, self.host, self.port)

    @property
    def redacted(self):
        """The URL as logs and messages show it."""
        return redact(self.url)


def redact(url):
    """A URL as logs and messages may show it.

    User information, query and fragment are dropped: they may carry
    credentials or tokens. Never raises.

    :param url: a URL (any string).
    :returns: ``scheme://host[:port]/path``, or a placeholder.
    """
    if not isinstance(url, str) or not url:
        return '<no URL>'
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ''
        port = parts.port
    except ValueError:
        return '<invalid URL>'
    if _BAD_CHARS.search(host) or '\\' in host:
        return '<invalid URL>'
    if ':' in host:
        host = '[%s]' % host
    netloc = host if port is None else '%s:%d' % (host, port)
    path = _BAD_CHARS.sub('', parts.path)
    return urllib.parse.urlunsplit((parts.scheme.lower(), netloc, path,
                                    '', ''))


def _refused(url, reason):
    return errors.OutboundRequestRefused(url=redact(url), reason=reason)


def _literal_address(url, host):
    """The IP address a URL's host is, None for a host name.

    :raises: OutboundRequestRefused for notations other than dotted-quad
        decimal IPv4 and bracketed IPv6, which parsers disagree on.
    """
    if ':' in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise _refused(url, _('the IPv6 address is malformed'))
    try:
        return ipaddress.IPv4Address(host)
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
    except (OSError, ValueError):
        return None
    # 2130706433, 0x7f.1, 0177.0.0.1, 127.1: legacy forms inet_aton takes.
    raise _refused(url, _('IP addresses must be written in dotted-quad '
                          'decimal (IPv4) or in brackets (IPv6)'))


def _parse(url):
    """Split and check a URL's syntax.

    :returns: (scheme, host, port, path_and_query, userinfo, literal)
    :raises: OutboundRequestRefused
    """
    if not isinstance(url, str) or not url:
        raise errors.OutboundRequestRefused(url=redact(url),
                                            reason=_('no URL'))
    if len(url) > MAX_URL_LENGTH:
        raise _refused(url, _('the URL is longer than %d characters')
                       % MAX_URL_LENGTH)
    if _BAD_CHARS.search(url):
        raise _refused(url, _('the URL contains spaces or control '
                              'characters'))
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refused(url, _('the URL is malformed'))
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise _refused(url, _('only http and https URLs are allowed'))
    hostport = parts.netloc.rpartition('@')[2]
    if '\\' in hostport or ('%' in hostport
                             and not hostport.startswith('[')):
        raise _refused(url, _('the host is malformed'))
    host = parts.hostname
    if not host:
        raise _refused(url, _('the URL has no host'))
    if port == 0:
        raise _refused(url, _('port 0 is not allowed'))
    literal = _literal_address(url, host)
    if literal is not None:
        host = str(literal)  # one spelling: ::1, not 0:0:0:0:0:0:0:1
    else:
        try:
            host = host.encode('idna').decode('ascii').lower()
        except UnicodeError:
            raise _refused(url, _('the host name is malformed'))
        if not _HOST_NAME.match(host):
            raise _refused(url, _('the host name is malformed'))
    userinfo = None
    if parts.username is not None:
        userinfo = (urllib.parse.unquote(parts.username),
                    urllib.parse.unquote(parts.password or ''))
    path = parts.path or '/'
    if parts.query:
        path = '%s?%s' % (path, parts.query)
    return scheme, host, port or SCHEMES[scheme], path, userinfo, literal


def _url_host(host):
    return '[%s]' % host if ':' in host else host


def _describe(host, literal, reason):
    if literal is not None:
        return _('the address %(address)s is %(category)s') % {
            'address': host, 'category': reason}
    return _('the host %(host)s resolves to an address that is '
             '%(category)s') % {'host': host, 'category': reason}


def _resolve(url, host, port, literal):
    """getaddrinfo, once; TCP over IPv4 or IPv6 only, duplicates dropped."""
    flags = socket.AI_NUMERICHOST if literal is not None else 0
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   proto=socket.IPPROTO_TCP, flags=flags)
    except (OSError, UnicodeError):
        raise errors.OutboundRequestFailed(
            url=redact(url), reason=_('the host name could not be resolved'))
    found = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        if (family, sockaddr) not in found:
            found.append((family, sockaddr))
    if not found:
        raise errors.OutboundRequestFailed(
            url=redact(url), reason=_('the host has no IP address'))
    return tuple(found)


def check(url, policy=None, resolve=True):
    """Check a URL against the outbound policy and resolve its host once.

    A host name is refused when any of its addresses is refused: a name
    that resolves to both a public and an internal address is refused.

    :param url: the URL, as the user gave it.
    :param policy: the :class:`.addresses.AddressPolicy` to apply; the
        ``[outbound]`` options' by default.
    :param resolve: resolve the host name (else only the syntax and an IP
        literal are checked, and ``addresses`` is empty).
    :returns: a :class:`Target`.
    :raises: OutboundRequestRefused if the policy refuses the URL;
        OutboundRequestFailed if the host name cannot be resolved.
    """
    if policy is None:
        policy = addresses.AddressPolicy.from_conf(CONF)
    scheme, host, port, path, userinfo, literal = _parse(url)
    netloc = _url_host(host)
    if port != SCHEMES[scheme]:
        netloc = '%s:%d' % (netloc, port)
    clean = urllib.parse.urlunsplit((scheme, netloc, '', '', '')) + path
    if literal is not None:
        reason = policy.check(literal)
        if reason is not None:
            LOG.warning('Outbound request to %(url)s refused: %(address)s '
                        'is %(reason)s',
                        {'url': redact(url), 'address': literal,
                         'reason': reason})
            raise _refused(url, _describe(host, literal, reason))
    found = ()
    if resolve:
        found = _resolve(url, host, port, literal)
        for _family, sockaddr in found:
            address = ipaddress.ip_address(sockaddr[0])
            reason = policy.check(address)
            if reason is not None:
                LOG.warning('Outbound request to %(url)s refused: %(host)s '
                            'resolved to %(address)s, which is %(reason)s',
                            {'url': redact(url), 'host': host,
                             'address': address, 'reason': reason})
                raise _refused(url, _describe(host, literal, reason))
    return Target(url=clean, scheme=scheme, host=host, port=port,
                  addresses=found, userinfo=userinfo)
