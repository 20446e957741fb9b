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
"""The MEO's placement: host states from the inventory, decisions, claims.

The scheduler (:mod:`mec_orchestrator.placement`) decides on a snapshot
of the MEC hosts; a claim then takes the chosen host's capacity only if
the host is still at the generation of that snapshot
(:meth:`claim_capacity`). When another claim got there first, the
decision is made again on a fresh snapshot, so concurrent instantiations
never oversubscribe a host and never fail for a host that still fits.
"""

import time

from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.placement import scheduler

CONF = conf.CONF
LOG = log.getLogger(__name__)

#: Seconds a claim may keep retrying on concurrent changes.
CLAIM_BUDGET = 30


class PlacementService(object):
    """Placement decisions and claims over the database's inventory.

    :param dbapi: the database API.
    """

    def __init__(self, dbapi):
        self.dbapi = dbapi
        self._scheduler = None

    @property
    def scheduler(self):
        if self._scheduler is None:
            self._scheduler = scheduler.Scheduler.from_conf(CONF)
        return self._scheduler

    def host_states(self):
        """A snapshot of the inventory.

        A host's used capacity is what its VIM reported at the last
        discovery plus what the orchestrator claimed since (or every claim,
        when the VIM cannot tell its usage).

        :returns: (list of HostState, {host id: generation}).
        """
        # Hosts (and their generations) first, claims second: a claim that
        # lands in between is counted in the usage but has bumped the
        # generation read here, so the claim made on this snapshot fails
        # and the decision is made again.
        hosts = self.dbapi.list_mec_hosts()
        vims = {vim.id: vim for vim in self.dbapi.list_vims()}
        usage = self.dbapi.get_allocation_usage()
        states, generations = [], {}
        for host in hosts:
            claimed = usage.get(host.id)
            extra = None
            if claimed:
                extra = dict(claimed['total']
                             if host.capacity_source in (None, 'orchestrator')
                             else claimed['since_discovery'])
            states.append(scheduler.HostState.from_row(
                host, vims.get(host.vim_id), usage=extra))
            generations[host.id] = host.generation
        return states, generations

    def preview(self, appd, request=None, user_area=None):
        """Rank the hosts for an instance, claiming nothing.

        :param appd: the normalized AppD.
        :param request: the InstantiateAppRequest, or None.
        :param user_area: the user area for the latency checks.
        :returns: the decision's explanation (JSON-able).
        :raises: Invalid for a malformed AppD or request.
        """
        spec = self._spec(appd, request, user_area)
        states, _ = self.host_states()
        return self.scheduler.select(spec, states).explain()

    def claim(self, consumer_id, project_id, appd, request=None,
              user_area=None):
        """Choose a host for an instance and claim its capacity there.

        :param consumer_id: the app instance (or grant) the capacity is for.
        :param project_id: its project.
        :param appd: the normalized AppD.
        :param request: the InstantiateAppRequest, or None.
        :param user_area: the user area for the latency checks.
        :returns: (the chosen HostState, the decision's explanation).
        :raises: NoValidHost (409) with the reasons per filter.
        """
        spec = self._spec(appd, request, user_area)
        resources = {'vcpus': spec.vcpus or 0,
                     'memory_mb': spec.memory_mb or 0,
                     'disk_gb': spec.disk_gb or 0}
        deadline = time.monotonic() + CLAIM_BUDGET
        while True:
            states, generations = self.host_states()
            result = self.scheduler.select(spec, states)
            result.raise_if_empty()
            for host, _weight in result.ranked:
                try:
                    self.dbapi.claim_capacity(
                        host.id, generations[host.id], consumer_id,
                        project_id, resources)
                except exception.HostGenerationConflict:
                    # Another claim changed the host: decide again.
                    break
                LOG.info('Placed %(consumer)s on MEC host %(host)s',
                         {'consumer': consumer_id, 'host': host.id})
                return host, result.explain()
            if time.monotonic() > deadline:
                raise scheduler.NoValidHost(
                    reason='the inventory kept changing for %d s'
                    % CLAIM_BUDGET)

    def release(self, consumer_id):
        """Release what a consumer claimed; idempotent.

        :param consumer_id: the app instance (or grant).
        :returns: the number of allocations released.
        """
        return self.dbapi.release_capacity(consumer_id)

    @staticmethod
    def _spec(appd, request, user_area):
        try:
            return scheduler.RequestSpec.from_appd(
                appd, request=request, user_area=user_area)
        except ValueError as e:
            raise exception.Invalid(reason=str(e))
