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
"""The all-in-one's in-process RPC against oslo.messaging's fake driver.

Both carry the same call (context + arguments) to the same conductor
endpoint in the same process; the ratio is how many times faster the
project's local transport is than ``fake://``, the transport oslo.messaging
offers for in-process use.
"""

import oslo_messaging as messaging

from bench import common
from mec_orchestrator.common import context
from mec_orchestrator.common import rpc
from mec_orchestrator.conductor import manager
from mec_orchestrator.conductor import rpcapi
from mec_orchestrator import conf

CONF = conf.CONF


def _measure(transport, repeat):
    endpoint = manager.ConductorManager('bench-conductor')
    target = messaging.Target(topic=rpcapi.TOPIC, server='bench-conductor')
    if transport == 'local':
        CONF.set_override('rpc_transport', 'local')
        server = rpc.get_server(target, [endpoint])
        client = rpc.get_client(messaging.Target(topic=rpcapi.TOPIC,
                                                 version='1.0'))
    else:
        CONF.set_override('rpc_transport', 'oslo')
        t = messaging.get_rpc_transport(CONF, url='fake://')
        server = messaging.get_rpc_server(
            t, target, [endpoint],
            serializer=rpc.RequestContextSerializer())
        client = messaging.get_rpc_client(
            t, messaging.Target(topic=rpcapi.TOPIC, version='1.0'),
            serializer=rpc.RequestContextSerializer())
    server.start()
    ctxt = context.RequestContext(project_id='p', user_id='u')
    try:
        return common.timings(
            lambda: client.call(ctxt, 'ping', payload='x'), repeat)
    finally:
        server.stop()
        server.wait()
        rpc.cleanup()


def run():
    CONF([], project='mec-orchestrator', default_config_files=[])
    rpc.register_opts(CONF)
    local = _measure('local', 2000)
    fake = _measure('fake', 40)
    ratio = common.describe(fake)['median_ms'] / common.describe(
        local)['median_ms']
    return {
        'local': common.describe(local),
        'fake_baseline': common.describe(fake),
        'ratio_fake_over_local': round(ratio, 1),
        'summary': 'local RPC call median %.3f ms vs fake:// %.1f ms: '
                   '%.0fx faster' % (common.describe(local)['median_ms'],
                                     common.describe(fake)['median_ms'],
                                     ratio),
    }
