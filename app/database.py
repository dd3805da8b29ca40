"""Binding the database: engine tuning per dialect, and the write lock services take.

The statements a request sends every time (the lock here, a registration's checks, the form's
questions, the outbox's insert) are built once, with bind parameters for what changes, and sent
again: building a statement and computing its cache key cost SQLAlchemy more Python than
sending it, and a statement object that is used again keeps its cache key.
"""

from functools import cache, wraps

from sqlalchemy import Table, bindparam, event, inspect, make_url, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, lazyload

from app.cache import count_commits, note_commit
from app.config import PROJECT_ROOT
from app.extensions import db, migrate

IMMEDIATE = "sqlite_begin_immediate"
# The bind key of the engine read_first uses (SQLALCHEMY_BINDS): the same database, in autocommit.
READS = "autocommit-reads"


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


WROTE = "startklaar_wrote"  # Session.info: the open transaction has written something


class PendingWork(RuntimeError):
    """begin_write() was called while the session held changes it would have to commit.

    A programming error, not a user's: the service must commit (or roll back) its own changes
    before it takes the write lock, or take the lock first and change things after."""


def pending_work(session) -> list[str]:
    """What committing `session` now would write: new, changed and deleted objects, and whether
    the open transaction already wrote (a flush, an INSERT/UPDATE/DELETE statement)."""
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    found = [f"{len(objects)} {what}" for what, objects in (
        ("new", session.new), ("changed", changed), ("deleted", session.deleted)
    ) if objects]  # fmt: skip
    if session.info.get(WROTE):
        found.append("writes already sent in this transaction")
    return found


def _note_flush(session, _flush_context) -> None:
    # Called before the flushed objects are reset: these are what the flush wrote.
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        session.info[WROTE] = True


def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def _forget_writes(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: committed or rolled back
        session.info.pop(WROTE, None)


def begin_write() -> None:
    """Start the session's next transaction holding the database's write lock where needed.

    Call it first in a service that reads and then writes under a rule (capacity, claims), before
    it changes anything: it ends the transaction the request had open (which only read), so that
    the rule is checked on fresh data. On PostgreSQL this is a plain BEGIN: the service then
    locks the rows it needs with SELECT … FOR UPDATE.

    Raises PendingWork when the session holds changes (new, changed or deleted objects, or writes
    already sent): it will not commit work it did not do. Commit or roll back first.
    """
    session = db.session()
    pending = pending_work(session)
    if pending:
        raise PendingWork(
            "begin_write() refuses to start: the session has pending work ("
            + ", ".join(pending)
            + "). Commit or roll back before taking the write lock, or change things after it."
        )
    if session.in_transaction():
        session.commit()  # it only read: nothing is written, the snapshot ends
    session.connection(execution_options={IMMEDIATE: True})


def lock_row(entity, ident):
    """Start a write transaction (`begin_write`) and read the row of `entity` with primary key
    `ident` afresh, locked until the commit: FOR UPDATE on PostgreSQL, the write lock on SQLite.
    Returns None when there is no such row. Raises PendingWork as begin_write does.

    Every rule about the row is read after this call, on what it returns."""
    begin_write()
    return db.session.scalar(_locking_select(entity), {"ident": ident})


@cache
def _locking_select(entity):
    # Built once per entity (see the module's docstring).
    return (
        select(entity)
        .where(inspect(entity).primary_key[0] == bindparam("ident"))
        .with_for_update(of=entity)
        # The row alone: what it refers to (a session's topic and venue) loads when it is used,
        # and mostly it is not (registering reads the seats and the dates).
        .options(lazyload("*"))
        .execution_options(populate_existing=True)
    )


def insert_ignoring(table: Table, *conflict_columns: str, returning=()):
    """An INSERT that skips rows whose `conflict_columns` (a unique key) already exist:
    ON CONFLICT DO NOTHING on PostgreSQL and SQLite, the one way to insert-or-ignore here.
    `returning`: columns of the rows that went in, to be returned (RETURNING).

    Without columns any unique conflict is skipped. Raises NotImplementedError on another
    database: Startklaar supports SQLite and PostgreSQL. The statement is built once per
    database kind (see the module's docstring).
    """
    return _insert_ignoring(db.session.get_bind().dialect.name, table, conflict_columns, tuple(returning))


@cache
def _insert_ignoring(dialect: str, table: Table, conflict_columns: tuple, returning: tuple):
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"Startklaar supports SQLite and PostgreSQL, not {dialect}")
    statement = module.insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns) or None)
    return statement.returning(*returning) if returning else statement


def read_first(statement, params: dict | None = None):
    """The first row of one read-only `statement`, on a pooled connection of its own in
    autocommit: one round trip, no BEGIN and ROLLBACK around it, no ORM session opened.

    For the checks a cached page makes on every request (is my copy still the current one?): a
    single statement sees one consistent snapshot, so it needs no transaction. It sees only what
    is committed, never the caller's own pending changes.

    It runs on the READS engine, whose connections are in autocommit from the start: switching a
    connection of the main engine to autocommit and back, and its liveness ping, cost more CPU
    than the statement. Without the ping, a connection the database dropped (a restart) fails
    once; the pool then drops its connections and the statement, which only reads, runs again."""
    return _on_reads(lambda conn: conn.execute(statement, params).first())


def read_objects(statement, params: dict | None = None) -> list:
    """The ORM objects one read-only `statement` selects, read as read_first reads (its own
    pooled connection in autocommit, one retry after a dropped connection), in an ORM session of
    their own that is closed at once: the objects come back detached, with the columns the
    statement loaded and nothing that would load more.

    For what a request reads before its own transaction starts, such as the questions a posted
    form asked: read in the request's session, it would open a transaction (a BEGIN, and a
    COMMIT when `begin_write` ends it) around one statement."""

    def run(conn) -> list:
        with Session(bind=conn) as session:
            return list(session.scalars(statement, params))

    return _on_reads(run)


def _on_reads(run):
    """`run(connection)` on a READS connection: again, once, on a fresh one if the first was dropped."""
    engine = db.engines.get(READS)
    if engine is None:  # an in-memory SQLite database, which only the main engine can see
        with db.engine.connect() as conn:
            return run(conn.execution_options(isolation_level="AUTOCOMMIT"))
    for attempt in (1, 2):
        try:
            with engine.connect() as conn:
                return run(conn)
        except DBAPIError as error:
            if attempt == 2 or not error.connection_invalidated:
                raise
    return None  # not reached: the second attempt returns or raises


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
    for name, listener in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("after_transaction_end", _forget_writes),
        ("after_commit", note_commit),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    count_commits(app)
    _add_reads_bind(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    with app.app_context():
        engine: Engine = db.engine
        reads = db.engines.get(READS)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
            if reads is not None:
                event.listen(reads, "connect", _tune_sqlite)
        elif reads is not None and engine.dialect.name == "postgresql":
            event.listen(reads, "connect", _plan_once)


def _plan_once(dbapi_connection, _record) -> None:
    # READS runs the same few statements on every page view, which psycopg prepares after five
    # runs. PostgreSQL would still plan the session page's version anew each time (its custom
    # plan looks cheaper than the generic one on paper): 0.5 ms of the database's CPU per visit
    # for the same plan (an index scan from the bound start). A generic plan is planned once.
    cursor = dbapi_connection.cursor()
    cursor.execute("SET plan_cache_mode = force_generic_plan")
    cursor.close()


def _add_reads_bind(config) -> None:
    """The READS engine (read_first): Flask-SQLAlchemy's bind on the same database, in autocommit,
    without the main engine's ping. Always the database of SQLALCHEMY_DATABASE_URI, also in a
    config copied from another app; none for an in-memory SQLite database, for which a second
    engine would open an empty database of its own."""
    binds = dict(config.get("SQLALCHEMY_BINDS") or {})
    binds.pop(READS, None)
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:"):
        binds[READS] = {
            **config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "url": config["SQLALCHEMY_DATABASE_URI"],
            "isolation_level": "AUTOCOMMIT",
            "pool_pre_ping": False,
        }
    config["SQLALCHEMY_BINDS"] = binds


def dispose_engines() -> None:
    """Close every pooled connection of the application's engines (the main one and READS):
    before a fork, or when a test is done with its database."""
    for engine in db.engines.values():
        engine.dispose()
