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
"""Start, track, probe and stop the lab's processes.

Every process is started in its own session (so its process group id is
its pid) with :data:`settings.TAG_VAR` in its environment, and recorded in
``run/procs.json`` (pid and kernel start time) as soon as it starts.
``stop_all`` signals only the recorded process groups whose leader is
still the process the lab started, or, once a leader died, its session's
members that carry the tag, so it never touches a process the lab did not
start, even after a pid was reused.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from lablib import settings


class LabError(Exception):
    """A lab operation failed; the message says what and where to look."""


def log(message):
    """Print a progress line with the seconds since the tool started."""
    print('[lab %6.1fs] %s' % (time.monotonic() - _T0, message), flush=True)


_T0 = time.monotonic()


def load_procs():
    """Return the recorded processes: ``{name: {pid, start, argv, log}}``."""
    try:
        with open(settings.PROCS_FILE) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}


def _save_procs(procs):
    os.makedirs(settings.RUN_DIR, exist_ok=True)
    tmp = settings.PROCS_FILE + '.tmp'
    with open(tmp, 'w') as handle:
        json.dump(procs, handle, indent=1, sort_keys=True)
    os.replace(tmp, settings.PROCS_FILE)


def base_env():
    """Environment for lab processes: ours, plus the tag.

    Variables that would point a service elsewhere (a venv, OpenStack
    credentials, another RabbitMQ's or MySQL's settings) are dropped.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME')
           and not k.startswith(('OS_', 'RABBITMQ_', 'ERL_', 'MYSQL_'))}
    env[settings.TAG_VAR] = settings.TAG
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    return env


def start(name, argv, env=None, cwd=None):
    """Start a long-running process and record it.

    :param name: unique name of the process in the lab (also its log name).
    :param argv: the command line.
    :param env: extra environment variables.
    :param cwd: working directory; default the lab directory.
    :returns: the pid (which is also the process group id).
    """
    os.makedirs(settings.LOG_DIR, exist_ok=True)
    logfile = os.path.join(settings.LOG_DIR, name + '.log')
    full_env = base_env()
    full_env.update(env or {})
    with open(logfile, 'ab') as out:
        proc = subprocess.Popen(  # noqa: S603 (argv built by the lab)
            argv, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, env=full_env,
            cwd=cwd or settings.LAB_DIR, start_new_session=True)
    procs = load_procs()
    procs[name] = {'pid': proc.pid, 'start': _stat(proc.pid)['start'],
                   'argv': argv, 'log': logfile}
    _save_procs(procs)
    # The lab tool exits before its children: do not keep Popen objects
    # (and their zombie bookkeeping) around; is_alive() reads /proc.
    proc.returncode = 0
    return proc.pid


def run(argv, env=None, logname=None, timeout=600):
    """Run a short command to completion, logging its output.

    :raises LabError: when it exits non-zero (with the log's tail).
    """
    os.makedirs(settings.LOG_DIR, exist_ok=True)
    logfile = os.path.join(settings.LOG_DIR,
                           (logname or os.path.basename(argv[0])) + '.log')
    full_env = base_env()
    full_env.update(env or {})
    with open(logfile, 'ab') as out:
        out.write(('\n$ %s\n' % ' '.join(argv)).encode())
        out.flush()
        result = subprocess.run(  # noqa: S603 (argv built by the lab)
            argv, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, env=full_env, cwd=settings.LAB_DIR,
            timeout=timeout, check=False)
    if result.returncode != 0:
        raise LabError('%s failed (exit %d); last lines of %s:\n%s' % (
            ' '.join(argv), result.returncode, logfile, tail(logfile)))


def tail(path, lines=15):
    """Return the last ``lines`` lines of a file ('' if missing)."""
    try:
        with open(path, 'rb') as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 8192))
            data = handle.read().decode(errors='replace')
    except FileNotFoundError:
        return ''
    return '\n'.join(data.splitlines()[-lines:])


def _stat(pid):
    """state, session id, process group and start time of ``pid``.

    :returns: a dict, or None if there is no such process.
    """
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # After the command: state ppid pgrp session ... starttime (22nd field
    # of the whole line, 20th after the command).
    return {'state': fields[0], 'pgrp': int(fields[2]),
            'session': int(fields[3]), 'start': int(fields[19])}


def _live(stat):
    return stat is not None and stat['state'] not in ('Z', 'X')


def is_ours(entry):
    """True if the recorded process (pid and start time) still runs.

    The start time guards against a reused pid. (The environment tag is not
    enough on its own: setproctitle overwrites /proc/PID/environ.)
    """
    stat = _stat(entry['pid'])
    return _live(stat) and stat['start'] == entry.get('start')


def is_alive(name):
    """True if the recorded process ``name`` is running."""
    entry = load_procs().get(name)
    return bool(entry) and is_ours(entry)


def _tagged(pid):
    """True if ``pid`` carries the lab tag or runs in the lab directory."""
    try:
        with open('/proc/%d/environ' % pid, 'rb') as handle:
            environ = handle.read().split(b'\0')
        if ('%s=%s' % (settings.TAG_VAR, settings.TAG)).encode() in environ:
            return True
        cwd = os.readlink('/proc/%d/cwd' % pid)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    return cwd == settings.LAB_DIR or cwd.startswith(settings.LAB_DIR + '/')


def _group_members(entry):
    """Live processes of the session/group the lab started for ``entry``.

    While the leader runs, its whole process group is ours. Once it died,
    only members of its session that started after it and carry the tag
    (or run in the lab directory) are.
    """
    leader = entry['pid']
    leader_ours = is_ours(entry)
    members = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        pid = int(name)
        stat = _stat(pid)
        if not _live(stat) or stat['pgrp'] != leader:
            continue
        if leader_ours or (stat['session'] == leader and
                           stat['start'] >= entry.get('start', 0) and
                           _tagged(pid)):
            members.append(pid)
    return members


def stop_all(timeout=15.0, names=None):
    """Stop recorded processes (all, or ``names``): TERM, then KILL.

    Only what :func:`_group_members` finds is signalled, never by name.

    :returns: the names that were stopped.
    """
    procs = load_procs()
    targets = {}
    for name, entry in procs.items():
        if names is not None and name not in names:
            continue
        if _group_members(entry):
            targets[name] = entry
    for entry in targets.values():
        _signal(entry, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_group_members(entry) for entry in targets.values()):
            break
        time.sleep(0.1)
    for name, entry in targets.items():
        if _group_members(entry):
            log('%s did not stop on SIGTERM: SIGKILL' % name)
            _signal(entry, signal.SIGKILL)
    for name in list(procs):
        if names is None or name in names:
            procs.pop(name)
    _save_procs(procs)
    return sorted(targets)


def _signal(entry, signum):
    if is_ours(entry):
        try:
            os.killpg(entry['pid'], signum)
        except ProcessLookupError:
            pass
        return
    for pid in _group_members(entry):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def rss_kib(names=None):
    """Total resident memory (KiB) of the recorded process groups."""
    total = 0
    for name, entry in load_procs().items():
        if names is not None and name not in names:
            continue
        for pid in _group_members(entry):
            try:
                with open('/proc/%d/status' % pid) as handle:
                    for line in handle:
                        if line.startswith('VmRSS:'):
                            total += int(line.split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
    return total


def tcp_open(port, host=settings.HOST):
    """True if something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_status(url, timeout=2.0):
    """HTTP status code of GET ``url``, or None if nothing answers."""
    try:
        # Only the lab's own http://127.0.0.1 URLs are probed.
        with urllib.request.urlopen(  # noqa: S310  # nosec B310
                url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


def wait_for(what, check, timeout, procs=(), interval=0.2):
    """Poll ``check()`` until it is true.

    :param what: description for messages.
    :param check: callable returning a true value when ready.
    :param timeout: seconds.
    :param procs: names of processes that must stay alive meanwhile.
    :raises LabError: on timeout or when one of ``procs`` died.
    """
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        for name in procs:
            if not is_alive(name):
                entry = load_procs().get(name, {})
                raise LabError('%s died while waiting for %s; last lines of '
                               '%s:\n%s' % (name, what, entry.get('log'),
                                            tail(entry.get('log', ''))))
        if time.monotonic() > deadline:
            raise LabError('timed out after %ds waiting for %s' %
                           (timeout, what))
        time.sleep(interval)
