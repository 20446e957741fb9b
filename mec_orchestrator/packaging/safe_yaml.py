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

"""Loading untrusted YAML (and JSON, a subset of it) with limits.

PyYAML's safe loader refuses Python object tags, but not resource abuse:

* **alias bombs** ("billion laughs"): the composer shares aliased nodes, so
  the loaded object is small, but anything that walks it (``json.dumps``,
  ``copy.deepcopy``, tosca-parser's validation) does the full expansion.
  The document's node graph is therefore measured *with every alias
  expanded* before it is constructed, and refused above
  ``Limits.max_yaml_nodes`` nodes or 16 times ``max_yaml_size`` characters
  of scalar text; recursive aliases are refused outright;
* **deep nesting**: refused above ``Limits.max_yaml_depth`` levels (libyaml
  itself stops at 1000), so that no recursive walker hits the recursion
  limit later;
* **size**: refused above ``Limits.max_yaml_size`` bytes before parsing.

Duplicate keys in a mapping are refused (PyYAML silently keeps the last
one, which lets a document hide a value from a human reviewer). Timestamps
stay strings and ``!!binary`` stays base64 text, so that every loaded
document is plain JSON data.

Every YAML document of a package goes through :func:`load`; tosca-parser is
only ever given the resulting Python objects, never a file or URL to load
itself (see :mod:`mec_orchestrator.packaging.tosca`).
"""

import yaml

from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod

_BaseLoader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)

_TEXT_FACTOR = 16


class _Loader(_BaseLoader):
    """Safe loader keeping timestamps and binary scalars as strings."""


def _construct_as_string(loader, node):
    return loader.construct_scalar(node)


_Loader.add_constructor('tag:yaml.org,2002:timestamp', _construct_as_string)
_Loader.add_constructor('tag:yaml.org,2002:binary', _construct_as_string)


def _check_graph(root, name, limits):
    """Measure the node graph as if every alias were expanded.

    An iterative post-order walk, memoized on node identity: an aliased node
    is measured once and counted as many times as it is referenced, so the
    walk stays linear in the size of the document.
    """
    max_nodes = limits.max_yaml_nodes
    max_text = limits.max_yaml_size * _TEXT_FACTOR
    measured = {}   # id(node) -> (nodes, text, height)
    on_path = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            nodes, text, height = 1, 0, 0
            for child in _children(node):
                c_nodes, c_text, c_height = measured[id(child)]
                nodes += c_nodes
                text += c_text
                height = max(height, c_height)
                if nodes > max_nodes:
                    raise errors.YamlBomb(
                        member=name,
                        reason=('it expands to more than %d nodes once its '
                                'aliases are expanded' % max_nodes))
                if text > max_text:
                    raise errors.YamlBomb(
                        member=name,
                        reason=('it expands to more than %d characters of '
                                'text once its aliases are expanded'
                                % max_text))
            if isinstance(node, yaml.ScalarNode):
                text += len(node.value)
            height += 1
            if height > limits.max_yaml_depth:
                raise errors.YamlBomb(
                    member=name,
                    reason=('it nests deeper than %d levels'
                            % limits.max_yaml_depth))
            measured[key] = (nodes, text, height)
            continue
        if key in measured:
            continue
        if key in on_path:
            raise errors.YamlBomb(member=name,
                                  reason='it contains a recursive alias')
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node, name)
        stack.append((node, True))
        for child in _children(node):
            child_key = id(child)
            if child_key in on_path:
                raise errors.YamlBomb(member=name,
                                      reason='it contains a recursive alias')
            if child_key not in measured:
                stack.append((child, False))


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return ()


def _check_duplicate_keys(node, name):
    seen = set()
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.tag == 'tag:yaml.org,2002:merge':
            continue
        ident = (key_node.tag, key_node.value)
        if ident in seen:
            raise errors.YamlInvalid(
                member=name,
                reason='duplicate key "%s" at line %d' % (
                    key_node.value, key_node.start_mark.line + 1))
        seen.add(ident)


def _yaml_error_text(exc):
    """A one-line description of a PyYAML error, without file names."""
    parts = []
    for attr in ('context', 'problem'):
        text = getattr(exc, attr, None)
        if text:
            parts.append(text)
    mark = getattr(exc, 'problem_mark', None)
    if mark is not None:
        parts.append('at line %d, column %d' % (mark.line + 1,
                                                mark.column + 1))
    return ' '.join(parts) if parts else exc.__class__.__name__


def load(data, name, limits=None):
    """Load one YAML or JSON document from untrusted bytes.

    :param data: the document, ``bytes`` (UTF-8, a BOM is allowed) or
        ``str``.
    :param name: how to name the document in error messages (its path in
        the package).
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`;
        the defaults if None.
    :returns: the loaded object (``dict``, ``list``, scalar or None for an
        empty document), made of plain JSON types.
    :raises YamlTooLarge: the document is over ``max_yaml_size`` bytes.
    :raises YamlBomb: aliases, merges or nesting exceed the limits.
    :raises YamlInvalid: not UTF-8, not YAML, duplicate keys or several
        documents in one stream.
    """
    limits = limits or limits_mod.Limits()
    size = len(data)
    if isinstance(data, str):
        size = len(data.encode('utf-8', 'surrogatepass'))
    if size > limits.max_yaml_size:
        raise errors.YamlTooLarge(member=name, size=size,
                                  limit=limits.max_yaml_size)
    if isinstance(data, bytes):
        try:
            data = data.decode('utf-8-sig')
        except UnicodeDecodeError as exc:
            raise errors.YamlInvalid(
                member=name,
                reason='it is not UTF-8 text (byte %d)' % exc.start)
    loader = _Loader(data)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise errors.YamlInvalid(member=name,
                                     reason=_yaml_error_text(exc))
        except RecursionError:
            raise errors.YamlBomb(member=name,
                                  reason='it nests too deeply')
        if node is None:
            return None
        _check_graph(node, name, limits)
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise errors.YamlInvalid(member=name,
                                     reason=_yaml_error_text(exc))
    finally:
        loader.dispose()
