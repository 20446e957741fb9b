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
"""Request bodies of /v1/vims: JSON schemas, and their translation.

A body is flat, with the names of keystoneauth and clouds.yaml. Each VIM
type has its access fields (stored in clear and shown), its credential
fields (encrypted, never shown), and its authentication methods, each a
set of credential fields that go together. A type without an entry here
(a test driver such as ``fake``) accepts the fields of every type.

:func:`create_values` and :func:`update_values` check a body and split it
into what the conductor's ``create_vim`` and ``update_vim`` take.
"""

import urllib.parse

from cryptography.hazmat.primitives import serialization
from cryptography import x509

from mec_orchestrator.api.schemas import safe
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _

DEFAULT_TYPE = 'openstack'


def _string(max_length=255, nullable=False):
    return {'type': ['string', 'null'] if nullable else 'string',
            'minLength': 1, 'maxLength': max_length}


_URL = {'type': 'string', 'minLength': 1, 'maxLength': 1024,
        'pattern': '^[Hh][Tt][Tt][Pp][Ss]?://'}
_SECRET = {'type': 'string', 'minLength': 1, 'maxLength': 16384}
_PEM = {'type': 'string', 'minLength': 1, 'maxLength': 262144}

#: Fields every type has: name and target.
COMMON_FIELDS = {
    'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
             'pattern': r'^\S(.*\S)?$'},
    'type': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9_.-]{0,63}$'},
    'description': _string(4096, nullable=True),
    'site': _string(nullable=True),
    'extra': {'type': ['object', 'null'], 'maxProperties': 256},
    'ca_cert': dict(_PEM, type=['string', 'null']),
    'force': {'type': 'boolean'},
}

#: Per type: access fields (clear), credential fields (encrypted),
#: required access fields, and the authentication methods.
TYPES = {
    'openstack': {
        'access': {
            'auth_url': _URL,
            'region': _string(nullable=True),
            'interface': {'enum': ['public', 'internal', 'admin', None]},
            'project_name': _string(nullable=True),
            'project_id': _string(nullable=True),
            'project_domain_name': _string(nullable=True),
            'project_domain_id': _string(nullable=True),
            'user_domain_name': _string(nullable=True),
            'user_domain_id': _string(nullable=True),
            'insecure': {'type': ['boolean', 'null']},
        },
        'credentials': {
            'username': _string(),
            'password': _SECRET,
            'application_credential_id': _string(),
            'application_credential_secret': _SECRET,
        },
        'required': ('auth_url',),
        'urls': ('auth_url',),
        'methods': {
            'password': ('username', 'password'),
            'v3applicationcredential': ('application_credential_id',
                                        'application_credential_secret'),
        },
    },
    'kubernetes': {
        'access': {
            'endpoint': _URL,
            'namespace': _string(253, nullable=True),
            'insecure': {'type': ['boolean', 'null']},
        },
        'credentials': {
            'bearer_token': _SECRET,
            'client_cert': _PEM,
            'client_key': _PEM,
        },
        'required': ('endpoint',),
        'urls': ('endpoint',),
        'methods': {
            'token': ('bearer_token',),
            'client_certificate': ('client_cert', 'client_key'),
        },
    },
}


def _generic():
    spec = {'access': {}, 'credentials': {}, 'required': (), 'urls': (),
            'methods': {}}
    for known in TYPES.values():
        spec['access'].update(known['access'])
        spec['credentials'].update(known['credentials'])
        spec['urls'] += known['urls']
        spec['methods'].update(known['methods'])
    return spec


#: The fields of types without an entry in TYPES (test drivers).
GENERIC = _generic()

#: Every credential field: never in a response, a log or an error.
SECRET_FIELDS = frozenset(GENERIC['credentials'])


def spec_for(vim_type):
    """The fields of a VIM type.

    :param vim_type: the type.
    :returns: a dict with ``access``, ``credentials``, ``required``,
        ``urls`` and ``methods``.
    """
    return TYPES.get(vim_type, GENERIC)


def create_schema(vim_type):
    """The JSON schema of POST /v1/vims for a type.

    :param vim_type: the type.
    :returns: a JSON schema.
    """
    spec = spec_for(vim_type)
    properties = dict(COMMON_FIELDS, **spec['access'],
                      **spec['credentials'])
    return {'type': 'object', 'properties': properties,
            'required': ['name'] + list(spec['required']),
            'additionalProperties': False}


def update_schema(vim_type):
    """The JSON schema of PATCH /v1/vims/{id} for a type.

    The type cannot change; required fields cannot be removed.

    :param vim_type: the type.
    :returns: a JSON schema.
    """
    spec = spec_for(vim_type)
    properties = dict(COMMON_FIELDS, **spec['access'],
                      **spec['credentials'])
    del properties['type']
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}


def _credentials(spec, body, required):
    """(auth_type, credentials) from a body, or (None, None) if none."""
    given = {k for k in spec['credentials'] if k in body}
    if not given:
        if required and spec['methods']:
            raise exception.Invalid(reason=_(
                'credentials are required: %s') % _methods_text(spec))
        return None, None
    for auth_type, fields in spec['methods'].items():
        if given <= set(fields):
            missing = [f for f in fields if f not in given]
            if missing:
                raise exception.Invalid(reason=_(
                    '%(method)s authentication also needs %(missing)s')
                    % {'method': auth_type, 'missing': ', '.join(missing)})
            return auth_type, {f: body[f] for f in fields}
    raise exception.Invalid(reason=_(
        'give the fields of one authentication method: %s')
        % _methods_text(spec))


def _methods_text(spec):
    return _(' or ').join('%s (%s)' % (name, ' + '.join(fields))
                          for name, fields in spec['methods'].items())


def _check_url(field, url):
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise exception.Invalid(reason=_('%s: no host name') % field)
    if parts.username is not None or parts.password is not None:
        raise exception.Invalid(reason=_(
            '%s: must not carry credentials; use the credential '
            'fields') % field)
    if parts.query or parts.fragment:
        raise exception.Invalid(reason=_(
            '%s: must not have a query or fragment') % field)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port == 0 or port == -1:
        raise exception.Invalid(reason=_('%s: invalid port') % field)


def _check_pem(body):
    """Certificates must parse; a client key must be an unencrypted key."""
    for field in ('ca_cert', 'client_cert'):
        if body.get(field):
            try:
                x509.load_pem_x509_certificates(body[field].encode())
            except ValueError:
                raise exception.Invalid(reason=_(
                    '%s: not a PEM certificate (bundle)') % field)
    if body.get('client_key'):
        try:
            serialization.load_pem_private_key(
                body['client_key'].encode(), password=None)
        except (ValueError, TypeError):
            raise exception.Invalid(reason=_(
                'client_key: not an unencrypted PEM private key'))


def _check(spec, body):
    for field in spec['urls']:
        if body.get(field):
            _check_url(field, body[field])
    _check_pem(body)


def create_values(body):
    """Check a POST /v1/vims body and split it for the conductor.

    :param body: the decoded body.
    :returns: a dict with ``name``, ``type``, ``description``, ``site``,
        ``extra``, ``access``, ``credentials``, ``auth_type``,
        ``ca_cert`` and ``force``.
    :raises: Invalid
    """
    if not isinstance(body, dict):
        safe.validate(body, {'type': 'object'})
    vim_type = body.get('type', DEFAULT_TYPE)
    safe.validate({'type': vim_type}, {
        'type': 'object', 'properties': {'type': COMMON_FIELDS['type']}})
    spec = spec_for(vim_type)
    safe.validate(body, create_schema(vim_type), SECRET_FIELDS)
    _check(spec, body)
    auth_type, credentials = _credentials(spec, body,
                                          required=vim_type in TYPES)
    return {
        'name': body['name'], 'type': vim_type,
        'description': body.get('description'), 'site': body.get('site'),
        'extra': body.get('extra') or {},
        'access': {k: body[k] for k in spec['access']
                   if body.get(k) is not None},
        'credentials': credentials, 'auth_type': auth_type,
        'ca_cert': body.get('ca_cert'), 'force': body.get('force', False),
    }


def update_values(vim, body):
    """Check a PATCH /v1/vims/{id} body and split it for the conductor.

    Access fields are merged (null removes one); credentials, when any is
    given, replace the stored ones as a whole; ``extra`` is merged as an
    RFC 7396 merge patch.

    :param vim: the VIM's row.
    :param body: the decoded body.
    :returns: a dict of the fields to change, and ``force``; empty when
        nothing changes.
    :raises: Invalid
    """
    spec = spec_for(vim.type)
    if isinstance(body, dict):
        for field in ('name',) + tuple(spec['required']):
            if field in body and body[field] is None:
                raise exception.Invalid(reason=_('%s cannot be removed')
                                        % field)
    safe.validate(body, update_schema(vim.type), SECRET_FIELDS)
    _check(spec, body)
    values = {k: body[k] for k in ('name', 'description', 'site', 'ca_cert')
              if k in body}
    if 'extra' in body:
        values['extra'] = safe.merge_patch(vim.extra or {},
                                           body['extra'] or {})
        if body['extra'] is None:
            values['extra'] = {}
    access = {k: body[k] for k in spec['access'] if k in body}
    if access:
        values['access'] = access
    auth_type, credentials = _credentials(spec, body, required=False)
    if credentials is not None:
        values['credentials'] = credentials
        values['auth_type'] = auth_type
    if values and body.get('force'):
        values['force'] = True
    return values
