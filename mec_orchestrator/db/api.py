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
"""The database API: an abstract Connection, and how to get one.

Nothing outside ``mec_orchestrator/db/sqlalchemy`` knows about sessions or
SQLAlchemy; callers use the methods of :class:`Connection`, which take and
return plain values and model objects that are detached from any session.
"""

import abc

from oslo_config import cfg
from oslo_db import api as db_api

_BACKEND_MAPPING = {'sqlalchemy': 'mec_orchestrator.db.sqlalchemy.api'}
IMPL = db_api.DBAPI.from_config(cfg.CONF, backend_mapping=_BACKEND_MAPPING,
                                lazy=True)


def get_instance():
    """The database connection of the configured backend.

    :returns: a :class:`Connection`.
    """
    return IMPL


class Connection(object, metaclass=abc.ABCMeta):
    """The methods every database backend provides."""

    # -- conductors -----------------------------------------------------------

    @abc.abstractmethod
    def register_conductor(self, values):
        """Register a conductor, or bring back one that had stopped.

        :param values: a dict with ``hostname`` and optionally ``site``
            and ``rpc_topics``.
        :returns: the conductor.
        """

    @abc.abstractmethod
    def touch_conductor(self, hostname):
        """Record a heartbeat of a conductor.

        :param hostname: the conductor's host name.
        :raises: ConductorNotFound when it is not registered (or was
            unregistered).
        """

    @abc.abstractmethod
    def unregister_conductor(self, hostname):
        """Mark a conductor offline (on a clean stop).

        :param hostname: the conductor's host name.
        :raises: ConductorNotFound
        """

    @abc.abstractmethod
    def get_conductor(self, hostname):
        """A conductor by host name.

        :param hostname: the conductor's host name.
        :returns: the conductor.
        :raises: ConductorNotFound
        """

    @abc.abstractmethod
    def list_conductors(self, limit=None, marker=None):
        """All registered conductors, by host name.

        :param limit: the largest number to return.
        :param marker: the host name after which to start.
        :returns: a list of conductors.
        """

    @abc.abstractmethod
    def get_alive_conductors(self, timeout, site=None):
        """The conductors that are online and heartbeated recently.

        :param timeout: seconds since the last heartbeat within which a
            conductor counts as alive.
        :param site: only the conductors of this site.
        :returns: a list of conductors.
        """
