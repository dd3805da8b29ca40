"""Mail kinds: the one registry through which a package says which mails it writes, what people
call them, and how each is rendered.

A package registers each of its kinds once, when its mails module is imported (its `init_app`
imports it), and keeps the returned object to queue that kind:

    CONFIRMED = mail_kind("registration.confirmed", _l("Bevestiging van inschrijving"), render_confirmed)

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

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

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


class MailKinds:
    """Every kind of mail the application writes, by code."""

    def __init__(self) -> None:
        self._by_code: dict[str, MailKind] = {}

    def add(self, kind: MailKind) -> MailKind:
        if not kind.code or len(kind.code) > 60:
            raise ValueError("a mail kind's code is 1 to 60 characters")
        existing = self._by_code.get(kind.code)
        if existing is not None and existing.render is not kind.render:
            raise ValueError(f"mail kind {kind.code!r} is registered twice")
        self._by_code[kind.code] = kind
        return kind

    def get(self, code: str) -> MailKind | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """The name people read ("Bevestiging van inschrijving"); the code for an unknown kind."""
        kind = self._by_code.get(code)
        return str(kind.label) if kind is not None else code

    def __contains__(self, kind: object) -> bool:
        return isinstance(kind, MailKind) and self._by_code.get(kind.code) is kind

    def __iter__(self) -> Iterator[MailKind]:
        return iter(sorted(self._by_code.values(), key=lambda kind: kind.code))

    def __len__(self) -> int:
        return len(self._by_code)


KINDS = MailKinds()


def mail_kind(
    code: str,
    label,
    render: Callable[[MailIntent], RenderedMail | None],
    *,
    gone=None,
) -> MailKind:
    """Register a kind of mail and return it (keep it to queue intents of this kind)."""
    return KINDS.add(MailKind(code, label, render, gone or DEFAULT_GONE))


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
