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
"""The conductor as an oslo.service Service: RPC server + manager."""

from oslo_log import log
import oslo_messaging as messaging
from oslo_service import service

from mec_orchestrator.common import rpc
from mec_orchestrator.conductor import manager as conductor_manager
from mec_orchestrator import conf

LOG = log.getLogger(__name__)
CONF = conf.CONF


class RPCService(service.Service):
    """Runs a conductor: registers it, then consumes its RPC topic.

    :param host: the conductor's host name.
    :param topic: the RPC topic.
    """

    def __init__(self, host, topic=None):
        super().__init__()
        self.host = host
        self.topic = topic or CONF.conductor.topic
        self.manager = conductor_manager.ConductorManager(host, self.topic)
        self.rpcserver = None

    def start(self):
        super().start()
        self.manager.init_host()
        target = messaging.Target(topic=self.topic, server=self.host)
        self.rpcserver = rpc.get_server(target, [self.manager])
        self.rpcserver.start()
        LOG.info('Conductor %(host)s is consuming topic %(topic)s',
                 {'host': self.host, 'topic': self.topic})

    def stop(self, graceful=True):
        if self.rpcserver is not None:
            try:
                self.rpcserver.stop()
                self.rpcserver.wait()
            except Exception:
                LOG.exception('Stopping the RPC server of %s failed',
                              self.host)
            self.rpcserver = None
        self.manager.del_host()
        super().stop(graceful=graceful)
