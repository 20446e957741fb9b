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
"""keystonemiddleware in front of the API, against the lab's real Keystone.

The all-in-one runs as a process configured as an operator would, with
``auth_strategy = keystone`` and a ``[keystone_authtoken]`` section.
"""

import os

import requests

from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures


class TestKeystoneAuth(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'),
                                 base.keystone_sections(self.lab))
        self.aio.start()
        self.url = self.aio.url

    def _token(self, **roles):
        project = self.useFixture(lab_fixtures.LabProject(self.lab, **roles))
        return project.session().get_token()

    def _get(self, path, token=None, **kw):
        headers = {'X-Auth-Token': token} if token else {}
        return requests.get(self.url + path, headers=headers, timeout=30,
                            **kw)

    def _problem(self, resp, status):
        self.assertEqual(status, resp.status_code, resp.text)
        self.assertEqual('application/problem+json',
                         resp.headers['Content-Type'])
        self.assertEqual(status, resp.json()['status'])
        self.assertNotIn('Traceback', resp.text)
        return resp.json()

    def test_auth_through_keystone(self):
        # The versions document needs no token.
        self.assertEqual(200, self._get('/').status_code)

        resp = self._get('/v1/conductors')
        self._problem(resp, 401)
        self.assertIn(self.lab.auth_url, resp.headers['WWW-Authenticate'])
        self._problem(self._get('/v1/conductors', 'bogus-token'), 401)

        member = self._token(reader=True)
        body = self._problem(self._get('/v1/conductors', member), 403)
        self.assertIn('mec:conductor:get', body['detail'])

        admin = self._token(admin=True)
        resp = self._get('/v1/conductors', admin)
        self.assertEqual(200, resp.status_code, resp.text)
        self.assertEqual(1, len(resp.json()['conductors']))

        # A member works in its own project; another project's package is
        # a 404, not a 403 that would tell it exists.
        resp = requests.post(self.url + '/app_pkgm/v1/app_packages',
                             json={'appPkgName': 'ks', 'appPkgVersion': '1'},
                             headers={'X-Auth-Token': member}, timeout=30)
        self.assertEqual(201, resp.status_code, resp.text)
        path = '/app_pkgm/v1/app_packages/%s' % resp.json()['id']
        self.assertEqual(200, self._get(path, member).status_code)
        other = self._token()
        self._problem(self._get(path, other), 404)

        log = '\n'.join(self.aio.logs().values())
        for secret in (self.lab.admin['password'], member, admin):
            self.assertNotIn(secret, log)
