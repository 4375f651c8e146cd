"""RSA signature verification of our own: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017), as JWS uses them.

Why our own: the page runs in Pyodide without the ``cryptography`` wheel (README, "Verifying signatures"), and
verification is only a modular exponentiation (``pow``, fast even in WebAssembly) plus a byte-exact encoding check.

Choices, on purpose:

* PKCS#1 v1.5 builds the one expected encoding ``00 01 FF..FF 00 || DigestInfo || H(m)`` and compares the whole
  block; nothing is parsed out of the signature, so there is no parser to fool (Bleichenbacher 2006 style
  forgeries against lenient parsers). The DigestInfo is the DER form with the explicit NULL parameters that
  RFC 8017 9.2 lists. The legacy form without the NULL ("MissingNull", which Wycheproof rates as
  *acceptable*) is **rejected**: RFC 8017 names one encoding, JOSE libraries sign with it, and accepting a
  second one gives the same signer two valid signatures for no benefit.
* PSS follows EMSA-PSS-VERIFY (RFC 8017 9.1.2) with MGF1 over the same hash and a salt exactly as long as the
  hash, which is what RFC 7518 3.5 requires for PS256/384/512. A signature made with another salt length is
  rejected, and ``explain_pss`` says which salt length it did use.
* The signature must be exactly as long as the modulus, and its integer must be below the modulus.
* Comparisons use ``hmac.compare_digest``.

Verification functions return ``None`` when the signature is valid, else the reason in words.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from . import jwa

# The hashes JWS uses with RSA (jwa.py's table): name -> row with the hashlib constructor and the DigestInfo prefix.
HASHES = jwa.HASHES


# Bounds on public keys, so a pasted key cannot make one check take seconds (a 16384-bit e costs a 16384-bit
# exponentiation; a 65537 exponent is 17 squarings). OpenSSL has the same limits (OPENSSL_RSA_MAX_MODULUS_BITS,
# RSA_MAX_PUBEXP_BITS).
MAX_MODULUS_BITS = 16384
MAX_EXPONENT_BITS = 64


def _short_int(n: int) -> str:
    return str(n) if n.bit_length() <= 64 else f"of {n.bit_length()} bits"


class RSAKeyError(ValueError):
    """The numbers cannot be an RSA key."""


@dataclass(frozen=True)
class RSAPublicKey:
    n: int
    e: int

    def __post_init__(self) -> None:
        if self.n < 3 or self.n % 2 == 0:
            raise RSAKeyError("the RSA modulus must be an odd number greater than 1")
        if self.n.bit_length() < 256:
            raise RSAKeyError(f"an RSA modulus of {self.n.bit_length()} bits is too small to be a real key")
        if self.n.bit_length() > MAX_MODULUS_BITS:
            raise RSAKeyError(f"an RSA modulus of {self.n.bit_length()} bits is larger than any real key (at most "
                              f"{MAX_MODULUS_BITS}, the limit OpenSSL also applies)")
        if self.e < 3 or self.e % 2 == 0 or self.e >= self.n:
            raise RSAKeyError(f"the RSA public exponent {_short_int(self.e)} is not valid (it must be odd, 3 or more)")
        if self.e.bit_length() > MAX_EXPONENT_BITS:
            raise RSAKeyError(f"the RSA public exponent has {self.e.bit_length()} bits; real keys use 65537 (at most "
                              f"{MAX_EXPONENT_BITS} bits are accepted: a huge exponent only makes checking slow)")

    @property
    def bits(self) -> int:
        return self.n.bit_length()

    @property
    def size(self) -> int:
        """Modulus length in bytes: the length of every signature."""
        return (self.n.bit_length() + 7) // 8


@dataclass(frozen=True)
class RSAPrivateKey:
    """Private numbers, only for signing (verification never needs them)."""

    public: RSAPublicKey
    d: int
    p: int = 0
    q: int = 0

    def _decrypt(self, m: int) -> int:
        p, q = self.p, self.q
        if p and q and p * q == self.public.n:  # CRT: about 3x faster than pow(m, d, n)
            m1 = pow(m, self.d % (p - 1), p)
            m2 = pow(m, self.d % (q - 1), q)
            h = (pow(q, -1, p) * (m1 - m2)) % p
            return m2 + h * q
        return pow(m, self.d, self.public.n)

    def raw_sign(self, em: bytes) -> bytes:
        m = int.from_bytes(em, "big")
        s = self._decrypt(m)
        if pow(s, self.public.e, self.public.n) != m:  # guard against fault/mismatched CRT values
            raise RSAKeyError("the private key does not match its public modulus")
        return s.to_bytes(self.public.size, "big")


def _hash(hash_name: str, data: bytes) -> bytes:
    return HASHES[hash_name].digest(data)


def _open(key: RSAPublicKey, sig: bytes, what: str) -> int | str:
    """The signature integer raised to e, or the reason the signature is malformed."""
    if len(sig) != key.size:
        return (
            f"{what} signature is {len(sig)} bytes but the {key.bits}-bit key needs exactly {key.size} "
            f"(signatures are as long as the modulus)"
        )
    s = int.from_bytes(sig, "big")
    if s >= key.n:
        # A same-sized key with a smaller modulus: most often the token was signed by another key.
        return (
            f"{what} signature value is not smaller than this key's modulus: it was made with another key "
            f"of the same size, or altered"
        )
    return pow(s, key.e, key.n)


# -- RSASSA-PKCS1-v1_5 ---------------------------------------------------------------------------------------


def pkcs1v15_encode(hash_name: str, msg: bytes, em_len: int) -> bytes:
    t = HASHES[hash_name].digest_info + _hash(hash_name, msg)
    if em_len < len(t) + 11:
        raise RSAKeyError(f"the key is too small for RSASSA-PKCS1-v1_5 with {hash_name}")
    return b"\x00\x01" + b"\xff" * (em_len - len(t) - 3) + b"\x00" + t


def verify_pkcs1v15(key: RSAPublicKey, hash_name: str, msg: bytes, sig: bytes) -> str | None:
    opened = _open(key, sig, "RSASSA-PKCS1-v1_5")
    if isinstance(opened, str):
        return opened
    try:
        expected = pkcs1v15_encode(hash_name, msg, key.size)
    except RSAKeyError as exc:
        return str(exc)
    if hmac.compare_digest(opened.to_bytes(key.size, "big"), expected):
        return None
    return "RSA signature does not match (wrong key, altered token, or a different hash or padding)"


def explain_pkcs1v15(key: RSAPublicKey, msg: bytes, sig: bytes) -> str | None:
    """After a failed check: what the opened block says (another hash, PSS padding, garbage = wrong key)."""
    opened = _open(key, sig, "RSASSA-PKCS1-v1_5")
    if isinstance(opened, str):
        return opened
    em = opened.to_bytes(key.size, "big")
    for name in HASHES:
        digest = _hash(name, msg)
        if em.endswith(digest) and HASHES[name].digest_info in em:
            return f"the signature is RSASSA-PKCS1-v1_5 over {name}, not the hash this algorithm uses"
        if em.endswith(digest):
            return f"the block ends in the {name} digest of the token but its DigestInfo is not the DER form"
    pss_hash = _pss_hash(key, sig)
    if pss_hash:
        return f"the signature is RSASSA-PSS with {pss_hash}: was it made for PS{pss_hash[4:]}?"
    if em.startswith(b"\x00\x01\xff"):
        return "the signature is PKCS#1 v1.5 formatted but over other data (the token was altered?)"
    return "the signature does not open to any PKCS#1 v1.5 block under this key: it was made with another key"


def sign_pkcs1v15(key: RSAPrivateKey, hash_name: str, msg: bytes) -> bytes:
    return key.raw_sign(pkcs1v15_encode(hash_name, msg, key.public.size))


# -- RSASSA-PSS ----------------------------------------------------------------------------------------------


def mgf1(hash_name: str, seed: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += _hash(hash_name, seed + counter.to_bytes(4, "big"))
        counter += 1
    return bytes(out[:length])


def _pss_layout(key: RSAPublicKey, sig: bytes, hash_name: str) -> tuple[bytes, bytes] | str:
    """Unmask EM: (DB with the top bits cleared, H) or the reason it is malformed."""
    opened = _open(key, sig, "RSASSA-PSS")
    if isinstance(opened, str):
        return opened
    em_bits = key.bits - 1
    em_len = (em_bits + 7) // 8
    h_len = HASHES[hash_name].size
    if opened >= 1 << (8 * em_len):
        return "RSASSA-PSS encoded message is longer than the modulus allows"
    em = opened.to_bytes(em_len, "big")
    if em_len < 2 * h_len + 2:
        return f"the {key.bits}-bit key is too small for RSASSA-PSS with {hash_name} and a {h_len}-byte salt"
    if em[-1] != 0xBC:
        return "RSASSA-PSS trailer byte is not 0xbc (not a PSS signature under this key)"
    masked_db, h = em[: em_len - h_len - 1], em[em_len - h_len - 1 : -1]
    top_mask = 0xFF >> (8 * em_len - em_bits)
    if masked_db[0] & ~top_mask & 0xFF:
        return "RSASSA-PSS encoded message has its leftmost bits set"
    db = bytes(a ^ b for a, b in zip(masked_db, mgf1(hash_name, h, len(masked_db)), strict=True))
    return bytes([db[0] & top_mask]) + db[1:], h


def _pss_hash(key: RSAPublicKey, sig: bytes) -> str | None:
    """The hash under which sig unmasks to a PSS data block (zeros, then 0x01), if any.

    A trailer byte of 0xbc alone is no evidence: one block in 256 from a wrong key ends that way.
    """
    for name in HASHES:
        layout = _pss_layout(key, sig, name)
        if isinstance(layout, str):
            continue
        db = layout[0]
        one = next((i for i, b in enumerate(db) if b), None)
        if one is not None and one > 0 and db[one] == 0x01:
            return name
    return None


def verify_pss(key: RSAPublicKey, hash_name: str, msg: bytes, sig: bytes) -> str | None:
    """EMSA-PSS-VERIFY with MGF1(hash) and salt length = hash length (RFC 7518 3.5)."""
    layout = _pss_layout(key, sig, hash_name)
    if isinstance(layout, str):
        return layout
    db, h = layout
    h_len = len(h)
    ps_len = len(db) - h_len - 1
    if any(db[:ps_len]) or db[ps_len] != 0x01:
        return explain_pss(key, hash_name, msg, sig) or "RSASSA-PSS padding is malformed"
    salt = db[ps_len + 1 :]
    m_prime = b"\x00" * 8 + _hash(hash_name, msg) + salt
    if hmac.compare_digest(_hash(hash_name, m_prime), h):
        return None
    return "RSASSA-PSS signature does not match (wrong key, or the token was altered)"


def explain_pss(key: RSAPublicKey, hash_name: str, msg: bytes, sig: bytes) -> str | None:
    """Why the PSS structure is off: a salt of another length (JWS requires hash length), or another key."""
    layout = _pss_layout(key, sig, hash_name)
    if isinstance(layout, str):
        return layout
    db, h = layout
    one = next((i for i, b in enumerate(db) if b), None)
    h_len = len(h)
    if one is None or db[one] != 0x01:
        return "RSASSA-PSS padding is malformed: made with another key, another hash, or not PSS at all"
    salt = db[one + 1 :]
    if len(salt) != h_len:
        m_prime = b"\x00" * 8 + _hash(hash_name, msg) + salt
        verdict = "it would verify" if hmac.compare_digest(_hash(hash_name, m_prime), h) else "even so"
        return (
            f"the RSASSA-PSS salt is {len(salt)} bytes; JWS requires a salt as long as the hash "
            f"({h_len} bytes for {hash_name}, RFC 7518 3.5) ({verdict} with that salt length)"
        )
    return None


def sign_pss(key: RSAPrivateKey, hash_name: str, msg: bytes, salt: bytes | None = None) -> bytes:
    h_len = HASHES[hash_name].size
    salt = os.urandom(h_len) if salt is None else salt
    em_bits = key.public.bits - 1
    em_len = (em_bits + 7) // 8
    if em_len < h_len + len(salt) + 2:
        raise RSAKeyError(f"the key is too small for RSASSA-PSS with {hash_name}")
    h = _hash(hash_name, b"\x00" * 8 + _hash(hash_name, msg) + salt)
    db = b"\x00" * (em_len - len(salt) - h_len - 2) + b"\x01" + salt
    masked = bytearray(a ^ b for a, b in zip(db, mgf1(hash_name, h, len(db)), strict=True))
    masked[0] &= 0xFF >> (8 * em_len - em_bits)
    em = bytes(masked) + h + b"\xbc"
    return key.raw_sign(b"\x00" * (key.public.size - em_len) + em)
