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
"""App instances and their lifecycle operation occurrences.

Revision ID: 0006_app_lcm
Revises: 0005_grants
Create Date: 2026-11-25
"""

from alembic import op
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa

revision = '0006_app_lcm'
down_revision = '0005_grants'


def upgrade():
    op.create_table(
        'app_instances',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('app_instance_name', sa.String(length=255),
                  nullable=True),
        sa.Column('app_instance_description', sa.Text(), nullable=True),
        sa.Column('app_d_id', sa.String(length=255), nullable=False),
        sa.Column('app_pkg_id', sa.String(length=36), nullable=False),
        sa.Column('app_provider', sa.String(length=255), nullable=True),
        sa.Column('app_name', sa.String(length=255), nullable=True),
        sa.Column('app_soft_version', sa.String(length=255), nullable=True),
        sa.Column('app_d_version', sa.String(length=255), nullable=True),
        sa.Column('instantiation_state', sa.String(length=32),
                  nullable=False),
        sa.Column('operational_state', sa.String(length=32), nullable=True),
        sa.Column('vim_id', sa.String(length=36), nullable=True),
        sa.Column('mec_host_id', sa.String(length=36), nullable=True),
        sa.Column('vim_resources', db_types.JsonEncodedDict(),
                  nullable=True),
        sa.Column('current_op_occ_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_index('app_instances_project_id_idx', 'app_instances',
                    ['project_id'])
    op.create_index('app_instances_app_pkg_id_idx', 'app_instances',
                    ['app_pkg_id'])
    op.create_table(
        'app_lcm_op_occs',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('app_instance_id', sa.String(length=36), nullable=False),
        sa.Column('operation', sa.String(length=32), nullable=False),
        sa.Column('operation_state', sa.String(length=32), nullable=False),
        sa.Column('state_entered_time', sa.DateTime(), nullable=False),
        sa.Column('start_time', sa.DateTime(), nullable=False),
        sa.Column('operation_params', db_types.JsonEncodedDict(),
                  nullable=True),
        sa.Column('is_cancel_pending', sa.Boolean(), nullable=False),
        sa.Column('error', db_types.JsonEncodedDict(), nullable=True),
        sa.Column('owner', sa.String(length=255), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
        sa.Column('steps', db_types.JsonEncodedDict(), nullable=True),
        sa.Column('base_url', sa.String(length=1024), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_index('app_lcm_op_occs_project_id_idx', 'app_lcm_op_occs',
                    ['project_id'])
    op.create_index('app_lcm_op_occs_app_instance_id_idx',
                    'app_lcm_op_occs', ['app_instance_id'])
    op.create_index('app_lcm_op_occs_operation_state_idx',
                    'app_lcm_op_occs', ['operation_state'])
