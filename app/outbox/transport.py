"""SMTP: the settings in `SMTP_URL`, one connection per batch (sent so that our own work overlaps
the server's), errors sorted into "try again" and "give up", and the MIME message a recipient
receives.

    smtp://host:25                       plain
    smtp://user:pass@host:587?starttls=1 STARTTLS, then login
    smtps://user:pass@host:465           implicit TLS (SMTPS), then login

Optional query parameters: `timeout` (seconds, default 30) and `cafile` (a PEM file of
certificates to trust instead of the system's, for a relay with a private CA). Certificates are
always verified. User and password are URL-encoded (`%40` for an `@`).
"""

from __future__ import annotations

import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
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
_LEADING_DOT = re.compile(rb"(?m)^\.")
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

    # One message is start() → transfer() → finish(). They are split so the caller can work
    # while the server does: start() sends MAIL FROM without reading the answer, transfer() reads
    # it and hands over recipient and body, finish() reads the verdict on the body.

    def start(self, envelope_from: str, recipient: str, data: bytes) -> None:
        """Send MAIL FROM (`envelope_from` is a bare address); its answer is read by transfer()."""
        smtp = self._smtp
        if not self.is_open:
            raise ConnectionLost("the SMTP connection is closed")
        options = []
        if not data.isascii() and smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")  # RFC 6152; a server without it gets the bytes anyway
        if not (recipient.isascii() and envelope_from.isascii()):
            if not smtp.has_extn("smtputf8"):
                raise PermanentError("the SMTP server does not take non-ASCII addresses (no SMTPUTF8)")
            options.append("SMTPUTF8")
        smtp.command_encoding = "utf-8" if "SMTPUTF8" in options else "ascii"
        extra = "".join(f" {option}" for option in options)
        self._talk(smtp.putcmd, "mail", f"FROM:<{envelope_from}>{extra}")

    def transfer(self, recipient: str, data: bytes) -> None:
        """Read MAIL FROM's answer, name the recipient, send the body (its verdict: finish())."""
        smtp = self._smtp
        code, reply = self._talk(smtp.getreply)
        if code != 250:
            # Our sender refused (relay denied, a quota, a limit per connection) is no fault of
            # the message: it counts as temporary, and the batch waits for a new connection.
            self.close()
            raise ConnectionLost(f"MAIL FROM refused: {_answer(code, reply)}")
        self._talk(smtp.putcmd, "rcpt", f"TO:<{recipient}>")  # a bare address, checked when queued
        code, reply = self._talk(smtp.getreply)
        if code not in (250, 251):
            raise self._refused(code, reply, at_recipient=True)
        self._talk(smtp.putcmd, "data")
        code, reply = self._talk(smtp.getreply)
        if code != 354:
            raise self._refused(code, reply)
        body = _LEADING_DOT.sub(b"..", data)  # RFC 5321 4.5.2 transparency
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self._talk(smtp.send, body + b".\r\n")

    def finish(self) -> None:
        """Wait for the server's verdict on the body; returns when it accepted the message."""
        code, reply = self._talk(self._smtp.getreply)
        if code != 250:
            raise self._refused(code, reply)

    def _talk(self, call, *args):
        try:
            return call(*args)
        except (OSError, smtplib.SMTPException) as error:  # disconnected, timeout, reset
            self.close()
            raise ConnectionLost(_describe(error)) from error

    def _refused(self, code: int, reply, *, at_recipient: bool = False) -> TransportError:
        error = _classify(code, reply, at_recipient=at_recipient)
        if error.connection_lost:
            self.close()
        else:
            try:
                self._smtp.rset()  # forget this message; the connection serves the next one
            except (OSError, smtplib.SMTPException):
                self.close()
                error.connection_lost = True
        return error

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


@dataclass
class Outcome:
    """How one message fared: error None means the server accepted it (at `at`)."""

    item: object
    at: datetime
    error: TransportError | None = None


def send_batch(connection: SmtpConnection, items: list, envelope_from: str, *, build, record, stop) -> list:
    """Send `items` over one open connection, one after the other, and return those not tried
    (because `stop()` said so before one, or the connection was lost).

    `build(item)` gives the bytes of an item (an exception: it can never be sent, and is recorded
    as a PermanentError). `record(outcome)` is called once for each item tried, in order; for an
    accepted message it is called while the server reads the next one's MAIL FROM, and the next
    message is built while the server reads this one's body. So the caller's bookkeeping
    overlaps the server's work, and an accepted message is recorded before the connection waits
    on anything else: a crash between "accepted" and "recorded" hits at most one message.
    """
    pending: list[Outcome] = []

    def flush() -> None:
        while pending:
            record(pending.pop(0))

    def prepare(index: int):
        if index >= len(items):
            return None
        try:
            return build(items[index])
        except Exception as error:  # noqa: BLE001 - recorded with the message, never raised
            return PermanentError(f"the message cannot be built: {type(error).__name__}: {error}")

    data = prepare(0)
    for index, item in enumerate(items):
        if stop():
            flush()
            return items[index:]
        if isinstance(data, TransportError):
            pending.append(Outcome(item, _now(), data))
            data = prepare(index + 1)
            continue
        current, data = data, None
        try:
            connection.start(envelope_from, item.recipient, current)
            flush()  # the previous outcome, while the server reads MAIL FROM
            connection.transfer(item.recipient, current)
            data = prepare(index + 1)  # the next message, while the server reads this body
            connection.finish()
        except TransportError as error:
            pending.append(Outcome(item, _now(), error))
            if error.connection_lost:
                flush()
                return items[index + 1 :]
            if data is None:
                data = prepare(index + 1)
            continue
        pending.append(Outcome(item, _now()))
    flush()
    return []


def _now() -> datetime:
    return datetime.now(UTC)


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
    """EmailPolicy writing the same message for a fraction of the cost (about 0.4 instead of 2 ms
    CPU a message where bench/mail.py was first run).

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


@lru_cache(maxsize=16)
def address_of(mail_from: str) -> str:
    """The bare address in `MAIL_FROM` ("Startklaar <noreply@x.be>" → "noreply@x.be")."""
    return parseaddr(mail_from)[1] or mail_from


def _transfer_encoding(body: str) -> str:
    # As written when every line fits in SMTP's 998 octets (8bit, announced as BODY=8BITMIME),
    # base64 otherwise; the stdlib's own choice is quoted-printable above 78, slow in Python.
    if all(len(line) <= MAX_LINE for line in body.encode().splitlines()):
        return "7bit" if body.isascii() else "8bit"
    return "base64"


def _new_boundary() -> str:
    # "=_" cannot occur in base64 or quoted-printable; short enough that Content-Type needs no fold.
    return f"=_{secrets.token_hex(10)}"


# Boundaries chosen once per process rather than by the generator per message: it compiles a
# regular expression to pick each, and a new Content-Type value is parsed anew every time it is
# read. A body that happens to contain one (someone copied it from a mail of ours) gets a fresh one.
_ALTERNATIVE_BOUNDARY, _MIXED_BOUNDARY = _new_boundary(), _new_boundary()


def _boundary(shared: str, *bodies: str | None) -> str:
    return _new_boundary() if any(body and shared in body for body in bodies) else shared


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
        email.make_alternative(
            boundary=_boundary(_ALTERNATIVE_BOUNDARY, message.text_body, message.html_body)
        )
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html", cte=_transfer_encoding(message.html_body))
    if message.ics:
        params = {"charset": "utf-8"}
        if message.ics_method:
            params["method"] = message.ics_method
            email.add_alternative(message.ics, maintype="text", subtype="calendar", params=dict(params))
        email.make_mixed(boundary=_boundary(_MIXED_BOUNDARY, message.text_body, message.html_body))
        email.add_attachment(
            message.ics,
            maintype="text",
            subtype="calendar",
            filename=ICS_FILENAME,
            params={**params, "name": ICS_FILENAME},
        )
    return email
