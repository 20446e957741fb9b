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

    # -- app packages ---------------------------------------------------------

    @abc.abstractmethod
    def create_app_package(self, values):
        """Create an app package.

        :param values: the columns' values, with ``id`` and ``project_id``.
        :returns: the app package.
        """

    @abc.abstractmethod
    def get_app_package(self, package_id):
        """An app package by id, whatever its project.

        :param package_id: the package's id.
        :returns: the app package.
        :raises: ResourceNotFound
        """

    @abc.abstractmethod
    def get_onboarded_app_package(self, project_id, app_d_id):
        """The latest onboarded package of a project with an appDId.

        :param project_id: the project.
        :param app_d_id: the AppD's id.
        :returns: the app package.
        :raises: ResourceNotFound
        """

    @abc.abstractmethod
    def list_app_packages(self, project_id):
        """A project's app packages, oldest first.

        :param project_id: the project.
        :returns: a list of app packages.
        """

    @abc.abstractmethod
    def update_app_package(self, package_id, values, expected=None,
                           notifications=None):
        """Update an app package if its columns have the expected values.

        The check and the update are one statement, so two concurrent
        requests cannot both move a package out of the same state.

        :param package_id: the package's id.
        :param values: the columns to set.
        :param expected: a dict of column to the value (or set of values)
            it must have.
        :param notifications: outbox rows (as for
            :meth:`queue_notifications`) written in the same transaction,
            for any conductor to send.
        :returns: the updated package.
        :raises: ResourceNotFound, InvalidState (409) when a column does
            not have the expected value.
        """

    @abc.abstractmethod
    def destroy_app_package(self, package_id, expected=None,
                            notifications=None):
        """Delete an app package if its columns have the expected values.

        :param package_id: the package's id.
        :param expected: as for :meth:`update_app_package`.
        :param notifications: as for :meth:`update_app_package`.
        :raises: ResourceNotFound, InvalidState (409)
        """

    # -- subscriptions --------------------------------------------------------

    @abc.abstractmethod
    def create_subscription(self, values):
        """Create a subscription.

        :param values: the columns' values (``api``, ``project_id``...).
        :returns: the subscription.
        """

    @abc.abstractmethod
    def get_subscription(self, api, subscription_id):
        """A subscription of an API by id, whatever its project.

        :param api: ``app_pkgm`` or ``app_lcm``.
        :param subscription_id: the subscription's id.
        :returns: the subscription.
        :raises: ResourceNotFound
        """

    @abc.abstractmethod
    def list_subscriptions(self, api, project_id, subscription_types=None):
        """A project's subscriptions to an API.

        :param api: ``app_pkgm`` or ``app_lcm``.
        :param project_id: the project.
        :param subscription_types: only these types, if given.
        :returns: a list of subscriptions, oldest first.
        """

    @abc.abstractmethod
    def destroy_subscription(self, api, subscription_id):
        """Delete a subscription.

        :param api: ``app_pkgm`` or ``app_lcm``.
        :param subscription_id: the subscription's id.
        :raises: ResourceNotFound
        """

    # -- VIMs -----------------------------------------------------------------

    @abc.abstractmethod
    def create_vim(self, values):
        """Register a VIM.

        :param values: the columns' values, with ``id``; ``credentials``
            already encrypted.
        :returns: the VIM.
        :raises: DuplicateName (409) when the name is taken.
        """

    @abc.abstractmethod
    def get_vim(self, vim_id):
        """A VIM by id.

        :param vim_id: the VIM's id.
        :returns: the VIM.
        :raises: VimNotFound
        """

    @abc.abstractmethod
    def get_vim_by_name(self, name):
        """A VIM by name.

        :param name: the VIM's name.
        :returns: the VIM.
        :raises: VimNotFound
        """

    @abc.abstractmethod
    def list_vims(self, limit=None, marker=None, filters=None):
        """VIMs sorted by name.

        :param limit: the largest number to return.
        :param marker: the id of the VIM after which to start.
        :param filters: a dict of column (``type``, ``site``, ``status``)
            to the value it must have.
        :returns: a list of VIMs.
        :raises: InvalidParameterValue when the marker is unknown.
        """

    @abc.abstractmethod
    def update_vim(self, vim_id, values, expected=None):
        """Update a VIM's columns.

        A new ``site`` is also set on the VIM's MEC hosts.

        :param vim_id: the VIM's id.
        :param values: the columns to set.
        :param expected: a dict of column to the value it must still have
            (compare and swap), checked in the same transaction.
        :returns: the VIM.
        :raises: VimNotFound, DuplicateName, Conflict when a column does
            not have the expected value.
        """

    @abc.abstractmethod
    def destroy_vim(self, vim_id):
        """Delete a VIM and its MEC hosts, unless it hosts app instances.

        :param vim_id: the VIM's id.
        :raises: VimNotFound, VimInUse (409)
        """

    @abc.abstractmethod
    def count_app_instances_on_vim(self, vim_id):
        """How many app instances run on the MEC hosts of a VIM.

        Until the app instance lifecycle lands there is no instance table,
        and the count is 0.

        :param vim_id: the VIM's id.
        :returns: an int.
        """

    # -- MEC hosts ------------------------------------------------------------

    @abc.abstractmethod
    def sync_mec_hosts(self, vim_id, hosts):
        """Merge what a discovery found into a VIM's MEC hosts.

        A host is matched by its ``discovery_key``. A new host is created
        with the given ``name`` and enabled; an existing one gets the
        discovered columns only (zone, aggregate, capacity and usage,
        capacity_source, details), never the operator's (name,
        description, location, mep_endpoint, platform_services, latencies,
        enabled). Every host of the VIM that was not found is marked
        unavailable.

        :param vim_id: the VIM's id.
        :param hosts: a list of dicts of MEC host columns, each with
            ``discovery_key`` and ``name``.
        :returns: the VIM's MEC hosts.
        :raises: VimNotFound
        """

    @abc.abstractmethod
    def get_mec_host(self, host_id):
        """A MEC host by id.

        :param host_id: the host's id.
        :returns: the MEC host.
        :raises: MecHostNotFound
        """

    @abc.abstractmethod
    def list_mec_hosts(self, limit=None, marker=None, filters=None):
        """MEC hosts sorted by name (then id).

        :param limit: the largest number to return.
        :param marker: the id of the host after which to start.
        :param filters: a dict of column (``vim_id``, ``site``,
            ``enabled``, ``zone``) to the value it must have.
        :returns: a list of MEC hosts.
        :raises: InvalidParameterValue when the marker is unknown.
        """

    @abc.abstractmethod
    def update_mec_host(self, host_id, values):
        """Update the operator's columns of a MEC host.

        :param host_id: the host's id.
        :param values: the columns to set, among the operator's.
        :returns: the MEC host.
        :raises: MecHostNotFound, Invalid for a column that discovery owns.
        """

    # -- capacity claims ------------------------------------------------------

    @abc.abstractmethod
    def claim_capacity(self, host_id, generation, consumer_id, project_id,
                       resources):
        """Claim capacity on a host, if the host is still at a generation.

        :param host_id: the MEC host.
        :param generation: the host's generation the decision was made on.
        :param consumer_id: who the capacity is for (app instance id).
        :param project_id: the consumer's project.
        :param resources: a dict of vcpus, memory_mb and disk_gb.
        :returns: the allocation.
        :raises: HostGenerationConflict when the host changed meanwhile.
        """

    @abc.abstractmethod
    def release_capacity(self, consumer_id):
        """Release every claim of a consumer; idempotent.

        :param consumer_id: the consumer.
        :returns: the number of allocations released.
        """

    @abc.abstractmethod
    def list_allocations(self, consumer_id=None, host_id=None):
        """Allocations, of a consumer or on a host.

        :returns: a list of allocations.
        """

    @abc.abstractmethod
    def get_allocation_usage(self):
        """What the orchestrator's claims use, per host.

        :returns: {host_id: {'total': {...}, 'since_discovery': {...}}}:
            all the claims, and those made after the host's last discovery
            (which the VIM's own usage figures cannot show yet).
        """

    # -- grants ---------------------------------------------------------------

    @abc.abstractmethod
    def create_grant(self, values):
        """Record a grant request.

        :param values: the grant's columns.
        :returns: the grant.
        """

    @abc.abstractmethod
    def get_grant(self, grant_id):
        """A grant by id, whatever its project.

        :raises: ResourceNotFound
        """

    @abc.abstractmethod
    def update_grant(self, grant_id, values):
        """Update a grant.

        :returns: the grant.
        :raises: ResourceNotFound
        """

    @abc.abstractmethod
    def list_granted_consumers(self):
        """The app instance ids of the INSTANTIATE grants given.

        :returns: a set of ids (MEPMs' instances, not the MEO's own).
        """

    # -- app instances --------------------------------------------------------

    @abc.abstractmethod
    def create_app_instance(self, values):
        """Create an app instance; its package becomes IN_USE.

        :param values: the instance's columns.
        :returns: the instance.
        :raises: InvalidState (409) unless the package is ONBOARDED and
            ENABLED in the instance's project.
        """

    @abc.abstractmethod
    def get_app_instance(self, instance_id):
        """An app instance by id, whatever its project.

        :raises: AppInstanceNotFound
        """

    @abc.abstractmethod
    def list_app_instances(self, project_id=None, vim_id=None):
        """App instances, of a project or on a VIM, oldest first."""

    @abc.abstractmethod
    def update_app_instance(self, instance_id, values, expected=None):
        """Update an app instance if its columns are as expected.

        :returns: the instance.
        :raises: AppInstanceNotFound, InvalidState
        """

    @abc.abstractmethod
    def destroy_app_instance(self, instance_id):
        """Delete a NOT_INSTANTIATED instance with no operation running.

        The package becomes NOT_IN_USE with its last instance.

        :returns: the deleted instance.
        :raises: AppInstanceNotFound, OperationInProgress, InvalidState
        """

    # -- app LCM operation occurrences ----------------------------------------

    @abc.abstractmethod
    def start_app_lcm_op(self, values, expected=None):
        """Create a STARTING op-occ and lock its instance to it.

        :param values: the op-occ's columns (id, project_id,
            app_instance_id, operation, operation_params, base_url).
        :param expected: the instance's columns and their expected values.
        :returns: the op-occ.
        :raises: AppInstanceNotFound, OperationInProgress (another
            operation holds the instance), InvalidState.
        """

    @abc.abstractmethod
    def get_app_lcm_op(self, op_occ_id):
        """An op-occ by id, whatever its project.

        :raises: AppLcmOpOccNotFound
        """

    @abc.abstractmethod
    def list_app_lcm_ops(self, project_id=None, app_instance_id=None,
                         operation_states=None):
        """Op-occs, oldest first."""

    @abc.abstractmethod
    def update_app_lcm_op(self, op_occ_id, values, expected=None,
                          instance_values=None):
        """Change an op-occ (compare-and-swap), and its instance with it.

        A final operation state releases the instance's lock.

        :returns: the op-occ.
        :raises: AppLcmOpOccNotFound, InvalidState
        """

    @abc.abstractmethod
    def acquire_app_lcm_op(self, op_occ_id, owner, lease, previous=None):
        """Own an active op-occ for lease seconds.

        :returns: the op-occ, or None when another conductor has it.
        """

    @abc.abstractmethod
    def renew_app_lcm_leases(self, owner, lease, op_occ_ids=None):
        """Extend the leases of a conductor's active op-occs.

        :param op_occ_ids: only these op-occs, if given.
        :returns: the number renewed.
        """

    @abc.abstractmethod
    def list_abandoned_app_lcm_ops(self, alive, unowned_after):
        """Active op-occs whose owner is gone or that nobody took."""

    # -- notification outbox --------------------------------------------------

    @abc.abstractmethod
    def queue_notifications(self, rows, owner, lease, op_occ_id=None,
                            op_state=None):
        """Write notifications to the outbox, owned for lease seconds.

        With ``op_occ_id``, only if that op-occ's ``notify_state`` is still
        ``op_state``; it is cleared in the same transaction, so that a
        state's notifications are queued once.

        :param rows: dicts with ``id``, ``api``, ``subscription_id``,
            ``project_id`` and ``body``.
        :param owner: the conductor sending them.
        :param lease: seconds before another conductor may send them.
        :param op_occ_id: the op-occ they are about, if any.
        :param op_state: the op-occ state they are about.
        :returns: True if queued; False if the op-occ's notifications for
            that state were queued already.
        """

    @abc.abstractmethod
    def delete_notification(self, notification_id):
        """Remove a delivered or given-up notification from the outbox.

        :returns: the number of rows deleted (0 or 1).
        """

    @abc.abstractmethod
    def renew_notification_leases(self, owner, lease, notification_ids):
        """Extend the leases of the notifications a conductor is sending.

        :returns: the number renewed.
        """

    @abc.abstractmethod
    def claim_notifications(self, owner, lease, limit=100):
        """Own the notifications nobody is sending (lease expired or none).

        :param limit: the most to claim at once, oldest first.
        :returns: the notifications claimed.
        """

    @abc.abstractmethod
    def list_app_lcm_ops_to_notify(self, older_than):
        """Op-occs whose state's notifications were not queued in time.

        :param older_than: seconds since the state was entered.
        :returns: op-occs with a ``notify_state``, oldest first.
        """
