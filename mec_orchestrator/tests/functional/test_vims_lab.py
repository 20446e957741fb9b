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
"""VIMs and MEC hosts against the real OpenStack lab (tools/lab).

The all-in-one runs as a process, as a user runs it, with its own state
directory: the key repository is created there on first use. The lab's
Keystone, Heat, Nova (one nova-compute in zone ``nova``), Neutron with
networking-sfc, Glance and Placement are registered as a VIM through the
API. Needs ``MEC_LAB_STATE`` (``tools/lab/lab run -- ...`` or
``MEC_LAB=1 tools/run-functional.sh``); without it the tests are skipped,
or fail under ``CI``.
"""

import os
import sqlite3
import stat


from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures
from mec_orchestrator.tests.functional import test_vims

WRONG_PASSWORD = 'not-the-lab-password-71d2'


class LabTestCase(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.password = self.lab.admin['password']

    def vim_body(self, **changes):
        admin = self.lab.admin
        body = {'name': 'lab', 'type': 'openstack',
                'auth_url': self.lab.auth_url, 'region': self.lab.region,
                'username': admin['username'], 'password': self.password,
                'project_name': admin['project_name'],
                'user_domain_name': admin.get('user_domain_name',
                                              'Default'),
                'project_domain_name': admin.get('project_domain_name',
                                                 'Default'),
                'site': 'lab-site', 'description': 'the OpenStack lab'}
        body.update(changes)
        return body


class TestLabVim(LabTestCase):

    def setUp(self):
        super().setUp()
        self.state_dir = os.path.join(self.tmp, 'state')
        self.aio = base.AllInOne(self, self.state_dir, {
            'DEFAULT': {'debug': 'true'},
            'vim': {'check_interval': 2, 'request_timeout': 15},
        })

    def hosts(self, vim_id):
        return self.aio.call('GET', '/v1/mec_hosts?vim_id=%s' % vim_id,
                             status=200).json()['mec_hosts']

    def sqlite_dump(self):
        path = os.path.join(self.state_dir, 'mec-orchestrator.sqlite')
        conn = sqlite3.connect(path)
        try:
            return '\n'.join(conn.iterdump())
        finally:
            conn.close()

    def raw_vims(self):
        path = os.path.join(self.state_dir, 'mec-orchestrator.sqlite')
        conn = sqlite3.connect(path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute('SELECT * FROM vims')]
        finally:
            conn.close()

    def test_register_discover_restart_and_no_password_anywhere(self):
        self.aio.start()
        aio = self.aio

        # Wrong password: Keystone's reason, and nothing stored.
        resp = aio.call('POST', '/v1/vims',
                        self.vim_body(password=WRONG_PASSWORD), status=400)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertIn('The request you have made requires authentication',
                      resp.json()['detail'])
        self.assertEqual([], aio.call('GET', '/v1/vims',
                                      status=200).json()['vims'])
        self.assertEqual([], self.raw_vims())

        # The lab as a VIM: reachable, with Heat, Nova and Neutron.
        vim = aio.call('POST', '/v1/vims', self.vim_body(),
                       status=201).json()
        self.assertEqual('REACHABLE', vim['status'], vim)
        caps = vim['capabilities']
        self.assertEqual(self.lab.region, caps['region'])
        for service in ('orchestration', 'compute', 'network', 'image',
                        'placement'):
            self.assertTrue(caps['services'][service], service)
        self.assertTrue(caps['sfc'], caps)
        self.assertEqual(self.lab.auth_url, vim['auth_url'])
        self.assertEqual('password', vim['auth_type'])

        # Its MEC host: zone nova, with the lab's compute host and
        # capacity from Placement.
        hosts = base.wait_for(lambda: self.hosts(vim['id']), timeout=60,
                              what='the lab\'s MEC hosts')
        self.assertEqual(['nova'], [h['zone'] for h in hosts])
        host = hosts[0]
        self.assertEqual('lab-nova', host['name'])
        self.assertEqual('lab-site', host['site'])
        if self.lab.compute_host:
            self.assertIn(self.lab.compute_host,
                          host['details']['compute_hosts'])
        self.assertEqual('placement', host['capacity_source'], host)
        self.assertGreater(host['capacity']['vcpus'], 0)
        self.assertGreater(host['capacity']['memory_mb'], 0)
        self.assertIsNotNone(host['usage']['vcpus'])

        # The operator's fields survive the periodic discovery.
        mine = {'location': {'latitude': 43.6, 'longitude': 1.44,
                             'area_id': 'toulouse', 'cell_ids': ['c-1'],
                             'country_code': 'FR',
                             'civic_address': [{'caType': 1,
                                                'caValue': 'Occitanie'}]},
                'mep_endpoint': 'https://mep.lab:8443/',
                'platform_services': [{'serName': 'rnis',
                                       'version': '2.2.1',
                                       'transport': 'REST_HTTP'}],
                'latencies': {'toulouse': 3}, 'name': 'lab-edge'}
        before = aio.call('PATCH', '/v1/mec_hosts/%s' % host['id'], mine,
                          status=200).json()
        after = base.wait_for(
            lambda: (lambda h: h if h['discovered_at'] !=
                     before['discovered_at'] else None)(
                aio.call('GET', '/v1/mec_hosts/%s' % host['id']).json()),
            timeout=30, what='a periodic discovery')
        for field, value in mine.items():
            self.assertEqual(value, after[field], field)

        # The all-in-one made its key repository, private.
        keys = os.path.join(self.state_dir, 'crypto-keys')
        self.assertEqual(0o700, stat.S_IMODE(os.stat(keys).st_mode))
        for name in os.listdir(keys):
            self.assertEqual(0o600, stat.S_IMODE(
                os.stat(os.path.join(keys, name)).st_mode))
        row = self.raw_vims()[0]
        self.assertTrue(row['credentials'].startswith('gAAAAA'), row)

        # Restart: the credentials decrypt and Keystone accepts them.
        self.assertEqual(0, aio.processes[0].stop(),
                         aio.processes[0].output())
        aio.start()
        vim = aio.call('POST', '/v1/vims/%s/check' % vim['id'],
                       status=200).json()
        self.assertEqual('REACHABLE', vim['status'], vim)
        self.assertEqual(1, len(self.hosts(vim['id'])))
        self.assertEqual(0, aio.processes[1].stop(),
                         aio.processes[1].output())

        texts = {'response %d' % i: r.text
                 for i, r in enumerate(aio.responses)}
        texts.update(aio.logs())
        texts['sqlite'] = self.sqlite_dump()
        self.assertIn('DEBUG', texts['all-in-one log 0'])
        test_vims.assert_no_secret(self, [self.password, WRONG_PASSWORD],
                                   texts)


class TestLabVimPolicy(LabTestCase):
    """Real Keystone tokens: admins manage VIMs, readers see hosts."""

    def setUp(self):
        super().setUp()
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'),
                                 base.keystone_sections(self.lab))
        self.aio.start()

    def _token(self, **roles):
        project = self.useFixture(lab_fixtures.LabProject(self.lab,
                                                          **roles))
        return project.session().get_token()

    def test_admin_registers_member_cannot_reader_sees_filtered(self):
        aio = self.aio
        admin = self._token(admin=True)
        member = self._token(reader=True)

        resp = aio.call('POST', '/v1/vims', self.vim_body(), token=member,
                        status=403)
        self.assertIn('mec:vim:create', resp.json()['detail'])
        aio.call('GET', '/v1/vims', token=member, status=403)

        vim = aio.call('POST', '/v1/vims', self.vim_body(), token=admin,
                       status=201).json()
        hosts = base.wait_for(
            lambda: aio.call('GET', '/v1/mec_hosts?vim_id=%s' % vim['id'],
                             token=admin).json()['mec_hosts'],
            timeout=60, what='MEC hosts')
        aio.call('PATCH', '/v1/mec_hosts/%s' % hosts[0]['id'],
                 {'mep_endpoint': 'https://mep.internal:8443/'},
                 token=admin, status=200)
        aio.call('PATCH', '/v1/mec_hosts/%s' % hosts[0]['id'],
                 {'enabled': False}, token=member, status=403)

        seen = aio.call('GET', '/v1/mec_hosts/%s' % hosts[0]['id'],
                        token=member, status=200).json()
        self.assertNotIn('mep_endpoint', seen)
        self.assertNotIn('details', seen)
        self.assertNotIn('mep.internal', str(seen))
        self.assertNotIn(self.lab.auth_url, str(seen))
        full = aio.call('GET', '/v1/mec_hosts/%s' % hosts[0]['id'],
                        token=admin, status=200).json()
        self.assertEqual('https://mep.internal:8443/', full['mep_endpoint'])
        aio.call('DELETE', '/v1/vims/%s' % vim['id'], token=admin,
                 status=204)
