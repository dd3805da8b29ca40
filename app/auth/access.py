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


PUBLIC = "public"


def access_matrix(app) -> list[tuple[str, str, str]]:
    """(methods, URL rule, who may use it) for every route, as SECURITY.md lists it.

    "who" is the roles of `role_required`, or "public". A view may narrow further inside (a
    presenter's own session, a signed link): SECURITY.md says where.
    """
    rows = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "allowed_roles", None)
        who = ", ".join(role.value for role in Role if role in roles) if roles else PUBLIC
        methods = ",".join(sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS")))
        rows.append((methods, rule.rule, who))
    return sorted(rows, key=lambda row: (row[1], row[0]))
