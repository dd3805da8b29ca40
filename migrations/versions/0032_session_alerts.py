"""session alerts: an address that wants to hear of new sessions in a province or on a topic

Revision ID: 0032
Revises: 0017
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0032'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'session_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('province', sa.String(length=30), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('include_online', sa.Boolean(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('token', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['topic_id'], ['topics.id'], name=op.f('fk_session_alerts_topic_id_topics'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_alerts')),
        sa.UniqueConstraint('token', name=op.f('uq_session_alerts_token')),
    )
    op.create_index(op.f('ix_session_alerts_email'), 'session_alerts', ['email'])


def downgrade():
    op.drop_index(op.f('ix_session_alerts_email'), table_name='session_alerts')
    op.drop_table('session_alerts')
