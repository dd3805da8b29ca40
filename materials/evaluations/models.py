"""Evaluations after a session: a form per topic in versions, and one response per registration.

A form's questions are kept as a small JSON definition inside its version; a new version is a new
row, so the answers already given keep pointing at the version they answered. An answer stores
the question's key and its value (one row per chosen option of a multiple-choice question).
A response belongs to the session for good and to the registration only until that is
anonymised: then `registration_id` goes and the figures stay.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin, UTCDateTime, utcnow
from app.extensions import db


class EvaluationForm(db.Model):
    __tablename__ = "evaluation_forms"
    __table_args__ = (UniqueConstraint("topic_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the default form, used for every topic that has none of its own.
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    # {"sections": [{"title": str, "questions": [{"key", "kind", "label", "low", "high", "choices"}]}]}
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def sections(self) -> list[dict]:
        return self.definition.get("sections", [])

    @property
    def questions(self) -> list[dict]:
        return [q for section in self.sections for q in section.get("questions", [])]

    def question(self, key: str) -> dict | None:
        return next((q for q in self.questions if q["key"] == key), None)


class EvaluationResponse(TimestampMixin, db.Model):
    __tablename__ = "evaluation_responses"
    __table_args__ = (Index("ix_evaluation_responses_session_id_form_id", "session_id", "form_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id", ondelete="CASCADE"))
    # One response per registration; None once the registration is anonymised.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), unique=True
    )

    form: Mapped[EvaluationForm] = relationship()
    answers: Mapped[list["EvaluationAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="EvaluationAnswer.id"
    )


class EvaluationAnswer(db.Model):
    __tablename__ = "evaluation_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_responses.id", ondelete="CASCADE"), index=True
    )
    question_key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    # Staff hid an abusive comment: it no longer shows in the results (it is kept, not erased).
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    response: Mapped[EvaluationResponse] = relationship(back_populates="answers")
