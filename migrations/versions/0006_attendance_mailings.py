"""attendance mailings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEGMENTS = ("attendees", "no_shows", "waitlisted_never_seated", "cancelled")
STATUSES = ("draft", "scheduled", "sending", "sent")


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("first_attended_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_registrations_checked_in_by_id_users",
            "users",
            ["checked_in_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column(
            "segment", sa.Enum(*SEGMENTS, name="segment", native_enum=False, length=30), nullable=False
        ),
        sa.Column(
            "status", sa.Enum(*STATUSES, name="mailingstatus", native_enum=False, length=20), nullable=False
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("childcare_type", sa.String(length=30), nullable=True),
        sa.Column("province", sa.String(length=30), nullable=True),
        sa.Column("planned_start_from", sa.Date(), nullable=True),
        sa.Column("planned_start_until", sa.Date(), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("planned_count", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_mailings_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_sessions.id"],
            name=op.f("fk_mailings_session_id_info_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailings")),
    )
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.create_index("ix_mailings_status_scheduled_at", ["status", "scheduled_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mailings_session_id"), ["session_id"], unique=False)

    op.create_table(
        "mailing_sessions",
        sa.Column("mailing_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["mailings.id"],
            name=op.f("fk_mailing_sessions_mailing_id_mailings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["info_sessions.id"],
            name=op.f("fk_mailing_sessions_session_id_info_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mailing_id", "session_id", name=op.f("pk_mailing_sessions")),
    )
    with op.batch_alter_table("mailing_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mailing_sessions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "mailing_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailing_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=201), nullable=False),
        sa.Column("outbox_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["mailings.id"],
            name=op.f("fk_mailing_recipients_mailing_id_mailings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_mailing_recipients_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailing_recipients")),
        sa.UniqueConstraint("mailing_id", "email", name="uq_mailing_recipients_mailing_id_email"),
    )
    with op.batch_alter_table("mailing_recipients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mailing_recipients_outbox_key"), ["outbox_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mailing_recipients_registration_id"), ["registration_id"], unique=False
        )

    op.create_table(
        "mailing_unsubscribes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mailing_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mailing_id"],
            ["mailings.id"],
            name=op.f("fk_mailing_unsubscribes_mailing_id_mailings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailing_unsubscribes")),
        sa.UniqueConstraint("email", name=op.f("uq_mailing_unsubscribes_email")),
    )


def downgrade():
    op.drop_table("mailing_unsubscribes")
    with op.batch_alter_table("mailing_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mailing_recipients_registration_id"))
        batch_op.drop_index(batch_op.f("ix_mailing_recipients_outbox_key"))
    op.drop_table("mailing_recipients")
    with op.batch_alter_table("mailing_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mailing_sessions_session_id"))
    op.drop_table("mailing_sessions")
    with op.batch_alter_table("mailings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mailings_session_id"))
        batch_op.drop_index("ix_mailings_status_scheduled_at")
    op.drop_table("mailings")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint("fk_registrations_checked_in_by_id_users", type_="foreignkey")
        batch_op.drop_column("first_attended_at")
        batch_op.drop_column("checked_in_by_id")
