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
"""The MEC platform: its app instances, rules, services, subscriptions.

Revision ID: 0007_platform
Revises: 0006_app_lcm
Create Date: 2026-11-25
"""

from alembic import op
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa

revision = '0007_platform'
down_revision = '0006_app_lcm'

_TABLE = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def _times():
    return [sa.Column('created_at', sa.DateTime(), nullable=True),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def upgrade():
    op.create_table(
        'mep_apps',
        *_times(),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('mec_host_id', sa.String(length=36), nullable=True),
        sa.Column('app_name', sa.String(length=255), nullable=True),
        sa.Column('app_d_id', sa.String(length=255), nullable=True),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('confirm_ready', sa.Boolean(), nullable=False),
        sa.Column('client_secret', sa.Text(), nullable=True),
        sa.Column('services', db_types.JsonEncodedDict(), nullable=True),
        sa.Column('ready_at', sa.DateTime(), nullable=True),
        sa.Column('operation_action', sa.String(length=32), nullable=True),
        sa.Column('termination_deadline', sa.DateTime(), nullable=True),
        sa.Column('termination_confirmed', sa.String(length=32),
                  nullable=True),
        sa.PrimaryKeyConstraint('id'),
        **_TABLE,
    )
    op.create_index('mep_apps_mec_host_id_idx', 'mep_apps', ['mec_host_id'])
    op.create_table(
        'mep_rules',
        *_times(),
        sa.Column('app_instance_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('rule_id', sa.String(length=255), nullable=False),
        sa.Column('body', db_types.JsonEncodedDict(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('applied_state', sa.String(length=16), nullable=True),
        sa.Column('realised', db_types.JsonEncodedDict(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('app_instance_id', 'kind', 'rule_id'),
        **_TABLE,
    )
    op.create_table(
        'mep_services',
        *_times(),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('app_instance_id', sa.String(length=36), nullable=False),
        sa.Column('mec_host_id', sa.String(length=36), nullable=True),
        sa.Column('ser_name', sa.String(length=255), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('body', db_types.JsonEncodedDict(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('app_instance_id', 'ser_name',
                            name='uniq_mep_services0app0name'),
        **_TABLE,
    )
    op.create_index('mep_services_mec_host_id_idx', 'mep_services',
                    ['mec_host_id'])
    op.create_table(
        'mep_subscriptions',
        *_times(),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('app_instance_id', sa.String(length=36), nullable=False),
        sa.Column('mec_host_id', sa.String(length=36), nullable=True),
        sa.Column('subscription_type', sa.String(length=64),
                  nullable=False),
        sa.Column('callback_reference', sa.String(length=2048),
                  nullable=False),
        sa.Column('body', db_types.JsonEncodedDict(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        **_TABLE,
    )
    op.create_index('mep_subscriptions_app_instance_id_idx',
                    'mep_subscriptions', ['app_instance_id'])
    op.create_index('mep_subscriptions_mec_host_id_idx',
                    'mep_subscriptions', ['mec_host_id'])
