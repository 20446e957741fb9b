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
"""mec-orchestrator-status: upgrade checks (oslo.upgradecheck)."""

import sys

from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck

from mec_orchestrator.common.i18n import _
from mec_orchestrator.common import service
from mec_orchestrator import conf
from mec_orchestrator.db import migration

CONF = conf.CONF


class Checks(upgradecheck.UpgradeCommands):
    """The checks an operator runs before and after an upgrade."""

    def _check_db_schema(self):
        try:
            current = migration.version()
        except Exception as e:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('Cannot read the database schema: %s')
                % e.__class__.__name__)
        head = migration.head()
        if current != head:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('Schema at %(cur)s, expected %(head)s: run '
                  'mec-orchestrator-dbsync upgrade.')
                % {'cur': current, 'head': head})
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_auth_strategy(self):
        if CONF.auth_strategy == 'noauth':
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('auth_strategy is noauth: every request acts as the '
                  '[noauth] identity. Use keystone outside labs.'))
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    _upgrade_checks = (
        (_('Database schema'), _check_db_schema),
        (_('Authentication'), _check_auth_strategy),
        (_('Policy File JSON to YAML Migration'),
         (common_checks.check_policy_json, {'conf': CONF})),
    )


def main(argv=None):
    service.init_backend()
    return upgradecheck.main(CONF, project='mec-orchestrator',
                             upgrade_command=Checks())


if __name__ == '__main__':
    sys.exit(main())
