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
"""The root of the Mp1 API: the two MEC 011 trees."""

import pecan

from mec_orchestrator.platform.controllers import app_support
from mec_orchestrator.platform.controllers import service_mgmt


class RootController(object):
    """``/``: what the platform serves."""

    mec_app_support = app_support.AppSupportController()
    mec_service_mgmt = service_mgmt.ServiceMgmtController()

    @pecan.expose(generic=True, template='json')
    def index(self):
        if pecan.request.method not in ('GET', 'HEAD'):
            pecan.abort(405, headers={'Allow': 'GET'})
        return {
            'name': 'MEC Platform',
            'description': 'ETSI GS MEC 011 Mp1: application support and '
                           'service management.',
            'etsi_apis': [
                {'name': 'mec_app_support',
                 'uriPrefix': '/mec_app_support/v1',
                 'specification': 'ETSI GS MEC 011', 'version': '2.1.1'},
                {'name': 'mec_service_mgmt',
                 'uriPrefix': '/mec_service_mgmt/v1',
                 'specification': 'ETSI GS MEC 011', 'version': '2.1.1'},
            ],
            'token_endpoint': '/mep/token',
        }
