"""`begin_write()`: it takes the write lock on fresh data, and refuses to start while the caller
has work pending instead of committing that work silently."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from app.database import PendingWork, begin_write, lock_row
from app.extensions import db
from sessions.models import Topic


def titles() -> list[str]:
    with db.engine.connect() as other:  # what another request would see: only committed rows
        return list(other.scalars(select(Topic.title).order_by(Topic.title)))


def test_a_new_object_makes_begin_write_refuse_and_nothing_is_committed(app, make_topic):
    make_topic(title="Bestaand")
    db.session.add(Topic(slug="nieuw", title="Nieuw", description=""))
    with pytest.raises(PendingWork, match="1 new"):
        begin_write()
    db.session.rollback()
    assert titles() == ["Bestaand"]


def test_a_changed_object_makes_begin_write_refuse(app, make_topic):
    topic = make_topic(title="Oud")
    topic.title = "Gewijzigd"
    with pytest.raises(PendingWork, match="1 changed"):
        begin_write()
    db.session.rollback()
    assert titles() == ["Oud"]


def test_a_change_already_flushed_or_written_by_a_statement_still_counts(app, make_topic):
    topic = make_topic(title="Oud")
    topic.title = "Gewijzigd"
    db.session.flush()
    with pytest.raises(PendingWork, match="writes already sent"):
        begin_write()
    db.session.rollback()
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(title="Via SQL"))
    with pytest.raises(PendingWork, match="writes already sent"):
        begin_write()
    db.session.rollback()
    assert titles() == ["Oud"]


def test_an_attribute_set_to_the_value_it_had_is_no_pending_work(app, make_topic):
    topic = make_topic(title="Zelfde")
    assert topic.title == "Zelfde"  # loaded, so the ORM can tell nothing changed
    topic.title = "Zelfde"
    begin_write()
    db.session.rollback()


def test_after_reads_only_begin_write_starts_on_fresh_data(app, make_topic):
    topic = make_topic(title="Oud")
    assert db.session.scalar(select(Topic.title)) == "Oud"  # a read: the transaction is open
    with db.engine.begin() as other:
        other.execute(text("UPDATE topics SET title = 'Nieuw' WHERE id = :id"), {"id": topic.id})
    begin_write()
    assert db.session.scalar(select(Topic.title).where(Topic.id == topic.id)) == "Nieuw"
    db.session.commit()


def test_after_a_commit_or_rollback_begin_write_starts_again(app, make_topic):
    topic = make_topic(title="Oud")
    topic.title = "Nieuw"
    db.session.commit()
    begin_write()
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(title="Weer nieuw"))
    db.session.rollback()
    begin_write()
    db.session.commit()
    assert titles() == ["Nieuw"]


def test_lock_row_reads_the_row_afresh_or_finds_none(app, make_topic):
    topic = make_topic(title="Oud")
    assert topic.title == "Oud"
    with db.engine.begin() as other:
        other.execute(text("UPDATE topics SET title = 'Nieuw' WHERE id = :id"), {"id": topic.id})
    assert lock_row(Topic, topic.id).title == "Nieuw"
    db.session.commit()
    assert lock_row(Topic, topic.id + 1000) is None
    db.session.rollback()
