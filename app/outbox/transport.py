"""SMTP: the settings in `SMTP_URL`, one connection per batch, errors sorted into "try again" and
"give up", and the MIME message a recipient receives.

    smtp://host:25                       plain
    smtp://user:pass@host:587?starttls=1 STARTTLS, then login
    smtps://user:pass@host:465           implicit TLS (SMTPS), then login

Optional query parameters: `timeout` (seconds, default 30) and `cafile` (a PEM file of
certificates to trust instead of the system's, for a relay with a private CA). Certificates are
always verified. User and password are URL-encoded (`%40` for an `@`).
"""

from __future__ import annotations

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from app.config import ConfigError

DEFAULT_TIMEOUT = 30.0
DEFAULT_PORTS = {("smtp", False): 25, ("smtp", True): 587, ("smtps", False): 465}
ICS_FILENAME = "invite.ics"
MAX_LINE = 998  # octets in a line of an SMTP message (RFC 5321 4.5.3.1.6)
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    cafile: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """Parse `SMTP_URL`; raises ConfigError saying what is wrong (never echoing the password)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("smtp", "smtps"):
            raise ConfigError("SMTP_URL must start with smtp:// or smtps:// (e.g. smtp://host:25).")
        try:
            port = parts.port
        except ValueError as error:
            raise ConfigError(f"SMTP_URL has an invalid port: {error}.") from error
        if not parts.hostname:
            raise ConfigError("SMTP_URL has no host name (e.g. smtp://mail.example.com:587?starttls=1).")
        query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        unknown = set(query) - {"starttls", "timeout", "cafile"}
        if unknown:
            raise ConfigError(f"SMTP_URL has unknown options: {', '.join(sorted(unknown))}.")
        starttls = _flag(query.get("starttls", "0"), "starttls")
        if starttls and parts.scheme == "smtps":
            raise ConfigError("SMTP_URL: smtps:// is already encrypted; starttls=1 belongs to smtp://.")
        try:
            timeout = float(query.get("timeout", DEFAULT_TIMEOUT))
        except ValueError as error:
            raise ConfigError("SMTP_URL: timeout must be a number of seconds.") from error
        if timeout <= 0:
            raise ConfigError("SMTP_URL: timeout must be a positive number of seconds.")
        return cls(
            host=parts.hostname,
            port=port or DEFAULT_PORTS[(parts.scheme, starttls)],
            implicit_tls=parts.scheme == "smtps",
            starttls=starttls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=timeout,
            cafile=query.get("cafile") or None,
        )

    def describe(self) -> str:
        """For logs and the CLI: where mail goes, without the password."""
        security = "SMTPS" if self.implicit_tls else ("STARTTLS" if self.starttls else "plain")
        login = f"{self.username}@" if self.username else ""
        return f"{login}{self.host}:{self.port} ({security})"


def _flag(value: str, name: str) -> bool:
    value = value.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(f"SMTP_URL: {name} must be 1 or 0.")


# --------------------------------------------------------------------------- errors


class TransportError(Exception):
    """A delivery attempt did not work; str(error) is the server's answer, fit for the viewer."""

    temporary = True
    connection_lost = False


class TemporaryError(TransportError):
    """Try again later (4xx, a timeout, a dropped connection)."""


class PermanentError(TransportError):
    """The server refused this message for good (5xx): retrying will not help."""

    temporary = False


class ConnectionLost(TemporaryError):
    """The connection is gone; the rest of the batch must wait for a new one."""

    connection_lost = True


class ConnectFailed(ConnectionLost):
    """Could not connect, greet, secure or log in."""


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _answer(code: int, message) -> str:
    return f"{code} {_text(message)}".strip()


def _classify(code: int, message, *, at_recipient: bool = False) -> TransportError:
    text = _answer(code, message)
    if code == 421:  # the server is closing the connection (RFC 5321 3.8)
        return ConnectionLost(text)
    # A 552 at RCPT means "mailbox full": RFC 5321 says to treat it as temporary (452).
    if code >= 500 and not (at_recipient and code == 552):
        return PermanentError(text)
    return TemporaryError(text)


# --------------------------------------------------------------------------- the connection


class SmtpConnection:
    """One SMTP session, reused for a batch of messages. Use as a context manager."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        if not self.is_open:
            self.open()
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.settings.cafile)

    def open(self) -> None:
        """Connect, greet, secure and log in; raises ConnectFailed with the reason."""
        s = self.settings
        try:
            if s.implicit_tls:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectFailed(f"{s.host}:{s.port}: {_describe(error)}") from error
        self._smtp = smtp
        try:
            smtp.ehlo_or_helo_if_needed()
            if s.starttls:
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password or "")
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ConnectFailed(f"{s.host}:{s.port}: {_describe(error)}") from error

    @property
    def is_open(self) -> bool:
        return self._smtp is not None and self._smtp.sock is not None

    def send(self, envelope_from: str, recipient: str, data: bytes) -> None:
        """Hand one message to the server. Returns when the server has accepted it; raises a
        TransportError otherwise (ConnectionLost when this connection can no longer be used)."""
        if not self.is_open:
            raise ConnectionLost("the SMTP connection is closed")
        options = []
        if not data.isascii() and self._smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")  # RFC 6152; without it the server gets the bytes anyway
        if not (recipient.isascii() and envelope_from.isascii()):
            options.append("SMTPUTF8")
        try:
            self._smtp.sendmail(envelope_from, [recipient], data, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            code, message = error.recipients.get(recipient, (550, b"recipient refused"))
            raise _classify(code, message, at_recipient=True) from error
        except smtplib.SMTPResponseException as error:  # sender refused, data refused, ...
            raise _classify(error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            raise PermanentError(_describe(error)) from error
        except (OSError, smtplib.SMTPException) as error:  # disconnected, timeout, reset
            self.close()
            raise ConnectionLost(_describe(error)) from error
        if not self.is_open:  # smtplib closes after a 421 it met on the way
            raise ConnectionLost("the server closed the connection")

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if smtp.sock is not None:
                smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            smtp.close()


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _answer(error.smtp_code, error.smtp_error)
    text = str(error) or type(error).__name__
    return text if isinstance(error, smtplib.SMTPException) else f"{type(error).__name__}: {text}"


# --------------------------------------------------------------------------- the message


class _HeaderClasses(HeaderRegistry):
    """The stdlib registry builds a new class for every header it parses (CPython 3.11); the
    class per header name is always the same, so make each once."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


_HEADERS = _HeaderClasses()


@lru_cache(maxsize=1024)
def _parsed_header(name: str, value: str):
    return _HEADERS(name, value)


class _MailPolicy(EmailPolicy):
    """EmailPolicy writing the same bytes at a third of the cost (measured in bench/mail.py).

    The stock policy parses every header when it is set, again every time it is read (the
    generator reads Content-Type over and over) and refolds it when written. A one-line ASCII
    value is stored as given: the policy writes it as it is when it fits on a line and parses
    and folds it like any other when it does not. Reads are parsed once per distinct value.
    Anything else (non-ASCII, line breaks) takes the stock path, which encodes or refuses it.
    """

    def header_store_parse(self, name, value):
        if type(value) is str and value.isascii() and "\r" not in value and "\n" not in value:
            return (name, value)
        return super().header_store_parse(name, value)

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return _parsed_header(name, "".join(value.splitlines()))


SMTP_POLICY = _MailPolicy(linesep="\r\n", header_factory=_HEADERS)
SMTPUTF8_POLICY = SMTP_POLICY.clone(utf8=True)


def address_of(mail_from: str) -> str:
    """The bare address in `MAIL_FROM` ("Startklaar <noreply@x.be>" → "noreply@x.be")."""
    return parseaddr(mail_from)[1] or mail_from


def _transfer_encoding(body: str) -> str:
    # As written when every line fits in SMTP's 998 octets (8bit, announced as BODY=8BITMIME),
    # base64 otherwise; the stdlib's own choice is quoted-printable above 78, slow in Python.
    if all(len(line) <= MAX_LINE for line in body.encode().splitlines()):
        return "7bit" if body.isascii() else "8bit"
    return "base64"


def _boundary() -> str:
    # Chosen here, so the generator need not compile a regular expression per message to pick one.
    return f"=_{secrets.token_hex(10)}"  # short enough that Content-Type needs no folding


def build_message(message, mail_from: str, date: datetime) -> EmailMessage:
    """The MIME message as the recipient receives it, from an outbox row (or anything with its
    attributes: recipient, subject, text_body, html_body, ics, ics_method, list_unsubscribe,
    message_id).

    Text with an HTML alternative. An .ics is attached as invite.ics; an invitation (with an
    iTIP method) also carries it as a text/calendar alternative, so Outlook and Gmail show
    their accept/decline buttons.
    """
    utf8 = not (message.recipient.isascii() and address_of(mail_from).isascii())
    email = EmailMessage(policy=SMTPUTF8_POLICY if utf8 else SMTP_POLICY)
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(date)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    if message.list_unsubscribe:
        # RFC 8058 one-click: the link must act on a POST without further questions.
        email["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text_body, cte=_transfer_encoding(message.text_body))
    if message.html_body or message.ics_method:
        email.make_alternative(boundary=_boundary())
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html", cte=_transfer_encoding(message.html_body))
    if message.ics:
        params = {"charset": "utf-8"}
        if message.ics_method:
            params["method"] = message.ics_method
            email.add_alternative(message.ics, maintype="text", subtype="calendar", params=dict(params))
        email.make_mixed(boundary=_boundary())
        email.add_attachment(
            message.ics,
            maintype="text",
            subtype="calendar",
            filename=ICS_FILENAME,
            params={**params, "name": ICS_FILENAME},
        )
    return email
