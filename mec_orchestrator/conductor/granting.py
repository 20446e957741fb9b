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
"""Grants (MEC 010-2 /granting/v1): the MEO's answer to a MEPM.

INSTANTIATE chooses a MEC host and claims its capacity for the app
instance (the same path the instantiate flow takes), TERMINATE releases
it, OPERATE needs nothing. Asking again for an instance that already holds
a claim answers with the host it holds.
"""

from oslo_log import log

from mec_orchestrator.common import exception
from mec_orchestrator.conductor import placement
from mec_orchestrator.etsi import granting

LOG = log.getLogger(__name__)

PROCESSING = 'PROCESSING'
GRANTED = 'GRANTED'
REJECTED = 'REJECTED'


class GrantRejected(exception.Forbidden):
    """The MEO does not grant the request (403, as the spec lists)."""

    msg_fmt = '%(reason)s'


class Granting(object):
    """Decides grants.

    :param dbapi: the database API.
    """

    def __init__(self, dbapi):
        self.dbapi = dbapi
        self.placement = placement.PlacementService(dbapi)

    def decide(self, context, grant_id):
        """Decide a PROCESSING grant, recording GRANTED or REJECTED.

        :param context: the request context.
        :param grant_id: the grant's id.
        :returns: the grant's row.
        """
        row = self.dbapi.get_grant(grant_id)
        try:
            doc = self._decide(row)
        except (exception.Conflict, exception.Invalid,
                exception.NotFound) as e:
            problem = {'type': 'about:blank', 'title': 'Forbidden',
                       'status': 403, 'detail': 'Grant rejected: %s' % e}
            explanation = getattr(e, 'explanation', None)
            if explanation:
                problem['placement'] = explanation
            LOG.info('Grant %(id)s rejected: %(err)s', {'id': row.id,
                                                       'err': e})
            return self.dbapi.update_grant(row.id, {'status': REJECTED,
                                                    'error': problem})
        return self.dbapi.update_grant(row.id, {'status': GRANTED,
                                                'grant': doc})

    def _decide(self, row):
        request = row.request
        if row.operation == 'TERMINATE':
            self.placement.release(row.app_instance_id)
            return {'removeResources': _grant_infos(
                request.get('removeResources'), None, None)}
        if row.operation != 'INSTANTIATE':
            return {}
        pkg = self.dbapi.get_onboarded_app_package(row.project_id,
                                                   row.app_d_id)
        held = self.dbapi.list_allocations(consumer_id=row.app_instance_id)
        if held:
            host = self.dbapi.get_mec_host(held[0].host_id)
        else:
            params = request.get('additionalParams') or {}
            chosen, _ = self.placement.claim(
                row.app_instance_id, row.project_id, pkg.appd,
                params.get('instantiateAppRequest'),
                params.get('userArea'))
            host = self.dbapi.get_mec_host(chosen.id)
        vim = self.dbapi.get_vim(host.vim_id)
        zone = {'id': 'zone-%s' % host.id, 'zoneId': host.zone or host.name,
                'vimConnectionId': vim.id}
        return {
            'vimConnections': [granting.vim_connection(vim)],
            'zones': [zone],
            'addResources': _grant_infos(request.get('addResources'),
                                         vim.id, zone['zoneId']),
            'additionalParams': {'mecHostId': host.id,
                                 'mecHostName': host.name,
                                 'site': host.site},
        }


def _grant_infos(definitions, vim_id, zone_id):
    infos = []
    for definition in definitions or ():
        info = {'resourceDefinitionId': definition['id']}
        if vim_id:
            info.update(vimConnectionId=vim_id, zoneId=zone_id)
        infos.append(info)
    return infos
