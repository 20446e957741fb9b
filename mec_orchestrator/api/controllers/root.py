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
"""The root of the API: the versions document and the API trees."""

import pecan

from mec_orchestrator.api.controllers import app_lcm
from mec_orchestrator.api.controllers import app_pkgm
from mec_orchestrator.api.controllers import granting
from mec_orchestrator.api.controllers import v1
from mec_orchestrator.api import utils

#: The project's own (admin) API versions.
VERSIONS = [
    {'id': 'v1', 'status': 'CURRENT', 'min_version': '1.0',
     'version': '1.0'},
]

#: The ETSI APIs served, one entry per API as it lands: its name, URI
#: prefix and the version of the ETSI specification it follows.
ETSI_APIS = [app_pkgm.API, app_lcm.API, granting.API]


class RootController(object):
    """``/``: lists the API versions, without authentication."""

    v1 = v1.Controller()
    app_pkgm = app_pkgm.AppPkgmController()
    app_lcm = app_lcm.AppLcmController()
    granting = granting.GrantingController()

    @pecan.expose(generic=True, template='json')
    def index(self):
        """The versions document.

        :returns: the API's versions and the ETSI APIs served.
        """
        utils.only_get()
        versions = [dict(v, links=[{'rel': 'self',
                                    'href': utils.link(v['id'], '')}])
                    for v in VERSIONS]
        return {
            'name': 'MEC Orchestrator',
            'description': 'ETSI MEC orchestrator (MEO), platform manager '
                           '(MEPM) and platform (MEP) for OpenStack.',
            'versions': versions,
            'default_version': versions[-1],
            'etsi_apis': [dict(a, links=[{'rel': 'self', 'href':
                                          utils.link(a['uriPrefix'])}])
                          for a in ETSI_APIS],
        }
