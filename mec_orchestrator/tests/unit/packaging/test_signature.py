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

"""ETSI NFV SOL004 signatures, with a PKI generated at test time."""

import os
from unittest import mock

from mec_orchestrator import packaging
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import package as package_mod
from mec_orchestrator.packaging import signature
from mec_orchestrator.tests.unit.packaging import utils

ENTRY = utils.data(utils.PLAIN_APPD)
EXTRA = {'Artifacts/readme.txt': b'hello\n'}


class SignatureTestCase(utils.TestCase):

    def setUp(self):
        super().setUp()
        self.pki = utils.pki()
        self.store = os.path.join(self.work, 'trust')
        os.mkdir(self.store)
        utils.write(self.store, 'ca.pem', self.pki.pem(self.pki.ca))
        utils.write(self.store, 'other.crt', self.pki.pem(self.pki.other_ca))
        utils.write(self.store, 'README', b'not a certificate')
        self.other_store = utils.write(self.work, 'other.pem',
                                       self.pki.pem(self.pki.other_ca))

    def members(self):
        return utils.build_csar('Definitions/appd.json', ENTRY, EXTRA)

    def signed_manifest(self, members=None, **sign_kwargs):
        members = members or self.members()
        members['manifest.mf'] += self.pki.sign_pem(members['manifest.mf'],
                                                    **sign_kwargs)
        return members

    def read(self, members, **kwargs):
        return packaging.read_package(self.package(members), **kwargs)


class TestSignedManifest(SignatureTestCase):

    def test_trusted_with_ca_directory(self):
        package = self.read(self.signed_manifest(), trust_store=self.store,
                            allow_unsigned=False)
        self.assertTrue(package.signed)
        self.assertTrue(package.signature.trusted)
        self.assertEqual('manifest', package.signature.kind)
        self.assertEqual('CN=Test App Provider', package.signature.signer)
        self.assertTrue(package.manifest.as_dict()['signed'])
        self.assertNoScratchLeft()

    def test_trusted_with_bundle_file(self):
        bundle = utils.write(self.work, 'bundle.pem', self.pki.pem(
            self.pki.other_ca, self.pki.ca))
        package = self.read(self.signed_manifest(), trust_store=bundle,
                            allow_unsigned=False)
        self.assertTrue(package.signature.trusted)

    def test_intermediate_ca_in_trust_store_is_an_anchor(self):
        intermediate, key = utils._certificate(
            'Intermediate CA', ca=True, issuer=self.pki.ca,
            issuer_key=self.pki.ca_key)
        signer, signer_key = utils._certificate(
            'Leaf Provider', issuer=intermediate, issuer_key=key)
        store = utils.write(self.work, 'intermediate.pem',
                            self.pki.pem(intermediate))
        members = self.members()
        cms = (utils.pkcs7.PKCS7SignatureBuilder()
               .set_data(members['manifest.mf'])
               .add_signer(signer, signer_key, utils.hashes.SHA256())
               .sign(utils.serialization.Encoding.DER,
                     [utils.pkcs7.PKCS7Options.DetachedSignature,
                      utils.pkcs7.PKCS7Options.Binary]))
        members['manifest.cms'] = cms
        package = self.read(members, trust_store=store, allow_unsigned=False)
        self.assertEqual('CN=Leaf Provider', package.signature.signer)
        self.assertTrue(package.signature.trusted)

    def test_untrusted_signer(self):
        exc = self.assertRaisesNaming(
            errors.UntrustedSignature, 'manifest.mf', self.read,
            self.signed_manifest(), trust_store=self.other_store,
            allow_unsigned=False)
        self.assertIn('unable to get local issuer certificate', str(exc))
        self.assertNoScratchLeft()

    def test_untrusted_refused_even_if_unsigned_allowed(self):
        self.assertRaises(errors.UntrustedSignature, self.read,
                          self.signed_manifest(rogue=True),
                          trust_store=self.store, allow_unsigned=True)

    def test_tampered_manifest(self):
        members = self.signed_manifest()
        members['manifest.mf'] = members['manifest.mf'].replace(
            b'vnf_product_name: test', b'vnf_product_name: evil')
        exc = self.assertRaisesNaming(errors.SignatureInvalid, 'manifest.mf',
                                      self.read, members,
                                      trust_store=self.store,
                                      allow_unsigned=False)
        self.assertIn('altered', str(exc))
        self.assertNoScratchLeft()

    def test_tampered_file_behind_a_valid_signature(self):
        members = self.signed_manifest()
        members['Artifacts/readme.txt'] = b'hello, world\n'
        self.assertRaisesNaming(errors.ManifestMismatch,
                                'Artifacts/readme.txt', self.read, members,
                                trust_store=self.store,
                                allow_manifest_mismatch=True)

    def test_file_added_behind_a_valid_signature(self):
        members = self.signed_manifest()
        members['Artifacts/extra.sh'] = b'rm -rf /\n'
        exc = self.assertRaisesNaming(errors.ManifestMismatch,
                                      'Artifacts/extra.sh', self.read,
                                      members, trust_store=self.store)
        self.assertIn('signed', str(exc))

    def test_garbage_signature(self):
        members = self.members()
        members['manifest.mf'] += (b'-----BEGIN CMS-----\nAAAABBBBCCCC\n'
                                   b'-----END CMS-----\n')
        self.assertRaisesNaming(errors.SignatureInvalid, 'manifest.mf',
                                self.read, members, trust_store=self.store)

    def test_detached_cms_and_cert_beside_manifest(self):
        members = self.members()
        members['manifest.cms'] = self.pki.sign(members['manifest.mf'],
                                                with_certs=False)
        members['manifest.cert'] = self.pki.pem(self.pki.signer)
        package = self.read(members, trust_store=self.store,
                            allow_unsigned=False)
        self.assertTrue(package.signature.trusted)
        self.assertEqual('manifest.cms', package.signature.member)
        paths = [a['artifactPath'] for a in package.artifacts]
        self.assertNotIn('manifest.cms', paths)
        self.assertNotIn('manifest.cert', paths)

    def test_certificate_named_in_tosca_meta(self):
        members = self.members()
        members['TOSCA-Metadata/TOSCA.meta'] = utils.tosca_meta(
            'Definitions/appd.json', 'manifest.mf', 'Files/signer.pem')
        members['manifest.mf'] = utils.manifest_text({
            name: content for name, content in members.items()
            if name != 'manifest.mf'})
        members['Files/signer.pem'] = self.pki.pem(self.pki.signer)
        members['manifest.mf'] += self.pki.sign_pem(members['manifest.mf'],
                                                    with_certs=False)
        package = self.read(members, trust_store=self.store)
        self.assertTrue(package.signature.trusted)

    def test_signer_certificate_missing(self):
        members = self.signed_manifest(with_certs=False)
        exc = self.assertRaisesNaming(errors.SignatureInvalid, 'manifest.mf',
                                      self.read, members,
                                      trust_store=self.store)
        self.assertIn('signer certificate', str(exc))

    def test_detached_signature_over_other_content(self):
        members = self.members()
        members['manifest.cms'] = self.pki.sign(b'something else')
        self.assertRaisesNaming(errors.SignatureInvalid, 'manifest.cms',
                                self.read, members, trust_store=self.store)


class TestSignedContainer(SignatureTestCase):
    """SOL004 option 2: a ZIP holding the CSAR, its .cms and .cert."""

    def container(self, csar, cms, cert=None):
        members = [('app.csar', csar), ('app.cms', cms)]
        if cert is not None:
            members.append(('app.cert', cert))
        return self.package(members, name='signed.zip')

    def test_trusted(self):
        csar = utils.build_zip(list(self.members().items()))
        path = self.container(csar, self.pki.sign(csar, with_certs=False),
                              self.pki.pem(self.pki.signer))
        package = packaging.read_package(path, trust_store=self.store,
                                         allow_unsigned=False)
        self.assertEqual('container', package.signature.kind)
        self.assertTrue(package.signature.trusted)
        self.assertEqual('5f1d3c2a-9e4b-4c1f-8a7d-2b6e0c9f1a33',
                         package.app_d_id)
        self.assertNoScratchLeft()

    def test_pem_signature_with_embedded_certificate(self):
        csar = utils.build_zip(list(self.members().items()))
        path = self.container(csar, self.pki.sign_pem(csar))
        package = packaging.read_package(path, trust_store=self.store)
        self.assertTrue(package.signature.trusted)

    def test_tampered_csar(self):
        csar = utils.build_zip(list(self.members().items()))
        cms = self.pki.sign(csar)
        other = utils.build_zip(list(self.members().items()) +
                                [('Artifacts/x', b'x')])
        self.assertRaisesNaming(errors.SignatureInvalid, 'app.cms',
                                packaging.read_package,
                                self.container(other, cms),
                                trust_store=self.store)
        self.assertNoScratchLeft()

    def test_untrusted(self):
        csar = utils.build_zip(list(self.members().items()))
        path = self.container(csar, self.pki.sign(csar, rogue=True))
        self.assertRaisesNaming(errors.UntrustedSignature, 'app.cms',
                                packaging.read_package, path,
                                trust_store=self.store)
        self.assertNoScratchLeft()

    def test_bad_certificate_file(self):
        csar = utils.build_zip(list(self.members().items()))
        path = self.container(csar, self.pki.sign(csar), b'not a cert')
        self.assertRaisesNaming(errors.SignatureInvalid, 'app.cert',
                                packaging.read_package, path,
                                trust_store=self.store)


class TestPolicy(SignatureTestCase):

    def test_unsigned_refused_when_required(self):
        exc = self.assertRaises(errors.UnsignedPackage, self.read,
                                self.members(), trust_store=self.store,
                                allow_unsigned=False)
        self.assertIn('not signed', str(exc))
        self.assertNoScratchLeft()

    def test_unsigned_accepted_by_default(self):
        package = self.read(self.members())
        self.assertFalse(package.signed)
        self.assertIsNone(package.signature)
        self.assertIn('The package is not signed.', package.warnings)

    def test_signed_without_trust_store(self):
        package = self.read(self.signed_manifest())
        self.assertTrue(package.signed)
        self.assertFalse(package.signature.trusted)
        self.assertTrue(any('trust store' in w for w in package.warnings))

    def test_signed_without_trust_store_when_signatures_required(self):
        self.assertRaisesNaming(errors.UntrustedSignature, 'no trust store',
                                self.read, self.signed_manifest(),
                                allow_unsigned=False)

    def test_tampered_signature_refused_without_trust_store(self):
        members = self.signed_manifest()
        members['manifest.mf'] = members['manifest.mf'].replace(
            b'vnf_package_version: 1.0', b'vnf_package_version: 6.6')
        self.assertRaises(errors.SignatureInvalid, self.read, members)

    def test_unreadable_trust_store(self):
        exc = self.assertRaises(package_mod.TrustStoreError, self.read,
                                self.members(),
                                trust_store=os.path.join(self.work, 'nope'))
        self.assertFalse(exc.safe)

    def test_openssl_missing(self):
        with mock.patch('shutil.which', return_value=None):
            self.assertRaises(signature.SignatureToolMissing, self.read,
                              self.signed_manifest(), trust_store=self.store)
        self.assertNoScratchLeft()
