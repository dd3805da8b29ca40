"""The mails of a dossier, queued as intents in the transaction of the change and rendered by the
outbox's worker.

To the organiser: what is still missing (on demand, and as a reminder when a due date passed),
with their signed link. The list is the one asked for at the change, less what the organiser
delivered before the mail went out; when nothing of it is still missing, the mail is dropped. To
the owner: the organiser uploaded a document (dropped when the document is gone by then).
"""

from __future__ import annotations

from functools import partial

from flask import render_template
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.outbox.kinds import MailIntent, MailKind, RenderedMail, mail_kind
from app.outbox.layout import Action
from app.outbox.services import enqueue_many
from dossiers import links
from dossiers.models import ChecklistItem, Dossier, DossierDocument

SUBJECTS = {
    "missing": _l("Je dossier %(reference)s: wat we nog nodig hebben"),
    "reminder": _l("Herinnering: je dossier %(reference)s is nog niet volledig"),
    "uploaded": _l("Nieuw document in dossier %(reference)s"),
}
GONE = _l("Niet verstuurd: wat deze mail zou melden, was al in orde of bestond niet meer toen ze vertrok.")


ACTIONS = {
    "missing": _l("Documenten opladen"),
    "reminder": _l("Documenten opladen"),
    "uploaded": _l("Bekijk het dossier"),
}


def _text(name: str, dossier: Dossier, **context) -> RenderedMail:
    subject = str(SUBJECTS[name] % {"reference": dossier.reference})
    action = Action(str(ACTIONS[name]), context["url"])
    text = render_template(f"dossiers/mail/{name}.txt", d=dossier, subject=subject, **context)
    html = render_template("outbox/mail.html", subject=subject, text=text, lang="nl", action=action)
    return RenderedMail(subject=subject, text=text, html=html)


def _render_missing(name: str, intent: MailIntent) -> RenderedMail | None:
    dossier = db.session.get(Dossier, intent.id("dossier"))
    if dossier is None or dossier.email != intent.to:
        return None
    asked = set(intent.snapshot.get("items", ()))
    items = [item for item in dossier.items if item.id in asked and item.is_open]
    if not items:
        return None
    return _text(name, dossier, items=items, url=links.mail_url(dossier))


def _render_uploaded(intent: MailIntent) -> RenderedMail | None:
    document = db.session.get(DossierDocument, intent.id("document"))
    if document is None or document.dossier_id != intent.id("dossier"):
        return None
    dossier = document.dossier
    return _text("uploaded", dossier, document=document, url=links.staff_url(dossier))


# Dutch always: the organiser's dossier is handled in Dutch (the agency's working language).
MISSING = mail_kind(
    "dossier.missing",
    _l("Wat nog ontbreekt in het dossier"),
    partial(_render_missing, "missing"),
    gone=GONE,
)
REMINDER = mail_kind(
    "dossier.reminder",
    _l("Herinnering: dossier nog niet volledig"),
    partial(_render_missing, "reminder"),
    gone=GONE,
)
UPLOADED = mail_kind("dossier.uploaded", _l("Nieuw document in een dossier"), _render_uploaded, gone=GONE)
MAIL_KINDS = (MISSING, REMINDER, UPLOADED)  # registered by init_app (app.outbox.kinds.KINDS)


def _queue(kind: MailKind, dossier: Dossier, to: str, dedup_key: str, ids: dict, **snapshot) -> None:
    intent = MailIntent(
        kind=kind,
        to=to,
        dedup_key=dedup_key,
        ids={"dossier": dossier.id, **ids},
        snapshot=snapshot,
        locale="nl",
        reference=f"dossier:{dossier.id}",
    )
    enqueue_many([intent])


def send_missing(dossier: Dossier, items: list[ChecklistItem], dedup_key: str, *, reminder: bool) -> None:
    """Queue the list of what is missing for the organiser, in the current transaction."""
    kind = REMINDER if reminder else MISSING
    _queue(kind, dossier, dossier.email, dedup_key, {}, items=[item.id for item in items])


def send_uploaded(dossier: Dossier, document: DossierDocument) -> None:
    """Tell the owner (if the dossier has one) that the organiser uploaded a document."""
    if dossier.owner is None:
        return
    _queue(
        UPLOADED, dossier, dossier.owner.email, f"dossier.uploaded:{document.id}", {"document": document.id}
    )
