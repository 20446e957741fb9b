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
"""Placement across two VIMs/sites registered from the lab, by latency and
by required service, through the all-in-one."""

import io
import os
import zipfile

import requests

from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures

DATA = os.path.join(os.path.dirname(__file__), '..', 'data', 'packages')
LOCATION = [{'serName': 'LocationService', 'version': '2.1.1',
             'transport': 'REST_HTTP'}]


def _package():
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as z:
        z.writestr('TOSCA-Metadata/TOSCA.meta',
                   'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                   'Created-By: tests\nEntry-Definitions: appd.json\n')
        with open(os.path.join(DATA, 'plain_appd.json'), 'rb') as f:
            z.writestr('appd.json', f.read())
    return out.getvalue()


class TestPlacementAcrossSites(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        # Latency alone ranks the hosts: both sites are the same lab, whose
        # load changes with the other tests running meanwhile.
        self.aio = base.AllInOne(self, os.path.join(self.tmp, 'state'), {
            'placement': {'enabled_weighers': 'latency'}})
        self.aio.start()

    def _register(self, name, site):
        admin = self.lab.admin
        vim = self.aio.call('POST', '/v1/vims', {
            'name': name, 'site': site, 'auth_url': self.lab.auth_url,
            'username': admin['username'], 'password': admin['password'],
            'project_name': admin['project_name'],
            'user_domain_name': 'Default',
            'project_domain_name': 'Default'}, status=201).json()
        return base.wait_for(
            lambda: self.aio.call(
                'GET', '/v1/mec_hosts?vim_id=%s' % vim['id']).json()[
                    'mec_hosts'],
            timeout=90, what='the hosts of %s' % name)[0], vim

    def _host(self, host, **values):
        self.aio.call('PATCH', '/v1/mec_hosts/%s' % host['id'], values,
                      status=200)

    def _preview(self, app_d_id):
        return self.aio.call('POST', '/v1/placement/preview', {
            'appDId': app_d_id, 'userArea': 'downtown'}, status=200).json()

    def test_latency_then_required_service_decide(self):
        host_a, vim_a = self._register('lab-site-a', 'site-a')
        host_b, vim_b = self._register('lab-site-b', 'site-b')
        self.assertEqual('site-a', host_a['site'])
        self.assertEqual('site-b', host_b['site'])

        pkg = self.aio.call('POST', '/app_pkgm/v1/app_packages', {
            'appPkgName': 'loc', 'appPkgVersion': '1'}, status=201).json()
        resp = requests.put(
            '%s/app_pkgm/v1/app_packages/%s/package_content' % (
                self.aio.url, pkg['id']), data=_package(),
            headers={'Content-Type': 'application/zip'}, timeout=60)
        self.assertEqual(202, resp.status_code, resp.text)
        pkg = base.wait_for(
            lambda: (lambda p: p if p['onboardingState'] == 'ONBOARDED'
                     else None)(self.aio.call(
                         'GET', '/app_pkgm/v1/app_packages/%s'
                         % pkg['id']).json()),
            timeout=60, what='onboarding')

        # Both sites offer the service: the lower latency wins.
        self._host(host_a, platform_services=LOCATION,
                   latencies={'downtown': 8})
        self._host(host_b, platform_services=LOCATION,
                   latencies={'downtown': 3})
        decision = self._preview(pkg['appDId'])
        self.assertEqual(host_b['id'], decision['chosen']['id'])
        self.assertEqual([host_b['id'], host_a['id']],
                         [h['id'] for h in decision['ranked']])

        # Site B stops offering it: site A is the only choice, and the
        # explanation says why B is out.
        self._host(host_b, platform_services=[])
        decision = self._preview(pkg['appDId'])
        self.assertEqual(host_a['id'], decision['chosen']['id'])
        rejected = {h: r['filter'] for r in decision['rejected']
                    for h in r['hosts']}
        self.assertEqual({host_b['id']: 'services'}, rejected)

        # A grant places the instance there, on site A's VIM.
        grant = self.aio.call('POST', '/granting/v1/grants', {
            'appInstanceId': 'instance-1', 'appLcmOpOccId': 'op-1',
            'appDId': pkg['appDId'], 'operation': 'INSTANTIATE',
            'additionalParams': {'userArea': 'downtown'}},
            status=201).json()
        self.assertEqual(vim_a['id'], grant['vimConnections'][0]['id'])
        self.assertEqual(host_a['id'],
                         grant['additionalParams']['mecHostId'])
        self.assertNotIn(self.lab.admin['password'], str(grant))
