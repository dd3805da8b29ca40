"""companions: a registrant may bring up to three people, each a registration of their own

Revision ID: 0038
Revises: 0036
Create Date: 2026-12-06

A companion points to the registration that brought them (`companion_of_id`); one registered
without an e-mail address has none, so the address becomes optional (the unique address per
session still holds for every address given: NULLs never collide).
"""

import sqlalchemy as sa
from alembic import op


revision = "0038"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("companion_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_registrations_companion_of_id_registrations"),
            "registrations",
            ["companion_of_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_registrations_companion_of_id", ["companion_of_id"], unique=False)
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=True)


def downgrade():
    op.execute("DELETE FROM registrations WHERE email IS NULL")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_index("ix_registrations_companion_of_id")
        batch_op.drop_constraint(
            batch_op.f("fk_registrations_companion_of_id_registrations"), type_="foreignkey"
        )
        batch_op.drop_column("companion_of_id")
