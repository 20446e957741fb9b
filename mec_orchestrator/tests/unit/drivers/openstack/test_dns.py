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
"""The Designate DNS driver, with openstacksdk's connection faked."""

import contextlib
import itertools
import types
from unittest import mock

from keystoneauth1 import exceptions as ka_exc
from openstack import exceptions as sdk_exc
import requests

from mec_orchestrator.common import exception
from mec_orchestrator import conf
from mec_orchestrator.drivers.openstack import client
from mec_orchestrator.drivers.openstack import dns as designate
from mec_orchestrator.tests import base

CONF = conf.CONF
PASSWORD = 'vim-secret-pw-42'
VIM = {'id': 'vim-1', 'name': 'edge', 'type': 'openstack',
       'access': {'auth_url': 'http://keystone/v3', 'project_name': 'p',
                  'region': 'RegionOne'},
       'credentials': {'username': 'u', 'password': PASSWORD},
       'ca_cert': None}
INSTANCE = {'id': '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b'}
ZONE = 'mec.example.org.'


def rule(rule_id='dnsRule1', name='app.mec.example.org', address='192.0.2.10',
         kind='IP_V4', **extra):
    value = {'dnsRuleId': rule_id, 'domainName': name,
             'ipAddressType': kind, 'ipAddress': address, 'state': 'ACTIVE'}
    value.update(extra)
    return value


def http_error(cls, status, details):
    response = requests.Response()
    response.status_code = status
    response.url = 'http://designate/v2/zones'
    return cls(message='%s: %s' % (cls.__name__, status), response=response,
               details=details)


class FakeDesignate(object):
    """The dns proxy of an openstacksdk connection, with one zone."""

    def __init__(self):
        self.zones = [types.SimpleNamespace(id='zone-1', name=ZONE)]
        self.recordsets = {}
        self.calls = []
        self._ids = itertools.count(1)
        #: An error raised by the next call of the named method.
        self.fail = {}
        self.proxy = mock.Mock()
        for method in ('find_zone', 'recordsets', 'create_recordset',
                       'update_recordset', 'delete_recordset'):
            getattr(self.proxy, method).side_effect = self._call(method)

    def _call(self, method):
        def call(*args, **kwargs):
            self.calls.append((method, args, kwargs))
            if method in self.fail:
                raise self.fail.pop(method)
            return getattr(self, '_' + method)(*args, **kwargs)
        return call

    def _find_zone(self, name_or_id, ignore_missing=True):
        for zone in self.zones:
            if name_or_id in (zone.id, zone.name):
                return zone
        assert ignore_missing
        return None

    def _recordsets(self, zone, **query):
        return [rs for rs in self.recordsets.values()
                if rs.zone_id == zone.id and
                all(getattr(rs, k) == v for k, v in query.items())]

    def add(self, name, rtype, records, description='other', ttl=None):
        rs = types.SimpleNamespace(
            id='rs-%d' % next(self._ids), zone_id='zone-1', name=name,
            type=rtype, records=list(records), ttl=ttl,
            description=description)
        self.recordsets[rs.id] = rs
        return rs

    def _create_recordset(self, zone, **attrs):
        if self._recordsets(zone, name=attrs['name'], type=attrs['type']):
            raise http_error(sdk_exc.ConflictException, 409,
                             'Duplicate RecordSet')
        return self.add(attrs['name'], attrs['type'], attrs['records'],
                        attrs['description'], attrs.get('ttl'))

    def _update_recordset(self, recordset, **attrs):
        rs = self.recordsets[recordset.id]
        for key, value in attrs.items():
            setattr(rs, key, value)
        return rs

    def _delete_recordset(self, recordset, ignore_missing=True):
        assert ignore_missing
        self.recordsets.pop(recordset.id, None)

    def only(self):
        """The only recordset."""
        [rs] = self.recordsets.values()
        return rs

    def writes(self):
        return [c[0] for c in self.calls
                if c[0] not in ('find_zone', 'recordsets')]


class DesignateTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config(dns_zone=ZONE, dns_driver='designate', group='platform')
        self.designate = FakeDesignate()
        self.session = mock.Mock()
        self.sessions = []

        @contextlib.contextmanager
        def vim_session(vim, timeout):
            self.sessions.append((vim['id'], timeout))
            yield self.session

        self.patch(designate.client, 'vim_session', vim_session)
        self.connection = mock.Mock(
            return_value=types.SimpleNamespace(dns=self.designate.proxy))
        self.patch(client.openstack.connection, 'Connection',
                   self.connection)
        self.driver = designate.DesignateDnsDriver(CONF)

    def patch(self, target, name, new):
        patcher = mock.patch.object(target, name, new)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def activate(self, value=None, vim=VIM):
        return self.driver.activate(None, vim, INSTANCE, value or rule())

    def deactivate(self, rule_id='dnsRule1', realised=None, vim=VIM):
        return self.driver.deactivate(None, vim, INSTANCE, rule_id,
                                      realised)


class TestActivate(DesignateTestCase):

    def test_creates_the_recordset(self):
        realised = self.activate(rule(ttl=120))
        rs = self.designate.only()
        self.assertEqual(('app.mec.example.org.', 'A', ['192.0.2.10'], 120),
                         (rs.name, rs.type, rs.records, rs.ttl))
        self.assertIn(INSTANCE['id'], rs.description)
        self.assertIn('dnsRule1', rs.description)
        self.assertEqual({'zone_id': 'zone-1', 'recordset_id': rs.id,
                          'name': 'app.mec.example.org.', 'type': 'A',
                          'address': '192.0.2.10'}, realised)
        self.connection.assert_called_once_with(
            session=self.session, region_name='RegionOne',
            interface='public')
        self.assertEqual([('vim-1', CONF.vim.request_timeout)],
                         self.sessions)

    def test_interface_of_the_vim(self):
        vim = dict(VIM, access=dict(VIM['access'], interface='internal'))
        self.activate(vim=vim)
        self.assertEqual('internal',
                         self.connection.call_args.kwargs['interface'])

    def test_name_is_lowercased_and_ttl_left_to_the_zone(self):
        self.activate(rule(name='App.MEC.example.org.'))
        rs = self.designate.only()
        self.assertEqual('app.mec.example.org.', rs.name)
        create = [c for c in self.designate.calls
                  if c[0] == 'create_recordset'][0]
        self.assertNotIn('ttl', create[2])

    def test_aaaa(self):
        realised = self.activate(rule(address='2001:DB8:0::1', kind='IP_V6'))
        rs = self.designate.only()
        self.assertEqual(('AAAA', ['2001:db8::1']), (rs.type, rs.records))
        self.assertEqual('AAAA', realised['type'])

    def test_again_changes_nothing(self):
        first = self.activate()
        self.designate.calls = []
        self.assertEqual(first, self.activate())
        self.assertEqual([], self.designate.writes())
        self.assertEqual(['192.0.2.10'], self.designate.only().records)

    def test_address_in_another_form_is_the_same(self):
        self.designate.add('v6.mec.example.org.', 'AAAA',
                           ['2001:DB8:0:0::1'])
        self.activate(rule(name='v6.mec.example.org', address='2001:db8::1',
                           kind='IP_V6'))
        self.assertEqual([], self.designate.writes())

    def test_rules_of_one_name_share_the_recordset(self):
        self.activate()
        self.activate(rule('dnsRule2', address='192.0.2.11', ttl=60))
        rs = self.designate.only()
        self.assertEqual(['192.0.2.10', '192.0.2.11'], rs.records)
        self.assertEqual(60, rs.ttl)
        self.assertIn('dnsRule1', rs.description)

    def test_created_meanwhile_is_joined(self):
        lookup = self.designate.proxy.recordsets.side_effect

        def first_lookup(zone, **query):
            # It misses the recordset another conductor is creating.
            self.designate.proxy.recordsets.side_effect = lookup
            self.designate.add('app.mec.example.org.', 'A', ['192.0.2.99'])
            return []

        self.designate.proxy.recordsets.side_effect = first_lookup
        realised = self.activate()
        rs = self.designate.only()
        self.assertEqual(['192.0.2.99', '192.0.2.10'], rs.records)
        self.assertEqual(rs.id, realised['recordset_id'])

    def test_name_outside_the_zone_is_refused(self):
        for name in ('app.example.org', 'mec.example.org.evil.com',
                     'xmec.example.org'):
            e = self.assertRaises(exception.Invalid, self.activate,
                                  rule(name=name))
            self.assertIn('DNS rule dnsRule1', str(e))
            self.assertIn('outside the zone mec.example.org.', str(e))
        self.assertEqual([], self.sessions)

    def test_apex_is_in_the_zone(self):
        self.activate(rule(name='mec.example.org'))
        self.assertEqual('mec.example.org.', self.designate.only().name)

    def test_wrong_rule_is_refused(self):
        e = self.assertRaises(exception.Invalid, self.activate,
                              rule(address='2001:db8::1'))
        self.assertIn('not an IPv4 address', str(e))
        self.assertEqual([], self.sessions)

    def test_no_zone_configured(self):
        self.config(dns_zone=None, group='platform')
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('[platform] dns_zone', str(e))

    def test_zone_missing_in_designate(self):
        self.designate.zones = []
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('zone mec.example.org. does not exist', str(e))

    def test_no_vim(self):
        e = self.assertRaises(exception.InfraError, self.activate, vim=None)
        self.assertIn('needs the app instance\'s VIM', str(e))

    def test_designate_error_carries_its_reason(self):
        self.designate.fail['create_recordset'] = http_error(
            sdk_exc.BadRequestException, 400,
            "u'x' is not a 'hostname' at records")
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn("Designate of VIM edge: u'x' is not a 'hostname' at "
                      "records (HTTP 400)", str(e))

    def test_missing_dns_service(self):
        self.designate.fail['find_zone'] = sdk_exc.EndpointNotFound(
            'No dns endpoint in RegionOne')
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('No dns endpoint in RegionOne', str(e))

    def test_keystone_error(self):
        self.designate.fail['find_zone'] = ka_exc.Unauthorized(
            'The request you have made requires authentication.',
            http_status=401)
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('requires authentication', str(e))
        self.assertNotIn(PASSWORD, str(e))

    def test_incomplete_credentials(self):
        def vim_session(vim, timeout):
            raise exception.Invalid(reason='the VIM has no credentials')

        self.patch(designate.client, 'vim_session', vim_session)
        e = self.assertRaises(exception.InfraError, self.activate)
        self.assertIn('the VIM has no credentials', str(e))


class TestDeactivate(DesignateTestCase):

    def test_last_rule_deletes_the_recordset(self):
        realised = self.activate()
        self.deactivate(realised=realised)
        self.assertEqual({}, self.designate.recordsets)
        self.deactivate(realised=realised)
        self.assertEqual(['create_recordset', 'delete_recordset'],
                         self.designate.writes())

    def test_other_rules_keep_their_addresses(self):
        first = self.activate()
        second = self.activate(rule('dnsRule2', address='192.0.2.11'))
        self.deactivate(realised=first)
        rs = self.designate.only()
        self.assertEqual(['192.0.2.11'], rs.records)
        # It was created for dnsRule1, which is gone.
        self.assertEqual(designate.SHARED_DESCRIPTION, rs.description)
        self.deactivate('dnsRule2', realised=second)
        self.assertEqual({}, self.designate.recordsets)

    def test_joined_rule_leaves_the_description(self):
        self.activate()
        second = self.activate(rule('dnsRule2', address='192.0.2.11'))
        self.deactivate('dnsRule2', realised=second)
        rs = self.designate.only()
        self.assertEqual(['192.0.2.10'], rs.records)
        self.assertIn('dnsRule1', rs.description)

    def test_address_already_gone(self):
        realised = self.activate()
        self.designate.only().records = ['192.0.2.77']
        self.designate.calls = []
        self.deactivate(realised=realised)
        self.assertEqual(['192.0.2.77'], self.designate.only().records)
        self.assertEqual(['update_recordset'], self.designate.writes())
        self.assertEqual({'description': designate.SHARED_DESCRIPTION},
                         self.designate.calls[-1][2])

    def test_without_realised_deletes_what_the_rule_created(self):
        self.activate()
        self.activate(rule('dnsRule2', name='other.mec.example.org',
                           address='192.0.2.11'))
        self.deactivate()
        self.assertEqual(['other.mec.example.org.'],
                         [rs.name for rs in
                          self.designate.recordsets.values()])

    def test_without_realised_a_shared_recordset_is_left(self):
        self.activate()
        self.activate(rule('dnsRule2', address='192.0.2.11'))
        self.deactivate()
        self.assertEqual(['192.0.2.10', '192.0.2.11'],
                         self.designate.only().records)
        self.assertIn('which is the rule\'s is unknown', self.log.output)

    def test_without_realised_nothing_found(self):
        self.designate.add('app.mec.example.org.', 'A', ['192.0.2.10'])
        self.deactivate()
        self.assertEqual(1, len(self.designate.recordsets))
        self.assertEqual([], self.designate.writes())

    def test_zone_gone(self):
        realised = self.activate()
        self.designate.zones = []
        self.deactivate(realised=realised)

    def test_designate_error(self):
        realised = self.activate()
        self.designate.fail['delete_recordset'] = http_error(
            sdk_exc.HttpException, 503, 'Service Unavailable')
        e = self.assertRaises(exception.InfraError, self.deactivate,
                              realised=realised)
        self.assertIn('Service Unavailable (HTTP 503)', str(e))
