"""The plain values a deck is built from: DeckData and its parts, and Box, a shape's place."""

from __future__ import annotations

from dataclasses import dataclass, field

from materials.decks.content import Chart, QuestionGroup


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @classmethod
    def of(cls, shape) -> Box:
        return cls(shape.left, shape.top, shape.width, shape.height)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class AgendaEntry:
    starts: str  # "19:30"
    ends: str
    title: str
    minutes: int


@dataclass
class ContentSlide:
    title: str
    bullets: list[str]
    notes: str
    block: str  # the agenda block's title, for the notes
    when: str  # "19:40–20:00"
    divider: bool = False  # an agenda block without slides of its own: its title and time


@dataclass
class NextSession:
    when: str  # "zaterdag 13 februari 2027, 09:30"
    where: str  # "Trefpunt Kortrijk, Kortrijk" or "online"


@dataclass
class DeckData:
    title: str
    date_line: str  # "dinsdag 12 januari 2027, 19:30"
    footer_date: str  # "dinsdag 12 januari 2027"
    place: str
    presenters: list[str]
    agenda: list[AgendaEntry]
    registered: int
    charts: list[Chart] | None
    content: list[ContentSlide]
    questions: list[QuestionGroup]
    intake_url: str
    next_sessions: list[NextSession] = field(default_factory=list)
    evening: bool = False
    # The team's choice questions, answered at registration: charts beside the audience profile.
    answer_charts: list[Chart] = field(default_factory=list)
