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
"""A deployment in processes: the API and several conductors on one
RabbitMQ and one MariaDB, as operators run them.

The reliability test and the lifecycle benchmark both use it with the
lab's OpenStack as the VIM. Conductors can be killed (SIGKILL, as a
crash) and started again under the same host name.
"""

import io
import os
import signal
import subprocess
import sys
import tempfile
import zipfile

import fixtures
import psutil
import requests

from mec_orchestrator.tests.functional import base

DATA = os.path.join(os.path.dirname(__file__), '..', 'data', 'packages')


#: The EdgeGallery sample's traffic filter fields networking-sfc cannot match.
_TUNNEL_FIELDS = (
    "                tag:\n                  - '1234'\n"
    "                srcTunnelAddress:\n                  - 10.10.10.10\n"
    "                tgtTunnelAddress:\n                  - 10.10.10.10\n"
    "                srcTunnelPort:\n                  - '8080'\n"
    "                dstTunnelPort:\n                  - '8080'\n"
    "                qCI: 1\n                dSCP: 0\n                tC: 1\n")


def vm_package(image, memory_mb=512):
    """The EdgeGallery VM sample as a CSAR, sized and imaged for the lab.

    Its required platform feature (EdgeGallery's UserApps) becomes
    optional: the lab's MEC host has no MEC platform declaring features.
    Its traffic rule loses the GTP tunnel, tag and QoS fields that
    networking-sfc cannot match (the driver refuses them), and steers TCP
    to 192.0.2.0/28 instead of a loopback prefix with host bits.

    :param image: the name of the lab's image.
    :param memory_mb: the RAM the AppD asks for.
    :returns: the CSAR's bytes.
    """
    with open(os.path.join(
            DATA, 'edgegallery_vm_openstack_vmtest_appd.yaml')) as f:
        appd = f.read()
    for old, new in (('virtual_mem_size: 1024',
                      'virtual_mem_size: %d' % memory_mb),
                     ('size_of_storage: 40', 'size_of_storage: 1'),
                     ('name: ubuntu-18.04', 'name: %s' % image),
                     ('        appFeatureRequired:\n          - featureName: '
                      'UserApps\n            version: 3.0\n', ''),
                     ('default: 127.0.0.1/28', 'default: 192.0.2.0/28'),
                     ('      default: ANY\n', '      default: TCP\n'),
                     (_TUNNEL_FIELDS, '')):
        if old not in appd:
            raise ValueError('the sample changed: %r not found' % old)
        appd = appd.replace(old, new)
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w') as z:
        z.writestr('TOSCA-Metadata/TOSCA.meta',
                   'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\n'
                   'Created-By: tests\n'
                   'Entry-Definitions: Definitions/vmtest.yaml\n')
        z.writestr('Definitions/vmtest.yaml', appd)
    return out.getvalue()


def _script(name):
    return os.path.join(os.path.dirname(sys.executable), name)


class Cluster(fixtures.Fixture):
    """An API process and conductor processes.

    :param workdir: a directory for configuration, keys, packages, logs.
    :param transport_url: RabbitMQ's transport URL.
    :param db_url: an empty database's SQLAlchemy URL.
    :param conductors: how many conductors to start.
    :param sections: configuration sections merged over the defaults.
    """

    def __init__(self, workdir, transport_url, db_url, conductors=2,
                 sections=None):
        super().__init__()
        self.workdir = workdir
        self.transport_url = transport_url
        self.db_url = db_url
        self.count = conductors
        self.sections = sections or {}
        self.conductors = {}
        self.url = None

    def _config(self, host=None):
        exchange = self.exchange
        sections = {
            'DEFAULT': {'transport_url': self.transport_url,
                        'control_exchange': exchange,
                        'auth_strategy': 'noauth'},
            'database': {'connection': self.db_url},
            'noauth': {'project_id': 'cluster', 'user_id': 'operator',
                       'roles': 'admin,member,reader'},
            'conductor': {'topic': exchange, 'heartbeat_interval': '1',
                          'heartbeat_timeout': '4', 'rpc_timeout': '30',
                          'workers_pool_size': '200'},
            'crypto': {'key_repository': os.path.join(self.workdir,
                                                      'keys')},
            'app_package': {'file_store_path': os.path.join(
                self.workdir, 'packages')},
            'outbound': {'allowed_networks': '127.0.0.1/32',
                         'verify_callback_on_subscribe': 'false'},
            'vim': {'check_interval': '3600', 'request_timeout': '60'},
            'app_lcm': {'lease_duration': '6', 'takeover_interval': '1',
                        'reconcile_interval': '0'},
            'openstack': {'stack_timeout': '600', 'poll_interval': '0.25',
                          'max_poll_interval': '1'},
            'api': {'port': str(self.port), 'host_ip': '127.0.0.1',
                    'api_workers': '16'},
        }
        for name, values in self.sections.items():
            sections.setdefault(name, {}).update(values)
        if host:
            sections['DEFAULT']['host'] = host
        path = os.path.join(self.workdir, 'mec-%s.conf' % (host or 'api'))
        base.write_config(path, sections)
        return path

    def _setUp(self):
        self.exchange = base.bus_exchange()
        self.port = base.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        conf = self._config()
        for args in (['mec-orchestrator-dbsync', '--config-file', conf,
                      'upgrade'],
                     ['mec-orchestrator-keys', '--config-file', conf,
                      'setup']):
            done = subprocess.run([_script(args[0])] + args[1:],
                                  capture_output=True, text=True,
                                  timeout=300, check=False)
            if done.returncode:
                raise RuntimeError('%s failed: %s' % (args[0], done.stderr))
        self.api = self.useFixture(base.ServiceProcess(
            ['mec-orchestrator-api', '--config-file', conf],
            os.path.join(self.workdir, 'api.log')))
        base.wait_for(self._answers, timeout=90, what='the API to serve')
        for i in range(self.count):
            self.start_conductor('conductor-%d' % i)

    def _answers(self):
        try:
            return requests.get(self.url + '/', timeout=5).ok
        except requests.ConnectionError:
            return False

    def start_conductor(self, host):
        """Start (or start again) a conductor; wait until it answers.

        :param host: its host name.
        """
        index = sum(1 for name in os.listdir(self.workdir)
                    if name.startswith(host + '-'))
        process = base.ServiceProcess(
            ['mec-orchestrator-conductor', '--config-file',
             self._config(host)],
            os.path.join(self.workdir, '%s-%d.log' % (host, index)))
        process.setUp()
        self.addCleanup(process.cleanUp)
        self.conductors[host] = process

        def answers():
            resp = self.call('POST', '/v1/conductors/%s/ping' % host)
            return resp.status_code == 200

        base.wait_for(answers, timeout=60, what='conductor %s' % host)
        return process

    def kill(self, host):
        """SIGKILL a conductor, as a crash of its node would stop it.

        The service's launcher and its worker processes all go at once
        (the worker alone would outlive its launcher a while).
        """
        process = self.conductors[host].process
        if process.poll() is None:
            try:
                family = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                family = []
            os.kill(process.pid, signal.SIGKILL)
            for child in family:
                try:
                    child.kill()
                except psutil.NoSuchProcess:
                    pass
            process.wait()
            psutil.wait_procs(family, timeout=10)

    def alive(self, host):
        return self.conductors[host].process.poll() is None

    def call(self, method, path, body=None, status=None, **kwargs):
        resp = requests.request(method, self.url + path, json=body,
                                timeout=120, **kwargs)
        if status is not None and resp.status_code != status:
            raise AssertionError('%s %s: %d %s' % (
                method, path, resp.status_code, resp.text))
        return resp

    def logs(self):
        """Every process's log, by file name."""
        out = {}
        for name in sorted(os.listdir(self.workdir)):
            if name.endswith('.log'):
                with open(os.path.join(self.workdir, name), 'rb') as f:
                    out[name] = f.read().decode('utf-8', 'replace')
        return out

    # -- the lifecycle, as a client drives it --------------------------------

    def register_lab_vim(self, lab, project):
        """Register the lab as a VIM with a lab project's credentials.

        :returns: the VIM.
        """
        vim = self.call('POST', '/v1/vims', {
            'name': 'lab', 'site': 'lab', 'auth_url': lab.auth_url,
            'username': project.username, 'password': project.password,
            'project_name': project.project_name,
            'user_domain_name': 'Default',
            'project_domain_name': 'Default'}, status=201).json()
        base.wait_for(
            lambda: self.call('GET', '/v1/mec_hosts?vim_id=%s'
                              % vim['id']).json()['mec_hosts'],
            timeout=90, what='the lab VIM hosts')
        return vim

    def onboard(self, csar):
        """Onboard a package; wait until it is ONBOARDED.

        :returns: the AppPkgInfo.
        """
        pkg = self.call('POST', '/app_pkgm/v1/app_packages', {
            'appPkgName': 'vmtest', 'appPkgVersion': '1'},
            status=201).json()
        self.call('PUT', '/app_pkgm/v1/app_packages/%s/package_content'
                  % pkg['id'], status=202, body=None, data=csar,
                  headers={'Content-Type': 'application/zip'})
        pkg = base.wait_for(
            lambda: (lambda p: p if p['onboardingState'] in (
                'ONBOARDED', 'ERROR') else None)(self.call(
                    'GET', '/app_pkgm/v1/app_packages/%s'
                    % pkg['id']).json()),
            timeout=120, what='onboarding')
        if pkg['onboardingState'] != 'ONBOARDED':
            raise AssertionError('onboarding failed: %s' % pkg)
        return pkg

    def op(self, url):
        return requests.get(url, timeout=60).json()


def workdir():
    """A fresh working directory for a cluster outside of a test."""
    return tempfile.mkdtemp(prefix='mec-cluster-')
