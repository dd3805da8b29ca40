"""Staff accounts: creating them (service, admin pages, CLI), logging in and out, throttling, and
never sending someone off-site after the login."""

import re
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from app.auth import services
from app.auth.models import Role, User
from app.errors import DomainError
from app.extensions import db
from tests.support import PASSWORD

NEW_PASSWORD = "een nieuw lang wachtwoord"


def browser(app, address: str | None = None) -> FlaskClient:
    """Another browser, optionally on another network address."""
    other = app.test_client()
    if address:
        other.environ_base["REMOTE_ADDR"] = address
    return other


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def login_post(client, email: str, password: str, query: str = "", **extra):
    return client.post(f"/login{query}", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    """What the user notices: the staff home page opens, or the login page comes instead."""
    response = client.get("/beheer/")
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
        return False
    assert response.status_code == 200
    return True


# --------------------------------------------------------------------------- creating accounts


def test_a_new_account_is_active_with_a_lower_cased_address(app):
    user = services.create_user("  Els.Peeters@Example.BE ", "expert", "Els Peeters", PASSWORD)

    assert (user.email, user.name, user.role, user.active) == (
        "els.peeters@example.be",
        "Els Peeters",
        Role.EXPERT,
        True,
    )


def test_a_new_account_without_a_name_is_named_after_its_address(app):
    assert services.create_user("sofie@example.be", Role.STAFF, "", PASSWORD).name == "sofie"


@pytest.mark.parametrize(
    ("email", "role", "password", "message", "field"),
    [
        ("geen-adres", "staff", PASSWORD, "Dit is geen geldig e-mailadres.", "email"),
        ("els@", "staff", PASSWORD, "Dit is geen geldig e-mailadres.", "email"),
        ("els peeters@example.be", "staff", PASSWORD, "Dit is geen geldig e-mailadres.", "email"),
        ("", "staff", PASSWORD, "Dit is geen geldig e-mailadres.", "email"),
        ("nieuw@example.be", "staff", "kort", "Kies een wachtwoord van minstens 12 tekens.", "password"),
        (
            "nieuw@example.be",
            "staff",
            "elf tekens!",
            "Kies een wachtwoord van minstens 12 tekens.",
            "password",
        ),
        ("nieuw@example.be", "staff", "", "Kies een wachtwoord van minstens 12 tekens.", "password"),
        ("nieuw@example.be", "superuser", PASSWORD, "Onbekende rol.", "role"),
        ("nieuw@example.be", "", PASSWORD, "Onbekende rol.", "role"),
        ("an@example.be", "staff", PASSWORD, "Er bestaat al een account met dit e-mailadres.", "email"),
        ("AN@Example.be", "staff", PASSWORD, "Er bestaat al een account met dit e-mailadres.", "email"),
        (" an@EXAMPLE.BE ", "expert", PASSWORD, "Er bestaat al een account met dit e-mailadres.", "email"),
    ],
)
def test_an_account_that_breaks_a_rule_is_refused(app, email, role, password, message, field):
    services.create_user("an@example.be", Role.ADMIN, "An Beheer", PASSWORD)

    with pytest.raises(DomainError) as caught:
        services.create_user(email, role, "Nieuwe collega", password)

    assert (str(caught.value), caught.value.field) == (message, field)
    assert user_count() == 1


def test_passwords_are_stored_as_salted_argon2_hashes(app, make_user):
    first, second = make_user(), make_user()

    stored = db.session.execute(text("SELECT password_hash FROM users ORDER BY id")).scalars().all()

    assert all(value.startswith("$argon2id$") for value in stored)
    assert not any(PASSWORD in value for value in stored)
    assert stored[0] != stored[1]  # same password, different salt
    assert {first.password_hash, second.password_hash} == set(stored)


# --------------------------------------------------------------------------- authenticating


@pytest.fixture
def els(app):
    return services.create_user("els@example.be", Role.EXPERT, "Els Peeters", PASSWORD)


@pytest.mark.parametrize("email", ["els@example.be", "  ELS@Example.be "])
def test_the_right_password_lets_a_user_in(els, email):
    assert services.authenticate(email, PASSWORD) == els


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("els@example.be", "correct horse battery stapl"),
        ("els@example.be", PASSWORD.upper()),
        ("els@example.be", ""),
        ("onbekend@example.be", PASSWORD),
        ("", ""),
    ],
    ids=["wrong", "wrong-case", "empty", "unknown-address", "nothing"],
)
def test_a_wrong_password_or_unknown_address_lets_nobody_in(els, email, password):
    assert services.authenticate(email, password) is None


def test_a_deactivated_user_cannot_log_in_even_with_the_right_password(els):
    services.update_user(els, els.role, active=False)

    assert services.authenticate("els@example.be", PASSWORD) is None


def test_a_new_password_replaces_the_old_one(els):
    services.update_user(els, els.role, active=True, password=NEW_PASSWORD)

    assert services.authenticate("els@example.be", PASSWORD) is None
    assert services.authenticate("els@example.be", NEW_PASSWORD) == els


def test_a_new_password_that_is_too_short_is_refused_and_changes_nothing(els):
    with pytest.raises(DomainError, match="^Kies een wachtwoord van minstens 12 tekens.$"):
        services.update_user(els, Role.STAFF, active=True, password="kort")

    db.session.rollback()
    assert els.role == Role.EXPERT
    assert services.authenticate("els@example.be", PASSWORD) == els


# --------------------------------------------------------------------------- the last admin


@pytest.mark.parametrize(("role", "active"), [(Role.EXPERT, True), (Role.STAFF, True), (Role.ADMIN, False)])
def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(app, make_user, role, active):
    admin = make_user(Role.ADMIN)
    retired = make_user(Role.ADMIN)
    services.update_user(retired, Role.ADMIN, active=False)  # an inactive admin does not count

    with pytest.raises(DomainError) as caught:
        services.update_user(admin, role, active)

    assert str(caught.value) == "Er moet minstens één actieve beheerder overblijven."
    db.session.rollback()
    assert (admin.role, admin.active) == (Role.ADMIN, True)


def test_an_admin_can_step_down_when_another_admin_remains(app, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)

    services.update_user(admin, Role.EXPERT, active=True)

    assert (admin.role, other.role) == (Role.EXPERT, Role.ADMIN)
    with pytest.raises(DomainError, match="minstens één actieve beheerder"):
        services.update_user(other, Role.ADMIN, active=False)


# --------------------------------------------------------------------------- sessions in the browser


@pytest.mark.parametrize(
    ("change", "logged_out"),
    [
        ({"active": False}, True),
        ({"password": NEW_PASSWORD}, True),
        ({"role": Role.STAFF}, False),
    ],
    ids=["deactivated", "new-password", "new-role"],
)
def test_deactivating_or_a_new_password_logs_out_open_sessions(client, login, change, logged_out):
    user = login(Role.EXPERT)
    assert is_logged_in(client)

    services.update_user(
        user, change.get("role", user.role), change.get("active", True), change.get("password")
    )

    assert is_logged_in(client) is not logged_out


@pytest.mark.parametrize(
    ("email", "password"),
    [("els@example.be", "niet het wachtwoord"), ("onbekend@example.be", PASSWORD)],
    ids=["wrong-password", "unknown-address"],
)
def test_a_failed_login_shows_a_dutch_message_and_logs_nobody_in(client, els, email, password):
    response = login_post(client, email, password)

    assert response.status_code == 422
    assert "E-mailadres of wachtwoord klopt niet." in response.text
    with client.session_transaction() as browser_session:
        assert "_user_id" not in browser_session
    assert not is_logged_in(client)


def test_a_deactivated_user_gets_the_same_message_as_a_wrong_password(client, els):
    services.update_user(els, els.role, active=False)

    response = login_post(client, "els@example.be", PASSWORD)

    assert response.status_code == 422
    assert "E-mailadres of wachtwoord klopt niet." in response.text
    assert not is_logged_in(client)


def test_logging_in_opens_the_staff_home_page(client, els):
    response = login_post(client, "ELS@example.be", PASSWORD)

    assert (response.status_code, response.headers["Location"]) == (302, "/beheer/")
    assert is_logged_in(client)


def test_logging_out_closes_the_session(client, login):
    login(Role.STAFF)

    response = client.post("/logout")

    assert response.status_code == 302
    assert not is_logged_in(client)


def test_moving_to_another_network_keeps_an_expert_signed_in(app, els):
    # An expert checks people in on a phone that hops from the venue's wifi to 4G.
    phone = browser(app, "192.0.2.10")
    login_post(phone, "els@example.be", PASSWORD, remember="y")
    assert is_logged_in(phone)

    phone.environ_base["REMOTE_ADDR"] = "198.51.100.77"

    assert is_logged_in(phone)
    assert phone.get_cookie("remember_token") is not None


def test_a_visitor_who_comes_back_to_a_page_is_not_sent_new_cookies(client, make_session):
    session = make_session()
    db.session.commit()
    first = client.get(f"/sessies/{session.id}")
    assert first.headers.getlist("Set-Cookie"), "the form's CSRF token opens a session"
    client.get(f"/sessies/{session.id}")  # Flask-Login notes once that the session is not fresh

    again = client.get(f"/sessies/{session.id}")

    assert again.status_code == 200
    assert again.headers.getlist("Set-Cookie") == []


# --------------------------------------------------------------------------- where the login leads


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/beheer/",
        "///evil.example",
        "https://evil.example",
        "http://evil.example/beheer/",
        "HTTPS://evil.example",
        "javascript:alert(1)",
        "beheer/",
        "/\t/evil.example",  # urlsplit drops tabs as browsers do: seen as //evil.example
    ],
)
def test_the_login_never_redirects_off_site(client, els, target):
    response = client.post(
        "/login", query_string={"next": target}, data={"email": els.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer/"


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example"])
def test_a_backslash_disguised_address_stays_on_this_site(client, els, target):
    """Browsers read an unencoded '/\\' as '//'; the Location goes out percent-encoded, a local path."""
    response = client.post(
        "/login", query_string={"next": target}, data={"email": els.email, "password": PASSWORD}
    )

    location = response.headers["Location"]
    assert location.startswith("/%5C") and "\\" not in location
    assert urlsplit(location).netloc == ""


def test_the_login_returns_to_the_page_that_asked_for_it(client, make_user):
    admin = make_user(Role.ADMIN)
    asked = client.get("/beheer/gebruikers/")
    assert asked.status_code == 302
    login_url = asked.headers["Location"]

    response = client.post(login_url, data={"email": admin.email, "password": PASSWORD})

    assert response.headers["Location"] == "/beheer/gebruikers/"


def test_an_already_logged_in_user_visiting_the_login_goes_on_safely(client, login):
    login(Role.EXPERT)

    assert client.get("/login?next=//evil.example").headers["Location"] == "/beheer/"
    assert client.get("/login?next=/beheer/").headers["Location"] == "/beheer/"


# --------------------------------------------------------------------------- throttling


class TestLoginThrottling:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True}  # 5 per minute, 20 per hour (the default)

    def test_the_sixth_failed_login_within_a_minute_is_refused(self, client, els):
        for _ in range(5):
            assert login_post(client, els.email, "niet het wachtwoord").status_code == 422

        response = login_post(client, els.email, "niet het wachtwoord")

        assert response.status_code == 429
        assert "Te veel pogingen na elkaar. Wacht even en probeer opnieuw." in response.text
        # guessing right now does not help: the door stays shut for the rest of the minute
        assert login_post(client, els.email, PASSWORD).status_code == 429

    def test_a_successful_login_is_not_counted(self, app, client, els):
        for _ in range(4):
            assert login_post(client, els.email, "niet het wachtwoord").status_code == 422
        assert login_post(browser(app), els.email, PASSWORD).status_code == 302

        assert login_post(client, els.email, "niet het wachtwoord").status_code == 422  # the fifth failure
        assert login_post(client, els.email, "niet het wachtwoord").status_code == 429

    def test_one_account_is_protected_against_guesses_from_many_addresses(self, app, els):
        for n in range(5):
            elsewhere = browser(app, f"198.51.100.{n + 1}")
            assert login_post(elsewhere, els.email, "niet het wachtwoord").status_code == 422

        assert (
            login_post(browser(app, "203.0.113.9"), els.email.upper(), "niet het wachtwoord").status_code
            == 429
        )


# --------------------------------------------------------------------------- the CLI


def test_the_cli_creates_an_account_with_a_given_password(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Els@Example.be",
            "--role",
            "expert",
            "--name",
            "Els Peeters",
            "--password",
            PASSWORD,
        ]
    )

    assert result.exit_code == 0, result.output
    assert "Created expert els@example.be" in result.output
    user = services.authenticate("els@example.be", PASSWORD)
    assert (user.name, user.role) == ("Els Peeters", Role.EXPERT)


def test_the_cli_asks_for_the_password_twice_and_does_not_echo_it(runner, app):
    result = runner.invoke(
        args=["users", "create", "an@example.be", "--role", "admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output and PASSWORD not in result.output
    user = services.authenticate("an@example.be", PASSWORD)
    assert (user.name, user.role) == ("an", Role.ADMIN)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["users", "create", "an@example.be", "--role", "admin", "--password", "kort"],
            "Kies een wachtwoord van minstens 12 tekens.",
        ),
        (
            ["users", "create", "geen-adres", "--role", "admin", "--password", PASSWORD],
            "Dit is geen geldig e-mailadres.",
        ),
        (
            ["users", "create", "els@example.be", "--role", "staff", "--password", PASSWORD],
            "Er bestaat al een account met dit e-mailadres.",
        ),
    ],
    ids=["short-password", "bad-address", "taken-address"],
)
def test_the_cli_explains_a_refused_account_in_dutch(runner, els, args, message):
    result = runner.invoke(args=args)

    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert user_count() == 1


def test_the_cli_refuses_an_unknown_role(runner, app):
    result = runner.invoke(
        args=["users", "create", "an@example.be", "--role", "baas", "--password", PASSWORD]
    )

    assert result.exit_code == 2
    assert "'baas' is not one of 'admin', 'expert', 'staff'" in result.output
    assert user_count() == 0


# --------------------------------------------------------------------------- the admin pages


def test_an_admin_sees_every_account(client, login, make_user):
    admin = login(Role.ADMIN)
    colleagues = [make_user(Role.EXPERT), make_user(Role.STAFF)]

    response = client.get("/beheer/gebruikers/")

    assert response.status_code == 200
    for user in [admin, *colleagues]:
        assert user.email in response.text


def test_an_admin_creates_an_account_that_can_log_in(app, client, login):
    login(Role.ADMIN)

    response = client.post(
        "/beheer/gebruikers/",
        data={
            "email": "Youssef@Example.be",
            "name": "Youssef El Amrani",
            "role": "expert",
            "password": PASSWORD,
        },
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/beheer/gebruikers/")
    assert "Account voor youssef@example.be aangemaakt." in client.get("/beheer/gebruikers/").text
    assert services.authenticate("youssef@example.be", PASSWORD).role == Role.EXPERT


def test_an_admin_is_told_when_the_address_is_taken(client, login, els):
    login(Role.ADMIN)

    response = client.post(
        "/beheer/gebruikers/",
        data={"email": "ELS@example.be", "name": "Els Bis", "role": "staff", "password": PASSWORD},
    )

    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in response.text
    assert user_count() == 2


def test_an_admin_changes_a_role_and_deactivates_an_account(client, login, els):
    login(Role.ADMIN)
    page = client.get(f"/beheer/gebruikers/{els.id}")
    assert page.status_code == 200 and els.email in page.text

    response = client.post(f"/beheer/gebruikers/{els.id}", data={"role": "staff", "password": ""})

    assert (response.status_code, response.headers["Location"]) == (302, "/beheer/gebruikers/")
    db.session.rollback()
    assert (els.role, els.active) == (Role.STAFF, False)  # an unticked box means inactive
    assert services.authenticate(els.email, PASSWORD) is None


def test_an_admin_sets_a_new_password_for_a_colleague(client, login, els):
    login(Role.ADMIN)

    response = client.post(
        f"/beheer/gebruikers/{els.id}", data={"role": "expert", "active": "y", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert services.authenticate(els.email, NEW_PASSWORD) == els


def test_the_last_admin_cannot_demote_themselves_on_the_page(client, login):
    admin = login(Role.ADMIN)

    response = client.post(f"/beheer/gebruikers/{admin.id}", data={"role": "expert", "active": "y"})

    assert response.status_code == 422
    assert "Er moet minstens één actieve beheerder overblijven." in response.text
    db.session.rollback()
    assert admin.role == Role.ADMIN


def test_an_unknown_account_is_not_found(client, login):
    login(Role.ADMIN)

    assert client.get("/beheer/gebruikers/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.EXPERT, Role.STAFF])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/beheer/gebruikers/"),
        ("POST", "/beheer/gebruikers/"),
        ("GET", "/beheer/gebruikers/{id}"),
        ("POST", "/beheer/gebruikers/{id}"),
    ],
)
def test_only_an_admin_manages_accounts(client, login, role, method, path):
    user = login(role)
    data = {"email": "x@example.be", "name": "X", "role": "admin", "password": PASSWORD, "active": "y"}

    response = client.open(path.format(id=user.id), method=method, data=data)

    assert response.status_code == 403
    assert "Geen toegang" in response.text
    db.session.rollback()
    assert (user.role, user_count()) == (role, 1)


@pytest.mark.parametrize("path", ["/beheer/gebruikers/", "/beheer/gebruikers/1"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, app, path):
    response = client.get(path)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert re.search(r"next=%2Fbeheer%2Fgebruikers%2F", location.query)
