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
"""The OpenStack infrastructure driver, heatclient and openstacksdk faked."""

import contextlib
import io
import json
import threading
import time
import types
from unittest import mock

from heatclient import exc as heat_exc
from keystoneauth1 import exceptions as ka_exc
from openstack import exceptions as sdk_exc

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers import base as drivers_base
from mec_orchestrator.drivers.openstack import hot
from mec_orchestrator.drivers.openstack import infra
from mec_orchestrator.tests import base

CONF = conf.CONF
PASSWORD = 'vim-secret-pw-42'
INSTANCE_ID = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b'
NAME = drivers_base.resource_name(INSTANCE_ID)
VIM = {'id': 'vim-1', 'name': 'edge', 'type': 'openstack',
       'access': {'auth_url': 'http://keystone/v3', 'project_name': 'p',
                  'region': 'RegionOne'},
       'credentials': {'username': 'u', 'password': PASSWORD},
       'ca_cert': None}
INSTANCE = {'id': INSTANCE_ID, 'mec_host': {'zone': 'az1'}, 'platform': {}}


def appd(**changes):
    value = {'appDId': 'app-1', 'appDVersion': '1.0',
             'virtualComputeDescriptor': {
                 'virtualCpu': {'numVirtualCpu': 2},
                 'virtualMemory': {'virtualMemSize': 2048},
                 'virtualDisk': [{'sizeOfStorage': 10}]},
             'swImageDescriptor': {'id': 'sw', 'name': 'app-image',
                                   'swImage': 'Artifacts/app.qcow2',
                                   'diskFormat': 'qcow2',
                                   'containerFormat': 'bare'},
             'appExtCpd': [{'cpdId': 'cp0', 'order': 0},
                           {'cpdId': 'cp1', 'order': 1}]}
    value.update(changes)
    return value


def heat_error(cls, message):
    return cls(json.dumps({'error': {'message': message, 'type': 'x'}}))


def obj(**attrs):
    return types.SimpleNamespace(**attrs)


class FakeHeat(object):
    """Stacks whose status follows a script, one step per read."""

    def __init__(self):
        self.stacks = {}
        self.scripts = {}
        self.created = []
        self.deleted = []
        self.create_error = None
        self.resources_of = {}
        self.stacks_api = mock.Mock(get=self._get, create=self._create,
                                    delete=self._delete, list=self._list)
        self.resources = mock.Mock(
            list=lambda stack_id, **kw: self.resources_of.get(stack_id, []))
        self.events = mock.Mock(list=lambda stack_id, **kw: [
            obj(event_time='2025-01-01T00:00:07Z')])

    def add(self, stack_id, name, *statuses, reason='', **extra):
        self.stacks[stack_id] = obj(
            id=stack_id, stack_name=name, stack_status=statuses[0],
            stack_status_reason=reason,
            creation_time='2025-01-01T00:00:00Z', updated_time=None,
            deletion_time=None, outputs=[{'output_key': 'server_id',
                                          'output_value': 'srv-1'}],
            **extra)
        self.scripts[stack_id] = list(statuses[1:])
        return self.stacks[stack_id]

    def _find(self, name_or_id):
        for stack in self.stacks.values():
            if name_or_id in (stack.id, stack.stack_name):
                return stack
        raise heat_exc.HTTPNotFound()

    def _get(self, name_or_id):
        stack = self._find(name_or_id)
        if self.scripts[stack.id]:
            step = self.scripts[stack.id].pop(0)
            if step is None:
                del self.stacks[stack.id]
                raise heat_exc.HTTPNotFound()
            stack.stack_status = step
        return stack

    def _create(self, **fields):
        if self.create_error:
            raise self.create_error
        self.created.append(fields)
        stack_id = 'stack-%d' % len(self.created)
        self.add(stack_id, fields['stack_name'], 'CREATE_IN_PROGRESS',
                 'CREATE_COMPLETE')
        self.resources_of[stack_id] = [
            obj(resource_type='OS::Nova::Server', physical_resource_id='srv-1',
                resource_name='server', resource_status='CREATE_COMPLETE',
                resource_status_reason=''),
            obj(resource_type='OS::Neutron::Port',
                physical_resource_id='port-1', resource_name='port_cp0',
                resource_status='CREATE_COMPLETE',
                resource_status_reason='')]
        return {'stack': {'id': stack_id}}

    def _delete(self, stack_id):
        self._find(stack_id)
        self.deleted.append(stack_id)

    def _list(self):
        return list(self.stacks.values())


class FakeCloud(object):
    """The openstacksdk proxies the driver calls."""

    def __init__(self):
        self.flavors = [obj(id='f-small', name='m1.small', vcpus=1, ram=2048,
                            disk=20, is_disabled=False),
                        obj(id='f-medium', name='m1.medium', vcpus=2,
                            ram=4096, disk=40, is_disabled=False),
                        obj(id='f-large', name='m1.large', vcpus=4,
                            ram=8192, disk=80, is_disabled=False)]
        self.images = [obj(id='img-1', name='app-image', status='active',
                           created_at='2025-01-01T00:00:00Z')]
        self.networks = [obj(id='net-1', name='private',
                             is_router_external=False, is_shared=False)]
        self.servers = {'srv-1': obj(id='srv-1', name=NAME, status='ACTIVE',
                                     addresses={}, fault=None,
                                     task_state=None)}
        self.server_script = {}
        self.uploads = []
        self.flavor_access = []
        compute = mock.Mock()
        compute.flavors.side_effect = lambda **kw: list(self.flavors)
        compute.find_flavor.side_effect = self._find_flavor
        compute.create_flavor.side_effect = self._create_flavor
        compute.flavor_add_tenant_access.side_effect = (
            lambda flavor, project: self.flavor_access.append(
                (flavor.id, project)))
        compute.get_server.side_effect = self._get_server
        compute.stop_server.side_effect = lambda s: self._power(s, 'SHUTOFF')
        compute.start_server.side_effect = lambda s: self._power(s, 'ACTIVE')
        image = mock.Mock()
        image.get_image.side_effect = self._get_image
        image.images.side_effect = lambda name=None: [
            i for i in self.images if i.name == name]
        image.create_image.side_effect = self._create_image
        network = mock.Mock()
        network.networks.side_effect = lambda: list(self.networks)
        network.get_port.side_effect = lambda port_id: obj(
            id=port_id, name='p', network_id='net-1',
            fixed_ips=[{'ip_address': '10.0.0.5'}])
        self.conn = obj(compute=compute, image=image, network=network)

    def _find_flavor(self, name, ignore_missing=True, **query):
        for flavor in self.flavors:
            if name in (flavor.id, flavor.name):
                return flavor
        if ignore_missing:
            return None
        raise sdk_exc.NotFoundException(name)

    def _create_flavor(self, **attrs):
        flavor = obj(id='f-new', is_disabled=False, **attrs)
        self.flavors.append(flavor)
        return flavor

    def _get_server(self, server_id):
        server = self.servers[server_id]
        if self.server_script.get(server_id):
            server.status = self.server_script[server_id].pop(0)
        return server

    def _power(self, server, status):
        self.server_script.setdefault(server.id, []).extend(
            [server.status, status])

    def _get_image(self, image_id):
        for image in self.images:
            if image.id == image_id:
                if getattr(image, 'script', None):
                    image.status = image.script.pop(0)
                return image
        raise sdk_exc.NotFoundException(image_id)

    def _create_image(self, name, data=None, **attrs):
        self.uploads.append(dict(attrs, name=name, data=data.read()))
        image = obj(id='img-up', name=name, status='queued',
                    created_at='2025-01-02T00:00:00Z',
                    script=['saving', 'active'])
        self.images.append(image)
        return image


class Artifacts(object):

    def __init__(self, files):
        self.files = files
        self.opened = []

    def open(self, path):
        self.opened.append(path)
        return io.BytesIO(self.files[path])


class DriverTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config(stack_timeout=600, poll_interval=1.0,
                    max_poll_interval=5.0, group='openstack')
        self.heat = FakeHeat()
        self.cloud = FakeCloud()
        heat = obj(stacks=self.heat.stacks_api, resources=self.heat.resources,
                   events=self.heat.events)
        self.session = mock.Mock(timeout=10)
        self.session.get_project_id.return_value = 'project-1'

        @contextlib.contextmanager
        def vim_session(vim, timeout):
            yield self.session

        self.useFixture_patch(infra.client, 'vim_session', vim_session)
        self.heat_client = self.useFixture_patch(
            infra.heat_client, 'Client', mock.Mock(return_value=heat))
        self.useFixture_patch(infra.openstack.connection, 'Connection',
                              mock.Mock(return_value=self.cloud.conn))
        self.driver = infra.OpenStackInfraDriver(CONF)
        self.now = 0.0
        self.sleeps = []
        self.driver._clock = lambda: self.now
        self.driver._sleep = self._sleep

    def useFixture_patch(self, target, name, new):
        patcher = mock.patch.object(target, name, new)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def _sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def create(self, app=None, request=None, artifacts=None):
        return self.driver.create(None, VIM, INSTANCE, app or appd(),
                                  request or {}, artifacts)

    def template(self, index=0):
        return self.heat.created[index]['template']

    def assertNoSecret(self, exc):
        self.assertNotIn(PASSWORD, str(exc))


class TestCreate(DriverTestCase):

    def test_creates_stack_and_describes_it(self):
        result = self.create()
        self.assertEqual(1, len(self.heat.created))
        fields = self.heat.created[0]
        self.assertEqual(NAME, fields['stack_name'])
        self.assertEqual(10, fields['timeout_mins'])
        self.assertTrue(fields['disable_rollback'])
        server = self.template()['resources'][hot.SERVER]['properties']
        self.assertEqual('f-medium', server['flavor'])
        self.assertEqual('img-1', server['image'])
        self.assertEqual('az1', server['availability_zone'])
        self.assertEqual('RegionOne',
                         self.heat_client.call_args.kwargs['region_name'])
        self.assertEqual({'stack_id': 'stack-1', 'stack_name': NAME,
                          'status': 'CREATE_COMPLETE',
                          'servers': [{'id': 'srv-1', 'name': NAME,
                                       'status': 'ACTIVE', 'addresses': {}}],
                          'ports': [{'id': 'port-1', 'name': 'p',
                                     'network_id': 'net-1',
                                     'fixed_ips': [
                                         {'ip_address': '10.0.0.5'}]}],
                          'outputs': {'server_id': 'srv-1'},
                          'vim_seconds': 7.0}, result)

    def test_existing_stack_is_awaited_not_created_again(self):
        # Found in progress, then three reads in progress and two sleeps.
        self.heat.add('stack-0', NAME, *(['CREATE_IN_PROGRESS'] * 4),
                      'CREATE_COMPLETE')
        result = self.create()
        self.assertEqual([], self.heat.created)
        self.assertEqual('stack-0', result['stack_id'])
        self.assertEqual([1.0, 2.0], self.sleeps)

    def test_create_failed_reason_surfaces(self):
        self.heat.add('stack-0', NAME, 'CREATE_FAILED',
                      reason='Resource CREATE failed: server')
        self.heat.resources_of['stack-0'] = [obj(
            resource_name='server', resource_type='OS::Nova::Server',
            physical_resource_id='srv-1', resource_status='CREATE_FAILED',
            resource_status_reason='No valid host was found.')]
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('CREATE_FAILED', str(exc))
        self.assertIn('Resource CREATE failed: server', str(exc))
        self.assertIn('server: No valid host was found.', str(exc))
        self.assertNoSecret(exc)

    def test_synchronous_400_surfaces(self):
        self.heat.create_error = heat_error(
            heat_exc.HTTPBadRequest,
            'HEAT-E99001 Service nova is not available for resource type '
            'OS::Nova::Server')
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertNotIsInstance(exc, exception.InfraTimeout)
        self.assertIn('Service nova is not available', str(exc))
        self.assertIn('HTTP 400', str(exc))
        self.assertNotIn('ERROR:', str(exc))
        self.assertNoSecret(exc)

    def test_timeout(self):
        self.config(stack_timeout=20, group='openstack')
        self.heat.add('stack-0', NAME, *(['CREATE_IN_PROGRESS'] * 50))
        exc = self.assertRaises(exception.InfraTimeout, self.create)
        self.assertIn('20 s', str(exc))
        self.assertIn(NAME, str(exc))
        self.assertEqual([1.0, 2.0, 4.0, 5.0, 5.0, 3.0], self.sleeps)

    def test_conflict_means_another_conductor_created_it(self):
        def create(**fields):
            self.heat.add('stack-9', NAME, 'CREATE_COMPLETE')
            raise heat_error(heat_exc.HTTPConflict, 'already exists')
        self.heat.stacks_api.create = create
        self.assertEqual('stack-9', self.create()['stack_id'])

    def test_delete_failed_stack_blocks_create(self):
        self.heat.add('stack-0', NAME, 'DELETE_FAILED', reason='port busy')
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('port busy', str(exc))
        self.assertEqual([], self.heat.created)


class TestFlavor(DriverTestCase):

    def test_smallest_that_fits(self):
        app = appd()
        app['virtualComputeDescriptor']['virtualCpu']['numVirtualCpu'] = 1
        self.cloud.flavors.reverse()
        self.create(app)
        self.assertEqual('f-small', self.template()['resources'][
            hot.SERVER]['properties']['flavor'])

    def test_image_min_disk_counts(self):
        app = appd()
        app['swImageDescriptor']['minDisk'] = 50
        self.create(app)
        self.assertEqual('f-large', self.template()['resources'][
            hot.SERVER]['properties']['flavor'])

    def test_private_flavor_created_when_none_fits(self):
        app = appd()
        app['virtualComputeDescriptor']['virtualCpu']['numVirtualCpu'] = 16
        self.create(app)
        self.cloud.conn.compute.create_flavor.assert_called_once_with(
            name='mec-16-2048-10', vcpus=16, ram=2048, disk=10,
            is_public=False)
        self.assertEqual([('f-new', 'project-1')], self.cloud.flavor_access)
        self.assertEqual('f-new', self.template()['resources'][
            hot.SERVER]['properties']['flavor'])

    def test_existing_private_flavor_reused(self):
        self.cloud.flavors = [obj(id='f-mine', name='mec-2-2048-10',
                                  vcpus=1, ram=1, disk=1, is_disabled=False)]
        self.create()
        self.cloud.conn.compute.create_flavor.assert_not_called()
        self.assertEqual([('f-mine', 'project-1')], self.cloud.flavor_access)

    def test_no_flavor_and_creation_off(self):
        self.config(create_flavors=False, group='openstack')
        self.cloud.flavors = self.cloud.flavors[:1]
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('2 vCPU, 2048 MiB RAM, 10 GiB disk', str(exc))
        self.assertEqual([], self.heat.created)

    def test_creation_forbidden(self):
        self.cloud.flavors = []
        self.cloud.conn.compute.create_flavor.side_effect = \
            sdk_exc.ForbiddenException(
                'Policy doesn\'t allow os_compute_api:os-flavor-manage:'
                'create to be performed.')
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('mec-2-2048-10', str(exc))
        self.assertIn('os-flavor-manage:create', str(exc))


class TestImage(DriverTestCase):

    def test_upload_when_missing(self):
        self.cloud.images = []
        files = Artifacts({'Artifacts/app.qcow2': b'QFI\xfb' + b'\0' * 60})
        self.create(artifacts=files)
        name = infra.OpenStackInfraDriver.upload_name(appd())
        self.assertRegex(name, r'^mec-app-image-[0-9a-f]{12}$')
        self.assertEqual(1, len(self.cloud.uploads))
        upload = self.cloud.uploads[0]
        self.assertEqual((name, 'qcow2', 'bare'), (
            upload['name'], upload['disk_format'],
            upload['container_format']))
        self.assertEqual(b'QFI\xfb', upload['data'][:4])
        self.assertEqual('img-up', self.template()['resources'][
            hot.SERVER]['properties']['image'])
        # The session got its request timeout back.
        self.assertEqual(10, self.session.timeout)

    def test_uploaded_image_found_next_time(self):
        self.cloud.images = [obj(
            id='img-up', status='active', created_at='x',
            name=infra.OpenStackInfraDriver.upload_name(appd()))]
        self.create(artifacts=Artifacts({}))
        self.assertEqual([], self.cloud.uploads)

    def test_upload_name_changes_with_package(self):
        self.assertNotEqual(
            infra.OpenStackInfraDriver.upload_name(appd()),
            infra.OpenStackInfraDriver.upload_name(appd(appDVersion='2')))

    def test_missing_without_artifacts(self):
        self.cloud.images = []
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('no image app-image', str(exc))

    def test_upload_off(self):
        self.config(image_upload=False, group='openstack')
        self.cloud.images = []
        exc = self.assertRaises(exception.InfraError, self.create,
                                artifacts=Artifacts({}))
        self.assertIn('image_upload is off', str(exc))

    def test_upload_killed(self):
        self.cloud.images = []
        self.cloud.conn.image.create_image.side_effect = lambda name, **kw: (
            self.cloud.images.append(obj(id='img-k', name=name,
                                         status='queued', created_at='',
                                         script=['killed'])) or
            self.cloud.images[-1])
        exc = self.assertRaises(
            exception.InfraError, self.create,
            artifacts=Artifacts({'Artifacts/app.qcow2': b'x'}))
        self.assertIn('became killed', str(exc))


class TestNetworks(DriverTestCase):

    def networks(self):
        return {res['properties']['name'].rsplit('-', 1)[1]:
                res['properties']['network']
                for res in self.template()['resources'].values()
                if res['type'] == 'OS::Neutron::Port'}

    def test_per_cpd_then_request_network(self):
        self.create(request={'additionalParams': {
            'extCpNetworks': {'cp1': 'mgmt'}, 'network': 'data'}})
        self.assertEqual({'cp0': 'data', 'cp1': 'mgmt'}, self.networks())

    def test_default_network_option(self):
        self.config(default_network='edge-net', group='openstack')
        self.create()
        self.assertEqual({'cp0': 'edge-net', 'cp1': 'edge-net'},
                         self.networks())

    def test_only_visible_network(self):
        self.create(appd(appExtCpd=[]))
        self.assertEqual({hot.DEFAULT_CP: 'net-1'}, self.networks())

    def test_several_networks_and_none_given(self):
        self.cloud.networks.append(obj(id='net-2', name='other',
                                       is_router_external=False,
                                       is_shared=True))
        exc = self.assertRaises(exception.InfraError, self.create)
        self.assertIn('cp0', str(exc))
        self.assertIn('2 networks', str(exc))


class TestDelete(DriverTestCase):

    def delete(self, graceful_timeout=None):
        return self.driver.delete(None, VIM, INSTANCE, graceful_timeout)

    def test_missing_stack_is_success(self):
        self.assertEqual({'vim_seconds': 0.0}, self.delete())
        self.assertEqual([], self.heat.deleted)

    def test_deletes_and_waits_until_gone(self):
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE',
                      'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', None)
        result = self.delete()
        self.assertEqual(['stack-0'], self.heat.deleted)
        self.assertIsInstance(result['vim_seconds'], float)
        self.assertEqual({'vim_seconds': 0.0}, self.delete())

    def test_vim_seconds_from_heat(self):
        stack = self.heat.add('stack-0', NAME, 'CREATE_COMPLETE',
                              'CREATE_COMPLETE', 'DELETE_COMPLETE')
        # Heat sets updated_time at the start of the delete; its last
        # event is at 00:00:07.
        stack.updated_time = '2025-01-01T00:00:03Z'
        self.assertEqual({'vim_seconds': 4.0}, self.delete())

    def test_delete_failed(self):
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE', 'CREATE_COMPLETE',
                      'DELETE_FAILED', reason='Resource DELETE failed: port')
        exc = self.assertRaises(exception.InfraError, self.delete)
        self.assertIn('DELETE_FAILED', str(exc))
        self.assertIn('Resource DELETE failed: port', str(exc))

    def test_graceful_stop_first(self):
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE', 'CREATE_COMPLETE',
                      'DELETE_COMPLETE')
        self.heat.resources_of['stack-0'] = [obj(
            resource_type='OS::Nova::Server', physical_resource_id='srv-1')]
        self.delete(graceful_timeout=30)
        self.cloud.conn.compute.stop_server.assert_called_once()
        self.assertEqual(['stack-0'], self.heat.deleted)


class TestOperate(DriverTestCase):

    def setUp(self):
        super().setUp()
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE')
        self.heat.resources_of['stack-0'] = [obj(
            resource_type='OS::Nova::Server', physical_resource_id='srv-1')]
        self.server = self.cloud.servers['srv-1']

    def operate(self, state):
        self.driver.operate(None, VIM, INSTANCE, state)

    def test_stop_then_start(self):
        self.operate('STOPPED')
        self.assertEqual('SHUTOFF', self.server.status)
        self.operate('STARTED')
        self.assertEqual('ACTIVE', self.server.status)
        self.assertEqual(1, self.cloud.conn.compute.stop_server.call_count)
        self.assertEqual(1, self.cloud.conn.compute.start_server.call_count)

    def test_already_in_state_skipped(self):
        self.operate('STARTED')
        self.cloud.conn.compute.start_server.assert_not_called()

    def test_error_server_fault(self):
        self.server.status = 'ERROR'
        self.server.fault = {'message': 'disk lost', 'code': 500}
        exc = self.assertRaises(exception.InfraError, self.operate,
                                'STOPPED')
        self.assertIn('disk lost', str(exc))

    def test_no_stack(self):
        self.heat.stacks.clear()
        self.assertRaises(exception.InfraError, self.operate, 'STOPPED')


class TestShowAndList(DriverTestCase):

    def test_show(self):
        self.assertIsNone(self.driver.show(None, VIM, INSTANCE))
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE')
        self.assertEqual({'status': 'CREATE_COMPLETE', 'status_reason': '',
                          'stack_id': 'stack-0', 'stack_name': NAME},
                         self.driver.show(None, VIM, INSTANCE))

    def test_list_only_ours(self):
        self.heat.add('stack-0', NAME, 'CREATE_COMPLETE')
        self.heat.add('stack-1', 'someone-elses', 'CREATE_COMPLETE')
        self.heat.add('stack-2', 'mec-not-an-id', 'CREATE_COMPLETE')
        self.assertEqual([{'instance_id': INSTANCE_ID, 'stack_id': 'stack-0',
                           'status': 'CREATE_COMPLETE'}],
                         self.driver.list_instances(None, VIM))

    def test_heat_unreachable(self):
        self.heat.stacks_api.list = mock.Mock(side_effect=heat_error(
            heat_exc.HTTPServiceUnavailable, 'engine down'))
        exc = self.assertRaises(exception.InfraError,
                                self.driver.list_instances, None, VIM)
        self.assertIn('engine down', str(exc))


class TestPoll(DriverTestCase):

    def _failing(self, errors, result='done'):
        calls = []

        def fetch():
            calls.append(1)
            if errors:
                error = errors.pop(0)
                try:
                    raise error
                except Exception:
                    raise exception.InfraError(reason='reading: %s' % error)
            return result

        return fetch, calls

    def test_connection_resets_are_polled_through(self):
        fetch, calls = self._failing([
            ka_exc.ConnectFailure('Connection reset by peer'),
            heat_exc.CommunicationError('reset')])
        self.assertEqual('done', self.driver._poll(
            fetch, lambda r: r == 'done', 'deleting'))
        self.assertEqual(3, len(calls))

    def test_too_many_transient_errors_fail(self):
        fetch, calls = self._failing([ka_exc.ConnectFailure('down')] * (
            infra.MAX_TRANSIENT + 1))
        self.assertRaises(exception.InfraError, self.driver._poll, fetch,
                          lambda r: r == 'done', 'deleting')
        self.assertEqual(infra.MAX_TRANSIENT + 1, len(calls))

    def test_other_errors_fail_at_once(self):
        fetch, calls = self._failing([heat_exc.HTTPForbidden('no')])
        self.assertRaises(exception.InfraError, self.driver._poll, fetch,
                          lambda r: r == 'done', 'deleting')
        self.assertEqual(1, len(calls))


class TestLostCreateAnswer(DriverTestCase):

    def test_a_stack_created_despite_a_timeout_is_found(self):
        real_create = self.heat._create

        def create_then_time_out(**fields):
            real_create(**fields)
            raise ka_exc.ConnectTimeout('Request to heat timed out')

        self.heat.stacks_api.create = create_then_time_out
        result = self.create()
        self.assertEqual(1, len(self.heat.created))
        self.assertEqual('stack-1', result['stack_id'])

    def test_create_is_asked_again_when_nothing_came_of_it(self):
        real_create = self.heat._create
        answers = [ka_exc.ConnectFailure('reset')]

        def flaky(**fields):
            if answers:
                raise answers.pop(0)
            return real_create(**fields)

        self.heat.stacks_api.create = flaky
        result = self.create()
        self.assertEqual(1, len(self.heat.created))
        self.assertEqual('CREATE_COMPLETE', result['status'])

    def test_a_refusal_is_not_asked_again(self):
        self.heat.create_error = heat_exc.HTTPBadRequest('bad template')
        self.assertRaises(exception.InfraError, self.create)
        self.assertEqual([], self.heat.created)

    def test_a_slow_first_look_is_tried_again(self):
        real_get = self.heat._get
        answers = [ka_exc.ConnectTimeout('Request to heat timed out')]

        def slow(name_or_id):
            if answers:
                raise answers.pop(0)
            return real_get(name_or_id)

        self.heat.stacks_api.get = slow
        self.assertEqual('CREATE_COMPLETE', self.create()['status'])
        self.assertEqual([], answers)


class TestStackSlots(DriverTestCase):

    def test_a_conductor_runs_at_most_n_stack_operations_per_vim(self):
        self.config(max_concurrent_stack_operations=2, group='openstack')
        inside, peak, lock = [0], [0], threading.Lock()
        release = threading.Event()

        def operation(vim_id):
            with self.driver._stack_slot({'id': vim_id}, 'mec-x'):
                with lock:
                    inside[0] += 1
                    peak[0] = max(peak[0], inside[0])
                release.wait(5)
                with lock:
                    inside[0] -= 1

        threads = [threading.Thread(target=operation, args=('vim-a',))
                   for _ in range(5)]
        other = threading.Thread(target=operation, args=('vim-b',))
        for t in threads + [other]:
            t.start()
        time.sleep(0.3)
        # Two on vim-a, one on vim-b: the other VIM has its own slots.
        self.assertEqual(3, inside[0])
        release.set()
        for t in threads + [other]:
            t.join(5)
        self.assertEqual(3, peak[0])
        self.assertEqual(0, inside[0])
        self.assertIn('waits for one of the 2 stack operation slots',
                      self.log.output)
