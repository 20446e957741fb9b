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
from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers.kubernetes import vim as k8s_vim
from mec_orchestrator.tests import base


class TestKubernetesStub(base.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = k8s_vim.KubernetesVimDriver(conf.CONF)
        self.vim = {'id': 'k', 'name': 'k', 'type': 'kubernetes',
                    'access': {'endpoint': 'https://k8s:6443'},
                    'credentials': {'bearer_token': 'tok'}}

    def test_validate_says_not_supported(self):
        exc = self.assertRaises(exception.VimCheckNotSupported,
                                self.driver.validate, None, self.vim)
        self.assertIn('kubernetes VIM driver', exc.message)
        self.assertIn('not implemented yet', exc.message)
        self.assertNotIn('tok', exc.message.replace('token', ''))

    def test_never_reachable_and_no_hosts(self):
        self.assertFalse(self.driver.check_reachable(None, self.vim))
        self.assertEqual([], self.driver.discover_hosts(None, self.vim))
