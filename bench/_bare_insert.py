"""The baseline of bench/registration.py: a bare Flask app whose one POST inserts one row.

    gunicorn --chdir bench _bare_insert:app      (BARE_DATABASE_URL=sqlite:///… or postgresql://…)

No app factory, no CSRF, no sessions, no templates, no i18n: a page with a form (so the load
client runs the very same code as against the real app: GET a page, find a csrf_token, POST the
form, expect a 302) and one INSERT in its own transaction through a SQLAlchemy pool. On SQLite
the connection is tuned as the app tunes its own (WAL, synchronous=NORMAL, busy timeout), so the
two pay the same price for a commit. The table is made by the bench before the server starts.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, request
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, event, func, insert

TABLE = "bench_bare_rows"
PAGE = '<!doctype html><form method="post"><input type="hidden" name="csrf_token" value="bare"></form>'

metadata = MetaData()
rows = Table(
    TABLE,
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)


def _url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str):
    engine = create_engine(_url(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def create_app(url: str | None = None) -> Flask:
    engine = make_engine(url or os.environ["BARE_DATABASE_URL"])
    app = Flask("bare_insert")

    @app.get("/form")
    def form():
        return PAGE

    @app.post("/insert")
    def insert_one():
        with engine.begin() as connection:
            connection.execute(
                insert(rows).values(email=request.form["email"], first_name=request.form["first_name"])
            )
        return redirect("/done")

    return app


if "BARE_DATABASE_URL" in os.environ:  # imported by gunicorn; the bench imports it for `rows` only
    app = create_app()
