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
"""``/granting/v1``: ETSI GS MEC 010-2 grants, asked by a MEPM.

A request is answered synchronously (201 with the Grant) unless it asks
for the asynchronous mode with ``Prefer: respond-async`` (202 with a
Location to poll: 202 while the MEO decides, then 200 with the Grant). A
rejected grant is a 403 ProblemDetails saying why, with the placement's
explanation.
"""

from oslo_utils import uuidutils
import pecan
from pecan import rest

from mec_orchestrator.api import problem
from mec_orchestrator.api import utils
from mec_orchestrator.etsi import granting as etsi_granting

API = {'name': 'granting', 'uriPrefix': '/granting/v1',
       'specification': 'ETSI GS MEC 010-2', 'version': '2.1.1'}

_id = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_resource = {'type': 'object', 'required': ['id'],
             'properties': {'id': _id}}

GRANT_REQUEST = {
    'type': 'object',
    'required': ['appInstanceId', 'appLcmOpOccId', 'appDId', 'operation'],
    'properties': {
        'appInstanceId': _id,
        'appLcmOpOccId': _id,
        'appDId': _id,
        'operation': {'enum': sorted(etsi_granting.OPERATIONS)},
        'addResources': {'type': 'array', 'items': _resource},
        'tempResources': {'type': 'array', 'items': _resource},
        'removeResources': {'type': 'array', 'items': _resource},
        'updateResources': {'type': 'array', 'items': _resource},
        'additionalParams': {'type': 'object'},
        '_links': {'type': 'object'},
    },
    'additionalProperties': False,
}


def _answer(row):
    """The response for a grant in any state."""
    if row.status == 'GRANTED':
        return etsi_granting.grant(row, utils.base_url())
    if row.status == 'REJECTED':
        err = row.error or {}
        resp = problem.problem_response(
            403, err.get('detail'), pecan.request.path)
        if err.get('placement'):
            body = resp.json
            body['placement'] = err['placement']
            resp.json = body
        return resp
    pecan.response.status = 202
    return None


class GrantsController(rest.RestController):
    """``/granting/v1/grants``."""

    @pecan.expose('json')
    def post(self):
        """Ask for a grant."""
        utils.authorize('mec:grant:create')
        body = utils.json_body(schema=GRANT_REQUEST)
        ctx = pecan.request.context
        row = pecan.request.dbapi.create_grant({
            'id': uuidutils.generate_uuid(),
            'project_id': ctx.project_id,
            'app_instance_id': body['appInstanceId'],
            'app_lcm_op_occ_id': body['appLcmOpOccId'],
            'app_d_id': body['appDId'],
            'operation': etsi_granting.OPERATIONS[body['operation']],
            'status': 'PROCESSING',
            'request': body,
        })
        location = utils.link(etsi_granting.BASE, 'grants', row.id)
        wait = 'respond-async' not in pecan.request.headers.get('Prefer', '')
        pecan.request.rpcapi.create_grant(ctx, row.id, wait=wait)
        if not wait:
            pecan.response.status = 202
            pecan.response.location = location
            return None
        row = pecan.request.dbapi.get_grant(row.id)
        answer = _answer(row)
        if row.status == 'GRANTED':
            pecan.response.status = 201
            pecan.response.location = location
        return answer

    @pecan.expose('json')
    def get_one(self, grant_id):
        """Read a grant: 202 while it is decided, then the Grant."""
        return _answer(utils.owned(pecan.request.dbapi.get_grant(grant_id),
                                   'mec:grant:get', 'Grant', grant_id))


class V1Controller(object):
    """``/granting/v1``."""

    grants = GrantsController()


class GrantingController(object):
    """``/granting``."""

    v1 = V1Controller()
