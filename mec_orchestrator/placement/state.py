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
"""What the scheduler decides on: the request and the MEC hosts.

:class:`RequestSpec` is read once from the normalized AppD and the
instantiation request; :class:`HostState` once per MEC host from its
inventory row and its VIM. Both precompute what the filters compare, so
that filtering touches plain attributes only.
"""

import math
import re

from mec_orchestrator.common import states
from mec_orchestrator import conf as mec_conf
from mec_orchestrator.placement import geo

#: Disk formats of virtual machine images (Glance's, and ISO).
VM_DISK_FORMATS = frozenset(('qcow2', 'raw', 'iso', 'vmdk', 'vdi', 'vhd',
                             'vhdx', 'ami', 'aki', 'ari', 'ploop', 'img'))
#: Formats of container images.
CONTAINER_FORMATS = frozenset(('docker', 'oci', 'container'))
#: Nanoseconds per unit of an ``appLatency`` ``timeUnit``.
_TIME_UNITS = {'ns': 1, 'nanoseconds': 1, 'nano_seconds': 1,
               'us': 1e3, 'microseconds': 1e3, 'micro_seconds': 1e3,
               'ms': 1e6, 'milliseconds': 1e6, 'milli_seconds': 1e6,
               's': 1e9, 'seconds': 1e9}
#: The shared empty set of instances (compared by identity, cheaply).
NONE = frozenset()
_RANGE = re.compile(r'^\s*(>=|<=|==|!=|>|<|~=)?\s*([0-9A-Za-z.*]+)\s*$')


def _get(obj, key, default=None):
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def version_key(version):
    """A comparable tuple of a dotted version: ``'2.1.1'`` -> (2, 1, 1)."""
    out = []
    for part in str(version).strip().lstrip('vV').split('.'):
        out.append((0, int(part), '') if part.isdigit() else (1, 0, part))
    return tuple(out)


def version_matches(required, offered):
    """Whether an offered version satisfies a required one.

    ``required`` is an exact version (``2.1.1``), a prefix of dotted
    components (``2`` or ``2.x`` or ``2.*`` matches ``2.1.1``, not
    ``20.1``), or comma-separated comparisons (``>=2.0,<3``). A host that
    gives no version for its service is taken to offer any.

    :param required: the AppD's version string, or None (anything).
    :param offered: the host's version string, or None.
    :returns: a bool.
    """
    if not required or offered is None:
        return True
    required = str(required).strip()
    offered_key = version_key(offered)
    if any(c in required for c in '<>=!~,'):
        for clause in required.split(','):
            match = _RANGE.match(clause)
            if not match:
                return False
            op, ver = match.group(1) or '==', match.group(2)
            if '*' in ver or ver.endswith('.x'):
                ok = version_matches(ver, offered)
                if op == '!=':
                    ok = not ok
                elif op != '==':
                    return False
            else:
                key = version_key(ver)
                ok = {'>=': offered_key >= key, '<=': offered_key <= key,
                      '>': offered_key > key, '<': offered_key < key,
                      '==': offered_key == key, '!=': offered_key != key,
                      '~=': (offered_key >= key and
                             offered_key[:max(len(key) - 1, 1)] ==
                             key[:max(len(key) - 1, 1)])}[op]
            if not ok:
                return False
        return True
    parts = required.split('.')
    while parts and parts[-1] in ('x', 'X', '*'):
        parts.pop()
    key = version_key('.'.join(parts)) if parts else ()
    if not parts:
        return True
    if '.'.join(parts) != required:
        return offered_key[:len(key)] == key
    return offered_key == key or offered_key[:len(key)] == key


def _latency_ms(latency):
    """An ``appLatency`` in milliseconds, or None.

    MEC 010-2 ``LatencyDescriptor`` gives ``maxLatency`` in nanoseconds;
    the ``{timeUnit, latency}`` form names its unit.
    """
    if not latency:
        return None
    if latency.get('maxLatency') is not None:
        return float(latency['maxLatency']) / 1e6
    if latency.get('latency') is not None:
        unit = str(latency.get('timeUnit') or 'ms').lower()
        factor = _TIME_UNITS.get(unit)
        if factor is None:
            raise ValueError('unknown appLatency timeUnit %s' % unit)
        return float(latency['latency']) * factor / 1e6
    return None


def image_kind(appd):
    """``vm``, ``container`` or None (cannot tell) for an AppD."""
    if appd.get('osContainerDescriptor'):
        return 'container'
    image = appd.get('swImageDescriptor') or {}
    container = str(image.get('containerFormat') or '').lower()
    disk = str(image.get('diskFormat') or '').lower()
    if container in CONTAINER_FORMATS or disk in CONTAINER_FORMATS:
        return 'container'
    if disk in VM_DISK_FORMATS:
        return 'vm'
    if image and container in ('bare', 'ovf', 'ova', 'ami'):
        return 'vm'
    return None


def _compute(appd, request):
    """(vcpus, memory MB, disk GB) an instance needs."""
    containers = appd.get('osContainerDescriptor') or []
    vcd = request.get('virtualComputeDescriptor') or appd.get(
        'virtualComputeDescriptor')
    vcpus = memory = disk = 0.0
    if vcd:
        vcpus = float((vcd.get('virtualCpu') or {}).get('numVirtualCpu')
                      or 0)
        memory = float((vcd.get('virtualMemory') or {}).get(
            'virtualMemSize') or 0)
        disk = float(sum(d.get('sizeOfStorage') or 0
                         for d in vcd.get('virtualDisk') or []))
    elif containers:
        # requestedCpuResources is in milli-CPUs (MEC 010-2 v3).
        vcpus = sum(c.get('requestedCpuResources') or 0
                    for c in containers) / 1000.0
        memory = float(sum(c.get('requestedMemoryResources') or 0
                           for c in containers))
    image = appd.get('swImageDescriptor') or {}
    memory = max(memory, float(image.get('minRam') or 0))
    disk = max(disk, float(image.get('minDisk') or 0))
    storage = request.get('virtualStorageDescriptor') or appd.get(
        'virtualStorageDescriptor') or []
    disk += float(sum(s.get('sizeOfStorage') or 0 for s in storage
                      if isinstance(s, dict)))
    return vcpus, memory, disk


def _host_ids(info):
    """The identifiers a ``MECHostInformation`` names."""
    ids = set()
    host_id = info.get('hostId')
    if isinstance(host_id, dict):
        ids.update(str(v) for v in host_id.values() if v is not None)
    elif host_id is not None:
        ids.add(str(host_id))
    if info.get('hostName'):
        ids.add(str(info['hostName']))
    return frozenset(ids)


class RequestSpec(object):
    """What one application instance needs of its MEC host."""

    __slots__ = ('instance_id', 'app_d_id', 'vcpus', 'memory_mb',
                 'disk_gb', 'image_kind', 'services', 'features',
                 'max_latency_ms', 'user_area', 'country_code', 'civic',
                 'area', 'affinity', 'anti_affinity', 'selected')

    def __init__(self, **kwargs):
        for name in self.__slots__:
            setattr(self, name, kwargs.get(name))

    @classmethod
    def from_appd(cls, appd, request=None, user_area=None, instance_id=None,
                  affinity=None):
        """Read the needs of an instance from its AppD and request.

        :param appd: the normalized AppD (MEC 010-2 names).
        :param request: the MEC 010-2 ``InstantiateAppRequest``, or None.
            Its ``virtualComputeDescriptor`` replaces the AppD's; its
            ``locationConstraints`` may also carry an ``area`` (see
            :func:`geo.area`).
        :param user_area: the area (a key of the hosts' ``latencies``)
            whose users the instance serves; ``appLatency`` is checked
            against it.
        :param instance_id: the app instance's id, if known.
        :param affinity: ``{'affinity': [instance ids],
            'anti_affinity': [instance ids]}``.
        :returns: a RequestSpec.
        :raises: ValueError when the AppD or request is malformed.
        """
        request = request or {}
        affinity = affinity or {}
        vcpus, memory, disk = _compute(appd, request)
        services = []
        for dep in appd.get('appServiceRequired') or []:
            transports = frozenset(
                (t.get('transport') or {}).get('type')
                for t in dep.get('serTransportDependencies') or []
                if (t.get('transport') or {}).get('type'))
            services.append((dep['serName'], dep.get('version'),
                             transports))
        features = [(f['featureName'], f.get('version'))
                    for f in appd.get('appFeatureRequired') or []]
        constraints = request.get('locationConstraints') or {}
        country = constraints.get('countryCode')
        civic = tuple((str(e['caType']), str(e['caValue']).casefold())
                      for e in constraints.get('civicAddressElement') or [])
        selected = [_host_ids(info)
                    for info in request.get('selectedMECHostInfo') or []]
        return cls(
            instance_id=instance_id, app_d_id=appd.get('appDId'),
            vcpus=vcpus, memory_mb=memory, disk_gb=disk,
            image_kind=image_kind(appd), services=tuple(services),
            features=tuple(features),
            max_latency_ms=_latency_ms(appd.get('appLatency')),
            user_area=user_area,
            country_code=country.upper() if country else None,
            civic=civic,
            area=geo.area(constraints.get('area') or request.get('area')),
            affinity=frozenset(affinity.get('affinity') or ()),
            anti_affinity=frozenset(affinity.get('anti_affinity') or ()),
            selected=selected or None)

    def to_dict(self):
        """A JSON-able summary of what is asked, for explanations."""
        return {
            'instance_id': self.instance_id, 'app_d_id': self.app_d_id,
            'vcpus': self.vcpus, 'memory_mb': self.memory_mb,
            'disk_gb': self.disk_gb, 'image_kind': self.image_kind,
            'services': [{'serName': n, 'version': v,
                          'transports': sorted(t)}
                         for n, v, t in self.services],
            'features': [{'featureName': n, 'version': v}
                         for n, v in self.features],
            'max_latency_ms': self.max_latency_ms,
            'user_area': self.user_area,
            'country_code': self.country_code,
            'civic_address': [{'caType': t, 'caValue': v}
                              for t, v in self.civic],
            'area': self.area.describe() if self.area else None,
            'affinity': sorted(self.affinity),
            'anti_affinity': sorted(self.anti_affinity),
            'selected': [sorted(s) for s in self.selected or []],
        }


def allocation_ratios(conf):
    """(cpu, ram, disk) allocation ratios of ``[placement]``."""
    group = conf.placement
    return (group.cpu_allocation_ratio, group.ram_allocation_ratio,
            group.disk_allocation_ratio)


def _free(total, used, ratio):
    if total is None:
        return None
    return total * ratio - (used or 0)


def _civic(value):
    """{caType (str): casefolded value} of a host's civic address."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v).casefold() for k, v in value.items()}
    return {str(e['caType']): str(e['caValue']).casefold() for e in value}


class HostState(object):
    """A MEC host as the filters and weighers see it."""

    __slots__ = ('id', 'name', 'vim_id', 'vim_type', 'vim_status', 'site',
                 'zone', 'enabled', 'available', 'usable', 'vcpus',
                 'memory_mb', 'disk_gb', 'free_vcpus', 'free_memory_mb',
                 'free_disk_gb', 'capacity_known', 'services', 'features',
                 'latencies', 'latitude', 'longitude', 'area_id',
                 'country_code', 'civic', 'cost', 'instances')

    @classmethod
    def from_row(cls, host, vim, usage=None, ratios=None):
        """Build the state of a MEC host.

        :param host: a ``mec_hosts`` row, or a dict with its columns, or
            the admin API's representation (``location``, ``capacity``
            and ``usage`` objects).
        :param vim: the host's ``vims`` row or dict (``type``,
            ``status``), or None when unknown (the host is then unusable).
        :param usage: what the orchestrator has placed on the host and
            discovery may not show yet: ``{'vcpus', 'memory_mb',
            'disk_gb'}`` added to the used figures, and ``'instances'``,
            the ids of the app instances on the host.
        :param ratios: (cpu, ram, disk) allocation ratios; when None,
            ``[placement] cpu_allocation_ratio`` (``ram_``, ``disk_``)
            of the global configuration. They are not applied when the
            capacity comes from Placement, whose figures already carry
            the VIM's ratios.
        :returns: a HostState.
        """
        self = cls.__new__(cls)
        usage = usage or {}
        details = _get(host, 'details') or {}
        extra = _get(host, 'extra') or {}
        self.id = _get(host, 'id')
        self.name = _get(host, 'name')
        self.vim_id = _get(host, 'vim_id')
        self.vim_type = _get(vim, 'type') if vim is not None else None
        self.vim_status = _get(vim, 'status') if vim is not None else None
        self.site = _get(host, 'site')
        self.zone = _get(host, 'zone')
        self.enabled = bool(_get(host, 'enabled', True))
        self.available = bool(_get(host, 'available', True))
        self.usable = (self.enabled and self.available and
                       self.vim_status == states.REACHABLE)
        capacity = _get(host, 'capacity')
        if isinstance(capacity, dict):
            used = _get(host, 'usage') or {}
            figures = [(capacity.get(f), used.get(f))
                       for f in ('vcpus', 'memory_mb', 'disk_gb')]
        else:
            figures = [(_get(host, f), _get(host, f + '_used'))
                       for f in ('vcpus', 'memory_mb', 'disk_gb')]
        source = _get(host, 'capacity_source') or ''
        if 'placement' in source:
            ratios = (1.0, 1.0, 1.0)
        elif ratios is None:
            ratios = allocation_ratios(mec_conf.CONF)
        (self.vcpus, vu), (self.memory_mb, mu), (self.disk_gb, du) = figures
        self.free_vcpus = _free(self.vcpus, (vu or 0) + usage.get(
            'vcpus', 0), ratios[0])
        self.free_memory_mb = _free(self.memory_mb, (mu or 0) + usage.get(
            'memory_mb', 0), ratios[1])
        self.free_disk_gb = _free(self.disk_gb, (du or 0) + usage.get(
            'disk_gb', 0), ratios[2])
        self.capacity_known = None not in (self.vcpus, self.memory_mb,
                                           self.disk_gb)
        services = {}
        for ser in _get(host, 'platform_services') or []:
            services.setdefault(ser.get('serName'), []).append(
                (ser.get('version'), ser.get('transport')))
        self.services = {k: tuple(v) for k, v in services.items()}
        features = {}
        for feat in (details.get('features') or
                     (details.get('platform') or {}).get('features') or []):
            if isinstance(feat, str):
                name, _sep, ver = feat.partition(':')
                features.setdefault(name, []).append(ver or None)
            else:
                features.setdefault(feat.get('featureName'), []).append(
                    feat.get('version'))
        self.features = features
        self.latencies = _get(host, 'latencies') or {}
        location = _get(host, 'location')
        if not isinstance(location, dict):
            location = {'latitude': _get(host, 'latitude'),
                        'longitude': _get(host, 'longitude'),
                        'area_id': _get(host, 'area_id'),
                        'country_code': _get(host, 'country_code'),
                        'civic_address': _get(host, 'civic_address')}
        location = dict(details.get('location') or {}, **{
            k: v for k, v in location.items() if v is not None})
        self.latitude = location.get('latitude')
        self.longitude = location.get('longitude')
        self.area_id = location.get('area_id')
        country = location.get('country_code')
        self.country_code = country.upper() if country else None
        self.civic = _civic(location.get('civic_address'))
        cost = details.get('cost', extra.get('cost'))
        self.cost = float(cost) if cost is not None else None
        self.instances = frozenset(usage.get('instances') or
                                   _get(host, 'instances') or ()) or NONE
        return self

    def __repr__(self):
        return '<HostState %s %s>' % (self.id, self.name)

    def latency_to(self, area):
        """Latency in ms from the host to an area, or None."""
        value = self.latencies.get(area) if area is not None else None
        return None if value is None or math.isnan(value) else value
