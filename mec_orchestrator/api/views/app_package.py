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
"""How app packages and their subscriptions are shown (MEC 010-2)."""

from mec_orchestrator.api import utils
from mec_orchestrator.etsi import app_pkgm

BASE = app_pkgm.BASE


def format_package(pkg):
    """AppPkgInfo of a package, linked from the request's base URL."""
    return app_pkgm.package_info(pkg, utils.base_url())


def format_subscription(sub):
    """AppPkgSubscriptionInfo of a subscription."""
    return app_pkgm.subscription_info(sub, utils.base_url())


def format_subscription_list(subs):
    """AppPkgSubscriptionLinkList of subscriptions."""
    return app_pkgm.subscription_list(subs, utils.base_url())
