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
"""mec-orchestrator-keys: the key repository of the secrets at rest.

``setup`` creates ``[crypto] key_repository`` (0700) with a staged and a
primary key, keeping any keys already there; ``rotate`` promotes the staged
key to primary, stages a new key and drops the oldest beyond ``[crypto]
max_active_keys``; ``status`` prints the keys' numbers and roles. Copy the
repository to every conductor after ``setup`` and ``rotate``, as Keystone's
fernet keys.
"""

import sys

from oslo_config import cfg

from mec_orchestrator.common import crypto
from mec_orchestrator.common import exception
from mec_orchestrator.common import service
from mec_orchestrator import conf

CONF = conf.CONF


def _repository():
    return crypto.KeyRepository(CONF.crypto.key_repository)


def _setup():
    repository = _repository()
    if repository.create():
        print('Created keys in %s' % repository.path)
    else:
        print('Key repository %s already has keys' % repository.path)
    return 0


def _rotate():
    primary = _repository().rotate()
    print('Primary key is now %d' % primary)
    return 0


def _status():
    repository = _repository()
    repository.load()
    numbers = repository.numbers()
    for number in numbers:
        role = ('staged' if number == 0 else
                'primary' if number == numbers[-1] else 'secondary')
        print('%d %s' % (number, role))
    return 0


def _add_commands(subparsers):
    for name, func, text in (
            ('setup', _setup, 'Create the key repository if needed.'),
            ('rotate', _rotate, 'Rotate the keys.'),
            ('status', _status, 'List the keys and their roles.')):
        parser = subparsers.add_parser(name, help=text)
        parser.set_defaults(func=func)


_command_opt = cfg.SubCommandOpt('command', title='Commands',
                                 handler=_add_commands)


def main(argv=None):
    CONF.register_cli_opt(_command_opt)
    service.prepare_service(sys.argv[1:] if argv is None else argv)
    try:
        return CONF.command.func()
    except exception.KeyRepositoryError as e:
        print(str(e), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
