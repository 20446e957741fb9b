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
"""Base of the functional tests: real services, started outside the tests.

``tools/run-functional.sh`` starts RabbitMQ and MariaDB with pifpaf (and
the OpenStack lab) once for the whole run and exports their URLs. A test
whose service is absent fails when ``CI`` is set, and is skipped with the
reason otherwise.
"""

import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import fixtures
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import engines as db_engines
import requests
import sqlalchemy as sa

from mec_orchestrator.tests import base


def require_env(test, name, what):
    """The value of an environment variable a test needs.

    :param test: the test case.
    :param name: the variable.
    :param what: what the variable stands for, for the message.
    :returns: the value.
    """
    value = os.environ.get(name)
    if not value:
        reason = '%s is not available (%s is not set)' % (what, name)
        if os.environ.get('CI'):
            test.fail(reason)
        test.skipTest(reason)
    return value


def rabbit_url(test):
    """The transport URL of the run's RabbitMQ (pifpaf)."""
    return require_env(test, 'PIFPAF_RABBITMQ_URL', 'RabbitMQ')


def bus_exchange():
    """A name for a test's own exchange and conductor topic.

    Tests run in parallel on one broker, which routes a topic to one queue
    whatever the exchange: with the default topic, a call to "any
    conductor" could reach another test's conductor.
    """
    return 'mec-test-%s' % uuid.uuid4().hex[:12]


def mysql_admin_url(test):
    """An SQLAlchemy URL of the run's MariaDB server (pifpaf)."""
    url = require_env(test, 'PIFPAF_MYSQL_URL', 'MariaDB')
    return url.replace('mysql://', 'mysql+pymysql://', 1)


class MySQLDatabase(fixtures.Fixture):
    """A fresh, empty database on the run's MariaDB server.

    :param admin_url: the server's SQLAlchemy URL.
    """

    def __init__(self, admin_url):
        super().__init__()
        self.admin_url = admin_url

    def _setUp(self):
        self.name = 'mec_%s' % uuid.uuid4().hex[:12]
        engine = sa.create_engine(self.admin_url)
        with engine.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE %s CHARACTER SET utf8mb4'
                                 % self.name))
        self.addCleanup(self._drop, engine)
        url = sa.engine.make_url(self.admin_url)
        self.url = url.set(database=self.name).render_as_string(
            hide_password=False)

    def _drop(self, engine):
        with engine.connect() as conn:
            conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % self.name))
        engine.dispose()


class DatabaseEngine(fixtures.Fixture):
    """Point this process's database API at a database, for one test.

    oslo.db's enginefacade keeps one engine per process, made from the
    first URL it saw; tests that each make their own database patch it.

    :param url: the database's SQLAlchemy URL.
    """

    def __init__(self, url):
        super().__init__()
        self.url = url

    def _setUp(self):
        self.engine = db_engines.create_engine(self.url)
        self.addCleanup(self.engine.dispose)
        self.addCleanup(enginefacade._context_manager.patch_engine(
            self.engine))


def free_port():
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write_config(path, sections):
    """Write an oslo.config file.

    :param path: the file to write.
    :param sections: a dict of section name to a dict of options.
    """
    with open(path, 'w') as f:
        for section, options in sections.items():
            f.write('[%s]\n' % section)
            for name, value in options.items():
                f.write('%s = %s\n' % (name, value))
            f.write('\n')


class ServiceProcess(fixtures.Fixture):
    """A console script of the project, run as a real process.

    :param args: the script name and its arguments.
    :param log_path: where its output goes.
    """

    def __init__(self, args, log_path):
        super().__init__()
        self.args = args
        self.log_path = log_path

    def _setUp(self):
        script = os.path.join(os.path.dirname(sys.executable), self.args[0])
        self._log = open(self.log_path, 'wb')
        self.addCleanup(self._log.close)
        self.process = subprocess.Popen([script] + list(self.args[1:]),
                                        stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self.addCleanup(self.stop)

    def stop(self, timeout=20):
        """SIGTERM the process and wait for it.

        :returns: its exit code.
        """
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def output(self):
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')


def wait_for(predicate, timeout=30, interval=0.1, what='condition'):
    """Poll until predicate() is true.

    :returns: the predicate's last value.
    :raises: AssertionError on timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except (requests.ConnectionError, OSError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(interval)


class FunctionalTestCase(base.TestCase):
    """A functional test: real processes and services."""

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(
            int(os.environ.get('MEC_FUNCTIONAL_TIMEOUT', 240)), gentle=True))
        self.tmp = tempfile.mkdtemp(prefix='mec-functional-')


class AllInOne(object):
    """An all-in-one process and the responses it gave.

    :param test: the test case.
    :param state_dir: its state directory.
    :param sections: extra configuration sections.
    """

    def __init__(self, test, state_dir, sections):
        self.test = test
        self.state_dir = state_dir
        self.sections = sections
        self.processes = []
        self.responses = []
        self.url = None
        self.token = None
        #: Kept across restarts: apps were given the URL.
        self.port = None
        self.dns_port = None

    def start(self):
        index = len(self.processes)
        conf_file = os.path.join(self.test.tmp, 'mec-%d.conf' % index)
        sections = dict(self.sections)
        # Its own DNS responder port: several all-in-ones run at once.
        platform = dict(sections.get('platform') or {})
        if 'dns_port' not in platform:
            if self.dns_port is None:
                self.dns_port = free_port()
            platform['dns_port'] = str(self.dns_port)
        sections['platform'] = platform
        write_config(conf_file, sections)
        if self.port is None:
            self.port = free_port()
        port = self.port
        self.url = 'http://127.0.0.1:%d' % port
        process = self.test.useFixture(ServiceProcess(
            ['mec-orchestrator-aio', '--port', str(port), '--state-dir',
             self.state_dir, '--config-file', conf_file],
            os.path.join(self.test.tmp, 'aio-%d.log' % index)))
        self.processes.append(process)
        wait_for(lambda: requests.get(self.url + '/', timeout=5).ok,
                      timeout=90, what='the all-in-one to serve')
        return process

    def call(self, method, path, body=None, status=None, token=None):
        headers = {}
        if token or self.token:
            headers['X-Auth-Token'] = token or self.token
        resp = requests.request(method, self.url + path, json=body,
                                headers=headers, timeout=120)
        self.responses.append(resp)
        if status is not None:
            self.test.assertEqual(status, resp.status_code, resp.text)
        return resp

    def logs(self):
        return {'all-in-one log %d' % i: p.output()
                for i, p in enumerate(self.processes)}


def keystone_sections(lab):
    """Configuration sections authenticating with the lab's Keystone.

    :param lab: the :class:`~.lab.Lab`.
    :returns: a dict for :func:`write_config`.
    """
    admin = lab.admin
    return {
        'DEFAULT': {'auth_strategy': 'keystone'},
        'keystone_authtoken': {
            'www_authenticate_uri': lab.auth_url,
            'auth_url': lab.auth_url,
            'auth_type': 'password',
            'username': admin['username'],
            'password': admin['password'],
            'project_name': admin['project_name'],
            'user_domain_name': admin.get('user_domain_name', 'Default'),
            'project_domain_name': admin.get('project_domain_name',
                                             'Default'),
            'region_name': lab.region,
        },
    }


class HttpServer(object):
    """A real HTTP server on 127.0.0.1: serves files, records POSTs."""

    def __init__(self, files=None, answer=None):
        self.files = files or {}
        #: Called with each POSTed document: the status to answer (2xx
        #: records the document); 204 for all by default.
        self.answer = answer
        self.received = []
        self.headers = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = owner.files.get(self.path)
                if body is None:
                    self.send_response(204 if self.path == '/callback'
                                       else 404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header('Content-Type', 'application/zip')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get('Content-Length', 0))
                document = json.loads(self.rfile.read(length))
                status = owner.answer(document) if owner.answer else 204
                if status < 300:
                    owner.received.append(document)
                    owner.headers.append(dict(self.headers))
                self.send_response(status)
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                     Handler)
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
