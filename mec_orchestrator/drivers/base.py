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
"""The driver interfaces.

The conductor never talks to a VIM, a platform or a monitoring system
itself: it calls drivers, loaded by entry point name from the
``mec_orchestrator.<kind>_drivers`` namespaces (see
:mod:`mec_orchestrator.drivers.loader`). Each kind is an abstract base
class; a VIM type (OpenStack, Kubernetes...) provides one driver of each
kind it supports.

Drivers receive the request context first and plain dicts (the rows of the
database, as dicts), so that they never depend on the database layer.
"""

import abc


class BaseDriver(object, metaclass=abc.ABCMeta):
    """What every driver has."""

    #: The name under which the driver is registered.
    name = None

    def __init__(self, conf):
        """:param conf: the service's ConfigOpts."""
        self.conf = conf


class VimDriver(BaseDriver):
    """Registers and checks a VIM, and discovers its MEC hosts."""

    @abc.abstractmethod
    def validate(self, context, vim):
        """Check a VIM's access information and credentials.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: a dict of what was discovered (regions, services).
        :raises: Invalid with the VIM's own reason when they are wrong.
        """

    @abc.abstractmethod
    def check_reachable(self, context, vim):
        """Whether the VIM answers now.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: True or False.
        """

    @abc.abstractmethod
    def discover_hosts(self, context, vim):
        """The MEC hosts the VIM offers (zones, aggregates, clusters).

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: a list of dicts describing hosts and their capacity.
        """


class InfraDriver(BaseDriver):
    """Creates, operates and deletes an app instance's VIM resources.

    Every method is idempotent and may be called again by another conductor
    after a crash: resources are named after the app instance
    (:func:`resource_name`), so a repeated ``create`` finds what the first
    call started instead of making a second copy, and a repeated ``delete``
    of what is gone succeeds.

    Errors are :class:`~mec_orchestrator.common.exception.InfraError` with
    the VIM's own reason (never a credential); the lifecycle flow puts it in
    the op-occ's ProblemDetails.
    """

    @abc.abstractmethod
    def create(self, context, vim, instance, appd, request, artifacts=None):
        """Create the resources of an app instance and wait for them.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict: ``id``,
            ``project_id``, ``app_pkg_id``, ``app_d_id``, ``app_name``,
            ``mec_host`` (the chosen host: ``name``, ``zone``,
            ``aggregate``, ``details``) and ``platform`` (what the instance
            needs to reach its MEC platform: Mp1 endpoint and credentials;
            empty when it has none).
        :param appd: the normalized AppD.
        :param request: the InstantiateAppRequest (with ``additionalParams``).
        :param artifacts: an object whose ``open(path)`` returns a binary
            file of the package (for images to upload), or None.
        :returns: a dict of the created resources (``stack_id``,
            ``stack_name``, ``servers``, ``ports``, ``outputs``,
            ``vim_seconds``: the time the VIM itself reports it spent).
        :raises: InfraError
        """

    @abc.abstractmethod
    def delete(self, context, vim, instance, graceful_timeout=None):
        """Delete the resources of an app instance and wait for it.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param graceful_timeout: seconds to wait for a graceful stop.
        :returns: a dict with ``vim_seconds``.
        :raises: InfraError
        """

    @abc.abstractmethod
    def operate(self, context, vim, instance, state, graceful_timeout=None):
        """Start or stop an app instance and wait for it.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param state: ``STARTED`` or ``STOPPED``.
        :param graceful_timeout: seconds to wait for a graceful stop.
        :raises: InfraError
        """

    @abc.abstractmethod
    def show(self, context, vim, instance):
        """The state of an app instance's resources on the VIM.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :returns: a dict with ``status`` (the VIM's word, e.g.
            ``CREATE_COMPLETE``) and ``stack_id``, or None when the VIM
            has nothing for the instance.
        """

    @abc.abstractmethod
    def list_instances(self, context, vim):
        """The app instances that have resources on the VIM.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :returns: a list of dicts with ``instance_id``, ``stack_id`` and
            ``status``, for the resources named by :func:`resource_name`.
        """


#: The prefix of the names of the VIM resources of app instances.
RESOURCE_PREFIX = 'mec-'


def resource_name(instance_id):
    """The deterministic name of an app instance's VIM resources.

    :param instance_id: the app instance's id.
    :returns: e.g. ``mec-1b4e28ba-2fa1-11d2-883f-0016d3cca427``.
    """
    return RESOURCE_PREFIX + instance_id


def instance_id_from_name(name):
    """The app instance id in a name made by :func:`resource_name`.

    :param name: a VIM resource's name.
    :returns: the id, or None when the name is not one of ours.
    """
    if not name or not name.startswith(RESOURCE_PREFIX):
        return None
    rest = name[len(RESOURCE_PREFIX):]
    return rest if len(rest) == 36 and rest.count('-') == 4 else None


class MgmtDriver(BaseDriver):
    """Configures the MEC platform serving a host (Mm5)."""

    def prepare(self, context, instance, appd, request):
        """Make the app instance known to its platform, before its VIM
        resources exist; idempotent.

        :param context: the request context.
        :param instance: the app instance as a dict (``mec_host`` chosen).
        :param appd: the normalized AppD.
        :param request: the InstantiateAppRequest.
        :returns: the platform data the instance receives in its user data
            (Mp1 endpoint and credentials), a dict; empty by default.
        :raises: Invalid (a rule the data plane cannot realise).
        """
        return {}

    @abc.abstractmethod
    def configure(self, context, instance, appd):
        """Configure the platform for an app instance; idempotent.

        :param context: the request context.
        :param instance: the app instance as a dict.
        :param appd: the normalized AppD (traffic rules, DNS rules,
            services).
        """

    @abc.abstractmethod
    def unconfigure(self, context, instance, graceful_timeout=None):
        """Remove an app instance's platform configuration; idempotent.

        :param context: the request context.
        :param instance: the app instance as a dict.
        :param graceful_timeout: when set, the app is told that it is
            being terminated and given that many seconds to confirm.
        """

    def stop(self, context, instance, graceful_timeout=None):
        """The app instance is being stopped: deactivate its rules.

        :param context: the request context.
        :param instance: the app instance as a dict.
        :param graceful_timeout: as for :meth:`unconfigure`.
        """

    def start(self, context, instance):
        """The app instance was started again.

        :param context: the request context.
        :param instance: the app instance as a dict.
        """


class MonitorDriver(BaseDriver):
    """Watches app instances for the heal and scale policies."""

    @abc.abstractmethod
    def register(self, context, instance):
        """Start watching an app instance; idempotent.

        :param context: the request context.
        :param instance: the app instance as a dict.
        """

    @abc.abstractmethod
    def unregister(self, context, instance):
        """Stop watching an app instance; idempotent.

        :param context: the request context.
        :param instance: the app instance as a dict.
        """


class TrafficDriver(BaseDriver):
    """Realises an app instance's traffic rules in a VIM's data plane.

    Chosen by the VIM's type (the entry point name is the type). Every
    object a driver creates is named from the instance and the rule
    (``mec-<appInstanceId>-<trafficRuleId>``) so that ``activate`` after a
    crash finds what it made instead of making it twice.
    """

    @abc.abstractmethod
    def validate(self, rule):
        """Refuse what the data plane cannot express.

        :param rule: a MEC 011 TrafficRule (or AppD TrafficRuleDescriptor)
            as a dict.
        :raises: TrafficRuleNotSupported naming the rule and the reason.
        """

    @abc.abstractmethod
    def activate(self, context, vim, instance, rule):
        """Steer traffic as the rule says; idempotent.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict (``id``,
            ``vim_resources`` with its ``ports`` and ``servers``).
        :param rule: the MEC 011 TrafficRule as a dict.
        :returns: a JSON-able dict of what was created (ids), kept with
            the rule and given back to :meth:`deactivate`.
        :raises: TrafficRuleNotSupported, InfraError (the VIM's reason).
        """

    @abc.abstractmethod
    def deactivate(self, context, vim, instance, rule_id, realised=None):
        """Stop steering the rule's traffic, deleting what activate made.

        Idempotent: nothing to delete is success; ``realised`` may be None
        (a crash before it was recorded): objects are then found by name.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted.
        :param instance: the app instance as a dict.
        :param rule_id: the rule's trafficRuleId.
        :param realised: what :meth:`activate` returned, or None.
        :raises: InfraError (the VIM's reason).
        """


class DnsDriver(BaseDriver):
    """Publishes an app instance's DNS rules.

    Chosen by ``[platform] dns_driver``.
    """

    @abc.abstractmethod
    def activate(self, context, vim, instance, rule):
        """Answer the rule's name with its address; idempotent.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted, or None.
        :param instance: the app instance as a dict.
        :param rule: the MEC 011 DnsRule as a dict.
        :returns: a JSON-able dict of what was created.
        """

    @abc.abstractmethod
    def deactivate(self, context, vim, instance, rule_id, realised=None):
        """Stop answering the rule's name; idempotent.

        :param context: the request context.
        :param vim: the VIM as a dict, credentials decrypted, or None.
        :param instance: the app instance as a dict.
        :param rule_id: the rule's dnsRuleId.
        :param realised: what :meth:`activate` returned, or None.
        """
