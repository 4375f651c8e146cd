"""Every algorithm, curve and hash the package knows, one table row each (RFC 7518 "JWA", RFC 8037, RFC 8812,
RFC 9864, and the IANA JOSE registry).

Other modules read these rows instead of keeping lists of their own: ``algorithms.py`` builds its PyJWT algorithm
objects from the JWS rows, the key box picks curves by name or OID, the security review asks whether a name is
registered and what key it needs, the weak-secret search takes the HMAC rows. Adding an algorithm is one row here
plus its implementation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import ecdsa

# -- hashes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hash:
    name: str  # "SHA-256"
    hashlib_name: str  # "sha256"
    size: int  # digest bytes
    oid: str
    digest_info: bytes  # DER of PKCS#1 DigestInfo up to the digest (RFC 8017 9.2 note 1, with the NULL parameters)

    @property
    def new(self) -> Callable[..., Any]:
        return getattr(hashlib, self.hashlib_name)

    def digest(self, data: bytes) -> bytes:
        return hashlib.new(self.hashlib_name, data).digest()


HASHES: dict[str, Hash] = {
    h.name: h
    for h in (
        Hash("SHA-256", "sha256", 32, "2.16.840.1.101.3.4.2.1",
             bytes.fromhex("3031300d060960864801650304020105000420")),
        Hash("SHA-384", "sha384", 48, "2.16.840.1.101.3.4.2.2",
             bytes.fromhex("3041300d060960864801650304020205000430")),
        Hash("SHA-512", "sha512", 64, "2.16.840.1.101.3.4.2.3",
             bytes.fromhex("3051300d060960864801650304020305000440")),
    )
}
# Hashes named in keys (RSASSA-PSS parameters) but never used by a JOSE algorithm: for messages only.
OTHER_HASH_OIDS = {"1.3.14.3.2.26": "SHA-1", "2.16.840.1.101.3.4.2.4": "SHA-224"}


def hash_by_oid(oid: str) -> str:
    """The hash's name for an OID, or the OID itself when unknown."""
    return next((h.name for h in HASHES.values() if h.oid == oid), OTHER_HASH_OIDS.get(oid, oid))


# -- curves ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    name: str  # the JWK "crv" value
    kty: Literal["EC", "OKP"]
    oid: str
    size: int  # bytes per coordinate (EC) or per encoded public key (OKP)
    bits: int
    use: Literal["sig", "ecdh"]  # signatures (ECDSA, EdDSA) or key agreement (X25519, X448)
    ecdsa_curve: Any = None  # the ecdsa package's curve, for the curves it implements


CURVES: dict[str, Curve] = {
    c.name: c
    for c in (
        Curve("P-256", "EC", "1.2.840.10045.3.1.7", 32, 256, "sig", ecdsa.NIST256p),
        Curve("P-384", "EC", "1.3.132.0.34", 48, 384, "sig", ecdsa.NIST384p),
        Curve("P-521", "EC", "1.3.132.0.35", 66, 521, "sig", ecdsa.NIST521p),
        Curve("secp256k1", "EC", "1.3.132.0.10", 32, 256, "sig", ecdsa.SECP256k1),
        Curve("Ed25519", "OKP", "1.3.101.112", 32, 255, "sig", ecdsa.Ed25519),
        Curve("Ed448", "OKP", "1.3.101.113", 57, 448, "sig", ecdsa.Ed448),
        Curve("X25519", "OKP", "1.3.101.110", 32, 255, "ecdh"),
        Curve("X448", "OKP", "1.3.101.111", 56, 448, "ecdh"),
    )
}
CURVE_BY_OID: dict[str, Curve] = {c.oid: c for c in CURVES.values()}

# -- algorithms ------------------------------------------------------------------------------------------------

Kind = Literal["jws", "jwe-alg", "jwe-enc"]


@dataclass(frozen=True)
class Alg:
    name: str
    kind: Kind  # a JWS "alg", a JWE key-management "alg", or a JWE content-encryption "enc"
    family: str  # what implements it: "HMAC", "RSASSA-PKCS1-v1_5", "RSASSA-PSS", "ECDSA", "EdDSA", "none", ...
    title: str  # in words, for messages
    reference: str  # where it is defined
    hash: str | None = None  # a key of HASHES
    kty: str | None = None  # the JWK key type it needs ("oct", "RSA", "EC", "OKP"); None: none, or by curve
    curves: tuple[str, ...] = ()  # for EC/OKP: the curves it accepts
    min_key_bits: int | None = None  # the smallest key the specification allows
    key_bits: int | None = None  # symmetric algorithms with a fixed key size (AES key wrap, content encryption)
    signature_bytes: tuple[int, ...] | None = None  # JWS: the exact signature sizes; None when the key decides (RSA)
    iv_bytes: int | None = None  # JWE content encryption and AES-GCM key wrap: the initialization vector's size
    tag_bytes: int | None = None  # ... and the authentication tag's
    deprecated: str | None = None  # why it should not be used, when a specification says so

    @property
    def hash_info(self) -> Hash | None:
        return HASHES.get(self.hash) if self.hash else None

    @property
    def key_types(self) -> frozenset[str]:
        """The JWK key types that fit: ``kty``, or those of its curves (ECDH-ES takes EC and OKP keys)."""
        if self.kty is not None:
            return frozenset({self.kty})
        return frozenset(CURVES[c].kty for c in self.curves)


def _hs(bits: int) -> Alg:
    return Alg(f"HS{bits}", "jws", "HMAC", f"HMAC with SHA-{bits}", "RFC 7518 3.2", f"SHA-{bits}", "oct",
               min_key_bits=bits, signature_bytes=(bits // 8,))


def _rsa(prefix: str, family: str, bits: int, ref: str) -> Alg:
    padding = "PKCS#1 v1.5" if prefix == "RS" else "PSS"
    return Alg(f"{prefix}{bits}", "jws", family, f"RSASSA-{padding} with SHA-{bits}", ref, f"SHA-{bits}", "RSA",
               min_key_bits=2048)


def _es(name: str, curve: str, hash_bits: int, ref: str = "RFC 7518 3.4") -> Alg:
    size = CURVES[curve].size
    return Alg(name, "jws", "ECDSA", f"ECDSA with {curve} and SHA-{hash_bits}", ref, f"SHA-{hash_bits}", "EC",
               (curve,), signature_bytes=(2 * size,))


def _ed(name: str, curves: tuple[str, ...], ref: str, deprecated: str | None = None) -> Alg:
    sizes = tuple(2 * CURVES[c].size for c in curves)
    return Alg(name, "jws", "EdDSA", f"EdDSA with {' or '.join(curves)}", ref, None, "OKP", curves,
               signature_bytes=sizes, deprecated=deprecated)


def _kw(bits: int) -> Alg:
    return Alg(f"A{bits}KW", "jwe-alg", "AESKW", f"AES-{bits} key wrap", "RFC 7518 4.4", None, "oct",
               key_bits=bits)


def _gcmkw(bits: int) -> Alg:
    return Alg(f"A{bits}GCMKW", "jwe-alg", "AESGCMKW", f"AES-{bits}-GCM key wrap", "RFC 7518 4.7", None, "oct",
               key_bits=bits, iv_bytes=12, tag_bytes=16)


def _ecdh(wrap: int | None) -> Alg:
    name = "ECDH-ES" + (f"+A{wrap}KW" if wrap else "")
    title = "ECDH-ES key agreement" + (f", then AES-{wrap} key wrap" if wrap else " (direct)")
    return Alg(name, "jwe-alg", "ECDH-ES", title, "RFC 7518 4.6", "SHA-256", None,
               ("P-256", "P-384", "P-521", "X25519", "X448"), key_bits=wrap)


def _pbes2(hash_bits: int, wrap: int) -> Alg:
    return Alg(f"PBES2-HS{hash_bits}+A{wrap}KW", "jwe-alg", "PBES2", f"PBES2 with HMAC SHA-{hash_bits} and AES-{wrap} "
               "key wrap", "RFC 7518 4.8", f"SHA-{hash_bits}", "oct", key_bits=wrap)


def _oaep(name: str, hash_name: str, ref: str) -> Alg:
    return Alg(name, "jwe-alg", "RSAES-OAEP", f"RSAES-OAEP with {hash_name}", ref, hash_name, "RSA",
               min_key_bits=2048)


def _cbc(bits: int) -> Alg:
    return Alg(f"A{bits}CBC-HS{2 * bits}", "jwe-enc", "AES-CBC-HMAC", f"AES-{bits}-CBC with HMAC SHA-{2 * bits}",
               "RFC 7518 5.2", f"SHA-{2 * bits}", key_bits=2 * bits, iv_bytes=16, tag_bytes=bits // 8)


def _gcm(bits: int) -> Alg:
    return Alg(f"A{bits}GCM", "jwe-enc", "AES-GCM", f"AES-{bits}-GCM", "RFC 7518 5.3", key_bits=bits, iv_bytes=12,
               tag_bytes=16)


_POLYMORPHIC = "RFC 9864 deprecates the polymorphic \"EdDSA\" in favour of the fully-specified Ed25519 and Ed448"
_RSA1_5 = "RSAES-PKCS1-v1_5 is open to padding-oracle attacks (RFC 8725 3.2)"

ALGS: dict[str, Alg] = {
    a.name: a
    for a in (
        _hs(256), _hs(384), _hs(512),
        _rsa("RS", "RSASSA-PKCS1-v1_5", 256, "RFC 7518 3.3"), _rsa("RS", "RSASSA-PKCS1-v1_5", 384, "RFC 7518 3.3"),
        _rsa("RS", "RSASSA-PKCS1-v1_5", 512, "RFC 7518 3.3"),
        _rsa("PS", "RSASSA-PSS", 256, "RFC 7518 3.5"), _rsa("PS", "RSASSA-PSS", 384, "RFC 7518 3.5"),
        _rsa("PS", "RSASSA-PSS", 512, "RFC 7518 3.5"),
        _es("ES256", "P-256", 256), _es("ES384", "P-384", 384), _es("ES512", "P-521", 512),
        _es("ES256K", "secp256k1", 256, "RFC 8812 3.2"),
        _ed("EdDSA", ("Ed25519", "Ed448"), "RFC 8037 3.1", deprecated=_POLYMORPHIC),
        _ed("Ed25519", ("Ed25519",), "RFC 9864 2.2"), _ed("Ed448", ("Ed448",), "RFC 9864 2.2"),
        Alg("none", "jws", "none", "no signature (unsecured JWS)", "RFC 7518 3.6",
            deprecated="an unsecured token can be forged by anyone (RFC 8725 3.2)"),
        Alg("RSA1_5", "jwe-alg", "RSAES-PKCS1-v1_5", "RSAES-PKCS1-v1_5", "RFC 7518 4.2", None, "RSA",
            min_key_bits=2048, deprecated=_RSA1_5),
        _oaep("RSA-OAEP", "SHA-1", "RFC 7518 4.3"), _oaep("RSA-OAEP-256", "SHA-256", "RFC 7518 4.3"),
        _oaep("RSA-OAEP-384", "SHA-384", "IANA JOSE registry"), _oaep("RSA-OAEP-512", "SHA-512", "IANA JOSE registry"),
        _kw(128), _kw(192), _kw(256),
        Alg("dir", "jwe-alg", "dir", "direct use of a shared content key", "RFC 7518 4.5", None, "oct"),
        _ecdh(None), _ecdh(128), _ecdh(192), _ecdh(256),
        _gcmkw(128), _gcmkw(192), _gcmkw(256),
        _pbes2(256, 128), _pbes2(384, 192), _pbes2(512, 256),
        _cbc(128), _cbc(192), _cbc(256),
        _gcm(128), _gcm(192), _gcm(256),
    )
}

JWS_ALGS = frozenset(a.name for a in ALGS.values() if a.kind == "jws")
JWE_ALGS = frozenset(a.name for a in ALGS.values() if a.kind == "jwe-alg")
JWE_ENCS = frozenset(a.name for a in ALGS.values() if a.kind == "jwe-enc")
HMAC_ALGS = {a.name: a for a in ALGS.values() if a.family == "HMAC"}

# PBES2 (RFC 7518 4.8): the iteration count a recipient runs at most, and the floors the specification sets. The
# maximum is the security review's threshold too: it admits OWASP's 600,000 for PBKDF2-HMAC-SHA256 with room to
# spare, and refuses counts whose only effect is to make the recipient work (about 5 s in the page per million).
PBES2_MAX_ITERATIONS = 1_000_000
PBES2_MIN_ITERATIONS = 1000  # RFC 7518 4.8.1.2 recommends at least this many
PBES2_MIN_SALT_BYTES = 8  # RFC 7518 4.8.1.1: p2s is at least 8 octets

# RSA: the signature is as long as the modulus, so only a floor is known without the key. No RSA key of 1024 bits or
# more (anything in real use) gives a shorter one.
RSA_MIN_SIGNATURE_BYTES = 128
RSA_MIN_BITS = 2048  # RFC 7518 3.3, 3.5, 4.2, 4.3


def get(name: object, kind: Kind | None = None) -> Alg | None:
    """The row for an exact (case-sensitive) name, optionally of one kind; None when unknown."""
    row = ALGS.get(name) if isinstance(name, str) else None
    return row if row is not None and (kind is None or row.kind == kind) else None


def case_variant(name: object, kind: Kind) -> str | None:
    """The registered name that ``name`` spells in another letter case ("hs256" -> "HS256"), if any."""
    if not isinstance(name, str):
        return None
    return next((a.name for a in ALGS.values() if a.kind == kind and a.name.lower() == name.lower() != a.name), None)


def curve_algs(curve: str) -> str:
    """The JWS algorithms that use a signature curve, for messages: "ES256", "Ed25519 / EdDSA"."""
    names = [a.name for a in ALGS.values() if a.kind == "jws" and curve in a.curves]
    return " / ".join(sorted(names, key=lambda n: (n == "EdDSA", n)))
