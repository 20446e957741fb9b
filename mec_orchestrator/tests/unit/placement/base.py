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
"""Helpers of the placement tests: hosts, AppDs and a scheduler."""

import copy

from mec_orchestrator.placement import scheduler
from mec_orchestrator.tests import base

APPD = {
    'appDId': 'd1', 'appName': 'a', 'appProvider': 'p',
    'appSoftVersion': '1', 'appDVersion': '1', 'mecVersion': ['2.1.1'],
    'appDescription': 'd',
    'virtualComputeDescriptor': {
        'virtualComputeDescId': 'vdu1',
        'virtualCpu': {'numVirtualCpu': 2},
        'virtualMemory': {'virtualMemSize': 1024},
        'virtualDisk': [{'sizeOfStorage': 10}]},
    'swImageDescriptor': {'name': 'img', 'diskFormat': 'qcow2',
                          'containerFormat': 'bare'},
}
OPENSTACK = {'id': 'v1', 'type': 'openstack', 'status': 'REACHABLE'}
KUBERNETES = {'id': 'v2', 'type': 'kubernetes', 'status': 'REACHABLE'}


def appd(**kwargs):
    out = copy.deepcopy(APPD)
    out.update(kwargs)
    return out


def host_row(host_id='h1', **kwargs):
    row = {'id': host_id, 'name': 'name-' + host_id, 'vim_id': 'v1',
           'enabled': True, 'available': True,
           'vcpus': 8, 'vcpus_used': 0, 'memory_mb': 8192,
           'memory_mb_used': 0, 'disk_gb': 100, 'disk_gb_used': 0,
           'capacity_source': 'nova', 'platform_services': [],
           'latencies': {}, 'details': {}}
    row.update(kwargs)
    return row


def host(host_id='h1', vim=None, usage=None, ratios=(1.0, 1.0, 1.0),
         **kwargs):
    return scheduler.HostState.from_row(
        host_row(host_id, **kwargs), OPENSTACK if vim is None else vim,
        usage, ratios=ratios)


class PlacementTestCase(base.TestCase):

    def spec(self, request=None, user_area=None, affinity=None, **kwargs):
        return scheduler.RequestSpec.from_appd(
            appd(**kwargs), request, user_area=user_area,
            affinity=affinity)

    def passes(self, filt, spec, state):
        """host_passes and filter_all agree; return the verdict."""
        one = filt.host_passes(spec, state)
        many = filt.filter_all(spec, [state]) == [state]
        self.assertEqual(one, many)
        if not one:
            self.assertTrue(filt.reason(spec, state))
        return one
