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
"""/app_pkgm/v1 against the ETSI MEC 010-2 v2.1.1 OpenAPI file, field for
field.

Every response body, every ProblemDetails and every notification that the
real pipeline (and its in-process conductor) produces is validated against
``tests/data/specs/mec010-2/MEC010-2_AppPkgMgmt.yaml``. Where the project
deviates from that file on purpose, or where the file contradicts itself
or the specification's text, the deviation is spelt out below, next to
the one place that allows it; nothing else is relaxed.
"""

import copy
import hashlib
import os
import time
from unittest import mock

import fixtures

from mec_orchestrator.tests import spec
from mec_orchestrator.tests.unit.api import test_app_packages as pkgs

SPEC = spec.load('mec010-2/MEC010-2_AppPkgMgmt.yaml')
BASE = pkgs.BASE
CALLBACK = 'https://subscriber.example/notify'
PUBLIC = 'https://meo.example:9510'

#: The AppPkgInfo attributes that come from the package's content (its
#: AppD, images and digest). v2.1.1 marks them required, which a package
#: cannot satisfy before its content is onboarded. Our documented decision,
#: as in the later versions of the specification (and NFV SOL005's
#: VnfPkgInfo): they are present once the package is ONBOARDED and absent
#: before. An onboarded package is validated against the full schema.
FROM_CONTENT = ('appDId', 'appName', 'appSoftwareVersion', 'appDVersion',
                'checksum', 'softwareImages')

#: "Ref NFV" placeholders of v2.1.1: the AppD attributes whose types the
#: text takes from ETSI GS NFV-IFA 011 (VirtualComputeDesc, SwImageDesc,
#: VirtualStorageDesc, VirtualNetworkInterfaceRequirements, the LCM
#: operation configurations) are declared ``type: string`` in the file,
#: though they are structures in the text (clause 6.2.1.2). We serve
#: the structures; the test accepts any JSON value for these placeholders
#: and nothing else.
NFV_PLACEHOLDERS = ('VirtualComputeDescription', 'SwImageDescriptor',
                    'VirtualStorageDescriptor',
                    'VirtualNetworkInterfaceRequirements',
                    'ChangeAppInstanceStateOpConfig',
                    'TerminateAppInstanceOpConfig')


def package_schema(onboarding_state):
    """The AppPkgInfo schema a package in a state must match."""
    schema = spec.component(SPEC, 'AppPkgInfo')
    if onboarding_state != 'ONBOARDED':
        schema['required'] = [r for r in schema['required']
                              if r not in FROM_CONTENT]
    if onboarding_state == 'ERROR':
        # v2.1.1's OnboardingState has no ERROR, though its text and the
        # later versions have a package whose onboarding failed end in
        # ERROR (with onboardingFailureDetails, also from the later
        # versions). Only a package in ERROR is allowed the value.
        state = schema['properties']['onboardingState']
        state['enum'] = state['enum'] + ['ERROR']
    return schema


def appd_spec():
    """The file, the AppD as the text defines it.

    The "Ref NFV" placeholders accept any value, and AppExternalCpd carries
    the Cpd attributes itself.
    """
    patched = copy.deepcopy(SPEC)
    schemas = patched['components']['schemas']
    for name in NFV_PLACEHOLDERS:
        schemas[name] = {}
    # AppExternalCpd: the text's "inherited attributes" row means the
    # attributes of NFV-IFA 011's Cpd (cpdId, layerProtocol...) appear in
    # the AppExternalCpd itself; the file turned that table row into a
    # required property named inherited_attributes, which nobody sends.
    cpd = schemas['AppExternalCpd']
    cpd['required'] = [r for r in cpd.get('required', ())
                       if r != 'inherited_attributes']
    if not cpd['required']:
        del cpd['required']
    return patched


def problem_spec():
    """The file, with ProblemDetails.instance a URI reference.

    The file declares ``instance`` ``format: uri`` (an absolute URI), but
    its own description, the text of ETSI GS MEC 009 and IETF RFC 7807
    all define it as "a URI reference that identifies the specific
    occurrence of the problem": we send the request's path (relative
    reference). Only that attribute is relaxed; ``type`` must still be an
    absolute URI.
    """
    patched = copy.deepcopy(SPEC)
    instance = patched['components']['schemas']['ProblemDetails'][
        'properties']['instance']
    if instance['format'] != 'uri':
        raise AssertionError('ProblemDetails.instance: %s' % instance)
    instance['format'] = 'uri-reference'
    return patched


PROBLEM_SPEC = problem_spec()


class SpecTestCase(pkgs.AppPackageTestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        self.config(key_repository=os.path.join(tmp, 'keys'),
                    group='crypto')
        self.config(verify_callback_on_subscribe=False, group='outbound')
        self.sent = []
        notify = mock.patch(
            'mec_orchestrator.conductor.notifier.Notifier.notify',
            side_effect=lambda sub, note, on_result=None:
            self.sent.append((sub.id, note)))
        notify.start()
        self.addCleanup(notify.stop)

    # -- helpers ---------------------------------------------------------

    def assertPackage(self, info):
        spec.validate(package_schema(info.get('onboardingState')), info,
                      'AppPkgInfo (%s)' % info.get('onboardingState'))

    def assertPackageResponse(self, path, method, status, resp):
        """A response that is one AppPkgInfo."""
        self.assertEqual(status, resp.status_int)
        self.assertEqual('application/json', resp.content_type)
        if resp.json.get('onboardingState') == 'ONBOARDED':
            spec.validate_response(SPEC, path, method, status, resp.json)
        self.assertPackage(resp.json)

    def assertSpecProblem(self, resp, status, path, method,
                          detail_contains=None):
        """A ProblemDetails, as the file declares it.

        v2.1.1 declares ProblemDetails for its error statuses, but not every
        status for every operation (no 409 on POST /app_packages, no 413 or
        415 anywhere): an error the file does not list for the operation is
        validated against the ProblemDetails component itself.
        """
        body = self.assertProblem(resp, status, detail_contains)
        spec.validate_schema(PROBLEM_SPEC, 'ProblemDetails', body)
        try:
            spec.response_schema(PROBLEM_SPEC, path, method, status)
        except AssertionError:
            return body
        spec.validate_response(PROBLEM_SPEC, path, method, status, body)
        return body

    def subscribe(self, **extra):
        body = {'callbackUri': CALLBACK,
                'subsctiptionType': 'AppPackageOnBoarding'}
        body.update(extra)
        return self.app.post_json(BASE + '/subscriptions', body)

    def wait_sent(self, count):
        deadline = time.monotonic() + 30
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        self.assertEqual(count, len(self.sent), self.sent)


class TestPackages(SpecTestCase):

    def test_create_201(self):
        # v2.1.1 declares the 201 of POST /app_packages as an *array* of
        # AppPkgInfo. Known, intentional deviation: we return the one
        # AppPkgInfo created, as the later versions of the specification
        # (and every client) do; it is validated against AppPkgInfo.
        declared = spec.response_schema(SPEC, '/app_packages', 'post', 201)
        self.assertEqual('array', declared['type'])
        self.assertEqual(spec.component(SPEC, 'AppPkgInfo'),
                         declared['items'])
        resp = self.app.post_json(BASE + '/app_packages', {
            'appPkgName': 'demo', 'appPkgVersion': '1.0',
            'appProvider': 'ACME', 'userDefinedData': {'k': 'v'},
            'checksum': {'algorithm': 'SHA-256', 'hash': 'ab' * 32}})
        self.assertEqual(201, resp.status_int)
        self.assertPackage(resp.json)
        minimal = self.create()
        self.assertPackage(minimal)
        for name in FROM_CONTENT:
            self.assertNotIn(name, minimal)

    def test_list_show_onboarded_and_not(self):
        content = pkgs.plain_appd_package()
        onboarded = self.onboard(content, checksum={
            'algorithm': 'SHA-256',
            'hash': hashlib.sha256(content).hexdigest()})
        self.assertEqual('ONBOARDED', onboarded['onboardingState'])
        created = self.create()
        failed = self.onboard(b'not a zip')
        self.assertEqual('ERROR', failed['onboardingState'])

        url = BASE + '/app_packages/%s'
        for pkg in (onboarded, created, failed):
            self.assertPackageResponse(
                '/app_packages/{appPkgId}', 'get', 200,
                self.app.get(url % pkg['id']))

        resp = self.app.get(BASE + '/app_packages')
        self.assertEqual(3, len(resp.json))
        # The list as declared (array of AppPkgInfo), each item against
        # the schema of its state.
        listing = spec.response_schema(SPEC, '/app_packages', 'get', 200)
        listing['items'] = package_schema('ERROR')
        spec.validate(listing, resp.json, 'GET /app_packages 200')
        for item in resp.json:
            self.assertPackage(item)
        only = self.app.get(
            BASE + '/app_packages?filter=(eq,onboardingState,ONBOARDED)')
        spec.validate_response(SPEC, '/app_packages', 'get', 200,
                               only.json)

    def test_onboarded_without_a_checksum_given(self):
        # checksum is required of an onboarded package (v2.1.1 and later):
        # without one from the client, it is the content's SHA-256.
        content = pkgs.plain_appd_package()
        pkg = self.onboard(content)
        self.assertEqual('ONBOARDED', pkg['onboardingState'])
        self.assertPackageResponse(
            '/app_packages/{appPkgId}', 'get', 200,
            self.app.get('%s/app_packages/%s' % (BASE, pkg['id'])))
        self.assertEqual({'algorithm': 'SHA-256',
                          'hash': hashlib.sha256(content).hexdigest()},
                         pkg['checksum'])

    def test_patch_200(self):
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        for state in ('DISABLED', 'ENABLED'):
            resp = self.app.patch_json(url, {'operationState': state})
            self.assertEqual(200, resp.status_int)
            spec.validate_response(SPEC, '/app_packages/{appPkgId}',
                                   'patch', 200, resp.json)
            spec.validate_schema(SPEC, 'AppPkgInfoModifications',
                                 resp.json)
        self.assertPackageResponse('/app_packages/{appPkgId}', 'get', 200,
                                   self.app.get(url))

    def test_upload_202(self):
        pkg = self.create()
        resp = self.upload(pkg['id'], pkgs.plain_appd_package())
        self.assertEqual(202, resp.status_int)
        spec.validate_response(SPEC,
                               '/app_packages/{appPkgId}/package_content',
                               'put', 202, resp.body or None)
        self.assertPackage(self.wait_state(pkg['id']))

    def test_delete_204(self):
        pkg = self.create()
        resp = self.app.delete('%s/app_packages/%s' % (BASE, pkg['id']))
        self.assertEqual(204, resp.status_int)
        spec.validate_response(SPEC, '/app_packages/{appPkgId}', 'delete',
                               204, resp.body or None)

    def test_appd_200(self):
        pkg = self.onboard(pkgs.plain_appd_package())
        patched = appd_spec()
        resp = self.app.get('%s/app_packages/%s/appd' % (BASE, pkg['id']))
        spec.validate_response(patched, '/app_packages/{appPkgId}/appd',
                               'get', 200, resp.json)
        spec.validate_schema(patched, 'AppD', resp.json)
        resp = self.app.get('%s/onboarded_app_packages/%s/appd'
                            % (BASE, pkg['appDId']))
        spec.validate_response(patched,
                               '/onboarded_app_packages/{appDId}/appd',
                               'get', 200, resp.json)

    def test_edgegallery_appd_200(self):
        # A real third-party package, with traffic and DNS rules.
        self.config(allow_manifest_mismatch=True, group='packaging')
        pkg = self.onboard(pkgs.sample(
            'edgegallery_apprules_container_app.csar'))
        self.assertEqual('ONBOARDED', pkg['onboardingState'],
                         pkg.get('onboardingFailureDetails'))
        self.assertPackage(pkg)
        resp = self.app.get('%s/app_packages/%s/appd' % (BASE, pkg['id']))
        spec.validate_response(appd_spec(), '/app_packages/{appPkgId}/appd',
                               'get', 200, resp.json)


class TestProblems(SpecTestCase):

    def test_400(self):
        path = '/app_packages'
        resp = self.app.post_json(BASE + path, {'appPkgName': 'demo'},
                                  expect_errors=True)
        self.assertSpecProblem(resp, 400, path, 'post', 'appPkgVersion')
        resp = self.app.post(BASE + path, b'{"appPkgName": ',
                             headers={'Content-Type': 'application/json'},
                             expect_errors=True)
        self.assertSpecProblem(resp, 400, path, 'post', 'Malformed')
        resp = self.app.get(BASE + path, params={'filter': '(eq,nope,1)'},
                            expect_errors=True)
        self.assertSpecProblem(resp, 400, path, 'get')
        pkg = self.onboard(pkgs.plain_appd_package())
        resp = self.app.patch_json('%s/app_packages/%s' % (BASE, pkg['id']),
                                   {'operationState': 'ON'},
                                   expect_errors=True)
        self.assertSpecProblem(resp, 400, '/app_packages/{appPkgId}',
                               'patch')
        resp = self.app.post_json(BASE + '/subscriptions',
                                  {'callbackUri': CALLBACK},
                                  expect_errors=True)
        self.assertSpecProblem(resp, 400, '/subscriptions', 'post')

    def test_403(self):
        self.set_identity(['reader'])
        resp = self.app.post_json(BASE + '/app_packages',
                                  {'appPkgName': 'a', 'appPkgVersion': '1'},
                                  expect_errors=True)
        self.assertSpecProblem(resp, 403, '/app_packages', 'post')
        resp = self.app.post_json(BASE + '/subscriptions', {
            'callbackUri': CALLBACK,
            'subsctiptionType': 'AppPackageDeletion'}, expect_errors=True)
        self.assertSpecProblem(resp, 403, '/subscriptions', 'post')

    def test_404(self):
        for path, template, method in (
                ('/app_packages/nope', '/app_packages/{appPkgId}', 'get'),
                ('/app_packages/nope', '/app_packages/{appPkgId}',
                 'delete'),
                ('/app_packages/nope/appd', '/app_packages/{appPkgId}/appd',
                 'get'),
                ('/onboarded_app_packages/nope/appd',
                 '/onboarded_app_packages/{appDId}/appd', 'get'),
                ('/subscriptions/nope', '/subscriptions/{subscriptionId}',
                 'get'),
                ('/subscriptions/nope', '/subscriptions/{subscriptionId}',
                 'delete')):
            resp = getattr(self.app, method)(BASE + path,
                                             expect_errors=True)
            self.assertSpecProblem(resp, 404, template, method)
        resp = self.app.patch_json(BASE + '/app_packages/nope',
                                   {'operationState': 'ENABLED'},
                                   expect_errors=True)
        self.assertSpecProblem(resp, 404, '/app_packages/{appPkgId}',
                               'patch')

    def test_409(self):
        created = self.create()
        url = '%s/app_packages/%s' % (BASE, created['id'])
        resp = self.app.patch_json(url, {'operationState': 'ENABLED'},
                                   expect_errors=True)
        self.assertSpecProblem(resp, 409, '/app_packages/{appPkgId}',
                               'patch')
        resp = self.app.get(url + '/appd', expect_errors=True)
        self.assertSpecProblem(resp, 409, '/app_packages/{appPkgId}/appd',
                               'get')
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        resp = self.upload(pkg['id'], pkgs.plain_appd_package(),
                           expect_errors=True)
        self.assertSpecProblem(resp, 409,
                               '/app_packages/{appPkgId}/package_content',
                               'put')
        resp = self.app.delete(url, expect_errors=True)
        self.assertSpecProblem(resp, 409, '/app_packages/{appPkgId}',
                               'delete')

    def test_413(self):
        self.config(max_package_size=4096, group='app_package')
        pkg = self.create()
        resp = self.upload(pkg['id'], b'x' * 10000, expect_errors=True)
        self.assertSpecProblem(resp, 413,
                               '/app_packages/{appPkgId}/package_content',
                               'put')

    def test_415(self):
        resp = self.app.post(BASE + '/app_packages', b'appPkgName=x',
                             headers={'Content-Type': 'text/plain'},
                             expect_errors=True)
        self.assertSpecProblem(resp, 415, '/app_packages', 'post')
        pkg = self.create()
        resp = self.upload(pkg['id'], b'{}', 'application/json',
                           expect_errors=True)
        self.assertSpecProblem(resp, 415,
                               '/app_packages/{appPkgId}/package_content',
                               'put')

    def test_onboarding_failure_details(self):
        # onboardingFailureDetails (a ProblemDetails) is from the later
        # versions; the v2.1.1 AppPkgInfo does not forbid extra attributes.
        pkg = self.onboard(b'not a zip')
        spec.validate_schema(PROBLEM_SPEC, 'ProblemDetails',
                             pkg['onboardingFailureDetails'])


class TestSubscriptionsAndNotifications(SpecTestCase):

    def test_subscriptions(self):
        resp = self.subscribe(appPkgFilter=['(eq,appProvider,ACME)'])
        self.assertEqual(201, resp.status_int)
        spec.validate_response(SPEC, '/subscriptions', 'post', 201,
                               resp.json)
        resp = self.subscribe(subscriptionType='AppPackageOperationChange')
        spec.validate_response(SPEC, '/subscriptions', 'post', 201,
                               resp.json)
        sub = resp.json
        resp = self.app.get(sub['_links']['self']['href'])
        spec.validate_response(SPEC, '/subscriptions/{subscriptionId}',
                               'get', 200, resp.json)
        resp = self.app.get(BASE + '/subscriptions')
        self.assertEqual(2, len(resp.json['_links']['subscriptions']))
        spec.validate_response(SPEC, '/subscriptions', 'get', 200,
                               resp.json)
        resp = self.app.delete(sub['_links']['self']['href'])
        spec.validate_response(SPEC, '/subscriptions/{subscriptionId}',
                               'delete', 204, resp.body or None)

    def test_empty_subscription_list(self):
        resp = self.app.get(BASE + '/subscriptions')
        spec.validate_response(SPEC, '/subscriptions', 'get', 200,
                               resp.json)

    def _notifications(self):
        self.subscribe()
        self.subscribe(subsctiptionType='AppPacakgeOperationChange')
        self.subscribe(subsctiptionType='AppPackageDeletion')
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        self.app.patch_json(url, {'operationState': 'DISABLED'})
        self.app.patch_json(url, {'operationState': 'ENABLED'})
        self.app.patch_json(url, {'operationState': 'DISABLED'})
        self.app.delete(url)
        self.wait_sent(5)
        self.assertEqual(
            ['AppPackageOnBoarded', 'AppPacakgeDisabled',
             'AppPacakgeEnabled', 'AppPacakgeDisabled', 'AppPackageDeleted'],
            [n['notificationType'] for _, n in self.sent])
        return [n for _, n in self.sent]

    def test_notifications(self):
        self.config(public_endpoint=PUBLIC, group='api')
        for note in self._notifications():
            spec.validate_schema(SPEC, 'AppPkgNotification', note)
            self.assertTrue(note['_links']['subscription']['href']
                            .startswith(PUBLIC + BASE + '/subscriptions/'))

    def test_notifications_without_public_endpoint(self):
        # The conductor links the notifications from the URL the client
        # used to reach the API.
        notes = self._notifications()
        for note in notes:
            spec.validate_schema(SPEC, 'AppPkgNotification', note)
            self.assertTrue(note['_links']['subscription']['href'].startswith(
                'http://localhost/app_pkgm/v1/subscriptions/'))
