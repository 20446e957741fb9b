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

"""read_package on real samples and on packages built for each case."""

import hashlib
import io
import json
import os
import zipfile

from oslo_config import cfg

from mec_orchestrator.conf import packaging as packaging_conf
from mec_orchestrator import packaging
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.tests.unit.packaging import utils

PLAIN = utils.data(utils.PLAIN_APPD)


class TestEdgeGallerySamples(utils.TestCase):

    def test_placeholder_digests_are_refused(self):
        for sample, culprit in (
                (utils.CONTAINER_SAMPLE,
                 'Artifacts/Deployment/Charts/testposiu.tgz'),
                (utils.ETHERPAD_SAMPLE,
                 'Artifacts/Deployment/Charts/etherpad.tgz')):
            exc = self.assertRaisesNaming(errors.ManifestMismatch, culprit,
                                          packaging.read_package, sample)
            self.assertIn('c21317143c6c2618e61afc8e1e599b32a470705cdcc979c9'
                          'c9b69f5f00017930', str(exc))
        self.assertNoScratchLeft()

    def test_container_sample(self):
        package = packaging.read_package(utils.CONTAINER_SAMPLE,
                                         allow_manifest_mismatch=True)
        self.assertEqual('edgegallery', package.form)
        self.assertEqual('EdgeGallery-positioning-service', package.app_d_id)
        self.assertEqual(
            'APPD/MainServiceTemplate.zip!/Definition/MainServiceTemplate.yaml',
            package.entry_definitions)
        self.assertEqual('3.25', package.meta['CSAR-Version'])
        self.assertEqual('EdgeGallery', package.meta['Created-By'])
        self.assertEqual('test_posiu',
                         package.manifest.metadata['app_product_name'])
        appd = package.appd
        self.assertEqual('test_posiu', appd['appName'])
        self.assertEqual({'serName': 'service-discovery', 'version': '1.0'},
                         appd['appServiceRequired'][0])
        rule = appd['appTrafficRule'][0]
        self.assertEqual(('trafficRule1', 'FLOW', 1, 'PASSTHROUGH'),
                         (rule['trafficRuleId'], rule['filterType'],
                          rule['priority'], rule['action']))
        self.assertEqual(['172.30.2.0/28'],
                         rule['trafficFilter'][0]['dstAddress'])
        self.assertEqual(['8080'], rule['trafficFilter'][0]['srcPort'])
        self.assertEqual({'interfaceType': 'TUNNEL',
                          'tunnelInfo': {'tunnelType': 'GTP-U',
                                         'tunnelDstAddress': '10.10.10.10',
                                         'tunnelSrcAddress': '11.11.11.11'},
                          'srcMACAddress': '02-00-00-00-00-00',
                          'dstMACAddress': '02-00-00-00-00-00',
                          'dstIPAddress': '192.0.2.0'},
                         rule['dstInterface'][0])
        self.assertEqual([{'dnsRuleId': 'dnsRule1',
                           'domainName': 'positioningservice.org',
                           'ipAddressType': 'IP_V4',
                           'ipAddress': '172.30.2.17', 'ttl': 100}],
                         appd['appDNSRule'])
        self.assertEqual({'virtualMemSize': 4096},
                         appd['virtualComputeDescriptor']['virtualMemory'])
        self.assertEqual(2, len(package.sw_images))
        self.assertEqual('positioning_service:1.0', package.sw_images[0][
            'name'])
        self.assertEqual('positioning_service:1.0',
                         appd['swImageDescriptor']['name'])
        self.assertIn('tosca_definitions_version',
                      package.tosca_template_text)
        self.assertNotIn('imports', package.tosca_template)
        self.assertIn('tosca.nodes.nfv.app.configuration',
                      package.tosca_template['node_types'])
        self.assertIn('Artifacts/Deployment/Charts/testposiu.tgz',
                      [a['artifactPath'] for a in package.artifacts])
        self.assertTrue(any('testposiu.tgz does not match' in w
                            for w in package.warnings))
        self.assertNoScratchLeft()

    def test_etherpad_sample(self):
        package = packaging.read_package(utils.ETHERPAD_SAMPLE,
                                         allow_manifest_mismatch=True)
        self.assertEqual('edgegallery', package.form)
        self.assertEqual('APPD/Definition/MainServiceTemplate.yaml',
                         package.entry_definitions)
        self.assertEqual('positioning-service', package.appd['appName'])
        self.assertNotIn('appServiceRequired', package.appd)
        self.assertEqual('etherpad:latest',
                         package.appd['swImageDescriptor']['name'])
        self.assertEqual(hashlib.sha256(utils.data(
            utils.ETHERPAD_SAMPLE)).hexdigest(), package.checksum['hash'])

    def test_samples_with_correct_digests_pass_strictly(self):
        for sample, manifest in ((utils.CONTAINER_SAMPLE, 'test_posiu.mf'),
                                 (utils.ETHERPAD_SAMPLE, 'etherpad.mf')):
            members = utils.rehash_manifest(utils.read_zip(sample), manifest)
            package = packaging.read_package(self.package(members))
            self.assertTrue(all(e.verified for e in package.manifest.entries))
            self.assertEqual('edgegallery', package.form)


class TestForms(utils.TestCase):

    def test_json_appd_package(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN, {
            'Artifacts/images/location-notifier.qcow2': b'QFI\xfb' * 64})
        package = packaging.read_package(self.package(members))
        self.assertEqual('appd', package.form)
        self.assertEqual(json.loads(PLAIN), package.appd)
        self.assertIsNone(package.tosca_template)
        self.assertIsNone(package.tosca_template_text)
        self.assertIsNone(package.tosca())
        image = [a for a in package.artifacts if a['artifactPath'] ==
                 'Artifacts/images/location-notifier.qcow2'][0]
        self.assertTrue(image['checksum']['verified'])
        self.assertNoScratchLeft()

    def test_mec037_package(self):
        members = utils.build_csar('Definitions/video.yaml',
                                   utils.data(utils.MEC037), {
                                       'Artifacts/images/video.qcow2': b'x'})
        package = packaging.read_package(self.package(members))
        self.assertEqual('mec037', package.form)
        self.assertEqual('8f8e2e8e-0c4b-4a4e-9d52-3d1f2f0c7a10',
                         package.app_d_id)
        self.assertEqual(utils.data(utils.MEC037).decode(),
                         package.tosca_template_text)
        self.assertEqual([package.appd['swImageDescriptor']],
                         package.sw_images)
        self.assertFalse(any('software image' in w
                             for w in package.warnings))

    def test_missing_image_is_a_warning(self):
        members = utils.build_csar('Definitions/video.yaml',
                                   utils.data(utils.MEC037))
        package = packaging.read_package(self.package(members))
        self.assertIn('The software image ../Artifacts/images/video.qcow2 '
                      'is not in the package.', package.warnings)

    def test_mec_profile_package_without_tosca_meta(self):
        members = utils.build_csar('edge_cache.yaml', utils.data(utils.MEA),
                                   with_meta=False)
        self.assertIn('edge_cache.mf', members)
        package = packaging.read_package(self.package(members))
        self.assertEqual('tosca-mec-profile', package.form)
        self.assertEqual({}, package.meta)
        self.assertEqual('edge_cache.mf', package.manifest.path)
        self.assertEqual('edge_cache.yaml', package.entry_definitions)

    def test_file_object(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN)
        stream = io.BytesIO(utils.build_zip(list(members.items())))
        package = packaging.read_package(stream)
        self.assertEqual('appd', package.form)

    def test_sha512_manifest(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   algorithm='SHA-512')
        package = packaging.read_package(self.package(members))
        self.assertEqual('SHA-512', package.manifest.entries[0].algorithm)
        self.assertTrue(package.manifest.entries[0].verified)


class TestStructure(utils.TestCase):

    def test_no_tosca_meta_and_several_root_yamls(self):
        members = {'a.yaml': b'a: 1\n', 'b.yaml': b'b: 2\n'}
        exc = self.assertRaisesNaming(errors.MissingToscaMeta,
                                      'a.yaml, b.yaml',
                                      packaging.read_package,
                                      self.package(members))
        self.assertIn('TOSCA.meta', str(exc))
        self.assertNoScratchLeft()

    def test_no_tosca_meta_and_no_root_yaml(self):
        self.assertRaisesNaming(errors.MissingToscaMeta, '0 YAML',
                                packaging.read_package,
                                self.package({'Files/x.txt': b'x'}))

    def test_empty_tosca_metadata_directory(self):
        members = [('TOSCA-Metadata/', b''), ('appd.json', PLAIN)]
        self.assertRaisesNaming(errors.MissingToscaMeta, 'TOSCA-Metadata',
                                packaging.read_package, self.package(members))

    def test_entry_definitions_not_in_package(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   with_manifest=False)
        members['TOSCA-Metadata/TOSCA.meta'] = utils.tosca_meta(
            'Definitions/other.yaml')
        self.assertRaisesNaming(errors.MissingEntryDefinitions,
                                'Definitions/other.yaml',
                                packaging.read_package, self.package(members))

    def test_no_entry_definitions_key(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   with_manifest=False)
        members['TOSCA-Metadata/TOSCA.meta'] = b'CSAR-Version: 1.1\n'
        self.assertRaisesNaming(errors.MissingEntryDefinitions,
                                'Entry-Definitions',
                                packaging.read_package, self.package(members))

    def test_entry_definitions_outside_package(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   with_manifest=False)
        members['TOSCA-Metadata/TOSCA.meta'] = utils.tosca_meta(
            '../appd.json')
        self.assertRaisesNaming(errors.UnsafeMember, '../appd.json',
                                packaging.read_package, self.package(members))

    def test_named_manifest_missing(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN)
        del members['manifest.mf']
        self.assertRaisesNaming(errors.InvalidManifest, 'manifest.mf',
                                packaging.read_package, self.package(members))

    def test_nested_archive_without_entry(self):
        inner = utils.build_zip([('a.yaml', b'a: 1\n'), ('b.yaml', b'b: 1\n')])
        members = utils.build_csar('APPD/appd.zip', inner,
                                   with_manifest=False)
        self.assertRaisesNaming(errors.MissingEntryDefinitions,
                                'APPD/appd.zip', packaging.read_package,
                                self.package(members))
        self.assertNoScratchLeft()

    def test_nested_archive_is_vetted(self):
        inner = utils.build_zip([('appd.json', PLAIN),
                                 ('../escape.txt', b'x')])
        members = utils.build_csar('APPD/appd.zip', inner,
                                   with_manifest=False)
        self.assertRaisesNaming(errors.UnsafeMember, '../escape.txt',
                                packaging.read_package, self.package(members))
        self.assertNoScratchLeft()

    def test_large_nested_archive_is_staged_and_removed(self):
        inner = utils.build_zip([('appd.json', PLAIN),
                                 ('noise.bin', os.urandom(20000))],
                                zipfile.ZIP_STORED)
        members = utils.build_csar('APPD/appd.zip', inner)
        limits = limits_mod.Limits(max_yaml_size=8192)
        package = packaging.read_package(self.package(members),
                                         limits=limits)
        self.assertEqual('APPD/appd.zip!/appd.json',
                         package.entry_definitions)
        self.assertNoScratchLeft()

    def test_nested_archive_bomb(self):
        inner = utils.build_zip([('appd.json', PLAIN),
                                 ('zeros', b'\0' * (3 * 1024 * 1024))])
        members = utils.build_csar('APPD/appd.zip', inner,
                                   with_manifest=False)
        self.assertRaisesNaming(errors.CompressionRatioExceeded, 'zeros',
                                packaging.read_package, self.package(members))

    def test_sw_image_desc_must_be_a_list(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN, {
            'Image/SwImageDesc.json': b'"just a string"'})
        self.assertRaisesNaming(errors.InvalidPackage,
                                'Image/SwImageDesc.json',
                                packaging.read_package, self.package(members))


class TestManifestChecks(utils.TestCase):

    def test_mismatch_names_file(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   {'Artifacts/a.txt': b'original'})
        members['Artifacts/a.txt'] = b'changed'
        exc = self.assertRaisesNaming(errors.ManifestMismatch,
                                      'Artifacts/a.txt',
                                      packaging.read_package,
                                      self.package(members))
        self.assertIn('manifest.mf', str(exc))
        self.assertNoScratchLeft()

    def test_listed_file_missing(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   {'Artifacts/a.txt': b'original'})
        del members['Artifacts/a.txt']
        exc = self.assertRaisesNaming(errors.ManifestMissingFile,
                                      'Artifacts/a.txt',
                                      packaging.read_package,
                                      self.package(members),
                                      allow_manifest_mismatch=True)
        self.assertIsInstance(exc, errors.ManifestMismatch)

    def test_mismatch_allowed_becomes_warning(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN,
                                   {'Artifacts/a.txt': b'original'})
        members['Artifacts/a.txt'] = b'changed'
        package = packaging.read_package(self.package(members),
                                         allow_manifest_mismatch=True)
        self.assertTrue(any('Artifacts/a.txt does not match' in w
                            for w in package.warnings))

    def test_unlisted_files_are_reported(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN)
        members['Artifacts/extra.txt'] = b'x'
        package = packaging.read_package(self.package(members))
        self.assertTrue(any('does not list 1 files: Artifacts/extra.txt' in w
                            for w in package.warnings))

    def test_external_sources_are_not_fetched(self):
        members = utils.build_csar('Definitions/appd.json', PLAIN)
        members['manifest.mf'] += (b'\nSource: https://example.com/i.qcow2\n'
                                   b'Algorithm: SHA-256\nHash: ' +
                                   b'ab' * 32 + b'\n')
        package = packaging.read_package(self.package(members))
        self.assertTrue(package.manifest.entries[-1].external)


class TestTempFiles(utils.TestCase):
    """The reader leaves nothing behind, on success or failure."""

    def test_success_and_failure_with_nested_and_signed(self):
        pki = utils.pki()
        good = utils.read_zip(utils.CONTAINER_SAMPLE)
        utils.rehash_manifest(good, 'test_posiu.mf')
        csar = utils.build_zip(list(good.items()))
        signed = self.package([('app.csar', csar),
                               ('app.cms', pki.sign(csar))], 'signed.zip')
        packaging.read_package(signed)
        self.assertNoScratchLeft()
        bad = self.package([('app.csar', csar),
                            ('app.cms', pki.sign(b'other'))], 'bad.zip')
        self.assertRaises(errors.SignatureInvalid, packaging.read_package,
                          bad)
        self.assertNoScratchLeft()
        broken = dict(good)
        broken['APPD/MainServiceTemplate.zip'] = b'not a zip'
        utils.rehash_manifest(broken, 'test_posiu.mf')
        self.assertRaises(errors.InvalidPackage, packaging.read_package,
                          self.package(broken))
        self.assertNoScratchLeft()


class TestConfig(utils.TestCase):

    def test_limits_and_options_from_conf(self):
        conf = cfg.ConfigOpts()
        packaging_conf.register_opts(conf)
        conf([], default_config_files=[])
        self.assertEqual(limits_mod.Limits(),
                         limits_mod.Limits.from_conf(conf))
        conf.set_override('max_members', 10, group='packaging')
        conf.set_override('trust_store', '/etc/mec/ca', group='packaging')
        conf.set_override('allow_unsigned', False, group='packaging')
        options = limits_mod.reader_options_from_conf(conf)
        self.assertEqual(10, options['limits'].max_members)
        self.assertEqual('/etc/mec/ca', options['trust_store'])
        self.assertFalse(options['allow_unsigned'])
        self.assertFalse(options['allow_manifest_mismatch'])

    def test_every_option_has_help(self):
        for opt in packaging_conf.opts:
            self.assertTrue(opt.help, opt.name)
