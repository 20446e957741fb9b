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
"""App packages and subscriptions.

Revision ID: 0003_app_packages
Revises: 0002_vims_and_hosts
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '0003_app_packages'
down_revision = '0002_vims_and_hosts'

_ARGS = {'mysql_charset': 'utf8mb4', 'mysql_engine': 'InnoDB'}


def upgrade():
    op.create_table(
        'app_packages',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('app_pkg_name', sa.String(length=255), nullable=False),
        sa.Column('app_pkg_version', sa.String(length=255), nullable=False),
        sa.Column('app_provider', sa.String(length=255), nullable=True),
        sa.Column('app_pkg_path', sa.Text(), nullable=True),
        sa.Column('checksum_algorithm', sa.String(length=32), nullable=True),
        sa.Column('checksum_hash', sa.String(length=256), nullable=True),
        sa.Column('user_defined_data', sa.JSON(), nullable=True),
        sa.Column('app_d_id', sa.String(length=255), nullable=True),
        sa.Column('app_name', sa.String(length=255), nullable=True),
        sa.Column('app_software_version', sa.String(length=255),
                  nullable=True),
        sa.Column('app_d_version', sa.String(length=255), nullable=True),
        sa.Column('appd', sa.JSON(), nullable=True),
        sa.Column('software_images', sa.JSON(), nullable=True),
        sa.Column('additional_artifacts', sa.JSON(), nullable=True),
        sa.Column('onboarding_state', sa.String(length=32), nullable=False),
        sa.Column('operational_state', sa.String(length=32),
                  nullable=False),
        sa.Column('usage_state', sa.String(length=32), nullable=False),
        sa.Column('onboarding_failure', sa.JSON(), nullable=True),
        sa.Column('content_location', sa.String(length=255), nullable=True),
        sa.Column('content_size', sa.BigInteger(), nullable=True),
        sa.Column('content_sha256', sa.String(length=64), nullable=True),
        sa.Column('content_sha512', sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        **_ARGS,
    )
    op.create_index('app_packages_project_id_idx', 'app_packages',
                    ['project_id'])
    op.create_index('app_packages_app_d_id_idx', 'app_packages',
                    ['project_id', 'app_d_id'])
    op.create_table(
        'subscriptions',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('api', sa.String(length=32), nullable=False),
        sa.Column('subscription_type', sa.String(length=64),
                  nullable=False),
        sa.Column('callback_uri', sa.Text(), nullable=False),
        sa.Column('filter', sa.JSON(), nullable=True),
        sa.Column('authentication', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        **_ARGS,
    )
    op.create_index('subscriptions_project_api_idx', 'subscriptions',
                    ['project_id', 'api'])
