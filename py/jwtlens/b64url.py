"""base64url without padding (RFC 4648 section 5, as RFC 7515 section 2 uses it): the one encoder and the one strict
decoder of the package.

``segments.py`` keeps a forensic decoder of its own for pasted tokens (it reports every bad character with its
position and decodes what it can); everything else that reads base64url (JWK members, signatures, JWE segments,
disclosures) calls ``decode`` here and gets either the bytes or a ``Base64urlError`` that says what is wrong.
"""

from __future__ import annotations

import base64
import binascii
import re

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_NOT_ALPHABET = re.compile(r"[^A-Za-z0-9_-]")


class Base64urlError(ValueError):
    """Not base64url; ``position`` is the 0-based offset of the offending character when there is one."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_uint(n: int, length: int | None = None) -> str:
    """A non-negative integer, big-endian: in ``length`` bytes, or the fewest that hold it (at least one)."""
    size = length if length is not None else max(1, (n.bit_length() + 7) // 8)
    return encode(n.to_bytes(size, "big"))


def decode(text: object, what: str = "the value", *, padding: bool = False, canonical: bool = True) -> bytes:
    """Strict base64url: the alphabet only, a possible length, and (``canonical``) zero unused bits in the last
    character. ``padding`` tolerates up to two trailing '='. ``what`` names the value in messages."""
    if not isinstance(text, str):
        raise Base64urlError(f"{what} must be a base64url string, not {type(text).__name__}")
    body = text
    if padding:
        body = text.rstrip("=")
        if len(text) - len(body) > 2:
            raise Base64urlError(f"{what} has too much '=' padding", len(body))
    bad = _NOT_ALPHABET.search(body)
    if bad is not None:
        ch = bad.group()
        hint = " (standard base64: use '-' and '_' instead of '+' and '/')" if ch in "+/" else ""
        shown = repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}"
        raise Base64urlError(f"{what} is not base64url: character {bad.start() + 1} is {shown}{hint}", bad.start())
    rem = len(body) % 4
    if rem == 1:
        raise Base64urlError(f"{what} has an impossible base64url length ({len(body)} characters)", len(body) - 1)
    if canonical and rem and _VALUE[body[-1]] & (0x0F if rem == 2 else 0x03):
        raise Base64urlError(f"{what} is not canonical base64url (stray bits in its last character)", len(body) - 1)
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:  # not reachable after the checks above; kept as a guard
        raise Base64urlError(f"{what} is not base64url ({exc})") from None


def decode_uint(text: object, what: str = "the value") -> int:
    return int.from_bytes(decode(text, what), "big")


def is_b64url(text: str) -> bool:
    """The alphabet only (any length, empty included): a quick shape test, not a full decode."""
    return _NOT_ALPHABET.search(text) is None
