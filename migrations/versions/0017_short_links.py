"""short links: opaque 22-character tokens in mailed links, stored hashed with purpose and expiry

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'short_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(length=60), nullable=False),
        sa.Column('payload', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_short_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_short_links_token_hash')),
    )
    op.create_index(op.f('ix_short_links_payload'), 'short_links', ['payload'])
    op.create_index(op.f('ix_short_links_expires_at'), 'short_links', ['expires_at'])


def downgrade():
    op.drop_index(op.f('ix_short_links_expires_at'), table_name='short_links')
    op.drop_index(op.f('ix_short_links_payload'), table_name='short_links')
    op.drop_table('short_links')
