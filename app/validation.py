"""Codes that are never free text: enterprise numbers and phone numbers."""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l

from app.errors import DomainError


def normalise_enterprise_number(value: str, field: str = "enterprise_number") -> str:
    """'BE 0566 988 259' → '0566.988.259'; raises DomainError when it is not a valid KBO number.

    Ten digits, the first 0 or 1, the last two equal to 97 − (the first eight mod 97).
    """
    digits = re.sub(r"[\s.\-]", "", (value or "").strip().upper())
    if digits.startswith("BE"):
        digits = digits[2:]
    if re.fullmatch(r"[0-9]{9}", digits):
        digits = "0" + digits  # old nine-digit notation
    if not re.fullmatch(r"[01][0-9]{9}", digits):
        raise DomainError(
            _l("Een ondernemingsnummer heeft 10 cijfers en begint met 0 of 1, bv. 0566.988.259."), field=field
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise DomainError(
            _l("Dit ondernemingsnummer klopt niet (controlegetal). Kijk het even na."), field=field
        )
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def normalise_phone(value: str, field: str = "phone") -> str:
    """A Belgian or international number in E.164 ('+32470123456'); raises DomainError."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException as error:
        raise DomainError(_l("Dit telefoonnummer kunnen we niet lezen."), field=field) from error
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            _l("Dit telefoonnummer klopt niet. Bijvoorbeeld 0470 12 34 56 of +32 9 123 45 67."), field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --------------------------------------------------------------------------- likely e-mail typos

# The domains most people here type (Belgian providers first), to catch a slip of the finger:
# gmial.com, hotmial.com, telenet.bee, skynet.b. Kept short on purpose: a hint for an address
# that is right is worse than no hint.
COMMON_EMAIL_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "hotmail.be",
    "outlook.com",
    "outlook.be",
    "live.be",
    "live.com",
    "telenet.be",
    "skynet.be",
    "proximus.be",
    "scarlet.be",
    "icloud.com",
    "yahoo.com",
    "msn.com",
    "proton.me",
    "protonmail.com",
)


# Top-level domains people really use: 'hotmail.nl' and 'live.fr' are addresses, not slips.
REAL_TLDS = frozenset({"be", "nl", "fr", "de", "lu", "uk", "eu", "com", "net", "org", "me", "es", "it"})


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


def suggest_email(address: str) -> str | None:
    """The address with a common domain when its own domain looks like a slip of the finger
    ('an@gmial.com' → 'an@gmail.com'); None when it is one of them or nothing is close.

    One edit away, or two for a domain of ten letters or more; a hint only, never a refusal."""
    local, at, domain = (address or "").strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    if not (local and at and domain) or domain in COMMON_EMAIL_DOMAINS:
        return None
    name, _, tld = domain.rpartition(".")
    best, best_distance = None, 3
    for known in COMMON_EMAIL_DOMAINS:
        if tld in REAL_TLDS and known.rpartition(".")[0] == name:
            continue  # the same provider in another country
        distance = _distance(domain, known)
        allowed = 2 if len(known) >= 10 else 1
        if distance <= allowed and distance < best_distance:
            best, best_distance = known, distance
    return f"{local}@{best}" if best else None


def display_phone(value: str | None) -> str:
    """How a stored number reads on a page: a Belgian one nationally ('0479 66 74 52'), a foreign
    one internationally ('+31 6 12345678'); what cannot be read is shown as it was stored."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def phone_link(value: str | None) -> str:
    """The tel: target of a stored number (E.164 when it can be read)."""
    raw = (value or "").strip()
    try:
        return phonenumbers.format_number(phonenumbers.parse(raw, "BE"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return raw
