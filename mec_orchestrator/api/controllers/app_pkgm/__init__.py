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
"""``/app_pkgm/v1``: ETSI GS MEC 010-2 application package management."""

from mec_orchestrator.api.controllers.app_pkgm import packages
from mec_orchestrator.api.controllers.app_pkgm import subscriptions

#: The entry of the versions document.
API = {'name': 'app_pkgm', 'uriPrefix': '/app_pkgm/v1',
       'specification': 'ETSI GS MEC 010-2', 'version': '2.1.1'}


class V1Controller(object):
    """``/app_pkgm/v1``."""

    app_packages = packages.AppPackagesController()
    onboarded_app_packages = packages.OnboardedAppPackagesController()
    subscriptions = subscriptions.SubscriptionsController()


class AppPkgmController(object):
    """``/app_pkgm``."""

    v1 = V1Controller()
