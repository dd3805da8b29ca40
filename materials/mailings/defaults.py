"""The ready-made follow-up mails, one per segment, in Dutch: the expert starts from one and edits.

Placeholders between braces are filled in per recipient (see rendering.PLACEHOLDERS).
"""

from flask_babel import lazy_gettext as _l

from materials.mailings.models import Segment

TEMPLATES = {
    Segment.ATTENDEES: (
        _l("Bedankt voor je komst: {sessie}"),
        _l(
            "Dag {voornaam},\n\n"
            "Bedankt dat je er was op de infosessie “{sessie}” van {datum}. We hopen dat je met een "
            "duidelijker beeld naar huis ging.\n\n"
            "De presentatie en het materiaal vind je hier:\n{link_materiaal}\n\n"
            "Je attest van deelname (PDF) download je hier:\n{link_attest}\n\n"
            "Hoe vond je de sessie? Klik op een score; daarna kun je nog meer vertellen "
            "(het duurt twee minuten):\n{evaluatie}\n\n"
            "De volgende stap: een kennismakingsgesprek met een van onze experten. Daarin bekijken we "
            "samen jouw plannen en wat je nog nodig hebt voor je vergunningsaanvraag. Vraag het aan "
            "met één klik:\n{link_kennismaking}\n\n"
            "Ken je iemand die ook wil starten? Dit zijn de volgende infosessies:\n{volgende_sessies}\n\n"
            "Tot binnenkort,\nHet startersteam"
        ),
    ),
    Segment.NO_SHOWS: (
        _l("We hebben je gemist: kies een nieuwe datum voor {sessie}"),
        _l(
            "Dag {voornaam},\n\n"
            "Je was ingeschreven voor de infosessie “{sessie}” van {datum}, maar we hebben je niet "
            "gezien. Geen probleem: je kunt je met één klik inschrijven voor een volgende datum. We "
            "gebruiken de gegevens van je vorige inschrijving.\n\n"
            "{volgende_sessies}\n\n"
            "Tot binnenkort,\nHet startersteam"
        ),
    ),
    Segment.WAITLISTED: (
        _l("Nieuwe data voor {sessie}"),
        _l(
            "Dag {voornaam},\n\n"
            "Je stond op de wachtlijst voor de infosessie “{sessie}” van {datum}, maar er kwam helaas "
            "geen plaats vrij. Er zijn nieuwe data gepland; schrijf je met één klik in:\n\n"
            "{volgende_sessies}\n\n"
            "Tot binnenkort,\nHet startersteam"
        ),
    ),
    Segment.CANCELLED: (
        _l("Toch nog een infosessie over {sessie}?"),
        _l(
            "Dag {voornaam},\n\n"
            "Je had je ingeschreven voor de infosessie “{sessie}” van {datum}, maar moest annuleren. "
            "Wil je alsnog komen? Dit zijn de volgende data; inschrijven kan met één klik:\n\n"
            "{volgende_sessies}\n\n"
            "Tot binnenkort,\nHet startersteam"
        ),
    ),
}
