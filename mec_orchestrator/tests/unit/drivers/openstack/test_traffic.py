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
"""The networking-sfc traffic driver, openstacksdk's network proxy faked."""

import contextlib
import functools
import itertools
import json
import types
from unittest import mock

from openstack import exceptions as sdk_exc
import requests

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers import base as drivers_base
from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.drivers.openstack import traffic
from mec_orchestrator.tests import base

CONF = conf.CONF
PASSWORD = 'vim-secret-pw-42'
INSTANCE_ID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b'
NAME = drivers_base.resource_name(INSTANCE_ID) + '-r1'
VIM = {'id': 'vim-1', 'name': 'edge', 'type': 'openstack',
       'access': {'auth_url': 'http://keystone/v3', 'project_name': 'p',
                  'region': 'RegionOne'},
       'credentials': {'username': 'u', 'password': PASSWORD},
       'ca_cert': None}
PORTS = [{'id': 'port-a', 'network_id': 'net-1',
          'fixed_ips': [{'subnet_id': 's', 'ip_address': '10.0.0.5'}]},
         {'id': 'port-b', 'network_id': 'net-1',
          'fixed_ips': [{'subnet_id': 's', 'ip_address': '10.0.0.6'}]}]
INSTANCE = {'id': INSTANCE_ID,
            'vim_resources': {'ports': PORTS, 'servers': [
                {'id': 'srv-1', 'name': 'app', 'status': 'ACTIVE',
                 'addresses': {}}]}}
KINDS = ('flow_classifier', 'port_pair', 'port_pair_group', 'port_chain')
CLASSIFIER_DEFAULTS = dict.fromkeys(traffic.CLASSIFIER_FIELDS)


def rule(rule_id='r1', action='FORWARD_DECAPSULATED', **changes):
    value = {'trafficRuleId': rule_id, 'filterType': 'FLOW', 'priority': 3,
             'action': action, 'state': 'ACTIVE',
             'trafficFilter': [{'dstAddress': ['192.0.2.0/24'],
                                'dstPort': ['80'], 'protocol': ['TCP']}]}
    value.update(changes)
    return value


def filters(*items):
    return rule(trafficFilter=list(items))


def neutron_error(cls, status, error_type, message):
    response = requests.Response()
    response.status_code = status
    response.headers['Content-Type'] = 'application/json'
    response._content = json.dumps({'NeutronError': {
        'type': error_type, 'message': message, 'detail': ''}}).encode()
    return cls(message='x', response=response, details=message)


class FakeNetwork(object):
    """The networking-sfc calls of openstacksdk's network proxy."""

    def __init__(self):
        self.objects = {kind: {} for kind in KINDS}
        self.ports_by_ip = {}
        self.macs = {'port-a': 'fa:16:3e:00:00:0a',
                     'port-b': 'fa:16:3e:00:00:0b'}
        self.calls = []
        self.errors = {}
        self.ids = itertools.count(1)
        for kind in KINDS:
            for verb, func in (('create_sfc_%s', self._create),
                               ('sfc_%ss', self._list),
                               ('get_sfc_%s', self._get),
                               ('delete_sfc_%s', self._delete)):
                setattr(self, verb % kind, functools.partial(func, kind))

    def add(self, kind, **fields):
        if kind == 'flow_classifier':
            fields = dict(CLASSIFIER_DEFAULTS, **fields)
        fields.setdefault('description', '')
        item = types.SimpleNamespace(
            id=fields.pop('id', None) or '%s-%d' % (kind, next(self.ids)),
            **fields)
        self.objects[kind][item.id] = item
        return item

    def _create(self, kind, **fields):
        self.calls.append(('create', kind, fields.get('name')))
        error = self.errors.get(('create', kind))
        if error:
            raise error
        if kind == 'port_chain':
            # Neutron lists a chain's classifiers in its own order.
            fields['flow_classifiers'] = sorted(fields['flow_classifiers'],
                                                reverse=True)
            fields.setdefault('chain_parameters', {'symmetric': False})
        return self.add(kind, **fields)

    def _list(self, kind, **query):
        return iter([item for item in self.objects[kind].values()
                     if all(getattr(item, key) == value
                            for key, value in query.items())])

    def _get(self, kind, object_id):
        try:
            return self.objects[kind][object_id]
        except KeyError:
            raise sdk_exc.NotFoundException('%s %s' % (kind, object_id))

    def _delete(self, kind, object_id, ignore_missing=True):
        self.calls.append(('delete', kind, object_id))
        error = self.errors.get(('delete', kind))
        if error:
            raise error
        if self.objects[kind].pop(object_id, None) is None and \
                not ignore_missing:
            raise sdk_exc.NotFoundException(object_id)

    def ports(self, fixed_ips):
        address = fixed_ips.split('=', 1)[1]
        return iter([types.SimpleNamespace(id=port_id)
                     for port_id in self.ports_by_ip.get(address, [])])

    def get_port(self, port_id):
        return types.SimpleNamespace(id=port_id,
                                     mac_address=self.macs[port_id])

    def names(self, kind):
        return sorted(item.name for item in self.objects[kind].values())

    def created(self):
        return [call[1:] for call in self.calls if call[0] == 'create']


class DriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.network = FakeNetwork()
        self.connections = []

        @contextlib.contextmanager
        def sdk_connection(vim, timeout, interface):
            self.connections.append((vim['id'], timeout, interface))
            yield types.SimpleNamespace(network=self.network)

        self.patch(client, 'sdk_connection', sdk_connection)
        self.driver = traffic.SfcTrafficDriver(CONF)

    def refused(self, value, *fragments):
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.driver.validate, value)
        self.assertIn('Traffic rule %s cannot be realised' %
                      value.get('trafficRuleId'), str(exc))
        for fragment in fragments:
            self.assertIn(fragment, str(exc))
        return exc

    def activate(self, value=None, instance=INSTANCE):
        return self.driver.activate(None, VIM, instance, value or rule())


class TestPlan(DriverTestCase):
    """What validate accepts, and the flow classifiers it plans."""

    def matches(self, *items):
        return traffic.plan(filters(*items))

    def test_one_filter(self):
        self.assertIsNone(self.driver.validate(rule()))
        self.assertEqual([{
            'ethertype': 'IPv4', 'protocol': 'tcp', 'source_ip_prefix': None,
            'destination_ip_prefix': '192.0.2.0/24',
            'source_port_range_min': None, 'source_port_range_max': None,
            'destination_port_range_min': 80,
            'destination_port_range_max': 80}], traffic.plan(rule()))

    def test_one_classifier_per_combination(self):
        found = self.matches(
            {'srcAddress': ['10.1.0.0/16', '10.2.0.0/16'],
             'dstAddress': ['192.0.2.1', '192.0.2.2'],
             'srcPort': ['1024-65535'], 'protocol': ['6']},
            {'dstAddress': ['198.51.100.0/24'], 'protocol': ['icmp']})
        self.assertEqual(5, len(found))
        self.assertEqual(
            [('10.1.0.0/16', '192.0.2.1/32', 'tcp', 1024, 65535),
             ('10.1.0.0/16', '192.0.2.2/32', 'tcp', 1024, 65535),
             ('10.2.0.0/16', '192.0.2.1/32', 'tcp', 1024, 65535),
             ('10.2.0.0/16', '192.0.2.2/32', 'tcp', 1024, 65535),
             (None, '198.51.100.0/24', 'icmp', None, None)],
            [(m['source_ip_prefix'], m['destination_ip_prefix'],
              m['protocol'], m['source_port_range_min'],
              m['source_port_range_max']) for m in found])

    def test_ports_without_protocol_match_tcp_and_udp(self):
        found = self.matches({'dstPort': ['53', 5353]})
        self.assertEqual([('tcp', 53), ('udp', 53), ('tcp', 5353),
                          ('udp', 5353)],
                         [(m['protocol'], m['destination_port_range_min'])
                          for m in found])

    def test_protocols_by_name_or_number(self):
        found = self.matches({'dstAddress': ['192.0.2.1'],
                              'protocol': ['UDP']},
                             {'dstAddress': ['192.0.2.2'],
                              'protocol': ['17', '1', 'Tcp']})
        self.assertEqual(['udp', 'udp', 'icmp', 'tcp'],
                         [m['protocol'] for m in found])

    def test_address_forms(self):
        found = self.matches({'dstAddress': [
            '10.0.0.0/255.255.255.0', '10.0.1.1-10.0.1.3',
            '2001:DB8::/64']})
        self.assertEqual(
            [('IPv4', '10.0.0.0/24'), ('IPv4', '10.0.1.1/32'),
             ('IPv4', '10.0.1.2/31'), ('IPv6', '2001:db8::/64')],
            [(m['ethertype'], m['destination_ip_prefix']) for m in found])

    def test_no_address_is_ipv4(self):
        self.assertEqual(['IPv4'], [m['ethertype'] for m in self.matches(
            {'protocol': ['tcp']})])

    def test_packet_filters_and_other_steering_actions(self):
        for action in ('PASSTHROUGH', 'FORWARD_AS_IS'):
            self.driver.validate(rule(action=action, filterType='PACKET'))

    def test_empty_unmatched_fields_are_accepted(self):
        self.assertEqual(1, len(self.matches(
            {'dstAddress': ['192.0.2.0/24'], 'token': [],
             'srcTunnelAddress': None, 'tag': ''})))

    def test_refused_actions(self):
        for action, reason in (
                ('DROP', 'does not drop'),
                ('FORWARD_ENCAPSULATED', 'does not encapsulate'),
                ('DUPLICATE_DECAPSULATED', 'does not duplicate'),
                ('DUPLICATE_ENCAPSULATED', 'does not duplicate'),
                ('DUPLICATED_DECAPSULATED', 'does not duplicate'),
                ('BOUNCE', 'realises FORWARD_DECAPSULATED, FORWARD_AS_IS, '
                           'PASSTHROUGH only')):
            self.refused(rule(action=action), 'action %s' % action, reason)

    def test_refused_filter_fields(self):
        for field, value in (('token', ['t']), ('tag', ['1234']),
                             ('srcTunnelAddress', ['10.10.10.10']),
                             ('tgtTunnelAddress', ['10.10.10.10']),
                             ('srcTunnelPort', ['2152']),
                             ('dstTunnelPort', ['2152']), ('qCI', 1),
                             ('dSCP', 0), ('tC', 1), ('direction', 'UL')):
            self.refused(filters({'dstAddress': ['192.0.2.0/24'],
                                  field: value}), field)
        self.refused(filters({'vlan': [5]}),
                     'unknown traffic filter fields: vlan')
        self.refused(filters('dst'), 'not an object')
        self.refused(filters({'dstAddress': '192.0.2.1'}),
                     'dstAddress is not a list')

    def test_malformed_addresses(self):
        for text in ('ten.0.0.1', '10.0.0.1/24', '10.0.0.9-10.0.0.1',
                     '10.0.0.1-2001:db8::1', '300.0.0.1', ''):
            self.refused(filters({'srcAddress': [text]}),
                         'srcAddress %r is not an IP address' % text)

    def test_mixed_families(self):
        self.refused(filters({'srcAddress': ['10.0.0.0/8'],
                              'dstAddress': ['2001:db8::/32']}),
                     'mix IPv4 and IPv6')

    def test_bad_ports(self):
        for text in ('0x50', '70000', '90-80', '1-2-3', '-5', 'http'):
            self.refused(filters({'protocol': ['tcp'], 'dstPort': [text]}),
                         'dstPort %r is not a port' % text)

    def test_protocols_networking_sfc_cannot_match(self):
        self.refused(filters({'protocol': ['sctp']}), "protocol 'sctp'")
        self.refused(filters({'protocol': ['icmp'], 'dstPort': ['7']}),
                     'icmp for IPv4 and without ports')
        self.refused(filters({'protocol': ['icmp'],
                              'dstAddress': ['2001:db8::1']}),
                     'icmp for IPv4')

    def test_at_most_sixteen_classifiers(self):
        sixteen = {'srcAddress': ['10.0.%d.0/24' % i for i in range(4)],
                   'dstAddress': ['192.0.%d.0/24' % i for i in range(4)]}
        self.assertEqual(16, len(self.matches(sixteen)))
        self.refused(filters(dict(sixteen, dstPort=['80'])),
                     'more than 16 flow classifiers')

    def test_overlapping_filters(self):
        self.refused(filters({'dstAddress': ['10.0.0.0/8']},
                             {'dstAddress': ['10.1.0.0/16'],
                              'protocol': ['tcp']}),
                     'the filters overlap (destination_ip_prefix=10.0.0.0/8;'
                     ' protocol=tcp destination_ip_prefix=10.1.0.0/16)')
        # The same combination twice is one classifier.
        self.assertEqual(1, len(self.matches({'dstAddress': ['10.0.0.0/8']},
                                             {'dstAddress': ['10.0.0.0/8']})))
        # Other ports, protocols or families do not overlap.
        self.assertEqual(5, len(self.matches(
            {'dstPort': ['80-89']}, {'dstPort': ['90']},
            {'dstAddress': ['::/0']})))

    def test_rule_fields(self):
        self.refused(rule(filterType='STREAM'), 'filterType STREAM')
        self.refused(rule(trafficFilter=[]), 'no trafficFilter')
        self.refused(rule(rule_id='x' * 210), 'longer than 209')
        self.driver.validate(rule(rule_id='x' * 209))
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.driver.validate, rule(rule_id=''))
        self.assertIn('trafficRuleId is missing', str(exc))

    def test_destination_interfaces(self):
        self.driver.validate(rule(dstInterface=[
            {'interfaceType': 'MAC', 'dstMACAddress': '02-00-00-00-00-0A'}]))
        self.driver.validate(rule(dstInterface={
            'interfaceType': 'IP', 'dstIpAddress': '10.0.0.6'}))
        self.refused(rule(dstInterface=[{'interfaceType': 'TUNNEL',
                                         'tunnelInfo': {}}]),
                     'dstInterface of type TUNNEL')
        self.refused(rule(dstInterface=[
            {'interfaceType': 'IP', 'dstIpAddress': '10.0.0.6'}] * 2),
            'needs one dstInterface')
        self.refused(rule(dstInterface={'interfaceType': 'IP',
                                        'dstIpAddress': 'ten'}),
                     'no valid dstIpAddress')
        self.refused(rule(dstInterface={'interfaceType': 'MAC'}),
                     'no valid dstMacAddress')


class TestActivate(DriverTestCase):

    def test_creates_the_chain(self):
        realised = self.activate()
        self.assertEqual([('vim-1', CONF.vim.request_timeout,
                           CONF.vim.openstack_interface)], self.connections)
        self.assertEqual([('flow_classifier', NAME + '-fc0'),
                          ('port_pair', NAME), ('port_pair_group', NAME),
                          ('port_chain', NAME)], self.network.created())
        fc = self.network.get_sfc_flow_classifier(
            realised['flow_classifier_ids'][0])
        self.assertEqual(
            ('IPv4', 'tcp', None, '192.0.2.0/24', 80, 80, 'port-a'),
            (fc.ethertype, fc.protocol, fc.source_ip_prefix,
             fc.destination_ip_prefix, fc.destination_port_range_min,
             fc.destination_port_range_max, fc.logical_source_port))
        pair = self.network.get_sfc_port_pair(realised['port_pair_ids'][0])
        self.assertEqual(('port-a', 'port-a'), (pair.ingress, pair.egress))
        group = self.network.get_sfc_port_pair_group(
            realised['port_pair_group_id'])
        self.assertEqual([pair.id], group.port_pairs)
        chain = self.network.get_sfc_port_chain(realised['port_chain_id'])
        self.assertEqual(([group.id], [fc.id]),
                         (chain.port_pair_groups, chain.flow_classifiers))
        self.assertEqual('MEC traffic rule: action FORWARD_DECAPSULATED, '
                         'priority 3', chain.description)
        self.assertEqual(chain.description, fc.description)
        self.assertEqual({'port_chain_id': chain.id,
                          'port_pair_group_id': group.id,
                          'port_pair_ids': [pair.id],
                          'flow_classifier_ids': [fc.id]}, realised)

    def test_again_creates_nothing(self):
        value = filters({'dstAddress': ['192.0.2.0/24', '198.51.100.0/24'],
                         'dstPort': ['443']})
        realised = self.activate(value)
        self.assertEqual(4, len(realised['flow_classifier_ids']))
        self.network.calls = []
        self.assertEqual(realised, self.activate(value))
        self.assertEqual([], self.network.calls)

    def test_after_a_crash_creates_what_is_missing(self):
        value = filters({'dstAddress': ['192.0.2.0/24', '198.51.100.0/24']})
        first = self.network.add(
            'flow_classifier', name=NAME + '-fc0', ethertype='IPv4',
            destination_ip_prefix='192.0.2.0/24',
            logical_source_port='port-a')
        realised = self.activate(value)
        self.assertEqual([('flow_classifier', NAME + '-fc1'),
                          ('port_pair', NAME), ('port_pair_group', NAME),
                          ('port_chain', NAME)], self.network.created())
        self.assertEqual(first.id, realised['flow_classifier_ids'][0])

    def test_a_changed_rule_is_made_again(self):
        old = self.activate()
        self.network.calls = []
        new = self.activate(rule(dstInterface={'interfaceType': 'IP',
                                               'dstIpAddress': '10.0.0.6'}))
        self.assertEqual(
            [('delete', 'port_chain', old['port_chain_id']),
             ('delete', 'port_pair_group', old['port_pair_group_id']),
             ('delete', 'port_pair', old['port_pair_ids'][0]),
             ('delete', 'flow_classifier', old['flow_classifier_ids'][0])],
            self.network.calls[:4])
        self.assertEqual(4, len(self.network.created()))
        pair = self.network.get_sfc_port_pair(new['port_pair_ids'][0])
        self.assertEqual('port-b', pair.ingress)
        self.assertEqual([NAME], self.network.names('port_chain'))
        # Fewer classifiers than before: the extra ones go too.
        self.activate(filters({'dstAddress': ['192.0.2.0/24']},
                              {'dstAddress': ['198.51.100.0/24']}))
        self.activate()
        self.assertEqual([NAME + '-fc0'],
                         self.network.names('flow_classifier'))

    def test_classifier_of_the_source_address_port(self):
        self.network.ports_by_ip = {'10.0.0.9': ['gw-port'],
                                    '10.0.0.10': ['p1', 'p2']}
        realised = self.activate(filters(
            {'srcAddress': ['10.0.0.9', '10.0.0.10', '10.0.0.0/30'],
             'dstAddress': ['192.0.2.0/24']}))
        self.assertEqual(['gw-port', 'port-a', 'port-a'], [
            self.network.get_sfc_flow_classifier(i).logical_source_port
            for i in realised['flow_classifier_ids']])

    def test_destination_interface_picks_the_port(self):
        by_mac = self.activate(rule(dstInterface=[{
            'interfaceType': 'MAC', 'dstMacAddress': 'FA-16-3E-00-00-0B'}]))
        pair = self.network.get_sfc_port_pair(by_mac['port_pair_ids'][0])
        self.assertEqual(('port-b', 'port-b'), (pair.ingress, pair.egress))
        exc = self.assertRaises(
            exception.TrafficRuleNotSupported, self.activate,
            rule('r2', dstInterface={'interfaceType': 'IP',
                                     'dstIpAddress': '10.0.0.7'}))
        self.assertIn('Traffic rule r2 cannot be realised: dstInterface '
                      '10.0.0.7 is not an address of the app instance',
                      str(exc))

    def test_no_port_to_steer_to(self):
        for instance in ({'id': INSTANCE_ID},
                         {'id': INSTANCE_ID, 'vim_resources': {'ports': []}}):
            exc = self.assertRaises(exception.InfraError, self.activate,
                                    rule(), instance)
            self.assertIn('app instance %s has no port on the VIM' %
                          INSTANCE_ID, str(exc))
        self.assertEqual([], self.connections)

    def test_refused_rule_touches_no_vim(self):
        self.assertRaises(exception.TrafficRuleNotSupported, self.activate,
                          rule(action='DUPLICATE_DECAPSULATED'))
        self.assertEqual([], self.connections)

    def test_conflict_with_another_chain(self):
        other = self.network.add('port_chain', name='mec-x-r0',
                                 flow_classifiers=[], port_pair_groups=[])
        other_fc = self.network.add('flow_classifier', name='mec-x-r0-fc0')
        self.network.errors[('create', 'port_chain')] = neutron_error(
            sdk_exc.BadRequestException, 400,
            'PortChainFlowClassifierInConflict',
            'Flow Classifier %s conflicts with Flow Classifier %s in port '
            'chain %s.' % ('3c1c5c52-0000-4000-8000-000000000001',
                           other_fc.id, other.id))
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.activate, rule(priority=7))
        self.assertIn('Traffic rule r1 cannot be realised: Neutron refused '
                      'it: Flow Classifier', str(exc))
        self.assertIn('(HTTP 400); networking-sfc refuses traffic that '
                      'another rule matches already, whatever the '
                      'priorities', str(exc))
        self.assertNotIn(PASSWORD, str(exc))
        # Nothing of the refused rule is left.
        self.assertEqual([], [name for kind in KINDS
                              for name in self.network.names(kind)
                              if name.startswith(NAME)])

    def test_conflict_names_the_other_rule(self):
        other = self.network.add(
            'flow_classifier', id='3c1c5c52-0000-4000-8000-000000000002',
            name='mec-x-r0-fc0')
        self.network.errors[('create', 'flow_classifier')] = neutron_error(
            sdk_exc.BadRequestException, 400, 'FlowClassifierInConflict',
            'Flow Classifier conflicts with another Flow Classifier %s.' %
            other.id)
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.activate)
        self.assertIn('another Flow Classifier %s (mec-x-r0-fc0). (HTTP 400)'
                      % other.id, str(exc))

    def test_second_rule_on_a_port(self):
        self.network.errors[('create', 'port_pair')] = neutron_error(
            sdk_exc.BadRequestException, 400, 'PortPairIngressEgressInUse',
            'Port Pair with ingress port port-a and egress port port-a is '
            'already used by another Port Pair pp-1.')
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.activate)
        self.assertIn('networking-sfc steers to a port for one rule only',
                      str(exc))
        self.assertEqual([], self.network.names('flow_classifier'))

    def test_conflict_409_is_a_refusal(self):
        self.network.errors[('create', 'port_chain')] = neutron_error(
            sdk_exc.ConflictException, 409, 'InvalidPortPairGroups',
            'Port Pair Group(s) [x] in use by Port Chain y.')
        exc = self.assertRaises(exception.TrafficRuleNotSupported,
                                self.activate)
        self.assertIn('in use by Port Chain y. (HTTP 409)', str(exc))

    def test_server_error_is_infra_error_and_keeps_what_was_made(self):
        self.network.errors[('create', 'port_chain')] = neutron_error(
            sdk_exc.HttpException, 500, 'Internal', 'Request Failed: '
            'internal server error while processing your request.')
        exc = self.assertRaises(exception.InfraError, self.activate)
        self.assertNotIsInstance(exc, exception.TrafficRuleNotSupported)
        self.assertEqual('The VIM failed: VIM edge: Request Failed: internal '
                         'server error while processing your request. '
                         '(HTTP 500)', str(exc))
        # Kept for the next activate or a deactivate.
        self.assertEqual([NAME], self.network.names('port_pair'))

    def test_incomplete_credentials_are_infra_error(self):
        @contextlib.contextmanager
        def sdk_connection(vim, timeout, interface):
            raise exception.Invalid(reason='the VIM has no credentials')
            yield

        self.patch(client, 'sdk_connection', sdk_connection)
        exc = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('VIM edge: ', str(exc))
        self.assertIn('the VIM has no credentials', str(exc))


class TestDeactivate(DriverTestCase):

    def test_with_what_activate_returned(self):
        realised = self.activate(filters(
            {'dstAddress': ['192.0.2.0/24', '198.51.100.0/24']}))
        self.network.calls = []
        self.driver.deactivate(None, VIM, INSTANCE, 'r1', realised)
        self.assertEqual(
            [('delete', 'port_chain', realised['port_chain_id']),
             ('delete', 'port_pair_group', realised['port_pair_group_id']),
             ('delete', 'port_pair', realised['port_pair_ids'][0])] +
            [('delete', 'flow_classifier', i)
             for i in realised['flow_classifier_ids']], self.network.calls)
        self.assertEqual({kind: {} for kind in KINDS}, self.network.objects)
        # Gone already (404): success.
        self.driver.deactivate(None, VIM, INSTANCE, 'r1', realised)

    def test_by_name(self):
        self.activate(filters({'dstAddress': ['192.0.2.0/24']},
                              {'dstAddress': ['198.51.100.0/24']}))
        self.activate(rule('r10', dstInterface={'interfaceType': 'IP',
                                                'dstIpAddress': '10.0.0.6'}))
        # A rule whose id looks like one of r1's classifiers.
        self.network.add('port_pair', name=NAME + '-fc0')
        self.network.add('flow_classifier', name=NAME + '-fc0-fc0')
        self.network.calls = []
        self.driver.deactivate(None, VIM, INSTANCE, 'r1')
        self.assertEqual(
            ['port_chain', 'port_pair_group', 'port_pair',
             'flow_classifier', 'flow_classifier'],
            [call[1] for call in self.network.calls])
        self.assertEqual({
            'flow_classifier': [NAME + '-fc0-fc0', NAME + '0-fc0'],
            'port_pair': [NAME + '-fc0', NAME + '0'],
            'port_pair_group': [NAME + '0'], 'port_chain': [NAME + '0']},
            {kind: self.network.names(kind) for kind in KINDS})
        self.network.calls = []
        self.driver.deactivate(None, VIM, INSTANCE, 'r1')
        self.assertEqual([], self.network.calls)

    def test_after_a_crash_before_the_chain(self):
        self.network.add('flow_classifier', name=NAME + '-fc0')
        self.network.add('port_pair', name=NAME)
        self.driver.deactivate(None, VIM, INSTANCE, 'r1')
        self.assertEqual({kind: {} for kind in KINDS}, self.network.objects)

    def test_realised_without_ids_is_by_name(self):
        self.activate()
        self.driver.deactivate(None, VIM, INSTANCE, 'r1', {})
        self.assertEqual({kind: {} for kind in KINDS}, self.network.objects)

    def test_partial_realised(self):
        self.driver.deactivate(None, VIM, INSTANCE, 'r1',
                               {'port_chain_id': None,
                                'flow_classifier_ids': ['gone']})
        self.assertEqual([('delete', 'flow_classifier', 'gone')],
                         self.network.calls)

    def test_neutron_error(self):
        realised = self.activate()
        self.network.errors[('delete', 'port_pair_group')] = neutron_error(
            sdk_exc.ConflictException, 409, 'PortPairGroupInUse',
            'Port Pair Group %s in use.' % realised['port_pair_group_id'])
        exc = self.assertRaises(exception.InfraError,
                                self.driver.deactivate, None, VIM, INSTANCE,
                                'r1', realised)
        self.assertEqual('The VIM failed: VIM edge: Port Pair Group %s in '
                         'use. (HTTP 409)' % realised['port_pair_group_id'],
                         str(exc))


class TestSdkConnection(base.TestCase):

    def test_region_and_interface_of_the_vim(self):
        session = object()

        @contextlib.contextmanager
        def vim_session(vim, timeout):
            yield session

        self.patch(client, 'vim_session', vim_session)
        connection = mock.Mock()
        self.patch(client.openstack.connection, 'Connection', connection)
        vim = dict(VIM, access=dict(VIM['access'], interface='internal'))
        with client.sdk_connection(vim, 5, 'public') as conn:
            self.assertIs(connection.return_value, conn)
        with client.sdk_connection(VIM, 5, 'public'):
            pass
        self.assertEqual(
            [mock.call(session=session, region_name='RegionOne',
                       interface='internal'),
             mock.call(session=session, region_name='RegionOne',
                       interface='public')], connection.call_args_list)
