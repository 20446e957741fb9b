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
"""Sessions to OpenStack VIMs: tokens reused while the credentials hold."""

from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.tests import base


def _vim(password='pw', vim_id='v1'):
    return {'id': vim_id, 'access': {'auth_url': 'https://ks.example/v3',
                                     'project_name': 'p'},
            'credentials': {'username': 'u', 'password': password}}


class TestCachedAuthPlugin(base.TestCase):

    def setUp(self):
        super().setUp()
        client._PLUGINS.clear()
        self.addCleanup(client._PLUGINS.clear)

    def test_same_vim_same_plugin(self):
        self.assertIs(client.cached_auth_plugin(_vim()),
                      client.cached_auth_plugin(_vim()))

    def test_new_credentials_new_plugin(self):
        first = client.cached_auth_plugin(_vim())
        self.assertIsNot(first, client.cached_auth_plugin(_vim('other')))
        self.assertIsNot(first, client.cached_auth_plugin(
            _vim(vim_id='v2')))

    def test_sessions_share_the_plugin(self):
        with client.vim_session(_vim(), 5) as a, \
                client.vim_session(_vim(), 5) as b:
            self.assertIs(a.auth, b.auth)

    def test_bounded(self):
        self.patch(client, 'MAX_CACHED_PLUGINS', 3)
        for i in range(5):
            client.cached_auth_plugin(_vim(vim_id='v%d' % i))
        self.assertEqual(3, len(client._PLUGINS))
