"""Binding the database: engine tuning per dialect, and the write lock services take."""

from functools import wraps

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from app.config import PROJECT_ROOT
from app.extensions import db, migrate

IMMEDIATE = "sqlite_begin_immediate"


def _tune_sqlite(dbapi_connection, _record) -> None:
    # SQLAlchemy, not the sqlite3 module, decides when transactions begin (see _begin_sqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer writes; the busy timeout makes concurrent
    # writers wait their turn instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite(conn) -> None:
    # A transaction that will write after reading must hold the write lock from its first
    # statement: a deferred one that upgrades later can fail with SQLITE_BUSY under load.
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # every statement is its own transaction (the outbox's delivery connection)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(IMMEDIATE) else "BEGIN")


def begin_write() -> None:
    """Start the session's next transaction holding the database's write lock where needed.

    Call it first in a service that reads and then writes under a rule (capacity, claims). It
    ends whatever transaction the request had open (committing nothing pending is the caller's
    duty), so that the rule is checked on fresh data. On PostgreSQL this is a plain BEGIN: the
    service then locks the rows it needs with SELECT … FOR UPDATE.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})


def insert_ignoring(table: Table, *conflict_columns: str):
    """An INSERT that skips rows whose `conflict_columns` (a unique key) already exist:
    ON CONFLICT DO NOTHING on PostgreSQL and SQLite, the one way to insert-or-ignore here.

    Without columns any unique conflict is skipped. Raises NotImplementedError on another
    database: Startklaar supports SQLite and PostgreSQL.
    """
    dialect = db.session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"Startklaar supports SQLite and PostgreSQL, not {dialect}")
    return module.insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns) or None)


def atomic(service):
    """Decorate a service that writes: when it raises, everything it did — and any lock it took —
    is rolled back before the error reaches the caller, so a refused change leaves no trace."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def init_app(app) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
