"""report aggregates: the counts the reports read, kept up to date per change (reports.models)

Empty at first: the first report request (or `flask reports rebuild`) counts everything once.

Revision ID: 0016
Revises: 0009
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_changes'))
    )
    op.create_table('report_cube',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('moment', sa.String(length=10), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('province', sa.String(length=30), nullable=False),
    sa.Column('childcare_type', sa.String(length=30), nullable=False),
    sa.Column('registrations', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('waitlisted', sa.Integer(), nullable=False),
    sa.Column('never_seated', sa.Integer(), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('dossiers', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'topic_id', 'moment', 'held', 'province', 'childcare_type', name=op.f('pk_report_cube'))
    )
    op.create_table('report_cube_sessions',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('moment', sa.String(length=10), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'topic_id', 'moment', 'held', name=op.f('pk_report_cube_sessions'))
    )
    op.create_table('report_dossiers',
    sa.Column('dossier_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=30), nullable=False),
    sa.Column('days_to_dossier', sa.Integer(), nullable=False),
    sa.Column('days_to_decision', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_report_dossiers'))
    )
    with op.batch_alter_table('report_dossiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_dossiers_month'), ['month'], unique=False)

    op.create_table('report_session_counts',
    sa.Column('session_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('province', sa.String(length=30), nullable=False),
    sa.Column('childcare_type', sa.String(length=30), nullable=False),
    sa.Column('registrations', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('waitlisted', sa.Integer(), nullable=False),
    sa.Column('never_seated', sa.Integer(), nullable=False),
    sa.Column('leads', sa.Integer(), nullable=False),
    sa.Column('dossiers', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('session_id', 'province', 'childcare_type', name=op.f('pk_report_session_counts'))
    )
    op.create_table('report_sessions',
    sa.Column('session_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.String(length=10), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_report_sessions'))
    )
    with op.batch_alter_table('report_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_sessions_month'), ['month'], unique=False)

    op.create_table('report_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_state'))
    )


def downgrade():
    op.drop_table('report_state')
    with op.batch_alter_table('report_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_sessions_month'))

    op.drop_table('report_sessions')
    op.drop_table('report_session_counts')
    with op.batch_alter_table('report_dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_dossiers_month'))

    op.drop_table('report_dossiers')
    op.drop_table('report_cube_sessions')
    op.drop_table('report_cube')
    op.drop_table('report_changes')
