"""JSON Web Encryption (RFC 7516, RFC 7518, RFC 8037) on the pure-Python primitives: compact tokens, every
registered alg and enc, "zip": "DEF", nested JWTs.

    result = jwe.decrypt(token, key_text, options)           # -> report.EncryptionResult, never raises
    token = jwe.encrypt(b"...", key_text, "ECDH-ES+A256KW", "A256GCM", zip=True, cty="JWT")   # EncryptError
    work = jwe.pending_work(token, password, options)        # PBES2 in slices, for the page
    work = jwe.encryption_work(password, alg, enc, p2s)      # ... and before encrypt(..., p2s=p2s)

Modules, one step each: ``header`` (the protected header and the alg's parameters), ``compact`` (the segments and
their lengths), ``recipient`` (which key fits), ``keymgmt`` (the content key out and in), ``content`` (content
encryption, DEFLATE, what the plaintext is), ``pbes2`` (PBKDF2 at once or in slices, with a small cache),
``decrypt`` and ``encrypt`` (the two flows), ``errors`` (JweError: one Problem).
"""

from __future__ import annotations

from .content import MAX_INFLATED_BYTES
from .decrypt import Opened, decrypt, open_token, pending_work
from .encrypt import DEFAULT_P2C, EncryptError, encrypt, encryption_work
from .pbes2 import Pbes2Derivation

__all__ = [
    "DEFAULT_P2C", "MAX_INFLATED_BYTES", "EncryptError", "Opened", "Pbes2Derivation", "decrypt", "encrypt",
    "encryption_work", "open_token", "pending_work",
]
