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
"""Validate documents against the ETSI OpenAPI 3.0 files.

The OpenAPI files (``tests/data/specs``) are loaded with
``yaml.safe_load``, their ``$ref`` are resolved within the file, and an
OpenAPI 3.0 schema is turned into a JSON Schema (draft 4, whose keywords
OpenAPI 3.0 uses) for :mod:`jsonschema`:

* ``nullable: true`` adds ``null`` to the type (and to an ``enum``);
* documentation keys (``description``, ``example``, ``x-etsi-*``...) are
  dropped;
* formats: ``uri`` must be an absolute URI (a scheme and something
  after it), ``uri-reference`` a URI or relative reference, ``uint32``
  (any case) an integer in [0, 2**32); the other
  formats of the files (``enum``, ``Uint32``...) mean nothing to a
  validator and are ignored.

Every error of a document is reported at once, with its JSON path.
"""

import copy
import functools
import os
from urllib import parse

import jsonschema
import yaml

SPECS = os.path.join(os.path.dirname(__file__), 'data', 'specs')

#: OpenAPI 3.0 keywords with no meaning to a validator.
_DOC_KEYS = frozenset(('description', 'example', 'examples', 'title',
                       'externalDocs', 'xml', 'discriminator', 'deprecated',
                       'readOnly', 'writeOnly'))
#: Keywords whose value is a schema, a list of schemas, or a map of them.
_SCHEMA = ('items', 'not', 'additionalProperties')
_SCHEMA_LISTS = ('allOf', 'anyOf', 'oneOf')
_SCHEMA_MAPS = ('properties',)

FORMATS = jsonschema.FormatChecker(())


@FORMATS.checks('uri', raises=ValueError)
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = parse.urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise ValueError('%r is not an absolute URI' % value)
    return True


@FORMATS.checks('uri-reference', raises=ValueError)
def _uri_reference(value):
    # Not a format of the ETSI files: for a test that documents where the
    # text says "URI reference" and the file says format: uri.
    if isinstance(value, str) and (not value or any(
            c.isspace() for c in value)):
        raise ValueError('%r is not a URI reference' % value)
    if isinstance(value, str):
        parse.urlsplit(value)
    return True


def _uint32(value):
    return not isinstance(value, int) or 0 <= value < 2 ** 32


for _name in ('uint32', 'Uint32', 'UInt32'):
    FORMATS.checks(_name)(_uint32)


def _read(path):
    with open(path, 'rb') as f:
        raw = f.read()
    # Some descriptions carry mojibake (UTF-8 encoded twice); and a stray
    # byte must not stop the schemas from loading.
    text = raw.decode('utf-8', errors='replace')
    return yaml.safe_load(text)


@functools.cache
def _load(path):
    spec = _read(path)
    if not str(spec.get('openapi', '')).startswith('3.0'):
        raise ValueError('%s is not an OpenAPI 3.0 file' % path)
    return spec


def load(path):
    """An OpenAPI 3.0 file (cached; callers must not modify it).

    :param path: the file's path, absolute or relative to
        ``tests/data/specs`` (e.g. ``mec010-2/MEC010-2_AppPkgMgmt.yaml``).
    :returns: the document, as a dict.
    """
    return _load(os.path.join(SPECS, path))


def app_lcm():
    """MEC 010-2 AppLcm with the deviations documented in
    ``doc/source/user/app-lcm.rst``: the later versions' and SOL003's
    error handling states, ``INSTANTIATE`` as ``OperationTypes`` spells it,
    ``operationParams`` as the request, ``notificationType`` only for a
    subscription to one state; and ProblemDetails' ``instance`` as the URI
    reference RFC 7807 makes it.

    :returns: a copy of the document the caller may keep.
    """
    doc = copy.deepcopy(load('mec010-2/MEC010-2_AppLcm.yaml'))
    schemas = doc['components']['schemas']
    more = ['FAILED_TEMP', 'ROLLING_BACK', 'ROLLED_BACK']
    schemas['OperationState']['enum'] += more
    schemas['AppLcmOpOcc.NotificationType']['enum'] += more
    schemas['LcmOperation']['enum'] += ['INSTANTIATE']
    schemas['OperationParams'] = {'type': 'object'}
    schemas['AppInstSubscriptionInfo']['required'].remove('notificationType')
    schemas['ProblemDetails']['properties']['instance']['format'] = (
        'uri-reference')
    return doc


def _const_to_enum(node):
    """OpenAPI 3.1's ``const`` as the one-value ``enum`` 3.0 knows."""
    if isinstance(node, dict):
        if 'const' in node:
            node['enum'] = [node.pop('const')]
        for value in node.values():
            _const_to_enum(value)
    elif isinstance(node, list):
        for value in node:
            _const_to_enum(value)


@functools.cache
def _load_31(path):
    doc = _read(os.path.join(SPECS, path))
    if not str(doc.get('openapi', '')).startswith('3.1'):
        raise ValueError('%s is not an OpenAPI 3.1 file' % path)
    _const_to_enum(doc)
    return doc


def mec011_app_support():
    """MEC 011 MecAppSupportApi (an OpenAPI 3.1 file), with ``const`` read
    as a one-value ``enum``, and ``TrafficRule.dstInterface`` also a list
    of one or two (the data model's and the AppD's cardinality 0..2), as
    documented in ``doc/source/user/mp1.rst``.

    :returns: a copy of the document the caller may keep.
    """
    doc = copy.deepcopy(_load_31('mec011/MecAppSupportApi.yaml'))
    schemas = doc['components']['schemas']
    schemas['TrafficRule']['properties']['dstInterface'] = {'oneOf': [
        {'$ref': '#/components/schemas/DestinationInterface'},
        {'type': 'array', 'minItems': 1, 'maxItems': 2,
         'items': {'$ref': '#/components/schemas/DestinationInterface'}}]}
    return doc


def mec011_service_mgmt():
    """MEC 011 MecServiceMgmtApi (an OpenAPI 3.1 file), ``const`` read as
    a one-value ``enum``.

    :returns: a copy of the document the caller may keep.
    """
    return copy.deepcopy(_load_31('mec011/MecServiceMgmtApi.yaml'))


def _pointer(spec, ref):
    if not ref.startswith('#/'):
        raise ValueError('only references within the file are supported: '
                         '%s' % ref)
    node = spec
    for part in ref[2:].split('/'):
        part = part.replace('~1', '/').replace('~0', '~')
        if part not in node and part.isdigit():
            part = int(part)  # YAML reads an unquoted 400 as an int
        node = node[part]
    return node


def resolve(spec, node, _seen=()):
    """A node with every ``$ref`` within the file replaced by its target.

    :param spec: the OpenAPI document.
    :param node: any node of it.
    :returns: a new, reference-free node.
    :raises: ValueError for a recursive or external reference.
    """
    if isinstance(node, dict):
        if '$ref' in node:
            ref = node['$ref']
            if ref in _seen:
                raise ValueError('recursive reference %s' % ref)
            return resolve(spec, _pointer(spec, ref), _seen + (ref,))
        return {k: resolve(spec, v, _seen) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(spec, v, _seen) for v in node]
    return node


def to_json_schema(schema):
    """A resolved OpenAPI 3.0 schema as a JSON Schema (draft 4).

    :param schema: a schema without ``$ref`` (see :func:`resolve`).
    :returns: a new dict.
    """
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in _DOC_KEYS or key.startswith('x-') or key == 'nullable':
            continue
        if key in _SCHEMA and isinstance(value, dict):
            value = to_json_schema(value)
        elif key in _SCHEMA_LISTS:
            value = [to_json_schema(v) for v in value]
        elif key in _SCHEMA_MAPS:
            value = {k: to_json_schema(v) for k, v in value.items()}
        elif key == 'required' and not value:
            continue  # draft 4 wants a non-empty list
        out[key] = value
    if schema.get('nullable'):
        if 'type' in out:
            out['type'] = [out['type'], 'null']
        if 'enum' in out and None not in out['enum']:
            out['enum'] = list(out['enum']) + [None]
    return out


def component(spec, name):
    """The JSON Schema of a named component schema (a new copy).

    :param spec: the OpenAPI document.
    :param name: the component's name, e.g. ``AppPkgInfo``.
    :returns: a dict that the caller may modify.
    """
    return copy.deepcopy(to_json_schema(
        resolve(spec, spec['components']['schemas'][name])))


def _response(spec, path_template, method, status):
    try:
        operation = spec['paths'][path_template][method.lower()]
    except KeyError:
        raise AssertionError('the specification has no %s %s'
                             % (method.upper(), path_template))
    responses = operation['responses']
    for key in (status, str(status), '%dXX' % (int(status) // 100),
                'default'):
        if key in responses:
            return resolve(spec, responses[key])
    raise AssertionError('%s %s: the specification declares no %s response'
                         % (method.upper(), path_template, status))


def response_schema(spec, path_template, method, status):
    """The JSON Schema of an operation's response body, or None.

    The first media type's schema (``application/json`` if declared).

    :param spec: the OpenAPI document.
    :param path_template: e.g. ``/app_packages/{appPkgId}``.
    :param method: e.g. ``get``.
    :param status: the HTTP status, e.g. 200.
    :returns: a dict, or None when the response has no body.
    :raises: AssertionError if the specification has no such response.
    """
    content = _response(spec, path_template, method, status).get('content')
    if not content:
        return None
    media = content.get('application/json') or next(iter(content.values()))
    if 'schema' not in media:
        return None
    return to_json_schema(media['schema'])


def validate(schema, value, what='document'):
    """Validate a document against a JSON Schema.

    :raises: AssertionError listing every error, with its path.
    """
    validator = jsonschema.Draft4Validator(schema, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(value),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise AssertionError('%s does not match the specification:\n%s' % (
            what, '\n'.join('  %s: %s' % (
                '/'.join(map(str, e.absolute_path)) or '(root)', e.message)
                for e in errors)))


def validate_response(spec, path_template, method, status, body):
    """Validate a response body against an operation's response schema.

    :param spec: the OpenAPI document (see :func:`load`).
    :param path_template: the path as the file spells it, e.g.
        ``/app_packages/{appPkgId}``.
    :param method: the HTTP method.
    :param status: the response's status.
    :param body: the decoded JSON body (None for no body).
    :raises: AssertionError on a mismatch, or if the specification has no
        such response.
    """
    schema = response_schema(spec, path_template, method, status)
    what = '%s %s %s' % (method.upper(), path_template, status)
    if schema is None:
        if body not in (None, b'', ''):
            raise AssertionError('%s: the specification declares no body'
                                 % what)
        return
    validate(schema, body, what)


def validate_schema(spec, name, value):
    """Validate a document against a named component schema.

    :param spec: the OpenAPI document (see :func:`load`).
    :param name: the component's name, e.g. ``AppPkgNotification``.
    :param value: the document.
    :raises: AssertionError on a mismatch.
    """
    validate(component(spec, name), value, name)
