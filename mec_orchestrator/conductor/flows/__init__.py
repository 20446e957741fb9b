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
"""Lifecycle flows: a small step journal in the database.

A flow is a list of :class:`Step`; each has a ``do`` and, where the
operation can be rolled back, an ``undo``. Both are idempotent. The
runner (:class:`mec_orchestrator.conductor.app_lcm.LcmService`) records
each completed step and its result in the op-occ's ``steps`` column, with
a compare-and-swap on the op-occ's owner, before it starts the next one;
a conductor that resumes an op-occ (after a crash, a retry) skips the
steps already recorded and redoes at most the one that was running,
which its idempotence makes safe.

Why not TaskFlow: its persistence and job boards would add a second
source of truth next to the op-occ (and ZooKeeper or Redis for the job
boards), while the op-occ row already has what a takeover needs: the
owner, the lease and the journal, changed atomically with the state the
API shows.
"""

import abc

#: Where a step keeps what it did, in the op-occ's journal.
JOURNAL_DONE = 'done'
JOURNAL_UNDONE = 'undone'


class Step(object, metaclass=abc.ABCMeta):
    """One idempotent step of a lifecycle flow.

    :param name: the step's name in the journal.
    """

    name = None

    @abc.abstractmethod
    def do(self, flow):
        """Do the step; idempotent.

        :param flow: the :class:`FlowContext`.
        :returns: a JSON-able result, recorded in the journal.
        """

    def undo(self, flow, result):
        """Undo the step (for a rollback); idempotent.

        :param flow: the :class:`FlowContext`.
        :param result: what ``do`` returned.
        """


class Flow(object):
    """The steps of an operation and what completing it changes.

    :param steps: the steps, in order.
    :param rollback: whether the operation can be rolled back.
    """

    steps = ()
    rollback = True

    def completed(self, flow):
        """The instance's columns once every step is done.

        :param flow: the :class:`FlowContext`.
        :returns: a dict.
        """
        return {}

    def rolled_back(self, flow):
        """The instance's columns once the operation is rolled back.

        :param flow: the :class:`FlowContext`.
        :returns: a dict.
        """
        return {}


class FlowContext(object):
    """What the steps of one op-occ work with.

    :param context: the request context of the operation.
    :param dbapi: the database API.
    :param op: the op-occ's row.
    :param instance: the app instance's row.
    :param package: the app package's row.
    """

    def __init__(self, context, dbapi, op, instance, package):
        self.context = context
        self.dbapi = dbapi
        self.op = op
        self.instance = instance
        self.package = package
        self.params = op.operation_params or {}
        self.journal = dict(op.steps or {})

    @property
    def appd(self):
        return self.package.appd or {}

    def result(self, step_name):
        """What a completed step returned, or None."""
        return (self.journal.get(JOURNAL_DONE) or {}).get(step_name)

    def refresh_instance(self):
        self.instance = self.dbapi.get_app_instance(self.instance.id)
        return self.instance


def get_flow(operation):
    """The flow of an operation.

    :param operation: INSTANTIATE, TERMINATE or OPERATE.
    :returns: a :class:`Flow`.
    """
    from mec_orchestrator.conductor.flows import instantiate
    from mec_orchestrator.conductor.flows import operate
    from mec_orchestrator.conductor.flows import terminate
    return {'INSTANTIATE': instantiate.InstantiateFlow,
            'TERMINATE': terminate.TerminateFlow,
            'OPERATE': operate.OperateFlow}[operation]()
