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
"""A package store in a local (or shared) directory."""

import contextlib
import os
import tempfile

from mec_orchestrator.common import exception
from mec_orchestrator.store import base


class FileStore(base.PackageStore):
    """Keeps each package as one file named after its key.

    Content is written to a temporary file in the same directory and
    renamed into place once complete, so that a reader never sees a partial
    package and a failed upload leaves nothing.
    """

    def _root(self):
        root = self.conf.app_package.file_store_path
        os.makedirs(root, mode=0o700, exist_ok=True)
        return root

    def _path(self, location):
        root = os.path.realpath(self._root())
        path = os.path.realpath(os.path.join(root, location))
        if os.path.dirname(path) != root:
            raise exception.NotFound()
        return path

    def put(self, key, chunks, max_size):
        root = self._root()
        hasher = base.Hasher(max_size)
        fd, tmp = tempfile.mkstemp(prefix='.upload-', dir=root)
        try:
            with os.fdopen(fd, 'wb') as f:
                for chunk in chunks:
                    hasher.update(chunk)
                    f.write(chunk)
            location = '%s.pkg' % key
            os.replace(tmp, self._path(location))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return hasher.result(location)

    def open(self, location):
        return open(self._path(location), 'rb')

    @contextlib.contextmanager
    def local_path(self, location):
        yield self._path(location)

    def delete(self, location):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(location))
