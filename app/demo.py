"""Demo staff accounts: two experts, a staff member and an admin."""

from app.auth.models import Role
from app.auth.services import create_user

DEMO_PASSWORD = "startklaar-demo"  # noqa: S105 - printed for the demo, never used in production

DEMO_USERS = [
    ("admin@demo.startklaar.be", Role.ADMIN, "An Beheer"),
    ("els.peeters@demo.startklaar.be", Role.EXPERT, "Els Peeters"),
    ("youssef.elamrani@demo.startklaar.be", Role.EXPERT, "Youssef El Amrani"),
    ("sofie.dewilde@demo.startklaar.be", Role.STAFF, "Sofie De Wilde"),
]


def load(context: dict) -> None:
    context["password"] = DEMO_PASSWORD
    context["users"] = [create_user(email, role, name, DEMO_PASSWORD) for email, role, name in DEMO_USERS]


def print_logins() -> None:
    print(f"Startklaar runs at http://127.0.0.1:5000 — demo logins (password: {DEMO_PASSWORD}):")
    for email, role, name in DEMO_USERS:
        print(f"  {role.value:<7} {email:<36} {name}")
