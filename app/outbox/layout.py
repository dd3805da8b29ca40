"""The parts every mail is laid out with, the same in its text and its HTML part: the one primary
action (a button in HTML, with the link written beneath it), the what/when/where summary, and the
"add to calendar" links beside the attached .ics.

A renderer makes them, hands them to its text template (which writes them as plain text: the
summary as "Wat: …" lines, the action as its lead-in and the link on a line of its own) and to
`outbox/mail.html`, which lays out the text paragraph by paragraph and draws the paragraph that
holds the action's link as a button, the summary's paragraph as a table and the calendar's
paragraph as links. So both parts always say the same, and a mail without these parts is laid
out as plain paragraphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask_babel import gettext as _
from markupsafe import Markup

from app.outbox import html


@dataclass(frozen=True)
class Action:
    """The one thing a mail asks its reader to do: the button's `label` and where it goes."""

    label: str
    url: str


@dataclass(frozen=True)
class Summary:
    """What, when, where: rows of (label, value); a value may hold a web address."""

    rows: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, rows: Sequence[tuple[str, str | None]]) -> Summary:
        return cls(tuple((str(label), str(value)) for label, value in rows if value))

    @property
    def text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.rows)

    def __str__(self) -> str:
        return self.text


OUTLOOK_COM = "https://outlook.live.com/calendar/0/deeplink/compose?"
OFFICE_365 = "https://outlook.office.com/calendar/0/deeplink/compose?"


@dataclass(frozen=True)
class Calendar:
    """Web links that add an appointment to Google Calendar and Outlook.com (beside the .ics)."""

    google: str
    outlook: str
    with_ics: bool = True

    @property
    def office365(self) -> str:
        """The same "new event" form in Outlook of a work or school account (Microsoft 365)."""
        return self.outlook.replace(OUTLOOK_COM, OFFICE_365, 1)

    @property
    def intro(self) -> str:
        if self.with_ics:
            return _("Zet het in je agenda (of open de uitnodiging in de bijlage):")
        return _("Zet het in je agenda:")

    @property
    def text(self) -> str:
        return f"{self.intro}\n{_('Google Agenda')}: {self.google}\n{_('Outlook.com')}: {self.outlook}"

    def __str__(self) -> str:
        return self.text


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def calendar(
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    location: str = "",
    details: str = "",
    with_ics: bool = True,
) -> Calendar:
    """The "add to calendar" links of an appointment (times in UTC: no time zone to get wrong)."""
    start, end = _utc(starts_at), _utc(ends_at)
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": location,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details,
        "location": location,
    }
    return Calendar(
        google="https://calendar.google.com/calendar/render?"
        + urlencode({k: v for k, v in google.items() if v}),
        outlook=OUTLOOK_COM + urlencode({k: v for k, v in outlook.items() if v}),
        with_ics=with_ics,
    )


@dataclass(frozen=True)
class Block:
    """One piece of a mail's HTML part: `kind` is paragraph, list, action, summary or calendar."""

    kind: str
    body: Markup | None = None
    items: tuple[Markup, ...] = ()
    action: Action | None = None
    summary: Summary | None = None
    calendar: Calendar | None = None


def blocks(
    text: str,
    action: Action | None = None,
    summary: Summary | None = None,
    calendar: Calendar | None = None,
    lists: bool = True,
) -> list[Block]:
    """The text part cut into the blocks `outbox/mail.html` draws. The first paragraph with the
    action's link on a line of its own becomes its lead-in, the button and the rest; a paragraph
    that is exactly the summary's (or the calendar's) text becomes that part. Lines that start
    with "- " become a list unless `lists` is False (a mailing's frame, whose values are put in
    later, must lay out as the filled-in text would)."""
    # Jinja passes an undefined value for a part the renderer did not give: none.
    action, summary, calendar = action or None, summary or None, calendar or None
    found: list[Block] = []
    button_drawn = False
    for paragraph in text.strip().split("\n\n"):
        paragraph = paragraph.strip("\n")
        if not paragraph.strip():
            continue
        if summary is not None and paragraph.strip() == summary.text.strip():
            found.append(Block("summary", summary=summary))
            continue
        if calendar is not None and paragraph.strip() == calendar.text.strip():
            found.append(Block("calendar", calendar=calendar))
            continue
        lines = paragraph.split("\n")
        if action is not None and not button_drawn and action.url in (line.strip() for line in lines):
            at = [line.strip() for line in lines].index(action.url)
            found.extend(_plain(lines[:at], lists))
            found.append(Block("action", action=action))
            found.extend(_plain(lines[at + 1 :], lists))
            button_drawn = True
            continue
        found.extend(_plain(lines, lists))
    return found


def _plain(lines: list[str], lists: bool = True) -> list[Block]:
    """Lines of running text: a paragraph, and a list where lines start with "- " (a line that
    does not, after the list began, goes on the item before it)."""
    if not lines:
        return []
    first_item = next((i for i, line in enumerate(lines) if lists and line.startswith("- ")), None)
    if first_item is None:
        return [Block("paragraph", html.inline("\n".join(lines)))]
    found = [Block("paragraph", html.inline("\n".join(lines[:first_item])))] if first_item else []
    items: list[list[str]] = []
    for line in lines[first_item:]:
        if line.startswith("- "):
            items.append([line[2:]])
        else:
            items[-1].append(line.strip())
    found.append(Block("list", items=tuple(html.inline("\n".join(item)) for item in items)))
    return found


def linked(value: str) -> Markup:
    """A summary value with its web addresses made links."""
    return html.inline(value)
