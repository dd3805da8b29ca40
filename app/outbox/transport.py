"""SMTP through smtplib's and email's public API: the settings in `SMTP_URL`, one connection per
batch (`smtplib.SMTP`/`SMTP_SSL`, `starttls`, `login`, `sendmail`), the server's answers sorted
into "try again" and "give up", and the MIME message a recipient receives (`EmailMessage` with
the standard `email.policy.SMTP`, flattened once with `as_bytes`).

    smtp://host:25                       plain
    smtp://user:pass@host:587?starttls=1 STARTTLS, then login
    smtps://user:pass@host:465           implicit TLS (SMTPS), then login

Optional query parameters: `timeout` (seconds, default 30) and `cafile` (a PEM file of
certificates to trust instead of the system's, for a relay with a private CA). Certificates are
always verified. User and password are URL-encoded (`%40` for an `@`).
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
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
        return self._smtp is not None

    def send(self, data: bytes, envelope_from: str, recipient: str) -> None:
        """Hand one message (its bytes, from `message_bytes`) to the server and return once it
        accepted it: `sendmail`, which `send_message` calls once it has flattened a message. The
        outbox flattens each message once, when it renders it, and sends those bytes on every
        attempt (the same bytes each time, at no cost per attempt).

        Raises PermanentError (5xx: refused for good), TemporaryError (4xx) or ConnectionLost
        (the connection is gone: the rest of the batch waits for a new one). A refused message
        leaves the connection ready for the next (smtplib sends RSET).
        """
        smtp = self._smtp
        if smtp is None:
            raise ConnectionLost("the SMTP connection is closed")
        options = []
        if not (envelope_from + recipient).isascii():
            # As send_message does for such addresses (RFC 6531); the bytes were made with utf8.
            if not smtp.has_extn("smtputf8"):
                raise PermanentError("the SMTP server does not take non-ASCII addresses (no SMTPUTF8)")
            options += ["SMTPUTF8", "BODY=8BITMIME"]
        elif not data.isascii() and smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")  # RFC 6152; a server without it gets the bytes anyway
        try:
            smtp.sendmail(envelope_from, [recipient], data, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise self._refused(code, reply, at_recipient=True) from error
        except smtplib.SMTPSenderRefused as error:
            # Our sender refused (relay denied, a quota, a limit per connection) is no fault of
            # the message: it counts as temporary, and the batch waits for a new connection.
            self.close()
            answer = _answer(error.smtp_code, error.smtp_error)
            raise ConnectionLost(f"MAIL FROM refused: {answer}") from error
        except smtplib.SMTPResponseException as error:  # the verdict on the body (SMTPDataError)
            raise self._refused(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:  # disconnected, timeout, reset
            self.close()
            raise ConnectionLost(_describe(error)) from error

    def _refused(self, code: int, reply, *, at_recipient: bool = False) -> TransportError:
        error = _classify(code, reply, at_recipient=at_recipient)
        if error.connection_lost:
            self.close()
            return error
        try:
            self._smtp.noop()  # smtplib has sent RSET; make sure the connection still serves
        except (OSError, smtplib.SMTPException):
            self.close()
            error.connection_lost = True
        return error

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
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


@lru_cache(maxsize=16)
def address_of(mail_from: str) -> str:
    """The bare address in `MAIL_FROM` ("Startklaar <noreply@x.be>" → "noreply@x.be")."""
    return parseaddr(mail_from)[1] or mail_from


def _transfer_encoding(body: str) -> str:
    # As written when every line fits in SMTP's 998 octets (8bit, announced as BODY=8BITMIME),
    # base64 otherwise. Left to itself, `set_content` quotes every line above 78 characters.
    if all(len(line) <= MAX_LINE for line in body.encode().splitlines()):
        return "7bit" if body.isascii() else "8bit"
    return "base64"


def _boundary(message_id: str, part: str, *bodies: str | None) -> str:
    """A MIME boundary derived from the Message-ID, so the same row always makes the same bytes;
    one that happens to occur in a body (copied from a mail of ours) is derived again."""
    seed = f"{message_id}/{part}"
    while True:
        boundary = "=_" + hashlib.sha256(seed.encode()).hexdigest()[:24]
        if not any(body and boundary in body for body in bodies):
            return boundary
        seed = boundary


def build_message(mail, mail_from: str, date: datetime) -> EmailMessage:
    """The MIME message as the recipient receives it, from a rendered outbox row (or anything with
    its attributes: recipient, subject, text_body, html_body, ics, ics_method, list_unsubscribe,
    message_id). The same row and `date` always give the same bytes.

    Text with an HTML alternative. An .ics is attached as invite.ics; an invitation (with an
    iTIP method) also carries it as a text/calendar alternative, so Outlook and Gmail show
    their accept/decline buttons.
    """
    utf8 = not (mail.recipient.isascii() and address_of(mail_from).isascii())
    email = EmailMessage(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
    email["From"] = mail_from
    email["To"] = mail.recipient
    email["Subject"] = mail.subject
    email["Date"] = format_datetime(date)
    email["Message-ID"] = mail.message_id
    email["Auto-Submitted"] = "auto-generated"
    if mail.list_unsubscribe:
        # RFC 8058 one-click: the link must act on a POST without further questions.
        email["List-Unsubscribe"] = f"<{mail.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    bodies = (mail.text_body, mail.html_body)
    email.set_content(mail.text_body, cte=_transfer_encoding(mail.text_body))
    if mail.html_body or mail.ics_method:
        email.make_alternative(boundary=_boundary(mail.message_id, "alternative", *bodies))
    if mail.html_body:
        email.add_alternative(mail.html_body, subtype="html", cte=_transfer_encoding(mail.html_body))
    if mail.ics:
        params = {"charset": "utf-8"}
        if mail.ics_method:
            params["method"] = mail.ics_method
            email.add_alternative(mail.ics, maintype="text", subtype="calendar", params=dict(params))
        email.make_mixed(boundary=_boundary(mail.message_id, "mixed", *bodies))
        email.add_attachment(
            mail.ics,
            maintype="text",
            subtype="calendar",
            filename=ICS_FILENAME,
            params={**params, "name": ICS_FILENAME},
        )
    return email


def message_bytes(mail, mail_from: str, date: datetime) -> bytes:
    """The message of `build_message` as it goes over the wire (CRLF line ends, RFC 5322)."""
    return build_message(mail, mail_from, date).as_bytes()
