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
"""What the lab runs: rendered configs and one entry per process.

A :class:`Service` says how to start a long-running process (command,
environment) and how to tell that it is ready. Configs are rendered from
``tools/lab/templates`` (``${var}`` placeholders, see :func:`variables`)
into ``$LAB_DIR/etc``.
"""

import os
import shutil
import string
import uuid

from lablib import procs
from lablib import settings

RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server'
MARIADBD = '/usr/sbin/mariadbd'
EPMD = '/usr/bin/epmd'
MARIADB = '/usr/bin/mariadb'
MARIADB_INSTALL_DB = '/usr/bin/mariadb-install-db'


def variables():
    """Substitutions available to the templates."""
    values = {
        'host': settings.HOST,
        'region': settings.REGION,
        'state_dir': settings.STATE_DIR,
        'run_dir': settings.RUN_DIR,
        'log_dir': settings.LOG_DIR,
        'etc_dir': settings.ETC_DIR,
        'keystone_url': settings.url('keystone'),
        'glance_url': settings.url('glance'),
        'transport_url': settings.transport_url(),
        'service_password': settings.PASSWORDS['service'],
        'heat_domain_admin_password': settings.PASSWORDS['heat_domain_admin'],
        'rabbit_user': settings.RABBIT_USER,
        'rabbit_password': settings.PASSWORDS['rabbit'],
        'compute_host': settings.SEED['compute_host'],
    }
    for name, port in settings.PORTS.items():
        values[name + '_port'] = port
    for name in settings.DATABASES:
        values['db_' + name] = settings.db_url(name)
    return values


#: template -> destination under $LAB_DIR/etc
CONFIGS = {
    'keystone.conf': 'keystone/keystone.conf',
    'glance-api.conf': 'glance/glance-api.conf',
    'placement.conf': 'placement/placement.conf',
    'nova.conf': 'nova/nova.conf',
    'neutron.conf': 'neutron/neutron.conf',
    'ml2_conf.ini': 'neutron/ml2_conf.ini',
    'heat.conf': 'heat/heat.conf',
    'my.cnf': 'mysql/my.cnf',
    'rabbitmq.conf': 'rabbitmq/rabbitmq.conf',
}

#: paste files shipped in the venvs' etc/ -> destination under etc
PASTE_FILES = {
    ('nova', 'etc/nova/api-paste.ini'): 'nova/api-paste.ini',
    ('neutron', 'etc/neutron/api-paste.ini'): 'neutron/api-paste.ini',
    ('glance', 'etc/glance/glance-api-paste.ini'):
        'glance/glance-api-paste.ini',
    ('heat', 'etc/heat/api-paste.ini'): 'heat/api-paste.ini',
}


def etc(path):
    """Absolute path of a rendered config file."""
    return os.path.join(settings.ETC_DIR, path)


def render_configs():
    """(Re)write every config file under ``$LAB_DIR/etc``."""
    values = variables()
    for template, dest in CONFIGS.items():
        with open(os.path.join(settings.TEMPLATES, template)) as handle:
            text = string.Template(handle.read()).substitute(values)
        os.makedirs(os.path.dirname(etc(dest)), exist_ok=True)
        with open(etc(dest), 'w') as handle:
            handle.write(text)
    for (group, source), dest in PASTE_FILES.items():
        shutil.copy(os.path.join(settings.venv_root(), group, source),
                    etc(dest))
    # RabbitMQ reads an explicit (empty) plugin list: no management plugin.
    with open(etc('rabbitmq/enabled_plugins'), 'w') as handle:
        handle.write('[].\n')


class Service:
    """A long-running process of the lab.

    :param name: process name (log file ``logs/<name>.log``).
    :param argv: command line.
    :param env: extra environment.
    :param url: for HTTP services, the URL that must answer (< 500).
    :param port: for TCP services, the port that must accept connections.
    :param rpc: an RPC daemon that is started once RabbitMQ accepts
        connections (the HTTP services start before, while it boots).
    """

    def __init__(self, name, argv, env=None, url=None, port=None, rpc=False):
        self.name = name
        self.argv = argv
        self.env = env or {}
        self.url = url
        self.port = port
        self.rpc = rpc

    def start(self):
        """Start the process (recorded in run/procs.json)."""
        return procs.start(self.name, self.argv, self.env)

    def ready(self):
        """True when the service answers (or, lacking a probe, runs)."""
        if self.url:
            status = procs.http_status(self.url)
            return status is not None and status < 500
        if self.port:
            return procs.tcp_open(self.port)
        return procs.is_alive(self.name)


def _gunicorn(name, group, port, app, threads=4, env=None, args=''):
    """A WSGI app under gunicorn, loaded through shims/labwsgi.py."""
    argv = [settings.venv_bin(group, 'gunicorn'),
            '--bind', '%s:%d' % (settings.HOST, port),
            '--workers', '1', '--threads', str(threads),
            '--timeout', '300', '--graceful-timeout', '5',
            '--no-control-socket', '--name', name,
            '--pythonpath', settings.SHIMS, 'labwsgi:application']
    full_env = {'LAB_WSGI_APP': app, 'LAB_WSGI_ARGS': args}
    full_env.update(env or {})
    return Service(name, argv, full_env, url=settings.url(name.split('-')[0]))


def infrastructure():
    """epmd, RabbitMQ and MariaDB."""
    rabbit_env = {
        'HOME': os.path.join(settings.STATE_DIR, 'rabbitmq'),
        'RABBITMQ_NODENAME': 'meclab@localhost',
        'RABBITMQ_NODE_IP_ADDRESS': settings.HOST,
        'RABBITMQ_NODE_PORT': str(settings.PORTS['rabbitmq']),
        'RABBITMQ_DIST_PORT': str(settings.PORTS['rabbitmq_dist']),
        'RABBITMQ_CONFIG_FILE': etc('rabbitmq/rabbitmq.conf'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': etc('rabbitmq/enabled_plugins'),
        'RABBITMQ_MNESIA_BASE': os.path.join(settings.STATE_DIR, 'rabbitmq',
                                             'mnesia'),
        'RABBITMQ_LOG_BASE': settings.LOG_DIR,
        'RABBITMQ_PID_FILE': os.path.join(settings.RUN_DIR, 'rabbitmq.pid'),
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
            '-kernel inet_dist_use_interface {127,0,0,1}',
        'ERL_EPMD_ADDRESS': settings.HOST,
        'ERL_EPMD_PORT': str(settings.PORTS['epmd']),
    }
    return [
        Service('epmd', [EPMD, '-address', settings.HOST,
                         '-port', str(settings.PORTS['epmd'])],
                port=settings.PORTS['epmd']),
        Service('rabbitmq', [RABBITMQ_SERVER], rabbit_env,
                port=settings.PORTS['rabbitmq']),
        Service('mariadb', [MARIADBD,
                            '--defaults-file=' + etc('mysql/my.cnf')],
                port=settings.PORTS['mariadb']),
    ]


def keystone():
    """Keystone: one sync worker (threads leak scope, see LAB-NOTES)."""
    return _gunicorn(
        'keystone', 'keystone', settings.PORTS['keystone'],
        'keystone.wsgi.api:application', threads=1,
        env={'OS_KEYSTONE_CONFIG_FILES': etc('keystone/keystone.conf')})


def _nova_daemon(which):
    """nova-<which> through shims/lab_nova.py (quicker report, pinned node)."""
    return Service('nova-' + which,
                   [settings.venv_bin('nova', 'python'),
                    os.path.join(settings.SHIMS, 'lab_nova.py'), which,
                    '--config-file', etc('nova/nova.conf')],
                   {'MEC_LAB_NODE_NAMESPACE': settings.NODE_UUID_NAMESPACE},
                   rpc=True)


def openstack():
    """Every OpenStack service but Keystone."""
    neutron_confs = ['--config-file', etc('neutron/neutron.conf'),
                     '--config-file', etc('neutron/ml2_conf.ini')]
    heat_conf = etc('heat/heat.conf')
    return [
        _gunicorn('glance', 'glance', settings.PORTS['glance'],
                  'glance.wsgi.api:application',
                  env={'OS_GLANCE_CONFIG_DIR': etc('glance')}),
        _gunicorn('placement', 'nova', settings.PORTS['placement'],
                  'placement.wsgi.api:application',
                  env={'OS_PLACEMENT_CONFIG_DIR': etc('placement')}),
        _gunicorn('nova-api', 'nova', settings.PORTS['nova'],
                  'nova.wsgi.osapi_compute:application',
                  env={'OS_NOVA_CONFIG_DIR': etc('nova')}),
        _nova_daemon('conductor'),
        _nova_daemon('scheduler'),
        _nova_daemon('compute'),
        _gunicorn('neutron-api', 'neutron', settings.PORTS['neutron'],
                  'neutron.wsgi.api:application',
                  env={'OS_NEUTRON_CONFIG_DIR': etc('neutron'),
                       'OS_NEUTRON_CONFIG_FILES':
                           'neutron.conf;ml2_conf.ini',
                       'ASGI_WORKERS': '1'}),
        Service('neutron-rpc',
                [settings.venv_bin('neutron', 'neutron-rpc-server')] +
                neutron_confs, rpc=True),
        _gunicorn('heat-api', 'heat', settings.PORTS['heat'],
                  'heat.wsgi.api:application',
                  args='--config-file %s' % heat_conf),
        Service('heat-engine', [settings.venv_bin('heat', 'heat-engine'),
                                '--config-file', heat_conf], rpc=True),
    ]


def all_services():
    """Every process of the lab, in start order."""
    return infrastructure() + [keystone()] + openstack()


def node_uuid():
    """The node UUID the patched FakeDriver reports for the compute host."""
    return str(uuid.uuid5(uuid.UUID(settings.NODE_UUID_NAMESPACE),
                          'node_' + settings.SEED['compute_host']))
