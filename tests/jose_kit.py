"""Keys and signatures for tests, made with PyJWT's cryptography-backed algorithms (the oracle of
test_differential.py), and a small SD-JWT builder that can also build the broken presentations RFC 9901 rejects."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

ORACLE = jwt.PyJWS()  # the module default: cryptography-backed algorithms

KEY_FACTORIES = {  # JWS alg -> a fresh private key
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "ES384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "ES512": lambda: ec.generate_private_key(ec.SECP521R1()),
    "ES256K": lambda: ec.generate_private_key(ec.SECP256K1()),
    "RS256": lambda: rsa.generate_private_key(65537, 2048),
    "RS384": lambda: rsa.generate_private_key(65537, 2048),
    "RS512": lambda: rsa.generate_private_key(65537, 2048),
    "PS256": lambda: rsa.generate_private_key(65537, 2048),
    "PS384": lambda: rsa.generate_private_key(65537, 2048),
    "PS512": lambda: rsa.generate_private_key(65537, 2048),
    "EdDSA": ed25519.Ed25519PrivateKey.generate,
    "EdDSA-Ed448": ed448.Ed448PrivateKey.generate,
}
_CACHE: dict[str, Any] = {}


def key_for(alg: str) -> Any:
    """One private key per algorithm name for the whole run (RSA key generation is slow)."""
    if alg not in _CACHE:
        _CACHE[alg] = KEY_FACTORIES[alg]()
    return _CACHE[alg]


def b64url(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk(key: Any, *, private: bool = False) -> dict[str, Any]:
    """The JWK of a cryptography key (its public half unless ``private``)."""
    if isinstance(key, rsa.RSAPrivateKey):
        cls = jwt.algorithms.RSAAlgorithm
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        cls = jwt.algorithms.ECAlgorithm
    else:
        cls = jwt.algorithms.OKPAlgorithm
    return json.loads(cls.to_jwk(key if private else key.public_key()))


def thumbprint(public_jwk: dict[str, Any]) -> str:
    """RFC 7638, computed here independently of jwtlens."""
    required = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}
    members = {k: public_jwk[k] for k in required[public_jwk["kty"]]}
    return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())


def sign(alg: str, key: Any, header: dict[str, Any], payload: dict[str, Any] | bytes) -> str:
    """A compact JWS made by the oracle; ``header`` is used as given (no typ is added)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    name = "EdDSA" if alg.startswith("EdDSA") else alg
    return ORACLE.encode(body, key, algorithm=name, headers={"typ": None, **header})


# -- SD-JWT -------------------------------------------------------------------------------------------------------


def disclosure(*items: Any, separators: tuple[str, str] = (", ", ": ")) -> str:
    """base64url of the JSON array [salt, name, value] or [salt, value] (spaced like RFC 9901's examples)."""
    return b64url(json.dumps(list(items), separators=separators))


def digest(text: str, hash_name: str = "sha256") -> str:
    return b64url(hashlib.new(hash_name, text.encode("ascii")).digest())


SALT = "c2FsdHNhbHRzYWx0c2FsdA"  # 16 bytes, as RFC 9901 9.3 recommends


@dataclass
class SdJwtKit:
    """Issues SD-JWTs with an ES256 issuer key and presents them with a holder key (both fresh)."""

    issuer: Any = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    holder: Any = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    @property
    def issuer_jwk_text(self) -> str:
        return json.dumps(jwk(self.issuer))

    def issue(self, payload: dict[str, Any], disclosures: list[str] = (), *, header: dict[str, Any] | None = None,
              bind: bool = True) -> str:
        """<JWT>~<D1>~...~ with cnf.jwk of the holder (unless ``bind`` is False)."""
        body = {**payload, **({"cnf": {"jwk": jwk(self.holder)}} if bind else {})}
        token = sign("ES256", self.issuer, header or {"alg": "ES256", "typ": "example+sd-jwt"}, body)
        return token + "~" + "".join(d + "~" for d in disclosures)

    def bind(self, sd_jwt: str, *, aud: str = "https://verifier.example", nonce: str = "n-0S6", iat: int = 0,
             header: dict[str, Any] | None = None, key: Any = None, alg: str = "ES256",
             **claims: Any) -> str:
        """Append a KB-JWT; ``claims`` override or (with None) remove payload members."""
        payload = {"iat": iat, "aud": aud, "nonce": nonce, "sd_hash": digest(sd_jwt)}
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        kb = sign(alg, key or self.holder, header or {"alg": alg, "typ": "kb+jwt"}, payload)
        return sd_jwt + kb
