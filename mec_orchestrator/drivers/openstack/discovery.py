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
"""MEC hosts of an OpenStack VIM, from Nova and Placement.

The MEC hosts of an OpenStack VIM are:

* one per **availability zone** that has compute hosts, keyed
  ``az:<zone>``;
* one per **host aggregate** whose metadata sets ``[vim]
  mec_host_aggregate_key`` (``mec_host``) to true, keyed
  ``aggregate:<uuid>``. Its compute hosts leave their zone's MEC host, so
  that no capacity is counted twice; a zone left without compute hosts has
  no MEC host.

Capacity and usage (vCPU, RAM in MB, disk in GB) are summed over the
enabled, up hypervisors of the MEC host's compute hosts: from Placement
(``(total - reserved) * allocation_ratio`` and the usages) when the VIM has
it and ``[vim] use_placement`` is true, else from Nova's hypervisor
statistics. Without the admin rights these need (Nova's default policy),
the zones are listed without capacity.
"""

from keystoneauth1 import exceptions as ka_exc
from oslo_log import log
from oslo_utils import strutils

from mec_orchestrator.common import exception
from mec_orchestrator.drivers.openstack import client

LOG = log.getLogger(__name__)

#: Nova microversion: hypervisor ids are the compute nodes' (and Placement
#: resource providers') UUIDs, and statistics are still returned.
NOVA_MICROVERSION = '2.53'
NOVA_HEADERS = {'OpenStack-API-Version': 'compute %s' % NOVA_MICROVERSION,
                'X-OpenStack-Nova-API-Version': NOVA_MICROVERSION}

#: Placement resource classes -> MEC host capacity fields.
RESOURCE_CLASSES = {'VCPU': 'vcpus', 'MEMORY_MB': 'memory_mb',
                    'DISK_GB': 'disk_gb'}
#: Nova hypervisor statistics -> (capacity field, its used counterpart).
NOVA_STATS = {'vcpus': ('vcpus', 'vcpus_used'),
              'memory_mb': ('memory_mb', 'memory_mb_used'),
              'disk_gb': ('local_gb', 'local_gb_used')}


class _Nova(object):
    """The few Nova and Placement calls discovery makes."""

    def __init__(self, session, capabilities):
        self.session = session
        self.compute = capabilities['endpoints']['compute'].rstrip('/')
        self.placement = (capabilities['endpoints'].get('placement') or
                          '').rstrip('/') or None

    def get(self, url, forbidden=None):
        """GET a JSON document; ``forbidden`` when the policy refuses."""
        with client.translate_errors(url):
            try:
                return self.session.get(url, headers=NOVA_HEADERS).json()
            except ka_exc.Forbidden:
                if forbidden is None:
                    raise
                LOG.debug('%s is not allowed to the VIM user', url)
                return forbidden

    def availability_zones(self):
        """{zone: [compute hosts]}, or {zone: None} without the rights."""
        body = self.get(self.compute + '/os-availability-zone/detail',
                        forbidden={})
        zones = {}
        if body:
            for zone in body.get('availabilityZoneInfo', []):
                hosts = [name for name, services in
                         (zone.get('hosts') or {}).items()
                         if 'nova-compute' in (services or {})]
                if hosts:
                    zones[zone['zoneName']] = sorted(hosts)
            return zones
        body = self.get(self.compute + '/os-availability-zone')
        for zone in body.get('availabilityZoneInfo', []):
            zones[zone['zoneName']] = None
        return zones

    def hypervisors(self):
        """Every hypervisor, or None without the rights."""
        url = self.compute + '/os-hypervisors/detail'
        result = []
        while url:
            body = self.get(url, forbidden=False)
            if body is False:
                return None
            result.extend(body.get('hypervisors', []))
            url = next((link['href'] for link in
                        body.get('hypervisors_links', [])
                        if link.get('rel') == 'next'), None)
        return result

    def aggregates(self):
        """Every host aggregate, or [] without the rights."""
        body = self.get(self.compute + '/os-aggregates', forbidden={})
        return body.get('aggregates', []) if body else []

    def placement_resources(self, provider_id):
        """(capacity, usage) of a resource provider, or None."""
        if self.placement is None:
            return None
        base = '%s/resource_providers/%s' % (self.placement, provider_id)
        try:
            with client.translate_errors(base):
                inventories = self.session.get(
                    base + '/inventories').json().get('inventories', {})
                usages = self.session.get(
                    base + '/usages').json().get('usages', {})
        except exception.Invalid as e:
            # No such provider, not allowed, or Placement down: Nova's
            # figures will do.
            LOG.debug('Placement has no figures for %(rp)s: %(reason)s',
                      {'rp': provider_id, 'reason': e})
            return None
        capacity, usage = {}, {}
        for rc, field in RESOURCE_CLASSES.items():
            inv = inventories.get(rc)
            if inv is None:
                continue
            capacity[field] = int((inv.get('total', 0) -
                                   inv.get('reserved', 0)) *
                                  inv.get('allocation_ratio', 1.0))
            usage[field] = int(usages.get(rc, 0))
        return capacity, usage


def _usable(hypervisor):
    return (hypervisor.get('state', 'up') == 'up' and
            hypervisor.get('status', 'enabled') == 'enabled')


def _resources(nova, hypervisor, use_placement):
    """(capacity, usage, source) of one hypervisor."""
    if use_placement and hypervisor.get('id'):
        found = nova.placement_resources(hypervisor['id'])
        if found is not None:
            return found[0], found[1], 'placement'
    capacity, usage = {}, {}
    for field, (total, used) in NOVA_STATS.items():
        if hypervisor.get(total) is not None:
            capacity[field] = int(hypervisor[total])
            usage[field] = int(hypervisor.get(used) or 0)
    return capacity, usage, 'nova' if capacity else None


def _summary(hypervisor):
    return {'id': hypervisor.get('id'),
            'hypervisor_hostname': hypervisor.get('hypervisor_hostname'),
            'host': (hypervisor.get('service') or {}).get('host'),
            'state': hypervisor.get('state'),
            'status': hypervisor.get('status')}


class _Totals(object):
    """Sums capacity and usage over hypervisors."""

    def __init__(self, nova, by_host, use_placement):
        self.nova = nova
        self.by_host = by_host
        self.use_placement = use_placement
        self._cache = {}

    def _one(self, hypervisor):
        key = hypervisor.get('id') or hypervisor.get('hypervisor_hostname')
        if key not in self._cache:
            self._cache[key] = _resources(self.nova, hypervisor,
                                          self.use_placement)
        return self._cache[key]

    def host(self, discovery_key, name, zone, aggregate, compute_hosts,
             extra_details=None):
        """A MEC host dict as the conductor expects it."""
        host = {'discovery_key': discovery_key, 'name': name, 'zone': zone,
                'aggregate': aggregate, 'capacity_source': None}
        details = dict(extra_details or {})
        if compute_hosts is not None:
            details['compute_hosts'] = list(compute_hosts)
        if self.by_host is None or compute_hosts is None:
            host['details'] = details
            return host
        hypervisors = [hv for name_ in compute_hosts
                       for hv in self.by_host.get(name_, [])]
        details['hypervisors'] = [_summary(hv) for hv in hypervisors]
        capacity, usage, sources = {}, {}, set()
        for hv in filter(_usable, hypervisors):
            hv_capacity, hv_usage, source = self._one(hv)
            for field, value in hv_capacity.items():
                capacity[field] = capacity.get(field, 0) + value
            for field, value in hv_usage.items():
                usage[field] = usage.get(field, 0) + value
            if source:
                sources.add(source)
        for field in RESOURCE_CLASSES.values():
            host[field] = capacity.get(field, 0 if sources else None)
            host[field + '_used'] = usage.get(field, 0 if sources else None)
        host['capacity_source'] = '+'.join(sorted(sources)) or None
        host['details'] = details
        return host


def discover(session, capabilities, aggregate_key, use_placement=True):
    """The MEC hosts of an OpenStack VIM.

    :param session: a session of :func:`client.vim_session`.
    :param capabilities: what :func:`client.read_catalog` returned.
    :param aggregate_key: the aggregate metadata key marking MEC hosts.
    :param use_placement: whether to read capacity from Placement.
    :returns: a list of dicts with ``discovery_key``, ``name``, ``zone``,
        ``aggregate``, capacity and usage (``vcpus``, ``vcpus_used``,
        ``memory_mb``, ``memory_mb_used``, ``disk_gb``, ``disk_gb_used``),
        ``capacity_source`` and ``details``.
    :raises: VimUnreachable, VimAuthFailed
    """
    nova = _Nova(session, capabilities)
    zones = nova.availability_zones()
    hypervisors = nova.hypervisors()
    by_host = None
    if hypervisors is not None:
        by_host = {}
        for hv in hypervisors:
            by_host.setdefault((hv.get('service') or {}).get('host'),
                               []).append(hv)
    flagged = [agg for agg in nova.aggregates()
               if strutils.bool_from_string(
                   (agg.get('metadata') or {}).get(aggregate_key))]
    carved = {host for agg in flagged for host in agg.get('hosts') or []}
    zone_of = {host: zone for zone, hosts in zones.items()
               for host in hosts or []}
    totals = _Totals(nova, by_host, use_placement)
    result = []
    for zone, hosts in sorted(zones.items()):
        if hosts is not None:
            hosts = [h for h in hosts if h not in carved]
            if not hosts:
                continue
        result.append(totals.host('az:%s' % zone, zone, zone, None, hosts))
    for agg in sorted(flagged, key=lambda a: a.get('name') or ''):
        hosts = sorted(agg.get('hosts') or [])
        zone = (agg.get('availability_zone') or
                next((zone_of[h] for h in hosts if h in zone_of), None))
        agg_id = agg.get('uuid') or agg.get('id')
        result.append(totals.host(
            'aggregate:%s' % agg_id, agg.get('name') or str(agg_id), zone,
            agg.get('name'), hosts,
            {'aggregate_id': agg_id,
             'metadata': agg.get('metadata') or {}}))
    return result
