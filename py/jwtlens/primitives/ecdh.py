"""Elliptic-curve Diffie-Hellman for JWE ECDH-ES (RFC 7518 4.6): P-256, P-384 and P-521 through the pure-Python
``ecdsa`` package, X25519 and X448 through ``montgomery``, behind one entry point.

    private, public = generate("P-256")            # (int d, (x, y)); for "X25519": (bytes, bytes)
    z = agree("P-256", private, peer_public)        # the shared secret Z for the Concat KDF

For the NIST curves Z is the x-coordinate of d * Q as a fixed-length big-endian string (the curve's coordinate
size, SEC 1 3.3.1 / RFC 7518 4.6.2). The peer's point is checked first (``validate_public``): coordinates in the
field, on the named curve, not the point at infinity; a point off the curve is the invalid-curve attack, which
recovers the private key from a few such exchanges, so it raises ``InvalidPoint`` and is never multiplied. The NIST
curves have cofactor 1, so a point on the curve has the group's prime order. For X25519/X448 the checks are the
public key's length and the all-zero shared secret (RFC 7748 6, ``ZeroSharedSecret``).

Constant-time behaviour is not a goal (the page decrypts the user's own tokens in their own tab; no remote attacker
times it).
"""

from __future__ import annotations

import secrets
from typing import Any

from ecdsa.ellipticcurve import PointJacobi

from jwtlens import jwa
from jwtlens.primitives import montgomery
from jwtlens.primitives.errors import InvalidPoint, KeySizeError

# The ECDH-ES curves (the alg row lists them), split by what implements them.
CURVES = jwa.ALGS["ECDH-ES"].curves
NIST_CURVES = tuple(c for c in CURVES if jwa.CURVES[c].kty == "EC")

Point = tuple[int, int]


def _nist(curve_name: str) -> Any:
    if curve_name not in NIST_CURVES:
        raise InvalidPoint(f"{curve_name!r} is not an ECDH-ES curve ({', '.join(CURVES)})")
    return jwa.CURVES[curve_name].ecdsa_curve


def validate_public(curve_name: str, public: Point) -> None:
    """``InvalidPoint`` unless (x, y) is a finite point of the named curve with coordinates below p."""
    curve = _nist(curve_name).curve
    x, y = public
    p = curve.p()
    if not (0 <= x < p and 0 <= y < p):
        raise InvalidPoint(f"the public key's coordinates are not elements of the {curve_name} field")
    if (y * y - (x * x * x + curve.a() * x + curve.b())) % p:
        raise InvalidPoint(f"the public key is not a point on {curve_name}: refused, as an invalid-curve attack "
                           "would use it (or the key belongs to another curve)")
    # (0, 0) stands for infinity in some encodings; it is not on these curves (b is not 0), so the check above
    # already refused it.


def nist_shared_secret(curve_name: str, private: int, peer_public: Point) -> bytes:
    """x(d * Q), fixed length, after ``validate_public``."""
    ec = _nist(curve_name)
    if not 1 <= private < ec.order:
        raise KeySizeError(f"the {curve_name} private key must be between 1 and the group order")
    validate_public(curve_name, peer_public)
    shared = PointJacobi(ec.curve, peer_public[0], peer_public[1], 1, ec.order) * private
    if not shared:  # unreachable for a valid point of prime order and 1 <= d < n; kept as a guard
        raise InvalidPoint("the shared point is the point at infinity")
    return shared.x().to_bytes(jwa.CURVES[curve_name].size, "big")


def generate(curve_name: str) -> tuple[Any, Any]:
    """An ephemeral key pair: (d, (x, y)) on a NIST curve, (private bytes, public bytes) on X25519/X448."""
    if curve_name in montgomery.CURVES:
        return montgomery.generate(curve_name)
    ec = _nist(curve_name)
    d = 1 + secrets.randbelow(ec.order - 1)
    q = ec.generator * d
    return d, (q.x(), q.y())


def agree(curve_name: str, private: Any, peer_public: Any) -> bytes:
    """The ECDH shared secret Z on any ECDH-ES curve: int and (x, y) on NIST curves, bytes on X25519/X448."""
    if curve_name in montgomery.CURVES:
        return montgomery.shared_secret(curve_name, private, peer_public)
    return nist_shared_secret(curve_name, private, peer_public)
