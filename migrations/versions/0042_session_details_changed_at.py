"""session details stamp: when something the calendars and feeds show of a session last changed,
apart from its seat counters (a registration no longer rebuilds every calendar feed)

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07

Plain ADD COLUMN, never a batch rebuild of info_sessions: on SQLite a rebuild drops the old
table, and with foreign keys on that deletes every registration, presenter link and answer of
it (ON DELETE CASCADE). So the columns come with a server default (ADD COLUMN NOT NULL needs a
constant one), and a downgrade on SQLite leaves them in place.
"""
import sqlalchemy as sa
from alembic import op


revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    present = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('info_sessions')}
    if 'details_changed_at' not in present:  # a SQLite downgrade kept them (see downgrade)
        op.add_column(
            'info_sessions',
            sa.Column(
                'details_changed_at',
                sa.DateTime(timezone=True),
                nullable=False,
                server_default='1970-01-01 00:00:00+00:00',
            ),
        )
        op.add_column(
            'info_sessions',
            sa.Column('details_revision', sa.Integer(), nullable=False, server_default='0'),
        )
    # The best known moment for the rows there are: their last change of any kind.
    op.execute('UPDATE info_sessions SET details_changed_at = updated_at')


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # Dropping a column rebuilds the table on SQLite (see above): the columns stay, unused,
        # filled in by their server defaults for whatever the older code inserts.
        return
    op.drop_column('info_sessions', 'details_revision')
    op.drop_column('info_sessions', 'details_changed_at')
