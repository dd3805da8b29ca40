"""evaluations: a form per topic in versions, one response per registration, its answers

Revision ID: 0039
Revises: 0036
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0039'
down_revision = "0038"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evaluation_forms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('definition', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_evaluation_forms_topic_id_topics'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_forms')),
        sa.UniqueConstraint('topic_id', 'version', name=op.f('uq_evaluation_forms_topic_id')),
    )
    op.create_index(op.f('ix_evaluation_forms_topic_id'), 'evaluation_forms', ['topic_id'], unique=False)
    op.create_table(
        'evaluation_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['form_id'], ['evaluation_forms.id'], name=op.f('fk_evaluation_responses_form_id_evaluation_forms'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_evaluation_responses_registration_id_registrations'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['info_sessions.id'], name=op.f('fk_evaluation_responses_session_id_info_sessions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_responses')),
        sa.UniqueConstraint('registration_id', name=op.f('uq_evaluation_responses_registration_id')),
    )
    op.create_index('ix_evaluation_responses_session_id_form_id', 'evaluation_responses', ['session_id', 'form_id'], unique=False)
    op.create_table(
        'evaluation_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['response_id'], ['evaluation_responses.id'], name=op.f('fk_evaluation_answers_response_id_evaluation_responses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
    )
    op.create_index(op.f('ix_evaluation_answers_response_id'), 'evaluation_answers', ['response_id'], unique=False)


def downgrade():
    op.drop_table('evaluation_answers')
    op.drop_index('ix_evaluation_responses_session_id_form_id', table_name='evaluation_responses')
    op.drop_table('evaluation_responses')
    op.drop_index(op.f('ix_evaluation_forms_topic_id'), table_name='evaluation_forms')
    op.drop_table('evaluation_forms')
