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

"""Builders of packages, certificates and signatures for the tests."""

import datetime
import functools
import hashlib
import io
import os
import stat
import tempfile
import zipfile

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography import x509
from cryptography.x509.oid import NameOID
import fixtures
import testtools

DATA = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, 'data',
                    'packages')
CONTAINER_SAMPLE = os.path.join(DATA,
                                'edgegallery_apprules_container_app.csar')
ETHERPAD_SAMPLE = os.path.join(DATA, 'edgegallery_k8splugin_etherpad.csar')
VM_SAMPLE = os.path.join(DATA, 'edgegallery_vm_openstack_vmtest_appd.yaml')
MEC037 = os.path.join(DATA, 'mec037_video_analytics.yaml')
MEA = os.path.join(DATA, 'tosca_mec_profile_edge_cache.yaml')
PLAIN_APPD = os.path.join(DATA, 'plain_appd.json')


def data(path):
    with open(path, 'rb') as handle:
        return handle.read()


def build_zip(members, compression=zipfile.ZIP_DEFLATED):
    """A ZIP archive as bytes.

    :param members: a list of (name, bytes) or (name, bytes, dict) where
        the dict may set ``mode`` (Unix mode bits for the external
        attributes) or ``compression``.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression) as archive:
        for member in members:
            name, content = member[0], member[1]
            options = member[2] if len(member) > 2 else {}
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = options.get('compression', compression)
            if 'mode' in options:
                info.create_system = 3
                info.external_attr = options['mode'] << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def manifest_text(files, metadata=None, algorithm='SHA-256'):
    """A SOL004 manifest listing ``files`` (name -> bytes) with digests."""
    lines = ['metadata:']
    for key, value in (metadata or {
            'vnf_product_name': 'test', 'vnf_provider_id': 'Example',
            'vnf_package_version': '1.0',
            'vnf_release_date_time': '2024-01-01T00:00:00+00:00'}).items():
        lines.append('%s: %s' % (key, value))
    digest = {'SHA-256': hashlib.sha256, 'SHA-512': hashlib.sha512}[algorithm]
    for name, content in files.items():
        lines += ['', 'Source: %s' % name, 'Algorithm: %s' % algorithm,
                  'Hash: %s' % digest(content).hexdigest()]
    return ('\n'.join(lines) + '\n').encode()


def tosca_meta(entry, manifest=None, certificate=None):
    lines = ['TOSCA-Meta-File-Version: 1.0', 'CSAR-Version: 1.1',
             'Created-By: MEC Orchestrator tests',
             'Entry-Definitions: %s' % entry]
    if manifest:
        lines.append('ETSI-Entry-Manifest: %s' % manifest)
    if certificate:
        lines.append('ETSI-Entry-Certificate: %s' % certificate)
    return ('\n'.join(lines) + '\n').encode()


def build_csar(entry_name, entry, extra=None, *, with_manifest=True,
               with_meta=True, algorithm='SHA-256'):
    """A CSAR with TOSCA.meta, the entry definitions, files and a manifest.

    :returns: a dict name -> bytes (pass it to :func:`build_zip`).
    """
    files = {entry_name: entry}
    files.update(extra or {})
    members = dict(files)
    if with_meta:
        members['TOSCA-Metadata/TOSCA.meta'] = tosca_meta(
            entry_name, 'manifest.mf' if with_manifest else None)
    if with_manifest:
        listed = dict(files)
        if with_meta:
            listed['TOSCA-Metadata/TOSCA.meta'] = members[
                'TOSCA-Metadata/TOSCA.meta']
        name = 'manifest.mf' if with_meta else \
            os.path.splitext(entry_name)[0] + '.mf'
        members[name] = manifest_text(listed, algorithm=algorithm)
    return members


def rehash_manifest(members, manifest_name):
    """Rewrite a manifest's Hash lines with the real digests."""
    lines = members[manifest_name].decode().splitlines()
    source = None
    for index, line in enumerate(lines):
        if line.startswith('Source:'):
            source = line.split(':', 1)[1].strip()
        elif line.startswith('Hash:') and source in members:
            lines[index] = 'Hash: ' + hashlib.sha256(
                members[source]).hexdigest()
    members[manifest_name] = ('\n'.join(lines) + '\n').encode()
    return members


def read_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info)
                for info in archive.infolist() if not info.is_dir()}


def write(directory, name, content):
    path = os.path.join(directory, name)
    with open(path, 'wb') as handle:
        handle.write(content)
    return path


# -- PKI ---------------------------------------------------------------------

class Pki:
    """A CA, a signer it issued, and an unrelated CA, made at test time."""

    def __init__(self):
        self.ca, self.ca_key = _certificate('Test Package CA', ca=True)
        self.signer, self.signer_key = _certificate(
            'Test App Provider', issuer=self.ca, issuer_key=self.ca_key)
        self.other_ca, _key = _certificate('Unrelated CA', ca=True)
        self.rogue, self.rogue_key = _certificate('Rogue Provider')

    @staticmethod
    def pem(*certs):
        return b''.join(c.public_bytes(serialization.Encoding.PEM)
                        for c in certs)

    def sign(self, content, *, rogue=False, with_certs=True):
        """A detached CMS signature over ``content`` (DER)."""
        cert, key = (self.rogue, self.rogue_key) if rogue else \
            (self.signer, self.signer_key)
        options = [pkcs7.PKCS7Options.DetachedSignature,
                   pkcs7.PKCS7Options.Binary]
        if not with_certs:
            options.append(pkcs7.PKCS7Options.NoCerts)
        return (pkcs7.PKCS7SignatureBuilder().set_data(content)
                .add_signer(cert, key, hashes.SHA256())
                .sign(serialization.Encoding.DER, options))

    def sign_pem(self, content, **kwargs):
        import base64
        body = base64.encodebytes(self.sign(content, **kwargs)).decode()
        return ('-----BEGIN CMS-----\n%s-----END CMS-----\n' % body).encode()


@functools.cache
def pki():
    return Pki()


def _certificate(name, ca=False, issuer=None, issuer_key=None):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
                              critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    return builder.sign(issuer_key or key, hashes.SHA256()), key


# -- base test case ---------------------------------------------------------

class TestCase(testtools.TestCase):
    """A library test: a private temp dir that must be empty at the end."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())
        self.tmp = tempfile.gettempdir()
        self.work = self.useFixture(fixtures.TempDir()).path

    def package(self, members, name='package.csar'):
        """Write a package (dict or list of members) and return its path."""
        if isinstance(members, dict):
            members = list(members.items())
        return write(self.work, name, build_zip(members))

    def assertNoScratchLeft(self):
        left = [name for name in os.listdir(self.tmp)
                if name.startswith('mec-pkg-')]
        self.assertEqual([], left)

    def assertRaisesNaming(self, exc_class, culprit, func, *args, **kwargs):
        """Assert the error class and that its message names the culprit."""
        exc = self.assertRaises(exc_class, func, *args, **kwargs)
        message = str(exc)
        self.assertIn(culprit, message)
        self.assertNotIn('Traceback', message)
        self.assertNotIn(self.tmp, message)
        return exc


SYMLINK_MODE = stat.S_IFLNK | 0o777
