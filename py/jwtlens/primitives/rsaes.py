"""RSA encryption as JWE uses it (RFC 7518 4.2, 4.3): RSAES-OAEP (RFC 8017 7.1) with SHA-1, SHA-256, SHA-384 or
SHA-512, MGF1 over the same hash and the empty label; and RSAES-PKCS1-v1_5 (RFC 8017 7.2).

    encrypted = encrypt_oaep(public, "SHA-256", cek)
    cek = decrypt_oaep(private, "SHA-256", encrypted)          # DecryptionError, one message for every cause
    cek = decrypt_pkcs1v15_cek(private, encrypted, 16)         # RSA1_5 in JWE: never raises on bad padding

RSA1_5 and padding oracles: a JWE decrypter that answers differently for "bad padding" and "bad tag" lets an
attacker decrypt RSA1_5 keys (Bleichenbacher 1998). RFC 7516 11.5 and RFC 3218 2.3.2 prescribe: when the padding is
wrong (or the key has the wrong length), carry on with a random CEK, so the content decryption then fails with the
same tag error as any altered token. ``decrypt_pkcs1v15_cek`` does exactly that; use it for RSA1_5.
``decrypt_pkcs1v15`` (None on bad padding) is for callers that report the difference on purpose, e.g. a diagnosis
of the user's own token with the user's own key, where there is no oracle to protect.

Keys are ``jwtlens.rsa.RSAPublicKey`` / ``RSAPrivateKey`` (CRT decryption). Constant-time behaviour is not a goal
(the page decrypts the user's own tokens in their own tab; no remote attacker times it); comparisons of the label
hash use ``hmac.compare_digest``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct

from jwtlens import jwa
from jwtlens.primitives.errors import DecryptionError, InputError
from jwtlens.rsa import RSAPrivateKey, RSAPublicKey

# The OAEP hashes, from the RSA-OAEP* rows. SHA-1 (plain "RSA-OAEP") has no jwa.HASHES row because no JWS uses it.
OAEP_HASHES = tuple(sorted({a.hash for a in jwa.ALGS.values() if a.family == "RSAES-OAEP" and a.hash}))
_HASHLIB = {name: jwa.HASHES[name].hashlib_name if name in jwa.HASHES else "sha1" for name in OAEP_HASHES}


def _hash_name(hash_name: str) -> str:
    if hash_name not in _HASHLIB:
        raise InputError(f"RSAES-OAEP takes one of {', '.join(OAEP_HASHES)}, not {hash_name!r}")
    return _HASHLIB[hash_name]


def mgf1(hashlib_name: str, seed: bytes, length: int) -> bytes:
    """MGF1 (RFC 8017 B.2.1) over any hashlib hash: T = H(seed || 0) || H(seed || 1) || ..., cut to length.
    (``jwtlens.rsa.mgf1`` knows SHA-2 only; RSA-OAEP needs SHA-1 too.)"""
    h_len = hashlib.new(hashlib_name).digest_size
    return b"".join(hashlib.new(hashlib_name, seed + struct.pack(">I", i)).digest()
                    for i in range(-(-length // h_len)))[:length]


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _public_op(key: RSAPublicKey, em: bytes) -> bytes:
    return pow(int.from_bytes(em, "big"), key.e, key.n).to_bytes(key.size, "big")


def _private_op(key: RSAPrivateKey, ciphertext: bytes, what: str) -> bytes:
    """c^d mod n as k bytes; the ciphertext length and range are public facts, checked first."""
    k = key.public.size
    if len(ciphertext) != k:
        raise InputError(f"the {what} ciphertext is {len(ciphertext)} bytes; this {key.public.bits}-bit key "
                         f"needs exactly {k}")
    c = int.from_bytes(ciphertext, "big")
    if c >= key.public.n:
        raise DecryptionError()
    return key._decrypt(c).to_bytes(k, "big")


def encrypt_oaep(key: RSAPublicKey, hash_name: str, message: bytes, seed: bytes | None = None) -> bytes:
    """RSAES-OAEP-ENCRYPT (RFC 8017 7.1.1), empty label. ``seed`` only for known-answer tests."""
    name = _hash_name(hash_name)
    h_len, k = hashlib.new(name).digest_size, key.size
    if len(message) > k - 2 * h_len - 2:
        raise InputError(f"RSAES-OAEP with {hash_name} and a {key.bits}-bit key encrypts at most "
                         f"{max(0, k - 2 * h_len - 2)} bytes, not {len(message)}")
    db = hashlib.new(name).digest() + bytes(k - len(message) - 2 * h_len - 2) + b"\x01" + message
    seed = secrets.token_bytes(h_len) if seed is None else seed
    masked_db = _xor(db, mgf1(name, seed, k - h_len - 1))
    return _public_op(key, b"\x00" + _xor(seed, mgf1(name, masked_db, h_len)) + masked_db)


def decrypt_oaep(key: RSAPrivateKey, hash_name: str, ciphertext: bytes) -> bytes:
    """RSAES-OAEP-DECRYPT (RFC 8017 7.1.2), empty label: the message, or ``DecryptionError`` (one for all causes)."""
    name = _hash_name(hash_name)
    h_len = hashlib.new(name).digest_size
    if key.public.size < 2 * h_len + 2:
        raise InputError(f"a {key.public.bits}-bit key is too small for RSAES-OAEP with {hash_name}")
    em = _private_op(key, ciphertext, "RSAES-OAEP")
    masked_seed, masked_db = em[1 : 1 + h_len], em[1 + h_len :]
    db = _xor(masked_db, mgf1(name, _xor(masked_seed, mgf1(name, masked_db, h_len)), len(masked_db)))
    one = db.find(b"\x01", h_len)
    if (em[0] != 0 or one < 0 or any(db[h_len:one])
            or not hmac.compare_digest(db[:h_len], hashlib.new(name).digest())):
        raise DecryptionError()
    return db[one + 1 :]


def encrypt_pkcs1v15(key: RSAPublicKey, message: bytes) -> bytes:
    """RSAES-PKCS1-V1_5-ENCRYPT (RFC 8017 7.2.1): 00 02 || nonzero random PS (8 or more) || 00 || M."""
    k = key.size
    if len(message) > k - 11:
        raise InputError(f"RSAES-PKCS1-v1_5 with a {key.bits}-bit key encrypts at most {k - 11} bytes, "
                         f"not {len(message)}")
    ps = bytearray()
    while len(ps) < k - len(message) - 3:
        ps += secrets.token_bytes(k - len(message) - 3 - len(ps)).replace(b"\x00", b"")
    return _public_op(key, b"\x00\x02" + bytes(ps) + b"\x00" + message)


def decrypt_pkcs1v15(key: RSAPrivateKey, ciphertext: bytes) -> bytes | None:
    """RSAES-PKCS1-V1_5-DECRYPT (RFC 8017 7.2.2): the message, or None when the padding is wrong.

    None is an oracle if it reaches an attacker: for JWE RSA1_5, call ``decrypt_pkcs1v15_cek`` instead."""
    try:
        em = _private_op(key, ciphertext, "RSAES-PKCS1-v1_5")
    except DecryptionError:
        return None
    zero = em.find(b"\x00", 2)
    if em[:2] != b"\x00\x02" or zero < 10:  # at least 8 bytes of PS (RFC 8017 7.2.2 step 3)
        return None
    return em[zero + 1 :]


def decrypt_pkcs1v15_cek(key: RSAPrivateKey, ciphertext: bytes, cek_bytes: int) -> bytes:
    """JWE RSA1_5 (RFC 7516 11.5, RFC 3218 2.3.2): the decrypted CEK when the padding is right and it is
    ``cek_bytes`` long, else a random CEK of that length, so that the caller's content decryption fails with the
    same ``TagMismatch`` as any other alteration. Never raises for a bad padding. (A ciphertext of the wrong length
    still raises ``InputError``: its length is visible to anyone and tells nothing.)"""
    random_cek = secrets.token_bytes(cek_bytes)  # drawn before decrypting, whatever the outcome
    message = decrypt_pkcs1v15(key, ciphertext)
    return message if message is not None and len(message) == cek_bytes else random_cek
