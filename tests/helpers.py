"""Building test tokens, including broken ones: each part is given as a dict (JSON-encoded), str or raw bytes."""

from __future__ import annotations

import base64
import json
from typing import Any

NOW = 1_800_000_000  # a fixed clock for the tests: 2027-01-15T08:00:00Z


def b64url(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def part(value: Any) -> str:
    """dict/list -> compact JSON -> base64url; str -> UTF-8 -> base64url; bytes -> base64url."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, separators=(",", ":"))
    return b64url(value)


def make_token(header: Any, payload: Any, signature: bytes | str = b"signature-bytes!") -> str:
    """A compact JWS; a str signature is used as the segment text itself (so "" gives an empty signature)."""
    sig = signature if isinstance(signature, str) else b64url(signature)
    return f"{part(header)}.{part(payload)}.{sig}"


def make_jwe(header: Any, encrypted_key: bytes = b"k" * 32, iv: bytes = b"i" * 12, ciphertext: bytes = b"c" * 40,
             tag: bytes = b"t" * 16) -> str:
    return ".".join([part(header), b64url(encrypted_key), b64url(iv), b64url(ciphertext), b64url(tag)])


HS = {"alg": "HS256", "typ": "JWT"}


def codes(problems: list[Any]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[Any], code: str) -> Any:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(p.code, p.message) for p in problems]}"
    return found[0]
