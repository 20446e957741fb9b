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
"""The networking-sfc traffic driver against the lab's Neutron (tools/lab).

In a fresh project the test makes a network and two ports bound to one
device (what Nova does for a server's ports), activates MEC traffic rules
on them and checks with openstacksdk, as the project's user, the port
chains, port pair groups, port pairs and flow classifiers that Neutron
holds. Needs ``MEC_LAB_STATE`` (``tools/lab/lab run -- ...``); without it
the tests are skipped, or fail under ``CI``.
"""

import uuid

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers import base as drivers_base
from mec_orchestrator.drivers.openstack import traffic
from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures
from mec_orchestrator.tests.functional import test_infra_lab

CONF = conf.CONF


def rule(rule_id='r1', action='FORWARD_DECAPSULATED', priority=5, **filt):
    return {'trafficRuleId': rule_id, 'filterType': 'FLOW',
            'priority': priority, 'action': action, 'state': 'ACTIVE',
            'trafficFilter': [filt or {'dstAddress': ['10.9.0.0/24'],
                                       'dstPort': ['80'],
                                       'protocol': ['TCP']}]}


class TrafficLabTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.project = self.useFixture(lab_fixtures.LabProject(
            self.lab, prefix='mec-traffic'))
        self.conn = self.project.connection()
        self.net = self.conn.network
        # The lab may be busy with other runs.
        self.config(request_timeout=60, group='vim')
        self.driver = traffic.SfcTrafficDriver(CONF)
        network = self.net.create_network(name='mec-traffic-net')
        self.net.create_subnet(network_id=network.id, ip_version=4,
                               cidr='10.42.0.0/24')
        device = str(uuid.uuid4())
        self.ports = [self.net.create_port(network_id=network.id,
                                           device_id=device,
                                           name='app-cp%d' % i)
                      for i in range(2)]
        self.instance = {
            'id': str(uuid.uuid4()),
            'vim_resources': {
                'ports': [{'id': p.id, 'network_id': p.network_id,
                           'fixed_ips': p.fixed_ips} for p in self.ports],
                'servers': [{'id': device, 'name': 'app', 'status': 'ACTIVE',
                             'addresses': {}}]}}
        self.prefix = drivers_base.resource_name(self.instance['id'])

    #: The VIM of the test's project, as the infrastructure tests build it.
    vim = test_infra_lab.InfraLabTestCase.vim

    def objects(self, rule_id):
        """The names of the SFC objects of a rule, by kind."""
        name = self.prefix + '-' + rule_id
        return {
            'chains': [c.name for c in self.net.sfc_port_chains(name=name)],
            'groups': [g.name for g in self.net.sfc_port_pair_groups(
                name=name)],
            'pairs': [p.name for p in self.net.sfc_port_pairs(name=name)],
            'classifiers': sorted(
                c.name for c in self.net.sfc_flow_classifiers()
                if c.name.startswith(name + '-fc'))}

    def assertNothing(self, rule_id):
        self.assertEqual({'chains': [], 'groups': [], 'pairs': [],
                          'classifiers': []}, self.objects(rule_id))


class TestActivateDeactivate(TrafficLabTestCase):

    def test_forward_rule_lifecycle(self):
        port = self.ports[0]
        name = self.prefix + '-r1'
        realised = self.driver.activate(None, self.vim, self.instance,
                                        rule())

        chain = self.net.get_sfc_port_chain(realised['port_chain_id'])
        self.assertEqual(name, chain.name)
        self.assertIn('priority 5', chain.description)
        self.assertIn('FORWARD_DECAPSULATED', chain.description)
        self.assertEqual([realised['port_pair_group_id']],
                         chain.port_pair_groups)
        self.assertEqual(realised['flow_classifier_ids'],
                         chain.flow_classifiers)
        self.assertFalse(chain.chain_parameters['symmetric'])
        group = self.net.get_sfc_port_pair_group(
            realised['port_pair_group_id'])
        self.assertEqual(name, group.name)
        self.assertEqual(realised['port_pair_ids'], group.port_pairs)
        self.assertEqual(1, len(realised['port_pair_ids']))
        pair = self.net.get_sfc_port_pair(realised['port_pair_ids'][0])
        self.assertEqual((name, port.id, port.id),
                         (pair.name, pair.ingress, pair.egress))
        self.assertEqual(1, len(realised['flow_classifier_ids']))
        classifier = self.net.get_sfc_flow_classifier(
            realised['flow_classifier_ids'][0])
        self.assertEqual(
            (name + '-fc0', 'IPv4', 'tcp', None, '10.9.0.0/24', None, None,
             80, 80, port.id, None),
            (classifier.name, classifier.ethertype, classifier.protocol,
             classifier.source_ip_prefix, classifier.destination_ip_prefix,
             classifier.source_port_range_min,
             classifier.source_port_range_max,
             classifier.destination_port_range_min,
             classifier.destination_port_range_max,
             classifier.logical_source_port,
             classifier.logical_destination_port))

        # Again, as after a crash before the result was recorded.
        again = self.driver.activate(None, self.vim, self.instance, rule())
        self.assertEqual(realised, again)
        self.assertEqual({'chains': [name], 'groups': [name],
                          'pairs': [name], 'classifiers': [name + '-fc0']},
                         self.objects('r1'))

        self.driver.deactivate(None, self.vim, self.instance, 'r1',
                               realised)
        self.assertNothing('r1')
        # Nothing left to delete, by ids or by name.
        self.driver.deactivate(None, self.vim, self.instance, 'r1',
                               realised)
        self.driver.deactivate(None, self.vim, self.instance, 'r1')

    def test_deactivate_by_name_and_changed_rule(self):
        self.driver.activate(None, self.vim, self.instance, rule())
        changed = rule(dstAddress=['10.9.0.0/24', '10.8.0.0/24'],
                       dstPort=['8000-8080'])
        realised = self.driver.activate(None, self.vim, self.instance,
                                        changed)
        # Ports without a protocol: TCP and UDP.
        self.assertEqual(4, len(realised['flow_classifier_ids']))
        self.assertEqual(
            {(prefix, protocol, 8000, 8080)
             for prefix in ('10.9.0.0/24', '10.8.0.0/24')
             for protocol in ('tcp', 'udp')},
            {(c.destination_ip_prefix, c.protocol,
              c.destination_port_range_min, c.destination_port_range_max)
             for c in self.net.sfc_flow_classifiers()})
        chain = self.net.get_sfc_port_chain(realised['port_chain_id'])
        self.assertEqual(sorted(realised['flow_classifier_ids']),
                         sorted(chain.flow_classifiers))
        self.assertEqual(realised, self.driver.activate(
            None, self.vim, self.instance, changed))
        self.assertEqual(1, len(self.objects('r1')['chains']))

        self.driver.deactivate(None, self.vim, self.instance, 'r1')
        self.assertNothing('r1')
        self.assertEqual([], list(self.net.sfc_flow_classifiers()))


class TestRefusals(TrafficLabTestCase):

    def test_overlapping_rules(self):
        self.driver.activate(None, self.vim, self.instance, rule())
        first = self.prefix + '-r1-fc0'

        # The same classification port: the classifier is refused.
        exc = self.assertRaises(
            exception.TrafficRuleNotSupported, self.driver.activate, None,
            self.vim, self.instance, rule('r2', priority=9,
                                          dstAddress=['10.9.0.0/16']))
        self.assertIn('Traffic rule r2 cannot be realised', str(exc))
        self.assertIn('conflicts with', str(exc))
        self.assertIn(first, str(exc))
        self.assertIn('whatever the priorities', str(exc))
        self.assertNotIn(self.project.password, str(exc))
        self.assertNothing('r2')

        # From the other port: the classifier is made, the chain refused.
        other = self.ports[1].fixed_ips[0]['ip_address']
        overlapping = rule('r3', srcAddress=[other],
                           dstAddress=['10.9.0.128/25'])
        overlapping['dstInterface'] = {'interfaceType': 'IP',
                                       'dstIpAddress': other}
        exc = self.assertRaises(
            exception.TrafficRuleNotSupported, self.driver.activate, None,
            self.vim, self.instance, overlapping)
        self.assertIn('Traffic rule r3 cannot be realised', str(exc))
        self.assertIn('in port chain', str(exc))
        self.assertIn(self.prefix + '-r1', str(exc))
        self.assertNothing('r3')
        self.assertEqual(1, len(self.objects('r1')['chains']))

    def test_second_rule_on_the_same_port(self):
        self.driver.activate(None, self.vim, self.instance, rule())
        exc = self.assertRaises(
            exception.TrafficRuleNotSupported, self.driver.activate, None,
            self.vim, self.instance, rule('r2', protocol=['udp'],
                                          dstPort=['53']))
        self.assertIn('is already used by another Port Pair', str(exc))
        self.assertIn('one rule only', str(exc))
        self.assertNothing('r2')

    def test_duplicate_is_not_supported(self):
        for action in ('DUPLICATE_DECAPSULATED', 'DROP'):
            exc = self.assertRaises(
                exception.TrafficRuleNotSupported, self.driver.activate,
                None, self.vim, self.instance, rule('dup', action=action))
            self.assertIn('Traffic rule dup cannot be realised: action %s'
                          % action, str(exc))
        self.assertNothing('dup')
