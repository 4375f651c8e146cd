"""The Report: the one plain-data result that the page, the tests and the command line consume.

Everything here is a dataclass of JSON-compatible values, so ``to_dict()`` is ``dataclasses.asdict`` and
``to_json()`` is ``json.dumps`` of that. Decoded JSON values (header, payload, claim values) are kept as parsed,
except numbers that JSON cannot carry losslessly, which the decoder turns into strings before they get here.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal

SegmentName = Literal[
    "token", "header", "payload", "signature", "encrypted_key", "iv", "ciphertext", "tag", "key", "input"
]
Status = Literal["empty", "malformed", "valid", "expired", "not-yet-valid", "no-expiry", "unsecured", "encrypted"]
Verified = Literal["unchecked", "valid", "invalid", "error"]
Severity = Literal["critical", "high", "medium", "low", "info"]


@dataclass
class Problem:
    """Something wrong with the input, a segment, a claim or the key, in words a person can act on."""

    code: str  # stable dotted code from problems.py, e.g. "base64url.invalid-char"
    message: str  # what is wrong, naming the segment and position
    segment: SegmentName | None = None
    position: int | None = None  # 0-based character offset inside the segment (or inside the token for "token")
    fix: str | None = None  # what to do about it
    level: Literal["error", "warning"] = "error"
    line: int | None = None  # JSON syntax errors: 1-based line and column inside the decoded segment text
    column: int | None = None


@dataclass
class Segment:
    name: SegmentName
    text: str  # the base64url text as it appears in the cleaned token
    start: int  # offset of the segment in the cleaned token
    decoded_length: int | None = None  # bytes after base64url decoding, None when it could not be decoded


@dataclass
class Candidate:
    """A JWT-shaped string found in the input; the page lists these so the user can switch between them."""

    index: int
    token: str  # the cleaned compact token
    start: int  # span in the original input text
    end: int
    # where it was found, in words: "Authorization header", "URL fragment id_token", "JSON field access_token"
    source: str
    kind: Literal["JWS", "JWE", "unknown"]
    alg: str | None = None  # from the header when it decodes


@dataclass
class TimeInfo:
    epoch: float  # seconds since 1970-01-01 UTC as given
    utc: str  # ISO 8601 with a Z suffix, e.g. "2026-11-28T20:38:35Z"
    relative: str  # relative to Report.now: "in 4 min", "3 days ago", "now"
    delta: float  # epoch - now, in seconds


@dataclass
class Claim:
    name: str
    value: Any
    where: Literal["header", "payload"]
    description: str | None = None  # one line; None for unknown names
    spec: str | None = None  # where it is defined: "RFC 7519", "OpenID Connect Core", "Microsoft Entra ID", ...
    time: TimeInfo | None = None  # for time claims (exp, nbf, iat, auth_time, updated_at, ...)


@dataclass
class Validity:
    status: Status
    message: str  # one sentence: "Expired 3 days ago (exp 2026-11-25T10:00:00Z)."
    leeway: float = 0.0
    lifetime: float | None = None  # exp - iat in seconds
    lifetime_text: str | None = None  # "1 hour"


@dataclass
class KeyInfo:
    """What the key box held, as understood."""

    kind: str  # "secret", "RSA", "EC", "OKP", "none"
    format: str  # "text", "base64", "base64url", "hex", "PEM public key", "PEM certificate", "JWK", "JWKS", ...
    description: str  # "RSA 2048-bit public key", "P-256 public key", "HMAC secret, 32 bytes (UTF-8 text)"
    size: int | None = None  # bits (RSA modulus, curve size, secret length * 8)
    curve: str | None = None
    thumbprint: str | None = None  # RFC 7638 JWK thumbprint (SHA-256, base64url)
    private: bool = False  # a private key was pasted; its public half is used
    kid: str | None = None
    notes: list[str] = field(default_factory=list)  # certificate subject/issuer/validity, chosen JWKS member, ...


@dataclass
class ClaimCheck:
    """One claim validation result beside the signature (exp, nbf, iat, iss, aud, ...)."""

    claim: str
    ok: bool
    message: str


@dataclass
class SignatureResult:
    verified: Verified
    message: str  # the reason in words
    alg: str | None = None
    key: KeyInfo | None = None
    problems: list[Problem] = field(default_factory=list)  # key-related problems (segment "key")
    checks: list[ClaimCheck] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)  # JWKS: each member and why it was (not) usable


@dataclass
class Finding:
    """A security finding from lint.py (RFC 8725 and friends)."""

    rule: str  # stable id, e.g. "alg.none"
    severity: Severity
    title: str
    risk: str  # one sentence on the risk
    fix: str  # one sentence on the fix
    reference: str  # "RFC 8725 3.1"
    where: str | None = None  # "header.alg", "payload.email", ...


@dataclass
class TokenReport:
    """Everything about one token (the selected candidate)."""

    token: str  # the cleaned compact token
    kind: Literal["JWS", "JWE", "unknown"]
    segments: list[Segment]
    header: Any = None  # parsed JSON, None when it did not decode
    header_text: str | None = None  # decoded text (UTF-8, replacement chars for bad bytes); None if undecodable
    payload: Any = None
    payload_text: str | None = None
    problems: list[Problem] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # payload claims, in token order
    header_params: list[Claim] = field(default_factory=list)  # header parameters, in token order
    validity: Validity = field(default_factory=lambda: Validity("malformed", ""))
    signature: SignatureResult = field(default_factory=lambda: SignatureResult("unchecked", "No key given."))
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    input_kind: str  # "empty", "token", "Authorization header", "URL", "JSON", "cookie header", "text"
    now: float  # the clock used for times and validity (seconds since epoch, UTC)
    candidates: list[Candidate] = field(default_factory=list)
    selected: int | None = None  # index into candidates of the decoded token
    token: TokenReport | None = None
    problems: list[Problem] = field(default_factory=list)  # input-level problems (segment "input")

    @property
    def status(self) -> Status:
        if self.token is None:
            return "malformed" if self.problems else "empty"
        return self.token.validity.status

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["status"] = self.status
        return d

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


@dataclass
class EncodeResult:
    """A token made by encode.py (the page's Encode view, ``jwtlens encode``): the token or why there is none."""

    alg: str
    token: str | None = None  # the compact JWS; None when an error prevented signing
    header: Any = None  # as signed, with alg, typ and kid filled in
    payload: Any = None  # as signed, with the requested claims added
    header_text: str | None = None  # the exact JSON text that was encoded
    payload_text: str | None = None
    segments: list[Segment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    key: KeyInfo | None = None  # the key that signed
    public_key: str | None = None  # PEM (SubjectPublicKeyInfo) that verifies the token, for RSA/EC/OKP keys

    @property
    def ok(self) -> bool:
        return self.token is not None and not any(p.level == "error" for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["ok"] = self.ok
        return d

    to_json = Report.to_json  # json.dumps of to_dict(), as for the Report
