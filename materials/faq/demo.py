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
        "Eerst doorloop je het verplichte starterstraject. Je vergunning vraag je daarna digitaal "
        "aan, ten vroegste zes maanden voor je startdatum. Zorginspectie komt langs en geeft het "
        "agentschap advies; daarna volgt de beslissing.\n\n"
        "Voor groepsopvang heb je ook het opportuniteitsadvies van je gemeente nodig: zonder dat "
        "advies is je aanvraag niet ontvankelijk.",
    ),
    (
        "Hoeveel vierkante meter heb ik nodig per kind?",
        "Hoeveel ruimte heb ik nodig per kind?",
        "Dat hangt af van het type opvang en van de ruimtes die je gebruikt. Bij je dossier hoort "
        "een verslag over de infrastructuur met een grondplan op schaal 1/50 of 1/100; bespreek "
        "je plannen in het kennismakingsgesprek voor je gaat verbouwen.",
    ),
    (
        "Kan ik subsidies krijgen vanaf de eerste dag?",
        "Krijg ik subsidies vanaf de eerste dag?",
        "Niet vanzelf: subsidies worden toegekend in oproepen en uitbreidingsrondes. Voor de "
        "basissubsidie werk je in het Nederlands en ben je minstens 220 dagen per jaar open; de "
        "subsidie inkomenstarief en de plussubsidie vragen meer (een prijs volgens inkomen, "
        "voorrangskinderen, kwetsbare gezinnen).",
    ),
    (
        "Tellen mijn eigen kinderen mee voor de 8 plaatsen?",
        "Tellen mijn eigen kinderen mee voor het aantal plaatsen?",
        "Ja: in gezinsopvang vang je hoogstens 8 kinderen tegelijk op, en je eigen jonge kinderen "
        "die er dan zijn tellen mee.",
    ),
    (
        "Wat gebeurt er in het kennismakingsgesprek?",
        "Wat gebeurt er in een kennismakingsgesprek?",
        "Het kennismakingsgesprek hoort bij het verplichte starterstraject. Een expert overloopt met "
        "jou je plannen en bekijkt of je de opvang kunt leiden en er zelf beleid voor kunt maken "
        "(je beleidsvoerend vermogen). Soms volgt een begeleidingstraject.",
    ),
    (
        "Hoe vraag ik een opportuniteitsadvies aan bij de gemeente?",
        "Hoe vraag ik een opportuniteitsadvies aan?",
        "Bij je gemeente, voor groepsopvang: een nieuwe opvang, een verhuis of een uitbreiding met 9 "
        "plaatsen of meer. De gemeente antwoordt binnen 30 dagen. Zonder dat advies is je "
        "vergunningsaanvraag niet ontvankelijk.",
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
