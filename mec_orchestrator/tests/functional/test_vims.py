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
"""VIMs through the API, RabbitMQ and a real conductor process.

Runs without the OpenStack lab: a Keystone on a closed port is unreachable
(400, or stored UNREACHABLE with ``force``), and the unit tests' fake
OpenStack, served over real HTTP from this process, stands in for a
reachable VIM. The conductor is a separate process on RabbitMQ and
MariaDB; its key repository is made by ``mec-orchestrator-keys setup``.
The credentials survive a restart of the conductor, and no secret shows in
a response, a log or a database row.
"""

import os
import stat
import subprocess
import sys
import time

import sqlalchemy as sa
import webtest

from mec_orchestrator.api import app
from mec_orchestrator.common import rpc
from mec_orchestrator.db import migration
from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.unit.drivers.openstack import fake_cloud

PASSWORD = fake_cloud.PASSWORD
WRONG_PASSWORD = 'wrong-functional-pw-8c1f'
K8S_TOKEN = 'k8s-functional-token-55aa'


def run_script(name, *args):
    """Run a console script of the project; return the CompletedProcess."""
    script = os.path.join(os.path.dirname(sys.executable), name)
    return subprocess.run([script] + list(args), capture_output=True,
                          text=True, timeout=120, check=False)


def assert_no_secret(test, secrets, texts):
    """Fail naming where a secret shows.

    :param test: the test case.
    :param secrets: the secrets.
    :param texts: a dict of where -> text.
    """
    for where, text in texts.items():
        for secret in secrets:
            test.assertNotIn(secret, text, '%s shows a secret' % where)


def wait_status(api, vim_id, status, timeout=60):
    """Poll GET /v1/vims/{id} until the VIM has a status."""
    return base.wait_for(
        lambda: (lambda v: v if v['status'] == status else None)(
            api.get('/v1/vims/%s' % vim_id).json),
        timeout=timeout, what='VIM %s to be %s' % (vim_id, status))


class TestVimsOverRabbitMQ(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        transport_url = base.rabbit_url(self)
        exchange = base.bus_exchange()
        db = self.useFixture(base.MySQLDatabase(base.mysql_admin_url(self)))
        self.db_url = db.url
        self.cloud = self.useFixture(fake_cloud.FakeCloud())
        self.keys = os.path.join(self.tmp, 'keys')
        self.host = 'conductor-vims-%d' % os.getpid()
        self.conf_file = os.path.join(self.tmp, 'mec.conf')
        base.write_config(self.conf_file, {
            'DEFAULT': {'transport_url': transport_url, 'host': self.host,
                        'control_exchange': exchange,
                        'debug': 'true'},
            'database': {'connection': db.url},
            'conductor': {'topic': exchange,
                          'heartbeat_interval': 1, 'heartbeat_timeout': 5,
                          'rpc_timeout': 20},
            'crypto': {'key_repository': self.keys},
            'vim': {'check_interval': 1, 'request_timeout': 3},
        })
        self.config(connection=db.url, group='database')
        self.useFixture(base.DatabaseEngine(db.url))
        migration.upgrade()
        rpc.register_opts()
        self.config(rpc_transport='oslo', transport_url=transport_url,
                    control_exchange=exchange)
        self.config(topic=exchange, rpc_timeout=20, heartbeat_timeout=5,
                    group='conductor')
        self.api = webtest.TestApp(app.setup_app())
        self.responses = []
        self.conductors = []

    def start_conductor(self):
        index = len(self.conductors)
        conductor = self.useFixture(base.ServiceProcess(
            ['mec-orchestrator-conductor', '--config-file', self.conf_file],
            os.path.join(self.tmp, 'conductor-%d.log' % index)))
        self.conductors.append(conductor)

        def answers():
            resp = self.api.post('/v1/conductors/%s/ping' % self.host,
                                 expect_errors=True)
            return resp.status_int == 200

        base.wait_for(answers, timeout=60, what='the conductor to answer')
        return conductor

    def request(self, method, url, body=None, status=None):
        if body is None:
            resp = getattr(self.api, method)(url, expect_errors=True)
        else:
            resp = getattr(self.api, method + '_json')(url, body,
                                                       expect_errors=True)
        self.responses.append(resp)
        if status is not None:
            self.assertEqual(status, resp.status_int, resp.text)
        return resp

    def vim_body(self, **changes):
        body = {'name': 'edge', 'auth_url': self.cloud.auth_url,
                'username': 'admin', 'password': PASSWORD,
                'project_name': 'admin', 'site': 'paris'}
        body.update(changes)
        return body

    def raw_rows(self):
        engine = sa.create_engine(self.db_url)
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            return {table: [dict(r._mapping) for r in conn.execute(
                sa.text('SELECT * FROM %s' % table))]
                for table in ('vims', 'mec_hosts')}

    def test_keys_register_restart_and_no_secret_anywhere(self):
        # The operator makes the key repository for the conductors.
        result = run_script('mec-orchestrator-keys', '--config-file',
                            self.conf_file, 'setup')
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(0o700, stat.S_IMODE(os.stat(self.keys).st_mode))
        for name in os.listdir(self.keys):
            self.assertEqual(0o600, stat.S_IMODE(
                os.stat(os.path.join(self.keys, name)).st_mode))
        self.start_conductor()

        # Refused credentials: 400 with Keystone's reason, crossing
        # RabbitMQ as the project's exception; nothing stored.
        resp = self.request('post', '/v1/vims',
                            self.vim_body(password=WRONG_PASSWORD),
                            status=400)
        self.assertEqual('application/problem+json', resp.content_type)
        self.assertIn('The request you have made requires authentication',
                      resp.json['detail'])
        self.assertEqual([], self.raw_rows()['vims'])

        # A Keystone on a closed port: 400, or UNREACHABLE with force.
        closed = 'http://127.0.0.1:%d/v3' % base.free_port()
        resp = self.request('post', '/v1/vims', self.vim_body(
            name='down', auth_url=closed), status=400)
        self.assertIn('cannot be reached', resp.json['detail'])
        self.assertIn('Connection refused', resp.json['detail'])
        down = self.request('post', '/v1/vims', self.vim_body(
            name='down', auth_url=closed, force=True), status=201).json
        self.assertEqual('UNREACHABLE', down['status'])

        # A reachable VIM, its MEC host discovered by the conductor.
        vim = self.request('post', '/v1/vims', self.vim_body(),
                           status=201).json
        self.assertEqual('REACHABLE', vim['status'])
        self.assertTrue(vim['capabilities']['sfc'])
        hosts = base.wait_for(lambda: self.api.get(
            '/v1/mec_hosts?vim_id=%s' % vim['id']).json['mec_hosts'],
            timeout=30, what='MEC hosts')
        self.assertEqual(['edge-nova'], [h['name'] for h in hosts])
        self.assertEqual('paris', hosts[0]['site'])
        self.request('post', '/v1/vims', self.vim_body(), status=409)

        k8s = self.request('post', '/v1/vims', {
            'name': 'k8s', 'type': 'kubernetes',
            'endpoint': 'https://k8s.invalid:6443',
            'bearer_token': K8S_TOKEN}, status=201).json
        self.assertEqual('UNREACHABLE', k8s['status'])

        rows = {r['name']: r for r in self.raw_rows()['vims']}
        self.assertEqual({'edge', 'down', 'k8s'}, set(rows))
        for row in rows.values():
            self.assertTrue(row['credentials'].startswith('gAAAAA'))

        # The conductor restarts: the credentials decrypt with the key
        # repository, and the VIM still authenticates.
        first = self.conductors[0]
        self.assertEqual(0, first.stop(), first.output())
        self.cloud.state['broken'] = ['/network']
        # The new process authenticates with the decrypted password (once:
        # it keeps the token for the checks that follow).
        auths = len(self.cloud.auth_bodies)
        second = self.start_conductor()
        wait_status(self.api, vim['id'], 'UNREACHABLE')
        self.cloud.state['broken'] = []
        checked = self.request('post', '/v1/vims/%s/check' % vim['id'],
                               status=200).json
        self.assertEqual('REACHABLE', checked['status'])
        self.assertIn(PASSWORD, [
            body['auth']['identity']['password']['user']['password']
            for body in self.cloud.auth_bodies[auths:]
            if 'password' in body['auth']['identity']])
        down = self.request('post', '/v1/vims/%s/check' % down['id'],
                            status=200).json
        self.assertIn('cannot be reached', down['status_reason'])

        # Other keys: the conductor cannot decrypt, and says so.
        os.rename(self.keys, self.keys + '.old')
        result = run_script('mec-orchestrator-keys', '--config-file',
                            self.conf_file, 'setup')
        self.assertEqual(0, result.returncode, result.stderr)
        lost = self.request('post', '/v1/vims/%s/check' % vim['id'],
                            status=200).json
        self.assertEqual('UNREACHABLE', lost['status'])
        self.assertIn('cannot decrypt', lost['status_reason'])
        time.sleep(1.5)
        self.assertEqual(0, second.stop(), second.output())

        texts = {'response %d' % i: r.text
                 for i, r in enumerate(self.responses)}
        texts.update({'conductor log %d' % i: c.output()
                      for i, c in enumerate(self.conductors)})
        texts['API log'] = self.log.output
        texts['database'] = repr(self.raw_rows())
        self.assertIn('DEBUG', texts['conductor log 0'])
        assert_no_secret(self, [PASSWORD, WRONG_PASSWORD, K8S_TOKEN],
                         texts)
