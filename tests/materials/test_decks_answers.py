"""The team's choice questions as native charts in the session's deck, beside the audience profile."""

from __future__ import annotations

import io

from pptx import Presentation

from materials.decks import services
from registrations.questions import services as questions
from registrations.questions.models import QuestionKind as K
from registrations.questions.services import QuestionData


def _charts(prs) -> dict[str, dict[str, int]]:
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                values = [int(v) for v in plot.series[0].values]
                found[shape.chart.chart_title.text_frame.text] = dict(
                    zip(plot.categories, values, strict=True)
                )
    return found


def test_choice_answers_are_charted_after_the_audience_profile(make_session, make_registration):
    session = make_session()
    questions.save_question(
        QuestionData("dagen", K.MULTIPLE_CHOICE, "Welke dagen open?",
                     choices=questions.parse_choices("Maandag\nZaterdag")),
        topic_id=session.topic_id,
    )  # fmt: skip
    version_before = services.deck_version(session)
    questions.save_question(
        QuestionData("tuin", K.YES_NO, "Heb je een tuin?", position=2), topic_id=session.topic_id
    )
    assert services.deck_version(session) != version_before  # a new question: a new deck
    for n, (days, garden) in enumerate(
        [
            (["maandag"], "ja"),
            (["maandag", "zaterdag"], "nee"),
            (["zaterdag"], "ja"),
            (["maandag"], "ja"),
            ([], "ja"),
        ]
    ):
        make_registration(
            session, status="confirmed", answers={"dagen": days, "tuin": garden}, email=f"p{n}@x.be"
        )

    prs = Presentation(io.BytesIO(services.generate_deck(session)))
    names = [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]
    assert names.index("Wat ze ons vertelden") == names.index("Wie is er vanavond?") + 1 or (
        names.index("Wat ze ons vertelden") == names.index("Wie is er vandaag?") + 1
    )
    found = _charts(prs)
    assert found["Welke dagen open?"] == {"Maandag": 3, "Zaterdag": 2}
    assert found["Heb je een tuin?"] == {"Ja": 4, "Nee": 1}
