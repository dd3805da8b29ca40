"""`flask check`: is this installation ready to serve? One line per check, and how to fix it.

Each check returns Results; nothing here changes anything (the upload check writes and removes
one small file). Network checks use short timeouts, so a firewall that drops packets costs
seconds, not minutes. The checks live in rooms: `configuration`, `sign_in`, `database`, `network` (SMTP,
Redis), `storage` (uploads) and `jobs`; `results` says what a check reports.
"""

from __future__ import annotations

from collections.abc import Callable

from app.ops.check.configuration import check_config
from app.ops.check.database import check_database
from app.ops.check.jobs import check_jobs
from app.ops.check.network import check_redis, check_smtp
from app.ops.check.results import Result, Status, fail, ok, warn
from app.ops.check.sign_in import check_sign_in
from app.ops.check.storage import check_uploads

CHECKS: list[Callable[[], list[Result]]] = [
    check_config,
    check_sign_in,
    check_database,
    check_smtp,
    check_redis,
    check_uploads,
    check_jobs,
]


DATABASE_CHECKS = {"database", "migrations"}


def run_checks() -> list[Result]:
    results: list[Result] = []
    for check in CHECKS:
        database_failed = any(r.name in DATABASE_CHECKS and r.status is Status.FAIL for r in results)
        if check is check_jobs and database_failed:
            continue  # it would wait on the same database, or create an empty SQLite file
        results.extend(check())
    return results


__all__ = [
    "CHECKS",
    "Result",
    "Status",
    "check_config",
    "check_database",
    "check_jobs",
    "check_redis",
    "check_sign_in",
    "check_smtp",
    "check_uploads",
    "fail",
    "ok",
    "run_checks",
    "warn",
]
