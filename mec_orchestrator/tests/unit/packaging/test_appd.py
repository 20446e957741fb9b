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

"""The AppD: every form normalized, mandatory fields and types checked."""

import copy
import json

import yaml

from mec_orchestrator import packaging
from mec_orchestrator.packaging import appd
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import normalize
from mec_orchestrator.tests.unit.packaging import utils

MANDATORY = ['appDId', 'appName', 'appProvider', 'appSoftVersion',
             'appDVersion', 'mecVersion', 'appDescription']


def plain():
    return json.loads(utils.data(utils.PLAIN_APPD))


class TestSchema(utils.TestCase):

    def test_schema_is_valid_draft7(self):
        appd._validator()

    def test_schema_keeps_the_etsi_notice(self):
        with open(appd._SCHEMA_FILE) as handle:
            text = handle.read()
        self.assertIn('Copyright 2019 ETSI', text)
        self.assertIn('Redistribution and use in source and binary forms',
                      text)

    def test_mandatory_fields_follow_the_spec(self):
        spec = appd.appd_schema()
        self.assertEqual(MANDATORY, spec['required'])
        self.assertEqual(
            [{'required': ['virtualComputeDescriptor', 'swImageDescriptor']},
             {'required': ['osContainerDescriptor']}], spec['anyOf'])


class TestPlainDocument(utils.TestCase):

    def test_json(self):
        result = packaging.read_appd_document(utils.data(utils.PLAIN_APPD),
                                              'appd.json')
        self.assertEqual(plain(), result)

    def test_yaml(self):
        document = yaml.safe_dump(plain()).encode()
        self.assertEqual(plain(), packaging.read_appd_document(document,
                                                               'appd.yaml'))

    def test_every_mandatory_field_named(self):
        document = plain()
        for field in MANDATORY + ['virtualComputeDescriptor']:
            del document[field]
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                json.dumps(document).encode(), 'appd.json')
        for field in MANDATORY + ['virtualComputeDescriptor']:
            self.assertIn('%s is missing' % field, str(exc))
            self.assertIn(field, exc.kwargs['fields'])
        self.assertIn('appd.json', str(exc))

    def test_nested_mandatory_fields_named(self):
        document = plain()
        del document['appTrafficRule'][0]['action']
        del document['appDNSRule'][0]['ipAddress']
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                json.dumps(document).encode(), 'appd.json')
        self.assertIn('appTrafficRule[0].action is missing', str(exc))
        self.assertIn('appDNSRule[0].ipAddress is missing', str(exc))

    def test_wrong_types_and_values(self):
        document = plain()
        document['appTrafficRule'][0]['priority'] = 'high'
        document['appDNSRule'][0]['ipAddressType'] = 'IPV4'
        document['mecVersion'] = []
        document['virtualComputeDescriptor']['virtualCpu'][
            'numVirtualCpu'] = 0
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                json.dumps(document).encode(), 'appd.json')
        message = str(exc)
        self.assertIn('appTrafficRule[0].priority: must be of type integer',
                      message)
        self.assertIn("appDNSRule[0].ipAddressType: 'IPV4' is not one of",
                      message)
        self.assertIn('mecVersion', message)
        self.assertIn('virtualComputeDescriptor.virtualCpu.numVirtualCpu',
                      message)

    def test_container_application(self):
        document = plain()
        del document['virtualComputeDescriptor']
        del document['swImageDescriptor']
        document['osContainerDescriptor'] = [
            {'osContainerDescId': 'c1', 'name': 'web'}]
        result = packaging.read_appd_document(json.dumps(document).encode(),
                                              'appd.json')
        self.assertEqual('web', result['osContainerDescriptor'][0]['name'])

    def test_not_an_object(self):
        self.assertRaisesNaming(errors.AppDInvalid, 'x.json',
                                packaging.read_appd_document, b'[1, 2]',
                                'x.json')

    def test_lossless_conversions(self):
        document = plain()
        document['appSoftVersion'] = 1.5
        document['appTrafficRule'][0]['trafficFilter'][0]['dstPort'] = [443]
        document['appTrafficRule'][0]['priority'] = '5'
        document['appTrafficRule'][0]['dstInterface'] = \
            document['appTrafficRule'][0]['dstInterface'][0]
        loaded = appd.load_appd_document(json.dumps(document).encode(), 'x')
        self.assertEqual('1.5', loaded.appd['appSoftVersion'])
        self.assertEqual(['443'], loaded.appd['appTrafficRule'][0][
            'trafficFilter'][0]['dstPort'])
        self.assertEqual(5, loaded.appd['appTrafficRule'][0]['priority'])
        self.assertIsInstance(loaded.appd['appTrafficRule'][0][
            'dstInterface'], list)
        self.assertTrue(any('appSoftVersion' in w for w in loaded.warnings))

    def test_validate_does_not_accept_booleans_as_numbers(self):
        document = plain()
        document['appLatency'] = {'maxLatency': True}
        self.assertRaisesNaming(errors.AppDInvalid, 'appLatency.maxLatency',
                                appd.validate, document, 'x')


class TestMec037(utils.TestCase):

    def setUp(self):
        super().setUp()
        self.loaded = appd.load_appd_document(utils.data(utils.MEC037),
                                              'video.yaml')
        self.appd = self.loaded.appd

    def test_form_and_identity(self):
        self.assertEqual('mec037', self.loaded.form)
        self.assertEqual({
            'appDId': '8f8e2e8e-0c4b-4a4e-9d52-3d1f2f0c7a10',
            'appName': 'video-analytics', 'appProvider': 'Example Corp',
            'appSoftVersion': '2.3.0', 'appDVersion': '1.0',
            'mecVersion': ['2.2.1', '3.1.1'],
            'appInfoName': 'Video analytics',
            'appDescription': 'Counts vehicles in camera streams'},
            {key: self.appd[key] for key in MANDATORY + ['appInfoName']})

    def test_resources(self):
        self.assertEqual({
            'virtualComputeDescId': 'VideoAnalyticsVdu',
            'virtualMemory': {'virtualMemSize': 4096},
            'virtualCpu': {'cpuArchitecture': 'x86', 'numVirtualCpu': 2,
                           'virtualCpuClock': 2000},
            'virtualDisk': [{'sizeOfStorage': 20}]},
            self.appd['virtualComputeDescriptor'])
        image = self.appd['swImageDescriptor']
        self.assertEqual('video-analytics-image', image['name'])
        self.assertEqual({'algorithm': 'sha-256', 'hash': 'b9c3036539fd7a5f8'
                          '7a1bf38eb05fdde8b556a1a7e664dbeda90ed3cd74b4f9d'},
                         image['checksum'])
        self.assertEqual('../Artifacts/images/video.qcow2', image['swImage'])
        self.assertEqual(2048, image['minRam'])
        self.assertEqual([{'id': 'VideoStorage', 'typeOfStorage': 'BLOCK',
                           'sizeOfStorage': 100, 'rdmaEnabled': False}],
                         self.appd['virtualStorageDescriptor'])
        self.assertEqual([{'cpdId': 'VideoCp', 'layerProtocol': ['ipv4'],
                           'cpRole': 'leaf',
                           'description': 'External connection point',
                           'order': 0, 'vnicType': 'normal'}],
                         self.appd['appExtCpd'])

    def test_mec_fields_in_camel_case(self):
        self.assertEqual([{'serName': 'RNIS', 'version': '2.1.1',
                           'requestedPermissions': [
                               {'id': 'queries', 'displayName': 'Queries'}]}],
                         self.appd['appServiceRequired'])
        produced = self.appd['appServiceProduced'][0]
        self.assertEqual({'oAuth2Info': {
            'grantTypes': ['OAUTH2_CLIENT_CREDENTIALS'],
            'tokenEndpoint': 'https://auth.example.com/token'}},
            produced['transportsSupported'][0]['transport']['security'])
        self.assertEqual([{'transport': {'type': 'REST_HTTP',
                                         'protocol': 'HTTP', 'version': '2.0',
                                         'security': {}},
                           'serializers': ['JSON'], 'labels': ['A']}],
                         self.appd['transportDependencies'])
        rule = self.appd['appTrafficRule'][0]
        self.assertEqual('FORWARD_DECAPSULATED', rule['action'])
        self.assertEqual({'srcAddress': ['192.0.2.0/24'], 'dstPort': ['8080'],
                          'protocol': ['tcp'], 'qCI': 1},
                         rule['trafficFilter'][0])
        self.assertEqual('GTP-U',
                         rule['dstInterface'][0]['tunnelInfo']['tunnelType'])
        self.assertEqual([{'dnsRuleId': 'dns1',
                           'domainName': 'video.example.com',
                           'ipAddressType': 'IP_V4',
                           'ipAddress': '192.0.2.10', 'ttl': 300}],
                         self.appd['appDNSRule'])
        self.assertEqual({'maxLatency': 20000000}, self.appd['appLatency'])
        self.assertEqual({'minGracefulTerminationTimeout': 60,
                          'maxRecommendedGracefulTerminationTimeout': 600},
                         self.appd['terminateAppInstanceOpConfig'])
        self.assertEqual({'minGracefulStopTimeout': 30},
                         self.appd['changeAppInstanceStateOpConfig'])

    def test_only_spec_field_names(self):
        schema = appd.appd_schema()
        self.assertEqual(set(), set(self.appd) - set(schema['properties']))

    def test_json_serializable(self):
        self.assertEqual(self.appd, json.loads(json.dumps(self.appd)))

    def test_missing_mandatory_names_the_tosca_source(self):
        document = yaml.safe_load(utils.data(utils.MEC037))
        del document['node_types']['Example.VideoAnalytics.1_0'][
            'properties']['product_name']
        document['node_types']['Example.VideoAnalytics.1_0']['properties'][
            'product_name'] = {'type': 'string', 'required': False}
        node = document['topology_template']['node_templates']
        del node['VideoAnalytics']['properties']['product_info_description']
        del document['description']
        del node['VideoAnalyticsVdu']['artifacts']
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                yaml.safe_dump(document).encode(), 'v.yaml')
        message = str(exc)
        self.assertIn('appName is missing (property product_name of node '
                      'VideoAnalytics)', message)
        self.assertIn('appDescription is missing', message)
        self.assertIn('swImageDescriptor is missing', message)
        self.assertIn('v.yaml', message)

    def test_functions_without_a_value_before_deployment(self):
        document = yaml.safe_load(utils.data(utils.MEC037))
        app = document['topology_template']['node_templates'][
            'VideoAnalytics']
        app['properties']['app_dns_rule'][0]['ip_address'] = {
            'get_attribute': ['VideoCp', 'address']}
        app['properties']['product_info_name'] = {
            'get_property': ['VideoAnalyticsVdu', 'name']}
        app['properties']['product_info_description'] = {
            'concat': ['a', 'b']}
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                yaml.safe_dump(document).encode(), 'v.yaml')
        self.assertIn('appDNSRule[0].ipAddress: must be of type string',
                      str(exc))
        del app['properties']['app_dns_rule']
        loaded = appd.load_appd_document(yaml.safe_dump(document).encode(),
                                         'v.yaml')
        self.assertEqual('video-analytics', loaded.appd['appInfoName'])
        self.assertEqual('Video analytics MEC application (MEC 037 form)',
                         loaded.appd['appDescription'])

    def test_required_tosca_property_is_a_tosca_error(self):
        document = yaml.safe_load(utils.data(utils.MEC037))
        node = document['topology_template']['node_templates']
        del node['VideoAnalytics']['properties']['mec_version']
        self.assertRaisesNaming(errors.ToscaInvalid, 'mec_version',
                                packaging.read_appd_document,
                                yaml.safe_dump(document).encode(), 'v.yaml')

    def test_no_mec_application_node(self):
        document = yaml.safe_load(utils.data(utils.MEC037))
        del document['topology_template']['node_templates']['VideoAnalytics']
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                yaml.safe_dump(document).encode(), 'v.yaml')
        self.assertIn('tosca.nodes.mec.MecApp', str(exc))

    def test_two_compute_nodes(self):
        document = yaml.safe_load(utils.data(utils.MEC037))
        nodes = document['topology_template']['node_templates']
        nodes['Second'] = copy.deepcopy(nodes['VideoAnalyticsVdu'])
        exc = self.assertRaises(errors.AppDInvalid,
                                packaging.read_appd_document,
                                yaml.safe_dump(document).encode(), 'v.yaml')
        self.assertIn('Second', str(exc))


class TestEdgeGalleryVm(utils.TestCase):

    def setUp(self):
        super().setUp()
        self.loaded = appd.load_appd_document(utils.data(utils.VM_SAMPLE),
                                              'vmtest.yaml')
        self.appd = self.loaded.appd

    def test_identity(self):
        self.assertEqual('edgegallery', self.loaded.form)
        self.assertEqual({
            'appDId': 'vmtest_X86_ubuntu', 'appName': 'filter01',
            'appProvider': 'Huawei', 'appSoftVersion': '1.0',
            'appDVersion': 'v1.2', 'mecVersion': ['2.1.1'],
            'appDescription': 'EdgeGallery MEC APP'},
            {key: self.appd[key] for key in MANDATORY})

    def test_vendor_import_replaced_and_said(self):
        self.assertTrue(any('cmcc_nfv_vnfd_types_v1_0_20190924.yaml' in w
                            for w in self.loaded.warnings))

    def test_compute_and_inputs(self):
        compute = self.appd['virtualComputeDescriptor']
        self.assertEqual({'virtualMemSize': 1024}, compute['virtualMemory'])
        self.assertEqual(40, compute['virtualDisk'][0]['sizeOfStorage'])
        self.assertEqual('shared',
                         compute['computeRequirements']['hw:cpu_policy'])
        self.assertEqual({'name': 'ubuntu-18.04'},
                         self.appd['swImageDescriptor'])
        self.assertEqual(['EMS_VDU1_CP0', 'EMS_VDU1_CP1', 'EMS_VDU1_CP2'],
                         [cp['cpdId'] for cp in self.appd['appExtCpd']])
        dns = self.appd['appDNSRule'][0]
        self.assertEqual(('mec.edgegallery.com', 'IP_V4', '127.0.0.1'),
                         (dns['domainName'], dns['ipAddressType'],
                          dns['ipAddress']))

    def test_edgegallery_variants_repaired(self):
        produced = self.appd['appServiceProduced'][0]
        self.assertEqual({'name': 'video encoding'}, produced['serCategory'])
        self.assertEqual({}, produced['transportsSupported'][0]['transport'][
            'security'])
        self.assertEqual([{'transport': {'type': 'REST_HTTP',
                                         'protocol': 'HTTP', 'version': '2.0',
                                         'security': {}},
                           'serializers': ['JSON'], 'labels': ['test']}],
                         self.appd['transportDependencies'])
        self.assertTrue(any('dnsRuleIdList' in w for w in
                            self.loaded.warnings))


class TestMecProfile(utils.TestCase):

    def test_mea(self):
        loaded = appd.load_appd_document(utils.data(utils.MEA), 'cache.yaml')
        self.assertEqual('tosca-mec-profile', loaded.form)
        self.assertEqual({
            'appDId': '6a3c1f5e-2b1d-4f0e-9c55-0d6f0f4b8a21',
            'appName': 'edge-cache', 'appProvider': 'Example Corp',
            'appSoftVersion': '1.2.0', 'appDVersion': '1.1',
            'mecVersion': ['2.1.1'],
            'appDescription': 'Edge cache built on the tosca-parser MEC '
                              'profile',
            'virtualComputeDescriptor': {
                'virtualComputeDescId': 'cache_vdu',
                'virtualCpu': {'numVirtualCpu': 2,
                               'cpuArchitecture': 'x86_64'},
                'virtualMemory': {'virtualMemSize': 2048},
                'virtualDisk': [{'sizeOfStorage': 10}]},
            'swImageDescriptor': {'id': 'cache_image', 'name': 'cache_image',
                                  'swImage': 'images/cache.qcow2',
                                  'operatingSystem': 'Ubuntu'},
            'appExtCpd': [{'cpdId': 'cache_cp', 'order': 0}]}, loaded.appd)

    def test_default_mec_version_is_said(self):
        document = yaml.safe_load(utils.data(utils.MEA))
        del document['metadata']['mec_version']
        loaded = appd.load_appd_document(yaml.safe_dump(document).encode(),
                                         'cache.yaml')
        self.assertEqual([normalize.DEFAULT_MEC_VERSION],
                         loaded.appd['mecVersion'])
        self.assertTrue(any('mecVersion' in w for w in loaded.warnings))


class TestUnits(utils.TestCase):

    def test_scalar(self):
        for value, kind, unit, expected in (
                ('4 GiB', 'size', 'MiB', 4096), ('4096 MB', 'size', 'MiB',
                                                 4096),
                ('20 GB', 'size', 'GiB', 20), ('512 MiB', 'size', 'GiB', 0.5),
                ('2 GHz', 'frequency', 'MHz', 2000),
                ('10 m', 'time', 's', 600), (7, 'size', 'MiB', 7),
                (None, 'size', 'MiB', None), ('lots', 'size', 'MiB', 'lots')):
            self.assertEqual(expected, normalize.scalar(value, kind, unit),
                             value)
