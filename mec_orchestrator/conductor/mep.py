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
"""The conductor's share of the MEC platform: applying the rules.

The Mp1 API records what an app asked (a rule ACTIVE after
``confirm_ready``, a rule changed) and casts ``sync_platform``; the
conductor applies it on its worker pool. A periodic pass re-applies every
rule of the app instances on the VIMs this conductor is responsible for
(the same share as the VIM checks), which covers a lost cast and a data
plane that lost its state, without duplicating anything (the drivers find
what they made by name).

A cast handled by one conductor and the periodic pass of another may meet
on the same app at the same moment; each driver looks up its objects by
name before creating them, so the window for a duplicate is that of one
lookup, and the next pass finds the rule as it should be.
"""

from oslo_log import log

from mec_orchestrator import conf
from mec_orchestrator.platform import dataplane

CONF = conf.CONF
LOG = log.getLogger(__name__)


class PlatformService(object):
    """Applies the platform's rules for one conductor.

    :param dbapi: the database API.
    :param executor: the conductor's worker pool.
    :param vim_service: the conductor's VimService (for its share).
    """

    def __init__(self, dbapi, executor, vim_service):
        self.dbapi = dbapi
        self.executor = executor
        self.vim_service = vim_service
        self.dataplane = dataplane.DataPlane(dbapi)

    def submit(self, app_instance_id=None):
        """Apply an app's pending rules (all apps' if None) in the pool."""
        self.executor.submit(self._sync, app_instance_id)

    def _sync(self, app_instance_id):
        try:
            self.dataplane.sync(app_instance_id)
        except Exception:
            LOG.exception('Applying the platform rules of %s failed',
                          app_instance_id or 'every app')

    def periodic_sync(self):
        """Re-apply the rules of the apps on this conductor's VIMs."""
        try:
            alive = self.dbapi.get_alive_conductors(
                CONF.conductor.heartbeat_timeout)
            mine = {}

            def responsible(vim_id):
                if vim_id is None:
                    return False
                if vim_id not in mine:
                    try:
                        row = self.dbapi.get_vim(vim_id)
                    except Exception:
                        mine[vim_id] = False
                    else:
                        mine[vim_id] = self.vim_service.responsible_for(
                            row, alive)
                return mine[vim_id]

            self.dataplane.sync(full=True, responsible=responsible)
        except Exception:
            LOG.exception('The periodic pass over the platform rules failed')
