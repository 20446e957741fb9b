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
import io

from osc_lib import exceptions

from mec_orchestrator.osc.v1 import common
from mec_orchestrator.tests import base


class _Args(object):
    def __init__(self, formatter):
        self.formatter = formatter


class TestTitles(base.TestCase):

    def test_titles(self):
        self.assertEqual('Onboarding State', common.title('onboardingState'))
        self.assertEqual('AppD ID', common.title('appDId'))
        self.assertEqual('Last Heartbeat', common.title('last_heartbeat'))
        self.assertEqual('ID', common.title('id'))

    def test_machine_formats_keep_api_names(self):
        item = {'onboardingState': 'ONBOARDED', 'id': 'x'}
        names, values = common.show(item, ('id', 'onboardingState'),
                                    _Args('json'))
        self.assertEqual(('id', 'onboardingState'), names)
        names, _ = common.show(item, ('id', 'onboardingState'),
                               _Args('table'))
        self.assertEqual(('ID', 'Onboarding State'), names)
        self.assertEqual(('x', 'ONBOARDED'), values)


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self._tty = tty

    def isatty(self):
        return self._tty


class TestWait(base.TestCase):

    def _states(self, *states):
        it = iter(states)
        return lambda: {'s': next(it)}

    def test_plain_lines_when_not_a_tty(self):
        stream = _Stream(False)
        item = common.wait_for(self._states('A', 'A', 'B', 'DONE'),
                               lambda i: i['s'], ('DONE',),
                               lambda i: None, 30, 'thing', stream)
        self.assertEqual('DONE', item['s'])
        lines = stream.getvalue().splitlines()
        self.assertEqual(['thing: A', 'thing: B', 'thing: DONE'],
                         [line.split(' (')[0] for line in lines])

    def test_spinner_on_a_tty(self):
        stream = _Stream(True)
        common.wait_for(self._states('A', 'DONE'), lambda i: i['s'],
                        ('DONE',), lambda i: None, 30, 'thing', stream)
        self.assertIn('\r', stream.getvalue())

    def test_failure_raises_with_detail(self):
        exc = self.assertRaises(
            exceptions.CommandError, common.wait_for,
            self._states('ERROR'), lambda i: i['s'], ('DONE',),
            lambda i: 'bad package' if i['s'] == 'ERROR' else None, 30,
            'thing', _Stream(False))
        self.assertIn('bad package', str(exc))

    def test_timeout(self):
        exc = self.assertRaises(
            exceptions.CommandError, common.wait_for,
            lambda: {'s': 'A'}, lambda i: i['s'], ('DONE',),
            lambda i: None, 0, 'thing', _Stream(False))
        self.assertIn('still A', str(exc))
