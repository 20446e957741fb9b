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

"""Hostile and broken archives, through read_package and Archive."""

import io
import stat
import zipfile

from mec_orchestrator import packaging
from mec_orchestrator.packaging import archive
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.tests.unit.packaging import utils

ENTRY = utils.data(utils.PLAIN_APPD)


def _csar(*extra):
    """A valid JSON-AppD CSAR plus extra (name, bytes[, options]) members."""
    members = list(utils.build_csar('Definitions/appd.json', ENTRY,
                                    with_manifest=False).items())
    return members + list(extra)


class TestNotAnArchive(utils.TestCase):

    def test_not_a_zip(self):
        path = utils.write(self.work, 'notes.csar', b'just some text\n' * 20)
        self.assertRaisesNaming(errors.InvalidPackage, 'not a readable ZIP',
                                packaging.read_package, path)
        self.assertNoScratchLeft()

    def test_empty_file(self):
        path = utils.write(self.work, 'empty.csar', b'')
        self.assertRaisesNaming(errors.InvalidPackage, 'empty.csar',
                                packaging.read_package, path)

    def test_truncated_zip(self):
        blob = utils.build_zip(_csar())
        path = utils.write(self.work, 'cut.csar', blob[:len(blob) // 2])
        self.assertRaisesNaming(errors.InvalidPackage, 'cut.csar',
                                packaging.read_package, path)
        self.assertNoScratchLeft()

    def test_corrupt_member_data(self):
        blob = bytearray(utils.build_zip(_csar(), zipfile.ZIP_STORED))
        offset = bytes(blob).index(b'location-notifier')
        blob[offset:offset + 8] = b'XXXXXXXX'
        path = utils.write(self.work, 'crc.csar', bytes(blob))
        exc = self.assertRaisesNaming(errors.InvalidPackage,
                                      'Definitions/appd.json',
                                      packaging.read_package, path)
        self.assertIn('corrupt', str(exc))


class TestMemberNames(utils.TestCase):

    def _refused(self, name, culprit=None, options=None):
        member = (name, b'x', options) if options else (name, b'x')
        path = self.package(_csar(member))
        exc = self.assertRaisesNaming(errors.UnsafeMember, culprit or name,
                                      packaging.read_package, path)
        self.assertNoScratchLeft()
        return exc

    def test_dot_dot(self):
        exc = self._refused('Artifacts/../../etc/passwd')
        self.assertIn('leaves the package', str(exc))

    def test_absolute(self):
        self.assertIn('absolute', str(self._refused('/etc/passwd')))

    def test_drive_letter(self):
        self.assertIn('drive letter', str(self._refused('C:/Windows/x.dll')))

    def test_backslash(self):
        self.assertIn('backslash', str(self._refused('..\\..\\evil.sh')))

    def test_dot_component(self):
        self._refused('Artifacts/./x.txt')

    def test_control_character(self):
        self._refused('Artifacts/a\nb.txt', culprit='Artifacts/a?b.txt')

    def test_symlink(self):
        exc = self._refused('Artifacts/link', options={
            'mode': utils.SYMLINK_MODE})
        self.assertIn('symbolic link', str(exc))

    def test_device(self):
        exc = self._refused('Artifacts/dev', options={
            'mode': stat.S_IFCHR | 0o600})
        self.assertIn('device', str(exc))

    def test_duplicate(self):
        members = _csar(('Artifacts/a.txt', b'one'), ('Artifacts/a.txt', b'2'))
        path = self.package(members)
        exc = self.assertRaisesNaming(errors.UnsafeMember, 'Artifacts/a.txt',
                                      packaging.read_package, path)
        self.assertIn('more than once', str(exc))

    def test_encrypted_flag(self):
        blob = bytearray(utils.build_zip(_csar(('Artifacts/s.txt', b'x'))))
        # Set bit 0 (encrypted) of the general purpose flags in the central
        # directory entry of the last member.
        central = bytes(blob).rindex(b'PK\x01\x02')
        blob[central + 8] |= 0x1
        path = utils.write(self.work, 'enc.csar', bytes(blob))
        exc = self.assertRaisesNaming(errors.UnsafeMember, 'Artifacts/s.txt',
                                      packaging.read_package, path)
        self.assertIn('encrypted', str(exc))

    def test_regular_unix_modes_are_fine(self):
        members = _csar(('Artifacts/run.sh', b'#!/bin/sh\n',
                         {'mode': stat.S_IFREG | 0o755}))
        package = packaging.read_package(self.package(members))
        self.assertIn('Artifacts/run.sh',
                      [a['artifactPath'] for a in package.artifacts])


class TestLimits(utils.TestCase):

    def test_too_many_members(self):
        members = _csar(*[('Artifacts/%d' % i, b'') for i in range(10)])
        limits = limits_mod.Limits(max_members=8)
        exc = self.assertRaisesNaming(errors.PackageTooLarge, 'more than the '
                                      'limit of 8', packaging.read_package,
                                      self.package(members), limits=limits)
        self.assertIn('package.csar', str(exc))
        self.assertNoScratchLeft()

    def test_member_too_large(self):
        members = _csar(('Artifacts/big.bin', b'a' * 5000))
        limits = limits_mod.Limits(max_member_size=4096)
        self.assertRaisesNaming(errors.PackageTooLarge, 'Artifacts/big.bin',
                                packaging.read_package, self.package(members),
                                limits=limits)

    def test_total_too_large(self):
        members = _csar(*[('Artifacts/%d.bin' % i, b'a' * 3000)
                          for i in range(4)])
        limits = limits_mod.Limits(max_total_size=10000)
        self.assertRaisesNaming(errors.PackageTooLarge, '10000',
                                packaging.read_package, self.package(members),
                                limits=limits)

    def test_compression_ratio_bomb(self):
        members = _csar(('Artifacts/zeros.bin', b'\0' * (2 * 1024 * 1024)))
        exc = self.assertRaisesNaming(
            errors.CompressionRatioExceeded, 'Artifacts/zeros.bin',
            packaging.read_package, self.package(members))
        self.assertIn('ZIP bomb', str(exc))
        self.assertIsInstance(exc, errors.PackageTooLarge)
        self.assertNoScratchLeft()

    def test_small_compressible_files_pass(self):
        members = _csar(('Artifacts/zeros.bin', b'\0' * 100000))
        package = packaging.read_package(self.package(members))
        self.assertEqual('appd', package.form)

    def test_ratio_checked_while_streaming(self):
        # Vetted under permissive limits, read under strict ones: the read
        # itself stops the bomb, on the bytes it actually produced.
        blob = utils.build_zip([('bomb.bin', b'\0' * (4 * 1024 * 1024))])
        permissive = limits_mod.Limits(max_compression_ratio=100000)
        arch = archive.Archive(io.BytesIO(blob), 'x.zip', permissive,
                               archive.Budget(permissive.max_total_size))
        arch.limits = limits_mod.Limits()
        chunks = []
        exc = self.assertRaises(errors.CompressionRatioExceeded,
                                lambda: chunks.extend(arch.stream('bomb.bin')))
        self.assertIn('bomb.bin', str(exc))
        produced = sum(len(c) for c in chunks)
        self.assertLess(produced, 2 * 1024 * 1024)

    def test_size_checked_on_real_bytes(self):
        # A header that understates the size cannot make the reader
        # produce more than it declares, and is caught as corrupt.
        blob = bytearray(utils.build_zip([('a.bin', b'a' * 10000)]))
        central = bytes(blob).rindex(b'PK\x01\x02')
        blob[central + 24:central + 28] = (100).to_bytes(4, 'little')
        limits = limits_mod.Limits()
        arch = archive.Archive(io.BytesIO(bytes(blob)), 'x.zip', limits,
                               archive.Budget(limits.max_total_size))
        exc = self.assertRaises(errors.InvalidPackage, arch.read, 'a.bin',
                                1 << 20)
        self.assertIn('a.bin', str(exc))

    def test_budget_counts_decompressed_bytes(self):
        blob = utils.build_zip([('a.bin', b'a' * 6000),
                                ('b.bin', b'b' * 6000)])
        limits = limits_mod.Limits()
        budget = archive.Budget(10000)
        arch = archive.Archive(io.BytesIO(blob), 'x.zip', limits, budget)
        arch.read('a.bin', 1 << 20)
        arch.read('a.bin', 1 << 20)   # cached: not counted twice
        self.assertEqual(6000, budget.used)
        self.assertRaisesNaming(errors.PackageTooLarge, 'b.bin',
                                arch.digest, 'b.bin', 'sha256')

    def test_yaml_member_over_document_limit(self):
        entry = b'tosca_definitions_version: tosca_simple_yaml_1_3\n' + \
            b'# padding\n' * 500
        members = utils.build_csar('Definitions/appd.yaml', entry,
                                   with_manifest=False)
        limits = limits_mod.Limits(max_yaml_size=2048)
        exc = self.assertRaisesNaming(errors.YamlTooLarge,
                                      'Definitions/appd.yaml',
                                      packaging.read_package,
                                      self.package(members), limits=limits)
        self.assertIn('2048', str(exc))


class TestHelpers(utils.TestCase):

    def test_join_member(self):
        self.assertEqual('a/c.yaml', archive.join_member('a/b', '../c.yaml'))
        self.assertEqual('x.yaml', archive.join_member('', './x.yaml'))
        self.assertIsNone(archive.join_member('a', '../../x'))
        self.assertIsNone(archive.join_member('', '/etc/passwd'))
        self.assertIsNone(archive.join_member('', 'C:/x'))
        self.assertIsNone(archive.join_member('', 'a\\b'))

    def test_normalize_hash_name(self):
        self.assertEqual('sha256', archive.normalize_hash_name('SHA-256'))
        self.assertEqual('sha512', archive.normalize_hash_name('sha512'))
        self.assertIsNone(archive.normalize_hash_name('MD5'))

    def test_scratch_is_private_and_removed(self):
        scratch = archive.Scratch()
        path = scratch.write(b'x', '.bin')
        folder = path.rsplit('/', 1)[0]
        self.assertEqual(0o700, stat.S_IMODE(__import__('os').stat(
            folder).st_mode))
        scratch.cleanup()
        self.assertNoScratchLeft()
