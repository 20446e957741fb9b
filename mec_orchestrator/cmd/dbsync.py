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
"""mec-orchestrator-dbsync: database schema migrations.

``upgrade [--revision REV]`` brings the schema up to date,
``version`` prints the current revision, ``check`` exits 0 when the
schema is current and 1 when an upgrade is needed.
"""

import sys

from oslo_config import cfg

from mec_orchestrator.common import service
from mec_orchestrator import conf
from mec_orchestrator.db import migration

CONF = conf.CONF


def _upgrade():
    migration.upgrade(CONF.command.revision)
    print('Database at revision %s' % migration.version())
    return 0


def _version():
    print(migration.version() or 'None (empty database)')
    return 0


def _check():
    current, head = migration.version(), migration.head()
    if current == head:
        print('Database is current (revision %s)' % current)
        return 0
    print('Database needs an upgrade: at %s, latest is %s'
          % (current or 'nothing', head))
    return 1


def _add_commands(subparsers):
    parser = subparsers.add_parser('upgrade',
                                   help='Upgrade the database schema.')
    parser.add_argument('--revision', default='heads',
                        help='Revision to upgrade to (default: latest).')
    parser.set_defaults(func=_upgrade)
    parser = subparsers.add_parser('version',
                                   help='Print the schema revision.')
    parser.set_defaults(func=_version)
    parser = subparsers.add_parser(
        'check', help='Exit 0 if the schema is current, 1 if not.')
    parser.set_defaults(func=_check)


_command_opt = cfg.SubCommandOpt('command', title='Commands',
                                 handler=_add_commands)


def main(argv=None):
    CONF.register_cli_opt(_command_opt)
    service.prepare_service(sys.argv[1:] if argv is None else argv)
    return CONF.command.func()


if __name__ == '__main__':
    sys.exit(main())
