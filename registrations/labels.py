"""Dutch words for the interest profile's codes, and the choices the forms offer."""

from flask_babel import lazy_gettext as _l

from app.labels import choices, label  # noqa: F401 - the one helper; callers write labels.choices(...)
from registrations.models import (
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    RegistrationStatus,
    Statute,
)

CHILDCARE_TYPES = {
    ChildcareType.GEZINSOPVANG: _l("Gezinsopvang (tot 8 kinderen)"),
    ChildcareType.GROEPSOPVANG: _l("Groepsopvang (vanaf 9 kinderen)"),
    ChildcareType.BSO: _l("Buitenschoolse opvang of kleuteropvang"),
    ChildcareType.ONBEKEND: _l("Nog niet zeker"),
}
LEGAL_FORMS = {
    LegalForm.EENMANSZAAK: _l("Eenmanszaak"),
    LegalForm.BV: _l("BV"),
    LegalForm.VOF: _l("VOF"),
    LegalForm.COMMV: _l("CommV"),
    LegalForm.MAATSCHAP: _l("Maatschap"),
    LegalForm.VZW: _l("vzw"),
    LegalForm.FEITELIJKE_VERENIGING: _l("Feitelijke vereniging"),
    LegalForm.NOG_NIET_BEPAALD: _l("Nog niet bepaald"),
}
STATUTES = {
    Statute.ZELFSTANDIGE: _l("Zelfstandige"),
    Statute.ONTHAALOUDER_SUI_GENERIS: _l("Onthaalouder met sui-generisstatuut (via een dienst)"),
    Statute.ONTHAALOUDER_WERKNEMER: _l("Onthaalouder met werknemersstatuut"),
    Statute.WERKNEMER_ORGANISATOR: _l("Werknemer van een organisator"),
    Statute.NOG_NIET_BEPAALD: _l("Nog niet bepaald"),
}
EXPERIENCE = {
    Experience.GEEN: _l("Geen"),
    Experience.MINDER_DAN_2_JAAR: _l("Minder dan 2 jaar"),
    Experience.TWEE_TOT_5_JAAR: _l("2 tot 5 jaar"),
    Experience.MEER_DAN_5_JAAR: _l("Meer dan 5 jaar"),
}
QUALIFICATIONS = {
    Qualification.JA: _l("Ja, ik heb een erkend kwalificatiebewijs"),
    Qualification.IN_OPLEIDING: _l("Ik ben in opleiding"),
    Qualification.NEE: _l("Nee, nog niet"),
}
LOCATIONS = {
    LocationStatus.GEVONDEN: _l("Ja, ik heb een locatie"),
    LocationStatus.OP_ZOEK: _l("Ik ben op zoek"),
    LocationStatus.NOG_NIET: _l("Nog niet begonnen met zoeken"),
}
STATUSES = {
    RegistrationStatus.PENDING: _l("wacht op bevestiging"),
    RegistrationStatus.CONFIRMED: _l("ingeschreven"),
    RegistrationStatus.WAITLISTED: _l("wachtlijst"),
    RegistrationStatus.CANCELLED: _l("geannuleerd"),
    RegistrationStatus.EXPIRED: _l("vervallen"),
    RegistrationStatus.ATTENDED: _l("aanwezig"),
    RegistrationStatus.NO_SHOW: _l("niet gekomen"),
}
