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
"""``/v1/placement``: the MEO's placement decisions (admin)."""

import pecan
from pecan import rest

from mec_orchestrator.api import utils

PREVIEW = {
    'type': 'object',
    'required': ['appDId'],
    'properties': {
        'appDId': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        # An InstantiateAppRequest (MEC 010-2); selectedMECHostInfo is
        # optional here.
        'instantiateAppRequest': {'type': 'object'},
        'userArea': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'additionalProperties': False,
}


class PreviewController(rest.RestController):
    """``POST /v1/placement/preview``: a dry run of placement."""

    @pecan.expose('json')
    def post(self):
        """Rank the hosts for an instance of an onboarded AppD.

        :returns: the chosen host, the ranked hosts with their weights, and
            every rejected host with the filter and reason that rejected
            it. Nothing is claimed.
        """
        ctx = pecan.request.context
        utils.authorize('mec:placement:preview')
        body = utils.json_body(schema=PREVIEW)
        return pecan.request.rpcapi.preview_placement(
            ctx, body['appDId'], body.get('instantiateAppRequest'),
            body.get('userArea'))


class PlacementController(object):
    """``/v1/placement``."""

    preview = PreviewController()
