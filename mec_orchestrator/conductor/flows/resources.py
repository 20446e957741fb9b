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
"""What the flows' steps share: drivers, the VIM, the instance as drivers
see it, and the package's artifacts."""

import contextlib
import zipfile

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.conductor import vims
from mec_orchestrator import conf
from mec_orchestrator.drivers import loader
from mec_orchestrator.store import base as store_base

CONF = conf.CONF


def vim_view(flow, vim_id):
    """The instance's VIM as drivers see it, credentials decrypted.

    :param flow: the FlowContext.
    :param vim_id: the VIM's id.
    :returns: a dict.
    """
    return vims.load_driver_view(flow.dbapi, vim_id)


def infra_driver(vim):
    """The infrastructure driver of a VIM's type.

    :param vim: the VIM as a dict.
    :returns: the driver.
    :raises: InfraError when no such driver is enabled.
    """
    try:
        return loader.get_driver('infra', vim['type'])
    except exception.DriverLoadError:
        raise exception.InfraError(reason=_(
            'no infrastructure driver for VIM type %s is enabled on the '
            'conductor') % vim['type'])


def platform_driver(kind):
    """The configured driver of a kind (``mgmt`` or ``monitor``)."""
    enabled = getattr(CONF.drivers, '%s_drivers' % kind)
    return loader.get_driver(kind, enabled[0])


def graceful_timeout(params, type_key, timeout_key):
    """The graceful timeout a terminate or operate request asks for.

    :param params: the request.
    :param type_key: ``terminationType`` or ``stopType``.
    :param timeout_key: the matching timeout's key.
    :returns: None for FORCEFUL; else the request's timeout, or
        ``[platform] default_graceful_timeout``.
    """
    if params.get(type_key) != 'GRACEFUL':
        return None
    return params.get(timeout_key) or CONF.platform.default_graceful_timeout


def instance_view(flow, host=None):
    """The app instance as drivers see it.

    :param flow: the FlowContext.
    :param host: the chosen MEC host's row, when known.
    :returns: a dict.
    """
    inst = flow.instance
    view = {'id': inst.id, 'project_id': inst.project_id,
            'app_pkg_id': inst.app_pkg_id, 'app_d_id': inst.app_d_id,
            'app_name': inst.app_name,
            'app_instance_name': inst.app_instance_name,
            'vim_id': inst.vim_id, 'mec_host_id': inst.mec_host_id,
            'vim_resources': dict(inst.vim_resources or {}),
            'platform': {}}
    if host is None and inst.mec_host_id:
        try:
            host = flow.dbapi.get_mec_host(inst.mec_host_id)
        except exception.NotFound:
            host = None
    if host is not None:
        view['mec_host'] = {'id': host.id, 'name': host.name,
                            'zone': host.zone, 'aggregate': host.aggregate,
                            'site': host.site,
                            'details': dict(host.details or {})}
    return view


class PackageArtifacts(object):
    """The files of an onboarded package, for drivers (images).

    The package was checked at onboarding (paths, sizes, digests); here it
    is only read.

    :param package: the package's row.
    """

    def __init__(self, package):
        self.package = package

    @contextlib.contextmanager
    def open(self, path):
        """A binary file of the package.

        :param path: the file's path in the package.
        :raises: InfraError when the package has no such file.
        """
        store = store_base.get_store()
        with store.open(self.package.content_location) as raw:
            with zipfile.ZipFile(raw) as archive:
                name = path.lstrip('/')
                try:
                    member = archive.getinfo(name)
                except KeyError:
                    raise exception.InfraError(reason=_(
                        'the package has no file %s') % path)
                with archive.open(member) as f:
                    yield f
