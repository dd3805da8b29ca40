"""lead inbox indexes: info_sessions by start, so "the newest sessions that brought in a lead"
(the inbox's session menu) walks the sessions newest first and stops at a hundred instead of
joining every registration with the leads; leads by (status,) latest change, so a page of the
inbox (new leads first) is two index walks instead of a sort of every lead (bench/load.py)

Revision ID: 0030
Revises: 0017
Create Date: 2026-12-06

"""
from alembic import op


revision = '0030'
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_info_sessions_starts_at', ['starts_at'], unique=False)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_status_changed', ['status', 'status_changed_at', 'id'], unique=False)
        batch_op.create_index('ix_leads_changed', ['status_changed_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_changed')
        batch_op.drop_index('ix_leads_status_changed')
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_info_sessions_starts_at')
