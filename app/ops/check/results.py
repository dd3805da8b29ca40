"""What a check reports: OK, WARN or FAIL with a message that says how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import make_url

NETWORK_TIMEOUT = 5.0
DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - the development default in app/config.py, refused here
FREE_SPACE_WARN = 1024**3  # 1 GiB


class Status(enum.StrEnum):
    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Result:
    status: Status
    name: str
    message: str

    def line(self) -> str:
        return f"{self.status.value:<4}  {self.name}: {self.message}"


def ok(name: str, message: str) -> Result:
    return Result(Status.OK, name, message)


def warn(name: str, message: str) -> Result:
    return Result(Status.WARN, name, message)


def fail(name: str, message: str) -> Result:
    return Result(Status.FAIL, name, message)


def in_production() -> bool:
    return current_app.config.get("ENV_NAME") == "production"


def safe_url(url) -> str:
    return make_url(url).render_as_string(hide_password=True)
