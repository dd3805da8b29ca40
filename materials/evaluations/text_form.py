"""A form written as plain lines, for the admin's editor: one question per line, a section as a
heading line. The admin writes words, not keys: a question keeps the key of the question with the
same text in the form it replaces (so the results of both versions add up), a new one gets a key
made from its text.

    ## Je indruk
    score: Hoe tevreden ben je? | helemaal niet tevreden | heel tevreden
    keuze: Weet je wat je volgende stap is? | Ja | Een beetje | Nee
    meerkeuze: Waarover wil je meer weten? | Vergunning | Financiering
    tekst: Wil je nog iets kwijt?
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from app.errors import DomainError

KIND_WORDS = {"score": "rating", "keuze": "single", "meerkeuze": "multiple", "tekst": "text"}
WORD_OF_KIND = {kind: word for word, kind in KIND_WORDS.items()}
LIMIT = 200


def to_text(definition: dict) -> str:
    lines: list[str] = []
    for section in definition.get("sections", []):
        if section.get("title"):
            if lines:
                lines.append("")
            lines.append(f"## {section['title']}")
        for q in section.get("questions", []):
            parts = [q["label"]]
            if q["kind"] == "rating":
                parts += [q.get("low", ""), q.get("high", "")]
            elif q["kind"] in ("single", "multiple"):
                parts += q.get("choices", [])
            lines.append(f"{WORD_OF_KIND[q['kind']]}: " + " | ".join(parts))
    return "\n".join(lines)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40] or "vraag"


def from_text(text: str, previous: dict | None = None) -> dict:
    """The definition the lines describe; raises DomainError naming the line that is wrong."""
    keys_by_label = {
        q["label"].casefold(): q["key"]
        for s in (previous or {}).get("sections", [])
        for q in s.get("questions", [])
    }
    sections: list[dict] = []
    used: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip()[:LIMIT], "questions": []})
            continue
        word, colon, rest = line.partition(":")
        kind = KIND_WORDS.get(word.strip().lower())
        if not colon or kind is None:
            raise DomainError(
                _l(
                    "Regel %(n)s: begin met score:, keuze:, meerkeuze: of tekst:, of met ## voor een deel.",
                    n=number,
                ),
                field="questions",
            )
        parts = [p.strip()[:LIMIT] for p in rest.split("|")]
        label, extra = parts[0], [p for p in parts[1:] if p]
        if not label:
            raise DomainError(_l("Regel %(n)s: de vraag zelf ontbreekt.", n=number), field="questions")
        question = {"kind": kind, "label": label}
        if kind == "rating":
            if len(extra) != 2:
                raise DomainError(
                    _l("Regel %(n)s: een score heeft een woord voor 1 en een woord voor 5.", n=number),
                    field="questions",
                )
            question["low"], question["high"] = extra
        elif kind in ("single", "multiple"):
            if len(extra) < 2:
                raise DomainError(
                    _l("Regel %(n)s: een keuzevraag heeft minstens twee keuzes.", n=number), field="questions"
                )
            if len(set(extra)) != len(extra):
                raise DomainError(
                    _l("Regel %(n)s: een keuze staat er twee keer.", n=number), field="questions"
                )
            question["choices"] = extra
        key = keys_by_label.get(label.casefold()) or _slug(label)
        if key in used:
            raise DomainError(_l("Regel %(n)s: deze vraag staat er al.", n=number), field="questions")
        used.add(key)
        question["key"] = key
        if not sections:
            sections.append({"title": "", "questions": []})
        sections[-1]["questions"].append(question)
    return {"sections": [s for s in sections if s["questions"]]}
