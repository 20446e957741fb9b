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

"""The address policy of outbound requests: which IP addresses are reached.

An address is refused when it is not a public unicast address: loopback,
link-local (cloud metadata included), private, unspecified, multicast or
reserved. ``[outbound] allowed_networks`` lets chosen networks through,
``allow_private_networks`` the private ranges; ``denied_networks`` is
refused whatever else says.

IPv6 forms that carry an IPv4 address are judged on that address:
IPv4-mapped (``::ffff:127.0.0.1``), IPv4-compatible (``::127.0.0.1``),
NAT64 (``64:ff9b::/96``) and 6to4 (``2002::/16``). The tables below are the
project's own rather than :mod:`ipaddress`'s ``is_private``, whose answers
changed between Python releases; ``is_global`` is a last catch-all.
"""

import ipaddress

from mec_orchestrator.common.i18n import _

LOOPBACK = _('loopback')
LINK_LOCAL = _('link-local')
METADATA = _('a cloud metadata service')
PRIVATE = _('private')
UNSPECIFIED = _('unspecified')
MULTICAST = _('multicast')
RESERVED = _('reserved (not publicly routable)')
DENIED = _('denied by configuration')

#: Cloud metadata services: refused even with allow_private_networks.
_METADATA = [ipaddress.ip_network(n) for n in (
    '169.254.169.254/32',   # EC2, OpenStack, GCE, Azure, OCI
    '169.254.170.2/32',     # ECS task metadata
    '100.100.100.200/32',   # Alibaba Cloud
    'fd00:ec2::254/128',    # EC2 over IPv6
)]

#: (network, category), the more specific first.
_CATEGORIES = [(ipaddress.ip_network(n), c) for n, c in (
    # IPv4
    ('0.0.0.0/8', UNSPECIFIED),
    ('127.0.0.0/8', LOOPBACK),
    ('169.254.0.0/16', LINK_LOCAL),
    ('10.0.0.0/8', PRIVATE),
    ('172.16.0.0/12', PRIVATE),
    ('192.168.0.0/16', PRIVATE),
    ('100.64.0.0/10', PRIVATE),         # shared address space, RFC 6598
    ('192.0.0.0/24', RESERVED),         # IETF protocol assignments
    ('192.0.2.0/24', RESERVED),         # documentation
    ('192.88.99.0/24', RESERVED),       # 6to4 relay anycast
    ('198.18.0.0/15', RESERVED),        # benchmarking
    ('198.51.100.0/24', RESERVED),      # documentation
    ('203.0.113.0/24', RESERVED),       # documentation
    ('224.0.0.0/4', MULTICAST),
    ('240.0.0.0/4', RESERVED),          # incl. 255.255.255.255
    # IPv6
    ('::/128', UNSPECIFIED),
    ('::1/128', LOOPBACK),
    ('fe80::/10', LINK_LOCAL),
    ('fc00::/7', PRIVATE),              # unique local
    ('fec0::/10', PRIVATE),             # site-local (deprecated)
    ('64:ff9b:1::/48', PRIVATE),        # local-use NAT64
    ('ff00::/8', MULTICAST),
    ('100::/64', RESERVED),             # discard-only
    ('2001:db8::/32', RESERVED),        # documentation
    ('2001::/23', RESERVED),            # IETF protocol assignments, Teredo
    ('3fff::/20', RESERVED),            # documentation
    ('5f00::/16', RESERVED),            # SRv6 SIDs
)]

_GLOBAL_UNICAST_V6 = ipaddress.ip_network('2000::/3')
_NAT64 = ipaddress.ip_network('64:ff9b::/96')
_IPV4_COMPATIBLE = ipaddress.ip_network('::/96')


def embedded_ipv4(address):
    """The IPv4 address an IPv6 address stands for, if any.

    :param address: an :class:`ipaddress.IPv6Address`.
    :returns: the :class:`ipaddress.IPv4Address` it maps, translates or
        tunnels to (IPv4-mapped, IPv4-compatible, NAT64, 6to4), or None.
    """
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE
                             and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def category(address):
    """What kind of non-public address this is.

    :param address: an :class:`ipaddress.IPv4Address` or ``IPv6Address``
        (an IPv6 address that carries an IPv4 one is judged on the IPv4).
    :returns: one of the module's category strings (``LOOPBACK``...), or
        None for a public unicast address.
    """
    if address.version == 6:
        inner = embedded_ipv4(address)
        if inner is not None:
            return category(inner)
        address = ipaddress.IPv6Address(int(address))  # drop any scope
    for network in _METADATA:
        if address in network:
            return METADATA
    for network, name in _CATEGORIES:
        if address.version == network.version and address in network:
            return name
    if address.version == 6 and address not in _GLOBAL_UNICAST_V6:
        return RESERVED
    if not address.is_global:
        return RESERVED
    return None


class AddressPolicy(object):
    """Which addresses outbound requests may reach.

    :param allowed_networks: networks reached whatever their category.
    :param denied_networks: networks never reached.
    :param allow_private: whether private ranges are reached.
    """

    def __init__(self, allowed_networks=(), denied_networks=(),
                 allow_private=False):
        self.allowed_networks = tuple(allowed_networks)
        self.denied_networks = tuple(denied_networks)
        self.allow_private = allow_private

    @classmethod
    def from_conf(cls, conf):
        """The policy the ``[outbound]`` options describe.

        :param conf: a ConfigOpts with the ``outbound`` group registered.
        :returns: an AddressPolicy.
        """
        return cls(allowed_networks=conf.outbound.allowed_networks,
                   denied_networks=conf.outbound.denied_networks,
                   allow_private=conf.outbound.allow_private_networks)

    @staticmethod
    def _forms(address):
        """The address, without scope, and the IPv4 address it carries."""
        if address.version == 6:
            address = ipaddress.IPv6Address(int(address))
            inner = embedded_ipv4(address)
            if inner is not None:
                return address, inner
        return (address,)

    @staticmethod
    def _within(forms, networks):
        return any(form.version == net.version and form in net
                   for form in forms for net in networks)

    def check(self, address):
        """Why an address is refused, if it is.

        :param address: an IP address (string or :mod:`ipaddress` object).
        :returns: None when the address may be reached, else the reason (a
            category such as ``LOOPBACK``, or ``DENIED``).
        :raises: ValueError if ``address`` is not an IP address.
        """
        if isinstance(address, str):
            address = ipaddress.ip_address(address)
        forms = self._forms(address)
        if self._within(forms, self.denied_networks):
            return DENIED
        if self._within(forms, self.allowed_networks):
            return None
        reason = category(address)
        if reason == PRIVATE and self.allow_private:
            return None
        return reason
