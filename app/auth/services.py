"""Staff accounts: creation, authentication, roles."""

import secrets
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.auth.models import Role, User
from app.errors import DomainError
from app.extensions import db

MIN_PASSWORD_LENGTH = 12
PASSWORD, AGENCY = "password", "oidc"  # how someone signed in, as the audit trail says it


class SignInRefused(DomainError):
    """The agency's provider vouched for someone who may not sign in here; the page says why.

    `admins` names the people to ask (only for an address Startklaar does not know)."""

    def __init__(self, message, admins: list[str] | None = None):
        super().__init__(message)
        self.admins = admins or []


def _hasher() -> PasswordHasher:
    """argon2id with the library's defaults (RFC 9106); tests may set cheaper ARGON2_PARAMETERS."""
    ext = current_app.extensions
    if "password_hasher" not in ext:
        ext["password_hasher"] = PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))
        # Verifying against this keeps a login for an unknown address as slow as a wrong password.
        ext["password_dummy_hash"] = ext["password_hasher"].hash("startklaar-timing-equaliser")
    return ext["password_hasher"]


def normalise_email(email: str) -> str:
    """Validate an address's shape and return it lower-cased; raises DomainError."""
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_l("Dit is geen geldig e-mailadres."), field="email") from error


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH), field="password"
        )


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: `<id>:<session token>`, so a reset token logs out old sessions."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not token or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def local_login_enabled() -> bool:
    return bool(current_app.config.get("LOCAL_LOGIN", True))


def create_user(email: str, role: Role | str, name: str = "", password: str | None = "") -> User:
    """Create an active staff account.

    With local passwords off (LOCAL_LOGIN=0) the password is optional: people sign in through
    the agency's provider, and an account without one gets a random secret nobody knows.
    Raises DomainError when the address is invalid or taken, the role unknown or the password
    too short.
    """
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError as error:
        raise DomainError(_l("Onbekende rol."), field="role") from error
    if password or local_login_enabled():
        check_password_strength(password)
    if find_user_by_email(email):
        raise DomainError(_l("Er bestaat al een account met dit e-mailadres."), field="email")
    user = User(
        email=email,
        name=(name or email.split("@")[0]).strip(),
        role=role,
        # A real hash of an unknown secret, so a login attempt costs the same time either way.
        password_hash=_hasher().hash(password or secrets.token_urlsafe(32)),
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None. Constant-ish time either way."""
    user = find_user_by_email(email or "")
    hasher = _hasher()
    stored = user.password_hash if user else current_app.extensions["password_dummy_hash"]
    try:
        hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        db.session.commit()
    return user


def record_sign_in(user: User, method: str) -> None:
    """Write that `user` signed in (`PASSWORD` or `AGENCY`) to the audit trail, and commit."""
    audit.record("user", user.id, "signed_in", actor=user, changes={"method": [None, method]})
    db.session.commit()


def sign_in_with_password(email: str, password: str) -> User | None:
    """`authenticate`, and the sign-in recorded in the audit trail. None when refused.

    Precondition: local passwords are on (the view refuses the form otherwise)."""
    user = authenticate(email, password)
    if user is not None:
        record_sign_in(user, PASSWORD)
    return user


def _verified(claims: Mapping) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def sign_in_with_identity(claims: Mapping) -> User:
    """The active account for the person the agency's provider vouched for, recorded in the trail.

    `claims` are the ID token's (checked by `app.auth.oidc`). The person is matched by the
    `email` claim, case-insensitively, and only when the provider says it verified that address
    (`email_verified`; OIDC_REQUIRE_VERIFIED_EMAIL=0 trusts every address the provider gives).
    Nothing is created: an admin makes the account and grants the role.
    Raises SignInRefused for no or an unverified address, an unknown address (naming the
    admins to ask) and a deactivated account.
    """
    raw = claims.get("email")
    if not isinstance(raw, str) or not raw.strip():
        raise SignInRefused(
            _l(
                "Het agentschap gaf geen e-mailadres door voor je account. Vraag de helpdesk van het "
                "agentschap om een e-mailadres aan je account te koppelen."
            )
        )
    if current_app.config.get("OIDC_REQUIRE_VERIFIED_EMAIL", True) and not _verified(claims):
        raise SignInRefused(
            _l(
                "Het agentschap heeft je e-mailadres %(email)s niet bevestigd, dus Startklaar kan je "
                "er niet mee aanmelden. Vraag de helpdesk van het agentschap om het te bevestigen.",
                email=raw.strip(),
            )
        )
    try:
        email = normalise_email(raw)
    except DomainError as error:
        raise SignInRefused(error.message) from error
    user = find_user_by_email(email)
    if user is None:
        admins = db.session.scalars(
            select(User.name).where(User.role == Role.ADMIN, User.active).order_by(User.name)
        ).all()
        raise SignInRefused(
            _l(
                "Je bent bij het agentschap aangemeld als %(email)s, maar Startklaar heeft geen "
                "account met dat adres. Een beheerder van Startklaar maakt je account aan en geeft "
                "je een rol; daarna kun je hier meteen aanmelden.",
                email=email,
            ),
            admins=list(admins),
        )
    if not user.active:
        raise SignInRefused(
            _l(
                "Je account in Startklaar (%(email)s) is gedeactiveerd. Vraag een beheerder van "
                "Startklaar om het opnieuw te activeren.",
                email=user.email,
            )
        )
    record_sign_in(user, AGENCY)
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError(_l("Deze gebruiker bestaat niet."))
    return user


def _ensure_another_admin(user: User) -> None:
    if user.role != Role.ADMIN or not user.active:
        return
    others = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active, User.id != user.id)
    )
    if not others:
        raise DomainError(_l("Er moet minstens één actieve beheerder overblijven."))


def update_user(user: User, role: Role | str, active: bool, password: str | None = None) -> User:
    """Change a user's role, activity and (optionally) password in one transaction.

    Deactivating or a new password logs out all of the user's sessions. The last active admin
    can lose neither role nor activity: raises DomainError.
    """
    role = Role(role)
    if (role != user.role or not active) and user.role == Role.ADMIN:
        _ensure_another_admin(user)
    if password:
        check_password_strength(password)
        user.password_hash = _hasher().hash(password)
    if password or (user.active and not active):
        user.session_token = secrets.token_hex(16)
    user.role, user.active = role, active
    db.session.commit()
    return user
