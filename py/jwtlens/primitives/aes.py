"""The AES block cipher (FIPS-197), 128-, 192- and 256-bit keys, in pure Python: T-tables over Python ints for one
block, byte-sliced operations on the whole buffer for many blocks at once.

Why our own and not PyPI's ``pyaes`` 1.6.1 (2017, the only established pure-Python AES): it has no wheel on PyPI
(``pip download --only-binary=:all: pyaes==1.6.1`` finds nothing; sdist only), and ``build.py`` bundles pure-Python
wheels only; the re-uploaded "wheel'ed copies" under other names are not its author's. And it is slower. Measured on
this project's 2-core machine while it was otherwise idle (median of 7, microseconds per 16-byte block):

    ===========================  =========  =========
    one block                     CPython    Pyodide
    ===========================  =========  =========
    pyaes 1.6.1 encrypt             48.0       67.9
    pyaes 1.6.1 decrypt             31.2      112.6
    ours (T-tables) encrypt         23.3       47.7
    ours (T-tables) decrypt         22.9       76.8
    ours, 4096 blocks at once        3.1        6.8   (64 KB in 12.5 / 28 ms; decryption 17.5 / 38 ms)
    ===========================  =========  =========

``bench/primitives.py --pyaes DIR`` repeats the comparison.

One block (``encrypt_block``, ``encrypt_words``; what key wrap and CBC encryption need, block after block): the state
is four 32-bit words; each round of each word is four table look-ups (SubBytes, ShiftRows and MixColumns folded into
``_TE0.._TE3``, Daemen and Rijmen's "T-table" form) and four XORs. Decryption is the equivalent inverse cipher
(FIPS-197 5.3.5) with ``_TD0.._TD3``, through the same round function. The tables are computed at import from the
field arithmetic, not pasted.

Many blocks (``encrypt_blocks``, ``decrypt_blocks``, ``keystream``; counter mode and CBC decryption are
block-parallel): the whole buffer is one bytes object or one Python int, and each AES step is a few C-speed
operations on all of it: SubBytes one ``bytes.translate``, ShiftRows 16 strided slices, MixColumns shifts and masks
within the 4-byte columns plus one ``translate`` for the doubling, AddRoundKey one XOR with the round key repeated.
About 20 such operations a round whatever the number of blocks, which is what makes 64 KB affordable in the page.

Constant-time behaviour is not a goal: the page decrypts the user's own tokens in their own tab, and no remote
attacker times it. Table look-ups leak through caches; that does not matter here.
"""

from __future__ import annotations

import functools
import struct

from jwtlens.primitives.errors import InputError, KeySizeError

BLOCK = 16
_ROUNDS = {16: 10, 24: 12, 32: 14}  # FIPS-197 table 4: Nr by key length (Nk = 4, 6, 8 words)


def _xtime(a: int) -> int:
    a <<= 1
    return a ^ 0x11B if a & 0x100 else a


def _log_exp() -> tuple[list[int], list[int]]:
    """Logarithms and powers of the generator 3 in GF(2^8) mod x^8 + x^4 + x^3 + x + 1 (FIPS-197 4.2)."""
    log, exp = [0] * 256, [0] * 510
    x = 1
    for i in range(255):
        exp[i] = exp[i + 255] = x
        log[x] = i
        x ^= _xtime(x)
    return log, exp


_LOG, _EXP = _log_exp()


def _mul(a: int, b: int) -> int:
    return _EXP[_LOG[a] + _LOG[b]] if a and b else 0


def _sbox() -> list[int]:
    """FIPS-197 5.1.1: the multiplicative inverse in GF(2^8) (0 for 0), then the affine map."""
    box = []
    for a in range(256):
        x = _EXP[255 - _LOG[a]] if a else 0
        s = x
        for shift in (1, 2, 3, 4):
            s ^= ((x << shift) | (x >> (8 - shift))) & 0xFF
        box.append(s ^ 0x63)
    return box


def _ror8(w: int) -> int:
    return ((w >> 8) | (w << 24)) & 0xFFFFFFFF


def _tables(box: list[int], coefs: tuple[int, int, int, int]) -> tuple[list[int], ...]:
    """T0[x] = the MixColumns (or InvMixColumns) column of box[x]; T1..T3 are T0 rotated one byte further each."""
    t0 = [(_mul(s, coefs[0]) << 24) | (_mul(s, coefs[1]) << 16) | (_mul(s, coefs[2]) << 8) | _mul(s, coefs[3])
          for s in box]
    t1 = [_ror8(w) for w in t0]
    t2 = [_ror8(w) for w in t1]
    return t0, t1, t2, [_ror8(w) for w in t2]


SBOX = _sbox()
INV_SBOX = [0] * 256
for _i, _s in enumerate(SBOX):
    INV_SBOX[_s] = _i
_TE0, _TE1, _TE2, _TE3 = _tables(SBOX, (2, 1, 1, 3))
_TD0, _TD1, _TD2, _TD3 = _tables(INV_SBOX, (14, 9, 13, 11))
# The last round (no MixColumns): the S-box byte already in place in its word.
_S24, _S16, _S8, _S0 = ([s << k for s in SBOX] for k in (24, 16, 8, 0))
_I24, _I16, _I8, _I0 = ([s << k for s in INV_SBOX] for k in (24, 16, 8, 0))


def _sub_word(w: int) -> int:
    return (SBOX[w >> 24] << 24) | (SBOX[(w >> 16) & 255] << 16) | (SBOX[(w >> 8) & 255] << 8) | SBOX[w & 255]


def _expand(key: bytes) -> list[int]:
    """FIPS-197 5.2 KeyExpansion: 4 * (Nr + 1) words."""
    nk, nr = len(key) // 4, _ROUNDS[len(key)]
    w = list(struct.unpack(f">{nk}I", key))
    rcon = 1
    for i in range(nk, 4 * (nr + 1)):
        t = w[i - 1]
        if i % nk == 0:
            t = _sub_word(((t << 8) | (t >> 24)) & 0xFFFFFFFF) ^ (rcon << 24)
            rcon = _xtime(rcon)
        elif nk > 6 and i % nk == 4:
            t = _sub_word(t)
        w.append(w[i - nk] ^ t)
    return w


def _inv_mix(w: int) -> int:
    """InvMixColumns of one round-key word (FIPS-197 5.3.5), through the decryption tables: Td[S[b]]."""
    return _TD0[SBOX[w >> 24]] ^ _TD1[SBOX[(w >> 16) & 255]] ^ _TD2[SBOX[(w >> 8) & 255]] ^ _TD3[SBOX[w & 255]]


_ENC_TABLES = (_TE0, _TE1, _TE2, _TE3, _S24, _S16, _S8, _S0)
_DEC_TABLES = (_TD0, _TD1, _TD2, _TD3, _I24, _I16, _I8, _I0)


def _rounds(k: list[int], rounds: int, tables: tuple[list[int], ...], s0: int, s1: int, s2: int, s3: int
            ) -> tuple[int, int, int, int]:
    """All rounds on four words: word i of a round takes byte 0 of word i, byte 1 of word i+1, byte 2 of word i+2,
    byte 3 of word i+3 (ShiftRows). The equivalent inverse cipher takes i, i-1, i-2, i-3 (InvShiftRows), which is
    the same pattern on the words in the order 0, 3, 2, 1: so one function serves both directions."""
    t0, t1, t2, t3, l24, l16, l8, l0 = tables
    s0 ^= k[0]
    s1 ^= k[1]
    s2 ^= k[2]
    s3 ^= k[3]
    for i in range(4, 4 * rounds, 4):
        s0, s1, s2, s3 = (
            t0[s0 >> 24] ^ t1[(s1 >> 16) & 255] ^ t2[(s2 >> 8) & 255] ^ t3[s3 & 255] ^ k[i],
            t0[s1 >> 24] ^ t1[(s2 >> 16) & 255] ^ t2[(s3 >> 8) & 255] ^ t3[s0 & 255] ^ k[i + 1],
            t0[s2 >> 24] ^ t1[(s3 >> 16) & 255] ^ t2[(s0 >> 8) & 255] ^ t3[s1 & 255] ^ k[i + 2],
            t0[s3 >> 24] ^ t1[(s0 >> 16) & 255] ^ t2[(s1 >> 8) & 255] ^ t3[s2 & 255] ^ k[i + 3],
        )
    i = 4 * rounds
    return (
        l24[s0 >> 24] ^ l16[(s1 >> 16) & 255] ^ l8[(s2 >> 8) & 255] ^ l0[s3 & 255] ^ k[i],
        l24[s1 >> 24] ^ l16[(s2 >> 16) & 255] ^ l8[(s3 >> 8) & 255] ^ l0[s0 & 255] ^ k[i + 1],
        l24[s2 >> 24] ^ l16[(s3 >> 16) & 255] ^ l8[(s0 >> 8) & 255] ^ l0[s1 & 255] ^ k[i + 2],
        l24[s3 >> 24] ^ l16[(s0 >> 16) & 255] ^ l8[(s1 >> 8) & 255] ^ l0[s2 & 255] ^ k[i + 3],
    )


class AES:
    """An expanded AES key: ``AES(key).encrypt_block(block)``; 16, 24 or 32 key bytes."""

    __slots__ = ("key_bits", "rounds", "_ek", "_dk")

    def __init__(self, key: bytes) -> None:
        if len(key) not in _ROUNDS:
            raise KeySizeError(f"an AES key is 16, 24 or 32 bytes (128, 192 or 256 bits), not {len(key)} bytes")
        self.key_bits, self.rounds = 8 * len(key), _ROUNDS[len(key)]
        ek = _expand(bytes(key))
        # Equivalent inverse cipher: round keys in reverse order, InvMixColumns applied to all but first and last.
        nr = self.rounds
        dk = ek[4 * nr : 4 * nr + 4]
        for r in range(nr - 1, 0, -1):
            dk += [_inv_mix(w) for w in ek[4 * r : 4 * r + 4]]
        dk += ek[:4]
        # decrypt_words runs the state in word order 0, 3, 2, 1: the round keys too.
        self._ek, self._dk = ek, [dk[i + j] for i in range(0, len(dk), 4) for j in (0, 3, 2, 1)]

    def encrypt_words(self, s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
        """One block as four big-endian 32-bit words."""
        return _rounds(self._ek, self.rounds, _ENC_TABLES, s0, s1, s2, s3)

    def decrypt_words(self, s0: int, s1: int, s2: int, s3: int) -> tuple[int, int, int, int]:
        """The inverse of ``encrypt_words``: the same rounds on the words in the order 0, 3, 2, 1 (see ``_rounds``)."""
        o0, o3, o2, o1 = _rounds(self._dk, self.rounds, _DEC_TABLES, s0, s3, s2, s1)
        return o0, o1, o2, o3

    def encrypt_block(self, block: bytes) -> bytes:
        return struct.pack(">4I", *self.encrypt_words(*_words(block)))

    def decrypt_block(self, block: bytes) -> bytes:
        return struct.pack(">4I", *self.decrypt_words(*_words(block)))

    def encrypt_blocks(self, data: bytes) -> bytes:
        """ECB encryption of whole blocks: the block-parallel core of counter mode."""
        n = _whole_blocks(data)
        if n < _BULK_MIN:
            return b"".join(self.encrypt_block(data[i : i + BLOCK]) for i in range(0, len(data), BLOCK))
        return _bulk_encrypt(self._ek, self.rounds, data)

    def decrypt_blocks(self, data: bytes) -> bytes:
        """ECB decryption of whole blocks: the block-parallel half of CBC decryption."""
        n = _whole_blocks(data)
        if n < _BULK_MIN:
            return b"".join(self.decrypt_block(data[i : i + BLOCK]) for i in range(0, len(data), BLOCK))
        return _bulk_decrypt(self._ek, self.rounds, data)

    def keystream(self, prefix: bytes, counter: int, nbytes: int) -> bytes:
        """Counter mode with a 96-bit prefix and a 32-bit big-endian counter that wraps (NIST SP 800-38D inc32):
        E(prefix || counter) || E(prefix || counter + 1) || ..., cut to ``nbytes``."""
        if len(prefix) != 12:
            raise InputError(f"the counter prefix is 12 bytes, not {len(prefix)}")
        n = -(-nbytes // BLOCK)
        counters = struct.pack(f">{n}I", *((c & 0xFFFFFFFF) for c in range(counter, counter + n)))
        blocks = bytearray((prefix + b"\0\0\0\0") * n)
        for i in range(4):
            blocks[12 + i :: BLOCK] = counters[i::4]
        return self.encrypt_blocks(bytes(blocks))[:nbytes]


# -- many blocks at once -----------------------------------------------------------------------------------------
# For n blocks, the whole buffer is one Python int (big-endian) or one bytes object, and each AES step is a few
# operations on all of it at C speed: SubBytes is ``bytes.translate`` with the S-box, ShiftRows a byte permutation by
# strided slices, MixColumns shifts and masks within each 4-byte column plus one ``translate`` for the doubling in
# GF(2^8), AddRoundKey one XOR with the round key repeated n times. About 20 such operations a round, whatever n.

_BULK_MIN = 8  # below this many blocks, the per-block T-table code is faster
_SR = [r + 4 * ((c + r) % 4) for c in range(4) for r in range(4)]  # ShiftRows: byte r + 4c takes byte _SR[r + 4c]
_INV_SR = [_SR.index(p) for p in range(16)]
_SBOX_T, _INV_SBOX_T = bytes(SBOX), bytes(INV_SBOX)
_TIMES2, _TIMES4 = bytes(_mul(x, 2) for x in range(256)), bytes(_mul(x, 4) for x in range(256))


def _permute(data: bytes, perm: list[int]) -> bytearray:
    out = bytearray(len(data))
    for p, q in enumerate(perm):
        out[p::BLOCK] = data[q::BLOCK]
    return out


@functools.lru_cache(maxsize=8)
def _column_masks(n: int) -> tuple[int, int, int, int]:
    """Masks over n blocks of the bytes in rows {0,1,2}, {3}, {0,1}, {2,3} of each column."""
    def mask(rows: set[int]) -> int:
        return int.from_bytes(bytes(0xFF if i % 4 in rows else 0 for i in range(BLOCK)) * n, "big")

    return mask({0, 1, 2}), mask({3}), mask({0, 1}), mask({2, 3})


def _mix_columns(a: int, size: int, masks: tuple[int, int, int, int]) -> int:
    """MixColumns on every column: out_r = 2(a_r + a_r+1) + a_r+1 + (a_r+2 + a_r+3), indices mod 4 in the column."""
    m012, m3, m01, m23 = masks
    r1 = ((a << 8) & m012) | ((a >> 24) & m3)  # byte r of each column takes byte r + 1
    b = a ^ r1
    doubled = int.from_bytes(b.to_bytes(size, "big").translate(_TIMES2), "big")
    return doubled ^ r1 ^ ((b << 16) & m01) ^ ((b >> 16) & m23)


def _bulk_keys(ek: list[int], n: int) -> list[int]:
    return [int.from_bytes(struct.pack(">4I", *ek[i : i + 4]) * n, "big") for i in range(0, len(ek), 4)]


def _bulk_encrypt(ek: list[int], rounds: int, data: bytes) -> bytes:
    size = len(data)
    masks, keys = _column_masks(size // BLOCK), _bulk_keys(ek, size // BLOCK)
    x = int.from_bytes(data, "big") ^ keys[0]
    for r in range(1, rounds + 1):
        t = int.from_bytes(_permute(x.to_bytes(size, "big").translate(_SBOX_T), _SR), "big")
        x = (_mix_columns(t, size, masks) if r < rounds else t) ^ keys[r]
    return x.to_bytes(size, "big")


def _bulk_decrypt(ek: list[int], rounds: int, data: bytes) -> bytes:
    """The inverse cipher (FIPS-197 5.3), round keys as in encryption."""
    size = len(data)
    masks, keys = _column_masks(size // BLOCK), _bulk_keys(ek, size // BLOCK)
    x = int.from_bytes(data, "big") ^ keys[rounds]
    for r in range(rounds - 1, -1, -1):
        a = int.from_bytes(_permute(x.to_bytes(size, "big"), _INV_SR).translate(_INV_SBOX_T), "big") ^ keys[r]
        x = _inv_mix_columns(a, size, masks) if r else a
    return x.to_bytes(size, "big")


def _inv_mix_columns(a: int, size: int, masks: tuple[int, int, int, int]) -> int:
    """InvMixColumns = MixColumns after a_r += 4 (a_r + a_r+2): the inverse polynomial is a(x) (4x^2 + 5)."""
    c = a ^ ((a << 16) & masks[2]) ^ ((a >> 16) & masks[3])
    return _mix_columns(a ^ int.from_bytes(c.to_bytes(size, "big").translate(_TIMES4), "big"), size, masks)


def _words(block: bytes) -> tuple[int, ...]:
    if len(block) != BLOCK:
        raise InputError(f"an AES block is 16 bytes, not {len(block)}")
    return struct.unpack(">4I", block)


def _whole_blocks(data: bytes) -> int:
    if len(data) % BLOCK:
        raise InputError(f"{len(data)} bytes is not a whole number of 16-byte AES blocks")
    return len(data) // BLOCK


def xor_bytes(a: bytes, b: bytes) -> bytes:
    """a XOR b, for equal lengths, as one big-integer operation (much faster than per byte)."""
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")
