"""Fixtures for the registrations tests. The factories every package uses (`registration_data`,
`make_registration`) are in tests/conftest.py; helpers (mails, links) in tests/support."""

from __future__ import annotations

import pytest

from tests.support.registrations import FORM_DEFAULTS


@pytest.fixture
def registration_form_data():
    """registration_form_data(**overrides) → the POST body of a filled-in form."""

    def make(**overrides) -> dict[str, str]:
        data = dict(FORM_DEFAULTS)
        data.update(overrides)
        # A checkbox left unticked is not sent at all.
        return {
            key: value for key, value in data.items() if not (key in ("privacy", "news_opt_in") and not value)
        }

    return make
