"""Signing in with the agency's account in a real browser on a phone: from a bookmarked staff page
through the provider's own sign-in page (a real OpenID Connect provider process on loopback) and
back, signing out, and a colleague Startklaar does not know yet. axe-core checks our pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from tests.support.axe import AxeAudit


@pytest.fixture
def app_config(app_config, oidc_provider):
    return {
        **app_config,
        "OIDC_ISSUER": oidc_provider.issuer,
        "OIDC_CLIENT_ID": "startklaar",
        "OIDC_CLIENT_SECRET": "startklaar-secret",
        "LOCAL_LOGIN": False,
    }


@pytest.fixture
def page(phone_page):
    # Everything the browser asks for stays on this machine.
    phone_page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    return phone_page


def sign_in_at_the_agency(page, sub: str) -> None:
    """On the provider's page: type the account and press "Authorize"."""
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_colleague_signs_in_with_the_agency_account_and_out_again(page, oidc_provider, make_user):
    audit = AxeAudit()
    make_user(Role.EXPERT, email="els.peeters@example.be", name="Els Peeters")
    oidc_provider.set_user("els-4711", email="els.peeters@example.be", email_verified=True)

    page.goto("/beheer/leads/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_label("Wachtwoord")).to_have_count(0)  # LOCAL_LOGIN=0
    audit.check(page, "the login page")
    page.get_by_role("link", name="Aanmelden met je account van het agentschap").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/oauth2/authorize\?"))
    sign_in_at_the_agency(page, "els-4711")

    expect(page).to_have_url(re.compile(r"/beheer/leads/$"))
    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(re.compile(r"/sessies$"))
    expect(page.get_by_text("Bij het agentschap ben je nog aangemeld")).to_be_visible()
    page.goto("/beheer/leads/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    audit.assert_clean()


def test_a_colleague_without_an_account_learns_whom_to_ask(page, oidc_provider, make_user):
    audit = AxeAudit()
    make_user(Role.ADMIN, email="an@example.be", name="An Beheer")
    oidc_provider.set_user("nieuw-1", email="nieuw@example.be", email_verified=True)

    page.goto("/login")
    page.get_by_role("link", name="Aanmelden met je account van het agentschap").click()
    sign_in_at_the_agency(page, "nieuw-1")

    expect(page.get_by_role("heading", name="Aanmelden lukte niet")).to_be_visible()
    expect(page.get_by_text("Startklaar heeft geen account met dat adres")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="An Beheer")).to_be_visible()
    audit.check(page, "the refusal page")
    audit.assert_clean()
