"""The data of bench/load.py: a year of the agency's work in bulk inserts, valid for the app.

Sessions over the past and the next twelve months (upcoming ones `published`, past ones
`completed`), their registrations (the statuses add up to each session's `seats_taken` and
`waitlist_count`), the leads the confirmed and attended people became, and the dossiers some
leads turned into, each with its checklist and its first audit entry.

Everything goes in with `insert(table)` and lists of rows built in Python: going through the
services would take hours for 100,000 registrations. The rules the services keep are kept here
by construction instead, and `check_seats` in bench/load.py verifies the result after the run.
`seed` can be called more than once on the same `World` (the bench measures the SQL per page
at a tenth of the data, then adds the rest).
"""

from __future__ import annotations

import csv
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import _common as common
from sqlalchemy import insert, text, update

ADMIN_EMAIL = "bench.beheer@example.com"
STAFF = ["Karen Smets", "Lotte Verbeke", "Mehdi Benali", "Nina Lambrechts", "Olivier Dupont", "Pieter Aerts"]
FIRST = ["An", "Sara", "Lien", "Fatima", "Emma", "Yasmine", "Tom", "Koen", "Nora", "Ines", "Marie", "Jonas"]
LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
]
CHILDCARE = [("gezinsopvang", 45), ("groepsopvang", 25), ("bso", 10), ("onbekend", 20)]
PAST_SHIFT = timedelta(days=-371)  # 53 weeks: the same weekday and clock, all in the past year
CHUNK = 2000


@dataclass
class World:
    """What was inserted so far: the ids the pages and the load need, and the counters."""

    catalogue: common.Catalogue = field(default_factory=common.Catalogue)
    staff: list[int] = field(default_factory=list)
    places: list[tuple[str, str, str]] = field(default_factory=list)  # postcode, municipality, province
    upcoming: list[int] = field(default_factory=list)
    past: list[int] = field(default_factory=list)
    starts: dict[int, datetime] = field(default_factory=dict)  # session id -> start
    references: list[str] = field(default_factory=list)
    persons: int = 0  # e-mail addresses handed out (person n is p{n}@…)
    dossier_numbers: dict[int, int] = field(default_factory=dict)  # year -> last number
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _table(model):
    return model.__table__


def _insert(db, model, rows: list[dict], returning: bool = False) -> list[int]:
    """Rows in chunks; with `returning`, their new ids in the order given."""
    ids: list[int] = []
    table = _table(model)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if returning:
            result = db.session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk
            )
            ids += [row_id for (row_id,) in result]
        else:
            db.session.execute(insert(table), chunk)
    return ids


def reference(app, world: World, rng: random.Random, password: str) -> None:
    """Topics, venues, experts (as catalogue.py has them), an admin who logs in, staff who own
    leads and dossiers, and the checklist catalogue."""
    from app.auth.models import Role, User
    from app.auth.services import create_user
    from app.extensions import db
    from dossiers import checklist

    common.seed_reference(app, world.catalogue, rng)
    with app.app_context():
        create_user(ADMIN_EMAIL, Role.ADMIN, "Bench Beheerder", password)
        rows = [
            {
                "email": f"{name.split()[0].lower()}.bench@example.com",
                "name": name,
                "role": Role.STAFF,
                "password_hash": "!bench-no-login",
                "session_token": secrets.token_hex(16),
            }
            for name in STAFF
        ]
        world.staff = _insert(db, User, rows, returning=True)
        checklist.ensure_catalogue()
        db.session.commit()
    with common.POSTCODES.open(newline="", encoding="utf-8") as fh:
        world.places = [
            (row["postcode"], row["municipality"], row["province"])
            for row in csv.DictReader(fh)
            if row["province"]
        ]


def _person(world: World, n: int) -> dict:
    """The same person (name, place, plans) every time their number comes up."""
    r = random.Random(n)
    postcode, municipality, province = r.choice(world.places)
    kinds, weights = zip(*CHILDCARE, strict=True)
    return {
        "first_name": r.choice(FIRST),
        "last_name": r.choice(LAST),
        "email": f"p{n}@bench.example.be",
        "phone": f"+32470{r.randint(100000, 999999)}",
        "postcode": postcode,
        "municipality": municipality,
        "province": province,
        "childcare_type": r.choices(kinds, weights)[0],
        "planned_places": r.choice((None, 4, 8, 14, 18, 28)),
    }


def _sessions(app, world: World, count: int, seats: int, rng: random.Random, now: datetime, past: bool):
    """Sessions through catalogue.py's generator; past ones moved back 53 weeks and completed."""
    from app.extensions import db
    from sessions.models import InfoSession, SessionStatus
    from sessions.services import slot_flags

    rows = common.seed_sessions(app, world.catalogue, count, seats, rng, now=now)
    if past:
        with app.app_context():
            changes = []
            for row in rows:
                row["starts_at"] += PAST_SHIFT
                row["ends_at"] += PAST_SHIFT
                row["is_evening"], row["is_weekend"] = slot_flags(row["starts_at"])
                row["published_at"] += PAST_SHIFT
                row["status"] = SessionStatus.COMPLETED
                changes.append(
                    {
                        "id": row["id"],
                        "starts_at": row["starts_at"],
                        "ends_at": row["ends_at"],
                        "is_evening": row["is_evening"],
                        "is_weekend": row["is_weekend"],
                        "published_at": row["published_at"],
                        "status": row["status"],
                    }
                )
            db.session.execute(update(InfoSession), changes)
            db.session.commit()
    (world.past if past else world.upcoming).extend(row["id"] for row in rows)
    world.starts.update((row["id"], row["starts_at"]) for row in rows)
    return rows


def _registration(world, session: dict, n: int, status, rng: random.Random, now: datetime) -> dict:
    """One registration row of person `n` for `session`, its stamps fitting its status."""
    from registrations.models import RegistrationStatus as S

    opened = session["published_at"]
    latest = min(now, session["starts_at"] - timedelta(hours=1))
    if status == S.PENDING:  # a hold is at most a day old, so it has not lapsed yet
        created = now - timedelta(minutes=rng.randint(5, 20 * 60))
    else:
        created = opened + (latest - opened) * rng.random()
    confirmed = created + timedelta(minutes=rng.randint(2, 600))
    confirmed = min(confirmed, latest) if confirmed > created else created
    person = _person(world, n)
    return {
        "session_id": session["id"],
        "token": secrets.token_urlsafe(18),
        "status": status,
        "source": "online",
        **person,
        "legal_form": "nog_niet_bepaald",
        "statute": "nog_niet_bepaald",
        "questions": "Welke subsidies kan ik krijgen?" if rng.random() < 0.15 else "",
        "privacy_version": "2026-01",
        "consented_at": created,
        "news_opt_in": rng.random() < 0.3,
        "hold_expires_at": created + timedelta(hours=24) if status == S.PENDING else None,
        "email_confirmed_at": None if status in (S.PENDING, S.EXPIRED) else confirmed,
        "confirmed_at": confirmed if status in (S.CONFIRMED, S.ATTENDED, S.NO_SHOW) else None,
        "waitlisted_at": created if status == S.WAITLISTED else None,
        "cancelled_at": confirmed if status == S.CANCELLED else None,
        "checked_in_at": session["starts_at"] if status == S.ATTENDED else None,
        "first_attended_at": session["starts_at"] if status == S.ATTENDED else None,
        "staff_note": "",
        "created_at": created,
        "updated_at": confirmed,
    }


def _registrations(app, world: World, sessions: list[dict], extra: int, rng, now, past: bool) -> list[dict]:
    """Per session: its seat holders and waiting list exactly, and `extra` cancelled or expired
    registrations over all of them. Returns the rows with their ids."""
    from app.extensions import db
    from registrations.models import Registration
    from registrations.models import RegistrationStatus as S

    pool = max(world.persons, 1)
    extras = [0] * len(sessions)
    for _ in range(extra):
        extras[rng.randrange(len(sessions))] += 1
    rows = []
    for session, more in zip(sessions, extras, strict=True):
        held, waiting = session["seats_taken"], session["waitlist_count"]
        people = rng.sample(range(pool), held + waiting + more)
        for k, n in enumerate(people):
            if k < held:
                if past:
                    status = S.ATTENDED if rng.random() < 0.78 else S.NO_SHOW
                else:
                    status = S.PENDING if rng.random() < 0.06 else S.CONFIRMED
            elif k < held + waiting:
                status = S.WAITLISTED
            else:
                status = S.CANCELLED if past or rng.random() < 0.7 else S.EXPIRED
            rows.append(_registration(world, session, n, status, rng, now))
    with app.app_context():
        for row, row_id in zip(rows, _insert(db, Registration, rows, returning=True), strict=True):
            row["id"] = row_id
        db.session.commit()
    world.add("registrations", len(rows))
    return rows


def _enterprise_number(rng: random.Random) -> str:
    """A valid KBO number: the last two digits are 97 - (the first eight mod 97)."""
    first = rng.randint(2_000_000, 19_999_999)  # starts with 0 or 1 once padded to 8 digits
    digits = f"{first:08d}{97 - first % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


DOSSIER_STATES = [
    ("intake", 14), ("documents", 26), ("completeness_check", 12), ("analysis", 10),
    ("decision_proposal", 6), ("decision", 4), ("follow_up", 8), ("closed", 12),
    ("on_hold", 4), ("withdrawn", 4),
]  # fmt: skip
AFTER_CHECK = {"analysis", "decision_proposal", "decision", "follow_up", "closed"}


def _leads_and_dossiers(app, world: World, registrations: list[dict], leads: int, dossiers: int, rng, now):
    """Leads for people who confirmed or came (one per address, gathering all their
    registrations), and dossiers for some of them, with their checklists."""
    from app.audit import AuditEntry
    from app.extensions import db
    from dossiers import checklist
    from dossiers.leads.models import Lead, LeadRegistration
    from dossiers.models import ChecklistItem, Dossier, DossierCounter
    from registrations.models import RegistrationStatus as S

    by_person: dict[str, list[dict]] = {}
    for row in registrations:
        if row["status"] in (S.CONFIRMED, S.ATTENDED, S.NO_SHOW):
            by_person.setdefault(row["email"], []).append(row)
    with app.app_context():
        taken = set(db.session.scalars(text("SELECT email FROM leads")))
        emails = [e for e in by_person if e not in taken]
        chosen = rng.sample(emails, min(leads, len(emails)))
        converting = set(chosen[: min(dossiers, len(chosen))])
        lead_rows = []
        for email in chosen:
            first = min(by_person[email], key=lambda r: r["confirmed_at"])
            since = first["confirmed_at"]
            if email in converting:
                status = "converted"
            else:
                status = rng.choices(["new", "contacted", "dropped"], [45, 35, 20])[0]
            kind = first["childcare_type"]
            if email in converting and kind == "onbekend":
                kind = "gezinsopvang"
            lead_rows.append(
                {
                    "email": email,
                    "token": secrets.token_urlsafe(18),
                    **{k: first[k] for k in ("first_name", "last_name", "phone", "postcode")},
                    **{k: first[k] for k in ("municipality", "province", "planned_places")},
                    "childcare_type": kind,
                    "legal_form": "nog_niet_bepaald",
                    "statute": "nog_niet_bepaald",
                    "status": status,
                    "status_changed_at": since + (now - since) * rng.random(),
                    "drop_reason": "Toch geen plannen meer." if status == "dropped" else None,
                    "source": "attendance" if first["status"] != S.CONFIRMED else "registration",
                    "message": "",
                    "profile_at": since,
                    "owner_id": None if status == "new" else rng.choice(world.staff),
                    "converted_at": None,
                    "created_at": since,
                    "updated_at": since,
                }
            )
        lead_ids = _insert(db, Lead, lead_rows, returning=True)
        links = [
            {
                "lead_id": lead_id,
                "registration_id": reg["id"],
                "rule_id": None,
                "created_at": reg["confirmed_at"],
            }
            for lead_id, row in zip(lead_ids, lead_rows, strict=True)
            for reg in by_person[row["email"]]
        ]
        _insert(db, LeadRegistration, links)

        elements = {kind: checklist.elements_for(kind) for kind in checklist.DOSSIER_TYPES}
        states, weights = zip(*DOSSIER_STATES, strict=True)
        dossier_rows, converted = [], []
        for lead_id, row in zip(lead_ids, lead_rows, strict=True):
            if row["status"] != "converted":
                continue
            opened = row["status_changed_at"]
            converted.append({"id": lead_id, "converted_at": opened})
            year = opened.year
            world.dossier_numbers[year] = world.dossier_numbers.get(year, 0) + 1
            state = rng.choices(states, weights)[0]
            decided = state in {"decision", "follow_up", "closed"}
            dossier_rows.append(
                {
                    "reference": f"KO-{year}-{world.dossier_numbers[year]:05d}",
                    "token": secrets.token_urlsafe(18),
                    "lead_id": lead_id,
                    "owner_id": row["owner_id"],
                    "state": state,
                    "held_from": "documents" if state == "on_hold" else None,
                    "state_changed_at": opened + (now - opened) * rng.random(),
                    "organiser_kind": "person",
                    "organisation_name": "",
                    **{k: row[k] for k in ("first_name", "last_name", "email", "phone", "childcare_type")},
                    "legal_form": "eenmanszaak",
                    "enterprise_number": _enterprise_number(rng),
                    "statute": "zelfstandige",
                    "is_21_or_older": True,
                    "street": f"{rng.choice(common.STREETS)} {rng.randint(1, 200)}",
                    "postcode": row["postcode"],
                    "municipality": row["municipality"],
                    "province": row["province"],
                    "planned_places": row["planned_places"],
                    "planned_start": date(year + 1, rng.randint(1, 12), 1),
                    "analysis": "Locatie en plan zijn haalbaar." if state in AFTER_CHECK else "",
                    "proposal_outcome": ("favourable" if rng.random() < 0.8 else "unfavourable")
                    if decided
                    else None,
                    "proposal_text": "Gunstig advies op basis van de analyse." if decided else "",
                    "created_at": opened,
                    "updated_at": opened,
                }
            )
        if converted:
            db.session.execute(update(Lead), converted)
        dossier_ids = _insert(db, Dossier, dossier_rows, returning=True)
        items, audit = [], []
        for dossier_id, row in zip(dossier_ids, dossier_rows, strict=True):
            due = row["created_at"].date() + timedelta(days=30)
            for element in elements[row["childcare_type"]]:
                if row["state"] in AFTER_CHECK:
                    status = "approved"
                elif row["state"] == "intake":
                    status = "missing"
                else:
                    status = rng.choice(("missing", "received", "approved", "rejected"))
                items.append(
                    {
                        "dossier_id": dossier_id,
                        "element_id": element.id,
                        "position": element.position,
                        "required": element.required,
                        "status": status,
                        "comment": "",
                        "due_on": due if element.required else None,
                        "changed_at": None if status == "missing" else row["state_changed_at"],
                        "changed_by_id": None if status == "missing" else row["owner_id"],
                        "changed_by_organiser": False,
                    }
                )
            audit.append(
                {
                    "entity_type": "dossier",
                    "entity_id": str(dossier_id),
                    "reference": row["reference"],
                    "actor_kind": "system",
                    "actor_user_id": None,
                    "actor_name": "systeem",
                    "action": "created",
                    "changes": {"childcare_type": [None, row["childcare_type"]]},
                    "at": row["created_at"],
                }
            )
        _insert(db, ChecklistItem, items)
        _insert(db, AuditEntry, audit)
        for year, number in world.dossier_numbers.items():
            db.session.execute(text("DELETE FROM dossier_counters WHERE year = :y"), {"y": year})
            db.session.execute(insert(_table(DossierCounter)), [{"year": year, "last_number": number}])
        db.session.commit()
    world.references += [row["reference"] for row in dossier_rows]
    world.add("leads", len(lead_rows))
    world.add("dossiers", len(dossier_rows))
    world.add("checklist items", len(items))


def seed(app, world: World, *, sessions: int, registrations: int, dossiers: int, rng, now: datetime) -> None:
    """Add `sessions` sessions (60 % upcoming), `registrations` registrations and `dossiers`
    dossiers (with five times as many leads) to what is there."""
    from app.extensions import db

    upcoming = round(sessions * 0.6)
    world.persons += max(round(registrations * 0.7), 200)  # some people come to more than one session
    # Seats held: about 40 % of the registrations in upcoming sessions, 45 % in past ones; the
    # waiting lists and the cancelled or lapsed ones make up the rest.
    rows_up = _sessions(app, world, upcoming, round(registrations * 0.40), rng, now, past=False)
    rows_past = _sessions(app, world, sessions - upcoming, round(registrations * 0.45), rng, now, past=True)
    fixed = sum(r["seats_taken"] + r["waitlist_count"] for r in rows_up + rows_past)
    extra = registrations - fixed
    if extra < 0:
        raise SystemExit(f"the waiting lists alone exceed {registrations} registrations: seed more")
    extra_up = extra // 3
    regs = _registrations(app, world, rows_up, extra_up, rng, now, past=False)
    regs += _registrations(app, world, rows_past, extra - extra_up, rng, now, past=True)
    world.add("sessions", sessions)
    _leads_and_dossiers(app, world, regs, dossiers * 5, dossiers, rng, now)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        # Bulk inserts bypass the unit of work that tells the reports what changed: count them
        # again from scratch, as `flask reports rebuild` does after an import.
        from reports import aggregates

        aggregates.rebuild()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
