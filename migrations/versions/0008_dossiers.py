"""dossiers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Intake dossiers (checklist catalogue and items, documents, arguments, complaints), the yearly
reference counter, and the generic audit trail (append-only; a trigger guards it on PostgreSQL).
The checklist catalogue is seeded by the app (dossiers.checklist.ensure_catalogue), not here, so
the one table of elements lives in one place.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_elements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('childcare_types', sa.String(length=100), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('record_only', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_elements')),
    sa.UniqueConstraint('code', name=op.f('uq_checklist_elements_code'))
    )

    op.create_table('dossier_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_dossier_counters'))
    )

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_audit_entries_actor_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_entity', ['entity_type', 'entity_id', 'id'], unique=False)

    op.create_table('dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('intake', 'documents', 'completeness_check', 'analysis', 'decision_proposal', 'decision', 'follow_up', 'closed', 'on_hold', 'withdrawn', name='dossierstate', native_enum=False, length=30), nullable=False),
    sa.Column('held_from', sa.Enum('intake', 'documents', 'completeness_check', 'analysis', 'decision_proposal', 'decision', 'follow_up', 'closed', 'on_hold', 'withdrawn', name='dossierstate', native_enum=False, length=30), nullable=True),
    sa.Column('state_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organiser_kind', sa.Enum('person', 'organisation', name='organiserkind', native_enum=False, length=30), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('legal_form', sa.Enum('eenmanszaak', 'bv', 'vof', 'commv', 'maatschap', 'vzw', 'feitelijke_vereniging', 'nog_niet_bepaald', name='legalform', native_enum=False, length=30), nullable=False),
    sa.Column('enterprise_number', sa.String(length=12), nullable=True),
    sa.Column('statute', sa.Enum('zelfstandige', 'onthaalouder_sui_generis', 'onthaalouder_werknemer', 'werknemer_organisator', 'nog_niet_bepaald', name='statute', native_enum=False, length=30), nullable=False),
    sa.Column('is_21_or_older', sa.Boolean(), nullable=True),
    sa.Column('childcare_type', sa.Enum('gezinsopvang', 'groepsopvang', 'bso', 'onbekend', name='childcaretype', native_enum=False, length=30), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=4), nullable=False),
    sa.Column('municipality', sa.String(length=120), nullable=False),
    sa.Column('province', sa.String(length=30), nullable=False),
    sa.Column('planned_places', sa.Integer(), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('proposal_outcome', sa.Enum('favourable', 'unfavourable', name='proposaloutcome', native_enum=False, length=30), nullable=True),
    sa.Column('proposal_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_dossiers_lead_id_leads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_dossiers_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('reference', name=op.f('uq_dossiers_reference')),
    sa.UniqueConstraint('token', name=op.f('uq_dossiers_token'))
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index('ix_dossiers_enterprise_postcode', ['enterprise_number', 'postcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_dossiers_state', ['state'], unique=False)

    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('missing', 'received', 'approved', 'rejected', name='itemstatus', native_enum=False, length=30), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_organiser', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_checklist_items_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_checklist_items_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['element_id'], ['checklist_elements.id'], name=op.f('fk_checklist_items_element_id_checklist_elements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('dossier_id', 'element_id', name='uq_checklist_items_dossier_element')
    )

    op.create_table('dossier_arguments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('for', 'against', name='argumentside', native_enum=False, length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dossier_arguments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_arguments_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_arguments'))
    )
    with op.batch_alter_table('dossier_arguments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_arguments_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('complaint', 'appeal', name='complaintkind', native_enum=False, length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'phone', 'letter', 'desk', 'webform', name='complaintchannel', native_enum=False, length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dossier_complaints_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_complaints_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_complaints'))
    )
    with op.batch_alter_table('dossier_complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_complaints_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('dossier_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_organiser', sa.Boolean(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_documents_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_items.id'], name=op.f('fk_dossier_documents_item_id_checklist_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_documents'))
    )
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_documents_dossier_id'), ['dossier_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # The audit trail is append-only, even for someone typing SQL by hand.
        op.execute(
            """
            CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit entries are never changed or deleted';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_documents_dossier_id'))
    op.drop_table('dossier_documents')
    with op.batch_alter_table('dossier_complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_complaints_dossier_id'))
    op.drop_table('dossier_complaints')
    with op.batch_alter_table('dossier_arguments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_arguments_dossier_id'))
    op.drop_table('dossier_arguments')
    op.drop_table('checklist_items')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_state')
        batch_op.drop_index(batch_op.f('ix_dossiers_owner_id'))
        batch_op.drop_index(batch_op.f('ix_dossiers_lead_id'))
        batch_op.drop_index('ix_dossiers_enterprise_postcode')
    op.drop_table('dossiers')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_entity')
    op.drop_table('audit_entries')
    op.drop_table('dossier_counters')
    op.drop_table('checklist_elements')
