"""Creating a signed compact JWS from the Encode view's header and payload texts, an algorithm and the key box.

``encode(header_text, payload_text, alg, key_text, ...) -> report.EncodeResult`` never raises for bad input: JSON
errors (with line and column, found by the decoder's own ``segments.parse_json``), a refused algorithm and a key that
cannot sign become problems with stable codes (``problems.EncodeCode``), and then there is no token.

What it does to the texts: the header's ``alg`` is set to the chosen algorithm (first member), ``typ`` becomes
"JWT" when absent, ``kid`` is the key's RFC 7638 thumbprint when asked; the claim helpers set ``iat``, ``exp``,
``nbf`` and ``jti`` in the payload. Both are then written as compact UTF-8 JSON. The key is anything the key box
reads (a secret as text, base64, base64url or hex; PEM PKCS#8, PKCS#1 or SEC 1; a private JWK; a JWKS, where the
one private key that fits, or the one the header's kid names, is used) or a ``LoadedKey`` from ``keygen``.
Signatures are those of ``algorithms``: ECDSA is deterministic (RFC 6979), so one key never reuses a nonce for two
messages; PSS uses a fresh random salt.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time
from typing import Any

from . import algorithms, b64url, export, jwa, segments
from .algorithms import Mismatch, UnsupportedAlgorithm
from .keys import LoadedKey, load_key
from .options import SecretFormat
from .problems import Code, problem
from .report import EncodeResult, Problem, Segment, SegmentName

# -- claim helpers ---------------------------------------------------------------------------------------------

DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_NUMBER = r"\d+(?:\.\d+)?"
_MINUTES = re.compile(_NUMBER)
_WITH_UNITS = re.compile(rf"(?:{_NUMBER}[{''.join(DURATION_UNITS)}])+")
_PART = re.compile(rf"({_NUMBER})([{''.join(DURATION_UNITS)}])")


def parse_duration(value: str | float) -> int:
    """Seconds from a number of minutes (15, "15") or a duration with units ("30s", "15m", "1h", "2d", "1w",
    "1h30m"). A leading '-' gives a time in the past (an already expired test token). Raises ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a duration is a number of minutes or a text such as 15m, not {type(value).__name__}")
    if not isinstance(value, str):
        if not math.isfinite(value):
            raise ValueError(f"{value} minutes is not a duration")
        return round(value * 60)
    text = "".join(value.split()).lower()
    sign = -1 if text[:1] == "-" else 1
    body = text[1:] if text[:1] in "+-" else text
    if _MINUTES.fullmatch(body):
        return sign * round(float(body) * 60)
    if _WITH_UNITS.fullmatch(body):
        return sign * round(sum(float(n) * DURATION_UNITS[u] for n, u in _PART.findall(body)))
    raise ValueError(f"{value!r} is not a duration (use minutes, or 30s, 15m, 1h, 2d, 1w, 1h30m)")


def new_jti() -> str:
    """A random JWT ID: 16 random bytes (128 bits) in base64url."""
    return b64url.encode(secrets.token_bytes(16))


def time_claims(now: float | None = None, iat: bool = False, exp: str | float | None = None,
                nbf: str | float | None = None, jti: bool = False) -> dict[str, Any]:
    """The claims the helpers add: ``iat`` = now, ``exp``/``nbf`` = now + a duration (see ``parse_duration``),
    ``jti`` random. Times are whole seconds (NumericDate). Raises ValueError for a bad duration."""
    clock = int(time.time() if now is None else now)
    out: dict[str, Any] = {}
    if iat:
        out["iat"] = clock
    if nbf is not None:
        out["nbf"] = clock + parse_duration(nbf)
    if exp is not None:
        out["exp"] = clock + parse_duration(exp)
    if jti:
        out["jti"] = new_jti()
    return out


# -- JSON texts ------------------------------------------------------------------------------------------------

_JSON_CODES = {"header": Code.ENCODE_HEADER_JSON, "payload": Code.ENCODE_PAYLOAD_JSON}
# Decoder findings that cannot be signed faithfully: compact JSON keeps one member of a name, and writes numbers
# Python cannot hold and NaN as strings. The decoder only warns about some; here each one stops signing.
_JSON_FIXES = {
    Code.JSON_DUPLICATE_MEMBER: "Use each member name once: only the last value would be signed.",
    Code.JSON_NUMBER_TOO_LARGE: "Use a smaller number, or write its digits as a string: it cannot be signed as is.",
    Code.JSON_NON_STANDARD_CONSTANT: "NaN and Infinity are not JSON: use a number or null.",
}


def _parse_object(text: str, segment: SegmentName) -> tuple[dict[str, Any] | None, list[Problem]]:
    code, label = _JSON_CODES[segment], segments.LABELS[segment]
    value, parsed, found = segments.parse_json(text, segment, label)
    problems = [problem(code, p.message, segment=segment, line=p.line, column=p.column, fix=_JSON_FIXES.get(p.code))
                for p in found]
    if parsed and not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else f"a {type(value).__name__}"
        problems.append(problem(code, f"{label}: a JWT {segment} must be a JSON object {{...}}, not {kind}.",
                                segment=segment))
    return (value if isinstance(value, dict) and not problems else None), problems


def _json_bytes(value: dict[str, Any], segment: SegmentName) -> bytes | Problem:
    try:
        return compact_json(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        return problem(_JSON_CODES[segment], f"{segments.LABELS[segment]}: the JSON holds a lone surrogate "
                       f"(\\u{ord(bad[0]):04x}), which UTF-8 cannot encode.", segment=segment,
                       fix="Escape a character outside the BMP as a surrogate pair, or write it as itself.")


def compact_json(value: Any) -> str:
    """The JSON text as it is signed: compact, non-ASCII characters as themselves (UTF-8)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# -- the key ---------------------------------------------------------------------------------------------------


def _needs(alg: str) -> str:
    """The key that signs ``alg``, in words."""
    row = jwa.ALGS[alg]
    if row.family == "HMAC":
        return "a shared secret"
    if row.kty == "RSA":
        return "an RSA private key"
    return f"an {'EC ' if row.family == 'ECDSA' else ''}{' or '.join(row.curves)} private key"


def _mismatch(alg: Any, key: LoadedKey) -> Mismatch | None:
    found = alg.key_mismatch(key)
    if found is None and key.key_ops is not None and "sign" not in key.key_ops and key.kind != "secret":
        return Mismatch("use", f"the key's key_ops {key.key_ops} do not allow signing")
    return found


def _wrong_key(alg: Any, keys: list[LoadedKey], where: str) -> Problem:
    if len(keys) == 1:
        reason = _mismatch(alg, keys[0])
        assert reason is not None
        text = f"This key cannot sign {alg.name}: {reason.message}. {alg.name} signs with {_needs(alg.name)}."
    else:
        text = f"No key in the {where} fits {alg.name}: it signs with {_needs(alg.name)}."
    return problem(Code.ENCODE_KEY_WRONG_TYPE, text, segment="key")


def _choose(alg: Any, keys: list[LoadedKey], kid: Any, where: str) -> LoadedKey | Problem:
    """The one key that can sign: fitting, private, and the one the header's kid names when several fit."""
    fitting = [k for k in keys if _mismatch(alg, k) is None]
    if not fitting:
        return _wrong_key(alg, keys, where)
    named = [k for k in fitting if isinstance(kid, str) and k.kid == kid]
    private = [k for k in named or fitting if k.kind == "secret" or k.private]
    if len(private) == 1:
        return private[0]
    if private:
        return problem(Code.ENCODE_KEY_AMBIGUOUS, f"The {where} holds {len(private)} private keys that can sign "
                       f"{alg.name}; it is not clear which one to use.", segment="key")
    what = fitting[0].describe(public=True)
    return problem(Code.ENCODE_KEY_NOT_PRIVATE, f"Signing needs the private key; the key box holds the {what}, "
                   "which can only verify.", segment="key")


def signing_key(alg: Any, key: str | LoadedKey | None, secret_format: SecretFormat = "auto",
                kid: Any = None) -> tuple[LoadedKey | None, list[Problem]]:
    """The key that signs ``alg`` (an ``algorithms`` object), or None and the problems that say why not."""
    if isinstance(key, LoadedKey):
        keys, problems, where = [key], [], "key box"
    else:
        box = load_key(key, secret_format)
        if box.empty:
            return None, [problem(Code.ENCODE_KEY_MISSING, f"No key given: {alg.name} signs with "
                                  f"{_needs(alg.name)}.", segment="key")]
        problems = list(box.problems)
        if not box.keys:
            return None, problems
        keys, where = box.keys, box.format
    chosen = _choose(alg, keys, kid, where)
    if isinstance(chosen, Problem):
        return None, problems + [chosen]
    problems += [w for w in chosen.warnings if w.code != Code.KEY_PRIVATE]  # that one is advice for verifying
    row = jwa.ALGS[alg.name]
    need = (row.min_key_bits or 0) // 8
    if chosen.secret is not None and len(chosen.secret) < need:
        problems.append(problem(Code.ENCODE_SECRET_SHORT, f"The HMAC secret is {len(chosen.secret)} bytes; "
                                f"{alg.name} needs at least {need} (RFC 7518 3.2).", segment="key"))
    elif chosen.kind == "RSA" and chosen.size is not None and chosen.size < (row.min_key_bits or 0):
        problems.append(problem(Code.ENCODE_KEY_SHORT, f"The RSA key is {chosen.size} bits; {alg.name} needs at "
                                f"least {row.min_key_bits} ({row.reference}).", segment="key"))
    return chosen, problems


# -- the token -------------------------------------------------------------------------------------------------


def _header(given: dict[str, Any], alg: str, kid: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"alg": alg}
    if "typ" not in given:
        out["typ"] = "JWT"
    out.update((name, value) for name, value in given.items() if name != "alg")
    if kid is not None:
        out["kid"] = kid
    return out


def _algorithm(alg: str, allow_none: bool) -> tuple[Any, list[Problem]]:
    """The ``algorithms`` object (None for an allowed "none"), or None and the refusal."""
    if alg == "none":
        if allow_none:
            return None, [problem(Code.ENCODE_UNSIGNED, "The token is unsigned (alg \"none\"): anyone can make "
                                  "one like it.", segment="signature")]
        return None, [problem(Code.ENCODE_ALG_NONE_REFUSED, "alg \"none\" makes an unsigned token; it is refused "
                              "unless explicitly allowed.", segment="header")]
    try:
        return algorithms.get(alg), []
    except UnsupportedAlgorithm as exc:
        text = str(exc)
        return None, [problem(Code.ENCODE_ALG_UNSUPPORTED, text[:1].upper() + text[1:] + ".", segment="header")]


def _inputs(header_text: str | None, payload_text: str, claims: dict[str, Any]
            ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[Problem]]:
    header, problems = _parse_object(header_text if header_text and header_text.strip() else "{}", "header")
    payload, found = _parse_object(payload_text, "payload")
    problems += found
    if header is not None and header.get("b64") is False:
        problems.append(problem(Code.ENCODE_HEADER_B64_FALSE, "Header: \"b64\": false asks for an unencoded "
                                "payload (RFC 7797), which this encoder does not make.", segment="header"))
    if payload is not None:
        payload.update(claims)
    return header, payload, problems


def encode(header: str | None, payload: str, alg: str, key: str | LoadedKey | None = None, *,
           secret_format: SecretFormat = "auto", allow_none: bool = False, kid_from_key: bool = False,
           iat: bool = False, exp: str | float | None = None, nbf: str | float | None = None, jti: bool = False,
           now: float | None = None) -> EncodeResult:
    """Sign ``payload`` (JSON text) under ``header`` (JSON text; empty means {}) with ``alg`` and the key.

    ``allow_none`` permits an unsigned token (with a warning); ``kid_from_key`` sets the header's kid to the key's
    RFC 7638 thumbprint; ``iat``/``exp``/``nbf``/``jti`` are the claim helpers (``time_claims``), ``now`` their
    clock."""
    result = EncodeResult(alg=alg)
    try:
        claims = time_claims(now, iat, exp, nbf, jti)
    except ValueError as exc:
        claims = {}
        result.problems.append(problem(Code.ENCODE_CLAIM_INVALID, f"Payload claims: {exc}.", segment="payload"))
    header_obj, payload_obj, found = _inputs(header, payload, claims)
    result.problems += found
    alg_obj, found = _algorithm(alg, allow_none)
    result.problems += found
    signer = None
    if alg_obj is not None:
        kid = header_obj.get("kid") if header_obj else None
        signer, found = signing_key(alg_obj, key, secret_format, kid)
        result.problems += found
    if header_obj is None or payload_obj is None or any(p.level == "error" for p in result.problems):
        return result
    kid = None
    if kid_from_key and signer is not None:
        kid = signer.thumbprint()
        if kid is None:
            result.problems.append(problem(Code.ENCODE_KID_UNAVAILABLE, "No kid was set from the key: an HMAC "
                                           "secret has no public thumbprint.", segment="header"))
    _assemble(result, _header(header_obj, alg, kid), payload_obj, alg_obj, signer)
    return result


def _assemble(result: EncodeResult, header: dict[str, Any], payload: dict[str, Any], alg: Any,
              key: LoadedKey | None) -> None:
    parts = [_json_bytes(header, "header"), _json_bytes(payload, "payload")]
    broken = [p for p in parts if isinstance(p, Problem)]
    if broken:
        result.problems += broken
        return
    header_bytes, payload_bytes = (p for p in parts if isinstance(p, bytes))
    signing_input = b64url.encode(header_bytes) + "." + b64url.encode(payload_bytes)
    signature = b""
    if alg is not None and key is not None:
        try:
            signature = alg.sign(signing_input.encode("ascii"), key)
        except Exception as exc:  # noqa: BLE001 - a key that loaded but cannot sign is a bug to show, not a crash
            result.problems.append(problem(Code.INTERNAL_ERROR, f"Internal error while signing: "
                                           f"{type(exc).__name__}: {exc}", segment="signature"))
            return
        result.key = key.info(purpose="sign")
        if key.kind != "secret":
            result.public_key = export.public_pem(key)
    texts = [*signing_input.split("."), b64url.encode(signature)]
    names: list[SegmentName] = ["header", "payload", "signature"]
    start = 0
    for name, text, raw in zip(names, texts, (header_bytes, payload_bytes, signature), strict=True):
        result.segments.append(Segment(name, text, start, len(raw)))
        start += len(text) + 1
    result.token = ".".join(texts)
    result.header, result.payload = header, payload
    result.header_text, result.payload_text = header_bytes.decode("utf-8"), payload_bytes.decode("utf-8")
