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
"""Affinity and anti-affinity with other application instances."""

from mec_orchestrator.placement import filters
from mec_orchestrator.placement import state


class AffinityFilter(filters.BaseFilter):
    """Same host as, or a different host from, other instances.

    ``affinity`` (as Nova's SameHostFilter): the host runs at least one
    of the listed instances. ``anti_affinity`` (as DifferentHostFilter):
    it runs none of them. Config name: ``affinity``.
    """

    name = 'affinity'
    cost = 1

    def active(self, spec):
        return bool(spec.affinity or spec.anti_affinity)

    def host_passes(self, spec, host):
        if spec.affinity and spec.affinity.isdisjoint(host.instances):
            return False
        return spec.anti_affinity.isdisjoint(host.instances)

    def filter_all(self, spec, hosts):
        if spec.affinity:
            same = spec.affinity
            hosts = [h for h in hosts
                     if h.instances and not same.isdisjoint(h.instances)]
        if spec.anti_affinity:
            other, none = spec.anti_affinity, state.NONE
            hosts = [h for h in hosts
                     if h.instances is none or other.isdisjoint(h.instances)]
        return hosts

    def reason(self, spec, host):
        if spec.affinity and spec.affinity.isdisjoint(host.instances):
            return ('runs none of the instances %s'
                    % ', '.join(sorted(spec.affinity)))
        return ('runs instance %s'
                % ', '.join(sorted(spec.anti_affinity & host.instances)))
