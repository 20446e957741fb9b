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
"""Fixtures for functional tests against the OpenStack lab (tools/lab).

``tools/lab/lab run -- CMD`` starts the lab once for a whole test run and
exports ``MEC_LAB_STATE``, the path of its ``lab.json``. A test gets at it
with :func:`require_lab`, then isolates itself in a fresh project::

    class MyTest(testtools.TestCase):
        def setUp(self):
            super().setUp()
            self.lab = lab.require_lab(self)
            self.project = self.useFixture(lab.LabProject(self.lab))
            conn = self.project.connection()      # openstacksdk, as member
            image = conn.image.find_image(self.lab.image)

Only keystoneauth1, openstacksdk, fixtures and testtools are used, so the
module works in any venv that has those.
"""

import json
import os
import secrets
import uuid

import fixtures
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import openstack.connection
from openstack import exceptions as sdk_exc

STATE_VAR = 'MEC_LAB_STATE'


class LabUnavailable(Exception):
    """``MEC_LAB_STATE`` names no readable lab state."""


class Lab:
    """A running lab, as described by its ``lab.json``.

    :param state: the parsed ``lab.json``.
    """

    def __init__(self, state):
        self.state = state
        #: Keystone v3 URL, e.g. ``http://127.0.0.1:5000/v3``.
        self.auth_url = state['auth_url']
        self.region = state['region']
        #: admin credentials (username, password, project_name, domains).
        self.admin = dict(state['admin'])
        #: the seeded ``demo`` project's member.
        self.demo = dict(state['demo'])
        #: public endpoint per service type (orchestration has %(tenant_id)s).
        self.endpoints = dict(state['endpoints'])
        self.ports = dict(state.get('ports', {}))
        self.log_dir = state.get('log_dir')
        seed = state['seed']
        #: names of the seeded resources.
        self.flavor = seed['flavor']
        self.image = seed['image']
        self.network = seed['network']
        self.subnet = seed['subnet']
        self.compute_host = seed.get('compute_host')

    @classmethod
    def load(cls, path=None):
        """Load the lab from ``path`` (default ``$MEC_LAB_STATE``).

        :raises LabUnavailable: if no path is given or it cannot be read.
        """
        path = path or os.environ.get(STATE_VAR)
        if not path:
            raise LabUnavailable('%s is not set' % STATE_VAR)
        try:
            with open(path) as handle:
                return cls(json.load(handle))
        except (OSError, ValueError, KeyError) as exc:
            raise LabUnavailable('%s=%s is not a lab state: %s' % (
                STATE_VAR, path, exc))

    def session(self, username, password, project_name=None,
                project_id=None, user_domain_name='Default',
                project_domain_name='Default'):
        """A keystoneauth1 session scoped to a project.

        :returns: :class:`keystoneauth1.session.Session`.
        """
        auth = v3.Password(auth_url=self.auth_url, username=username,
                           password=password, project_name=project_name,
                           project_id=project_id,
                           user_domain_name=user_domain_name,
                           project_domain_name=(None if project_id else
                                                project_domain_name))
        return ks_session.Session(auth=auth)

    def admin_session(self):
        """A session as the lab's cloud admin (project ``admin``)."""
        return self.session(**self.admin)

    def connection(self, session):
        """An openstacksdk Connection on top of ``session``."""
        return openstack.connection.Connection(
            session=session, region_name=self.region)

    def admin_connection(self):
        """An openstacksdk Connection as the lab's cloud admin."""
        return self.connection(self.admin_session())


def require_lab(test):
    """Return the running :class:`Lab`, or end ``test``.

    Without ``MEC_LAB_STATE`` the test fails when ``CI`` is set (the lab
    must run there) and is skipped otherwise, with the reason. A state file
    that is named but unreadable always fails the test.

    :param test: a ``testtools.TestCase``.
    :returns: the :class:`Lab`.
    """
    if not os.environ.get(STATE_VAR):
        reason = ('the OpenStack lab is not running (%s is not set; run the '
                  'tests under `tools/lab/lab run -- ...`)' % STATE_VAR)
        if os.environ.get('CI'):
            test.fail(reason)
        test.skipTest(reason)
    try:
        return Lab.load()
    except LabUnavailable as exc:
        test.fail(str(exc))


class LabProject(fixtures.Fixture):
    """A fresh project and user in the lab's Keystone, deleted on cleanUp.

    The user has the ``member`` role on the project (plus ``reader`` and
    ``admin`` on request), so each test sees only its own resources. With
    ``purge`` (the default) the cleanUp first deletes what is left in the
    project: Heat stacks, servers, networking-sfc resources, ports,
    routers' interfaces, subnets, networks, security groups.

    :param lab: the :class:`Lab`.
    :param admin: also grant ``admin`` (a cloud admin in Keystone's eyes).
    :param reader: also grant ``reader``.
    :param purge: delete the project's leftovers on cleanUp.
    :param prefix: start of the random project and user names.
    """

    def __init__(self, lab, admin=False, reader=False, purge=True,
                 prefix='mec-test'):
        super().__init__()
        self.lab = lab
        self.roles = ['member'] + (['reader'] if reader else []) + (
            ['admin'] if admin else [])
        self.purge = purge
        self.prefix = prefix

    def _setUp(self):
        suffix = uuid.uuid4().hex[:10]
        #: project and user names.
        self.project_name = '%s-%s' % (self.prefix, suffix)
        self.username = self.project_name
        #: the user's password.
        self.password = secrets.token_urlsafe(16)
        admin = self.lab.admin_connection()
        self._admin = admin
        project = admin.identity.create_project(
            name=self.project_name, domain_id='default',
            description='functional test project (tools/lab)')
        self.addCleanup(admin.identity.delete_project, project)
        user = admin.identity.create_user(
            name=self.username, password=self.password,
            domain_id='default', default_project_id=project.id)
        self.addCleanup(admin.identity.delete_user, user)
        for role_name in self.roles:
            role = admin.identity.find_role(role_name, ignore_missing=False)
            admin.identity.assign_project_role_to_user(project, user, role)
        #: ids of the project and user.
        self.project_id = project.id
        self.user_id = user.id
        if self.purge:
            self.addCleanup(self._purge)

    @property
    def credentials(self):
        """Keystone v3 password credentials of the user, as a dict.

        Usable as ``auth`` in clouds.yaml or openstacksdk, and as keyword
        arguments of :meth:`Lab.session`.
        """
        return {'auth_url': self.lab.auth_url, 'username': self.username,
                'password': self.password,
                'project_name': self.project_name,
                'user_domain_name': 'Default',
                'project_domain_name': 'Default'}

    def session(self):
        """A keystoneauth1 session as the project's user."""
        creds = dict(self.credentials)
        del creds['auth_url']
        return self.lab.session(**creds)

    def connection(self):
        """An openstacksdk Connection as the project's user."""
        return self.lab.connection(self.session())

    def _purge(self):
        conn = self.connection()
        errors = []

        def attempt(func, *args, **kwargs):
            try:
                func(*args, **kwargs)
            except sdk_exc.NotFoundException:
                pass
            except sdk_exc.SDKException as exc:
                errors.append('%s: %s' % (getattr(func, '__name__', func),
                                          exc))

        # Heat lists every project's stacks to a user with the admin role:
        # keep to the stacks this project's user created.
        stacks = [stack for stack in conn.orchestration.stacks()
                  if stack.owner_id == self.username]
        for stack in stacks:
            attempt(conn.orchestration.delete_stack, stack)
        for stack in stacks:
            attempt(conn.orchestration.wait_for_delete, stack, interval=0.5,
                    wait=300)
        servers = [server for server in conn.compute.servers()
                   if server.project_id == self.project_id]
        for server in servers:
            attempt(conn.compute.delete_server, server)
        for server in servers:
            attempt(conn.compute.wait_for_delete, server, interval=0.3,
                    wait=120)
        net = conn.network
        project = {'project_id': self.project_id}

        def listing(func, **query):
            try:
                return list(func(**query))
            except sdk_exc.NotFoundException:
                return []  # extension not enabled

        for lister, delete in (
                (net.sfc_port_chains, net.delete_sfc_port_chain),
                (net.sfc_port_pair_groups, net.delete_sfc_port_pair_group),
                (net.sfc_port_pairs, net.delete_sfc_port_pair),
                (net.sfc_flow_classifiers, net.delete_sfc_flow_classifier)):
            for item in listing(lister, **project):
                attempt(delete, item)
        for router in listing(net.routers, **project):
            for port in net.ports(device_id=router.id):
                for ip in port.fixed_ips:
                    attempt(net.remove_interface_from_router, router,
                            subnet_id=ip['subnet_id'])
            attempt(net.delete_router, router)
        for port in net.ports(**project):
            if not (port.device_owner or '').startswith('network:'):
                attempt(net.delete_port, port)
        for network in net.networks(**project):
            attempt(net.delete_network, network)
        admin_net = self._admin.network
        for group in admin_net.security_groups(**project):
            attempt(admin_net.delete_security_group, group)
        if errors:
            raise RuntimeError('could not purge project %s: %s' % (
                self.project_name, '; '.join(errors)))
