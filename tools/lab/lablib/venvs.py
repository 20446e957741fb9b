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
"""Build the service venvs (in parallel) and refreeze the constraints.

The venvs live in ``$MEC_LAB_CACHE/venvs/<hash>/<group>`` where the hash
covers ``constraints.txt``, ``requirements/*.txt``, the interpreter and the
in-tree ML2 plugin, so they are reused across runs and rebuilt only when one
of those changes. A venv is complete when its ``.lab-complete`` marker
exists; a half-built one is removed and built again.
"""

import concurrent.futures
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time

from lablib import procs
from lablib import settings

MARKER = '.lab-complete'

#: The ML2 mechanism driver copied into the neutron venv, and the entry
#: point that makes ML2 find it by name.
ML2_MODULE = 'meclab_ml2.py'
ML2_DIST = 'meclab_ml2-1.0.dist-info'
ML2_ENTRY_POINTS = """[neutron.ml2.mechanism_drivers]
meclab = meclab_ml2:LabMechanismDriver
"""


def _site_packages(venv):
    lib = os.path.join(venv, 'lib')
    for name in os.listdir(lib):
        if name.startswith('python'):
            return os.path.join(lib, name, 'site-packages')
    raise procs.LabError('no site-packages in %s' % venv)


def _install_ml2_plugin(venv):
    site = _site_packages(venv)
    shutil.copy(os.path.join(settings.PLUGINS, ML2_MODULE), site)
    dist = os.path.join(site, ML2_DIST)
    os.makedirs(dist, exist_ok=True)
    with open(os.path.join(dist, 'METADATA'), 'w') as handle:
        handle.write('Metadata-Version: 2.1\nName: meclab-ml2\n'
                     'Version: 1.0\nSummary: MEC lab ML2 driver\n')
    with open(os.path.join(dist, 'entry_points.txt'), 'w') as handle:
        handle.write(ML2_ENTRY_POINTS)
    with open(os.path.join(dist, 'RECORD'), 'w') as handle:
        handle.write('')


def _build_one(group):
    venv = os.path.join(settings.venv_root(), group)
    if os.path.exists(os.path.join(venv, MARKER)):
        return group, 0.0, False
    start = time.monotonic()
    shutil.rmtree(venv, ignore_errors=True)
    logname = 'build-%s' % group
    procs.run([settings.PYTHON, '-m', 'venv', venv], logname=logname)
    pip = os.path.join(venv, 'bin', 'pip')
    procs.run([pip, 'install', '--no-input', '--quiet',
               '-c', settings.CONSTRAINTS,
               '-r', os.path.join(settings.REQUIREMENTS, group + '.txt')],
              logname=logname, timeout=1500)
    if group == 'neutron':
        _install_ml2_plugin(venv)
    with open(os.path.join(venv, MARKER), 'w') as handle:
        handle.write(time.strftime('%Y-%m-%dT%H:%M:%S\n'))
    return group, time.monotonic() - start, True


class _Lock:
    """An exclusive flock on a file in the cache (serialises builders)."""

    def __init__(self, name):
        os.makedirs(settings.CACHE_DIR, exist_ok=True)
        self.path = os.path.join(settings.CACHE_DIR, name)
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, 'w')
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def lock(name):
    """Return a context manager holding an exclusive lock ``name``."""
    return _Lock(name)


def built():
    """True if every venv of the current hash is complete."""
    root = settings.venv_root()
    return all(os.path.exists(os.path.join(root, group, MARKER))
               for group in settings.VENV_GROUPS)


def build():
    """Create the missing venvs in parallel (a no-op when all exist).

    :raises LabError: if a pip install fails (its log is named).
    """
    os.makedirs(settings.LOG_DIR, exist_ok=True)
    with lock('build.lock'):
        if built():
            procs.log('venvs up to date in %s' % settings.venv_root())
            return
        procs.log('building venvs in %s' % settings.venv_root())
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(
                len(settings.VENV_GROUPS)) as pool:
            futures = [pool.submit(_build_one, group)
                       for group in settings.VENV_GROUPS]
            for future in concurrent.futures.as_completed(futures):
                group, seconds, did = future.result()
                if did:
                    procs.log('venv %s built in %.0fs' % (group, seconds))
        procs.log('venvs built in %.0fs' % (time.monotonic() - start))
        _prune_old(os.path.join(settings.CACHE_DIR, 'venvs'),
                   settings.venv_hash())


def _prune_old(parent, keep, spare=1):
    """Remove all but the newest ``spare`` entries besides ``keep``."""
    try:
        entries = [os.path.join(parent, e) for e in os.listdir(parent)
                   if e != keep]
    except FileNotFoundError:
        return
    entries.sort(key=os.path.getmtime, reverse=True)
    for old in entries[spare:]:
        shutil.rmtree(old, ignore_errors=True)


def freeze():
    """Resolve every group together and rewrite ``constraints.txt``.

    Resolving all requirement files in one pip run gives one consistent set
    of versions for the separate venvs. Run this on purpose (it changes the
    venv hash, so the next ``build`` rebuilds every venv), then test.
    """
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, 'resolve')
        subprocess.run([settings.PYTHON, '-m', 'venv', venv],  # noqa: S603
                       check=True)
        report = os.path.join(tmp, 'report.json')
        argv = [os.path.join(venv, 'bin', 'pip'), 'install', '--quiet',
                '--dry-run', '--ignore-installed', '--report', report]
        for group in settings.VENV_GROUPS:
            argv += ['-r', os.path.join(settings.REQUIREMENTS,
                                        group + '.txt')]
        subprocess.run(argv, check=True)  # noqa: S603 (pip, our files)
        with open(report) as handle:
            installs = json.load(handle)['install']
    pins = sorted('%s==%s' % (item['metadata']['name'],
                              item['metadata']['version'])
                  for item in installs)
    header = ('# Generated by `tools/lab/lab freeze`: every package of the\n'
              '# lab venvs, resolved together, as tested. Edit requirements/\n'
              '# and rerun freeze rather than editing by hand.\n')
    with open(settings.CONSTRAINTS, 'w') as handle:
        handle.write(header + '\n'.join(pins) + '\n')
    procs.log('wrote %d pins to %s' % (len(pins), settings.CONSTRAINTS))
