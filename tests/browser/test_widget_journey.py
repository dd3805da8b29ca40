"""The widget inside an <iframe> on a page served from ANOTHER origin on loopback (a tiny
http.server on its own port): shown when an admin listed that website, refused by the browser
when not; the optional script sizes the frame; the widget and its admin page pass axe, also
at 360 px and without JavaScript."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from sessions import services
from sessions.views.widget import snippet
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import log_in

HEADING = "Volgende infosessies kinderopvang starten"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def other_site(tmp_path):
    """Serve `tmp_path` on another port of 127.0.0.1: another origin than the app. Yields a
    function that writes a page there and returns its URL, and the site's origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    origin = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="other-site", daemon=True)
    thread.start()

    def page_with(name: str, html: str) -> str:
        (tmp_path / name).write_text(html, encoding="utf-8")
        return f"{origin}/{name}"

    try:
        yield page_with, origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def host_page(snippet: str) -> str:
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Ondernemingsloket</title>'
        "</head><body><main><h1>Een kinderopvang starten</h1>" + snippet + "</main></body></html>"
    )


def widget_frame(page):
    page.wait_for_load_state("load")
    return next(f for f in page.frames if f is not page.main_frame)


def test_a_listed_website_shows_the_widget_and_an_unlisted_one_is_refused(
    app, page, live_server, other_site, make_session, make_user
):
    page_with, origin = other_site
    session = make_session(days=5, capacity=12)
    with app.test_request_context():
        html = host_page(snippet({}))  # exactly what the admin page offers to paste

    # Not listed: the browser refuses to show the widget inside the other website (its error
    # page stands in the frame), though the same address opens on its own.
    page.goto(page_with("refused.html", html))
    frame = widget_frame(page)
    assert frame.url.startswith("chrome-error://")
    assert frame.get_by_text(HEADING).count() == 0

    # Listed: the same page now shows it, sized to fit by the optional script.
    services.add_origin(origin, actor=make_user(Role.ADMIN))
    page.goto(page_with("listed.html", html))
    inner = page.frame_locator("iframe")
    expect(inner.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(inner.get_by_text("nog 12 plaatsen")).to_be_visible()
    register = inner.get_by_role("link", name="Inschrijven")
    expect(register).to_have_attribute("target", "_blank")
    expect(register).to_have_attribute("rel", "noopener")
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    fitted = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
    assert 150 < fitted < 480

    # The register link opens the session's page (with its form) in a new tab.
    with page.context.expect_page() as opened:
        register.click()
    new_tab = opened.value
    new_tab.wait_for_load_state()
    assert new_tab.url.startswith(f"{live_server}/sessies/{session.id}-")
    expect(new_tab.locator("#inschrijven")).to_be_visible()


def test_the_widget_is_accessible_on_a_phone_and_without_javascript(
    phone_page, nojs_page, live_server, make_session
):
    make_session(days=5)
    for page in (phone_page, nojs_page):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto("/widget")
        expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
        expect(page.get_by_role("link", name="Inschrijven")).to_be_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360
    assert_no_axe_violations(phone_page, "the widget at 360 px")


def test_admin_page_shows_the_snippet_and_a_live_preview(page, make_user, make_session):
    make_session(days=5)
    admin = make_user(Role.ADMIN)
    log_in(page, admin)

    page.goto("/beheer/widget")
    page.get_by_label("Adres van de website").fill("https://www.agentschap.be/infosessies")
    page.get_by_role("button", name="Toevoegen").click()

    expect(page.get_by_text("https://www.agentschap.be mag de widget nu tonen.")).to_be_visible()
    snippet = page.get_by_label("Code voor de pagina van de website")
    expect(snippet).to_have_value(
        '<iframe src="' + page.url.split("/beheer")[0] + '/widget" title="Infosessies kinderopvang starten" '
        'width="100%" height="480" style="border:0;max-width:40rem" loading="lazy"></iframe>\n'
        '<script src="' + page.url.split("/beheer")[0] + '/static/js/widget-frame.js" async></script>'
    )
    preview = page.frame_locator("iframe.widget-preview")
    expect(preview.get_by_role("heading", name=HEADING)).to_be_visible()
    page.get_by_label("Vorm").select_option("online")
    page.get_by_role("button", name="Code maken").click()
    page.wait_for_url("**formaat=online**")
    assert "/widget?formaat=online" in snippet.input_value()
    expect(preview.get_by_text("Er zijn nu geen infosessies met vrije plaatsen.")).to_be_visible()
    assert_no_axe_violations(page, "the widget's admin page")
