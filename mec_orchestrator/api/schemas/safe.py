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
"""Schema checks whose error messages never repeat a secret value.

jsonschema's messages quote the offending value (``'hunter2' is too
long``); for a credential, or an object that holds one, that would echo
the secret into the response. :func:`validate` words such errors from the
rule that failed instead, and :func:`merge_patch` applies RFC 7396 JSON
merge patches.
"""

import jsonschema

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _

#: Validators whose messages name properties, never values.
_NAMING_VALIDATORS = ('additionalProperties', 'required')


def _describe(error):
    """What a rule expects, without the value that broke it."""
    rule, expected = error.validator, error.validator_value
    if rule == 'type':
        kinds = expected if isinstance(expected, list) else [expected]
        return _('must be of type %s') % ' or '.join(kinds)
    if rule in ('minLength', 'maxLength'):
        return _('must have %(rule)s %(n)s characters') % {
            'rule': 'at least' if rule == 'minLength' else 'at most',
            'n': expected}
    if rule == 'pattern':
        return _('does not have the expected format')
    return _('is not valid (%s)') % rule


def validate(value, schema, secret_fields=()):
    """Check a value against a JSON schema.

    :param value: the decoded JSON value.
    :param schema: the JSON schema.
    :param secret_fields: property names whose values must not appear in
        a message.
    :raises: Invalid naming the first offending field.
    """
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is None:
        return
    path = [str(p) for p in error.absolute_path]
    where = '/'.join(path) or _('body')
    secret = any(p in secret_fields for p in path)
    if error.validator in _NAMING_VALIDATORS:
        message = error.message
    elif secret or isinstance(error.instance, (dict, list)):
        message = _describe(error)
    else:
        message = error.message
    raise exception.Invalid(reason='%s: %s' % (where, message))


def merge_patch(target, patch):
    """Apply a JSON merge patch (RFC 7396).

    :param target: the current value.
    :param patch: the patch.
    :returns: the patched value (the arguments are not modified).
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
