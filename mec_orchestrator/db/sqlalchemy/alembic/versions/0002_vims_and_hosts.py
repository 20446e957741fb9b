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
"""VIMs and MEC hosts.

Revision ID: 0002_vims_and_hosts
Revises: 0001_initial
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0002_vims_and_hosts'
down_revision = '0001_initial'


def upgrade():
    op.create_table(
        'vims',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('type', sa.String(length=64), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('site', sa.String(length=255), nullable=True),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('status_reason', sa.Text(), nullable=True),
        sa.Column('last_checked_at', sa.DateTime(), nullable=True),
        sa.Column('access', sa.Text(), nullable=True),
        sa.Column('auth_type', sa.String(length=64), nullable=True),
        sa.Column('credentials', sa.Text(), nullable=True),
        sa.Column('ca_cert', sa.Text(), nullable=True),
        sa.Column('capabilities', sa.Text(), nullable=True),
        sa.Column('extra', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name', name='uniq_vims0name'),
        sa.Index('vims_site_idx', 'site'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_table(
        'mec_hosts',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('vim_id', sa.String(length=36), nullable=False),
        sa.Column('discovery_key', sa.String(length=255), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('site', sa.String(length=255), nullable=True),
        sa.Column('zone', sa.String(length=255), nullable=True),
        sa.Column('aggregate', sa.String(length=255), nullable=True),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('area_id', sa.String(length=255), nullable=True),
        sa.Column('cell_ids', sa.Text(), nullable=True),
        sa.Column('vcpus', sa.Integer(), nullable=True),
        sa.Column('vcpus_used', sa.Integer(), nullable=True),
        sa.Column('memory_mb', sa.BigInteger(), nullable=True),
        sa.Column('memory_mb_used', sa.BigInteger(), nullable=True),
        sa.Column('disk_gb', sa.BigInteger(), nullable=True),
        sa.Column('disk_gb_used', sa.BigInteger(), nullable=True),
        sa.Column('capacity_source', sa.String(length=32), nullable=True),
        sa.Column('mep_endpoint', sa.String(length=1024), nullable=True),
        sa.Column('platform_services', sa.Text(), nullable=True),
        sa.Column('latencies', sa.Text(), nullable=True),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('available', sa.Boolean(), nullable=False),
        sa.Column('discovered_at', sa.DateTime(), nullable=True),
        sa.Column('details', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.ForeignKeyConstraint(['vim_id'], ['vims.id'],
                                name='mec_hosts_vim_id_fkey'),
        sa.UniqueConstraint('vim_id', 'discovery_key',
                            name='uniq_mec_hosts0vim_id0discovery_key'),
        sa.Index('mec_hosts_site_idx', 'site'),
        sa.Index('mec_hosts_name_idx', 'name'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
