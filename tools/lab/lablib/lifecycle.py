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
"""up / down / status of the lab, and its golden state.

Cold ``up`` (no golden state for the current hash, or ``--cold``):
initialise MariaDB, sync every database and bootstrap Keystone (in
parallel), start Keystone and register identities and the catalog, start
every other service, seed flavor, image and network, map the compute host,
then stop everything and save ``$LAB_DIR/state`` as the golden state.
It then continues like a warm ``up``.

Warm ``up``: copy the golden state into ``$LAB_DIR/state``, start MariaDB,
RabbitMQ (fresh, it keeps nothing) and every service, wait until each API
answers and nova-compute, nova-scheduler, nova-conductor and heat-engine
have reported, then write ``lab.json``, ``clouds.yaml`` and ``openrc``.
"""

import concurrent.futures
import datetime
import json
import os
import shutil
import subprocess
import time

from lablib import procs
from lablib import services
from lablib import settings
from lablib import venvs

log = procs.log

INNER_PYTHON_GROUP = 'heat'


def _admin():
    return {'username': 'admin', 'password': settings.PASSWORDS['admin'],
            'project_name': 'admin', 'user_domain_name': 'Default',
            'project_domain_name': 'Default'}


def _demo():
    return {'username': settings.SEED['demo_user'],
            'password': settings.PASSWORDS['demo'],
            'project_name': settings.SEED['demo_project'],
            'user_domain_name': 'Default', 'project_domain_name': 'Default'}


def endpoints():
    """Public endpoint of every service, as registered in the catalog."""
    return {
        'identity': settings.AUTH_URL,
        'compute': settings.url('nova', '/v2.1'),
        'placement': settings.url('placement'),
        'image': settings.url('glance'),
        'network': settings.url('neutron'),
        'orchestration': settings.url('heat', '/v1/%(tenant_id)s'),
    }


def params():
    """What the inner scripts need (and what lab.json publishes)."""
    return {
        'auth_url': settings.AUTH_URL,
        'region': settings.REGION,
        'admin': _admin(),
        'demo': _demo(),
        'endpoints': endpoints(),
        'seed': dict(settings.SEED),
        'service_password': settings.PASSWORDS['service'],
        'heat_domain_admin_password': settings.PASSWORDS['heat_domain_admin'],
    }


def _write(path, text, mode=0o600):
    tmp = path + '.tmp'
    with open(tmp, 'w') as handle:
        handle.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _params_file():
    path = os.path.join(settings.RUN_DIR, 'params.json')
    _write(path, json.dumps(params(), indent=1))
    return path


def inner(script, *args, timeout=600):
    """Run tools/lab/inner/<script> with the heat venv's Python.

    Its output goes to the terminal (progress) and is not captured.
    :raises LabError: if it fails.
    """
    argv = [settings.venv_bin(INNER_PYTHON_GROUP, 'python'),
            os.path.join(settings.INNER, script), _params_file()]
    argv += list(args)
    env = procs.base_env()
    result = subprocess.run(argv, env=env,  # noqa: S603 (lab's own argv) stdin=subprocess.DEVNULL,
                            timeout=timeout, check=False)
    if result.returncode != 0:
        raise procs.LabError('%s %s failed (exit %d); see the logs in %s' % (
            script, ' '.join(args), result.returncode, settings.LOG_DIR))


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%S')


# --- infrastructure --------------------------------------------------------

def _mysql(sql):
    procs.run([services.MARIADB, '--defaults-file=' +
               services.etc('mysql/my.cnf'), '-uroot', '-e', sql],
              logname='mariadb-setup')


def _init_mariadb():
    datadir = os.path.join(settings.STATE_DIR, 'mysql')
    os.makedirs(datadir, exist_ok=True)
    procs.run([services.MARIADB_INSTALL_DB,
               '--defaults-file=' + services.etc('mysql/my.cnf'),
               '--auth-root-authentication-method=socket',
               '--skip-test-db', '--user=root'], logname='mariadb-setup')


def _create_databases():
    statements = []
    for name in settings.DATABASES:
        statements.append('CREATE DATABASE IF NOT EXISTS %s;' % name)
    for host in ('127.0.0.1', 'localhost'):
        statements.append(
            "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s';"
            % (settings.DB_USER, host, settings.PASSWORDS['db']))
        statements.append("GRANT ALL PRIVILEGES ON *.* TO '%s'@'%s';"
                          % (settings.DB_USER, host))
    _mysql(' '.join(statements))


def _start_infrastructure():
    infra = services.infrastructure()
    for service in infra:
        service.start()
    mariadb = infra[2]
    procs.wait_for('MariaDB', mariadb.ready, 60, procs=('mariadb',))
    return infra


def _wait_rabbitmq(infra):
    procs.wait_for('RabbitMQ', infra[1].ready, 60,
                   procs=('rabbitmq', 'epmd'))


# --- cold path --------------------------------------------------------------

def _manage(group, program, *args, logname=None):
    procs.run([settings.venv_bin(group, program)] + list(args),
              logname=logname or program)


def _sync_keystone():
    conf = ['--config-file', services.etc('keystone/keystone.conf')]
    for sub in ('fernet-keys', 'credential-keys'):
        os.makedirs(os.path.join(settings.STATE_DIR, 'keystone', sub),
                    mode=0o700, exist_ok=True)
    _manage('keystone', 'keystone-manage', *conf, 'db_sync')
    _manage('keystone', 'keystone-manage', *conf, 'fernet_setup',
            '--keystone-user', 'root', '--keystone-group', 'root')
    _manage('keystone', 'keystone-manage', *conf, 'credential_setup',
            '--keystone-user', 'root', '--keystone-group', 'root')
    url = settings.AUTH_URL
    _manage('keystone', 'keystone-manage', *conf, 'bootstrap',
            '--bootstrap-password', settings.PASSWORDS['admin'],
            '--bootstrap-username', 'admin',
            '--bootstrap-project-name', 'admin',
            '--bootstrap-role-name', 'admin',
            '--bootstrap-service-name', 'keystone',
            '--bootstrap-region-id', settings.REGION,
            '--bootstrap-admin-url', url,
            '--bootstrap-internal-url', url,
            '--bootstrap-public-url', url)


def _sync_glance():
    _manage('glance', 'glance-manage', '--config-file',
            services.etc('glance/glance-api.conf'), 'db_sync')


def _sync_placement():
    _manage('nova', 'placement-manage', '--config-file',
            services.etc('placement/placement.conf'), 'db', 'sync')


def _sync_nova():
    conf = ['--config-file', services.etc('nova/nova.conf')]
    _manage('nova', 'nova-manage', *conf, 'api_db', 'sync')
    _manage('nova', 'nova-manage', *conf, 'cell_v2', 'map_cell0',
            '--database_connection', settings.db_url('nova_cell0'))
    _manage('nova', 'nova-manage', *conf, 'cell_v2', 'create_cell',
            '--name', 'cell1')
    _manage('nova', 'nova-manage', *conf, 'db', 'sync')


def _sync_neutron():
    _manage('neutron', 'neutron-db-manage',
            '--config-file', services.etc('neutron/neutron.conf'),
            '--config-file', services.etc('neutron/ml2_conf.ini'),
            'upgrade', 'heads')


def _sync_heat():
    _manage('heat', 'heat-manage', '--config-file',
            services.etc('heat/heat.conf'), 'db_sync')


def _run_parallel(jobs):
    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
        futures = {pool.submit(job): job.__name__ for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            future.result()
            log('%s done' % futures[future].lstrip('_'))


def _state_dirs():
    for path in ('glance/images', 'glance/staging', 'glance/tasks',
                 'glance/locks', 'nova/instances', 'nova/locks',
                 'neutron/locks', 'heat/locks', 'rabbitmq'):
        os.makedirs(os.path.join(settings.STATE_DIR, path), exist_ok=True)


def _cold_build():
    """Build the state from scratch and save it as the golden state."""
    log('cold start: building the state (golden %s)' % settings.golden_hash())
    shutil.rmtree(settings.STATE_DIR, ignore_errors=True)
    _state_dirs()
    # The compute node identity, written before nova-compute first starts.
    with open(os.path.join(settings.STATE_DIR, 'nova', 'compute_id'),
              'w') as handle:
        handle.write(services.node_uuid())
    _init_mariadb()
    infra = _start_infrastructure()
    _create_databases()
    log('MariaDB initialised')
    _run_parallel([_sync_keystone, _sync_glance, _sync_placement,
                   _sync_nova, _sync_neutron, _sync_heat])
    keystone = services.keystone()
    keystone.start()
    procs.wait_for('keystone', keystone.ready, 60, procs=('keystone',))
    inner('seed.py', 'identity')
    since = _utcnow()
    others = services.openstack()
    _start_services(infra, others)
    _wait_http(others)
    inner('seed.py', 'resources')
    _manage('nova', 'nova-manage', '--config-file',
            services.etc('nova/nova.conf'), 'cell_v2', 'discover_hosts',
            '--verbose')
    inner('seed.py', 'wait', since)
    log('seeded; stopping to save the golden state')
    stop_services()
    _save_golden()


def _save_golden():
    golden = settings.golden_dir()
    tmp = golden + '.tmp-%d' % os.getpid()
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    shutil.copytree(settings.STATE_DIR, os.path.join(tmp, 'state'),
                    symlinks=True, ignore=shutil.ignore_patterns(
                        'mnesia', '*.sock', '*.pid', 'locks'))
    with open(os.path.join(tmp, 'meta.json'), 'w') as handle:
        json.dump({'created': _utcnow(), 'lab_dir': settings.LAB_DIR,
                   'ports': settings.PORTS, 'venvs': settings.venv_hash()},
                  handle, indent=1)
    shutil.rmtree(golden, ignore_errors=True)
    os.replace(tmp, golden)
    venvs._prune_old(os.path.dirname(golden), os.path.basename(golden))
    log('golden state saved in %s' % golden)


def _restore_golden():
    shutil.rmtree(settings.STATE_DIR, ignore_errors=True)
    shutil.copytree(os.path.join(settings.golden_dir(), 'state'),
                    settings.STATE_DIR, symlinks=True)
    _state_dirs()


# --- warm path --------------------------------------------------------------

def _wait_http(service_list, timeout=120):
    pending = [s for s in service_list if s.url]
    names = tuple(s.name for s in service_list)
    deadline = time.monotonic() + timeout
    while pending:
        pending = [s for s in pending if not s.ready()]
        if not pending:
            break
        for name in names:
            if not procs.is_alive(name):
                entry = procs.load_procs()[name]
                raise procs.LabError('%s died; last lines of %s:\n%s' % (
                    name, entry['log'], procs.tail(entry['log'])))
        if time.monotonic() > deadline:
            raise procs.LabError('APIs not answering after %ds: %s' % (
                timeout, ', '.join(s.name for s in pending)))
        time.sleep(0.2)
    log('every API answers')


def _start_services(infra, service_list):
    """Start the HTTP services now, the RPC daemons once RabbitMQ is up.

    RabbitMQ boots in about 5 s while the WSGI apps import; a daemon started
    before it would lose seconds in oslo.messaging's reconnect back-off.
    """
    for service in service_list:
        if not service.rpc:
            service.start()
    _wait_rabbitmq(infra)
    log('RabbitMQ ready')
    for service in service_list:
        if service.rpc:
            service.start()


def _warm_start():
    _restore_golden()
    infra = _start_infrastructure()
    log('MariaDB ready')
    since = _utcnow()
    all_services = [services.keystone()] + services.openstack()
    _start_services(infra, all_services)
    _wait_http(all_services)
    inner('seed.py', 'wait', since)


def _write_outputs(started, cold):
    state = params()
    del state['service_password']
    del state['heat_domain_admin_password']
    entries = procs.load_procs()
    state.update({
        'lab_dir': settings.LAB_DIR,
        'log_dir': settings.LOG_DIR,
        'cache_dir': settings.CACHE_DIR,
        'ports': settings.PORTS,
        'pids': {name: entry['pid'] for name, entry in entries.items()},
        'logs': {name: entry['log'] for name, entry in entries.items()},
        'rabbitmq_url': settings.transport_url(),
        'mariadb_url': 'mysql+pymysql://%s:%s@%s:%d/' % (
            settings.DB_USER, settings.PASSWORDS['db'], settings.HOST,
            settings.PORTS['mariadb']),
        'clouds_yaml': settings.CLOUDS_YAML,
        'clouds': {'admin': 'lab-admin', 'demo': 'lab-demo'},
        'openrc': settings.OPENRC,
        'openstack_cli': os.path.join(settings.LAB_DIR, 'bin', 'openstack'),
        'golden': settings.golden_hash(),
        'cold': cold,
        'started_at': _utcnow(),
        'startup_seconds': round(time.monotonic() - started, 1),
    })
    clouds = ['clouds:']
    for cloud, creds in (('lab-admin', state['admin']),
                         ('lab-demo', state['demo'])):
        clouds += ['  %s:' % cloud,
                   '    region_name: %s' % settings.REGION,
                   '    identity_api_version: 3',
                   '    auth:',
                   '      auth_url: %s' % settings.AUTH_URL]
        clouds += ['      %s: %s' % (k, v) for k, v in sorted(creds.items())]
    _write(settings.CLOUDS_YAML, '\n'.join(clouds) + '\n')
    admin = state['admin']
    openrc = [
        '# Source me: admin credentials of the MEC lab (%s).'
        % settings.LAB_DIR,
        'export OS_AUTH_URL=%s' % settings.AUTH_URL,
        'export OS_IDENTITY_API_VERSION=3',
        'export OS_REGION_NAME=%s' % settings.REGION,
        'export OS_USERNAME=%s' % admin['username'],
        'export OS_PASSWORD=%s' % admin['password'],
        'export OS_PROJECT_NAME=%s' % admin['project_name'],
        'export OS_USER_DOMAIN_NAME=Default',
        'export OS_PROJECT_DOMAIN_NAME=Default',
        'export OS_CLIENT_CONFIG_FILE=%s' % settings.CLOUDS_YAML,
        'export MEC_LAB_STATE=%s' % settings.LAB_JSON,
        'export PATH=%s:$PATH' % os.path.join(settings.LAB_DIR, 'bin'),
    ]
    _write(settings.OPENRC, '\n'.join(openrc) + '\n')
    bindir = os.path.join(settings.LAB_DIR, 'bin')
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, 'openstack')
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(settings.venv_bin(INNER_PYTHON_GROUP, 'openstack'), link)
    _write(settings.LAB_JSON, json.dumps(state, indent=1, sort_keys=True))


# --- commands ---------------------------------------------------------------

def running():
    """Names of recorded processes that are alive."""
    return [name for name in procs.load_procs() if procs.is_alive(name)]


def up(cold=False):
    """Start the lab (see module docstring); a no-op if it already runs.

    :returns: seconds it took, or None if the lab was already up.
    """
    started = time.monotonic()
    if not cold and os.path.exists(settings.LAB_JSON):
        expected = {s.name for s in services.all_services()}
        if expected <= set(running()):
            log('lab already up (%s)' % settings.LAB_JSON)
            return None
    down(quiet=True)
    shutil.rmtree(settings.LOG_DIR, ignore_errors=True)
    venvs.build()
    for path in (settings.RUN_DIR, settings.LOG_DIR, settings.ETC_DIR):
        os.makedirs(path, exist_ok=True)
    services.render_configs()
    with venvs.lock('golden.lock'):
        golden_ok = os.path.exists(os.path.join(settings.golden_dir(),
                                                'meta.json'))
        did_cold = cold or not golden_ok
        if did_cold:
            _cold_build()
        log('starting from golden state %s' % settings.golden_hash())
        _warm_start()
    _write_outputs(started, did_cold)
    seconds = time.monotonic() - started
    rss = procs.rss_kib() / 1024.0
    log('lab up in %.1fs (%s; %d processes, %.0f MiB RSS); state in %s' % (
        seconds, 'cold' if did_cold else 'warm', len(running()), rss,
        settings.LAB_JSON))
    return seconds


def stop_services():
    """Stop the OpenStack services, then MariaDB, RabbitMQ, epmd.

    MariaDB gets time for a clean shutdown (the golden state copies it).
    :returns: names of what was stopped.
    """
    infra = [s.name for s in services.infrastructure()]
    others = [n for n in procs.load_procs() if n not in infra]
    stopped = procs.stop_all(timeout=5, names=others)
    stopped += procs.stop_all(timeout=60, names=infra)
    return stopped


def down(quiet=False):
    """Stop what the lab started and remove its runtime state (idempotent).

    The cache (venvs, golden states) is kept.
    """
    stopped = stop_services()
    if stopped and not quiet:
        log('stopped %s' % ', '.join(stopped))
    for path in (settings.STATE_DIR, settings.RUN_DIR, settings.ETC_DIR,
                 os.path.join(settings.LAB_DIR, 'bin')):
        shutil.rmtree(path, ignore_errors=True)
    for path in (settings.LAB_JSON, settings.CLOUDS_YAML, settings.OPENRC):
        if os.path.exists(path):
            os.unlink(path)
    if not quiet:
        log('lab down (logs kept in %s)' % settings.LOG_DIR)


def status():
    """Print which services run and answer.

    :returns: 0 if every service is up, 1 otherwise.
    """
    entries = procs.load_procs()
    ok = True
    for service in services.all_services():
        entry = entries.get(service.name)
        alive = bool(entry) and procs.is_ours(entry)
        ready = alive and service.ready()
        ok = ok and ready
        print('%-15s %-6s %-8s %s' % (
            service.name, entry['pid'] if entry else '-',
            'up' if ready else ('running' if alive else 'down'),
            service.url or (':%d' % service.port if service.port else '')))
    if entries:
        print('total RSS: %.0f MiB' % (procs.rss_kib() / 1024.0))
    print('state: %s' % (settings.LAB_JSON if os.path.exists(
        settings.LAB_JSON) else 'none (lab not up)'))
    return 0 if ok else 1
