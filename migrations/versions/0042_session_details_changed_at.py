"""session details stamp: when something the calendars and feeds show of a session last changed,
apart from its seat counters (a registration no longer rebuilds every calendar feed)

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op


revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('details_revision', sa.Integer(), server_default='0', nullable=False)
        )
    # The best known moment for the rows there are: their last change of any kind.
    op.execute('UPDATE info_sessions SET details_changed_at = updated_at')
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.alter_column('details_changed_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('info_sessions', schema=None) as batch_op:
        batch_op.drop_column('details_revision')
        batch_op.drop_column('details_changed_at')
