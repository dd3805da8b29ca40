"""axe-core in the page under test, against WCAG 2.1 level A and AA.

axe.min.js comes from the axe-playwright-python package (no CDN, no download). It is evaluated
through Playwright rather than added as a <script> tag, because the app's Content-Security-Policy
rightly refuses inline scripts.
"""

from __future__ import annotations

from importlib.resources import files

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SCRIPT = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, tags: list[str] | None = None) -> list[dict]:
    """Run axe on the page as it is now and return its violations (empty when there are none)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": tags or WCAG_21_AA}, "resultTypes": ["violations"]}
    results = page.evaluate("options => window.axe.run(document, options)", options)
    return results["violations"]


def describe(violations: list[dict], where: str) -> str:
    """A report a developer can act on: rule, impact, help, link, and each failing element."""
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.1 A/AA) on {where}:"]
    for violation in violations:
        lines.append("")
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"  - {target}")
            lines.append(f"      {_squeeze(node['html'])}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                if summary_line.strip():
                    lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page, what: str = "") -> None:
    """Fail with a readable report on ANY WCAG 2.1 A/AA violation axe finds on the page."""
    violations = axe_violations(page)
    if violations:
        where = f"{what} ({page.url})" if what else page.url
        raise AssertionError(describe(violations, where))


class AxeAudit:
    """Audit several pages along a journey and fail once at the end with every violation found,
    so one broken page does not hide the others (nor stop the journey being checked)."""

    def __init__(self) -> None:
        self.reports: list[str] = []
        self.audited: list[str] = []

    def check(self, page, what: str) -> None:
        self.audited.append(what)
        violations = axe_violations(page)
        if violations:
            self.reports.append(describe(violations, f"{what} ({page.url})"))

    def assert_clean(self) -> None:
        assert self.audited, "no page was audited"
        if self.reports:
            raise AssertionError("\n\n".join(self.reports))


def _squeeze(html: str, limit: int = 300) -> str:
    flat = " ".join(html.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
