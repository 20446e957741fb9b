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
"""The OpenStack infrastructure driver against the real lab (tools/lab).

The driver creates, operates and deletes Heat stacks of the EdgeGallery VM
sample (adapted to the lab's image, flavor size and network) in a fresh
project, and what it did is checked with openstacksdk as the project's
user would see it. Needs ``MEC_LAB_STATE`` (``tools/lab/lab run -- ...``
or ``MEC_LAB=1 tools/run-functional.sh``); without it the tests are
skipped, or fail under ``CI``.

Set ``MEC_INFRA_TIMINGS`` to a file name to append the measured times.
"""

import io
import json
import os
import time
import uuid

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers import base as drivers_base
from mec_orchestrator.drivers.openstack import infra
from mec_orchestrator import packaging
from mec_orchestrator.tests.functional import base
from mec_orchestrator.tests.functional import lab as lab_fixtures
from mec_orchestrator.tests.unit.packaging import utils

CONF = conf.CONF

#: A 1 KiB raw disk: the fake virt driver never reads it.
RAW_IMAGE = b'\0' * 1024


class Artifacts(object):
    """The package's files, as the lifecycle hands them to the driver."""

    def __init__(self, files):
        self.files = files
        self.opened = []

    def open(self, path):
        self.opened.append(path)
        return io.BytesIO(self.files[path])


class InfraLabTestCase(base.FunctionalTestCase):

    admin = False

    def setUp(self):
        super().setUp()
        self.lab = lab_fixtures.require_lab(self)
        self.project = self.useFixture(lab_fixtures.LabProject(
            self.lab, admin=self.admin, prefix='mec-infra'))
        self.conn = self.project.connection()
        self.config(stack_timeout=180, poll_interval=0.25,
                    max_poll_interval=2.0, group='openstack')
        self.config(request_timeout=30, group='vim')
        self.driver = infra.OpenStackInfraDriver(CONF)
        self.timings = {}

    @property
    def vim(self):
        return {'id': 'lab-vim', 'name': 'lab', 'type': 'openstack',
                'access': {'auth_url': self.lab.auth_url,
                           'region': self.lab.region,
                           'project_name': self.project.project_name,
                           'user_domain_name': 'Default',
                           'project_domain_name': 'Default'},
                'credentials': {'username': self.project.username,
                                'password': self.project.password},
                'ca_cert': None}

    def appd(self, vcpus=1, ram=512, disk=1, image=None):
        """The EdgeGallery VM sample, sized and imaged for the lab."""
        appd = packaging.read_appd_document(utils.data(utils.VM_SAMPLE),
                                            'vmtest.yaml')
        compute = appd['virtualComputeDescriptor']
        compute['virtualCpu']['numVirtualCpu'] = vcpus
        compute['virtualMemory']['virtualMemSize'] = ram
        compute['virtualDisk'] = [{'sizeOfStorage': disk}]
        appd['swImageDescriptor'] = image or {'name': self.lab.image}
        return appd

    def instance(self):
        return {'id': str(uuid.uuid4()), 'project_id': 'p',
                'app_name': 'filter01', 'mec_host': {
                    'name': 'az:nova', 'zone': 'nova'},
                'platform': {'mp1': 'https://mep.example:8443'}}

    def timed(self, key, func, *args, **kwargs):
        started = time.monotonic()
        result = func(*args, **kwargs)
        self.timings[key] = round(time.monotonic() - started, 2)
        return result

    def tearDown(self):
        path = os.environ.get('MEC_INFRA_TIMINGS')
        if path and self.timings:
            with open(path, 'a') as f:
                f.write(json.dumps({'test': self.id(),
                                    'seconds': self.timings}) + '\n')
        super().tearDown()

    def our_stacks(self, name):
        # Heat lists a deleted stack for a moment, as DELETE_COMPLETE.
        return [s for s in self.conn.orchestration.stacks()
                if s.name == name and s.status != 'DELETE_COMPLETE']


class TestLifecycle(InfraLabTestCase):

    def test_create_operate_delete(self):
        instance = self.instance()
        name = drivers_base.resource_name(instance['id'])
        request = {'additionalParams': {
            'extCpNetworks': {'EMS_VDU1_CP0': self.lab.network},
            'network': self.lab.network}}
        appd = self.appd()

        result = self.timed('create', self.driver.create, None, self.vim,
                            instance, appd, request)
        self.timings['create_vim_seconds'] = result['vim_seconds']
        self.assertEqual(name, result['stack_name'])
        stack = self.conn.orchestration.get_stack(result['stack_id'])
        self.assertEqual('CREATE_COMPLETE', stack.status)
        self.assertGreater(result['vim_seconds'], 0.0)
        self.assertEqual(1, len(result['servers']))
        server = self.conn.compute.get_server(result['servers'][0]['id'])
        self.assertEqual('ACTIVE', server.status)
        self.assertEqual(name, server.name)
        self.assertEqual('nova', server.availability_zone)
        self.assertEqual(self.lab.flavor, server.flavor.original_name)
        self.assertEqual(instance['id'],
                         server.metadata['mec_app_instance_id'])
        network = self.conn.network.find_network(self.lab.network)
        self.assertEqual([network.id] * 3,
                         [p['network_id'] for p in result['ports']])
        self.assertEqual(
            sorted('%s-EMS_VDU1_CP%d' % (name, i) for i in range(3)),
            sorted(p['name'] for p in result['ports']))
        self.assertEqual(server.id, result['outputs']['server_id'])
        self.assertEqual(3, sum(len(a) for a in server.addresses.values()))

        again = self.timed('create_again', self.driver.create, None,
                           self.vim, instance, appd, request)
        self.assertEqual(result['stack_id'], again['stack_id'])
        self.assertEqual(1, len(self.our_stacks(name)))

        shown = self.driver.show(None, self.vim, instance)
        self.assertEqual({'status': 'CREATE_COMPLETE',
                          'stack_id': result['stack_id']},
                         {k: shown[k] for k in ('status', 'stack_id')})
        self.assertIn({'instance_id': instance['id'],
                       'stack_id': result['stack_id'],
                       'status': 'CREATE_COMPLETE'},
                      self.driver.list_instances(None, self.vim))

        self.timed('stop', self.driver.operate, None, self.vim, instance,
                   'STOPPED')
        self.assertEqual('SHUTOFF',
                         self.conn.compute.get_server(server.id).status)
        self.timed('start', self.driver.operate, None, self.vim, instance,
                   'STARTED')
        self.assertEqual('ACTIVE',
                         self.conn.compute.get_server(server.id).status)

        deleted = self.timed('delete', self.driver.delete, None, self.vim,
                             instance)
        self.timings['delete_vim_seconds'] = deleted['vim_seconds']
        self.assertGreater(deleted['vim_seconds'], 0.0)
        self.assertEqual([], self.our_stacks(name))
        self.assertIsNone(self.conn.compute.find_server(server.id))
        self.assertIsNone(self.driver.show(None, self.vim, instance))
        self.assertNotIn(instance['id'], [
            i['instance_id'] for i in self.driver.list_instances(
                None, self.vim)])
        self.assertEqual({'vim_seconds': 0.0},
                         self.driver.delete(None, self.vim, instance))

    def test_graceful_delete_of_default_network_instance(self):
        self.config(default_network=self.lab.network, group='openstack')
        instance = self.instance()
        appd = self.appd()
        del appd['appExtCpd']
        result = self.driver.create(None, self.vim, instance, appd, {})
        self.assertEqual(1, len(result['ports']))
        self.driver.delete(None, self.vim, instance, graceful_timeout=30)
        self.assertIsNone(self.driver.show(None, self.vim, instance))
        self.assertIsNone(self.conn.compute.find_server(
            result['servers'][0]['id']))


class TestHeatFailures(InfraLabTestCase):

    def test_unknown_network_is_refused_by_heat(self):
        instance = self.instance()
        exc = self.assertRaises(
            exception.InfraError, self.driver.create, None, self.vim,
            instance, self.appd(),
            {'additionalParams': {'network': 'no-such-network-7f3a'}})
        self.assertIn("Unable to find network with name or id "
                      "'no-such-network-7f3a'", str(exc))
        self.assertIn('HTTP 400', str(exc))
        self.assertNotIn(self.project.password, str(exc))
        self.assertIsNone(self.driver.show(None, self.vim, instance))

    def test_no_flavor_fits_and_creation_off(self):
        self.config(create_flavors=False, group='openstack')
        exc = self.assertRaises(
            exception.InfraError, self.driver.create, None, self.vim,
            self.instance(), self.appd(vcpus=64),
            {'additionalParams': {'network': self.lab.network}})
        self.assertIn('64 vCPU, 512 MiB RAM, 1 GiB disk', str(exc))
        self.assertEqual([], list(self.conn.orchestration.stacks()))


class AdminInfraLabTestCase(InfraLabTestCase):
    """As a project admin, who may create flavors (Nova's default)."""

    admin = True

    def forget_flavor(self, name):
        def delete():
            admin = self.lab.admin_connection()
            for flavor in admin.compute.flavors(is_public=None):
                if flavor.name == name:
                    admin.compute.delete_flavor(flavor)
        self.addCleanup(delete)

    def stacks_of_project(self):
        return [s for s in self.conn.orchestration.stacks()
                if s.owner_id == self.project.username]


class TestFlavorAndImage(AdminInfraLabTestCase):

    def test_private_flavor_and_uploaded_image(self):
        self.forget_flavor('mec-1-600-1')
        instance = self.instance()
        image = {'id': 'sw', 'name': 'infra-lab-%s' % uuid.uuid4().hex[:8],
                 'swImage': 'Artifacts/Images/tiny.raw', 'diskFormat': 'raw',
                 'containerFormat': 'bare'}
        appd = self.appd(ram=600, image=image)
        appd['appDId'] = 'infra-lab-%s' % uuid.uuid4()
        upload_name = self.driver.upload_name(appd)
        self.addCleanup(lambda: [self.conn.image.delete_image(i) for i in
                                 self.conn.image.images(name=upload_name)])
        artifacts = Artifacts({image['swImage']: RAW_IMAGE})

        result = self.timed('create_with_upload', self.driver.create, None,
                            self.vim, instance, appd,
                            {'additionalParams': {
                                'network': self.lab.network}}, artifacts)
        self.assertEqual([image['swImage']], artifacts.opened)
        uploaded = self.conn.image.find_image(upload_name)
        self.assertEqual(('active', 'raw', 'bare', len(RAW_IMAGE)),
                         (uploaded.status, uploaded.disk_format,
                          uploaded.container_format, uploaded.size))
        flavor = self.conn.compute.find_flavor('mec-1-600-1',
                                               is_public=None)
        self.assertEqual((1, 600, 1, False), (
            flavor.vcpus, flavor.ram, flavor.disk, flavor.is_public))
        server = self.conn.compute.get_server(result['servers'][0]['id'])
        self.assertEqual('ACTIVE', server.status)
        self.assertEqual('mec-1-600-1', server.flavor.original_name)
        self.assertEqual(uploaded.id, server.image.id)

        # The second instance reuses both.
        other = self.instance()
        self.driver.create(None, self.vim, other, appd,
                           {'additionalParams': {
                               'network': self.lab.network}},
                           Artifacts({}))
        self.assertEqual(1, len(list(self.conn.image.images(
            name=upload_name))))
        self.driver.delete(None, self.vim, other)
        self.driver.delete(None, self.vim, instance)

    def test_quota_failure_reason_from_heat(self):
        self.forget_flavor('mec-64-512-1')
        instance = self.instance()
        exc = self.assertRaises(
            exception.InfraError, self.driver.create, None, self.vim,
            instance, self.appd(vcpus=64),
            {'additionalParams': {'network': self.lab.network}})
        self.assertNotIsInstance(exc, exception.InfraTimeout)
        self.assertIn('CREATE_FAILED', str(exc))
        self.assertIn('Quota exceeded for cores', str(exc))
        shown = self.driver.show(None, self.vim, instance)
        self.assertEqual('CREATE_FAILED', shown['status'])
        self.driver.delete(None, self.vim, instance)
        self.assertIsNone(self.driver.show(None, self.vim, instance))
