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
from mec_orchestrator.common import exception
from mec_orchestrator.common import states
from mec_orchestrator.tests import base


class TestStateMachines(base.TestCase):

    def test_package_onboarding_happy_path(self):
        machine = states.PACKAGE_ONBOARDING
        state = states.CREATED
        for target in (states.UPLOADING, states.PROCESSING,
                       states.ONBOARDED):
            state = machine.transition(state, target)
        self.assertEqual(states.ONBOARDED, state)

    def test_onboarded_is_final(self):
        for target in states.PACKAGE_ONBOARDING.states:
            self.assertFalse(states.PACKAGE_ONBOARDING.is_allowed(
                states.ONBOARDED, target))

    def test_illegal_transition_raises_conflict(self):
        exc = self.assertRaises(exception.InvalidStateTransition,
                                states.PACKAGE_ONBOARDING.check,
                                states.CREATED, states.ONBOARDED)
        self.assertEqual(409, exc.code)
        self.assertIn('CREATED', str(exc))
        self.assertIn('ONBOARDED', str(exc))

    def test_unknown_states_are_refused(self):
        self.assertFalse(states.LCM_OPERATION.is_allowed('BOGUS',
                                                         states.COMPLETED))
        self.assertFalse(states.LCM_OPERATION.is_allowed(states.STARTING,
                                                         'BOGUS'))

    def test_lcm_error_handling(self):
        m = states.LCM_OPERATION
        self.assertTrue(m.is_allowed(states.PROCESSING, states.FAILED_TEMP))
        self.assertTrue(m.is_allowed(states.FAILED_TEMP, states.PROCESSING))
        self.assertTrue(m.is_allowed(states.FAILED_TEMP, states.ROLLING_BACK))
        self.assertTrue(m.is_allowed(states.ROLLING_BACK,
                                     states.ROLLED_BACK))
        self.assertTrue(m.is_allowed(states.FAILED_TEMP, states.FAILED))
        self.assertFalse(m.is_allowed(states.COMPLETED, states.PROCESSING))
        self.assertFalse(m.is_allowed(states.FAILED, states.PROCESSING))
        self.assertFalse(m.is_allowed(states.STARTING, states.COMPLETED))

    def test_final_and_active_sets_match_the_machine(self):
        m = states.LCM_OPERATION
        for final in states.OP_FINAL_STATES:
            self.assertFalse(any(m.is_allowed(final, t) for t in m.states))
        for active in states.OP_ACTIVE_STATES:
            self.assertTrue(any(m.is_allowed(active, t) for t in m.states))

    def test_enable_disable_and_usage(self):
        self.assertTrue(states.PACKAGE_OPERATIONAL.is_allowed(
            states.ENABLED, states.DISABLED))
        self.assertFalse(states.PACKAGE_OPERATIONAL.is_allowed(
            states.ENABLED, states.ENABLED))
        self.assertTrue(states.PACKAGE_USAGE.is_allowed(
            states.NOT_IN_USE, states.IN_USE))
        self.assertTrue(states.INSTANCE_INSTANTIATION.is_allowed(
            states.NOT_INSTANTIATED, states.INSTANTIATED))
        self.assertTrue(states.INSTANCE_OPERATIONAL.is_allowed(
            states.STARTED, states.STOPPED))
