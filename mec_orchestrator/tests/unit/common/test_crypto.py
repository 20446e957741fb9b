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
import os
import stat

from cryptography import fernet
import fixtures

from mec_orchestrator.cmd import keys as keys_cmd
from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.tests import base


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class CryptoTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.path = os.path.join(self.tmp, 'keys')
        self.config(key_repository=self.path, group='crypto')


class TestKeyRepository(CryptoTestCase):

    def test_create_is_private_and_idempotent(self):
        repo = crypto.KeyRepository(self.path)
        self.assertTrue(repo.create())
        self.assertEqual([0, 1], repo.numbers())
        self.assertEqual(0o700, _mode(self.path))
        for number in (0, 1):
            self.assertEqual(0o600,
                             _mode(os.path.join(self.path, str(number))))
        before = repo.load()
        self.assertFalse(repo.create())
        self.assertEqual(before, repo.load())
        self.assertEqual([], [n for n in os.listdir(self.path)
                              if not n.isdigit()])

    def test_load_puts_the_primary_first(self):
        repo = crypto.KeyRepository(self.path)
        repo.create()
        with open(os.path.join(self.path, '1'), 'rb') as f:
            primary = f.read()
        self.assertEqual(primary, repo.load()[0])

    def test_missing_repository(self):
        exc = self.assertRaises(exception.KeyRepositoryError,
                                crypto.KeyRepository(self.path).load)
        self.assertIn('does not exist', str(exc))
        self.assertEqual(503, exc.code)
        self.assertFalse(exc.safe)

    def test_empty_repository(self):
        os.makedirs(self.path, mode=0o700)
        exc = self.assertRaises(exception.KeyRepositoryError,
                                crypto.KeyRepository(self.path).load)
        self.assertIn('no key', str(exc))

    def test_bad_key_file(self):
        repo = crypto.KeyRepository(self.path)
        repo.create()
        with open(os.path.join(self.path, '1'), 'w') as f:
            f.write('not a key')
        exc = self.assertRaises(exception.KeyRepositoryError, repo.load)
        self.assertIn('key 1 is not a Fernet key', str(exc))

    def test_open_permissions_are_reported(self):
        repo = crypto.KeyRepository(self.path)
        repo.create()
        os.chmod(os.path.join(self.path, '1'), 0o644)
        repo.load()
        self.assertIn('should not be readable by group or others',
                      self.log.output)

    def test_rotation_promotes_the_staged_key(self):
        repo = crypto.KeyRepository(self.path)
        repo.create()
        staged = repo.load()[-1]
        self.assertEqual(2, repo.rotate())
        self.assertEqual([0, 1, 2], repo.numbers())
        self.assertEqual(staged, repo.load()[0])

    def test_rotation_keeps_max_active_keys(self):
        repo = crypto.KeyRepository(self.path)
        repo.create()
        for _ in range(4):
            repo.rotate(max_active_keys=3)
        self.assertEqual([0, 4, 5], repo.numbers())


class TestCipher(CryptoTestCase):

    def test_round_trip_of_a_dict(self):
        self.config(auto_create_key_repository=True, group='crypto')
        secret = {'username': 'admin', 'password': 'p@ss w0rd \u00e9'}
        token = crypto.encrypt_dict(secret)
        self.assertNotIn('p@ss', token)
        self.assertTrue(token.startswith('gAAAAA'))
        self.assertEqual(secret, crypto.decrypt_dict(token))

    def test_rotation_keeps_old_tokens_readable_and_reencrypts(self):
        self.config(auto_create_key_repository=True, group='crypto')
        token = crypto.encrypt_dict({'password': 'old'})
        cipher = crypto.get_cipher()
        self.assertFalse(cipher.needs_reencryption(token))
        crypto.KeyRepository(self.path).rotate()
        cipher = crypto.get_cipher()
        self.assertTrue(cipher.needs_reencryption(token))
        self.assertEqual({'password': 'old'},
                         crypto.decrypt_dict(token, cipher))
        new_token = cipher.reencrypt(token)
        self.assertFalse(cipher.needs_reencryption(new_token))
        self.assertEqual({'password': 'old'},
                         crypto.decrypt_dict(new_token, cipher))

    def test_token_of_a_dropped_key_cannot_be_read(self):
        self.config(auto_create_key_repository=True, group='crypto')
        token = crypto.encrypt_dict({'password': 'x'})
        repo = crypto.KeyRepository(self.path)
        for _ in range(3):
            repo.rotate(max_active_keys=2)
        exc = self.assertRaises(exception.DecryptionFailed,
                                crypto.decrypt_dict, token)
        self.assertFalse(exc.safe)

    def test_wrong_key(self):
        self.config(auto_create_key_repository=True, group='crypto')
        token = fernet.Fernet(fernet.Fernet.generate_key()).encrypt(b'{}')
        self.assertRaises(exception.DecryptionFailed, crypto.decrypt_dict,
                          token.decode())
        self.assertRaises(exception.DecryptionFailed, crypto.decrypt_dict,
                          'garbage')

    def test_missing_repository_not_created_by_default(self):
        self.config(rpc_transport='oslo')
        self.assertRaises(exception.KeyRepositoryError,
                          crypto.encrypt_dict, {'a': 1})
        self.assertFalse(os.path.exists(self.path))
        self.assertFalse(crypto.usable_or_creatable())

    def test_all_in_one_creates_the_repository(self):
        # rpc_transport = local (the all-in-one) and the option unset.
        self.assertTrue(crypto.usable_or_creatable())
        self.assertFalse(os.path.exists(self.path))
        crypto.encrypt_dict({'a': 1})
        self.assertEqual(0o700, _mode(self.path))

    def test_explicit_auto_create_off(self):
        self.config(auto_create_key_repository=False, group='crypto')
        self.assertRaises(exception.KeyRepositoryError, crypto.get_cipher)

    def test_default_location_is_under_state_path(self):
        self.config(state_path=self.tmp)
        crypto.CONF.clear_override('key_repository', group='crypto')
        crypto.encrypt_dict({'a': 1})
        self.assertTrue(os.path.isdir(os.path.join(self.tmp,
                                                   'crypto-keys')))


class TestKeysCommand(CryptoTestCase):
    """The commands' functions; the script itself runs in functional."""

    def _run(self, func):
        out = self.useFixture(fixtures.StringStream('stdout'))
        with fixtures.MonkeyPatch('sys.stdout', out.stream):
            code = func()
        out.stream.flush()
        return code, out.getDetails()['stdout'].as_text()

    def test_setup_rotate_status(self):
        code, out = self._run(keys_cmd._setup)
        self.assertEqual(0, code)
        self.assertIn('Created keys in %s' % self.path, out)
        code, out = self._run(keys_cmd._setup)
        self.assertIn('already has keys', out)
        code, out = self._run(keys_cmd._rotate)
        self.assertEqual((0, 'Primary key is now 2\n'), (code, out))
        code, out = self._run(keys_cmd._status)
        self.assertEqual('0 staged\n1 secondary\n2 primary\n', out)
