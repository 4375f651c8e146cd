"""keygen.py: the key each algorithm needs, valid as cryptography judges it (RSA primes and CRT values, EC points on
the curve), RFC 7638 thumbprints equal to the oracle's, the RSA search's FIPS 186-5 rules and its progress, and the
same code running in Pyodide."""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from jwtlens import algorithms, jwa, keygen
from jwtlens.keygen import KeygenError, KeySpec
from oracle_keys import ALG_KINDS, EC_CURVES, ED_CLASSES, ORACLE, oracle_thumbprint, to_crypto, unb64u

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("alg", "kind"), ALG_KINDS)
def test_key_spec_for_every_algorithm(alg: str, kind: str) -> None:
    spec = keygen.key_spec(alg, curve=kind if kind in jwa.CURVES else None)
    if kind == "oct":
        assert spec == KeySpec("oct", int(alg[2:]))  # the hash length: HS256 -> 256 bits
    elif kind == "RSA":
        assert spec == KeySpec("RSA", 2048)
    else:
        assert (spec.kty, spec.curve, spec.bits) == (jwa.CURVES[kind].kty, kind, jwa.CURVES[kind].bits)


@pytest.mark.parametrize(("args", "message"), [
    (("none",), "not a JWS signature algorithm"),
    (("A128KW",), "not a JWS signature algorithm"),
    (("hs256",), "not a JWS signature algorithm"),
    (("RS256", 1024), "not 1024"),
    (("PS256", 2049), "not 2049"),
    (("ES256", 2048, "P-384"), "ES256 signs with P-256 keys, not P-384"),
    (("EdDSA", 2048, "X25519"), "Ed25519 or Ed448 keys, not X25519"),
])
def test_key_spec_refuses(args: tuple, message: str) -> None:
    with pytest.raises(KeygenError, match=message):
        keygen.key_spec(*args)


@pytest.mark.parametrize("crv", ["X25519", "P-192", "secp256r1"])
def test_only_signature_curves(crv: str) -> None:
    with pytest.raises(KeygenError, match="not a signature curve"):
        keygen.generate_curve_key(crv)


def test_describe_specs() -> None:
    assert [keygen.key_spec(a, curve=c).describe() for a, c in
            [("HS384", None), ("PS512", None), ("ES256K", None), ("EdDSA", "Ed448")]] == [
        "HMAC secret of 48 bytes", "RSA 2048-bit key pair", "EC secp256k1 key pair", "Ed448 key pair"]


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_secret_has_the_hash_length_and_is_random(alg: str) -> None:
    first, second = keygen.generate(alg), keygen.generate(alg)
    size = jwa.ALGS[alg].hash_info.size
    assert first.kind == "secret" and len(first.secret) == len(second.secret) == size
    assert first.secret != second.secret
    with pytest.raises(KeygenError):
        keygen.generate_secret(0)


@pytest.mark.parametrize("crv", [*EC_CURVES, *ED_CLASSES])
def test_curve_keys_are_valid_and_random(crv: str) -> None:
    key, other = keygen.generate_curve_key(crv), keygen.generate_curve_key(crv)
    oracle = to_crypto(key)  # cryptography checks the point is on the curve and belongs to d
    assert key.thumbprint() == oracle_thumbprint(oracle)
    assert key.private and key.warnings == [] and key.public_jwk()["crv"] == crv
    assert key.thumbprint() != other.thumbprint()
    alg = next(a for a, k in ALG_KINDS if k == crv)
    token = ORACLE.encode({"sub": "x"}, oracle, algorithm=alg)
    header, payload, sig = token.split(".")
    assert algorithms.get(alg).verify(f"{header}.{payload}".encode(), key, unb64u(sig))


# -- RSA --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_run():
    """One RSA-2048 generation, with every progress step and every Miller-Rabin round it ran."""
    steps: list[keygen.Progress] = []
    key = keygen.generate("PS256", progress=steps.append)
    return key, steps


def test_rsa_key_is_valid_and_follows_fips_186_5(rsa_run) -> None:
    key, _ = rsa_run
    signer = key.signer
    n, e, d, p, q = signer.public.n, signer.public.e, signer.d, signer.p, signer.q
    to_crypto(key)  # RSAPrivateNumbers(...).private_key(): OpenSSL's RSA_check_key (primality, CRT values)
    assert key.thumbprint() == oracle_thumbprint(to_crypto(key))
    assert e == 65537 and n == p * q
    assert n.bit_length() == 2048 and p.bit_length() == q.bit_length() == 1024
    assert min(p, q) > math.isqrt(2 << 2046)  # p, q >= sqrt(2) * 2^1023 (FIPS 186-5 A.1.3)
    assert abs(p - q) > 1 << (1024 - 100)
    assert d > 1 << 1024 and d * e % math.lcm(p - 1, q - 1) == 1
    assert math.gcd(e, (p - 1) * (q - 1)) == 1


def test_rsa_progress_steps(rsa_run) -> None:
    key, steps = rsa_run
    assert len(steps) >= 2 * keygen.MR_ROUNDS[1024]  # at least all rounds for both primes
    assert all(s.bits == 2048 and 0 <= s.fraction < 1 for s in steps)
    assert [s.found for s in steps] == sorted(s.found for s in steps) and {s.found for s in steps} <= {0, 1}
    for before, after in zip(steps, steps[1:], strict=False):  # within a prime: one more round per step
        assert after.rounds == before.rounds + 1 or after.found == before.found + 1
        assert after.fraction > before.fraction or after.found > before.found
    assert steps[0].expected_rounds == pytest.approx(keygen.expected_rounds(1024))
    assert steps[-1].found == 1 and steps[-1].candidates >= steps[-1].rounds // keygen.MR_ROUNDS[1024]


def test_rsa_primes_get_the_fips_table_rounds(monkeypatch) -> None:
    tested: list[int] = []
    original = keygen._miller_rabin_round

    def counting(n: int, d: int, s: int) -> bool:
        tested.append(n)
        return original(n, d, s)

    monkeypatch.setattr(keygen, "_miller_rabin_round", counting)
    key = keygen.run(keygen.rsa_steps(2048))
    for prime in (key.signer.p, key.signer.q):
        assert tested.count(prime) == keygen.MR_ROUNDS[1024] == 5
    assert len(set(tested)) > 2  # composites were drawn and rejected on the way


@pytest.mark.parametrize("bits", [3072, 4096])
def test_larger_rsa_sizes(bits: int) -> None:
    key = keygen.generate("RS256", rsa_bits=bits)
    oracle = to_crypto(key)
    assert oracle.key_size == bits and key.signer.p.bit_length() == bits // 2
    assert isinstance(oracle, rsa.RSAPrivateKey)


def test_rsa_steps_refuses_other_sizes() -> None:
    with pytest.raises(KeygenError, match="2048, 3072, 4096"):
        next(keygen.rsa_steps(1024))


def test_non_rsa_keys_come_without_steps() -> None:
    gen = keygen.generate_steps("ES256")
    with pytest.raises(StopIteration) as done:
        next(gen)
    assert done.value.value.kind == "EC"
    calls: list[object] = []
    assert keygen.generate("Ed448", progress=calls.append).public_jwk()["crv"] == "Ed448" and calls == []


# -- primes -----------------------------------------------------------------------------------------------------

PRIMES = [5, 7, 65537, 2**61 - 1, 2**127 - 1, 2**521 - 1, 1000000007]
COMPOSITES = [
    1, 4, 9, 561, 41041, 825265,  # Carmichael numbers
    2047, 3215031751, 3825123056546413051,  # strong pseudoprimes to several small bases
    (2**61 - 1) * (2**127 - 1), 65537 * 65537, 262139 * 262147,  # products of primes beyond the sieve
]


@pytest.mark.parametrize("n", PRIMES)
def test_is_probable_prime_accepts_primes(n: int) -> None:
    assert keygen.is_probable_prime(n, 10)


@pytest.mark.parametrize("n", COMPOSITES)
def test_is_probable_prime_rejects_composites(n: int) -> None:
    assert not keygen.is_probable_prime(n, 10)


def test_small_prime_table() -> None:
    assert keygen._odd_primes_below(50) == [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]
    stages, survive = keygen._sieve()
    assert len(stages) == len(keygen.SIEVE_BOUNDS)
    assert math.gcd(stages[0], 3 * 5 * 1021) == 3 * 5 * 1021 and math.gcd(stages[0], 1031) == 1
    assert math.gcd(stages[1], 1031) == 1031 and math.gcd(stages[2], 262139) == 262139
    assert 0.08 < survive < 0.1  # Mertens: 2 e^-gamma / ln(2^18)
    assert keygen.expected_rounds(1024) < keygen.expected_rounds(1536) < keygen.expected_rounds(2048)


def test_warm_up_builds_the_tables() -> None:
    keygen._sieve.cache_clear()
    keygen.warm_up()
    assert keygen._sieve.cache_info().currsize == 1
    before = keygen._sieve.cache_info().hits
    keygen.generate("ES512")
    keygen.is_probable_prime(2**127 - 1, 2)
    assert keygen._sieve.cache_info().hits > before  # used, not rebuilt


# -- Pyodide ----------------------------------------------------------------------------------------------------

_PYODIDE_CODE = """
import json
import ecdsa.eddsa
from jwtlens import encode, export, keygen
out = {"shake": ecdsa.eddsa.shake_256.__module__}
for alg in ("ES256", "Ed25519", "Ed448", "HS256"):
    key = keygen.generate(alg)
    made = encode.encode("{}", '{"sub": "pyodide"}', alg, export.export(key, "jwk-oct" if alg == "HS256" else "pkcs8"))
    out[alg] = {"token": made.token, "problems": [p.code for p in made.problems],
                "key": export.export(key, "jwk-oct" if alg == "HS256" else "spki")}
json.dumps(out)
"""


def test_ed448_hashes_through_hashlib() -> None:
    import ecdsa.eddsa

    from jwtlens import ed448_hash

    assert ecdsa.eddsa.shake_256 is ed448_hash.shake_256  # installed by keygen (and encode) on import
    assert ed448_hash.shake_256(b"abc", 114) == hashlib.shake_256(b"abc").digest(114)


def test_keygen_and_signing_in_pyodide() -> None:
    sys.path.insert(0, str(ROOT))
    from tools.pyodide_node import PyodideUnavailable, run_python

    try:
        made = json.loads(run_python(_PYODIDE_CODE, timeout=600))
    except PyodideUnavailable as exc:
        pytest.skip(f"Pyodide is not available here: {exc}")
    assert made.pop("shake") == "jwtlens.ed448_hash"  # Ed448 hashes with hashlib, not ecdsa's Python Keccak
    assert set(made) == {"ES256", "Ed25519", "Ed448", "HS256"}
    for alg, item in made.items():
        assert item["problems"] == [], alg
        key = unb64u(json.loads(item["key"])["k"]) if alg == "HS256" else item["key"]
        assert ORACLE.decode(item["token"], key, algorithms=[alg]) == {"sub": "pyodide"}, alg


def test_ecdsa_ed448_hashes_through_hashlib() -> None:
    """ed448_hash's adaptation of ecdsa is in place (keys/model.py installs it) and ecdsa still calls it."""
    from ecdsa import eddsa

    from jwtlens import ed448_hash, keys  # noqa: F401 - importing keys installs it

    assert eddsa.shake_256 is ed448_hash.shake_256
    calls = []
    original = ed448_hash.shake_256

    def counting(data: bytes, length: int) -> bytes:
        calls.append(length)
        return original(data, length)

    eddsa.shake_256 = counting
    try:
        keygen.generate("Ed448")
    finally:
        eddsa.shake_256 = original
    assert calls, "ecdsa no longer hashes Ed448 through eddsa.shake_256: ed448_hash.install() does nothing"
