"""URL converters: what a path part must look like before a view ever sees it.

Every `<int:…>` in the URL map is a database id, so the app's `int` converter only matches the
ids a database can hold: ASCII digits, 1 to 2^63 - 1 (a signed 64-bit integer, the widest id
column of SQLite and PostgreSQL). Anything else, `/sessies/0` or `/beheer/leads/99999999999999999999`,
is a plain 404 before a query is built, instead of an OverflowError (SQLite) or a
NumericValueOutOfRange (PostgreSQL) deep in the view. Replacing the converter once in
create_app covers every route, today's and tomorrow's, public and staff alike.
"""

from werkzeug.routing import IntegerConverter

from app.parsing import MAX_ID


class IdConverter(IntegerConverter):
    """A database id in a path: 1..2^63-1, written in ASCII digits."""

    # Werkzeug's \d+ also matches other scripts' digits ("١٢"), which int() accepts.
    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    """Before any blueprint is registered: rules look their converter up when they are added."""
    app.url_map.converters["int"] = IdConverter
