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

"""TOSCA templates: imports resolved here, validation by tosca-parser.

tosca-parser is never given a path or a URL. Left to itself it would

* fetch ``http(s)://`` and ``file://`` imports and repositories with
  ``urllib`` (server-side request forgery, and a network dependency);
* look an import up relative to the *process's current directory* before
  the template's own directory, and follow ``..`` and absolute paths out of
  the package;
* load every file with its own YAML loader, without size or alias limits.

So the imports are resolved here instead, every file is loaded with
:mod:`~mec_orchestrator.packaging.safe_yaml`, and tosca-parser receives one
self-contained template (``yaml_dict_tpl``) whose ``imports`` were replaced
by the type definitions they bring. An import is, in this order:

1. a file of the package, relative to the importing file (never outside
   the package);
2. a well-known standard type file the project ships (ETSI NFV SOL001 VNFD
   types, ETSI MEC 037 ``MecAppDTypes.yaml``, by file name, with or without
   a forge URL), when the package does not ship it;
3. EdgeGallery's vendor type file (``cmcc_nfv_vnfd_types*.yaml``), always
   replaced by the project's EdgeGallery compatibility types;

and anything else, including any other URL, is a :class:`MissingImport`.

tosca-parser keeps its error list in class attributes (``ExceptionCollector``)
and extends its global type table for profile versions, so every call into it
holds :data:`_LOCK`.
"""

import copy
import dataclasses
import functools
import logging
import os
import posixpath
import re
import threading

from mec_orchestrator.packaging import archive as archive_mod
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.packaging import safe_yaml

TYPE_SECTIONS = ('data_types', 'artifact_types', 'capability_types',
                 'interface_types', 'relationship_types', 'node_types',
                 'group_types', 'policy_types')

EG_CONFIGURATION = 'tosca.nodes.nfv.app.configuration'
MEC_PROFILE_VERSION = 'tosca_simple_profile_for_mec_1_0_0'

_DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')

#: Shipped profiles: file name and the profiles it builds on.
PROFILES = {
    'sol001': ('etsi_nfv_sol001_types.yaml', ()),
    'mec037': ('etsi_mec_037_appd_types.yaml', ('sol001',)),
    'edgegallery': ('edgegallery_appd_types.yaml', ()),
}

#: Import file names (without directory or URL) that a shipped profile can
#: stand for when the package does not contain them.
_WELL_KNOWN = (
    (re.compile(r'^etsi_nfv_sol001_(common|vnfd)\w*\.ya?ml$', re.I),
     'sol001'),
    (re.compile(r'^mecappdtypes\.ya?ml$', re.I), 'mec037'),
)
#: Vendor files that are always replaced by a shipped profile.
_REPLACED = (
    (re.compile(r'^cmcc_nfv_vnfd_types\w*\.ya?ml$', re.I), 'edgegallery'),
)
_URL = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:')
_VERSION_TYPO = re.compile(r'^tosca_simple_profile_yaml_(1_[0-3])$')

_LOCK = threading.Lock()
LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class ResolvedTemplate:
    """A TOSCA template made self-contained, ready for tosca-parser."""

    #: Member path of the entry template.
    path: str
    #: The entry template's original text.
    text: str
    #: The template with ``imports`` replaced by the types they define.
    template: dict
    #: Package files that were imported: member path -> text.
    imported: dict
    #: Shipped profiles used, in order (``sol001``, ``mec037``, ...).
    profiles: list
    warnings: list

    @property
    def is_edgegallery(self):
        return _uses_type(self.template, EG_CONFIGURATION)


class PackageFiles:
    """Read access to the documents of a package, for import resolution.

    :param archive: an :class:`~mec_orchestrator.packaging.archive.Archive`,
        or None for a stand-alone document (which can import nothing but
        the shipped profiles).
    :param limits: the :class:`~mec_orchestrator.packaging.limits.Limits`.
    :param prefix: how to show member names of a nested archive in messages.
    """

    def __init__(self, archive, limits, prefix=''):
        self.archive = archive
        self.limits = limits
        self.prefix = prefix

    def exists(self, path):
        return self.archive is not None and path in self.archive

    def display(self, path):
        return self.prefix + path

    def read(self, path):
        try:
            return self.archive.read(path, self.limits.max_yaml_size)
        except archive_mod.MemberTooLarge as exc:
            raise errors.YamlTooLarge(member=self.display(path),
                                      size=exc.size, limit=exc.limit)


@functools.cache
def _profile_doc(name):
    filename = PROFILES[name][0]
    with open(os.path.join(_DATA_DIR, filename), 'rb') as handle:
        data = handle.read()
    big = limits_mod.Limits(max_yaml_size=max(len(data), 1024))
    return safe_yaml.load(data, filename, big)


def profile_types(name):
    """The type sections of a shipped profile (a fresh copy).

    :param name: a key of :data:`PROFILES`.
    :returns: a dict of TOSCA type sections.
    """
    doc = _profile_doc(name)
    return {section: copy.deepcopy(doc[section])
            for section in TYPE_SECTIONS if section in doc}


def _uses_type(template, type_name):
    topology = template.get('topology_template')
    if not isinstance(topology, dict):
        return False
    nodes = topology.get('node_templates')
    if not isinstance(nodes, dict):
        return False
    return any(isinstance(node, dict) and node.get('type') == type_name
               for node in nodes.values())


def _defines(sections, type_name):
    return any(type_name in (sections.get(section) or {})
               for section in TYPE_SECTIONS)


class _Resolver:

    def __init__(self, files, limits, entry_path):
        self.files = files
        self.limits = limits
        self.entry_path = entry_path
        self.profiles = []
        self.docs = []          # (member path, doc, namespace prefix)
        self.imported = {}
        self.visited = {entry_path}
        self.warnings = []

    def add_profile(self, name):
        for dependency in PROFILES[name][1]:
            self.add_profile(dependency)
        if name not in self.profiles:
            self.profiles.append(name)

    def walk(self, path, doc, repositories):
        imports = doc.get('imports')
        if imports is None:
            return
        if not isinstance(imports, list):
            raise errors.ToscaInvalid(
                member=self.files.display(path),
                reason='"imports" must be a list')
        for entry in imports:
            name, reference, repository, prefix = self._parse_import(
                path, entry)
            if repository is not None:
                reference = self._repository_url(path, name, repository,
                                                 reference, repositories)
            self._import(path, name, reference, prefix)

    def _parse_import(self, path, entry):
        if isinstance(entry, str):
            return entry, entry, None, None
        if isinstance(entry, dict):
            if 'file' in entry:
                definition, name = entry, entry.get('file')
            elif len(entry) == 1:
                name, definition = next(iter(entry.items()))
                if isinstance(definition, str):
                    return definition, definition, None, None
            else:
                definition = None
            if isinstance(definition, dict) and isinstance(
                    definition.get('file'), str):
                return (definition['file'], definition['file'],
                        definition.get('repository'),
                        definition.get('namespace_prefix'))
        raise errors.ToscaInvalid(
            member=self.files.display(path),
            reason='the import %r is not a file name or an import '
            'definition with a "file" key' % (entry,))

    def _repository_url(self, path, name, repository, reference,
                        repositories):
        definition = (repositories or {}).get(repository)
        url = definition.get('url') if isinstance(definition, dict) \
            else definition
        if not isinstance(url, str):
            raise errors.MissingImport(
                name=name, member=self.files.display(path),
                reason='repository %s is not defined' % repository)
        return url.rstrip('/') + '/' + reference

    def _import(self, path, name, reference, prefix):
        display = self.files.display(path)
        basename = posixpath.basename(reference.split('?')[0].rstrip('/'))
        for pattern, profile in _REPLACED:
            if pattern.match(basename):
                self.add_profile(profile)
                self.warnings.append(
                    'Import %s of %s was replaced by the project\'s %s '
                    'type definitions.' % (name, display, profile))
                return
        if _URL.match(reference):
            local = archive_mod.join_member(archive_mod.member_dir(path),
                                            basename)
            if local and self.files.exists(local):
                self.warnings.append(
                    'Import %s of %s was read from the package copy %s; '
                    'remote imports are never fetched.'
                    % (name, display, self.files.display(local)))
                self._import_member(local, prefix)
                return
            if self._well_known(basename, name, display):
                return
            raise errors.MissingImport(
                name=name, member=display,
                reason='it is remote, and remote imports are never fetched; '
                'include the file in the package')
        target = archive_mod.join_member(archive_mod.member_dir(path),
                                         reference)
        if target is None:
            raise errors.UnsafeMember(
                member=reference,
                reason='it is imported by %s but points outside the package'
                % display)
        if self.files.exists(target):
            self._import_member(target, prefix)
            return
        if self._well_known(basename, name, display):
            return
        raise errors.MissingImport(
            name=name, member=display,
            reason='%s is not in the package and is not a standard type '
            'file known to this service' % self.files.display(target))

    def _well_known(self, basename, name, display):
        for pattern, profile in _WELL_KNOWN:
            if pattern.match(basename):
                self.add_profile(profile)
                self.warnings.append(
                    'Import %s of %s is not in the package; the project\'s '
                    '%s type definitions were used.'
                    % (name, display, profile))
                return True
        return False

    def _import_member(self, target, prefix):
        if target in self.visited:
            return
        self.visited.add(target)
        if len(self.visited) > self.limits.max_imports + 1:
            raise errors.PackageTooLarge(
                reason='the template imports more than %d files'
                % self.limits.max_imports)
        data = self.files.read(target)
        doc = safe_yaml.load(data, self.files.display(target), self.limits)
        if not isinstance(doc, dict):
            raise errors.ToscaInvalid(
                member=self.files.display(target),
                reason='an imported file must be a YAML mapping')
        self.walk(target, doc, doc.get('repositories'))
        self.imported[target] = data.decode('utf-8-sig')
        if 'topology_template' in doc:
            self.warnings.append(
                'The topology_template of the imported file %s is ignored.'
                % self.files.display(target))
        self.docs.append((target, doc, prefix))


def resolve(entry_path, data, files, limits=None):
    """Load a TOSCA template and make it self-contained.

    :param entry_path: the template's member path.
    :param data: the template's bytes.
    :param files: a :class:`PackageFiles` for the imports.
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`.
    :returns: a :class:`ResolvedTemplate`.
    :raises MissingImport: an import is neither in the package nor a
        standard type file.
    :raises UnsafeMember: an import leaves the package.
    :raises ToscaInvalid: the template or an import is not a mapping, or
        ``imports`` is malformed.
    :raises YamlTooLarge, YamlBomb, YamlInvalid: see
        :func:`~mec_orchestrator.packaging.safe_yaml.load`.
    """
    limits = limits or limits_mod.Limits()
    display = files.display(entry_path)
    template = safe_yaml.load(data, display, limits)
    if isinstance(data, bytes):
        data = data.decode('utf-8-sig')
    return resolve_loaded(entry_path, data, template, files, limits)


def resolve_loaded(entry_path, text, template, files, limits):
    """:func:`resolve` for a template already loaded with safe_yaml."""
    display = files.display(entry_path)
    if not isinstance(template, dict):
        raise errors.ToscaInvalid(member=display,
                                  reason='the template is not a mapping')
    resolver = _Resolver(files, limits, entry_path)
    resolver.walk(entry_path, template, template.get('repositories'))

    merged = {}
    for profile in resolver.profiles:
        _merge(merged, profile_types(profile), None)
    for _path, doc, prefix in resolver.docs:
        _merge(merged, doc, prefix)
    _merge(merged, template, None)

    result = {key: value for key, value in template.items()
              if key != 'imports' and key not in TYPE_SECTIONS}
    warnings = resolver.warnings
    if _uses_type(template, EG_CONFIGURATION) and not _defines(
            merged, EG_CONFIGURATION):
        base = profile_types('edgegallery')
        _merge(base, merged, None)
        merged = base
        resolver.profiles.append('edgegallery')
        warnings.append('The template uses %s without defining it; the '
                        'project\'s EdgeGallery type definitions were used.'
                        % EG_CONFIGURATION)
    for section in TYPE_SECTIONS:
        if merged.get(section):
            result[section] = merged[section]
    _fix_version(result, warnings)
    if _uses_type(result, EG_CONFIGURATION):
        _edgegallery_fixups(result, warnings)
    return ResolvedTemplate(path=entry_path, text=text, template=result,
                            imported=resolver.imported,
                            profiles=resolver.profiles, warnings=warnings)


def _merge(target, doc, prefix):
    for section in TYPE_SECTIONS:
        types = doc.get(section)
        if not isinstance(types, dict):
            continue
        bucket = target.setdefault(section, {})
        for name, definition in types.items():
            key = '%s.%s' % (prefix, name) if prefix else name
            bucket[key] = definition


def _fix_version(template, warnings):
    version = template.get('tosca_definitions_version')
    match = _VERSION_TYPO.match(version) if isinstance(version, str) \
        else None
    if match:
        fixed = 'tosca_simple_yaml_' + match.group(1)
        template['tosca_definitions_version'] = fixed
        warnings.append('tosca_definitions_version %s was read as %s.'
                        % (version, fixed))


def _edgegallery_fixups(template, warnings):
    """Repair what EdgeGallery's tools write and TOSCA refuses.

    Only applied to templates of the EdgeGallery form: string inputs with
    numeric defaults, inputs of the non-TOSCA type ``text``, and properties
    left empty (``appServiceRequired:`` with every entry commented out).
    """
    topology = template.get('topology_template') or {}
    fixed = []
    for name, definition in (topology.get('inputs') or {}).items():
        if not isinstance(definition, dict):
            continue
        if definition.get('type') == 'text':
            definition['type'] = 'string'
            fixed.append('input %s: type text read as string' % name)
        default = definition.get('default')
        if definition.get('type') == 'string' and isinstance(
                default, (int, float)) and not isinstance(default, bool):
            definition['default'] = str(default)
            fixed.append('input %s: default %s read as a string'
                         % (name, default))
    for name, node in (topology.get('node_templates') or {}).items():
        properties = node.get('properties') if isinstance(node, dict) \
            else None
        if not isinstance(properties, dict):
            continue
        for key in [k for k, v in properties.items() if v is None]:
            del properties[key]
            fixed.append('%s: empty property %s ignored' % (name, key))
    if fixed:
        warnings.append('EdgeGallery template repaired: %s.'
                        % '; '.join(fixed))


def _import_toscaparser():
    from toscaparser.common import exception as tosca_exception
    from toscaparser import tosca_template
    logging.getLogger('tosca').addHandler(logging.NullHandler())
    return tosca_template.ToscaTemplate, tosca_exception


def parse(template, member):
    """Validate a self-contained template with tosca-parser.

    :param template: a template dict, e.g. ``ResolvedTemplate.template``
        (it is copied; tosca-parser alters what it is given).
    :param member: the template's name for messages.
    :returns: a ``toscaparser.tosca_template.ToscaTemplate``.
    :raises ToscaInvalid: tosca-parser refused the template; the message
        lists tosca-parser's own messages.
    """
    tosca_template_cls, tosca_exception = _import_toscaparser()
    collector = tosca_exception.ExceptionCollector
    with _LOCK:
        problems = None
        try:
            return tosca_template_cls(yaml_dict_tpl=copy.deepcopy(template))
        except tosca_exception.ValidationError:
            problems = _collected(collector)
        except Exception as exc:  # noqa: BLE001 - tosca-parser raises
            # TypeError, AttributeError, KeyError... on malformed input,
            # usually as a consequence of an error it has already collected.
            problems = _collected(collector) or [
                'tosca-parser failed (%s)' % exc.__class__.__name__]
        finally:
            collector.stop()
            collector.clear()
    raise errors.ToscaInvalid(member=member, reason=_summary(problems))


def _collected(collector):
    messages = []
    for exc in collector.getExceptions():
        text = ' '.join(str(exc).split())
        if text and text not in messages:
            messages.append(text)
    return messages


def _summary(problems, limit=10):
    shown = problems[:limit]
    text = '; '.join(shown)
    if len(problems) > limit:
        text += '; and %d more' % (len(problems) - limit)
    return text


def build_tosca_template(resolved):
    """A tosca-parser ``ToscaTemplate`` for a package's template.

    For the infra drivers (heat-translator takes a ``ToscaTemplate``).

    :param resolved: a :class:`ResolvedTemplate` or a template dict.
    :returns: a ``toscaparser.tosca_template.ToscaTemplate``.
    :raises ToscaInvalid: see :func:`parse`.
    """
    if isinstance(resolved, ResolvedTemplate):
        return parse(resolved.template, resolved.path)
    return parse(resolved, 'template')
