"""leads intake

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('trigger', sa.Enum('registration', 'attendance', 'intake_request', name='leadtrigger', native_enum=False, length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('childcare_types', sa.JSON(), nullable=False),
    sa.Column('provinces', sa.JSON(), nullable=False),
    sa.Column('legal_forms', sa.JSON(), nullable=False),
    sa.Column('start_within_months', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_rules'))
    )
    op.create_table('intake_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mode', sa.Enum('on_site', 'online', name='slotmode', native_enum=False, length=10), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('meeting_url', sa.String(length=500), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_intake_slots_staff_id_users')),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_intake_slots_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_slots'))
    )
    op.create_index(op.f('ix_intake_slots_staff_id'), 'intake_slots', ['staff_id'], unique=False)
    op.create_index('ix_intake_slots_starts_at', 'intake_slots', ['starts_at'], unique=False)
    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('postcode', sa.String(length=4), nullable=True),
    sa.Column('municipality', sa.String(length=120), nullable=True),
    sa.Column('province', sa.String(length=30), nullable=True),
    sa.Column('childcare_type', sa.Enum('gezinsopvang', 'groepsopvang', 'bso', 'onbekend', name='childcaretype', native_enum=False, length=30), nullable=False),
    sa.Column('planned_places', sa.Integer(), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('legal_form', sa.Enum('eenmanszaak', 'bv', 'vof', 'commv', 'maatschap', 'vzw', 'feitelijke_vereniging', 'nog_niet_bepaald', name='legalform', native_enum=False, length=30), nullable=False),
    sa.Column('enterprise_number', sa.String(length=12), nullable=True),
    sa.Column('statute', sa.Enum('zelfstandige', 'onthaalouder_sui_generis', 'onthaalouder_werknemer', 'werknemer_organisator', 'nog_niet_bepaald', name='statute', native_enum=False, length=30), nullable=False),
    sa.Column('status', sa.Enum('new', 'contacted', 'intake_planned', 'converted', 'dropped', name='leadstatus', native_enum=False, length=30), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drop_reason', sa.Text(), nullable=True),
    sa.Column('source', sa.Enum('registration', 'attendance', 'intake_request', name='leadtrigger', native_enum=False, length=30), nullable=False),
    sa.Column('intake_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('privacy_version', sa.String(length=20), nullable=True),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('profile_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('callback_on', sa.Date(), nullable=True),
    sa.Column('converted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_leads_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads')),
    sa.UniqueConstraint('email', name=op.f('uq_leads_email')),
    sa.UniqueConstraint('token', name=op.f('uq_leads_token'))
    )
    op.create_index(op.f('ix_leads_childcare_type'), 'leads', ['childcare_type'], unique=False)
    op.create_index('ix_leads_owner_id_callback_on', 'leads', ['owner_id', 'callback_on'], unique=False)
    op.create_index(op.f('ix_leads_province'), 'leads', ['province'], unique=False)
    op.create_index('ix_leads_status_created_at', 'leads', ['status', 'created_at'], unique=False)
    op.create_table('intake_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('booked', 'held', 'cancelled', name='conversationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assessment', sa.Enum('sufficient', 'doubtful', 'insufficient', name='assessment', native_enum=False, length=20), nullable=True),
    sa.Column('guidance', sa.Enum('not_needed', 'recommended', 'required', name='guidance', native_enum=False, length=20), nullable=True),
    sa.Column('exemption_intake', sa.Boolean(), nullable=False),
    sa.Column('exemption_guidance', sa.Boolean(), nullable=False),
    sa.Column('outcome_notes', sa.Text(), nullable=False),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_intake_conversations_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], name=op.f('fk_intake_conversations_outcome_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['intake_slots.id'], name=op.f('fk_intake_conversations_slot_id_intake_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_intake_conversations_staff_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_conversations')),
    sa.UniqueConstraint('slot_id', name=op.f('uq_intake_conversations_slot_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_intake_conversations_uid'))
    )
    op.create_index(op.f('ix_intake_conversations_lead_id'), 'intake_conversations', ['lead_id'], unique=False)
    op.create_table('lead_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('note', 'event', name='notekind', native_enum=False, length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_lead_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_notes_lead_id_leads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_notes'))
    )
    op.create_index(op.f('ix_lead_notes_lead_id'), 'lead_notes', ['lead_id'], unique=False)
    op.create_table('lead_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_lead_registrations_lead_id_leads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_lead_registrations_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_id'], ['lead_rules.id'], name=op.f('fk_lead_registrations_rule_id_lead_rules'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_registrations')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_lead_registrations_registration_id'))
    )
    op.create_index(op.f('ix_lead_registrations_lead_id'), 'lead_registrations', ['lead_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_lead_registrations_lead_id'), table_name='lead_registrations')
    op.drop_table('lead_registrations')
    op.drop_index(op.f('ix_lead_notes_lead_id'), table_name='lead_notes')
    op.drop_table('lead_notes')
    op.drop_index(op.f('ix_intake_conversations_lead_id'), table_name='intake_conversations')
    op.drop_table('intake_conversations')
    op.drop_index('ix_leads_status_created_at', table_name='leads')
    op.drop_index(op.f('ix_leads_province'), table_name='leads')
    op.drop_index('ix_leads_owner_id_callback_on', table_name='leads')
    op.drop_index(op.f('ix_leads_childcare_type'), table_name='leads')
    op.drop_table('leads')
    op.drop_index('ix_intake_slots_starts_at', table_name='intake_slots')
    op.drop_index(op.f('ix_intake_slots_staff_id'), table_name='intake_slots')
    op.drop_table('intake_slots')
    op.drop_table('lead_rules')
