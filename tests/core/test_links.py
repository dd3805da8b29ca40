"""Short links: a 22-character token that means one thing, for a while, and nothing else."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import links
from app.db import utcnow
from app.extensions import db


def test_a_link_is_22_opaque_characters_and_leads_to_what_it_was_issued_for(app):
    token = links.issue("registration.manage", "secret-registration-token", timedelta(days=400))
    db.session.commit()

    assert len(token) == 22 and links.looks_short(token)
    assert "secret" not in token
    assert links.resolve(token, "registration.manage") == "secret-registration-token"


def test_the_database_keeps_only_a_hash_of_the_token(app):
    token = links.issue("registration.manage", "payload", None)
    db.session.commit()

    stored = db.session.scalar(select(links.ShortLink))
    assert token not in (stored.token_hash, stored.payload)
    assert len(stored.token_hash) == 64


def test_a_link_for_one_purpose_opens_nothing_else(app):
    token = links.issue("registration.manage", "payload", None)
    db.session.commit()

    with pytest.raises(links.LinkInvalid):
        links.resolve(token, "registration.privacy")


@pytest.mark.parametrize("token", ["", "x" * 22, "not a token", "a" * 200, "abc.def.ghi"])
def test_made_up_tokens_open_nothing(app, token):
    with pytest.raises(links.LinkInvalid):
        links.resolve(token, "registration.manage")


def test_an_expired_link_says_so_until_it_is_purged(app):
    issued = utcnow() - timedelta(days=10)
    token = links.issue("registration.confirm", "payload", timedelta(days=7), now=issued)
    db.session.commit()

    with pytest.raises(links.LinkExpired):
        links.resolve(token, "registration.confirm")
    assert links.purge_expired(now=utcnow()) == 0  # expired 3 days ago: still says "verlopen"
    assert links.purge_expired(now=utcnow() + links.EXPIRED_KEPT) == 1
    with pytest.raises(links.LinkInvalid) as caught:
        links.resolve(token, "registration.confirm")
    assert not isinstance(caught.value, links.LinkExpired)


def test_a_rolled_back_link_never_works(app):
    token = links.issue("registration.manage", "payload", None)
    db.session.rollback()

    with pytest.raises(links.LinkInvalid):
        links.resolve(token, "registration.manage")


def test_forgetting_a_payload_kills_its_links_of_that_kind_only(app):
    manage = links.issue("registration.manage", "person", None)
    privacy = links.issue("registration.privacy", "person", None)
    other = links.issue("registration.manage", "someone else", None)
    certificate = links.issue("certificate.verify", "person", None)
    db.session.commit()

    assert links.forget("person", "registration.") == 2
    db.session.commit()

    for token, purpose in ((manage, "registration.manage"), (privacy, "registration.privacy")):
        with pytest.raises(links.LinkInvalid):
            links.resolve(token, purpose)
    assert links.resolve(other, "registration.manage") == "someone else"
    assert links.resolve(certificate, "certificate.verify") == "person"


def test_two_links_for_the_same_thing_are_different_tokens(app):
    first = links.issue("registration.manage", "person", None)
    second = links.issue("registration.manage", "person", None)
    db.session.commit()

    assert first != second
    assert links.resolve(first, "registration.manage") == links.resolve(second, "registration.manage")


def test_a_link_without_purpose_or_payload_is_a_programming_error(app):
    with pytest.raises(ValueError):
        links.issue("", "payload", None)
    with pytest.raises(ValueError):
        links.issue("registration.manage", "", None)
