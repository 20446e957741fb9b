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
"""Helpers of the controllers: bodies, paging, links."""

import jsonschema
import oslo_messaging as messaging
from oslo_serialization import jsonutils
import pecan

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import policy
from mec_orchestrator import conf

CONF = conf.CONF

JSON_TYPES = ('application/json',)
MERGE_PATCH_TYPES = ('application/merge-patch+json', 'application/json')


def authorize(rule, project_id=None):
    """Enforce a policy rule for the request.

    :param rule: the rule's name.
    :param project_id: the project of the resource acted on; the
        request's project by default.
    :raises: PolicyNotAuthorized (403)
    """
    ctx = pecan.request.context
    policy.authorize(rule, {'project_id': project_id or ctx.project_id},
                     ctx)


def owned(row, rule, resource, resource_id):
    """A project's resource the request may act on.

    Another project's resource is a 404, as an unknown one, unless the
    rule lets the request act on it (an admin): its existence is not
    disclosed.

    :param row: the resource's database row (with ``project_id``).
    :param rule: the policy rule of the action.
    :param resource: the resource's name, for the 404.
    :param resource_id: its id, for the 404.
    :returns: the row.
    :raises: ResourceNotFound (404), PolicyNotAuthorized (403)
    """
    ctx = pecan.request.context
    if row.project_id != ctx.project_id and not policy.check(
            rule, {'project_id': row.project_id}, ctx):
        raise exception.ResourceNotFound(resource=resource, id=resource_id)
    authorize(rule, row.project_id)
    return row


def json_body(content_types=JSON_TYPES, schema=None):
    """The request's JSON body, checked.

    :param content_types: the media types accepted.
    :param schema: a JSON schema the body must match.
    :returns: the decoded body.
    :raises: UnsupportedMediaType (415) for another content type,
        MalformedRequestBody (400) for bad JSON, Invalid (400) when the
        schema does not match.
    """
    req = pecan.request
    if req.content_type not in content_types:
        raise exception.UnsupportedMediaType(
            content_type=req.content_type or _('(none)'),
            expected=', '.join(content_types))
    try:
        body = jsonutils.loads(req.body.decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as e:
        raise exception.MalformedRequestBody(reason=str(e))
    if schema is not None:
        validate(body, schema)
    return body


def validate(value, schema):
    """Check a value against a JSON schema.

    :param value: the decoded JSON value.
    :param schema: the JSON schema.
    :raises: Invalid naming the first offending field.
    """
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is not None:
        where = '/'.join(str(p) for p in error.absolute_path) or _('body')
        raise exception.Invalid(reason='%s: %s' % (where, error.message))


def page_params(query, allowed=('limit', 'marker')):
    """The checked paging parameters of a list request.

    :param query: the query parameters of the request.
    :param allowed: the names of the parameters the list accepts.
    :returns: (limit, marker), limit capped at [api] max_limit.
    :raises: InvalidParameterValue for an unknown parameter or a limit that
        is not a positive integer.
    """
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise exception.InvalidParameterValue(
            err=_('Unknown query parameters: %s') % ', '.join(unknown))
    limit, marker = query.get('limit'), query.get('marker')
    if limit is None:
        return CONF.api.max_limit, marker
    try:
        value = int(limit)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise exception.InvalidParameterValue(
            err=_('limit must be a positive integer, not %s') % limit)
    return min(value, CONF.api.max_limit), marker


def call_conductor(method, *args, **kwargs):
    """Call a conductor RPC method with the request's context.

    :param method: the name of a :class:`ConductorAPI` method.
    :returns: its answer.
    :raises: ServiceUnavailable (503) when no conductor answers; the
        conductor's own exceptions otherwise.
    """
    ctx = pecan.request.context
    try:
        return getattr(pecan.request.rpcapi, method)(ctx, *args, **kwargs)
    except messaging.MessagingTimeout:
        raise exception.ServiceUnavailable(
            reason=_('no conductor answered in time'))


def only_get():
    """Refuse any method but GET (and HEAD) on a read-only resource.

    :raises: webob's HTTPMethodNotAllowed (405) with an Allow header.
    """
    if pecan.request.method not in ('GET', 'HEAD'):
        pecan.abort(405, headers={'Allow': 'GET'})


def base_url():
    """The API's base URL as the client sees it.

    :returns: [api] public_endpoint, or the request's host URL.
    """
    return (CONF.api.public_endpoint or pecan.request.host_url).rstrip('/')


def link(*parts, **query):
    """An absolute link to a resource of the API.

    :param parts: path segments.
    :param query: query parameters.
    :returns: the URL.
    """
    url = '/'.join([base_url()] + [str(p).strip('/') for p in parts])
    if query:
        url += '?' + '&'.join('%s=%s' % item for item in sorted(query.items()))
    return url
