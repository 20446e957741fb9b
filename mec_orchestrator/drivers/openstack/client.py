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
"""keystoneauth1 sessions to an OpenStack VIM, its catalog, and errors.

Only this package knows the OpenStack client libraries. A VIM reaches it as
a dict (see :class:`mec_orchestrator.drivers.base.VimDriver`): ``access``
holds what is not secret (auth URL, project, domains, region, interface,
insecure), ``credentials`` the secrets (decrypted), ``ca_cert`` a PEM CA
bundle. Errors become the project's exceptions, whose messages carry the
VIM's own reason and never a credential.
"""

import collections
import contextlib
import hashlib
import json
import os
import tempfile
import threading
import urllib.parse

from keystoneauth1 import exceptions as ka_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ka_session
import openstack.connection
from openstack import exceptions as sdk_exc

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _

USER_AGENT = 'mec-orchestrator'

#: Optional services noted in the capabilities when the catalog has them.
OPTIONAL_SERVICES = ('image', 'placement', 'dns')

#: Neutron extensions of networking-sfc.
SFC_EXTENSIONS = ('sfc', 'flow_classifier')


def identity_v3_url(auth_url):
    """Keystone's v3 URL, from a URL given with or without ``/v3``.

    :param auth_url: the URL the operator gave.
    :returns: the URL ending with ``/v3``.
    """
    parts = urllib.parse.urlsplit(auth_url)
    path = parts.path.rstrip('/')
    if not path.endswith('/v3'):
        path += '/v3'
    return urllib.parse.urlunsplit(parts._replace(path=path))


def auth_plugin(vim):
    """The keystoneauth1 plugin of a VIM's credentials.

    :param vim: the VIM as a dict, credentials decrypted.
    :returns: a v3 Password or ApplicationCredential plugin.
    :raises: Invalid when the credentials are incomplete.
    """
    access = vim.get('access') or {}
    creds = vim.get('credentials') or {}
    auth_url = identity_v3_url(access['auth_url'])
    if creds.get('application_credential_id'):
        return v3.ApplicationCredential(
            auth_url=auth_url,
            application_credential_id=creds['application_credential_id'],
            application_credential_secret=creds.get(
                'application_credential_secret'))
    if not creds.get('username'):
        raise exception.Invalid(reason=_(
            'the VIM has no credentials: give username and password, or '
            'application_credential_id and application_credential_secret'))
    if not (access.get('project_id') or access.get('project_name')):
        raise exception.Invalid(reason=_(
            'password authentication needs project_name or project_id'))
    user_domain = {'user_domain_id': access.get('user_domain_id'),
                   'user_domain_name': access.get('user_domain_name')}
    if not any(user_domain.values()):
        user_domain['user_domain_name'] = 'Default'
    project_domain = {}
    if access.get('project_name'):
        project_domain = {
            'project_domain_id': access.get('project_domain_id'),
            'project_domain_name': access.get('project_domain_name')}
        if not any(project_domain.values()):
            project_domain['project_domain_name'] = 'Default'
    return v3.Password(auth_url=auth_url, username=creds['username'],
                       password=creds.get('password'),
                       project_id=access.get('project_id'),
                       project_name=access.get('project_name'),
                       **user_domain, **project_domain)


#: Auth plugins (and so their tokens) kept per VIM identity, most recently
#: used last: each lifecycle step opens a session, and asking Keystone for
#: a token each time would load it with one request per step.
_PLUGINS = collections.OrderedDict()
_PLUGINS_LOCK = threading.Lock()
MAX_CACHED_PLUGINS = 256


def cached_auth_plugin(vim):
    """The auth plugin of a VIM's credentials, reused while they hold.

    The key is a digest of the VIM's id, access and credentials: changed
    credentials make a new plugin. keystoneauth1 plugins serialise their
    token requests, so threads share them safely.

    :param vim: the VIM as a dict, credentials decrypted.
    :returns: a keystoneauth1 plugin.
    """
    key = hashlib.sha256(json.dumps(
        [vim.get('id'), vim.get('access') or {}, vim.get('credentials') or {}],
        sort_keys=True, default=str).encode('utf-8')).hexdigest()
    with _PLUGINS_LOCK:
        plugin = _PLUGINS.get(key)
        if plugin is not None:
            _PLUGINS.move_to_end(key)
            return plugin
    plugin = auth_plugin(vim)
    with _PLUGINS_LOCK:
        plugin = _PLUGINS.setdefault(key, plugin)
        while len(_PLUGINS) > MAX_CACHED_PLUGINS:
            _PLUGINS.popitem(last=False)
    return plugin


@contextlib.contextmanager
def vim_session(vim, timeout):
    """A keystoneauth1 session authenticated as the VIM's user.

    A CA bundle given as PEM text is written to a private temporary file
    for the session's lifetime.

    :param vim: the VIM as a dict, credentials decrypted.
    :param timeout: seconds per request.
    :returns: a context manager giving the session.
    :raises: Invalid when the credentials are incomplete.
    """
    access = vim.get('access') or {}
    plugin = cached_auth_plugin(vim)
    ca_dir = None
    verify = not access.get('insecure', False)
    try:
        if verify and vim.get('ca_cert'):
            ca_dir = tempfile.mkdtemp(prefix='mec-vim-ca-')
            verify = os.path.join(ca_dir, 'ca.pem')
            with open(verify, 'w') as f:
                f.write(vim['ca_cert'])
        yield ka_session.Session(auth=plugin, verify=verify,
                                 timeout=timeout, user_agent=USER_AGENT)
    finally:
        if ca_dir is not None:
            for name in os.listdir(ca_dir):
                os.unlink(os.path.join(ca_dir, name))
            os.rmdir(ca_dir)


@contextlib.contextmanager
def sdk_connection(vim, timeout, interface):
    """An openstacksdk Connection in the VIM's region, as the VIM's user.

    :param vim: the VIM as a dict, credentials decrypted.
    :param timeout: seconds per request.
    :param interface: the endpoint interface when the VIM sets none
        (``[vim] openstack_interface``).
    :returns: a context manager giving the Connection.
    :raises: Invalid when the credentials are incomplete.
    """
    access = vim.get('access') or {}
    with vim_session(vim, timeout) as session:
        yield openstack.connection.Connection(
            session=session, region_name=access.get('region'),
            interface=access.get('interface') or interface)


def _reason(exc):
    """The VIM's own reason for an error."""
    if isinstance(exc, ka_exc.HttpError):
        text = '%s (HTTP %s)' % (exc.message, exc.http_status)
        if exc.url:
            text += _(' from %s') % exc.url
        return text
    if isinstance(exc, sdk_exc.HttpException):
        text = str(exc.details or exc.message or exc.__class__.__name__)
        if exc.status_code:
            text += ' (HTTP %s)' % exc.status_code
        return text
    return str(exc) or exc.__class__.__name__


@contextlib.contextmanager
def infra_errors(what):
    """Turn openstacksdk's and keystoneauth1's errors into InfraError.

    :param what: what was being done, for the message.
    :raises: InfraError with the VIM's own reason (the service's message
        and HTTP status), never a credential.
    """
    try:
        yield
    except (sdk_exc.SDKException, ka_exc.ClientException) as e:
        raise exception.InfraError(reason='%s: %s' % (what, _reason(e)))


@contextlib.contextmanager
def vim_connection(vim, timeout, interface, what):
    """:func:`sdk_connection` whose failures are InfraError.

    Incomplete credentials, and the errors of openstacksdk and
    keystoneauth1 raised while the connection is used, become InfraError
    naming ``what``; the project's own exceptions pass as they are.

    :param vim: the VIM as a dict, credentials decrypted.
    :param timeout: seconds per request.
    :param interface: the endpoint interface when the VIM sets none.
    :param what: what is being done, for the messages.
    :returns: a context manager giving the Connection.
    """
    with contextlib.ExitStack() as stack:
        try:
            conn = stack.enter_context(sdk_connection(vim, timeout,
                                                      interface))
        except exception.Invalid as e:
            raise exception.InfraError(reason='%s: %s' % (what, e))
        with infra_errors(what):
            yield conn


@contextlib.contextmanager
def translate_errors(where):
    """Turn keystoneauth1's errors into the project's.

    :param where: what was being done, for the messages (e.g. the URL).
    :raises: VimAuthFailed (refused credentials), VimUnreachable
        (connection, TLS, timeouts, server errors), Invalid (any other
        client error).
    """
    try:
        yield
    except (ka_exc.Unauthorized, ka_exc.Forbidden) as e:
        raise exception.VimAuthFailed(reason=_reason(e))
    except ka_exc.BadRequest as e:
        raise exception.VimAuthFailed(reason=_reason(e))
    except ka_exc.NotFound as e:
        raise exception.Invalid(reason=_(
            '%(where)s: not found; is it the right URL? %(reason)s')
            % {'where': where, 'reason': _reason(e)})
    except (ka_exc.ConnectionError, ka_exc.DiscoveryFailure,
            ka_exc.HttpServerError, ka_exc.RequestTimeout) as e:
        raise exception.VimUnreachable(
            reason='%s: %s' % (where, _reason(e)))
    except ka_exc.ClientException as e:
        raise exception.Invalid(reason='%s: %s' % (where, _reason(e)))


def _region_of(endpoint):
    return endpoint.get('region_id') or endpoint.get('region')


def read_catalog(session, vim, required, interface):
    """Authenticate and read what the VIM's catalog offers.

    :param session: a session of :func:`vim_session`.
    :param vim: the VIM as a dict.
    :param required: the service types that must be present.
    :param interface: the endpoint interface (public, internal, admin).
    :returns: the capabilities: ``region``, ``regions``, ``interface``,
        ``project_id``, ``services`` (service type -> present),
        ``endpoints`` (service type -> URL in the region).
    :raises: VimAuthFailed, VimUnreachable, VimMissingServices, Invalid
        (several regions and none chosen, or an unknown region).
    """
    access = vim.get('access') or {}
    auth_url = identity_v3_url(access['auth_url'])
    with translate_errors(auth_url):
        info = session.auth.get_access(session)
    catalog = info.service_catalog.get_endpoints(interface=interface)
    regions = sorted({_region_of(ep) for eps in catalog.values()
                      for ep in eps if _region_of(ep)})
    region = access.get('region')
    if region is None:
        if len(regions) > 1:
            raise exception.Invalid(reason=_(
                'the catalog has several regions (%s): choose one with '
                '"region"') % ', '.join(regions))
        region = regions[0] if regions else None
    elif region not in regions:
        raise exception.Invalid(reason=_(
            'region %(region)s is not in the catalog (regions: '
            '%(regions)s)') % {'region': region,
                               'regions': ', '.join(regions) or '-'})
    endpoints = {}
    for service_type, eps in catalog.items():
        for ep in eps:
            if region is None or _region_of(ep) == region:
                endpoints.setdefault(service_type, ep['url'])
    missing = [s for s in required if s not in endpoints]
    if missing:
        raise exception.VimMissingServices(region=region or '-',
                                           services=', '.join(missing))
    services = {s: s in endpoints
                for s in list(required) + list(OPTIONAL_SERVICES)}
    return {'region': region, 'regions': regions, 'interface': interface,
            'project_id': info.project_id, 'services': services,
            'endpoints': {s: url for s, url in endpoints.items()
                          if s in services}}


def network_extensions(session, capabilities):
    """The networking-sfc extensions Neutron lists.

    :param session: a session of :func:`vim_session`.
    :param capabilities: what :func:`read_catalog` returned.
    :returns: a dict of extension alias -> present.
    :raises: VimUnreachable when Neutron does not answer.
    """
    base = capabilities['endpoints']['network'].rstrip('/')
    if not base.endswith('/v2.0'):
        base += '/v2.0'
    url = base + '/extensions'
    with translate_errors(url):
        body = session.get(url).json()
    aliases = {ext.get('alias') for ext in body.get('extensions', [])}
    return {alias: alias in aliases for alias in SFC_EXTENSIONS}
