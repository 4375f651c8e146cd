"""Differential tests: our pure-Python algorithms against PyJWT[crypto] (pyca/cryptography) as the oracle.

For every algorithm, with fresh keys: tokens the oracle signs verify with our code (through our PyJWT instance and
through ``algorithms.get(alg).verify``), tokens we sign verify with the oracle, and one flipped bit in the header,
the payload or the signature is rejected by both. Key sizes vary (RSA 2048/3072 and e=3; every curve).
"""

from __future__ import annotations

import base64
import random

import jwt
import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwt.exceptions import PyJWTError

from jwtlens import algorithms

ORACLE = jwt.PyJWT()  # the module default: cryptography-backed algorithms
RNG = random.Random(7638)


def _rsa(bits: int, e: int = 65537) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(e, bits)


KEYS = {  # name -> (oracle alg name, key factories): fresh keys each run, sizes chosen to keep the run short
    "HS256": ("HS256", [lambda: RNG.randbytes(32), lambda: RNG.randbytes(64)]),
    "HS384": ("HS384", [lambda: RNG.randbytes(48)]),
    "HS512": ("HS512", [lambda: RNG.randbytes(64)]),
    "RS256": ("RS256", [lambda: _rsa(2048), lambda: _rsa(2048, 3)]),
    "RS384": ("RS384", [lambda: _rsa(3072)]),
    "RS512": ("RS512", [lambda: _rsa(2048)]),
    "PS256": ("PS256", [lambda: _rsa(2048), lambda: _rsa(2049)]),
    "PS384": ("PS384", [lambda: _rsa(3072)]),
    "PS512": ("PS512", [lambda: _rsa(2048)]),
    "ES256": ("ES256", [lambda: ec.generate_private_key(ec.SECP256R1())] * 2),
    "ES384": ("ES384", [lambda: ec.generate_private_key(ec.SECP384R1())]),
    "ES512": ("ES512", [lambda: ec.generate_private_key(ec.SECP521R1())]),
    "ES256K": ("ES256K", [lambda: ec.generate_private_key(ec.SECP256K1())]),
    "EdDSA-Ed25519": ("EdDSA", [ed25519.Ed25519PrivateKey.generate] * 2),
    "EdDSA-Ed448": ("EdDSA", [ed448.Ed448PrivateKey.generate]),
}


def _public_pem(key: object) -> str:
    return key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo).decode()


def _private_pem(key: object) -> str:
    return key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()).decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _flip(token: str, segment: int) -> str:
    """The token with one random bit of one segment's decoded bytes flipped."""
    parts = token.split(".")
    data = bytearray(_unb64(parts[segment]))
    bit = RNG.randrange(len(data) * 8)
    data[bit // 8] ^= 1 << (bit % 8)
    parts[segment] = _b64(bytes(data))
    return ".".join(parts)


def _accepts(decoder: jwt.PyJWT, token: str, key: object, alg: str) -> bool:
    try:
        decoder.decode(token, key, algorithms=[alg], options={"verify_exp": False})
    except PyJWTError:
        return False
    return True


@pytest.mark.parametrize("name", list(KEYS))
def test_oracle_tokens_verify_and_tampering_is_rejected(name: str) -> None:
    alg, factories = KEYS[name]
    ours = algorithms.get(alg)
    for factory in factories:
        key = factory()
        secret = isinstance(key, bytes)
        sign_key, verify_key = (key, key) if secret else (key, key.public_key())
        ours_key = key if secret else _public_pem(key)
        token = ORACLE.encode({"sub": "alice", "n": RNG.randrange(10**9)}, sign_key, algorithm=alg,
                              headers={"kid": "k1"})
        assert _accepts(algorithms.pyjwt, token, ours_key, alg), f"{name}: our PyJWT rejects an oracle token"
        signing_input, _, sig = token.rpartition(".")
        prepared = ours.prepare_key(ours_key)
        assert ours.verify(signing_input.encode(), prepared, _unb64(sig))
        for segment in (0, 1, 2):
            for _ in range(2):
                bad = _flip(token, segment)
                assert not _accepts(ORACLE, bad, verify_key, alg), f"{name}: oracle accepts a tampered token"
                assert not _accepts(algorithms.pyjwt, bad, ours_key, alg), (
                    f"{name}: we accept a token with a flipped bit in segment {segment}: {bad}"
                )


@pytest.mark.parametrize("name", list(KEYS))
def test_our_tokens_verify_with_the_oracle(name: str) -> None:
    alg, factories = KEYS[name]
    key = factories[0]()
    if isinstance(key, bytes):
        ours_key, verify_key = key, key
    else:
        ours_key, verify_key = _private_pem(key), key.public_key()
    token = algorithms.pyjwt.encode({"sub": "bob"}, ours_key, algorithm=alg)
    assert ORACLE.decode(token, verify_key, algorithms=[alg]) == {"sub": "bob"}


def test_signature_of_another_key_is_rejected_by_both() -> None:
    for alg, make in (("RS256", lambda: _rsa(2048)), ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
                      ("EdDSA", ed25519.Ed25519PrivateKey.generate)):
        signer, other = make(), make()
        token = ORACLE.encode({"x": 1}, signer, algorithm=alg)
        assert not _accepts(ORACLE, token, other.public_key(), alg)
        assert not _accepts(algorithms.pyjwt, token, _public_pem(other), alg)
