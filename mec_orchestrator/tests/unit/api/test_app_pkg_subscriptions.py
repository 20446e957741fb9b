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
"""/app_pkgm/v1/subscriptions, and the notifications the conductor sends."""

import os
from unittest import mock

import fixtures

from mec_orchestrator.conductor import rpcapi
from mec_orchestrator.tests.unit.api import test_app_packages as pkgs
from mec_orchestrator.tests.unit.conductor import test_outbox

BASE = '/app_pkgm/v1'
CALLBACK = 'https://subscriber.example/notify'


class TestSubscriptions(pkgs.AppPackageTestCase):

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

    def subscribe(self, **extra):
        body = {'callbackUri': CALLBACK,
                'subsctiptionType': 'AppPackageOnBoarding'}
        body.update(extra)
        return self.app.post_json(BASE + '/subscriptions', body)

    def test_create_show_list_delete(self):
        resp = self.subscribe(appPkgFilter=['(eq,appProvider,ACME)'])
        self.assertEqual(201, resp.status_int)
        sub = resp.json
        self.assertEqual('AppPackageOnBoarding', sub['subscriptionType'])
        self.assertEqual(CALLBACK, sub['callbackUri'])
        self.assertEqual(resp.headers['Location'],
                         sub['_links']['self']['href'])
        url = '%s/subscriptions/%s' % (BASE, sub['id'])
        self.assertEqual(sub, self.app.get(url).json)
        listed = self.app.get(BASE + '/subscriptions').json
        self.assertEqual([{'href': sub['_links']['self']['href'],
                           'subsctiptionType': 'AppPackageOnBoarding'}],
                         listed['_links']['subscriptions'])
        self.assertEqual(204, self.app.delete(url).status_int)
        self.assertProblem(self.app.get(url, expect_errors=True), 404)

    def test_both_spellings(self):
        sub = self.app.post_json(BASE + '/subscriptions', {
            'callbackUri': CALLBACK,
            'subscriptionType': 'AppPackageOperationChange'})
        self.assertEqual('AppPacakgeOperationChange',
                         sub.json['subscriptionType'])

    def test_credentials_are_encrypted_and_never_returned(self):
        sub = self.subscribe(authentication={
            'authType': ['BASIC'],
            'paramsBasic': {'userName': 'u', 'password': 'pw-secret-42'}})
        self.assertNotIn('pw-secret-42', sub.text)
        self.assertNotIn('pw-secret-42', self.app.get(
            sub.json['_links']['self']['href']).text)
        row = self.dbapi.get_subscription('app_pkgm', sub.json['id'])
        self.assertNotIn('pw-secret-42', row.authentication)
        self.assertNotIn('pw-secret-42', self.log.output)

    def test_bad_subscriptions(self):
        for body in ({'callbackUri': CALLBACK},
                     {'callbackUri': CALLBACK, 'subsctiptionType': 'Nope'},
                     {'callbackUri': 'http://169.254.169.254/x',
                      'subsctiptionType': 'AppPackageDeletion'},
                     {'callbackUri': 'file:///etc/passwd',
                      'subsctiptionType': 'AppPackageDeletion'},
                     {'callbackUri': CALLBACK,
                      'subsctiptionType': 'AppPackageDeletion',
                      'appPkgFilter': ['(eq,nothing,1)']},
                     {'callbackUri': CALLBACK,
                      'subsctiptionType': 'AppPackageDeletion',
                      'authentication': {'authType': ['BASIC']}}):
            resp = self.app.post_json(BASE + '/subscriptions', body,
                                      expect_errors=True)
            self.assertProblem(resp, 400)
        self.assertEqual([], self.app.get(BASE + '/subscriptions').json[
            '_links']['subscriptions'])

    def test_another_projects_subscription_is_404(self):
        sub = self.subscribe().json
        self.set_identity(['member', 'reader'], project_id='project-b')
        url = '%s/subscriptions/%s' % (BASE, sub['id'])
        self.assertProblem(self.app.get(url, expect_errors=True), 404)
        self.assertProblem(self.app.delete(url, expect_errors=True), 404)

    def test_notifications_follow_types_and_filters(self):
        onboarding = self.subscribe().json
        self.subscribe(appPkgFilter=['(eq,appProvider,nobody)'])
        change = self.subscribe(
            subsctiptionType='AppPacakgeOperationChange').json
        deletion = self.subscribe(subsctiptionType='AppPackageDeletion').json
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        self.app.patch_json(url, {'operationState': 'DISABLED'})
        self.app.delete(url)
        self._wait_sent(3)
        got = [(sub_id, n['notificationType']) for sub_id, n in self.sent]
        self.assertEqual([(onboarding['id'], 'AppPackageOnBoarded'),
                          (change['id'], 'AppPacakgeDisabled'),
                          (deletion['id'], 'AppPackageDeleted')], got)
        for _, note in self.sent:
            self.assertEqual(pkg['id'], note['appPkgId'])
            self.assertEqual(pkg['appDId'], note['appDId'])
            self.assertIn('seconds', note['timeStamp'])

    def test_a_lost_cast_loses_no_notification(self):
        change = self.subscribe(
            subsctiptionType='AppPacakgeOperationChange').json
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        with mock.patch.object(rpcapi.ConductorAPI, 'send_notifications',
                               side_effect=RuntimeError('broker down')):
            resp = self.app.patch_json(url, {'operationState': 'DISABLED'})
        self.assertEqual(200, resp.status_int)
        # Written with the change, waiting for any conductor.
        [row] = [r for r in test_outbox.outbox_rows()
                 if r.subscription_id == change['id']]
        self.assertIsNone(row.owner)
        self.assertEqual('AppPacakgeDisabled', row.body['notificationType'])
        self.assertEqual([], [s for s, _n in self.sent if s == change['id']])
        self.conductor.manager.outbox.take_over()
        self._wait_sent(1)
        self.assertEqual([(change['id'], 'AppPacakgeDisabled')],
                         [(s, n['notificationType']) for s, n in self.sent])

    def test_a_refused_change_notifies_nothing(self):
        self.subscribe(subsctiptionType='AppPacakgeOperationChange')
        pkg = self.onboard(pkgs.plain_appd_package())
        url = '%s/app_packages/%s' % (BASE, pkg['id'])
        self.assertProblem(self.app.delete(url, expect_errors=True), 409)
        self.assertProblem(self.app.patch_json(
            url, {'operationState': 'ENABLED'}, expect_errors=True), 409)
        self.assertEqual([], test_outbox.outbox_rows())
        self.assertEqual([], self.sent)

    def _wait_sent(self, count):
        import time
        deadline = time.monotonic() + 30
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)

