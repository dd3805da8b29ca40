"""Fixtures shared by the materials tests (decks, handouts, mailings): uploads in a private
folder per test, and small valid files made by code (no binaries in the repository)."""

from __future__ import annotations

import io

import pytest

from app.auth.models import Role
from tests.support.decks import logo_png, other_master
from tests.support.files import pdf_bytes


@pytest.fixture
def make_pdf():
    return pdf_bytes


@pytest.fixture
def upload():
    """upload(data, name) → the (stream, filename) tuple a Werkzeug test client posts as a file."""

    def make(data: bytes, name: str):
        return (io.BytesIO(data), name)

    return make


@pytest.fixture
def expert(login):
    return login(Role.EXPERT)


@pytest.fixture
def another_master() -> bytes:
    return other_master()


@pytest.fixture
def logo() -> bytes:
    return logo_png()


@pytest.fixture
def app_config(app_config, tmp_path):
    """Built decks are kept in a folder of the test's own."""
    return {**app_config, "DECK_CACHE_FOLDER": str(tmp_path / "deck-cache")}
