"""Kinds of mail live on an `app.hooks.Registry` keyed by code: each package registers its kinds
from init_app, each application has its own, and two kinds with one code are refused at
start-up rather than one silently rendering the other's mails."""

from __future__ import annotations

import pytest

from app.outbox.kinds import KINDS, mail_kind
from dossiers import mails as dossier_mails
from dossiers.leads import mails as intake_mails
from materials.mailings import mails as mailing_mails
from registrations import mails as registration_mails


def test_every_package_registers_its_kinds_on_the_application(app):
    for kinds in (
        registration_mails.MAIL_KINDS,
        dossier_mails.MAIL_KINDS,
        intake_mails.MAIL_KINDS,
        mailing_mails.MAIL_KINDS,
    ):
        for kind in kinds:
            assert KINDS.find(kind.code, app) is kind
            assert kind in KINDS
    assert KINDS.label("registration.confirmed") == "Bevestiging van inschrijving"
    assert KINDS.label("nergens.geregistreerd") == "nergens.geregistreerd"


def test_a_second_kind_with_the_same_code_is_refused(app):
    twin = mail_kind("registration.confirmed", "Tweeling", lambda intent: None)
    with pytest.raises(ValueError, match="registration.confirmed"):
        KINDS.register(app, twin)
    assert KINDS.find("registration.confirmed", app) is registration_mails.CONFIRMED
    with pytest.raises(TypeError):
        KINDS.register(app, "registration.other")


def test_a_kind_registered_on_one_application_is_not_on_another(app):
    from app import create_app

    other = create_app(app.config | {})
    only_here = KINDS.register(app, mail_kind("test.only_here", "Alleen hier", lambda intent: None))
    assert KINDS.find("test.only_here", app) is only_here
    assert KINDS.find("test.only_here", other) is None
    assert KINDS.find("registration.confirmed", other) is registration_mails.CONFIRMED
