"""faq: the knowledge base, answers to registrants' questions, linked to the questions they answer

Revision ID: 0040
Revises: 0036
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op


revision = '0040'
down_revision = "0039"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'faq_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.Column('theme', sa.String(length=20), nullable=False),
        sa.Column('question', sa.String(length=300), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'], name=op.f('fk_faq_entries_created_by_id_users'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(
            ['topic_id'], ['topics.id'], name=op.f('fk_faq_entries_topic_id_topics'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_entries')),
    )
    op.create_index(op.f('ix_faq_entries_topic_id'), 'faq_entries', ['topic_id'], unique=False)
    op.create_table(
        'faq_links',
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['entry_id'], ['faq_entries.id'], name=op.f('fk_faq_links_entry_id_faq_entries'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['registration_id'], ['registrations.id'], name=op.f('fk_faq_links_registration_id_registrations'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_faq_links')),
    )
    op.create_index('ix_faq_links_entry_id', 'faq_links', ['entry_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # The public search (materials/faq/services.search) asks exactly this expression.
        op.execute(
            "CREATE INDEX ix_faq_entries_search ON faq_entries "
            "USING gin (to_tsvector('dutch', question || ' ' || answer))"
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_faq_entries_search")
    op.drop_index('ix_faq_links_entry_id', table_name='faq_links')
    op.drop_table('faq_links')
    op.drop_index(op.f('ix_faq_entries_topic_id'), table_name='faq_entries')
    op.drop_table('faq_entries')
