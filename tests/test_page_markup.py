"""Unit tests of the page's markup (site/jwtlens_markup.py), in CPython: what goes into innerHTML.

Every piece of a token, key or input is text in the page, never markup: ``h()`` escapes text and every attribute
value; the JSON views and the coloured token keep exactly the characters they show (tags stripped and entities
unescaped give the original text back), which is what the automation contract (``#header`` textContent is the JSON)
and the token editor (a layer drawn over the textarea, character for character) rely on.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site"))

import jwtlens  # noqa: E402
import jwtlens_markup as markup  # noqa: E402
from jwtlens.report import Claim, Problem  # noqa: E402
from jwtlens_markup import (  # noqa: E402
    claim_row,
    h,
    json_markup,
    problem_items,
    token_layer,
    visible,
)
from page_states import BROKEN, WEAK, jwe_state, sd_jwt_state  # noqa: E402

# -- reading markup back ----------------------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, predicate) -> list[Node]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if predicate(c):
                    out.append(c)
                out += c.find_all(predicate)
        return out

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v if v is not None else "" for k, v in attrs})
        assert len(attrs) == len(node.attrs), f"an attribute appears twice in <{tag}>: {attrs}"
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(markup_text: str) -> Node:
    builder = _Builder()
    builder.feed(markup_text)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def stripped(markup_text: str) -> str:
    """The text a browser shows: tags removed, entities unescaped (attribute values never hold a raw '>')."""
    return unescape(re.sub(r"<[^>]*>", "", markup_text))


def with_class(name: str):
    return lambda node: name in node.classes()


# -- h() ---------------------------------------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '" onmouseover="alert(1)',
    "' onload='alert(1)",
    '"><img src=x onerror=alert(1)>',
    "a & b &amp; &lt;c&gt; &#x3C;",
    "`${x}` </p> <!-- -->",
    "quote\" and apostrophe' and <tag attr=\"v\">",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_h_escapes_text(text):
    out = h("p", text)
    root = parse(out)
    assert [c.tag for c in root.children] == ["p"]
    assert root.children[0].text == text
    assert root.children[0].find_all(lambda n: True) == []  # no element came out of the text
    assert stripped(out) == text


@pytest.mark.parametrize("value", HOSTILE)
def test_h_escapes_every_attribute_value(value):
    out = h("a", "x", href=value, title=value, data_claim=value, class_=value)
    root = parse(out)
    (element,) = root.children
    assert element.tag == "a"
    assert element.attrs == {"href": value, "title": value, "data-claim": value, "class": value}
    assert element.children == ["x"]
    # no quote from the value is left raw inside the tag: the values cannot end their attribute
    tag = out[: out.index(">") + 1]
    assert tag.count('"') == 8
    assert "<" not in tag[1:] and "'" not in tag


def test_h_attribute_names_and_omitted_values():
    out = h("td", "v", data_label="Value", class_=None, scope="row", aria_hidden="true")
    assert out == '<td data-label="Value" scope="row" aria-hidden="true">v</td>'


def test_h_inner_is_markup_and_text_comes_first():
    out = h("li", "<b>", inner=h("span", "<i>", class_="x"))
    root = parse(out)
    (li,) = root.children
    assert li.children[0] == "<b>"
    assert li.children[1].tag == "span" and li.children[1].text == "<i>"


# -- visible() ---------------------------------------------------------------------------------------------------------

INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u2066", "\u2067",
              "\u2069", "\u061c", "\u200f", "\u200e"]


@pytest.mark.parametrize("text", [
    "plain ascii <b>&",
    "caf\u00e9 \u65e5\u672c \u0430dmin",  # visible non-ASCII, a Cyrillic a included: shown as it is
    "ad\u200bmin",
    "\u202euser\u202c<script>",
    "\ufeffstart and end\u200d",
    "\u2066isolated\u2069 and \u00adsoft hyphen",
    "".join(INVISIBLES),
    "x\u200b\u200by \"<&>\"",
])
def test_visible_keeps_the_text_and_marks_invisible_characters(text):
    out = visible(text)
    assert stripped(out) == text
    root = parse(out)
    assert root.text == text
    marked = root.find_all(lambda n: True)
    assert all(n.tag == "span" and n.classes() == {"invisible"} for n in marked)
    odd = [ch for ch in text if ch in INVISIBLES or ch in "\u202c"]
    assert [n.text for n in marked] == odd
    for node in marked:
        cp = f"U+{ord(node.text):04X}"
        assert node.attrs["data-cp"] == cp
        assert node.attrs["title"].startswith(cp)


def test_visible_leaves_ordinary_text_unmarked():
    assert "<span" not in visible("caf\u00e9 \u65e5\u672c \U0001f600")
    assert visible("a<b") == "a&lt;b"


# -- JSON views --------------------------------------------------------------------------------------------------------

JSON_VALUES = [
    {"alg": "HS256", "typ": "JWT"},
    {"sub": "1234567890", "name": "John \"Johnny\" Doe", "admin": True, "none": None, "off": False,
     "n": -12.5e-3, "big": 12345678901234567890, "list": [1, "two", [3, {"four": 4}]], "empty": {}, "e": []},
    {"key \"quoted\": yes": "value: with colon", "back\\slash": "\\\"", "html": "<script>alert(1)</script>&amp;"},
    {"na\u200bme": "ad\u202emin", "emoji": "\U0001f600", "\u65e5\u672c": "\u00e9"},
    {"a": "true", "b": "null", "c": "1e5", "d": "x\ny\tz"},
    ["top", "level", "array"],
    "just a string",
    42,
]


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", JSON_VALUES, ids=range(len(JSON_VALUES)))
def test_json_markup_text_is_the_pretty_json(value):
    out = json_markup(value, None)
    assert stripped(out) == pretty(value)
    assert parse(out).text == pretty(value)


@pytest.mark.parametrize("value", JSON_VALUES[:5], ids=range(5))
def test_json_markup_spans_carry_the_right_kind(value):
    root = parse(json_markup(value, None))
    text = pretty(value)
    spans = root.find_all(lambda n: any(c.startswith("j-") for c in n.classes()))
    assert spans
    pos = 0
    for span in spans:  # in document order: each kind matches what its text is in the JSON
        kind = next(c for c in span.classes() if c.startswith("j-"))
        found = text.index(span.text, pos)
        pos = found + len(span.text)
        if kind == "j-key":
            assert isinstance(json.loads(span.text), str) and text[pos:].startswith(":")
        elif kind == "j-str":
            assert isinstance(json.loads(span.text), str) and not text[pos:].startswith(":")
        elif kind == "j-num":
            assert isinstance(json.loads(span.text), (int, float))
        else:
            assert kind == "j-lit" and span.text in ("true", "false", "null")


def test_json_markup_shows_raw_text_when_not_json():
    raw = '{"sub": "x", <broken> &'
    out = json_markup(None, raw)
    assert stripped(out) == raw
    assert json_markup(None, None) == ""


def test_long_json_is_chunked_with_the_same_text():
    value = {"lines": [f"line {i} <{i}> \"q\"" for i in range(4000)], "blob": "y" * 40_000, "z\u200b": 1}
    text = pretty(value)
    assert markup.CHUNKED_JSON < len(text) < markup.HIGHLIGHT_LIMIT
    out = json_markup(value, None)
    root = parse(out)
    chunks = [c for c in root.children if isinstance(c, Node)]
    assert len(chunks) > 2 and all(c.classes() == {"chunk"} for c in chunks)
    assert root.text == text and stripped(out) == text
    assert root.find_all(with_class("j-key"))  # still highlighted
    # blocks end after a line break where there is one near the limit; the huge "blob" line is cut
    assert sum(not c.text.endswith("\n") for c in chunks) <= 3


def test_huge_json_is_chunked_without_highlighting():
    value = {"blob": "x" * (markup.HIGHLIGHT_LIMIT + 10), "n": 1}
    out = json_markup(value, None)
    assert stripped(out) == pretty(value)
    assert "j-key" not in out


@pytest.mark.parametrize("highlight", [True, False])
def test_chunked_keeps_every_character(highlight):
    text = ("{\n" + "".join(f'  "k{i}": "{"<&>" * (i % 50)}",\n' for i in range(3000)) + '  "end": 0\n}')
    out = markup.chunked(text, highlight)
    assert stripped(out) == text
    long_raw = "z" * (markup.CHUNK_CHARS * 3 + 5)  # one line: cut at the limit
    assert stripped(markup.chunked(long_raw, highlight)) == long_raw


# -- the coloured token ---------------------------------------------------------------------------------------------


def non_space_places(raw: str, start: int, token: str) -> list[int]:
    """Where each character of the token sits in the pasted text (independently of raw_positions)."""
    places, i = [], start
    for ch in token:
        while raw[i].isspace():
            i += 1
        assert raw[i] == ch
        places.append(i)
        i += 1
    return places


def layer_case(raw: str, key: str | None = None):
    report = jwtlens.inspect(raw, key)
    out = token_layer(raw, report)
    return report, out, parse(out)


def segment_text(root: Node, cls: str) -> str:
    return "".join(re.sub(r"\s", "", n.text) for n in root.find_all(with_class(cls)))


def check_segments(report, root: Node) -> None:
    """Each segment's characters are inside spans of its class, in order (whitespace of a wrapped paste aside)."""
    token = report.token
    classes = {seg.name: markup.SEGMENT_CLASSES[seg.name] for seg in token.segments if seg.text}
    for name, cls in classes.items():
        assert segment_text(root, cls) == "".join(seg.text for seg in token.segments if seg.name == name), name


def test_layer_of_a_bare_token():
    report, out, root = layer_case(WEAK)
    assert stripped(out) == WEAK
    check_segments(report, root)
    assert segment_text(root, "seg-dot") == ".."
    assert root.find_all(with_class("mark")) == []


@pytest.mark.parametrize("raw", [
    f"Authorization: Bearer {WEAK}\r\nAccept: */*",
    f"curl -H 'Authorization: Bearer {WEAK}' https://api.example.com/<path>?a=1&b=2",
    f"https://app.example.com/cb#id_token={WEAK}&state=xyz",
    f'{{"access_token": "{WEAK}", "token_type": "Bearer"}}',
])
def test_layer_of_a_token_pasted_with_text_around_it(raw):
    report, out, root = layer_case(raw)
    assert report.token is not None
    assert stripped(out) == raw
    check_segments(report, root)
    candidate = report.candidates[report.selected]
    others = "".join(n.text for n in root.find_all(with_class("other")))
    assert others == raw[: candidate.start] + raw[candidate.end:]


def wrapped(token: str, at: list[int], gap: str = "\n  ") -> str:
    """The token with whitespace inserted before each given index (a token wrapped over lines)."""
    out, prev = [], 0
    for i in sorted(at):
        out += [token[prev:i], gap]
        prev = i
    return "".join(out) + token[prev:]


@pytest.mark.parametrize("where", ["inside", "before-dot", "after-dot", "both-dots"])
def test_layer_of_a_token_wrapped_over_lines(where):
    first, second = WEAK.index("."), WEAK.rindex(".")
    at = {"inside": [20, 70, 130], "before-dot": [first, second], "after-dot": [first + 1, second + 1],
          "both-dots": [first, first + 1, second, second + 1]}[where]
    raw = "Bearer\n" + wrapped(WEAK, at) + "\n"
    report, out, root = layer_case(raw)
    assert report.token is not None and report.candidates[report.selected].token == WEAK
    assert stripped(out) == raw
    check_segments(report, root)


def marks_of(root: Node) -> list[Node]:
    return root.find_all(with_class("mark"))


def expected_marks(report, raw: str) -> dict[int, Problem]:
    """raw index -> problem, for each token problem that points at a character, computed from the Report alone."""
    candidate = report.candidates[report.selected]
    places = non_space_places(raw, candidate.start, candidate.token)
    starts = {seg.name: seg.start for seg in report.token.segments}
    out = {}
    for p in report.token.problems:
        if p.position is None or (p.segment != "token" and p.segment not in starts):
            continue
        offset = p.position if p.segment == "token" else starts[p.segment] + p.position
        if offset < len(candidate.token):
            out.setdefault(places[offset], p)
    return out


DOT = WEAK.index(".")
ODD = WEAK[:DOT] + "A" + WEAK[DOT:]  # a header of 4n+1 characters: its last one is marked
SHORT = WEAK[:-1]  # a signature one character short: its last character carries bits it cannot have
STANDARD = WEAK[:40] + "+" + WEAK[41:90] + "/" + WEAK[91:]  # base64 characters in a base64url token


@pytest.mark.parametrize("raw", [
    BROKEN,
    f"Authorization: Bearer {BROKEN}\n",
    ODD,
    wrapped(ODD, [DOT, DOT + 1, DOT + 2]),  # whitespace right before and after the marked character, after the dot
    wrapped(SHORT, [20, len(SHORT) - 1]),  # whitespace right before the marked last character
    STANDARD,
], ids=["broken", "header", "odd", "odd-wrapped", "short-wrapped", "standard"])
def test_marks_sit_on_the_characters_problems_point_at(raw):
    report, out, root = layer_case(raw)
    assert stripped(out) == raw
    expected = expected_marks(report, raw)
    assert expected, "this case should have problems with a position"
    marks = marks_of(root)
    assert len(marks) == len(expected)
    for mark in marks:
        pos = int(mark.attrs["data-pos"])
        assert pos in expected, (pos, raw[pos])
        problem = expected[pos]
        assert mark.text == raw[pos]
        assert mark.attrs["title"] == problem.message
        assert problem.level in mark.classes()
    for mark in marks:  # and the text before each mark is the text before that character
        pos = int(mark.attrs["data-pos"])
        idx = out.index(f'data-pos="{pos}"')
        assert stripped(out[: out.rindex("<span", 0, idx)]) == raw[:pos]


def test_marked_character_is_the_bad_one():
    report, out, root = layer_case(BROKEN)
    bad = [m for m in marks_of(root) if m.text == "!"]
    assert len(bad) == 1 and int(bad[0].attrs["data-pos"]) == BROKEN.index("!")
    assert "error" in bad[0].classes()


def test_layer_of_an_sd_jwt_with_disclosures():
    sd_jwt, key = sd_jwt_state()
    for raw in (sd_jwt, f"presentation: {sd_jwt}\n(end)"):
        report, out, root = layer_case(raw, key)
        assert report.sd_jwt is not None and report.sd_jwt.disclosures
        assert stripped(out) == raw
        disclosures = [n.text for n in root.find_all(with_class("seg-disclosure"))]
        assert [re.sub(r"\s", "", t) for t in disclosures] == [d.text for d in report.sd_jwt.disclosures]
        assert segment_text(root, "seg-kb") == report.sd_jwt.key_binding.token
        assert segment_text(root, "seg-header") == report.token.segments[0].text


def test_layer_of_a_jwe():
    token, key = jwe_state()
    for raw in (token, f"token={token}&x=1", wrapped(token, [token.index("."), token.index(".") + 1, 100])):
        report, out, root = layer_case(raw, key)
        assert report.token.kind == "JWE"
        assert stripped(out) == raw
        names = [seg.name for seg in report.token.segments]
        assert names == ["header", "encrypted_key", "iv", "ciphertext", "tag"]
        # dir: the encrypted key is empty, so two dots meet
        assert segment_text(root, "seg-dot") == "...."
        for seg in report.token.segments:
            if seg.text:
                assert segment_text(root, markup.SEGMENT_CLASSES[seg.name]) == seg.text


def test_layer_without_a_token_is_the_text():
    raw = "no token here <script>&amp;"
    report, out, root = layer_case(raw)
    assert stripped(out) == raw
    assert [n.classes() for n in root.children] == [{"other"}]


# -- lists and tables --------------------------------------------------------------------------------------------------


def test_problem_items_list_errors_before_warnings():
    problems = [
        Problem("w.one", "first warning", "payload", level="warning"),
        Problem("e.one", "first error", "header", position=3, fix="do this"),
        Problem("w.two", "second warning <b>", None, level="warning"),
        Problem("e.two", "second error", "signature"),
    ]
    positions = {0: 11, 1: 3}  # by index in the list as given
    root = parse(problem_items(problems, positions))
    items = root.children
    assert [li.attrs["data-code"] for li in items] == ["e.one", "e.two", "w.one", "w.two"]
    assert [li.attrs["data-level"] for li in items] == ["error", "error", "warning", "warning"]
    assert [li.attrs.get("data-segment") for li in items] == ["header", "signature", "payload", None]
    buttons = {li.attrs["data-code"]: li.find_all(lambda n: n.tag == "button") for li in items}
    assert [b.attrs["data-pos"] for b in buttons["e.one"]] == ["3"]
    assert [b.attrs["data-pos"] for b in buttons["w.one"]] == ["11"]  # its own position, after the sort
    assert buttons["e.two"] == [] and buttons["w.two"] == []
    assert items[0].find_all(with_class("fix"))[0].text == "do this"
    assert items[3].find_all(with_class("message"))[0].text == "second warning <b>"


def test_problem_items_of_a_real_report_are_errors_first():
    header, payload, signature = WEAK.split(".")
    # the header one character short: a warning (its last character's spare bits), then errors (JSON, signature)
    report = jwtlens.inspect(f"{header[:-1]}.{payload}.{signature}A")
    problems = report.problems + report.token.problems
    assert [p.level for p in problems][:2] == ["warning", "error"]
    items = parse(problem_items(problems, {})).children
    levels = [li.attrs["data-level"] for li in items]
    assert levels == sorted(levels, key=lambda level: level != "error") and len(levels) == len(problems)
    assert items[-1].attrs["data-code"] == problems[0].code


LABELS = ("Claim", "Value", "Meaning")


def test_claim_row_cells_carry_their_labels():
    claim = Claim("iss", "https://issuer.example", "payload", "Issuer: who made it.", "RFC 7519")
    root = parse(claim_row(claim, '<span class="when">x</span>', LABELS))
    (tr,) = root.children
    assert tr.tag == "tr" and tr.attrs == {"data-claim": "iss"}
    th, *tds = [c for c in tr.children if isinstance(c, Node)]
    assert th.tag == "th" and th.attrs == {"scope": "row"} and th.text == "iss"
    assert [td.attrs["data-label"] for td in tds] == ["Value", "Meaning"]
    assert tds[0].find_all(lambda n: n.tag == "code")[0].text == "https://issuer.example"
    assert tds[0].find_all(with_class("when"))  # the time markup goes in as it is
    assert tds[1].text == "Issuer: who made it. (RFC 7519)"


def test_claim_row_escapes_a_hostile_claim():
    name = '"><img src=x onerror=alert(1)>'
    claim = Claim(name, {"<script>": "</td>"}, "payload")
    root = parse(claim_row(claim, "", ("Parameter", "Value", "Meaning")))
    (tr,) = root.children
    assert tr.attrs["data-claim"] == name
    assert not root.find_all(lambda n: n.tag in ("img", "script"))
    th, value, meaning = [c for c in tr.children if isinstance(c, Node)]
    assert th.text == name
    assert json.loads(value.text) == {"<script>": "</td>"}
    assert meaning.text == "no description" and meaning.classes() == {"unknown"}
    assert [td.attrs["data-label"] for td in (value, meaning)] == ["Value", "Meaning"]


def test_claim_row_cuts_a_long_value():
    claim = Claim("blob", "q" * 5000, "payload")
    root = parse(claim_row(claim, "", LABELS))
    code = root.find_all(lambda n: n.tag == "code")[0].text
    assert code.startswith("q" * markup.CLAIM_VALUE_LIMIT)
    assert code.endswith(f"\u2026 ({5000 - markup.CLAIM_VALUE_LIMIT:,} more characters)")


def test_control_characters_are_marked_and_kept() -> None:
    text = "ab\x01c\x7f\td\ne\x9b"
    out = markup.visible(text)
    assert out.count('class="invisible"') == 3
    assert 'data-cp="U+0001"' in out and 'data-cp="U+007F"' in out and 'data-cp="U+009B"' in out
    assert unescape(re.sub(r"<[^>]+>", "", out)) == text  # the text itself is unchanged
