"""Demo answers: six of the registrants' demo questions answered (the others stay open, so the
experts' page shows both), each linked to everyone who asked it."""

from sqlalchemy import select

from app.extensions import db
from materials.faq import services
from registrations.models import Registration
from sessions.models import Topic

ANSWERS = [
    (
        "Hoe lang duurt het voor ik een vergunning krijg?",
        "Hoe lang duurt het om een vergunning voor kinderopvang te krijgen?",
        "Reken op vier tot zes maanden vanaf een volledige aanvraag. Opgroeien beslist binnen de "
        "wettelijke termijn; de zorginspectie komt langs voor je start.\n\n"
        "Begin tijdig met het starterstraject: een ontbrekend attest is de meest voorkomende vertraging.",
    ),
    (
        "Hoeveel vierkante meter heb ik nodig per kind?",
        "Hoeveel ruimte heb ik nodig per kind?",
        "Reken op minstens 3 m² speelruimte per kind en 1,5 m² slaapruimte per kind. Gangen, "
        "keuken en sanitair tellen niet mee.",
    ),
    (
        "Kan ik subsidies krijgen vanaf de eerste dag?",
        "Krijg ik subsidies vanaf de eerste dag?",
        "Een basissubsidie kan vanaf de start als je er een aanvraag voor deed en er budget is in je "
        "gemeente. Andere subsidies (inkomenstarief) vraag je apart aan.",
    ),
    (
        "Tellen mijn eigen kinderen mee voor de 8 plaatsen?",
        "Tellen mijn eigen kinderen mee voor het aantal plaatsen?",
        "Je eigen kinderen jonger dan drie jaar tellen mee zolang ze tijdens de opvang aanwezig zijn. "
        "Oudere kinderen tellen niet mee.",
    ),
    (
        "Wat gebeurt er in het kennismakingsgesprek?",
        "Wat gebeurt er in een kennismakingsgesprek?",
        "Een expert overloopt met jou je plannen, de vergunningsvoorwaarden en de volgende stappen. "
        "Het gesprek duurt ongeveer een uur en is gratis.",
    ),
    (
        "Hoe vraag ik een opportuniteitsadvies aan bij de gemeente?",
        "Hoe vraag ik een opportuniteitsadvies aan?",
        "Via het lokaal loket kinderopvang van je gemeente. Voeg een korte beschrijving van je plannen "
        "en de locatie toe; de gemeente antwoordt binnen twee maanden.",
    ),
]


def load(context: dict) -> None:
    topic = db.session.scalar(select(Topic).where(Topic.slug == "kinderopvang-starten")) or db.session.scalar(
        select(Topic).order_by(Topic.id)
    )
    if topic is None:
        return
    expert = next((u for u in context.get("users", []) if u.role.value == "expert"), None)
    for asked, question, answer in ANSWERS:
        ids = list(db.session.scalars(select(Registration.id).where(Registration.questions == asked)))
        services.save_entry(services.EntryData(topic.id, "", question, answer, ids), user=expert)
