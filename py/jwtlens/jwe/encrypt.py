"""Encrypting to a compact JWE: ``encrypt(plaintext, key_text, alg, enc, ...) -> str``.

Every alg and enc of the registry: a fresh random CEK and IV from ``secrets`` per token, a fresh ephemeral key per
token for ECDH-ES (on the recipient key's curve), a random 16-byte p2s for PBES2 with DEFAULT_P2C iterations unless
given. The key box text is read as for decryption (purpose "enc"): a public key (or a private key, whose public
half is used), a secret, a password, a JWK or a key set (the member ``kid`` names, or the one member that fits).
Unusable input raises ``EncryptError`` carrying the same Problem decryption would report.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from .. import b64url, jwa
from ..keys import load_key
from ..primitives.errors import PrimitiveError
from ..problems import Code, problem
from ..report import Problem
from . import content, keymgmt, recipient
from .errors import JweError
from .header import Header
from .pbes2 import Pbes2Derivation

DEFAULT_P2C = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256; below jwa.PBES2_MAX_ITERATIONS
# Header members the encryption itself writes; extra_header may not set them.
OWN_MEMBERS = frozenset({"alg", "enc", "zip", "epk", "iv", "tag", "p2s", "p2c"})


class EncryptError(ValueError):
    """The token cannot be made as asked; ``problem`` says why (the same codes as decryption)."""

    def __init__(self, found: Problem) -> None:
        super().__init__(found.message)
        self.problem = found


def _fail(code: str, message: str, segment: Any = "header") -> EncryptError:
    return EncryptError(problem(code, message, segment=segment))


def _row(name: str, kind: jwa.Kind, code: str) -> jwa.Alg:
    row = jwa.get(name, kind)
    if row is None:
        words = "key-management algorithm" if kind == "jwe-alg" else "content encryption"
        names = ", ".join(sorted(a.name for a in jwa.ALGS.values() if a.kind == kind))
        raise _fail(code, f"{name!r} is not a JWE {words}; use one of {names}.")
    return row


def _content_bytes(plaintext: Any) -> bytes:
    if isinstance(plaintext, (bytes, bytearray)):
        return bytes(plaintext)
    if isinstance(plaintext, str):
        return plaintext.encode("utf-8")
    return json.dumps(plaintext, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _header(head: Header, params: dict[str, Any], kid: str | None, cty: str | None,
            extra: dict[str, Any] | None) -> dict[str, Any]:
    clash = sorted(OWN_MEMBERS & set(extra or {}))
    if clash:
        raise _fail(Code.JWE_HEADER_PARAM, f"extra_header may not set {', '.join(clash)}: the encryption writes them.")
    header: dict[str, Any] = {"alg": head.alg.name, "enc": head.enc.name}
    if head.zip:
        header["zip"] = head.zip
    if kid is not None:
        header["kid"] = kid
    if cty is not None:
        header["cty"] = cty
    return {**header, **(extra or {}), **params}


def encrypt(plaintext: bytes | str | dict[str, Any] | list[Any], key_text: str, alg: str, enc: str, *,
            zip: bool = False, kid: str | None = None, cty: str | None = None,
            extra_header: dict[str, Any] | None = None, secret_format: str = "auto", p2c: int | None = None,
            p2s: bytes | None = None) -> str:
    """A compact JWE of ``plaintext`` (bytes; text as UTF-8; a dict or list as compact JSON claims) for the key.
    ``kid`` picks the member of a key set and goes into the header (default: the key's own kid, if any). ``p2s``:
    PBES2's salt input (default: 16 random bytes), for a key derived beforehand in slices."""
    head = Header(_row(alg, "jwe-alg", Code.JWE_ALG_UNSUPPORTED), _row(enc, "jwe-enc", Code.JWE_ENC_UNSUPPORTED),
                  zip="DEF" if zip else None, p2c=DEFAULT_P2C if p2c is None else p2c, p2s=p2s or b"")
    if p2s is not None and len(p2s) < jwa.PBES2_MIN_SALT_BYTES:
        raise _fail(Code.JWE_P2S_INVALID, f"p2s must be at least {jwa.PBES2_MIN_SALT_BYTES} bytes.")
    if head.alg.family == "PBES2" and not (isinstance(head.p2c, int) and 0 < head.p2c <= jwa.PBES2_MAX_ITERATIONS):
        raise _fail(Code.JWE_P2C_REFUSED, f"p2c must be between 1 and {jwa.PBES2_MAX_ITERATIONS:,}, not {head.p2c!r}.")
    box = load_key(key_text, secret_format, kid=kid, purpose="enc")
    if box.empty:
        raise _fail(Code.KEY_UNREADABLE, "No key given: encrypting needs the recipient's key, a secret or a password.",
                    "key")
    try:
        candidates = recipient.candidates(box, head.alg, head.enc, "encrypt", kid=kid)
        if box.is_set and len(candidates) > 1 and kid is None:
            raise JweError(Code.JWE_KEY_NO_MATCH, f"{len(candidates)} keys of the {box.format} fit {alg}; name one "
                           "with kid.", segment="key")
        key = candidates[0].key
        cek, encrypted_key, params = keymgmt.wrap(head, key)
    except JweError as exc:
        raise EncryptError(exc.problem or (box.problems[0] if box.problems else problem(
            Code.KEY_UNREADABLE, exc.message, segment="key"))) from None
    except PrimitiveError as exc:  # e.g. an RSA key too small for OAEP with this hash
        raise _fail(Code.JWE_KEY_SIZE, f"This key cannot {alg}: {exc}.", "key") from None
    header = _header(head, params, kid if kid is not None else key.kid, cty, extra_header)
    protected = b64url.encode(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    iv = secrets.token_bytes(head.enc.iv_bytes or 12)
    data = _content_bytes(plaintext)
    ciphertext, tag = content.encrypt_content(head.enc, cek, iv, content.deflate(data) if zip else data,
                                              protected.encode("ascii"))
    return ".".join(b64url.encode(part) if isinstance(part, bytes) else part
                    for part in (protected, encrypted_key, iv, ciphertext, tag))


def encryption_work(key_text: str, alg: str, enc: str, p2s: bytes, *, p2c: int | None = None,
                    secret_format: str = "auto", kid: str | None = None) -> Pbes2Derivation | None:
    """The PBES2 derivation ``encrypt(..., p2s=p2s)`` needs, for the page to run in slices first; None when the alg
    is not PBES2, the password is unusable (encrypt then says why), or the key is derived already."""
    row, enc_row = jwa.get(alg, "jwe-alg"), jwa.get(enc, "jwe-enc")
    if row is None or enc_row is None or row.family != "PBES2":
        return None
    try:
        password = recipient.candidates(load_key(key_text, secret_format, kid=kid, purpose="enc"), row, enc_row,
                                        "encrypt", kid=kid)[0].key.secret or b""
    except JweError:
        return None
    work = Pbes2Derivation(row.name, password, p2s, DEFAULT_P2C if p2c is None else p2c)
    return None if work.done else work
