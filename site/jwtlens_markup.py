"""The page's markup: pure functions from Report pieces to HTML strings. No browser objects here, so the functions can
be tested in CPython (tests/test_page_markup.py) and are compiled into the memory snapshot like the rest of the page.

Everything from a token, key or input is escaped on its way into the markup: ``h()`` escapes every text and
attribute value it writes, and the JSON and token views escape every piece they wrap. Hostile claim values stay text.
"""

from __future__ import annotations

import json
import re
from html import escape

from jwtlens.confusables import code_point, is_invisible
from jwtlens.report import Claim, Finding, Problem, Report, TokenReport, Verdict

# Decoded JSON longer than this goes into the page as blocks of about CHUNK_CHARS, each laid out only when it is
# scrolled near (content-visibility: auto in style.css): laying out a 1 MB <pre> at once blocked the page for 180 ms.
CHUNKED_JSON = 32 * 1024
CHUNK_CHARS = 16 * 1024
HIGHLIGHT_LIMIT = 256 * 1024
CLAIM_VALUE_LIMIT = 2048
JSON_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)"
)
VERDICT_WORDS = {"trusted": "Trusted", "untrusted": "Do not trust", "unverified": "Not verified",
                 "malformed": "Malformed", "empty": "No token"}


def h(tag: str, text: str = "", inner: str = "", **attrs: str | None) -> str:
    """One element as HTML: text is escaped, inner is HTML built by h() itself, every attribute value is escaped.

    The page renders through these strings (one innerHTML per container) rather than creating DOM nodes one by
    one: each node created from Python is a round trip through the JS bridge, which made a render 30 ms.
    """
    attributes = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items() if value is not None
    )
    return f"<{tag}{attributes}>{visible(text)}{inner}</{tag}>"


# Control characters other than tab and line breaks: a broken payload's bytes decoded as text hold them
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _odd(ch: str) -> bool:
    return (ord(ch) > 127 and is_invisible(ch)) or CONTROL.match(ch) is not None


def visible(text: str) -> str:
    """Escaped text in which invisible, direction-changing and control characters are marked: each stays in the text
    (so textContent is unchanged) inside a span that draws its code point beside it (style.css .invisible)."""
    if text.isascii() and CONTROL.search(text) is None:
        return escape(text)
    odd = {ch for ch in set(text) if _odd(ch)}
    if not odd:
        return escape(text)
    parts = re.split("(" + "|".join(map(re.escape, sorted(odd))) + ")", text)
    return "".join(
        f'<span class="invisible" data-cp="{escape(code_point(p).split(" ")[0])}" title="{escape(code_point(p))}">'
        f"{escape(p)}</span>" if p in odd else escape(p) for p in parts)


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def highlight_json(text: str) -> str:
    """Pretty JSON text as HTML with a span per key, string, number and literal."""
    parts = []
    pos = 0
    for m in JSON_TOKEN.finditer(text):
        parts.append(visible(text[pos:m.start()]))
        parts.append(h("span", m.group(0), class_="j-" + m.lastgroup))
        pos = m.end()
    parts.append(visible(text[pos:]))
    return "".join(parts)


def chunked(text: str, highlight: bool) -> str:
    """Long text as consecutive blocks; their textContent is still exactly `text`.

    Blocks end after a line break where there is one near the size limit, so lines stay whole; a single huge line
    (one long claim value) is cut at the limit and shows a line break there.
    """
    blocks = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            newline = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            end = newline + 1 if newline >= 0 else end
        part = text[start:end]
        blocks.append(h("span", class_="chunk", inner=highlight_json(part) if highlight else visible(part)))
        start = end
    return "".join(blocks)


def json_markup(value, raw: str | None) -> str:
    """A decoded JSON value (or its raw text when it is not JSON) as the markup of a JSON view."""
    if value is None:
        raw = raw or ""
        return chunked(raw, highlight=False) if len(raw) > CHUNKED_JSON else visible(raw)
    text = pretty(value)
    if len(text) > CHUNKED_JSON:
        return chunked(text, highlight=len(text) <= HIGHLIGHT_LIMIT)
    return highlight_json(text)


def value_text(value) -> str:
    """A claim's value for the claims table. A very long one is cut (the JSON view above holds all of it): a table
    cell sizes itself to its content, and laying out a 768 KB value there took 150 ms."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > CLAIM_VALUE_LIMIT:
        return f"{text[:CLAIM_VALUE_LIMIT]}\u2026 ({len(text) - CLAIM_VALUE_LIMIT:,} more characters)"
    return text


def claim_row(claim: Claim, when: str, labels: tuple[str, str, str]) -> str:
    """One row of a claims table; on narrow screens its cells are stacked, each with its label (style.css)."""
    meaning = claim.description or ""
    if claim.spec:
        meaning = f"{meaning} ({claim.spec})" if meaning else claim.spec
    return h("tr", data_claim=claim.name, inner=(
        h("th", claim.name, scope="row")
        + h("td", inner=h("code", value_text(claim.value)) + when, data_label=labels[1])
        + h("td", meaning or "no description", class_=None if claim.description else "unknown", data_label=labels[2])
    ))


def problem_items(problems: list[Problem], positions: dict[int, int]) -> str:
    """Problems, errors first; those with a place in the token get a button that moves the caret there."""
    ordered = sorted(enumerate(problems), key=lambda ip: (ip[1].level != "error", ip[0]))
    items = []
    for i, p in ordered:
        at = positions.get(i)
        button = h("button", "Show in token", type="button", class_="at", data_pos=str(at)) if at is not None else ""
        items.append(h("li", data_code=p.code, data_level=p.level, data_segment=p.segment or None, inner=(
            h("span", p.message, class_="message") + button + (h("span", p.fix, class_="fix") if p.fix else ""))))
    return "".join(items)


def finding_items(findings: list[Finding]) -> str:
    return "".join(
        h("li", data_rule=f.rule, data_severity=f.severity, inner=(
            h("span", f.severity, class_="sev")
            + h("strong", f.title)
            + h("p", f.risk, class_="risk")
            + h("p", "Fix: " + f.fix, class_="fix")
            + h("p", f.reference + (f" \u00b7 {f.where}" if f.where else ""), class_="ref")
        ))
        for f in findings
    )


def verdict_parts(verdict: Verdict) -> str:
    return "".join(h("li", inner=h("a", p.text, href=f"#{p.target}", data_state=p.state, data_part=p.id))
                   for p in verdict.parts)


# -- the coloured token, drawn over the token box ---------------------------------------------------------------

SEGMENT_CLASSES = {"header": "seg-header", "payload": "seg-payload", "signature": "seg-signature",
                   "encrypted_key": "seg-encrypted_key", "iv": "seg-iv", "ciphertext": "seg-ciphertext",
                   "tag": "seg-tag"}


def token_ranges(report: Report) -> list[tuple[int, int, str]]:
    """(start, end, class) over the selected token's text: its segments, the dots, and an SD-JWT's disclosures and
    key binding JWT, in order and without overlap."""
    token = report.token
    if token is None:
        return []
    ranges = []
    for seg in token.segments:
        if seg.name in SEGMENT_CLASSES and seg.text:
            ranges.append((seg.start, seg.start + len(seg.text), SEGMENT_CLASSES[seg.name]))
    end = max((r[1] for r in ranges), default=0)
    sd = report.sd_jwt
    if sd is not None:
        for d in sd.disclosures:
            if d.start is not None:
                ranges.append((d.start, d.start + len(d.text), "seg-disclosure"))
        if sd.key_binding is not None:
            kb = len(sd.key_binding.token)
            text = report.candidates[report.selected].token if report.selected is not None else ""
            ranges.append((len(text) - kb, len(text), "seg-kb"))
    ranges.sort()
    return [r for r in ranges if r[0] >= 0 and r[1] > r[0]] or ([(0, end, "seg-header")] if end else [])


def problem_offsets(token: TokenReport) -> dict[int, int]:
    """Problem index -> offset in the token text, for the problems that point at a character."""
    starts = {seg.name: seg.start for seg in token.segments}
    out = {}
    for i, p in enumerate(token.problems):
        if p.position is None:
            continue
        if p.segment == "token":
            out[i] = p.position
        elif p.segment in starts:
            out[i] = starts[p.segment] + p.position
    return out


def raw_positions(raw: str, start: int, end: int, token: str) -> list[int] | None:
    """Where each character of the cleaned token sits in the pasted text: the span itself, or its characters other
    than whitespace (a token wrapped over lines); None when they do not line up."""
    span = raw[start:end]
    if span == token:
        return None  # the identity: token index i is raw index start + i
    places = [start + i for i, ch in enumerate(span) if not ch.isspace()]
    if len(places) != len(token) or any(raw[p] != c for p, c in zip(places, token, strict=True)):
        return []
    return places


def token_layer(raw: str, report: Report) -> str:
    """The pasted text as HTML: the selected token's segments coloured, the characters problems point at marked
    (their message as the title), everything else muted. Same characters as the textarea, in the same places."""
    if report.selected is None or report.token is None:
        return h("span", raw, class_="other")
    candidate = report.candidates[report.selected]
    places = raw_positions(raw, candidate.start, candidate.end, candidate.token)
    if places == []:  # cannot line up with the text: colour nothing rather than colour the wrong characters
        return h("span", raw, class_="other")
    token = report.token
    offsets = problem_offsets(token)
    marks = {off: token.problems[i] for i, off in sorted(offsets.items(), key=lambda x: x[1], reverse=True)}

    def at(i: int) -> int:
        return candidate.start + i if places is None else places[i]

    pieces = [h("span", raw[: at(0)], class_="other")]
    cursor = at(0)  # where the text not yet in a piece starts

    def piece(a: int, b: int, cls: str, mark: Problem | None = None) -> None:
        """Token characters a..b-1; whitespace of a wrapped paste before them goes out as it is, unstyled."""
        nonlocal cursor
        first, end = at(a), at(b - 1) + 1
        if first > cursor:
            pieces.append(escape(raw[cursor:first]))
        pieces.append(_piece(raw, first, end, cls, mark, first))
        cursor = end

    pos = 0
    for start, end, cls in token_ranges(report):
        if start > pos:
            piece(pos, start, "seg-dot")
        for a, b, mark in _split(start, end, marks):
            piece(a, b, cls, mark)
        pos = end
    if pos < len(candidate.token):
        piece(pos, len(candidate.token), "seg-dot")
    pieces.append(h("span", raw[cursor:], class_="other"))
    return "".join(pieces)


def _split(start: int, end: int, marks: dict[int, Problem]) -> list[tuple[int, int, Problem | None]]:
    inside = sorted(m for m in marks if start <= m < end)
    out, pos = [], start
    for m in inside:
        if m > pos:
            out.append((pos, m, None))
        out.append((m, m + 1, marks[m]))
        pos = m + 1
    if pos < end:
        out.append((pos, end, None))
    return out


def _piece(raw: str, a: int, b: int, cls: str, mark: Problem | None = None, where: int | None = None) -> str:
    if mark is None:
        return h("span", raw[a:b], class_=cls)
    return h("span", raw[a:b], class_=f"{cls} mark {mark.level}", title=mark.message, data_pos=str(where))


def encoded_token(token: str, segment_names: tuple[str, ...] = ("header", "payload", "signature")) -> str:
    """A compact token with its segments coloured (the Encode view's output)."""
    parts = token.split(".")
    names = segment_names if len(parts) == 3 else ("header", "encrypted_key", "iv", "ciphertext", "tag")
    out = []
    for i, (name, part) in enumerate(zip(names, parts, strict=False)):
        if i:
            out.append(h("span", ".", class_="seg-dot"))
        out.append(h("span", part, class_=SEGMENT_CLASSES.get(name, "seg-dot")))
    return "".join(out)
