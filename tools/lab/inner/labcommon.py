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
"""Helpers shared by the scripts that run inside a lab venv.

These scripts (seed.py, smoke.py) run with the heat venv's Python, which
has keystoneauth1 and openstacksdk. They read the lab's parameters from the
JSON file named on their command line (``$LAB_DIR/run/params.json``,
written by ``tools/lab/lab``).
"""

import json
import sys
import time

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session


def load_params(path):
    """Load the lab parameters written by the lab tool."""
    with open(path) as handle:
        return json.load(handle)


def say(message):
    """Print a progress line (flushed: the lab tool streams it)."""
    print(message, flush=True)


def session_for(params, who='admin'):
    """A keystoneauth1 session as ``who`` (``admin`` or ``demo``).

    :param params: lab parameters.
    :param who: key of the credentials in ``params``.
    """
    creds = params[who]
    auth = v3.Password(auth_url=params['auth_url'],
                       username=creds['username'],
                       password=creds['password'],
                       project_name=creds['project_name'],
                       user_domain_name=creds['user_domain_name'],
                       project_domain_name=creds['project_domain_name'])
    return ks_session.Session(auth=auth)


def connection_for(params, who='admin'):
    """An openstacksdk Connection as ``who``."""
    import openstack.connection
    creds = params[who]
    return openstack.connection.Connection(
        auth_url=params['auth_url'], username=creds['username'],
        password=creds['password'], project_name=creds['project_name'],
        user_domain_name=creds['user_domain_name'],
        project_domain_name=creds['project_domain_name'],
        region_name=params['region'], identity_interface='public')


def poll(what, check, timeout, interval=0.25):
    """Call ``check()`` until it returns a true value, which is returned.

    ``check`` may raise keystoneauth connection errors while a service
    starts; they count as "not yet".

    :raises SystemExit: after ``timeout`` seconds, naming ``what``.
    """
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = check()
        except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout,
                ks_exc.ServiceUnavailable, ks_exc.GatewayTimeout,
                ks_exc.BadGateway, ks_exc.EndpointNotFound) as exc:
            result = None
            last_error = exc
        if result:
            return result
        if time.monotonic() > deadline:
            sys.exit('timed out after %ds waiting for %s (last error: %s)'
                     % (timeout, what, last_error))
        time.sleep(interval)
