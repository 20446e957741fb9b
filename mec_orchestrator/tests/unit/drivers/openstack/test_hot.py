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
"""AppD -> HOT translation, with the package samples."""

import json
from unittest import mock

import yaml

from mec_orchestrator.drivers.openstack import hot
from mec_orchestrator import packaging
from mec_orchestrator.tests import base
from mec_orchestrator.tests.unit.packaging import utils

INSTANCE_ID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427'
STACK = 'mec-' + INSTANCE_ID


def sample(path):
    return packaging.read_appd_document(utils.data(path),
                                        path.rsplit('/', 1)[1])


def instance(zone='edge-az-1', platform=None):
    return {'id': INSTANCE_ID, 'mec_host': {'name': 'h', 'zone': zone},
            'platform': platform}


class TestRequirements(base.TestCase):

    def test_edgegallery_vm(self):
        self.assertEqual({'vcpus': 1, 'ram': 1024, 'disk': 40},
                         hot.requirements(sample(utils.VM_SAMPLE)))

    def test_image_minimums_win(self):
        appd = {'virtualComputeDescriptor': {
            'virtualCpu': {'numVirtualCpu': 2},
            'virtualMemory': {'virtualMemSize': 512.5},
            'virtualDisk': [{'sizeOfStorage': 1}]},
            'swImageDescriptor': {'minDisk': 3, 'minRam': 256}}
        self.assertEqual({'vcpus': 2, 'ram': 513, 'disk': 3},
                         hot.requirements(appd))

    def test_nothing_given(self):
        self.assertEqual({'vcpus': 1, 'ram': 0, 'disk': 0},
                         hot.requirements({}))


class TestConnectionPoints(base.TestCase):

    def test_sorted_by_order(self):
        appd = {'appExtCpd': [{'cpdId': 'b', 'order': 1},
                              {'cpdId': 'none'},
                              {'cpdId': 'a', 'order': 0}]}
        self.assertEqual(['a', 'b', 'none'], hot.connection_points(appd))

    def test_default_without_cpds(self):
        self.assertEqual([hot.DEFAULT_CP], hot.connection_points({}))
        self.assertEqual([hot.DEFAULT_CP],
                         hot.connection_points({'appExtCpd': []}))


class TemplateTestCase(base.TestCase):

    def build(self, appd, networks=None, **inst):
        networks = networks or {cp: 'net-%d' % i for i, cp in enumerate(
            hot.connection_points(appd))}
        template = hot.build_template(appd, instance(**inst), {}, 'flv-id',
                                      'img-id', networks)
        # What Heat receives must survive a YAML round trip.
        self.assertEqual(template, yaml.safe_load(yaml.safe_dump(template)))
        return template

    def of_type(self, template, resource_type):
        return {name: res for name, res in template['resources'].items()
                if res['type'] == resource_type}


class TestEdgeGalleryVm(TemplateTestCase):

    def setUp(self):
        super().setUp()
        self.appd = sample(utils.VM_SAMPLE)
        self.template = self.build(self.appd, platform={
            'mp1': 'https://mep:8443', 'token': 't0k3n'})
        self.server = self.template['resources'][hot.SERVER]['properties']

    def test_server_flavor_image_zone(self):
        self.assertEqual('flv-id', self.server['flavor'])
        self.assertEqual('img-id', self.server['image'])
        self.assertEqual('edge-az-1', self.server['availability_zone'])
        self.assertEqual(STACK, self.server['name'])
        self.assertTrue(self.server['config_drive'])
        self.assertEqual(INSTANCE_ID,
                         self.server['metadata']['mec_app_instance_id'])

    def test_user_data_writes_instance_file(self):
        self.assertEqual('RAW', self.server['user_data_format'])
        text = self.server['user_data']
        self.assertTrue(text.startswith('#cloud-config\n'))
        files = yaml.safe_load(text)['write_files']
        self.assertEqual(['/etc/mec/app-instance.json'],
                         [f['path'] for f in files])
        self.assertEqual('0600', files[0]['permissions'])
        self.assertEqual({'appInstanceId': INSTANCE_ID,
                          'platform': {'mp1': 'https://mep:8443',
                                       'token': 't0k3n'}},
                         json.loads(files[0]['content']))

    def test_one_port_per_cpd_in_order(self):
        ports = self.of_type(self.template, 'OS::Neutron::Port')
        self.assertEqual(3, len(ports))
        nets = [ports[p['port']['get_resource']]['properties']['network']
                for p in self.server['networks']]
        self.assertEqual(['net-0', 'net-1', 'net-2'], nets)
        self.assertEqual(
            {STACK + '-EMS_VDU1_CP0', STACK + '-EMS_VDU1_CP1',
             STACK + '-EMS_VDU1_CP2'},
            {p['properties']['name'] for p in ports.values()})
        self.assertFalse(self.of_type(self.template, 'OS::Neutron::Net'))

    def test_outputs(self):
        self.assertEqual({'get_resource': hot.SERVER},
                         self.template['outputs']['server_id']['value'])
        self.assertIn('EMS_VDU1_CP2_fixed_ips', self.template['outputs'])

    def test_no_volume(self):
        self.assertFalse(self.of_type(self.template, 'OS::Cinder::Volume'))


class TestOtherShapes(TemplateTestCase):

    def test_without_ext_cpd_one_port(self):
        appd = sample(utils.VM_SAMPLE)
        del appd['appExtCpd']
        template = self.build(appd, {hot.DEFAULT_CP: 'lab-net'})
        ports = self.of_type(template, 'OS::Neutron::Port')
        self.assertEqual(['lab-net'], [p['properties']['network']
                                       for p in ports.values()])
        server = template['resources'][hot.SERVER]['properties']
        self.assertEqual(1, len(server['networks']))

    def test_shared_network_is_referenced_once(self):
        appd = sample(utils.VM_SAMPLE)
        template = self.build(appd, {cp: 'same' for cp in
                                     hot.connection_points(appd)})
        ports = self.of_type(template, 'OS::Neutron::Port')
        self.assertEqual({'same'}, {p['properties']['network']
                                    for p in ports.values()})

    def test_mec037_block_storage(self):
        template = self.build(sample(utils.MEC037))
        volumes = self.of_type(template, 'OS::Cinder::Volume')
        self.assertEqual([100], [v['properties']['size']
                                 for v in volumes.values()])
        attachments = self.of_type(template, 'OS::Cinder::VolumeAttachment')
        self.assertEqual(['volume_VideoStorage_attachment'],
                         list(attachments))
        attachment = attachments['volume_VideoStorage_attachment']
        self.assertEqual({'get_resource': hot.SERVER},
                         attachment['properties']['instance_uuid'])

    def test_tosca_mec_profile(self):
        template = self.build(sample(utils.MEA))
        self.assertEqual(['port_cache_cp'], list(
            self.of_type(template, 'OS::Neutron::Port')))

    def test_no_zone_no_availability_zone(self):
        template = self.build(sample(utils.PLAIN_APPD), zone=None)
        server = template['resources'][hot.SERVER]['properties']
        self.assertNotIn('availability_zone', server)
        self.assertEqual({'appInstanceId': INSTANCE_ID, 'platform': {}},
                         json.loads(yaml.safe_load(server['user_data'])[
                             'write_files'][0]['content']))

    def test_odd_cpd_ids(self):
        appd = {'appDId': 'x', 'appExtCpd': [{'cpdId': 'cp 1/a'},
                                             {'cpdId': 'cp_1_a'}]}
        template = self.build(appd)
        self.assertEqual({'port_cp_1_a', 'port_cp_1_a_2'}, set(
            self.of_type(template, 'OS::Neutron::Port')))

    def test_missing_network_is_an_error(self):
        self.assertRaises(KeyError, hot.build_template,
                          sample(utils.PLAIN_APPD), instance(), {}, 'f', 'i',
                          {})


class TestTranslationCache(base.TestCase):

    def test_a_template_is_translated_once_and_copies_are_given(self):
        hot._TRANSLATED.clear()
        self.addCleanup(hot._TRANSLATED.clear)
        appd = sample(utils.VM_SAMPLE)
        template, _ports, _volumes = hot.tosca_template_dict(
            appd, {cp: 'net' for cp in hot.connection_points(appd)})
        calls = []
        real = hot.tosca_template.ToscaTemplate

        def parse(*args, **kwargs):
            calls.append(1)
            return real(*args, **kwargs)

        with mock.patch.object(hot.tosca_template, 'ToscaTemplate', parse):
            first = hot.translate(template)
            first['resources'].clear()
            second = hot.translate(template)
        self.assertEqual(1, len(calls))
        self.assertTrue(second['resources'])
