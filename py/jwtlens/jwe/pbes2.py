"""PBES2 key derivation for the page and the command line (RFC 7518 4.8).

PBKDF2 with p2c iterations is the whole cost of a PBES2 token: about 5 microseconds an iteration in Pyodide, which
has no OpenSSL (600,000 iterations: about 3 s), and a fraction of that in CPython with ``hashlib.pbkdf2_hmac``.
The command line derives the key at once (``derive``). The page must not block for seconds, so it runs
``Pbes2Derivation.step`` in slices between frames and shows ``progress``; the derived key is remembered (``cache``,
a few entries, keyed by a hash of the password), and the next ``inspect`` decrypts at once.

    derivation = Pbes2Derivation("PBES2-HS256+A128KW", password, p2s, p2c)
    while not derivation.step(20_000): ...            # yield to the browser between steps
    # derivation.key is now in the cache

Counts above ``jwa.PBES2_MAX_ITERATIONS`` never get here: the header reader refuses them before any work.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from ..primitives import kdf

CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, bytes, bytes, int], bytes] = OrderedDict()


def _cache_key(alg: str, password: bytes, p2s: bytes, p2c: int) -> tuple[str, bytes, bytes, int]:
    return alg, hashlib.sha256(password).digest(), p2s, p2c


def cached(alg: str, password: bytes, p2s: bytes, p2c: int) -> bytes | None:
    return _cache.get(_cache_key(alg, password, p2s, p2c))


def remember(alg: str, password: bytes, p2s: bytes, p2c: int, kek: bytes) -> None:
    key = _cache_key(alg, password, p2s, p2c)
    _cache[key] = kek
    _cache.move_to_end(key)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


def derive(alg: str, password: bytes, p2s: bytes, p2c: int) -> bytes:
    """The key-encryption key at once (from the cache when it was derived before)."""
    kek = cached(alg, password, p2s, p2c)
    if kek is None:
        kek = kdf.pbes2_key(alg, password, p2s, p2c)
        remember(alg, password, p2s, p2c, kek)
    return kek


class Pbes2Derivation:
    """PBES2's PBKDF2 in slices: ``step(n)`` runs at most n iterations and returns True when the key is ready (and
    cached); ``progress`` is 0.0 to 1.0."""

    def __init__(self, alg: str, password: bytes, p2s: bytes, p2c: int) -> None:
        self.alg, self.password, self.p2s, self.p2c = alg, password, p2s, p2c
        name, salt, dklen = kdf.pbes2_parameters(alg, p2s, p2c)
        self.key: bytes | None = cached(alg, password, p2s, p2c)
        self._steps = kdf.PBKDF2(name, password, salt, p2c, dklen) if self.key is None else None

    @property
    def done(self) -> bool:
        return self.key is not None

    @property
    def progress(self) -> float:
        return 1.0 if self._steps is None else self._steps.progress

    def step(self, max_iterations: int = 20_000) -> bool:
        if self.key is None and self._steps is not None and self._steps.step(max(1, max_iterations)):
            self.key = self._steps.key
            assert self.key is not None
            remember(self.alg, self.password, self.p2s, self.p2c, self.key)
        return self.key is not None
