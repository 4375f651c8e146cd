"""Colour contrast of site/style.css, in CPython: every text colour the page uses against every background it is drawn
on, in the light and the dark theme, meets WCAG 2.x (1.4.3, AA).

The palette is the custom properties defined with ``light-dark(LIGHT, DARK)`` (or one colour for both themes) in the
``:root`` rules, the timeline's included. The pairs come from the stylesheet itself where a rule says both:

- a rule that sets ``color`` and ``background`` (``.badge`` states, the verdict parts, ``button``, ...);
- a rule that sets only ``background``: its text is the inherited ``body`` colour (``--fg``);
- ``A B { color }`` where ``A`` has a rule with a background, and ``S::before { color }`` where ``S`` has one;
- the timeline: ``.tl-seg-text.STATE`` (or ``.tl-seg-text``) on ``.tl-seg.STATE``'s fill.

Text that takes its background from the element it sits in (a hint in a card, a JSON string in ``pre.json``) is in
NESTING below, one commented entry per rule; the test fails when a rule that sets a colour is in neither place, so a
new colour cannot go unchecked.

The rule: 4.5:1 for all text. WCAG allows 3:1 for large text (at least 24 px, or 18.66 px bold); the only text that
large is the ``h1`` (21 px bold), which is ``--fg``, so no pair here uses the exception. Non-text (1.4.11, 3:1): the
focus ring against the surfaces it is drawn on. Disabled buttons (``opacity: .6``) are exempt (1.4.3 "incidental").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "site" / "style.css"
THEMES = ("light", "dark")
TEXT = 4.5
NON_TEXT = 3.0

# Text whose background comes from where the element sits, not from its own rule: selector -> (backgrounds, where).
NESTING: dict[str, tuple[tuple[str, ...], str]] = {
    # links: the skip link (shown on --card) and the link in the from-disk explanation (a .card)
    "a": (("--card",), "the skip link when focused, the from-disk help in a card"),
    # the header bar (.top) is --card
    ".tagline": (("--card",), "header bar"),
    "#runtime": (("--card",), "header bar"),
    "#runtime.error": (("--card",), "header bar"),
    'body[data-state="ready"] #runtime': (("--card",), "header bar"),
    "#offline-status": (("--card",), "header bar"),
    # hints: in cards, in the header of a card and in a field label
    ".hint": (("--card",), "every .hint sits in a .card"),
    "details.expect summary": (("--card",), "key card"),
    # every textarea and input has background --bg
    "::placeholder": (("--bg",), "placeholders of the token, key and Encode boxes"),
    # the token editor: the layer is drawn over the textarea, whose background is --bg; a marked character keeps its
    # segment colour on the mark's --bad-bg (error) or --warn-bg (warning)
    ".editor-layer": (("--bg",), "over the token textarea"),
    ".editor-layer .other": (("--bg",), "text around the token in the textarea"),
    # segment colours: the token editor (--bg), the Encode view's output (.encoded, --bg), marks (see above)
    ".seg-header": (("--bg", "--bad-bg", "--warn-bg"), "token editor, #encoded, marked characters"),
    ".seg-payload": (("--bg", "--bad-bg", "--warn-bg"), "token editor, #encoded, marked characters"),
    ".seg-signature": (("--bg", "--bad-bg", "--warn-bg"), "token editor, #encoded, marked characters"),
    ".seg-encrypted_key": (("--bg", "--bad-bg", "--warn-bg"), "JWE in the token editor, #encoded"),
    ".seg-iv": (("--bg", "--bad-bg", "--warn-bg"), "JWE in the token editor, #encoded"),
    ".seg-ciphertext": (("--bg", "--bad-bg", "--warn-bg"), "JWE in the token editor, #encoded"),
    ".seg-tag": (("--bg", "--bad-bg", "--warn-bg"), "JWE in the token editor, #encoded"),
    ".seg-disclosure": (("--bg", "--bad-bg", "--warn-bg"), "SD-JWT disclosures in the token editor"),
    ".seg-kb": (("--bg", "--bad-bg", "--warn-bg"), "SD-JWT key binding JWT in the token editor"),
    ".seg-dot": (("--bg", "--bad-bg", "--warn-bg"), "dots between segments"),
    ".seg-tilde": (("--bg", "--bad-bg", "--warn-bg"), "tildes of an SD-JWT"),
    # JSON views: every pre.json has background --bg
    "pre.json.note": (("--bg",), "a note in place of JSON"),
    ".j-key": (("--bg",), "pre.json"),
    ".j-str": (("--bg",), "pre.json"),
    ".j-num": (("--bg",), "pre.json"),
    ".j-lit": (("--bg",), "pre.json"),
    # badges' neighbours and card text
    ".status-text": (("--card",), "verdict card"),
    ".verdict-parts a[data-state=\"ok\"]::before": (("--bg",), "a verdict part: .verdict-parts a has --bg"),
    ".verdict-parts a[data-state=\"unknown\"]::before": (("--bg",), "a verdict part: .verdict-parts a has --bg"),
    # problems: li has --bad-bg (error) or --warn-bg (warning)
    ".problems .fix": (("--bad-bg", "--warn-bg"), "in a problem item"),
    # check lists and notes: signature, key binding and pair sections are cards
    '.checks li[data-ok="true"]::before': (("--card",), "claim checks"),
    '.checks li[data-result="pass"]::before': (("--card",), "pair checks"),
    '.checks li[data-ok="false"]::before': (("--card",), "claim checks"),
    '.checks li[data-result="fail"]::before': (("--card",), "pair checks"),
    '.checks li[data-result="skipped"]::before': (("--card",), "pair checks"),
    ".notes li": (("--card",), "keys tried, key notes"),
    ".notes li.key-problem": (("--card",), "keys tried, key notes"),
    # the security review: the summary on the card; a finding item is --bg, a critical one --bad-bg
    "#findings-summary[data-severity=\"critical\"]": (("--card",), "findings card"),
    "#findings-summary[data-severity=\"high\"]": (("--card",), "findings card"),
    "#findings-summary[data-severity=\"medium\"]": (("--card",), "findings card"),
    ".findings .ref": (("--bg", "--bad-bg"), "in a finding item (critical: --bad-bg)"),
    # tables are in cards
    "td.unknown": (("--card",), "claims table"),
    ".when": (("--card",), "claims table"),
    ".when time": (("--card",), "claims table"),
    'td[data-status="unreferenced"]': (("--card",), "disclosures table"),
    'td[data-status="duplicate"]': (("--card",), "disclosures table"),
    'td[data-status="malformed"]': (("--card",), "disclosures table"),
    'td[data-status="rejected"]': (("--card",), "disclosures table"),
    'td[data-status="used"]': (("--card",), "disclosures table"),
    "table.stack td[data-label]::before": (("--card",), "narrow screens: the cell's label"),
    # the footer is on the page background
    "footer": (("--bg",), "below main"),
}
# Rules that set a colour which is not text on a background of ours.
NOT_TEXT = {
    ".tl": "inherit: the timeline takes its card's text colour (checked as --fg on --card)",
    ".editor.highlighted textarea": "transparent: the layer above shows the text",
}
# Non-text contrast (1.4.11, 3:1): the focus ring on every surface a focusable element sits on.
NON_TEXT_PAIRS = [("--focus", bg, ":focus-visible outline") for bg in ("--bg", "--card", "--bad-bg", "--warn-bg")]
# ... and the boundary of every form field (button, select, input, textarea) on the card it sits in and on --bg
NON_TEXT_PAIRS += [("--field-line", bg, "form field border") for bg in ("--bg", "--card")]


@dataclass(frozen=True)
class Rule:
    selector: str
    declarations: dict[str, str]


def parse_rules(css: str) -> list[Rule]:
    """Every style rule, one per selector of a selector list, including those inside @media blocks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: list[Rule] = []

    def walk(text: str) -> None:
        pos = 0
        while True:
            open_ = text.find("{", pos)
            if open_ < 0:
                return
            prelude = text[pos:open_].strip()
            depth, i = 1, open_ + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body = text[open_ + 1:i - 1]
            if prelude.startswith("@"):
                walk(body)
            else:
                decls = {}
                for decl in body.split(";"):
                    name, sep, value = decl.partition(":")
                    if sep:
                        decls[name.strip()] = " ".join(value.split())
                for selector in split_selectors(prelude):
                    rules.append(Rule(selector, decls))
            pos = i

    walk(css)
    return rules


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :has(...) or attribute values)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(prelude[start:i])
            start = i + 1
    out.append(prelude[start:])
    return [" ".join(s.split()) for s in out]


def palette(rules: list[Rule]) -> dict[str, tuple[str, str]]:
    """--name -> (light, dark) for every colour custom property of :root."""
    colours: dict[str, tuple[str, str]] = {}
    for rule in rules:
        if rule.selector != ":root":
            continue
        for name, value in rule.declarations.items():
            if not name.startswith("--"):
                continue
            m = re.fullmatch(r"light-dark\(\s*(#[0-9a-fA-F]{3,8})\s*,\s*(#[0-9a-fA-F]{3,8})\s*\)", value)
            if m:
                colours[name] = (m.group(1), m.group(2))
            elif re.fullmatch(r"#[0-9a-fA-F]{3,8}", value):
                colours[name] = (value, value)
    return colours


def colour_var(value: str | None) -> str | None:
    """The custom property a colour value names (var(--x) alone), or None for anything else."""
    if value is None:
        return None
    m = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
    return m.group(1) if m else None


def background_of(decls: dict[str, str]) -> str | None:
    for name in ("background-color", "background"):
        if name in decls:
            return colour_var(decls[name]) or decls[name]
    return None


def rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) in (3, 4):
        h = "".join(c * 2 for c in h[:3])
    assert len(h) in (6, 8), hex_colour
    assert len(h) == 6 or h[6:] == "ff", f"{hex_colour}: a translucent colour's contrast depends on what is below"
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg: str, bg: str) -> float:
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Pair:
    fg: str  # a custom property name
    bg: str
    where: str
    minimum: float = TEXT


def pairs_from(rules: list[Rule], nesting: dict = NESTING) -> tuple[list[Pair], list[str]]:
    """Every text/background pair the stylesheet uses, and the colour rules nothing accounts for."""
    backgrounds = {r.selector: background_of(r.declarations) for r in rules if background_of(r.declarations)}
    pairs: list[Pair] = []
    unaccounted: list[str] = []
    for rule in rules:
        d, sel = rule.declarations, rule.selector
        bg = background_of(d)
        colour = d.get("color")
        if sel.startswith(".tl-seg.") and "fill" in d:  # the timeline: a state's fill and the words drawn on it
            state = sel.removeprefix(".tl-seg.")
            texts = {r.selector: r.declarations["fill"] for r in rules if "fill" in r.declarations}
            text = texts.get(f".tl-seg-text.{state}", texts.get(".tl-seg-text"))
            pairs.append(Pair(colour_var(text), colour_var(d["fill"]), f"timeline: text on {sel}"))
            continue
        if colour is None:
            if bg is not None:
                pairs.append(Pair("--fg", bg, f"{sel} (inherited text)"))
            continue
        fg = colour_var(colour)
        if fg is None:
            if sel not in NOT_TEXT:
                unaccounted.append(f"{sel} {{ color: {colour} }}: not a var(--colour); add it to NOT_TEXT or fix")
            continue
        if bg is not None:
            pairs.append(Pair(fg, bg, sel))
            continue
        base = sel.split("::")[0]
        ancestor = sel.rsplit(" ", 1)[0] if " " in sel else None
        if sel in nesting:
            pairs.extend(Pair(fg, b, f"{sel} ({nesting[sel][1]})") for b in nesting[sel][0])
        elif base != sel and base in backgrounds:
            pairs.append(Pair(fg, backgrounds[base], f"{sel} on {base}"))
        elif ancestor in backgrounds:
            pairs.append(Pair(fg, backgrounds[ancestor], f"{sel} on {ancestor}"))
        else:
            unaccounted.append(f"{sel} {{ color: {colour} }}: add the backgrounds it sits on to NESTING")
    return pairs, unaccounted


def failures(css: str) -> list[str]:
    """Every pair under its minimum, as readable lines (empty when all pass)."""
    rules = parse_rules(css)
    colours = palette(rules)
    pairs, _ = pairs_from(rules)
    pairs += [Pair(fg, bg, where, NON_TEXT) for fg, bg, where in NON_TEXT_PAIRS]
    # every card's own text, and the timeline's labels (currentColor in a card)
    pairs += [Pair("--fg", "--card", "text in a card, timeline labels")]
    out = []
    for pair in pairs:
        assert pair.fg in colours and pair.bg in colours, f"{pair}: unknown colour (not a :root custom property)"
        for t, theme in enumerate(THEMES):
            fg, bg = colours[pair.fg][t], colours[pair.bg][t]
            r = ratio(fg, bg)
            if r < pair.minimum:
                out.append(f"{theme}: {pair.fg} {fg} on {pair.bg} {bg} = {r:.2f}:1 < {pair.minimum}:1 ({pair.where})")
    return out


@pytest.fixture(scope="module")
def css() -> str:
    return STYLE.read_text(encoding="utf-8")


def test_timeline_fallback_fills():
    """The timeline SVG's own fills (used where the page's style sheet is absent) keep its words readable too."""
    from jwtlens import timeline

    for state, (fill, text) in timeline.FILLS.items():
        assert ratio(text, fill) >= TEXT, f"{state}: {text} on {fill} = {ratio(text, fill):.2f}:1"
        css_class = timeline.CLASSES[state]
        assert f".tl-seg.{css_class} {{ fill: var(--tl-{css_class.removeprefix('tl-')}, {fill}); }}" \
            in timeline.TIMELINE_CSS


def test_ratio_matches_wcag_examples():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the well-known "just under AA" grey
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_palette_has_both_themes(css):
    colours = palette(parse_rules(css))
    for name in ("--bg", "--card", "--fg", "--muted", "--ok", "--bad", "--warn", "--info", "--crit",
                 "--seg-header", "--j-str", "--tl-valid", "--tl-seg-text"):
        assert name in colours, name
    assert colours["--fg"][0] != colours["--fg"][1]


def test_every_colour_rule_is_accounted_for(css):
    rules = parse_rules(css)
    _, unaccounted = pairs_from(rules)
    assert not unaccounted, "\n".join(unaccounted)
    selectors = {r.selector for r in rules}
    stale = [s for s in [*NESTING, *NOT_TEXT] if s not in selectors]
    assert not stale, f"NESTING/NOT_TEXT name rules style.css no longer has: {stale}"


def test_pairs_cover_the_palette(css):
    """Every text colour of the palette is checked against at least one background (nothing silently skipped)."""
    rules = parse_rules(css)
    pairs, _ = pairs_from(rules)
    used_fg = {p.fg for p in pairs}
    text_colours = [n for n in palette(rules) if n.startswith(("--seg-", "--j-"))] + [
        "--fg", "--muted", "--ok", "--bad", "--warn", "--info", "--crit", "--tl-seg-text", "--tl-nyv-text"]
    assert not [n for n in text_colours if n not in used_fg]
    derived = {(p.fg, p.bg) for p in pairs}
    # pairs that must come from the rules themselves (so the derivation keeps working)
    for pair in [("--ok", "--ok-bg"), ("--bad", "--bad-bg"), ("--warn", "--warn-bg"), ("--info", "--info-bg"),
                 ("--crit", "--bad-bg"), ("--card", "--fg"), ("--fg", "--none-bg"),
                 ("--tl-seg-text", "--tl-valid"), ("--tl-seg-text", "--tl-expired"), ("--tl-nyv-text", "--tl-nyv")]:
        assert pair in derived, pair


def test_contrast_meets_wcag_aa_in_both_themes(css):
    bad = failures(css)
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("name", "theme", "low"), [
    ("--muted", 0, "#9aa3ae"),        # a light grey hint on white
    ("--j-str", 1, "#2f5f32"),        # a dark green JSON string on the dark background
    ("--tl-expired", 0, "#f08080"),   # a pale red under the timeline's white text
    ("--ok-bg", 0, "#6fbf80"),        # a saturated tint under the green badge text
])
def test_a_low_contrast_colour_fails(css, name, theme, low):
    """The check itself: replacing one colour of the palette with a low-contrast one is caught."""
    old = palette(parse_rules(css))[name][theme]
    before = r"\(\s*" if theme == 0 else r"\([^)]*?,\s*"  # light-dark(LIGHT, DARK)
    pattern = re.compile(rf"({re.escape(name)}:\s*light-dark{before}){re.escape(old)}", re.I)
    changed, count = pattern.subn(lambda m: m.group(1) + low, css, count=1)
    assert count == 1, name
    bad = failures(changed)
    assert any(name in line and THEMES[theme] in line for line in bad), bad
