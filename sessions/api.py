"""The public JSON API for the agency's website: /api/v1/sessions."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
