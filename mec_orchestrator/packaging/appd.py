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

"""The MEC 010-2 application descriptor (AppD) as one normalized dict.

Whatever form a package uses, the result is the AppD of ETSI GS MEC 010-2
with its field names exactly as the specification spells them (``appDId``,
``appDNSRule``, ``virtualComputeDescriptor``, ...), validated against
``data/appd-schema.yaml``, a JSON schema derived from the AppD definition of
the MEC 010-2 OpenAPI description (the file lists where and why it departs
from it).

Before validation, values are converted to the types the schema asks for
when the conversion is lossless and unambiguous: numbers to strings
(``version: 1.0`` in YAML is a float), numeric strings to integers, a single
object or scalar to a one-element list. Each conversion is reported as a
warning. Anything else that does not match the schema is an
:class:`~mec_orchestrator.packaging.errors.AppDInvalid` naming every
offending field.

Forms accepted (see :func:`load_appd_document` and
:mod:`~mec_orchestrator.packaging.normalize`):

``appd``
    a JSON or YAML document that is the AppD itself;
``mec037``
    a TOSCA template with a node derived from ``tosca.nodes.mec.MecApp``
    (ETSI GS MEC 037), snake_case properties over NFV SOL001 types;
``edgegallery``
    EdgeGallery's ``tosca.nodes.nfv.VNF`` + ``tosca.nodes.nfv.Vdu.Compute``
    + ``tosca.nodes.nfv.app.configuration`` (camelCase MEC fields);
``tosca-mec-profile``
    tosca-parser's ``tosca_simple_profile_for_mec_1_0_0``
    (``tosca.nodes.mec.MEA``).
"""

import dataclasses
import functools
import os
import re

from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.packaging import safe_yaml

_SCHEMA_FILE = os.path.join(os.path.dirname(__file__), 'data',
                            'appd-schema.yaml')
_INTEGER = re.compile(r'^[+-]?[0-9]+$')
_NUMBER = re.compile(r'^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$')

FORM_APPD = 'appd'
FORM_MEC037 = 'mec037'
FORM_EDGEGALLERY = 'edgegallery'
FORM_TOSCA_MEC_PROFILE = 'tosca-mec-profile'


@dataclasses.dataclass
class AppDDocument:
    """An AppD read from one document."""

    #: The normalized, validated AppD.
    appd: dict
    #: One of the ``FORM_*`` constants.
    form: str
    warnings: list
    #: The :class:`~mec_orchestrator.packaging.tosca.ResolvedTemplate` for
    #: the TOSCA forms, else None.
    tosca: object = None


@functools.cache
def appd_schema():
    """The AppD JSON schema (a dict; do not modify it)."""
    with open(_SCHEMA_FILE, 'rb') as handle:
        data = handle.read()
    big = limits_mod.Limits(max_yaml_size=len(data) + 1)
    return safe_yaml.load(data, 'appd-schema.yaml', big)


@functools.cache
def _validator():
    import jsonschema
    schema = appd_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _deref(schema, root):
    while isinstance(schema, dict) and '$ref' in schema:
        name = schema['$ref'].rsplit('/', 1)[-1]
        schema = root['definitions'][name]
    return schema


def _number_text(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return '%.1f' % value
    return str(value)


def coerce(value, schema=None, root=None, path='', changes=None):
    """Convert values to the types the AppD schema asks for, in place.

    :param value: the (sub-)document.
    :param schema: the (sub-)schema; the AppD schema if None.
    :param root: the schema holding ``definitions``.
    :param path: the field path of ``value``, for the change log.
    :param changes: a list that receives the paths of converted fields.
    :returns: the converted value.
    """
    if schema is None:
        schema = root = appd_schema()
    if changes is None:
        changes = []
    schema = _deref(schema, root)
    kind = schema.get('type') if isinstance(schema, dict) else None
    if value is None or kind is None:
        return value
    if kind == 'object':
        if isinstance(value, dict):
            properties = schema.get('properties', {})
            for key in list(value):
                if key in properties:
                    value[key] = coerce(value[key], properties[key], root,
                                        _join(path, key), changes)
        return value
    if kind == 'array':
        if not isinstance(value, list):
            if isinstance(value, (dict, str, int, float)) and \
                    not isinstance(value, bool):
                changes.append(path)
                value = [value]
            else:
                return value
        items = schema.get('items')
        if items:
            value[:] = [coerce(item, items, root, '%s[%d]' % (path, index),
                               changes)
                        for index, item in enumerate(value)]
        return value
    if isinstance(value, bool):
        return value
    if kind == 'string' and isinstance(value, (int, float)):
        changes.append(path)
        return _number_text(value)
    if kind == 'integer':
        if isinstance(value, str) and _INTEGER.match(value.strip()):
            changes.append(path)
            return int(value.strip())
        if isinstance(value, float) and value.is_integer():
            changes.append(path)
            return int(value)
    if kind == 'number' and isinstance(value, str) and \
            _NUMBER.match(value.strip()):
        changes.append(path)
        number = float(value.strip())
        return int(number) if number.is_integer() else number
    return value


def _join(path, key):
    return '%s.%s' % (path, key) if path else key


def _error_path(parts):
    text = ''
    for part in parts:
        if isinstance(part, int):
            text += '[%d]' % part
        else:
            text = _join(text, part)
    return text


def _describe(error, origins):
    path = _error_path(error.absolute_path)
    instance = error.instance
    if error.validator == 'required':
        missing = [name for name in error.validator_value
                   if isinstance(instance, dict) and name not in instance]
        return [(_join(path, name), _missing_text(_join(path, name), origins))
                for name in missing]
    if error.validator == 'anyOf' and not path:
        detail = ('a VM application needs virtualComputeDescriptor and '
                  'swImageDescriptor, a container application '
                  'osContainerDescriptor')
        missing = [name for name in ('virtualComputeDescriptor',
                                     'swImageDescriptor')
                   if name not in instance] or ['osContainerDescriptor']
        return [(name, _missing_text(name, origins, detail))
                for name in missing]
    message = error.message
    if error.validator == 'enum':
        message = '%r is not one of %s' % (
            instance, ', '.join(str(v) for v in error.validator_value))
    elif error.validator == 'type':
        message = 'must be of type %s, not %s' % (
            error.validator_value, _json_type(instance))
    return [(path or '(AppD)', '%s: %s' % (path or 'AppD', message))]


def _json_type(value):
    for kind, name in ((bool, 'boolean'), (int, 'integer'),
                       (float, 'number'), (str, 'string'), (list, 'array'),
                       (dict, 'object')):
        if isinstance(value, kind):
            return name
    return 'null' if value is None else type(value).__name__


def _missing_text(path, origins, detail=None):
    text = '%s is missing' % path
    origin = (origins or {}).get(path)
    if origin:
        text += ' (%s)' % origin
    elif detail:
        text += ' (%s)' % detail
    return text


def validate(appd, member, origins=None, warnings=None):
    """Coerce and validate a normalized AppD.

    :param appd: the AppD dict; converted in place.
    :param member: the document's name, for messages.
    :param origins: optional map of AppD field -> where a TOSCA form takes
        it from, added to "missing" messages.
    :param warnings: a list that receives a warning about conversions.
    :returns: the AppD.
    :raises AppDInvalid: mandatory fields missing or values of the wrong
        type; ``exc.kwargs['fields']`` lists the field paths.
    """
    if not isinstance(appd, dict):
        raise errors.AppDInvalid(member=member, fields=[],
                                 reason='the AppD must be a JSON object.')
    changes = []
    coerce(appd, changes=changes)
    if changes and warnings is not None:
        shown = ', '.join(changes[:5])
        if len(changes) > 5:
            shown += ' and %d more' % (len(changes) - 5)
        warnings.append('Values converted to the types MEC 010-2 requires '
                        '(numbers to strings, single values to lists): %s.'
                        % shown)
    problems = []
    for error in _validator().iter_errors(appd):
        problems.extend(_describe(error, origins))
    if problems:
        problems.sort()
        fields = [field for field, _text in problems]
        texts = []
        for _field, text in problems:
            if text not in texts:
                texts.append(text)
        raise errors.AppDInvalid(member=member, fields=fields,
                                 reason='; '.join(texts) + '.')
    return appd


def load_appd_document(data, name, limits=None, package=None):
    """Read an AppD from one document, whatever its form.

    :param data: the document's bytes (JSON or YAML).
    :param name: its name, for messages.
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`.
    :param package: for the TOSCA forms, a
        :class:`~mec_orchestrator.packaging.normalize.PackageContext`
        (imports, software image descriptors, manifest metadata); None for
        a stand-alone document, which can only import the standard types
        the project ships.
    :returns: an :class:`AppDDocument`.
    :raises AppDInvalid, ToscaInvalid, MissingImport, YamlInvalid,
        YamlTooLarge, YamlBomb: see the respective errors.
    """
    limits = limits or limits_mod.Limits()
    document = safe_yaml.load(data, name, limits)
    if not isinstance(document, dict):
        raise errors.AppDInvalid(
            member=name, fields=[],
            reason='the document is neither an AppD nor a TOSCA template '
            '(it is not a JSON object or YAML mapping).')
    if 'tosca_definitions_version' in document:
        from mec_orchestrator.packaging import normalize
        return normalize.from_tosca(data, document, name, limits, package)
    warnings = []
    appd = validate(document, name, warnings=warnings)
    return AppDDocument(appd=appd, form=FORM_APPD, warnings=warnings)


def read_appd_document(data, name, limits=None):
    """Read and normalize a stand-alone AppD document.

    The document may be the MEC 010-2 AppD itself (JSON or YAML) or a TOSCA
    template in one of the supported forms that imports nothing but the
    standard type files (NFV SOL001, MEC 037 ``MecAppDTypes.yaml``).

    :param data: the document's bytes.
    :param name: its name, for messages (e.g. the uploaded file name).
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`;
        the defaults if None.
    :returns: the normalized AppD, a dict with MEC 010-2 field names.
    :raises AppDInvalid: mandatory fields missing or badly typed.
    :raises ToscaInvalid: tosca-parser refused the template.
    :raises MissingImport: the template imports a file that is not a
        standard type file.
    :raises YamlInvalid, YamlTooLarge, YamlBomb: unsafe or malformed YAML.
    """
    return load_appd_document(data, name, limits).appd
