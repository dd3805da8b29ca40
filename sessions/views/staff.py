"""The experts' planning pages under /beheer (blueprint `sessions_admin`): their sessions, a
session's page with the panels packages further along add, planning and editing a session or a
series, and (admins) the topics and venues."""

from dataclasses import replace
from datetime import time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import hooks
from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import apply_domain_error, form_status
from app.labels import options
from app.timezone import from_local, local
from sessions import services
from sessions.forms import CancelForm, SeriesForm, SessionForm, TopicForm, VenueForm
from sessions.ics import presenter_feed_url
from sessions.models import InfoSession, SessionFormat

admin_bp = Blueprint("sessions_admin", __name__, url_prefix="/beheer")

PLANNERS = (Role.EXPERT, Role.ADMIN)
# The services speak of the session's fields; the form splits times into a day and clock times.
SESSION_FIELDS = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "registration_opens_at": "registration_opens_on",
    "registration_closes_at": "registration_closes_on",
    "first_day": "day",
}


@hooks.hook
def admin_session_panels(session: InfoSession) -> dict | None:
    """A panel of a package further along on the staff session page (registrations, deck,
    handouts, follow-up mailings): {"template": …, and what it shows}, or None."""


# --------------------------------------------------------------------------- staff: sessions


@admin_bp.get("/sessies")
@role_required(*PLANNERS)
def index():
    scope = request.args.get("scope", "mine")
    when = request.args.get("when", "upcoming")
    presenter = current_user if scope == "mine" else None
    sessions = services.list_staff_sessions(presenter=presenter, upcoming=when != "past")
    return render_template(
        "sessions/admin_index.html",
        sessions=sessions,
        scope=scope,
        when=when,
        presenter_feed=presenter_feed_url(current_user),
    )


def _fill_choices(form: SessionForm) -> None:
    form.topic_id.choices = options([(t.id, t.title) for t in services.list_topics()])
    form.venue_id.choices = options(
        [(0, _("— geen locatie —"))]
        + [(v.id, f"{v.name} ({v.municipality}, {v.capacity} pl.)") for v in services.list_venues()]
    )
    form.presenter_ids.choices = options([(u.id, u.name) for u in services.list_presenters()])


def _data_from_form(form: SessionForm) -> services.SessionData:
    starts_at = from_local(form.day.data, form.start_time.data)
    ends_at = from_local(form.day.data, form.end_time.data)
    opens = form.registration_opens_on.data
    closes = form.registration_closes_on.data
    return services.SessionData(
        topic_id=form.topic_id.data,
        format=SessionFormat(form.format.data),
        title=(form.title.data or "").strip() or None,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=form.capacity.data,
        online_capacity=form.online_capacity.data,
        presenter_ids=list(form.presenter_ids.data or []),
        venue_id=form.venue_id.data or None,
        meeting_url=(form.meeting_url.data or "").strip() or None,
        language=form.language.data,
        registration_opens_at=from_local(opens, time.min) if opens else None,
        registration_closes_at=min(from_local(closes + timedelta(days=1), time.min), starts_at)
        if closes
        else None,
        notes=form.notes.data or "",
        allow_holiday=form.allow_holiday.data,
    )


def _form_from_session(form: SessionForm, session) -> None:
    start, end = local(session.starts_at), local(session.ends_at)
    form.topic_id.data, form.title.data, form.format.data = (
        session.topic_id,
        session.title,
        session.format.value,
    )
    form.venue_id.data, form.meeting_url.data = session.venue_id or 0, session.meeting_url
    form.day.data, form.start_time.data, form.end_time.data = start.date(), start.time(), end.time()
    form.online_capacity.data = session.online_capacity
    form.capacity.data, form.language.data, form.notes.data = (
        session.capacity,
        session.language,
        session.notes,
    )
    form.presenter_ids.data = [p.id for p in session.presenters]
    if session.registration_opens_at:
        form.registration_opens_on.data = local(session.registration_opens_at).date()
    if session.registration_closes_at:
        form.registration_closes_on.data = local(session.registration_closes_at - timedelta(seconds=1)).date()


def _new_session_defaults(form: SessionForm) -> None:
    """A new session starts as the typical one: the expert presents, a weekday evening, 30 seats."""
    form.presenter_ids.data = [current_user.id]
    form.start_time.data = services.EVENING_DEFAULT_START
    form.end_time.data = services.EVENING_DEFAULT_END
    form.capacity.data = 30


@admin_bp.route("/sessies/nieuw", methods=["GET", "POST"])
@role_required(*PLANNERS)
def create():
    form = SessionForm()
    _fill_choices(form)
    holiday = False
    if request.method == "GET":
        _new_session_defaults(form)
    if form.validate_on_submit():
        try:
            session = services.create_session(_data_from_form(form), current_user)
        except DomainError as error:
            holiday = isinstance(error, services.HolidayWarning)
            apply_domain_error(form, error, SESSION_FIELDS)
        else:
            flash(_("Sessie opgeslagen als ontwerp. Kijk ze na en publiceer ze."), "success")
            return redirect(url_for("sessions_admin.detail", session_id=session.id))
    status = form_status(form)
    return render_template("sessions/form.html", form=form, session=None, holiday=holiday), status


@admin_bp.get("/sessies/<int:session_id>", endpoint="detail")
@role_required(*PLANNERS)
def staff_detail(session_id: int):
    session = _get_or_404(session_id)
    return render_template(
        "sessions/admin_detail.html",
        s=session,
        agenda=services.agenda_times(session),
        cancel_form=CancelForm(),
        extra_panels=admin_session_panels.send(session),
    )


def _get_or_404(session_id: int):
    try:
        return services.get_session(session_id)
    except NotFound:
        abort(404)


@admin_bp.route("/sessies/<int:session_id>/bewerken", methods=["GET", "POST"])
@role_required(*PLANNERS)
def edit(session_id: int):
    session = _get_or_404(session_id)
    form = SessionForm()
    _fill_choices(form)
    holiday = False
    if request.method == "GET":
        _form_from_session(form, session)
    if form.validate_on_submit():
        try:
            services.update_session(session, _data_from_form(form))
        except DomainError as error:
            holiday = isinstance(error, services.HolidayWarning)
            apply_domain_error(form, error, SESSION_FIELDS)
        else:
            flash(_("Wijzigingen opgeslagen."), "success")
            return redirect(url_for("sessions_admin.detail", session_id=session.id))
    status = form_status(form)
    return render_template("sessions/form.html", form=form, session=session, holiday=holiday), status


def _action(session_id: int, action, success: str):
    session = _get_or_404(session_id)
    try:
        result = action(session)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("sessions_admin.detail", session_id=session_id))
    flash(success, "success")
    return redirect(url_for("sessions_admin.detail", session_id=getattr(result, "id", session_id)))


@admin_bp.post("/sessies/<int:session_id>/publiceren")
@role_required(*PLANNERS)
def publish(session_id: int):
    return _action(session_id, services.publish_session, _("De sessie staat nu in de publieke kalender."))


@admin_bp.post("/sessies/<int:session_id>/afronden")
@role_required(*PLANNERS)
def complete(session_id: int):
    return _action(session_id, services.complete_session, _("De sessie is afgerond."))


@admin_bp.post("/sessies/<int:session_id>/dupliceren")
@role_required(*PLANNERS)
def duplicate(session_id: int):
    session = _get_or_404(session_id)
    try:
        copy = services.duplicate_session(session, current_user)
    except DomainError as error:
        flash(_("Kopiëren lukte niet: %(reason)s", reason=str(error)), "error")
        return redirect(url_for("sessions_admin.detail", session_id=session_id))
    flash(_("Kopie gemaakt, een week later. Pas datum en uur aan waar nodig."), "success")
    return redirect(url_for("sessions_admin.edit", session_id=copy.id))


@admin_bp.route("/sessies/<int:session_id>/annuleren", methods=["GET", "POST"])
@role_required(*PLANNERS)
def cancel(session_id: int):
    session = _get_or_404(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(session, form.reason.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De sessie is geannuleerd."), "success")
            return redirect(url_for("sessions_admin.detail", session_id=session.id))
    status = form_status(form)
    return render_template("sessions/cancel.html", s=session, form=form), status


@admin_bp.route("/sessies/reeks", methods=["GET", "POST"])
@role_required(*PLANNERS)
def series():
    form = SeriesForm()
    _fill_choices(form)
    planned = None
    if request.method == "GET":
        _new_session_defaults(form)
    if form.validate_on_submit():
        template = _data_from_form(form)
        rule = services.SeriesRule(
            pattern=form.pattern.data,
            weekday=form.weekday.data,
            at=form.start_time.data,
            first_day=form.day.data,
            last_day=form.last_day.data,
            interval=form.interval.data or 1,
            nth=form.nth.data,
        )
        try:
            if form.confirmed.data and request.form.get("action") == "create":
                created = services.create_series(replace(template, allow_holiday=True), rule, current_user)
                if form.publish.data:
                    services.publish_series(created[0].series_id)
                flash(
                    ngettext("%(num)s sessie aangemaakt.", "%(num)s sessies aangemaakt.", len(created))
                    if not form.publish.data
                    else ngettext(
                        "%(num)s sessie aangemaakt en gepubliceerd.",
                        "%(num)s sessies aangemaakt en gepubliceerd.",
                        len(created),
                    ),
                    "success",
                )
                return redirect(url_for("sessions_admin.index", scope="mine"))
            planned = services.plan_series(replace(template, allow_holiday=True), rule)
        except DomainError as error:
            apply_domain_error(form, error, SESSION_FIELDS)
    status = form_status(form)
    return render_template("sessions/series.html", form=form, planned=planned), status


# --------------------------------------------------------------------------- staff: topics and venues


def _parse_agenda(text: str) -> list[tuple[str, int]]:
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        minutes, _sep, title = line.partition(" ")
        if not minutes.isdigit() or not title.strip():
            raise DomainError(
                _("Schrijf elk agendapunt als: minuten, spatie, titel (bijv. 15 Het starterstraject)."),
                field="agenda",
            )
        blocks.append((title.strip(), int(minutes)))
    return blocks


@admin_bp.route("/themas", methods=["GET", "POST"])
@admin_bp.route("/themas/<int:topic_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def topics(topic_id: int | None = None):
    topic = None
    if topic_id is not None:
        try:
            topic = services.get_topic(topic_id)
        except NotFound:
            abort(404)
    form = TopicForm(obj=topic) if request.method == "GET" and topic else TopicForm()
    if request.method == "GET" and topic:
        form.agenda.data = "\n".join(f"{b.minutes} {b.title}" for b in topic.agenda_blocks)
    if form.validate_on_submit():
        try:
            saved = services.save_topic(
                topic,
                title=form.title.data,
                slug=form.slug.data,
                description=form.description.data or "",
                audience=form.audience.data or "",
                default_duration_minutes=form.default_duration_minutes.data,
                agenda=_parse_agenda(form.agenda.data),
                active=form.active.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Thema %(title)s opgeslagen.", title=saved.title), "success")
            return redirect(url_for("sessions_admin.topics"))
    status = form_status(form)
    return render_template(
        "sessions/topics.html", topics=services.list_topics(active_only=False), form=form, topic=topic
    ), status


@admin_bp.route("/locaties", methods=["GET", "POST"])
@admin_bp.route("/locaties/<int:venue_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def venues(venue_id: int | None = None):
    venue = None
    if venue_id is not None:
        try:
            venue = services.get_venue(venue_id)
        except NotFound:
            abort(404)
    form = VenueForm(obj=venue) if request.method == "GET" and venue else VenueForm()
    if form.validate_on_submit():
        try:
            saved = services.save_venue(
                venue,
                name=form.name.data,
                street=form.street.data,
                postcode=form.postcode.data,
                capacity=form.capacity.data,
                step_free=form.step_free.data,
                notes=form.notes.data or "",
                active=form.active.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Locatie %(name)s opgeslagen.", name=saved.name), "success")
            return redirect(url_for("sessions_admin.venues"))
    status = form_status(form)
    return render_template(
        "sessions/venues.html", venues=services.list_venues(active_only=False), form=form, venue=venue
    ), status
