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
"""The weighers of the MEO scheduler: latency, load and cost."""

from mec_orchestrator.placement import weighers


class LatencyWeigher(weighers.BaseWeigher):
    """Prefers the hosts with the lower latency to the user area.

    A host without a figure counts as the slowest. Without a user area
    every host weighs the same. Config name: ``latency``; multiplier
    ``[placement] latency_weight_multiplier``.
    """

    name = 'latency'

    def raw_weights(self, spec, hosts):
        area = spec.user_area
        if area is None:
            return [0.0] * len(hosts)
        values = [h.latencies.get(area) for h in hosts]
        known = [v for v in values if v is not None]
        worst = max(known) + 1.0 if known else 0.0
        return [-(worst if v is None else v) for v in values]


class LoadWeigher(weighers.BaseWeigher):
    """Prefers the hosts with more (spread) or less (pack) free capacity.

    The raw weight is the sum over vCPU, RAM and disk of the free amount
    after the request, each divided by its largest value among the hosts,
    so that the three count alike. A host of unknown capacity counts as
    having none free. Config name: ``load``; ``[placement]
    load_strategy`` (spread or pack) and ``load_weight_multiplier``.
    """

    name = 'load'

    def raw_weights(self, spec, hosts):
        cpu = [h.free_vcpus or 0.0 for h in hosts]
        ram = [h.free_memory_mb or 0.0 for h in hosts]
        disk = [h.free_disk_gb or 0.0 for h in hosts]
        mc = 1.0 / (max(cpu) or 1.0) if cpu else 1.0
        mr = 1.0 / (max(ram) or 1.0) if ram else 1.0
        md = 1.0 / (max(disk) or 1.0) if disk else 1.0
        sign = -1.0 if self.conf.placement.load_strategy == 'pack' else 1.0
        return [sign * (c * mc + r * mr + d * md)
                for c, r, d in zip(cpu, ram, disk, strict=True)]


class CostWeigher(weighers.BaseWeigher):
    """Prefers the cheaper hosts.

    A host's cost is ``cost`` in its details (or its extra fields), else
    ``[placement] default_cost``. Config name: ``cost``; multiplier
    ``cost_weight_multiplier``.
    """

    name = 'cost'

    def raw_weights(self, spec, hosts):
        default = self.conf.placement.default_cost
        return [-(default if h.cost is None else h.cost) for h in hosts]
