"""The OpenAPI 3.1 description of the public JSON API, built in code.

The enums come from the same tables the API checks against (provinces, formats, moments,
statuses), so the document cannot drift from what the API accepts. Built per request because
the descriptions are translatable and the server URL and page sizes come from the config.
"""

from flask_babel import gettext as _

from app.geo import PROVINCES
from app.parsing import FIRST_YEAR, LAST_YEAR, MAX_ID, MAX_PAGE, MONTH_PATTERN
from sessions.models import SessionStatus
from sessions.services import FORMAT_API, MOMENT_API

API_VERSION = "1.0.0"
PUBLIC_STATUSES = [status.value for status in SessionStatus if status != SessionStatus.DRAFT]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


def _schemas() -> dict:
    uri = {"type": "string", "format": "uri"}
    return {
        "Topic": {
            "type": "object",
            "required": ["slug", "title"],
            "properties": {
                "slug": {"type": "string", "description": _("Korte naam, bruikbaar als filter `topic`.")},
                "title": {"type": "string"},
            },
        },
        "Venue": {
            "type": "object",
            "required": ["name", "address", "postcode", "municipality", "province", "step_free"],
            "properties": {
                "name": {"type": "string"},
                "address": {"type": "string", "description": _("Straat, postcode en gemeente.")},
                "postcode": {"type": "string", "pattern": "^[0-9]{4}$"},
                "municipality": {"type": "string"},
                "province": {"type": "string", "enum": list(PROVINCES)},
                "step_free": {"type": "boolean", "description": _("Rolstoeltoegankelijk, zonder trappen.")},
            },
        },
        "Session": {
            "type": "object",
            "required": [
                "id",
                "title",
                "topic",
                "starts_at",
                "ends_at",
                "format",
                "venue",
                "capacity",
                "online_capacity",
                "seats_left",
                "seats_left_by_mode",
                "registration_open",
                "waitlist_open",
                "evening",
                "weekend",
                "status",
                "cancel_reason",
                "language",
                "url",
                "ics_url",
            ],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "topic": _ref("Topic"),
                "starts_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": _("Begin in de tijd van Brussel, met de afwijking van UTC."),
                    "examples": ["2027-01-16T09:30:00+01:00"],
                },
                "ends_at": {"type": "string", "format": "date-time"},
                "format": {"type": "string", "enum": list(FORMAT_API)},
                "venue": {
                    "description": _("De locatie; null voor een online sessie."),
                    "oneOf": [_ref("Venue"), {"type": "null"}],
                },
                "capacity": {
                    "type": "integer",
                    "minimum": 1,
                    "description": _("Het aantal plaatsen; bij een hybride sessie de plaatsen ter plaatse."),
                },
                "online_capacity": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "description": _(
                        "Bij een hybride sessie: het aantal online plaatsen (null: onbeperkt). "
                        "Null voor elke andere sessie."
                    ),
                },
                "seats_left": {
                    "type": "integer",
                    "minimum": 0,
                    "description": _(
                        "Vrije plaatsen; bij een hybride sessie die ter plaatse (zie seats_left_by_mode)."
                    ),
                },
                "seats_left_by_mode": {
                    "type": "object",
                    "description": _(
                        "Vrije plaatsen per manier van deelnemen die de sessie aanbiedt: on_site "
                        "(ter plaatse), online, of beide bij een hybride sessie; null: onbeperkt."
                    ),
                    "minProperties": 1,
                    "additionalProperties": False,
                    "properties": {
                        "on_site": {"type": "integer", "minimum": 0},
                        "online": {"type": ["integer", "null"], "minimum": 0},
                    },
                    "examples": [{"on_site": 0, "online": None}],
                },
                "registration_open": {
                    "type": "boolean",
                    "description": _("Inschrijven kan nu (op een vrije plaats of op de wachtlijst)."),
                },
                "waitlist_open": {
                    "type": "boolean",
                    "description": _("De sessie is volzet, maar inschrijven op de wachtlijst kan nog."),
                },
                "evening": {"type": "boolean", "description": _("Begint om 18 uur of later.")},
                "weekend": {"type": "boolean", "description": _("Op zaterdag of zondag.")},
                "status": {"type": "string", "enum": PUBLIC_STATUSES},
                "cancel_reason": {"type": ["string", "null"]},
                "language": {"type": "string", "examples": ["nl"]},
                "url": {**uri, "description": _("De publieke pagina van de sessie.")},
                "ics_url": {**uri, "description": _("De sessie als agenda-item (iCalendar).")},
            },
        },
        "SessionDetail": {
            "allOf": [
                _ref("Session"),
                {
                    "type": "object",
                    "required": ["presenters"],
                    "properties": {
                        "presenters": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}},
                            },
                        }
                    },
                },
            ]
        },
        "SessionList": {
            "type": "object",
            "required": ["data", "meta", "links"],
            "properties": {
                "data": {"type": "array", "items": _ref("Session")},
                "meta": {
                    "type": "object",
                    "required": ["page", "per_page", "total", "pages"],
                    "properties": {
                        "page": {"type": "integer", "minimum": 1},
                        "per_page": {"type": "integer", "minimum": 1},
                        "total": {"type": "integer", "minimum": 0},
                        "pages": {"type": "integer", "minimum": 1},
                    },
                },
                "links": {
                    "type": "object",
                    "required": ["self", "next", "prev"],
                    "properties": {
                        "self": uri,
                        "next": {"type": ["string", "null"], "format": "uri"},
                        "prev": {"type": ["string", "null"], "format": "uri"},
                    },
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string", "description": _("Uitleg in het Nederlands.")},
                        "fields": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": _("De parameters met een ongeldige waarde."),
                        },
                    },
                }
            },
        },
    }


def _parameters(page_size: int, max_page_size: int) -> dict:
    # An empty value counts as left out (`?month=` is no filter, `?page=` the first page), as a
    # web form sends it; allowEmptyValue says so.
    def query(name: str, schema: dict, description: str) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "allowEmptyValue": True,
            "schema": schema,
            "description": description,
        }

    return {
        "province": query(
            "province",
            {"type": "string", "enum": list(PROVINCES)},
            _("Provincie van de sessies ter plaatse; met format=online telt ze niet."),
        ),
        "format": query(
            "format",
            {"type": "string", "enum": list(FORMAT_API)},
            _("Ter plaatse, online (ook de hybride sessies, die je online kunt volgen) of hybride."),
        ),
        "moment": query(
            "moment",
            {"type": "string", "enum": list(MOMENT_API)},
            _("Avond (vanaf 18 uur) of weekend (zaterdag of zondag)."),
        ),
        "topic": query("topic", {"type": "string"}, _("De korte naam (slug) van een thema.")),
        "month": query(
            "month",
            {"type": "string", "pattern": MONTH_PATTERN, "examples": ["2027-01"]},
            _(
                "Maand van de start, in de tijd van Brussel (JJJJ-MM), van %(first)s tot %(last)s.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
        ),
        "page": query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            _("Paginanummer. Een pagina na de laatste is leeg."),
        ),
        # No "maximum" in the schema: a larger number is not refused, it is brought down to the
        # maximum (meta.per_page says what was used), and a schema maximum would promise a 400.
        "per_page": query(
            "per_page",
            {"type": "integer", "minimum": 1, "default": page_size},
            _(
                "Sessies per pagina, hoogstens %(max)s: een groter getal wordt %(max)s "
                "(meta.per_page toont het gebruikte aantal).",
                max=max_page_size,
            ),
        ),
    }


def openapi_document(*, base_url: str, page_size: int, max_page_size: int) -> dict:
    """The OpenAPI 3.1 document of /api/v1, as a plain dict ready for JSON."""
    error_400 = _json("Error", _("Een filter of paginanummer heeft een ongeldige waarde."))
    error_404 = _json("Error", _("Deze infosessie bestaat niet of is (nog) niet gepubliceerd."))
    list_params = ["province", "format", "moment", "topic", "month", "page", "per_page"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Startklaar API",
            "version": API_VERSION,
            "description": _(
                "De infosessies voor wie een kinderopvang wil starten, als JSON. Dezelfde selectie "
                "als de publieke kalender: komende, gepubliceerde sessies, de eerstvolgende eerst."
            ),
        },
        "servers": [{"url": f"{base_url}/api/v1"}],
        "paths": {
            "/sessions": {
                "get": {
                    "operationId": "listSessions",
                    "summary": _("Komende infosessies"),
                    "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in list_params],
                    "responses": {
                        "200": _json("SessionList", _("Een pagina infosessies.")),
                        "400": error_400,
                    },
                }
            },
            "/sessions/{id}": {
                "get": {
                    "operationId": "getSession",
                    "summary": _("Eén infosessie"),
                    "description": _(
                        "Een gepubliceerde, afgelopen of geannuleerde sessie, met de namen van de sprekers."
                    ),
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        }
                    ],
                    "responses": {"200": _json("SessionDetail", _("De infosessie.")), "404": error_404},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": _("Deze beschrijving"),
                    "responses": {
                        "200": {
                            "description": _("Het OpenAPI-document."),
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": _schemas(), "parameters": _parameters(page_size, max_page_size)},
    }
