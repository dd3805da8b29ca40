"""Who may see what: one decorator for every staff view."""

from functools import wraps

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.extensions import login_manager

STAFF_ROLES = (Role.ADMIN, Role.EXPERT, Role.STAFF)


def role_required(*roles: Role):
    """Anonymous visitors go to the login page; a logged-in user without one of `roles` gets 403."""
    allowed = set(roles or STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator
