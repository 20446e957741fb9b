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
"""Capacity claims: allocations, host generations and civic location.

Revision ID: 0004_allocations
Revises: 0003_app_packages
Create Date: 2026-11-25
"""

from alembic import op
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa

revision = '0004_allocations'
down_revision = '0003_app_packages'


def upgrade():
    with op.batch_alter_table('mec_hosts') as batch:
        batch.add_column(sa.Column('country_code', sa.String(length=2),
                                   nullable=True))
        batch.add_column(sa.Column('civic_address',
                                   db_types.JsonEncodedList(),
                                   nullable=True))
        batch.add_column(sa.Column('generation', sa.Integer(),
                                   nullable=False, server_default='0'))
    op.create_table(
        'allocations',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('host_id', sa.String(length=36), nullable=False),
        sa.Column('consumer_id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('vcpus', sa.Integer(), nullable=False),
        sa.Column('memory_mb', sa.BigInteger(), nullable=False),
        sa.Column('disk_gb', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['host_id'], ['mec_hosts.id'],
                                name='allocations_host_id_fkey'),
        sa.PrimaryKeyConstraint('id'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_index('allocations_host_id_idx', 'allocations', ['host_id'])
    op.create_index('allocations_consumer_id_idx', 'allocations',
                    ['consumer_id'])
