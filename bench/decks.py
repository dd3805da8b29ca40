"""Deck bench: a session's slide deck built (the first download after a change) and read from
the deck store (every other download), timed against python-pptx opening and saving the bare
template in the same run.

    .venv/bin/python bench/decks.py [--registrations 200] [--questions 60] [--runs N]

Data: one evening session (the typical eight-block agenda, the demo's slide-block library),
`--registrations` confirmed registrations with varied profiles, `--questions` of them with a
question. Cases:

- baseline: `Presentation(template)` then `.save()`: what any deck costs at the least;
- deck, uncached: `materials.decks.services.generate_deck` with an empty store (the version, the
  queries, the fitting, four native charts, the QR code, notes on every slide, saving, storing);
- deck, build only: the same deck from data gathered beforehand (no database, no store);
- deck, cached, service: `generate_deck` when the store holds this version (the version's
  queries and a file read);
- deck, cached, route: `GET /beheer/sessies/<id>/deck.pptx` as an expert, through the app.

Aims: uncached under 1 second (its ratio to the baseline is reported), cached at most 20 ms. A
report, not a test: the exit code is 0 whatever the figures; "ABOVE AIM" marks a miss.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import secrets
import tempfile
from datetime import date, timedelta
from datetime import time as dtime
from importlib.metadata import version

import _common as common
from sqlalchemy import insert

AIM_UNCACHED_MS, AIM_CACHED_MS = 1000.0, 20.0
PASSWORD = "bench bench bench bench"  # noqa: S105 - the one account of a throwaway database
FIRST = ["Sarah", "Fatima", "Lotte", "Nadia", "Ines", "Tom", "Pieter", "Mohamed", "Jonas", "Elif"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "El Idrissi", "Yilmaz", "Van Damme", "De Smet"]
PROVINCES = ["oost-vlaanderen", "antwerpen", "limburg", "west-vlaanderen", "brussel", "vlaams-brabant"]
QUESTIONS = [
    "Hoeveel vierkante meter heb ik nodig per kind in mijn woning?",
    "Wat kost een brandveiligheidsattest ongeveer en hoe lang duurt de aanvraag?",
    "Hoe lang duurt het voor ik een vergunning krijg na het kennismakingsgesprek?",
    "Moet ik zelf een diploma hebben als ik iemand met een kwalificatie aanneem?",
    "Kan ik subsidies krijgen vanaf de eerste dag of moet ik wachten op een oproep?",
    "Tellen mijn eigen kinderen mee voor de 8 plaatsen van de gezinsopvang?",
    "Kan ik als onthaalouder later overstappen naar groepsopvang zonder nieuw starterstraject?",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--runs", type=int, default=None, help="timed runs per case (default: from --budget)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds for the timing, roughly")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def seed(app, args, rng: random.Random) -> int:
    """One session with its registrations (bulk insert) and the demo library; its id."""
    from app.auth.models import Role
    from app.auth.services import create_user
    from app.extensions import db
    from app.timezone import from_local
    from materials.decks import demo as deck_demo
    from registrations.models import ChildcareType, LegalForm, Registration, RegistrationStatus, Statute
    from sessions import demo as sessions_demo
    from sessions import services
    from sessions.models import SessionFormat

    with app.app_context():
        topic = services.save_topic(None, title="Kinderopvang starten", agenda=sessions_demo.TYPICAL_EVENING)
        venue = services.save_venue(
            None, name="Zaal De Kouter", street="Kouter 1", postcode="9000", capacity=400
        )
        expert = create_user("an.peeters@example.com", Role.EXPERT, "An Peeters", PASSWORD)
        starts = from_local(date.today() + timedelta(days=30), dtime(19, 30))
        session = services.create_session(
            services.SessionData(
                topic_id=topic.id,
                format=SessionFormat.ON_SITE,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=120),
                capacity=args.registrations,
                presenter_ids=[expert.id],
                venue_id=venue.id,
                allow_holiday=True,
            )
        )
        services.publish_session(session)
        now = common.utc_now()
        postcodes = ["9000", "2000", "3500", "8000", "1000", "3000", "2800", "8500"]
        first_of_month = date.today().replace(day=1)
        rows = [
            {
                "session_id": session.id,
                "token": secrets.token_urlsafe(18),
                "status": RegistrationStatus.CONFIRMED,
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST),
                "email": f"persoon{n}@example.com",
                "postcode": rng.choice(postcodes),
                "province": rng.choice(PROVINCES),
                "childcare_type": rng.choice(list(ChildcareType)),
                "legal_form": rng.choice(list(LegalForm)),
                "statute": Statute.NOG_NIET_BEPAALD,
                "planned_start": (first_of_month + timedelta(days=31 * rng.randint(1, 24))).replace(day=1),
                "questions": f"{rng.choice(QUESTIONS)} (vraag {n})" if n < args.questions else "",
                "privacy_version": "2026-01",
                "consented_at": now,
                "confirmed_at": now,
                "news_opt_in": False,
                "staff_note": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(args.registrations)
        ]
        db.session.execute(insert(Registration), rows)
        session.seats_taken = args.registrations
        db.session.commit()
        deck_demo.load({})
        return session.id


def main(argv=None) -> int:
    args = parse_args(argv)
    from flask_babel import force_locale
    from pptx import Presentation

    from app.extensions import db
    from materials.decks import cache, services
    from materials.decks.builder import build_deck
    from materials.decks.template import default_master
    from sessions import services as sessions

    rng = random.Random(args.seed)
    with common.database(None) as (url, where), tempfile.TemporaryDirectory(prefix="decks-") as store:
        app = common.bench_app(url, DECK_CACHE_FOLDER=store, WTF_CSRF_ENABLED=False)
        common.migrate(app)
        session_id = seed(app, args, rng)
        client = app.test_client()
        response = client.post("/login", data={"email": "an.peeters@example.com", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        with app.app_context():
            session = sessions.get_session(session_id)
            master = default_master()
            with force_locale("nl"):
                data = services.deck_data(session)
            questions = sum(len(g.questions) for g in data.questions)
            deck = services.generate_deck(session)
            slides = len(Presentation(io.BytesIO(deck)).slides)

            def bare():
                out = io.BytesIO()
                Presentation(io.BytesIO(master)).save(out)
                return 200, out.getvalue()

            def uncached():
                cache.clear()
                db.session.expire_all()  # read everything again, as a new request would
                return 200, services.generate_deck(sessions.get_session(session_id))

            def build_only():
                with force_locale("nl"):
                    return 200, build_deck(master, data)

            def cached_service():
                db.session.expire_all()
                return 200, services.generate_deck(sessions.get_session(session_id))

            def cached_route():
                response = client.get(f"/beheer/sessies/{session_id}/deck.pptx")
                return response.status_code, response.data

            cases = [
                common.Case("baseline: open + save template", bare),
                common.Case("deck, uncached (generate_deck)", uncached),
                common.Case("deck, build only (no DB, no store)", build_only),
                common.Case("deck, cached (generate_deck)", cached_service),
                common.Case("deck, cached (GET deck.pptx)", cached_route),
            ]
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            print(
                f"Startklaar deck bench: Python {platform.python_version()}, "
                f"python-pptx {version('python-pptx')}, {where}; {os.cpu_count()} CPUs, load {load}"
            )
            print(
                f"session with {data.registered} confirmed registrations, {questions} questions; "
                f"deck of {slides} slides, {len(deck) // 1024} kB"
            )
            common.measure(cases[:3], runs=args.runs, budget=args.budget)
            services.generate_deck(session)  # the store holds this version again
            common.measure(cases[3:], runs=args.runs, budget=args.budget / 4)
            for case in cases[3:]:
                assert case.status == 200 and case.body[:2] == b"PK", (case.name, case.status)
            db.engine.dispose()
    base = cases[0]
    aims = {cases[1].name: AIM_UNCACHED_MS, cases[3].name: AIM_CACHED_MS, cases[4].name: AIM_CACHED_MS}
    rows = []
    for case in cases:
        aim = aims.get(case.name)
        verdict = "" if aim is None else ("ok" if case.median_ms <= aim else "ABOVE AIM")
        rows.append(
            [
                case.name,
                f"{case.median_ms:.1f}",
                f"{case.p95_ms:.1f}",
                f"{case.cpu_ms:.1f}",
                f"{case.median_ms / base.median_ms:.2f}x",
                "" if aim is None else f"<= {aim:.0f} ms",
                verdict,
            ]
        )
    print()
    print(common.table(["case", "median ms", "p95 ms", "CPU ms", "ratio", "aim", ""], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
