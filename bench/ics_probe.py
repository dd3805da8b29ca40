"""A quick probe of the ICS feed: GET /sessies.ics through the whole app against the bare
`icalendar` package serialising the same events (bench/catalogue.py's baseline), interleaved.

    .venv/bin/python bench/ics_probe.py [--sessions 1000] [--runs 15] [--database-url URL] [--profile]

Both wall-clock and CPU time (this process only) are reported: on a busy machine the CPU
figures are the steadier ones. A report, not a test: the exit code is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time

import _common as common
from catalogue import feed_events, serialise_feed

AIM = 1.5


def timed(run) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    body = run()
    return time.perf_counter() - wall, time.process_time() - cpu, body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", help="an existing, empty database; default a temporary SQLite file")
    parser.add_argument("--profile", action="store_true", help="show where the feed's time goes")
    args = parser.parse_args(argv)

    from sessions.models import InfoSession

    rng = random.Random(2026)
    now = common.utc_now()
    with common.database(args.database_url) as (url, where):
        app = common.bench_app(url)
        common.migrate(app)
        if common.count_rows(app, InfoSession):
            print("The database is not empty; the probe needs an empty one.", file=sys.stderr)
            return 0
        catalogue = common.Catalogue()
        try:
            common.seed_reference(app, catalogue, rng)
            common.seed_sessions(app, catalogue, args.sessions, 5 * args.sessions, rng, now=now)
            client = app.test_client()
            events = feed_events(catalogue, app.config["BASE_URL"])

            def feed() -> bytes:
                response = client.get("/sessies.ics")
                assert response.status_code == 200, response.status_code
                return response.get_data()

            def bare() -> bytes:
                return serialise_feed(events)

            for run in (feed, bare):  # warm up: imports, the VTIMEZONE cache, the query cache
                run()
            samples: dict[str, list[tuple[float, float]]] = {"feed": [], "bare": []}
            sizes = {}
            for _ in range(args.runs):
                for name, run in (("feed", feed), ("bare", bare)):
                    wall, cpu, body = timed(run)
                    samples[name].append((wall, cpu))
                    sizes[name] = (len(body), body.count(b"BEGIN:VEVENT"))
            print(f"{args.sessions} sessions on {where}, {args.runs} interleaved runs each")
            print(f"{'':6} {'wall ms':>9} {'cpu ms':>9} {'bytes':>10} {'events':>7}")
            medians = {}
            for name, values in samples.items():
                wall = statistics.median(w for w, _ in values) * 1000
                cpu = statistics.median(c for _, c in values) * 1000
                medians[name] = (wall, cpu)
                print(f"{name:6} {wall:9.1f} {cpu:9.1f} {sizes[name][0]:10,} {sizes[name][1]:7,}")
            wall_ratio = medians["feed"][0] / medians["bare"][0]
            cpu_ratio = medians["feed"][1] / medians["bare"][1]
            verdict = "ok" if cpu_ratio <= AIM else "ABOVE AIM"
            print(f"ratio feed/bare: wall {wall_ratio:.2f}x, cpu {cpu_ratio:.2f}x (aim {AIM}x): {verdict}")
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(feed)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        finally:
            if args.database_url and catalogue.experts:
                common.remove_seeded(app, catalogue)
    return 0


if __name__ == "__main__":
    sys.exit(main())
