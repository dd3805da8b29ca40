"""Pages of the service as a whole: the favicon and icons, the accessibility statement, the
agency's logo (served to every page, managed by an admin), and the template helpers every page
uses (selects, hidden fields, month pickers, the header's logo)."""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import branding
from app.auth.access import role_required
from app.auth.models import Role
from app.forms import (
    LogoForm,
    apply_domain_error,
    form_status,
    hidden_fields,
    month_names,
    month_select_parts,
    render_select,
)

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class NavLink:
    label: str
    endpoint: str
    paths: tuple[str, ...]  # the URL prefixes that belong to this link ("" for none)


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str
    roles: frozenset[Role]
    links: tuple[NavLink, ...]  # one link: a plain tab; more: a menu

    @property
    def is_menu(self) -> bool:
        return len(self.links) > 1


_EVERYONE = frozenset(Role)
#: The staff navigation, grouped by task. A page belongs to the link with the longest matching
#: URL prefix, so /beheer/leads/regels is "Leadregels" (Beheer), not "Leads".
STAFF_NAV = (
    NavSection("overzicht", _l("Overzicht"), _EVERYONE, (NavLink(_l("Overzicht"), "home.dashboard", ()),)),
    NavSection(
        "sessies",
        _l("Sessies"),
        frozenset({Role.EXPERT, Role.ADMIN}),
        (
            NavLink(_l("Sessies"), "sessions_admin.index", ("/beheer/sessies",)),
            NavLink(_l("Vragen van deelnemers"), "faq.index", ("/beheer/vragen",)),
            NavLink(_l("Inschrijfvragen"), "registration_questions.index", ("/beheer/inschrijfvragen",)),
        ),
    ),
    NavSection(
        "leads",
        _l("Leads & dossiers"),
        _EVERYONE,
        (
            NavLink(_l("Leads"), "leads.index", ("/beheer/leads",)),
            NavLink(_l("Kennismakingsgesprekken"), "intake.slots", ("/beheer/kennismakingsgesprekken",)),
            NavLink(_l("Dossiers"), "dossiers.index", ("/beheer/dossiers",)),
        ),
    ),
    NavSection(
        "rapporten",
        _l("Rapporten"),
        _EVERYONE,
        (NavLink(_l("Rapporten"), "reports.index", ("/beheer/rapporten",)),),
    ),
    NavSection(
        "beheer",
        _l("Beheer"),
        frozenset({Role.ADMIN}),
        (
            NavLink(_l("Gebruikers"), "admin.users", ("/beheer/gebruikers",)),
            NavLink(_l("Locaties"), "sessions_admin.venues", ("/beheer/locaties",)),
            NavLink(_l("Thema’s"), "sessions_admin.topics", ("/beheer/themas",)),
            NavLink(_l("Evaluatieformulieren"), "evaluations_admin.index", ("/beheer/evaluaties",)),
            NavLink(_l("Presentatiesjabloon"), "decks.master", ("/beheer/presentatiesjabloon",)),
            NavLink(_l("Checklist"), "dossiers.catalogue", ("/beheer/dossiers/checklist",)),
            NavLink(_l("Leadregels"), "leads.rules_index", ("/beheer/leads/regels",)),
            NavLink(_l("Uitgaande mail"), "outbox.index", ("/beheer/outbox",)),
            NavLink(_l("Logo en huisstijl"), "pages.branding_admin", ("/beheer/huisstijl",)),
            NavLink(_l("Widget voor websites"), "widget.admin", ("/beheer/widget",)),
        ),
    ),
)


def staff_nav(path: str, role: Role | None) -> list[dict]:
    """The sections this role sees, each with its links and which one is the current page's.

    [{"key", "label", "menu": bool, "current": bool, "links": [{"label", "url", "current"}]}]
    """
    best, best_length = None, -1
    for section in STAFF_NAV:
        for link in section.links:
            for prefix in link.paths:
                if (path == prefix or path.startswith(prefix.rstrip("/") + "/")) and len(
                    prefix
                ) > best_length:
                    best, best_length = link, len(prefix)
    if best is None and path.rstrip("/") == "/beheer":
        best = STAFF_NAV[0].links[0]
    sections = []
    for section in STAFF_NAV:
        if role not in section.roles:
            continue
        links = [
            {"label": link.label, "url": url_for(link.endpoint), "current": link is best}
            for link in section.links
        ]
        sections.append(
            {
                "key": section.key,
                "label": section.label,
                "menu": section.is_menu,
                "current": any(link["current"] for link in links),
                "links": links,
            }
        )
    return sections


#: When the accessibility statement was drawn up and last reviewed (the EU model asks for both).
STATEMENT_DRAWN_UP = date(2026, 12, 6)
STATEMENT_REVIEWED = date(2026, 12, 6)
ICON_MAX_AGE = 7 * 24 * 3600
LOGO_MAX_AGE = 365 * 24 * 3600
# An SVG opened on its own must not run anything, even if a check missed something.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@cache
def _icon_bytes(folder: str, filename: str) -> bytes:
    return (Path(folder) / "icons" / filename).read_bytes()


def _icon(filename: str, mimetype: str):
    """A few kilobytes kept in memory: browsers ask for the favicon on every first visit."""
    response = current_app.response_class(_icon_bytes(current_app.static_folder, filename), mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = ICON_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/favicon.ico")
def favicon():
    return _icon("favicon.ico", "image/vnd.microsoft.icon")


@bp.get("/apple-touch-icon.png")
def apple_touch_icon():
    return _icon("apple-touch-icon.png", "image/png")


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template(
        "pages/accessibility.html",
        drawn_up=STATEMENT_DRAWN_UP,
        reviewed=STATEMENT_REVIEWED,
        contact=current_app.config["CONTACT_EMAIL"],
    )


@bp.get("/logo/<version>.<extension>")
def logo(version: str, extension: str):
    """The current logo; its URL carries its version, so it may be kept for a year."""
    current = branding.current_logo()
    if current is None or current.version != version or current.extension != extension:
        abort(404)
    response = current_app.response_class(current.data, mimetype=current.mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = LOGO_MAX_AGE
    response.cache_control.immutable = True
    if current.kind == "svg":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return response


@bp.route("/beheer/huisstijl", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def branding_admin():
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(branding.MAX_LOGO_BYTES + 1) if upload else b""
        try:
            branding.save_logo(data, getattr(upload, "filename", "") or "", form.alt.data, actor=current_user)
        except branding.LogoRefused as error:
            apply_domain_error(form, error)
        else:
            flash(_("Het logo staat nu op elke pagina."), "success")
            return redirect(url_for("pages.branding_admin"))
    elif request.method == "GET" and (current := branding.current_logo()):
        form.alt.data = current.alt
    return render_template(
        "pages/branding.html", form=form, logo=branding.current_logo(), max_kb=branding.MAX_LOGO_BYTES // 1024
    ), form_status(form)


@bp.post("/beheer/huisstijl/verwijderen")
@role_required(Role.ADMIN)
def branding_remove():
    from app.forms import ActionForm

    if ActionForm().validate_on_submit():
        branding.remove_logo(actor=current_user)
        flash(_("Het logo is verwijderd; het woordmerk Startklaar staat weer in de kop."), "success")
    return redirect(url_for("pages.branding_admin"))


def without(args: dict, *keys: str) -> dict:
    """A list's query arguments without some of them: the link that removes one filter chip."""
    return {key: value for key, value in args.items() if key not in keys and value not in (None, "")}


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        render_select=render_select,
        hidden_fields=hidden_fields,
        month_names=month_names,
        month_select_parts=month_select_parts,
        logo_header=branding.logo_header,
        staff_nav=staff_nav,
        this_year=lambda: date.today().year,
        without=without,
    )
