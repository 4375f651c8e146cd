"""The key box: recognise whatever was pasted (secret, PEM, certificate, private key, JWK, JWKS) as key objects.

``load_key(text, secret_format="auto", now=None) -> KeyBox`` never raises for bad input: everything it could not
use becomes a ``Problem`` (segment "key") with a specific message. A ``KeyBox`` holds the usable keys
(``LoadedKey``), every member of a key set with the reason it was or was not usable, and, for an HMAC secret read
in "auto" mode, the other plausible readings of the same text (the verifier tries them when the first fails).

The package, by what each module reads: ``model`` (the key objects and the constructors that validate key
material), ``der`` (SPKI, PKCS#1, PKCS#8, SEC 1, X.509), ``pem`` (the armour, by a table of labels), ``jwk`` (JWK
and JWKS), ``secret`` (HMAC secret readings). This module only decides which of them reads the text.
"""

from __future__ import annotations

from .. import extract
from ..problems import Code, problem
from .der import parse_any_der, parse_certificate, parse_pkcs8, parse_spki
from .jwk import load_json, load_jwk
from .model import (
    PURPOSES,
    SSH_PREFIXES,
    ECPublicKey,
    EdPublicKey,
    KeyBox,
    LoadedKey,
    Member,
    PSSParams,
    UnusableKey,
    XPublicKey,
    looks_like_key_material,
)
from .pem import load_pem, public_pem_texts
from .secret import load_secret, secret_readings

__all__ = [
    "SSH_PREFIXES", "ECPublicKey", "EdPublicKey", "KeyBox", "LoadedKey", "Member", "PSSParams", "UnusableKey",
    "XPublicKey", "load_jwk", "load_key", "looks_like_key_material", "parse_certificate", "parse_pkcs8", "parse_spki",
    "public_pem_texts", "secret_readings",
]


MAX_KEY_CHARS = 4 * 1024 * 1024  # as for the token input: every reader is linear, this bounds the worst case


def load_key(text: str | None, secret_format: str = "auto", now: float | None = None,
             kid: str | None = None, purpose: str = "sig") -> KeyBox:
    """Understand the key box. Never raises for bad input: problems go to ``KeyBox.problems``.

    ``secret_format`` ("auto", "text", "base64", "base64url", "hex") only applies when the text is not
    recognisably a PEM, JWK or JWKS. ``now`` is the clock for certificate validity (default: the current time).
    ``kid`` (the token's) makes sure the member it names is read even in a key set beyond the members read.
    ``purpose`` is "sig" (verification: key-agreement keys are refused with the reason) or "enc" (JWE).
    """
    box = KeyBox(text or "", "empty", wanted_kid=kid, purpose=purpose if purpose in PURPOSES else "sig")
    if text is None or not text.strip():
        return box
    if len(text) > MAX_KEY_CHARS:
        box.format = "text"
        box.problems.append(problem(Code.KEY_UNREADABLE, f"The key box holds {len(text):,} characters; at most "
                                    f"{MAX_KEY_CHARS:,} are read.", segment="key",
                                    fix="Paste the key or key set alone: real keys and key sets are kilobytes."))
        return box
    try:
        _load(text, secret_format, now, box)
    except Exception as exc:  # noqa: BLE001 - a key we cannot read must become a problem, never a traceback
        box.keys, box.alternatives = [], []
        box.problems.append(problem(Code.KEY_UNREADABLE, f"The key could not be read ({type(exc).__name__}: "
                                    f"{exc}).", segment="key"))
    for key in box.keys + [m.key for m in box.members if m.key is not None]:
        key.source = key.source or text
    return box


def _load(text: str, secret_format: str, now: float | None, box: KeyBox) -> None:
    stripped = text.strip()
    if "-----BEGIN" in stripped:
        load_pem(stripped, box, now)
    elif stripped[0] in "{[":
        load_json(stripped, box, now)
    elif stripped.startswith(SSH_PREFIXES):
        box.format = "SSH"
        box.problems.append(problem(
            Code.KEY_UNSUPPORTED,
            "This is an OpenSSH public key; JWS verification needs it as PEM "
            "(ssh-keygen -e -m PKCS8 -f key.pub) or as a JWK.", segment="key", fix=""))
    elif secret_format == "auto" and extract.is_jwt(stripped):
        box.format = "token"
        box.problems.append(problem(Code.KEY_IS_TOKEN, "The key box holds a JWT, not a key or secret.",
                                    segment="key"))
    elif secret_format == "auto" and (key := parse_any_der(stripped, box.purpose)) is not None:
        key.source = text
        box.format, box.keys = "DER", [key]
    else:
        load_secret(text, secret_format, box)
