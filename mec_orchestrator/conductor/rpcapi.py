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
"""Client side of the conductor RPC API."""

import oslo_messaging as messaging

from mec_orchestrator.common import rpc
from mec_orchestrator import conf

CONF = conf.CONF

#: The topic every conductor listens on.
TOPIC = 'mec-orchestrator.conductor'


class ConductorAPI(object):
    """Client side of the conductor RPC API.

    Every method takes the request context first and carries ids, never
    objects. Long work is a ``cast``; ``call`` is for quick answers.

    API version history:

    | 1.0 - Initial version: ping.
    """

    RPC_API_VERSION = '1.0'

    def __init__(self, topic=None):
        self.topic = topic or TOPIC
        target = messaging.Target(topic=self.topic,
                                  version=self.RPC_API_VERSION)
        # A pinned cap lets old and new conductors mix during an upgrade.
        self.client = rpc.get_client(target,
                                     version_cap=self.RPC_API_VERSION)

    def _prepare(self, version, server=None):
        return self.client.prepare(topic=self.topic, server=server,
                                   version=version,
                                   timeout=CONF.conductor.rpc_timeout)

    def ping(self, context, hostname=None, payload=None):
        """Round trip to a conductor, for diagnostics.

        :param context: the request context.
        :param hostname: the conductor to ask; any conductor if None.
        :param payload: a JSON value the conductor sends back.
        :returns: a dict with the answering conductor's ``hostname``,
            ``site``, ``rpc_api_version`` and the ``payload``.
        :raises: MessagingTimeout when no conductor answers.
        """
        cctxt = self._prepare('1.0', server=hostname)
        return cctxt.call(context, 'ping', payload=payload)
