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
"""The MEO scheduler: filter the MEC hosts, weigh the rest, explain.

A pure library: it reads no database and serves no HTTP. The caller
builds a :class:`RequestSpec` and the :class:`HostState` of the hosts
(cheaply, once per decision or from a cache), and asks
:meth:`Scheduler.select`, which never raises for "no host"::

    spec = scheduler.RequestSpec.from_appd(appd, request, user_area='a1')
    hosts = [scheduler.HostState.from_row(h, vims[h.vim_id])
             for h in rows]
    result = scheduler.Scheduler.from_conf(CONF).select(spec, hosts)
    result.raise_if_empty()     # NoValidHost (409) with the reasons
    host, weight = result.ranked[0]
"""

import heapq

from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exc

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.placement.filters import affinity as f_affinity
from mec_orchestrator.placement.filters import host as f_host
from mec_orchestrator.placement.filters import location as f_location
from mec_orchestrator.placement.filters import platform as f_platform
from mec_orchestrator.placement import state
from mec_orchestrator.placement import weighers
from mec_orchestrator.placement.weighers import standard

FILTER_NAMESPACE = 'mec_orchestrator.placement.filters'
WEIGHER_NAMESPACE = 'mec_orchestrator.placement.weighers'

#: The in-tree filters and weighers, used when the entry points are not
#: installed (an editable install made before they were added).
BUILTIN_FILTERS = {cls.name: cls for cls in (
    f_host.EnabledFilter, f_host.VimTypeFilter, f_host.CapacityFilter,
    f_platform.ServicesFilter, f_platform.FeaturesFilter,
    f_location.LatencyFilter, f_location.LocationFilter,
    f_affinity.AffinityFilter)}
BUILTIN_WEIGHERS = {cls.name: cls for cls in (
    standard.LatencyWeigher, standard.LoadWeigher, standard.CostWeigher)}

RequestSpec = state.RequestSpec
HostState = state.HostState


class NoValidHost(exception.Conflict):
    """No MEC host can take the instance (409 Conflict).

    Raised by :meth:`Result.raise_if_empty`, both when no host of the
    inventory fits and when the hosts of ``selectedMECHostInfo`` fail a
    check: the request conflicts with the current state of the inventory
    and asking again unchanged does not help, which rules out 503.
    ``explanation`` is :meth:`Result.explain`, for the ProblemDetails.
    """

    msg_fmt = _("No MEC host can take the application instance: "
                "%(reason)s")

    def __init__(self, message=None, explanation=None, **kwargs):
        self.explanation = explanation
        super().__init__(message, **kwargs)


def _load(namespace, builtin, name, conf):
    try:
        manager = stevedore_driver.DriverManager(
            namespace, name, invoke_on_load=True, invoke_args=(conf,))
        return manager.driver
    except (RuntimeError, stevedore_exc.NoMatches) as e:
        if name in builtin:
            return builtin[name](conf)
        raise exception.DriverLoadError(name=name, namespace=namespace,
                                        reason=str(e))


def _host_brief(host):
    return {'id': host.id, 'name': host.name, 'vim_id': host.vim_id,
            'vim_type': host.vim_type, 'site': host.site}


class Result(object):
    """The outcome of one decision.

    :ivar ranked: [(HostState, weight)] of the best hosts, best first (at
        most ``[placement] max_ranked``).
    :ivar passed: how many hosts passed every filter.
    """

    def __init__(self, spec, considered, explain_max_hosts):
        self.spec = spec
        self.considered = considered
        self.ranked = []
        self.breakdown = {}
        self.passed = 0
        self.notes = []
        self.unknown_selected = []
        self.explain_max_hosts = explain_max_hosts
        #: [(filter, hosts before, hosts after)] of the filters that ran.
        self._stages = []
        #: {host id: [(filter name, reason)]} when every filter ran on
        #: every host (selectedMECHostInfo).
        self._full = None
        self._rejected = None

    @property
    def chosen(self):
        """The best host, or None."""
        return self.ranked[0][0] if self.ranked else None

    @property
    def rejected(self):
        """{host id: [(filter name, reason)]} of the rejected hosts.

        Without ``selectedMECHostInfo`` a host is listed with the first
        filter it failed (they run cheapest first); with it, with every
        filter it failed.
        """
        if self._rejected is None:
            if self._full is not None:
                self._rejected = self._full
            else:
                out = {}
                for filt, before, after in self._stages:
                    kept = set(map(id, after))
                    for host in before:
                        if id(host) not in kept:
                            out[host.id] = [
                                (filt.name, filt.reason(self.spec, host))]
                self._rejected = out
        return self._rejected

    def _per_filter(self):
        counts = {}
        for host_id, failures in self.rejected.items():
            for name, reason in failures:
                entry = counts.setdefault(name, {'rejected': 0, 'hosts': {}})
                entry['rejected'] += 1
                if len(entry['hosts']) < self.explain_max_hosts:
                    entry['hosts'][host_id] = reason
        return counts

    def summary(self):
        """One line: how many hosts each filter rejected."""
        per = self._per_filter()
        parts = ['%s rejected %d' % (name, entry['rejected'])
                 for name, entry in per.items()]
        parts += ['selected host %s is not in the inventory' % sel
                  for sel in self.unknown_selected]
        return ('%d host(s) considered; %s'
                % (self.considered, ', '.join(parts) or 'none passed'))

    def explain(self):
        """A JSON-able account of the decision.

        :returns: a dict with ``chosen``, ``ranked`` (ids, names, weights
            and each weigher's share), ``rejected`` (per filter: the count
            and the reason of each host, up to ``[placement]
            explain_max_hosts``), ``request``, ``considered``,
            ``passed``, ``unknown_selected`` and ``notes``.
        """
        per = self._per_filter()
        return {
            'chosen': _host_brief(self.chosen) if self.chosen else None,
            'considered': self.considered,
            'passed': self.passed,
            'ranked': [dict(_host_brief(host), weight=round(weight, 6),
                            weights=self.breakdown.get(host.id, {}))
                       for host, weight in self.ranked],
            'rejected': [{'filter': name, 'rejected': entry['rejected'],
                          'hosts': entry['hosts'],
                          'truncated': entry['rejected'] >
                          len(entry['hosts'])}
                         for name, entry in per.items()],
            'unknown_selected': list(self.unknown_selected),
            'request': self.spec.to_dict(),
            'notes': list(self.notes),
        }

    def raise_if_empty(self):
        """Raise NoValidHost when no host was chosen.

        :raises: NoValidHost carrying :meth:`explain`.
        """
        if not self.ranked:
            raise NoValidHost(reason=self.summary(),
                              explanation=self.explain())


class Scheduler(object):
    """Filters then weighs MEC hosts.

    :param conf: the ConfigOpts with the ``[placement]`` group.
    :param filters: BaseFilter instances (any order).
    :param weighers: BaseWeigher instances.
    """

    def __init__(self, conf, filters, weighers):
        self.conf = conf
        self.filters = sorted(filters, key=lambda f: f.cost)
        self.weighers = list(weighers)

    @classmethod
    def from_conf(cls, conf):
        """A scheduler with the filters and weighers ``[placement]`` names.

        :param conf: the ConfigOpts.
        :returns: a Scheduler.
        :raises: DriverLoadError for an unknown name.
        """
        group = conf.placement
        return cls(conf,
                   [_load(FILTER_NAMESPACE, BUILTIN_FILTERS, n, conf)
                    for n in group.enabled_filters],
                   [_load(WEIGHER_NAMESPACE, BUILTIN_WEIGHERS, n, conf)
                    for n in group.enabled_weighers])

    def _selected(self, spec, hosts, result):
        chosen = []
        matched = [False] * len(spec.selected)
        for host in hosts:
            hit = False
            for i, names in enumerate(spec.selected):
                if host.id in names or host.name in names:
                    matched[i] = hit = True
            if hit:
                chosen.append(host)
        result.unknown_selected = [
            ', '.join(sorted(names))
            for names, ok in zip(spec.selected, matched, strict=True)
            if not ok]
        return chosen

    def select(self, spec, hosts):
        """Choose the MEC hosts for a request, best first.

        :param spec: a RequestSpec.
        :param hosts: a list of HostState.
        :returns: a :class:`Result`; an empty ``ranked`` when no host fits.
        """
        group = self.conf.placement
        result = Result(spec, len(hosts), group.explain_max_hosts)
        active = [f for f in self.filters if f.active(spec)]
        if (spec.max_latency_ms is not None and spec.user_area is None and
                any(f.name == 'latency' for f in self.filters)):
            result.notes.append('appLatency is not checked: the request '
                                'names no user area')
        if spec.selected:
            hosts = self._selected(spec, hosts, result)
            result.considered = len(hosts)
            full = {}
            for filt in active:
                kept = set(map(id, filt.filter_all(spec, hosts)))
                for host in hosts:
                    if id(host) not in kept:
                        full.setdefault(host.id, []).append(
                            (filt.name, filt.reason(spec, host)))
            result._full = full
            hosts = [h for h in hosts if h.id not in full]
        else:
            stages = result._stages
            for filt in active:
                after = filt.filter_all(spec, hosts)
                if len(after) != len(hosts):
                    stages.append((filt, hosts, after))
                hosts = after
                if not hosts:
                    break
        result.passed = len(hosts)
        if hosts:
            self._weigh(spec, hosts, result, group.max_ranked)
        return result

    def _weigh(self, spec, hosts, result, limit):
        n = len(hosts)
        totals = [0.0] * n
        shares = []
        for weigher in self.weighers:
            mult = weigher.multiplier
            if not mult:
                continue
            norm = weighers.normalize(weigher.raw_weights(spec, hosts))
            shares.append((weigher.name, mult, norm))
            totals = [t + mult * w for t, w in zip(totals, norm,
                                                  strict=True)]
        best = heapq.nlargest(limit, range(n), key=totals.__getitem__)
        result.ranked = [(hosts[i], totals[i]) for i in best]
        result.breakdown = {
            hosts[i].id: {name: round(mult * norm[i], 6)
                          for name, mult, norm in shares}
            for i in best}
