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


"""Attribute-based filtering and attribute selectors (GS MEC 009, NFV
SOL013), shared by the ETSI APIs and the notifications' filters.

A filter is a list of ``(op,attrName,value[,value...])`` terms joined by
``;``, all of which must hold; ``attrName`` is a path of attribute names
separated by ``/``; values may be quoted with single quotes (a quote in a
quoted value is doubled). Operators: eq, neq, in, nin, gt, gte, lt, lte,
cont, ncont. A term on an attribute holding a list holds if it holds for
one of its elements.
"""

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _

_OPERATORS = {
    'eq': lambda v, args: any(_eq(v, a) for a in args[:1]),
    'neq': lambda v, args: not any(_eq(v, a) for a in args[:1]),
    'in': lambda v, args: any(_eq(v, a) for a in args),
    'nin': lambda v, args: not any(_eq(v, a) for a in args),
    'gt': lambda v, args: _cmp(v, args[0]) > 0,
    'gte': lambda v, args: _cmp(v, args[0]) >= 0,
    'lt': lambda v, args: _cmp(v, args[0]) < 0,
    'lte': lambda v, args: _cmp(v, args[0]) <= 0,
    'cont': lambda v, args: any(str(a) in str(v) for a in args),
    'ncont': lambda v, args: not any(str(a) in str(v) for a in args),
}
_SINGLE = ('eq', 'neq', 'gt', 'gte', 'lt', 'lte')


def _eq(value, arg):
    if isinstance(value, bool):
        return str(value).lower() == arg.lower()
    return str(value) == arg


def _cmp(value, arg):
    try:
        left, right = float(value), float(arg)
    except (TypeError, ValueError):
        left, right = str(value), arg
    return (left > right) - (left < right)


def _split(text, sep):
    """Split on sep outside single-quoted parts; unquote the parts."""
    parts, current, quoted, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "'":
            if quoted and i + 1 < len(text) and text[i + 1] == "'":
                current.append("'")
                i += 1
            else:
                quoted = not quoted
        elif c == sep and not quoted:
            parts.append(''.join(current))
            current = []
        else:
            current.append(c)
        i += 1
    if quoted:
        raise exception.InvalidParameterValue(
            err=_('filter: unbalanced quote'))
    parts.append(''.join(current))
    return parts


def parse_filter(text, attributes):
    """Parse an attribute-based filter.

    :param text: the filter expression.
    :param attributes: the top-level attribute names that may be used.
    :returns: a list of (operator, path, values) terms.
    :raises: InvalidParameterValue (400) for a malformed filter, an unknown
        operator or attribute.
    """
    terms = []
    for raw in _split(text, ';'):
        raw = raw.strip()
        if not (raw.startswith('(') and raw.endswith(')')):
            raise exception.InvalidParameterValue(
                err=_('filter: %s is not of the form (op,attr,value)') % raw)
        fields = _split(raw[1:-1], ',')
        if len(fields) < 3:
            raise exception.InvalidParameterValue(
                err=_('filter: %s needs an operator, an attribute and a '
                      'value') % raw)
        op, path, values = fields[0].strip(), fields[1].strip(), fields[2:]
        if op not in _OPERATORS:
            raise exception.InvalidParameterValue(
                err=_('filter: unknown operator %s') % op)
        if op in _SINGLE and len(values) != 1:
            raise exception.InvalidParameterValue(
                err=_('filter: %s takes one value') % op)
        path = [p for p in path.split('/') if p]
        if not path or path[0] not in attributes:
            raise exception.InvalidParameterValue(
                err=_('filter: unknown attribute %s') % fields[1])
        terms.append((op, path, values))
    return terms


def _values_at(item, path):
    values = [item]
    for name in path:
        found = []
        for value in values:
            if isinstance(value, list):
                value = [v.get(name) for v in value if isinstance(v, dict)]
                found.extend(v for v in value if v is not None)
            elif isinstance(value, dict) and name in value:
                found.append(value[name])
        values = found
    flat = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def matches(item, terms):
    """Whether a resource representation satisfies every filter term.

    :param item: the representation (a dict with ETSI names).
    :param terms: terms from :func:`parse_filter`.
    :returns: True or False.
    """
    for op, path, args in terms:
        values = _values_at(item, path)
        if op in ('neq', 'nin', 'ncont'):
            if not all(_OPERATORS[op](v, args) for v in values):
                return False
        elif not any(_OPERATORS[op](v, args) for v in values):
            return False
    return True


def select_fields(item, query, complex_attributes, default_excluded):
    """Apply the attribute selectors of a GET to a representation.

    Without a selector, every attribute is returned (the MEC 010-2 v2.1.1
    schemas mark the complex attributes as required).

    :param item: the representation.
    :param query: the request's query parameters.
    :param complex_attributes: the attributes the selectors act on.
    :param default_excluded: those excluded by ``exclude_default``.
    :returns: the representation with the attributes selected.
    :raises: InvalidParameterValue for conflicting selectors or unknown
        attributes.
    """
    def names(param):
        value = query.get(param)
        if value is None:
            return None
        result = [n.strip() for n in value.split(',') if n.strip()]
        unknown = sorted(set(result) - set(complex_attributes))
        if unknown:
            raise exception.InvalidParameterValue(
                err=_('%(param)s: unknown attributes %(names)s')
                % {'param': param, 'names': ', '.join(unknown)})
        return result

    fields, exclude = names('fields'), names('exclude_fields')
    if 'all_fields' in query and (fields or exclude
                                  or 'exclude_default' in query):
        raise exception.InvalidParameterValue(
            err=_('all_fields cannot be combined with other selectors'))
    if fields is not None and exclude is not None:
        raise exception.InvalidParameterValue(
            err=_('fields and exclude_fields cannot be combined'))
    drop = set()
    if 'exclude_default' in query:
        drop = set(default_excluded) - set(fields or ())
    elif fields is not None:
        drop = set(complex_attributes) - set(fields)
    drop |= set(exclude or ())
    return {k: v for k, v in item.items() if k not in drop}
