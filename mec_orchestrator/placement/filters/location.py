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
"""Filters on where the host is: latency, country, address and area."""

from mec_orchestrator.placement import filters


class LatencyFilter(filters.BaseFilter):
    """The host's latency to the user area is within ``appLatency``.

    The AppD's ``appLatency`` (nanoseconds in MEC 010-2) is compared with
    the host's ``latencies[user_area]`` (milliseconds); a host without a
    figure for the area fails. Without a user area in the request there
    is nothing to compare with and the filter does not run (the
    explanation says so). Config name: ``latency``.
    """

    name = 'latency'
    cost = 3

    def active(self, spec):
        return spec.max_latency_ms is not None and spec.user_area is not None

    def host_passes(self, spec, host):
        value = host.latencies.get(spec.user_area)
        return value is not None and value <= spec.max_latency_ms

    def filter_all(self, spec, hosts):
        area, limit = spec.user_area, spec.max_latency_ms
        return [h for h in hosts
                if (value := h.latencies.get(area)) is not None and
                value <= limit]

    def reason(self, spec, host):
        value = host.latencies.get(spec.user_area)
        if value is None:
            return 'no latency figure to area %s' % spec.user_area
        return ('latency to area %s is %g ms, more than the %g ms allowed'
                % (spec.user_area, value, spec.max_latency_ms))


class LocationFilter(filters.BaseFilter):
    """The host meets the request's ``locationConstraints``.

    ``countryCode`` matches the host's ``location.country_code``; every
    ``civicAddressElement`` {caType, caValue} matches the host's
    ``location.civic_address`` (a list of such elements, or a
    {caType: caValue} object), case-insensitively; an ``area`` (a circle
    or a polygon, which may cross the antimeridian) must contain the
    host's latitude and longitude. A host missing a compared field fails.
    Config name: ``location``.
    """

    name = 'location'
    cost = 5

    def active(self, spec):
        return bool(spec.country_code or spec.civic or spec.area)

    def host_passes(self, spec, host):
        if spec.country_code and host.country_code != spec.country_code:
            return False
        civic = host.civic
        for ca_type, value in spec.civic:
            if civic.get(ca_type) != value:
                return False
        if spec.area is not None:
            if host.latitude is None or host.longitude is None:
                return False
            return spec.area.contains(host.latitude, host.longitude)
        return True

    def filter_all(self, spec, hosts):
        if spec.country_code:
            country = spec.country_code
            hosts = [h for h in hosts if h.country_code == country]
        if spec.civic:
            wanted = spec.civic
            hosts = [h for h in hosts
                     if all(h.civic.get(t) == v for t, v in wanted)]
        if spec.area is not None:
            contains = spec.area.contains
            hosts = [h for h in hosts
                     if h.latitude is not None and h.longitude is not None
                     and contains(h.latitude, h.longitude)]
        return hosts

    def reason(self, spec, host):
        parts = []
        if spec.country_code and host.country_code != spec.country_code:
            parts.append('country is %s, not %s'
                         % (host.country_code or 'unknown',
                            spec.country_code))
        for ca_type, value in spec.civic:
            if host.civic.get(ca_type) != value:
                parts.append('civic address element %s is %s, not %s'
                             % (ca_type, host.civic.get(ca_type) or
                                'unknown', value))
        if spec.area is not None:
            if host.latitude is None or host.longitude is None:
                parts.append('the host\'s coordinates are unknown')
            elif not spec.area.contains(host.latitude, host.longitude):
                parts.append('(%g, %g) is not %s'
                             % (host.latitude, host.longitude,
                                spec.area.describe()))
        return '; '.join(parts)
