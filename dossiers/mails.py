"""The mails of a dossier, rendered at the moment of the change into the outbox.

To the organiser: what is still missing (on demand, and as a reminder when a due date passed),
with their signed link. To the owner: the organiser uploaded a document.
"""

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.outbox.services import OutgoingMail, enqueue_many
from dossiers import links
from dossiers.models import ChecklistItem, Dossier, DossierDocument

SUBJECTS = {
    "missing": _l("Je dossier %(reference)s: wat we nog nodig hebben"),
    "reminder": _l("Herinnering: je dossier %(reference)s is nog niet volledig"),
    "uploaded": _l("Nieuw document in dossier %(reference)s"),
}


def _mail(kind: str, dossier: Dossier, to: str, dedup_key: str, **context) -> OutgoingMail:
    # Dutch always: the organiser's dossier is handled in Dutch (the agency's working language).
    with force_locale("nl"):
        subject = str(SUBJECTS[kind] % {"reference": dossier.reference})
        text = render_template(f"dossiers/mail/{kind}.txt", d=dossier, subject=subject, **context)
    return OutgoingMail(
        to=to,
        subject=subject,
        text=text,
        dedup_key=dedup_key,
        kind=f"dossier.{kind}",
        reference=f"dossier:{dossier.id}",
    )


def send_missing(dossier: Dossier, items: list[ChecklistItem], dedup_key: str, *, reminder: bool) -> None:
    """Queue the list of what is missing for the organiser, in the current transaction."""
    kind = "reminder" if reminder else "missing"
    enqueue_many(
        [_mail(kind, dossier, dossier.email, dedup_key, items=items, url=links.organiser_url(dossier))]
    )


def send_uploaded(dossier: Dossier, document: DossierDocument) -> None:
    """Tell the owner (if the dossier has one) that the organiser uploaded a document."""
    if dossier.owner is None:
        return
    enqueue_many(
        [
            _mail(
                "uploaded",
                dossier,
                dossier.owner.email,
                f"dossier.uploaded:{document.id}",
                document=document,
                url=links.staff_url(dossier),
            )
        ]
    )
