"""hybrid sessions: online places beside the seats on site, and how each registrant attends

Revision ID: 0034
Revises: 0017
Create Date: 2026-12-06

The counters of the online pool start from what is there: on an online session everyone attends
online, so its online counters equal its totals; on other sessions nobody attends online yet.
"""
import sqlalchemy as sa
from alembic import op


revision = '0034'
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_capacity', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('online_seats_taken', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('online_waitlist_count', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'attends',
                sa.Enum('on_site', 'online', name='attendmode', native_enum=False, length=20),
                nullable=False,
                server_default='on_site',
            )
        )
    op.execute(
        "UPDATE registrations SET attends = 'online' WHERE session_id IN "
        "(SELECT id FROM info_sessions WHERE format = 'online')"
    )
    op.execute(
        "UPDATE info_sessions SET online_seats_taken = seats_taken, "
        "online_waitlist_count = waitlist_count WHERE format = 'online'"
    )


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('attends')
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.drop_column('online_waitlist_count')
        batch_op.drop_column('online_seats_taken')
        batch_op.drop_column('online_capacity')
