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
"""``/app_lcm/v1/app_lcm_op_occs`` and their retry, rollback, fail and
cancel tasks (as NFV SOL003 has them)."""

import pecan
from pecan import rest

from mec_orchestrator.api import etsi
from mec_orchestrator.api.schemas import app_lcm as schemas
from mec_orchestrator.api import utils
from mec_orchestrator.etsi import app_lcm as etsi_lcm
from mec_orchestrator.etsi import filters


def get_op_occ(op_occ_id, rule):
    """An op-occ the request may act on; another project's is a 404."""
    return utils.owned(pecan.request.dbapi.get_app_lcm_op(op_occ_id), rule,
                       'App LCM operation occurrence', op_occ_id)


def _optional_body(schema):
    if not pecan.request.body:
        return {}
    return utils.json_body(schema=schema)


class OpOccsController(rest.RestController):
    """Lists and shows op-occs; retries, rolls back, fails, cancels."""

    _custom_actions = {'retry': ['POST'], 'rollback': ['POST'],
                       'fail': ['POST'], 'cancel': ['POST']}

    @pecan.expose('json')
    def get_all(self, **query):
        """Query the project's op-occs (filter, selectors, paging)."""
        utils.authorize('mec:app_lcm_op_occ:get')
        etsi.check_query(query, ('filter', 'all_fields', 'fields',
                                 'exclude_fields', 'exclude_default',
                                 'nextpage_opaque_marker'))
        terms = filters.parse_filter(
            query['filter'], etsi_lcm.OP_OCC_ATTRIBUTES) if (
            'filter' in query) else []
        ctx = pecan.request.context
        base = utils.base_url()
        items = [etsi_lcm.op_occ(op, base) for op in
                 pecan.request.dbapi.list_app_lcm_ops(ctx.project_id)]
        items = [i for i in items if filters.matches(i, terms)]
        return [filters.select_fields(i, query, etsi_lcm.OP_OCC_COMPLEX,
                                      ())
                for i in etsi.page(items, query)]

    @pecan.expose('json')
    def get_one(self, op_occ_id, **query):
        """Show an op-occ (AppInstanceLcmOpOcc)."""
        etsi.check_query(query, ())
        return etsi_lcm.op_occ(
            get_op_occ(op_occ_id, 'mec:app_lcm_op_occ:get'),
            utils.base_url())

    def _act(self, op_occ_id, action, params=None):
        op = get_op_occ(op_occ_id, 'mec:app_lcm_op_occ:%s' % action)
        utils.call_conductor('act_on_app_lcm_op', op.id, action,
                             params=params)
        return op

    @pecan.expose()
    def retry(self, op_occ_id):
        """Retry a FAILED_TEMP operation from its failed step (202)."""
        self._act(op_occ_id, 'retry')
        pecan.response.status = 202
        return ''

    @pecan.expose()
    def rollback(self, op_occ_id):
        """Undo what a FAILED_TEMP operation did (202)."""
        self._act(op_occ_id, 'rollback')
        pecan.response.status = 202
        return ''

    @pecan.expose('json')
    def fail(self, op_occ_id):
        """Mark a FAILED_TEMP operation FAILED for good (200)."""
        op = self._act(op_occ_id, 'fail')
        return etsi_lcm.op_occ(pecan.request.dbapi.get_app_lcm_op(op.id),
                               utils.base_url())

    @pecan.expose()
    def cancel(self, op_occ_id):
        """Cancel an operation in progress (202)."""
        body = _optional_body(schemas.CANCEL_MODE)
        self._act(op_occ_id, 'cancel', params=body)
        pecan.response.status = 202
        return ''
