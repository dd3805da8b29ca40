"""The demo's slide-block library: a slide for every agenda block of the demo topics, shared by
key, so a deck for any demo session is complete. Facts from the agency's domain notes."""

from sqlalchemy import select

from app.extensions import db
from materials.decks import services
from sessions.models import AgendaBlock

# block key: [(title, bullets, notes), …]
LIBRARY = {
    "welkom-en-wie-is-er": [(
        "Welkom op deze infosessie",
        "{thema}\n{sessie_datum}\n{locatie}\nMet {presentatoren}",
        "Heet iedereen welkom. Er zijn {inschrijvingen} bevestigde inschrijvingen voor {plaatsen} plaatsen.",
    )],
    "welkom": [(
        "Welkom",
        "{thema}\n{sessie_datum} in {locatie}\nMet {presentatoren}",
        "Stel jezelf voor, overloop het programma en zeg dat vragen op het einde aan bod komen.",
    )],
    "het-landschap-van-de-kinderopvang-en-de-soorten-opvang": [(
        "De soorten kinderopvang",
        "Gezinsopvang: hoogstens 8 kinderen tegelijk, je eigen jonge kinderen tellen mee\n"
        "Groepsopvang: vanaf 9 kinderen, meerdere kinderbegeleiders, een ruimte enkel voor opvang\n"
        "Buitenschoolse opvang en kleuteropvang: een eigen route met een kwaliteitslabel",
        "Vraag wie al weet welke vorm hij of zij wil. Verwijs naar de grafiek 'soort opvang'.",
    )],
    "het-starterstraject-en-de-tijdlijn": [(
        "Het starterstraject",
        "Verplicht sinds 1 juli 2024 voor een nieuwe locatie, een overname of een overstap\n"
        "Een kennismakingsgesprek over je beleidsvoerend vermogen\n"
        "Soms een begeleidingstraject; een vrijstelling is mogelijk",
        "Benadruk dat het starterstraject vóór de vergunningsaanvraag komt.",
    ), (
        "De tijdlijn naar je vergunning",
        "Groepsopvang: eerst het opportuniteitsadvies van je gemeente (antwoord binnen 30 dagen)\n"
        "Vergunning digitaal aanvragen, ten vroegste 6 maanden voor de start\n"
        "Je hebt een ondernemingsnummer en bent minstens 21 jaar\n"
        "Inspectie door Zorginspectie, daarna de beslissing",
        "Teken de tijdlijn terug vanaf de gewenste startdatum.",
    )],
    "de-locatie-infrastructuur-en-brandveiligheid": [(
        "Je locatie",
        "Verslag over de infrastructuur en een grondplan op schaal 1/50 of 1/100\n"
        "Groepsopvang: brandveiligheidsattest A of B van de burgemeester\n"
        "Gezinsopvang: rookmelders op elke verdieping en een risicoanalyse\n"
        "Groepsopvang: check de stedenbouwkundige bestemming",
        "Vraag wie al een locatie heeft. Raad aan om vroeg met de brandweer te praten.",
    )],
    "mensen-kwalificaties-strafregister-medisch-attest-levensreddend-handelen": [(
        "De mensen in je opvang",
        "Een kwalificatiebewijs voor kinderbegeleiders en verantwoordelijke\n"
        "Uittreksel uit het strafregister (model 2) en een medisch attest\n"
        "Een attest levensreddend handelen bij kinderen",
        "Zeg dat we het strafregister en het medisch attest controleren, niet bewaren.",
    )],
    "pauze": [(
        "Pauze",
        "We beginnen opnieuw over 10 minuten",
        "Zet de timer. Vraag mensen hun vragen op een briefje te schrijven.",
    )],
    "geld-ondernemingsplan-en-subsidietrappen": [(
        "Geld: je ondernemingsplan",
        "Een ondernemingsplan en een financieel plan (we vragen ernaar in het kennismakingsgesprek)\n"
        "Reken met een opstartperiode zonder subsidie",
        "Geef een voorbeeld van een opstartbegroting.",
    ), (
        "De subsidietrappen",
        "Trap 0: geen subsidie, vrije prijs\n"
        "Trap 1: basissubsidie (Nederlands als werktaal, 220 openingsdagen)\n"
        "Trap 2: inkomenstarief en voorrangsregels\n"
        "Subsidies komen er via oproepen en uitbreidingsrondes, niet automatisch",
        "Benadruk dat subsidies niet automatisch zijn.",
    )],
    "jullie-vragen-en-de-volgende-stappen": [(
        "Jullie vragen",
        "Vragen die vooraf binnenkwamen staan op de volgende dia's\n"
        "Daarna: hoe je een kennismakingsgesprek aanvraagt",
        "Geef het woord aan de zaal.",
    )],
    "waarom-een-starterstraject": [(
        "Waarom een starterstraject?",
        "Goed voorbereid starten: minder verrassingen bij de vergunning\n"
        "Verplicht voor een nieuwe locatie, een overname of een overstap tussen gezins- en groepsopvang\n"
        "Ook voor kandidaat-zelfstandige onthaalouders",
        "Vertel een voorbeeld van een starter die zonder voorbereiding vastliep.",
    )],
    "het-kennismakingsgesprek": [(
        "Het kennismakingsgesprek",
        "Een gesprek van een uur met een van onze experten\n"
        "We bekijken je beleidsvoerend vermogen: kun je je opvang leiden en een eigen beleid voeren?\n"
        "Breng je ondernemingsplan mee, ook als het nog niet af is",
        "Leg uit dat het gesprek geen examen is.",
    )],
    "het-begeleidingstraject-en-vrijstellingen": [(
        "Begeleiding en vrijstellingen",
        "Na het gesprek kan een begeleidingstraject volgen\n"
        "Het agentschap kan een vrijstelling geven voor het gesprek of de begeleiding",
        "Geef voorbeelden van wie een vrijstelling kreeg.",
    )],
    "vragen-en-volgende-stappen": [(
        "Vragen en volgende stappen",
        "Jullie vragen\nEen kennismakingsgesprek aanvragen",
        "Geef het woord aan de zaal.",
    )],
    "gezinsopvang-tot-8-kinderen": [(
        "Gezinsopvang: tot 8 kinderen",
        "Hoogstens 8 kinderen tegelijk, je eigen jonge kinderen tellen mee\n"
        "Vaak in je eigen woning\nRookmelders en een risicoanalyse",
        "Vraag wie in de eigen woning wil starten.",
    )],
    "groepsopvang-vanaf-9-kinderen": [(
        "Groepsopvang: vanaf 9 kinderen",
        "Meerdere kinderbegeleiders\nEen ruimte die alleen voor kinderopvang dient\n"
        "Opportuniteitsadvies en brandveiligheidsattest nodig",
        "Leg het verschil in verantwoordelijkheid uit.",
    )],
    "wat-past-bij-jou": [(
        "Wat past bij jou?",
        "Hoeveel kinderen wil je opvangen?\nWerk je alleen of met een team?\nWelke ruimte heb je?",
        "Laat de zaal in duo's de vragen overlopen.",
    )],
    "vragen": [(
        "Jullie vragen",
        "Vragen die vooraf binnenkwamen staan op de volgende dia's",
        "Geef het woord aan de zaal. Noteer vragen die je niet meteen kunt beantwoorden.",
    )],
    "statuten-zelfstandige-sui-generis-werknemer": [(
        "Je statuut als onthaalouder",
        "Zelfstandige\nOnthaalouder met sui-generisstatuut, via een dienst\n"
        "Onthaalouder met werknemersstatuut\nWerknemer van een organisator",
        "Vergelijk sociale bescherming en vrijheid per statuut.",
    )],
    "je-woning-als-opvanglocatie": [(
        "Je woning als opvanglocatie",
        "Grondplan en verslag over de infrastructuur\nRookmelder op elke verdieping en een risicoanalyse\n"
        "Huur je? Vraag toestemming aan de eigenaar",
        "Toon een voorbeeld van een grondplan.",
    )],
    "geld-en-subsidies": [(
        "Geld en subsidies",
        "Basissubsidie: Nederlands als werktaal, 220 openingsdagen per jaar\n"
        "Subsidies komen via oproepen, niet automatisch",
        "Verwijs naar de infosessie over subsidies.",
    )],
    "wat-is-het-opportuniteitsadvies": [(
        "Het opportuniteitsadvies",
        "Alleen voor groepsopvang\nAdvies van je gemeente bij een nieuwe opvang, een verhuis of "
        "een uitbreiding met 9 plaatsen of meer\nZonder advies is je vergunningsaanvraag niet ontvankelijk",
        "Benadruk dat dit vóór de vergunningsaanvraag moet.",
    )],
    "de-aanvraag-bij-je-gemeente": [(
        "De aanvraag bij je gemeente",
        "Beschrijf je project, je locatie en het aantal plaatsen\nDe gemeente antwoordt binnen 30 dagen",
        "Raad aan om de gemeente vooraf te contacteren.",
    )],
    "opmerkingen-verwerken": [(
        "Opmerkingen verwerken",
        "Pas je plan aan waar de gemeente bedenkingen heeft\nBewaar het advies bij je vergunningsaanvraag",
        "Geef een voorbeeld van een aangepast plan.",
    )],
    "infrastructuurvereisten": [(
        "Infrastructuur",
        "Verslag over de infrastructuur\nGrondplan op schaal 1/50 of 1/100\n"
        "Voldoende ruimte om te spelen en te slapen",
        "Toon een voorbeeldgrondplan.",
    )],
    "brandveiligheidsattest-a-of-b": [(
        "Brandveiligheidsattest A of B",
        "Aan te vragen bij de burgemeester\nDe brandweer komt kijken\nReken op enkele weken",
        "Raad aan om het attest vroeg aan te vragen.",
    )],
    "grondplan-en-stedenbouw": [(
        "Grondplan en stedenbouw",
        "Controleer de bestemming van het pand\nMisschien is een functiewijziging nodig",
        "Verwijs naar de dienst stedenbouw van de gemeente.",
    )],
    "trap-0-tot-trap-3": [(
        "De subsidietrappen",
        "Trap 0: geen subsidie, vrije prijs\nTrap 1: basissubsidie\n"
        "Trap 2: subsidie inkomenstarief, minstens 20% voorrangskinderen\nTrap 3: plussubsidie",
        "Overloop per trap de voorwaarden.",
    )],
    "uitbreidingsrondes-en-oproepen": [(
        "Uitbreidingsrondes en oproepen",
        "Subsidies worden toegekend in oproepen\nVolg de aankondigingen van het agentschap",
        "Toon waar de oproepen gepubliceerd worden.",
    )],
    "je-ondernemingsplan-opbouwen": [(
        "Je ondernemingsplan",
        "Wie zijn je klanten, wat bied je aan, wat kost het?\nEen realistische bezettingsgraad\n"
        "We vragen ernaar in het kennismakingsgesprek",
        "Deel het sjabloon voor een ondernemingsplan uit.",
    )],
    "financieel-plan-en-tarieven": [(
        "Financieel plan en tarieven",
        "Opstartkosten en werkingskosten\nVrije prijs of inkomenstarief\nReken met een buffer",
        "Reken samen een voorbeeld door.",
    )],
}  # fmt: skip


def load(context: dict) -> None:
    keys = set(db.session.scalars(select(AgendaBlock.key).distinct()))
    for key in sorted(keys):
        slides = LIBRARY.get(key) or [(key.replace("-", " ").capitalize(), "", "")]
        for title, bullets, notes in slides:
            services.save_block(None, services.BlockData(title, bullets, notes), key=key)
