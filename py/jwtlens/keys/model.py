"""The key model: what a key box holds once understood (``LoadedKey``, ``Member``, ``KeyBox``), the public-key
objects, and the constructors that validate key material (points on their curve, RSA numbers that belong together).
Every reader of the key box (DER, PEM, JWK, secrets) builds its keys through these.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import ecdsa
from ecdsa.ellipticcurve import PointEdwards

from .. import b64url, ed448_hash
from ..jwa import Curve
from ..primitives import montgomery
from ..problems import Code, problem
from ..report import KeyInfo, Problem
from ..rsa import RSAKeyError, RSAPublicKey

ed448_hash.install()  # Ed448 keys (read, generated, signing) hash with hashlib's SHAKE256, also in Pyodide

# OpenSSH public keys start with their type; people paste them into key boxes.
SSH_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-")
# What the key box's formats call public-key material (never an HMAC secret).
ASYMMETRIC_FORMATS = frozenset({"PEM", "PEM bundle", "SSH", "DER"})
ASYMMETRIC_KTYS = frozenset({"RSA", "EC", "OKP"})
# What the key box is read for: "sig" (verifying signatures; key-agreement keys are refused where they are read) or
# "enc" (JWE: decrypting and encrypting; every key type loads and the JWE layer says which one fits the alg).
PURPOSES = ("sig", "enc")


def looks_like_key_material(text: str) -> bool:
    """PEM, an OpenSSH key or JSON: text that is a key's encoding, not a secret typed by a person."""
    stripped = text.strip()
    return "-----BEGIN" in stripped or stripped.startswith(SSH_PREFIXES) or stripped[:1] in ("{", "[")


class UnusableKey(ValueError):
    """A key that cannot be used; ``code`` is the problem code, the message says why."""

    def __init__(self, message: str, code: str = Code.KEY_UNREADABLE) -> None:
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
class XPublicKey:
    """An X25519 or X448 public key (RFC 7748 u-coordinate, RFC 8037 section 2): for ECDH-ES key agreement only."""

    curve: Curve
    raw: bytes


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
    agreement: bytes | None = None  # the X25519/X448 private scalar (RFC 7748) when such a private key was pasted
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
        return self.public.curve if isinstance(self.public, (ECPublicKey, EdPublicKey, XPublicKey)) else None

    @property
    def size(self) -> int | None:
        if self.secret is not None:
            return len(self.secret) * 8
        if isinstance(self.public, RSAPublicKey):
            return self.public.bits
        return self.curve.bits if self.curve else None

    @property
    def private(self) -> bool:
        return self.signer is not None or self.agreement is not None

    def public_jwk(self) -> dict[str, str]:
        """The required members of the JWK, as RFC 7638 lists them (the thumbprint input)."""
        pub = self.public
        if isinstance(pub, RSAPublicKey):
            return {"e": b64url.encode_uint(pub.e), "kty": "RSA", "n": b64url.encode_uint(pub.n)}
        if isinstance(pub, ECPublicKey):
            size = pub.curve.size
            return {
                "crv": pub.curve.name,
                "kty": "EC",
                "x": b64url.encode(pub.x.to_bytes(size, "big")),
                "y": b64url.encode(pub.y.to_bytes(size, "big")),
            }
        if isinstance(pub, (EdPublicKey, XPublicKey)):
            return {"crv": pub.curve.name, "kty": "OKP", "x": b64url.encode(pub.raw)}
        return {"k": b64url.encode(self.secret or b""), "kty": "oct"}

    def thumbprint(self) -> str | None:
        """RFC 7638 JWK thumbprint (SHA-256, base64url). Not for secrets: a hash of a weak secret helps guessing."""
        if self.public is None:
            return None
        canonical = json.dumps(self.public_jwk(), separators=(",", ":"), sort_keys=True)
        return b64url.encode(hashlib.sha256(canonical.encode()).digest())

    @property
    def name(self) -> str:
        """What the key is, without its role: "RSA 2048-bit", "EC P-256", "Ed25519", "secret"."""
        pub = self.public
        if self.secret is not None:
            return "secret"
        if isinstance(pub, RSAPublicKey):
            return f"RSA {pub.bits}-bit" + (" (RSASSA-PSS only)" if self.pss_only else "")
        if isinstance(pub, ECPublicKey):
            return f"EC {pub.curve.name}"
        if isinstance(pub, (EdPublicKey, XPublicKey)):
            return pub.curve.name
        return "no key"

    def describe(self, public: bool = False, purpose: str = "sig") -> str:
        """"RSA 2048-bit public key", "EC P-256 key pair (private key pasted; ...)"; ``public`` leaves the pair out.
        ``purpose``: "sig" verifies (a private key's public half is used), "sign" signs and "enc" (JWE) decrypts,
        both with the private key; a secret is an HMAC secret except for "enc"."""
        what = self.name
        if self.secret is not None:
            return f"{'secret' if purpose == 'enc' else 'HMAC secret'}, {len(self.secret)} bytes ({self.format})"
        if what == "no key":
            return what
        if self.private and not public:
            if purpose in ("enc", "sign"):
                return f"{what} private key"
            return f"{what} key pair (from a pasted private key; its public half is used)"
        return f"{what} public key"

    def info(self, purpose: str = "sig") -> KeyInfo:
        curve = self.curve
        return KeyInfo(
            kind=self.kind,
            format=self.format,
            description=self.describe(purpose=purpose),
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
    purpose: str = "sig"  # one of PURPOSES: what the keys are read for
    declared_kty: str | None = None  # the "kty" of a JWK that could not be loaded
    wanted_kid: str | None = None  # the token's kid: that member of a large set is read whatever its place

    @property
    def asymmetric(self) -> bool:
        """The box holds public-key material (usable or not): checking an HS* token with it is key confusion."""
        kinds = {k.kind for k in self.keys} | {m.kty for m in self.members if m.kty} | {self.declared_kty}
        return bool(kinds & ASYMMETRIC_KTYS) or (self.format in ASYMMETRIC_FORMATS and not self.keys)

    @property
    def empty(self) -> bool:
        return self.format == "empty"

    def info(self) -> KeyInfo:
        if len(self.keys) == 1 and not self.is_set:
            return self.keys[0].info(self.purpose)
        if self.is_set:
            usable = sum(1 for m in self.members if m.key is not None)
            return KeyInfo(
                kind="set",
                format=self.format,
                description=f"{self.format} with {len(self.members)} key(s), {usable} usable",
                notes=[m.label() + (f": {m.reason}" if m.reason else "") for m in self.members],
            )
        return KeyInfo(kind="none", format=self.format, description="no usable key")


def rsa_public(n: int, e: int) -> RSAPublicKey:
    try:
        return RSAPublicKey(n, e)
    except RSAKeyError as exc:
        raise UnusableKey(str(exc), Code.KEY_UNSUPPORTED) from None


def ec_public(curve: Curve, point: bytes | None = None, x: int | None = None, y: int | None = None) -> ECPublicKey:
    """A validated point on a short Weierstrass curve (on the curve, coordinates in range)."""
    if point is None:
        assert x is not None and y is not None
        p = curve.ecdsa_curve.curve.p()
        if not (0 <= x < p and 0 <= y < p):
            raise UnusableKey(f"the {curve.name} public point has a coordinate out of range", Code.KEY_UNSUPPORTED)
        point = b"\x04" + x.to_bytes(curve.size, "big") + y.to_bytes(curve.size, "big")
    try:
        vk = ecdsa.VerifyingKey.from_string(
            point, curve=curve.ecdsa_curve, hashfunc=hashlib.sha256, valid_encodings=("uncompressed", "compressed")
        )
    except (ecdsa.MalformedPointError, ValueError, AssertionError) as exc:
        raise UnusableKey(f"the public point is not on {curve.name}: {exc}", Code.KEY_UNSUPPORTED) from None
    pt = vk.pubkey.point
    return ECPublicKey(curve, vk, pt.x(), pt.y())


def ed_public(curve: Curve, raw: bytes) -> EdPublicKey:
    """A canonically encoded Edwards point (RFC 8032 5.1.3 / 5.2.3)."""
    if len(raw) != curve.size:
        raise UnusableKey(
            f"an {curve.name} public key is {curve.size} bytes, this one is {len(raw)}", Code.KEY_UNSUPPORTED
        )
    ed = curve.ecdsa_curve
    p = ed.curve.p()
    y = int.from_bytes(raw, "little") & ((1 << (8 * curve.size - 1)) - 1)
    if y >= p:
        raise UnusableKey(f"the {curve.name} public key is not canonically encoded (y >= p)", Code.KEY_UNSUPPORTED)
    try:
        point = PointEdwards.from_bytes(ed.curve, raw, order=ed.order)
    except (ecdsa.MalformedPointError, ValueError) as exc:
        raise UnusableKey(f"the {curve.name} public key is not a point on the curve ({exc})",
                          Code.KEY_UNSUPPORTED) from None
    if point.x() == 0 and raw[-1] & 0x80:
        raise UnusableKey(f"the {curve.name} public key is not canonically encoded (x = 0 with sign bit set)",
                          Code.KEY_UNSUPPORTED)
    return EdPublicKey(curve, bytes(raw), point)


def ec_signer(curve: Curve, d: int) -> ecdsa.SigningKey:
    n = curve.ecdsa_curve.order
    if not 1 <= d < n:
        raise UnusableKey(f"the {curve.name} private scalar is out of range", Code.KEY_UNSUPPORTED)
    return ecdsa.SigningKey.from_secret_exponent(d, curve=curve.ecdsa_curve, hashfunc=hashlib.sha256)


def ec_from_private(curve: Curve, d: int, public: ECPublicKey | None, fmt: str) -> LoadedKey:
    signer = ec_signer(curve, d)
    derived = signer.get_verifying_key().pubkey.point
    key = LoadedKey("EC", fmt, signer=signer)
    if public is not None and (public.x, public.y) != (derived.x(), derived.y()):
        raise UnusableKey(
            f"the {curve.name} private key does not match the public point stored with it", Code.KEY_PAIR_MISMATCH
        )
    key.public = public or ec_public(curve, x=derived.x(), y=derived.y())
    return key


def ed_from_private(curve: Curve, seed: bytes, public_raw: bytes | None, fmt: str) -> LoadedKey:
    if len(seed) != curve.size:
        raise UnusableKey(f"an {curve.name} private key is {curve.size} bytes, this one is {len(seed)}",
                          Code.KEY_UNSUPPORTED)
    signer = ecdsa.SigningKey.from_string(seed, curve=curve.ecdsa_curve)
    derived = signer.get_verifying_key().to_string()
    if public_raw is not None and public_raw != derived:
        raise UnusableKey(f"the {curve.name} private key does not match the public key stored with it",
                          Code.KEY_PAIR_MISMATCH)
    return LoadedKey("OKP", fmt, public=ed_public(curve, derived), signer=signer)


def x_public(curve: Curve, raw: bytes) -> XPublicKey:
    """An X25519/X448 public key: any string of the curve's length is a u-coordinate (RFC 7748 section 5); a
    small-order point shows as an all-zero shared secret when it is used."""
    if len(raw) != curve.size:
        raise UnusableKey(f"an {curve.name} public key is {curve.size} bytes, this one is {len(raw)}",
                          Code.KEY_UNSUPPORTED)
    return XPublicKey(curve, bytes(raw))


def x_from_private(curve: Curve, private: bytes, public_raw: bytes | None, fmt: str) -> LoadedKey:
    if len(private) != curve.size:
        raise UnusableKey(f"an {curve.name} private key is {curve.size} bytes, this one is {len(private)}",
                          Code.KEY_UNSUPPORTED)
    derived = montgomery.public_key(curve.name, private)
    if public_raw is not None and public_raw != derived:
        raise UnusableKey(f"the {curve.name} private key does not match the public key stored with it",
                          Code.KEY_PAIR_MISMATCH)
    return LoadedKey("OKP", fmt, public=XPublicKey(curve, derived), agreement=bytes(private))


def for_purpose(key: LoadedKey, purpose: str) -> LoadedKey:
    """The key, unless it cannot serve the purpose the box is read for: a key-agreement key (X25519, X448) never
    verifies a signature, and says so where it is read."""
    curve = key.curve
    if purpose == "sig" and curve is not None and curve.use == "ecdh":
        raise UnusableKey(f"an {curve.name} key is for key agreement (ECDH-ES, JWE encryption); it cannot verify "
                          "signatures", Code.KEY_UNSUPPORTED)
    return key


def private_note(key: LoadedKey) -> LoadedKey:
    # KeyInfo.private carries the note itself (the page words it); the warning carries the advice.
    key.warnings.append(problem(Code.KEY_PRIVATE, "A private key was pasted; its public half is used to verify.",
                                segment="key"))
    return key


def check_rsa_pair(n: int, e: int, d: int, p: int, q: int, what: str) -> None:
    """The private numbers belong to n and e (cheap with the primes; one exponentiation without them)."""
    if p and q:
        if p * q != n:
            raise UnusableKey(f"{what}'s primes do not multiply to its modulus", Code.KEY_PAIR_MISMATCH)
        if (d * e) % math.lcm(p - 1, q - 1) != 1:
            raise UnusableKey(f"{what}'s private exponent does not match its public exponent",
                              Code.KEY_PAIR_MISMATCH)
    elif not 1 < d < n or pow(pow(2, e, n), d, n) != 2:
        raise UnusableKey(f"{what}'s private exponent does not match the public key", Code.KEY_PAIR_MISMATCH)

