"""OIDC token pairs: an ID token with the access token (at_hash) and/or authorization code (c_hash) issued with it
(OpenID Connect Core 1.0 3.1.3.6, 3.2.2.9, 3.3.2.11).

A *_hash claim is base64url of the left-most half of the hash of the value's ASCII bytes, with "the hash algorithm
used in the alg Header Parameter of the ID Token". That is the JWA row's hash for HS*, RS*, PS*, ES* (jwa.py). EdDSA
names no hash in JWA; this module follows the OpenID Connect Token Hash Algorithms guide and what libraries do
(openid/connect issue 1125, panva's oidc-token-hash): Ed25519 -> SHA-512, Ed448 -> SHAKE256 with a 114-byte output
(the hash EdDSA itself uses), so the halves are 32 and 57 bytes. For the polymorphic "EdDSA" the curve decides; pass
``crv`` (the signing key's curve) when known, else both curves are tried and the message says which one matched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import b64url, jwa, segments
from .pop import Checks
from .problems import Code, problem
from .report import TokenPairReport
from .segments import json_value_words


@dataclass(frozen=True)
class TokenHash:
    name: str  # for messages: "SHA-256", "SHAKE256 (114-byte output)"
    digest: Callable[[bytes], bytes]


SHA512 = TokenHash("SHA-512", jwa.HASHES["SHA-512"].digest)
SHAKE256_114 = TokenHash("SHAKE256 (114-byte output)", lambda data: hashlib.shake_256(data).digest(114))
EDDSA_HASHES = {"Ed25519": SHA512, "Ed448": SHAKE256_114}  # by curve (and by the fully-specified alg names)
CLAIMS = {"at_hash": ("oidc.at_hash", "access token", Code.OIDC_AT_HASH_MISMATCH),
          "c_hash": ("oidc.c_hash", "authorization code", Code.OIDC_C_HASH_MISMATCH)}


def token_hashes(alg: Any, crv: str | None = None) -> list[tuple[str, TokenHash]]:
    """The candidate hashes for an ID token's alg, each with a note for messages; [] when alg defines none."""
    row = jwa.get(alg, "jws")
    if row is not None and row.hash_info is not None:
        info = row.hash_info
        return [(f"the hash of {alg}", TokenHash(info.name, info.digest))]
    if alg in EDDSA_HASHES:
        return [(f"the hash of {alg}", EDDSA_HASHES[alg])]
    if alg == "EdDSA":
        if crv in EDDSA_HASHES:
            return [(f"the hash of EdDSA with {crv}", EDDSA_HASHES[crv])]
        return [(f"the hash of EdDSA if the key is {c}", h) for c, h in EDDSA_HASHES.items()]
    return []


def half_hash(value: str, how: TokenHash) -> tuple[str, int, int]:
    """(base64url of the left-most half, bytes taken, digest bytes) of the hash of value's ASCII bytes."""
    digest = how.digest(value.encode("utf-8"))
    half = len(digest) // 2
    return b64url.encode(digest[:half]), half, len(digest)


def check_id_token_pair(id_token: str, access_token: str | None = None, code: str | None = None, *,
                        crv: str | None = None) -> TokenPairReport:
    """Check at_hash against the access token and c_hash against the code (each when given or claimed)."""
    token = segments.decode_token(id_token.strip() if isinstance(id_token, str) else "")
    report = TokenPairReport(id_token=token)
    try:
        _check(report, {"at_hash": access_token, "c_hash": code}, crv)
    except Exception as exc:  # noqa: BLE001 - a bug must show as a problem, not a traceback
        report.problems.append(problem(Code.INTERNAL_ERROR, f"OIDC pair: {type(exc).__name__}: {exc}",
                                       segment="token"))
    return report


def _check(report: TokenPairReport, values: dict[str, str | None], crv: str | None) -> None:
    token = report.id_token
    header = token.header if isinstance(token.header, dict) else {}
    payload = token.payload if isinstance(token.payload, dict) else {}
    c = Checks(report.checks, report.problems, "ID token: ")
    alg = header.get("alg")
    candidates = token_hashes(alg, crv)
    for claim, value in values.items():
        check_id, what, code = CLAIMS[claim]
        claimed = payload.get(claim)
        if value is None and claimed is None:
            continue
        if value is None:
            c.add(check_id, "skipped", f"{claim} is {claimed!r}, but no {what} was given to compare.")
        elif claimed is None:
            computed = _computations(value, candidates)[0][1] if candidates else "not computable"
            c.add(check_id, "skipped", f"The ID token has no {claim}, so nothing binds the {what} to it (it is "
                  f"required only when both come from the authorization endpoint); it would be {computed}.")
        elif not isinstance(claimed, str):
            c.add(check_id, "fail", f"{claim} is {json_value_words(claimed)}, not a string.",
                  Code.OIDC_HASH_CLAIM_TYPE)
        elif not candidates:
            c.add(check_id, "skipped", f"{claim} cannot be checked: the ID token's alg {alg!r} defines no hash.",
                  Code.OIDC_HASH_UNKNOWN)
        else:
            _compare(c, check_id, claim, what, claimed, value, candidates, code)


def _computations(value: str, candidates: list[tuple[str, TokenHash]]) -> list[tuple[str, str]]:
    """(how it was computed, result) for each candidate hash."""
    ascii_note = "" if value.isascii() else " (not ASCII: its UTF-8 bytes)"
    out = []
    for note, how in candidates:
        result, half, size = half_hash(value, how)
        out.append((f"{how.name} ({note}) of its {len(value.encode('utf-8'))} bytes{ascii_note}, left-most {half} of "
                    f"{size} bytes, base64url {result}", result))
    return out


def _compare(c: Checks, check_id: str, claim: str, what: str, claimed: str, value: str,
             candidates: list[tuple[str, TokenHash]], code: str) -> None:
    computed = _computations(value, candidates)
    match = next((how for how, result in computed if result == claimed), None)
    if match is not None:
        c.add(check_id, "pass", f"{claim} matches the {what}: {match}.")
    else:
        hows = "; ".join(how for how, _ in computed)
        c.add(check_id, "fail", f"{claim} is {claimed!r}, but {hows}: the {what} was not issued with this ID "
              "token.", code)
