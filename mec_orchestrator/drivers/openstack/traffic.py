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
"""The networking-sfc traffic driver: MEC traffic rules as port chains.

Registered as the ``openstack`` entry point of
``mec_orchestrator.traffic_drivers``. A rule whose action brings the
matched traffic to the app instance (``FORWARD_DECAPSULATED``,
``FORWARD_AS_IS``, ``PASSTHROUGH``) becomes, in the VIM's project:

* one **flow classifier** per combination of a traffic filter's source
  address, destination address, source port, destination port and
  protocol (an empty list matches anything), at most
  :data:`MAX_CLASSIFIERS` per rule. Addresses are an IP address, a prefix
  (``10.0.0.0/24``, ``10.0.0.0/255.255.255.0``, ``2001:db8::/64``) or a
  range ``first-last`` (split into prefixes); their family gives the
  ethertype (IPv4 when the filter has no address), and a combination
  mixing IPv4 and IPv6 is refused. Ports are ``"80"`` or ``"8000-8080"``;
  ports without a protocol match both TCP and UDP (networking-sfc needs a
  protocol with ports). Protocols are ``tcp``, ``udp`` and ``icmp`` (IPv4
  only), by name or IANA number. The ``logical_source_port`` (where
  networking-sfc classifies; its OVS driver requires one) is the Neutron
  port holding the combination's source address when it is a single
  address that exactly one port the project sees holds, else the app
  instance's port (below);
* one **port pair** whose ingress and egress are the app instance's port:
  the port with the ``dstInterface``'s IP (or MAC) address, else the first
  port the infrastructure driver recorded;
* one **port pair group** of that pair, and one **port chain** of the
  group and the classifiers.

Every object is named ``mec-<appInstanceId>-<trafficRuleId>`` (the
classifiers with ``-fc<index>`` after it) and described with the rule's
action and priority, so that ``activate`` after a crash finds what it made,
and ``deactivate`` without what ``activate`` returned finds what to delete.
An ``activate`` of a rule whose objects exist but differ (the rule
changed) deletes them and starts again.

Refused with ``TrafficRuleNotSupported`` (HTTP 400), naming the rule and
why: ``DROP`` and the ``*_ENCAPSULATED`` and ``DUPLICATE*`` actions (no
tunnels, no copies in networking-sfc), tunnel addresses and ports, tokens
and tags, ``qCI``, ``dSCP``, ``tC`` and ``direction``, a ``TUNNEL``
destination interface,
malformed addresses and ports, two combinations of one rule that overlap,
and what Neutron itself refuses (HTTP 400 or 409), with Neutron's reason:
notably traffic matched by another port chain (networking-sfc has no
priority between chains: the rule's priority is only recorded in the
descriptions) and a second rule steering to the same app port
(networking-sfc allows one port pair per port). ``filterType`` ``FLOW`` and
``PACKET`` are realised alike: networking-sfc classifies each packet, in
one direction (the chains are not symmetric, which would need a logical
destination port that a MEC rule does not name).

Other errors of the VIM are ``InfraError`` with Neutron's reason; so is an
app instance without ports. See ``doc/source/admin/traffic-rules.rst``.
"""

import contextlib
import ipaddress
import itertools
import re

from openstack import exceptions as sdk_exc
from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.drivers import base
from mec_orchestrator.drivers.openstack import client

LOG = log.getLogger(__name__)

#: Actions realised by steering the matched traffic to the app instance.
STEERED = ('FORWARD_DECAPSULATED', 'FORWARD_AS_IS', 'PASSTHROUGH')
#: Why the other actions are refused.
REFUSED_ACTIONS = {
    'DROP': _('networking-sfc steers traffic, it does not drop it'),
    'FORWARD_ENCAPSULATED': _('networking-sfc does not encapsulate'),
}
FILTER_TYPES = ('FLOW', 'PACKET')
#: Most flow classifiers one rule may need.
MAX_CLASSIFIERS = 16
#: Protocols of flow classifiers, by name and IANA number.
PROTOCOLS = {'tcp': 'tcp', '6': 'tcp', 'udp': 'udp', '17': 'udp',
             'icmp': 'icmp', '1': 'icmp'}
PORT_PROTOCOLS = ('tcp', 'udp')
#: TrafficFilter fields a flow classifier matches.
MATCHED = ('srcAddress', 'dstAddress', 'srcPort', 'dstPort', 'protocol')
#: TrafficFilter fields that cannot be matched, with the reason.
UNMATCHED = {
    'token': _('networking-sfc cannot match tokens'),
    'tag': _('networking-sfc cannot match tags'),
    'srcTunnelAddress': _('networking-sfc cannot match tunnels'),
    'tgtTunnelAddress': _('networking-sfc cannot match tunnels'),
    'srcTunnelPort': _('networking-sfc cannot match tunnels'),
    'dstTunnelPort': _('networking-sfc cannot match tunnels'),
    'qCI': _('networking-sfc cannot match a QCI'),
    'dSCP': _('networking-sfc flow classifiers cannot match a DSCP'),
    'tC': _('networking-sfc flow classifiers cannot match a traffic '
            'class'),
    'direction': _('a flow classifier matches addresses, not directions'),
}
#: Neutron's longest name.
NAME_SIZE = 255
CLASSIFIER_SUFFIX = '-fc%d'
#: The longest rule id whose objects' names Neutron takes.
MAX_RULE_ID = (NAME_SIZE - len(base.resource_name('0' * 36) + '-') -
               len(CLASSIFIER_SUFFIX % (MAX_CLASSIFIERS - 1)))
_CONFLICT = _('networking-sfc refuses traffic that another rule matches '
              'already, whatever the priorities')
#: What networking-sfc's refusals mean for a MEC rule, by Neutron's type.
HINTS = {
    'FlowClassifierInConflict': _CONFLICT,
    'PortChainFlowClassifierInConflict': _CONFLICT,
    'PortPairIngressEgressInUse': _(
        'networking-sfc steers to a port for one rule only: merge the '
        'filters into one rule, or name another port in dstInterface'),
}
_UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                   r'[0-9a-f]{12}')
#: The keys of what activate returns.
REALISED = ('port_chain_id', 'port_pair_group_id', 'port_pair_ids',
            'flow_classifier_ids')
#: Flow classifier fields compared to find a changed rule.
CLASSIFIER_FIELDS = ('ethertype', 'protocol', 'source_ip_prefix',
                     'destination_ip_prefix', 'source_port_range_min',
                     'source_port_range_max', 'destination_port_range_min',
                     'destination_port_range_max', 'logical_source_port')


def _refuse(rule_id, reason):
    return exception.TrafficRuleNotSupported(rule_id=rule_id, reason=reason)


def _values(rule_id, item, field):
    """A list field of a traffic filter, checked to be a list."""
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise _refuse(rule_id, _('%s is not a list') % field)
    return list(value)


def _address(rule_id, field, text):
    """The prefixes of one address, range or prefix of a traffic filter."""
    try:
        if isinstance(text, str) and '-' in text:
            first, last = (ipaddress.ip_address(part.strip())
                           for part in text.split('-', 1))
            return list(ipaddress.summarize_address_range(first, last))
        return [ipaddress.ip_network(str(text).strip())]
    except (TypeError, ValueError) as e:
        raise _refuse(rule_id, _('%(field)s %(value)r is not an IP address, '
                                 'prefix or range: %(error)s') % {
            'field': field, 'value': text, 'error': e})


def _port_range(rule_id, field, text):
    """(min, max) of one port or port range of a traffic filter."""
    parts = str(text).strip().split('-')
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        numbers = []
    if (len(numbers) not in (1, 2) or numbers[0] > numbers[-1] or
            not all(0 <= n <= 65535 for n in numbers)):
        raise _refuse(rule_id, _('%(field)s %(value)r is not a port (0 to '
                                 '65535) or a range "min-max"') % {
            'field': field, 'value': text})
    return numbers[0], numbers[-1]


def _protocol(rule_id, text):
    protocol = PROTOCOLS.get(str(text).strip().lower())
    if protocol is None:
        raise _refuse(rule_id, _('protocol %r: networking-sfc matches tcp, '
                                 'udp and icmp only') % text)
    return protocol


def _combinations(rule_id, item):
    """The flow classifiers' match fields of one traffic filter."""
    sources = [net for text in _values(rule_id, item, 'srcAddress')
               for net in _address(rule_id, 'srcAddress', text)] or [None]
    destinations = [net for text in _values(rule_id, item, 'dstAddress')
                    for net in _address(rule_id, 'dstAddress', text)] or [
        None]
    src_ports = [_port_range(rule_id, 'srcPort', text)
                 for text in _values(rule_id, item, 'srcPort')] or [None]
    dst_ports = [_port_range(rule_id, 'dstPort', text)
                 for text in _values(rule_id, item, 'dstPort')] or [None]
    protocols = [_protocol(rule_id, text)
                 for text in _values(rule_id, item, 'protocol')] or [None]
    for src, dst, sport, dport, protocol in itertools.product(
            sources, destinations, src_ports, dst_ports, protocols):
        versions = {net.version for net in (src, dst) if net is not None}
        if len(versions) > 1:
            raise _refuse(rule_id, _('source %(src)s and destination '
                                     '%(dst)s mix IPv4 and IPv6') % {
                'src': src, 'dst': dst})
        ethertype = 'IPv6' if versions == {6} else 'IPv4'
        has_ports = sport is not None or dport is not None
        if protocol == 'icmp' and (has_ports or ethertype == 'IPv6'):
            raise _refuse(rule_id, _(
                'networking-sfc matches icmp for IPv4 and without ports '
                'only'))
        for proto in (PORT_PROTOCOLS if has_ports and protocol is None
                      else (protocol,)):
            sport, dport = sport or (None, None), dport or (None, None)
            yield {'ethertype': ethertype, 'protocol': proto,
                   'source_ip_prefix': _text(src),
                   'destination_ip_prefix': _text(dst),
                   'source_port_range_min': sport[0],
                   'source_port_range_max': sport[1],
                   'destination_port_range_min': dport[0],
                   'destination_port_range_max': dport[1]}


def _text(network):
    return None if network is None else network.compressed


def _ranges_overlap(first, second, low, high):
    if first[low] is None or second[low] is None:
        return True
    return first[low] <= second[high] and second[low] <= first[high]


def _prefixes_overlap(first, second):
    if first is None or second is None:
        return True
    return ipaddress.ip_network(first).overlaps(ipaddress.ip_network(second))


def _overlap(first, second):
    """Whether networking-sfc sees two classifiers as conflicting."""
    return (first['ethertype'] == second['ethertype'] and
            (None in (first['protocol'], second['protocol']) or
             first['protocol'] == second['protocol']) and
            _prefixes_overlap(first['source_ip_prefix'],
                              second['source_ip_prefix']) and
            _prefixes_overlap(first['destination_ip_prefix'],
                              second['destination_ip_prefix']) and
            _ranges_overlap(first, second, 'source_port_range_min',
                            'source_port_range_max') and
            _ranges_overlap(first, second, 'destination_port_range_min',
                            'destination_port_range_max'))


def _describe_match(match):
    return ' '.join('%s=%s' % (key, value) for key, value in match.items()
                    if value is not None and key != 'ethertype') or _('any')


def _interfaces(rule):
    """The rule's destination interfaces, as a list."""
    value = rule.get('dstInterface') or []
    return [value] if isinstance(value, dict) else list(value)


def _interface_address(interface):
    """(kind, address) a destination interface names, or None."""
    kind = interface.get('interfaceType')
    if kind == 'IP':
        return 'ip', interface.get('dstIpAddress') or interface.get(
            'dstIPAddress')
    if kind == 'MAC':
        mac = interface.get('dstMacAddress') or interface.get(
            'dstMACAddress')
        return 'mac', (mac or '').replace('-', ':').lower()
    return None


def plan(rule):
    """The flow classifiers' match fields a rule needs, or why it cannot.

    :param rule: a MEC 011 TrafficRule (or AppD TrafficRuleDescriptor) as
        a dict.
    :returns: a list of dicts of flow classifier fields (without name,
        description and logical ports).
    :raises: TrafficRuleNotSupported naming the rule and the reason.
    """
    rule_id = rule.get('trafficRuleId')
    if not isinstance(rule_id, str) or not rule_id:
        raise _refuse(rule_id, _('trafficRuleId is missing'))
    if len(rule_id) > MAX_RULE_ID:
        raise _refuse(rule_id, _('trafficRuleId is longer than %d '
                                 'characters') % MAX_RULE_ID)
    action = rule.get('action')
    if action not in STEERED:
        reason = REFUSED_ACTIONS.get(action)
        if reason is None and str(action).startswith('DUPLICATE'):
            reason = _('networking-sfc does not duplicate traffic')
        raise _refuse(rule_id, _('action %(action)s: %(reason)s') % {
            'action': action, 'reason': reason or _(
                'the driver realises %s only') % ', '.join(STEERED)})
    if rule.get('filterType', 'FLOW') not in FILTER_TYPES:
        raise _refuse(rule_id, _('filterType %s is neither FLOW nor '
                                 'PACKET') % rule.get('filterType'))
    interfaces = _interfaces(rule)
    if len(interfaces) > 1:
        raise _refuse(rule_id, _('%s needs one dstInterface') % action)
    for interface in interfaces:
        named = _interface_address(interface)
        if named is None:
            raise _refuse(rule_id, _(
                'dstInterface of type %s: networking-sfc does not '
                'tunnel') % interface.get('interfaceType'))
        if named[0] == 'ip':
            try:
                ipaddress.ip_address(named[1])
            except ValueError:
                raise _refuse(rule_id, _('dstInterface has no valid '
                                         'dstIpAddress'))
        elif not re.fullmatch(r'([0-9a-f]{2}:){5}[0-9a-f]{2}', named[1]):
            raise _refuse(rule_id, _('dstInterface has no valid '
                                     'dstMacAddress'))
    filters = rule.get('trafficFilter') or []
    if not filters:
        raise _refuse(rule_id, _('the rule has no trafficFilter'))
    matches = []
    for item in filters:
        if not isinstance(item, dict):
            raise _refuse(rule_id, _('a trafficFilter is not an object'))
        given = {key for key, value in item.items()
                 if value not in (None, [], '')}
        for field, reason in UNMATCHED.items():
            if field in given:
                raise _refuse(rule_id, '%s: %s' % (field, reason))
        unknown = sorted(given - set(MATCHED))
        if unknown:
            raise _refuse(rule_id, _('unknown traffic filter fields: '
                                     '%s') % ', '.join(unknown))
        for match in _combinations(rule_id, item):
            if match in matches:
                continue
            if len(matches) == MAX_CLASSIFIERS:
                raise _refuse(rule_id, _(
                    'the filters need more than %d flow classifiers (one '
                    'per combination of addresses, ports and '
                    'protocols)') % MAX_CLASSIFIERS)
            for other in matches:
                if _overlap(match, other):
                    raise _refuse(rule_id, _(
                        'the filters overlap (%(one)s; %(other)s), which '
                        'networking-sfc refuses') % {
                        'one': _describe_match(other),
                        'other': _describe_match(match)})
            matches.append(match)
    return matches


def _neutron_type(exc):
    """The type of a Neutron error (e.g. FlowClassifierInConflict)."""
    try:
        return exc.response.json()['NeutronError']['type']
    except Exception:
        return None


def _with_names(network, text):
    """Neutron's message, with the names of the SFC objects it cites."""
    def named(found):
        object_id = found.group(0)
        for get in (network.get_sfc_flow_classifier,
                    network.get_sfc_port_chain, network.get_sfc_port_pair):
            try:
                item = get(object_id)
            except sdk_exc.SDKException:
                continue
            if item.name:
                return '%s (%s)' % (object_id, item.name)
        return object_id

    return _UUID.sub(named, text)


class SfcTrafficDriver(base.TrafficDriver):
    """Traffic rules as networking-sfc port chains on an OpenStack VIM."""

    name = 'openstack'

    @contextlib.contextmanager
    def _network(self, vim):
        """openstacksdk's network proxy as the VIM's user.

        :raises: InfraError with the VIM's reason.
        """
        what = _('VIM %s') % (vim.get('name') or vim.get('id'))
        with client.vim_connection(vim, self.conf.vim.request_timeout,
                                   self.conf.vim.openstack_interface,
                                   what) as conn:
            yield conn.network

    def validate(self, rule):
        """Refuse what networking-sfc cannot express.

        :param rule: a MEC 011 TrafficRule (or AppD TrafficRuleDescriptor)
            as a dict.
        :raises: TrafficRuleNotSupported naming the rule and the reason.
        """
        plan(rule)

    # -- names ----------------------------------------------------------------

    @staticmethod
    def _name(instance, rule_id):
        return base.resource_name(instance['id']) + '-' + rule_id

    @staticmethod
    def _classifier_index(name, prefix):
        """The index of one of a rule's classifiers, from its name."""
        found = re.fullmatch(re.escape(prefix) + r'-fc(\d+)', name or '')
        return int(found.group(1)) if found else None

    def _found(self, network, name):
        """The rule's objects on the VIM, found by name.

        :returns: a dict of ``chains``, ``groups``, ``pairs`` and
            ``classifiers`` (index -> classifier) lists.
        """
        classifiers = {}
        for item in network.sfc_flow_classifiers():
            index = self._classifier_index(item.name, name)
            if index is not None:
                classifiers.setdefault(index, []).append(item)
        return {'chains': list(network.sfc_port_chains(name=name)),
                'groups': list(network.sfc_port_pair_groups(name=name)),
                'pairs': list(network.sfc_port_pairs(name=name)),
                'classifiers': classifiers}

    # -- ports ----------------------------------------------------------------

    @staticmethod
    def _instance_ports(instance):
        ports = ((instance.get('vim_resources') or {}).get('ports') or [])
        if not ports:
            raise exception.InfraError(reason=_(
                'app instance %s has no port on the VIM to steer traffic '
                'to') % instance['id'])
        return ports

    def _app_port(self, network, instance, rule):
        """The id of the app instance's port the rule steers to."""
        ports = self._instance_ports(instance)
        for interface in _interfaces(rule):
            kind, address = _interface_address(interface)
            for port in ports:
                if kind == 'ip':
                    held = [ip.get('ip_address')
                            for ip in port.get('fixed_ips') or []]
                else:
                    held = [(port.get('mac_address') or network.get_port(
                        port['id']).mac_address or '').lower()]
                if address in held:
                    return port['id']
            raise _refuse(rule['trafficRuleId'], _(
                'dstInterface %(address)s is not an address of the app '
                'instance\'s ports') % {'address': address})
        return ports[0]['id']

    @staticmethod
    def _source_port(network, match, default, cache):
        """The port holding the match's single source address, or default."""
        prefix = match['source_ip_prefix']
        if prefix is None or ipaddress.ip_network(prefix).num_addresses != 1:
            return default
        address = prefix.split('/')[0]
        if address not in cache:
            held = list(network.ports(fixed_ips='ip_address=%s' % address))
            cache[address] = held[0].id if len(held) == 1 else None
        return cache[address] or default

    # -- activate -------------------------------------------------------------

    def activate(self, context, vim, instance, rule):
        """Steer the rule's traffic to the app instance; idempotent.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict (``id``,
            ``vim_resources`` with its ``ports``).
        :param rule: the MEC 011 TrafficRule as a dict.
        :returns: ``port_chain_id``, ``port_pair_group_id``,
            ``port_pair_ids`` and ``flow_classifier_ids``.
        :raises: TrafficRuleNotSupported (what the rule asks, or what
            Neutron refuses, with its reason), InfraError (the VIM's
            reason; no port to steer to).
        """
        matches = plan(rule)
        rule_id = rule['trafficRuleId']
        name = self._name(instance, rule_id)
        description = _('MEC traffic rule: action %(action)s, priority '
                        '%(priority)s') % {'action': rule['action'],
                                           'priority': rule.get('priority')}
        self._instance_ports(instance)
        with self._network(vim) as network:
            port_id = self._app_port(network, instance, rule)
            cache = {}
            wanted = [dict(match, name=name + CLASSIFIER_SUFFIX % index,
                           description=description,
                           logical_source_port=self._source_port(
                               network, match, port_id, cache))
                      for index, match in enumerate(matches)]
            try:
                realised = self._realise(network, name, description,
                                         port_id, wanted, rule_id)
            except exception.TrafficRuleNotSupported:
                self._remove_quietly(network, name)
                raise
        LOG.info('Traffic rule %(rule)s of app instance %(id)s steered to '
                 'port %(port)s by port chain %(chain)s',
                 {'rule': rule_id, 'id': instance['id'], 'port': port_id,
                  'chain': realised['port_chain_id']})
        return realised

    def _realise(self, network, name, description, port_id, wanted,
                 rule_id):
        found = self._found(network, name)
        if self._stale(found, port_id, wanted):
            LOG.info('Traffic rule objects %s differ from the rule: '
                     'making them again', name)
            self._remove(network, name, found)
            found = {'chains': [], 'groups': [], 'pairs': [],
                     'classifiers': {}}
        def create(kind, **fields):
            try:
                return getattr(network, 'create_sfc_' + kind)(**fields)
            except (sdk_exc.BadRequestException,
                    sdk_exc.ConflictException) as e:
                raise self._refusal(network, rule_id, e)

        classifiers = []
        for index, fields in enumerate(wanted):
            existing = found['classifiers'].get(index)
            classifiers.append(existing[0] if existing else create(
                'flow_classifier', **fields))
        pair = (found['pairs'] or [None])[0] or create(
            'port_pair', name=name, description=description,
            ingress=port_id, egress=port_id)
        group = (found['groups'] or [None])[0] or create(
            'port_pair_group', name=name, description=description,
            port_pairs=[pair.id])
        chain = (found['chains'] or [None])[0] or create(
            'port_chain', name=name, description=description,
            port_pair_groups=[group.id],
            flow_classifiers=[c.id for c in classifiers])
        return {'port_chain_id': chain.id, 'port_pair_group_id': group.id,
                'port_pair_ids': [pair.id],
                'flow_classifier_ids': [c.id for c in classifiers]}

    @staticmethod
    def _stale(found, port_id, wanted):
        """Whether objects found by name differ from what the rule needs."""
        for index, classifiers in found['classifiers'].items():
            if index >= len(wanted) or any(
                    getattr(c, field) != wanted[index][field]
                    for c in classifiers for field in CLASSIFIER_FIELDS):
                return True
        ids = {index: items[0].id
               for index, items in found['classifiers'].items()}
        pair_ids = [p.id for p in found['pairs']]
        group_ids = [g.id for g in found['groups']]
        return (any((p.ingress, p.egress) != (port_id, port_id)
                    for p in found['pairs']) or
                any(list(g.port_pairs) != pair_ids[:1]
                    for g in found['groups']) or
                any(list(c.port_pair_groups) != group_ids[:1] or
                    # Neutron lists a chain's classifiers in its own order.
                    set(c.flow_classifiers) != {
                        ids.get(i) for i in range(len(wanted))}
                    for c in found['chains']))

    @staticmethod
    def _refusal(network, rule_id, exc):
        """The TrafficRuleNotSupported of Neutron's refusal (400, 409)."""
        reason = _with_names(network, client._reason(exc))
        hint = HINTS.get(_neutron_type(exc))
        if hint:
            reason = '%s; %s' % (reason, hint)
        return _refuse(rule_id, _('Neutron refused it: %s') % reason)

    # -- deactivate -----------------------------------------------------------

    def deactivate(self, context, vim, instance, rule_id, realised=None):
        """Delete the rule's port chain, group, pairs and classifiers.

        Idempotent: what is gone already is success.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param rule_id: the rule's trafficRuleId.
        :param realised: what :meth:`activate` returned, or None (or a
            dict without its ids) to find the objects by name.
        :raises: InfraError (the VIM's reason).
        """
        name = self._name(instance, rule_id)
        with self._network(vim) as network:
            if not any((realised or {}).get(key) for key in REALISED):
                self._remove(network, name, self._found(network, name))
            else:
                self._delete_ids(
                    network, [realised.get('port_chain_id')],
                    [realised.get('port_pair_group_id')],
                    realised.get('port_pair_ids') or [],
                    realised.get('flow_classifier_ids') or [])
        LOG.info('Traffic rule %(rule)s of app instance %(id)s is no longer '
                 'steered', {'rule': rule_id, 'id': instance['id']})

    def _remove(self, network, name, found):
        self._delete_ids(
            network, [c.id for c in found['chains']],
            [g.id for g in found['groups']], [p.id for p in found['pairs']],
            [c.id for items in found['classifiers'].values()
             for c in items])

    def _remove_quietly(self, network, name):
        """Undo a refused rule; what cannot be deleted is only logged."""
        try:
            self._remove(network, name, self._found(network, name))
        except (sdk_exc.SDKException, exception.InfraError) as e:
            LOG.warning('Could not delete the objects of refused traffic '
                        'rule %(name)s: %(error)s', {'name': name, 'error': e})

    @staticmethod
    def _delete_ids(network, chains, groups, pairs, classifiers):
        """Delete in dependency order; missing objects are success."""
        for delete, ids in ((network.delete_sfc_port_chain, chains),
                            (network.delete_sfc_port_pair_group, groups),
                            (network.delete_sfc_port_pair, pairs),
                            (network.delete_sfc_flow_classifier,
                             classifiers)):
            for object_id in ids:
                if object_id:
                    delete(object_id, ignore_missing=True)
