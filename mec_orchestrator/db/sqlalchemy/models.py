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
"""SQLAlchemy models of the orchestrator's tables.

Every table of tenant data carries ``project_id``. The alembic migrations
in ``alembic/versions`` produce exactly these tables; a test checks it on
SQLite and MariaDB.
"""

from oslo_db.sqlalchemy import models
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa
from sqlalchemy import orm

_TABLE_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


class MecBase(models.TimestampMixin, models.ModelBase):
    """Base of the models: created_at/updated_at and dict-like access."""

    def as_dict(self):
        """The row's columns as a dict.

        :returns: a dict of column name to value.
        """
        return {c.name: getattr(self, c.key)
                for c in self.__table__.columns}


Base = orm.declarative_base(cls=MecBase)


class Conductor(Base):
    """A conductor process: where RPC casts go and who owns work."""

    __tablename__ = 'conductors'
    __table_args__ = (
        sa.UniqueConstraint('hostname', name='uniq_conductors0hostname'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.Integer, primary_key=True)
    hostname = sa.Column(sa.String(255), nullable=False)
    site = sa.Column(sa.String(255), nullable=True)
    online = sa.Column(sa.Boolean, nullable=False, default=True)
    heartbeat_at = sa.Column(sa.DateTime, nullable=True)


class AppPackage(Base):
    """An application package (MEC 010-2 AppPkgInfo) and its AppD."""

    __tablename__ = 'app_packages'
    __table_args__ = (
        sa.Index('app_packages_project_id_idx', 'project_id'),
        sa.Index('app_packages_app_d_id_idx', 'project_id', 'app_d_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    app_pkg_name = sa.Column(sa.String(255), nullable=False)
    app_pkg_version = sa.Column(sa.String(255), nullable=False)
    app_provider = sa.Column(sa.String(255), nullable=True)
    app_pkg_path = sa.Column(sa.Text, nullable=True)
    checksum_algorithm = sa.Column(sa.String(32), nullable=True)
    checksum_hash = sa.Column(sa.String(256), nullable=True)
    user_defined_data = sa.Column(sa.JSON, nullable=True)
    # Known once onboarded, from the AppD.
    app_d_id = sa.Column(sa.String(255), nullable=True)
    app_name = sa.Column(sa.String(255), nullable=True)
    app_software_version = sa.Column(sa.String(255), nullable=True)
    app_d_version = sa.Column(sa.String(255), nullable=True)
    appd = sa.Column(sa.JSON, nullable=True)
    software_images = sa.Column(sa.JSON, nullable=True)
    additional_artifacts = sa.Column(sa.JSON, nullable=True)
    onboarding_state = sa.Column(sa.String(32), nullable=False)
    operational_state = sa.Column(sa.String(32), nullable=False)
    usage_state = sa.Column(sa.String(32), nullable=False)
    onboarding_failure = sa.Column(sa.JSON, nullable=True)
    content_location = sa.Column(sa.String(255), nullable=True)
    content_size = sa.Column(sa.BigInteger, nullable=True)
    content_sha256 = sa.Column(sa.String(64), nullable=True)
    content_sha512 = sa.Column(sa.String(128), nullable=True)


class Subscription(Base):
    """A subscription to notifications of an ETSI API."""

    __tablename__ = 'subscriptions'
    __table_args__ = (
        sa.Index('subscriptions_project_api_idx', 'project_id', 'api'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    #: The API it belongs to: app_pkgm or app_lcm.
    api = sa.Column(sa.String(32), nullable=False)
    subscription_type = sa.Column(sa.String(64), nullable=False)
    callback_uri = sa.Column(sa.Text, nullable=False)
    filter = sa.Column(sa.JSON, nullable=True)
    #: SubscriptionAuthentication, fernet-encrypted (never returned).
    authentication = sa.Column(sa.Text, nullable=True)


class Notification(Base):
    """A notification on its way to a subscription (the outbox).

    Written before it is sent, deleted once delivered or given up. The
    conductor sending it is its ``owner`` until ``lease_expires_at``, a
    lease renewed with its heartbeat; a notification whose lease expired
    is sent again by any live conductor.
    """

    __tablename__ = 'notifications'
    __table_args__ = (
        sa.Index('notifications_subscription_id_idx', 'subscription_id'),
        sa.Index('notifications_lease_expires_at_idx', 'lease_expires_at'),
        _TABLE_ARGS,
    )
    #: The notification's own ``id`` (the same at every attempt).
    id = sa.Column(sa.String(36), primary_key=True)
    #: The API of its subscription: app_pkgm or app_lcm.
    api = sa.Column(sa.String(32), nullable=False)
    subscription_id = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    body = sa.Column(db_types.JsonEncodedDict, nullable=False)
    owner = sa.Column(sa.String(255), nullable=True)
    lease_expires_at = sa.Column(sa.DateTime, nullable=True)


class Vim(Base):
    """A VIM the orchestrator deploys on (OpenStack, Kubernetes...).

    ``credentials`` is a token of :mod:`mec_orchestrator.common.crypto`
    (the secret fields: passwords, application credentials, tokens, keys);
    it is never returned by the API. ``access`` holds the fields that are
    not secret (auth URL, project, domains, region...).
    """

    __tablename__ = 'vims'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_vims0name'),
        sa.Index('vims_site_idx', 'site'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    #: The VIM driver's entry point name.
    type = sa.Column(sa.String(64), nullable=False)
    description = sa.Column(sa.Text, nullable=True)
    site = sa.Column(sa.String(255), nullable=True)
    #: REACHABLE or UNREACHABLE (common/states.py VIM_STATUS).
    status = sa.Column(sa.String(32), nullable=False)
    status_reason = sa.Column(sa.Text, nullable=True)
    last_checked_at = sa.Column(sa.DateTime, nullable=True)
    access = sa.Column(db_types.JsonEncodedDict, nullable=True)
    auth_type = sa.Column(sa.String(64), nullable=True)
    credentials = sa.Column(sa.Text, nullable=True)
    ca_cert = sa.Column(sa.Text, nullable=True)
    #: What the driver found: regions, services, extensions.
    capabilities = sa.Column(db_types.JsonEncodedDict, nullable=True)
    extra = sa.Column(db_types.JsonEncodedDict, nullable=True)


class MecHost(Base):
    """A MEC host: where app instances are placed, one or more per VIM.

    Discovery owns the VIM-side columns (zone, aggregate, capacity, usage,
    details, available); the operator owns the others, which discovery
    never overwrites.
    """

    __tablename__ = 'mec_hosts'
    __table_args__ = (
        sa.UniqueConstraint('vim_id', 'discovery_key',
                            name='uniq_mec_hosts0vim_id0discovery_key'),
        sa.Index('mec_hosts_site_idx', 'site'),
        sa.Index('mec_hosts_name_idx', 'name'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    vim_id = sa.Column(sa.String(36),
                       sa.ForeignKey('vims.id', name='mec_hosts_vim_id_fkey'),
                       nullable=False)
    #: What identifies the host inside its VIM, e.g. ``az:nova``.
    discovery_key = sa.Column(sa.String(255), nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    description = sa.Column(sa.Text, nullable=True)
    site = sa.Column(sa.String(255), nullable=True)
    zone = sa.Column(sa.String(255), nullable=True)
    aggregate = sa.Column(sa.String(255), nullable=True)
    latitude = sa.Column(sa.Float, nullable=True)
    longitude = sa.Column(sa.Float, nullable=True)
    area_id = sa.Column(sa.String(255), nullable=True)
    cell_ids = sa.Column(db_types.JsonEncodedList, nullable=True)
    vcpus = sa.Column(sa.Integer, nullable=True)
    vcpus_used = sa.Column(sa.Integer, nullable=True)
    memory_mb = sa.Column(sa.BigInteger, nullable=True)
    memory_mb_used = sa.Column(sa.BigInteger, nullable=True)
    disk_gb = sa.Column(sa.BigInteger, nullable=True)
    disk_gb_used = sa.Column(sa.BigInteger, nullable=True)
    #: Where capacity and usage come from: placement, nova, orchestrator.
    capacity_source = sa.Column(sa.String(32), nullable=True)
    mep_endpoint = sa.Column(sa.String(1024), nullable=True)
    platform_services = sa.Column(db_types.JsonEncodedList, nullable=True)
    latencies = sa.Column(db_types.JsonEncodedDict, nullable=True)
    enabled = sa.Column(sa.Boolean, nullable=False, default=True)
    #: Whether the VIM reported the host at the last discovery.
    available = sa.Column(sa.Boolean, nullable=False, default=True)
    discovered_at = sa.Column(sa.DateTime, nullable=True)
    details = sa.Column(db_types.JsonEncodedDict, nullable=True)
    #: ISO 3166-1 alpha-2 country and RFC 4776 civic address elements
    #: ({caType, caValue}), matched against locationConstraints.
    country_code = sa.Column(sa.String(2), nullable=True)
    civic_address = sa.Column(db_types.JsonEncodedList, nullable=True)
    #: Bumped by every claim or release of capacity on the host, so that
    #: concurrent claims cannot both rely on the same free capacity.
    generation = sa.Column(sa.Integer, nullable=False, default=0,
                           server_default='0')


class Allocation(Base):
    """Capacity of a MEC host claimed by the orchestrator for a consumer.

    The consumer is an app instance, or a grant until its instance exists.
    """

    __tablename__ = 'allocations'
    __table_args__ = (
        sa.Index('allocations_host_id_idx', 'host_id'),
        sa.Index('allocations_consumer_id_idx', 'consumer_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.Integer, primary_key=True)
    host_id = sa.Column(sa.String(36),
                        sa.ForeignKey('mec_hosts.id',
                                      name='allocations_host_id_fkey'),
                        nullable=False)
    consumer_id = sa.Column(sa.String(36), nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)
    vcpus = sa.Column(sa.Integer, nullable=False, default=0)
    memory_mb = sa.Column(sa.BigInteger, nullable=False, default=0)
    disk_gb = sa.Column(sa.BigInteger, nullable=False, default=0)


class Grant(Base):
    """A grant (MEC 010-2 Grant) the MEO gave, or is deciding on."""

    __tablename__ = 'grants'
    __table_args__ = (
        sa.Index('grants_project_id_idx', 'project_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    app_instance_id = sa.Column(sa.String(255), nullable=False)
    app_lcm_op_occ_id = sa.Column(sa.String(255), nullable=False)
    app_d_id = sa.Column(sa.String(255), nullable=False)
    operation = sa.Column(sa.String(32), nullable=False)
    #: PROCESSING, GRANTED or REJECTED.
    status = sa.Column(sa.String(32), nullable=False)
    request = sa.Column(db_types.JsonEncodedDict, nullable=False)
    #: The Grant document (without links), once GRANTED.
    grant = sa.Column(db_types.JsonEncodedDict, nullable=True)
    #: The ProblemDetails of a REJECTED grant.
    error = sa.Column(db_types.JsonEncodedDict, nullable=True)


class AppInstance(Base):
    """An app instance (MEC 010-2 AppInstanceInfo) and where it runs.

    ``current_op_occ_id`` is the lock of "one operation at a time": it is
    set, in the transaction that creates an op-occ, only where it was
    empty, and cleared when the op-occ reaches a final state.
    """

    __tablename__ = 'app_instances'
    __table_args__ = (
        sa.Index('app_instances_project_id_idx', 'project_id'),
        sa.Index('app_instances_app_pkg_id_idx', 'app_pkg_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    app_instance_name = sa.Column(sa.String(255), nullable=True)
    app_instance_description = sa.Column(sa.Text, nullable=True)
    app_d_id = sa.Column(sa.String(255), nullable=False)
    app_pkg_id = sa.Column(sa.String(36), nullable=False)
    app_provider = sa.Column(sa.String(255), nullable=True)
    app_name = sa.Column(sa.String(255), nullable=True)
    app_soft_version = sa.Column(sa.String(255), nullable=True)
    app_d_version = sa.Column(sa.String(255), nullable=True)
    instantiation_state = sa.Column(sa.String(32), nullable=False)
    #: STARTED or STOPPED while INSTANTIATED.
    operational_state = sa.Column(sa.String(32), nullable=True)
    vim_id = sa.Column(sa.String(36), nullable=True)
    mec_host_id = sa.Column(sa.String(36), nullable=True)
    #: What the infra driver created (stack id, servers, ports).
    vim_resources = sa.Column(db_types.JsonEncodedDict, nullable=True)
    current_op_occ_id = sa.Column(sa.String(36), nullable=True)


class AppLcmOpOcc(Base):
    """A lifecycle operation occurrence (MEC 010-2 AppInstanceLcmOpOcc).

    The conductor running it is its ``owner`` until ``lease_expires_at``,
    a lease it renews with its heartbeat; ``steps`` is the journal of the
    flow's completed steps and their results, so that another conductor
    resumes the flow where it stopped.
    """

    __tablename__ = 'app_lcm_op_occs'
    __table_args__ = (
        sa.Index('app_lcm_op_occs_project_id_idx', 'project_id'),
        sa.Index('app_lcm_op_occs_app_instance_id_idx', 'app_instance_id'),
        sa.Index('app_lcm_op_occs_operation_state_idx', 'operation_state'),
        sa.Index('app_lcm_op_occs_notify_state_idx', 'notify_state'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    app_instance_id = sa.Column(sa.String(36), nullable=False)
    operation = sa.Column(sa.String(32), nullable=False)
    operation_state = sa.Column(sa.String(32), nullable=False)
    state_entered_time = sa.Column(sa.DateTime, nullable=False)
    start_time = sa.Column(sa.DateTime, nullable=False)
    operation_params = sa.Column(db_types.JsonEncodedDict, nullable=True)
    is_cancel_pending = sa.Column(sa.Boolean, nullable=False, default=False)
    #: The ProblemDetails of the last failure.
    error = sa.Column(db_types.JsonEncodedDict, nullable=True)
    owner = sa.Column(sa.String(255), nullable=True)
    lease_expires_at = sa.Column(sa.DateTime, nullable=True)
    steps = sa.Column(db_types.JsonEncodedDict, nullable=True)
    #: The API's URL as the client saw it, for the notifications' links.
    base_url = sa.Column(sa.String(1024), nullable=True)
    #: The state whose notifications are still to be queued (set with
    #: the state, cleared when they are in the ``notifications`` table).
    notify_state = sa.Column(sa.String(32), nullable=True)


class MepApp(Base):
    """An app instance as its MEC platform knows it (MEC 011).

    ``state``: CONFIGURED (rules and services configured by the MEPM,
    waiting for ``confirm_ready``), READY, TERMINATING (a termination or
    stop was notified; waiting for ``confirm_termination`` until
    ``termination_deadline``). ``client_secret`` is the app's Mp1 secret,
    encrypted.
    """

    __tablename__ = 'mep_apps'
    __table_args__ = (
        sa.Index('mep_apps_mec_host_id_idx', 'mec_host_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    mec_host_id = sa.Column(sa.String(36), nullable=True)
    app_name = sa.Column(sa.String(255), nullable=True)
    app_d_id = sa.Column(sa.String(255), nullable=True)
    state = sa.Column(sa.String(32), nullable=False)
    #: Whether the rules wait for confirm_ready (else ACTIVE at once).
    confirm_ready = sa.Column(sa.Boolean, nullable=False, default=True)
    client_secret = sa.Column(sa.Text, nullable=True)
    #: The AppD's service names: ``required``, ``optional``, ``produced``.
    services = sa.Column(db_types.JsonEncodedDict, nullable=True)
    ready_at = sa.Column(sa.DateTime, nullable=True)
    #: TERMINATING or STOPPING while a termination is notified.
    operation_action = sa.Column(sa.String(32), nullable=True)
    termination_deadline = sa.Column(sa.DateTime, nullable=True)
    #: The operationAction the app confirmed, if it did.
    termination_confirmed = sa.Column(sa.String(32), nullable=True)


class MepRule(Base):
    """A traffic (``kind`` traffic) or DNS (``kind`` dns) rule of an app.

    ``state`` is what the app (or the MEPM) asked for; ``applied_state``
    and ``realised`` are what the data plane has, written by the conductor
    that realises the rules.
    """

    __tablename__ = 'mep_rules'
    __table_args__ = (_TABLE_ARGS,)
    app_instance_id = sa.Column(sa.String(36), primary_key=True)
    kind = sa.Column(sa.String(16), primary_key=True)
    rule_id = sa.Column(sa.String(255), primary_key=True)
    body = sa.Column(db_types.JsonEncodedDict, nullable=False)
    state = sa.Column(sa.String(16), nullable=False)
    applied_state = sa.Column(sa.String(16), nullable=True)
    realised = sa.Column(db_types.JsonEncodedDict, nullable=True)
    error = sa.Column(sa.Text, nullable=True)


class MepService(Base):
    """A service registered on a MEC platform (MEC 011 ServiceInfo)."""

    __tablename__ = 'mep_services'
    __table_args__ = (
        sa.UniqueConstraint('app_instance_id', 'ser_name',
                            name='uniq_mep_services0app0name'),
        sa.Index('mep_services_mec_host_id_idx', 'mec_host_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    app_instance_id = sa.Column(sa.String(36), nullable=False)
    mec_host_id = sa.Column(sa.String(36), nullable=True)
    ser_name = sa.Column(sa.String(255), nullable=False)
    state = sa.Column(sa.String(16), nullable=False)
    body = sa.Column(db_types.JsonEncodedDict, nullable=False)


class MepSubscription(Base):
    """An Mp1 subscription of an app (termination, service availability)."""

    __tablename__ = 'mep_subscriptions'
    __table_args__ = (
        sa.Index('mep_subscriptions_app_instance_id_idx', 'app_instance_id'),
        sa.Index('mep_subscriptions_mec_host_id_idx', 'mec_host_id'),
        _TABLE_ARGS,
    )
    id = sa.Column(sa.String(36), primary_key=True)
    app_instance_id = sa.Column(sa.String(36), nullable=False)
    mec_host_id = sa.Column(sa.String(36), nullable=True)
    subscription_type = sa.Column(sa.String(64), nullable=False)
    callback_reference = sa.Column(sa.String(2048), nullable=False)
    body = sa.Column(db_types.JsonEncodedDict, nullable=False)
