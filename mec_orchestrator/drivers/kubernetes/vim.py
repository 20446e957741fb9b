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
"""The Kubernetes VIM driver: a stub until the Kubernetes driver lands.

Kubernetes VIMs can be registered (endpoint, a bearer token or a client
certificate and key, a CA bundle), their credentials are stored encrypted,
and they are listed and shown like any VIM. This driver does not contact
the cluster yet: every check raises
:class:`~mec_orchestrator.common.exception.VimCheckNotSupported`, so the
conductor stores the VIM as UNREACHABLE with that reason, and it offers no
MEC host. The real driver replaces this class under the same entry point
name (``kubernetes``), without a change to the API or the database.
"""

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.drivers import base

REASON = _('cluster checks and MEC host discovery are not implemented '
           'yet; the VIM is registered and will be checked once they are')


class KubernetesVimDriver(base.VimDriver):
    """A Kubernetes cluster as a VIM (registration only, for now)."""

    name = 'kubernetes'

    def validate(self, context, vim):
        """Not implemented yet.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :raises: VimCheckNotSupported
        """
        raise exception.VimCheckNotSupported(type=self.name, reason=REASON)

    def check_reachable(self, context, vim):
        """Not implemented yet: never reachable.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: False.
        """
        return False

    def discover_hosts(self, context, vim):
        """Not implemented yet: no MEC host.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: an empty list.
        """
        return []
