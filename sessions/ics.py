"""Calendar files: one session, the public feed, and a presenter's private feed (RFC 5545)."""

from flask import Blueprint

bp = Blueprint("ics", __name__)
