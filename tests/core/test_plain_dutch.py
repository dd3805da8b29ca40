"""Plain Dutch on every staff page: an admin walks the demo (the staff navigation, then every
list's first rows) and no page shows a code (snake_case), an enum's name (CONFIRMED), a
placeholder ({sessie}) or an English word that has a Dutch label ("on hold", "pending")."""

from __future__ import annotations

import pytest

import app.auth.models
import app.outbox.models
import dossiers.leads.models
import dossiers.models
import materials.handouts.models
import materials.mailings.models
import registrations.models
import sessions.models
from tests.support.staff_walk import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    enum_names,
    not_plain_dutch,
    visible_text,
    walk,
)

ENUM_NAMES = enum_names(
    app.auth.models,
    app.outbox.models,
    sessions.models,
    registrations.models,
    materials.handouts.models,
    materials.mailings.models,
    dossiers.models,
    dossiers.leads.models,
)


@pytest.fixture
def demo_pages(runner, client):
    """Every staff page an admin reaches in the demo: [(path, html)]."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    response = client.post("/login", data={"email": DEMO_LOGINS["admin"], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    pages = walk(client)
    assert len(pages) > 40, [path for path, _ in pages]
    return pages


def _problems(pages) -> list[str]:
    problems = []
    for path, html in pages:
        found = not_plain_dutch(visible_text(html), ENUM_NAMES)
        if found:
            problems.append(f"{path}: {', '.join(found)}")
    return problems


def test_the_checker_catches_codes_enum_names_placeholders_and_english():
    html = (
        "<body><main><p>Status: on_hold, CONFIRMED</p><p>Welkom op {sessie}</p><p>Pending</p>"
        "<script>var x_y = 1</script><p hidden>queued</p>"
        "<p>jan_peeters@voorbeeld.be, verslag_2026.docx</p></main></body>"
    )
    found = not_plain_dutch(visible_text(html), ENUM_NAMES)
    assert found == [
        "English word “CONFIRMED”",
        "English word “Pending”",
        "code on_hold",
        "enum name CONFIRMED",
        "placeholder {sessie}",
    ]


def test_every_staff_page_of_the_demo_speaks_plain_dutch(demo_pages):
    pages = demo_pages
    assert any(path.startswith("/beheer/sessies/") for path, _ in pages)
    assert any(path.startswith("/beheer/outbox/") for path, _ in pages)
    problems = _problems(pages)
    assert any(path.startswith("/beheer/dossiers/") for path, _ in pages)
    assert not problems, "\n".join(problems)
