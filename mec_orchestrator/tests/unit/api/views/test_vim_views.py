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
import datetime

from oslo_serialization import jsonutils

from mec_orchestrator.api.views import mec_host as host_view
from mec_orchestrator.api.views import vim as vim_view
from mec_orchestrator.db.sqlalchemy import models
from mec_orchestrator.tests import base

NOW = datetime.datetime(2026, 11, 24, 12, 0, 0)

SECRETS = ('s3cret-password', 'app-cred-s3cret', 'k8s-t0ken',
           'PRIVATE KEY', 'gAAAAAtoken')


def _vim(**values):
    row = models.Vim(
        id='v1', name='edge', type='openstack', description=None,
        site='paris', status='REACHABLE', status_reason=None,
        last_checked_at=NOW, created_at=NOW, updated_at=None,
        # A driver that stored a secret in the clear fields by mistake
        # still does not get it shown: only known fields are.
        access={'auth_url': 'https://keystone:5000/v3',
                'project_name': 'admin', 'region': 'RegionOne',
                'password': 's3cret-password',
                'application_credential_secret': 'app-cred-s3cret',
                'bearer_token': 'k8s-t0ken'},
        auth_type='password', credentials='gAAAAAtoken',
        ca_cert='-----BEGIN CERTIFICATE-----\nMII...',
        capabilities={'region': 'RegionOne'}, extra={'k': 'v'})
    for key, value in values.items():
        setattr(row, key, value)
    return row


def _host(**values):
    row = models.MecHost(
        id='h1', vim_id='v1', discovery_key='az:nova', name='edge-nova',
        description=None, site='paris', zone='nova', aggregate=None,
        latitude=48.8, longitude=2.3, area_id='a1', cell_ids=['c1'],
        country_code='FR', civic_address=None,
        vcpus=8, vcpus_used=1, memory_mb=1024, memory_mb_used=512,
        disk_gb=10, disk_gb_used=1, capacity_source='placement',
        mep_endpoint='https://mep.internal:8443/',
        platform_services=[{'serName': 'rnis'}], latencies={'a1': 2.0},
        enabled=True, available=True, discovered_at=NOW, created_at=NOW,
        updated_at=NOW, details={'compute_hosts': ['compute-1']})
    for key, value in values.items():
        setattr(row, key, value)
    return row


class ViewTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        # Links are made from it instead of the request's host URL.
        self.config(public_endpoint='http://localhost', group='api')


class TestVimView(ViewTestCase):

    def test_no_secret_ever(self):
        text = jsonutils.dumps(vim_view.format(_vim()))
        for secret in SECRETS + ('MII',):
            self.assertNotIn(secret, text)

    def test_fields(self):
        view = vim_view.format(_vim())
        self.assertEqual('https://keystone:5000/v3', view['auth_url'])
        self.assertEqual('RegionOne', view['region'])
        self.assertTrue(view['has_ca_cert'])
        self.assertEqual('password', view['auth_type'])
        self.assertEqual('2026-11-24T12:00:00Z', view['last_checked_at'])
        self.assertIsNone(view['updated_at'])
        for field in ('password', 'credentials', 'ca_cert', 'username',
                      'application_credential_secret', 'bearer_token'):
            self.assertNotIn(field, view)
        self.assertEqual('http://localhost/v1/mec_hosts?vim_id=v1',
                         view['links'][1]['href'])

    def test_kubernetes_fields(self):
        view = vim_view.format(_vim(
            type='kubernetes', ca_cert=None, access={
                'endpoint': 'https://k8s:6443', 'namespace': 'mec',
                'client_key': '-----BEGIN PRIVATE KEY-----'}))
        self.assertEqual('https://k8s:6443', view['endpoint'])
        self.assertFalse(view['has_ca_cert'])
        self.assertNotIn('PRIVATE KEY', jsonutils.dumps(view))


class TestMecHostView(ViewTestCase):

    def test_internal_view(self):
        view = host_view.format(_host(), internal=True)
        self.assertEqual('https://mep.internal:8443/', view['mep_endpoint'])
        self.assertEqual({'compute_hosts': ['compute-1']}, view['details'])
        self.assertEqual({'latitude': 48.8, 'longitude': 2.3,
                          'area_id': 'a1', 'cell_ids': ['c1'],
                          'country_code': 'FR', 'civic_address': []},
                         view['location'])
        self.assertEqual({'vcpus': 1, 'memory_mb': 512, 'disk_gb': 1},
                         view['usage'])

    def test_filtered_view(self):
        view = host_view.format(_host())
        for field in host_view.INTERNAL_FIELDS:
            self.assertNotIn(field, view)
        text = jsonutils.dumps(view)
        self.assertNotIn('mep.internal', text)
        self.assertNotIn('compute-1', text)
        self.assertEqual([{'serName': 'rnis'}], view['platform_services'])

    def test_empty_json_columns(self):
        view = host_view.format(_host(cell_ids=None, platform_services=None,
                                      latencies=None, details=None),
                                internal=True)
        self.assertEqual(([], [], {}, {}),
                         (view['location']['cell_ids'],
                          view['platform_services'], view['latencies'],
                          view['details']))
