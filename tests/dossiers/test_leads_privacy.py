"""A person's lead follows their privacy requests: it is in their export, and erasure reaches it."""

from __future__ import annotations

import json

from app.auth.models import Role
from app.extensions import db
from dossiers.leads import services
from dossiers.leads.models import Lead, LeadStatus
from tests.support.dossiers import lead_of
from tests.support.registrations import links_in, mails_to


def privacy_link(address: str) -> str:
    return next(links_in(mail).privacy for mail in reversed(mails_to(address)) if links_in(mail).privacy)


def test_the_export_holds_the_lead_and_its_notes(client, make_lead, make_user):
    lead = make_lead("an@example.com")
    services.add_note(lead, "Belt terug na de zomer.", make_user(Role.STAFF))

    response = client.post(privacy_link("an@example.com"), data={"action": "export"})

    exported = json.loads(response.get_data(as_text=True))
    assert exported["lead"]["email"] == "an@example.com"
    assert "Belt terug na de zomer." in [note["text"] for note in exported["lead"]["notes"]]


def test_erasing_anonymises_the_lead_and_blanks_its_notes(client, make_lead, make_user):
    lead = make_lead("an@example.com", phone="0470 12 34 56")
    services.add_note(lead, "Heeft een pand in Gent op het oog.", make_user(Role.STAFF))
    lead_id = lead.id

    response = client.post(privacy_link("an@example.com"), data={"action": "erase", "sure": "ja"})

    assert response.status_code == 200
    db.session.expire_all()
    erased = db.session.get(Lead, lead_id)
    assert lead_of("an@example.com") is None
    assert erased.first_name == "(gewist)" and erased.phone is None
    assert erased.status == LeadStatus.DROPPED
    assert all("Gent" not in note.body for note in erased.notes)


def test_a_converted_lead_stays_with_its_dossier(client, make_lead):
    lead = make_lead("an@example.com")
    lead.status = LeadStatus.CONVERTED
    db.session.commit()

    client.post(privacy_link("an@example.com"), data={"action": "erase", "sure": "ja"})

    assert lead_of("an@example.com") is not None
