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
"""The OpenStack VIM driver: Keystone checks, catalog and MEC hosts.

Registered as the ``openstack`` entry point of
``mec_orchestrator.vim_drivers``. Validation authenticates against
Keystone with the VIM's credentials (a password or an application
credential), reads the catalog of the VIM's region, requires the services
of ``[vim] openstack_required_services`` (Heat, Nova, Neutron) and notes
Glance, Placement, Designate and networking-sfc (Neutron's ``sfc`` and
``flow_classifier`` extensions). Discovery is in
:mod:`mec_orchestrator.drivers.openstack.discovery`.
"""

from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.drivers import base
from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.drivers.openstack import discovery

LOG = log.getLogger(__name__)


class OpenStackVimDriver(base.VimDriver):
    """An OpenStack cloud (one region of it) as a VIM."""

    name = 'openstack'

    def _interface(self, vim):
        return ((vim.get('access') or {}).get('interface') or
                self.conf.vim.openstack_interface)

    def _catalog(self, session, vim):
        return client.read_catalog(
            session, vim, self.conf.vim.openstack_required_services,
            self._interface(vim))

    def validate(self, context, vim):
        """Authenticate, and read the catalog and Neutron's extensions.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: the capabilities: ``region``, ``regions``,
            ``interface``, ``project_id``, ``services`` (service type ->
            present), ``endpoints``, ``network_extensions`` and ``sfc``.
        :raises: VimAuthFailed, VimUnreachable, VimMissingServices, Invalid
        """
        with client.vim_session(vim, self.conf.vim.request_timeout) as sess:
            capabilities = self._catalog(sess, vim)
            extensions = {}
            if capabilities['services'].get('network'):
                extensions = client.network_extensions(sess, capabilities)
        capabilities['network_extensions'] = extensions
        capabilities['sfc'] = bool(extensions) and all(extensions.values())
        LOG.debug('VIM %(name)s: region %(region)s, services %(services)s',
                  {'name': vim.get('name'), 'region': capabilities['region'],
                   'services': sorted(s for s, present in
                                      capabilities['services'].items()
                                      if present)})
        return capabilities

    def check_reachable(self, context, vim):
        """Whether Keystone accepts the credentials and the catalog is fit.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: True or False.
        """
        try:
            self.validate(context, vim)
        except exception.Invalid as e:
            LOG.info('VIM %(name)s is not reachable: %(reason)s',
                     {'name': vim.get('name'), 'reason': e})
            return False
        return True

    def discover_hosts(self, context, vim):
        """The MEC hosts: availability zones and flagged aggregates.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: a list of MEC host dicts (see
            :func:`mec_orchestrator.drivers.openstack.discovery.discover`).
        :raises: VimAuthFailed, VimUnreachable, VimMissingServices, Invalid
        """
        with client.vim_session(vim, self.conf.vim.request_timeout) as sess:
            capabilities = self._catalog(sess, vim)
            return discovery.discover(
                sess, capabilities, self.conf.vim.mec_host_aggregate_key,
                use_placement=(self.conf.vim.use_placement and
                               capabilities['services'].get('placement')))
