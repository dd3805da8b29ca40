"""registrations by (session, status, waitlisted_at): the check for lapsed waiting-list places
that every registration for a full session makes, and the first in line, are index range scans
instead of a visit to every waiting-list row of the session (bench/load.py)

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07

The new index starts with the columns of ix_registrations_session_status, which it replaces: it
serves every look-up by session and status as well. Plain CREATE and DROP INDEX, never a batch
rebuild of registrations (see 0042 on what a rebuild does on SQLite).
"""
from alembic import op


revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_registrations_session_status_waitlisted',
        'registrations',
        ['session_id', 'status', 'waitlisted_at'],
        unique=False,
    )
    op.drop_index('ix_registrations_session_status', table_name='registrations')


def downgrade():
    op.create_index('ix_registrations_session_status', 'registrations', ['session_id', 'status'], unique=False)
    op.drop_index('ix_registrations_session_status_waitlisted', table_name='registrations')
