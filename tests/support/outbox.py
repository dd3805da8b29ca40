"""A kind of mail for the outbox's own tests, whose renderer writes what the
intent's snapshot says (subject, text, HTML, .ics, unsubscribe link), so a test can queue any mail
and follow it through rendering, the SMTP server and the viewer.

    enqueue(literal(1, subject="…", ics=ICS, ics_method="REQUEST"))

`fail=True` makes the renderer raise (a bug in a template); `gone=True` makes it say the mail's
subject is gone (an erased registration); `leaves="name"` makes it add a row the mail would carry
(as a short link would), a job lock of that name.
"""

from __future__ import annotations

from flask import current_app

from app.extensions import db
from app.ops.models import JobLock
from app.outbox.kinds import KINDS, MailIntent, RenderedMail, mail_kind

BODY_FIELDS = ("subject", "text", "html", "ics", "ics_method", "list_unsubscribe", "fail", "gone", "leaves")


def _render_literal(intent: MailIntent) -> RenderedMail | None:
    written = intent.snapshot
    if written.get("fail"):
        raise RuntimeError("a bug in the template")
    if written.get("gone"):
        return None
    if written.get("leaves"):
        db.session.add(JobLock(name=written["leaves"]))
    ics = written.get("ics")
    return RenderedMail(
        subject=written["subject"],
        text=written["text"],
        html=written.get("html"),
        ics=ics.encode() if ics is not None else None,
        ics_method=written.get("ics_method"),
        list_unsubscribe=written.get("list_unsubscribe"),
    )


LITERAL = mail_kind("test.literal", "Testbericht", _render_literal)
OTHER_LITERAL = mail_kind("test.other", "Ander testbericht", _render_literal)


def _registered(kind):
    """The test kinds join the current application's kinds when a test first queues one."""
    if KINDS.find(kind.code) is None:
        KINDS.register(current_app, kind)
    return kind


def literal(defaults: dict, **overrides) -> MailIntent:
    """An intent of the literal kind: `defaults` and `overrides` give the intent's fields (to,
    dedup_key, reference, send_after, kind) and the mail's (subject, text, html, ics, …)."""
    values = {**defaults, **overrides}
    body = {name: values.pop(name) for name in BODY_FIELDS if name in values}
    if isinstance(body.get("ics"), bytes):
        body["ics"] = body["ics"].decode()
    kind = values.pop("kind", LITERAL)
    if kind in (LITERAL, OTHER_LITERAL):
        _registered(kind)
    return MailIntent(kind=kind, snapshot=body, **values)
