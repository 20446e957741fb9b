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
"""Paths, ports, credentials and hashes of the lab.

Everything the other modules need to agree on lives here, read once from
the environment:

``MEC_LAB_CACHE``
    cache directory (venvs, golden states); default
    ``~/.cache/mec-orchestrator-lab``.
``MEC_LAB_DIR``
    runtime directory (configs, databases, logs, ``lab.json``); default
    ``/tmp/mec-orchestrator-lab``.
``MEC_LAB_PORT_<NAME>``
    override one port of :data:`DEFAULT_PORTS` (``NAME`` upper case).
``MEC_LAB_PYTHON``
    interpreter the service venvs are made from; default the one running
    this tool.
"""

import functools
import hashlib
import os
import sys

#: tools/lab, where this tool and its templates live.
LAB_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(LAB_HOME, 'templates')
REQUIREMENTS = os.path.join(LAB_HOME, 'requirements')
CONSTRAINTS = os.path.join(LAB_HOME, 'constraints.txt')
INNER = os.path.join(LAB_HOME, 'inner')
SHIMS = os.path.join(LAB_HOME, 'shims')
PLUGINS = os.path.join(LAB_HOME, 'plugins')

CACHE_DIR = os.path.abspath(os.path.expanduser(
    os.environ.get('MEC_LAB_CACHE', '~/.cache/mec-orchestrator-lab')))
# A fixed, documented default: one lab per machine (ports are fixed too).
_DEFAULT_LAB_DIR = '/tmp/mec-orchestrator-lab'  # noqa: S108  # nosec B108
LAB_DIR = os.path.abspath(os.environ.get('MEC_LAB_DIR', _DEFAULT_LAB_DIR))
PYTHON = os.environ.get('MEC_LAB_PYTHON', sys.executable)

#: Every listener binds 127.0.0.1 only.
HOST = '127.0.0.1'
REGION = 'RegionOne'

#: Service groups, one venv each (requirements/<name>.txt).
VENV_GROUPS = ('keystone', 'heat', 'nova', 'neutron', 'glance')

DEFAULT_PORTS = {
    'keystone': 5000,
    'glance': 9292,
    'placement': 8778,
    'nova': 8774,
    'neutron': 9696,
    'heat': 8004,
    'mariadb': 13306,
    'rabbitmq': 5699,
    'rabbitmq_dist': 25699,
    'epmd': 4399,
}


def _ports():
    ports = {}
    for name, default in DEFAULT_PORTS.items():
        value = os.environ.get('MEC_LAB_PORT_' + name.upper())
        ports[name] = int(value) if value else default
    return ports


PORTS = _ports()

#: Lab-only secrets: every listener is on the loopback address.
PASSWORDS = {
    'admin': 'lab-admin-pw',
    'demo': 'lab-demo-pw',
    'service': 'lab-service-pw',
    'heat_domain_admin': 'lab-heat-domain-pw',
    'db': 'lab-db-pw',
    'rabbit': 'lab-rabbit-pw',
}
DB_USER = 'lab'
RABBIT_USER = 'lab'

#: Names of what the lab seeds (tests read them from lab.json).
SEED = {
    'flavor': 'm1.tiny',
    'image': 'cirros-fake',
    'network': 'lab-net',
    'subnet': 'lab-subnet',
    'subnet_cidr': '10.20.0.0/24',
    'demo_project': 'demo',
    'demo_user': 'demo',
    'compute_host': 'lab-compute',
}

#: Databases on the private MariaDB.
DATABASES = ('keystone', 'glance', 'placement', 'nova_api', 'nova_cell0',
             'nova', 'neutron', 'heat')

#: The node identity FakeDriver reports is derived from this namespace
#: (see shims/lab_nova_compute.py); the golden state keeps it stable.
NODE_UUID_NAMESPACE = '6f1f8a52-6e55-4a0c-9a53-6b7e0f3c0a11'

# Runtime layout under LAB_DIR.
ETC_DIR = os.path.join(LAB_DIR, 'etc')
STATE_DIR = os.path.join(LAB_DIR, 'state')
RUN_DIR = os.path.join(LAB_DIR, 'run')
LOG_DIR = os.path.join(LAB_DIR, 'logs')
PROCS_FILE = os.path.join(RUN_DIR, 'procs.json')
LAB_JSON = os.path.join(LAB_DIR, 'lab.json')
CLOUDS_YAML = os.path.join(LAB_DIR, 'clouds.yaml')
OPENRC = os.path.join(LAB_DIR, 'openrc')

#: Marker put in the environment of every process the lab starts, so that
#: ``down`` never signals a process it did not start.
TAG_VAR = 'MEC_LAB_TAG'
TAG = 'mec-lab:' + LAB_DIR


def _hash_files(digest, paths):
    for path in sorted(paths):
        digest.update(path.encode() + b'\0')
        with open(path, 'rb') as handle:
            digest.update(handle.read())


def _tree(root, suffixes=None):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != '__pycache__']
        for filename in filenames:
            if suffixes is None or filename.endswith(suffixes):
                found.append(os.path.join(dirpath, filename))
    return found


def python_version():
    """Return the ``X.Y.Z`` version of :data:`PYTHON` (cheap: no import)."""
    real = os.path.realpath(PYTHON)
    return '%s:%s' % (real, os.path.getsize(real))


@functools.cache
def venv_hash():
    """Hash of what determines the venvs' contents.

    :returns: 12 hex digits over the constraints, the requirement files,
        the interpreter and the in-tree ML2 plugin that is copied into the
        neutron venv.
    """
    digest = hashlib.sha256()
    digest.update(python_version().encode())
    files = [CONSTRAINTS] + _tree(REQUIREMENTS, ('.txt',)) + _tree(PLUGINS)
    _hash_files(digest, files)
    return digest.hexdigest()[:12]


@functools.cache
def golden_hash():
    """Hash of what determines the golden (pre-seeded) state.

    The state holds absolute paths (Glance's image locations, Nova's cell
    mapping) and ports (the Keystone catalog), so the runtime directory and
    the ports are part of it, as are the venvs, the config templates and
    the code that builds the state (not, say, the smoke test).

    :returns: 12 hex digits.
    """
    digest = hashlib.sha256()
    digest.update(venv_hash().encode())
    digest.update(LAB_DIR.encode())
    digest.update(repr(sorted(PORTS.items())).encode())
    files = _tree(TEMPLATES) + _tree(SHIMS, ('.py',)) + [
        os.path.join(INNER, 'seed.py'), os.path.join(INNER, 'labcommon.py')]
    files += [os.path.join(LAB_HOME, 'lablib', name) for name in
              ('settings.py', 'services.py', 'lifecycle.py')]
    _hash_files(digest, files)
    return digest.hexdigest()[:12]


def venv_root():
    """Directory holding the venvs of the current constraints."""
    return os.path.join(CACHE_DIR, 'venvs', venv_hash())


def venv_bin(group, program):
    """Path of ``program`` in the venv of service group ``group``."""
    return os.path.join(venv_root(), group, 'bin', program)


def golden_dir():
    """Directory of the golden state matching the current hash."""
    return os.path.join(CACHE_DIR, 'golden', golden_hash())


def db_url(name):
    """SQLAlchemy URL of database ``name`` on the lab's MariaDB."""
    return 'mysql+pymysql://%s:%s@%s:%d/%s?charset=utf8mb4' % (
        DB_USER, PASSWORDS['db'], HOST, PORTS['mariadb'], name)


def transport_url():
    """oslo.messaging URL of the lab's RabbitMQ."""
    return 'rabbit://%s:%s@%s:%d/' % (RABBIT_USER, PASSWORDS['rabbit'], HOST,
                                      PORTS['rabbitmq'])


def url(service, path=''):
    """Base URL of an HTTP service of the lab."""
    return 'http://%s:%d%s' % (HOST, PORTS[service], path)


AUTH_URL = url('keystone', '/v3')
