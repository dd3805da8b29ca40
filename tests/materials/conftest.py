"""Fixtures shared by the materials tests (decks, handouts, mailings): uploads in a private
folder per test, and small valid files made by code (no binaries in the repository)."""

from __future__ import annotations

import io

import pytest

from app.auth.models import Role
from tests.registrations.conftest import make_registration, registration_data  # noqa: F401 - shared factories


def pdf_bytes(text: str = "Startklaar") -> bytes:
    """A small valid one-page PDF, built by hand with a correct cross-reference table."""
    from materials.handouts.demo import tiny_pdf

    return tiny_pdf(text)


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
