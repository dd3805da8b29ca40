"""Catalogue bench: the public catalogue page, the JSON API and the full ICS feed, timed against
bare baselines measured in the same run.

    .venv/bin/python bench/catalogue.py [--sessions 5000] [--runs N] [--database-url URL]

Data: `--sessions` published sessions over the next twelve months (mostly weekday evenings, some
Saturday mornings, some online), venues in every province, ten experts, and seat counts worth
`--registrations` registrations (default ten per session: 50,000 for 5,000 sessions).

Baselines: a bare Flask app whose one route renders an empty page (for the catalogue and the
API), and the `icalendar` package serialising the same events with no app and no database (for
the feed). Aims: the feed within 1.5x its baseline, the catalogue (and the API) within 4x theirs,
and no query count that grows with the number of sessions on the page or in the database.

A report, not a test: the exit code is 0 whatever the figures; "ABOVE AIM" marks a miss.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import re
import sys
import time
from importlib.metadata import version

import _common as common
from flask import Flask, render_template_string
from icalendar import Calendar, Event

EMPTY_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Startklaar</title></head>'
    "<body></body></html>"
)
AIM_PAGE, AIM_FEED = 4.0, 1.5
LARGE_PAGE = 100  # the second page size: one query per session would show as 80 more queries

# (name, path, aim) of the pages measured, each against its baseline.
PAGES = [
    ("catalogue", "/sessies", AIM_PAGE),
    ("catalogue ?moment=weekend", "/sessies?moment=weekend", AIM_PAGE),
    ("API", "/api/v1/sessions", AIM_PAGE),
    ("ICS feed (full)", "/sessies.ics", AIM_FEED),
]
LARGE_PAGES = [
    (f"catalogue, {LARGE_PAGE} per page", "/sessies"),
    (f"API, {LARGE_PAGE} per page", "/api/v1/sessions"),
]
# The app's own floor: the cheapest page it has (one SELECT 1), for reading the ratios above.
FLOOR = ("app floor: /healthz", "/healthz")
BARE_PAGE, BARE_FEED = "bare Flask page", "bare icalendar"


# --------------------------------------------------------------------------- the baselines


def bare_page_app() -> Flask:
    """A Flask app with nothing around one route: what any page costs at the least."""
    bare = Flask("bare")

    @bare.get("/")
    def page():
        return render_template_string(EMPTY_PAGE)

    return bare


def feed_events(catalogue: common.Catalogue, base_url: str) -> list[dict]:
    """The feed's events as plain values (same sessions, same order), taken from memory."""
    events = []
    for row in sorted(catalogue.sessions, key=lambda r: (r["starts_at"], r["id"])):
        topic = catalogue.topics[row["topic_id"]]
        venue = catalogue.venues.get(row["venue_id"])
        url = f"{base_url}/sessies/{row['id']}"
        location = (
            f"{venue['name']}, {venue['street']}, {venue['postcode']} {venue['municipality']}"
            if venue
            else "Online"
        )
        events.append(
            {
                "uid": f"{row['uid']}@startklaar",
                "summary": row["title"] or topic["title"],
                "starts_at": row["starts_at"],
                "ends_at": row["ends_at"],
                "location": location,
                "url": url,
                "description": f"{topic['description']}\n\nMeer info: {url}",
                "sequence": row["sequence"],
            }
        )
    return events


def serialise_feed(events: list[dict]) -> bytes:
    """The icalendar package alone: one VCALENDAR, its VTIMEZONE and one VEVENT per session."""
    from app.timezone import BRUSSELS

    calendar = Calendar()
    calendar.add("prodid", "-//Startklaar bench//icalendar//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Infosessies")
    stamp = common.utc_now()
    for item in events:
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("sequence", item["sequence"])
        event.add("summary", item["summary"])
        event.add("dtstart", item["starts_at"].astimezone(BRUSSELS))
        event.add("dtend", item["ends_at"].astimezone(BRUSSELS))
        event.add("location", item["location"])
        event.add("url", item["url"])
        event.add("description", item["description"])
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --------------------------------------------------------------------------- requests


def items_in(path: str, body: bytes) -> int | None:
    """How many sessions a response carries, to show what was measured."""
    if path.endswith(".ics") or path == "ics-baseline":
        return body.count(b"BEGIN:VEVENT")
    if path.startswith("/api/"):
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if isinstance(data, list):
            return len(data)
        lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
        return len(lists[0]) if lists else None
    if path.startswith("/sessies"):
        return len(set(re.findall(rb"/sessies/(\d+)", body)))
    return None


def request_case(name: str, app: Flask, path: str, *, count_queries: bool = True) -> common.Case:
    """GET `path` through the test client; the body is read in full (a streamed feed too)."""
    client = app.test_client()
    counter = None
    if count_queries:
        if "bench_counter" not in app.extensions:
            app.extensions["bench_counter"] = common.QueryCounter(common.engine_of(app))
        counter = app.extensions["bench_counter"]

    def run() -> tuple[int, bytes]:
        response = client.get(path)
        return response.status_code, response.get_data()

    return common.Case(name, run, counter=counter, path=path)


def probe(cases: list[common.Case], apps: list[Flask]) -> tuple[list[common.Case], list[common.Case]]:
    """Send each request once: (the ones answering 200, the others, with their error if any)."""
    ok, failed = [], []
    for case in cases:
        for app in apps:
            app.extensions["bench_errors"].clear()
        case.once()
        if case.status == 200:
            ok.append(case)
            continue
        errors = [e for app in apps for e in app.extensions["bench_errors"]]
        case.error = f"HTTP {case.status}" + (f" ({errors[-1][:120]})" if errors else "")
        print(f"  {case.name}: not measured, {case.error}")
        failed.append(case)
    return ok, failed


def items(case: common.Case) -> str:
    if not case.path.startswith(("/sessies", "/api/", "ics-baseline")):
        return ""  # not a list of sessions (the app floor)
    count = items_in(case.path, case.body)
    return "?" if count is None else f"{count:,}"


def ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


# --------------------------------------------------------------------------- profile


LIBRARIES = [
    ("Jinja", ("jinja2/", "markupsafe/")),
    ("Flask-Babel / Babel", ("flask_babel/", "babel/")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("database driver", ("sqlite3", "psycopg")),
    ("icalendar", ("icalendar/",)),
    ("Flask / Werkzeug / extensions", ("flask/", "werkzeug/", "flask_")),
]


def _bucket(key: tuple[str, int, str]) -> str:
    filename, _line, name = key
    root = str(common.PROJECT_ROOT)
    if filename.startswith(root + "/bench/"):
        return "the bench itself"
    if filename.startswith(root + "/templates/"):
        return "templates (compiled Jinja)"
    if filename.startswith(root) and "/.venv/" not in filename:
        return "project code"
    where = filename if filename != "~" else name
    for label, marks in LIBRARIES:
        if any(mark in where for mark in marks):
            return label
    return "builtins (str, datetime, ...)" if filename == "~" else "other Python (stdlib, ...)"


def profile(case: common.Case, runs: int) -> str:
    """Where one page's time goes: own time per bucket, and the project's heaviest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        case.run()
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # key -> (calls, primitive calls, tottime, cumtime, callers)
    total = sum(v[2] for v in stats.values()) or 1e-9
    own: dict[str, float] = {}
    for key, value in stats.items():
        own[_bucket(key)] = own.get(_bucket(key), 0) + value[2]
    lines = [f"{case.name}: own time per part ({runs} requests)"]
    for label, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {seconds / total:5.0%}  {label}")
    project = [
        (value[3], key)
        for key, value in stats.items()
        if _bucket(key) in ("project code", "templates (compiled Jinja)")
    ]
    if project:
        lines.append("  heaviest project functions and templates (cumulative, per request):")
    for seconds, (filename, line, name) in sorted(project, reverse=True)[:8]:
        short = filename.replace(str(common.PROJECT_ROOT) + "/", "")
        # A compiled template's line numbers are those of the generated Python, not the template.
        where = f"{short} ({name})" if short.startswith("templates/") else f"{short}:{line} {name}"
        lines.append(f"    {seconds / runs * 1000:8.2f} ms  {where}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the catalogue page, the JSON API and the ICS feed against bare baselines."
    )
    parser.add_argument("--sessions", type=int, default=5000, help="published sessions (default 5000)")
    parser.add_argument(
        "--registrations", type=int, help="seats taken over all sessions (default 10 per session)"
    )
    parser.add_argument(
        "--runs", type=int, help="timed runs per case (default: what fits in --budget; 5 to 300)"
    )
    parser.add_argument(
        "--budget", type=float, default=40.0, help="seconds for the main timing, roughly (default 40)"
    )
    parser.add_argument(
        "--database-url",
        help="an existing, empty database (e.g. postgresql://user@host/db); default a temporary SQLite file",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the inserted rows in --database-url afterwards"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the app's fragment caches off: every request reads the catalogue's version, renders the "
        "catalogue and builds the feed (the cold case; by default repeated requests hit the caches, as real "
        "visitors and calendar apps do)",
    )
    parser.add_argument("--profile", action="store_true", help="also show where each page's time goes")
    parser.add_argument("--show-sql", action="store_true", help="also list the statements each page sends")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the generated data")
    parser.add_argument("--verbose", action="store_true", help="show the app's error log (tracebacks)")
    args = parser.parse_args(argv)
    if args.sessions < 10:
        parser.error("--sessions must be at least 10")
    if args.registrations is None:
        args.registrations = 10 * args.sessions
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from app.extensions import db
    from sessions.models import InfoSession

    rng = random.Random(args.seed)
    now = common.utc_now()
    small = max(args.sessions // 5, 1)

    with common.database(args.database_url) as (url, where):
        # --no-cache: no fragment caches, and every request reads the catalogue's version.
        cache = {"FRAGMENT_CACHE": not args.no_cache}
        if args.no_cache:
            cache["PAGE_VERSION_MAX_AGE"] = 0
        app = common.bench_app(url, **cache)
        app_large = common.bench_app(url, CATALOGUE_PAGE_SIZE=LARGE_PAGE, API_PAGE_SIZE=LARGE_PAGE, **cache)
        apps = [app, app_large]
        if not args.verbose:  # a failing page is reported in one line, not a traceback per request
            for each in apps:
                each.logger.disabled = True
        common.migrate(app)
        existing = common.count_rows(app, InfoSession)
        if existing:
            print(
                f"The database already holds {existing} sessions; the bench needs an empty one "
                "(its figures would mix with yours). Nothing was changed.",
                file=sys.stderr,
            )
            return 0
        with app.app_context():
            dialect = db.engine.dialect
            server = ".".join(str(x) for x in (dialect.server_version_info or ()))
            base_url = app.config["BASE_URL"]
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"Startklaar catalogue bench, {now:%Y-%m-%d %H:%M} UTC: Python {platform.python_version()}, "
            f"Flask {version('flask')}, SQLAlchemy {version('sqlalchemy')}, "
            f"icalendar {version('icalendar')}, {dialect.name} {server} ({where}); "
            f"{os.cpu_count()} CPUs, load {load}"
        )
        catalogue = common.Catalogue()
        try:
            report = run(args, apps, catalogue, rng, now, small, base_url)
        finally:
            if args.database_url and not args.keep and catalogue.experts:
                common.remove_seeded(app, catalogue)
            for each in apps:
                with each.app_context():
                    db.engine.dispose()
    print(report)
    return 0


def run(args, apps, catalogue, rng, now, small, base_url) -> str:
    app, app_large = apps
    started = time.perf_counter()
    common.seed_reference(app, catalogue, rng)
    common.seed_sessions(app, catalogue, small, args.registrations * small // args.sessions, rng, now=now)
    print(
        f"\nseeded {len(catalogue.topics)} topics, {len(catalogue.venues)} venues, "
        f"{len(catalogue.experts)} experts, {small:,} sessions "
        f"({catalogue.seats_taken:,} seats taken) in {time.perf_counter() - started:.1f} s"
    )

    # 1. A fifth of the data: the query counts (and a rough time) to hold against the full run.
    print(f"[1/2] {small:,} sessions: query counts and a rough timing")
    small_cases, _failed = probe([request_case(n, app, p) for n, p, _aim in PAGES], apps)
    if small_cases:
        common.measure(small_cases, runs=min(args.runs or 3, 3), budget=0)

    # 2. All of it, against the baselines, interleaved.
    started = time.perf_counter()
    rest = args.sessions - small
    common.seed_sessions(app, catalogue, rest, args.registrations - catalogue.seats_taken, rng, now=now)
    print(
        f"\nseeded {rest:,} more sessions: {len(catalogue.sessions):,} in all, "
        f"{catalogue.seats_taken:,} seats taken, in {time.perf_counter() - started:.1f} s"
    )
    print(f"[2/2] {len(catalogue.sessions):,} sessions: timing against the baselines")
    pages = [request_case(n, app, p) for n, p, _aim in PAGES]
    pages += [request_case(n, app_large, p) for n, p in LARGE_PAGES]
    pages.append(request_case(FLOOR[0], app, FLOOR[1]))
    cases, failed = probe(pages, apps)
    bare = request_case(BARE_PAGE, bare_page_app(), "/", count_queries=False)
    events = feed_events(catalogue, base_url)
    ics = common.Case(BARE_FEED, lambda: (200, serialise_feed(events)), path="ics-baseline")
    timed = [bare, ics, *cases]
    common.measure(timed, runs=args.runs, budget=args.budget)

    out = [
        f"\n{len(catalogue.sessions):,} published sessions, {catalogue.seats_taken:,} seats taken; "
        f"in-process (Flask test client), median and p95 of {min(c.runs for c in timed)} to "
        f"{max(c.runs for c in timed)} runs, interleaved"
    ]
    out.append(common.table(*main_table(bare, ics, cases, failed)))
    scaling = scaling_table(small_cases, cases, small, len(catalogue.sessions))
    if scaling:
        out.append("\nQueries per request against the size of the database and of the page")
        out.append(common.table(*scaling))
    by_name = {c.name: c for c in cases}
    for name, _path in LARGE_PAGES:
        short, large = by_name.get(name.split(",")[0]), by_name.get(name)
        if short and large and items_in(large.path, large.body) != items_in(short.path, short.body):
            extra = items_in(large.path, large.body) - items_in(short.path, short.body)
            out.append(
                f"{name.split(',')[0]}: each further session on the page costs "
                f"{(large.cpu_ms - short.cpu_ms) / extra:.2f} ms CPU "
                f"({short.cpu_ms:.1f} ms for {items(short)}, {large.cpu_ms:.1f} ms for {items(large)})"
            )
    feed = next((c for c in cases if c.path.endswith(".ics")), None)
    if feed is not None and items_in(feed.path, feed.body) != len(catalogue.sessions):
        out.append(
            f"\nNOTE: the feed carried {items(feed)} events; "
            f"{len(catalogue.sessions):,} sessions are upcoming."
        )
    if args.show_sql:
        out.append("\nThe statements of one request per page")
        for case in cases:
            case.counter.reset(keep=True)
            case.run()
            out.append(f"{case.name}: {len(case.counter.statements)} statements")
            out += [f"    {' '.join(sql.split())[:150]}" for sql in case.counter.statements]
            case.counter.reset()
    if args.profile:
        out.append("\nWhere the time goes (cProfile; profiling inflates every figure, compare parts only)")
        for case in cases:
            if case.name in {n for n, _p in LARGE_PAGES} or case.name == FLOOR[0]:
                continue
            out.append(profile(case, 2 if case.median_ms > 300 else 10))
        out.append(profile(ics, 2))
    return "\n".join(out)


def main_table(bare, ics, cases, failed) -> tuple[list[str], list[list[str]]]:
    aims = {name: aim for name, _path, aim in PAGES}
    headers = [
        "page",
        "median ms",
        "p95 ms",
        "CPU ms",
        "baseline",
        "ratio",
        "CPU ratio",
        "aim",
        "",
        "queries",
        "SQL ms",
        "items",
    ]
    rows = [
        [bare.name, ms(bare.median_ms), ms(bare.p95_ms), ms(bare.cpu_ms), "", "", "", "", "", "", "", ""],
        [ics.name, ms(ics.median_ms), ms(ics.p95_ms), ms(ics.cpu_ms), "", "", "", "", "", "", "", items(ics)],
    ]
    for case in cases:
        base = ics if case.path.endswith(".ics") else bare
        ratio = case.median_ms / base.median_ms
        cpu_ratio = case.cpu_ms / base.cpu_ms
        aim = aims.get(case.name)
        verdict = ""
        if aim is not None:
            verdict = "ok" if ratio <= aim else ("ABOVE AIM" if cpu_ratio > aim else "ABOVE AIM (CPU ok)")
        rows.append(
            [
                case.name,
                ms(case.median_ms),
                ms(case.p95_ms),
                ms(case.cpu_ms),
                base.name,
                f"{ratio:.1f}x",
                f"{cpu_ratio:.1f}x",
                f"{aim:g}x" if aim else "",
                verdict,
                str(case.queries),
                ms(case.sql_ms),
                items(case),
            ]
        )
    for case in failed:
        rows.append([case.name, "-", "-", "", "", "", "", "", f"not measured: {case.error}", "", "", ""])
    return headers, rows


def scaling_table(small_cases, cases, small: int, full: int) -> tuple[list[str], list[list[str]]] | None:
    by_name, small_by_name = {c.name: c for c in cases}, {c.name: c for c in small_cases}
    rows = []
    for name, _path, _aim in PAGES:
        big, part = by_name.get(name), small_by_name.get(name)
        if big is None or part is None:
            continue
        large = by_name.get(f"{name}, {LARGE_PAGE} per page")
        counts = {part.queries, big.queries} | ({large.queries} if large else set())
        rows.append(
            [
                name,
                f"{part.queries} ({items(part)} items)",
                f"{big.queries} ({items(big)} items)",
                f"{large.queries} ({items(large)} items)" if large else "",
                f"{ms(part.sql_ms)} -> {ms(big.sql_ms)}",
                f"{ms(part.cpu_ms)} -> {ms(big.cpu_ms)}",
                "flat" if len(counts) == 1 else "GROWS",
            ]
        )
    if not rows:
        return None
    headers = [
        "page",
        f"queries, {small:,} sessions",
        f"queries, {full:,} sessions",
        f"queries, {LARGE_PAGE} per page",
        f"SQL ms {small:,} -> {full:,}",
        f"CPU ms {small:,} -> {full:,}",
        "",
    ]
    return headers, rows


if __name__ == "__main__":
    sys.exit(main())
