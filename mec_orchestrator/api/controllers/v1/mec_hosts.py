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
"""``/v1/mec_hosts``: where app instances can be placed.

MEC hosts are discovered from the VIMs (see ``doc/source/admin/vims.rst``);
the operator sets what the VIMs cannot know. Readers of any project may
list them, without the internal fields.
"""

from oslo_utils import strutils
import pecan
from pecan import rest

from mec_orchestrator.api.schemas import mec_host as host_schema
from mec_orchestrator.api import utils
from mec_orchestrator.api.views import mec_host as host_view
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import policy

#: Query parameters that filter the list.
FILTERS = ('vim_id', 'site', 'zone', 'enabled')


def _target():
    return {'project_id': pecan.request.context.project_id}


def _authorize(rule):
    policy.authorize(rule, _target(), pecan.request.context)


def _internal():
    return policy.check('mec:mec_host:get:internal', _target(),
                        pecan.request.context)


def _filters(query):
    filters = {k: query[k] for k in FILTERS if k in query}
    if 'enabled' in filters:
        try:
            filters['enabled'] = strutils.bool_from_string(
                filters['enabled'], strict=True)
        except ValueError:
            raise exception.InvalidParameterValue(
                err=_('enabled must be true or false, not %s')
                % query['enabled'])
    return filters


class MecHostsController(rest.RestController):
    """Lists, shows and updates MEC hosts."""

    @pecan.expose('json')
    def get_all(self, **query):
        r"""List the MEC hosts, by name.

        :param query: \`\`limit\`\` and \`\`marker\`\` (the id of the
            last host of the previous page); filters \`\`vim_id\`\`,
            \`\`site\`\`, \`\`zone\`\` and \`\`enabled\`\`.
        :returns: ``{"mec_hosts": [...]}`` and a ``next`` link when there
            are more.
        :raises: InvalidParameterValue (400), PolicyNotAuthorized (403)
        """
        _authorize('mec:mec_host:get')
        limit, marker = utils.page_params(
            query, allowed=('limit', 'marker') + FILTERS)
        filters = _filters(query)
        rows = pecan.request.dbapi.list_mec_hosts(
            limit=limit, marker=marker, filters=filters)
        internal = _internal()
        result = {'mec_hosts': [host_view.format(r, internal)
                                for r in rows]}
        if len(rows) == limit:
            params = {k: query[k] for k in FILTERS if k in query}
            result['next'] = utils.link('v1', 'mec_hosts', limit=limit,
                                        marker=rows[-1].id, **params)
        return result

    @pecan.expose('json')
    def get_one(self, host_id):
        """Show a MEC host.

        :param host_id: the host's id.
        :returns: the MEC host.
        :raises: MecHostNotFound (404)
        """
        _authorize('mec:mec_host:get')
        return host_view.format(pecan.request.dbapi.get_mec_host(host_id),
                                _internal())

    @pecan.expose('json')
    def patch(self, host_id):
        """Set the operator's fields of a MEC host (JSON merge patch).

        :param host_id: the host's id.
        :returns: the MEC host.
        :raises: MecHostNotFound (404), Invalid (400)
        """
        _authorize('mec:mec_host:update')
        host = pecan.request.dbapi.get_mec_host(host_id)
        body = utils.json_body(content_types=utils.MERGE_PATCH_TYPES)
        values = host_schema.update_values(host, body)
        if values:
            host = pecan.request.dbapi.update_mec_host(host_id, values)
        return host_view.format(host, _internal())
