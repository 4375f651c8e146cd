"""The five segments of a compact JWE (RFC 7516 7.1) as bytes, each length checked against the alg and enc before
any key is used: a wrong length names its segment and the character where the expected length ends.

    parts = read_parts(token_text, head)      # JweError (jwe.segment-invalid / jwe.segment-length) otherwise
    parts.aad, parts.encrypted_key, parts.iv, parts.ciphertext, parts.tag
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import b64url
from ..problems import Code
from ..report import SegmentName
from ..segments import LABELS
from .errors import JweError
from .header import Header

NAMES: tuple[SegmentName, ...] = ("header", "encrypted_key", "iv", "ciphertext", "tag")
# Key management whose encrypted key is the empty octet sequence (RFC 7518 4.5, 4.6)
NO_ENCRYPTED_KEY = ("dir", "ECDH-ES")
# AES key wrap adds one 64-bit block to the key it wraps (RFC 3394 2.2.1)
WRAP_OVERHEAD = 8


@dataclass
class Parts:
    texts: dict[str, str]  # each segment as it appears in the token
    aad: bytes  # ASCII(BASE64URL(UTF8(JWE Protected Header))): the additional authenticated data
    encrypted_key: bytes
    iv: bytes
    ciphertext: bytes
    tag: bytes


def chars_for(n: int) -> int:
    """The base64url characters that n bytes take (no padding)."""
    return -(-4 * n // 3)


def _decode(name: SegmentName, text: str) -> bytes:
    try:
        return b64url.decode(text, LABELS[name], canonical=False)
    except b64url.Base64urlError as exc:
        raise JweError(Code.JWE_SEGMENT_INVALID, f"{exc}.", segment=name, position=exc.position) from None


def length_error(name: SegmentName, text: str, got: int, need: int, why: str) -> JweError:
    """A segment of the wrong length: the position is where the expected length ends (too long: the first extra
    character; too short: the end of the segment)."""
    position = min(chars_for(need), len(text)) if got > need else len(text)
    where = (f"the extra bytes start at character {position + 1}" if got > need
             else f"it ends at character {position}, {chars_for(need) - len(text)} character(s) short")
    return JweError(Code.JWE_SEGMENT_LENGTH, f"{LABELS[name]}: {got} bytes, but {why} needs exactly {need} ({where}).",
                    segment=name, position=position)


def read_parts(token: str, head: Header) -> Parts:
    texts = dict(zip(NAMES, token.split("."), strict=True))
    decoded = {name: _decode(name, texts[name]) for name in NAMES}  # the header too: its text is the AAD
    parts = Parts(texts, texts["header"].encode("ascii"), decoded["encrypted_key"], decoded["iv"],
                  decoded["ciphertext"], decoded["tag"])
    _check_lengths(parts, head)
    return parts


def _check_lengths(parts: Parts, head: Header) -> None:
    alg, enc, texts = head.alg, head.enc, parts.texts
    assert enc.iv_bytes is not None and enc.tag_bytes is not None and enc.key_bits is not None
    for name, got, need in (("iv", len(parts.iv), enc.iv_bytes), ("tag", len(parts.tag), enc.tag_bytes)):
        if got != need:
            raise length_error(name, texts[name], got, need, enc.name)  # type: ignore[arg-type]
    if alg.name in NO_ENCRYPTED_KEY and parts.encrypted_key:
        raise JweError(Code.JWE_SEGMENT_LENGTH, f"Encrypted key: {len(parts.encrypted_key)} bytes, but {alg.name} "
                       "uses no encrypted key: the segment must be empty (RFC 7518 4.5, 4.6).", segment="encrypted_key",
                       position=0)
    wrapped = {"AESKW": WRAP_OVERHEAD, "PBES2": WRAP_OVERHEAD, "ECDH-ES": WRAP_OVERHEAD, "AESGCMKW": 0}
    if alg.name not in NO_ENCRYPTED_KEY and alg.family in wrapped:
        need = enc.key_bits // 8 + wrapped[alg.family]
        if len(parts.encrypted_key) != need:
            raise length_error("encrypted_key", texts["encrypted_key"], len(parts.encrypted_key), need,
                               f"{alg.name} wrapping an {enc.name} key")
    if enc.family == "AES-CBC-HMAC" and (not parts.ciphertext or len(parts.ciphertext) % 16):
        raise JweError(Code.JWE_SEGMENT_LENGTH, f"Ciphertext: {len(parts.ciphertext)} bytes; {enc.name} produces a "
                       "positive number of 16-byte blocks, so it was cut or altered.", segment="ciphertext",
                       position=len(texts["ciphertext"]))
