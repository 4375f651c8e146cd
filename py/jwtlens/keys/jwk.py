"""JWK and JWK Set (RFC 7517, RFC 7518 section 6, RFC 8037): one key, or a set of them with each member's fate."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .. import asn1, b64url, jwa, segments
from ..jwa import Curve
from ..problems import Code, problem
from ..rsa import RSAPrivateKey
from .der import parse_certificate
from .model import (
    KeyBox,
    LoadedKey,
    Member,
    UnusableKey,
    check_rsa_pair,
    ec_from_private,
    ec_public,
    ed_from_private,
    ed_public,
    for_purpose,
    private_note,
    rsa_public,
    x_from_private,
    x_public,
)


def _member(jwk: dict[str, Any], name: str, what: str) -> bytes:
    """A base64url member (padding tolerated, strict otherwise)."""
    if name not in jwk:
        raise UnusableKey(f"the {what} JWK has no '{name}'", Code.KEY_JWK_INVALID)
    try:
        return b64url.decode(jwk[name], f"JWK member '{name}'", padding=True)
    except b64url.Base64urlError as exc:
        raise UnusableKey(str(exc), Code.KEY_JWK_INVALID) from None


def _jwk_int(jwk: dict[str, Any], name: str) -> int:
    data = _member(jwk, name, "RSA")
    if not data:
        raise UnusableKey(f"JWK member '{name}' is empty", Code.KEY_JWK_INVALID)
    return int.from_bytes(data, "big")


def _jwk_coordinate(jwk: dict[str, Any], name: str, curve: Curve, notes: list[str]) -> bytes:
    data = _member(jwk, name, curve.name)
    if len(data) > curve.size:
        raise UnusableKey(f"JWK '{name}' is {len(data)} bytes; {curve.name} coordinates are {curve.size}",
                          Code.KEY_JWK_INVALID)
    if len(data) < curve.size:
        notes.append(f"JWK '{name}' is {len(data)} bytes; RFC 7518 6.2.1 wants the full {curve.size} bytes "
                     "(leading zeros kept). It was padded.")
    return data.rjust(curve.size, b"\x00")


def _curve(jwk: dict[str, Any], kty: str, names: str) -> Curve:
    crv = jwk.get("crv")
    curve = jwa.CURVES.get(crv) if isinstance(crv, str) else None
    if curve is None or curve.kty != kty:
        raise UnusableKey(f"the {kty} JWK's curve {crv!r} is not one JOSE uses ({names})", Code.KEY_UNSUPPORTED)
    return curve


def _rsa_jwk(jwk: dict[str, Any], fmt: str, notes: list[str], now: float | None) -> LoadedKey:
    if "n" not in jwk and isinstance(jwk.get("x5c"), list) and jwk["x5c"]:
        return _jwk_from_x5c(jwk, now)
    n, e = _jwk_int(jwk, "n"), _jwk_int(jwk, "e")
    public = rsa_public(n, e)
    key = LoadedKey("RSA", fmt, public=public)
    if "d" in jwk:
        d = _jwk_int(jwk, "d")
        p = _jwk_int(jwk, "p") if "p" in jwk else 0
        q = _jwk_int(jwk, "q") if "q" in jwk else 0
        check_rsa_pair(n, e, d, p, q, "the RSA JWK")
        key.signer = RSAPrivateKey(public, d, p, q)
        private_note(key)
    return key


def _ec_jwk(jwk: dict[str, Any], fmt: str, notes: list[str], now: float | None) -> LoadedKey:
    curve = _curve(jwk, "EC", "P-256, P-384, P-521, secp256k1")
    x = int.from_bytes(_jwk_coordinate(jwk, "x", curve, notes), "big")
    y = int.from_bytes(_jwk_coordinate(jwk, "y", curve, notes), "big")
    public = ec_public(curve, x=x, y=y)
    if "d" not in jwk:
        return LoadedKey("EC", fmt, public=public)
    d = int.from_bytes(_jwk_coordinate(jwk, "d", curve, notes), "big")
    return private_note(ec_from_private(curve, d, public, fmt))


def _okp_jwk(jwk: dict[str, Any], fmt: str, notes: list[str], now: float | None) -> LoadedKey:
    curve = _curve(jwk, "OKP", "Ed25519, Ed448, X25519 or X448")
    raw = _member(jwk, "x", curve.name)
    signing = curve.use == "sig"
    if "d" not in jwk:
        return LoadedKey("OKP", fmt, public=ed_public(curve, raw) if signing else x_public(curve, raw))
    made = ed_from_private if signing else x_from_private
    return private_note(made(curve, _member(jwk, "d", curve.name), raw, fmt))


def _oct_jwk(jwk: dict[str, Any], fmt: str, notes: list[str], now: float | None) -> LoadedKey:
    secret = _member(jwk, "k", "oct (secret)")
    if not secret:
        raise UnusableKey("the oct JWK's secret 'k' is empty", Code.KEY_JWK_INVALID)
    return LoadedKey("secret", fmt + " (oct)", secret=secret)


_BY_KTY = {"RSA": _rsa_jwk, "EC": _ec_jwk, "OKP": _okp_jwk, "oct": _oct_jwk}


def load_jwk(jwk: Any, fmt: str = "JWK", now: float | None = None, purpose: str = "sig") -> LoadedKey:
    """One JWK (RFC 7517/7518/8037), public or private, for ``purpose`` ("sig" refuses key-agreement keys). Raises
    ``UnusableKey`` with the reason."""
    if not isinstance(jwk, dict):
        raise UnusableKey(f"a JWK is a JSON object, not {type(jwk).__name__}", Code.KEY_JWK_INVALID)
    kty = jwk.get("kty")
    if not isinstance(kty, str):
        raise UnusableKey("the JWK has no 'kty' (key type)", Code.KEY_JWK_INVALID)
    if kty not in _BY_KTY:
        raise UnusableKey(f"JWK key type {kty!r} is not RSA, EC, OKP or oct", Code.KEY_UNSUPPORTED)
    notes: list[str] = []
    key = _BY_KTY[kty](jwk, fmt, notes, now)
    for name in ("kid", "alg", "use"):
        value = jwk.get(name)
        if value is not None and not isinstance(value, str):
            raise UnusableKey(f"JWK member '{name}' must be a string", Code.KEY_JWK_INVALID)
    key.kid, key.alg, key.use = jwk.get("kid"), jwk.get("alg"), jwk.get("use")
    ops = jwk.get("key_ops")
    if ops is not None:
        if not isinstance(ops, list) or not all(isinstance(o, str) for o in ops):
            raise UnusableKey("JWK 'key_ops' must be an array of strings", Code.KEY_JWK_INVALID)
        key.key_ops = ops
    key.notes += notes
    return for_purpose(key, purpose)


def _jwk_from_x5c(jwk: dict[str, Any], now: float | None) -> LoadedKey:
    first = jwk["x5c"][0]
    try:
        der = base64.b64decode(first, validate=True) if isinstance(first, str) else b""
    except (binascii.Error, ValueError):
        der = b""
    if not der:
        raise UnusableKey("the JWK's x5c[0] is not a base64 certificate", Code.KEY_JWK_INVALID)
    try:
        key = parse_certificate(der, now, "JWK (x5c certificate)")
    except asn1.DERError as exc:
        raise UnusableKey(f"the JWK's x5c[0] certificate is damaged: {exc}", Code.KEY_DER_INVALID) from None
    return key


# Real key sets hold a few keys; reading (and validating) each of a set of many thousands would hold the tab.
MAX_SET_MEMBERS = 1000


def _parse(text: str, box: KeyBox) -> Any:
    """The key's JSON, or None with a problem. Nesting is measured first, without recursion: the C parser recurses,
    and deep nesting exhausts Pyodide's stack, which kills Python in the tab (CPython raises RecursionError)."""
    deep = segments.nesting_too_deep(text)
    if deep is not None:
        box.format = "JSON"
        box.problems.append(problem(Code.KEY_JSON_INVALID, f"The key's JSON nests deeper than {segments.MAX_DEPTH} "
                                    f"levels (at character {deep + 1}); it was not read.", segment="key"))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        box.format = "JSON"
        box.problems.append(problem(Code.KEY_JSON_INVALID,
                                    f"The key looks like JSON but is not valid: {exc.msg} at line {exc.lineno}, "
                                    f"column {exc.colno}.", segment="key", line=exc.lineno, column=exc.colno))
    except (RecursionError, ValueError) as exc:  # ValueError: an integer beyond Python's digit limit
        box.format = "JSON"
        box.problems.append(problem(Code.KEY_JSON_INVALID, f"The key's JSON cannot be read ({exc}).", segment="key"))
    return None


def load_json(text: str, box: KeyBox, now: float | None) -> None:
    """A JWK, a JWKS (or a bare array of JWKs), or JSON that is neither (said precisely)."""
    data = _parse(text, box)
    if data is None:
        return
    members = _set_members(data, box)
    if members is None:
        _single(data, text, box, now)
        return
    box.is_set = True
    if not members:
        box.problems.append(problem(Code.KEY_JWKS_EMPTY, "The JWKS has no keys.", segment="key"))
        return
    _load_members(members, text, box, now)


def _set_members(data: Any, box: KeyBox) -> list[Any] | None:
    if isinstance(data, dict) and "keys" in data:
        box.format = "JWKS"
        if isinstance(data["keys"], list):
            return data["keys"]
        box.problems.append(problem(Code.KEY_JWK_INVALID, "The JWKS member 'keys' must be an array.", segment="key"))
        return []
    if isinstance(data, list) and data and all(isinstance(m, dict) and "kty" in m for m in data):
        box.format = "JWKS"
        box.problems.append(problem(Code.KEY_JWK_INVALID, "A bare array of JWKs was read as a JWKS; the standard "
                                    "form is {\"keys\": [...]}.", segment="key", level="warning", fix=""))
        return data
    return None


def _single(data: Any, text: str, box: KeyBox, now: float | None) -> None:
    if isinstance(data, dict) and "kty" in data:
        box.format = "JWK"
        box.declared_kty = data["kty"] if isinstance(data["kty"], str) else None
        try:
            key = load_jwk(data, "JWK", now, box.purpose)
            key.source = text
            box.keys = [key]
        except UnusableKey as exc:
            box.problems.append(problem(exc.code, f"The JWK is not usable: {exc}.", segment="key"))
        return
    box.format = "JSON"
    if isinstance(data, dict) and "jwks_uri" in data:
        box.problems.append(problem(
            Code.KEY_UNREADABLE,
            f"This is an OpenID Provider configuration, not a key. Its keys are at {data['jwks_uri']!s} "
            "(this page never fetches anything): open that address and paste the JWKS.",
            segment="key", fix=""))
        return
    box.problems.append(problem(Code.KEY_JWK_INVALID,
                                "The key is JSON but neither a JWK (no 'kty') nor a JWKS (no 'keys').", segment="key"))


def _load_members(members: list[Any], text: str, box: KeyBox, now: float | None) -> None:
    skipped = 0
    for i, jwk in enumerate(members, 1):
        kid = jwk.get("kid") if isinstance(jwk, dict) and isinstance(jwk.get("kid"), str) else None
        kty = jwk.get("kty") if isinstance(jwk, dict) and isinstance(jwk.get("kty"), str) else None
        if i > MAX_SET_MEMBERS and (kid is None or kid != box.wanted_kid):
            skipped += 1
            continue
        try:
            key = load_jwk(jwk, "JWKS member", now, box.purpose)
            key.label, key.source = f"key #{i}", text
            box.members.append(Member(i, key, kid=kid, kty=kty))
            box.keys.append(key)
        except UnusableKey as exc:
            member = Member(i, None, str(exc), kid=kid, kty=kty)
            box.members.append(member)
            box.problems.append(problem(Code.KEY_JWKS_MEMBER, f"JWKS {member.label()} is not usable: {exc}.",
                                        segment="key"))
    if skipped:
        box.problems.append(problem(Code.KEY_JWKS_MEMBER, f"The set has {len(members):,} keys; only the first "
                                    f"{MAX_SET_MEMBERS:,} (and any the token's kid names) were read.", segment="key",
                                    fix="Paste the issuer's current key set: real sets hold a few keys."))
    if not box.keys:
        for p in box.problems:
            p.level = "error"
