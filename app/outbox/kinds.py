"""Mail kinds: the one registry through which a package says which mails it writes, what people
call them, and how each is rendered.

A package makes each of its kinds once, in its mails module, keeps the object to queue that kind,
and registers it from its `init_app` on `KINDS` (an `app.hooks.Registry` keyed by the kind's code:
two kinds with one code are refused at start-up, and each application has its own):

    CONFIRMED = mail_kind("registration.confirmed", _l("Bevestiging van inschrijving"), render_confirmed)
    KINDS.register(app, CONFIRMED)  # in the package's init_app

    enqueue(MailIntent(kind=CONFIRMED, to=registration.email, dedup_key=f"reg:{registration.id}:confirmed",
                       ids={"registration": registration.id}, locale="nl"))

The change that causes a mail writes only the intent, in its own transaction. The worker calls the
kind's `render(intent)` later, inside an application context of its own with the intent's
locale, and stores what it returns: a `RenderedMail`, or None when what the mail was about is gone
(erased, moved, unsubscribed) — then the row is closed unsent with the kind's `gone` reason,
visible in the outbox viewer.

A renderer reads the database. It never commits, sends or queues mail. Rows it adds to the session
because the mail carries them (a short link's token) are committed by the worker right before
the rendered mail is stored; the viewer also renders a mail not rendered yet, with
`intent.preview` True, and throws away whatever the renderer added — make nothing then that a
person could use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.hooks import Registry

DEFAULT_GONE = _l("Niet verstuurd: waar deze mail over ging, bestond niet meer toen ze werd opgemaakt.")


@dataclass(frozen=True, kw_only=True)
class RenderedMail:
    """A mail as its recipient reads it. `ics_method` (REQUEST, CANCEL or PUBLISH) makes the .ics an
    invitation; `list_unsubscribe` is the one-click unsubscribe URL (RFC 8058) of news."""

    subject: str
    text: str
    html: str | None = None
    ics: bytes | None = None
    ics_method: str | None = None
    list_unsubscribe: str | None = None


@dataclass(frozen=True, eq=False)
class MailKind:
    """One kind of mail: its stable `code` (stored on every outbox row), the Dutch `label` people
    read in the outbox viewer, the renderer, and why a mail of this kind is dropped when the
    renderer finds its subject gone."""

    code: str
    label: Any  # a lazy string: translated when shown
    render: Callable[[MailIntent], RenderedMail | None]
    gone: Any = DEFAULT_GONE

    def __repr__(self) -> str:
        return f"<MailKind {self.code}>"


@dataclass(frozen=True, kw_only=True)
class MailIntent:
    """A mail to write later: what a change puts in the outbox.

    `ids` name the rows the mail is about ({"registration": 12}); `snapshot` holds the little that
    must not change before the mail is rendered (the status at the time, the cancel reason, the
    old start time), JSON values only (datetimes as ISO strings: read them back with `moment`).
    `to` is stored with the intent, so the viewer lists it and an erasure finds it. `dedup_key` is
    unique across the outbox: queueing the same key again does nothing. `reference` is free text
    to find the mails of a thing ("registration:12"); `send_after` delays the first attempt.
    """

    kind: MailKind
    to: str
    dedup_key: str
    ids: Mapping[str, int] = field(default_factory=dict)
    snapshot: Mapping[str, Any] = field(default_factory=dict)
    locale: str = "nl"
    reference: str | None = None
    send_after: datetime | None = None
    preview: bool = False  # rendered for the viewer only: nothing it makes is kept

    def id(self, name: str) -> int | None:
        value = self.ids.get(name)
        return int(value) if value is not None else None

    def moment(self, name: str) -> datetime | None:
        """A datetime kept in the snapshot (stored as ISO 8601)."""
        value = self.snapshot.get(name)
        return datetime.fromisoformat(value) if value else None


class MailKinds(Registry[MailKind]):
    """Every kind of mail an application writes, by code (`app.hooks.Registry`, keyed by code)."""

    def check(self, item: MailKind) -> None:
        if not isinstance(item, MailKind):
            raise TypeError(f"{self.name}: {item!r} is not a MailKind (app.outbox.kinds.mail_kind)")
        if not item.code or len(item.code) > 60:
            raise TypeError(f"{self.name}: a mail kind's code is 1 to 60 characters, not {item.code!r}")

    def register_all(self, app: Flask, kinds: Iterable[MailKind]) -> None:
        for kind in kinds:
            self.register(app, kind)

    def find(self, code: str, app: Flask | None = None) -> MailKind | None:
        """The kind registered under `code`, or None."""
        try:
            return self.get(code, app)
        except KeyError:
            return None

    def label(self, code: str) -> str:
        """The name people read ("Bevestiging van inschrijving"); the code for an unknown kind."""
        kind = self.find(code)
        return str(kind.label) if kind is not None else code

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, MailKind) and self.find(kind.code) is kind

    def __len__(self) -> int:
        return len(self.items())


KINDS = MailKinds(
    "app.outbox.kinds.KINDS",
    key=lambda kind: kind.code,
    doc="Every kind of mail: the outbox renders an intent with its kind's renderer.",
)


def mail_kind(
    code: str,
    label,
    render: Callable[[MailIntent], RenderedMail | None],
    *,
    gone=None,
) -> MailKind:
    """A kind of mail (keep it to queue intents of this kind); register it on KINDS from the
    package's init_app."""
    return MailKind(code, label, render, gone or DEFAULT_GONE)


class AsOf:
    """A row as it was when the mail was asked for: the attributes in `then` (from the intent's
    snapshot) win over the live object's, everything else is read live.

        conversation = AsOf(live_conversation, starts_at=intent.moment("starts_at"))
    """

    def __init__(self, live, **then) -> None:
        self._live, self._then = live, then

    def __getattr__(self, name: str):
        then = self.__dict__["_then"]
        if name in then:
            return then[name]
        return getattr(self.__dict__["_live"], name)
