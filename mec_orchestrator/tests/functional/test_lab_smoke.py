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
"""The OpenStack lab does what the orchestrator's VIM drivers rely on.

Each test works in its own project (:class:`lab.LabProject`) as a plain
member and checks what a user would see: a server reaches ACTIVE with an
address on the seeded network, a Heat stack of network, subnet, port and
server completes and its server runs, and networking-sfc chains ports.
"""

import ipaddress
import uuid

from openstack import exceptions as sdk_exc
import testtools

from mec_orchestrator.tests.functional import lab

#: The first boot or stack after the lab starts is slower (about 6 s and
#: 13 s); later ones take 1-4 s.
SERVER_TIMEOUT = 120
STACK_TIMEOUT = 300
POLL = 0.25

STACK_TEMPLATE = {
    'heat_template_version': '2018-08-31',
    'parameters': {
        'flavor': {'type': 'string'},
        'image': {'type': 'string'},
        'cidr': {'type': 'string'},
    },
    'resources': {
        'net': {'type': 'OS::Neutron::Net'},
        'subnet': {'type': 'OS::Neutron::Subnet', 'properties': {
            'network': {'get_resource': 'net'},
            'cidr': {'get_param': 'cidr'}}},
        'port': {'type': 'OS::Neutron::Port', 'properties': {
            'network': {'get_resource': 'net'},
            'fixed_ips': [{'subnet': {'get_resource': 'subnet'}}]}},
        'server': {'type': 'OS::Nova::Server', 'properties': {
            'flavor': {'get_param': 'flavor'},
            'image': {'get_param': 'image'},
            'networks': [{'port': {'get_resource': 'port'}}]}},
    },
    'outputs': {
        'server_id': {'value': {'get_resource': 'server'}},
        'port_id': {'value': {'get_resource': 'port'}},
        'net_id': {'value': {'get_resource': 'net'}},
    },
}


def _name(kind):
    return 'lab-smoke-%s-%s' % (kind, uuid.uuid4().hex[:8])


class LabTestCase(testtools.TestCase):
    """Runs as the member of a fresh project of the lab."""

    def setUp(self):
        super().setUp()
        self.lab = lab.require_lab(self)
        self.project = self.useFixture(lab.LabProject(self.lab))
        self.conn = self.project.connection()


class TestNova(LabTestCase):

    def test_server_boots_to_active_and_is_deleted(self):
        conn = self.conn
        flavor = conn.compute.find_flavor(self.lab.flavor,
                                          ignore_missing=False)
        image = conn.image.find_image(self.lab.image, ignore_missing=False)
        network = conn.network.find_network(self.lab.network,
                                            ignore_missing=False)
        subnet = conn.network.find_subnet(self.lab.subnet,
                                          ignore_missing=False)

        server = conn.compute.create_server(
            name=_name('server'), flavor_id=flavor.id, image_id=image.id,
            networks=[{'uuid': network.id}])
        server = conn.compute.wait_for_server(
            server, status='ACTIVE', wait=SERVER_TIMEOUT, interval=POLL)

        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(self.project.project_id, server.project_id)
        self.assertEqual(self.lab.flavor, server.flavor.name)
        addresses = server.addresses[self.lab.network]
        self.assertEqual(1, len(addresses))
        self.assertIn(ipaddress.ip_address(addresses[0]['addr']),
                      ipaddress.ip_network(subnet.cidr))
        ports = list(conn.network.ports(device_id=server.id))
        self.assertEqual(1, len(ports))
        self.assertEqual('ACTIVE', ports[0].status)
        self.assertEqual('compute:nova', ports[0].device_owner)

        # Another project does not see it.
        other = self.useFixture(lab.LabProject(self.lab)).connection()
        self.assertNotIn(server.id,
                         [s.id for s in other.compute.servers()])

        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=SERVER_TIMEOUT,
                                     interval=POLL)
        self.assertRaises(sdk_exc.NotFoundException,
                          conn.compute.get_server, server.id)
        self.assertEqual([], list(conn.network.ports(device_id=server.id)))


class TestHeat(LabTestCase):

    def test_stack_with_network_port_and_server(self):
        conn = self.conn
        stack = conn.orchestration.create_stack(
            name=_name('stack'), template=STACK_TEMPLATE, timeout_mins=5,
            parameters={'flavor': self.lab.flavor, 'image': self.lab.image,
                        'cidr': '192.168.%d.0/24' % (uuid.uuid4().int % 250)})
        stack = conn.orchestration.wait_for_status(
            stack, status='CREATE_COMPLETE', failures=['CREATE_FAILED'],
            interval=POLL, wait=STACK_TIMEOUT)

        self.assertEqual('CREATE_COMPLETE', stack.status,
                         stack.status_reason)
        outputs = {o['output_key']: o['output_value'] for o in stack.outputs}
        server = conn.compute.get_server(outputs['server_id'])
        self.assertEqual('ACTIVE', server.status)
        port = conn.network.get_port(outputs['port_id'])
        self.assertEqual(server.id, port.device_id)
        self.assertEqual(outputs['net_id'], port.network_id)
        self.assertEqual('ACTIVE', port.status)
        resources = {r.name: r.status
                     for r in conn.orchestration.resources(stack)}
        self.assertEqual({'net': 'CREATE_COMPLETE',
                          'subnet': 'CREATE_COMPLETE',
                          'port': 'CREATE_COMPLETE',
                          'server': 'CREATE_COMPLETE'}, resources)

        conn.orchestration.delete_stack(stack)
        conn.orchestration.wait_for_delete(stack, interval=POLL,
                                           wait=STACK_TIMEOUT)
        self.assertRaises(sdk_exc.NotFoundException,
                          conn.compute.get_server, outputs['server_id'])
        self.assertIsNone(conn.network.find_network(outputs['net_id']))


class TestNetworkingSfc(LabTestCase):

    def test_port_chain(self):
        net = self.conn.network
        network = net.create_network(name=_name('net'))
        self.addCleanup(net.delete_network, network)
        net.create_subnet(network_id=network.id, ip_version=4,
                          cidr='10.99.0.0/24', name=_name('subnet'))
        device = str(uuid.uuid4())

        def port(name, device_id=''):
            created = net.create_port(network_id=network.id, name=name,
                                      device_id=device_id)
            self.addCleanup(net.delete_port, created)
            return created

        source = port('source')
        ingress = port('sf-in', device)
        egress = port('sf-out', device)

        pair = net.create_sfc_port_pair(name=_name('pp'),
                                        ingress=ingress.id,
                                        egress=egress.id)
        self.addCleanup(net.delete_sfc_port_pair, pair)
        group = net.create_sfc_port_pair_group(name=_name('ppg'),
                                               port_pairs=[pair.id])
        self.addCleanup(net.delete_sfc_port_pair_group, group)
        classifier = net.create_sfc_flow_classifier(
            name=_name('fc'), ethertype='IPv4', protocol='tcp',
            destination_port_range_min=80, destination_port_range_max=80,
            logical_source_port=source.id)
        self.addCleanup(net.delete_sfc_flow_classifier, classifier)
        chain = net.create_sfc_port_chain(
            name=_name('pc'), port_pair_groups=[group.id],
            flow_classifiers=[classifier.id])
        self.addCleanup(net.delete_sfc_port_chain, chain)

        listed = {c.id: c for c in net.sfc_port_chains()}
        self.assertIn(chain.id, listed)
        self.assertEqual([group.id], listed[chain.id].port_pair_groups)
        self.assertEqual([classifier.id], listed[chain.id].flow_classifiers)
        self.assertEqual([pair.id],
                         net.get_sfc_port_pair_group(group).port_pairs)

        # A classifier that overlaps the first one is refused.
        error = self.assertRaises(
            sdk_exc.BadRequestException, net.create_sfc_flow_classifier,
            name=_name('fc2'), ethertype='IPv4', protocol='tcp',
            destination_port_range_min=80, destination_port_range_max=80,
            logical_source_port=source.id)
        self.assertIn('conflicts', str(error))
