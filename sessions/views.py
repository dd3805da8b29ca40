from flask import Blueprint

bp = Blueprint("sessions", __name__)
admin_bp = Blueprint("sessions_admin", __name__, url_prefix="/beheer")
