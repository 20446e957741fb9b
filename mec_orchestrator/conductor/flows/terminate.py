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
"""The terminate flow: monitoring, platform, infrastructure, capacity."""

from mec_orchestrator.common import states
from mec_orchestrator.conductor import flows
from mec_orchestrator.conductor.flows import resources
from mec_orchestrator.conductor import placement


class UnmonitorStep(flows.Step):
    name = 'monitor'

    def do(self, flow):
        resources.platform_driver('monitor').unregister(
            flow.context, resources.instance_view(flow))
        return {}


class UnconfigureStep(flows.Step):
    """Remove the instance from its platform.

    A GRACEFUL termination first tells the app and waits for its
    confirm_termination.
    """

    name = 'platform'

    def do(self, flow):
        timeout = resources.graceful_timeout(
            flow.params, 'terminationType', 'gracefulTerminationTimeout')
        resources.platform_driver('mgmt').unconfigure(
            flow.context, resources.instance_view(flow),
            graceful_timeout=timeout)
        return {}


class DeleteStep(flows.Step):
    """Delete the instance's VIM resources, gracefully if asked."""

    name = 'infra'

    def do(self, flow):
        inst = flow.instance
        if not inst.vim_id:
            return {}
        timeout = None
        if flow.params.get('terminationType') == 'GRACEFUL':
            timeout = flow.params.get('gracefulTerminationTimeout')
        vim = resources.vim_view(flow, inst.vim_id)
        deleted = resources.infra_driver(vim).delete(
            flow.context, vim, resources.instance_view(flow),
            graceful_timeout=timeout) or {}
        flow.instance = flow.dbapi.update_app_instance(
            inst.id, {'vim_resources': None})
        return {'vim_seconds': deleted.get('vim_seconds')}


class ReleaseStep(flows.Step):
    name = 'release'

    def do(self, flow):
        released = placement.PlacementService(flow.dbapi).release(
            flow.instance.id)
        return {'released': released}


class TerminateFlow(flows.Flow):
    """TERMINATE: INSTANTIATED -> NOT_INSTANTIATED; no rollback."""

    steps = (UnmonitorStep(), UnconfigureStep(), DeleteStep(),
             ReleaseStep())
    rollback = False

    def completed(self, flow):
        return {'instantiation_state': states.NOT_INSTANTIATED,
                'operational_state': None, 'mec_host_id': None,
                'vim_id': None, 'vim_resources': None}
