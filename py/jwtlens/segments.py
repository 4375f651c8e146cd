"""Forensic decoding of one compact token, segment by segment.

PyJWT decodes a token all or nothing and stops at the first error. A person looking at a broken token wants to see
every segment that still decodes and, for the one that does not, the exact character and the fix. So the scanning
here is our own: each segment is checked character by character (with regular expressions, so a 1 MB token stays
linear) and decoded as far as possible; b64url.py decodes the cleaned text.

Positions in problems are 0-based character offsets inside the segment; messages say "character N" counting from 1,
as a person counts.
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from typing import Any

from . import b64url
from .problems import Code, problem
from .report import Problem, Segment, SegmentName, TokenReport

MAX_DEPTH = 200  # deeper JSON is not parsed: json's C scanner recurses, and deep recursion can kill Pyodide's stack
MAX_REPORTED_CHARS = 5  # invalid characters reported one by one per segment; the rest are summed up

JWS_NAMES: tuple[SegmentName, ...] = ("header", "payload", "signature")
JWE_NAMES: tuple[SegmentName, ...] = ("header", "encrypted_key", "iv", "ciphertext", "tag")
LABELS: dict[str, str] = {
    "header": "Header",
    "payload": "Payload",
    "signature": "Signature",
    "encrypted_key": "Encrypted key",
    "iv": "Initialization vector",
    "ciphertext": "Ciphertext",
    "tag": "Authentication tag",
    "token": "Token",
}

_NOT_B64URL = re.compile(r"[^A-Za-z0-9_-]+")
_STRAY = re.compile(r"[^A-Za-z0-9_+/-]")
_DROP_B64_OR_STD = str.maketrans(dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/"))
_TRAILING_JUNK = re.compile(r"[^A-Za-z0-9_+/-]*\Z")
_STD_TO_URL = str.maketrans("+/", "-_")
_B64_VALUE = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}
# JSON strings (skipped whole) and brackets; used to measure nesting depth without recursion
_ESCAPE = re.compile(r"\\.", re.S)  # a backslash and the character it escapes
_STRING = re.compile(r'"[^"]*"')  # a JSON string once its escapes are blanked
_BRACKET = re.compile(r"[\[\]{}]")
_NON_BRACKETS = re.compile(r"[^\[\]{}]+")
_SQUARE = str.maketrans("{}", "[]")


class HugeNumber(str):
    """A JSON number kept as its digits because Python cannot (or should not) turn it into int/float.

    A str subclass so the Report stays JSON-compatible; claims.py uses the type to say "number", not "string".
    """

    __slots__ = ()


def int_digit_limit() -> int:
    """Python's int/str conversion limit (CVE-2020-10735); 0 means unlimited, where we still cap for speed."""
    get = getattr(sys, "get_int_max_str_digits", None)
    limit = get() if get else 0
    return limit if limit > 0 else 4300


# ---------------------------------------------------------------------------------------------------------------
# base64url


def describe_char(ch: str) -> str:
    """A character named so a person can find it: "'+'", "a space", "U+200B ZERO WIDTH SPACE"."""
    names = {" ": "a space", "\n": "a line break", "\r": "a carriage return", "\t": "a tab"}
    if ch in names:
        return names[ch]
    code = ord(ch)
    if 32 < code < 127:
        return f"'{ch}'"
    name = unicodedata.name(ch, "")
    shown = f"'{ch}' " if ch.isprintable() else ""
    return f"{shown}(U+{code:04X}{' ' + name if name else ''})"


def _char_fix(ch: str) -> str | None:
    if ch in "\"'`":
        return "Remove the quote: it was probably copied along with the token."
    if ch == "\\":
        return "Remove the backslash: it is an escape left over from JSON or a shell."
    if ch == "%":
        return "The token is percent-encoded (URL encoding): decode %XX sequences first."
    if ch == "\u2026" or ch == "*":
        return "The token was shortened or masked for display; copy the full token from its source."
    if ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp"):
        return "Remove the invisible or space character: it was added by copying or line wrapping."
    return None


def decode_b64url(text: str, segment: SegmentName, label: str) -> tuple[bytes, bool, list[Problem]]:
    """Decode one segment as far as possible.

    Returns (bytes, exact, problems): exact is False when characters had to be dropped to decode at all.
    '+' and '/' are mapped to '-' and '_' (so a standard-base64 token still decodes exactly), '=' padding and
    stray characters are dropped.
    """
    stripped = text.rstrip("=")
    pad = len(text) - len(stripped)
    problems: list[Problem] = []
    if pad:
        problems.append(problem(
            Code.B64_PADDING,
            f"{label}, character {len(stripped) + 1}: {pad} '=' padding character{'s' if pad > 1 else ''} "
            "at the end. base64url in a JWT has no padding; it was ignored.", segment=segment, position=len(stripped)))
    clean, exact = _alphabet(stripped, segment, label, problems)
    clean, exact = _length(clean, stripped, segment, label, problems, exact)
    try:
        data = b64url.decode(clean, canonical=False)
    except b64url.Base64urlError:  # not expected after cleaning; keep going with nothing
        return b"", False, problems
    return data, exact, problems


def _alphabet(stripped: str, segment: SegmentName, label: str, problems: list[Problem]) -> tuple[str, bool]:
    """Standard-base64 and stray characters: reported (the first few one by one) and mapped or dropped.

    Counts are made in C (str.count, str.translate) and details only for the first few: a 1 MB segment of junk
    stays fast."""
    std_count = stripped.count("+") + stripped.count("/")
    std_first = min((i for i in (stripped.find("+"), stripped.find("/")) if i >= 0), default=None)
    stray_count = len(stripped.translate(_DROP_B64_OR_STD))
    if std_first is not None:
        more = f" ({std_count} '+' or '/' characters in this segment)" if std_count > 1 else ""
        problems.append(problem(
            Code.B64_STANDARD_ALPHABET,
            f"{label}, character {std_first + 1}: '{stripped[std_first]}' is not allowed in base64url{more}. "
            "It belongs to standard base64; the segment was decoded as such.", segment=segment, position=std_first))
    listed = 0
    for m in _STRAY.finditer(stripped) if stray_count else ():
        ch, pos = m.group(), m.start()
        what = "'=' (padding, but not at the end)" if ch == "=" else describe_char(ch)
        problems.append(problem(
            Code.B64_INVALID_CHAR,
            f"{label}, character {pos + 1}: {what} is not allowed in base64url; it was skipped to decode the rest.",
            segment=segment, position=pos, fix=_char_fix(ch)))
        listed += 1
        if listed == MAX_REPORTED_CHARS:
            break
    if stray_count > listed:
        rest = stray_count - listed
        problems.append(problem(
            Code.B64_INVALID_CHAR, f"{label}: {rest} more character{'s' if rest > 1 else ''} not allowed in "
            "base64url (only the first are listed).", segment=segment))
    clean = stripped.translate(_STD_TO_URL) if std_count else stripped
    return (_NOT_B64URL.sub("", clean), False) if stray_count else (clean, True)


def _length(clean: str, stripped: str, segment: SegmentName, label: str, problems: list[Problem],
            exact: bool) -> tuple[str, bool]:
    """An impossible length (the last character is dropped) and stray bits in the last character."""
    rem = len(clean) % 4
    if rem == 1:
        problems.append(problem(
            Code.B64_IMPOSSIBLE_LENGTH,
            f"{label}: {len(clean)} base64url characters is an impossible length (one more than a multiple of 4 can "
            "never come from an encoder); the last character was ignored.",
            segment=segment, position=max(len(stripped) - 1, 0)))
        return clean[:-1], False
    if rem in (2, 3) and _B64_VALUE[clean[-1]] & (0x0F if rem == 2 else 0x03):
        pos = _last_alphabet_index(stripped)
        problems.append(problem(
            Code.B64_NON_CANONICAL,
            f"{label}, character {pos + 1}: '{stripped[pos]}' has unused low bits set (non-canonical base64url); "
            "decoders ignore them, so another text decodes to the same bytes.", segment=segment, position=pos))
    return clean, exact


def _last_alphabet_index(text: str) -> int:
    m = _TRAILING_JUNK.search(text)
    return max((m.start() if m else len(text)) - 1, 0)


# ---------------------------------------------------------------------------------------------------------------
# UTF-8 and JSON


def decode_utf8(data: bytes, segment: SegmentName, label: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as e:
        bad = data[e.start : e.end].hex(" ")
        return data.decode("utf-8", errors="replace"), [
            problem(
                Code.UTF8_INVALID,
                f"{label}: the decoded bytes are not valid UTF-8 at byte offset {e.start} (0x{bad}: {e.reason}); "
                "the text is shown with replacement characters (\ufffd).",
                segment=segment,
            )
        ]


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def nesting_too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """Offset where nesting first exceeds the limit, else None. Linear, no recursion."""
    if text.count("[") + text.count("{") <= limit:
        return None
    # Only the brackets outside strings matter. They are taken in chunks of `limit`: a chunk can only push the
    # depth over the limit if the depth before it plus its opening brackets exceeds the limit, and only such
    # chunks are walked bracket by bracket. Shallow documents thus cost a few str.count calls per chunk.
    structure = _outside_strings(text)
    brackets = _NON_BRACKETS.sub("", structure).translate(_SQUARE)
    depth = 0
    for start in range(0, len(brackets), limit):
        chunk = brackets[start : start + limit]
        opens = chunk.count("[")
        if depth + opens <= limit:
            depth += 2 * opens - len(chunk)
            continue
        for i, c in enumerate(chunk):
            depth += 1 if c == "[" else -1
            if depth > limit:
                return _nth_bracket(structure, start + i)
    return None


def _outside_strings(text: str) -> str:
    """text with every string (and an unterminated one at the end) blanked to spaces, offsets kept.

    Escapes are blanked first, so a string is then simply a quote, non-quotes and a quote: each step is one linear
    regular-expression pass. (A single expression for strings with escapes rescanned an unterminated string of
    escaped quotes from every quote: quadratic, seconds for a 50 KB token.)"""
    blanked = _ESCAPE.sub("  ", text)
    blanked = _STRING.sub(lambda m: " " * (m.end() - m.start()), blanked)
    open_quote = blanked.find('"')
    return blanked if open_quote < 0 else blanked[:open_quote] + " " * (len(blanked) - open_quote)


def _nth_bracket(structure: str, n: int) -> int:
    """Offset of the n-th (0-based) bracket in text whose strings are blanked."""
    for i, m in enumerate(_BRACKET.finditer(structure)):
        if i == n:
            return m.start()
    return 0


class _Hooks:
    """json.loads hooks that record what would otherwise be lost or fatal."""

    def __init__(self) -> None:
        self.duplicates: list[str] = []
        self.huge: list[str] = []
        self.constants: list[str] = []
        self.limit = int_digit_limit()

    def loads(self, text: str, *, with_int_hook: bool) -> Any:
        return json.loads(
            text,
            object_pairs_hook=self.pairs,
            parse_int=self.parse_int if with_int_hook else None,
            parse_float=self.parse_float,
            parse_constant=self.parse_constant,
        )

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for k, v in pairs:
            if k in obj:
                self.duplicates.append(k)
            obj[k] = v  # last one wins, as with json.loads (and so PyJWT)
        return obj

    def parse_int(self, s: str) -> int | str:
        if len(s) - (s[0] == "-") > self.limit:
            self.huge.append(s)
            return HugeNumber(s)
        return int(s)

    def parse_float(self, s: str) -> float | str:
        f = float(s)
        if math.isinf(f):
            self.huge.append(s)
            return HugeNumber(s)
        return f

    def parse_constant(self, s: str) -> str:
        self.constants.append(s)
        return s


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n // 2] + "\u2026" + s[-n // 2 :] + f" ({len(s)} characters)"


def parse_json(text: str, segment: SegmentName, label: str, *, strict: bool = True) -> tuple[Any, bool, list[Problem]]:
    """Parse JSON safely: never raises, never recurses deeply, never converts a huge number.

    Returns (value, parsed, problems). With strict=False a text that does not even start like JSON gets a warning
    instead of an error (a JWS may carry any payload; it is only not a JWT then).
    """
    deep = nesting_too_deep(text)
    if deep is not None:
        line, col = _line_col(text, deep)
        return None, False, [problem(
            Code.JSON_TOO_DEEP, f"{label}: the JSON nests deeper than {MAX_DEPTH} levels (line {line}, column {col}); "
            "it was not parsed.", segment=segment, line=line, column=col)]
    try:
        value, hooks = _loads(text)
    except json.JSONDecodeError as e:
        return None, False, [_syntax_problem(e, text, segment, label, strict)]
    except RecursionError:  # only if the interpreter's limit is below MAX_DEPTH
        return None, False, [problem(Code.JSON_TOO_DEEP, f"{label}: the JSON nests too deeply to parse.",
                                     segment=segment)]
    return value, True, _hook_problems(hooks, segment, label)


def _loads(text: str) -> tuple[Any, _Hooks]:
    """ints are converted natively (a hook costs a Python call per number); one beyond Python's digit limit raises
    a plain ValueError, and then the parse is repeated with the int hook."""
    hooks = _Hooks()
    try:
        return hooks.loads(text, with_int_hook=False), hooks
    except json.JSONDecodeError:
        raise
    except ValueError:
        hooks = _Hooks()
        return hooks.loads(text, with_int_hook=True), hooks


def _syntax_problem(e: json.JSONDecodeError, text: str, segment: SegmentName, label: str, strict: bool) -> Problem:
    looks_json = text.lstrip()[:1] in ("{", "[", '"')
    firm = looks_json or strict
    reason = e.msg.removesuffix(" at")  # "Invalid control character at": the position follows in our words
    return problem(
        Code.JSON_SYNTAX,
        f"{label} {'is not valid JSON' if firm else 'is not JSON; it is shown as text'}: {reason} at line {e.lineno}, "
        f"column {e.colno}.",
        segment=segment, line=e.lineno, column=e.colno, level="error" if firm else "warning",
        fix=None if firm else "A JWT payload must be a JSON object; a plain JWS may carry other content, but then it "
        "is not a JWT.")


def _hook_problems(hooks: _Hooks, segment: SegmentName, label: str) -> list[Problem]:
    """What the parse hooks recorded: duplicate members, numbers too large, NaN/Infinity (a few of each)."""
    found = [(Code.JSON_DUPLICATE_MEMBER,
              f"{label}: the member \"{_short(name)}\" appears more than once; the last value is shown.")
             for name in _unique(hooks.duplicates)[:10]]
    found += [(Code.JSON_NUMBER_TOO_LARGE,
               f"{label}: the number {_short(digits)} is too large to handle as a number; it is kept as text.")
              for digits in hooks.huge[:5]]
    found += [(Code.JSON_NON_STANDARD_CONSTANT,
               f"{label}: {name} is not valid JSON (Python accepts it, most parsers reject it); kept as text.")
              for name in _unique(hooks.constants)[:5]]
    return [problem(code, message, segment=segment) for code, message in found]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def peek_header(segment_text: str) -> dict[str, Any] | None:
    """The decoded header as a dict when it decodes cleanly enough; None otherwise. For candidate listings."""
    data, _, _ = decode_b64url(segment_text, "header", "Header")
    text = data.decode("utf-8", errors="replace")
    value, ok, _ = parse_json(text, "header", "Header")
    return value if ok and isinstance(value, dict) else None


# ---------------------------------------------------------------------------------------------------------------
# the token


def decode_token(token: str) -> TokenReport:
    """Decode every segment of a compact token on its own, collecting problems with positions and fixes."""
    count = token.count(".") + 1
    kind = "JWS" if count == 3 else "JWE" if count == 5 else "unknown"
    if kind == "JWE":
        parts, names = token.split("."), JWE_NAMES
    elif count <= 3:
        parts, names = token.split("."), JWS_NAMES[:count]
    else:
        # read the first three as a JWS would; whatever follows stays one undecoded "token" segment
        parts, names = token.split(".", 3), (*JWS_NAMES, "token")
    segments: list[Segment] = []
    offset = 0
    for name, text in zip(names, parts, strict=True):
        segments.append(Segment(name, text, offset))
        offset += len(text) + 1
    report = TokenReport(token=token, kind=kind, segments=segments)
    problems = report.problems
    if kind == "unknown":
        problems.append(_segment_count_problem(count))

    # header
    header_seg = segments[0]
    if header_seg.text == "":
        problems.append(
            problem(Code.TOKEN_EMPTY_SEGMENT, "Header: the segment is empty, so nothing says how the token "
                    "is signed.", segment="header", position=0)
        )
    else:
        report.header, report.header_text = _decode_json_segment(header_seg, problems, strict=True)
    header = report.header if isinstance(report.header, dict) else None
    if header is not None:
        _check_alg(header, problems)

    # everything after the header
    for seg in segments[1:]:
        if seg.name == "token":
            continue  # the extra segments of a token with too many: the segment-count problem says it all
        if seg.name == "payload" and kind != "JWE":
            _decode_payload(report, seg, header, problems)
        else:
            _decode_binary_segment(seg, kind, problems)

    if kind == "JWS":
        _check_unsecured(header, segments[2], problems)
    elif kind == "JWE":
        alg = header.get("alg") if header else None
        enc = header.get("enc") if header else None
        details = ", ".join(f"{k} {v}" for k, v in (("alg", alg), ("enc", enc)) if isinstance(v, str))
        problems.append(
            problem(
                Code.JWE_ENCRYPTED,
                f"Encrypted token (JWE{', ' + details if details else ''}): only the protected header can be read; "
                "the claims are inside the ciphertext.",
                segment="ciphertext",
            )
        )
    return report


def _segment_count_problem(count: int) -> Problem:
    dots = count - 1
    if count == 1:
        hint = "There is no dot at all: this is one segment, not a compact JWT (or the dots were lost)."
    elif count == 2:
        hint = (
            "The signature segment is missing. Even an unsigned token ends with a dot after the payload "
            "(header.payload.)."
        )
    elif count == 4:
        hint = "One dot too many for a JWS (3 segments) or one segment short of a JWE (5 segments)."
    else:
        hint = "More segments than any JWT has: several tokens may be joined together."
    return problem(
        Code.TOKEN_SEGMENT_COUNT,
        f"The token has {count} segment{'s' if count != 1 else ''} ({dots} dot{'s' if dots != 1 else ''}); "
        f"a signed JWT (JWS) has 3 and an encrypted JWT (JWE) has 5. {hint}",
        segment="token",
    )


def _decode_json_segment(seg: Segment, problems: list[Problem], *, strict: bool) -> tuple[Any, str | None]:
    label = LABELS[seg.name]
    data, exact, b64_problems = decode_b64url(seg.text, seg.name, label)
    problems.extend(b64_problems)
    seg.decoded_length = len(data) if exact else None
    text, utf_problems = decode_utf8(data, seg.name, label)
    problems.extend(utf_problems)
    value, parsed, json_problems = parse_json(text, seg.name, label, strict=strict)
    problems.extend(json_problems)
    if parsed and not isinstance(value, dict):
        problems.append(
            problem(
                Code.JSON_NOT_OBJECT,
                f"{label} is JSON but not an object: it is {json_value_words(value)}.",
                segment=seg.name,
            )
        )
    return (value if parsed else None), text


def number_text(value: int | float) -> str:
    """A number for messages: as written when short, else in scientific notation (also for ints beyond float)."""
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= 30 else f"{value:.6g}"
    if abs(value) < 10**30:
        return str(value)
    exponent = math.log10(abs(value))  # math.log10 takes ints of any size
    whole = math.floor(exponent)
    return f"{'-' if value < 0 else ''}{10 ** (exponent - whole):.5g}e+{whole}"


def json_value_words(value: Any) -> str:
    """A decoded JSON value in words, for messages: 'a string ("abc")', 'a number (5)', 'an array', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean (" + ("true" if value else "false") + ")"
    if isinstance(value, HugeNumber):
        return f"a number with {len(value.lstrip('-'))} digits"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "\u2026"
        return f"a string (\"{shown}\")"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (int, float)):
        return f"a number ({number_text(value)})"
    return type(value).__name__


def _check_alg(header: dict[str, Any], problems: list[Problem]) -> None:
    if "alg" not in header:
        problems.append(
            problem(Code.HEADER_ALG_MISSING, "Header: there is no \"alg\" member, so nothing says how the token "
                    "is signed or encrypted.", segment="header")
        )
    elif not isinstance(header["alg"], str):
        problems.append(
            problem(Code.HEADER_ALG_TYPE, f"Header: \"alg\" is {json_value_words(header['alg'])}, not a string.",
                    segment="header")
        )


def _decode_payload(report: TokenReport, seg: Segment, header: dict[str, Any] | None, problems: list[Problem]) -> None:
    if header is not None and header.get("b64") is False:
        # RFC 7797: the payload is used as is, not base64url-encoded
        report.payload_text = seg.text
        seg.decoded_length = len(seg.text.encode("utf-8", errors="replace"))
        value, parsed, _ = parse_json(seg.text, "payload", "Payload")
        report.payload = value if parsed and isinstance(value, dict) else None
        return
    if seg.text == "":
        problems.append(
            problem(
                Code.TOKEN_EMPTY_SEGMENT,
                "Payload: the segment is empty. Either the payload is detached (sent separately, RFC 7515 "
                "appendix F) or it was lost in copying.",
                segment="payload",
                position=0,
                fix="Paste the full token, or decode the detached payload separately.",
                level="warning" if report.kind == "JWS" else "error",
            )
        )
        return
    report.payload, report.payload_text = _decode_json_segment(seg, problems, strict=False)


def _decode_binary_segment(seg: Segment, kind: str, problems: list[Problem]) -> None:
    label = LABELS[seg.name]
    if seg.text == "":
        seg.decoded_length = 0
        if kind == "JWE" and seg.name in ("ciphertext", "iv", "tag"):
            problems.append(
                problem(
                    Code.TOKEN_EMPTY_SEGMENT,
                    f"{label}: the segment is empty; an encrypted token needs it.",
                    segment=seg.name,
                    position=0,
                    level="error" if seg.name == "ciphertext" else "warning",
                )
            )
        return
    data, exact, b64_problems = decode_b64url(seg.text, seg.name, label)
    problems.extend(b64_problems)
    seg.decoded_length = len(data) if exact else None


def _check_unsecured(header: dict[str, Any] | None, signature: Segment, problems: list[Problem]) -> None:
    alg = header.get("alg") if header else None
    alg_none = isinstance(alg, str) and alg.lower() == "none"
    if alg_none:
        extra = ""
        if signature.text:
            extra = " The signature segment is not empty, which an unsecured token should not have."
        problems.append(
            problem(
                Code.JWS_UNSECURED,
                f"Unsecured token: the header says alg \"{alg}\", so there is no signature and anyone can create "
                f"or change this token.{extra}",
                segment="signature",
            )
        )
    elif signature.text == "":
        named = f" although the header says alg \"{alg}\"" if isinstance(alg, str) else ""
        problems.append(
            problem(
                Code.JWS_UNSECURED,
                f"The signature segment is empty{named}: the token carries no signature (it may have been "
                "stripped), so it cannot be trusted.",
                segment="signature",
                position=0,
            )
        )


def is_unsecured(token: TokenReport) -> bool:
    """alg none (any case) or an empty signature on a JWS."""
    if token.kind != "JWS":
        return False
    alg = token.header.get("alg") if isinstance(token.header, dict) else None
    return (isinstance(alg, str) and alg.lower() == "none") or token.segments[2].text == ""


def media_type(value: Any) -> str | None:
    """A typ or cty value without its "application/" prefix, lower case (RFC 7515 4.1.9, 4.1.10)."""
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    return v[len("application/"):] if v.startswith("application/") else v
