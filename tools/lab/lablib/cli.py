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
"""Command line of ``tools/lab/lab``."""

import argparse
import os
import signal
import subprocess
import sys
import time

from lablib import lifecycle
from lablib import procs
from lablib import settings
from lablib import venvs

#: Debian packages the lab needs (apt-get installs do not start them).
DEBIAN_PACKAGES = ('rabbitmq-server', 'mariadb-server', 'mariadb-client')


def cmd_deps(args):
    """Install the Debian packages (quick when they are installed)."""
    missing = []
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(  # noqa: S603 (fixed argv)
            ['/usr/bin/dpkg-query', '-W', '-f=${Status}', package],
            capture_output=True, text=True, check=False)
        if 'install ok installed' not in result.stdout:
            missing.append(package)
    if not missing:
        procs.log('Debian packages present: %s' % ' '.join(DEBIAN_PACKAGES))
        return 0
    procs.log('installing %s' % ' '.join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    subprocess.run(['/usr/bin/apt-get', 'update', '-q'],  # noqa: S603
                   check=True, env=env)
    subprocess.run(['/usr/bin/apt-get', 'install',  # noqa: S603 '-y', '-q',
                    '--no-install-recommends'] + list(DEBIAN_PACKAGES),
                   check=True, env=env)
    procs.log('Debian packages installed')
    return 0


def cmd_build(args):
    """Create the service venvs in parallel (no-op when present)."""
    venvs.build()
    return 0


def cmd_freeze(args):
    """Re-resolve requirements/ and rewrite constraints.txt."""
    venvs.freeze()
    return 0


def cmd_up(args):
    """Start the lab."""
    try:
        lifecycle.up(cold=args.cold)
    except (procs.LabError, KeyboardInterrupt):
        if not args.keep_on_failure:
            procs.log('up failed: stopping what was started (logs kept)')
            lifecycle.down(quiet=True)
        raise
    return 0


def cmd_down(args):
    """Stop the lab."""
    lifecycle.down()
    return 0


def cmd_status(args):
    """Show which services are up."""
    return lifecycle.status()


def _raise_on_term(signum, frame):
    raise KeyboardInterrupt('signal %d' % signum)


def cmd_run(args):
    """up, run a command against the lab, down (always)."""
    command = args.command
    if command and command[0] == '--':
        command = command[1:]
    if not command:
        sys.exit('lab run: no command given (lab run -- CMD ...)')
    signal.signal(signal.SIGTERM, _raise_on_term)
    signal.signal(signal.SIGHUP, _raise_on_term)
    status = 1
    started = False
    try:
        # A lab that was already up (a developer's) is used and left up.
        started = lifecycle.up(cold=args.cold) is not None
        env = dict(os.environ, MEC_LAB_STATE=settings.LAB_JSON,
                   OS_CLIENT_CONFIG_FILE=settings.CLOUDS_YAML)
        procs.log('running: %s' % ' '.join(command))
        start = time.monotonic()
        # The user's own command, by design.
        status = subprocess.run(  # noqa: S603
            command, env=env, check=False).returncode
        procs.log('command exited %d after %.1fs' % (
            status, time.monotonic() - start))
    except KeyboardInterrupt:
        procs.log('interrupted')
        status = 130
    finally:
        if started or not os.path.exists(settings.LAB_JSON):
            lifecycle.down()
    return status


def cmd_smoke(args):
    """Boot a server and a Heat stack, delete both, print timings."""
    if not os.path.exists(settings.LAB_JSON):
        sys.exit('lab is not up (no %s): run `lab up` first'
                 % settings.LAB_JSON)
    lifecycle.inner('smoke.py')
    return 0


def cmd_env(args):
    """Print shell exports for the running lab (eval "$(lab env)")."""
    print('export MEC_LAB_STATE=%s' % settings.LAB_JSON)
    print('export OS_CLIENT_CONFIG_FILE=%s' % settings.CLOUDS_YAML)
    return 0


def parser():
    top = argparse.ArgumentParser(
        prog='lab', description='A real OpenStack lab (Keystone, Glance, '
        'Placement, Nova with the fake driver, Neutron + networking-sfc, '
        'Heat) on 127.0.0.1 for the MEC Orchestrator\'s functional tests. '
        'See doc/source/contributor/lab.rst.')
    subs = top.add_subparsers(dest='command_name', required=True)
    for name, func in (('deps', cmd_deps), ('build', cmd_build),
                       ('freeze', cmd_freeze), ('down', cmd_down),
                       ('status', cmd_status), ('smoke', cmd_smoke),
                       ('env', cmd_env)):
        sub = subs.add_parser(name, help=func.__doc__)
        sub.set_defaults(func=func)
    sub = subs.add_parser('up', help=cmd_up.__doc__)
    sub.add_argument('--cold', action='store_true',
                     help='rebuild the state from scratch (new golden)')
    sub.add_argument('--keep-on-failure', action='store_true',
                     help='leave the processes running if up fails')
    sub.set_defaults(func=cmd_up)
    sub = subs.add_parser('run', help=cmd_run.__doc__)
    sub.add_argument('--cold', action='store_true')
    sub.add_argument('command', nargs=argparse.REMAINDER)
    sub.set_defaults(func=cmd_run)
    return top


def main(argv):
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except procs.LabError as exc:
        procs.log('ERROR: %s' % exc)
        return 1
    except KeyboardInterrupt:
        procs.log('interrupted')
        return 130
