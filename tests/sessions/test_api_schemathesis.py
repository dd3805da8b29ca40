"""The public API against its own OpenAPI document, by an outside tester: schemathesis.

Schemathesis reads /api/v1/openapi.json from the app (through WSGI, no server) and sends what
the document allows and what it forbids, then checks every answer with all its checks: no
server error, only documented status codes, content types, headers and bodies, valid input
accepted and invalid input refused. Derandomized and bounded, so a run is the same every time
and takes seconds.
"""

import hypothesis
import pytest
import schemathesis

from app import create_app
from sessions.models import SessionFormat

# The document is read at collection time from an app of its own (it needs no database);
# the requests then go to the test's `app`, with its database. (schemathesis' fixture loader,
# `schemathesis.pytest.from_fixture`, relies on a pytest attribute that pytest 9.2 removed.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "BASE_URL": "http://localhost"}),
)


@pytest.fixture
def catalogue(app, make_session):
    """Something to list and to fetch: on site, online (no venue), in the morning."""
    return [
        make_session(days=3),
        make_session(days=5, format=SessionFormat.ONLINE),
        make_session(days=40, hour=10),
    ]


@schema.parametrize()
# The API only reads, so every example may share one catalogue (the function-scoped fixtures).
@hypothesis.settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, app, catalogue):
    case.call_and_validate(app=app)
