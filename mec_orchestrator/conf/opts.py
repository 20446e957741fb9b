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
"""Options listing for oslo-config-generator and defaults for other libs."""

import itertools

from oslo_log import log
from oslo_middleware import cors
from oslo_policy import opts as policy_opts

from mec_orchestrator.conf import api
from mec_orchestrator.conf import app_lcm
from mec_orchestrator.conf import app_package
from mec_orchestrator.conf import conductor
from mec_orchestrator.conf import crypto
from mec_orchestrator.conf import default
from mec_orchestrator.conf import drivers
from mec_orchestrator.conf import noauth
from mec_orchestrator.conf import openstack
from mec_orchestrator.conf import outbound
from mec_orchestrator.conf import packaging
from mec_orchestrator.conf import placement
from mec_orchestrator.conf import platform
from mec_orchestrator.conf import vim

_DEFAULT_LOG_LEVELS = [
    'amqp=WARNING', 'amqplib=WARNING', 'kombu=WARNING',
    'oslo_messaging=INFO', 'sqlalchemy=WARNING', 'stevedore=INFO',
    'keystonemiddleware=WARNING', 'keystoneauth=WARNING',
    'urllib3.connectionpool=WARNING', 'oslo_policy=INFO',
    'pecan=WARNING', 'waitress=WARNING', 'cotyledon=WARNING',
    'tosca=WARNING', 'toscaparser=WARNING', 'translator=WARNING',
    'alembic.runtime.migration=WARNING',
]


def list_opts():
    """The project's own options, for oslo-config-generator.

    :returns: a list of (group, options) pairs.
    """
    return [
        ('DEFAULT', default.opts),
        (api.group, api.opts),
        (app_lcm.group, app_lcm.opts),
        (app_package.group, app_package.opts),
        (conductor.group, conductor.opts),
        (crypto.group, crypto.opts),
        (drivers.group, drivers.opts),
        (noauth.group, noauth.opts),
        (openstack.group, openstack.opts),
        (outbound.group, outbound.opts),
        (packaging.group, packaging.opts),
        (placement.group, placement.opts),
        (platform.group, platform.opts),
        (vim.group, vim.opts),
    ]


def update_opt_defaults(conf=None):
    """Set the project's defaults on the libraries' options.

    Secure RBAC is on by default: the new policy defaults are enforced and
    the token's scope is checked.

    :param conf: the ConfigOpts to update; the global CONF by default.
    """
    from mec_orchestrator.conf import CONF
    conf = conf or CONF
    log.set_defaults(default_log_levels=list(itertools.chain(
        log.get_default_log_levels(), _DEFAULT_LOG_LEVELS)))
    policy_opts.set_defaults(conf, enforce_scope=True,
                             enforce_new_defaults=True)
    cors.set_defaults(
        allow_headers=['Content-Type', 'Accept', 'Authorization',
                       'X-Auth-Token', 'X-OpenStack-Request-ID',
                       'Version'],
        expose_headers=['X-OpenStack-Request-ID', 'Location',
                        'Version'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
