"""widget origins: the websites an admin allows to show the sessions widget in an iframe

Revision ID: 0036
Revises: 0017
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0036'
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'widget_origins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('origin', sa.String(length=255), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['added_by_id'], ['users.id'], name=op.f('fk_widget_origins_added_by_id_users'), ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_widget_origins')),
        sa.UniqueConstraint('origin', name=op.f('uq_widget_origins_origin')),
    )


def downgrade():
    op.drop_table('widget_origins')
