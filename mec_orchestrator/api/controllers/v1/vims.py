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
"""``/v1/vims``: the VIMs the orchestrator deploys on (admin only).

The API never talks to a VIM: it checks the body and the policy, then
calls a conductor, which runs the VIM's driver and stores the result. The
credentials go to the conductor in the call and never come back.
"""

import pecan
from pecan import rest

from mec_orchestrator.api.schemas import vim as vim_schema
from mec_orchestrator.api import utils
from mec_orchestrator.api.views import vim as vim_view
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import states

#: Query parameters that filter the list, with the values they take.
FILTERS = ('type', 'site', 'status')


class VimsController(rest.RestController):
    """Registers, lists, shows, updates, checks and deletes VIMs."""

    _custom_actions = {'check': ['POST']}

    @pecan.expose('json')
    def get_all(self, **query):
        r"""List the VIMs, by name.

        :param query: \`\`limit\`\` and \`\`marker\`\` (the id of the
            last VIM of the previous page); filters \`\`type\`\`,
            \`\`site\`\` and \`\`status\`\`.
        :returns: ``{"vims": [...]}`` and a ``next`` link when there are
            more.
        :raises: InvalidParameterValue (400)
        """
        utils.authorize('mec:vim:get')
        limit, marker = utils.page_params(
            query, allowed=('limit', 'marker') + FILTERS)
        filters = {k: query[k] for k in FILTERS if k in query}
        if filters.get('status', states.REACHABLE) not in \
                states.VIM_STATUS.states:
            raise exception.InvalidParameterValue(
                err=_('status must be one of %s')
                % ', '.join(sorted(states.VIM_STATUS.states)))
        rows = pecan.request.dbapi.list_vims(limit=limit, marker=marker,
                                             filters=filters)
        result = {'vims': [vim_view.format(r) for r in rows]}
        if len(rows) == limit:
            result['next'] = utils.link('v1', 'vims', limit=limit,
                                        marker=rows[-1].id, **filters)
        return result

    @pecan.expose('json')
    def get_one(self, vim_id):
        """Show a VIM.

        :param vim_id: the VIM's id.
        :returns: the VIM.
        :raises: VimNotFound (404)
        """
        utils.authorize('mec:vim:get')
        return vim_view.format(pecan.request.dbapi.get_vim(vim_id))

    @pecan.expose('json')
    def post(self):
        """Register a VIM.

        The conductor checks the credentials against the VIM first:
        refused credentials are a 400 with the VIM's reason, and nothing
        is stored; an unreachable VIM is a 400 too, unless the body says
        ``"force": true``, in which case it is stored UNREACHABLE.

        :returns: the VIM, with status 201 and its Location.
        :raises: Invalid (400), PolicyNotAuthorized (403),
            DuplicateName (409), ServiceUnavailable (503)
        """
        utils.authorize('mec:vim:create')
        values = vim_schema.create_values(utils.json_body())
        vim_id = utils.call_conductor('create_vim', values=values)
        vim = pecan.request.dbapi.get_vim(vim_id)
        pecan.response.status = 201
        pecan.response.location = utils.link('v1', 'vims', vim_id)
        return vim_view.format(vim)

    @pecan.expose('json')
    def patch(self, vim_id):
        """Update a VIM (JSON merge patch).

        A new access (auth URL, project, region, CA...) or new credentials
        are checked against the VIM first, as on registration.

        :param vim_id: the VIM's id.
        :returns: the VIM.
        :raises: VimNotFound (404), Invalid (400), DuplicateName (409)
        """
        utils.authorize('mec:vim:update')
        vim = pecan.request.dbapi.get_vim(vim_id)
        body = utils.json_body(content_types=utils.MERGE_PATCH_TYPES)
        values = vim_schema.update_values(vim, body)
        if values:
            utils.call_conductor('update_vim', vim_id=vim_id, values=values)
        return vim_view.format(pecan.request.dbapi.get_vim(vim_id))

    @pecan.expose()
    def delete(self, vim_id):
        """Delete a VIM and its MEC hosts.

        :param vim_id: the VIM's id.
        :raises: VimNotFound (404), VimInUse (409) while app instances run
            on its MEC hosts.
        """
        utils.authorize('mec:vim:delete')
        pecan.request.dbapi.get_vim(vim_id)
        utils.call_conductor('delete_vim', vim_id=vim_id)
        pecan.response.status = 204
        return ''

    @pecan.expose('json')
    def check(self, vim_id):
        """Check a VIM now; its MEC hosts are refreshed right after.

        :param vim_id: the VIM's id.
        :returns: the VIM, with its new status.
        :raises: VimNotFound (404)
        """
        utils.authorize('mec:vim:check')
        pecan.request.dbapi.get_vim(vim_id)
        utils.call_conductor('check_vim', vim_id=vim_id)
        return vim_view.format(pecan.request.dbapi.get_vim(vim_id))
