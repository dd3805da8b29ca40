"""Mail bench: personalised mails through the whole outbox against a bare `send_message` loop,
both to the same local SMTP sink.

    .venv/bin/python bench/mail.py [--mails 10000] [--chunk 1000] [--batch-size 1000] [--database-url URL]

Two outbox cases, each timed from the first statement to the last "sent":

- render + send: `enqueue_many` of mail intents (a kind the bench registers, whose renderer fills a
  small Jinja template per recipient — first name, a personal link — in text and HTML) and one
  commit, then `deliver_due` in batches until nothing is due: claim, render and store each intent
  once, build the MIME message, `send_message`, mark sent.
- send only: the same, with the intents rendered and stored beforehand (not timed), as a retry
  or a mail rendered by an earlier batch is: claim, build, `send_message`, mark sent.

The baseline: the same messages built as `EmailMessage`s beforehand (not timed) and sent by
`smtplib.SMTP.send_message` over one connection (which flattens each with the standard policy).
The sink is aiosmtpd in its own process; it accepts and discards, and counts what it got, so the
bench checks every mail arrived exactly once. The cases go in interleaved chunks (in a rotating
order) so a burst of load on the machine hits them alike; the totals over all chunks give the
ratios, the per-chunk ratios show the spread. Aim: within 2x.

SQLite by default (a temporary file), PostgreSQL with --database-url (the schema is brought to
the latest migration; the bench deletes only the rows it queued). A report, not a test: the exit
code is 0 whatever the figures; "ABOVE AIM" marks a miss.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import secrets
import smtplib
import socket
import sys
import time
from dataclasses import dataclass

import _common as common

AIM = 2.0
MAIL_FROM = "Startklaar <noreply@startklaar.test>"
FIRST_NAMES = ["An", "Bram", "Chloé", "Dries", "Els", "Fatima", "Gert", "Hanne", "Ilias", "Jolien"]
SUBJECT = "{{ first_name }}, je infosessie over gezinsopvang: wat nu?"
TEXT = """Dag {{ first_name }},

Bedankt om naar de infosessie over gezinsopvang te komen. Je vindt de presentatie, de
checklist voor je vergunningsaanvraag en een formulier voor een kennismakingsgesprek op
{{ link }}

Wil je deze berichten niet meer ontvangen? {{ unsubscribe }}

Het starters-team
"""
HTML = """<!doctype html><html lang="nl"><body>
<p>Dag {{ first_name }},</p>
<p>Bedankt om naar de infosessie over gezinsopvang te komen. Je vindt de presentatie, de checklist
voor je vergunningsaanvraag en een formulier voor een kennismakingsgesprek op
<a href="{{ link }}">je persoonlijke pagina</a>.</p>
<p><small><a href="{{ unsubscribe }}">Uitschrijven</a></small></p>
<p>Het starters-team</p>
</body></html>"""


# --------------------------------------------------------------------------- the sink


def _sink(port: int, ready, received) -> None:
    """An aiosmtpd server that accepts and discards (run in its own process)."""
    import threading

    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Discard(), hostname="127.0.0.1", port=port, ready_timeout=30)
    controller.start()
    ready.set()
    threading.Event().wait()


def start_sink() -> tuple[multiprocessing.Process, int, object]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    ready, received = context.Event(), context.Value("q", 0)
    process = context.Process(target=_sink, args=(port, ready, received), daemon=True)
    process.start()
    if not ready.wait(60):
        raise SystemExit("the SMTP sink did not start")
    return process, port, received


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Recipient:
    address: str
    first_name: str
    token: str


def recipients(count: int) -> list[Recipient]:
    return [
        Recipient(
            f"kandidaat{n}@bench.startklaar.test",
            FIRST_NAMES[n % len(FIRST_NAMES)],
            secrets.token_urlsafe(16),
        )
        for n in range(count)
    ]


class Templates:
    """Text without escaping, HTML with (the app's Jinja environment autoescapes strings)."""

    def __init__(self, app) -> None:
        import jinja2

        plain = jinja2.Environment(autoescape=False)  # noqa: S701 - a plain-text mail body
        self.subject = plain.from_string(SUBJECT)
        self.text = plain.from_string(TEXT)
        self.html = app.jinja_env.from_string(HTML)
        self.base_url = app.config["BASE_URL"]

    def render(self, person: Recipient) -> tuple[str, str, str, str]:
        values = {
            "first_name": person.first_name,
            "link": f"{self.base_url}/opvolging/{person.token}",
            "unsubscribe": f"{self.base_url}/uitschrijven/{person.token}",
        }
        return (
            self.subject.render(values),
            self.text.render(values),
            self.html.render(values),
            values["unsubscribe"],
        )


# --------------------------------------------------------------------------- the two sides


def baseline(port: int, messages: list, envelope_from: str) -> tuple[float, float]:
    """(wall, CPU) seconds for a bare `send_message` loop over one connection."""
    cpu, started = time.process_time(), time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, message in messages:
            smtp.send_message(message, envelope_from, [to])
    return time.perf_counter() - started, time.process_time() - cpu


# The bench's own kind of mail: its renderer fills the templates for the person in the snapshot.
_TEMPLATES: dict[int, Templates] = {}


def _render_bench(intent):
    from flask import current_app

    from app.outbox.kinds import RenderedMail

    key = id(current_app.jinja_env)  # one per application
    templates = _TEMPLATES.get(key) or _TEMPLATES.setdefault(key, Templates(current_app))
    person = Recipient(intent.to, intent.snapshot["first_name"], intent.snapshot["token"])
    subject, text, html, unsubscribe = templates.render(person)
    return RenderedMail(subject=subject, text=text, html=html, list_unsubscribe=unsubscribe)


def bench_kind(app):
    """The bench's kind of mail, registered on `app` (app.outbox.kinds.KINDS) the first time."""
    from app.outbox.kinds import KINDS, mail_kind

    return KINDS.find("bench.followup", app) or KINDS.register(
        app, mail_kind("bench.followup", "Bench", _render_bench)
    )


@dataclass
class OutboxRun:
    seconds: float
    cpu_seconds: float
    queue_seconds: float
    deliver_seconds: float
    batches: int
    statements: int


def outbox(app, people: list[Recipient], tag: str, batch_size: int, counter, *, prerender: bool) -> OutboxRun:
    """Queue intents for `people` and deliver them; `prerender` renders them first, untimed."""
    from app.extensions import db
    from app.outbox.kinds import MailIntent
    from app.outbox.services import deliver_due, enqueue_many, render_queued

    kind = bench_kind(app)
    with app.app_context():
        intents = [
            MailIntent(
                kind=kind,
                to=person.address,
                dedup_key=f"bench:{tag}:{person.token}",
                snapshot={"first_name": person.first_name, "token": person.token},
                reference=f"bench:{tag}",
            )
            for person in people
        ]
        if prerender:
            added = enqueue_many(intents)
            db.session.commit()
            render_queued()
        counter.reset()
        cpu, started = time.process_time(), time.perf_counter()
        if not prerender:
            added = enqueue_many(intents)
            db.session.commit()
        queued = time.perf_counter()
        batches = 0
        while deliver_due(batch_size=batch_size, worker_id=f"bench-{tag}").claimed:
            batches += 1
        finished, cpu = time.perf_counter(), time.process_time() - cpu
        if added != len(people):
            raise SystemExit(f"queued {added} of {len(people)} mails")
        return OutboxRun(finished - started, cpu, queued - started, finished - queued, batches, counter.count)


def check_and_clean(app, tag: str, expected: int) -> None:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.outbox.models import MailStatus, OutboxMessage

    with app.app_context():
        mine = OutboxMessage.reference == f"bench:{tag}"
        counts = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count()).where(mine).group_by(OutboxMessage.status)
            ).all()
        )
        db.session.execute(OutboxMessage.__table__.delete().where(mine))
        db.session.commit()
    if counts != {MailStatus.SENT: expected}:
        raise SystemExit(f"not every mail was sent exactly once: {counts}")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=1000, help="mails claimed per deliver_due")
    parser.add_argument("--chunk", type=int, default=1000, help="mails per interleaved measurement")
    parser.add_argument(
        "--database-url", help="PostgreSQL (or another SQLite file); default: a temporary file"
    )
    args = parser.parse_args()

    sink, port, received = start_sink()
    try:
        with common.database(args.database_url) as (url, description):
            app = common.bench_app(url, SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM=MAIL_FROM)
            common.migrate(app)
            counter = common.QueryCounter(common.engine_of(app))
            run(app, args, port, received, counter, description)
    finally:
        sink.terminate()
        sink.join(10)


def run(app, args, port, received, counter, description) -> None:
    import statistics

    from app.db import utcnow
    from app.outbox.transport import address_of, build_message

    people = recipients(args.mails)
    with app.app_context():
        templates = Templates(app)
        now = utcnow()
        prebuilt, rows = [], []
        rendering = time.process_time()
        for n, person in enumerate(people):
            subject, text, html, unsubscribe = templates.render(person)
            message_id = f"<bench.{n}@startklaar.test>"
            rows.append(_Row(person.address, subject, text, html, unsubscribe, message_id))
        rendering = time.process_time() - rendering
        building = time.process_time()
        for row in rows:
            prebuilt.append((row.recipient, build_message(row, MAIL_FROM, now)))
        building = time.process_time() - building
    flattening = time.process_time()
    for _, message in prebuilt:
        message.as_bytes()
    flattening = time.process_time() - flattening
    envelope_from = address_of(MAIL_FROM)
    chunks = [range(start, min(start + args.chunk, args.mails)) for start in range(0, args.mails, args.chunk)]

    print(f"Mail bench: {args.mails} personalised mails in {len(chunks)} interleaved chunks of {args.chunk}")
    print(f"  database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]} ({description})")
    print(f"  python {platform.python_version()}, {platform.machine()}, {multiprocessing.cpu_count()} CPUs")
    size = sum(len(message.as_bytes()) for _, message in prebuilt[:100]) // min(100, len(prebuilt))
    print(f"  message size: {size} bytes on average")
    per_mail = 1e6 / len(people)
    print(
        f"  CPU per mail, before the timing: the templates {rendering * per_mail:,.0f} us, building the"
        f" EmailMessage (standard policy) {building * per_mail:,.0f} us,"
        f" flattening it {flattening * per_mail:,.0f} us"
    )
    print(f"  outbox: enqueue_many per chunk, then deliver_due(batch_size={args.batch_size}) until empty")

    tag = secrets.token_hex(4)
    bare, rendering, sending = [], [], []
    for number, chunk in enumerate(chunks):

        def run_bare(chunk=chunk):
            before = received.value
            bare.append(baseline(port, prebuilt[chunk.start : chunk.stop], envelope_from))
            _expect(received, before + len(chunk), "baseline")

        def run_outbox(results, prerender, chunk=chunk):
            before = received.value
            part = people[chunk.start : chunk.stop]
            mark = f"{tag}-{'s' if prerender else 'r'}"
            results.append(outbox(app, part, mark, args.batch_size, counter, prerender=prerender))
            _expect(received, before + len(chunk), "outbox")

        sides = [run_bare, lambda: run_outbox(rendering, False), lambda: run_outbox(sending, True)]
        # Rotate who goes first, so a burst of load elsewhere does not always hit the same case.
        for side in sides[number % 3 :] + sides[: number % 3]:
            side()
        print(
            f"  chunk {number + 1}: bare {bare[-1][0]:.2f} s, render + send {rendering[-1].seconds:.2f} s "
            f"(ratio {rendering[-1].seconds / bare[-1][0]:.2f}), send only {sending[-1].seconds:.2f} s "
            f"(ratio {sending[-1].seconds / bare[-1][0]:.2f})",
            flush=True,
        )
    check_and_clean(app, f"{tag}-r", args.mails)
    check_and_clean(app, f"{tag}-s", args.mails)

    bare_seconds, bare_cpu = sum(b[0] for b in bare), sum(b[1] for b in bare)
    per_mail = 1e6 / args.mails
    rows = [
        [
            "bare send_message loop (pre-built)",
            f"{bare_seconds:.2f}",
            f"{args.mails / bare_seconds:,.0f}",
            f"{bare_cpu * per_mail:,.0f}",
            "1.00",
            "",
        ]
    ]
    spreads = []
    for name, runs in (
        ("outbox: intents, render + send", rendering),
        ("outbox: send only (rendered)", sending),
    ):
        seconds = sum(r.seconds for r in runs)
        ratio = seconds / bare_seconds
        rows.append(
            [
                name,
                f"{seconds:.2f}",
                f"{args.mails / seconds:,.0f}",
                f"{sum(r.cpu_seconds for r in runs) * per_mail:,.0f}",
                f"{ratio:.2f}",
                "ok" if ratio <= AIM else "ABOVE AIM",
            ]
        )
        rows.append(["  of which enqueue_many", f"{sum(r.queue_seconds for r in runs):.2f}", "", "", "", ""])
        rows.append(
            [
                f"  of which deliver_due x {sum(r.batches for r in runs)}",
                f"{sum(r.deliver_seconds for r in runs):.2f}",
                "",
                "",
                "",
                "",
            ]
        )
        ratios = sorted(r.seconds / b[0] for r, b in zip(runs, bare, strict=True))
        statements = sum(r.statements for r in runs)
        spreads.append(
            f"{name}: ratio per chunk median {statistics.median(ratios):.2f}, best {ratios[0]:.2f}, "
            f"worst {ratios[-1]:.2f}; {statements} SQL statements ({statements / args.mails:.2f} per mail)"
        )
    print()
    print(common.table(["case", "seconds", "mails/s", "CPU us/mail", "ratio", f"aim {AIM:.0f}x"], rows))
    print()
    for line in spreads:
        print(line)
    print("CPU us/mail: this process only (the sink runs in its own); on a busy machine wall time")
    print("follows CPU time, so the CPU column says what the outbox itself costs.")


@dataclass(frozen=True)
class _Row:
    """What build_message reads from an outbox row."""

    recipient: str
    subject: str
    text_body: str
    html_body: str
    list_unsubscribe: str
    message_id: str
    ics: bytes | None = None
    ics_method: str | None = None


def _expect(received, count: int, what: str) -> None:
    deadline = time.monotonic() + 30
    while received.value < count and time.monotonic() < deadline:
        time.sleep(0.01)
    if received.value != count:
        raise SystemExit(f"{what}: the sink counted {received.value}, expected {count}")


if __name__ == "__main__":
    sys.exit(main())
