"""The evaluation in the thank-you mail: the form's first question as a row of links, one per
score; each opens the form with that score filled in (the person still confirms)."""

from flask_babel import gettext as _

from materials.evaluations import links, services
from registrations.models import Registration


def rating_links(registration: Registration) -> str:
    if not services.may_evaluate(registration):
        return _("De evaluatie is er alleen voor wie aanwezig was.")
    question = services.first_rating(services.form_for(registration))
    lines = [question["label"]]
    for score in range(1, 6):
        word = {1: question.get("low"), 5: question.get("high")}.get(score)
        label = f"{score} ({word})" if word else str(score)
        lines.append(f"- {label}: {links.evaluation_url(registration, score)}")
    return "\n".join(lines)
