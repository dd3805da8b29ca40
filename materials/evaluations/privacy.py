"""Answers outlive the person: when a registration is anonymised (on request or after the
retention period) its response stays for the figures but no longer points at the registration.
A person's data export carries their answers."""

from sqlalchemy import event, inspect, select, update

from app.extensions import db
from materials.evaluations.models import EvaluationResponse
from registrations import privacy
from registrations.models import Registration


def _forget_anonymised(session, _flush_context) -> None:
    erased = [
        obj.id
        for obj in session.dirty
        if isinstance(obj, Registration)
        and obj.anonymised_at is not None
        and inspect(obj).attrs.anonymised_at.history.has_changes()
    ]
    if erased:
        session.connection().execute(
            update(EvaluationResponse)
            .where(EvaluationResponse.registration_id.in_(erased))
            .values(registration_id=None)
        )


def export(email: str) -> dict:
    responses = db.session.scalars(
        select(EvaluationResponse)
        .join(Registration, Registration.id == EvaluationResponse.registration_id)
        .where(Registration.email == email)
        .order_by(EvaluationResponse.created_at)
    ).all()
    return {
        "evaluations": [
            {
                "session_id": r.session_id,
                "form": r.form.title,
                "form_version": r.form.version,
                "answered_at": r.updated_at.isoformat(),
                "answers": [
                    {
                        "question": (r.form.question(a.question_key) or {}).get("label", a.question_key),
                        "answer": a.value,
                    }
                    for a in r.answers
                ],
            }
            for r in responses
        ]
    }


def init_app(app) -> None:
    privacy.export_hooks.register(app, export)
    if not event.contains(db.session, "after_flush", _forget_anonymised):
        event.listen(db.session, "after_flush", _forget_anonymised)
