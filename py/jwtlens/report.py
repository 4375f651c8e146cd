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
    kind: Literal["JWS", "JWE", "SD-JWT", "unknown"]
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
    # An HS* token checked against public-key material (the key-confusion setup): "attempted", or "forged" when the
    # HMAC verifies with that key's own text as the secret. The security review reads this verdict.
    key_confusion: Literal["attempted", "forged"] | None = None


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


Decrypted = Literal["locked", "decrypted", "failed"]
ContentType = Literal["JWT", "JSON", "text", "bytes"]


@dataclass
class PendingWork:
    """Work the page runs in slices before a token can be decrypted (jwe.Pbes2Derivation for PBES2's PBKDF2)."""

    kind: Literal["pbes2"]
    alg: str
    iterations: int  # p2c


@dataclass
class EncryptionResult:
    """A JWE decryption (jwe.decrypt): its state, the algorithms, the key used and the content."""

    # locked: not tried (no key, or PBES2 work pending); decrypted; failed: the key or the token is wrong (problems)
    decrypted: Decrypted
    message: str  # the state in one sentence, with the reason
    alg: str | None = None
    enc: str | None = None
    zip: str | None = None
    key: KeyInfo | None = None  # the key that decrypted it (or the one tried)
    content_type: ContentType | None = None  # "JWT" (nested), "JSON", "text" (UTF-8), "bytes" (not UTF-8)
    plaintext: str | None = None  # the decrypted content as text; None when not decrypted or not UTF-8
    plaintext_base64url: str | None = None  # the decrypted bytes, base64url, when they are not UTF-8
    size: int | None = None  # bytes of content (after inflating)
    compressed_size: int | None = None  # bytes before inflating, with zip
    problems: list[Problem] = field(default_factory=list)  # jwe.* and key.* problems
    tried: list[str] = field(default_factory=list)  # key sets and secret readings: each and what happened
    pending: PendingWork | None = None  # locked until this work is done


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
    encryption: EncryptionResult | None = None  # a JWE tried with a key (also when that failed)
    inner: TokenReport | None = None  # a nested JWT: the decrypted content decoded, checked and reviewed

    def layers(self) -> list[TokenReport]:
        """This token, then the JWT nested in it (decrypted), and so on: the last is what the claims are about."""
        out = [self]
        while out[-1].inner is not None:
            out.append(out[-1].inner)
        return out


VerdictState = Literal["ok", "fail", "warn", "unknown"]


@dataclass
class VerdictPart:
    id: str  # "signature", "time", "issuer", "audience", "presentation", "review"
    state: VerdictState
    text: str  # a few words: "Signature verified", "Expired 3 days ago", "1 critical finding"
    target: str  # the page section it links to (an element id)


@dataclass
class Verdict:
    verdict: Literal["trusted", "untrusted", "unverified", "malformed", "empty"]
    tone: VerdictState  # the worst part: the line's colour
    headline: str  # one sentence
    parts: list[VerdictPart] = field(default_factory=list)


@dataclass
class Report:
    input_kind: str  # "empty", "token", "Authorization header", "URL", "JSON", "cookie header", "text"
    now: float  # the clock used for times and validity (seconds since epoch, UTC)
    candidates: list[Candidate] = field(default_factory=list)
    selected: int | None = None  # index into candidates of the decoded token
    token: TokenReport | None = None
    problems: list[Problem] = field(default_factory=list)  # input-level problems (segment "input")
    sd_jwt: SdJwtReport | None = None  # the selected candidate is an SD-JWT: its disclosures and key binding
    dpop: DpopReport | None = None  # a DPoP proof (selected, or pasted with its request)
    pair: TokenPairReport | None = None  # an ID token pasted with its access token or code (at_hash, c_hash)
    verdict: Verdict | None = None  # the one verdict, made last (verdict.py); the page shows it first

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


# -- SD-JWT (RFC 9901), DPoP (RFC 9449) and OIDC token pairs: the results of sdjwt.py, dpop.py and pairs.py --------

CheckResult = Literal["pass", "fail", "skipped"]
DisclosureStatus = Literal["used", "unreferenced", "duplicate", "malformed", "rejected", "unchecked"]


@dataclass
class Check:
    """One named check of a presentation or a token pair (the page renders ``#pair li[data-check][data-result]``)."""

    id: str  # stable, e.g. "dpop.htu", "oidc.at_hash", "kb.sd_hash"
    result: CheckResult
    message: str  # what was compared, with the values that decided it


@dataclass
class Disclosure:
    """One disclosure of an SD-JWT, decoded, hashed and placed (RFC 9901 4.2)."""

    index: int  # 1-based position among the disclosures as given
    text: str  # the base64url disclosure as given
    start: int | None = None  # offset in the compact SD-JWT string; None in the JSON serialization
    digest: str | None = None  # base64url of its hash under _sd_alg; None when that hash is unknown
    salt: Any = None
    salt_bits: int | None = None  # bits in the salt: its base64url-decoded bytes, else its UTF-8 bytes, times 8
    name: Any = None  # the claim name; None for an array element
    value: Any = None
    kind: Literal["object", "array", "malformed"] = "malformed"  # 3 elements (object property), 2 (array element)
    location: str | None = None  # where its digest sits, as a JSON path: "$.address.street_address", "$.nations[1]"
    # used: inserted into the processed payload; unreferenced: no digest points to it; duplicate: the same
    # disclosure given again; malformed: not a disclosure at all; rejected: referenced but not insertable (reserved
    # name, claim exists, wrong kind, digest seen twice); unchecked: the hash algorithm is unknown
    status: DisclosureStatus = "unreferenced"


@dataclass
class Undisclosed:
    """A digest in the issuer-signed JWT (or in a disclosed value) with no disclosure: hidden claim or decoy."""

    digest: str
    location: str  # the object that holds the _sd array ("$.address"), or the array element ("$.nationalities[1]")
    kind: Literal["object", "array"]


@dataclass
class KeyBinding:
    """The Key Binding JWT of an SD-JWT+KB (RFC 9901 4.3) and what its checks found."""

    token: str
    jwt: TokenReport  # the KB-JWT decoded like any token (its own problems are in jwt.problems)
    signature: SignatureResult  # verified with the holder key in the issuer-signed JWT's cnf.jwk
    sd_hash: str | None = None  # computed over the presentation up to and including the last '~'
    checks: list[Check] = field(default_factory=list)  # kb.typ, kb.alg, kb.signature, kb.sd_hash, kb.iat, ...


@dataclass
class SdJwtReport:
    """An SD-JWT or SD-JWT+KB taken apart and processed as RFC 9901 section 7 describes."""

    serialization: Literal["compact", "json-flattened", "json-general", "unknown"]
    kind: Literal["SD-JWT", "SD-JWT+KB", "unknown"]
    jwt: TokenReport | None  # the issuer-signed JWT, decoded; jwt.signature holds its check when a key was given
    sd_alg: str | None = None  # the _sd_alg value, or "sha-256" by default
    disclosures: list[Disclosure] = field(default_factory=list)
    payload: Any = None  # the Processed SD-JWT Payload; None when the issuer-signed payload is unusable
    undisclosed: list[Undisclosed] = field(default_factory=list)
    key_binding: KeyBinding | None = None
    problems: list[Problem] = field(default_factory=list)  # sdjwt.* problems (and json.* ones of disclosures)
    rejected: bool = False  # a verifier following RFC 9901 must reject it (any error-level problem here or in jwt)
    summary: str = ""  # one sentence for the page


@dataclass
class DpopReport:
    """One DPoP proof (RFC 9449 4.3), and the access token sent with it when given."""

    proof: TokenReport
    checks: list[Check] = field(default_factory=list)  # dpop.jwt, dpop.typ, dpop.alg, ... in the order checked
    thumbprint: str | None = None  # RFC 7638 thumbprint of the proof's jwk (what cnf.jkt must equal)
    ath: str | None = None  # base64url(SHA-256(access token)) when an access token was given
    access_token: TokenReport | None = None  # the access token decoded, when it is a JWT
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    valid: bool = False  # every check passed or was skipped


@dataclass
class TokenPairReport:
    """An ID token and the access token and/or authorization code issued with it (OIDC at_hash, c_hash)."""

    id_token: TokenReport
    checks: list[Check] = field(default_factory=list)  # oidc.at_hash, oidc.c_hash
    problems: list[Problem] = field(default_factory=list)


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
