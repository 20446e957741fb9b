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
"""pecan hooks: the context, the RPC and DB APIs, and errors."""

from oslo_log import log
from pecan import hooks

from mec_orchestrator.api import problem
from mec_orchestrator.common import context
from mec_orchestrator.conductor import rpcapi
from mec_orchestrator.db import api as dbapi

LOG = log.getLogger(__name__)


class ContextHook(hooks.PecanHook):
    """Builds the request context from the authenticated headers."""

    def before(self, state):
        state.request.context = context.RequestContext.from_environ(
            state.request.environ)


class RPCHook(hooks.PecanHook):
    """Attaches the conductor RPC API."""

    def __init__(self):
        self._rpcapi = None

    def before(self, state):
        if self._rpcapi is None:
            self._rpcapi = rpcapi.ConductorAPI()
        state.request.rpcapi = self._rpcapi


class DBHook(hooks.PecanHook):
    """Attaches the database API."""

    def before(self, state):
        state.request.dbapi = dbapi.get_instance()


class ProblemDetailsHook(hooks.PecanHook):
    """Turns any exception of a controller into a ProblemDetails response."""

    priority = 1000

    def on_error(self, state, exc):
        return problem.from_exception(exc, state.request)


def default_hooks():
    """The hooks of the API application, in order.

    :returns: a list of pecan hooks.
    """
    return [ContextHook(), RPCHook(), DBHook(), ProblemDetailsHook()]

