"""AES-CBC with HMAC-SHA2, the authenticated encryption of RFC 7518 5.2 ("A128CBC-HS256", "A192CBC-HS384",
"A256CBC-HS512").

    ciphertext, tag = encrypt("A128CBC-HS256", key, iv, plaintext, aad)
    plaintext = decrypt("A128CBC-HS256", key, iv, ciphertext, tag, aad)

The key is MAC_KEY || ENC_KEY (each half of it, RFC 7518 5.2.2.1); the plaintext is PKCS#7-padded and CBC-encrypted
under ENC_KEY with the 16-byte IV; the tag is the first half of HMAC(MAC_KEY, A || IV || C || AL), AL the length of
A in bits as a 64-bit big-endian number. Decryption checks the tag first (``hmac.compare_digest``) and decrypts only
then: a wrong tag is ``TagMismatch`` whatever the padding, and a bad padding under a good tag is ``PaddingError``
(only a faulty encrypter makes one). Key sizes and hashes come from the ``jwa.ALGS`` rows.

CBC decryption is block-parallel (``AES.decrypt_blocks``, all blocks at once); encryption is a chain, one T-table
block at a time, which the page never needs for tokens it reads. Constant-time behaviour is not a goal (the page
decrypts the user's own tokens in their own tab; no remote attacker times it).
"""

from __future__ import annotations

import hmac
import struct

from jwtlens import jwa
from jwtlens.primitives.aes import AES, BLOCK, xor_bytes
from jwtlens.primitives.errors import InputError, KeySizeError, PaddingError, TagMismatch

ENCS = tuple(a.name for a in jwa.ALGS.values() if a.family == "AES-CBC-HMAC")


def _split(enc: str, key: bytes) -> tuple[bytes, bytes, str]:
    """(MAC key, ENC key, hashlib name) for the enc's row, after checking the key length."""
    row = jwa.get(enc, "jwe-enc")
    if row is None or row.family != "AES-CBC-HMAC" or row.key_bits is None or row.hash_info is None:
        raise InputError(f"{enc!r} is not one of {', '.join(ENCS)}")
    size = row.key_bits // 8
    if len(key) != size:
        raise KeySizeError(f"{enc} takes a {row.key_bits}-bit key ({size} bytes), not {len(key)} bytes")
    return key[: size // 2], key[size // 2 :], row.hash_info.hashlib_name


def _tag(mac_key: bytes, hash_name: str, aad: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    mac = hmac.new(mac_key, aad + iv + ciphertext + struct.pack(">Q", 8 * len(aad)), hash_name).digest()
    return mac[: len(mac_key)]  # T_LEN = half the HMAC output = the MAC key's length (RFC 7518 5.2.3 - 5.2.5)


def _check_iv(iv: bytes) -> None:
    if len(iv) != BLOCK:
        raise InputError(f"the AES-CBC initialization vector is 16 bytes, not {len(iv)}")


def encrypt(enc: str, key: bytes, iv: bytes, plaintext: bytes, aad: bytes = b"") -> tuple[bytes, bytes]:
    """(ciphertext, tag) per RFC 7518 5.2.2.1."""
    mac_key, enc_key, hash_name = _split(enc, key)
    _check_iv(iv)
    pad = BLOCK - len(plaintext) % BLOCK
    padded = plaintext + bytes([pad]) * pad
    words = struct.unpack(f">{len(padded) // 4}I", padded)
    encrypt_words = AES(enc_key).encrypt_words
    c0, c1, c2, c3 = struct.unpack(">4I", iv)
    out: list[int] = []
    for i in range(0, len(words), 4):
        c0, c1, c2, c3 = encrypt_words(c0 ^ words[i], c1 ^ words[i + 1], c2 ^ words[i + 2], c3 ^ words[i + 3])
        out += (c0, c1, c2, c3)
    ciphertext = struct.pack(f">{len(out)}I", *out)
    return ciphertext, _tag(mac_key, hash_name, aad, iv, ciphertext)


def decrypt(enc: str, key: bytes, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes = b"") -> bytes:
    """The plaintext per RFC 7518 5.2.2.2: ``TagMismatch`` before any decryption, then ``PaddingError``."""
    mac_key, enc_key, hash_name = _split(enc, key)
    _check_iv(iv)
    if len(tag) != len(mac_key):
        raise InputError(f"the {enc} authentication tag is {len(mac_key)} bytes, not {len(tag)}")
    if not hmac.compare_digest(_tag(mac_key, hash_name, aad, iv, ciphertext), tag):
        raise TagMismatch()
    if not ciphertext or len(ciphertext) % BLOCK:
        raise InputError(f"an AES-CBC ciphertext is a positive number of 16-byte blocks, not {len(ciphertext)} bytes")
    padded = xor_bytes(AES(enc_key).decrypt_blocks(ciphertext), iv + ciphertext[:-BLOCK])
    pad = padded[-1]
    if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
        raise PaddingError()
    return padded[:-pad]
