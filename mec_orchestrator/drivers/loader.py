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
"""Loads drivers by entry point name, with stevedore."""

import functools

from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exc

from mec_orchestrator.common import exception
from mec_orchestrator import conf

CONF = conf.CONF

#: The kinds of drivers and their entry point namespaces.
NAMESPACES = {
    'vim': 'mec_orchestrator.vim_drivers',
    'infra': 'mec_orchestrator.infra_drivers',
    'mgmt': 'mec_orchestrator.mgmt_drivers',
    'monitor': 'mec_orchestrator.monitor_drivers',
    'traffic': 'mec_orchestrator.traffic_drivers',
    'dns': 'mec_orchestrator.dns_drivers',
}


@functools.cache
def get_driver(kind, name):
    """An enabled driver of a kind, loaded once per process.

    :param kind: one of :data:`NAMESPACES`' keys.
    :param name: the entry point name.
    :returns: the driver instance.
    :raises: DriverLoadError when the driver is not enabled in
        ``[drivers]`` or cannot be loaded.
    """
    namespace = NAMESPACES[kind]
    enabled = getattr(CONF.drivers, '%s_drivers' % kind)
    if name not in enabled:
        raise exception.DriverLoadError(
            name=name, namespace=namespace,
            reason='not enabled in [drivers] %s_drivers' % kind)
    try:
        manager = stevedore_driver.DriverManager(
            namespace, name, invoke_on_load=True, invoke_args=(CONF,))
    except (RuntimeError, stevedore_exc.NoMatches) as e:
        raise exception.DriverLoadError(name=name, namespace=namespace,
                                        reason=str(e))
    return manager.driver
