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
"""Policy defaults, one module per resource."""

import itertools

from mec_orchestrator.policies import app_lcm
from mec_orchestrator.policies import app_package
from mec_orchestrator.policies import base
from mec_orchestrator.policies import conductor
from mec_orchestrator.policies import grant
from mec_orchestrator.policies import mec_host
from mec_orchestrator.policies import placement
from mec_orchestrator.policies import platform
from mec_orchestrator.policies import vim


def list_rules():
    """Every default rule, for the enforcer and oslopolicy-sample-generator.

    :returns: an iterator of RuleDefault.
    """
    return itertools.chain(
        base.list_rules(),
        app_lcm.list_rules(),
        app_package.list_rules(),
        conductor.list_rules(),
        grant.list_rules(),
        mec_host.list_rules(),
        placement.list_rules(),
        platform.list_rules(),
        vim.list_rules(),
    )
