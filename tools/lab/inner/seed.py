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
"""Seed the lab and wait for it, from one Python process per step.

Usage (with the heat venv's Python; the lab tool does this)::

    seed.py PARAMS.json identity          # users, roles, catalog
    seed.py PARAMS.json resources         # flavor, image, network
    seed.py PARAMS.json wait SINCE        # every service reports in

Each step is idempotent: what exists already is reused. ``SINCE`` is a UTC
``YYYY-mm-ddTHH:MM:SS`` time; services must have reported after it.
"""

import sys
import time

from keystoneauth1 import exceptions as ks_exc

import labcommon
from labcommon import say


class Identity:
    """Find-or-create helpers over Keystone's v3 REST API."""

    def __init__(self, sess, auth_url):
        self.sess = sess
        self.base = auth_url.rstrip('/')

    def find(self, collection, name, **params):
        params['name'] = name
        resp = self.sess.get(self.base + '/' + collection, params=params)
        items = resp.json()[collection]
        return items[0] if items else None

    def ensure(self, collection, name, body=None, **params):
        found = self.find(collection, name, **params)
        if found:
            return found
        member = collection[:-1]
        doc = {'name': name}
        doc.update(body or {})
        resp = self.sess.post(self.base + '/' + collection,
                              json={member: doc})
        return resp.json()[member]

    def grant(self, role, user, project=None, domain=None):
        target = ('projects/%s' % project['id'] if project
                  else 'domains/%s' % domain['id'])
        self.sess.put('%s/%s/users/%s/roles/%s' % (
            self.base, target, user['id'], role['id']))

    def endpoint(self, service, interface, url, region):
        resp = self.sess.get(self.base + '/endpoints', params={
            'service_id': service['id'], 'interface': interface})
        if resp.json()['endpoints']:
            return
        self.sess.post(self.base + '/endpoints', json={'endpoint': {
            'service_id': service['id'], 'interface': interface,
            'url': url, 'region_id': region}})


#: (service type, name, params key of the endpoint URL)
CATALOG = (
    ('compute', 'nova', 'compute'),
    ('placement', 'placement', 'placement'),
    ('image', 'glance', 'image'),
    ('network', 'neutron', 'network'),
    ('orchestration', 'heat', 'orchestration'),
)

SERVICE_USERS = ('nova', 'neutron', 'glance', 'placement', 'heat')


def identity(params):
    """Projects, users, roles, the heat domain and the service catalog."""
    sess = labcommon.session_for(params)
    idm = Identity(sess, params['auth_url'])
    labcommon.poll('a Keystone token', lambda: sess.get_token(), 60)
    roles = {name: idm.ensure('roles', name)
             for name in ('admin', 'member', 'reader', 'service',
                          'heat_stack_owner', 'heat_stack_user')}
    default = {'domain_id': 'default'}
    service_project = idm.ensure('projects', 'service', default)
    demo = params['demo']
    demo_project = idm.ensure('projects', demo['project_name'], default)
    demo_user = idm.ensure('users', demo['username'], {
        'domain_id': 'default', 'password': demo['password'],
        'default_project_id': demo_project['id']})
    idm.grant(roles['member'], demo_user, project=demo_project)
    for name in SERVICE_USERS:
        user = idm.ensure('users', name, {
            'domain_id': 'default',
            'password': params['service_password']})
        idm.grant(roles['admin'], user, project=service_project)
        idm.grant(roles['service'], user, project=service_project)
    heat_domain = idm.ensure('domains', 'heat',
                             {'description': 'Heat stack users'})
    heat_admin = idm.ensure('users', 'heat_domain_admin', {
        'domain_id': heat_domain['id'],
        'password': params['heat_domain_admin_password']},
        domain_id=heat_domain['id'])
    idm.grant(roles['admin'], heat_admin, domain=heat_domain)
    for stype, name, key in CATALOG:
        service = idm.ensure('services', name, {'type': stype})
        for interface in ('public', 'internal', 'admin'):
            idm.endpoint(service, interface, params['endpoints'][key],
                         params['region'])
    say('identity seeded: projects admin, service, %s; users admin, %s, %s'
        % (demo['project_name'], demo['username'], ', '.join(SERVICE_USERS)))


def _api_up(sess, service_type, path='/'):
    def check():
        resp = sess.get(path, endpoint_filter={'service_type': service_type},
                        raise_exc=False)
        return resp.status_code < 500
    return check


def resources(params):
    """Flavor, image and shared network the tests expect."""
    sess = labcommon.session_for(params)
    seed = params['seed']
    for stype, path in (('compute', '/flavors'), ('image', '/v2/images'),
                        ('network', '/v2.0/networks')):
        labcommon.poll('the %s API' % stype, _api_up(sess, stype, path), 120)

    compute = {'service_type': 'compute'}
    flavors = sess.get('/flavors', endpoint_filter=compute).json()['flavors']
    if not any(f['name'] == seed['flavor'] for f in flavors):
        sess.post('/flavors', endpoint_filter=compute, json={'flavor': {
            'name': seed['flavor'], 'id': '1', 'ram': 512, 'vcpus': 1,
            'disk': 1}})

    image_ep = {'service_type': 'image'}
    images = sess.get('/v2/images', endpoint_filter=image_ep,
                      params={'name': seed['image']}).json()['images']
    if images:
        image = images[0]
    else:
        image = sess.post('/v2/images', endpoint_filter=image_ep, json={
            'name': seed['image'], 'disk_format': 'raw',
            'container_format': 'bare', 'visibility': 'public',
            'min_disk': 0, 'min_ram': 0}).json()
    if image['status'] != 'active':
        sess.put('/v2/images/%s/file' % image['id'],
                 endpoint_filter=image_ep, data=b'\0' * 1024,
                 headers={'Content-Type': 'application/octet-stream'})

    net_ep = {'service_type': 'network'}
    nets = sess.get('/v2.0/networks', endpoint_filter=net_ep,
                    params={'name': seed['network']}).json()['networks']
    if nets:
        net = nets[0]
    else:
        net = sess.post('/v2.0/networks', endpoint_filter=net_ep, json={
            'network': {'name': seed['network'], 'shared': True}}
        ).json()['network']
    subnets = sess.get('/v2.0/subnets', endpoint_filter=net_ep,
                       params={'name': seed['subnet']}).json()['subnets']
    if not subnets:
        sess.post('/v2.0/subnets', endpoint_filter=net_ep, json={'subnet': {
            'name': seed['subnet'], 'network_id': net['id'],
            'ip_version': 4, 'cidr': seed['subnet_cidr']}})
    say('resources seeded: flavor %s, image %s, network %s/%s' % (
        seed['flavor'], seed['image'], seed['network'], seed['subnet']))


def _newer(stamp, since):
    return bool(stamp) and stamp.replace(' ', 'T')[:19] >= since


def wait(params, since, timeout=240):
    """Wait until every service answers and has reported after ``since``."""
    sess = labcommon.session_for(params)
    seed = params['seed']
    labcommon.poll('a Keystone token', lambda: sess.get_token(), timeout)
    compute = {'service_type': 'compute'}

    def nova_services():
        services = sess.get('/os-services', endpoint_filter=compute,
                            raise_exc=False)
        if services.status_code != 200:
            return False
        fresh = {s['binary'] for s in services.json()['services']
                 if s['state'] == 'up' and _newer(s['updated_at'], since)}
        return {'nova-compute', 'nova-scheduler',
                'nova-conductor'} <= fresh

    def hypervisor():
        resp = sess.get('/os-hypervisors', endpoint_filter=compute,
                        raise_exc=False)
        return resp.status_code == 200 and resp.json()['hypervisors']

    def resource_provider():
        resp = sess.get('/resource_providers',
                        endpoint_filter={'service_type': 'placement'},
                        raise_exc=False)
        return (resp.status_code == 200 and
                resp.json()['resource_providers'])

    def heat_engine():
        resp = sess.get('/services',
                        endpoint_filter={'service_type': 'orchestration'},
                        raise_exc=False)
        if resp.status_code != 200:
            return False
        return any(_newer(s.get('updated_at') or s.get('created_at'), since)
                   for s in resp.json()['services'])

    def image_active():
        resp = sess.get('/v2/images', endpoint_filter={'service_type':
                                                       'image'},
                        params={'name': seed['image']}, raise_exc=False)
        return (resp.status_code == 200 and
                any(i['status'] == 'active' for i in resp.json()['images']))

    def network():
        resp = sess.get('/v2.0/networks',
                        endpoint_filter={'service_type': 'network'},
                        params={'name': seed['network']}, raise_exc=False)
        return resp.status_code == 200 and resp.json()['networks']

    def sfc():
        resp = sess.get('/v2.0/sfc/port_chains',
                        endpoint_filter={'service_type': 'network'},
                        raise_exc=False)
        return resp.status_code == 200

    start = time.monotonic()
    for what, check in (('glance (image %s)' % seed['image'], image_active),
                        ('neutron (network %s)' % seed['network'], network),
                        ('networking-sfc', sfc),
                        ('placement (compute resource provider)',
                         resource_provider),
                        ('nova services reporting', nova_services),
                        ('a nova hypervisor', hypervisor),
                        ('heat-engine reporting', heat_engine)):
        labcommon.poll(what, check, timeout)
        say('  %-40s ready at +%.1fs' % (what, time.monotonic() - start))
    say('all services ready (%.1fs of waiting)' % (time.monotonic() - start))


def compute_registered(params, timeout=120):
    """Wait until nova-compute has created its service record."""
    sess = labcommon.session_for(params)

    def check():
        resp = sess.get('/os-services', endpoint_filter={
            'service_type': 'compute'}, params={'binary': 'nova-compute'},
            raise_exc=False)
        return resp.status_code == 200 and resp.json()['services']
    labcommon.poll('nova-compute to register', check, timeout)


def main(argv):
    params = labcommon.load_params(argv[1])
    step = argv[2]
    try:
        if step == 'identity':
            identity(params)
        elif step == 'resources':
            resources(params)
            compute_registered(params)
        elif step == 'wait':
            wait(params, argv[3])
        else:
            sys.exit('unknown step %r' % step)
    except ks_exc.HttpError as exc:
        sys.exit('%s failed: HTTP %s %s' % (step, exc.http_status,
                                            exc.response.text[:500]
                                            if exc.response is not None
                                            else exc))


if __name__ == '__main__':
    main(sys.argv)
