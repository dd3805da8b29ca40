"""catalogue index: published sessions that have not ended yet

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_info_sessions_status_ends_at', ['status', 'ends_at'], unique=False)


def downgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_info_sessions_status_ends_at')
