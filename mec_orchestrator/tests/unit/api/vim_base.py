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
"""Helpers of the VIM and MEC host API tests."""

import os
import time

import fixtures
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

from mec_orchestrator.tests.unit.api import base
from mec_orchestrator.tests.unit.drivers.openstack import fake_cloud

#: A secret no response, log line or database cell may ever show.
PASSWORD = fake_cloud.PASSWORD


class VimApiTestCase(base.ApiTestCase):
    """The API, an in-process conductor, and a fake OpenStack over HTTP."""

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.config(key_repository=os.path.join(self.tmp, 'keys'),
                    group='crypto')
        self.config(request_timeout=5, group='vim')
        self.cloud = self.useFixture(fake_cloud.FakeCloud())
        self.responses = []

    def body(self, **changes):
        """A POST /v1/vims body for the fake cloud."""
        body = {'name': 'edge-1', 'type': 'openstack',
                'auth_url': self.cloud.auth_url, 'username': 'admin',
                'password': PASSWORD, 'project_name': 'admin',
                'user_domain_name': 'Default',
                'project_domain_name': 'Default', 'site': 'paris'}
        body.update(changes)
        return {k: v for k, v in body.items() if v is not None}

    def request(self, method, url, body=None, status=None, **kwargs):
        """A request whose response is kept for the secret scans."""
        kwargs.setdefault('expect_errors', True)
        func = getattr(self.app, method)
        if body is not None:
            resp = getattr(self.app, method + '_json')(url, body, **kwargs)
        else:
            resp = func(url, **kwargs)
        self.responses.append(resp)
        if status is not None:
            self.assertEqual(status, resp.status_int, resp.text)
        return resp

    def create(self, status=201, **changes):
        return self.request('post', '/v1/vims', self.body(**changes),
                            status=status)

    def wait_for_hosts(self, vim_id, count=1, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            hosts = self.dbapi.list_mec_hosts(filters={'vim_id': vim_id})
            if len(hosts) >= count:
                return hosts
            if time.monotonic() > deadline:
                self.fail('no MEC host discovered for %s' % vim_id)
            time.sleep(0.02)

    def raw_rows(self, table):
        """Every row of a table as the database holds it, as text."""
        engine = enginefacade.writer.get_engine()
        with engine.connect() as conn:
            rows = conn.execute(sa.text('SELECT * FROM %s' % table))
            return [dict(r._mapping) for r in rows]

    def assertNoSecret(self, *secrets):
        """No response, log line or database cell shows a secret."""
        texts = [r.text for r in self.responses] + [self.log.output]
        for table in ('vims', 'mec_hosts'):
            texts += [repr(row) for row in self.raw_rows(table)]
        for secret in secrets:
            for text in texts:
                self.assertNotIn(secret, text)
