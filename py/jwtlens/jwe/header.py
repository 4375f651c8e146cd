"""The protected header of a JWE read for decryption: the alg, enc and zip rows, and the parameters the alg needs
(RFC 7518 4.6-4.8: epk, apu, apv; iv, tag; p2s, p2c), each checked before any key is touched or any work is done.

    head = read_header(header_dict)        # JweError with a jwe.* problem (segment "header") when unusable
    head.alg.family, head.enc.key_bits, head.epk, head.p2c, ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import b64url, jwa
from ..keys import ECPublicKey, UnusableKey, XPublicKey, load_jwk
from ..primitives import ecdh
from ..primitives.errors import InvalidPoint
from ..problems import Code
from ..segments import json_value_words
from .errors import JweError

ZIP_VALUES = ("DEF",)  # the one registered "zip" value (RFC 7516 4.1.3, 7.3)
ECDH_CURVES = jwa.ALGS["ECDH-ES"].curves


@dataclass
class Header:
    alg: jwa.Alg
    enc: jwa.Alg
    zip: str | None = None
    kid: str | None = None
    cty: str | None = None
    epk: ECPublicKey | XPublicKey | None = None  # ECDH-ES: the sender's ephemeral public key
    apu: bytes = b""
    apv: bytes = b""
    iv: bytes = b""  # AxxxGCMKW: the key wrap's IV and tag
    tag: bytes = b""
    p2s: bytes = b""  # PBES2: the salt input and the iteration count
    p2c: int = 0

    @property
    def curve(self) -> str | None:
        return self.epk.curve.name if self.epk is not None else None


def _error(code: str, message: str) -> JweError:
    return JweError(code, message, segment="header")


def _row(header: dict[str, Any], name: str, kind: jwa.Kind) -> jwa.Alg:
    """The alg or enc row; the message names what was found instead (a JWS alg, another case, another kind)."""
    value = header.get(name)
    missing, unknown = ((Code.HEADER_ALG_MISSING, Code.JWE_ALG_UNSUPPORTED) if name == "alg"
                        else (Code.JWE_ENC_MISSING, Code.JWE_ENC_UNSUPPORTED))
    if value is None:
        raise _error(missing, f"Header: there is no \"{name}\", so nothing says how the token is encrypted.")
    row = jwa.get(value, kind)
    if row is not None:
        return row
    if not isinstance(value, str):
        raise _error(unknown, f"Header: \"{name}\" is {json_value_words(value)}, not a string.")
    other = jwa.get(value)
    words = "key-management algorithm (alg)" if name == "alg" else "content encryption (enc)"
    if other is not None:
        what = {"jws": "a JWS signature algorithm", "jwe-alg": "a key-management algorithm (it belongs in alg)",
                "jwe-enc": "a content encryption (it belongs in enc)"}[other.kind]
        raise _error(unknown, f"Header: {name} {value!r} is {what}, not a JWE {words}.")
    case = jwa.case_variant(value, kind)
    hint = f" (names are case-sensitive: {case!r} is registered)" if case else ""
    raise _error(unknown, f"Header: {name} {value!r} is not a registered JWE {words}{hint}.")


def _b64_param(header: dict[str, Any], name: str, *, required: bool, size: int | None = None,
               code: str = Code.JWE_HEADER_PARAM) -> bytes:
    if name not in header:
        if required:
            raise _error(code, f"Header: \"{name}\" is missing; {header.get('alg')} needs it.")
        return b""
    try:
        data = b64url.decode(header[name], f"Header \"{name}\"", canonical=False)
    except b64url.Base64urlError as exc:
        raise _error(code, f"{exc}.") from None
    if size is not None and len(data) != size:
        raise _error(code, f"Header: \"{name}\" is {len(data)} bytes; {header.get('alg')} needs exactly {size}.")
    return data


def read_epk(header: dict[str, Any]) -> ECPublicKey | XPublicKey:
    """The ephemeral public key of ECDH-ES (RFC 7518 4.6.1.1): a public JWK on a curve ECDH-ES uses, its point
    checked to lie on that curve (an invalid-curve attack sends one that does not)."""
    epk = header.get("epk")
    if not isinstance(epk, dict):
        what = "missing" if epk is None else f"{json_value_words(epk)}, not a JWK"
        raise _error(Code.JWE_EPK_INVALID, f"Header: \"epk\" (the sender's ephemeral public key) is {what}.")
    crv = epk.get("crv")
    if crv not in ECDH_CURVES:
        raise _error(Code.JWE_EPK_INVALID, f"Header: \"epk\" is on {crv!r}; ECDH-ES uses {', '.join(ECDH_CURVES)}.")
    try:
        public = load_jwk({k: epk[k] for k in ("kty", "crv", "x", "y") if k in epk}, "epk", purpose="enc").public
        if isinstance(public, ECPublicKey):
            ecdh.validate_public(public.curve.name, (public.x, public.y))
    except (UnusableKey, InvalidPoint) as exc:
        raise _error(Code.JWE_EPK_INVALID, f"Header: \"epk\" is not usable: {exc}. It is never multiplied by the "
                                           "private key: an invalid-curve attack recovers the key that way.") from None
    assert isinstance(public, (ECPublicKey, XPublicKey))
    return public


def _p2c(header: dict[str, Any]) -> int:
    p2c = header.get("p2c")
    if not isinstance(p2c, int) or isinstance(p2c, bool) or p2c < 1:
        what = "missing" if p2c is None else f"{json_value_words(p2c)}, not a positive integer"
        raise _error(Code.JWE_P2C_REFUSED, f"Header: \"p2c\" (the PBES2 iteration count) is {what}.")
    if p2c > jwa.PBES2_MAX_ITERATIONS:
        raise _error(Code.JWE_P2C_REFUSED, f"Header: \"p2c\" asks for {p2c:,} PBKDF2 iterations; this recipient "
                                           f"runs at most {jwa.PBES2_MAX_ITERATIONS:,}, so the token was refused "
                                           "before any work (a large count is a denial-of-service lever).")
    return p2c


def read_header(header: Any) -> Header:
    """The header as decryption needs it; JweError (segment "header") at the first unusable member."""
    if not isinstance(header, dict):
        raise _error(Code.JSON_NOT_OBJECT, "Header: the protected header does not decode to a JSON object.")
    head = Header(_row(header, "alg", "jwe-alg"), _row(header, "enc", "jwe-enc"))
    zip_value = header.get("zip")
    if zip_value is not None and zip_value not in ZIP_VALUES:
        raise _error(Code.JWE_ZIP_UNSUPPORTED, f"Header: \"zip\" is {json_value_words(zip_value)}; the only "
                                               "registered compression is \"DEF\".")
    head.zip = zip_value
    head.kid = header["kid"] if isinstance(header.get("kid"), str) else None
    head.cty = header["cty"] if isinstance(header.get("cty"), str) else None
    family = head.alg.family
    if family == "ECDH-ES":
        head.epk = read_epk(header)
        head.apu = _b64_param(header, "apu", required=False)
        head.apv = _b64_param(header, "apv", required=False)
    elif family == "AESGCMKW":
        head.iv = _b64_param(header, "iv", required=True, size=head.alg.iv_bytes)
        head.tag = _b64_param(header, "tag", required=True, size=head.alg.tag_bytes)
    elif family == "PBES2":
        head.p2c = _p2c(header)  # first: a refused count costs nothing else
        head.p2s = _b64_param(header, "p2s", required=True, code=Code.JWE_P2S_INVALID)
        if len(head.p2s) < jwa.PBES2_MIN_SALT_BYTES:
            raise _error(Code.JWE_P2S_INVALID, f"Header: \"p2s\" is {len(head.p2s)} bytes; RFC 7518 4.8.1.1 "
                                               f"requires at least {jwa.PBES2_MIN_SALT_BYTES}.")
    return head
