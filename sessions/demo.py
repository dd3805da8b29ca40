"""Demo topics, venues and about 40 sessions over the coming six months."""

import random
from datetime import date, time, timedelta

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError
from app.geo import holiday_name
from app.timezone import from_local, local
from sessions import services
from sessions.models import SessionFormat

TYPICAL_EVENING = [
    ("Welkom en wie is er", 10),
    ("Het landschap van de kinderopvang en de soorten opvang", 15),
    ("Het starterstraject en de tijdlijn", 20),
    ("De locatie: infrastructuur en brandveiligheid", 15),
    ("Mensen: kwalificaties, strafregister, medisch attest, levensreddend handelen", 15),
    ("Pauze", 10),
    ("Geld: ondernemingsplan en subsidietrappen", 20),
    ("Jullie vragen en de volgende stappen", 15),
]

TOPICS = [
    (
        "Kinderopvang starten: van idee tot vergunning",
        "kinderopvang-starten",
        TYPICAL_EVENING,
        "Alles wat je moet weten voor je een kinderopvang opstart: de soorten opvang, het verplichte "
        "starterstraject, de vergunning, je locatie, je team en je financiën.",
        "Iedereen die overweegt een gezinsopvang of groepsopvang te starten.",
    ),
    (
        "Het starterstraject uitgelegd",
        "starterstraject",
        [
            ("Welkom", 10),
            ("Waarom een starterstraject", 15),
            ("Het kennismakingsgesprek", 25),
            ("Het begeleidingstraject en vrijstellingen", 20),
            ("Vragen en volgende stappen", 20),
        ],
        "Sinds 1 juli 2024 verplicht voor wie een vergunning aanvraagt: wat houdt het in?",
        "Kandidaat-organisatoren die binnenkort een vergunning willen aanvragen.",
    ),
    (
        "Gezinsopvang of groepsopvang?",
        "gezinsopvang-of-groepsopvang",
        [
            ("Welkom", 10),
            ("Gezinsopvang: tot 8 kinderen", 25),
            ("Groepsopvang: vanaf 9 kinderen", 25),
            ("Wat past bij jou?", 20),
            ("Vragen", 10),
        ],
        "De verschillen in regels, ruimte, personeel en subsidies.",
        "Wie twijfelt tussen beide vormen.",
    ),
    (
        "Zelfstandige onthaalouder worden",
        "zelfstandige-onthaalouder",
        [
            ("Welkom", 10),
            ("Statuten: zelfstandige, sui generis, werknemer", 30),
            ("Je woning als opvanglocatie", 25),
            ("Geld en subsidies", 25),
            ("Vragen", 15),
        ],
        "Opvang in je eigen woning: statuut, vergunning en praktische zaken.",
        "Wie gezinsopvang wil starten als zelfstandige.",
    ),
    (
        "Opportuniteitsadvies en samenwerken met je gemeente",
        "opportuniteitsadvies",
        [
            ("Welkom", 10),
            ("Wat is het opportuniteitsadvies", 20),
            ("De aanvraag bij je gemeente", 25),
            ("Opmerkingen verwerken", 20),
            ("Vragen", 15),
        ],
        "Voor groepsopvang: het advies van je gemeente, zonder welk je aanvraag niet ontvankelijk is.",
        "Organisatoren van groepsopvang.",
    ),
    (
        "Je locatie: infrastructuur en brandveiligheid",
        "locatie-en-brandveiligheid",
        [
            ("Welkom", 10),
            ("Infrastructuurvereisten", 30),
            ("Brandveiligheidsattest A of B", 30),
            ("Grondplan en stedenbouw", 25),
            ("Vragen", 15),
        ],
        "Waaraan je ruimte moet voldoen en hoe je aan een brandveiligheidsattest komt.",
        "Wie een locatie zoekt of verbouwt.",
    ),
    (
        "Subsidies: basissubsidie, inkomenstarief, plussubsidie",
        "subsidies",
        [("Welkom", 10), ("Trap 0 tot trap 3", 35), ("Uitbreidingsrondes en oproepen", 25), ("Vragen", 20)],
        "De subsidietrappen en hoe je ze krijgt: subsidies zijn niet automatisch.",
        "Organisatoren die met subsidies willen werken.",
    ),
    (
        "Ondernemingsplan en financiën",
        "ondernemingsplan",
        [
            ("Welkom", 10),
            ("Je ondernemingsplan opbouwen", 35),
            ("Financieel plan en tarieven", 35),
            ("Vragen", 20),
        ],
        "Een haalbaar plan maken: kosten, inkomsten, tarieven en subsidies.",
        "Starters met een concreet project.",
    ),
]

# Real municipalities with their postcodes, in every Flemish province and Brussels.
VENUES = [
    ("Huis van het Kind Gent", "Sint-Pietersnieuwstraat 33", "9000", 60, True),
    ("Provinciehuis Antwerpen", "Koningin Elisabethlei 22", "2018", 80, True),
    ("Cultuurcentrum Mechelen", "Minderbroedersgang 5", "2800", 40, True),
    ("Ontmoetingscentrum Hasselt", "Kolonel Dusartplein 1", "3500", 45, True),
    ("Vergaderzaal Genk", "Stadsplein 1", "3600", 30, False),
    ("Provinciehuis Leuven", "Provincieplein 1", "3010", 70, True),
    ("Dienstencentrum Brugge", "Burg 12", "8000", 50, True),
    ("Trefpunt Kortrijk", "Grote Markt 54", "8500", 35, False),
    ("Huis van het Nederlands Brussel", "Philippe de Champagnestraat 23", "1000", 40, True),
    ("Zaal De Werf Aalst", "Molenstraat 51", "9300", 30, True),
]


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def load(context: dict) -> None:
    rng = random.Random(2027)  # the same demo every time
    topics = [
        services.save_topic(None, title=t, slug=slug, agenda=agenda, description=d, audience=a,
                            default_duration_minutes=sum(m for _, m in agenda))
        for t, slug, agenda, d, a in TOPICS
    ]  # fmt: skip
    venues = [
        services.save_venue(None, name=n, street=s, postcode=pc, capacity=c, step_free=sf,
                            notes="Parking in de buurt; bereikbaar met het openbaar vervoer.")
        for n, s, pc, c, sf in VENUES
    ]  # fmt: skip
    experts = [u for u in context["users"] if u.role == Role.EXPERT]
    context.update(topics=topics, venues=venues, sessions=[])
    now = utcnow()
    today = local(now).date()
    slots = []
    for week in range(1, 26):  # about six months
        monday = _next_weekday(today, 0) + timedelta(weeks=week - 1)
        slots.append((monday + timedelta(days=rng.choice([0, 1, 3])), time(19, 30), "evening"))
        if week % 3 == 0:
            slots.append((monday + timedelta(days=5), time(9, 30), "saturday"))
        if week % 4 == 1:
            slots.append((monday + timedelta(days=2), time(20, 0), "online"))
    for index, (day, at, kind) in enumerate(slots):
        if holiday_name(day):
            continue
        topic = topics[0] if index % 3 == 0 else rng.choice(topics)
        fmt = SessionFormat.ONLINE if kind == "online" else SessionFormat.ON_SITE
        venue = None if fmt == SessionFormat.ONLINE else venues[index % len(venues)]
        if venue and index % 7 == 3:
            fmt = SessionFormat.HYBRID
        starts_at = from_local(day, at)
        if starts_at <= now:
            # This week's first slot can be today: loaded on a Monday after 19:30, that session
            # has begun and could not be published. Left out after the topic is drawn, so the
            # rest of the plan stays the same.
            continue
        data = services.SessionData(
            topic_id=topic.id,
            format=fmt,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=topic.default_duration_minutes),
            capacity=min(venue.capacity, 30) if venue else 80,
            presenter_ids=[experts[index % len(experts)].id],
            venue_id=venue.id if venue else None,
            meeting_url=f"https://meet.startklaar.be/infosessie-{index + 1}" if fmt.needs_link else None,
        )
        try:
            session = services.create_session(data)
        except DomainError:
            continue  # a clash in the generated plan: leave that slot out
        # A few drafts remain for the expert to review; the rest is public.
        if index % 9 != 8:
            services.publish_session(session)
        context["sessions"].append(session)
