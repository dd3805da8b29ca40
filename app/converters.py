"""What an address may carry before a view sees it: path parts and query values.

Every `<int:…>` in the URL map is a database id, so the app's `int` converter only matches the
ids a database can hold: ASCII digits, 1 to MAX_ID (id columns are INTEGER: 32 bits on
PostgreSQL). Anything else, `/sessies/0` or `/beheer/leads/99999999999999999999`, is a plain
404 before a query is built, instead of an OverflowError (SQLite) or a NumericValueOutOfRange
(PostgreSQL) deep in the view.

A text part of a path (`<reference>`, `<token>`) never holds a control character, and a NUL in a
query value becomes U+FFFD: PostgreSQL refuses NUL in text outright (a DataError, so a 500),
while U+FFFD is just a value that matches nothing and that the filters name as wrong, as
SQLite already behaved. Forms are left alone: their services strip control characters.

Installed once in create_app, before any blueprint, so every route, today's and tomorrow's,
public and staff alike, gets them.
"""

import re

from flask import Request as FlaskRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError
from werkzeug.utils import cached_property

from app.parsing import MAX_ID

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class IntegerIdConverter(IntegerConverter):
    """A database id in a path: 1..MAX_ID, written in ASCII digits."""

    # Werkzeug's \d+ also matches other scripts' digits ("١٢"), which int() accepts.
    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(UnicodeConverter):
    """A text part of a path (the default converter): anything but a slash or a control character."""

    def to_python(self, value: str) -> str:
        if _CONTROL.search(value):
            raise ValidationError()
        return value


class Request(FlaskRequest):
    """Flask's request, with NUL in query keys and values replaced by U+FFFD."""

    @cached_property
    def args(self):
        return self.parameter_storage_class(
            (key.replace("\x00", "\ufffd"), value.replace("\x00", "\ufffd"))
            for key, value in super().args.items(multi=True)
        )


def init_app(app) -> None:
    """Before any blueprint is registered: rules look their converter up when they are added."""
    app.url_map.converters["int"] = IntegerIdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
    app.request_class = Request
