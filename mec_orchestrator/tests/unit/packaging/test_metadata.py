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

import base64

from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import metadata
from mec_orchestrator.tests.unit.packaging import utils


class TestToscaMeta(utils.TestCase):

    def test_sol004(self):
        text = ('TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                'Created-By: Someone\nEntry-Definitions: Definitions/a.yaml\n'
                'ETSI-Entry-Manifest: a.mf\nETSI-Entry-Certificate: a.cert\n')
        meta = metadata.parse_tosca_meta(text, 'TOSCA.meta')
        self.assertEqual('Definitions/a.yaml', meta.get('Entry-Definitions'))
        self.assertEqual('a.mf', meta.get('ETSI-Entry-Manifest'))
        self.assertEqual('a.cert', meta.get('ETSI-Entry-Certificate'))

    def test_edgegallery_spelling_and_blocks(self):
        text = ('TOSCA-Meta-File-Version: 1.0\r\nCSAR-Version: 3.25\r\n'
                'Created-by: EdgeGallery\r\nEntry-Definitions: APPD/x.zip\r\n'
                '\r\nName: Image/SwImageDesc.json\r\nContent-Type: '
                'SwImageDesc')
        meta = metadata.parse_tosca_meta(text, 'TOSCA.meta')
        self.assertEqual('EdgeGallery', meta.get('Created-By'))
        self.assertEqual([{'Name': 'Image/SwImageDesc.json',
                           'Content-Type': 'SwImageDesc'}], meta.blocks)

    def test_continuation_line(self):
        meta = metadata.parse_tosca_meta(
            'Entry-Definitions: Definitions/very/long/\n path.yaml\n', 'm')
        self.assertEqual('Definitions/very/long/path.yaml',
                         meta.get('Entry-Definitions'))

    def test_malformed(self):
        self.assertRaisesNaming(errors.InvalidToscaMeta, 'line 2',
                                metadata.parse_tosca_meta,
                                'CSAR-Version: 1.1\nnot a pair\n', 'm')
        self.assertRaisesNaming(errors.InvalidToscaMeta, 'CSAR-Version',
                                metadata.parse_tosca_meta,
                                'CSAR-Version: 1.1\ncsar-version: 2\n', 'm')
        self.assertRaises(errors.InvalidToscaMeta, metadata.parse_tosca_meta,
                          '\n\n', 'm')


class TestManifest(utils.TestCase):

    def test_full(self):
        text = (b'metadata:\nvnf_product_name: app\nvnfd_id: 42\n\n'
                b'non_mano_artifact_sets:\n  tests:\n'
                b'    Source: Files/Tests/a.txt\n\n'
                b'Source: Definitions/a.yaml\nAlgorithm: SHA-256\n'
                b'Hash: ' + b'ab' * 32 + b'\n\n'
                b'Source: https://example.com/image.qcow2\n'
                b'Algorithm: SHA-512\nHash: ' + b'cd' * 64 + b'\n\n'
                b'Source: Files/Tests/a.txt\n')
        manifest = metadata.parse_manifest(text, 'app.mf')
        self.assertEqual({'vnf_product_name': 'app', 'vnfd_id': '42'},
                         manifest.metadata)
        self.assertEqual({'tests': ['Files/Tests/a.txt']},
                         manifest.non_mano_artifact_sets)
        self.assertEqual(['Definitions/a.yaml', None, 'Files/Tests/a.txt'],
                         [e.path for e in manifest.entries])
        self.assertTrue(manifest.entries[1].external)
        self.assertIsNone(manifest.entries[2].hash)
        self.assertIsNone(manifest.signature)

    def test_signature_block(self):
        body = b'metadata:\nvnf_product_name: app\n\n'
        der = b'0\x82\x01\x02not-really-cms'
        text = body + b'-----BEGIN CMS-----\n' + \
            base64.encodebytes(der) + b'-----END CMS-----\n'
        manifest = metadata.parse_manifest(text, 'app.mf')
        self.assertEqual(der, manifest.signature)
        self.assertEqual(body, manifest.signed_content)

    def test_content_after_signature(self):
        text = (b'metadata:\na: b\n-----BEGIN CMS-----\nAAAA\n'
                b'-----END CMS-----\nSource: x\n')
        self.assertRaisesNaming(errors.InvalidManifest, 'after the signature',
                                metadata.parse_manifest, text, 'app.mf')

    def test_unknown_algorithm(self):
        text = b'Source: a.yaml\nAlgorithm: MD5\nHash: abcd\n'
        exc = self.assertRaisesNaming(errors.InvalidManifest, 'MD5',
                                      metadata.parse_manifest, text, 'app.mf')
        self.assertIn('a.yaml', str(exc))

    def test_hash_without_source(self):
        self.assertRaisesNaming(errors.InvalidManifest, 'line 1',
                                metadata.parse_manifest,
                                b'Hash: abcd\n', 'app.mf')

    def test_source_outside_package(self):
        text = b'Source: ../../etc/passwd\nAlgorithm: SHA-256\nHash: ab\n'
        self.assertRaisesNaming(errors.InvalidManifest, '../../etc/passwd',
                                metadata.parse_manifest, text, 'app.mf')

    def test_algorithm_without_hash(self):
        self.assertRaisesNaming(errors.InvalidManifest, 'a.yaml',
                                metadata.parse_manifest,
                                b'Source: a.yaml\nAlgorithm: SHA-256\n', 'm')

    def test_not_hex(self):
        self.assertRaisesNaming(errors.InvalidManifest, 'hexadecimal',
                                metadata.parse_manifest,
                                b'Source: a\nAlgorithm: SHA-256\nHash: xyz\n',
                                'm')
