"""AES Key Wrap (RFC 3394 section 2.2, the index-based form) with the default initial value A6A6A6A6A6A6A6A6, as
JWE's "A128KW", "A192KW", "A256KW" use it (RFC 7518 4.4), and after ECDH-ES and PBES2 key derivation.

    wrapped = wrap(kek, key)        # len(key) a multiple of 8, at least 16
    key = unwrap(kek, wrapped)      # IntegrityError when the check value does not come out

Each step is one AES block on four 32-bit words (``AES.encrypt_words``), so nothing is sliced or joined inside the
6n steps. Constant-time behaviour is not a goal (the page decrypts the user's own tokens in their own tab); the
check value is compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hmac
import struct

from jwtlens.primitives.aes import AES
from jwtlens.primitives.errors import InputError, IntegrityError

DEFAULT_IV = bytes.fromhex("A6A6A6A6A6A6A6A6")  # RFC 3394 2.2.3.1


def _halves(data: bytes) -> list[tuple[int, int]]:
    words = struct.unpack(f">{len(data) // 4}I", data)
    return [(words[i], words[i + 1]) for i in range(0, len(words), 2)]


def _join(a: int, r: list[tuple[int, int]]) -> bytes:
    return a.to_bytes(8, "big") + b"".join(struct.pack(">2I", *x) for x in r)


def wrap(kek: bytes, key: bytes) -> bytes:
    """RFC 3394 2.2.1: the key to wrap (n >= 2 64-bit blocks) under the key-encryption key; n + 1 blocks out."""
    if len(key) % 8 or len(key) < 16:
        raise InputError(f"AES key wrap takes a key of 16 bytes or more in 8-byte steps, not {len(key)} bytes")
    enc = AES(kek).encrypt_words
    r, n = _halves(key), len(key) // 8
    a = int.from_bytes(DEFAULT_IV, "big")
    for j in range(6):
        for i in range(n):
            b0, b1, b2, b3 = enc(a >> 32, a & 0xFFFFFFFF, *r[i])
            a, r[i] = ((b0 << 32) | b1) ^ (n * j + i + 1), (b2, b3)
    return _join(a, r)


def unwrap(kek: bytes, wrapped: bytes) -> bytes:
    """RFC 3394 2.2.2: the unwrapped key, or ``IntegrityError`` when the initial value does not come back."""
    if len(wrapped) % 8 or len(wrapped) < 24:
        raise InputError(f"an AES-wrapped key is 24 bytes or more in 8-byte steps, not {len(wrapped)} bytes")
    dec = AES(kek).decrypt_words
    a, r = int.from_bytes(wrapped[:8], "big"), _halves(wrapped[8:])
    n = len(r)
    for j in range(5, -1, -1):
        for i in range(n - 1, -1, -1):
            a ^= n * j + i + 1
            b0, b1, b2, b3 = dec(a >> 32, a & 0xFFFFFFFF, *r[i])
            a, r[i] = (b0 << 32) | b1, (b2, b3)
    out = _join(a, r)
    if not hmac.compare_digest(out[:8], DEFAULT_IV):
        raise IntegrityError()
    return out[8:]
