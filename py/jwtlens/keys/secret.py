"""HMAC secrets from the key box: text, base64, base64url or hex, chosen by the person or read where unambiguous.

In "auto" mode the most likely reading comes first and the other plausible ones are kept: the verifier tries them
when the first does not verify, and says which one did.
"""

from __future__ import annotations

import base64
import binascii
import re

from .. import b64url
from ..problems import Code, problem
from .model import KeyBox, LoadedKey

_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_B64_RE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64URL_TEXT_RE = re.compile(r"[A-Za-z0-9_-]+")


def _decode_b64(text: str, url: bool) -> bytes | None:
    """Canonical base64 / base64url (padding optional, but then complete): the bytes, or None when it is not."""
    if "=" in text and len(text) % 4:
        return None
    if url:
        try:
            return b64url.decode(text, padding=True) or None
        except b64url.Base64urlError:
            return None
    body = text.rstrip("=")
    try:
        data = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode().rstrip("=") == body and data else None


def _looks_random(text: str) -> bool:
    """Base64 of random bytes mixes cases and digits evenly; words and passphrases do not."""
    n = len(text)
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    other = n - upper - lower
    return n >= 16 and upper >= 0.15 * n and lower >= 0.15 * n and other >= 1


def secret_readings(text: str, secret_format: str = "auto") -> tuple[list[tuple[str, bytes]], str | None]:
    """The readings of an HMAC secret, most likely first: [(format, bytes)], or ([], reason) when invalid."""
    if secret_format == "text":
        return [("UTF-8 text", text.encode("utf-8"))], None
    stripped = "".join(text.split()) if secret_format in ("hex", "base64", "base64url") else text.strip()
    if secret_format == "hex":
        body = stripped[2:] if stripped[:2].lower() == "0x" else stripped
        if not _HEX_RE.fullmatch(body):
            bad = next((c for c in body if c not in "0123456789abcdefABCDEF"), None)
            return [], (f"not hex: character {bad!r}" if bad else "empty")
        if len(body) % 2:
            return [], f"hex needs an even number of digits ({len(body)} given)"
        return [("hex", bytes.fromhex(body))], None
    if secret_format in ("base64", "base64url"):
        url = secret_format == "base64url"
        data = _decode_b64(stripped, url)
        if data is None:
            other = "base64" if url else "base64url"
            alt = _decode_b64(stripped, not url)
            hint = f" (it is valid {other})" if alt else ""
            return [], f"not canonical {secret_format}{hint}"
        return [(secret_format, data)], None
    # auto: decide only where unambiguous; keep the other readings for the verifier to try
    readings: list[tuple[str, bytes]] = []
    text_reading = ("UTF-8 text", stripped.encode("utf-8"))
    is_hex = bool(_HEX_RE.fullmatch(stripped)) and len(stripped) % 2 == 0
    b64 = _decode_b64(stripped, False) if _B64_RE.fullmatch(stripped) else None
    b64url = _decode_b64(stripped, True) if _B64URL_TEXT_RE.fullmatch(stripped) else None
    if is_hex and len(stripped) >= 32:
        readings.append(("hex", bytes.fromhex(stripped)))
    elif b64 is not None and (_looks_random(stripped) or (stripped.endswith("=") and len(stripped) >= 16)):
        readings.append(("base64", b64))
    elif b64url is not None and _looks_random(stripped):
        readings.append(("base64url", b64url))
    readings.append(text_reading)
    for fmt, data in (("hex", bytes.fromhex(stripped) if is_hex else None), ("base64", b64), ("base64url", b64url)):
        if data is not None and all(data != d for _, d in readings):
            readings.append((fmt, data))
    if stripped != text and text:
        readings.append(("UTF-8 text, whitespace kept", text.encode("utf-8")))
    return readings, None


def load_secret(text: str, secret_format: str, box: KeyBox) -> None:
    readings, error = secret_readings(text, secret_format)
    box.format = "secret"
    if error:
        box.problems.append(problem(Code.KEY_SECRET_INVALID, f"The secret is {error}.", segment="key"))
        return
    keys = []
    for fmt, data in readings:
        key = LoadedKey("secret", fmt, secret=data, source=text)
        if secret_format == "auto":
            key.notes.append(f"Read as {fmt} (automatic); choose the secret format if that is wrong.")
        else:
            key.notes.append(f"Read as {fmt} (as chosen).")
        keys.append(key)
    box.keys, box.alternatives = keys[:1], keys[1:]
