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
"""mec-orchestrator-conductor: a conductor on oslo.service (no eventlet)."""

import sys

from oslo_service import service as os_service

from mec_orchestrator.common import rpc_service
from mec_orchestrator.common import service
from mec_orchestrator import conf

CONF = conf.CONF


def main(argv=None):
    service.prepare_service(sys.argv[1:] if argv is None else argv)
    launcher = os_service.launch(
        CONF, rpc_service.RPCService(CONF.host), restart_method='mutate')
    return launcher.wait()


if __name__ == '__main__':
    sys.exit(main())
