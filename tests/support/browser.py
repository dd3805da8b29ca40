"""Helpers for the real-browser journeys: a phone's screen, signing in as staff."""

from tests.support import PASSWORD

DEFAULT_TIMEOUT_MS = 15_000  # how long a journey waits for what a person would wait for

# The narrowest phone the issues name (360 px): no page may scroll sideways on it.
NARROW = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

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


def fits(page) -> None:
    """The page is no wider than the screen: nothing to scroll sideways."""
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"
