"""The audit trail: every change to a dossier leaves exactly one entry saying who, what and when;
an entry is never changed or deleted; the dossier page shows the trail."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update

from app import audit
from app.audit import AuditEntry, AuditEntryImmutable
from app.extensions import db
from dossiers import services
from dossiers.models import ComplaintChannel, ComplaintKind, DossierState, ProposalOutcome
from tests.support import PASSWORD

PDF = b"%PDF-1.4\n%%EOF\n"


def entries(dossier) -> list[AuditEntry]:
    db.session.rollback()
    return services.trail(dossier)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_making_a_dossier_is_one_entry_with_its_data(make_dossier, dossier_staff):
    dossier = make_dossier()
    [entry] = entries(dossier)
    assert (entry.action, entry.actor_kind, entry.actor_name) == ("created", "user", dossier_staff.name)
    assert entry.reference == dossier.reference
    assert entry.changes["postcode"] == [None, "9000"]
    assert entry.changes["childcare_type"] == [None, "gezinsopvang"]


def _changes(dossier, staff):
    """Every kind of change a dossier knows, each a callable, with the action it should leave."""
    first = dossier.items[0]
    upload_item = next(i for i in dossier.items if services.uploadable(i) and i.id != first.id)
    return [
        ("state_changed", lambda: services.change_state(dossier, DossierState.DOCUMENTS, by=staff)),
        ("item_changed", lambda: services.update_item(dossier, first.id, by=staff, status="received")),
        (
            "item_changed",
            lambda: services.update_item(dossier, first.id, by=staff, comment="Scan is scherp."),
        ),
        ("item_changed", lambda: services.update_item(dossier, first.id, by=staff, due_on=date(2027, 1, 4))),
        (
            "document_uploaded",
            lambda: services.upload_document(dossier, upload_item.id, io.BytesIO(PDF), "plan.pdf"),
        ),
        ("missing_list_sent", lambda: services.send_missing_list(dossier, by=staff)),
        ("owner_changed", lambda: services.assign_owner(dossier, None, by=staff)),
        (
            "complaint_added",
            lambda: services.add_complaint(
                dossier,
                services.ComplaintData(
                    ComplaintKind.COMPLAINT, date.today(), ComplaintChannel.EMAIL, "Te traag."
                ),
                by=staff,
                today=date.today(),
            ),
        ),
        (
            "complaint_updated",
            lambda: services.update_complaint(
                dossier,
                dossier.complaints[0].id,
                follow_up="Gebeld.",
                closed_on=None,
                by=staff,
                today=date.today(),
            ),
        ),
    ]


def test_every_change_leaves_exactly_one_entry(make_dossier, dossier_staff):
    dossier = make_dossier()
    for action, change in _changes(dossier, dossier_staff):
        before = count()
        change()
        db.session.rollback()
        assert count() == before + 1, action
        assert entries(dossier)[0].action == action


def test_analysis_changes_leave_one_entry_each(make_dossier, dossier_staff):
    dossier = make_dossier()
    dossier.state = DossierState.ANALYSIS
    db.session.commit()
    steps = [
        ("argument_added", lambda: services.add_argument(dossier, "for", "Sterk plan.", by=dossier_staff)),
        (
            "proposal_saved",
            lambda: services.save_proposal(
                dossier,
                analysis="Goed.",
                outcome=ProposalOutcome.FAVOURABLE,
                text="Toekennen.",
                by=dossier_staff,
            ),
        ),
        (
            "argument_removed",
            lambda: services.remove_argument(dossier, dossier.arguments[0].id, by=dossier_staff),
        ),
    ]
    for action, change in steps:
        before = count()
        change()
        assert count() == before + 1
        assert entries(dossier)[0].action == action


def test_a_change_that_changes_nothing_leaves_no_entry(make_dossier, dossier_staff):
    dossier = make_dossier()
    item = dossier.items[0]
    before = count()
    services.update_item(dossier, item.id, by=dossier_staff, comment="", due_on=item.due_on)
    services.assign_owner(dossier, dossier_staff.id, by=dossier_staff)
    assert count() == before


def test_a_refused_change_leaves_no_entry(make_dossier, dossier_staff):
    dossier = make_dossier()
    before = count()
    with pytest.raises(Exception, match="niet naar"):
        services.change_state(dossier, DossierState.DECISION, by=dossier_staff)
    assert count() == before


def test_the_entry_records_old_and_new(make_dossier, dossier_staff):
    dossier = make_dossier()
    services.change_state(dossier, DossierState.DOCUMENTS, by=dossier_staff)
    assert entries(dossier)[0].changes == {"state": ["intake", "documents"]}


def test_the_reminder_job_is_recorded_as_the_system(make_dossier):
    from datetime import timedelta

    from app.db import utcnow

    dossier = make_dossier(now=utcnow() - timedelta(days=40))
    services.remind_overdue()
    entry = entries(dossier)[0]
    assert (entry.action, entry.actor_kind, entry.actor_user_id) == ("reminder_sent", "system", None)


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(make_dossier):
    entry = entries(make_dossier())[0]
    entry.action = "nothing happened"
    with pytest.raises(AuditEntryImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditEntryImmutable):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditEntryImmutable):
        db.session.execute(update(AuditEntry).values(action="x"))
    with pytest.raises(AuditEntryImmutable):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "created"


def test_on_postgresql_not_even_plain_sql_changes_an_entry(make_dossier):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; the ORM guard is tested above")
    entry = entries(make_dossier())[0]
    with pytest.raises(Exception, match="never changed"):
        db.session.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = :id"), {"id": entry.id})
    db.session.rollback()


def test_record_is_generic(app, make_user):
    user = make_user()
    audit.record("venue", 7, "renamed", actor=user, changes={"name": ["Zaal A", "Zaal B"]})
    db.session.commit()
    [entry] = audit.entries_for("venue", 7)
    assert entry.changes == {"name": ["Zaal A", "Zaal B"]} and entry.actor_user_id == user.id


def test_the_dossier_page_shows_who_did_what(client, make_dossier, dossier_staff):
    dossier = make_dossier()
    services.change_state(dossier, DossierState.DOCUMENTS, by=dossier_staff)
    client.post("/login", data={"email": dossier_staff.email, "password": PASSWORD})
    overview = client.get(f"/beheer/dossiers/{dossier.reference}").get_data(as_text=True)
    assert f'href="/beheer/dossiers/{dossier.reference}/historiek"' in overview  # one click away
    html = client.get(f"/beheer/dossiers/{dossier.reference}/historiek").get_data(as_text=True)
    trail = html[html.index('id="historiek"') :]
    assert "fase gewijzigd" in trail and "dossier aangemaakt" in trail
    assert dossier_staff.name in trail and "Fase: intake → documenten verzamelen" in trail
