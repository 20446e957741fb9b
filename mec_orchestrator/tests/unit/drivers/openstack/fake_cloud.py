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
"""A tiny OpenStack over real HTTP, for the OpenStack VIM driver's tests.

It answers what the driver asks: Keystone v3 password and application
credential authentication (with a catalog), Nova's availability zones,
hypervisors and aggregates, Placement's inventories and usages, and
Neutron's extensions. Tests change :attr:`FakeCloud.state` to shape the
answers and read :attr:`FakeCloud.requests` to see what was asked.
"""

import http.server
import json
import threading

import fixtures
from keystoneauth1 import fixture as ks_fixture

PASSWORD = 'right-password'
APP_CRED_ID = 'app-cred-id'
APP_CRED_SECRET = 'app-cred-secret'

UNAUTHORIZED = {'error': {'code': 401, 'title': 'Unauthorized',
                          'message': 'The request you have made requires '
                                     'authentication.'}}


def default_state():
    """A cloud with one region, every service, one zone and one host."""
    return {
        'regions': ['RegionOne'],
        'services': ['identity', 'compute', 'orchestration', 'network',
                     'image', 'placement'],
        'extensions': ['sfc', 'flow_classifier', 'router'],
        'zones': {'nova': ['compute-1', 'compute-2'],
                  'internal': []},
        'hypervisors': [
            {'id': 'rp-1', 'hypervisor_hostname': 'node-1',
             'service': {'host': 'compute-1', 'id': 's1'},
             'state': 'up', 'status': 'enabled', 'vcpus': 8,
             'vcpus_used': 2, 'memory_mb': 16384, 'memory_mb_used': 4096,
             'local_gb': 100, 'local_gb_used': 10},
            {'id': 'rp-2', 'hypervisor_hostname': 'node-2',
             'service': {'host': 'compute-2', 'id': 's2'},
             'state': 'up', 'status': 'enabled', 'vcpus': 4,
             'vcpus_used': 1, 'memory_mb': 8192, 'memory_mb_used': 1024,
             'local_gb': 50, 'local_gb_used': 5},
        ],
        'aggregates': [],
        'inventories': {
            'rp-1': {'VCPU': {'total': 8, 'reserved': 0,
                              'allocation_ratio': 4.0},
                     'MEMORY_MB': {'total': 16384, 'reserved': 512,
                                   'allocation_ratio': 1.0},
                     'DISK_GB': {'total': 100, 'reserved': 0,
                                 'allocation_ratio': 1.0}},
            'rp-2': {'VCPU': {'total': 4, 'reserved': 0,
                              'allocation_ratio': 1.0},
                     'MEMORY_MB': {'total': 8192, 'reserved': 0,
                                   'allocation_ratio': 1.5},
                     'DISK_GB': {'total': 50, 'reserved': 0,
                                 'allocation_ratio': 1.0}},
        },
        'usages': {'rp-1': {'VCPU': 3, 'MEMORY_MB': 2048, 'DISK_GB': 20},
                   'rp-2': {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}},
        #: Path prefixes answered with 403.
        'forbidden': [],
        #: Path prefixes answered with 503.
        'broken': [],
        #: Hypervisors per page (paging with next links).
        'page_size': None,
        #: Neutron's catalog URL ends with /v2.0.
        'versioned_network': False,
    }


class _Handler(http.server.BaseHTTPRequestHandler):

    def log_message(self, *args):
        pass

    @property
    def cloud(self):
        return self.server.cloud

    def _reply(self, status, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b''
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = json.loads(self.rfile.read(length) or b'{}')
        self.cloud.requests.append(('POST', self.path, dict(self.headers)))
        if self.path != '/identity/v3/auth/tokens':
            return self._reply(404, {'error': {'message': 'Not Found'}})
        identity = body['auth']['identity']
        if 'password' in identity['methods']:
            ok = identity['password']['user']['password'] == PASSWORD
        else:
            cred = identity['application_credential']
            ok = (cred.get('id') == APP_CRED_ID and
                  cred.get('secret') == APP_CRED_SECRET)
        self.cloud.auth_bodies.append(body)
        if not ok:
            return self._reply(401, UNAUTHORIZED)
        return self._reply(201, self.cloud.token(),
                           [('X-Subject-Token', 'fake-token')])

    def do_GET(self):
        self.cloud.requests.append(('GET', self.path, dict(self.headers)))
        state = self.cloud.state
        path = self.path.split('?')[0]
        if any(path.startswith(p) for p in state['broken']):
            return self._reply(503, {'error': {'message': 'down'}})
        if any(path.startswith(p) for p in state['forbidden']):
            return self._reply(403, {'error': {'message': 'Policy says '
                                               'no'}})
        route = self.cloud.route(path, self.path)
        if route is None:
            return self._reply(404, {'error': {'message': 'Not Found'}})
        return self._reply(200, route)


class FakeCloud(fixtures.Fixture):
    """The fake cloud, on 127.0.0.1, for the length of a test."""

    def _setUp(self):
        self.state = default_state()
        self.requests = []
        self.auth_bodies = []
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      _Handler)
        self.server.cloud = self
        self.url = 'http://127.0.0.1:%d' % self.server.server_port
        #: What a VIM gives as its auth URL.
        self.auth_url = self.url + '/identity/v3'
        thread = threading.Thread(target=self.server.serve_forever,
                                  daemon=True)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    def endpoint(self, service_type):
        if service_type == 'network':
            return self.url + ('/network/v2.0'
                               if self.state['versioned_network']
                               else '/network')
        return {'identity': self.url + '/identity/v3',
                'compute': self.url + '/compute/v2.1',
                'orchestration': self.url + '/heat/v1/p1',
                'image': self.url + '/image',
                'placement': self.url + '/placement',
                'dns': self.url + '/dns'}[service_type]

    def token(self):
        token = ks_fixture.V3Token(user_id='u1', user_name='admin',
                                   project_id='p1', project_name='admin')
        for service_type in self.state['services']:
            service = token.add_service(service_type)
            for region in self.state['regions']:
                service.add_standard_endpoints(
                    public=self.endpoint(service_type), region=region)
        return token

    def route(self, path, full_path):
        state = self.state
        if path == '/compute/v2.1/os-availability-zone/detail':
            zones = []
            for name, hosts in state['zones'].items():
                services = ({'nova-conductor': {}} if name == 'internal'
                            else {'nova-compute': {'available': True}})
                zones.append({'zoneName': name,
                              'zoneState': {'available': True},
                              'hosts': {h: services for h in
                                        hosts or ['controller']}})
            return {'availabilityZoneInfo': zones}
        if path == '/compute/v2.1/os-availability-zone':
            return {'availabilityZoneInfo': [
                {'zoneName': name, 'zoneState': {'available': True},
                 'hosts': None}
                for name in state['zones'] if name != 'internal']}
        if path == '/compute/v2.1/os-hypervisors/detail':
            return self._hypervisors(full_path)
        if path == '/compute/v2.1/os-aggregates':
            return {'aggregates': state['aggregates']}
        if path.startswith('/placement/resource_providers/'):
            rp, what = path.split('/')[3:5]
            if rp not in state['inventories']:
                return None
            if what == 'inventories':
                return {'inventories': state['inventories'][rp]}
            return {'usages': state['usages'].get(rp, {})}
        if path == '/network/v2.0/extensions':
            return {'extensions': [{'alias': a, 'name': a}
                                   for a in state['extensions']]}
        return None

    def _hypervisors(self, full_path):
        hypervisors = self.state['hypervisors']
        size = self.state['page_size']
        if not size:
            return {'hypervisors': hypervisors}
        start = 0
        if 'marker=' in full_path:
            marker = full_path.split('marker=')[1].split('&')[0]
            start = [h['id'] for h in hypervisors].index(marker) + 1
        page = hypervisors[start:start + size]
        body = {'hypervisors': page}
        if start + size < len(hypervisors):
            body['hypervisors_links'] = [{
                'rel': 'next',
                'href': '%s/compute/v2.1/os-hypervisors/detail?limit=%d&'
                        'marker=%s' % (self.url, size, page[-1]['id'])}]
        return body
