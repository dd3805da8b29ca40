"""registration questions: extra questions the team defines per topic or session, answers kept
with the registration

Revision ID: 0041
Revises: 0030
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0041'
down_revision = "0040"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'registration_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column(
            'kind',
            sa.Enum(
                'short_text', 'long_text', 'yes_no', 'single_choice', 'multiple_choice', 'number',
                name='questionkind', native_enum=False, length=20,
            ),
            nullable=False,
        ),
        sa.Column('label_nl', sa.String(length=300), nullable=False),
        sa.Column('label_en', sa.String(length=300), nullable=False),
        sa.Column('hint_nl', sa.Text(), nullable=False),
        sa.Column('choices', sa.JSON(), nullable=True),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('condition_key', sa.String(length=40), nullable=True),
        sa.Column('condition_value', sa.String(length=80), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['topic_id'], ['topics.id'], name=op.f('fk_registration_questions_topic_id_topics'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['session_id'], ['info_sessions.id'],
            name=op.f('fk_registration_questions_session_id_info_sessions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_questions')),
    )
    op.create_index(
        op.f('ix_registration_questions_topic_id'), 'registration_questions', ['topic_id']
    )
    op.create_index(
        op.f('ix_registration_questions_session_id'), 'registration_questions', ['session_id']
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('answers')
    op.drop_index(op.f('ix_registration_questions_session_id'), table_name='registration_questions')
    op.drop_index(op.f('ix_registration_questions_topic_id'), table_name='registration_questions')
    op.drop_table('registration_questions')
