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
"""The app lifecycle commands, against a fake API at the HTTP boundary."""

from importlib import metadata
import io
import json
import urllib.parse

import fixtures
from keystoneauth1 import session
from osc_lib import exceptions
import requests
from requests import structures

from mec_orchestrator.osc import client as mec_client
from mec_orchestrator.osc.v1 import app_instance
from mec_orchestrator.tests import base

ENDPOINT = 'http://mec.test'
LCM = '/app_lcm/v1'
INSTANCE_ID = '6f1c5b4e-0a4e-4f44-9a55-4d2f4b1a0c01'
OP_ID = '9d3e0c1a-7b2f-4c55-8a11-3e6f5d2c7b02'
HOST_ID = '2b7c9e10-5d4a-4e3b-9c21-8f0a1d6e4c03'
PKG_ID = 'a0c2e4f6-1b3d-4f5a-8c7e-9d0b2a4c6e04'


class FakeApi(object):
    """The orchestrator's API, answering from canned responses.

    It replaces the transport of requests, below keystoneauth1: the
    client's own code (error handling, paging, Location) runs.
    """

    def __init__(self):
        self.routes = {}
        self.calls = []

    def add(self, method, path, status=200, body=None, headers=None):
        """Queue an answer; the last one of a route repeats."""
        self.routes.setdefault((method, path), []).append(
            (status, body, headers or {}))

    def send(self, request, **kwargs):
        url = urllib.parse.urlsplit(request.url)
        path = url.path + ('?' + urllib.parse.unquote(url.query)
                           if url.query else '')
        body = json.loads(request.body) if request.body else None
        self.calls.append((request.method, path, body))
        answers = self.routes.get((request.method, path))
        if answers:
            status, data, headers = (answers.pop(0) if len(answers) > 1
                                     else answers[0])
        else:
            status, data, headers = 404, {
                'title': 'Not Found', 'status': 404,
                'detail': 'No such resource: %s' % path}, {}
        resp = requests.Response()
        resp.status_code = status
        resp.headers = structures.CaseInsensitiveDict(headers)
        if data is not None:
            resp._content = json.dumps(data).encode()
            resp.headers['Content-Type'] = 'application/json'
        else:
            resp._content = b''
        resp.encoding = 'utf-8'
        resp.url = request.url
        resp.request = request
        return resp

    def sent(self, method, path):
        """The bodies sent to a route, in order."""
        return [b for m, p, b in self.calls if (m, p) == (method, path)]


class _Stream(io.StringIO):
    def __init__(self, tty=False):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


class _App(object):
    def __init__(self, client):
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.client_manager = type('ClientManager', (), {'mec': client})()


class CommandTestCase(base.TestCase):
    """Runs a command as cliff does, rendering its output."""

    def setUp(self):
        super().setUp()
        self.api = FakeApi()
        self.useFixture(fixtures.MockPatch(
            'requests.adapters.HTTPAdapter.send', self.api.send,
            autospec=False))
        self.useFixture(fixtures.MockPatch(
            'mec_orchestrator.osc.v1.common.time.sleep'))
        self.progress = _Stream()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.progress))
        self.client = mec_client.Client(session.Session(),
                                        endpoint_override=ENDPOINT)

    def run_command(self, cls, argv):
        """Run a command; return what it printed."""
        app = _App(self.client)
        cmd = cls(app, None)
        args = cmd.get_parser('openstack mec').parse_args(argv)
        self.assertEqual(0, cmd.run(args))
        return app.stdout.getvalue()

    def run_json(self, cls, argv):
        return json.loads(self.run_command(cls, argv + ['-f', 'json']))

    def assertRow(self, title, value, table):
        self.assertRegex(table, r'\| %s +\| %s +\|' % (title, value))


def instance(**kwargs):
    info = {'id': INSTANCE_ID, 'appInstanceName': 'web',
            'appInstanceDescription': 'frontend', 'appDId': 'appd-1',
            'appProvider': 'ACME', 'appName': 'webapp',
            'appSoftVersion': '1.0', 'appDVersion': '2.0',
            'appPkgId': PKG_ID, 'instantiationState': 'NOT_INSTANTIATED',
            '_links': {'self': {'href': ENDPOINT + LCM + '/app_instances/'
                                + INSTANCE_ID}}}
    info.update(kwargs)
    return info


def op(state, **kwargs):
    occ = {'id': OP_ID, 'operationState': state,
           'stateEnteredTime': '2024-05-01T10:00:0%dZ' % len(state),
           'startTime': '2024-05-01T10:00:00Z',
           'lcmOperation': 'INSTANTIATE', 'appInstanceId': INSTANCE_ID,
           'isCancelPending': False, 'operationParams': {},
           '_links': {}}
    occ.update(kwargs)
    return occ


ACCEPTED = {'Location': ENDPOINT + LCM + '/app_lcm_op_occs/' + OP_ID}


class TestCreate(CommandTestCase):

    def test_create_from_appd_id(self):
        self.api.add('POST', LCM + '/app_instances', 201, instance())
        out = self.run_command(app_instance.CreateAppInstance,
                               ['appd-1', '--name', 'web',
                                '--description', 'frontend'])
        self.assertEqual([{'appDId': 'appd-1', 'appInstanceName': 'web',
                           'appInstanceDescription': 'frontend'}],
                         self.api.sent('POST', LCM + '/app_instances'))
        self.assertRow('App Instance Name', 'web', out)
        self.assertRow('Instantiation State', 'NOT_INSTANTIATED', out)
        self.assertRow('AppD ID', 'appd-1', out)
        self.assertNotIn('Links', out)

    def test_create_from_package_id(self):
        self.api.add('GET', '/app_pkgm/v1/app_packages/' + PKG_ID, 200,
                     {'id': PKG_ID, 'appDId': 'appd-from-pkg',
                      'onboardingState': 'ONBOARDED'})
        self.api.add('POST', LCM + '/app_instances', 201,
                     instance(appDId='appd-from-pkg'))
        self.run_command(app_instance.CreateAppInstance, [PKG_ID])
        self.assertEqual([{'appDId': 'appd-from-pkg'}],
                         self.api.sent('POST', LCM + '/app_instances'))

    def test_create_from_uuid_appd_id(self):
        appd_id = '11111111-2222-4333-8444-555555555555'
        self.api.add('POST', LCM + '/app_instances', 201,
                     instance(appDId=appd_id))
        self.run_command(app_instance.CreateAppInstance, [appd_id])
        self.assertEqual([{'appDId': appd_id}],
                         self.api.sent('POST', LCM + '/app_instances'))

    def test_create_from_package_not_onboarded(self):
        self.api.add('GET', '/app_pkgm/v1/app_packages/' + PKG_ID, 200,
                     {'id': PKG_ID, 'onboardingState': 'PROCESSING'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.CreateAppInstance, [PKG_ID])
        self.assertIn('has no AppD yet (it is PROCESSING)', str(exc))
        self.assertEqual([], self.api.sent('POST', LCM + '/app_instances'))

    def test_create_error_shows_problem_detail(self):
        self.api.add('POST', LCM + '/app_instances', 409,
                     {'title': 'Conflict', 'status': 409,
                      'detail': 'App package is DISABLED'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.CreateAppInstance, ['appd-1'])
        self.assertEqual('App package is DISABLED (HTTP 409)', str(exc))

    def test_json_keeps_api_names(self):
        self.api.add('POST', LCM + '/app_instances', 201, instance())
        data = self.run_json(app_instance.CreateAppInstance, ['appd-1'])
        self.assertEqual('NOT_INSTANTIATED', data['instantiationState'])
        self.assertEqual(INSTANCE_ID, data['id'])
        self.assertNotIn('_links', data)


class TestListShow(CommandTestCase):

    def test_list_columns(self):
        self.api.add('GET', LCM + '/app_instances', 200, [
            instance(instantiationState='INSTANTIATED',
                     instantiatedAppState={'operationalState': 'STARTED'},
                     mecHostInformation={'hostId': {'id': HOST_ID},
                                         'hostName': 'edge-1'}),
            instance(id='other', appInstanceName='db')])
        out = self.run_command(app_instance.ListAppInstance, [])
        header = out.splitlines()[1]
        self.assertEqual(['ID', 'App Instance Name', 'App Name', 'AppD ID',
                          'Instantiation State', 'Operational State',
                          'MEC Host'],
                         [c.strip() for c in header.strip('|').split('|')])
        self.assertRegex(out, r'\| %s \| web +\| webapp +\| appd-1 +\| '
                              r'INSTANTIATED +\| STARTED +\| edge-1 +\|'
                         % INSTANCE_ID)
        self.assertRegex(out, r'\| other +\| db +\|.*NOT_INSTANTIATED +\| '
                              r'None +\| None +\|')

    def test_list_json_keeps_api_names(self):
        self.api.add('GET', LCM + '/app_instances', 200, [instance()])
        rows = self.run_json(app_instance.ListAppInstance, [])
        self.assertEqual({'id', 'appInstanceName', 'appName', 'appDId',
                          'instantiationState', 'operationalState',
                          'hostName'}, set(rows[0]))

    def test_list_filters(self):
        path = (LCM + "/app_instances?filter=(eq,appInstanceName,'a,b');"
                "(eq,appDId,appd-1);"
                "(eq,instantiatedAppState/operationalState,STOPPED)")
        self.api.add('GET', path, 200, [])
        self.run_command(app_instance.ListAppInstance,
                         ['--name', 'a,b', '--app-d-id', 'appd-1',
                          '--state', 'stopped'])
        self.assertEqual(1, len(self.api.sent('GET', path)))

    def test_list_instantiation_state(self):
        path = LCM + '/app_instances?filter=(eq,instantiationState,' \
                     'NOT_INSTANTIATED)'
        self.api.add('GET', path, 200, [])
        self.run_command(app_instance.ListAppInstance,
                         ['--state', 'NOT_INSTANTIATED'])
        self.assertEqual(1, len(self.api.sent('GET', path)))

    def test_list_follows_next_links(self):
        self.api.add('GET', LCM + '/app_instances', 200, [instance()],
                     {'Link': '<%s%s/app_instances?nextpage_opaque_marker='
                              'abc>; rel="next"' % (ENDPOINT, LCM)})
        self.api.add('GET', LCM + '/app_instances?nextpage_opaque_marker=abc',
                     200, [instance(id='second')])
        rows = self.run_json(app_instance.ListAppInstance, [])
        self.assertEqual([INSTANCE_ID, 'second'], [r['id'] for r in rows])

    def test_show_by_name(self):
        self.api.add('GET', LCM + '/app_instances?filter=(eq,appInstanceName,'
                     'web)', 200, [instance()])
        self.api.add('GET', LCM + '/app_instances/' + INSTANCE_ID, 200,
                     instance(instantiationState='INSTANTIATED',
                              mecHostInformation={'hostId': {'id': 'h'},
                                                  'hostName': 'edge-1'}))
        data = self.run_json(app_instance.ShowAppInstance, ['web'])
        self.assertEqual('edge-1', data['mecHostInformation']['hostName'])
        self.assertEqual('INSTANTIATED', data['instantiationState'])

    def test_show_unknown_name(self):
        self.api.add('GET', LCM + '/app_instances?filter=(eq,appInstanceName,'
                     'nope)', 200, [])
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.ShowAppInstance, ['nope'])
        self.assertEqual('No app instance with ID or name nope.', str(exc))

    def test_show_ambiguous_name(self):
        self.api.add('GET', LCM + '/app_instances?filter=(eq,appInstanceName,'
                     'web)', 200, [instance(), instance(id='x')])
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.ShowAppInstance, ['web'])
        self.assertEqual('2 app instances are named web; use an ID.',
                         str(exc))

    def test_show_not_found(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.ShowAppInstance, [INSTANCE_ID])
        self.assertIn('(HTTP 404)', str(exc))

    def test_delete_reports_each_failure(self):
        self.api.add('DELETE', LCM + '/app_instances/' + INSTANCE_ID, 204)
        self.api.add('DELETE', LCM + '/app_instances/' + HOST_ID, 409,
                     {'status': 409, 'detail': 'App instance is '
                                               'INSTANTIATED'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.DeleteAppInstance,
                                [INSTANCE_ID, HOST_ID])
        self.assertEqual('%s: App instance is INSTANTIATED (HTTP 409)'
                         % HOST_ID, str(exc))
        self.assertEqual(2, len([c for c in self.api.calls
                                 if c[0] == 'DELETE']))


class TestOperations(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.op_path = LCM + '/app_lcm_op_occs/' + OP_ID

    def _accept(self, task):
        path = '%s/app_instances/%s/%s' % (LCM, INSTANCE_ID, task)
        self.api.add('POST', path, 202, None, ACCEPTED)
        return path

    def test_instantiate_request_and_result(self):
        path = self._accept('instantiate')
        self.api.add('GET', self.op_path, 200, op('STARTING'))
        out = self.run_command(
            app_instance.InstantiateAppInstance,
            [INSTANCE_ID, '--host', 'edge-1', '--host', HOST_ID,
             '--country', 'fr', '--param', 'flavor=m1.small',
             '--param', 'note=a=b'])
        self.assertEqual([{
            'selectedMECHostInfo': [
                {'hostId': {'name': 'edge-1'}, 'hostName': 'edge-1'},
                {'hostId': {'id': HOST_ID}}],
            'locationConstraints': {'countryCode': 'FR'},
            'additionalParams': {'flavor': 'm1.small', 'note': 'a=b'},
        }], self.api.sent('POST', path))
        self.assertRow('ID', OP_ID, out)
        self.assertRow('Operation', 'INSTANTIATE', out)
        self.assertRow('Operation State', 'STARTING', out)
        self.assertRow('App Instance ID', INSTANCE_ID, out)
        self.assertEqual('', self.progress.getvalue())

    def test_instantiate_bad_param(self):
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.InstantiateAppInstance,
                                [INSTANCE_ID, '--param', 'novalue'])
        self.assertIn('--param takes KEY=VALUE', str(exc))
        self.assertEqual([], self.api.calls)

    def test_instantiate_wait_completed(self):
        self._accept('instantiate')
        for state in ('STARTING', 'PROCESSING', 'PROCESSING', 'COMPLETED'):
            self.api.add('GET', self.op_path, 200, op(state))
        data = self.run_json(app_instance.InstantiateAppInstance,
                             [INSTANCE_ID, '--wait'])
        self.assertEqual('COMPLETED', data['operationState'])
        self.assertEqual(
            ['Operation %s: %s' % (OP_ID, s)
             for s in ('STARTING', 'PROCESSING', 'COMPLETED')],
            [line.split(' (')[0]
             for line in self.progress.getvalue().splitlines()])

    def test_wait_spinner_on_a_tty(self):
        self.progress.tty = True
        self._accept('instantiate')
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        self.api.add('GET', self.op_path, 200, op('COMPLETED'))
        self.run_command(app_instance.InstantiateAppInstance,
                         [INSTANCE_ID, '--wait'])
        self.assertIn('\r| Operation %s: PROCESSING' % OP_ID,
                      self.progress.getvalue())

    def test_instantiate_wait_failed_temp(self):
        self._accept('instantiate')
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        self.api.add('GET', self.op_path, 200, op(
            'FAILED_TEMP', error={'status': 500, 'title': 'VIM error',
                                  'detail': 'No valid MEC host: capacity'}))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.InstantiateAppInstance,
                                [INSTANCE_ID, '--wait'])
        self.assertIn('Operation %s failed: FAILED_TEMP: No valid MEC host: '
                      'capacity' % OP_ID, str(exc))
        self.assertIn('openstack mec app op retry|rollback|fail %s'
                      % OP_ID, str(exc))

    def test_wait_rolled_back_without_error(self):
        self._accept('terminate')
        self.api.add('GET', self.op_path, 200, op('ROLLED_BACK'))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.TerminateAppInstance,
                                [INSTANCE_ID, '--wait'])
        self.assertEqual('Operation %s failed: ROLLED_BACK' % OP_ID,
                         str(exc))

    def test_wait_timeout(self):
        self._accept('instantiate')
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.InstantiateAppInstance,
                                [INSTANCE_ID, '--wait', '--wait-timeout',
                                 '0'])
        self.assertIn('still PROCESSING after 0s', str(exc))

    def test_accepted_without_location(self):
        self.api.add('POST', '%s/app_instances/%s/instantiate'
                     % (LCM, INSTANCE_ID), 202)
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.InstantiateAppInstance,
                                [INSTANCE_ID])
        self.assertIn('gave no Location', str(exc))

    def test_instantiate_refused(self):
        self.api.add('POST', '%s/app_instances/%s/instantiate'
                     % (LCM, INSTANCE_ID), 409,
                     {'status': 409, 'detail': 'App instance is already '
                                               'INSTANTIATED'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.InstantiateAppInstance,
                                [INSTANCE_ID, '--wait'])
        self.assertEqual('App instance is already INSTANTIATED (HTTP 409)',
                         str(exc))

    def test_terminate_forceful_by_default(self):
        path = self._accept('terminate')
        self.api.add('GET', self.op_path, 200,
                     op('STARTING', lcmOperation='TERMINATE'))
        self.run_command(app_instance.TerminateAppInstance, [INSTANCE_ID])
        self.assertEqual([{'terminationType': 'FORCEFUL'}],
                         self.api.sent('POST', path))

    def test_terminate_graceful(self):
        path = self._accept('terminate')
        self.api.add('GET', self.op_path, 200, op('STARTING'))
        self.run_command(app_instance.TerminateAppInstance,
                         [INSTANCE_ID, '--graceful', '--timeout', '30'])
        self.assertEqual([{'terminationType': 'GRACEFUL',
                           'gracefulTerminationTimeout': 30}],
                         self.api.sent('POST', path))

    def test_timeout_needs_graceful(self):
        for cls in (app_instance.TerminateAppInstance,
                    app_instance.StopAppInstance):
            exc = self.assertRaises(exceptions.CommandError,
                                    self.run_command, cls,
                                    [INSTANCE_ID, '--timeout', '30'])
            self.assertEqual('--timeout needs --graceful.', str(exc))

    def test_start_and_stop(self):
        path = self._accept('operate')
        self.api.add('GET', self.op_path, 200,
                     op('COMPLETED', lcmOperation='OPERATE'))
        self.run_command(app_instance.StartAppInstance,
                         [INSTANCE_ID, '--wait'])
        self.run_command(app_instance.StopAppInstance, [INSTANCE_ID])
        self.run_command(app_instance.StopAppInstance,
                         [INSTANCE_ID, '--graceful', '--timeout', '10'])
        self.assertEqual([{'changeStateTo': 'STARTED'},
                          {'changeStateTo': 'STOPPED',
                           'stopType': 'FORCEFUL'},
                          {'changeStateTo': 'STOPPED',
                           'stopType': 'GRACEFUL',
                           'gracefulStopTimeout': 10}],
                         self.api.sent('POST', path))

    def test_operate_by_name(self):
        self.api.add('GET', LCM + '/app_instances?filter=(eq,appInstanceName,'
                     'web)', 200, [instance()])
        self._accept('operate')
        self.api.add('GET', self.op_path, 200, op('STARTING'))
        self.run_command(app_instance.StartAppInstance, ['web'])
        self.assertEqual(
            ['GET', 'POST', 'GET'], [c[0] for c in self.api.calls])


class TestOpOccs(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.op_path = LCM + '/app_lcm_op_occs/' + OP_ID

    def test_list_filters_and_columns(self):
        path = (LCM + '/app_lcm_op_occs?filter=(eq,appInstanceId,%s);'
                '(eq,operationState,FAILED_TEMP);(eq,lcmOperation,'
                'INSTANTIATE)' % INSTANCE_ID)
        self.api.add('GET', path, 200, [op('FAILED_TEMP')])
        out = self.run_command(app_instance.ListAppLcmOp,
                               ['--instance', INSTANCE_ID, '--state',
                                'failed_temp', '--operation', 'INSTANTIATE'])
        header = out.splitlines()[1]
        self.assertEqual(['ID', 'App Instance ID', 'Operation',
                          'Operation State', 'Start Time',
                          'State Entered Time'],
                         [c.strip() for c in header.strip('|').split('|')])
        self.assertIn('| FAILED_TEMP ', out)

    def test_list_all(self):
        self.api.add('GET', LCM + '/app_lcm_op_occs', 200, [op('COMPLETED')])
        rows = self.run_json(app_instance.ListAppLcmOp, [])
        self.assertEqual('COMPLETED', rows[0]['operationState'])

    def test_show_error(self):
        self.api.add('GET', self.op_path, 200, op(
            'FAILED', error={'status': 500, 'detail': 'boom'}))
        data = self.run_json(app_instance.ShowAppLcmOp, [OP_ID])
        self.assertEqual('boom', data['error']['detail'])
        self.assertEqual('INSTANTIATE', data['lcmOperation'])

    def test_retry_waits_for_a_new_state(self):
        # The first poll still sees the old FAILED_TEMP: not an answer.
        self.api.add('GET', self.op_path, 200, op('FAILED_TEMP'))
        self.api.add('GET', self.op_path, 200, op('FAILED_TEMP'))
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        self.api.add('GET', self.op_path, 200, op('COMPLETED'))
        self.api.add('POST', self.op_path + '/retry', 202)
        data = self.run_json(app_instance.RetryAppLcmOp, [OP_ID, '--wait'])
        self.assertEqual('COMPLETED', data['operationState'])
        self.assertEqual([None], self.api.sent('POST',
                                               self.op_path + '/retry'))

    def test_retry_fails_again(self):
        self.api.add('GET', self.op_path, 200, op('FAILED_TEMP'))
        self.api.add('GET', self.op_path, 200, op(
            'FAILED_TEMP', stateEnteredTime='2024-05-01T11:00:00Z',
            error={'detail': 'still broken'}))
        self.api.add('POST', self.op_path + '/retry', 202)
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.RetryAppLcmOp,
                                [OP_ID, '--wait'])
        self.assertIn('FAILED_TEMP: still broken', str(exc))

    def test_retry_without_wait(self):
        self.api.add('POST', self.op_path + '/retry', 202)
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        out = self.run_command(app_instance.RetryAppLcmOp, [OP_ID])
        self.assertRow('Operation State', 'PROCESSING', out)

    def test_retry_refused(self):
        self.api.add('POST', self.op_path + '/retry', 409,
                     {'status': 409, 'detail': 'Operation is COMPLETED'})
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.RetryAppLcmOp, [OP_ID])
        self.assertEqual('Operation is COMPLETED (HTTP 409)', str(exc))

    def test_rollback_wait(self):
        self.api.add('GET', self.op_path, 200, op('FAILED_TEMP'))
        self.api.add('GET', self.op_path, 200, op('ROLLING_BACK'))
        self.api.add('GET', self.op_path, 200, op('ROLLED_BACK'))
        self.api.add('POST', self.op_path + '/rollback', 202)
        data = self.run_json(app_instance.RollbackAppLcmOp,
                             [OP_ID, '--wait'])
        self.assertEqual('ROLLED_BACK', data['operationState'])

    def test_cancel_mode_and_wait(self):
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        self.api.add('GET', self.op_path, 200, op('FAILED_TEMP'))
        self.api.add('POST', self.op_path + '/cancel', 202)
        data = self.run_json(app_instance.CancelAppLcmOp,
                             [OP_ID, '--mode', 'forceful', '--wait'])
        self.assertEqual('FAILED_TEMP', data['operationState'])
        self.assertEqual([{'cancelMode': 'FORCEFUL'}],
                         self.api.sent('POST', self.op_path + '/cancel'))

    def test_cancel_too_late(self):
        self.api.add('GET', self.op_path, 200, op('PROCESSING'))
        self.api.add('GET', self.op_path, 200, op('COMPLETED'))
        self.api.add('POST', self.op_path + '/cancel', 202)
        exc = self.assertRaises(exceptions.CommandError, self.run_command,
                                app_instance.CancelAppLcmOp,
                                [OP_ID, '--wait'])
        self.assertEqual('Operation %s failed: it completed first' % OP_ID,
                         str(exc))

    def test_fail(self):
        self.api.add('POST', self.op_path + '/fail', 200, op('FAILED'))
        out = self.run_command(app_instance.FailAppLcmOp, [OP_ID])
        self.assertRow('Operation State', 'FAILED', out)
        self.assertEqual([None], self.api.sent('POST',
                                               self.op_path + '/fail'))


class TestShell(CommandTestCase):
    """Through the ``openstack`` program: what the user sees, the status."""

    def setUp(self):
        super().setUp()
        group = metadata.entry_points(group='openstack.mec.v1')
        if 'mec_app_instance_list' not in {ep.name for ep in group}:
            # e.g. a stale mec_orchestrator.egg-info ahead on sys.path.
            self.skipTest('the installed entry points predate these '
                          'commands; reinstall the project')

    def openstack(self, *argv):
        from openstackclient import shell
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        argv = ['--os-auth-type', 'none', '--os-endpoint', ENDPOINT] + list(
            argv)
        # The program reads sys.argv too (the test runner's otherwise).
        self.useFixture(fixtures.MonkeyPatch('sys.argv',
                                             ['openstack'] + argv))
        rc = shell.main(argv)
        return rc, out.getvalue(), self.progress.getvalue()

    def test_failed_operation_exits_non_zero(self):
        self.api.add('POST', '%s/app_instances/%s/instantiate'
                     % (LCM, INSTANCE_ID), 202, None, ACCEPTED)
        self.api.add('GET', LCM + '/app_lcm_op_occs/' + OP_ID, 200, op(
            'FAILED_TEMP', error={'detail': 'image not found'}))
        rc, out, err = self.openstack('mec', 'app', 'instance',
                                      'instantiate', INSTANCE_ID, '--wait')
        self.assertEqual(1, rc)
        self.assertEqual('', out)
        self.assertIn('Operation %s: FAILED_TEMP' % OP_ID, err)
        self.assertIn('failed: FAILED_TEMP: image not found', err)

    def test_list(self):
        self.api.add('GET', LCM + '/app_instances', 200, [instance()])
        rc, out, err = self.openstack('mec', 'app', 'instance', 'list',
                                      '-f', 'value', '-c', 'ID')
        self.assertEqual(0, rc)
        self.assertEqual(INSTANCE_ID + '\n', out)
