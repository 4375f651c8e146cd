"""The cryptographic primitives JWE needs (RFC 7516, RFC 7518), in pure Python so that they run unchanged in
Pyodide, which has no ``cryptography`` package. Function-level APIs; the JWE token layer builds on them.

Modules:

* ``aes``: the AES block cipher (FIPS-197): ``AES(key)`` with ``encrypt_block``/``decrypt_block``, the word-level
  ``encrypt_words``/``decrypt_words``, and many blocks at once (``encrypt_blocks``, ``decrypt_blocks``,
  ``keystream`` for counter mode).
* ``gcm``: AES-GCM (SP 800-38D), 96-bit IV, 128-bit tag: ``encrypt(key, iv, plaintext, aad) -> (ct, tag)``,
  ``decrypt(key, iv, ct, tag, aad)``. For "A128GCM".."A256GCM" and "A128GCMKW".."A256GCMKW".
* ``cbc_hmac``: AES-CBC + HMAC-SHA2 (RFC 7518 5.2): ``encrypt(enc, key, iv, plaintext, aad)``,
  ``decrypt(enc, key, iv, ct, tag, aad)`` for "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512".
* ``keywrap``: AES Key Wrap (RFC 3394): ``wrap(kek, key)``, ``unwrap(kek, wrapped)``.
* ``kdf``: ``ecdh_es_key`` (Concat KDF, RFC 7518 4.6.2), ``concat_kdf``, ``pbes2_key`` (RFC 7518 4.8).
* ``rsaes``: RSAES-OAEP (SHA-1/256/384/512) and RSAES-PKCS1-v1_5 encryption and decryption, including the
  random-CEK pattern for RSA1_5 (``decrypt_pkcs1v15_cek``).
* ``montgomery``: X25519 and X448 (RFC 7748).
* ``ecdh``: ECDH on P-256/P-384/P-521 with point validation, and ``agree``/``generate`` over all ECDH-ES curves.
* ``errors``: ``PrimitiveError`` (a ``ValueError``) and its subclasses ``InputError`` (``KeySizeError``),
  ``TagMismatch``, ``PaddingError``, ``IntegrityError``, ``DecryptionError``, ``InvalidPoint``
  (``ZeroSharedSecret``).

None of them aims at constant time: the page decrypts the user's own tokens in the user's own tab, and there is no
remote attacker to measure it. Tag and check-value comparisons use ``hmac.compare_digest`` all the same.
"""

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

__all__ = [
    "DecryptionError", "InputError", "IntegrityError", "InvalidPoint", "KeySizeError", "PaddingError",
    "PrimitiveError", "TagMismatch", "ZeroSharedSecret",
]
