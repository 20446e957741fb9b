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
"""Drivers that touch nothing, for tests and the all-in-one without a VIM."""

from mec_orchestrator.drivers import base


class FakeVimDriver(base.VimDriver):
    """A VIM that always answers and offers one host."""

    name = 'fake'

    def validate(self, context, vim):
        return {'regions': ['RegionOne'], 'services': {}}

    def check_reachable(self, context, vim):
        return True

    def discover_hosts(self, context, vim):
        return [{'name': 'fake-host', 'zone': 'nova',
                 'capacity': {'vcpus': 8, 'memory_mb': 16384,
                              'disk_gb': 160}}]


class FakeInfraDriver(base.InfraDriver):
    """Keeps an app instance's "resources" in memory, per process."""

    name = 'fake'

    def __init__(self, conf):
        super().__init__(conf)
        self.stacks = {}

    def create(self, context, vim, instance, appd, request, artifacts=None):
        name = base.resource_name(instance['id'])
        stack = self.stacks.setdefault(name, {
            'stack_id': 'fake-%s' % instance['id'], 'stack_name': name,
            'status': 'CREATE_COMPLETE', 'servers': [], 'ports': [],
            'outputs': {}, 'vim_seconds': 0.0})
        return dict(stack)

    def delete(self, context, vim, instance, graceful_timeout=None):
        self.stacks.pop(base.resource_name(instance['id']), None)
        return {'vim_seconds': 0.0}

    def operate(self, context, vim, instance, state, graceful_timeout=None):
        pass

    def show(self, context, vim, instance):
        stack = self.stacks.get(base.resource_name(instance['id']))
        return dict(stack) if stack else None

    def list_instances(self, context, vim):
        return [{'instance_id': base.instance_id_from_name(name),
                 'stack_id': stack['stack_id'], 'status': stack['status']}
                for name, stack in self.stacks.items()]


class NoopMgmtDriver(base.MgmtDriver):
    """Configures no platform."""

    name = 'noop'

    def configure(self, context, instance, appd):
        pass

    def unconfigure(self, context, instance, graceful_timeout=None):
        pass


class NoopMonitorDriver(base.MonitorDriver):
    """Watches nothing."""

    name = 'noop'

    def register(self, context, instance):
        pass

    def unregister(self, context, instance):
        pass


class FakeTrafficDriver(base.TrafficDriver):
    """Steers nothing; remembers the rules it was asked to activate.

    The traffic driver of ``fake`` VIMs, for tests and the all-in-one.
    """

    name = 'fake'

    def __init__(self, conf):
        super().__init__(conf)
        self.active = {}

    def validate(self, rule):
        pass

    def activate(self, context, vim, instance, rule):
        key = base.resource_name(instance['id']) + '-' + rule['trafficRuleId']
        self.active[key] = dict(rule)
        return {'name': key}

    def deactivate(self, context, vim, instance, rule_id, realised=None):
        self.active.pop(base.resource_name(instance['id']) + '-' + rule_id,
                        None)
