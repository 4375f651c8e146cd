"""Text that does not look like what it is: invisible characters, bidirectional controls, and words that mix Latin
with look-alike letters of other scripts (Unicode TR 36 "Unicode Security Considerations", 3.1 and 3.4).

A claim ``"sub": "ad\\u200bmin"`` shows as "admin" and ``"\\u202egnp.exe"`` as "exe.png", so a person reading the
token (or a log) sees another value than a program compares. ``scan(header, payload)`` finds them in member names and
string values, bounded like the other per-keystroke scans; the review turns hits into findings, the page marks the
characters where it shows the JSON.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Bidirectional formatting characters (UAX 9): they reorder the text around them on screen.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible in most fonts though not format characters (Unicode category Cf is checked as well).
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_WORD = re.compile(r"\w+")
_MAX_NODES = 1000
_MAX_TEXT = 32_768


def is_invisible(ch: str) -> bool:
    """A character that takes no visible space or changes the display of others."""
    return ch in BIDI or ch in _INVISIBLE_EXTRA or unicodedata.category(ch) == "Cf"


def _script(ch: str) -> str | None:
    """Latin, Cyrillic or Greek for letters (the scripts whose letters people confuse), else None."""
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "Latin"
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script.title()
    return None


def mixed_script_word(text: str) -> str | None:
    """The first word that mixes Latin letters with Cyrillic or Greek ones, with its scripts: "pаypal (Latin and
    Cyrillic)"."""
    for m in _WORD.finditer(text):
        scripts = {s for s in map(_script, m.group()) if s}
        if "Latin" in scripts and len(scripts) > 1:
            others = " and ".join(sorted(scripts - {"Latin"}))
            return f"'{m.group()[:40]}' (Latin and {others})"
    return None


@dataclass
class Hit:
    kind: str  # "invisible" (invisible or bidi characters) or "mixed-script"
    paths: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # "U+200B ZERO WIDTH SPACE", or the word


def scan(header: Any, payload: Any) -> list[Hit]:
    hits = {"invisible": Hit("invisible"), "mixed-script": Hit("mixed-script")}
    budget = [_MAX_NODES, _MAX_TEXT]
    for path, text in (*_strings(header, "header", budget), *_strings(payload, "payload", budget)):
        odd = [ch for ch in dict.fromkeys(text) if is_invisible(ch)]
        if odd:
            _note(hits["invisible"], path, [code_point(ch) for ch in odd])
        word = mixed_script_word(text)
        if word:
            _note(hits["mixed-script"], path, [word])
    return [hit for hit in hits.values() if hit.paths]


def _note(hit: Hit, path: str, examples: list[str]) -> None:
    if path not in hit.paths:
        hit.paths.append(path)
    for example in examples:
        if example not in hit.examples:
            hit.examples.append(example)


def code_point(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def _strings(value: Any, path: str, budget: list[int], depth: int = 0) -> Iterator[tuple[str, str]]:
    """(path, text) for member names and string values, within a node and a character budget."""
    if isinstance(value, str):
        if budget[1] > 0:
            budget[1] -= min(len(value), 2048)
            yield path, value[:2048]
        return
    if depth > 32 or not isinstance(value, (dict, list)):
        return
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        budget[0] -= 1
        if budget[0] < 0:
            return
        here = f"{path}.{key}" if isinstance(value, dict) else f"{path}[{key}]"
        if isinstance(key, str):
            yield f"{here} (name)", key
        yield from _strings(item, here, budget, depth + 1)
