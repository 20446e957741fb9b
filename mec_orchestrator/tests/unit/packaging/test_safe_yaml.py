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

import json

from mec_orchestrator import packaging
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.packaging import safe_yaml
from mec_orchestrator.tests.unit.packaging import utils


def billion_laughs(levels=10):
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ', '.join(['*lol%d' % (level - 1)] * 9)
        lines.append('lol%d: &lol%d [%s]' % (level, level, refs))
    return ('\n'.join(lines) + '\n').encode()


class TestLoad(utils.TestCase):

    def test_plain_documents(self):
        self.assertEqual({'a': [1, 2], 'b': {'c': 'd'}},
                         safe_yaml.load(b'a: [1, 2]\nb: {c: d}\n', 'x'))
        self.assertEqual({'a': 1}, safe_yaml.load(b'{"a": 1}', 'x.json'))
        self.assertIsNone(safe_yaml.load(b'', 'empty'))

    def test_result_is_plain_json(self):
        doc = safe_yaml.load(b'when: 2021-03-24 16:24:00\nbin: !!binary aGk=',
                             'x')
        self.assertEqual('2021-03-24 16:24:00', doc['when'])
        self.assertEqual('aGk=', doc['bin'])
        json.dumps(doc)

    def test_small_aliases_are_fine(self):
        doc = safe_yaml.load(b'base: &b {x: 1}\nuse: *b\nmerged: {<<: *b}\n',
                             'x')
        self.assertEqual({'x': 1}, doc['merged'])

    def test_billion_laughs(self):
        exc = self.assertRaisesNaming(errors.YamlBomb, 'lol.yaml',
                                      safe_yaml.load, billion_laughs(),
                                      'lol.yaml')
        self.assertIn('aliases', str(exc))

    def test_bomb_stopped_by_configured_node_limit(self):
        limits = limits_mod.Limits(max_yaml_nodes=1000)
        self.assertRaises(errors.YamlBomb, safe_yaml.load,
                          billion_laughs(levels=4), 'x', limits)
        safe_yaml.load(billion_laughs(levels=2), 'x', limits)

    def test_merge_key_bomb(self):
        lines = ['a0: &a0 {k0: v, k1: v, k2: v, k3: v}']
        for level in range(1, 12):
            previous = level - 1
            lines.append('a%d: &a%d {<<: [*a%d], x%d: [*a%d, *a%d, *a%d]}'
                         % ((level, level, previous, level) + (previous,) * 3))
        self.assertRaises(errors.YamlBomb, safe_yaml.load,
                          '\n'.join(lines).encode(), 'merge.yaml')

    def test_text_bomb(self):
        big = 'x' * 100000
        doc = 'a: &a "%s"\nb: [%s]\n' % (big, ', '.join(['*a'] * 400))
        exc = self.assertRaises(errors.YamlBomb, safe_yaml.load,
                                doc.encode(), 'text.yaml')
        self.assertIn('characters', str(exc))

    def test_recursive_alias(self):
        exc = self.assertRaisesNaming(errors.YamlBomb, 'rec.yaml',
                                      safe_yaml.load, b'a: &a [1, *a]\n',
                                      'rec.yaml')
        self.assertIn('recursive', str(exc))

    def test_deep_nesting(self):
        exc = self.assertRaises(errors.YamlBomb, safe_yaml.load,
                                b'[' * 150 + b']' * 150, 'deep.yaml')
        self.assertIn('deeper than 100', str(exc))
        exc = self.assertRaises(errors.InvalidPackage, safe_yaml.load,
                                b'[' * 5000 + b']' * 5000, 'deeper.yaml')
        self.assertIn('deeper.yaml', str(exc))

    def test_oversize(self):
        limits = limits_mod.Limits(max_yaml_size=1024)
        exc = self.assertRaisesNaming(errors.YamlTooLarge, 'big.yaml',
                                      safe_yaml.load, b'a: b\n' * 300,
                                      'big.yaml', limits)
        self.assertIn('1500 bytes', str(exc))

    def test_syntax_error_names_line(self):
        exc = self.assertRaisesNaming(errors.YamlInvalid, 'bad.yaml',
                                      safe_yaml.load, b'a: 1\nb: [1, 2\n',
                                      'bad.yaml')
        self.assertIn('line 3', str(exc))

    def test_duplicate_keys(self):
        exc = self.assertRaisesNaming(errors.YamlInvalid, 'appDId',
                                      safe_yaml.load,
                                      b'appDId: a\nappDId: b\n', 'dup.yaml')
        self.assertIn('duplicate key', str(exc))

    def test_python_tags_refused(self):
        self.assertRaises(errors.YamlInvalid, safe_yaml.load,
                          b'!!python/object/apply:os.system ["id"]', 'x')

    def test_not_utf8(self):
        self.assertRaisesNaming(errors.YamlInvalid, 'UTF-8', safe_yaml.load,
                                b'a: \xff\xfe\n', 'x')

    def test_several_documents(self):
        self.assertRaises(errors.YamlInvalid, safe_yaml.load,
                          b'a: 1\n---\nb: 2\n', 'x')


class TestInPackages(utils.TestCase):
    """Every YAML of a package goes through the safe loader."""

    def test_bomb_as_entry_definitions(self):
        members = utils.build_csar('Definitions/appd.yaml', billion_laughs(),
                                   with_manifest=False)
        self.assertRaisesNaming(errors.YamlBomb, 'Definitions/appd.yaml',
                                packaging.read_package, self.package(members))
        self.assertNoScratchLeft()

    def test_bomb_as_imported_file(self):
        entry = (b'tosca_definitions_version: tosca_simple_yaml_1_3\n'
                 b'imports: [types.yaml]\n')
        members = utils.build_csar('Definitions/appd.yaml', entry, {
            'Definitions/types.yaml': billion_laughs()}, with_manifest=False)
        self.assertRaisesNaming(errors.YamlBomb, 'Definitions/types.yaml',
                                packaging.read_package, self.package(members))

    def test_bomb_as_image_descriptor(self):
        members = utils.build_csar(
            'Definitions/appd.json', utils.data(utils.PLAIN_APPD),
            {'Image/SwImageDesc.json': billion_laughs()}, with_manifest=False)
        self.assertRaisesNaming(errors.YamlBomb, 'Image/SwImageDesc.json',
                                packaging.read_package, self.package(members))

    def test_read_appd_document_bomb(self):
        self.assertRaises(errors.YamlBomb, packaging.read_appd_document,
                          billion_laughs(), 'appd.yaml')
