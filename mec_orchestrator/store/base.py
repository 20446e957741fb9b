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
"""Package content stores: where uploaded and fetched packages are kept.

A store takes content as a stream and never holds it whole in memory; it
returns a location string, the size and the SHA-256 and SHA-512 digests
computed while the content went by. Stores are stevedore plugins of the
``mec_orchestrator.package_stores`` namespace, chosen by
``[app_package] store``.
"""

import abc
import dataclasses
import functools
import hashlib

from stevedore import driver as stevedore_driver

from mec_orchestrator.common import exception
from mec_orchestrator import conf

CONF = conf.CONF

NAMESPACE = 'mec_orchestrator.package_stores'


@dataclasses.dataclass(frozen=True)
class StoredContent(object):
    """What a store knows of content it has kept."""

    location: str
    size: int
    sha256: str
    sha512: str

    def digest(self, algorithm):
        """The hex digest for an ETSI algorithm name.

        :param algorithm: ``SHA-256``, ``SHA-512`` (any case, with or
            without the dash).
        :returns: the hex digest, or None for an algorithm not computed.
        """
        name = algorithm.replace('-', '').replace('_', '').lower()
        return {'sha256': self.sha256, 'sha512': self.sha512}.get(name)


class Hasher(object):
    """SHA-256 and SHA-512 of a stream, with its size, and a size limit.

    :param max_size: the largest size accepted.
    """

    def __init__(self, max_size):
        self.max_size = max_size
        self.size = 0
        self._sha256 = hashlib.sha256()
        self._sha512 = hashlib.sha512()

    def update(self, chunk):
        """Account for a chunk.

        :raises: RequestEntityTooLarge past the limit.
        """
        self.size += len(chunk)
        if self.size > self.max_size:
            raise exception.RequestEntityTooLarge(size='more than %d'
                                                  % self.max_size,
                                                  limit=self.max_size)
        self._sha256.update(chunk)
        self._sha512.update(chunk)

    def result(self, location):
        return StoredContent(location=location, size=self.size,
                             sha256=self._sha256.hexdigest(),
                             sha512=self._sha512.hexdigest())


class PackageStore(object, metaclass=abc.ABCMeta):
    """Keeps package content."""

    def __init__(self, conf):
        """:param conf: the service's ConfigOpts."""
        self.conf = conf

    @abc.abstractmethod
    def put(self, key, chunks, max_size):
        """Keep content, replacing any under the same key.

        Nothing is left behind when it fails (size limit, client gone).

        :param key: a unique key (the package id).
        :param chunks: an iterable of bytes.
        :param max_size: the largest size accepted.
        :returns: a :class:`StoredContent`.
        :raises: RequestEntityTooLarge past max_size.
        """

    @abc.abstractmethod
    def open(self, location):
        """A binary file object reading kept content.

        :param location: a location returned by :meth:`put`.
        """

    @abc.abstractmethod
    def local_path(self, location):
        """A path on this node to read the content from (the package
        reader needs random access to zip files).

        :param location: a location returned by :meth:`put`.
        :returns: a context manager yielding the path.
        """

    @abc.abstractmethod
    def delete(self, location):
        """Forget content; deleting absent content is not an error.

        :param location: a location returned by :meth:`put`.
        """


@functools.cache
def _load(name):
    return stevedore_driver.DriverManager(
        NAMESPACE, name, invoke_on_load=True, invoke_args=(CONF,)).driver


def get_store():
    """The configured package store.

    :returns: a :class:`PackageStore`.
    """
    return _load(CONF.app_package.store)
