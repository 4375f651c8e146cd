"""The key box: recognise whatever was pasted (secret, PEM, certificate, private key, JWK, JWKS) as key objects.

``load_key(text, secret_format="auto", now=None) -> KeyBox`` never raises for bad input: everything it could
not use becomes a ``Problem`` (segment "key") with a specific message. A ``KeyBox`` holds the usable keys
(``LoadedKey``), every member of a key set with the reason it was or was not usable, and, for an HMAC secret read
in "auto" mode, the other plausible readings of the same text (the verifier tries them when the first fails).

Public key material is kept as small objects of our own (``rsa.RSAPublicKey``, ``ECPublicKey``,
``EdPublicKey``) built on ``ecdsa`` curves; private keys are reduced to their public half plus what signing needs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

import ecdsa
from ecdsa import der as _der
from ecdsa.ellipticcurve import PointEdwards

from . import asn1
from .problems import KeyCode, problem
from .report import KeyInfo, Problem
from .rsa import RSAKeyError, RSAPrivateKey, RSAPublicKey

# -- curves --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    name: str  # the JWK "crv" value
    kty: str  # "EC" or "OKP"
    oid: str
    alg: str  # the JWS algorithm that uses this curve
    ecdsa_curve: Any  # ecdsa.curves.Curve
    size: int  # bytes per coordinate / per encoded point (OKP)
    bits: int
    hash_name: str | None = None  # ECDSA only


CURVES = {
    c.name: c
    for c in (
        Curve("P-256", "EC", "1.2.840.10045.3.1.7", "ES256", ecdsa.NIST256p, 32, 256, "SHA-256"),
        Curve("P-384", "EC", "1.3.132.0.34", "ES384", ecdsa.NIST384p, 48, 384, "SHA-384"),
        Curve("P-521", "EC", "1.3.132.0.35", "ES512", ecdsa.NIST521p, 66, 521, "SHA-512"),
        Curve("secp256k1", "EC", "1.3.132.0.10", "ES256K", ecdsa.SECP256k1, 32, 256, "SHA-256"),
        Curve("Ed25519", "OKP", "1.3.101.112", "EdDSA", ecdsa.Ed25519, 32, 255),
        Curve("Ed448", "OKP", "1.3.101.113", "EdDSA", ecdsa.Ed448, 57, 448),
    )
}
_CURVE_BY_OID = {c.oid: c for c in CURVES.values()}
# Curves and key types people paste that JWS signatures cannot use, with the reason.
_OTHER_OIDS = {
    "1.2.840.10045.3.1.1": "the EC curve P-192",
    "1.3.132.0.33": "the EC curve P-224",
    "1.3.36.3.3.2.8.1.1.7": "the EC curve brainpoolP256r1",
    "1.3.36.3.3.2.8.1.1.11": "the EC curve brainpoolP384r1",
    "1.3.36.3.3.2.8.1.1.13": "the EC curve brainpoolP512r1",
    "1.2.156.10197.1.301": "the EC curve SM2",
}
_NOT_SIGNATURE_KEYS = {
    "1.3.101.110": "an X25519 key: it is for key agreement (ECDH), it cannot verify signatures",
    "1.3.101.111": "an X448 key: it is for key agreement (ECDH), it cannot verify signatures",
    "1.2.840.10040.4.1": "a DSA key: DSA is not a JWS algorithm",
    "1.2.840.113549.1.3.1": "a Diffie-Hellman key: it cannot verify signatures",
}

OID_RSA = "1.2.840.113549.1.1.1"
OID_RSA_PSS = "1.2.840.113549.1.1.10"
OID_EC = "1.2.840.10045.2.1"
OID_MGF1 = "1.2.840.113549.1.1.8"
_HASH_OIDS = {
    "1.3.14.3.2.26": "SHA-1",
    "2.16.840.1.101.3.4.2.4": "SHA-224",
    "2.16.840.1.101.3.4.2.1": "SHA-256",
    "2.16.840.1.101.3.4.2.2": "SHA-384",
    "2.16.840.1.101.3.4.2.3": "SHA-512",
}


class UnusableKey(ValueError):
    """A key that cannot be used; ``code`` is the problem code, the message says why."""

    def __init__(self, message: str, code: str = KeyCode.KEY_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


# -- key objects ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ECPublicKey:
    curve: Curve
    vk: ecdsa.VerifyingKey
    x: int
    y: int


@dataclass(frozen=True)
class EdPublicKey:
    curve: Curve
    raw: bytes  # the encoded point, as hashed into every signature
    point: PointEdwards  # decoded, with the group order attached so scalar products reduce their scalar


@dataclass(frozen=True)
class PSSParams:
    """The parameters an id-RSASSA-PSS key is restricted to (RFC 4055 3.1, defaults applied).

    ``LoadedKey.pss`` is None when the key carries no parameters, which RFC 4055 reads as "no restriction"."""

    hash_name: str
    mgf_hash: str
    salt_length: int


@dataclass
class LoadedKey:
    kind: str  # "secret", "RSA", "EC", "OKP"
    format: str  # how it was given: "text", "hex", "PEM public key", "JWK", "PEM certificate", ...
    secret: bytes | None = None
    public: RSAPublicKey | ECPublicKey | EdPublicKey | None = None
    signer: Any = None  # RSAPrivateKey or ecdsa.SigningKey when a private key was pasted
    kid: str | None = None
    alg: str | None = None  # JWK "alg"
    use: str | None = None  # JWK "use"
    key_ops: list[str] | None = None
    pss: PSSParams | None = None  # an RSASSA-PSS-only key (id-RSASSA-PSS with parameters)
    pss_only: bool = False  # id-RSASSA-PSS: must not be used for RS*
    label: str | None = None  # "key #2" inside a set
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    source: str = ""  # the text that was pasted (for the key-confusion check of HS* tokens)

    @property
    def curve(self) -> Curve | None:
        return self.public.curve if isinstance(self.public, (ECPublicKey, EdPublicKey)) else None

    @property
    def size(self) -> int | None:
        if self.secret is not None:
            return len(self.secret) * 8
        if isinstance(self.public, RSAPublicKey):
            return self.public.bits
        return self.curve.bits if self.curve else None

    @property
    def private(self) -> bool:
        return self.signer is not None

    def public_jwk(self) -> dict[str, str]:
        """The required members of the JWK, as RFC 7638 lists them (the thumbprint input)."""
        pub = self.public
        if isinstance(pub, RSAPublicKey):
            return {"e": _b64u_int(pub.e), "kty": "RSA", "n": _b64u_int(pub.n)}
        if isinstance(pub, ECPublicKey):
            size = pub.curve.size
            return {
                "crv": pub.curve.name,
                "kty": "EC",
                "x": _b64u(pub.x.to_bytes(size, "big")),
                "y": _b64u(pub.y.to_bytes(size, "big")),
            }
        if isinstance(pub, EdPublicKey):
            return {"crv": pub.curve.name, "kty": "OKP", "x": _b64u(pub.raw)}
        return {"k": _b64u(self.secret or b""), "kty": "oct"}

    def public_pems(self) -> list[str]:
        """The public key as the PEM texts tools write (SPKI, and PKCS#1 for RSA), for the key-confusion check."""
        pub = self.public
        if isinstance(pub, RSAPublicKey):
            pkcs1 = _der.encode_sequence(_der.encode_integer(pub.n), _der.encode_integer(pub.e))
            alg = _der.encode_sequence(_der.encode_oid(1, 2, 840, 113549, 1, 1, 1), b"\x05\x00")
            spki = _der.encode_sequence(alg, _der.encode_bitstring(pkcs1, 0))
            return [_pem("PUBLIC KEY", spki), _pem("RSA PUBLIC KEY", pkcs1)]
        if isinstance(pub, ECPublicKey):
            return [_pem("PUBLIC KEY", pub.vk.to_der())]
        if isinstance(pub, EdPublicKey):
            vk = ecdsa.VerifyingKey.from_string(pub.raw, curve=pub.curve.ecdsa_curve)
            return [_pem("PUBLIC KEY", vk.to_der())]
        return []

    def thumbprint(self) -> str | None:
        """RFC 7638 JWK thumbprint (SHA-256, base64url). Not for secrets: a hash of a weak secret helps guessing."""
        if self.public is None:
            return None
        canonical = json.dumps(self.public_jwk(), separators=(",", ":"), sort_keys=True)
        return _b64u(hashlib.sha256(canonical.encode()).digest())

    def describe(self, public: bool = False) -> str:
        """"RSA 2048-bit public key", "EC P-256 key pair (private key pasted; ...)"; ``public`` leaves the pair out."""
        pub = self.public
        if self.secret is not None:
            return f"HMAC secret, {len(self.secret)} bytes ({self.format})"
        if isinstance(pub, RSAPublicKey):
            what = f"RSA {pub.bits}-bit" + (" (RSASSA-PSS only)" if self.pss_only else "")
        elif isinstance(pub, ECPublicKey):
            what = f"EC {pub.curve.name}"
        elif isinstance(pub, EdPublicKey):
            what = pub.curve.name
        else:
            return "no key"
        if self.private and not public:
            return f"{what} key pair (from a pasted private key; its public half is used)"
        return f"{what} public key"

    def info(self) -> KeyInfo:
        curve = self.curve
        return KeyInfo(
            kind=self.kind,
            format=self.format,
            description=self.describe(),
            size=self.size,
            curve=curve.name if curve else None,
            thumbprint=self.thumbprint(),
            private=self.private,
            kid=self.kid,
            notes=list(self.notes),
        )


@dataclass
class Member:
    """One entry of a key set (JWKS, or several PEM blocks) and whether it loaded."""

    index: int  # 1-based
    key: LoadedKey | None
    reason: str | None = None  # why it could not be loaded
    kid: str | None = None
    kty: str | None = None

    def label(self) -> str:
        bits = [f"key #{self.index}"]
        if self.kid is not None:
            bits.append(f"kid {self.kid!r}")
        if self.key is not None:
            bits.append(self.key.describe())
        elif self.kty:
            bits.append(f"kty {self.kty}")
        return bits[0] + (" (" + ", ".join(bits[1:]) + ")" if len(bits) > 1 else "")


@dataclass
class KeyBox:
    """What the key box held, as understood."""

    text: str
    format: str  # "empty", "secret", "PEM", "JWK", "JWKS", "DER", ...
    keys: list[LoadedKey] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)  # key sets: every member, usable or not
    problems: list[Problem] = field(default_factory=list)
    alternatives: list[LoadedKey] = field(default_factory=list)  # other readings of an auto-detected secret
    is_set: bool = False

    @property
    def empty(self) -> bool:
        return self.format == "empty"

    def info(self) -> KeyInfo:
        if len(self.keys) == 1 and not self.is_set:
            return self.keys[0].info()
        if self.is_set:
            usable = sum(1 for m in self.members if m.key is not None)
            return KeyInfo(
                kind="set",
                format=self.format,
                description=f"{self.format} with {len(self.members)} key(s), {usable} usable",
                notes=[m.label() + (f": {m.reason}" if m.reason else "") for m in self.members],
            )
        return KeyInfo(kind="none", format=self.format, description="no usable key")


# -- helpers -------------------------------------------------------------------------------------------------


def _pem(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64u_int(n: int) -> str:
    return _b64u(n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big"))


_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


def b64u_decode(value: Any, what: str) -> bytes:
    """A JWK member: base64url without padding (padding tolerated), strict alphabet, canonical."""
    if not isinstance(value, str):
        raise UnusableKey(f"{what} must be a base64url string, not {type(value).__name__}", KeyCode.KEY_JWK_INVALID)
    text = value.rstrip("=")
    if not _B64URL_RE.fullmatch(text):
        bad = next(ch for ch in text if not (ch.isascii() and (ch.isalnum() or ch in "-_")))
        hint = " (standard base64: use '-' and '_')" if bad in "+/" else ""
        raise UnusableKey(f"{what} is not base64url: character {bad!r}{hint}", KeyCode.KEY_JWK_INVALID)
    if len(text) % 4 == 1:
        raise UnusableKey(f"{what} has an impossible base64url length ({len(text)})", KeyCode.KEY_JWK_INVALID)
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64u(data) != text:
        raise UnusableKey(f"{what} is not canonical base64url (stray bits in the last character)",
                          KeyCode.KEY_JWK_INVALID)
    return data


def _fmt_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _rsa_public(n: int, e: int) -> RSAPublicKey:
    try:
        return RSAPublicKey(n, e)
    except RSAKeyError as exc:
        raise UnusableKey(str(exc), KeyCode.KEY_UNSUPPORTED) from None


def _rsa_warnings(key: LoadedKey) -> None:
    pub = key.public
    if isinstance(pub, RSAPublicKey) and pub.bits < 2048:
        if 1000 <= pub.bits <= 1024:
            msg = (f"The RSA key is only {pub.bits} bits: 1024-bit RSA is considered breakable and is "
                   "below the 2048-bit minimum of RFC 7518 3.3.")
        else:
            msg = f"The RSA key is {pub.bits} bits, below the 2048-bit minimum of RFC 7518 3.3."
        key.warnings.append(problem(KeyCode.KEY_RSA_SMALL, msg, segment="key"))


def _ec_public(curve: Curve, point: bytes | None = None, x: int | None = None, y: int | None = None) -> ECPublicKey:
    """A validated point on a short Weierstrass curve (on the curve, coordinates in range)."""
    if point is None:
        assert x is not None and y is not None
        p = curve.ecdsa_curve.curve.p()
        if not (0 <= x < p and 0 <= y < p):
            raise UnusableKey(f"the {curve.name} public point has a coordinate out of range", KeyCode.KEY_UNSUPPORTED)
        point = b"\x04" + x.to_bytes(curve.size, "big") + y.to_bytes(curve.size, "big")
    try:
        vk = ecdsa.VerifyingKey.from_string(
            point, curve=curve.ecdsa_curve, hashfunc=hashlib.sha256, valid_encodings=("uncompressed", "compressed")
        )
    except (ecdsa.MalformedPointError, ValueError, AssertionError) as exc:
        raise UnusableKey(f"the public point is not on {curve.name}: {exc}", KeyCode.KEY_UNSUPPORTED) from None
    pt = vk.pubkey.point
    return ECPublicKey(curve, vk, pt.x(), pt.y())


def _ed_public(curve: Curve, raw: bytes) -> EdPublicKey:
    """A canonically encoded Edwards point (RFC 8032 5.1.3 / 5.2.3)."""
    if len(raw) != curve.size:
        raise UnusableKey(
            f"an {curve.name} public key is {curve.size} bytes, this one is {len(raw)}", KeyCode.KEY_UNSUPPORTED
        )
    ed = curve.ecdsa_curve
    p = ed.curve.p()
    y = int.from_bytes(raw, "little") & ((1 << (8 * curve.size - 1)) - 1)
    if y >= p:
        raise UnusableKey(f"the {curve.name} public key is not canonically encoded (y >= p)", KeyCode.KEY_UNSUPPORTED)
    try:
        point = PointEdwards.from_bytes(ed.curve, raw, order=ed.order)
    except (ecdsa.MalformedPointError, ValueError) as exc:
        raise UnusableKey(f"the {curve.name} public key is not a point on the curve ({exc})",
                          KeyCode.KEY_UNSUPPORTED) from None
    if point.x() == 0 and raw[-1] & 0x80:
        raise UnusableKey(f"the {curve.name} public key is not canonically encoded (x = 0 with sign bit set)",
                          KeyCode.KEY_UNSUPPORTED)
    return EdPublicKey(curve, bytes(raw), point)


def _ec_signer(curve: Curve, d: int) -> ecdsa.SigningKey:
    n = curve.ecdsa_curve.order
    if not 1 <= d < n:
        raise UnusableKey(f"the {curve.name} private scalar is out of range", KeyCode.KEY_UNSUPPORTED)
    return ecdsa.SigningKey.from_secret_exponent(d, curve=curve.ecdsa_curve, hashfunc=hashlib.sha256)


def _ec_from_private(curve: Curve, d: int, public: ECPublicKey | None, fmt: str) -> LoadedKey:
    signer = _ec_signer(curve, d)
    derived = signer.get_verifying_key().pubkey.point
    key = LoadedKey("EC", fmt, signer=signer)
    if public is not None and (public.x, public.y) != (derived.x(), derived.y()):
        raise UnusableKey(
            f"the {curve.name} private key does not match the public point stored with it", KeyCode.KEY_PAIR_MISMATCH
        )
    key.public = public or _ec_public(curve, x=derived.x(), y=derived.y())
    return key


def _ed_from_private(curve: Curve, seed: bytes, public_raw: bytes | None, fmt: str) -> LoadedKey:
    if len(seed) != curve.size:
        raise UnusableKey(f"an {curve.name} private key is {curve.size} bytes, this one is {len(seed)}",
                          KeyCode.KEY_UNSUPPORTED)
    signer = ecdsa.SigningKey.from_string(seed, curve=curve.ecdsa_curve)
    derived = signer.get_verifying_key().to_string()
    if public_raw is not None and public_raw != derived:
        raise UnusableKey(f"the {curve.name} private key does not match the public key stored with it",
                          KeyCode.KEY_PAIR_MISMATCH)
    return LoadedKey("OKP", fmt, public=_ed_public(curve, derived), signer=signer)


def _private_note(key: LoadedKey) -> LoadedKey:
    # KeyInfo.private carries the note itself (the page words it); the warning carries the advice.
    key.warnings.append(problem(KeyCode.KEY_PRIVATE, "A private key was pasted; its public half is used to verify.",
                                segment="key"))
    return key


# -- DER structures ------------------------------------------------------------------------------------------


def _read_pss_params(params: bytes | None) -> PSSParams | None:
    """RSASSA-PSS-params (RFC 4055 3.1); absent parameters mean the key is not restricted."""
    if not params:
        return None
    body, rest = asn1.read_sequence(params, "RSASSA-PSS parameters")
    asn1.expect_end(rest, "RSASSA-PSS parameters")
    hash_name, mgf_hash, salt = "SHA-1", "SHA-1", 20  # the defaults of RFC 4055
    if asn1.peek_tag(body) == 0xA0:
        inner, body = asn1.read_explicit(body, 0, "PSS hashAlgorithm")
        oid, _, _ = asn1.read_algorithm(inner, "PSS hashAlgorithm")
        hash_name = _HASH_OIDS.get(oid, oid)
    if asn1.peek_tag(body) == 0xA1:
        inner, body = asn1.read_explicit(body, 1, "PSS maskGenAlgorithm")
        oid, mgf_params, _ = asn1.read_algorithm(inner, "PSS maskGenAlgorithm")
        if oid != OID_MGF1:
            mgf_hash = f"mask generation {oid}"
        elif mgf_params:
            mgf_oid, _, _ = asn1.read_algorithm(mgf_params, "MGF1 hash")
            mgf_hash = _HASH_OIDS.get(mgf_oid, mgf_oid)
    if asn1.peek_tag(body) == 0xA2:
        inner, body = asn1.read_explicit(body, 2, "PSS saltLength")
        salt, _ = asn1.read_integer(inner, "PSS saltLength")
    if asn1.peek_tag(body) == 0xA3:
        inner, body = asn1.read_explicit(body, 3, "PSS trailerField")
        trailer, _ = asn1.read_integer(inner, "PSS trailerField")
        if trailer != 1:
            raise UnusableKey(f"RSASSA-PSS trailer field {trailer} is not supported", KeyCode.KEY_UNSUPPORTED)
    asn1.expect_end(body, "RSASSA-PSS parameters")
    return PSSParams(hash_name, mgf_hash, salt)


def _read_rsa_public(der: bytes) -> RSAPublicKey:
    body, rest = asn1.read_sequence(der, "RSAPublicKey")
    asn1.expect_end(rest, "RSAPublicKey")
    n, body = asn1.read_integer(body, "RSA modulus")
    e, body = asn1.read_integer(body, "RSA public exponent")
    asn1.expect_end(body, "RSAPublicKey")
    return _rsa_public(n, e)


def _pkcs1_public(der: bytes, fmt: str) -> LoadedKey:
    key = LoadedKey("RSA", fmt, public=_read_rsa_public(der))
    _rsa_warnings(key)
    return key


def _named_curve(params: bytes | None, what: str) -> Curve:
    if not params:
        raise UnusableKey(f"{what} has no curve parameters", KeyCode.KEY_DER_INVALID)
    if asn1.peek_tag(params) != asn1.OID:
        raise UnusableKey(f"{what} uses explicit curve parameters; only named curves are supported",
                          KeyCode.KEY_UNSUPPORTED)
    oid, rest = asn1.read_oid(params, f"{what} curve")
    asn1.expect_end(rest, f"{what} curve")
    if oid in _CURVE_BY_OID:
        return _CURVE_BY_OID[oid]
    name = _OTHER_OIDS.get(oid, f"the EC curve with OID {oid}")
    raise UnusableKey(f"the key is on {name}, which no JWS algorithm uses", KeyCode.KEY_UNSUPPORTED)


def _unsupported_algorithm(oid: str) -> UnusableKey:
    if oid in _NOT_SIGNATURE_KEYS:
        return UnusableKey(f"this is {_NOT_SIGNATURE_KEYS[oid]}", KeyCode.KEY_UNSUPPORTED)
    return UnusableKey(f"unknown key algorithm (OID {oid})", KeyCode.KEY_UNSUPPORTED)


def parse_spki(der: bytes, fmt: str = "PEM public key") -> LoadedKey:
    """SubjectPublicKeyInfo (RFC 5280 4.1.2.7): RSA, RSASSA-PSS, EC named curves, Ed25519, Ed448."""
    body, rest = asn1.read_sequence(der, "SubjectPublicKeyInfo")
    asn1.expect_end(rest, "SubjectPublicKeyInfo")
    oid, params, body = asn1.read_algorithm(body, "SubjectPublicKeyInfo algorithm")
    bits, body = asn1.read_bit_string(body, "subjectPublicKey")
    asn1.expect_end(body, "SubjectPublicKeyInfo")
    if oid == OID_RSA:
        if params:
            asn1.expect_end(asn1.read_null(params, "rsaEncryption parameters"), "rsaEncryption parameters")
        key = LoadedKey("RSA", fmt, public=_read_rsa_public(bits))
    elif oid == OID_RSA_PSS:
        key = LoadedKey("RSA", fmt, public=_read_rsa_public(bits), pss=_read_pss_params(params), pss_only=True)
    elif oid == OID_EC:
        curve = _named_curve(params, "the EC key")
        key = LoadedKey("EC", fmt, public=_ec_public(curve, point=bits))
    elif oid in _CURVE_BY_OID and _CURVE_BY_OID[oid].kty == "OKP":
        if params:
            raise UnusableKey("an EdDSA key must not carry algorithm parameters", KeyCode.KEY_DER_INVALID)
        key = LoadedKey("OKP", fmt, public=_ed_public(_CURVE_BY_OID[oid], bits))
    else:
        raise _unsupported_algorithm(oid)
    _rsa_warnings(key)
    return key


def _rsa_private_numbers(der: bytes, fmt: str) -> LoadedKey:
    """PKCS#1 RSAPrivateKey: version, n, e, d, p, q, dp, dq, qi (multi-prime keys use n, e, d only)."""
    body, rest = asn1.read_sequence(der, "RSAPrivateKey")
    asn1.expect_end(rest, "RSAPrivateKey")
    version, body = asn1.read_integer(body, "RSAPrivateKey version")
    if version not in (0, 1):
        raise UnusableKey(f"RSAPrivateKey version {version} is unknown", KeyCode.KEY_DER_INVALID)
    values = []
    for name in ("modulus", "public exponent", "private exponent", "prime1", "prime2"):
        value, body = asn1.read_integer(body, f"RSA {name}")
        values.append(value)
    n, e, d, p, q = values
    public = _rsa_public(n, e)
    _check_rsa_pair(n, e, d, p, q, "the RSA private key")
    key = LoadedKey("RSA", fmt, public=public, signer=RSAPrivateKey(public, d, p, q))
    _rsa_warnings(key)
    return _private_note(key)


def _check_rsa_pair(n: int, e: int, d: int, p: int, q: int, what: str) -> None:
    """The private numbers belong to n and e (cheap with the primes; one exponentiation without them)."""
    if p and q:
        if p * q != n:
            raise UnusableKey(f"{what}'s primes do not multiply to its modulus", KeyCode.KEY_PAIR_MISMATCH)
        if (d * e) % math.lcm(p - 1, q - 1) != 1:
            raise UnusableKey(f"{what}'s private exponent does not match its public exponent",
                              KeyCode.KEY_PAIR_MISMATCH)
    elif not 1 < d < n or pow(pow(2, e, n), d, n) != 2:
        raise UnusableKey(f"{what}'s private exponent does not match the public key", KeyCode.KEY_PAIR_MISMATCH)


def _sec1_private(der: bytes, fmt: str, curve: Curve | None) -> LoadedKey:
    """SEC 1 ECPrivateKey: version 1, privateKey, [0] named curve, [1] public key."""
    body, rest = asn1.read_sequence(der, "ECPrivateKey")
    asn1.expect_end(rest, "ECPrivateKey")
    version, body = asn1.read_integer(body, "ECPrivateKey version")
    if version != 1:
        raise UnusableKey(f"ECPrivateKey version {version} is not 1", KeyCode.KEY_DER_INVALID)
    secret, body = asn1.read_octet_string(body, "EC private key")
    public_bits = None
    if asn1.peek_tag(body) == 0xA0:
        params, body = asn1.read_explicit(body, 0, "ECPrivateKey parameters")
        named = _named_curve(params, "the EC private key")
        if curve is not None and named != curve:
            raise UnusableKey("the EC private key names two different curves", KeyCode.KEY_DER_INVALID)
        curve = named
    if asn1.peek_tag(body) == 0xA1:
        inner, body = asn1.read_explicit(body, 1, "ECPrivateKey public key")
        public_bits, _ = asn1.read_bit_string(inner, "ECPrivateKey public key")
    asn1.expect_end(body, "ECPrivateKey")
    if curve is None:
        raise UnusableKey("the EC private key does not name its curve", KeyCode.KEY_DER_INVALID)
    public = _ec_public(curve, point=public_bits) if public_bits else None
    return _private_note(_ec_from_private(curve, int.from_bytes(secret, "big"), public, fmt))


def parse_pkcs8(der: bytes, fmt: str = "PEM private key (PKCS#8)") -> LoadedKey:
    """PKCS#8 / RFC 5958 OneAsymmetricKey for RSA, EC, Ed25519 and Ed448."""
    body, rest = asn1.read_sequence(der, "PrivateKeyInfo")
    asn1.expect_end(rest, "PrivateKeyInfo")
    version, body = asn1.read_integer(body, "PrivateKeyInfo version")
    if version not in (0, 1):
        raise UnusableKey(f"PrivateKeyInfo version {version} is unknown", KeyCode.KEY_DER_INVALID)
    oid, params, body = asn1.read_algorithm(body, "PrivateKeyInfo algorithm")
    private, body = asn1.read_octet_string(body, "PrivateKeyInfo privateKey")
    public_raw = None
    if asn1.peek_tag(body) == 0xA0:  # attributes: not needed
        _, _, body = asn1.read_tlv(body, "PrivateKeyInfo attributes")
    if asn1.peek_tag(body) == 0x81:  # [1] IMPLICIT BIT STRING publicKey (v2)
        _, content, body = asn1.read_tlv(body, "OneAsymmetricKey publicKey")
        if not content or content[0] != 0:
            raise UnusableKey("OneAsymmetricKey publicKey has unused bits", KeyCode.KEY_DER_INVALID)
        public_raw = content[1:]
    asn1.expect_end(body, "PrivateKeyInfo")
    if oid in (OID_RSA, OID_RSA_PSS):
        key = _rsa_private_numbers(private, fmt)
        if oid == OID_RSA_PSS:
            key.pss, key.pss_only = _read_pss_params(params), True
        return key
    if oid == OID_EC:
        return _sec1_private(private, fmt, _named_curve(params, "the EC private key"))
    if oid in _CURVE_BY_OID and _CURVE_BY_OID[oid].kty == "OKP":
        seed, tail = asn1.read_octet_string(private, "EdDSA private key")
        asn1.expect_end(tail, "EdDSA private key")
        return _private_note(_ed_from_private(_CURVE_BY_OID[oid], seed, public_raw, fmt))
    raise _unsupported_algorithm(oid)


def parse_certificate(der: bytes, now: float | None, fmt: str = "PEM certificate") -> LoadedKey:
    """X.509 (RFC 5280): the subject public key, plus subject, issuer and validity as notes.

    The certificate's own signature and chain are not checked: that needs the issuer's certificate and a trust
    decision, and the key inside is what verifies the token.
    """
    body, rest = asn1.read_sequence(der, "Certificate")
    tbs, _ = asn1.read_sequence(body, "TBSCertificate")
    if asn1.peek_tag(tbs) == 0xA0:
        _, _, tbs = asn1.read_tlv(tbs, "certificate version")
    _, _, tbs = asn1.read_tlv(tbs, "certificate serial number")
    _, _, tbs = asn1.read_tlv(tbs, "certificate signature algorithm")
    issuer, tbs = asn1.read_name(tbs, "certificate issuer")
    validity, tbs = asn1.read_sequence(tbs, "certificate validity")
    not_before, validity = asn1.read_time(validity, "certificate notBefore")
    not_after, validity = asn1.read_time(validity, "certificate notAfter")
    subject, tbs = asn1.read_name(tbs, "certificate subject")
    after_spki = asn1.read_tlv(tbs, "certificate subjectPublicKeyInfo")[2]
    key = parse_spki(tbs[: len(tbs) - len(after_spki)], fmt)
    key.notes += [
        f"Certificate subject: {subject or '(empty)'}",
        f"Certificate issuer: {issuer or '(empty)'}" + (" (self-signed)" if issuer == subject else ""),
        f"Certificate valid from {_fmt_time(not_before)} to {_fmt_time(not_after)}",
    ]
    clock = time.time() if now is None else now
    if clock > not_after:
        msg = f"The certificate expired on {_fmt_time(not_after)} (its key can still verify the token)."
        key.notes.append(msg)
        key.warnings.append(problem(KeyCode.KEY_CERT_EXPIRED, msg, segment="key"))
    elif clock < not_before:
        msg = f"The certificate is not valid before {_fmt_time(not_before)}."
        key.notes.append(msg)
        key.warnings.append(problem(KeyCode.KEY_CERT_NOT_YET_VALID, msg, segment="key"))
    key.notes.append("The certificate's own signature and chain are not checked here.")
    if rest:
        key.notes.append("Extra bytes after the certificate were ignored.")
    return key


# -- PEM -----------------------------------------------------------------------------------------------------

_PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", re.S)
_PEM_LABELS = {
    "PUBLIC KEY": ("PEM public key", lambda der, now: parse_spki(der, "PEM public key")),
    "RSA PUBLIC KEY": ("PEM RSA public key (PKCS#1)", None),
    "CERTIFICATE": ("PEM certificate", lambda der, now: parse_certificate(der, now)),
    "TRUSTED CERTIFICATE": ("PEM certificate", lambda der, now: parse_certificate(der, now)),
    "X509 CERTIFICATE": ("PEM certificate", lambda der, now: parse_certificate(der, now)),
    "PRIVATE KEY": ("PEM private key (PKCS#8)", lambda der, now: parse_pkcs8(der)),
    "RSA PRIVATE KEY": ("PEM RSA private key (PKCS#1)", None),
    "EC PRIVATE KEY": ("PEM EC private key (SEC 1)", None),
}
_PEM_REFUSED = {
    "ENCRYPTED PRIVATE KEY": ("the private key is encrypted with a password", KeyCode.KEY_ENCRYPTED),
    "OPENSSH PRIVATE KEY": (
        "OpenSSH private keys are not supported; export the public key as PEM "
        "(ssh-keygen -e -m PKCS8 -f key.pub)", KeyCode.KEY_UNSUPPORTED),
    "SSH2 PUBLIC KEY": ("SSH2 public keys are not supported; convert with ssh-keygen -i -m PKCS8",
                        KeyCode.KEY_UNSUPPORTED),
    "DSA PRIVATE KEY": ("DSA is not a JWS algorithm", KeyCode.KEY_UNSUPPORTED),
    "CERTIFICATE REQUEST": ("a certificate request (CSR) is not a key; paste the issued certificate or the "
                            "public key", KeyCode.KEY_UNSUPPORTED),
    "NEW CERTIFICATE REQUEST": ("a certificate request (CSR) is not a key", KeyCode.KEY_UNSUPPORTED),
    "X509 CRL": ("a certificate revocation list is not a key", KeyCode.KEY_UNSUPPORTED),
    "PGP PUBLIC KEY BLOCK": ("PGP keys are not used by JWS", KeyCode.KEY_UNSUPPORTED),
}
_PEM_SKIPPED = {"EC PARAMETERS", "DH PARAMETERS"}


def _pem_block(label: str, body: str, now: float | None) -> LoadedKey:
    if label in _PEM_REFUSED:
        msg, code = _PEM_REFUSED[label]
        raise UnusableKey(f"{label}: {msg}", code)
    if label not in _PEM_LABELS:
        raise UnusableKey(f"a PEM block labelled {label!r} is not a key this page can use", KeyCode.KEY_UNSUPPORTED)
    if ":" in body:  # RFC 1421 headers: only legacy encrypted keys have them
        if "ENCRYPTED" in body:
            raise UnusableKey(f"{label}: the key is encrypted with a password (Proc-Type: ENCRYPTED)",
                              KeyCode.KEY_ENCRYPTED)
        body = body.split("\n\n", 1)[-1]
    compact = "".join(body.split())
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        bad = next((ch for ch in compact if not (ch.isascii() and (ch.isalnum() or ch in "+/="))), None)
        detail = f"character {bad!r}" if bad else "wrong length or misplaced '=' (a line is missing or cut?)"
        raise UnusableKey(f"the {label} PEM body is not valid base64: {detail}", KeyCode.KEY_PEM_INVALID) from None
    fmt, parser = _PEM_LABELS[label]
    try:
        if label == "RSA PUBLIC KEY":
            return _pkcs1_public(der, fmt)
        if label == "RSA PRIVATE KEY":
            return _rsa_private_numbers(der, fmt)
        if label == "EC PRIVATE KEY":
            return _sec1_private(der, fmt, None)
        assert parser is not None
        return parser(der, now)
    except asn1.DERError as exc:
        msg = f"the {label} is damaged or not what its label says: {exc}"
        raise UnusableKey(msg, KeyCode.KEY_DER_INVALID) from None


def _load_pem(text: str, box: KeyBox, now: float | None) -> None:
    escaped = "\\n" in text and "\n" not in text.strip()
    if escaped:  # pasted from JSON or an environment variable
        text = text.replace("\\r", "").replace("\\n", "\n")
    blocks = list(_PEM_RE.finditer(text))
    if not blocks:
        box.problems.append(problem(KeyCode.KEY_PEM_INVALID,
                                    "The key has a '-----BEGIN' line but no matching '-----END' line.", segment="key"))
        return
    loaded: list[Member] = []
    for i, m in enumerate(blocks, 1):
        label, body, end = m.group(1), m.group(2), m.group(3)
        if label in _PEM_SKIPPED:
            continue
        if end != label:
            reason = f"the PEM block BEGIN {label} ends with END {end}"
            loaded.append(Member(i, None, reason))
            box.problems.append(problem(KeyCode.KEY_PEM_INVALID, _cap(reason) + ".", segment="key"))
            continue
        try:
            key = _pem_block(label, body, now)
            key.source = text
            if escaped:
                key.notes.append("The PEM had literal '\\n' escapes (as in JSON); they were read as line breaks.")
            loaded.append(Member(i, key))
        except UnusableKey as exc:
            loaded.append(Member(i, None, str(exc)))
            box.problems.append(problem(exc.code, _cap(str(exc)) + ".", segment="key"))
        except (asn1.DERError, RSAKeyError) as exc:
            loaded.append(Member(i, None, str(exc)))
            box.problems.append(problem(KeyCode.KEY_DER_INVALID, _cap(str(exc)) + ".", segment="key"))
    box.format = "PEM"
    usable = _dedupe([m.key for m in loaded if m.key is not None])
    if len(loaded) > 1 and len(usable) > 1:
        box.is_set, box.format = True, "PEM bundle"
        for n, member in enumerate(loaded, 1):
            member.index = n
            if member.key is not None:
                member.key.label = f"key #{n}"
        box.members = loaded
    box.keys = usable
    if usable and box.problems and not box.is_set:
        for p in box.problems:  # one usable key among broken blocks: the others are only warnings
            p.level = "warning"


def _dedupe(keys: list[LoadedKey]) -> list[LoadedKey]:
    """A private key and its certificate in one paste are one key (the first one found is kept)."""
    seen: set[str | None] = set()
    out = []
    for key in keys:
        tp = key.thumbprint()
        if tp in seen:
            continue
        seen.add(tp)
        out.append(key)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- JWK and JWKS --------------------------------------------------------------------------------------------


def _jwk_int(jwk: dict[str, Any], name: str, what: str) -> int:
    if name not in jwk:
        raise UnusableKey(f"the {what} JWK has no '{name}'", KeyCode.KEY_JWK_INVALID)
    data = b64u_decode(jwk[name], f"JWK member '{name}'")
    if not data:
        raise UnusableKey(f"JWK member '{name}' is empty", KeyCode.KEY_JWK_INVALID)
    return int.from_bytes(data, "big")


def _jwk_coordinate(jwk: dict[str, Any], name: str, curve: Curve, notes: list[str]) -> bytes:
    if name not in jwk:
        raise UnusableKey(f"the {curve.name} JWK has no '{name}'", KeyCode.KEY_JWK_INVALID)
    data = b64u_decode(jwk[name], f"JWK member '{name}'")
    if len(data) > curve.size:
        raise UnusableKey(f"JWK '{name}' is {len(data)} bytes; {curve.name} coordinates are {curve.size}",
                          KeyCode.KEY_JWK_INVALID)
    if len(data) < curve.size:
        notes.append(f"JWK '{name}' is {len(data)} bytes; RFC 7518 6.2.1 wants the full {curve.size} bytes "
                     "(leading zeros kept). It was padded.")
    return data.rjust(curve.size, b"\x00")


def load_jwk(jwk: Any, fmt: str = "JWK", now: float | None = None) -> LoadedKey:
    """One JWK (RFC 7517/7518/8037), public or private. Raises ``UnusableKey`` with the reason."""
    if not isinstance(jwk, dict):
        raise UnusableKey(f"a JWK is a JSON object, not {type(jwk).__name__}", KeyCode.KEY_JWK_INVALID)
    kty = jwk.get("kty")
    if not isinstance(kty, str):
        raise UnusableKey("the JWK has no 'kty' (key type)", KeyCode.KEY_JWK_INVALID)
    notes: list[str] = []
    if kty == "RSA":
        if "n" not in jwk and isinstance(jwk.get("x5c"), list) and jwk["x5c"]:
            key = _jwk_from_x5c(jwk, now)
        else:
            n = _jwk_int(jwk, "n", "RSA")
            e = _jwk_int(jwk, "e", "RSA")
            public = _rsa_public(n, e)
            key = LoadedKey("RSA", fmt, public=public)
            if "d" in jwk:
                d = _jwk_int(jwk, "d", "RSA")
                p = _jwk_int(jwk, "p", "RSA") if "p" in jwk else 0
                q = _jwk_int(jwk, "q", "RSA") if "q" in jwk else 0
                _check_rsa_pair(n, e, d, p, q, "the RSA JWK")
                key.signer = RSAPrivateKey(public, d, p, q)
                _private_note(key)
            _rsa_warnings(key)
    elif kty == "EC":
        crv = jwk.get("crv")
        if crv not in CURVES or CURVES[crv].kty != "EC":
            raise UnusableKey(f"the EC JWK's curve {crv!r} is not one JWS uses (P-256, P-384, P-521, secp256k1)",
                              KeyCode.KEY_UNSUPPORTED)
        curve = CURVES[crv]
        x = int.from_bytes(_jwk_coordinate(jwk, "x", curve, notes), "big")
        y = int.from_bytes(_jwk_coordinate(jwk, "y", curve, notes), "big")
        public = _ec_public(curve, x=x, y=y)
        if "d" in jwk:
            d = int.from_bytes(_jwk_coordinate(jwk, "d", curve, notes), "big")
            key = _private_note(_ec_from_private(curve, d, public, fmt))
        else:
            key = LoadedKey("EC", fmt, public=public)
    elif kty == "OKP":
        crv = jwk.get("crv")
        if crv in ("X25519", "X448"):
            raise UnusableKey(f"an {crv} key is for key agreement (ECDH), it cannot verify signatures",
                              KeyCode.KEY_UNSUPPORTED)
        if crv not in CURVES or CURVES[crv].kty != "OKP":
            raise UnusableKey(f"the OKP JWK's curve {crv!r} is not Ed25519 or Ed448", KeyCode.KEY_UNSUPPORTED)
        curve = CURVES[crv]
        if "x" not in jwk:
            raise UnusableKey(f"the {crv} JWK has no 'x'", KeyCode.KEY_JWK_INVALID)
        raw = b64u_decode(jwk["x"], "JWK member 'x'")
        if "d" in jwk:
            seed = b64u_decode(jwk["d"], "JWK member 'd'")
            key = _private_note(_ed_from_private(curve, seed, raw, fmt))
        else:
            key = LoadedKey("OKP", fmt, public=_ed_public(curve, raw))
    elif kty == "oct":
        if "k" not in jwk:
            raise UnusableKey("the oct (secret) JWK has no 'k'", KeyCode.KEY_JWK_INVALID)
        secret = b64u_decode(jwk["k"], "JWK member 'k'")
        if not secret:
            raise UnusableKey("the oct JWK's secret 'k' is empty", KeyCode.KEY_JWK_INVALID)
        key = LoadedKey("secret", fmt + " (oct)", secret=secret)
    else:
        raise UnusableKey(f"JWK key type {kty!r} is not RSA, EC, OKP or oct", KeyCode.KEY_UNSUPPORTED)
    for name in ("kid", "alg", "use"):
        value = jwk.get(name)
        if value is not None and not isinstance(value, str):
            raise UnusableKey(f"JWK member '{name}' must be a string", KeyCode.KEY_JWK_INVALID)
    key.kid, key.alg, key.use = jwk.get("kid"), jwk.get("alg"), jwk.get("use")
    ops = jwk.get("key_ops")
    if ops is not None:
        if not isinstance(ops, list) or not all(isinstance(o, str) for o in ops):
            raise UnusableKey("JWK 'key_ops' must be an array of strings", KeyCode.KEY_JWK_INVALID)
        key.key_ops = ops
    key.notes += notes
    return key


def _jwk_from_x5c(jwk: dict[str, Any], now: float | None) -> LoadedKey:
    first = jwk["x5c"][0]
    try:
        der = base64.b64decode(first, validate=True) if isinstance(first, str) else b""
    except (binascii.Error, ValueError):
        der = b""
    if not der:
        raise UnusableKey("the JWK's x5c[0] is not a base64 certificate", KeyCode.KEY_JWK_INVALID)
    try:
        key = parse_certificate(der, now, "JWK (x5c certificate)")
    except asn1.DERError as exc:
        raise UnusableKey(f"the JWK's x5c[0] certificate is damaged: {exc}", KeyCode.KEY_DER_INVALID) from None
    return key


def _load_json(text: str, box: KeyBox, now: float | None) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        box.format = "JSON"
        box.problems.append(problem(KeyCode.KEY_JSON_INVALID,
                                    f"The key looks like JSON but is not valid: {exc.msg} at line {exc.lineno}, "
                                    f"column {exc.colno}.", segment="key", line=exc.lineno, column=exc.colno))
        return
    except RecursionError:
        box.problems.append(problem(KeyCode.KEY_JSON_INVALID, "The key's JSON is nested too deeply.", segment="key"))
        return
    members: list[Any] | None = None
    if isinstance(data, dict) and "keys" in data:
        box.format = "JWKS"
        if not isinstance(data["keys"], list):
            box.problems.append(problem(KeyCode.KEY_JWK_INVALID, "The JWKS member 'keys' must be an array.",
                                        segment="key"))
            return
        members = data["keys"]
    elif isinstance(data, list) and data and all(isinstance(m, dict) and "kty" in m for m in data):
        box.format = "JWKS"
        members = data
        box.problems.append(problem(KeyCode.KEY_JWK_INVALID, "A bare array of JWKs was read as a JWKS; the standard "
                                    "form is {\"keys\": [...]}.", segment="key", level="warning", fix=""))
    elif isinstance(data, dict) and "kty" in data:
        box.format = "JWK"
        try:
            key = load_jwk(data, "JWK", now)
            key.source = text
            box.keys = [key]
        except UnusableKey as exc:
            box.problems.append(problem(exc.code, f"The JWK is not usable: {exc}.", segment="key"))
        return
    elif isinstance(data, dict) and "jwks_uri" in data:
        box.format = "JSON"
        box.problems.append(problem(
            KeyCode.KEY_UNREADABLE,
            f"This is an OpenID Provider configuration, not a key. Its keys are at {data['jwks_uri']!s} "
            "(this page never fetches anything): open that address and paste the JWKS.",
            segment="key", fix=""))
        return
    else:
        box.format = "JSON"
        box.problems.append(problem(KeyCode.KEY_JWK_INVALID,
                                    "The key is JSON but neither a JWK (no 'kty') nor a JWKS (no 'keys').",
                                    segment="key"))
        return
    box.is_set = True
    if not members:
        box.problems.append(problem(KeyCode.KEY_JWKS_EMPTY, "The JWKS has no keys.", segment="key"))
        return
    for i, jwk in enumerate(members, 1):
        kid = jwk.get("kid") if isinstance(jwk, dict) and isinstance(jwk.get("kid"), str) else None
        kty = jwk.get("kty") if isinstance(jwk, dict) and isinstance(jwk.get("kty"), str) else None
        try:
            key = load_jwk(jwk, "JWKS member", now)
            key.label, key.source = f"key #{i}", text
            box.members.append(Member(i, key, kid=kid, kty=kty))
            box.keys.append(key)
        except UnusableKey as exc:
            member = Member(i, None, str(exc), kid=kid, kty=kty)
            box.members.append(member)
            box.problems.append(problem(KeyCode.KEY_JWKS_MEMBER, f"JWKS {member.label()} is not usable: {exc}.",
                                        segment="key"))
    if not box.keys:
        for p in box.problems:
            p.level = "error"


# -- secrets -------------------------------------------------------------------------------------------------

_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_B64_RE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64URL_TEXT_RE = re.compile(r"[A-Za-z0-9_-]+")


def _decode_b64(text: str, url: bool) -> bytes | None:
    """Canonical base64 / base64url (padding optional): the bytes, or None when it is not."""
    body = text.rstrip("=")
    if len(body) % 4 == 1 or ("=" in text and len(text) % 4):
        return None
    try:
        data = (base64.urlsafe_b64decode if url else base64.b64decode)(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    encoded = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode().rstrip("=")
    return data if encoded == body and data else None


def _looks_random(text: str) -> bool:
    """Base64 of random bytes mixes cases and digits evenly; words and passphrases do not."""
    n = len(text)
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    other = n - upper - lower
    return n >= 16 and upper >= 0.15 * n and lower >= 0.15 * n and other >= 1


def secret_readings(text: str, secret_format: str = "auto") -> tuple[list[tuple[str, bytes]], str | None]:
    """The readings of an HMAC secret, most likely first: [(format, bytes)], or ([], reason) when invalid."""
    if secret_format == "text":
        return [("UTF-8 text", text.encode("utf-8"))], None
    stripped = "".join(text.split()) if secret_format in ("hex", "base64", "base64url") else text.strip()
    if secret_format == "hex":
        body = stripped[2:] if stripped[:2].lower() == "0x" else stripped
        if not _HEX_RE.fullmatch(body):
            bad = next((c for c in body if c not in "0123456789abcdefABCDEF"), None)
            return [], (f"not hex: character {bad!r}" if bad else "empty")
        if len(body) % 2:
            return [], f"hex needs an even number of digits ({len(body)} given)"
        return [("hex", bytes.fromhex(body))], None
    if secret_format in ("base64", "base64url"):
        url = secret_format == "base64url"
        data = _decode_b64(stripped, url)
        if data is None:
            other = "base64" if url else "base64url"
            alt = _decode_b64(stripped, not url)
            hint = f" (it is valid {other})" if alt else ""
            return [], f"not canonical {secret_format}{hint}"
        return [(secret_format, data)], None
    # auto: decide only where unambiguous; keep the other readings for the verifier to try
    readings: list[tuple[str, bytes]] = []
    text_reading = ("UTF-8 text", stripped.encode("utf-8"))
    is_hex = bool(_HEX_RE.fullmatch(stripped)) and len(stripped) % 2 == 0
    b64 = _decode_b64(stripped, False) if _B64_RE.fullmatch(stripped) else None
    b64url = _decode_b64(stripped, True) if _B64URL_TEXT_RE.fullmatch(stripped) else None
    if is_hex and len(stripped) >= 32:
        readings.append(("hex", bytes.fromhex(stripped)))
    elif b64 is not None and (_looks_random(stripped) or (stripped.endswith("=") and len(stripped) >= 16)):
        readings.append(("base64", b64))
    elif b64url is not None and _looks_random(stripped):
        readings.append(("base64url", b64url))
    readings.append(text_reading)
    for fmt, data in (("hex", bytes.fromhex(stripped) if is_hex else None), ("base64", b64), ("base64url", b64url)):
        if data is not None and all(data != d for _, d in readings):
            readings.append((fmt, data))
    if stripped != text and text:
        readings.append(("UTF-8 text, whitespace kept", text.encode("utf-8")))
    return readings, None


def _load_secret(text: str, secret_format: str, box: KeyBox) -> None:
    readings, error = secret_readings(text, secret_format)
    box.format = "secret"
    if error:
        box.problems.append(problem(KeyCode.KEY_SECRET_INVALID, f"The secret is {error}.", segment="key"))
        return
    keys = []
    for fmt, data in readings:
        key = LoadedKey("secret", fmt, secret=data, source=text)
        if secret_format == "auto":
            key.notes.append(f"Read as {fmt} (automatic); choose the secret format if that is wrong.")
        else:
            key.notes.append(f"Read as {fmt} (as chosen).")
        keys.append(key)
    box.keys, box.alternatives = keys[:1], keys[1:]


# -- the entry point -----------------------------------------------------------------------------------------

_JWT_RE = re.compile(r"^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?$")
_SSH_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-")


def _try_der(text: str) -> tuple[LoadedKey, str] | None:
    """Bare DER in base64 or hex (no PEM armour): used only when it parses as a key structure."""
    compact = "".join(text.split())
    der = None
    if _HEX_RE.fullmatch(compact) and len(compact) % 2 == 0 and compact[:2] == "30":
        der, enc = bytes.fromhex(compact), "hex"
    elif compact[:1] == "M":  # base64 of a DER SEQUENCE (0x30) starts with M
        try:
            der, enc = base64.b64decode(compact, validate=True), "base64"
        except (binascii.Error, ValueError):
            return None
    if not der or der[0] != 0x30:
        return None
    attempts = (
        ("SubjectPublicKeyInfo", lambda d: parse_spki(d, f"{enc} DER public key")),
        ("certificate", lambda d: parse_certificate(d, None, f"{enc} DER certificate")),
        ("PKCS#8", lambda d: parse_pkcs8(d, f"{enc} DER private key (PKCS#8)")),
        ("PKCS#1", lambda d: _pkcs1_public(d, f"{enc} DER RSA public key (PKCS#1)")),
        ("PKCS#1 private", lambda d: _rsa_private_numbers(d, f"{enc} DER RSA private key (PKCS#1)")),
        ("SEC 1", lambda d: _sec1_private(d, f"{enc} DER EC private key", None)),
    )
    for name, parse in attempts:
        try:
            return parse(der), name
        except (asn1.DERError, UnusableKey, RSAKeyError):
            continue
    return None


def load_key(text: str | None, secret_format: str = "auto", now: float | None = None) -> KeyBox:
    """Understand the key box. Never raises for bad input: problems go to ``KeyBox.problems``.

    ``secret_format`` ("auto", "text", "base64", "base64url", "hex") only applies when the text is not
    recognisably a PEM, JWK or JWKS. ``now`` is the clock for certificate validity (default: the current time).
    """
    box = KeyBox(text or "", "empty")
    if text is None or not text.strip():
        return box
    try:
        _load(text, secret_format, now, box)
    except RecursionError:
        box.problems.append(problem(KeyCode.KEY_UNREADABLE, "The key is nested too deeply to read.", segment="key"))
    except Exception as exc:  # noqa: BLE001 - a key we cannot read must become a problem, never a traceback
        box.keys, box.alternatives = [], []
        box.problems.append(problem(KeyCode.KEY_UNREADABLE, f"The key could not be read ({type(exc).__name__}: "
                                    f"{exc}).", segment="key"))
    for key in box.keys + [m.key for m in box.members if m.key is not None]:
        key.source = key.source or text
    return box


def _load(text: str, secret_format: str, now: float | None, box: KeyBox) -> None:
    stripped = text.strip()
    if "-----BEGIN" in stripped:
        _load_pem(stripped, box, now)
        return
    if stripped[0] in "{[":
        _load_json(stripped, box, now)
        return
    if stripped.startswith(_SSH_PREFIXES):
        box.format = "SSH"
        box.problems.append(problem(
            KeyCode.KEY_UNSUPPORTED,
            "This is an OpenSSH public key; JWS verification needs it as PEM "
            "(ssh-keygen -e -m PKCS8 -f key.pub) or as a JWK.", segment="key", fix=""))
        return
    if _JWT_RE.match(stripped) and secret_format == "auto":
        box.format = "token"
        box.problems.append(problem(KeyCode.KEY_IS_TOKEN, "The key box holds a JWT, not a key or secret.",
                                    segment="key"))
        return
    if secret_format == "auto":
        found = _try_der(stripped)
        if found is not None:
            key, _ = found
            key.source = text
            box.format, box.keys = "DER", [key]
            return
    _load_secret(text, secret_format, box)
