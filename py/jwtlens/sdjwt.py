"""SD-JWT (RFC 9901) and SD-JWT VC: take a presentation apart, decode its disclosures, and process the payload
exactly as RFC 9901 section 7.1 describes, recording where every digest sat.

``inspect(text, key=None, options=None, *, expected_aud=None, expected_nonce=None, require_key_binding=False,
kb_max_age=None) -> SdJwtReport`` never raises for bad input: every check of the verification algorithm that fails
becomes a ``Problem`` with a stable ``sdjwt.*`` code, and processing goes on as far as it sensibly can so that the
page can show everything at once. The Key Binding JWT is checked by keybinding.py; ``review()`` gives the security
findings (rule ids in ``RULE_IDS``) for lint.py.

Locations are JSON paths into the issuer-signed payload with the disclosed values in place: ``$.address`` for a
digest in the ``_sd`` array of the address object (the claim name is hidden until disclosed), ``$.address.street``
once disclosed, and ``$.nationalities[1]`` for the element at index 1 of the array as the issuer signed it (indexes
in the processed payload shift when undisclosed elements are dropped).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import b64url, claims, extract, keybinding, segments, verify
from .options import Options
from .problems import Code, problem
from .report import Disclosure, Finding, Problem, SdJwtReport, Undisclosed
from .rules import RULES, finding
from .segments import json_value_words

MAX_DEPTH = 100  # nesting levels processed; each costs a few Python frames, and real SD-JWTs nest < 10


# -- the _sd_alg hashes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SdHash:
    """A row of IANA's Named Information Hash Algorithm registry, which _sd_alg names (RFC 9901 4.1.1)."""

    name: str  # the "Hash Name String", e.g. "sha-256"
    hashlib_name: str
    size: int  # output bytes (after truncation, for the truncated rows)
    family: str  # "SHA-2", "SHA-3", "BLAKE2"
    truncated: bool = False  # RFC 9901 9.4: "heavily truncated digests ... unfit for security applications"

    def digest(self, data: bytes) -> bytes:
        if self.hashlib_name == "blake2b":
            return hashlib.blake2b(data, digest_size=self.size).digest()
        return hashlib.new(self.hashlib_name, data).digest()[: self.size]


SD_HASHES: dict[str, SdHash] = {
    h.name: h
    for h in (
        SdHash("sha-256", "sha256", 32, "SHA-2"),
        *(SdHash(f"sha-256-{bits}", "sha256", bits // 8, "SHA-2", truncated=True) for bits in (128, 120, 96, 64, 32)),
        SdHash("sha-384", "sha384", 48, "SHA-2"),
        SdHash("sha-512", "sha512", 64, "SHA-2"),
        SdHash("sha3-224", "sha3_224", 28, "SHA-3"),
        SdHash("sha3-256", "sha3_256", 32, "SHA-3"),
        SdHash("sha3-384", "sha3_384", 48, "SHA-3"),
        SdHash("sha3-512", "sha3_512", 64, "SHA-3"),
        SdHash("blake2s-256", "blake2s", 32, "BLAKE2"),
        SdHash("blake2b-256", "blake2b", 32, "BLAKE2"),
        SdHash("blake2b-512", "blake2b", 64, "BLAKE2"),
    )
}
DEFAULT_SD_ALG = "sha-256"


def sd_digest(text: str, alg: SdHash) -> str:
    """base64url(hash(US-ASCII bytes of text)): a disclosure's digest, or sd_hash (RFC 9901 4.2.3, 4.3.1). Text
    that is not ASCII (so not base64url either) is hashed as UTF-8, so that a broken disclosure still shows one."""
    return b64url.encode(alg.digest(text.encode("utf-8", errors="surrogatepass")))


# -- recognising and splitting ------------------------------------------------------------------------------------

COMPACT_PATTERN = extract.SD_JWT_RE  # a compact SD-JWT or SD-JWT+KB inside other text


@dataclass
class Parts:
    """An SD-JWT split into its pieces, whatever the serialization."""

    serialization: str  # "compact", "json-flattened", "json-general"
    jwt: str  # the issuer-signed JWT in compact form
    disclosures: list[tuple[str, int | None]]  # (text, offset in the compact string or None)
    kb: str | None = None
    kb_start: int | None = None
    hashed: str = ""  # the sd_hash input: <JWT>~<D1>~...~<Dn>~


def looks_like_sd_jwt(text: str) -> bool:
    """A quick shape test: a compact SD-JWT, or a JWS JSON object carrying disclosures (RFC 9901 4, 8)."""
    text = text.strip() if isinstance(text, str) else ""
    if text.startswith("{"):
        doc = _json_object(text)
        return doc is not None and _json_header(doc) is not None and "payload" in doc
    return COMPACT_PATTERN.fullmatch(text) is not None


def split(text: str) -> tuple[Parts | None, list[Problem]]:
    """The parts of a compact or JSON-serialized SD-JWT, with the problems of its outer shape."""
    text = text.strip()
    if text.startswith("{"):
        return _split_json(text)
    if "~" not in text:
        return None, [problem(Code.SDJWT_NOT_SD_JWT, "There is no '~' in the input, so it is not an SD-JWT (a "
                              "compact SD-JWT is <issuer-signed JWT>~<disclosure>~...~).", segment="token")]
    return _split_compact(text)


def _split_compact(text: str) -> tuple[Parts, list[Problem]]:
    pieces = text.split("~")
    problems: list[Problem] = []
    middle, last = pieces[1:-1], pieces[-1]
    if last and last.count(".") == 0:
        problems.append(problem(
            Code.SDJWT_FINAL_TILDE_MISSING,
            f"The last component (character {len(text) - len(last) + 1}) has no '.', so it is not a Key Binding "
            "JWT but a disclosure, and the final '~' is missing; it was read as a disclosure.",
            segment="token", position=len(text) - len(last)))
        middle, last = [*middle, last], ""
    offsets, pos = [], len(pieces[0]) + 1
    for piece in middle:
        offsets.append((piece, pos))
        pos += len(piece) + 1
    hashed = "~".join([pieces[0], *middle]) + "~"
    parts = Parts("compact", pieces[0], offsets, last or None, pos if last else None, hashed)
    return parts, problems


def _json_object(text: str) -> dict[str, Any] | None:
    value, ok, _ = segments.parse_json(text, "token", "The SD-JWT")
    return value if ok and isinstance(value, dict) else None


def _json_header(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The unprotected header that carries disclosures: the flattened 'header', or the first signature's."""
    sigs = doc.get("signatures")
    first = sigs[0] if isinstance(sigs, list) and sigs and isinstance(sigs[0], dict) else doc
    header = first.get("header")
    if isinstance(header, dict) and ("disclosures" in header or "kb_jwt" in header):
        return header
    if "disclosures" in doc or "kb_jwt" in doc:  # the layout of older drafts (and of sd-jwt 0.10.4)
        return doc
    return header if isinstance(header, dict) else None


def _split_json(text: str) -> tuple[Parts | None, list[Problem]]:
    value, ok, problems = segments.parse_json(text, "token", "The SD-JWT JSON")
    if not ok or not isinstance(value, dict):
        problems.append(problem(Code.SDJWT_JSON_INVALID, "The input starts like JSON but is not a JSON object, so "
                                "it is not a JWS JSON serialized SD-JWT.", segment="token"))
        return None, problems
    general = "signatures" in value
    sigs = value.get("signatures") if general else [value]
    if not isinstance(sigs, list) or not sigs or not isinstance(sigs[0], dict):
        problems.append(problem(Code.SDJWT_JSON_INVALID, "'signatures' must be a non-empty array of objects "
                                "(RFC 7515 7.2.1).", segment="token"))
        return None, problems
    first = sigs[0]
    pieces = [first.get("protected"), value.get("payload"), first.get("signature")]
    missing = [n for n, p in zip(("protected", "payload", "signature"), pieces, strict=True) if not isinstance(p, str)]
    if missing:
        problems.append(problem(Code.SDJWT_JSON_INVALID, f"The JWS JSON object has no string {', '.join(missing)}; "
                                "the issuer-signed JWT cannot be rebuilt.", segment="token"))
        return None, problems
    header = _json_header(value) or {}
    if header is value:
        problems.append(problem(Code.SDJWT_JSON_LEGACY_LAYOUT, "'disclosures'/'kb_jwt' are top-level members, not "
                                "members of the unprotected 'header' (RFC 9901 8.1); read them anyway.",
                                segment="token"))
    for i, later in enumerate(sigs[1:], 2):
        extra = later.get("header") if isinstance(later, dict) else None
        if isinstance(extra, dict) and ("disclosures" in extra or "kb_jwt" in extra):
            problems.append(problem(Code.SDJWT_JSON_EXTRA_HEADER, f"Signature {i}'s unprotected header carries "
                                    "'disclosures' or 'kb_jwt'; only the first may (RFC 9901 8.3). Ignored.",
                                    segment="token"))
    disclosures = _json_disclosures(header.get("disclosures", []), problems)
    kb = header.get("kb_jwt")
    if kb is not None and not isinstance(kb, str):
        problems.append(problem(Code.SDJWT_JSON_INVALID, "'kb_jwt' must be a string (the compact KB-JWT).",
                                segment="token"))
        kb = None
    jwt = ".".join(pieces)
    hashed = jwt + "~" + "".join(d + "~" for d in disclosures)
    kind = "json-general" if general else "json-flattened"
    return Parts(kind, jwt, [(d, None) for d in disclosures], kb or None, None, hashed), problems


def _json_disclosures(value: Any, problems: list[Problem]) -> list[str]:
    if not isinstance(value, list):
        problems.append(problem(Code.SDJWT_JSON_INVALID, "'disclosures' must be an array of strings; it was "
                                "ignored.", segment="token"))
        return []
    bad = [i for i, d in enumerate(value, 1) if not isinstance(d, str)]
    if bad:
        problems.append(problem(Code.SDJWT_JSON_INVALID, f"'disclosures' members {bad} are not strings; they were "
                                "ignored.", segment="token"))
    return [d for d in value if isinstance(d, str)]


# -- disclosures -------------------------------------------------------------------------------------------------


def decode_disclosure(index: int, text: str, start: int | None, alg: SdHash | None) -> tuple[Disclosure, list[Problem]]:
    """One disclosure decoded and hashed (RFC 9901 4.2); malformed ones get kind "malformed" and a problem."""
    d = Disclosure(index=index, text=text, start=start)
    if alg is not None:
        d.digest = sd_digest(text, alg)
    label = f"Disclosure {index}"
    value, problems = _disclosure_json(d, label)
    if value is _BROKEN:
        d.status = "malformed"
        return d, problems
    why = _shape_error(value)
    if why is not None:
        d.status = "malformed"
        problems.append(_malformed(d, f"{label} {why}.", None))
        return d, problems
    d.salt = value[0]
    d.salt_bits = _salt_bits(d.salt)
    d.kind = "object" if len(value) == 3 else "array"
    d.name, d.value = (value[1], value[2]) if len(value) == 3 else (None, value[1])
    return d, problems


_BROKEN = object()  # what _disclosure_json returns when there is no JSON value (null is a value)


def _disclosure_json(d: Disclosure, label: str) -> tuple[Any, list[Problem]]:
    """The JSON value inside a disclosure, or _BROKEN with a DISCLOSURE_MALFORMED problem saying why."""
    if not d.text:
        where = " (two '~' in a row)" if d.start is not None else ""
        return _BROKEN, [_malformed(d, f"{label} is empty{where}.", 0)]
    try:
        raw = b64url.decode(d.text, label, canonical=False)
    except b64url.Base64urlError as exc:
        return _BROKEN, [_malformed(d, f"{exc}.", exc.position)]
    problems = []
    if b64url.encode(raw) != d.text:
        problems.append(problem(Code.B64_NON_CANONICAL, f"{label}: the last character has unused bits set "
                                "(non-canonical base64url); its digest is over the text as given.",
                                segment="token", position=_at(d, len(d.text) - 1)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_malformed(d, f"{label} does not decode to UTF-8 text (byte {exc.start}).", None))
        return _BROKEN, problems
    value, ok, json_problems = segments.parse_json(text, "token", label)
    if not ok:
        detail = json_problems[0].message if json_problems else f"{label} is not JSON."
        problems.append(_malformed(d, detail, None))
        return _BROKEN, problems
    return value, problems + json_problems


def _shape_error(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"is {json_value_words(value)}, not a JSON array [salt, name, value] or [salt, value]"
    if len(value) not in (2, 3):
        return f"is an array of {len(value)} elements; a disclosure has 3 (object property) or 2 (array element)"
    if not isinstance(value[0], str):
        return f"has a salt that is {json_value_words(value[0])}, not a string"
    if len(value) == 3 and not isinstance(value[1], str):
        return f"has a claim name that is {json_value_words(value[1])}, not a string"
    return None


def _salt_bits(salt: str) -> int:
    try:
        return 8 * len(b64url.decode(salt, "salt", canonical=False))
    except b64url.Base64urlError:
        return 8 * len(salt.encode("utf-8", errors="surrogatepass"))


def _at(d: Disclosure, offset: int | None) -> int | None:
    return None if d.start is None or offset is None else d.start + offset


def _malformed(d: Disclosure, message: str, offset: int | None) -> Problem:
    return problem(Code.SDJWT_DISCLOSURE_MALFORMED, message, segment="token", position=_at(d, offset))


# -- processing (RFC 9901 7.1 step 3 to 5) ------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def child(path: str, key: str) -> str:
    """A JSON path one member deeper: $.a.b, or $.a['x-y'] when the name is not an identifier."""
    if _IDENT.match(key):
        return f"{path}.{key}"
    return f"{path}['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


def _array_digest(element: Any) -> str | None:
    """The digest of an array element of the form {"...": "<digest>"} (RFC 9901 4.2.4.2), else None."""
    if isinstance(element, dict) and len(element) == 1 and isinstance(element.get("..."), str):
        return element["..."]
    return None


class _Processor:
    """One pass over the issuer-signed payload, disclosures inserted where their digests sit."""

    def __init__(self, disclosures: list[Disclosure], problems: list[Problem]) -> None:
        self.by_digest: dict[str, Disclosure] = {}
        for d in disclosures:
            if d.digest is not None and d.status != "duplicate":
                self.by_digest.setdefault(d.digest, d)
        self.problems = problems
        self.undisclosed: list[Undisclosed] = []
        self.seen: dict[str, str] = {}  # digest -> where it was first found
        self.stack: list[str] = []  # digests of the disclosures being processed (to find cycles)
        self.too_deep = False

    def walk(self, value: Any, path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.problems.append(problem(Code.SDJWT_TOO_DEEP, f"{path}: nested more than {MAX_DEPTH} levels; "
                                             "processing stopped there.", segment="payload"))
            return None
        if isinstance(value, dict):
            return self._object(value, path, depth)
        if isinstance(value, list):
            return self._array(value, path, depth)
        return value

    def _object(self, obj: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, val in obj.items():
            if key == "_sd":
                continue
            if key == "_sd_alg":
                if depth > 0:
                    self.problems.append(problem(Code.SDJWT_SD_ALG_MISPLACED, f"{child(path, key)}: _sd_alg is "
                                                 "only allowed at the top level; it was removed.", segment="payload"))
                continue
            if key == "...":
                self.problems.append(problem(Code.SDJWT_ELLIPSIS_MISUSED, f"{path}: the member \"...\" is not an "
                                             "array element digest; it is kept as a plain claim.", segment="payload"))
            out[key] = self.walk(val, child(path, key), depth + 1)
        if "_sd" in obj:
            self._insert(obj["_sd"], out, path, depth)
        return out

    def _insert(self, digests: Any, out: dict[str, Any], path: str, depth: int) -> None:
        if not isinstance(digests, list):
            self.problems.append(problem(Code.SDJWT_SD_MALFORMED, f"{path}._sd is {json_value_words(digests)}, "
                                         "not an array of digests; it was ignored.", segment="payload"))
            return
        for i, digest in enumerate(digests):
            if not isinstance(digest, str):
                self.problems.append(problem(Code.SDJWT_SD_MALFORMED, f"{path}._sd[{i}] is "
                                             f"{json_value_words(digest)}, not a digest string; it was ignored.",
                                             segment="payload"))
                continue
            d = self._take(digest, f"{path}._sd[{i}]", Undisclosed(digest, path, "object"))
            if d is None:
                continue
            d.location = child(path, d.name) if isinstance(d.name, str) else path
            if not self._fits(d, "object", path, out):
                continue
            d.status = "used"
            self.stack.append(digest)
            out[d.name] = self.walk(d.value, d.location, depth + 1)
            self.stack.pop()

    def _array(self, arr: list[Any], path: str, depth: int) -> list[Any]:
        out = []
        for i, element in enumerate(arr):
            where = f"{path}[{i}]"
            digest = _array_digest(element)
            if digest is None:
                out.append(self.walk(element, where, depth + 1))
                continue
            d = self._take(digest, where, Undisclosed(digest, where, "array"))
            if d is None:
                continue  # RFC 9901 7.1 step 3.4: elements without a disclosure are removed
            d.location = where
            if self._fits(d, "array", where, None):
                d.status = "used"
                self.stack.append(digest)
                out.append(self.walk(d.value, where, depth + 1))
                self.stack.pop()
        return out

    def _take(self, digest: str, where: str, hidden: Undisclosed) -> Disclosure | None:
        """The disclosure a digest refers to, once; records undisclosed digests, duplicates and cycles."""
        if digest in self.stack:
            d = self.by_digest[digest]
            self.problems.append(problem(Code.SDJWT_RECURSIVE_DISCLOSURE, f"{where}: the digest of disclosure "
                                         f"{d.index} appears inside its own value (directly or through other "
                                         "disclosures); it cannot be processed.", segment="payload"))
            d.status = "rejected"
            return None
        if digest in self.seen:
            self.problems.append(problem(Code.SDJWT_DIGEST_DUPLICATE, f"{where}: the digest {digest} appears again "
                                         f"(first at {self.seen[digest]}); the same digest must not appear twice.",
                                         segment="payload"))
            return None
        self.seen[digest] = where
        d = self.by_digest.get(digest)
        if d is None:
            self.undisclosed.append(hidden)
        return d

    def _fits(self, d: Disclosure, context: str, path: str, out: dict[str, Any] | None) -> bool:
        """Whether a referenced disclosure can be inserted here (RFC 9901 7.1 step 3.3.2 and 3.3.3)."""
        if d.kind == "malformed":
            return False  # already reported when it was decoded
        code, why = None, ""
        if d.kind != context:
            code = Code.SDJWT_DISCLOSURE_WRONG_KIND
            why = ("is an array element [salt, value], but its digest is in an _sd array, which needs "
                   "[salt, name, value]" if context == "object" else
                   "is an object property [salt, name, value], but its digest is an array element, which needs "
                   "[salt, value]")
        elif d.name in ("_sd", "..."):
            code, why = Code.SDJWT_CLAIM_NAME_RESERVED, f"discloses a claim named {d.name!r}, a reserved name"
        elif out is not None and d.name in out:
            code, why = Code.SDJWT_CLAIM_EXISTS, f"discloses {d.name!r}, which already exists in {path}"
        if code is None:
            return True
        d.status = "rejected"
        self.problems.append(problem(code, f"Disclosure {d.index} {why}.", segment="token", position=d.start))
        return False


def process(payload: dict[str, Any], disclosures: list[Disclosure], problems: list[Problem]) -> tuple[Any,
                                                                                                       list[Undisclosed]]:
    """The Processed SD-JWT Payload and the undisclosed digests; sets each disclosure's status and location."""
    proc = _Processor(disclosures, problems)
    processed = proc.walk(payload, "$", 0)
    _unreferenced(disclosures, problems)
    return processed, proc.undisclosed


def _unreferenced(disclosures: list[Disclosure], problems: list[Problem]) -> None:
    """RFC 9901 7.1 step 5, naming the unsent parent when the digest sits inside another disclosure."""
    waiting = [d for d in disclosures if d.status == "unreferenced"]
    for d in waiting:
        parents = [p.index for p in disclosures if p is not d and d.digest in _digests_in(p.value)]
        hint = (f" It is referenced from disclosure {parents[0]}, which is itself not referenced." if parents else
                " Its digest is nowhere in the issuer-signed JWT or in the disclosed values.")
        problems.append(problem(Code.SDJWT_DISCLOSURE_UNREFERENCED, f"Disclosure {d.index} is not referenced by any "
                                f"digest.{hint}", segment="token", position=d.start))


def _digests_in(value: Any, depth: int = 0) -> set[str]:
    """Every digest embedded in a JSON value (in _sd arrays and {"...": digest} elements)."""
    found: set[str] = set()
    if depth > MAX_DEPTH:
        return found
    if isinstance(value, dict):
        sd = value.get("_sd")
        if isinstance(sd, list):
            found.update(x for x in sd if isinstance(x, str))
        items: Iterator[Any] = iter(value.values())
    elif isinstance(value, list):
        found.update(x for x in map(_array_digest, value) if x is not None)
        items = iter(value)
    else:
        return found
    for item in items:
        found |= _digests_in(item, depth + 1)
    return found


# -- the whole presentation ---------------------------------------------------------------------------------------


def inspect(
    text: str,
    key: str | None = None,
    options: Options | None = None,
    *,
    expected_aud: str | None = None,
    expected_nonce: str | None = None,
    require_key_binding: bool = False,
    kb_max_age: float | None = None,
) -> SdJwtReport:
    """Split, decode, process and check an SD-JWT or SD-JWT+KB. ``key`` (key box text) verifies the issuer's
    signature; the KB-JWT is verified with cnf.jwk. Never raises for bad input."""
    opts = options or Options()
    now = opts.now if isinstance(opts.now, (int, float)) and not isinstance(opts.now, bool) else time.time()
    opts = dataclasses.replace(opts, now=float(now))
    try:
        return _inspect(text if isinstance(text, str) else "", key, opts, expected_aud, expected_nonce,
                        require_key_binding, kb_max_age)
    except Exception as exc:  # noqa: BLE001 - a bug must show as a problem, not a traceback
        report = SdJwtReport("unknown", "unknown", None, rejected=True, summary="Internal error.")
        report.problems.append(problem(Code.INTERNAL_ERROR, f"SD-JWT: {type(exc).__name__}: {exc}", segment="token"))
        return report


def _inspect(text: str, key: str | None, opts: Options, expected_aud: str | None, expected_nonce: str | None,
             require_kb: bool, kb_max_age: float | None) -> SdJwtReport:
    parts, problems = split(text)
    if parts is None:
        return SdJwtReport("unknown", "unknown", None, problems=problems, rejected=True,
                           summary="Not an SD-JWT: " + problems[-1].message)
    jwt = segments.decode_token(parts.jwt)
    report = SdJwtReport(parts.serialization, "SD-JWT+KB" if parts.kb else "SD-JWT", jwt, problems=problems)
    payload = jwt.payload if isinstance(jwt.payload, dict) else None
    alg = _sd_alg(payload, report)
    _decode_all(parts, alg, report)
    if payload is None:
        report.problems.append(problem(Code.SDJWT_PAYLOAD_UNUSABLE, "The issuer-signed JWT's payload is not a JSON "
                                       "object, so no digest can be processed.", segment="payload"))
    if payload is None or alg is None:
        for d in report.disclosures:
            d.status = "unchecked" if d.status == "unreferenced" else d.status
    else:
        report.payload, report.undisclosed = process(payload, report.disclosures, report.problems)
    jwt.signature = verify.check_signature(jwt, key, opts)
    if isinstance(report.payload, dict):
        jwt.signature.checks = claims.payload_checks(report.payload, opts)
    if parts.kb is not None:
        report.key_binding = keybinding.check(
            parts.kb, sd_hash=sd_digest(parts.hashed, alg) if alg else None, hashed_length=len(parts.hashed),
            holder=report.payload if report.payload is not None else payload, problems=report.problems,
            now=opts.now, leeway=float(opts.leeway or 0), expected_aud=expected_aud, expected_nonce=expected_nonce,
            max_age=kb_max_age, position=parts.kb_start)
    elif require_kb:
        report.problems.append(problem(Code.SDJWT_KB_MISSING, "Key Binding is required but the presentation has no "
                                       "KB-JWT.", segment="token"))
    _verdict(report)
    return report


def _decode_all(parts: Parts, alg: SdHash | None, report: SdJwtReport) -> None:
    """Every disclosure decoded; a repeated one is marked (RFC 9901 4: none may be sent twice)."""
    seen: set[str] = set()
    for i, (piece, start) in enumerate(parts.disclosures, 1):
        d, found = decode_disclosure(i, piece, start, alg)
        report.problems.extend(found)
        if piece in seen:
            d.status = "duplicate"
            report.problems.append(problem(Code.SDJWT_DISCLOSURE_REUSED, f"Disclosure {i} repeats an earlier "
                                           "disclosure; each may be sent once.", segment="token", position=start))
        seen.add(piece)
        report.disclosures.append(d)


def _sd_alg(payload: dict[str, Any] | None, report: SdJwtReport) -> SdHash | None:
    if payload is None:
        report.sd_alg = DEFAULT_SD_ALG
        return SD_HASHES[DEFAULT_SD_ALG]  # the disclosures still get digests to show
    name = payload.get("_sd_alg", DEFAULT_SD_ALG)
    report.sd_alg = name if isinstance(name, str) else None
    row = SD_HASHES.get(name) if isinstance(name, str) else None
    if row is None:
        close = next((n for n in SD_HASHES if isinstance(name, str) and n == name.lower()), None)
        hint = f" (names are case-sensitive: {close!r})" if close else ""
        report.problems.append(problem(Code.SDJWT_UNKNOWN_SD_ALG, f"_sd_alg {json.dumps(name)} is not a hash name "
                                       f"this page knows{hint}, so no digest can be matched.", segment="payload"))
    return row


def _verdict(report: SdJwtReport) -> None:
    jwt = report.jwt
    errors = [p for p in report.problems if p.level == "error"]
    if jwt is not None:
        errors += [p for p in jwt.problems if p.level == "error"]
    unsigned = jwt is not None and segments.is_unsecured(jwt)
    bad_signature = jwt is not None and jwt.signature.verified == "invalid"
    report.rejected = bool(errors) or unsigned or bad_signature
    used = sum(d.status == "used" for d in report.disclosures)
    facts = f"{report.kind}: {used} of {len(report.disclosures)} disclosures used, " \
            f"{len(report.undisclosed)} digests not disclosed."
    if unsigned:
        reason = "The issuer-signed JWT is not signed (RFC 9901 4.1 forbids alg none)."
    elif bad_signature:
        reason = "The issuer's signature does not verify."
    elif errors:
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        reason = errors[0].message.rstrip(".") + "." + more
    else:
        report.summary = facts
        return
    report.summary = f"{facts} Rejected: {reason}"


# -- security review -----------------------------------------------------------------------------------------------

RULE_IDS = tuple(rule for rule in RULES if rule.startswith("sdjwt."))
MIN_SALT_BITS = 128  # RFC 9901 9.3
# SD-JWT VC claims that MUST NOT be selectively disclosed (draft-ietf-oauth-sd-jwt-vc 2.2.2.3)
VC_PLAIN_CLAIMS = ("iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "aka_vcts", "status")


def review(report: SdJwtReport) -> list[Finding]:
    """Security findings about an inspected SD-JWT (for lint.py); never raises on odd reports."""
    return [*_key_binding_finding(report), *_salt_finding(report), *_sd_alg_finding(report), *_vc_findings(report)]


def _key_binding_finding(report: SdJwtReport) -> Iterator[Finding]:
    payload = report.payload if isinstance(report.payload, dict) else {}
    if "cnf" in payload and report.key_binding is None:
        yield finding("sdjwt.no-key-binding", "payload.cnf")


def _salt_finding(report: SdJwtReport) -> Iterator[Finding]:
    short = [d for d in report.disclosures if d.salt_bits is not None and d.salt_bits < MIN_SALT_BITS]
    if short:
        listed = ", ".join(f"disclosure {d.index} ({d.salt_bits} bits)" for d in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        yield finding("sdjwt.short-salt", "disclosures", min_bits=MIN_SALT_BITS, listed=listed + more)


def _sd_alg_finding(report: SdJwtReport) -> Iterator[Finding]:
    row = SD_HASHES.get(report.sd_alg or "")
    if row is None or row.family == "SHA-2" and not row.truncated:
        return
    yield finding("sdjwt.sd-alg", "payload._sd_alg", variant="truncated" if row.truncated else None, name=row.name,
                  bits=row.size * 8)


def _vc_findings(report: SdJwtReport) -> Iterator[Finding]:
    header = report.jwt.header if report.jwt is not None and isinstance(report.jwt.header, dict) else {}
    typ = header.get("typ")
    if typ == "vc+sd-jwt":
        yield finding("sdjwt.vc-legacy-typ", "header.typ")
    if typ not in ("dc+sd-jwt", "vc+sd-jwt"):
        return
    hidden = [d for d in report.disclosures if d.location in {f"$.{name}" for name in VC_PLAIN_CLAIMS}
              or d.location == "$['vct#integrity']"]
    if hidden:
        names = ", ".join(sorted({str(d.name) for d in hidden}))
        yield finding("sdjwt.vc-claim-disclosable", "disclosures", names=names)

