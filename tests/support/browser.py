"""Helpers for the real-browser journeys: a phone's screen, signing in as staff."""

from tests.support import PASSWORD

DEFAULT_TIMEOUT_MS = 15_000  # how long a journey waits for what a person would wait for

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


def log_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres", exact=True).fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)
