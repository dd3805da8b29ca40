"""Real-browser journeys: the test app served on a free port and driven by Debian's Chromium.

Playwright's own browser downloads are not used (`playwright install` needs the network): the
browser is the system Chromium, installed by `scripts/install.sh --with-browser`. A missing
Chromium fails every browser test; it never skips them, so CI cannot go green without them.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.support.browser import DEFAULT_TIMEOUT_MS, NARROW, PHONE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_FIXTURES = ("page", "phone_page", "nojs_page")
BROWSER_DIR = Path(__file__).resolve().parent

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test, so `-m "not browser"` leaves them all out."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep what the browser showed: a screenshot and the HTML in test-artifacts/."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        saved = _save_artifacts(item)
        if saved:
            report.sections.append(("browser artifacts", "\n".join(saved)))
    return report


def _save_artifacts(item) -> list[str]:
    pages = [(name, item.funcargs[name]) for name in PAGE_FIXTURES if name in getattr(item, "funcargs", {})]
    if not pages:
        return []
    folder = item.config.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:120]
    saved = []
    for name, page in pages:
        base = folder / f"{stem}-{name}"
        try:
            page.screenshot(path=str(base.with_suffix(".png")), full_page=True)
            base.with_suffix(".html").write_text(page.content(), encoding="utf-8")
            saved.append(f"{name} at {page.url}: {base}.png and .html")
        except Exception as error:  # a crashed or closed page must not hide the real failure
            saved.append(f"{name}: no screenshot ({error})")
    return saved


# --------------------------------------------------------------------------- the app, served


@pytest.fixture
def live_server(app):
    """The test app (same database as the `app` fixture) on a free local port; yields its base URL.

    CSRF is switched on here, unlike in the other tests, so the real forms are exercised.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    app.config["WTF_CSRF_ENABLED"] = True
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; every test gets its own context (cookies, storage)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with: scripts/install.sh --with-browser",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _open_page(browser, base_url: str, **options):
    context = browser.new_context(
        base_url=base_url, locale="nl-BE", timezone_id="Europe/Brussels", accept_downloads=True, **options
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page in a fresh browser context; relative URLs go to the live server."""
    context, page = _open_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390×844, touch) in its own fresh context: a visitor, not logged in."""
    context, page = _open_page(browser, live_server, **PHONE)
    yield page
    context.close()


@pytest.fixture
def narrow_page(browser, live_server):
    """A 360-px phone (the narrowest the issues name) in its own fresh context."""
    context, page = _open_page(browser, live_server, **NARROW)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    """A phone-sized page with JavaScript switched off: every page must work without it."""
    context, page = _open_page(browser, live_server, java_script_enabled=False, **PHONE)
    yield page
    context.close()
