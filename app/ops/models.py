"""The job lock: one row per scheduled job, shared by every machine that runs the jobs."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import UTCDateTime
from app.extensions import db


class JobLock(db.Model):
    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    # Held while `locked_until` lies ahead; a holder killed mid-run leaves a lock that lapses.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    holder: Mapped[str | None] = mapped_column(String(200))
    # When the last finished run (ok or not) started: what decides when the job is due again.
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<JobLock {self.name} until {self.locked_until}>"
