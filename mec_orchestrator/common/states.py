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
"""The ETSI state machines of the resources the orchestrator manages.

Every allowed transition is written down once, here; a change of state
anywhere else goes through :meth:`StateMachine.check` (or
:meth:`StateMachine.transition`), which raises
:class:`~mec_orchestrator.common.exception.InvalidStateTransition` (HTTP 409)
for any other.

State names are the ETSI ones (GS MEC 010-2), so that they can be stored and
returned without translation.
"""

from mec_orchestrator.common import exception

# -- App package (MEC 010-2 AppPkgInfo) --------------------------------------

CREATED = 'CREATED'
UPLOADING = 'UPLOADING'
PROCESSING = 'PROCESSING'
ONBOARDED = 'ONBOARDED'
ERROR = 'ERROR'

ENABLED = 'ENABLED'
DISABLED = 'DISABLED'

IN_USE = 'IN_USE'
NOT_IN_USE = 'NOT_IN_USE'

# -- App instance (MEC 010-2 AppInstanceInfo) -------------------------------

NOT_INSTANTIATED = 'NOT_INSTANTIATED'
INSTANTIATED = 'INSTANTIATED'

STARTED = 'STARTED'
STOPPED = 'STOPPED'

# -- LCM operation occurrence (MEC 010-2 AppLcmOpOcc, with the later
#    versions' error handling as in NFV SOL003) -------------------------------

STARTING = 'STARTING'
# PROCESSING is shared with the package's onboarding state.
COMPLETED = 'COMPLETED'
FAILED_TEMP = 'FAILED_TEMP'
FAILED = 'FAILED'
ROLLING_BACK = 'ROLLING_BACK'
ROLLED_BACK = 'ROLLED_BACK'

#: Op-occ states from which no further transition is possible.
OP_FINAL_STATES = frozenset([COMPLETED, FAILED, ROLLED_BACK])
#: Op-occ states in which a conductor is working on the operation.
OP_ACTIVE_STATES = frozenset([STARTING, PROCESSING, ROLLING_BACK])


class StateMachine(object):
    """A named set of states and the transitions allowed between them.

    The machines here are plain transition tables (no events or
    callbacks), so a frozen mapping is all they need.

    :param name: the machine's name, shown in errors.
    :param transitions: a mapping of each state to the states it may go to.
    """

    def __init__(self, name, transitions):
        self.name = name
        self._transitions = {source: frozenset(targets)
                             for source, targets in transitions.items()}
        unknown = set().union(*self._transitions.values()) - set(
            self._transitions)
        if unknown:
            raise ValueError('%s: states %s have no entry' % (name, unknown))

    @property
    def states(self):
        """All the states of the machine.

        :returns: a frozenset of state names.
        """
        return frozenset(self._transitions)

    def is_allowed(self, source, target):
        """Whether the machine allows going from source to target.

        :param source: the current state.
        :param target: the wanted state.
        :returns: True or False.
        """
        return target in self._transitions.get(source, ())

    def check(self, source, target):
        """Raise unless the transition from source to target is allowed.

        :param source: the current state.
        :param target: the wanted state.
        :raises: InvalidStateTransition
        """
        if not self.is_allowed(source, target):
            raise exception.InvalidStateTransition(
                machine=self.name, source=source, target=target)

    def transition(self, source, target):
        """Check a transition and return the new state.

        :param source: the current state.
        :param target: the wanted state.
        :returns: target.
        :raises: InvalidStateTransition
        """
        self.check(source, target)
        return target


#: App package onboarding: an upload or a fetch from appPkgPath, then the
#: asynchronous processing in a conductor. A package in ERROR may be uploaded
#: again.
PACKAGE_ONBOARDING = StateMachine('onboardingState', {
    CREATED: {UPLOADING, PROCESSING, ERROR},
    UPLOADING: {PROCESSING, ERROR},
    PROCESSING: {ONBOARDED, ERROR},
    ERROR: {UPLOADING, PROCESSING},
    ONBOARDED: set(),
})

#: App package operational state (PATCH .../app_packages/{id}).
PACKAGE_OPERATIONAL = StateMachine('operationalState', {
    ENABLED: {DISABLED},
    DISABLED: {ENABLED},
})

#: App package usage state, driven by the instances created from it.
PACKAGE_USAGE = StateMachine('usageState', {
    NOT_IN_USE: {IN_USE},
    IN_USE: {NOT_IN_USE},
})

#: App instance instantiation state.
INSTANCE_INSTANTIATION = StateMachine('instantiationState', {
    NOT_INSTANTIATED: {INSTANTIATED},
    INSTANTIATED: {NOT_INSTANTIATED},
})

#: App instance operational state, meaningful while INSTANTIATED.
INSTANCE_OPERATIONAL = StateMachine('operationalState', {
    STARTED: {STOPPED},
    STOPPED: {STARTED},
})

#: LCM operation occurrence. FAILED_TEMP is the error-handling state of the
#: later MEC 010-2 versions (as NFV SOL003): retry goes back to PROCESSING,
#: rollback to ROLLING_BACK, fail to FAILED. Cancel moves a STARTING op-occ
#: to ROLLED_BACK and a PROCESSING or ROLLING_BACK one to FAILED_TEMP.
LCM_OPERATION = StateMachine('operationState', {
    STARTING: {PROCESSING, FAILED_TEMP, ROLLED_BACK},
    PROCESSING: {COMPLETED, FAILED_TEMP},
    FAILED_TEMP: {PROCESSING, ROLLING_BACK, FAILED},
    ROLLING_BACK: {ROLLED_BACK, FAILED_TEMP},
    COMPLETED: set(),
    FAILED: set(),
    ROLLED_BACK: set(),
})

# -- VIM reachability (the admin API's /v1/vims) ------------------------------

REACHABLE = 'REACHABLE'
UNREACHABLE = 'UNREACHABLE'

#: Whether the orchestrator can use a VIM, as its last check found. A VIM
#: is registered in either state (UNREACHABLE with ``force``, or when its
#: driver cannot check it yet); the periodic check moves it back and forth.
VIM_STATUS = StateMachine('vimStatus', {
    REACHABLE: {UNREACHABLE},
    UNREACHABLE: {REACHABLE},
})
