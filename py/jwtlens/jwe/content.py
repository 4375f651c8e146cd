"""Content encryption (RFC 7518 section 5), compression (RFC 7516 4.1.3) and what the decrypted content is.

    plaintext = decrypt_content(head.enc, cek, parts)      # JweError jwe.tag-mismatch: nothing is released
    data = inflate(plaintext)                              # raw DEFLATE, at most MAX_INFLATED_BYTES
    content = classify(data, cty)                          # JWT (nested), JSON, text or bytes

Inflating stops at MAX_INFLATED_BYTES: a decompression bomb (DEFLATE reaches about 1000:1) becomes a problem
after at most that much output, not a frozen tab. 4 MiB is the largest input the page reads at all
(pipeline.MAX_INPUT_CHARS); real token contents are kilobytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from .. import extract, jwa, segments
from ..primitives import cbc_hmac, gcm
from ..primitives.errors import PaddingError, TagMismatch
from ..problems import Code
from ..report import ContentType, Problem
from .compact import Parts
from .errors import JweError

MAX_INFLATED_BYTES = 4 * 1024 * 1024
_TAG_MISMATCH = ("The authentication tag does not match: wrong key, or the token was altered: the protected header, "
                 "encrypted key, IV, ciphertext or tag cannot be trusted.")


def decrypt_content(enc: jwa.Alg, cek: bytes, parts: Parts) -> bytes:
    """Authenticated decryption with the protected header as additional data (RFC 7516 5.2 steps 14-16)."""
    try:
        if enc.family == "AES-GCM":
            return gcm.decrypt(cek, parts.iv, parts.ciphertext, parts.tag, parts.aad)
        return cbc_hmac.decrypt(enc.name, cek, parts.iv, parts.ciphertext, parts.tag, parts.aad)
    except TagMismatch:
        raise JweError(Code.JWE_TAG_MISMATCH, _TAG_MISMATCH, segment="tag") from None
    except PaddingError as exc:
        raise JweError(Code.JWE_PADDING, f"{exc}.", segment="ciphertext") from None


def encrypt_content(enc: jwa.Alg, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    if enc.family == "AES-GCM":
        return gcm.encrypt(cek, iv, plaintext, aad)
    return cbc_hmac.encrypt(enc.name, cek, iv, plaintext, aad)


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE (RFC 1951), no zlib header: what "zip": "DEF" means."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Raw DEFLATE undone, refused beyond ``limit`` bytes of output or when the stream is broken or incomplete."""
    unpacker = zlib.decompressobj(-15)
    try:
        out = unpacker.decompress(data, limit + 1)
    except zlib.error as exc:
        raise JweError(Code.JWE_ZIP_INVALID, f"The decrypted content is not valid raw DEFLATE ({exc}), although "
                       "the header says \"zip\": \"DEF\".", segment="ciphertext") from None
    if len(out) > limit:
        raise JweError(Code.JWE_ZIP_TOO_LARGE, f"The {len(data):,} compressed bytes inflate to more than "
                       f"{limit:,} bytes (the limit): a decompression bomb, or content far larger than any token. "
                       "Inflating stopped there.", segment="ciphertext")
    if not unpacker.eof:
        raise JweError(Code.JWE_ZIP_INVALID, "The DEFLATE stream of the decrypted content ends early (it is "
                       "incomplete).", segment="ciphertext")
    return out


@dataclass
class Content:
    """The decrypted content, read: its type, its text, and its JSON value when it is JSON."""

    type: ContentType
    text: str | None = None
    value: Any = None  # the parsed JSON (JSON), None otherwise
    problems: list[Problem] = field(default_factory=list)  # JSON problems (segment "payload")

    @property
    def claims(self) -> dict[str, Any] | None:
        return self.value if self.type == "JSON" and isinstance(self.value, dict) else None


def _says_jwt(cty: str | None) -> bool:
    """cty "JWT" (RFC 7519 5.2), in any case, with or without "application/" (RFC 7515 4.1.10)."""
    return cty is not None and cty.strip().lower().removeprefix("application/") == "jwt"


def classify(data: bytes, cty: str | None) -> Content:
    """JWT when cty says so or the text is a compact token; JSON when it parses; else text, or bytes when the
    content is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _says_jwt(cty):
            raise JweError(Code.JWE_NESTED_INVALID, "The header says \"cty\": \"JWT\", but the decrypted content is "
                           "not UTF-8 text, so it is no JWT.", segment="ciphertext") from None
        return Content("bytes")
    if extract.is_jwt(text.strip()):
        return Content("JWT", text)
    if _says_jwt(cty):
        raise JweError(Code.JWE_NESTED_INVALID, "The header says \"cty\": \"JWT\", but the decrypted content is not a "
                       "compact JWT (three or five base64url segments).", segment="ciphertext")
    if text.lstrip()[:1] in ("{", "["):
        value, parsed, problems = segments.parse_json(text, "payload", "Decrypted payload", strict=False)
        if parsed:
            return Content("JSON", text, value, problems)
        return Content("text", text, None, problems)
    return Content("text", text)
