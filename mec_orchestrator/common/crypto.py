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
"""Encryption of secrets at rest: VIM credentials, callback secrets.

Secrets are encrypted with Fernet (``cryptography``'s MultiFernet) using the
keys of a key repository laid out as Keystone's (``[crypto]
key_repository``):

* files named by integers, each holding one urlsafe-base64 Fernet key;
* the highest-numbered key is the **primary** key: it encrypts;
* key ``0`` is the **staged** key: it decrypts already, and becomes the
  primary key at the next rotation, so that it can be copied to every
  conductor before any of them encrypts with it;
* the other keys are **secondary** keys: they decrypt what older primary
  keys encrypted, until a rotation drops them.

The directory is created 0700 and the keys 0600. Only the conductors read
the repository; the API never holds a secret longer than the request that
carries it to a conductor.

The backend is chosen by ``[crypto] backend`` from :data:`BACKENDS`; a key
manager backend (castellan) plugs in there without touching the callers,
which only use :func:`encrypt_dict` and :func:`decrypt_dict`.
"""

import abc
import os
import stat
import tempfile

from cryptography import fernet
from oslo_log import log
from oslo_serialization import jsonutils

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator import conf

LOG = log.getLogger(__name__)
CONF = conf.CONF

DIR_MODE = 0o700
KEY_MODE = 0o600


class KeyRepository(object):
    """A directory of numbered Fernet keys.

    :param path: the directory.
    """

    def __init__(self, path):
        self.path = path

    def exists(self):
        """Whether the directory exists.

        :returns: True or False.
        """
        return os.path.isdir(self.path)

    def numbers(self):
        """The numbers of the keys in the directory.

        :returns: a list of ints, ascending.
        :raises: KeyRepositoryError when the directory cannot be read.
        """
        try:
            names = os.listdir(self.path)
        except FileNotFoundError:
            raise exception.KeyRepositoryError(
                path=self.path, reason=_('it does not exist; create it with '
                                         'mec-orchestrator-keys setup'))
        except OSError as e:
            raise exception.KeyRepositoryError(path=self.path,
                                               reason=e.strerror)
        return sorted(int(name) for name in names if name.isdigit())

    def _check_mode(self, path, allowed):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & ~allowed:
            LOG.warning('%(path)s is mode %(mode)o: it should not be '
                        'readable by group or others (%(want)o)',
                        {'path': path, 'mode': mode, 'want': allowed})

    def load(self):
        """The keys, primary first, then the others newest first.

        :returns: a list of Fernet keys (bytes), primary first.
        :raises: KeyRepositoryError when the directory is missing, holds no
            key or a key that is not a Fernet key.
        """
        numbers = self.numbers()
        if not numbers:
            raise exception.KeyRepositoryError(
                path=self.path, reason=_('it holds no key'))
        self._check_mode(self.path, DIR_MODE)
        keys = []
        # Primary (highest) first, the staged key 0 last.
        for number in sorted(numbers, reverse=True):
            key_path = os.path.join(self.path, str(number))
            self._check_mode(key_path, KEY_MODE)
            with open(key_path, 'rb') as f:
                key = f.read().strip()
            try:
                fernet.Fernet(key)
            except (ValueError, TypeError):
                raise exception.KeyRepositoryError(
                    path=self.path,
                    reason=_('key %d is not a Fernet key') % number)
            keys.append(key)
        return keys

    def _write_key(self, number):
        """Write a new key atomically; False if the number is taken."""
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix='.key-')
        try:
            os.fchmod(fd, KEY_MODE)
            with os.fdopen(fd, 'wb') as f:
                f.write(fernet.Fernet.generate_key())
            # link() fails when the name exists: two processes creating the
            # repository at once keep the first one's keys.
            os.link(tmp, os.path.join(self.path, str(number)))
            return True
        except FileExistsError:
            return False
        finally:
            os.unlink(tmp)

    def create(self):
        """Create the directory (0700) with a staged and a primary key.

        Idempotent: existing keys are kept.

        :returns: True if keys were created, False if there were some.
        """
        os.makedirs(self.path, mode=DIR_MODE, exist_ok=True)
        os.chmod(self.path, DIR_MODE)
        if self.numbers():
            return False
        created = self._write_key(0)
        created = self._write_key(1) and created
        LOG.info('Created the key repository %s', self.path)
        return created

    def rotate(self, max_active_keys=None):
        """Promote the staged key to primary and stage a new key.

        Keeps at most ``max_active_keys`` keys (the staged key, the primary
        key and the newest secondary keys).

        :param max_active_keys: the number of keys to keep; ``[crypto]
            max_active_keys`` by default.
        :returns: the number of the new primary key.
        :raises: KeyRepositoryError when the repository has no key.
        """
        max_active_keys = max_active_keys or CONF.crypto.max_active_keys
        numbers = self.numbers()
        if not numbers:
            raise exception.KeyRepositoryError(
                path=self.path, reason=_('it holds no key'))
        primary = numbers[-1] + 1
        staged = os.path.join(self.path, '0')
        if os.path.exists(staged):
            os.rename(staged, os.path.join(self.path, str(primary)))
        else:
            self._write_key(primary)
        self._write_key(0)
        numbers = self.numbers()
        # Drop the oldest secondary keys (never 0 nor the primary).
        for number in numbers[1:-1][:max(0, len(numbers) - max_active_keys)]:
            os.unlink(os.path.join(self.path, str(number)))
        LOG.info('Rotated the key repository %(path)s: primary key is now '
                 '%(primary)d', {'path': self.path, 'primary': primary})
        return primary


class Cipher(object, metaclass=abc.ABCMeta):
    """Encrypts and decrypts secrets (bytes) into text tokens."""

    @abc.abstractmethod
    def encrypt(self, plaintext):
        """Encrypt a secret.

        :param plaintext: bytes.
        :returns: an ASCII token.
        """

    @abc.abstractmethod
    def decrypt(self, token):
        """Decrypt a token made by :meth:`encrypt`.

        :param token: the token.
        :returns: bytes.
        :raises: DecryptionFailed
        """

    def needs_reencryption(self, token):
        """Whether a token was not made with the current key.

        :param token: the token.
        :returns: True or False.
        """
        return False

    def reencrypt(self, token):
        """The same secret, encrypted with the current key.

        :param token: the token.
        :returns: a new token.
        :raises: DecryptionFailed
        """
        return self.encrypt(self.decrypt(token))


class FernetCipher(Cipher):
    """Fernet with the keys of ``[crypto] key_repository``.

    :param repository: the :class:`KeyRepository`; the configured one by
        default.
    """

    def __init__(self, repository=None):
        self.repository = repository or configured_repository()
        keys = self.repository.load()
        self._primary = fernet.Fernet(keys[0])
        self._multi = fernet.MultiFernet([fernet.Fernet(k) for k in keys])

    def encrypt(self, plaintext):
        return self._primary.encrypt(plaintext).decode('ascii')

    def decrypt(self, token):
        try:
            return self._multi.decrypt(_bytes(token))
        except (fernet.InvalidToken, TypeError, ValueError):
            raise exception.DecryptionFailed()

    def needs_reencryption(self, token):
        try:
            self._primary.decrypt(_bytes(token))
        except (fernet.InvalidToken, TypeError, ValueError):
            return True
        return False

    def reencrypt(self, token):
        try:
            return self._multi.rotate(_bytes(token)).decode('ascii')
        except (fernet.InvalidToken, TypeError, ValueError):
            raise exception.DecryptionFailed()


def _bytes(token):
    return token.encode('ascii') if isinstance(token, str) else token


#: Cipher backends by ``[crypto] backend`` name.
BACKENDS = {'fernet': FernetCipher}


def _auto_create():
    """Whether a missing key repository may be created here."""
    configured = CONF.crypto.auto_create_key_repository
    if configured is None:
        return CONF.rpc_transport == 'local'
    return configured


def usable_or_creatable():
    """Whether the configured key repository exists or may be created.

    Nothing is created or read: this is the conductor's start-up check.

    :returns: True or False.
    """
    return (KeyRepository(CONF.crypto.key_repository).exists() or
            _auto_create())


def configured_repository():
    """The key repository of ``[crypto] key_repository``.

    It is created when missing if ``[crypto] auto_create_key_repository``
    allows it (by default, only in the all-in-one).

    :returns: a :class:`KeyRepository`.
    """
    repository = KeyRepository(CONF.crypto.key_repository)
    if not repository.exists() and _auto_create():
        repository.create()
    return repository


def get_cipher():
    """The cipher of the configured backend, with the current keys.

    The keys are read at each call, so that a rotation or a new key
    repository is seen without a restart.

    :returns: a :class:`Cipher`.
    :raises: KeyRepositoryError
    """
    return BACKENDS[CONF.crypto.backend]()


def encrypt_dict(values, cipher=None):
    """Encrypt a dict of secrets.

    :param values: a JSON-serializable dict.
    :param cipher: the cipher; :func:`get_cipher`'s by default.
    :returns: a token (str).
    :raises: KeyRepositoryError
    """
    cipher = cipher or get_cipher()
    return cipher.encrypt(jsonutils.dump_as_bytes(values))


def decrypt_dict(token, cipher=None):
    """Decrypt a dict encrypted by :func:`encrypt_dict`.

    :param token: the token.
    :param cipher: the cipher; :func:`get_cipher`'s by default.
    :returns: the dict.
    :raises: KeyRepositoryError, DecryptionFailed
    """
    cipher = cipher or get_cipher()
    return jsonutils.loads(cipher.decrypt(token))
