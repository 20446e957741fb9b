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
"""The instantiate flow: placement, infrastructure, platform, monitoring."""

from oslo_log import log

from mec_orchestrator.common import states
from mec_orchestrator.conductor import flows
from mec_orchestrator.conductor.flows import resources
from mec_orchestrator.conductor import placement

LOG = log.getLogger(__name__)


class PlaceStep(flows.Step):
    """Choose the MEC host and claim its capacity (the MEO's grant).

    The claim's consumer is the app instance, so a repeated step finds the
    claim it made instead of claiming twice.
    """

    name = 'placement'

    def do(self, flow):
        inst = flow.instance
        dbapi = flow.dbapi
        allocations = dbapi.list_allocations(consumer_id=inst.id)
        if allocations:
            host = dbapi.get_mec_host(allocations[0].host_id)
            host_id, vim_id = host.id, host.vim_id
        else:
            request = flow.params
            user_area = (request.get('additionalParams') or {}).get(
                'userArea')
            chosen, _explanation = placement.PlacementService(dbapi).claim(
                inst.id, inst.project_id, flow.appd, request=request,
                user_area=user_area)
            host_id, vim_id = chosen.id, chosen.vim_id
        flow.instance = dbapi.update_app_instance(
            inst.id, {'mec_host_id': host_id, 'vim_id': vim_id})
        return {'mec_host_id': host_id, 'vim_id': vim_id}

    def undo(self, flow, result):
        placement.PlacementService(flow.dbapi).release(flow.instance.id)
        flow.instance = flow.dbapi.update_app_instance(
            flow.instance.id, {'mec_host_id': None, 'vim_id': None})


class InfraStep(flows.Step):
    """Create the instance's resources on the VIM (a Heat stack).

    A retry after a failure finds the failed resources (a stack in
    CREATE_FAILED, kept so that its reason can be read): they are deleted
    and created again; resources still being created are waited for.
    """

    name = 'infra'

    def do(self, flow):
        vim = resources.vim_view(flow, flow.instance.vim_id)
        driver = resources.infra_driver(vim)
        view = resources.instance_view(flow)
        existing = driver.show(flow.context, vim, view)
        if existing and str(existing.get('status', '')).endswith('_FAILED'):
            LOG.info('App instance %(inst)s: deleting its failed resources '
                     '(%(status)s) before creating them again',
                     {'inst': flow.instance.id,
                      'status': existing['status']})
            driver.delete(flow.context, vim, view)
        view = resources.instance_view(flow)
        view['platform'] = resources.platform_driver('mgmt').prepare(
            flow.context, view, flow.appd, flow.params)
        created = driver.create(
            flow.context, vim, view, flow.appd,
            flow.params, artifacts=resources.PackageArtifacts(flow.package))
        flow.instance = flow.dbapi.update_app_instance(
            flow.instance.id, {'vim_resources': created})
        return {'stack_id': created.get('stack_id'),
                'vim_seconds': created.get('vim_seconds')}

    def undo(self, flow, result):
        if not flow.instance.vim_id:
            return
        vim = resources.vim_view(flow, flow.instance.vim_id)
        resources.infra_driver(vim).delete(
            flow.context, vim, resources.instance_view(flow))
        flow.instance = flow.dbapi.update_app_instance(
            flow.instance.id, {'vim_resources': None})


class PlatformPrepareStep(flows.Step):
    """Make the instance known to the MEC platform of its host.

    Before the VIM resources: the platform issues the instance's Mp1
    credentials, which go into its user data, and records the AppD's
    rules (checked against the data plane's abilities), INACTIVE.
    """

    name = 'platform-prepare'

    def do(self, flow):
        resources.platform_driver('mgmt').prepare(
            flow.context, resources.instance_view(flow), flow.appd,
            flow.params)
        return {}

    def undo(self, flow, result):
        resources.platform_driver('mgmt').unconfigure(
            flow.context, resources.instance_view(flow))


class PlatformStep(flows.Step):
    """Configure the MEC platform for the running instance.

    The rules become ACTIVE when the app confirms it is ready over Mp1
    (or at once for an app that does not use Mp1).
    """

    name = 'platform'

    def do(self, flow):
        resources.platform_driver('mgmt').configure(
            flow.context, resources.instance_view(flow), flow.appd)
        return {}

    def undo(self, flow, result):
        resources.platform_driver('mgmt').stop(
            flow.context, resources.instance_view(flow))


class MonitorStep(flows.Step):
    """Register the instance with monitoring."""

    name = 'monitor'

    def do(self, flow):
        resources.platform_driver('monitor').register(
            flow.context, resources.instance_view(flow))
        return {}

    def undo(self, flow, result):
        resources.platform_driver('monitor').unregister(
            flow.context, resources.instance_view(flow))


class InstantiateFlow(flows.Flow):
    """INSTANTIATE: NOT_INSTANTIATED -> INSTANTIATED (STARTED)."""

    steps = (PlaceStep(), PlatformPrepareStep(), InfraStep(), PlatformStep(),
             MonitorStep())

    def completed(self, flow):
        return {'instantiation_state': states.INSTANTIATED,
                'operational_state': states.STARTED}

    def rolled_back(self, flow):
        return {'instantiation_state': states.NOT_INSTANTIATED,
                'operational_state': None, 'mec_host_id': None,
                'vim_id': None, 'vim_resources': None}
