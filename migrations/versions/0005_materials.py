"""materials

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=24), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum("public", "attendees", "staff", name="visibility", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("file_key", sa.String(length=255), nullable=True),
        sa.Column("file_kind", sa.String(length=10), nullable=True),
        sa.Column("file_size", sa.Integer(), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "(session_id IS NULL) <> (topic_id IS NULL)", name=op.f("ck_materials_session_or_topic")
        ),
        sa.CheckConstraint(
            "(file_key IS NULL) <> (link_url IS NULL)", name=op.f("ck_materials_file_or_link")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_sessions.id"],
            name=op.f("fk_materials_session_id_info_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_materials_topic_id_topics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_materials_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint("uid", name=op.f("uq_materials_uid")),
    )
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_materials_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_materials_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "slide_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("block_key", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("bullets", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topics.id"], name=op.f("fk_slide_blocks_topic_id_topics"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slide_blocks")),
    )
    with op.batch_alter_table("slide_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slide_blocks_block_key"), ["block_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_slide_blocks_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "deck_masters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=255), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_deck_masters_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deck_masters")),
    )

    op.create_table(
        "final_decks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=255), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_sessions.id"],
            name=op.f("fk_final_decks_session_id_info_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_final_decks_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_final_decks")),
        sa.UniqueConstraint("session_id", name=op.f("uq_final_decks_session_id")),
    )


def downgrade():
    op.drop_table("final_decks")
    op.drop_table("deck_masters")
    with op.batch_alter_table("slide_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slide_blocks_topic_id"))
        batch_op.drop_index(batch_op.f("ix_slide_blocks_block_key"))
    op.drop_table("slide_blocks")
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_materials_topic_id"))
        batch_op.drop_index(batch_op.f("ix_materials_session_id"))
    op.drop_table("materials")
