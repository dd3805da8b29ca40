"""mail intents: an outbox row is written as an intent (kind, ids, locale, snapshot) and rendered
once by the worker; a mail whose subject is gone is dropped

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=False, server_default='nl'))
        batch_op.add_column(sa.Column('ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('raw_message', sa.LargeBinary(), nullable=True))
        batch_op.alter_column('subject', existing_type=sa.String(length=500), nullable=True)
        batch_op.alter_column('text_body', existing_type=sa.Text(), nullable=True)
    # Every row so far was rendered when it was queued (its MIME message is built when it goes out).
    op.execute("UPDATE outbox_messages SET rendered_at = created_at")


def downgrade():
    # An intent that was never rendered cannot be kept in the old table: it goes.
    op.execute("DELETE FROM outbox_messages WHERE rendered_at IS NULL")
    op.execute("UPDATE outbox_messages SET status = 'failed' WHERE status = 'dropped'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('text_body', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('subject', existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column('raw_message')
        batch_op.drop_column('rendered_at')
        batch_op.drop_column('snapshot')
        batch_op.drop_column('ids')
        batch_op.drop_column('locale')
