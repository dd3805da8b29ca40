"""The staff home page and the health check."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from app.auth.access import role_required
from app.extensions import db

bp = Blueprint("home", __name__)


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
    from flask import current_app

    widgets = [w(current_user) for w in current_app.extensions.get("dashboard_widgets", [])]
    return render_template("home/dashboard.html", widgets=[w for w in widgets if w])


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.extensions.setdefault("dashboard_widgets", [])
