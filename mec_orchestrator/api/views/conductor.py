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
"""How a conductor is shown by the admin API."""

from oslo_utils import timeutils

from mec_orchestrator.api import utils
from mec_orchestrator import conf

CONF = conf.CONF


def format(conductor):
    """The API representation of a conductor.

    :param conductor: the conductor's database row.
    :returns: a dict.
    """
    heartbeat = conductor.heartbeat_at
    alive = bool(conductor.online and heartbeat
                 and not timeutils.is_older_than(
                     heartbeat, CONF.conductor.heartbeat_timeout))
    return {
        'hostname': conductor.hostname,
        'site': conductor.site,
        'online': conductor.online,
        'alive': alive,
        'last_heartbeat': heartbeat.isoformat() + 'Z' if heartbeat else None,
        'created_at': conductor.created_at.isoformat() + 'Z'
        if conductor.created_at else None,
        'links': [{'rel': 'self',
                   'href': utils.link('v1', 'conductors',
                                      conductor.hostname)}],
    }
