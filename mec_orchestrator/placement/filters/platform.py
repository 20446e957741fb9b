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
"""Filters on what the MEC platform of the host offers."""

from mec_orchestrator.placement import filters
from mec_orchestrator.placement import state


def _service_problem(host, name, version, transports):
    """Why a host does not offer a required service, or None."""
    return _offer_problem(name, host.services.get(name), version,
                          transports)


def _offer_problem(name, offered, version, transports):
    """Why ((version, transport)...) does not satisfy a need, or None."""
    if not offered:
        return 'service %s is not offered' % name
    versions = [(v, t) for v, t in offered
                if state.version_matches(version, v)]
    if not versions:
        return ('service %s %s is not offered (offered: %s)'
                % (name, version,
                   ', '.join(sorted(str(v) for v, _t in offered))))
    if transports and not any(t is None or t in transports
                              for _v, t in versions):
        return ('service %s %s is not offered over %s'
                % (name, version, ' or '.join(sorted(transports))))
    return None


class ServicesFilter(filters.BaseFilter):
    """Every ``appServiceRequired`` is among the host's platform services.

    The name matches exactly; the version exactly, by dotted prefix
    (``2`` or ``2.x``) or by range (``>=2.0,<3``); when the dependency
    names transports (``serTransportDependencies[].transport.type``), the
    host's service must use one of them. A host service without a version
    or a transport is taken to offer any. Config name: ``services``.
    """

    name = 'services'
    cost = 4

    def active(self, spec):
        return bool(spec.services)

    def host_passes(self, spec, host):
        return not any(_service_problem(host, *s) for s in spec.services)

    def filter_all(self, spec, hosts):
        for name, version, transports in spec.services:
            # Hosts share a few service versions: decide each distinct
            # offer once.
            verdicts = {}
            kept = []
            append = kept.append
            for h in hosts:
                offered = h.services.get(name)
                if offered is None:
                    continue
                ok = verdicts.get(offered)
                if ok is None:
                    ok = verdicts[offered] = not _offer_problem(
                        name, offered, version, transports)
                if ok:
                    append(h)
            hosts = kept
        return hosts

    def reason(self, spec, host):
        return '; '.join(p for p in (_service_problem(host, *s)
                                     for s in spec.services) if p)


def _feature_problem(host, name, version):
    versions = host.features.get(name)
    if not versions:
        return 'feature %s is not offered' % name
    if not any(state.version_matches(version, v) for v in versions):
        return 'feature %s %s is not offered' % (name, version)
    return None


class FeaturesFilter(filters.BaseFilter):
    """Every ``appFeatureRequired`` is among the host's features.

    A host lists its features in ``details.features`` (or
    ``details.platform.features``) as ``{featureName, version}`` objects
    or ``"name"``/``"name:version"`` strings; versions match as for
    services. Config name: ``features``.
    """

    name = 'features'
    cost = 4

    def active(self, spec):
        return bool(spec.features)

    def host_passes(self, spec, host):
        return not any(_feature_problem(host, *f) for f in spec.features)

    def reason(self, spec, host):
        return '; '.join(p for p in (_feature_problem(host, *f)
                                     for f in spec.features) if p)
