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
"""``/v1/conductors``: the conductors and whether they are alive."""

import time

import oslo_messaging as messaging
import pecan
from pecan import rest

from mec_orchestrator.api import utils
from mec_orchestrator.api.views import conductor as conductor_view
from mec_orchestrator.common import exception


class ConductorsController(rest.RestController):
    """Lists conductors, shows one, and pings one over RPC."""

    _custom_actions = {'ping': ['POST']}

    @pecan.expose('json')
    def get_all(self, **query):
        r"""List the conductors.

        :param query: \`\`limit\`\`, the largest number to return, and
            \`\`marker\`\`, the host name after which to start.
        :returns: ``{"conductors": [...]}`` and a ``next`` link when
            there are more.
        """
        utils.authorize('mec:conductor:get')
        limit, marker = utils.page_params(query, allowed=('limit', 'marker'))
        rows = pecan.request.dbapi.list_conductors(limit=limit, marker=marker)
        result = {'conductors': [conductor_view.format(r) for r in rows]}
        if len(rows) == limit:
            result['next'] = utils.link('v1', 'conductors', limit=limit,
                                        marker=rows[-1].hostname)
        return result

    @pecan.expose('json')
    def get_one(self, hostname):
        """Show a conductor.

        :param hostname: the conductor's host name.
        :returns: the conductor.
        :raises: ConductorNotFound (404)
        """
        utils.authorize('mec:conductor:get')
        return conductor_view.format(
            pecan.request.dbapi.get_conductor(hostname))

    @pecan.expose('json')
    def ping(self, hostname):
        """Round trip to a conductor through the message bus.

        :param hostname: the conductor's host name.
        :returns: the conductor's answer and the round-trip time.
        :raises: ConductorNotFound (404), ServiceUnavailable (503) when it
            does not answer.
        """
        utils.authorize('mec:conductor:get')
        ctx = pecan.request.context
        pecan.request.dbapi.get_conductor(hostname)
        start = time.monotonic()
        try:
            answer = pecan.request.rpcapi.ping(ctx, hostname=hostname,
                                               payload=ctx.request_id)
        except messaging.MessagingTimeout:
            raise exception.ServiceUnavailable(
                reason='conductor %s did not answer' % hostname)
        answer['round_trip_ms'] = round(
            (time.monotonic() - start) * 1000, 3)
        return answer
