"""Words for codes: the one helper that turns a table of words (an enum member or a code → a
translatable text) into a form's choices or a page's label, and any (value, words) pairs into a
form's choices (`options`).

The tables themselves stay with the package whose codes they name (registrations/labels.py,
dossiers/models.py, …); this is only how they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms.fields import SelectChoice


def _code(value) -> object:
    return getattr(value, "value", value)  # an enum member's code, or the code itself


def options(items: Iterable) -> list[SelectChoice]:
    """A field's choices (SelectField, RadioField, the checkbox lists) from (value, words) pairs
    or SelectChoices: WTForms' own type for them, so no form passes the tuples WTForms 3.3
    deprecates."""
    return [item if isinstance(item, SelectChoice) else SelectChoice(*item) for item in items]


def choices(mapping: Mapping) -> list[SelectChoice]:
    """A field's choices from a table of words, in the table's order."""
    return options((_code(member), text) for member, text in mapping.items())


def label(mapping: Mapping, value) -> str:
    """The words for `value` (an enum member or its code) in the current language; "" for
    None, and the code itself when the table does not know it."""
    if value is None:
        return ""
    code = _code(value)
    for member, text in mapping.items():
        if _code(member) == code:
            return str(text)
    return str(value)
