"""Key material for the keygen, export and encode tests, and the oracle (cryptography + PyJWT) that judges it.

Keys come from two sources: jwtlens's ``keygen`` and cryptography. Each is turned into the other side's object
independently of jwtlens's export code (cryptography numbers from our signer's fields), so that the oracle checks
what was generated, not what our own writer made of it. Expensive keys (RSA) are made once per test session.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.algorithms import OKPAlgorithm

from jwtlens import keygen
from jwtlens.keys import LoadedKey

PEM = ser.Encoding.PEM
PKCS8, TRAD = ser.PrivateFormat.PKCS8, ser.PrivateFormat.TraditionalOpenSSL
SPKI = ser.PublicFormat.SubjectPublicKeyInfo
NOENC = ser.NoEncryption()

EC_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1, "secp256k1": ec.SECP256K1,
}
ED_CLASSES: dict[str, Any] = {"Ed25519": ed25519.Ed25519PrivateKey, "Ed448": ed448.Ed448PrivateKey}
HMAC_SIZES = {"HS256": 32, "HS384": 48, "HS512": 64}

# Every JWS algorithm with the key kind it signs with: "oct", "RSA", or a curve name.
ALG_KINDS: list[tuple[str, str]] = [
    ("HS256", "oct"), ("HS384", "oct"), ("HS512", "oct"),
    ("RS256", "RSA"), ("RS384", "RSA"), ("RS512", "RSA"), ("PS256", "RSA"), ("PS384", "RSA"), ("PS512", "RSA"),
    ("ES256", "P-256"), ("ES384", "P-384"), ("ES512", "P-521"), ("ES256K", "secp256k1"),
    ("EdDSA", "Ed25519"), ("EdDSA", "Ed448"), ("Ed25519", "Ed25519"), ("Ed448", "Ed448"),
]
ASYMMETRIC_KINDS = ["RSA", *EC_CURVES, *ED_CLASSES]


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_int(n: int, size: int | None = None) -> str:
    return b64u(n.to_bytes(size or max(1, (n.bit_length() + 7) // 8), "big"))


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -- the oracle ------------------------------------------------------------------------------------------------


def _oracle() -> jwt.PyJWT:
    """PyJWT with cryptography's algorithms, plus the fully-specified Ed25519/Ed448 names (RFC 9864)."""
    jws = jwt.PyJWS()
    for name in ("Ed25519", "Ed448"):
        jws.register_algorithm(name, OKPAlgorithm())
    oracle = jwt.PyJWT()
    oracle._jws = jws
    return oracle


ORACLE = _oracle()


def oracle_thumbprint(private_key: Any) -> str:
    """RFC 7638 computed here from cryptography's public numbers (not from jwtlens)."""
    public = private_key.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        numbers = public.public_numbers()
        members = {"e": b64u_int(numbers.e), "kty": "RSA", "n": b64u_int(numbers.n)}
    elif isinstance(public, ec.EllipticCurvePublicKey):
        numbers = public.public_numbers()
        size = (public.curve.key_size + 7) // 8
        crv = next(name for name, cls in EC_CURVES.items() if isinstance(public.curve, cls))
        members = {"crv": crv, "kty": "EC", "x": b64u_int(numbers.x, size), "y": b64u_int(numbers.y, size)}
    else:
        crv = "Ed25519" if isinstance(public, ed25519.Ed25519PublicKey) else "Ed448"
        members = {"crv": crv, "kty": "OKP", "x": b64u(public.public_bytes_raw())}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64u(hashlib.sha256(canonical).digest())


# -- keys from both sources -------------------------------------------------------------------------------------


@functools.cache
def jwtlens_key(kind: str) -> LoadedKey:
    """A key made by keygen: "oct-32" (secret bytes), "RSA" (2048 bits), or a curve name."""
    if kind.startswith("oct-"):
        return keygen.generate_secret(int(kind[4:]))
    if kind == "RSA":
        return keygen.generate("RS256")
    return keygen.generate_curve_key(kind)


@functools.cache
def crypto_key(kind: str) -> Any:
    """A cryptography private key of the kind ("RSA" is 2048 bits)."""
    if kind == "RSA":
        return rsa.generate_private_key(65537, 2048)
    if kind in EC_CURVES:
        return ec.generate_private_key(EC_CURVES[kind]())
    return ED_CLASSES[kind].generate()


def to_crypto(key: LoadedKey) -> Any:
    """Our generated key as a cryptography private key, from the signer's numbers; cryptography validates it
    (RSA: primes and CRT values consistent; EC: the point on the curve and d matching it)."""
    signer = key.signer
    if key.kind == "RSA":
        p, q, d = signer.p, signer.q, signer.d
        public = rsa.RSAPublicNumbers(signer.public.e, signer.public.n)
        numbers = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                                        rsa.rsa_crt_iqmp(p, q), public)
        return numbers.private_key()
    if key.kind == "EC":
        crv = key.public_jwk()["crv"]
        public = ec.EllipticCurvePublicNumbers(key.public.x, key.public.y, EC_CURVES[crv]())
        return ec.EllipticCurvePrivateNumbers(signer.privkey.secret_multiplier, public).private_key()
    return ED_CLASSES[key.public_jwk()["crv"]].from_private_bytes(bytes(signer.to_string()))


def crypto_texts(private_key: Any) -> dict[str, str]:
    """The oracle's own texts of a key: PKCS#8, traditional (PKCS#1/SEC 1), private and public JWK (PyJWT), public
    PEM."""
    texts = {"pkcs8": private_key.private_bytes(PEM, PKCS8, NOENC).decode()}
    if not isinstance(private_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        texts["traditional"] = private_key.private_bytes(PEM, TRAD, NOENC).decode()
    algorithm = jwt.algorithms.OKPAlgorithm if "traditional" not in texts else (
        jwt.algorithms.RSAAlgorithm if isinstance(private_key, rsa.RSAPrivateKey) else jwt.algorithms.ECAlgorithm)
    texts["jwk"] = algorithm.to_jwk(private_key)
    texts["jwk-public"] = algorithm.to_jwk(private_key.public_key())
    texts["spki"] = private_key.public_key().public_bytes(PEM, SPKI).decode()
    return texts
