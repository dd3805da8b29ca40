"""The staff home page and the health check."""

from typing import Protocol

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from app import hooks
from app.auth.access import role_required
from app.auth.models import User
from app.extensions import db
from app.outbox.services import smtp_settings

bp = Blueprint("home", __name__)


class Widget(Protocol):
    """A box on the staff home page: a title and the template that shows it (the template reads
    the widget's other attributes)."""

    title: str
    template: str


@hooks.hook
def dashboard_widgets(user: User) -> Widget | None:
    """What `user` should see on their home page from this package, or None for nothing."""


@bp.get("/")
def index():
    return redirect(url_for("sessions.catalogue"))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/beheer/")
@role_required()
def dashboard():
    widgets = [widget for widget in dashboard_widgets.send(current_user) if widget]
    # Without a mail server nothing leaves the outbox: every staff member should know it.
    return render_template(
        "home/dashboard.html", widgets=widgets, mail_configured=smtp_settings() is not None
    )


def init_app(app) -> None:
    app.register_blueprint(bp)
