"""job locks: one row per scheduled job, so two machines never run the same job at once

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_locks',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('holder', sa.String(length=200), nullable=True),
        sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_ok_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_job_locks')),
    )


def downgrade():
    op.drop_table('job_locks')
