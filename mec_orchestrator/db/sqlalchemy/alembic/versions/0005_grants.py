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
"""Grants.

Revision ID: 0005_grants
Revises: 0004_allocations
Create Date: 2026-11-25
"""

from alembic import op
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa

revision = '0005_grants'
down_revision = '0004_allocations'


def upgrade():
    op.create_table(
        'grants',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('app_instance_id', sa.String(length=255), nullable=False),
        sa.Column('app_lcm_op_occ_id', sa.String(length=255),
                  nullable=False),
        sa.Column('app_d_id', sa.String(length=255), nullable=False),
        sa.Column('operation', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('request', db_types.JsonEncodedDict(), nullable=False),
        sa.Column('grant', db_types.JsonEncodedDict(), nullable=True),
        sa.Column('error', db_types.JsonEncodedDict(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_index('grants_project_id_idx', 'grants', ['project_id'])
