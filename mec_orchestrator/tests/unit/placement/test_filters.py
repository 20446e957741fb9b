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
"""Tests of the placement filters."""

from mec_orchestrator.conf import CONF
from mec_orchestrator.placement.filters import affinity
from mec_orchestrator.placement.filters import host as f_host
from mec_orchestrator.placement.filters import location
from mec_orchestrator.placement.filters import platform
from mec_orchestrator.tests.unit.placement import base


class TestEnabledFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = f_host.EnabledFilter(CONF)
        self.spec_ = self.spec()

    def test_usable(self):
        self.assertTrue(self.passes(self.filt, self.spec_, base.host()))

    def test_disabled(self):
        state = base.host(enabled=False)
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('disabled', self.filt.reason(self.spec_, state))

    def test_not_available(self):
        self.assertFalse(self.passes(self.filt, self.spec_,
                                     base.host(available=False)))

    def test_vim_unreachable(self):
        state = base.host(vim={'id': 'v1', 'type': 'openstack',
                               'status': 'UNREACHABLE'})
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('UNREACHABLE', self.filt.reason(self.spec_, state))

    def test_vim_unknown(self):
        state = base.scheduler.HostState.from_row(base.host_row(), None)
        self.assertFalse(self.passes(self.filt, self.spec_, state))


class TestVimTypeFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = f_host.VimTypeFilter(CONF)

    def test_vm_image_needs_openstack(self):
        spec = self.spec()
        self.assertTrue(self.passes(self.filt, spec, base.host()))
        self.assertFalse(self.passes(self.filt, spec,
                                     base.host(vim=base.KUBERNETES)))

    def test_container_needs_kubernetes(self):
        spec = self.spec(swImageDescriptor=None, osContainerDescriptor=[
            {'osContainerDescId': 'c', 'name': 'c',
             'requestedCpuResources': 500}])
        self.assertEqual('container', spec.image_kind)
        self.assertTrue(self.passes(self.filt, spec,
                                    base.host(vim=base.KUBERNETES)))
        self.assertFalse(self.passes(self.filt, spec, base.host()))

    def test_docker_format_is_container(self):
        spec = self.spec(swImageDescriptor={'name': 'i',
                                            'containerFormat': 'docker'})
        self.assertEqual('container', spec.image_kind)

    def test_unknown_kind_inactive(self):
        spec = self.spec(swImageDescriptor={'name': 'i'})
        self.assertFalse(self.filt.active(spec))

    def test_configurable_types(self):
        self.config(vm_vim_types=['fake'], group='placement')
        spec = self.spec()
        self.assertTrue(self.passes(
            self.filt, spec, base.host(vim={'type': 'fake',
                                            'status': 'REACHABLE'})))
        self.assertFalse(self.passes(self.filt, spec, base.host()))


class TestCapacityFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = f_host.CapacityFilter(CONF)
        self.spec_ = self.spec()  # 2 vCPU, 1024 MB, 10 GB

    def test_exact_fit_passes(self):
        state = base.host(vcpus=2, memory_mb=1024, disk_gb=10)
        self.assertTrue(self.passes(self.filt, self.spec_, state))

    def test_short_of_each(self):
        for field in ('vcpus', 'memory_mb', 'disk_gb'):
            state = base.host(**{field + '_used': 100000})
            self.assertFalse(self.passes(self.filt, self.spec_, state))

    def test_zero_capacity_fails(self):
        state = base.host(vcpus=0, memory_mb=0, disk_gb=0)
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('2 vCPU needed, 0 free',
                      self.filt.reason(self.spec_, state))

    def test_allocation_ratio(self):
        row = dict(vcpus=1, vcpus_used=0)
        self.assertFalse(self.passes(self.filt, self.spec_,
                                     base.host(**row)))
        self.assertTrue(self.passes(self.filt, self.spec_,
                                    base.host(ratios=(4.0, 1, 1), **row)))

    def test_ratio_not_applied_to_placement_figures(self):
        state = base.host(ratios=(4.0, 1, 1), vcpus=1,
                          capacity_source='placement')
        self.assertFalse(self.passes(self.filt, self.spec_, state))

    def test_ratios_default_from_conf(self):
        self.config(cpu_allocation_ratio=2.0, group='placement')
        state = base.scheduler.HostState.from_row(
            base.host_row(vcpus=1), base.OPENSTACK)
        self.assertEqual(2.0, state.free_vcpus)

    def test_usage_counts(self):
        state = base.host(vcpus=2, usage={'vcpus': 1})
        self.assertFalse(self.passes(self.filt, self.spec_, state))

    def test_unknown_capacity(self):
        state = base.host(vcpus=None)
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('unknown', self.filt.reason(self.spec_, state))
        self.config(unknown_capacity_passes=True, group='placement')
        self.assertTrue(self.passes(self.filt, self.spec_, state))

    def test_api_representation(self):
        state = base.scheduler.HostState.from_row(
            {'id': 'h', 'capacity': {'vcpus': 2, 'memory_mb': 1024,
                                     'disk_gb': 10},
             'usage': {'vcpus': 1, 'memory_mb': 0, 'disk_gb': 0},
             'location': {'latitude': 1.0, 'longitude': 2.0}},
            base.OPENSTACK, ratios=(1, 1, 1))
        self.assertEqual(1, state.free_vcpus)
        self.assertEqual(1.0, state.latitude)

    def test_request_compute_overrides_appd(self):
        spec = self.spec(request={'virtualComputeDescriptor': {
            'virtualCpu': {'numVirtualCpu': 64},
            'virtualMemory': {'virtualMemSize': 1}}})
        self.assertFalse(self.passes(self.filt, spec, base.host()))


SERVICE = {'serName': 'LocationService', 'version': '2.1.1'}


class TestServicesFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = platform.ServicesFilter(CONF)

    def _check(self, required, offered):
        spec = self.spec(appServiceRequired=required)
        return self.passes(self.filt, spec,
                           base.host(platform_services=offered))

    def test_inactive_without_services(self):
        self.assertFalse(self.filt.active(self.spec()))

    def test_exact(self):
        self.assertTrue(self._check([SERVICE], [SERVICE]))

    def test_missing(self):
        self.assertFalse(self._check([SERVICE], []))
        self.assertFalse(self._check([SERVICE], [
            {'serName': 'RNIService', 'version': '2.1.1'}]))

    def test_versions(self):
        offered = [SERVICE]
        for required, ok in (('2.1.1', True), ('2.1.2', False),
                             ('2', True), ('2.x', True), ('2.*', True),
                             ('2.1', True), ('3', False), ('>=2.0,<3', True),
                             ('>=2.2', False), ('<2.1.1', False),
                             ('!=2.1.1', False), ('~=2.1.0', True)):
            self.assertEqual(ok, self._check(
                [dict(SERVICE, version=required)], offered), required)

    def test_prefix_is_by_component(self):
        self.assertFalse(self._check([dict(SERVICE, version='2.1.1')],
                                     [dict(SERVICE, version='2.1.10')]))

    def test_host_without_version_offers_any(self):
        self.assertTrue(self._check([SERVICE], [{'serName':
                                                 'LocationService'}]))

    def test_transport(self):
        required = [dict(SERVICE, serTransportDependencies=[{
            'transport': {'type': 'REST_HTTP'}, 'serializers': ['JSON'],
            'labels': ['x']}])]
        self.assertTrue(self._check(required, [dict(SERVICE,
                                                    transport='REST_HTTP')]))
        self.assertFalse(self._check(required, [
            dict(SERVICE, transport='MB_TOPIC_BASED')]))
        self.assertTrue(self._check(required, [SERVICE]))

    def test_every_service_needed(self):
        other = {'serName': 'RNIService', 'version': '1.0'}
        self.assertFalse(self._check([SERVICE, other], [SERVICE]))
        self.assertTrue(self._check([SERVICE, other], [SERVICE, other]))


class TestFeaturesFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = platform.FeaturesFilter(CONF)
        self.spec_ = self.spec(appFeatureRequired=[
            {'featureName': 'UserApps', 'version': '1'}])

    def test_strings_and_objects(self):
        for features in (['UserApps'], ['UserApps:1.2'],
                         [{'featureName': 'UserApps', 'version': '1.0'}]):
            self.assertTrue(self.passes(self.filt, self.spec_, base.host(
                details={'features': features})), features)

    def test_platform_details(self):
        self.assertTrue(self.passes(self.filt, self.spec_, base.host(
            details={'platform': {'features': ['UserApps:1']}})))

    def test_missing_or_wrong_version(self):
        self.assertFalse(self.passes(self.filt, self.spec_, base.host()))
        self.assertFalse(self.passes(self.filt, self.spec_, base.host(
            details={'features': ['UserApps:2.0']})))


class TestLatencyFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = location.LatencyFilter(CONF)
        # 10 ms in nanoseconds (MEC 010-2 LatencyDescriptor).
        self.spec_ = self.spec(appLatency={'maxLatency': 10000000},
                               user_area='a1')

    def test_within_and_exact(self):
        self.assertTrue(self.passes(self.filt, self.spec_,
                                    base.host(latencies={'a1': 10})))
        self.assertTrue(self.passes(self.filt, self.spec_,
                                    base.host(latencies={'a1': 0})))

    def test_too_slow(self):
        state = base.host(latencies={'a1': 10.5})
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('10.5 ms', self.filt.reason(self.spec_, state))

    def test_missing_figure(self):
        state = base.host(latencies={'a2': 1})
        self.assertFalse(self.passes(self.filt, self.spec_, state))
        self.assertIn('no latency figure', self.filt.reason(self.spec_,
                                                            state))

    def test_time_unit_form(self):
        spec = self.spec(appLatency={'timeUnit': 'ms', 'latency': 5},
                         user_area='a1')
        self.assertEqual(5.0, spec.max_latency_ms)

    def test_inactive_without_area(self):
        spec = self.spec(appLatency={'maxLatency': 1})
        self.assertFalse(self.filt.active(spec))


class TestLocationFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = location.LocationFilter(CONF)

    def _spec(self, **constraints):
        return self.spec(request={'locationConstraints': constraints})

    def _host(self, **location):
        lat = location.pop('latitude', None)
        lon = location.pop('longitude', None)
        return base.host(latitude=lat, longitude=lon,
                         details={'location': location})

    def test_country(self):
        spec = self._spec(countryCode='FR')
        self.assertTrue(self.passes(self.filt, spec,
                                    self._host(country_code='fr')))
        self.assertFalse(self.passes(self.filt, spec,
                                     self._host(country_code='DE')))
        self.assertFalse(self.passes(self.filt, spec, self._host()))

    def test_civic_address(self):
        spec = self._spec(countryCode='FR', civicAddressElement=[
            {'caType': 1, 'caValue': 'Bretagne'}])
        self.assertTrue(self.passes(self.filt, spec, self._host(
            country_code='FR', civic_address=[
                {'caType': 1, 'caValue': 'BRETAGNE'},
                {'caType': 3, 'caValue': 'Rennes'}])))
        self.assertTrue(self.passes(self.filt, spec, self._host(
            country_code='FR', civic_address={'1': 'Bretagne'})))
        self.assertFalse(self.passes(self.filt, spec, self._host(
            country_code='FR', civic_address={'1': 'Normandie'})))

    def test_circle(self):
        spec = self._spec(area={'circle': {
            'center': {'latitude': 48.8566, 'longitude': 2.3522},
            'radius': 10000}})
        self.assertTrue(self.passes(self.filt, spec, self._host(
            latitude=48.90, longitude=2.35)))
        self.assertFalse(self.passes(self.filt, spec, self._host(
            latitude=45.76, longitude=4.83)))
        self.assertFalse(self.passes(self.filt, spec, self._host()))

    def test_polygon(self):
        spec = self._spec(area={'polygon': [[0, 0], [0, 10], [10, 10],
                                            [10, 0]]})
        self.assertTrue(self.passes(self.filt, spec, self._host(
            latitude=5, longitude=5)))
        self.assertFalse(self.passes(self.filt, spec, self._host(
            latitude=5, longitude=11)))

    def test_polygon_across_antimeridian(self):
        spec = self._spec(area={'polygon': [
            {'latitude': -10, 'longitude': 170},
            {'latitude': -10, 'longitude': -170},
            {'latitude': -20, 'longitude': -170},
            {'latitude': -20, 'longitude': 170}]})
        for lon, ok in ((175, True), (-175, True), (180, True),
                        (-180, True), (0, False), (165, False),
                        (-165, False)):
            self.assertEqual(ok, self.passes(self.filt, spec, self._host(
                latitude=-15, longitude=lon)), lon)

    def test_malformed_area(self):
        self.assertRaises(ValueError, self._spec,
                          area={'polygon': [[0, 0], [1, 1]]})


class TestAffinityFilter(base.PlacementTestCase):

    def setUp(self):
        super().setUp()
        self.filt = affinity.AffinityFilter(CONF)

    def test_affinity(self):
        spec = self.spec(affinity={'affinity': ['i1', 'i9']})
        self.assertTrue(self.passes(self.filt, spec, base.host(
            usage={'instances': ['i1', 'i2']})))
        self.assertFalse(self.passes(self.filt, spec, base.host(
            usage={'instances': ['i2']})))
        self.assertFalse(self.passes(self.filt, spec, base.host()))

    def test_anti_affinity(self):
        spec = self.spec(affinity={'anti_affinity': ['i1']})
        self.assertFalse(self.passes(self.filt, spec, base.host(
            usage={'instances': ['i1']})))
        self.assertTrue(self.passes(self.filt, spec, base.host(
            usage={'instances': ['i2']})))
        self.assertTrue(self.passes(self.filt, spec, base.host()))

    def test_inactive(self):
        self.assertFalse(self.filt.active(self.spec()))
