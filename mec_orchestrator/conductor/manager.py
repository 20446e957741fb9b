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
"""The conductor's RPC endpoint and its lifecycle (heartbeat, workers).

Long operations are handed to the manager's worker pool; periodic tasks
(heartbeat now; takeovers, reconciliation and audits in later releases) run
each on a thread of its own that a stop event ends at once. Nothing here
uses eventlet.
"""

import threading

import futurist
from oslo_log import log
import oslo_messaging as messaging

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import rpcapi
from mec_orchestrator import conf
from mec_orchestrator.db import api as dbapi

LOG = log.getLogger(__name__)
CONF = conf.CONF


class ConductorManager(object):
    """The conductor RPC endpoint.

    :param host: the conductor's host name (unique among conductors).
    :param topic: the RPC topic it serves.
    """

    RPC_API_VERSION = '1.0'

    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host, topic=rpcapi.TOPIC):
        self.host = host
        self.topic = topic
        self.site = CONF.conductor.site
        self.dbapi = None
        self._executor = None
        self._stop = threading.Event()
        self._periodic_threads = []

    # -- lifecycle ------------------------------------------------------------

    def init_host(self):
        """Register the conductor and start its workers and periodic tasks.

        Called by the service before the RPC server starts consuming.
        """
        self.dbapi = dbapi.get_instance()
        self.dbapi.register_conductor({'hostname': self.host,
                                       'site': self.site})
        self._executor = futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.workers_pool_size)
        self._stop.clear()
        self._start_periodic(self._heartbeat,
                             CONF.conductor.heartbeat_interval)
        LOG.info('Conductor %(host)s (site %(site)s) started',
                 {'host': self.host, 'site': self.site or '-'})

    def del_host(self):
        """Stop the periodic tasks, let running work finish, unregister."""
        self._stop.set()
        for thread in self._periodic_threads:
            thread.join()
        self._periodic_threads = []
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        if self.dbapi is not None:
            try:
                self.dbapi.unregister_conductor(self.host)
            except exception.ConductorNotFound:
                pass
        LOG.info('Conductor %s stopped', self.host)

    def _start_periodic(self, func, spacing):
        """Run func every spacing seconds until the conductor stops."""

        def loop():
            while not self._stop.wait(spacing):
                func()

        thread = threading.Thread(target=loop, daemon=True,
                                  name='%s-%s' % (self.host, func.__name__))
        thread.start()
        self._periodic_threads.append(thread)

    def _heartbeat(self):
        try:
            self.dbapi.touch_conductor(self.host)
        except exception.ConductorNotFound:
            # Marked offline by someone else: come back.
            LOG.warning('Conductor %s was unregistered; registering again',
                        self.host)
            self.dbapi.register_conductor({'hostname': self.host,
                                           'site': self.site})
        except Exception:
            LOG.exception('Heartbeat of conductor %s failed', self.host)

    # -- RPC methods ----------------------------------------------------------

    def ping(self, context, payload=None):
        """Answer a ping.

        :param context: the request context.
        :param payload: a JSON value to send back.
        :returns: this conductor's identity and the payload.
        """
        return {'hostname': self.host,
                'site': self.site,
                'rpc_api_version': self.RPC_API_VERSION,
                'payload': payload}
