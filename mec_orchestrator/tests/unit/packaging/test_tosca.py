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

"""Import resolution and tosca-parser validation."""

import os
import threading
from unittest import mock
import urllib.request

import yaml

from mec_orchestrator import packaging
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import tosca
from mec_orchestrator.tests.unit.packaging import utils

MEC037_URL = ('https://forge.etsi.org/rep/mec/gs037-pkg-format/raw/v3.2.1/'
              'MecAppDTypes.yaml')


def mec037_template(imports, extra_node_types=None):
    """The MEC 037 fixture with other imports."""
    doc = yaml.safe_load(utils.data(utils.MEC037))
    doc['imports'] = imports
    doc['node_types'].update(extra_node_types or {})
    return yaml.safe_dump(doc).encode()


class NoNetwork(utils.TestCase):
    """Any attempt of tosca-parser or of the reader to fetch fails."""

    def setUp(self):
        super().setUp()
        self.fetch = self.useFixture_mock('urllib.request.urlopen')
        self.get = self.useFixture_mock('requests.get')

    def useFixture_mock(self, target):
        patcher = mock.patch(target, side_effect=AssertionError(
            'network access to %s' % target))
        self.addCleanup(patcher.stop)
        return patcher.start()

    def tearDown(self):
        self.assertFalse(self.fetch.called)
        self.assertFalse(self.get.called)
        super().tearDown()


class TestImports(NoNetwork):

    def package(self, entry, extra=None):
        members = utils.build_csar('Definitions/appd.yaml', entry, extra,
                                   with_manifest=False)
        return super().package(members)

    def test_well_known_url_is_never_fetched(self):
        package = packaging.read_package(self.package(
            mec037_template([MEC037_URL])))
        self.assertEqual('mec037', package.form)
        self.assertTrue(any('MecAppDTypes.yaml' in w
                            for w in package.warnings))

    def test_package_copy_preferred_to_url(self):
        types = utils.data(os.path.join(
            tosca._DATA_DIR, 'etsi_mec_037_appd_types.yaml'))
        sol001 = utils.data(os.path.join(
            tosca._DATA_DIR, 'etsi_nfv_sol001_types.yaml'))
        types = types.replace(b'data_types:', b'imports: [sol001.yaml]\n'
                              b'data_types:', 1)
        package = packaging.read_package(self.package(
            mec037_template([MEC037_URL]),
            {'Definitions/MecAppDTypes.yaml': types,
             'Definitions/sol001.yaml': sol001}))
        self.assertEqual(['Definitions/MecAppDTypes.yaml',
                          'Definitions/sol001.yaml'],
                         sorted(package.tosca_imports))
        self.assertNotIn('Definitions/MecAppDTypes.yaml',
                         [a['artifactPath'] for a in package.artifacts])

    def test_unknown_url(self):
        url = 'https://example.com/types/acme.yaml'
        exc = self.assertRaisesNaming(
            errors.MissingImport, url, packaging.read_package,
            self.package(mec037_template([MEC037_URL, url])))
        self.assertIn('never fetched', str(exc))
        self.assertIn('Definitions/appd.yaml', str(exc))
        self.assertNoScratchLeft()

    def test_file_url(self):
        self.assertRaisesNaming(errors.MissingImport, 'file:///etc/passwd',
                                packaging.read_package, self.package(
                                    mec037_template(['file:///etc/passwd'])))

    def test_missing_relative_import(self):
        exc = self.assertRaisesNaming(
            errors.MissingImport, 'acme_types.yaml', packaging.read_package,
            self.package(mec037_template([MEC037_URL, 'acme_types.yaml'])))
        self.assertIn('Definitions/acme_types.yaml is not in the package',
                      str(exc))

    def test_import_outside_package(self):
        self.assertRaisesNaming(
            errors.UnsafeMember, '../../../etc/passwd',
            packaging.read_package,
            self.package(mec037_template(['../../../etc/passwd'])))

    def test_absolute_import(self):
        self.assertRaisesNaming(errors.UnsafeMember, '/etc/hosts',
                                packaging.read_package, self.package(
                                    mec037_template(['/etc/hosts'])))

    def test_import_in_cwd_is_not_used(self):
        # tosca-parser looks an import up in the process's current
        # directory first; the reader never does.
        utils.write(self.work, 'acme.yaml', b'node_types: {}\n')
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(self.work)
        self.assertRaises(errors.MissingImport, packaging.read_package,
                          self.package(mec037_template(['acme.yaml'])))

    def test_repository_import(self):
        entry = mec037_template([{'file': 'acme.yaml',
                                  'repository': 'acme'}])
        doc = yaml.safe_load(entry)
        doc['repositories'] = {'acme': {'url': 'https://acme.example/t'}}
        self.assertRaisesNaming(errors.MissingImport, 'acme.yaml',
                                packaging.read_package,
                                self.package(yaml.safe_dump(doc).encode()))

    def test_nested_imports_and_cycles(self):
        first = (b'imports: [second.yaml, ' + MEC037_URL.encode() + b']\n'
                 b'data_types:\n  Acme.First: {derived_from: '
                 b'tosca.datatypes.Root}\n')
        second = (b'imports: [first.yaml]\n'
                  b'data_types:\n  Acme.Second: {derived_from: Acme.First}\n')
        package = packaging.read_package(self.package(
            mec037_template(['types/first.yaml']),
            {'Definitions/types/first.yaml': first,
             'Definitions/types/second.yaml': second}))
        self.assertEqual({'Definitions/types/first.yaml',
                          'Definitions/types/second.yaml'},
                         set(package.tosca_imports))
        self.assertIn('Acme.Second', package.tosca_template['data_types'])
        self.assertNotIn('imports', package.tosca_template)

    def test_namespace_prefix(self):
        types = (b'data_types:\n  Thing: {derived_from: tosca.datatypes.Root,'
                 b' properties: {a: {type: string}}}\n')
        entry = mec037_template([
            MEC037_URL, {'file': 'acme.yaml', 'namespace_prefix': 'acme'}])
        package = packaging.read_package(self.package(
            entry, {'Definitions/acme.yaml': types}))
        self.assertIn('acme.Thing', package.tosca_template['data_types'])

    def test_import_must_be_list(self):
        self.assertRaisesNaming(errors.ToscaInvalid, 'imports',
                                packaging.read_package,
                                self.package(mec037_template(MEC037_URL)))

    def test_too_many_imports(self):
        extra = {}
        for index in range(70):
            extra['Definitions/t%d.yaml' % index] = (
                'imports: [t%d.yaml]\n' % (index + 1)).encode()
        self.assertRaisesNaming(errors.PackageTooLarge, 'imports more than',
                                packaging.read_package,
                                self.package(mec037_template(['t0.yaml']),
                                             extra))

    def test_imported_file_not_a_mapping(self):
        self.assertRaisesNaming(errors.ToscaInvalid, 'Definitions/l.yaml',
                                packaging.read_package, self.package(
                                    mec037_template(['l.yaml']),
                                    {'Definitions/l.yaml': b'- a\n- b\n'}))

    def test_vendor_type_file_replaced(self):
        document = utils.data(utils.VM_SAMPLE)
        result = packaging.read_appd_document(document, 'vmtest.yaml')
        self.assertEqual('vmtest_X86_ubuntu', result['appDId'])


class TestToscaParser(NoNetwork):

    def test_message_of_tosca_parser_is_passed_on(self):
        entry = mec037_template([MEC037_URL]).replace(
            b'role: leaf', b'role: leaf\n        colour: blue')
        exc = self.assertRaisesNaming(errors.ToscaInvalid, 'colour',
                                      packaging.read_appd_document, entry,
                                      'appd.yaml')
        self.assertIn('appd.yaml', str(exc))
        self.assertNotIn('File "', str(exc))

    def test_several_messages(self):
        entry = mec037_template([MEC037_URL]).replace(
            b'role: leaf', b'role: trunk\n        colour: blue')
        exc = self.assertRaises(errors.ToscaInvalid,
                                packaging.read_appd_document, entry, 'a.yaml')
        self.assertIn('colour', str(exc))
        self.assertIn('trunk', str(exc))

    def test_unknown_type(self):
        entry = mec037_template([MEC037_URL]).replace(
            b'type: tosca.nodes.nfv.VduCp', b'type: acme.nodes.Port')
        self.assertRaisesNaming(errors.ToscaInvalid, 'acme.nodes.Port',
                                packaging.read_appd_document, entry, 'a.yaml')

    def test_tosca_parser_crash_is_reported(self):
        # tosca-parser raises TypeError on a group of unknown type.
        entry = yaml.safe_load(mec037_template([MEC037_URL]))
        entry['topology_template']['groups'] = {
            'g': {'type': 'acme.groups.Unknown', 'members': ['VideoCp']}}
        exc = self.assertRaises(errors.ToscaInvalid,
                                packaging.read_appd_document,
                                yaml.safe_dump(entry).encode(), 'a.yaml')
        self.assertIn('a.yaml', str(exc))
        self.assertNotIn('Traceback', str(exc))

    def test_bad_version(self):
        entry = mec037_template([MEC037_URL]).replace(
            b'tosca_simple_yaml_1_3', b'tosca_simple_yaml_9_9')
        self.assertRaisesNaming(errors.ToscaInvalid, 'tosca_simple_yaml_9_9',
                                packaging.read_appd_document, entry, 'a.yaml')

    def test_collector_left_clean(self):
        from toscaparser.common import exception as tosca_exception
        entry = mec037_template([MEC037_URL]).replace(
            b'role: leaf', b'role: leaf\n        colour: blue')
        self.assertRaises(errors.ToscaInvalid, packaging.read_appd_document,
                          entry, 'a.yaml')
        self.assertFalse(tosca_exception.ExceptionCollector.collecting)
        self.assertEqual([], tosca_exception.ExceptionCollector.exceptions)

    def test_parallel_parsing(self):
        good = utils.data(utils.MEC037)
        bad = mec037_template([MEC037_URL]).replace(
            b'role: leaf', b'role: leaf\n        colour: blue')
        results = []

        def worker(document, expect_ok):
            for _attempt in range(3):
                try:
                    packaging.read_appd_document(document, 'a.yaml')
                    results.append(expect_ok)
                except errors.ToscaInvalid as exc:
                    results.append(not expect_ok and 'colour' in str(exc))

        threads = [threading.Thread(target=worker, args=(doc, ok))
                   for doc, ok in ((good, True), (bad, False)) * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([True] * 18, results)

    def test_build_tosca_template_for_the_infra_driver(self):
        package = packaging.read_package(self.package(utils.build_csar(
            'Definitions/appd.yaml', utils.data(utils.MEC037),
            with_manifest=False)))
        template = package.tosca()
        self.assertIn('VideoAnalyticsVdu',
                      [node.name for node in template.nodetemplates])
        again = tosca.build_tosca_template(package.tosca_template)
        self.assertEqual(len(template.nodetemplates),
                         len(again.nodetemplates))

    def test_heat_translator_accepts_the_template(self):
        from translator.hot import tosca_translator
        package = packaging.read_package(self.package(utils.build_csar(
            'Definitions/appd.yaml', utils.data(utils.MEC037),
            with_manifest=False)))
        hot = tosca_translator.TOSCATranslator(package.tosca(),
                                               {}).translate()
        self.assertIn('OS::Nova::Server', hot)
        self.assertIn('ram: 4096', hot)


class TestProfiles(utils.TestCase):

    def test_profiles_load_and_are_copies(self):
        for name in tosca.PROFILES:
            types = tosca.profile_types(name)
            self.assertIn('node_types', types)
            types['node_types'].clear()
            self.assertTrue(tosca.profile_types(name)['node_types'])

    def test_urlopen_untouched(self):
        self.assertIsNotNone(urllib.request.urlopen)
