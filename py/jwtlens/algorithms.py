"""JWS algorithms as PyJWT ``Algorithm`` objects that run without ``cryptography`` (CPython and Pyodide).

Usage::

    from jwtlens import algorithms

    alg = algorithms.get("ES256")          # a jwt.algorithms.Algorithm
    key = alg.prepare_key(pem_or_jwk)      # PEM text, certificate, private key, JWK dict or JSON, JWKS, bytes...
    alg.verify(signing_input, key, sig)    # -> bool (sig is the decoded JWS signature, raw bytes)
    alg.check(signing_input, key, sig)     # -> None when valid, else the reason in words
    alg.sign(signing_input, private_key)   # needs a private key (PEM/JWK); HS* take the secret

    algorithms.pyjwt.decode(token, pem_text, algorithms=["RS256"])   # PyJWT's API with these algorithms

``get(name)`` knows HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, ES256K, EdDSA (Ed25519 or Ed448)
and the fully-specified Ed25519 and Ed448 (RFC 9864). Names are case-sensitive; ``none`` is never an algorithm
here (``get("none")`` raises ``UnsupportedAlgorithm``, a ``NotImplementedError`` like PyJWT's). ``prepare_key``
accepts a ``keys.LoadedKey``/``KeyBox``, a JWK ``dict``, or ``str``/``bytes`` holding PEM (SPKI, PKCS#1,
certificate, PKCS#8, SEC 1), bare DER, a JWK or a JWKS with one fitting key; it raises PyJWT's
``InvalidKeyError`` with a precise reason when the key does not fit the algorithm (e.g. a P-384 key for ES256).
For HS* a ``str``/``bytes`` key is the secret itself, as in PyJWT (a PEM or asymmetric JWK is refused: that is the
key-confusion attack); to read base64 or hex secrets use ``keys.load_key(text, secret_format)`` first.

Signatures are checked strictly: RSA signatures as long as the modulus, PKCS#1 v1.5 compared as a whole block
(see rsa.py), PSS with MGF1 over the same hash and salt = hash length; ECDSA in the JWS form r||s, exactly twice
the coordinate size, with 0 < r, s < n; EdDSA per RFC 8032 with S < L and R compared in its canonical encoding.
``pyjws``/``pyjwt`` are ``jwt.PyJWS``/``jwt.PyJWT`` instances with exactly these algorithms (PyJWT's module-level
defaults are left alone).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import ecdsa
import jwt
from ecdsa.der import UnexpectedDER
from ecdsa.ecdsa import Signature
from ecdsa.ellipticcurve import INFINITY, PointEdwards
from ecdsa.util import sigdecode_der, sigencode_string
from jwt.algorithms import Algorithm, HMACAlgorithm
from jwt.exceptions import InvalidKeyError

from . import b64url, jwa, rsa
from .jwa import Alg
from .keys import (
    ECPublicKey,
    EdPublicKey,
    KeyBox,
    LoadedKey,
    UnusableKey,
    XPublicKey,
    load_jwk,
    load_key,
    looks_like_key_material,
)
from .keys.select import Mismatch
from .pyjwt_bridge import pyjwt_with
from .rsa import RSAPublicKey


class UnsupportedAlgorithm(NotImplementedError):
    """The name is not a JWS signature algorithm this module implements; the message says why."""


def fits(key: LoadedKey) -> str:
    """The algorithms a key would fit, for messages."""
    pub = key.public
    if key.kind == "secret":
        return "HS256/HS384/HS512"
    if isinstance(pub, RSAPublicKey):
        return "PS256/PS384/PS512" if key.pss_only else "RS256/RS384/RS512 and PS256/PS384/PS512"
    if isinstance(pub, (ECPublicKey, EdPublicKey)):
        return jwa.curve_algs(pub.curve.name)
    if isinstance(pub, XPublicKey):
        return "no signature algorithm: it is an ECDH-ES (JWE) key"
    return "nothing"


class _Base(Algorithm):
    """What our algorithms share: key coercion, mismatch reasons, check() beside verify()."""

    name: str = ""
    needs: str = ""  # "an RSA public key", ...

    def __init__(self, row: Alg) -> None:
        self.row = row
        self.name = row.name
        hash_info = row.hash_info
        self.hash_name = hash_info.name if hash_info else ""
        if hash_info is not None:
            self.hash_alg = hash_info.new

    # -- keys --
    def _load(self, key: Any) -> LoadedKey:
        """Any accepted key form -> one LoadedKey (not yet checked against this algorithm)."""
        if isinstance(key, LoadedKey):
            return key
        if isinstance(key, KeyBox):
            return self._from_box(key)
        if isinstance(key, dict):
            try:
                return load_jwk(key)
            except UnusableKey as exc:
                raise InvalidKeyError(f"The JWK is not usable: {exc}.") from None
        if isinstance(key, RSAPublicKey):
            return LoadedKey("RSA", "RSA numbers", public=key)
        if isinstance(key, (ECPublicKey, EdPublicKey)):
            return LoadedKey(key.curve.kty, "public key object", public=key)
        if isinstance(key, ecdsa.VerifyingKey):
            return self._from_verifying_key(key)
        if isinstance(key, (bytes, bytearray)):
            try:
                key = bytes(key).decode("utf-8")
            except UnicodeDecodeError:
                key = bytes(key).hex()  # binary DER: the DER reader takes hex
        if isinstance(key, str):
            return self._from_box(load_key(key))
        raise InvalidKeyError(f"{self.name} cannot use a key of type {type(key).__name__}.")

    def _from_box(self, box: KeyBox) -> LoadedKey:
        if not box.keys:
            reason = box.problems[0].message if box.problems else "the key is empty"
            raise InvalidKeyError(f"No usable key: {reason}")
        if len(box.keys) == 1:
            return box.keys[0]
        fitting = [k for k in box.keys if self.key_mismatch(k) is None]
        if len(fitting) == 1:
            return fitting[0]
        raise InvalidKeyError(
            f"The key set has {len(fitting)} keys that fit {self.name}; choose one (e.g. by kid)."
            if fitting else f"No key in the set fits {self.name}."
        )

    @staticmethod
    def _from_verifying_key(vk: ecdsa.VerifyingKey) -> LoadedKey:
        for curve in jwa.CURVES.values():
            if curve.ecdsa_curve is not None and vk.curve == curve.ecdsa_curve:
                if curve.kty == "OKP":
                    return load_jwk({"kty": "OKP", "crv": curve.name, "x": b64url.encode(vk.to_string())})
                pt = vk.pubkey.point
                return LoadedKey("EC", "ecdsa key", public=ECPublicKey(curve, vk, pt.x(), pt.y()))
        raise InvalidKeyError(f"The curve {vk.curve.name} is not used by JWS.")

    def key_mismatch(self, key: LoadedKey) -> Mismatch | None:
        """None when the key can verify this algorithm, else the reason (type, curve, alg or use)."""
        if key.use is not None and key.use != "sig":
            return Mismatch("use", f"the key is marked \"use\": {key.use!r} (for encryption), not for signatures")
        if key.key_ops is not None and not {"verify", "sign"} & set(key.key_ops):
            return Mismatch("use", f"the key's key_ops {key.key_ops} do not allow verifying signatures")
        if key.alg is not None and key.alg != self.name:
            return Mismatch("alg", f"the key is declared for {key.alg} (its JWK \"alg\"), not {self.name}")
        return self._type_mismatch(key)

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        raise NotImplementedError

    def _wrong_type(self, key: LoadedKey) -> Mismatch:
        if key.kind == "secret":
            return Mismatch("type", f"{self.name} is verified with {self.needs}, but the key box holds an HMAC "
                                    "secret (a secret only fits HS256/HS384/HS512)")
        return Mismatch("type", f"{self.name} needs {self.needs}; the key is an {key.describe()} "
                                f"(it fits {fits(key)})")

    def prepare_key(self, key: Any) -> LoadedKey:
        loaded = self._load(key)
        mismatch = self.key_mismatch(loaded)
        if mismatch is not None:
            raise InvalidKeyError(mismatch.message[:1].upper() + mismatch.message[1:] + ".")
        return loaded

    # -- signatures --
    def check(self, msg: bytes, key: Any, sig: bytes) -> str | None:
        """None when ``sig`` is a valid signature of ``msg`` under ``key``, else the reason in words.

        Raises ``InvalidKeyError`` when the key does not fit this algorithm (also for an already loaded key: a
        P-384 key must never check an ES256 signature)."""
        loaded = self.prepare_key(key)
        return self._check(bytes(msg), loaded, bytes(sig))

    def _check(self, msg: bytes, key: LoadedKey, sig: bytes) -> str | None:
        raise NotImplementedError

    def signature_length(self, key: LoadedKey) -> int | None:
        """The exact signature length in bytes this algorithm gives with this (fitting) key."""
        sizes = self.row.signature_bytes
        return sizes[0] if sizes and len(sizes) == 1 else None

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        """True only for a valid signature; a key that does not fit this algorithm gives False."""
        try:
            return self.check(msg, key, sig) is None
        except (InvalidKeyError, ValueError, ArithmeticError):
            return False

    def _signer(self, key: Any) -> Any:
        loaded = self.prepare_key(key)
        if loaded.signer is None:
            raise InvalidKeyError(f"Signing with {self.name} needs a private key; this is a public key.")
        return loaded.signer

    # -- JWK --
    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        if not isinstance(key_obj, LoadedKey):
            raise InvalidKeyError("to_jwk needs a key from prepare_key().")
        jwk: dict[str, Any] = dict(key_obj.public_jwk())
        if key_obj.kid:
            jwk["kid"] = key_obj.kid
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: str | dict[str, Any]) -> LoadedKey:
        try:
            return load_jwk(json.loads(jwk) if isinstance(jwk, str) else jwk)
        except (UnusableKey, ValueError) as exc:
            raise InvalidKeyError(f"The JWK is not usable: {exc}.") from None


# -- HMAC ----------------------------------------------------------------------------------------------------


class HMAC(_Base, HMACAlgorithm):
    """HS256/384/512: PyJWT's HMACAlgorithm, taking our key forms too. Keys prepare to the secret bytes."""

    needs = "a shared secret"

    def __init__(self, row: Alg) -> None:
        _Base.__init__(self, row)
        HMACAlgorithm.__init__(self, self.hash_alg)

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        if key.kind == "secret":
            return None
        return Mismatch("type", f"{self.name} is an HMAC algorithm and needs the shared secret; the key is an "
                                f"{key.describe()}. Using a public key as an HMAC secret is the key-confusion "
                                "attack (RFC 8725 2.1)")

    def prepare_key(self, key: Any) -> bytes:  # type: ignore[override]
        if isinstance(key, (str, bytes, bytearray)):
            raw = bytes(key) if not isinstance(key, str) else key.encode("utf-8")
            text = raw.decode("utf-8", errors="replace").strip()
            if looks_like_key_material(text):
                box = load_key(text)
                if box.keys:
                    return super().prepare_key(box).secret or b""
            return HMACAlgorithm.prepare_key(self, raw)
        loaded = super().prepare_key(key)
        assert loaded.secret is not None
        return loaded.secret

    def check(self, msg: bytes, key: Any, sig: bytes) -> str | None:
        if isinstance(key, LoadedKey):
            mismatch = self.key_mismatch(key)
            if mismatch is not None:
                raise InvalidKeyError(mismatch.message)
            secret = key.secret or b""
        elif isinstance(key, bytes):
            secret = key
        else:
            secret = self.prepare_key(key)
        return self.check_secret(bytes(msg), secret, bytes(sig))

    def check_secret(self, msg: bytes, secret: bytes, sig: bytes) -> str | None:
        """The HMAC check on raw bytes, with no opinion about what the secret is (used for key confusion too)."""
        expected = hmac.new(secret, msg, self.hash_alg).digest()
        if hmac.compare_digest(sig, expected):
            return None
        if len(sig) != len(expected):
            return (f"the signature is {len(sig)} bytes, but {self.name} ({self.hash_name}) gives {len(expected)}: "
                    "it was truncated or made with another algorithm")
        return "the HMAC does not match: wrong secret (or wrong secret format), or the token was altered"

    def sign(self, msg: bytes, key: Any) -> bytes:
        secret = key if isinstance(key, bytes) else self.prepare_key(key)
        return hmac.new(secret, msg, self.hash_alg).digest()

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        try:
            return self.check(msg, key, sig) is None
        except (ValueError, InvalidKeyError):
            return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Any:
        return HMACAlgorithm.to_jwk(key_obj.secret if isinstance(key_obj, LoadedKey) else key_obj, as_dict)

    @staticmethod
    def from_jwk(jwk: str | dict[str, Any]) -> bytes:
        return HMACAlgorithm.from_jwk(jwk)


# -- RSA -----------------------------------------------------------------------------------------------------


class _RSABase(_Base):
    needs = "an RSA public key"

    def check_key_length(self, key: Any) -> str | None:
        """PyJWT's hook for its InsecureKeyLengthWarning; the minimum is the algorithm's row in jwa."""
        pub = key.public if isinstance(key, LoadedKey) else None
        minimum = self.row.min_key_bits or 0
        if isinstance(pub, RSAPublicKey) and pub.bits < minimum:
            return f"The RSA key is {pub.bits} bits, below the minimum of {minimum} ({self.row.reference})."
        return None

    def signature_length(self, key: LoadedKey) -> int | None:
        return key.public.size if isinstance(key.public, RSAPublicKey) else None

    def _rsa(self, key: LoadedKey) -> RSAPublicKey:
        assert isinstance(key.public, RSAPublicKey)
        return key.public


class RSAPKCS1(_RSABase):
    """RS256/384/512: RSASSA-PKCS1-v1_5."""

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        if not isinstance(key.public, RSAPublicKey):
            return self._wrong_type(key)
        if key.pss_only:
            return Mismatch("pss", f"the key is an RSASSA-PSS key (id-RSASSA-PSS): it may only verify PS* "
                                   f"signatures, not {self.name} (PKCS#1 v1.5)")
        return None

    def _check(self, msg: bytes, key: LoadedKey, sig: bytes) -> str | None:
        pub = self._rsa(key)
        reason = rsa.verify_pkcs1v15(pub, self.hash_name, msg, sig)
        if reason is None or len(sig) != pub.size:
            return reason
        return rsa.explain_pkcs1v15(pub, msg, sig) or reason

    def sign(self, msg: bytes, key: Any) -> bytes:
        return rsa.sign_pkcs1v15(self._signer(key), self.hash_name, msg)


class RSAPSS(_RSABase):
    """PS256/384/512: RSASSA-PSS, MGF1 with the same hash, salt length = hash length (RFC 7518 3.5)."""

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        if not isinstance(key.public, RSAPublicKey):
            return self._wrong_type(key)
        pss = key.pss
        if pss is not None:
            salt = self.hash_alg().digest_size
            wrong = []
            if pss.hash_name != self.hash_name:
                wrong.append(f"hash {pss.hash_name}")
            if pss.mgf_hash != self.hash_name:
                wrong.append(f"MGF1 with {pss.mgf_hash}")
            if pss.salt_length > salt:
                wrong.append(f"a salt of at least {pss.salt_length} bytes")
            if wrong:
                return Mismatch("pss", f"the RSASSA-PSS key is restricted to {', '.join(wrong)}; {self.name} uses "
                                       f"{self.hash_name}, MGF1 with {self.hash_name} and a {salt}-byte salt")
        return None

    def _check(self, msg: bytes, key: LoadedKey, sig: bytes) -> str | None:
        return rsa.verify_pss(self._rsa(key), self.hash_name, msg, sig)

    def sign(self, msg: bytes, key: Any) -> bytes:
        return rsa.sign_pss(self._signer(key), self.hash_name, msg)


# -- ECDSA ---------------------------------------------------------------------------------------------------


class ECDSA(_Base):
    """ES256/384/512 and ES256K: ECDSA with the JWS signature form r||s (RFC 7518 3.4, RFC 8812).

    The check is ecdsa's ``Public_key.verifies`` (u1*G + u2*Q in one pass, Shamir's trick), called directly so
    that the length and range checks above give their own reasons. ``VerifyingKey.precompute()`` is not used:
    a table for the public point only pays off over many verifications with one key object, and in ecdsa 0.19.2
    it fails on keys built with ``from_string`` (their point has no order attached) and leaves them unusable.
    The curve's generator table is built once per process, on the first verification (bench/verify.py "first").
    """

    def __init__(self, row: Alg) -> None:
        super().__init__(row)
        self.curve = jwa.CURVES[row.curves[0]]
        self.needs = f"an EC {self.curve.name} public key"

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        pub = key.public
        if not isinstance(pub, ECPublicKey):
            return self._wrong_type(key)
        if pub.curve is not self.curve:
            return Mismatch("curve", f"{self.name} needs a {self.curve.name} key; this EC key is on "
                                     f"{pub.curve.name} (it fits {jwa.curve_algs(pub.curve.name)})")
        return None

    def _check(self, msg: bytes, key: LoadedKey, sig: bytes) -> str | None:
        pub = key.public
        assert isinstance(pub, ECPublicKey)
        size = self.curve.size
        if len(sig) != 2 * size:
            return self._length_reason(sig)
        n = self.curve.ecdsa_curve.order
        r, s = int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big")
        if not 0 < r < n:
            return "the ECDSA value r is zero or not below the curve order: not a valid signature"
        if not 0 < s < n:
            return "the ECDSA value s is zero or not below the curve order: not a valid signature"
        digest = self.hash_alg(msg).digest()
        e = int.from_bytes(digest, "big")
        excess = 8 * len(digest) - n.bit_length()
        if excess > 0:
            e >>= excess
        try:
            if pub.vk.pubkey.verifies(e, Signature(r, s)):
                return None
        except TypeError:  # u1*G + u2*Q is the point at infinity: ecdsa has no x() to compare
            pass
        return "the ECDSA signature does not match: wrong key, or the token was altered"

    def _length_reason(self, sig: bytes) -> str:
        size = self.curve.size
        base = (f"{self.name} signatures are {2 * size} bytes (r and s, {size} bytes each, RFC 7518 3.4); "
                f"this one is {len(sig)} bytes")
        if sig[:1] == b"\x30":
            try:
                sigdecode_der(sig, self.curve.ecdsa_curve.order)
                return base + ": it is DER (ASN.1) encoded, which JWS does not allow - convert it to r||s"
            except (UnexpectedDER, ValueError, AssertionError):
                pass
        for curve in jwa.CURVES.values():
            if curve.kty == "EC" and curve is not self.curve and 2 * curve.size == len(sig):
                return base + f", the size for {jwa.curve_algs(curve.name)} ({curve.name})"
        return base

    def sign(self, msg: bytes, key: Any) -> bytes:
        signer = self._signer(key)
        return signer.sign_deterministic(msg, hashfunc=self.hash_alg, sigencode=sigencode_string)


# -- EdDSA ---------------------------------------------------------------------------------------------------


class EdDSA(_Base):
    """EdDSA (RFC 8037) with Ed25519 or Ed448; also the fully-specified names Ed25519 and Ed448 (RFC 9864).

    Verification is RFC 8032 5.1.7 / 5.2.7 on ecdsa's curve arithmetic: S < L, k = H(dom || R || A || M) mod L,
    then R' = [S]B - [k]A is encoded and compared with R. Comparing encodings rejects non-canonical R; reducing k
    first halves the work of ecdsa's own verify (which multiplies by the unreduced 512/912-bit hash).
    """

    def __init__(self, row: Alg) -> None:
        super().__init__(row)
        self.curves = tuple(jwa.CURVES[c] for c in row.curves)
        self.needs = "an " + " or ".join(c.name for c in self.curves) + " public key"

    def _type_mismatch(self, key: LoadedKey) -> Mismatch | None:
        pub = key.public
        if not isinstance(pub, EdPublicKey):
            return self._wrong_type(key)
        if pub.curve not in self.curves:
            return Mismatch("curve", f"{self.name} needs {self.needs}; the key is {pub.curve.name} "
                                     f"(it fits {jwa.curve_algs(pub.curve.name)})")
        return None

    def signature_length(self, key: LoadedKey) -> int | None:
        return 2 * key.public.curve.size if isinstance(key.public, EdPublicKey) else None

    def _check(self, msg: bytes, key: LoadedKey, sig: bytes) -> str | None:
        pub = key.public
        assert isinstance(pub, EdPublicKey)
        return ed_verify(pub, msg, sig)

    def sign(self, msg: bytes, key: Any) -> bytes:
        return bytes(self._signer(key).sign(msg))


def ed_verify(pub: EdPublicKey, msg: bytes, sig: bytes) -> str | None:
    curve = pub.curve
    b = curve.size
    if len(sig) != 2 * b:
        return f"{curve.name} signatures are {2 * b} bytes (R and S, RFC 8032); this one is {len(sig)} bytes"
    generator = curve.ecdsa_curve.generator
    order = curve.ecdsa_curve.order
    r_bytes, s = sig[:b], int.from_bytes(sig[b:], "little")
    if s >= order:
        return f"the {curve.name} value S is not below the group order: the signature is invalid (malleated?)"
    if curve.name == "Ed25519":
        digest = hashlib.sha512(r_bytes + pub.raw + msg).digest()
    else:
        digest = hashlib.shake_256(b"SigEd448\x00\x00" + r_bytes + pub.raw + msg).digest(114)
    k = int.from_bytes(digest, "little") % order
    a = pub.point
    p = curve.ecdsa_curve.curve.p()
    neg_a = PointEdwards(a.curve(), (-a.x()) % p, a.y(), 1, (-a.x() * a.y()) % p, order)
    parts = [pt for pt in (generator * s if s else INFINITY, neg_a * k if k else INFINITY) if pt is not INFINITY]
    point = parts[0] + parts[1] if len(parts) == 2 else (parts[0] if parts else INFINITY)
    if point is INFINITY or point == INFINITY:
        encoded = b"\x01" + b"\x00" * (b - 1)  # the neutral element (0, 1)
    else:
        encoded = point.to_bytes()
    if hmac.compare_digest(encoded, r_bytes):
        return None
    return f"the {curve.name} signature does not match: wrong key, or the token was altered"


# -- registry ------------------------------------------------------------------------------------------------

_FAMILIES: dict[str, type[_Base]] = {
    "HMAC": HMAC, "RSASSA-PKCS1-v1_5": RSAPKCS1, "RSASSA-PSS": RSAPSS, "ECDSA": ECDSA, "EdDSA": EdDSA,
}
# Every JWS row of the table but "none" (never an algorithm here).
ALGORITHMS: dict[str, _Base] = {
    row.name: _FAMILIES[row.family](row) for row in jwa.ALGS.values() if row.kind == "jws" and row.family != "none"
}


def explain_unsupported(name: Any) -> str:
    """Why ``name`` is not a signature algorithm here, in words."""
    if not isinstance(name, str):
        return f"'alg' must be a string, not {type(name).__name__}"
    if name == "none":
        return "alg \"none\" means an unsecured token: there is no signature to verify"
    known = jwa.case_variant(name, "jws")
    if known is not None and known != "none":
        return f"\"{name}\" is not a JWS algorithm: names are case-sensitive, the algorithm is \"{known}\""
    if name.lower() == "none":
        return f"\"{name}\" is not \"none\" (names are case-sensitive) and not a signature algorithm either"
    if name == "ES521":
        return "\"ES521\" is not a registered name: ECDSA with P-521 and SHA-512 is \"ES512\""
    if name in jwa.JWE_ALGS:
        return f"\"{name}\" is a key-management algorithm for encrypted tokens (JWE), not a signature algorithm"
    return f"\"{name}\" is not a JWS signature algorithm this page knows (RFC 7518 3.1 lists them)"


def get(name: str) -> Algorithm:
    """The algorithm object for a JWS ``alg`` name (case-sensitive). Raises ``UnsupportedAlgorithm``."""
    try:
        return ALGORITHMS[name]
    except (KeyError, TypeError):
        raise UnsupportedAlgorithm(explain_unsupported(name)) from None


def _make_pyjws() -> jwt.PyJWS:
    jws = jwt.PyJWS(algorithms=[])  # start empty: no "none", no cryptography-backed defaults
    for name, alg in ALGORITHMS.items():
        jws.register_algorithm(name, alg)
    return jws


pyjws = _make_pyjws()
pyjwt = pyjwt_with(pyjws)
