"""X25519 and X448 (RFC 7748): the Montgomery ladder on Curve25519 and Curve448, u-coordinates only, for ECDH-ES
with OKP keys (RFC 8037 section 3.2).

    private, public = generate("X25519")
    shared = shared_secret("X25519", private, peer_public)     # ZeroSharedSecret for small-order peer keys

``x25519(k, u)`` / ``x448(k, u)`` are the RFC 7748 section 5 functions exactly (clamping the scalar, masking the
top bit of an X25519 u-coordinate, accepting non-canonical u); ``shared_secret`` adds the all-zero check of
section 6. Encoded sizes and bit lengths are the ``jwa.CURVES`` rows; the field, the ladder constant a24 and the
base point are below.

Constant-time behaviour is not a goal (the page decrypts the user's own tokens in their own tab; no remote attacker
times it): the ladder's swap is a Python conditional on the key bit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from jwtlens import jwa
from jwtlens.primitives.errors import InvalidPoint, KeySizeError, ZeroSharedSecret


@dataclass(frozen=True)
class Montgomery:
    name: str
    p: int  # the field prime
    a24: int  # (A - 2) / 4 for the curve coefficient A (RFC 7748 section 5)
    base_u: int  # u-coordinate of the base point (RFC 7748 section 4.1, 4.2)
    low_bits_cleared: int  # decodeScalar: clear this many low bits (the cofactor's log2)

    @property
    def size(self) -> int:
        return jwa.CURVES[self.name].size

    @property
    def bits(self) -> int:
        return jwa.CURVES[self.name].bits


CURVES = {
    c.name: c
    for c in (
        Montgomery("X25519", 2**255 - 19, 121665, 9, 3),
        Montgomery("X448", 2**448 - 2**224 - 1, 39081, 5, 2),
    )
}


def _curve(name: str) -> Montgomery:
    if name not in CURVES:
        raise InvalidPoint(f"{name!r} is not a Montgomery curve this module knows ({', '.join(CURVES)})")
    return CURVES[name]


def decode_scalar(curve: Montgomery, k: bytes) -> int:
    """decodeScalar25519 / decodeScalar448: clear the cofactor bits, clear the bits above the top one, set it."""
    if len(k) != curve.size:
        raise KeySizeError(f"an {curve.name} private key is {curve.size} bytes, not {len(k)}")
    n = int.from_bytes(k, "little")
    n &= ~((1 << curve.low_bits_cleared) - 1) & ((1 << curve.bits) - 1)
    return n | (1 << (curve.bits - 1))


def decode_u(curve: Montgomery, u: bytes) -> int:
    """decodeUCoordinate: little-endian, the unused top bit of X25519 masked; non-canonical values reduced mod p."""
    if len(u) != curve.size:
        raise InvalidPoint(f"an {curve.name} public key is {curve.size} bytes, not {len(u)}")
    return (int.from_bytes(u, "little") & ((1 << curve.bits) - 1)) % curve.p


def ladder(curve: Montgomery, k: int, u: int) -> int:
    """The Montgomery ladder of RFC 7748 section 5: u(k * P) for P with u-coordinate u."""
    p, a24 = curve.p, curve.a24
    x2, z2, x3, z3 = 1, 0, u, 1
    swap = 0
    for t in range(curve.bits - 1, -1, -1):
        bit = (k >> t) & 1
        if swap ^ bit:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = bit
        a, b, c, d = x2 + z2, x2 - z2, x3 + z3, x3 - z3
        aa, bb = a * a % p, b * b % p
        e = aa - bb
        da, cb = d * a % p, c * b % p
        x3, z3 = (da + cb) ** 2 % p, u * (da - cb) ** 2 % p
        x2, z2 = aa * bb % p, e * (aa + a24 * e) % p
    if swap:
        x2, z2 = x3, z3
    return x2 * pow(z2, p - 2, p) % p


def scalar_mult(curve_name: str, k: bytes, u: bytes) -> bytes:
    """X25519(k, u) / X448(k, u) of RFC 7748 section 5, without the all-zero check."""
    curve = _curve(curve_name)
    return ladder(curve, decode_scalar(curve, k), decode_u(curve, u)).to_bytes(curve.size, "little")


def x25519(k: bytes, u: bytes) -> bytes:
    return scalar_mult("X25519", k, u)


def x448(k: bytes, u: bytes) -> bytes:
    return scalar_mult("X448", k, u)


def public_key(curve_name: str, private: bytes) -> bytes:
    """The public key of a private scalar: X(k, base point)."""
    curve = _curve(curve_name)
    return scalar_mult(curve_name, private, curve.base_u.to_bytes(curve.size, "little"))


def generate(curve_name: str) -> tuple[bytes, bytes]:
    """A fresh (private, public) pair; the private key is random bytes from ``secrets`` (RFC 7748 section 6)."""
    private = secrets.token_bytes(_curve(curve_name).size)
    return private, public_key(curve_name, private)


def shared_secret(curve_name: str, private: bytes, peer_public: bytes) -> bytes:
    """The ECDH shared secret (RFC 7748 section 6), ``ZeroSharedSecret`` when it is all zeros."""
    out = scalar_mult(curve_name, private, peer_public)
    if not any(out):
        raise ZeroSharedSecret()
    return out
