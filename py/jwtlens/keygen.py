"""Key generation for every JWS algorithm family, in pure Python (CPython and, unchanged, Pyodide).

* HMAC: a random secret as long as the hash (HS256 32 bytes, HS384 48, HS512 64; RFC 7518 3.2).
* ECDSA (P-256, P-384, P-521, secp256k1) and EdDSA (Ed25519, Ed448): a random scalar or seed, the public point
  through ``ecdsa``.
* RSA 2048/3072/4096: two random probable primes (FIPS 186-5 A.1.3 in spirit): fresh random candidates with the
  top two bits set (so p*q has the full size and p, q > sqrt(2) * 2^(k-1)), p mod e != 1 (gcd(e, p-1) = 1 for the
  prime e = 65537), trial division by small primes as a few gcds with their products, then Miller-Rabin with random
  bases for the rounds of FIPS 186-5 Table B.1; |p - q| > 2^(nlen/2 - 100) and d > 2^(nlen/2).

Randomness comes from ``secrets`` (the OS generator; in Pyodide, the browser's ``crypto.getRandomValues``).

RSA takes long enough that the page must stay responsive: ``generate_steps`` is a generator that yields a
``Progress`` after every Miller-Rabin round (a few ms each) and returns the key, so the page can drive it from
JavaScript a slice at a time; ``generate(..., progress=callback)`` runs it to the end. Every key is returned as a
``keys.LoadedKey`` made by the key box's own JWK reader, which checks what was made (the pair matches, the point is
on the curve) and is what ``algorithms.get(alg).sign`` and ``export`` take.
"""

from __future__ import annotations

import functools
import itertools
import math
import secrets
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import ecdsa

from . import b64url, export, jwa
from .keys import LoadedKey, load_jwk


class KeygenError(ValueError):
    """The algorithm, size or curve asked for cannot be generated; the message says why."""


E = 65537
# FIPS 186-5 Table B.1, Miller-Rabin rounds for the primes of an RSA key by prime size, in the column whose error
# probability (2^-112, 2^-128, 2^-144) matches the security strength of the modulus (2048, 3072, 4096 bits).
MR_ROUNDS = {1024: 5, 1536: 4, 2048: 4}
RSA_SIZES = tuple(2 * bits for bits in MR_ROUNDS)
DEFAULT_RSA_BITS = 2048
# Trial division as gcds with the products of the odd primes below each bound, cheapest first: a candidate that
# fails the first (a 1.4 kbit product) never pays for the larger ones. Three stages up to 2^18 leave about 1 odd
# candidate in 11 for Miller-Rabin; measured in Pyodide they cost 15-20% less per prime than the best single
# product, whose gcd grows with its size while the rounds it saves shrink only with its logarithm.
SIEVE_BOUNDS = (1 << 10, 1 << 14, 1 << 18)


@dataclass(frozen=True)
class KeySpec:
    """What to generate: a key type and its size (bits of the secret, the modulus or the curve)."""

    kty: str  # "oct", "RSA", "EC", "OKP"
    bits: int
    curve: str | None = None

    def describe(self) -> str:
        if self.kty == "oct":
            return f"HMAC secret of {self.bits // 8} bytes"
        if self.kty == "RSA":
            return f"RSA {self.bits}-bit key pair"
        return f"{'EC ' if self.kty == 'EC' else ''}{self.curve} key pair"


def key_spec(alg: str, rsa_bits: int = DEFAULT_RSA_BITS, curve: str | None = None) -> KeySpec:
    """The key an algorithm signs with. ``rsa_bits`` applies to RS*/PS*, ``curve`` to EdDSA (Ed25519 or Ed448;
    other algorithms have one curve, which ``curve`` may repeat)."""
    row = jwa.get(alg, "jws")
    if row is None or row.family == "none":
        raise KeygenError(f"{alg!r} is not a JWS signature algorithm; no key to generate")
    if row.family == "HMAC":
        assert row.hash_info is not None
        return KeySpec("oct", 8 * row.hash_info.size)
    if row.kty == "RSA":
        if rsa_bits not in RSA_SIZES:
            raise KeygenError(f"RSA keys are generated with {', '.join(map(str, RSA_SIZES))} bits, not {rsa_bits}")
        return KeySpec("RSA", rsa_bits)
    crv = curve or row.curves[0]
    if crv not in row.curves:
        raise KeygenError(f"{alg} signs with {' or '.join(row.curves)} keys, not {crv}")
    info = jwa.CURVES[crv]
    return KeySpec(info.kty, info.bits, crv)


# -- progress ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where an RSA key search stands, after one more Miller-Rabin round."""

    bits: int  # modulus size
    found: int  # primes found so far (0 or 1; the key is returned after the second)
    rounds: int  # Miller-Rabin rounds spent on the prime being searched
    candidates: int  # random candidates drawn for it (most are removed by trial division)
    expected_rounds: float  # the mean number of rounds a prime of this size takes

    @property
    def fraction(self) -> float:
        """An estimate in [0, 1): the search time is about exponentially distributed, so this is the chance that
        a search would have finished the current prime by now, never a bar stuck at 99%."""
        return (self.found + 1 - math.exp(-self.rounds / self.expected_rounds)) / 2


@dataclass
class _Search:
    bits: int
    found: int = 0
    rounds: int = 0
    candidates: int = 0
    expected_rounds: float = field(init=False)

    def __post_init__(self) -> None:
        self.expected_rounds = expected_rounds(self.bits // 2)

    def progress(self) -> Progress:
        return Progress(self.bits, self.found, self.rounds, self.candidates, self.expected_rounds)


# -- primes --------------------------------------------------------------------------------------------------


def _odd_primes_below(limit: int) -> list[int]:
    flags = bytearray([1]) * limit
    for i in range(2, math.isqrt(limit - 1) + 1):
        if flags[i]:
            flags[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return list(itertools.compress(range(3, limit), flags[3:]))


def _product(numbers: list[int]) -> int:
    """A product tree: balanced operands let CPython's Karatsuba work, unlike a left-to-right math.prod."""
    while len(numbers) > 1:
        numbers = [math.prod(numbers[i : i + 2]) for i in range(0, len(numbers), 2)]
    return numbers[0] if numbers else 1


@functools.cache
def _sieve() -> tuple[tuple[int, ...], float]:
    """The products of each trial-division stage, and the share of odd numbers that survive all of them."""
    primes = _odd_primes_below(SIEVE_BOUNDS[-1])
    stages, low = [], 3
    for bound in SIEVE_BOUNDS:
        stages.append(_product([p for p in primes if low <= p < bound]))
        low = bound
    survive = math.prod(1 - 1 / p for p in primes)
    return tuple(stages), survive


def warm_up() -> None:
    """Build the one-time tables now (for a snapshot, or while the page is idle): RSA's small-prime products, and
    each signature curve's table of generator multiples, which ``ecdsa`` otherwise builds on the curve's first key
    or signature (a few hundred ms per curve in Pyodide; bench/sign.py "first")."""
    _sieve()
    for curve in jwa.CURVES.values():
        if curve.use == "sig":
            curve.ecdsa_curve.generator * 2  # noqa: B018 - the product is not needed, the table it leaves is


def expected_rounds(bits: int) -> float:
    """Mean Miller-Rabin rounds to find a ``bits``-bit prime: one per sieved composite, then all rounds for the
    prime. Primes near 2^bits are 1 in ln(2^bits); odd numbers past the sieve are 2/survive times richer."""
    survive = _sieve()[1]
    return math.log(2) * bits / 2 * survive + MR_ROUNDS.get(bits, 1) - 1


def _miller_rabin_round(n: int, d: int, s: int) -> bool:
    """One round with a random base: False proves n composite (n - 1 = d * 2^s, d odd)."""
    x = pow(2 + secrets.randbelow(n - 3), d, n)
    if x == 1 or x == n - 1:
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


def _odd_part(n: int) -> tuple[int, int]:
    s = (n & -n).bit_length() - 1
    return n >> s, s


def is_probable_prime(n: int, rounds: int) -> bool:
    """Miller-Rabin with ``rounds`` random bases after trial division (for n > 3)."""
    if n < 5 or n % 2 == 0:
        return n in (2, 3)
    if any(math.gcd(n, stage) not in (1, n) for stage in _sieve()[0]):
        return False
    d, s = _odd_part(n - 1)
    return all(_miller_rabin_round(n, d, s) for _ in range(rounds))


def _prime_steps(search: _Search) -> Generator[Progress, None, int]:
    bits = search.bits // 2
    rounds = MR_ROUNDS[bits]
    top = 3 << (bits - 2)
    stages = _sieve()[0]
    search.rounds = search.candidates = 0
    while True:
        candidate = secrets.randbits(bits) | top | 1
        search.candidates += 1
        if candidate % E == 1 or any(math.gcd(candidate, stage) != 1 for stage in stages):
            continue
        d, s = _odd_part(candidate - 1)
        for _ in range(rounds):
            search.rounds += 1
            passed = _miller_rabin_round(candidate, d, s)
            yield search.progress()
            if not passed:
                break
        else:
            search.found += 1
            return candidate


def rsa_steps(bits: int = DEFAULT_RSA_BITS) -> Generator[Progress, None, LoadedKey]:
    """Generate an RSA key with e = 65537, yielding after every Miller-Rabin round; returns the key."""
    if bits not in RSA_SIZES:
        raise KeygenError(f"RSA keys are generated with {', '.join(map(str, RSA_SIZES))} bits, not {bits}")
    half = bits // 2
    search = _Search(bits)
    while True:
        search.found = 0
        p = yield from _prime_steps(search)
        q = yield from _prime_steps(search)
        if abs(p - q) <= 1 << (half - 100):  # FIPS 186-5 A.1.3: else n is open to Fermat factoring
            continue
        d = pow(E, -1, math.lcm(p - 1, q - 1))
        if d > 1 << half:  # FIPS 186-5 A.1.1: a small d would be open to Wiener-style attacks
            return _loaded(export.rsa_jwk_members(p * q, E, d, max(p, q), min(p, q)))


# -- keys ----------------------------------------------------------------------------------------------------


def _loaded(jwk: dict[str, str]) -> LoadedKey:
    key = load_jwk(jwk, "generated")  # the key box's reader checks the pair, the point and the sizes
    key.warnings.clear()  # its "a private key was pasted" note does not apply to a key made here
    return key


def generate_secret(size: int) -> LoadedKey:
    """An HMAC secret of ``size`` random bytes."""
    if size < 1:
        raise KeygenError("an HMAC secret needs at least one byte")
    return _loaded({"kty": "oct", "k": b64url.encode(secrets.token_bytes(size))})


def generate_curve_key(crv: str) -> LoadedKey:
    """An EC (P-256, P-384, P-521, secp256k1) or EdDSA (Ed25519, Ed448) key pair."""
    curve = jwa.CURVES.get(crv)
    if curve is None or curve.use != "sig":
        names = ", ".join(c.name for c in jwa.CURVES.values() if c.use == "sig")
        raise KeygenError(f"{crv!r} is not a signature curve ({names})")
    if curve.kty == "EC":
        d = 1 + secrets.randbelow(curve.ecdsa_curve.order - 1)
        point = curve.ecdsa_curve.generator * d
        return _loaded(export.ec_jwk_members(crv, point.x(), point.y(), d))
    seed = secrets.token_bytes(curve.size)  # RFC 8032: the private key is a random string of b bits
    public = ecdsa.SigningKey.from_string(seed, curve=curve.ecdsa_curve).verifying_key.to_string()
    return _loaded(export.okp_jwk_members(crv, public, seed))


def generate_steps(alg: str, rsa_bits: int = DEFAULT_RSA_BITS,
                   curve: str | None = None) -> Generator[Progress, None, LoadedKey]:
    """A key for ``alg`` (see ``key_spec``); yields ``Progress`` while an RSA key is searched, returns the key.

    From JavaScript (Pyodide): ``const it = keygen.generate_steps("RS256"); let r; while (!(r = it.next()).done)
    { show(r.value.fraction); await tick(); } const key = r.value;``
    """
    spec = key_spec(alg, rsa_bits, curve)
    if spec.kty == "RSA":
        return (yield from rsa_steps(spec.bits))
    if spec.kty == "oct":
        return generate_secret(spec.bits // 8)
    assert spec.curve is not None
    return generate_curve_key(spec.curve)


def run(steps: Generator[Progress, None, LoadedKey], progress: Callable[[Progress], object] | None = None) -> LoadedKey:
    """Drive a ``generate_steps``/``rsa_steps`` generator to its key, calling ``progress`` on each step."""
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            return done.value
        if progress is not None:
            progress(step)


def generate(alg: str, rsa_bits: int = DEFAULT_RSA_BITS, curve: str | None = None,
             progress: Callable[[Progress], object] | None = None) -> LoadedKey:
    """A key for ``alg``, at once (with an optional progress callback for RSA)."""
    return run(generate_steps(alg, rsa_bits, curve), progress)
