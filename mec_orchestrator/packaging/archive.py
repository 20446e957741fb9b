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

"""A ZIP archive read without trusting it.

Nothing is extracted: members are streamed out of the archive and checked
as they stream. Before any member is read, the central directory is
vetted:

* member names must be relative POSIX paths with no ``..``, ``.`` or empty
  component, no drive letter, backslash, NUL or control character, and no
  duplicates;
* symbolic links, devices, FIFOs and sockets (Unix mode in the external
  attributes) and encrypted members are refused, as are compression methods
  other than stored, deflate, bzip2 and LZMA;
* the member count and the declared sizes must fit the limits.

While a member streams, the bytes actually produced are counted: more than
the header declared, more than ``max_member_size``, more than the package's
remaining ``max_total_size`` budget, or a decompressed/compressed ratio
above ``max_compression_ratio`` (once past ``ratio_threshold`` bytes) stops
the read. Headers are therefore never trusted for safety, only used to
refuse early.

The only files ever written are those :class:`Scratch` creates, under a
private (0700) temporary directory with names chosen here, never taken from
the archive; it is removed when the read ends, on success or failure.
"""

import hashlib
import os
import posixpath
import re
import shutil
import stat
import tempfile
import zipfile
import zlib

from mec_orchestrator.packaging import errors

_CHUNK = 64 * 1024
_ALLOWED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                        zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DRIVE = re.compile(r'^[A-Za-z]:')
_CONTROL = re.compile(r'[\x00-\x1f\x7f]')
_SPECIAL = {stat.S_IFLNK: 'it is a symbolic link',
            stat.S_IFCHR: 'it is a character device',
            stat.S_IFBLK: 'it is a block device',
            stat.S_IFIFO: 'it is a FIFO',
            stat.S_IFSOCK: 'it is a socket'}

#: Digest algorithms accepted in manifests, by normalized name.
HASHES = {'sha224': hashlib.sha224, 'sha256': hashlib.sha256,
          'sha384': hashlib.sha384, 'sha512': hashlib.sha512}


def normalize_hash_name(name):
    """``SHA-256``, ``sha256``, ``Sha-256`` -> ``sha256`` (or None)."""
    key = (name or '').strip().lower().replace('-', '').replace('_', '')
    return key if key in HASHES else None


class Budget:
    """Decompressed bytes left for a whole package, nested archives too."""

    def __init__(self, limit):
        self.limit = limit
        self.used = 0

    def consume(self, count, member):
        self.used += count
        if self.used > self.limit:
            raise errors.PackageTooLarge(
                reason=('the members decompress to more than %d bytes in '
                        'total (limit reached while reading %s)'
                        % (self.limit, member)))


def check_member_name(name):
    """Refuse a member name that is not a plain relative path.

    :param name: the name as stored in the archive.
    :returns: the name without a trailing slash.
    :raises UnsafeMember: the name could escape or confuse a reader.
    """
    shown = _CONTROL.sub('?', name)
    if _CONTROL.search(name):
        raise errors.UnsafeMember(member=shown,
                                  reason='its name has control characters')
    if '\\' in name:
        raise errors.UnsafeMember(member=shown,
                                  reason='its name contains a backslash')
    if name.startswith('/'):
        raise errors.UnsafeMember(member=shown,
                                  reason='its path is absolute')
    if _DRIVE.match(name):
        raise errors.UnsafeMember(member=shown,
                                  reason='its path starts with a drive letter')
    stripped = name[:-1] if name.endswith('/') else name
    parts = stripped.split('/')
    if '..' in parts:
        raise errors.UnsafeMember(member=shown,
                                  reason='its path leaves the package (..)')
    if not stripped or any(part in ('', '.') for part in parts):
        raise errors.UnsafeMember(
            member=shown, reason='its path has an empty or "." component')
    return stripped


class Archive:
    """A vetted ZIP archive whose members can be read under limits.

    :param fileobj: a seekable binary file.
    :param name: the archive's name for messages (a member path when the
        archive is nested in another one).
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`.
    :param budget: the package's :class:`Budget`, shared with nested
        archives.
    :raises InvalidPackage: not a ZIP archive, or a corrupt one.
    :raises UnsafeMember: see :func:`check_member_name`, symlinks, special
        files, encryption, unknown compression, duplicates.
    :raises PackageTooLarge: too many members or declared sizes too large.
    """

    def __init__(self, fileobj, name, limits, budget):
        self.name = name
        self.limits = limits
        self.budget = budget
        self._counted = set()
        self._cache = {}
        try:
            self._zip = zipfile.ZipFile(fileobj)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError,
                EOFError, OSError, NotImplementedError) as exc:
            raise errors.InvalidPackage(
                reason='%s is not a readable ZIP archive (%s)'
                % (name, _zip_error_text(exc)))
        try:
            self._vet(infos)
        except errors.InvalidPackage:
            self._zip.close()
            raise

    def _vet(self, infos):
        limits = self.limits
        if len(infos) > limits.max_members:
            raise errors.PackageTooLarge(
                reason='%s has %d members, more than the limit of %d'
                % (self.name, len(infos), limits.max_members))
        self.files = {}
        self.directories = set()
        declared_total = 0
        for info in infos:
            path = check_member_name(info.filename)
            if path in self.files or path in self.directories:
                raise errors.UnsafeMember(
                    member=path, reason='the archive holds it more than once')
            mode = (info.external_attr >> 16) & 0xFFFF
            special = _SPECIAL.get(stat.S_IFMT(mode))
            if special:
                raise errors.UnsafeMember(member=path, reason=special)
            if info.flag_bits & 0x1:
                raise errors.UnsafeMember(member=path,
                                          reason='it is encrypted')
            if info.is_dir():
                self.directories.add(path)
                continue
            if info.compress_type not in _ALLOWED_COMPRESSION:
                raise errors.UnsafeMember(
                    member=path,
                    reason='compression method %d is not supported'
                    % info.compress_type)
            if info.file_size > limits.max_member_size:
                raise errors.PackageTooLarge(
                    reason='member %s is %d bytes, more than the limit of %d'
                    % (path, info.file_size, limits.max_member_size))
            self._check_ratio(path, info.file_size, info.compress_size)
            declared_total += info.file_size
            self.files[path] = info
        if declared_total > limits.max_total_size:
            raise errors.PackageTooLarge(
                reason='the members of %s declare %d bytes in total, more '
                'than the limit of %d' % (self.name, declared_total,
                                          limits.max_total_size))
        for path in self.files:
            if path in self.directories:
                raise errors.UnsafeMember(
                    member=path,
                    reason='the archive holds it as a file and a directory')

    def _check_ratio(self, path, produced, compressed):
        limits = self.limits
        if produced <= limits.ratio_threshold:
            return
        ratio = produced / max(compressed, 1)
        if ratio > limits.max_compression_ratio:
            raise errors.CompressionRatioExceeded(
                member=path, ratio=int(ratio),
                limit=limits.max_compression_ratio)

    def close(self):
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __contains__(self, path):
        return path in self.files

    def names(self):
        """Paths of the regular files, in archive order."""
        return list(self.files)

    def size(self, path):
        """Declared decompressed size of a file member."""
        return self.files[path].file_size

    def stream(self, path):
        """Yield the decompressed bytes of a member, checked as they come.

        :param path: a name from :meth:`names`.
        :raises PackageTooLarge: a size limit was crossed.
        :raises CompressionRatioExceeded: the ratio limit was crossed.
        :raises InvalidPackage: the member is corrupt (bad CRC, truncated).
        """
        info = self.files[path]
        produced = 0
        count_budget = path not in self._counted
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    produced += len(chunk)
                    if produced > info.file_size:
                        raise errors.UnsafeMember(
                            member=path,
                            reason='it holds more data than its header '
                            'declares')
                    if produced > self.limits.max_member_size:
                        raise errors.PackageTooLarge(
                            reason='member %s is larger than the limit of '
                            '%d bytes' % (path, self.limits.max_member_size))
                    if count_budget:
                        self.budget.consume(len(chunk), path)
                    self._check_ratio(path, produced, info.compress_size)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError,
                ValueError, NotImplementedError) as exc:
            raise errors.InvalidPackage(
                reason='member %s of %s is corrupt (%s)'
                % (path, self.name, _zip_error_text(exc)))
        if produced != info.file_size:
            raise errors.InvalidPackage(
                reason='member %s of %s is truncated' % (path, self.name))
        self._counted.add(path)

    def read(self, path, max_size):
        """Read a (small) member into memory.

        The result is cached, with its digests, so that a document that is
        both hashed for the manifest and parsed is only decompressed once.

        :param path: a name from :meth:`names`.
        :param max_size: refuse a member larger than this many bytes; the
            caller raises its own error (see :class:`MemberTooLarge`).
        :returns: the member's bytes.
        """
        if path in self._cache:
            return self._cache[path][0]
        if self.files[path].file_size > max_size:
            raise MemberTooLarge(path, self.files[path].file_size, max_size)
        data = b''.join(self.stream(path))
        if len(data) > max_size:
            raise MemberTooLarge(path, len(data), max_size)
        self._cache[path] = (data, {})
        return data

    def digest(self, path, algorithm):
        """Hex digest of a member, streamed (or from the read cache).

        :param path: a name from :meth:`names`.
        :param algorithm: a key of :data:`HASHES`.
        """
        if path in self._cache:
            data, digests = self._cache[path]
            if algorithm not in digests:
                digests[algorithm] = HASHES[algorithm](data).hexdigest()
            return digests[algorithm]
        hasher = HASHES[algorithm]()
        for chunk in self.stream(path):
            hasher.update(chunk)
        return hasher.hexdigest()

    def copy_to(self, path, fileobj):
        """Stream a member into an open binary file."""
        for chunk in self.stream(path):
            fileobj.write(chunk)


class MemberTooLarge(Exception):
    """Internal: a member is over the in-memory limit the caller gave."""

    def __init__(self, path, size, limit):
        super().__init__(path)
        self.path = path
        self.size = size
        self.limit = limit


def _zip_error_text(exc):
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__


def member_dir(path):
    """The directory of a member path ('' at the root)."""
    return posixpath.dirname(path)


def join_member(base_dir, relative):
    """Resolve a relative reference against a member directory.

    :returns: the normalized member path, or None if it leaves the archive
        or is absolute.
    """
    if not relative or relative.startswith('/') or '\\' in relative or \
            _DRIVE.match(relative):
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, relative))
    if joined == '.' or joined.startswith('../') or joined == '..':
        return None
    return joined


class Scratch:
    """A private temporary directory, created on first use.

    Files are named by the caller (never from archive content) and the
    directory is removed by :meth:`cleanup`.
    """

    def __init__(self):
        self._path = None
        self._count = 0

    def new_file(self, suffix):
        """Create an empty file and return its path."""
        if self._path is None:
            self._path = tempfile.mkdtemp(prefix='mec-pkg-')
            os.chmod(self._path, 0o700)
        self._count += 1
        path = os.path.join(self._path, 'f%d%s' % (self._count, suffix))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        return path

    def write(self, data, suffix):
        """Write bytes to a new file and return its path."""
        path = self.new_file(suffix)
        with open(path, 'wb') as handle:
            handle.write(data)
        return path

    def cleanup(self):
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None
