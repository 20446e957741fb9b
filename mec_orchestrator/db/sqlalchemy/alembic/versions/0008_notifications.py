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
"""The notification outbox, and the op-occ state still to be notified.

Revision ID: 0008_notifications
Revises: 0007_platform
Create Date: 2026-12-07
"""

from alembic import op
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa

revision = '0008_notifications'
down_revision = '0007_platform'


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('api', sa.String(length=32), nullable=False),
        sa.Column('subscription_id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('body', db_types.JsonEncodedDict(), nullable=False),
        sa.Column('owner', sa.String(length=255), nullable=True),
        sa.Column('lease_expires_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        mysql_charset='utf8mb4',
        mysql_engine='InnoDB',
    )
    op.create_index('notifications_subscription_id_idx', 'notifications',
                    ['subscription_id'])
    op.create_index('notifications_lease_expires_at_idx', 'notifications',
                    ['lease_expires_at'])
    op.add_column('app_lcm_op_occs',
                  sa.Column('notify_state', sa.String(length=32),
                            nullable=True))
    op.create_index('app_lcm_op_occs_notify_state_idx', 'app_lcm_op_occs',
                    ['notify_state'])
