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
"""Filters on the host itself: usable, VIM type, free capacity."""

from mec_orchestrator.common import states
from mec_orchestrator.placement import filters


class EnabledFilter(filters.BaseFilter):
    """The host is enabled, its VIM reported it, and the VIM is REACHABLE.

    Config name: ``enabled``.
    """

    name = 'enabled'
    cost = 0

    def host_passes(self, spec, host):
        return host.usable

    def filter_all(self, spec, hosts):
        return [h for h in hosts if h.usable]

    def reason(self, spec, host):
        parts = []
        if not host.enabled:
            parts.append('the host is disabled')
        if not host.available:
            parts.append('its VIM did not report it at the last discovery')
        if host.vim_status is None:
            parts.append('its VIM is unknown')
        elif host.vim_status != states.REACHABLE:
            parts.append('its VIM %s is %s' % (host.vim_id,
                                               host.vim_status))
        return '; '.join(parts) or 'the host is not usable'


class VimTypeFilter(filters.BaseFilter):
    """The host's VIM can run the application's kind of image.

    A virtual machine image (``swImageDescriptor`` with a disk format such
    as qcow2, raw or iso) needs one of ``[placement] vm_vim_types``;
    container images (``osContainerDescriptor``, or a ``docker``/``oci``
    format) one of ``container_vim_types``. An AppD whose image kind
    cannot be told is not constrained. Config name: ``vim_type``.
    """

    name = 'vim_type'
    cost = 1

    def _types(self, spec):
        if spec.image_kind == 'vm':
            return frozenset(self.conf.placement.vm_vim_types)
        if spec.image_kind == 'container':
            return frozenset(self.conf.placement.container_vim_types)
        return None

    def active(self, spec):
        return spec.image_kind is not None

    def host_passes(self, spec, host):
        return host.vim_type in self._types(spec)

    def filter_all(self, spec, hosts):
        types = self._types(spec)
        return [h for h in hosts if h.vim_type in types]

    def reason(self, spec, host):
        return ('a %s image needs a VIM of type %s; the host\'s VIM is %s'
                % (spec.image_kind, ' or '.join(sorted(self._types(spec))),
                   host.vim_type))


class CapacityFilter(filters.BaseFilter):
    """The host has the free vCPUs, RAM and disk the instance needs.

    Free capacity is the total times ``[placement] cpu_allocation_ratio``
    (``ram_``, ``disk_``) minus the usage, computed once per host. An
    exact fit passes. A host whose capacity is unknown passes when
    ``unknown_capacity_passes`` is true. Config name: ``capacity``.
    """

    name = 'capacity'
    cost = 2

    def active(self, spec):
        return bool(spec.vcpus or spec.memory_mb or spec.disk_gb)

    def host_passes(self, spec, host):
        if not host.capacity_known:
            return self.conf.placement.unknown_capacity_passes
        return (host.free_vcpus >= spec.vcpus and
                host.free_memory_mb >= spec.memory_mb and
                host.free_disk_gb >= spec.disk_gb)

    def filter_all(self, spec, hosts):
        cpu, ram, disk = spec.vcpus, spec.memory_mb, spec.disk_gb
        unknown = self.conf.placement.unknown_capacity_passes
        return [h for h in hosts
                if (h.free_vcpus >= cpu and h.free_memory_mb >= ram and
                    h.free_disk_gb >= disk
                    if h.capacity_known else unknown)]

    def reason(self, spec, host):
        if not host.capacity_known:
            return 'the host\'s capacity is unknown'
        short = []
        for label, need, free in (('vCPU', spec.vcpus, host.free_vcpus),
                                  ('MB of RAM', spec.memory_mb,
                                   host.free_memory_mb),
                                  ('GB of disk', spec.disk_gb,
                                   host.free_disk_gb)):
            if free < need:
                short.append('%g %s needed, %g free'
                             % (need, label, max(free, 0)))
        return '; '.join(short)
