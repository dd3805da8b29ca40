import enum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TimestampMixin, str_enum
from app.extensions import db


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"

    @property
    def has_choices(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


#: A condition may name this fixed field of the registration form instead of another question.
CHILDCARE_TYPE = "childcare_type"


class RegistrationQuestion(TimestampMixin, db.Model):
    """One extra question on the registration form of a topic's sessions, or of one session.

    `choices` is a list of {"value", "nl", "en"}; `condition_key` names an earlier question's key
    (or `childcare_type`) whose answer must equal `condition_value` for the question to apply."""

    __tablename__ = "registration_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("info_sessions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, 20))
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")
    hint_nl: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list | None] = mapped_column(JSON)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    condition_key: Mapped[str | None] = mapped_column(String(40))
    condition_value: Mapped[str | None] = mapped_column(String(80))

    def label(self, locale: str = "nl") -> str:
        return (self.label_en if locale == "en" and self.label_en else self.label_nl) or ""

    def choice_label(self, value: str, locale: str = "nl") -> str:
        for choice in self.choices or []:
            if choice.get("value") == value:
                return (
                    choice.get("en") if locale == "en" and choice.get("en") else choice.get("nl")
                ) or value
        return value

    def __repr__(self) -> str:
        return f"<RegistrationQuestion {self.key} {self.kind}>"
