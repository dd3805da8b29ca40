"""Fixtures shared by the materials tests (decks, handouts, mailings): uploads in a private
folder per test, and small valid files made by code (no binaries in the repository)."""

from __future__ import annotations

import io

import pytest

from app.auth.models import Role
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
