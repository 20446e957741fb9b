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
"""Smoke test of a running lab, as the demo user.

Usage (with the heat venv's Python; ``tools/lab/lab smoke`` does this)::

    smoke.py PARAMS.json

Boots a server on the seeded network to ACTIVE, then creates a Heat stack
(OS::Neutron::Net + Subnet + Port + OS::Nova::Server) to CREATE_COMPLETE,
deletes both and prints the time of each step. Exits non-zero on failure.
"""

import sys
import time
import uuid

import labcommon
from labcommon import say

STACK_TEMPLATE = {
    'heat_template_version': '2018-08-31',
    'parameters': {
        'flavor': {'type': 'string'},
        'image': {'type': 'string'},
    },
    'resources': {
        'net': {'type': 'OS::Neutron::Net'},
        'subnet': {'type': 'OS::Neutron::Subnet', 'properties': {
            'network': {'get_resource': 'net'},
            'cidr': '192.168.77.0/24'}},
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
    },
}


class Timer:
    """Prints how long a step took."""

    def __init__(self, what):
        self.what = what
        self.start = None

    def __enter__(self):
        self.start = time.monotonic()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            say('  %-40s %6.1fs' % (self.what, time.monotonic() - self.start))


def smoke_server(conn, seed):
    """Boot a server to ACTIVE on the seeded network, then delete it."""
    flavor = conn.compute.find_flavor(seed['flavor'], ignore_missing=False)
    image = conn.image.find_image(seed['image'], ignore_missing=False)
    net = conn.network.find_network(seed['network'], ignore_missing=False)
    name = 'lab-smoke-%s' % uuid.uuid4().hex[:8]
    with Timer('server boot to ACTIVE'):
        server = conn.compute.create_server(
            name=name, flavor_id=flavor.id, image_id=image.id,
            networks=[{'uuid': net.id}])
        server = conn.compute.wait_for_server(server, status='ACTIVE',
                                              wait=120, interval=0.2)
    ports = list(conn.network.ports(device_id=server.id))
    if not ports or ports[0].status != 'ACTIVE':
        sys.exit('server port not ACTIVE: %s' % ports)
    with Timer('server delete'):
        conn.compute.delete_server(server)
        conn.compute.wait_for_delete(server, wait=120, interval=0.2)


def smoke_stack(conn, seed):
    """Create a Net+Subnet+Port+Server stack, then delete it."""
    name = 'lab-smoke-%s' % uuid.uuid4().hex[:8]
    with Timer('stack create to CREATE_COMPLETE'):
        stack = conn.orchestration.create_stack(
            name=name, template=STACK_TEMPLATE, timeout_mins=5,
            parameters={'flavor': seed['flavor'], 'image': seed['image']})
        stack = conn.orchestration.wait_for_status(
            stack, status='CREATE_COMPLETE', failures=['CREATE_FAILED'],
            interval=0.3, wait=300)
    server_id = stack.outputs[0]['output_value']
    server = conn.compute.get_server(server_id)
    if server.status != 'ACTIVE':
        sys.exit('stack server %s is %s' % (server_id, server.status))
    with Timer('stack delete to DELETE_COMPLETE'):
        conn.orchestration.delete_stack(stack)
        conn.orchestration.wait_for_delete(stack, interval=0.3, wait=300)


def main(argv):
    params = labcommon.load_params(argv[1])
    conn = labcommon.connection_for(params, 'demo')
    say('smoke test as %s/%s:' % (params['demo']['project_name'],
                                 params['demo']['username']))
    start = time.monotonic()
    smoke_server(conn, params['seed'])
    smoke_stack(conn, params['seed'])
    say('smoke test passed in %.1fs' % (time.monotonic() - start))


if __name__ == '__main__':
    main(sys.argv)
