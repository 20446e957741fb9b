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
"""The operate flow: start or stop the instance on its VIM."""

from mec_orchestrator.common import states
from mec_orchestrator.conductor import flows
from mec_orchestrator.conductor.flows import resources


def _operate(flow, state, timeout=None):
    vim = resources.vim_view(flow, flow.instance.vim_id)
    resources.infra_driver(vim).operate(
        flow.context, vim, resources.instance_view(flow), state,
        graceful_timeout=timeout)


class OperateStep(flows.Step):
    """Start or stop the servers.

    Undone by going back to the state the instance had (which changes only
    when the operation completes).
    """

    name = 'infra'

    def do(self, flow):
        target = flow.params['changeStateTo']
        timeout = None
        if target == states.STOPPED and flow.params.get(
                'stopType') == 'GRACEFUL':
            timeout = flow.params.get('gracefulStopTimeout')
        _operate(flow, target, timeout)
        return {}

    def undo(self, flow, result):
        if flow.instance.operational_state:
            _operate(flow, flow.instance.operational_state)


class PlatformStopStep(flows.Step):
    """Before a stop: tell the app (GRACEFUL), deactivate its rules."""

    name = 'platform-stop'

    def do(self, flow):
        if flow.params['changeStateTo'] != states.STOPPED:
            return {}
        timeout = resources.graceful_timeout(
            flow.params, 'stopType', 'gracefulStopTimeout')
        resources.platform_driver('mgmt').stop(
            flow.context, resources.instance_view(flow),
            graceful_timeout=timeout)
        return {}

    def undo(self, flow, result):
        if flow.params['changeStateTo'] == states.STOPPED:
            resources.platform_driver('mgmt').start(
                flow.context, resources.instance_view(flow))


class PlatformStartStep(flows.Step):
    """After a start: the platform serves the app again."""

    name = 'platform-start'

    def do(self, flow):
        if flow.params['changeStateTo'] == states.STARTED:
            resources.platform_driver('mgmt').start(
                flow.context, resources.instance_view(flow))
        return {}


class OperateFlow(flows.Flow):
    """OPERATE: STARTED <-> STOPPED."""

    steps = (PlatformStopStep(), OperateStep(), PlatformStartStep())

    def completed(self, flow):
        return {'operational_state': flow.params['changeStateTo']}

    def rolled_back(self, flow):
        return {'operational_state': flow.instance.operational_state}
