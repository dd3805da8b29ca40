"""branding: the agency's logo, shown in every page's header and offered to the deck builder

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'brand_logos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('alt', sa.String(length=200), nullable=False),
        sa.Column('width', sa.Integer(), nullable=True),
        sa.Column('height', sa.Integer(), nullable=True),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['uploaded_by_id'], ['users.id'],
            name=op.f('fk_brand_logos_uploaded_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_brand_logos')),
    )


def downgrade():
    op.drop_table('brand_logos')
