"""A real SMTP server on loopback for tests (aiosmtpd): it collects what it receives, counts
connections, can refuse addresses, slow down, hold a client mid-conversation, and be stopped and
started again on the same port to play an outage.

    from tests.smtp import smtp_server  # noqa: F401  (in tests/conftest.py: the fixture)

    def test_x(smtp_server):
        app.config["SMTP_URL"] = smtp_server.url
        ...
        smtp_server.wait_for(1)
        message = smtp_server.messages[0].message  # an email.message.EmailMessage

TLS: `SmtpSink(tls=(certfile, keyfile), mode="starttls" | "smtps", login=("user", "pw"))`, with a
certificate from the `smtp_certificate` fixture (made with the openssl command line).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    recipients: list[str]
    content: bytes
    connection: int  # which connection (1, 2, ...) carried it
    mail_options: list[str]

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.content, policy=policy.default)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        reply = self.sink.refuse_sender.get(address.lower())
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        sink = self.sink
        if sink.hold_after is not None and len(sink.messages) >= sink.hold_after:
            sink.holding.set()
            while not sink.release.is_set():
                await asyncio.sleep(0.01)
        reply = self.sink.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        for recipient in envelope.rcpt_tos:
            reply = self.sink.refuse_data.get(recipient.lower())
            if reply:
                return reply
        self.sink._record(envelope, getattr(session, "connection_number", 0))
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    def __init__(self, *args, sink: SmtpSink, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sink = sink
        self._number = 0

    def connection_made(self, transport) -> None:
        first = self._original_transport is None  # not the TLS upgrade of a STARTTLS connection
        super().connection_made(transport)
        if first:
            self._number = self._sink._connected()
        self.session.connection_number = self._number


class _Controller(Controller):
    def __init__(self, sink: SmtpSink, **kwargs) -> None:
        self._sink = sink
        super().__init__(_Handler(sink), **kwargs)

    def factory(self):
        return _CountingSMTP(self.handler, sink=self._sink, **self.SMTP_kwargs)


class SmtpSink:
    """An SMTP server on 127.0.0.1 at a free port. Use as a context manager, or start()/stop()."""

    def __init__(
        self,
        *,
        tls: tuple[Path, Path] | None = None,
        mode: str = "plain",
        login: tuple[str, str] | None = None,
    ) -> None:
        if mode not in ("plain", "starttls", "smtps"):
            raise ValueError(mode)
        if mode != "plain" and tls is None:
            raise ValueError("STARTTLS and SMTPS need tls=(certfile, keyfile)")
        self.port = free_port()
        self.mode, self.tls, self.login = mode, tls, login
        self.messages: list[Received] = []
        self.connections = 0
        self.logins: list[str] = []
        self.refuse: dict[str, str] = {}  # address (lower case) → reply, e.g. "550 5.1.1 no such user"
        self.refuse_data: dict[str, str] = {}  # the same, but as the verdict on the message's body
        self.refuse_sender: dict[str, str] = {}  # MAIL FROM address (lower case) → reply
        self.delay = 0.0  # seconds to think before accepting each message
        # Hold: once `hold_after` messages arrived, the next RCPT TO waits for `release`.
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # ------------------------------------------------------------------ lifecycle

    def _server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, self.tls))
        return context

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and self.login:
            user, password = self.login
            if auth_data.login.decode() == user and auth_data.password.decode() == password:
                self.logins.append(user)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> SmtpSink:
        kwargs: dict = {"hostname": HOST, "port": self.port, "ready_timeout": 10}
        if self.mode == "smtps":
            kwargs["ssl_context"] = self._server_context()
        elif self.mode == "starttls":
            kwargs.update(tls_context=self._server_context(), require_starttls=True)
        if self.login and self.mode == "smtps":
            # aiosmtpd only counts STARTTLS as TLS; on SMTPS the whole connection is encrypted, so
            # AUTH may be offered from the start (requiring it would warn about plain text).
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        elif self.login:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=True)
        self._controller = _Controller(self, **kwargs)
        self._controller.start()
        with self._lock:
            self.connections = 0  # the controller's own start-up probe is not a client
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.release.set()  # never leave a held client behind
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        """Start again on the same port (after stop(): the end of an outage)."""
        self.stop()
        self.release.clear()
        self._controller = None
        connections = self.connections
        self.start()
        with self._lock:
            self.connections = connections

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ what tests read

    @property
    def url(self) -> str:
        credentials = f"{self.login[0]}:{self.login[1]}@" if self.login else ""
        if self.mode == "smtps":
            return f"smtps://{credentials}{HOST}:{self.port}?cafile={self.tls[0]}"
        if self.mode == "starttls":
            return f"smtp://{credentials}{HOST}:{self.port}?starttls=1&cafile={self.tls[0]}"
        return f"smtp://{credentials}{HOST}:{self.port}?timeout=5"

    def _connected(self) -> int:
        with self._lock:
            self.connections += 1
            return self.connections

    def _record(self, envelope, connection: int) -> None:
        content = envelope.original_content or envelope.content
        with self._lock:
            self.messages.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    content,
                    connection,
                    list(envelope.mail_options),
                )
            )

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait until at least `count` messages arrived; returns them (fails the test on timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"expected {count} messages, the SMTP server received {len(self.messages)}")
            time.sleep(0.01)
        return list(self.messages)

    def by_recipient(self) -> dict[str, list[Received]]:
        found: dict[str, list[Received]] = {}
        for received in self.messages:
            for recipient in received.recipients:
                found.setdefault(recipient, []).append(received)
        return found


@pytest.fixture
def smtp_server():
    """A plain SMTP server on loopback, stopped after the test."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (certfile, keyfile)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
