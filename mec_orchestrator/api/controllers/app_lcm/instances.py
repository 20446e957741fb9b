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
"""``/app_lcm/v1/app_instances`` and their instantiate, terminate and
operate tasks."""

from oslo_log import log
from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api.schemas import app_lcm as schemas
from mec_orchestrator.api import utils
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states
from mec_orchestrator.etsi import app_lcm as etsi_lcm
from mec_orchestrator.etsi import filters

LOG = log.getLogger(__name__)


def get_instance(instance_id, rule):
    """An instance the request may act on; another project's is a 404."""
    return utils.owned(pecan.request.dbapi.get_app_instance(instance_id),
                       rule, 'App instance', instance_id)


def instance_info(inst, vims=None, hosts=None):
    """AppInstanceInfo, with the VIM and host once instantiated.

    :param inst: the instance's row.
    :param vims: the VIMs by id, when the caller read them all.
    :param hosts: the MEC hosts by id, when the caller read them all.
    """
    dbapi = pecan.request.dbapi
    vim = host = None
    if inst.vim_id:
        try:
            vim = (vims.get(inst.vim_id) if vims is not None
                   else dbapi.get_vim(inst.vim_id))
        except exception.NotFound:
            vim = None
    if inst.mec_host_id:
        try:
            host = (hosts.get(inst.mec_host_id) if hosts is not None
                    else dbapi.get_mec_host(inst.mec_host_id))
        except exception.NotFound:
            host = None
    return etsi_lcm.instance_info(inst, utils.base_url(), vim=vim,
                                  host=host)


def start_operation(inst, operation, params, expected):
    """Record a STARTING op-occ, lock the instance, have a conductor run it.

    :returns: None; the response is 202 with the op-occ's Location.
    :raises: OperationInProgress or InvalidState (409).
    """
    req = pecan.request
    op = req.dbapi.start_app_lcm_op({
        'id': uuidutils.generate_uuid(),
        'project_id': inst.project_id,
        'app_instance_id': inst.id,
        'operation': operation,
        'operation_params': params,
        'base_url': utils.base_url(),
    }, expected=expected)
    try:
        req.rpcapi.run_app_lcm_op(req.context, op.id)
    except Exception:
        # The op-occ is recorded: a conductor that finds it abandoned
        # takes it over. The client has its Location to follow.
        LOG.exception('Could not cast op-occ %s to a conductor; it waits '
                      'for a takeover', op.id)
    LOG.info('App instance %(inst)s: %(operation)s accepted as op-occ '
             '%(op)s', {'inst': inst.id, 'operation': operation,
                        'op': op.id})
    pecan.response.status = 202
    pecan.response.location = utils.link(etsi_lcm.BASE, 'app_lcm_op_occs',
                                         op.id)


class AppInstancesController(rest.RestController):
    """Creates, lists, shows and deletes app instances; runs their tasks."""

    _custom_actions = {'instantiate': ['POST'], 'terminate': ['POST'],
                       'operate': ['POST']}

    @pecan.expose('json')
    def get_all(self, **query):
        """Query the project's app instances (filter, selectors, paging)."""
        utils.authorize('mec:app_instance:get')
        etsi.check_query(query, ('filter', 'all_fields', 'fields',
                                 'exclude_fields', 'exclude_default',
                                 'nextpage_opaque_marker'))
        terms = filters.parse_filter(
            query['filter'], etsi_lcm.INSTANCE_ATTRIBUTES) if (
            'filter' in query) else []
        ctx = pecan.request.context
        dbapi = pecan.request.dbapi
        rows = dbapi.list_app_instances(ctx.project_id)
        vims = hosts = None
        if any(r.vim_id for r in rows):
            vims = {v.id: v for v in dbapi.list_vims()}
            hosts = {h.id: h for h in dbapi.list_mec_hosts()}
        items = [instance_info(i, vims, hosts) for i in rows]
        items = [i for i in items if filters.matches(i, terms)]
        return [filters.select_fields(i, query, etsi_lcm.INSTANCE_COMPLEX,
                                      ())
                for i in etsi.page(items, query)]

    @pecan.expose('json')
    def get_one(self, instance_id, **query):
        """Show an app instance (AppInstanceInfo)."""
        etsi.check_query(query, ())
        return instance_info(get_instance(instance_id,
                                          'mec:app_instance:get'))

    @pecan.expose('json')
    def post(self):
        """Create an app instance identifier from an onboarded AppD."""
        utils.authorize('mec:app_instance:create')
        body = utils.json_body(schema=schemas.CREATE_APP_INSTANCE)
        ctx = pecan.request.context
        dbapi = pecan.request.dbapi
        try:
            pkg = dbapi.get_onboarded_app_package(ctx.project_id,
                                                  body['appDId'])
        except exception.NotFound:
            raise exception.ResourceNotFound(
                resource=_('Onboarded app package with appDId'),
                id=body['appDId'])
        inst = dbapi.create_app_instance({
            'id': uuidutils.generate_uuid(),
            'project_id': ctx.project_id,
            'app_instance_name': body.get('appInstanceName'),
            'app_instance_description': body.get('appInstanceDescription'),
            'app_d_id': pkg.app_d_id,
            'app_pkg_id': pkg.id,
            'app_provider': pkg.app_provider,
            'app_name': pkg.app_name,
            'app_soft_version': pkg.app_software_version,
            'app_d_version': pkg.app_d_version,
            'instantiation_state': states.NOT_INSTANTIATED,
        })
        pecan.response.status = 201
        pecan.response.location = utils.link(etsi_lcm.BASE, 'app_instances',
                                             inst.id)
        return instance_info(inst)

    @pecan.expose(status_code=204)
    def delete(self, instance_id):
        """Delete a NOT_INSTANTIATED instance with no operation running."""
        inst = get_instance(instance_id, 'mec:app_instance:delete')
        pecan.request.dbapi.destroy_app_instance(inst.id)

    @pecan.expose()
    def instantiate(self, instance_id):
        """Instantiate (202; the op-occ is at the Location)."""
        body = utils.json_body(schema=schemas.INSTANTIATE_APP)
        inst = get_instance(instance_id, 'mec:app_instance:instantiate')
        pkg = pecan.request.dbapi.get_app_package(inst.app_pkg_id)
        if pkg.operational_state != states.ENABLED:
            raise exception.InvalidState(
                resource='App package', id=pkg.id,
                state=pkg.operational_state,
                reason=_('only an ENABLED package can be instantiated'))
        start_operation(inst, etsi_lcm.INSTANTIATE, body,
                        {'instantiation_state': states.NOT_INSTANTIATED})
        return ''

    @pecan.expose()
    def terminate(self, instance_id):
        """Terminate, FORCEFUL or GRACEFUL (202)."""
        body = utils.json_body(schema=schemas.TERMINATE_APP)
        if ('gracefulTerminationTimeout' in body
                and body['terminationType'] != 'GRACEFUL'):
            raise exception.Invalid(reason=_(
                'gracefulTerminationTimeout is for a GRACEFUL termination'))
        inst = get_instance(instance_id, 'mec:app_instance:terminate')
        start_operation(inst, etsi_lcm.TERMINATE, body,
                        {'instantiation_state': states.INSTANTIATED})
        return ''

    @pecan.expose()
    def operate(self, instance_id):
        """Start or stop (202)."""
        body = utils.json_body(schema=schemas.OPERATE_APP)
        target = body['changeStateTo']
        if target == states.STARTED and (
                'stopType' in body or 'gracefulStopTimeout' in body):
            raise exception.Invalid(reason=_(
                'stopType and gracefulStopTimeout are for changeStateTo '
                'STOPPED'))
        if body.get('stopType') == 'GRACEFUL' and (
                'gracefulStopTimeout' not in body):
            raise exception.Invalid(reason=_(
                'a GRACEFUL stop needs gracefulStopTimeout'))
        if 'gracefulStopTimeout' in body and body.get(
                'stopType') != 'GRACEFUL':
            raise exception.Invalid(reason=_(
                'gracefulStopTimeout is for a GRACEFUL stop'))
        inst = get_instance(instance_id, 'mec:app_instance:operate')
        current = (states.STOPPED if target == states.STARTED
                   else states.STARTED)
        start_operation(inst, etsi_lcm.OPERATE, body,
                        {'instantiation_state': states.INSTANTIATED,
                         'operational_state': current})
        return ''
