"""The JWE primitives (py/jwtlens/primitives): specification vectors, round trips at odd lengths, tampering, and
differential tests against ``cryptography`` (a test-only oracle), plus a smoke run inside Pyodide.

    PYTHONPATH=py .venv/bin/python -m pytest tests/test_primitives.py -q
    JWTLENS_SLOW=1 ...   # also RFC 7748's 1,000,000-iteration vectors (minutes)
"""

from __future__ import annotations

import json
import os

import pytest
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as chmac
from cryptography.hazmat.primitives import keywrap as ckeywrap
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from cryptography.hazmat.primitives.asymmetric import padding as apadding
from cryptography.hazmat.primitives.asymmetric import rsa as crsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jwtlens import b64url
from jwtlens.primitives import aes, cbc_hmac, ecdh, gcm, kdf, keywrap, montgomery, rsaes
from jwtlens.primitives.errors import (
    DecryptionError,
    InputError,
    IntegrityError,
    InvalidPoint,
    KeySizeError,
    PaddingError,
    PrimitiveError,
    TagMismatch,
    ZeroSharedSecret,
)
from jwtlens.rsa import RSAPrivateKey, RSAPublicKey

H = bytes.fromhex
LENGTHS = (0, 1, 15, 16, 17, 1000)


def flip(data: bytes, index: int = 0, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[index] ^= 1 << bit
    return bytes(out)


# -- AES (FIPS-197 Appendix C) -----------------------------------------------------------------------------------

FIPS197_C = [  # C.1, C.2, C.3: key, plaintext 00112233445566778899aabbccddeeff, ciphertext
    ("000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"),
    ("000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"),
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"),
]


@pytest.mark.parametrize(("key", "ct"), FIPS197_C)
def test_aes_fips197(key, ct):
    cipher, pt = aes.AES(H(key)), H("00112233445566778899aabbccddeeff")
    assert cipher.encrypt_block(pt).hex() == ct
    assert cipher.decrypt_block(H(ct)) == pt
    # the bulk (byte-sliced) path on 8+ copies of the block gives the same
    assert cipher.encrypt_blocks(pt * 9) == H(ct) * 9
    assert cipher.decrypt_blocks(H(ct) * 9) == pt * 9


def test_aes_sbox_spot_values():
    # FIPS-197 figure 7: S(0x00) = 0x63, S(0x53) = 0xed; figure 14: InvS(0x63) = 0x00
    assert (aes.SBOX[0x00], aes.SBOX[0x53], aes.INV_SBOX[0x63]) == (0x63, 0xED, 0x00)


@pytest.mark.parametrize("key_len", [16, 24, 32])
@pytest.mark.parametrize("blocks", [0, 1, 7, 8, 9, 64, 257])
def test_aes_ecb_against_cryptography(key_len, blocks):
    key, data = os.urandom(key_len), os.urandom(16 * blocks)
    reference = Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(data)
    cipher = aes.AES(key)
    assert cipher.encrypt_blocks(data) == reference
    assert cipher.decrypt_blocks(reference) == data


@pytest.mark.parametrize("nbytes", LENGTHS)
def test_aes_keystream_against_ctr(nbytes):
    key, prefix = os.urandom(32), os.urandom(12)
    reference = Cipher(algorithms.AES(key), modes.CTR(prefix + b"\0\0\0\2")).encryptor().update(bytes(nbytes))
    assert aes.AES(key).keystream(prefix, 2, nbytes) == reference


def test_aes_keystream_counter_wraps_32_bits():
    cipher, prefix = aes.AES(bytes(16)), bytes(range(12))
    assert cipher.keystream(prefix, 0xFFFFFFFF, 32) == (cipher.encrypt_block(prefix + b"\xff" * 4)
                                                        + cipher.encrypt_block(prefix + bytes(4)))


def test_aes_rejects_bad_sizes():
    with pytest.raises(KeySizeError, match="16, 24 or 32 bytes"):
        aes.AES(bytes(20))
    with pytest.raises(InputError):
        aes.AES(bytes(16)).encrypt_block(bytes(15))
    with pytest.raises(InputError):
        aes.AES(bytes(16)).decrypt_blocks(bytes(33))


# -- AES-GCM (McGrew & Viega, "The Galois/Counter Mode of Operation", test cases with 96-bit IVs) -------------------

_GCM_K = "feffe9928665731c6d6a8f9467308308"
_GCM_IV = "cafebabefacedbaddecaf888"
_GCM_P64 = ("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
_GCM_P60 = _GCM_P64[:120]
_GCM_A = "feedfacedeadbeeffeedfacedeadbeefabaddad2"
GCM_CASES = [  # (case, key, iv, plaintext, aad, ciphertext, tag)
    (1, "00" * 16, "00" * 12, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
    (2, "00" * 16, "00" * 12, "00" * 16, "", "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"),
    (3, _GCM_K, _GCM_IV, _GCM_P64, "",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4"),
    (4, _GCM_K, _GCM_IV, _GCM_P60, _GCM_A,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47"),
    (7, "00" * 24, "00" * 12, "", "", "", "cd33b28ac773f74ba00ed1f312572435"),
    (8, "00" * 24, "00" * 12, "00" * 16, "", "98e7247c07f0fe411c267e4384b0f600", "2ff58d80033927ab8ef4d4587514f0fb"),
    (9, _GCM_K + _GCM_K[:16], _GCM_IV, _GCM_P64, "",
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256", "9924a7c8587336bfb118024db8674a14"),
    (10, _GCM_K + _GCM_K[:16], _GCM_IV, _GCM_P60, _GCM_A,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710", "2519498e80f1478f37ba55bd6d27618c"),
    (13, "00" * 32, "00" * 12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
    (14, "00" * 32, "00" * 12, "00" * 16, "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
    (15, _GCM_K * 2, _GCM_IV, _GCM_P64, "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad", "b094dac5d93471bdec1a502270e3cc6c"),
    (16, _GCM_K * 2, _GCM_IV, _GCM_P60, _GCM_A,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662", "76fc6ece0f4e1768cddf8853bb2d551b"),
]


@pytest.mark.parametrize(("case", "key", "iv", "pt", "aad", "ct", "tag"), GCM_CASES, ids=[c[0] for c in GCM_CASES])
def test_gcm_spec_vectors(case, key, iv, pt, aad, ct, tag):
    assert gcm.encrypt(H(key), H(iv), H(pt), H(aad)) == (H(ct), H(tag))
    assert gcm.decrypt(H(key), H(iv), H(ct), H(tag), H(aad)) == H(pt)


@pytest.mark.parametrize("key_len", [16, 24, 32])
@pytest.mark.parametrize("length", LENGTHS)
def test_gcm_against_cryptography(key_len, length):
    key, iv, pt, aad = os.urandom(key_len), os.urandom(12), os.urandom(length), os.urandom(length % 37)
    ct, tag = gcm.encrypt(key, iv, pt, aad)
    assert ct + tag == AESGCM(key).encrypt(iv, pt, aad)
    sealed = AESGCM(key).encrypt(iv, pt, aad)
    assert gcm.decrypt(key, iv, sealed[:-16], sealed[-16:], aad) == pt


def test_gcm_tampering_is_a_tag_mismatch():
    key, iv, pt, aad = os.urandom(16), os.urandom(12), os.urandom(100), b"header"
    ct, tag = gcm.encrypt(key, iv, pt, aad)
    for bad in ((flip(ct, 50), tag, aad, iv), (ct, flip(tag, 15, 7), aad, iv), (ct, tag, flip(aad, 0), iv),
                (ct, tag, aad, flip(iv, 11)), (ct[:-1], tag, aad, iv)):
        with pytest.raises(TagMismatch, match="authentication tag does not match"):
            gcm.decrypt(key, bad[3], bad[0], bad[1], bad[2])
    with pytest.raises(TagMismatch):
        gcm.decrypt(flip(key, 3), iv, ct, tag, aad)


def test_gcm_rejects_bad_sizes():
    with pytest.raises(InputError, match="96-bit"):
        gcm.encrypt(bytes(16), bytes(16), b"x")
    with pytest.raises(InputError, match="16-byte"):
        gcm.decrypt(bytes(16), bytes(12), b"x", bytes(12))
    with pytest.raises(KeySizeError):
        gcm.encrypt(bytes(17), bytes(12), b"x")


# -- AES Key Wrap (RFC 3394 section 4) -----------------------------------------------------------------------------

_KEK = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
_KEYDATA = "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"
RFC3394 = [  # (section, KEK, key data, wrapped)
    ("4.1", _KEK[:32], _KEYDATA[:32], "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"),
    ("4.2", _KEK[:48], _KEYDATA[:32], "96778b25ae6ca435f92b5b97c050aed2468ab8a17ad84e5d"),
    ("4.3", _KEK, _KEYDATA[:32], "64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7"),
    ("4.4", _KEK[:48], _KEYDATA[:48], "031d33264e15d33268f24ec260743edce1c6c7ddee725a936ba814915c6762d2"),
    ("4.5", _KEK, _KEYDATA[:48], "a8f9bc1612c68b3ff6e6f4fbe30e71e4769c8b80a32cb8958cd5d17d6b254da1"),
    ("4.6", _KEK, _KEYDATA, "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21"),
]


@pytest.mark.parametrize(("section", "kek", "key", "wrapped"), RFC3394, ids=[v[0] for v in RFC3394])
def test_keywrap_rfc3394(section, kek, key, wrapped):
    assert keywrap.wrap(H(kek), H(key)).hex() == wrapped
    assert keywrap.unwrap(H(kek), H(wrapped)) == H(key)


@pytest.mark.parametrize("kek_len", [16, 24, 32])
@pytest.mark.parametrize("key_len", [16, 24, 32, 40, 64])
def test_keywrap_against_cryptography(kek_len, key_len):
    kek, key = os.urandom(kek_len), os.urandom(key_len)
    assert keywrap.wrap(kek, key) == ckeywrap.aes_key_wrap(kek, key)
    assert keywrap.unwrap(kek, ckeywrap.aes_key_wrap(kek, key)) == key


def test_keywrap_integrity():
    kek, key = os.urandom(16), os.urandom(32)
    wrapped = keywrap.wrap(kek, key)
    for index in (0, 8, len(wrapped) - 1):
        with pytest.raises(IntegrityError, match="does not unwrap"):
            keywrap.unwrap(kek, flip(wrapped, index))
    with pytest.raises(IntegrityError):
        keywrap.unwrap(flip(kek, 0), wrapped)
    with pytest.raises(InputError):
        keywrap.unwrap(kek, wrapped[:-1])
    with pytest.raises(InputError):
        keywrap.wrap(kek, bytes(8))


# -- AES-CBC-HMAC-SHA2 (RFC 7518 Appendix B) ------------------------------------------------------------------------

_B_P = H("41206369706865722073797374656d206d757374206e6f7420626520726571756972656420746f2062652073656372"
         "65742c20616e64206974206d7573742062652061626c6520746f2066616c6c20696e746f207468652068616e6473"
         "206f662074686520656e656d7920776974686f757420696e636f6e76656e69656e6365")
_B_IV = H("1af38c2dc2b96ffdd86694092341bc04")
_B_A = H("546865207365636f6e64207072696e6369706c65206f662041756775737465204b6572636b686f666673")
RFC7518_B = [  # (section, enc, ciphertext, tag); K = 00 01 02 ... of the enc's key length
    ("B.1", "A128CBC-HS256",
     "c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2"
     "fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b"
     "384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db",
     "652c3fa36b0a7c5b3219fab3a30bc1c4"),
    ("B.2", "A192CBC-HS384",
     "ea65da6b59e61edb419be62d19712ae5d303eeb50052d0dfd6697f77224c8edb000d279bdc14c1072654bd30944230c6"
     "57bed4ca0c9f4a8466f22b226d1746214bf8cfc2400add9f5126e479663fc90b3bed787a2f0ffcbf3904be2a641d5c21"
     "05bfe591bae23b1d7449e532eef60a9ac8bb6c6b01d35d49787bcd57ef484927f280adc91ac0c4e79c7b11efc60054e3",
     "8490ac0e58949bfe51875d733f93ac2075168039ccc733d7"),
    ("B.3", "A256CBC-HS512",
     "4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2"
     "e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3"
     "a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6",
     "4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5"),
]


def _b_key(enc):
    return bytes(range(cbc_hmac.jwa.ALGS[enc].key_bits // 8))


@pytest.mark.parametrize(("section", "enc", "ct", "tag"), RFC7518_B, ids=[v[0] for v in RFC7518_B])
def test_cbc_hmac_rfc7518(section, enc, ct, tag):
    assert _B_A == b"The second principle of Auguste Kerckhoffs"
    assert cbc_hmac.encrypt(enc, _b_key(enc), _B_IV, _B_P, _B_A) == (H(ct), H(tag))
    assert cbc_hmac.decrypt(enc, _b_key(enc), _B_IV, H(ct), H(tag), _B_A) == _B_P


_CBC = [("A128CBC-HS256", hashes.SHA256), ("A192CBC-HS384", hashes.SHA384), ("A256CBC-HS512", hashes.SHA512)]


def _oracle_cbc_hmac(enc, hash_cls, key, iv, pt, aad):
    """RFC 7518 5.2.2.1 built from cryptography's AES-CBC, PKCS7 and HMAC."""
    half = len(key) // 2
    padder = padding.PKCS7(128).padder()
    ct = Cipher(algorithms.AES(key[half:]), modes.CBC(iv)).encryptor().update(padder.update(pt) + padder.finalize())
    mac = chmac.HMAC(key[:half], hash_cls())
    mac.update(aad + iv + ct + (8 * len(aad)).to_bytes(8, "big"))
    return ct, mac.finalize()[:half]


@pytest.mark.parametrize(("enc", "hash_cls"), _CBC)
@pytest.mark.parametrize("length", LENGTHS)
def test_cbc_hmac_against_cryptography(enc, hash_cls, length):
    key, iv, pt, aad = os.urandom(len(_b_key(enc))), os.urandom(16), os.urandom(length), os.urandom(length % 41)
    expected = _oracle_cbc_hmac(enc, hash_cls, key, iv, pt, aad)
    assert cbc_hmac.encrypt(enc, key, iv, pt, aad) == expected
    assert cbc_hmac.decrypt(enc, key, iv, *expected, aad) == pt


def test_cbc_hmac_tampering_and_padding():
    enc, key, iv, aad = "A128CBC-HS256", os.urandom(32), os.urandom(16), b"aad"
    ct, tag = cbc_hmac.encrypt(enc, key, iv, b"attack at dawn!!!", aad)
    for bad in ((flip(ct, 0), tag, aad, iv), (ct, flip(tag, 15), aad, iv), (ct, tag, flip(aad, 1), iv),
                (ct, tag, aad, flip(iv, 0)), (ct[16:], tag, aad, iv)):
        with pytest.raises(TagMismatch):
            cbc_hmac.decrypt(enc, key, bad[3], bad[0], bad[1], bad[2])
    # a valid tag over a badly padded ciphertext (a faulty encrypter): PaddingError, not TagMismatch
    bad_pad = Cipher(algorithms.AES(key[16:]), modes.CBC(iv)).encryptor().update(b"no padding here!")
    mac = chmac.HMAC(key[:16], hashes.SHA256())
    mac.update(aad + iv + bad_pad + (8 * len(aad)).to_bytes(8, "big"))
    good_tag = mac.finalize()[:16]
    with pytest.raises(PaddingError, match="padding"):
        cbc_hmac.decrypt(enc, key, iv, bad_pad, good_tag, aad)


def test_cbc_hmac_rejects_bad_sizes():
    with pytest.raises(KeySizeError, match="256-bit"):
        cbc_hmac.encrypt("A128CBC-HS256", bytes(16), bytes(16), b"")
    with pytest.raises(InputError, match="not one of"):
        cbc_hmac.encrypt("A128GCM", bytes(16), bytes(16), b"")
    with pytest.raises(InputError, match="16 bytes"):
        cbc_hmac.decrypt("A128CBC-HS256", bytes(32), bytes(16), bytes(16), bytes(32))


# -- Concat KDF (RFC 7518 Appendix C) and PBES2 (RFC 7517 Appendix C) ------------------------------------------------

def test_concat_kdf_rfc7518_appendix_c():
    z = H("9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4")
    assert b64url.encode(kdf.ecdh_es_key(z, "A128GCM", 128, b"Alice", b"Bob")) == "VqqN6vgjbSBcIijNcacQGg"


def test_ecdh_es_rfc7518_appendix_c_from_the_keys():
    """Appendix C end to end: Bob's private key and Alice's ephemeral public key give Z, then the key."""
    alice = (b64url.decode_uint("gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0"),
             b64url.decode_uint("SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps"))
    bob_d = b64url.decode_uint("VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw")
    z = ecdh.agree("P-256", bob_d, alice)
    assert z.hex() == "9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4"
    assert kdf.ecdh_es_key(z, "A128GCM", 128, b"Alice", b"Bob") == b64url.decode("VqqN6vgjbSBcIijNcacQGg")


def test_concat_kdf_multi_round_and_hash():
    z = os.urandom(32)
    other = kdf.ecdh_es_other_info("ECDH-ES+A256KW", 512)
    expected = b"".join(hashes_sha256(i.to_bytes(4, "big") + z + other) for i in (1, 2))
    assert kdf.concat_kdf(z, 512, other) == expected
    with pytest.raises(InputError):
        kdf.concat_kdf(z, 100, other)


def hashes_sha256(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    return digest.finalize()


RFC7517_C = {  # RFC 7517 Appendix C: the PBES2-HS256+A128KW example
    "password": b"Thus from my lips, by yours, my sin is purged.",
    "p2s": "2WCTcJZ1Rvd_CJuJripQ1w", "p2c": 4096,
    "derived": bytes([110, 171, 169, 92, 129, 92, 109, 117, 233, 242, 116, 233, 170, 14, 24, 75]),
    "encrypted_key": "TrqXOwuNUfDV9VPTNbyGvEJ9JMjefAVn-TR1uIxR9p6hsRQh9Tk7BA",
    "cek": bytes([111, 27, 25, 52, 66, 29, 20, 78, 92, 176, 56, 240, 65, 208, 82, 112, 161, 131, 36, 55, 202, 236,
                  185, 172, 129, 23, 153, 194, 195, 48, 253, 182]),
}


def test_pbes2_rfc7517_appendix_c():
    c = RFC7517_C
    kek = kdf.pbes2_key("PBES2-HS256+A128KW", c["password"], b64url.decode(c["p2s"]), c["p2c"])
    assert kek == c["derived"]
    assert keywrap.unwrap(kek, b64url.decode(c["encrypted_key"])) == c["cek"]
    assert keywrap.wrap(kek, c["cek"]) == b64url.decode(c["encrypted_key"])


@pytest.mark.parametrize("name", ["sha256", "sha384", "sha512"])
@pytest.mark.parametrize("dklen", [16, 24, 32, 48, 64, 80])
def test_pbkdf2_python_fallback_matches_hashlib(name, dklen):
    import hashlib

    assert kdf.pbkdf2_python(name, b"pw", b"salt", 5, dklen) == hashlib.pbkdf2_hmac(name, b"pw", b"salt", 5, dklen)


def test_pbes2_rejects():
    with pytest.raises(InputError, match="not one of"):
        kdf.pbes2_key("A128KW", b"pw", bytes(8), 10)
    with pytest.raises(InputError, match="positive"):
        kdf.pbes2_key("PBES2-HS256+A128KW", b"pw", bytes(8), 0)
    sizes = {alg: len(kdf.pbes2_key(alg, b"pw", bytes(8), 2))
             for alg in ("PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW")}
    assert list(sizes.values()) == [16, 24, 32]


# -- RSAES-OAEP and RSAES-PKCS1-v1_5 (RFC 8017 7.1, 7.2) -------------------------------------------------------------

@pytest.fixture(scope="module", params=[2048, 3072])
def rsa_pair(request):
    key = crsa.generate_private_key(65537, request.param)
    n = key.private_numbers()
    public = RSAPublicKey(n.public_numbers.n, n.public_numbers.e)
    return key, public, RSAPrivateKey(public, n.d, n.p, n.q)


_OAEP = {"SHA-1": hashes.SHA1, "SHA-256": hashes.SHA256, "SHA-384": hashes.SHA384, "SHA-512": hashes.SHA512}


def _oaep(name):
    return apadding.OAEP(mgf=apadding.MGF1(_OAEP[name]()), algorithm=_OAEP[name](), label=None)


@pytest.mark.parametrize("hash_name", list(_OAEP))
def test_oaep_against_cryptography(rsa_pair, hash_name):
    oracle, public, private = rsa_pair
    assert rsaes.OAEP_HASHES == tuple(sorted(_OAEP))
    for cek in (b"", os.urandom(16), os.urandom(64)):
        assert oracle.decrypt(rsaes.encrypt_oaep(public, hash_name, cek), _oaep(hash_name)) == cek
        assert rsaes.decrypt_oaep(private, hash_name, oracle.public_key().encrypt(cek, _oaep(hash_name))) == cek


def test_oaep_rejections(rsa_pair):
    oracle, public, private = rsa_pair
    encrypted = rsaes.encrypt_oaep(public, "SHA-256", os.urandom(32))
    for bad in (flip(encrypted, len(encrypted) - 1), flip(encrypted, 100, 3)):
        with pytest.raises(DecryptionError, match="RSA decryption failed"):
            rsaes.decrypt_oaep(private, "SHA-256", bad)
    with pytest.raises(DecryptionError):  # another hash
        rsaes.decrypt_oaep(private, "SHA-1", encrypted)
    other = crsa.generate_private_key(65537, public.bits).private_numbers()
    other_key = RSAPrivateKey(RSAPublicKey(other.public_numbers.n, 65537), other.d, other.p, other.q)
    with pytest.raises((DecryptionError, InputError)):
        rsaes.decrypt_oaep(other_key, "SHA-256", encrypted)
    with pytest.raises(InputError, match="needs exactly"):
        rsaes.decrypt_oaep(private, "SHA-256", encrypted[1:])
    with pytest.raises(InputError, match="at most"):
        rsaes.encrypt_oaep(public, "SHA-512", bytes(public.size))
    with pytest.raises(InputError, match="SHA-1"):
        rsaes.encrypt_oaep(public, "MD5", b"")


def _oaep_encode(public, db_middle: bytes, first: int = 0, label_hash: bytes | None = None) -> bytes:
    """An OAEP encryption of lHash || db_middle with a chosen first byte: to build malformed encodings."""
    import hashlib

    h_len, k = 32, public.size
    l_hash = hashlib.sha256().digest() if label_hash is None else label_hash
    db = l_hash + bytes(k - 2 * h_len - 1 - len(db_middle)) + db_middle
    seed = os.urandom(h_len)
    masked_db = rsaes._xor(db, rsaes.mgf1("sha256", seed, len(db)))
    em = bytes([first]) + rsaes._xor(seed, rsaes.mgf1("sha256", masked_db, h_len)) + masked_db
    return rsaes._public_op(public, em)


def test_oaep_malformed_encodings(rsa_pair):
    _, public, private = rsa_pair
    assert rsaes.decrypt_oaep(private, "SHA-256", _oaep_encode(public, b"\x01cek")) == b"cek"  # the helper is right
    for bad in (_oaep_encode(public, b"\x02\x01cek"),  # a nonzero byte in PS
                _oaep_encode(public, b"cek"),  # no 0x01 separator
                _oaep_encode(public, b"\x01cek", first=1),  # Y is not zero
                _oaep_encode(public, b"\x01cek", label_hash=bytes(32))):  # another label
        with pytest.raises(DecryptionError):
            rsaes.decrypt_oaep(private, "SHA-256", bad)


def test_oaep_known_seed_is_deterministic(rsa_pair):
    _, public, private = rsa_pair
    seed = bytes(32)
    one = rsaes.encrypt_oaep(public, "SHA-256", b"cek", seed=seed)
    assert one == rsaes.encrypt_oaep(public, "SHA-256", b"cek", seed=seed) != rsaes.encrypt_oaep(public, "SHA-256",
                                                                                                  b"cek")
    assert rsaes.decrypt_oaep(private, "SHA-256", one) == b"cek"


def test_pkcs1v15_against_cryptography(rsa_pair):
    oracle, public, private = rsa_pair
    for cek in (b"", os.urandom(16), os.urandom(32)):
        assert oracle.decrypt(rsaes.encrypt_pkcs1v15(public, cek), apadding.PKCS1v15()) == cek
        assert rsaes.decrypt_pkcs1v15(private, oracle.public_key().encrypt(cek, apadding.PKCS1v15())) == cek
        assert rsaes.decrypt_pkcs1v15_cek(private, rsaes.encrypt_pkcs1v15(public, cek), len(cek)) == cek


def test_pkcs1v15_bad_padding_gives_none_and_a_random_cek(rsa_pair):
    _, public, private = rsa_pair
    good = rsaes.encrypt_pkcs1v15(public, bytes(range(16)))
    garbage = rsaes._public_op(public, b"\x00\x01" + bytes(public.size - 2))  # block type 1: wrong for encryption
    assert rsaes.decrypt_pkcs1v15(private, garbage) is None
    short_ps = rsaes._public_op(public, b"\x00\x02" + b"\x01" * 7 + b"\x00" + bytes(public.size - 10))
    assert rsaes.decrypt_pkcs1v15(private, short_ps) is None
    first, second = (rsaes.decrypt_pkcs1v15_cek(private, garbage, 16) for _ in range(2))
    assert len(first) == len(second) == 16 and first != second  # random each time, never an exception
    wrong_length = rsaes.decrypt_pkcs1v15_cek(private, good, 32)  # valid padding, but not a 32-byte CEK
    assert len(wrong_length) == 32 and wrong_length[:16] != bytes(range(16))
    assert rsaes.decrypt_pkcs1v15(private, flip(good, 10)) != bytes(range(16))


# -- X25519 / X448 (RFC 7748 5.2, 6.1, 6.2) -----------------------------------------------------------------------

RFC7748_SINGLE = [  # section 5.2: (function, scalar, u, output)
    ("X25519", "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
    ("X25519", "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
    ("X448", "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b"
     "29259a4f1c600ad3", "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429"
     "db94ada18aa7a7fb4ef8a086", "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b077"
     "9d98223961111e21766282f73dd96b6f"),
    ("X448", "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b43712"
     "82dd2c8d5be3095f", "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e2"
     "8a78b91cdfbde71ce8d157db", "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d620"
     "77e63633c575c1c954514e99da7c179d"),
]
RFC7748_ITERATED = {  # section 5.2: k = u = base point, then (k, u) = (X(k, u), k)
    ("X25519", 1): "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
    ("X25519", 1000): "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
    ("X25519", 1000000): "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424",
    ("X448", 1): "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b"
                 "9bc2b3bca9cf4113",
    ("X448", 1000): "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353"
                    "ef54faa26e219f38",
    ("X448", 1000000): "077f453681caca3693198420bbe515cae0002472519b3e67661a7e89cab94695c8f4bcd66e61b9b9c946da8d524de3"
                       "d69bd9d9d66b997e37",
}
RFC7748_DH = {  # sections 6.1 and 6.2: Alice's and Bob's private and public keys, and the shared secret
    "X25519": ("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
               "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
               "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
               "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
               "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
    "X448": ("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9a"
             "c2d8c0a598726b", "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b"
             "12da88120d53177f80e532c41fa0", "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8"
             "972b0d3e21374c9c921b09d1b0366f10b65173992d", "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
             "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609", "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40"
             "a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"),
}


@pytest.mark.parametrize(("curve", "k", "u", "out"), RFC7748_SINGLE)
def test_rfc7748_single_step(curve, k, u, out):
    assert montgomery.scalar_mult(curve, H(k), H(u)).hex() == out


def _iterate(curve: str, times: int) -> str:
    k = u = montgomery.CURVES[curve].base_u.to_bytes(montgomery.CURVES[curve].size, "little")
    for _ in range(times):
        k, u = montgomery.scalar_mult(curve, k, u), k
    return k.hex()


@pytest.mark.parametrize(("curve", "times"), [("X25519", 1), ("X25519", 1000), ("X448", 1), ("X448", 1000)])
def test_rfc7748_iterated(curve, times):
    assert _iterate(curve, times) == RFC7748_ITERATED[(curve, times)]


@pytest.mark.skipif(not os.environ.get("JWTLENS_SLOW"), reason="RFC 7748's 1,000,000 iterations take a long time; "
                    "set JWTLENS_SLOW=1 to run them")
@pytest.mark.parametrize("curve", ["X25519", "X448"])
def test_rfc7748_million(curve):
    assert _iterate(curve, 1000000) == RFC7748_ITERATED[(curve, 1000000)]


@pytest.mark.parametrize("curve", ["X25519", "X448"])
def test_rfc7748_diffie_hellman(curve):
    a_priv, a_pub, b_priv, b_pub, shared = (H(x) for x in RFC7748_DH[curve])
    assert montgomery.public_key(curve, a_priv) == a_pub
    assert montgomery.public_key(curve, b_priv) == b_pub
    assert ecdh.agree(curve, a_priv, b_pub) == ecdh.agree(curve, b_priv, a_pub) == shared


def test_x25519_masks_the_top_bit_and_rejects_zero():
    k, u = os.urandom(32), bytearray(os.urandom(32))
    u[31] &= 0x7F
    high = bytes(u[:31]) + bytes([u[31] | 0x80])
    assert montgomery.x25519(k, high) == montgomery.x25519(k, bytes(u))
    for small_order in (bytes(32), (1).to_bytes(32, "little")):
        with pytest.raises(ZeroSharedSecret, match="all zeros"):
            montgomery.shared_secret("X25519", k, small_order)
    with pytest.raises(ZeroSharedSecret):
        montgomery.shared_secret("X448", os.urandom(56), bytes(56))
    with pytest.raises(InvalidPoint, match="32 bytes"):
        montgomery.shared_secret("X25519", k, bytes(31))
    with pytest.raises(KeySizeError):
        montgomery.public_key("X448", bytes(32))


@pytest.mark.parametrize(("curve", "module"), [("X25519", x25519), ("X448", x448)])
def test_montgomery_against_cryptography(curve, module):
    priv_cls = getattr(module, f"{curve}PrivateKey")
    pub_cls = getattr(module, f"{curve}PublicKey")
    for _ in range(4):
        ours_priv, ours_pub = ecdh.generate(curve)
        theirs = priv_cls.generate()
        their_pub = theirs.public_key().public_bytes_raw()
        assert priv_cls.from_private_bytes(ours_priv).public_key().public_bytes_raw() == ours_pub
        assert ecdh.agree(curve, ours_priv, their_pub) == theirs.exchange(pub_cls.from_public_bytes(ours_pub))


# -- ECDH on the NIST curves ---------------------------------------------------------------------------------------

_NIST = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}


@pytest.mark.parametrize("curve", list(_NIST))
def test_ecdh_against_cryptography(curve):
    for _ in range(3):
        d, (x, y) = ecdh.generate(curve)
        theirs = ec.generate_private_key(_NIST[curve]())
        numbers = theirs.public_key().public_numbers()
        ours_z = ecdh.agree(curve, d, (numbers.x, numbers.y))
        their_z = theirs.exchange(ec.ECDH(), ec.EllipticCurvePublicNumbers(x, y, _NIST[curve]()).public_key())
        assert ours_z == their_z and len(ours_z) == cbc_hmac.jwa.CURVES[curve].size


@pytest.mark.parametrize("curve", list(_NIST))
def test_ecdh_rejects_invalid_points(curve):
    d, (x, y) = ecdh.generate(curve)
    p = cbc_hmac.jwa.CURVES[curve].ecdsa_curve.curve.p()
    with pytest.raises(InvalidPoint, match="invalid-curve"):  # in the field, off the curve
        ecdh.agree(curve, d, (x, (y + 1) % p))
    for bad in ((0, 0), (x, y + p), (-1, y)):  # the "point at infinity" encoding, coordinates outside the field
        with pytest.raises(InvalidPoint):
            ecdh.agree(curve, d, bad)
    for other in _NIST:
        if other != curve:
            with pytest.raises(InvalidPoint):
                ecdh.agree(curve, d, ecdh.generate(other)[1])
    with pytest.raises(KeySizeError):
        ecdh.agree(curve, 0, (x, y))
    with pytest.raises(InvalidPoint, match="not an ECDH-ES curve"):
        ecdh.agree("secp256k1", d, (x, y))


def test_error_hierarchy():
    for cls in (InputError, KeySizeError, TagMismatch, PaddingError, IntegrityError, DecryptionError, InvalidPoint,
                ZeroSharedSecret):
        assert issubclass(cls, PrimitiveError) and issubclass(cls, ValueError)
        assert str(cls())  # a readable default message


# -- the same code inside Pyodide ----------------------------------------------------------------------------------

_SMOKE = r'''
import json
from jwtlens.primitives import aes, cbc_hmac, ecdh, gcm, kdf, keywrap, montgomery
H = bytes.fromhex
v = json.loads(VECTORS)
out = {}
k, ct = v["aes"]
out["aes"] = aes.AES(H(k)).encrypt_block(H("00112233445566778899aabbccddeeff")).hex() == ct
_, k, iv, pt, aad, ct, tag = v["gcm"]
out["gcm"] = (gcm.encrypt(H(k), H(iv), H(pt), H(aad)) == (H(ct), H(tag))
              and gcm.decrypt(H(k), H(iv), H(ct), H(tag), H(aad)) == H(pt))
try:
    gcm.decrypt(H(k), H(iv), H(ct), bytes(16), H(aad))
    out["gcm_tamper"] = False
except gcm.TagMismatch:
    out["gcm_tamper"] = True
_, kek, key, wrapped = v["kw"]
out["kw"] = keywrap.unwrap(H(kek), H(wrapped)) == H(key)
enc, p, a, iv, ct, tag = v["cbc"]
out["cbc"] = cbc_hmac.decrypt(enc, bytes(range(64)), H(iv), H(ct), H(tag), H(a)) == H(p)
_, k, u, o = v["x25519"]
out["x25519"] = montgomery.scalar_mult("X25519", H(k), H(u)).hex() == o
_, k, u, o = v["x448"]
out["x448"] = montgomery.scalar_mult("X448", H(k), H(u)).hex() == o
c = v["pbes2"]
out["pbes2"] = kdf.pbes2_key("PBES2-HS256+A128KW", c[0].encode(), H(c[1]), c[2]).hex() == c[3]
out["pbkdf2_impl"] = kdf._pbkdf2.__name__
d, pub = ecdh.generate("P-256")
out["ecdh"] = len(ecdh.agree("P-256", d, pub)) == 32
json.dumps(out)
'''


def test_smoke_in_pyodide():
    from tools.pyodide_node import PYODIDE, PyodideUnavailable, run_python

    if not PYODIDE.exists():
        pytest.skip("node_modules/pyodide is missing (npm ci): the Pyodide smoke test needs the pinned Pyodide")
    c = RFC7517_C
    vectors = {
        "aes": FIPS197_C[2], "gcm": GCM_CASES[-1], "kw": RFC3394[-1], "x25519": RFC7748_SINGLE[0],
        "x448": RFC7748_SINGLE[2],
        "cbc": ["A256CBC-HS512", _B_P.hex(), _B_A.hex(), _B_IV.hex(), RFC7518_B[2][2], RFC7518_B[2][3]],
        "pbes2": [c["password"].decode(), b64url.decode(c["p2s"]).hex(), c["p2c"], c["derived"].hex()],
    }
    code = f"VECTORS = {json.dumps(json.dumps(vectors))}\n" + _SMOKE
    try:
        result = json.loads(run_python(code, timeout=600))
    except PyodideUnavailable as exc:
        pytest.skip(str(exc))
    assert result.pop("pbkdf2_impl") == "pbkdf2_python"  # Pyodide has no hashlib.pbkdf2_hmac: the fallback ran
    assert result == dict.fromkeys(result, True) and len(result) == 9, result


