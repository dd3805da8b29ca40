"""Walk the staff pages like a person would: start at the staff navigation, follow every link in
the page's main part to another staff page, and look at a couple of each kind (two sessions, two
dossiers, …), not all 1,400 mails. Used by the plain-Dutch check (over HTTP) and by the browser
check (which visits the paths this walk found).

Also: the text a person reads on a page (no scripts, no hidden parts, no attribute values) and
the words on it that are not plain Dutch.
"""

from __future__ import annotations

import enum
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

DEMO_PASSWORD = "startklaar-demo"
DEMO_LOGINS = {
    "admin": "admin@demo.startklaar.be",
    "expert": "els.peeters@demo.startklaar.be",
    "staff": "sofie.dewilde@demo.startklaar.be",
}
PER_KIND = 2  # pages of one kind looked at (sessions/1 and sessions/2, not all hundred)
MAX_PAGES = 160
# Not pages: files, a pagination's next page (the same page again), sign-out, another language.
SKIP = re.compile(
    r"(\.(csv|xlsx|pptx|docx|pdf|ics|eml|zip|png|svg|jpe?g)\b|/afdrukken|/download|/bestand|/materialen/[\w-]{12,}"
    r"|[?&]page=|[?&]lang=|/logout|/afmelden|/html$)"
)
_ID = re.compile(r"/(\d+|[A-Z]{2}-\d{4}-\d+)(?=/|$)")
_SLUG = re.compile(r"/(checklist|dias)/[a-z][\w-]*")  # one checklist element, one agenda item
_HREF = re.compile(r'<a\b[^>]*\bhref="(/beheer[^"#]*)', re.I)


def kind_of(path: str) -> str:
    """/beheer/sessies/12?status=x → /beheer/sessies/N?status=x: pages of one kind."""
    return _SLUG.sub(r"/\1/S", _ID.sub("/N", path))


def _main(html: str) -> str:
    start = html.find("<main")
    end = html.find("</main>")
    return html[start:end] if start >= 0 and end > start else html


def _nav(html: str) -> str:
    start = html.find('aria-label="Hoofdmenu"')
    return html[start : html.find("</nav>", start)] if start >= 0 else ""


def walk(client, start: str = "/beheer/") -> list[tuple[str, str]]:
    """[(path, html)] of the staff pages reachable from the navigation for the signed-in user."""
    first = client.get(start)
    assert first.status_code == 200, f"{start}: {first.status_code}"
    html = first.get_data(as_text=True)
    todo = [start] + [link.replace("&amp;", "&") for link in _HREF.findall(_nav(html))]
    seen: set[str] = set()
    per_kind: dict[str, int] = {}
    pages: list[tuple[str, str]] = []
    while todo and len(pages) < MAX_PAGES:
        path = todo.pop(0)
        kind = kind_of(path)
        if path in seen or SKIP.search(path) or per_kind.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(path)
        status, is_page = response.status_code, "text/html" in response.content_type
        html = response.get_data(as_text=True) if status == 200 and is_page else ""
        response.close()  # a file sent from disk (an upload) is closed too
        assert status < 500, f"{path}: {status}"
        if not html:
            continue
        pages.append((path, html))
        for link in _HREF.findall(_main(html)):
            link = link.replace("&amp;", "&")
            if link not in seen and link not in todo and urlsplit(link).path.startswith("/beheer"):
                todo.append(link)
    return pages


# --------------------------------------------------------------------------- what a person reads

_INVISIBLE = {"script", "style", "template", "noscript", "head"}
# Shown as code on purpose (the placeholders an author may type in a slide or a mail), or what a
# person typed and is editing (a textarea's text): not checked.
_AS_CODE = {"code", "kbd", "samp", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is it hidden?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attributes = dict(attrs)
        hidden = (
            tag in _INVISIBLE
            or tag in _AS_CODE
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or (tag == "iframe")
        )
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of the page body a person reads (screen-reader-only text included: it is read),
    without what is shown as code on purpose (<code>)."""
    body = html[html.find("<body") :] if "<body" in html else html
    parser = _Text()
    parser.feed(body)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


# Words a page must say in Dutch: each has a Dutch label somewhere in the app.
ENGLISH_WORDS = (
    "on hold",
    "pending",
    "confirmed",
    "waitlisted",
    "cancelled",
    "canceled",
    "attended",
    "no-show",
    "no show",
    "draft",
    "published",
    "completed",
    "queued",
    "failed",
    "dropped",
    "scheduled",
    "submitted",
    "approved",
    "rejected",
    "unknown",
    "none",
    "true",
    "false",
)
_SNAKE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-]|\.\w)")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)s")
_ENGLISH = re.compile(r"(?<![\w@.-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w@-])", re.I)


def enum_names(*enum_modules) -> set[str]:
    """The member names of every Enum in the given modules (CONFIRMED, ON_HOLD …)."""
    names = set()
    for module in enum_modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.Enum) and value is not enum.Enum:
                names.update(member.name for member in value if len(member.name) > 2)
    return names


#: Enum names that are also the Dutch abbreviation people write (vennootschap onder firma …).
DUTCH_ABBREVIATIONS = {"VOF", "VZW", "BVBA", "CVBA", "KBO", "BTW"}


def not_plain_dutch(text: str, enum_member_names: set[str]) -> list[str]:
    """What on a page is not plain Dutch: codes, enum names, placeholders, English words."""
    found = [f"code {m}" for m in _SNAKE.findall(text)]
    found += [f"placeholder {m}" for m in _PLACEHOLDER.findall(text)]
    found += [
        f"enum name {w}"
        for w in re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", text)
        if w in enum_member_names and w not in DUTCH_ABBREVIATIONS
    ]
    found += [f"English word “{m}”" for m in _ENGLISH.findall(text)]
    return sorted(set(found))
