"""End-to-end: how the page looks, in every state a visitor meets (tests/page_states.py), at a phone's width (360 px,
one column) and a desktop's (1280 px, two panes), in the light and the dark theme:

- a full-page screenshot of each, in screenshots/ (git-ignored): STATE-WIDTH-THEME.png, to look at after a change;
- axe-core (the pinned devDependency, node_modules/axe-core) finds no WCAG 2.0/2.1/2.2 A or AA violation;
- the page never scrolls sideways, nor does any part of it at 360 px (long kids, URLs and values wrap), and at
  1280 px the page itself does not scroll: the two panes do.

One page is loaded per state and looked at in the four width/theme combinations (the theme follows the emulated
prefers-color-scheme, as it does for a visitor who never pressed the toggle).
"""

from __future__ import annotations

import pytest

from conftest import ROOT, wait_ready
from page_states import STATES, setup

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "screenshots"
HEIGHTS = {360: 780, 1280: 860}
THEMES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CASES = [(state, width, theme) for state in STATES for width in HEIGHTS for theme in THEMES]

# Parts of the page that may scroll sideways inside themselves at 360 px: the text boxes (a pasted key keeps its
# lines). Everything else wraps.
SIDEWAYS_OK = "textarea"

OVERFLOW = """(allowed) => {
  const page = document.scrollingElement;
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    if (el.matches(allowed) || !el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    return scrolls && el.scrollWidth > el.clientWidth + 1;
  }).map((el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
  return {scrollWidth: page.scrollWidth, scrollHeight: page.scrollHeight, innerWidth, innerHeight, wide};
}"""

# The height at which both panes of the two-pane layout show all they hold (each pane scrolls on its own, so a
# screenshot of the viewport would show only their tops).
PANES_HEIGHT = """() => innerHeight + Math.max(0, ...[...document.querySelectorAll('.pane')]
  .filter((p) => p.getClientRects().length).map((p) => p.scrollHeight - p.clientHeight))"""


class Look:
    """One page, set up in one state at a time."""

    def __init__(self, page, url: str) -> None:
        self.page, self.url, self.state = page, url, None

    def show(self, state: str, width: int, theme: str):
        page = self.page
        if state != self.state:
            page.set_viewport_size({"width": 360, "height": HEIGHTS[360]})
            page.emulate_media(color_scheme="light")
            page.goto(self.url + ("#encode" if state == "encode" else ""))
            wait_ready(page)
            setup(page, state)
            check_state(page, state)
            self.state = state
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        page.emulate_media(color_scheme=theme)
        settle(page)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (theme == "dark")
        return page


def check_state(page, state: str) -> None:
    """The state really is set up: a setup that silently did nothing would make every check here vacuous."""
    verdict = page.get_attribute("#verdict", "data-verdict")
    expected = {"empty": "empty", "verified": "trusted", "broken": "malformed", "weak-secret": "untrusted"}
    assert verdict == expected.get(state, verdict), f"{state}: verdict {verdict}"
    if state == "weak-secret":
        assert page.locator("#findings li[data-rule='hmac.weak-secret']").count() == 1
    elif state == "jwe":
        assert page.get_attribute("#encryption", "data-decrypted") == "decrypted"
    elif state == "sd-jwt":
        assert page.locator("#disclosures tr[data-digest]").count() > 0
    elif state == "encode":
        assert page.text_content("#encoded").count(".") == 2
    elif state == "long-content":
        assert "Q" * 2000 in page.text_content("#payload")
        assert page.locator("#tried li").count() == 3


def settle(page) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


@pytest.fixture(scope="module")
def look(browser, server):
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run npm ci (build.py does, from package-lock.json)")
    context = browser.new_context(viewport={"width": 360, "height": HEIGHTS[360]})
    yield Look(context.new_page(), server.url)
    context.close()


# What axe cannot decide ("incomplete", needs review) must be reviewed too; only these are, for color-contrast:
# the token box's own text is transparent (the coloured layer over it draws the same characters), and the timeline's
# SVG text has no CSS background. Both sets of colours are checked by tests/test_contrast.py instead.
CONTRAST_REVIEWED = "#token, svg.tl, svg.tl *"
UNREVIEWED = """([nodes, reviewed]) => nodes.filter((n) => {
  const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
  return !(el && el.matches(reviewed));
})"""


def run_axe(page) -> tuple[list[dict], list[dict]]:
    """axe's violations, and what it could not decide that nobody has reviewed."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the debugger protocol: the page's CSP allows it
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations', 'incomplete']})", AXE_TAGS)
    unreviewed = []
    for item in result["incomplete"]:
        nodes = item["nodes"]
        if item["id"] == "color-contrast":
            nodes = page.evaluate(UNREVIEWED, [nodes, CONTRAST_REVIEWED])
        if nodes:
            unreviewed.append(dict(item, nodes=nodes))
    return result["violations"], unreviewed


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "; ".join(
                c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", []))).split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize(("state", "width", "theme"), CASES, ids=[f"{s}-{w}-{t}" for s, w, t in CASES])
def test_look(look, state, width, theme):
    page = look.show(state, width, theme)
    problems = []

    layout = page.evaluate(OVERFLOW, SIDEWAYS_OK)
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(f"the page scrolls sideways: {layout['scrollWidth']} px wide in a {width} px window")
    if width < 1024 and layout["wide"]:
        problems.append(f"parts scroll sideways at {width} px: {layout['wide']}")
    if width >= 1024 and layout["scrollHeight"] > layout["innerHeight"]:
        problems.append(f"two panes: the page itself scrolls ({layout['scrollHeight']} px in a "
                        f"{layout['innerHeight']} px window); only the panes should")

    if width >= 1024:  # lay both panes out whole for the picture and for axe, then go back
        page.set_viewport_size({"width": width, "height": page.evaluate(PANES_HEIGHT)})
        settle(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{state}-{width}-{theme}.png"), full_page=True)
    violations, unreviewed = run_axe(page)
    if width >= 1024:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    if violations:
        problems.append("axe-core found WCAG A/AA violations:\n" + describe(violations))
    if unreviewed:
        problems.append("axe-core could not decide these (needs review):\n" + describe(unreviewed))
    assert not problems, f"{state} at {width} px, {theme} theme (screenshots/{state}-{width}-{theme}.png):\n" + \
        "\n".join(problems)
