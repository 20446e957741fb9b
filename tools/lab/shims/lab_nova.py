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
"""Nova's compute, conductor and scheduler, started quicker and restartable.

Usage: ``python lab_nova.py compute|conductor|scheduler --config-file ...``

Patches applied before the service's own ``main``:

* all: a service reports to the servicegroup 5 s after it starts
  (``INITIAL_REPORTING_DELAY``); the lab waits for those reports, so the
  delay is cut to 0.5 s.
* compute: ``nova.virt.fake`` derives node UUIDs from ``uuidsentinel``,
  which is random per process; after a restart on a saved database Nova then
  refuses to start (``No local node identity found`` / duplicate compute
  node). The sentinel is replaced by UUIDv5 names under a fixed namespace
  (``MEC_LAB_NODE_NAMESPACE``), so the node of host ``H`` is always
  ``uuid5(namespace, 'node_H')``, the UUID the lab writes to ``compute_id``.
  Nova prefixes ``compute_driver`` with ``nova.virt.``, hence a patch rather
  than a driver of our own.
* compute: nova-compute pings the conductor with a 10 s timeout until it
  answers; a ping sent before the conductor's queue exists is lost and
  costs the full 10 s. The first attempts use 1 s instead.
"""

from nova import monkey_patch; monkey_patch.patch(backend='threading')  # noqa

import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

from nova.servicegroup import api as servicegroup_api  # noqa: E402


class _PinnedSentinel:
    """``uuidsentinel`` look-alike returning stable UUIDs per name."""

    def __init__(self, namespace):
        self._namespace = uuid.UUID(namespace)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return str(uuid.uuid5(self._namespace, name))


def _patch_compute():
    from nova.conductor import api as conductor_api
    from nova.virt import fake
    fake.uuids = _PinnedSentinel(os.environ['MEC_LAB_NODE_NAMESPACE'])
    conductor_api.API.wait_until_ready.__defaults__ = (1, 60)


def main():
    service = sys.argv.pop(1)
    if service not in ('compute', 'conductor', 'scheduler'):
        sys.exit('usage: lab_nova.py compute|conductor|scheduler ARGS')
    sys.argv[0] = 'nova-' + service
    servicegroup_api.INITIAL_REPORTING_DELAY = 0.5
    if service == 'compute':
        _patch_compute()
    return importlib.import_module('nova.cmd.' + service).main()


if __name__ == '__main__':
    sys.exit(main())
