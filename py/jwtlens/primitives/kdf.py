"""Key derivation for JWE: the Concat KDF of ECDH-ES (NIST SP 800-56A rev. 2 5.8.1, single-step with SHA-256, as
RFC 7518 4.6.2 uses it) and PBES2's PBKDF2 (RFC 8018 5.2, with the salt RFC 7518 4.8.1.1 defines).

    key = ecdh_es_key(z, "A128GCM", 128, apu=b"", apv=b"")          # or alg "ECDH-ES+A128KW" and its key size
    kek = pbes2_key("PBES2-HS256+A128KW", password, p2s, p2c)

PBKDF2 is ``hashlib.pbkdf2_hmac`` where the interpreter has it (CPython, OpenSSL). Pyodide has no OpenSSL and no
``hashlib.pbkdf2_hmac``; there the same RFC 8018 loop runs in Python over ``hmac.digest`` (a one-shot HMAC in C:
HACL* in Python 3.14), about 5 microseconds an iteration in Pyodide, so p2c = 600,000 takes seconds. The JWE layer
should bound p2c before calling (RFC 7518 4.8.1.2 leaves the bound to the application; RFC 8725 3.x warns of
attacker-chosen counts).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import struct

from jwtlens import jwa
from jwtlens.primitives.errors import InputError


def _prefixed(data: bytes) -> bytes:
    """Datalen || Data, the length as a 32-bit big-endian number (RFC 7518 4.6.2)."""
    return struct.pack(">I", len(data)) + data


def concat_kdf(z: bytes, key_bits: int, other_info: bytes, hash_name: str = "SHA-256") -> bytes:
    """SP 800-56A single-step KDF: H(counter || Z || OtherInfo) for counter = 1, 2, ..., cut to key_bits."""
    if key_bits <= 0 or key_bits % 8:
        raise InputError(f"the derived key length must be a positive number of whole bytes, not {key_bits} bits")
    digest = jwa.HASHES[hash_name]
    rounds = math.ceil(key_bits / (8 * digest.size))
    out = b"".join(digest.digest(struct.pack(">I", i) + z + other_info) for i in range(1, rounds + 1))
    return out[: key_bits // 8]


def ecdh_es_other_info(algorithm_id: str, key_bits: int, apu: bytes = b"", apv: bytes = b"") -> bytes:
    """OtherInfo of RFC 7518 4.6.2: AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (keydatalen in bits);
    AlgorithmID is the "enc" value for direct key agreement, else the "alg" value."""
    return (_prefixed(algorithm_id.encode()) + _prefixed(apu) + _prefixed(apv) + struct.pack(">I", key_bits))


def ecdh_es_key(z: bytes, algorithm_id: str, key_bits: int, apu: bytes = b"", apv: bytes = b"") -> bytes:
    """The ECDH-ES derived key (RFC 7518 4.6.2) from the shared secret Z; apu/apv are the decoded header values."""
    return concat_kdf(z, key_bits, ecdh_es_other_info(algorithm_id, key_bits, apu, apv))


class PBKDF2:
    """RFC 8018 5.2 PBKDF2 with HMAC, in Python, in steps: T_i = U_1 ^ ... ^ U_c, U_1 = PRF(P, S || INT(i)).

    ``step(n)`` runs at most n iterations and says whether the key is complete, so a page can spread the work over
    many short tasks and show ``progress``; ``run()`` does it all at once."""

    def __init__(self, hashlib_name: str, password: bytes, salt: bytes, iterations: int, dklen: int) -> None:
        if iterations < 1 or dklen < 1:
            raise InputError(f"PBKDF2 needs a positive iteration count and key length, not {iterations}, {dklen}")
        self.name, self.password, self.salt = hashlib_name, password, salt
        self.iterations, self.dklen = iterations, dklen
        self.blocks_needed = -(-dklen // hashlib.new(hashlib_name).digest_size)
        self.blocks: list[bytes] = []
        self.done_in_block = 0  # iterations of the current block
        self.u = b""
        self.acc = 0

    @property
    def done(self) -> bool:
        return len(self.blocks) == self.blocks_needed

    @property
    def progress(self) -> float:
        total = self.blocks_needed * self.iterations
        return (len(self.blocks) * self.iterations + self.done_in_block) / total

    @property
    def key(self) -> bytes | None:
        return b"".join(self.blocks)[: self.dklen] if self.done else None

    def step(self, budget: int) -> bool:
        """Run up to ``budget`` iterations; True once the key is complete."""
        password, name = self.password, self.name
        while budget > 0 and not self.done:
            if self.done_in_block == 0:
                self.u = hmac.digest(password, self.salt + struct.pack(">I", len(self.blocks) + 1), name)
                self.acc, self.done_in_block, budget = int.from_bytes(self.u, "big"), 1, budget - 1
            n = min(budget, self.iterations - self.done_in_block)
            u, acc = self.u, self.acc
            for _ in range(n):
                u = hmac.digest(password, u, name)
                acc ^= int.from_bytes(u, "big")
            self.u, self.acc, self.done_in_block, budget = u, acc, self.done_in_block + n, budget - n
            if self.done_in_block == self.iterations:
                self.blocks.append(acc.to_bytes(len(u), "big"))
                self.done_in_block = 0
        return self.done

    def run(self) -> bytes:
        self.step(self.blocks_needed * self.iterations)
        key = self.key
        assert key is not None
        return key


def pbkdf2_python(hashlib_name: str, password: bytes, salt: bytes, iterations: int, dklen: int) -> bytes:
    """PBKDF2 in Python at once (the interpreters without ``hashlib.pbkdf2_hmac``)."""
    return PBKDF2(hashlib_name, password, salt, iterations, dklen).run()


_pbkdf2 = getattr(hashlib, "pbkdf2_hmac", None) or pbkdf2_python


def pbes2_parameters(alg: str, p2s: bytes, p2c: int) -> tuple[str, bytes, int]:
    """(hashlib name, salt, key bytes) of RFC 7518 4.8.1.1: the alg's HMAC hash, UTF8(alg) || 0x00 || p2s, as
    many bytes as the alg's AES key wrap key."""
    row = jwa.get(alg, "jwe-alg")
    if row is None or row.family != "PBES2" or row.hash_info is None or row.key_bits is None:
        names = ", ".join(a.name for a in jwa.ALGS.values() if a.family == "PBES2")
        raise InputError(f"{alg!r} is not one of {names}")
    if not isinstance(p2c, int) or p2c < 1:
        raise InputError(f"the PBES2 iteration count (p2c) must be a positive integer, not {p2c!r}")
    return row.hash_info.hashlib_name, alg.encode() + b"\x00" + p2s, row.key_bits // 8


def pbes2_key(alg: str, password: bytes, p2s: bytes, p2c: int) -> bytes:
    """The PBES2 key-encryption key (RFC 7518 4.8.1.1): PBKDF2 with ``pbes2_parameters``, p2c iterations."""
    name, salt, dklen = pbes2_parameters(alg, p2s, p2c)
    return _pbkdf2(name, password, salt, p2c, dklen)
