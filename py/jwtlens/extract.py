"""Input cleanup and token discovery: from whatever was pasted to a list of compact tokens.

A person pastes a bare token, a token wrapped across lines or in quotes, a ``Bearer`` value, a whole
``Authorization:`` header, a cookie header, a URL from a redirect, a JSON response from a token endpoint, or a log
excerpt. Each JWT-shaped string found becomes a Candidate with words for where it was found. When the whole input is
a single token-ish string that is not quite a JWT (standard base64, a stray character, a missing segment), it still
becomes a candidate, so the decoder can say exactly what is wrong with it.

Structured inputs (JSON, URL, cookies) are parsed only to name the source of each token; the spans always come from
one regular-expression scan of the raw text, which keeps the whole thing linear in the input size.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import b64url
from .problems import Code, problem
from .report import Candidate, Problem
from .segments import nesting_too_deep, peek_header

# A JWT-shaped string: 3 or 5 dot-separated base64url segments whose first decodes to '{' (base64url 'e' followed
# by one of w-z, 0-9, '-', '_'). Segments after the first may be empty (unsecured JWS, JWE with "dir").
_JWT_RE = re.compile(r"(?<![A-Za-z0-9_.-])e[w-z0-9_-][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2,4}(?![A-Za-z0-9_-])")
# A compact SD-JWT or SD-JWT+KB (RFC 9901 4): JWT~(disclosure~)*[KB-JWT]
_B64 = r"[A-Za-z0-9_-]"
_JWT_PART = rf"{_B64}+\.{_B64}+\.{_B64}*"
SD_JWT_RE = re.compile(rf"(?<![A-Za-z0-9_.~-]){_JWT_PART}(?:~{_B64}+)*~(?:{_JWT_PART})?(?![A-Za-z0-9_.~-])")
_TOKENISH_RUN = re.compile(r"[A-Za-z0-9_\-+/=.]+")
_WS = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    """text without its whitespace: str.split() drops the characters the regex class \\s matches (every code point
    checked), ten times faster than re.sub on a 1 MB token."""
    return "".join(text.split())
_SPACES = re.compile(r"[ \t\u00a0]")
_B64URL_DOTS = re.compile(r"[A-Za-z0-9_\-+/=.]+")
_NOT_B64URL_DOTS = re.compile(r"[^A-Za-z0-9_\-+/=.]")
# A token wrapped over lines is still taken whole with this many stray characters in it (a typo, a pasted quote):
# the decoder then points at each of them
MAX_STRAY = 8
_QUOTES = "\"'`"
_BEARER = re.compile(r"(?i)^(?:bearer|dpop)(?:\s*:\s*|\s+)")
_AUTH_LINE = re.compile(r"(?i)^(?:proxy-)?authorization[ \t]*:[ \t]*")
_COOKIE_LINE = re.compile(r"(?i)^(set-)?cookie[ \t]*:[ \t]*")
_URL_START = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:/|[/?#])\S*$")
_NEXT_HEADER = re.compile(r"\n[ \t]*[A-Za-z0-9-]+[ \t]*:")

MAX_CANDIDATES = 200  # a list longer than this helps nobody and costs time in the browser

# Parameter and field names that carry tokens; a value under one of these is taken even if it is malformed.
TOKEN_NAMES = {
    "token", "id_token", "access_token", "refresh_token", "logout_token", "jwt", "assertion", "client_assertion",
    "subject_token", "actor_token", "request", "response", "authorization", "bearer", "credential",
}

# context just before a match, searched in at most this many characters (keeps the scan linear)
_LOOKBACK = 4000
_CTX_AUTH = re.compile(r"(?i)(?:^|[\s\"'])(?:proxy-)?authorization[ \t]*:[ \t]*(?:(?:bearer|dpop)[ \t]+)?$")
_CTX_COOKIE = re.compile(r"(?i)^[ \t]*(set-)?cookie[ \t]*:.*?([^\s;=,]+)=[\"']?$")
_CTX_JSON = re.compile(r'"((?:[^"\\\n]|\\.){1,100})"\s*:\s*"(?:bearer\s+)?$', re.I)
_CTX_PARAM = re.compile(r"([A-Za-z0-9_.\-\[\]]{1,100})=[\"']?$")
_CTX_BEARER = re.compile(r"(?i)(?:bearer|dpop)\s+$")
_CTX_DPOP = re.compile(r"(?i)(?:^|[\s\"'])dpop[ \t]*:[ \t]*$")
_CTX_WORD = re.compile(r"\S*$")


def find_candidates(text: str) -> tuple[str, list[Candidate], list[Problem]]:
    """Return (input_kind, candidates, problems) for the pasted text. Never raises on a str."""
    if not text.strip():
        return "empty", [], []
    return _Finder(text).run()


class _Finder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.candidates: list[Candidate] = []
        self.seen: set[str] = set()
        self.sources: dict[str, str] = {}  # token -> source found by parsing the structure
        self.extra: list[tuple[str, int, int, str]] = []  # tokens the raw scan cannot see (encoded, malformed)
        self.truncated = False  # more than MAX_CANDIDATES were found
        self.cut: set[str] = set()  # JWT-shaped prefixes of longer broken tokens: not candidates themselves

    def run(self) -> tuple[str, list[Candidate], list[Problem]]:
        text = self.text
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        unquoted, ustart = _strip_quotes(body, lead)

        # a header line or a Bearer value
        m = _AUTH_LINE.match(unquoted)
        if m:
            value, vstart = _strip_bearer(unquoted[m.end() :], ustart + m.end())
            return self._single_value(value, vstart, "Authorization header", "Authorization header")
        if _BEARER.match(unquoted) or unquoted.lower() in ("bearer", "dpop"):
            value, vstart = _strip_bearer(unquoted, ustart)
            return self._single_value(value, vstart, "Authorization header", "Bearer token")
        m = _COOKIE_LINE.match(unquoted)
        if m and "\n" not in unquoted:
            return self._cookie(unquoted[m.end() :], ustart + m.end(), "Set-Cookie" if m.group(1) else "cookie")
        if not unquoted:
            return "token", [], [problem(Code.INPUT_EMPTY, "The quotes hold no token.", segment="input")]

        # the whole input is one token, possibly wrapped across lines
        compact = _squeeze(unquoted)
        joinable = _one_wrapped_value(unquoted)
        if joinable and is_jwt(compact):
            self._add(compact, ustart, ustart + len(unquoted), "pasted token")
            return "token", self.candidates, []
        if joinable and SD_JWT_RE.fullmatch(compact) and _header_like(compact[: compact.index(".")]):
            self._add(compact, ustart, ustart + len(unquoted), "pasted SD-JWT", kind="SD-JWT")
            return "token", self.candidates, []

        kind = "text"
        if body[:1] in ("{", "["):
            doc = _load_json(body)
            if _sd_jwt_json(doc):  # RFC 9901 8: the whole document is one SD-JWT
                self._add(body, lead, lead + len(body), "SD-JWT JSON serialization", kind="SD-JWT")
                return "JSON", self.candidates, []
            if doc is not _NOT_JSON:
                kind = "JSON"
                self._json(doc)
        elif _URL_START.match(unquoted):
            kind = "URL"
            self._url(unquoted, ustart)
        self._scan(kind)

        # A single malformed token is still a candidate, so the decoder can explain it. "Single" means no spaces
        # (line breaks from wrapping are fine). When the scan found a JWT that is only the start of the input, cut
        # short by a standard-base64 character ("+", "/", "="), the whole input is what was meant.
        joinable = joinable or _one_wrapped_value(unquoted, stray=MAX_STRAY)
        if kind == "text" and not _SPACES.search(unquoted) and joinable and self._prefer_whole(
            compact, ustart, ustart + len(unquoted), "pasted token"
        ):
            kind = "token"
        return self._result(kind)

    def _prefer_whole(self, compact: str, start: int, end: int, source: str) -> bool:
        """Take the whole (broken) value as the one candidate when the scan found nothing or only its start."""
        if not _is_tokenish(compact):
            return False
        if len(self.candidates) == 1 and _cut_short(compact, self.candidates[0].token):
            self.candidates.clear()
            self.seen.clear()
        if self.candidates:
            return False
        self._add(compact, start, end, source)
        return True

    def _result(self, kind: str) -> tuple[str, list[Candidate], list[Problem]]:
        if not self.candidates:
            return kind, [], [_no_token(kind)]
        self.candidates.sort(key=lambda c: c.start)  # extras (decoded, broken) join in text order
        for i, c in enumerate(self.candidates):
            c.index = i
        if self.truncated:
            return kind, self.candidates, [
                problem(
                    Code.INPUT_TOO_MANY_TOKENS,
                    f"More than {MAX_CANDIDATES} tokens were found; only the first {MAX_CANDIDATES} are listed.",
                    segment="input",
                )
            ]
        return kind, self.candidates, []

    # -- sources -------------------------------------------------------------------------------------------------

    def _single_value(
        self, value: str, start: int, kind: str, source: str
    ) -> tuple[str, list[Candidate], list[Problem]]:
        # a pasted request may go on with more header lines: the value ends where the next "Name:" line starts
        nxt = _NEXT_HEADER.search(value)
        if nxt:
            value = value[: nxt.start()]
        value, start = _strip_quotes(value.strip(), start + len(value) - len(value.lstrip()))
        compact = _squeeze(value)
        if not compact:
            return kind, [], [problem(Code.INPUT_EMPTY, f"The {source} holds no token.", segment="input")]
        if is_jwt(compact) and _one_wrapped_value(value):
            self._add(compact, start, start + len(value), source)
            if nxt:  # more header lines (a DPoP proof, a cookie): their tokens too
                self._scan(kind)
        else:
            self._scan(kind)
            if _one_wrapped_value(value):
                self._prefer_whole(compact, start, start + len(value), source)
        return self._result(kind)

    def _cookie(self, rest: str, start: int, label: str) -> tuple[str, list[Candidate], list[Problem]]:
        pos = start
        for part in rest.split(";"):
            name, eq, value = part.partition("=")
            vstart = pos + len(name) + 1
            pos += len(part) + 1
            if not eq:
                continue
            raw, vstart = _strip_quotes(value.strip(), vstart + len(value) - len(value.lstrip()))
            self._note_value(name.strip(), raw, unquote(raw) if "%" in raw else raw, vstart, f"{label} {name.strip()}")
        self._scan("cookie header")
        return self._result("cookie header")

    def _json(self, doc: Any) -> None:
        """Walk the document (iteratively); each string holding a token gives its field path as the source."""
        # (container, its path, its member name); plain values cost one check each, paths are built when needed
        stack: list[tuple[Any, str, str]] = [(doc, "", "")]
        while stack:
            node, path, name = stack.pop()
            is_dict = isinstance(node, dict)
            for k, v in node.items() if is_dict else enumerate(node):
                key = str(k) if is_dict else name
                if isinstance(v, str):
                    if "." in v and (v.count(".") >= 2 or key.lower() in TOKEN_NAMES):
                        here = (f"{path}.{k}" if path else key) if is_dict else f"{path}[{k}]"
                        s, _ = _strip_bearer(v.strip(), 0)
                        self._note_value(key, s, s, -1, f"JSON field {here}")
                elif isinstance(v, (dict, list)):
                    here = (f"{path}.{k}" if path else key) if is_dict else f"{path}[{k}]"
                    stack.append((v, here, key))

    def _url(self, url: str, start: int) -> None:
        """Query and fragment parameters, percent-decoded."""
        q = url.find("?")
        f = url.find("#")
        sections = []
        if q >= 0 and (f < 0 or q < f):
            sections.append(("URL query", q + 1, f if f >= 0 else len(url)))
        if f >= 0:
            sections.append(("URL fragment", f + 1, len(url)))
        for where, begin, end in sections:
            pos = begin
            for part in url[begin:end].split("&"):
                name, eq, raw = part.partition("=")
                vstart = start + pos + len(name) + 1
                pos += len(part) + 1
                if eq:
                    self._note_value(unquote(name), raw, unquote(raw), vstart, f"{where} {unquote(name)}")

    def _note_value(self, name: str, raw: str, value: str, vstart: int, source: str) -> None:
        """Record the source of each token in a parsed value; keep those the raw scan will not find."""
        tokens = [t for t in (_trim(m.group()) for m in _JWT_RE.finditer(value)) if is_jwt(t)]
        compact = _squeeze(value)
        if len(tokens) == 1 and _cut_short(compact, tokens[0]):
            self.cut.add(tokens[0])
            tokens = []
        for token in tokens:
            self.sources.setdefault(token, source)
            if value != raw:
                self.extra.append((token, vstart, vstart + len(raw), source))
        if not tokens and (name.lower() in TOKEN_NAMES or compact.startswith("eyJ")) and _is_tokenish(compact):
            self.extra.append((compact, vstart, vstart + len(raw), source))

    def _scan(self, kind: str) -> None:
        text = self.text
        inside = self._scan_sd_jwts(kind) if "~" in text else []
        line, last = 1, 0
        for m in _JWT_RE.finditer(text):
            token = _trim(m.group())
            if token in self.seen or token in self.cut or not is_jwt(token):
                continue
            if inside and any(a <= m.start() < b for a, b in inside):
                continue  # the issuer-signed JWT or the KB-JWT of an SD-JWT: a part of that one candidate
            if self.truncated:
                break
            line += text.count("\n", last, m.start())
            last = m.start()
            source = self.sources.get(token) or _context(text, m.start(), line, kind)
            self._add(token, m.start(), m.start() + len(token), source)
        for token, start, end, source in self.extra:
            if start < 0:
                start = text.find(token)
                end = start + len(token) if start >= 0 else 0
            self._add(token, start, end, source)

    def _scan_sd_jwts(self, kind: str) -> list[tuple[int, int]]:
        """Each SD-JWT in the text as one candidate; returns their spans."""
        spans = []
        for m in SD_JWT_RE.finditer(self.text):
            if not _header_like(m.group()[: m.group().index(".")]):
                continue
            spans.append((m.start(), m.end()))
            line = self.text.count("\n", 0, m.start()) + 1
            source = self.sources.get(m.group()) or _context(self.text, m.start(), line, kind)
            self._add(m.group(), m.start(), m.end(), source, kind="SD-JWT")
        return spans

    def _add(self, token: str, start: int, end: int, source: str, kind: str | None = None) -> None:
        if token in self.seen:
            return
        if len(self.candidates) >= MAX_CANDIDATES:
            self.truncated = True
            return
        self.seen.add(token)
        parts = token.split(".")
        kind = kind or ("JWS" if len(parts) == 3 else "JWE" if len(parts) == 5 else "unknown")
        header = peek_header(parts[0])
        alg = header.get("alg") if header else None
        self.candidates.append(
            Candidate(
                index=len(self.candidates),
                token=token,
                start=max(start, 0),
                end=max(end, 0),
                source=source,
                kind=kind,  # type: ignore[arg-type]
                alg=alg if isinstance(alg, str) else None,
            )
        )


# -- helpers -----------------------------------------------------------------------------------------------------


def is_jwt(s: str) -> bool:
    """3 or 5 base64url segments whose first one decodes to the start of a JSON object."""
    if s.count(".") not in (2, 4) or not _JWT_RE.fullmatch(s):
        return False
    return _header_like(s[: s.index(".")])


def _header_like(first: str) -> bool:
    # decode a short prefix only: '{' then whitespace, '"' or '}' (rules out words like "example.com.au")
    prefix = first[:8]
    if len(prefix) >= 4:
        prefix = prefix[: len(prefix) - len(prefix) % 4]
    try:
        head = b64url.decode(prefix, canonical=False)[:2]
    except b64url.Base64urlError:
        return False
    return len(head) == 2 and head[:1] == b"{" and head[1:2] in b' \t\r\n"}'


def _is_tokenish(s: str) -> bool:
    """A single string that is probably meant as a token, even if broken: decode it to say what is wrong."""
    if not s or _WS.search(s) or "://" in s:
        return False
    if s.startswith(("eyJ", "ewo", "ew0")):
        return True
    if "." not in s or len(s) < 8:
        return False
    return len(_TOKENISH_RUN.sub("", s)) <= 0.1 * len(s)


def _one_wrapped_value(text: str, stray: int = 0) -> bool:
    """Whitespace inside text is wrapping, not a separator: no later piece starts a token of its own.

    A piece starts a new token if it is a whole JWT, or if it starts with "eyJ" while the piece before does not
    end with a dot (wrapping right after a dot is common). Words that are not base64url at all mean prose;
    ``stray`` characters outside base64url are allowed in all (a broken token, wrapped, that starts like a JWT).
    """
    pieces = text.split()
    if len(pieces) <= 1:
        return True
    if stray:
        outside = sum(len(_NOT_B64URL_DOTS.findall(p)) for p in pieces)
        if not pieces[0].startswith("eyJ") or outside > stray:
            return False
        pieces = [_NOT_B64URL_DOTS.sub("", p) for p in pieces]
    if not all(_B64URL_DOTS.fullmatch(p) for p in pieces):
        return False
    pairs = zip(pieces, pieces[1:], strict=False)
    return not any(is_jwt(p) or (p.startswith("eyJ") and not prev.endswith(".")) for prev, p in pairs)


def _cut_short(whole: str, token: str) -> bool:
    """The JWT scan stopped at a standard-base64 character: the whole string is the (broken) token."""
    return whole.startswith(token) and whole[len(token) : len(token) + 1] in ("+", "/", "=")


def _trim(token: str) -> str:
    """A trailing sentence dot is not a segment: "...sig." with 3 or 5 segments before it."""
    while token.endswith(".") and token.count(".") not in (2, 4):
        token = token[:-1]
    return token


def _strip_quotes(s: str, start: int) -> tuple[str, int]:
    """Matching quotes around the whole value (repeatedly), or one stray quote at either end.

    Works on indexes, not slices, so a long run of quotes stays linear.
    """
    i, j = 0, len(s)
    while j - i >= 2 and s[i] in _QUOTES and s[j - 1] == s[i]:
        q = s[i]
        run = min(len(s) - i - len(s[i:j].lstrip(q)), j - len(s[i:j].rstrip(q)) - i, (j - i) // 2)
        i, j = i + run, j - run
        while i < j and s[i].isspace():
            i += 1
        while j > i and s[j - 1].isspace():
            j -= 1
    if i < j and s[i] in _QUOTES and s.count(s[i], i, j) == 1:
        i += 1
        while i < j and s[i].isspace():
            i += 1
    elif i < j and s[j - 1] in _QUOTES and s.count(s[j - 1], i, j) == 1:
        j -= 1
        while j > i and s[j - 1].isspace():
            j -= 1
    return s[i:j], start + i


def _strip_bearer(s: str, start: int) -> tuple[str, int]:
    m = _BEARER.match(s)
    if m:
        return s[m.end() :], start + m.end()
    if s.lower() in ("bearer", "dpop"):
        return "", start + len(s)
    return s, start


_NOT_JSON = object()


def _load_json(body: str) -> Any:
    if nesting_too_deep(body) is not None:
        return _NOT_JSON  # too deep to parse safely; the raw scan still finds tokens in it
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _sd_jwt_json(doc: Any) -> bool:
    """A JWS JSON serialization whose unprotected header carries disclosures: an SD-JWT (RFC 9901 8)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("payload"), str):
        return False
    headers = [doc.get("header")] + [s.get("header") for s in doc.get("signatures", []) if isinstance(s, dict)] \
        if isinstance(doc.get("signatures", []), list) else [doc.get("header")]
    return any(isinstance(h, dict) and "disclosures" in h for h in headers)


def _context(text: str, start: int, line: int, kind: str) -> str:
    """Words for where a token sits, from the text just before it on the same line.

    Each pattern is tried only after a cheap test, so many tokens in a large text stay fast.
    """
    before = text[max(0, start - _LOOKBACK) : start]
    before = before[before.rfind("\n") + 1 :]
    lower = before.lower()
    if "authorization" in lower and _CTX_AUTH.search(before):
        return "Authorization header"
    if "dpop" in lower and _CTX_DPOP.search(before):
        return "DPoP header"
    if "cookie" in lower:
        m = _CTX_COOKIE.search(before)
        if m:
            return f"{'Set-Cookie' if m.group(1) else 'cookie'} {m.group(2)}"
    if before.endswith('"') or lower.endswith("bearer "):
        m = _CTX_JSON.search(before[-220:])
        if m:
            return f"JSON field {m.group(1)}"
    if before.endswith(("=", "=\"", "='")):
        m = _CTX_PARAM.search(before[-103:])
        if m:
            word = _CTX_WORD.search(before)
            url_part = word.group() if word else ""
            if "#" in url_part:
                return f"URL fragment {m.group(1)}"
            if "?" in url_part:
                return f"URL query {m.group(1)}"
            return f"parameter {m.group(1)}"
    if _CTX_BEARER.search(before[-20:]):
        return "Bearer token"
    if kind == "URL":
        return "URL path"
    return f"text, line {line}"


def _no_token(kind: str) -> Problem:
    where = {
        "Authorization header": "in the Authorization header",
        "cookie header": "in any cookie",
        "URL": "in the URL",
        "JSON": "in any string of the JSON document",
    }.get(kind, "in the text")
    return problem(Code.INPUT_NO_TOKEN, f"No JWT found {where}.", segment="input")


# -- what travels with a token: the HTTP request of a DPoP proof, the response of an ID token ---------------------

_REQUEST_LINE = re.compile(
    r"(?im)^[ \t]*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+(\S+)(?:[ \t]+HTTP/[\d.]+)?[ \t]*$")
_HEADER_LINE = re.compile(r"(?im)^[ \t]*(host|authorization|dpop)[ \t]*:[ \t]*(.*?)[ \t]*$")


@dataclass
class Request:
    """A pasted HTTP request, as far as DPoP needs it (RFC 9449 4.3, 7.1)."""

    method: str | None = None
    url: str | None = None  # absolute: from the request line, or its path with the Host header (https assumed)
    scheme: str | None = None  # the Authorization scheme: "DPoP", "Bearer", ...
    access_token: str | None = None
    proof: str | None = None


def http_request(text: str) -> Request | None:
    """The request around a DPoP proof: request line, Host, Authorization and DPoP headers; None without a DPoP
    header or an Authorization: DPoP one."""
    if "dpop" not in text[:65536].lower():
        return None
    found = Request()
    headers: dict[str, str] = {}
    for m in _HEADER_LINE.finditer(text[:65536]):
        headers.setdefault(m.group(1).lower(), m.group(2))
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if value.strip():
        found.scheme, found.access_token = scheme, value.strip()
    found.proof = headers.get("dpop") or None
    line = _REQUEST_LINE.search(text[:65536])
    if line:
        found.method, target = line.group(1).upper(), line.group(2)
        host = headers.get("host")
        found.url = target if "://" in target else (f"https://{host}{target}" if host else None)
    return found if found.proof or (found.scheme or "").lower() == "dpop" else None


def response_values(text: str, names: tuple[str, ...] = ("id_token", "access_token", "code")) -> dict[str, str]:
    """The first value of each name in a token response: a JSON document's top level, or a URL's query and
    fragment parameters (an authorization response)."""
    body = text.strip()
    out: dict[str, str] = {}
    if body[:1] == "{":
        doc = _load_json(body)
        if isinstance(doc, dict):
            out = {n: doc[n] for n in names if isinstance(doc.get(n), str)}
    elif _URL_START.match(body):
        for part in re.split(r"[?#&]", body)[1:]:
            name, eq, value = part.partition("=")
            if eq and unquote(name) in names:
                out.setdefault(unquote(name), unquote(value))
    return out
