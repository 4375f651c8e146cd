"""The exceptions of the primitives: one small hierarchy, each message readable by a person.

``PrimitiveError`` (a ``ValueError``) is the root; catch it to catch them all. The JWE layer can map each class to
its own wording; the default messages already say what went wrong and what it usually means.
"""

from __future__ import annotations


class PrimitiveError(ValueError):
    """A cryptographic primitive refused its input, or found the data not authentic."""

    default = "the cryptographic operation failed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default)


class InputError(PrimitiveError):
    """An input has an impossible size or form (an IV of the wrong length, a ciphertext that is not whole blocks)."""

    default = "an input has the wrong size or form"


class KeySizeError(InputError):
    """A key is not one of the lengths the algorithm takes."""

    default = "the key has the wrong length for this algorithm"


class TagMismatch(PrimitiveError):
    """Authenticated decryption (AES-GCM, AES-CBC-HMAC): the tag does not match. No plaintext is released."""

    default = "the authentication tag does not match: wrong key, or the ciphertext was altered"


class PaddingError(PrimitiveError):
    """AES-CBC: the tag matched but the PKCS#7 padding is malformed (only a faulty encrypter produces this)."""

    default = ("the PKCS#7 padding of the decrypted content is malformed although the authentication tag "
               "matched: the sender encrypted it wrongly")


class IntegrityError(PrimitiveError):
    """AES Key Wrap: the integrity check value is wrong after unwrapping."""

    default = "the wrapped key does not unwrap: wrong key-encryption key, or the wrapped key was altered"


class DecryptionError(PrimitiveError):
    """RSAES-OAEP: the decrypted block is not a valid encoding (one message for every cause, RFC 8017 7.1.2 note)."""

    default = "RSA decryption failed: wrong private key, another OAEP hash, or the encrypted key was altered"


class InvalidPoint(PrimitiveError):
    """Key agreement: the peer's public key is not a usable point of the named curve."""

    default = ("the public key is not a point on the named curve (an invalid-curve attack, a key for another "
               "curve, or a damaged key)")


class ZeroSharedSecret(InvalidPoint):
    """X25519/X448: the shared secret is all zeros, the peer sent a small-order point (RFC 7748 6.1)."""

    default = ("the shared secret is all zeros: the peer's public key is a small-order point, which no honest "
               "party sends (RFC 7748 section 6)")
