"""Writing keys out: private key PEM (PKCS#8, or the traditional PKCS#1 / SEC 1 forms), public key PEM
(SubjectPublicKeyInfo), private and public JWK, a JWKS, and an HMAC secret as base64url or as an ``oct`` JWK.

Every function takes a ``keys.LoadedKey``: one from ``keygen``, or one read from the key box (so a pasted key can be
converted too). Only what the key box keeps is needed: ``public_jwk()`` for the public members, the signer for the
private numbers, ``thumbprint()`` for ``kid``. The DER comes from ``ecdsa.der``'s encoders; every output reads back
through ``keys.load_key`` and through ``cryptography`` (tests/test_export.py).

Errors (a public key asked for its private PEM, an Ed25519 key asked for a traditional PEM, which does not exist)
raise ``ExportError`` with the reason in words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ecdsa import der

from . import b64url, jwa
from .keys import LoadedKey, public_pem_texts
from .keys.der import OID_EC, OID_RSA
from .keys.pem import armour as pem
from .rsa import RSAPrivateKey


class ExportError(ValueError):
    """The key cannot be written in the asked format; the message says why."""


# -- building blocks -----------------------------------------------------------------------------------------


def _oid(dotted: str) -> bytes:
    return der.encode_oid(*(int(part) for part in dotted.split(".")))


def _algorithm_identifier(oid: str, params: bytes | None = None) -> bytes:
    return der.encode_sequence(_oid(oid), *([params] if params is not None else []))


def _pkcs8(algorithm: bytes, private_key: bytes) -> bytes:
    """PrivateKeyInfo version 0 (RFC 5208; RFC 5958 v1), which every reader takes."""
    return der.encode_sequence(der.encode_integer(0), algorithm, der.encode_octet_string(private_key))


def rsa_jwk_members(n: int, e: int, d: int, p: int, q: int) -> dict[str, str]:
    """All RSA JWK members of a two-prime key (RFC 7518 6.3), CRT values included."""
    members = {"kty": "RSA", "n": n, "e": e, "d": d, "p": p, "q": q,
               "dp": d % (p - 1), "dq": d % (q - 1), "qi": pow(q, -1, p)}
    return {k: v if isinstance(v, str) else b64url.encode_uint(v) for k, v in members.items()}


def ec_jwk_members(crv: str, x: int, y: int, d: int) -> dict[str, str]:
    """An EC private JWK (RFC 7518 6.2): coordinates and d at the full size of the curve (6.2.1.2, 6.2.2.1)."""
    size = jwa.CURVES[crv].size
    return {"kty": "EC", "crv": crv, "x": b64url.encode_uint(x, size), "y": b64url.encode_uint(y, size),
            "d": b64url.encode_uint(d, size)}


def okp_jwk_members(crv: str, public: bytes, seed: bytes) -> dict[str, str]:
    """An Ed25519/Ed448 private JWK (RFC 8037 2): x is the public key, d the private seed."""
    return {"kty": "OKP", "crv": crv, "x": b64url.encode(public), "d": b64url.encode(seed)}


# -- what a key holds ----------------------------------------------------------------------------------------


def _require_private(key: LoadedKey) -> None:
    if key.kind == "secret":
        raise ExportError("an HMAC secret has no private or public key form; export it as base64url or an oct JWK")
    if key.signer is None:
        raise ExportError(f"the {key.describe(public=True)} has no private part to export")


def _rsa_signer(key: LoadedKey) -> RSAPrivateKey:
    signer = key.signer
    assert isinstance(signer, RSAPrivateKey)
    if not (signer.p and signer.q):
        raise ExportError("the RSA private key has no primes p and q (a JWK with only 'd'): PEM and full JWK forms "
                          "need them")
    return signer


def _private_members(key: LoadedKey) -> dict[str, str]:
    """The private JWK members (public ones included), in RFC order."""
    _require_private(key)
    public = key.public_jwk()
    if key.kind == "RSA":
        s = _rsa_signer(key)
        return rsa_jwk_members(s.public.n, s.public.e, s.d, s.p, s.q)
    if key.kind == "EC":
        x, y = (b64url.decode_uint(public[c]) for c in ("x", "y"))
        return ec_jwk_members(public["crv"], x, y, key.signer.privkey.secret_multiplier)
    return okp_jwk_members(public["crv"], b64url.decode(public["x"]), bytes(key.signer.to_string()))


def _ec_point(public: dict[str, str]) -> bytes:
    return b"\x04" + b64url.decode(public["x"]) + b64url.decode(public["y"])


def _sec1(key: LoadedKey, with_curve: bool) -> bytes:
    """SEC 1 ECPrivateKey (RFC 5915); inside PKCS#8 the curve is named by the AlgorithmIdentifier instead."""
    public = key.public_jwk()
    curve = jwa.CURVES[public["crv"]]
    d = key.signer.privkey.secret_multiplier
    parts = [der.encode_integer(1), der.encode_octet_string(d.to_bytes(curve.size, "big"))]
    if with_curve:
        parts.append(der.encode_constructed(0, _oid(curve.oid)))
    parts.append(der.encode_constructed(1, der.encode_bitstring(_ec_point(public), 0)))
    return der.encode_sequence(*parts)


def _pkcs1(key: LoadedKey) -> bytes:
    """PKCS#1 RSAPrivateKey (RFC 8017 A.1.2), two primes."""
    s = _rsa_signer(key)
    numbers = (0, s.public.n, s.public.e, s.d, s.p, s.q, s.d % (s.p - 1), s.d % (s.q - 1), pow(s.q, -1, s.p))
    return der.encode_sequence(*(der.encode_integer(v) for v in numbers))


# -- PEM -----------------------------------------------------------------------------------------------------


def private_pem(key: LoadedKey, form: str = "pkcs8") -> str:
    """The private key as PEM: ``form`` "pkcs8" ("PRIVATE KEY", every key type) or "traditional" ("RSA PRIVATE
    KEY", PKCS#1, or "EC PRIVATE KEY", SEC 1; Ed25519/Ed448 have none)."""
    _require_private(key)
    if form not in ("pkcs8", "traditional"):
        raise ExportError(f"unknown private key form {form!r} (pkcs8 or traditional)")
    crv = key.public_jwk().get("crv")
    if key.kind == "RSA":
        inner = _pkcs1(key)
        if form == "traditional":
            return pem("RSA PRIVATE KEY", inner)
        return pem("PRIVATE KEY", _pkcs8(_algorithm_identifier(OID_RSA, b"\x05\x00"), inner))
    if key.kind == "EC":
        if form == "traditional":
            return pem("EC PRIVATE KEY", _sec1(key, with_curve=True))
        algorithm = _algorithm_identifier(OID_EC, _oid(jwa.CURVES[crv].oid))
        return pem("PRIVATE KEY", _pkcs8(algorithm, _sec1(key, with_curve=False)))
    if form == "traditional":
        raise ExportError(f"{crv} keys have no traditional PEM form; use PKCS#8")
    seed = der.encode_octet_string(bytes(key.signer.to_string()))  # CurvePrivateKey (RFC 8410 7)
    return pem("PRIVATE KEY", _pkcs8(_algorithm_identifier(jwa.CURVES[crv].oid), seed))


def public_pem(key: LoadedKey) -> str:
    """The public key as PEM SubjectPublicKeyInfo ("PUBLIC KEY"), the form verifiers read."""
    if key.kind == "secret" or key.public is None:
        raise ExportError("an HMAC secret has no public key: the verifier needs the secret itself")
    return public_pem_texts(key)[0]


# -- JWK -----------------------------------------------------------------------------------------------------


def default_alg(key: LoadedKey) -> str | None:
    """The JWK "alg" to write when none is chosen: the key's own, else the one JWS algorithm its type allows (EC
    curves); None when several fit (RSA: RS*/PS*; a secret: HS*; Ed25519: EdDSA or Ed25519)."""
    if key.alg:
        return key.alg
    crv = key.public_jwk().get("crv") if key.kind != "secret" else None
    fitting = [a.name for a in jwa.ALGS.values() if a.kind == "jws" and a.family == "ECDSA" and crv in a.curves]
    return fitting[0] if len(fitting) == 1 else None


def _annotate(members: dict[str, str], key: LoadedKey, alg: str | None, kid: str | None) -> dict[str, str]:
    out = dict(members)
    kid = kid if kid is not None else key.thumbprint()
    if kid:
        out["kid"] = kid
    out["use"] = "sig"
    alg = alg or default_alg(key)
    if alg:
        out["alg"] = alg
    return out


def private_jwk(key: LoadedKey, alg: str | None = None, kid: str | None = None) -> dict[str, str]:
    """The private JWK with ``kid`` (RFC 7638 thumbprint unless given), ``use: sig`` and ``alg`` when known."""
    if key.kind == "secret":
        return secret_jwk(key, alg, kid)
    return _annotate(_private_members(key), key, alg, kid)


def public_jwk(key: LoadedKey, alg: str | None = None, kid: str | None = None) -> dict[str, str]:
    """The public JWK (RFC 7517) with ``kid`` = RFC 7638 thumbprint, ``use: sig`` and ``alg`` when known."""
    if key.kind == "secret" or key.public is None:
        raise ExportError("an HMAC secret has no public JWK: the verifier needs the secret itself (an oct JWK)")
    members = key.public_jwk()
    ordered = {"kty": members["kty"], **{k: v for k, v in members.items() if k != "kty"}}
    return _annotate(ordered, key, alg, kid)


def jwks(key: LoadedKey, alg: str | None = None, kid: str | None = None) -> dict[str, list[dict[str, str]]]:
    """A JWK Set holding the public JWK: what an issuer publishes at its jwks_uri."""
    return {"keys": [public_jwk(key, alg, kid)]}


def secret_b64url(key: LoadedKey) -> str:
    if key.secret is None:
        raise ExportError(f"the {key.describe(public=True)} is not an HMAC secret")
    return b64url.encode(key.secret)


def secret_jwk(key: LoadedKey, alg: str | None = None, kid: str | None = None) -> dict[str, str]:
    """The secret as an ``oct`` JWK. No thumbprint ``kid``: a hash of a secret helps whoever guesses it."""
    out = {"kty": "oct", "k": secret_b64url(key)}
    if kid:
        out["kid"] = kid
    out["use"] = "sig"
    if alg or key.alg:
        out["alg"] = alg or key.alg or ""
    return out


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


# -- every format at once (the page's export list, `jwtlens keygen`) ----------------------------------------


@dataclass(frozen=True)
class Format:
    name: str  # stable id: "pkcs8", "pkcs1", ...
    label: str  # for people
    kinds: frozenset[str]  # the LoadedKey kinds it applies to
    private: bool  # the text holds secret material
    write: Callable[[LoadedKey, str | None], str]


_ASYMMETRIC = frozenset({"RSA", "EC", "OKP"})
FORMATS: tuple[Format, ...] = (
    Format("pkcs8", "Private key, PEM (PKCS#8)", _ASYMMETRIC, True, lambda k, a: private_pem(k, "pkcs8")),
    Format("pkcs1", "Private key, PEM (PKCS#1 RSA PRIVATE KEY)", frozenset({"RSA"}), True,
           lambda k, a: private_pem(k, "traditional")),
    Format("sec1", "Private key, PEM (SEC 1 EC PRIVATE KEY)", frozenset({"EC"}), True,
           lambda k, a: private_pem(k, "traditional")),
    Format("spki", "Public key, PEM (SubjectPublicKeyInfo)", _ASYMMETRIC, False, lambda k, a: public_pem(k)),
    Format("jwk-private", "Private key, JWK", _ASYMMETRIC, True, lambda k, a: json_text(private_jwk(k, a))),
    Format("jwk-public", "Public key, JWK", _ASYMMETRIC, False, lambda k, a: json_text(public_jwk(k, a))),
    Format("jwks", "Public key set, JWKS", _ASYMMETRIC, False, lambda k, a: json_text(jwks(k, a))),
    Format("secret-b64url", "Secret, base64url", frozenset({"secret"}), True, lambda k, a: secret_b64url(k)),
    Format("jwk-oct", "Secret, JWK (oct)", frozenset({"secret"}), True, lambda k, a: json_text(secret_jwk(k, a))),
)
FORMAT_BY_NAME = {f.name: f for f in FORMATS}


@dataclass(frozen=True)
class Exported:
    format: str
    label: str
    private: bool
    text: str


def export(key: LoadedKey, format: str, alg: str | None = None) -> str:
    """One format by name (see FORMATS)."""
    fmt = FORMAT_BY_NAME.get(format)
    if fmt is None:
        raise ExportError(f"unknown export format {format!r}; known: {', '.join(FORMAT_BY_NAME)}")
    if key.kind not in fmt.kinds:
        raise ExportError(f"{fmt.label} does not apply to the {key.describe(public=True)}")
    return fmt.write(key, alg)


def export_all(key: LoadedKey, alg: str | None = None) -> list[Exported]:
    """Every format that applies to the key; those it cannot be written in (a public key's private forms, an RSA
    JWK without its primes) are left out."""
    out = []
    for fmt in FORMATS:
        if key.kind in fmt.kinds:
            try:
                out.append(Exported(fmt.name, fmt.label, fmt.private, fmt.write(key, alg)))
            except ExportError:
                continue
    return out
