"""Security review of one token: what is risky about it, why, and what to do (RFC 8725 and friends).

``review()`` runs on every keystroke, so it only looks at what the decoder and the signature check already produced
(plus a set lookup for a pasted weak secret); the slow dictionary search of the signature is weak.py's, run by the
page after the first render. It never raises: a rule that fails on odd input becomes an info finding
"lint.internal-error" instead of breaking the page.

Severity scale (the page's summary line shows the highest):

- critical: the token can be forged or altered right now by anyone who holds it: no signature, a signature made
  with a well-known secret, a public key accepted as an HMAC secret.
- high: a MUST of the specifications is broken, or a verifier that follows a common default can be attacked
  (header URLs and embedded keys, injectable kid, short HMAC or RSA key), or the payload exposes secrets, card or
  national id numbers.
- medium: weakens security depending on the verifier (no exp, very long lifetime, unknown crit, b64: false,
  compression, a key that does not fit the alg, duplicate members, non-UTF-8).
- low: hygiene and profile conformance (no aud/iss on a general token, missing explicit typing, nested JWT,
  personal data outside the standard identity claims, a private key in the key box).
- info: worth knowing, not a weakness: personal data in the standard identity claims of an ID token (e.g. the
  OIDC `email` claim is expected there; it is still readable by anyone holding the token).

Every finding has a stable rule id (``#findings li[data-rule]``), listed in RULE_IDS; ids are only ever added,
never renamed.
"""

from __future__ import annotations

import functools
import hmac
import json
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .options import Options
from .report import Finding, KeyInfo, Severity, SignatureResult, TokenReport
from .weak import HMAC_ALGS, hmac_target, is_weak_secret

SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
# Every rule id review() can emit (the page and the tests may rely on these).
RULE_IDS = (
    "alg.none", "alg.missing", "alg.case", "alg.unregistered", "signature.empty",
    "key.confusion", "hmac.short-secret", "hmac.weak-secret", "key.alg-mismatch", "key.rsa-short", "key.private",
    "header.jku", "header.x5u", "header.jwk", "header.x5c", "kid.injection", "header.crit", "header.b64-false",
    "jwe.zip", "jwe.rsa1_5", "jwe.p2c", "jwe.p2c-low",
    "typ.missing", "typ.nested-jwt",
    "claims.no-exp", "claims.long-lifetime", "claims.iat-future", "claims.nbf-after-exp", "claims.nbf-future",
    "claims.exp-before-iat", "claims.no-aud", "claims.no-iss",
    "header.duplicate-member", "payload.duplicate-member", "header.not-utf8", "payload.not-utf8",
    "payload.sensitive",
    "lint.internal-error",
)
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# Registered "alg" values (IANA JOSE registry: RFC 7518 3.1 and 4.1, RFC 8037, RFC 8812, RFC 9864).
JWS_ALGS = frozenset({
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
    "none", "EdDSA", "ES256K", "Ed25519", "Ed448",
})
JWE_ALGS = frozenset({
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW", "A192KW", "A256KW", "dir",
    "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
    "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
})
# Header parameters defined by RFC 7515/7516: "crit" must not list them (RFC 7515 4.1.11).
REGISTERED_HEADER_PARAMS = frozenset({
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip",
    "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
})
# Extensions that this page (and the verifiers it models) understands when listed in "crit".
UNDERSTOOD_CRIT = frozenset({"b64"})

ACCESS_TOKEN_MAX = 24 * 3600
ANY_TOKEN_MAX = 7 * 24 * 3600
P2C_MAX = 1_000_000
P2C_MIN = 1000  # RFC 7518 4.8.1.2 recommends at least this many iterations

CURVES = {  # KeyInfo.curve spellings -> JOSE curve name
    "p-256": "P-256", "secp256r1": "P-256", "prime256v1": "P-256", "nist256p": "P-256",
    "p-384": "P-384", "secp384r1": "P-384", "nist384p": "P-384",
    "p-521": "P-521", "secp521r1": "P-521", "nist521p": "P-521",
    "secp256k1": "secp256k1",
    "ed25519": "Ed25519", "ed448": "Ed448",
}
EC_ALG_CURVE = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521", "ES256K": "secp256k1"}


@dataclass
class _Ctx:
    token: TokenReport
    signature: SignatureResult
    key_text: str | None
    header: dict[str, Any]  # {} when the header is not a JSON object
    payload: dict[str, Any] | None  # None when the payload is not a JSON object (or encrypted)
    alg: Any
    now: float
    leeway: float

    @property
    def is_jwe(self) -> bool:
        return self.token.kind == "JWE"

    @property
    def key(self) -> KeyInfo | None:
        return self.signature.key


def review(
    token: TokenReport, signature: SignatureResult, options: Options, key: str | None = None
) -> list[Finding]:
    """All findings for one token, most severe first. ``key`` is the raw text of the key box, when there is one."""
    header = token.header if isinstance(token.header, dict) else {}
    payload = token.payload if isinstance(token.payload, dict) and token.kind != "JWE" else None
    now = _num(options.now)
    ctx = _Ctx(
        token=token,
        signature=signature,
        key_text=key if isinstance(key, str) and key.strip() else None,
        header=header,
        payload=payload,
        alg=header.get("alg"),
        now=now if now is not None else time.time(),
        leeway=max(0.0, _num(options.leeway) or 0.0),
    )
    findings: list[Finding] = []
    for rule in RULES:
        try:
            findings.extend(rule(ctx))
        except Exception as exc:  # a rule must never break the page; say which one failed instead
            findings.append(Finding(
                rule="lint.internal-error",
                severity="info",
                title="A security check could not run",
                risk=f"The check {rule.__name__.lstrip('_')} failed ({type(exc).__name__}: {exc}), so this review "
                "may be incomplete.",
                fix="Report this token shape to the JWT Lens maintainers; the other checks still ran.",
                reference="-",
            ))
    findings.sort(key=lambda f: _RANK.get(f.severity, len(SEVERITIES)))
    return findings


def summarize(findings: list[Finding]) -> dict[str, Any]:
    """The page's summary line: highest severity, counts per severity, and one line of text."""
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        if f.severity in counts:
            counts[f.severity] += 1
    highest = next((s for s in SEVERITIES if counts[s]), None)
    parts = [f"{counts[s]} {s}" for s in SEVERITIES if counts[s]]
    return {
        "highest": highest,
        "counts": counts,
        "total": sum(counts.values()),
        "text": ", ".join(parts) if parts else "No findings",
    }


def _f(rule: str, severity: Severity, title: str, risk: str, fix: str, reference: str, where: str | None) -> Finding:
    return Finding(rule=rule, severity=severity, title=title, risk=risk, fix=fix, reference=reference, where=where)


def _num(value: Any) -> float | None:
    """A JSON number usable as a NumericDate (bools and non-finite values are not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def _duration(seconds: float) -> str:
    s = abs(seconds)
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if s >= size:
            n = round(s / size, 1)
            n_text = f"{n:g}"
            return f"{n_text} {unit}" + ("" if n_text == "1" else "s")
    return f"{s:g} seconds"


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- algorithm --------------------------------------------------------------------------------------------------


def _alg_rules(ctx: _Ctx) -> Iterator[Finding]:
    if not ctx.header:
        return
    alg = ctx.alg
    registry = JWE_ALGS if ctx.is_jwe else JWS_ALGS
    if alg is None:
        if "alg" not in ctx.header:
            yield _f(
                "alg.missing", "high", "No algorithm in the header",
                "Without 'alg' a verifier has to guess how the token is protected, and some treat it as unsigned.",
                "Issue tokens with an explicit 'alg', and have verifiers accept only their one expected algorithm.",
                "RFC 7515 4.1.1; RFC 8725 3.1", "header.alg",
            )
            return
    if isinstance(alg, str) and alg.lower() == "none" and not ctx.is_jwe:
        odd_case = alg != "none"
        yield _f(
            "alg.none", "critical",
            f"Unsigned token (alg '{_short(alg)}')" + (": a case variant of 'none'" if odd_case else ""),
            "Anyone can change the claims of an unsigned token; a verifier that honours 'none'"
            + (" or compares algorithm names case-insensitively" if odd_case else "")
            + " accepts forged tokens.",
            "Reject 'none' in every letter case: verifiers must accept only an allow-list of signed algorithms.",
            "RFC 8725 2.1, 3.1, 3.2; RFC 7518 3.6", "header.alg",
        )
        return
    if not isinstance(alg, str) or alg not in registry:
        match = next((a for a in registry if isinstance(alg, str) and a.lower() == alg.lower()), None)
        if match is not None:
            yield _f(
                "alg.case", "medium", f"Algorithm name in the wrong case: '{_short(alg)}' instead of '{match}'",
                "Algorithm names are case-sensitive; a verifier that compares them case-insensitively can be "
                "steered past its allow-list, and a correct one rejects this token.",
                f"Issue the token with alg '{match}' exactly, and compare algorithm names exactly when verifying.",
                "RFC 7515 4.1.1; RFC 8725 3.1", "header.alg",
            )
        else:
            kind = "key-management (JWE)" if ctx.is_jwe else "signature (JWS)"
            yield _f(
                "alg.unregistered", "high", f"Unknown {kind} algorithm '{_short(alg)}'",
                "An algorithm outside the registry has no reviewed security properties, and verifiers disagree on "
                "what to do with it.",
                "Use a registered algorithm such as RS256, PS256, ES256 or EdDSA, and reject anything else.",
                "RFC 7518 3.1; RFC 8725 3.2", "header.alg",
            )


def _signature_rules(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.is_jwe or (isinstance(ctx.alg, str) and ctx.alg.lower() == "none"):
        return
    sig = next((s for s in ctx.token.segments if s.name == "signature"), None)
    if sig is not None and sig.text == "":
        yield _f(
            "signature.empty", "critical", "The signature is empty",
            f"The header says '{_short(ctx.alg)}' but the token carries no signature: anyone could have written "
            "it, and a verifier that skips verification for empty signatures accepts forgeries.",
            "Reject tokens without a valid signature for the expected algorithm; never accept stripped signatures.",
            "RFC 8725 2.1, 3.1, 3.3", "signature",
        )


# --- keys -------------------------------------------------------------------------------------------------------


def _looks_asymmetric(text: str | None) -> str | None:
    """What kind of public-key material the key box text is, if it is any: 'PEM', 'JWK', 'SSH'."""
    if not text:
        return None
    t = text.strip()
    if "-----BEGIN" in t:
        return "PEM"
    if t.startswith(("ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-")):
        return "SSH"
    if t.startswith("{"):
        try:
            doc = json.loads(t)
        except ValueError:
            return None
        keys = doc.get("keys") if isinstance(doc, dict) else None
        members = keys if isinstance(keys, list) else [doc]
        if any(isinstance(k, dict) and k.get("kty") in ("RSA", "EC", "OKP") for k in members):
            return "JWK"
    return None


def _key_rules(ctx: _Ctx) -> Iterator[Finding]:
    key, alg = ctx.key, ctx.alg
    if not isinstance(alg, str) or ctx.is_jwe:
        return
    kind = key.kind if key is not None else None
    if alg in HMAC_ALGS:
        asym = kind if kind in ("RSA", "EC", "OKP") else _looks_asymmetric(ctx.key_text)
        if asym:
            forged = ctx.signature.verified == "valid" or _signed_with_text(ctx.token, ctx.key_text)
            yield _f(
                "key.confusion", "critical" if forged else "high",
                "Public key used as an HMAC secret" + (": this token was forged with it" if forged else ""),
                f"An {alg} token checked against a public key ({asym}) is the algorithm-confusion attack: the "
                "public key is no secret, so anyone can compute a valid HMAC with it"
                + (", and this signature verifies that way." if forged else "."),
                "Verify with the algorithm configured for the key (e.g. RS256 for an RSA key), never the token's "
                "'alg'; keep one algorithm per key.",
                "RFC 8725 2.1, 3.1", "header.alg",
            )
            return
        bits = HMAC_ALGS[alg][1]
        if key is not None and kind == "secret":
            if key.size is not None and 0 < key.size < bits:
                yield _f(
                    "hmac.short-secret", "high",
                    f"HMAC secret shorter than the hash: {key.size} bits for {alg}",
                    f"{alg} needs a key of at least {bits} bits; shorter secrets are easier to brute-force offline "
                    "from any one token.",
                    f"Use a random secret of at least {bits // 8} bytes from a cryptographic random generator.",
                    "RFC 7518 3.2; RFC 8725 3.5", "key",
                )
        if kind in ("secret", None) and ctx.key_text is not None and is_weak_secret(ctx.key_text):
            verified = ctx.signature.verified == "valid"
            secret = ctx.key_text.strip()
            named = "an empty secret" if secret == "" else f"the well-known secret '{_short(secret, 40)}'"
            yield _f(
                "hmac.weak-secret", "critical" if verified else "high",
                f"Signed with {named}" if verified else f"The secret in the key box is {named}",
                ("This token verifies with " if verified else "You checked the token against ")
                + f"{named}, found in public lists of weak secrets: anyone holding a token can find it "
                "offline and forge tokens.",
                f"Use at least {bits // 8} random bytes from a cryptographic random generator (or an "
                "asymmetric algorithm) and revoke tokens signed with the old secret.",
                "RFC 8725 2.2, 3.5", "key",
            )
        return
    if key is None or kind not in ("secret", "RSA", "EC", "OKP"):  # no key, or a key set (JWKS)
        return
    expected, want_curve = _expected_key(alg)
    if expected is None:
        return
    curve = CURVES.get(str(key.curve or "").strip().lower(), key.curve)
    mismatch = None
    if kind != expected:
        mismatch = f"{alg} needs {'an' if expected in ('RSA', 'EC', 'OKP') else 'a'} {expected} key, not {kind}"
        if kind == "secret":
            mismatch = f"{alg} needs an {expected} public key, not an HMAC secret"
    elif want_curve and curve and curve not in want_curve:
        mismatch = f"{alg} needs a {' or '.join(want_curve)} key, not {curve}"
    if mismatch:
        yield _f(
            "key.alg-mismatch", "medium", "The key does not fit the algorithm: " + mismatch,
            "A key must be used with exactly one algorithm; a token whose 'alg' does not fit the issuer's key is "
            "either meant for another key or was altered.",
            "Check that this is the issuer's key for this token, and pin the algorithm per key in the verifier.",
            "RFC 8725 3.1", "header.alg",
        )
    if kind == "RSA" and key.size is not None and 0 < key.size < 2048:
        yield _f(
            "key.rsa-short", "high", f"RSA key of only {key.size} bits",
            "RSA keys below 2048 bits are too weak for signatures; 1024-bit keys are within reach of "
            "well-funded attackers.",
            "Issue tokens with an RSA key of 2048 bits or more (3072 for long-term use), or with ES256/EdDSA.",
            "RFC 7518 3.3, 3.5", "key",
        )


def _signed_with_text(token: TokenReport, text: str | None) -> bool:
    """Whether the HMAC signature was made with the key box text itself (the key-confusion forgery), trying the
    text as pasted, trimmed, and with the final newline PEM files have. A few HMACs: cheap enough per keystroke."""
    target = hmac_target(token) if text else None
    if target is None or text is None:
        return False
    lf = text.strip().replace("\r\n", "\n")
    crlf = lf.replace("\n", "\r\n")
    variants = {text, lf, lf + "\n", crlf, crlf + "\r\n"}
    return any(
        hmac.compare_digest(hmac.digest(v.encode("utf-8", "surrogatepass"), target.signing_input, target.hash_name),
                            target.signature)
        for v in variants
    )


def _expected_key(alg: str) -> tuple[str | None, tuple[str, ...]]:
    if alg[:2] in ("RS", "PS") and alg[2:] in ("256", "384", "512"):
        return "RSA", ()
    if alg in EC_ALG_CURVE:
        return "EC", (EC_ALG_CURVE[alg],)
    if alg == "EdDSA":
        return "OKP", ("Ed25519", "Ed448")
    if alg in ("Ed25519", "Ed448"):
        return "OKP", (alg,)
    return None, ()


def _private_key_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.key is not None and ctx.key.private:
        yield _f(
            "key.private", "low", "A private key was pasted",
            "Verifying needs only the public key; a private key that was copied around (clipboard, chat, tickets) "
            "lets whoever sees it sign tokens.",
            "Paste the public key or certificate instead; if this private key is a production key, treat it as "
            "exposed and rotate it.",
            "RFC 8725 2.2", "key",
        )


# --- header -----------------------------------------------------------------------------------------------------


def _header_url_rules(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    for name, what in (("jku", "JWK Set URL"), ("x5u", "X.509 certificate URL")):
        if name in h:
            value = h[name]
            plain = isinstance(value, str) and not value.lower().startswith("https://")
            yield _f(
                f"header.{name}", "high", f"Header names a key URL ('{name}', {what})",
                f"A verifier that fetches keys from '{name}' lets the token's author choose the verification key, "
                "and makes the server request an attacker-chosen URL (SSRF)"
                + (", here not even over HTTPS" if plain else "")
                + "; JWT Lens never fetches it.",
                f"Verifiers must ignore '{name}' or accept only exact, allow-listed HTTPS URLs of the issuer; take "
                "keys from configuration.",
                f"RFC 8725 2.9, 3.10; RFC 7515 {'4.1.2' if name == 'jku' else '4.1.5'}", f"header.{name}",
            )
    if "jwk" in h:
        yield _f(
            "header.jwk", "high", "Header embeds its own verification key ('jwk')",
            "A verifier that trusts the key inside the token accepts tokens signed by anyone with any key "
            "(the embedded-JWK attack, CVE-2018-0114).",
            "Ignore 'jwk' for trust: verify only with keys the application already knows to belong to the issuer.",
            "RFC 7515 4.1.3; RFC 8725 3.8", "header.jwk",
        )
    if "x5c" in h:
        yield _f(
            "header.x5c", "medium", "Header embeds a certificate chain ('x5c')",
            "The certificates in the token prove nothing by themselves: a verifier that uses them without "
            "validating the chain to its own trust anchor accepts keys the attacker made.",
            "Validate the chain against a configured trust anchor (RFC 5280) and check that it identifies the "
            "expected issuer, or verify with a configured key instead.",
            "RFC 7515 4.1.6; RFC 8725 3.8", "header.x5c",
        )


_KID_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a file path", re.compile(r"\.\.[/\\]|[/\\]\.\.|%2e%2e|^/(?:dev|etc|proc|tmp|var|usr|home|root|bin|sys)/|"
                               r"^[a-z]:\\|file:", re.IGNORECASE)),
    ("a NUL or control character", re.compile(r"[\x00-\x1f\x7f]|%00")),
    ("quotes", re.compile(r"['\"`]")),
    ("SQL syntax", re.compile(r"--|/\*|\*/|;|\b(?:union\s+select|or\s+\d+\s*=\s*\d+|sleep\s*\()", re.IGNORECASE)),
    ("shell metacharacters", re.compile(r"[|&$<>]|\$\(")),
)


def _kid_rule(ctx: _Ctx) -> Iterator[Finding]:
    if "kid" not in ctx.header:
        return
    kid = ctx.header["kid"]
    if isinstance(kid, (dict, list)):
        found = ["a JSON " + ("object" if isinstance(kid, dict) else "array") + " instead of a string"]
    elif isinstance(kid, str):
        found = [name for name, pattern in _KID_CHECKS if pattern.search(kid)]
    else:
        return
    if found:
        yield _f(
            "kid.injection", "high", "Key id ('kid') contains " + ", ".join(found),
            "A verifier that puts 'kid' into a file path, SQL or NoSQL query, LDAP filter or shell command can be "
            "made to pick a key the attacker knows (e.g. /dev/null or an injected empty value).",
            "Treat 'kid' as untrusted: look it up only in a fixed map of known key ids, never in a path or query.",
            "RFC 8725 2.9, 3.10; RFC 7515 4.1.4", "header.kid",
        )


def _crit_rule(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    if "crit" not in h:
        return
    crit = h["crit"]
    reasons: list[str] = []
    if not isinstance(crit, list) or not crit:
        reasons.append("it is not a non-empty array of names")
    else:
        names = [c for c in crit if isinstance(c, str)]
        if len(names) != len(crit):
            reasons.append("it contains non-string entries")
        if len(set(names)) != len(names):
            reasons.append("it lists a name twice")
        registered = [n for n in names if n in REGISTERED_HEADER_PARAMS]
        if registered:
            reasons.append("it lists registered parameters (" + ", ".join(registered) + ")")
        absent = [n for n in names if n not in h and n not in REGISTERED_HEADER_PARAMS]
        if absent:
            reasons.append("it names parameters missing from the header (" + ", ".join(map(_short, absent)) + ")")
        unknown = [n for n in names if n not in UNDERSTOOD_CRIT and n not in REGISTERED_HEADER_PARAMS and n in h]
        if unknown:
            reasons.append("it requires extensions this page and most verifiers do not support ("
                           + ", ".join(map(_short, unknown)) + ")")
    if reasons:
        yield _f(
            "header.crit", "medium", "Critical header extensions ('crit') a verifier must reject",
            "A verifier must reject a token whose 'crit' it does not fully understand; one that ignores 'crit' "
            "processes the token with semantics the issuer did not intend: " + "; ".join(reasons) + ".",
            "List in 'crit' only extension parameters that are present and that every verifier implements, or "
            "drop them.",
            "RFC 7515 4.1.11", "header.crit",
        )


def _b64_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.header.get("b64") is not False:
        return
    crit = ctx.header.get("crit")
    in_crit = isinstance(crit, list) and "b64" in crit
    yield _f(
        "header.b64-false", "medium", "Unencoded payload ('b64': false)",
        "The signature covers the raw payload, which JWTs must not use; verifiers that do not implement RFC 7797 "
        "compute a different signing input"
        + ("" if in_crit else ", and without 'b64' in 'crit' they may silently misread the token")
        + ".",
        "Issue JWTs with the default base64url payload; if RFC 7797 is really needed, list 'b64' in 'crit'.",
        "RFC 7797 3, 6, 7", "header.b64",
    )


# --- JWE --------------------------------------------------------------------------------------------------------


def _jwe_rules(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    if not ctx.is_jwe or not h:
        return
    if "zip" in h:
        yield _f(
            "jwe.zip", "medium", f"Compressed before encryption ('zip': '{_short(h['zip'])}')",
            "The ciphertext length then depends on the content, which leaks secrets when attacker-controlled data "
            "is encrypted alongside them; decompression without a size limit also invites decompression bombs.",
            "Do not compress encryption inputs; if you must, never mix attacker-controlled data in and cap the "
            "decompressed size.",
            "RFC 8725 2.4, 3.6; RFC 7516 4.1.3", "header.zip",
        )
    if h.get("alg") == "RSA1_5":
        yield _f(
            "jwe.rsa1_5", "high", "RSA PKCS#1 v1.5 key encryption (RSA1_5)",
            "RSAES-PKCS1-v1_5 decryption is open to Bleichenbacher-style padding-oracle attacks that recover the "
            "content key.",
            "Use RSA-OAEP-256 (or ECDH-ES) for key management and reject RSA1_5.",
            "RFC 8725 3.2; RFC 7518 4.2", "header.alg",
        )
    p2c = _num(h.get("p2c"))
    if p2c is not None:
        if p2c > P2C_MAX:
            yield _f(
                "jwe.p2c", "high", f"PBES2 iteration count of {int(p2c):,} ('p2c')",
                "The recipient must run that many PBKDF2 iterations before it can even reject the token: a cheap "
                "denial-of-service lever for whoever sends it.",
                f"Recipients should refuse 'p2c' above a fixed limit (e.g. {P2C_MAX:,}); issuers should use a "
                "sensible count or a random key instead of a password.",
                "RFC 7518 4.8.1.2; RFC 8725 2.2, 3.5", "header.p2c",
            )
        elif p2c < P2C_MIN:
            yield _f(
                "jwe.p2c-low", "low", f"PBES2 iteration count of only {int(p2c):,} ('p2c')",
                "Few iterations make the password that protects the content key cheap to brute-force.",
                f"Use at least {P2C_MIN:,} iterations (far more for human passwords), or a random key.",
                "RFC 7518 4.8.1.2", "header.p2c",
            )


# --- typing -----------------------------------------------------------------------------------------------------


def _media_type(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    return v[len("application/"):] if v.startswith("application/") else v


def _is_access_token(ctx: _Ctx) -> bool:
    if _media_type(ctx.header.get("typ")) == "at+jwt":
        return True
    return ctx.payload is not None and any(k in ctx.payload for k in ("scope", "scp", "client_id"))


def _typ_rules(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    if not h:
        return
    if not ctx.is_jwe and ctx.payload is not None and _is_access_token(ctx):
        typ = _media_type(h.get("typ"))
        if typ != "at+jwt":
            shown = "no 'typ'" if "typ" not in h else f"typ '{_short(h.get('typ'))}'"
            yield _f(
                "typ.missing", "low", f"Access token without explicit typing ({shown})",
                "The payload looks like an OAuth access token (scope/scp/client_id), but without typ 'at+jwt' a "
                "verifier cannot tell it from an ID token or another JWT of the same issuer, so one kind can be "
                "replayed as another.",
                "Issue access tokens with the header typ 'at+jwt', and have resource servers require it.",
                "RFC 9068 2.1, 4; RFC 8725 3.11", "header.typ",
            )
    cty = _media_type(h.get("cty"))
    if cty == "jwt":
        yield _f(
            "typ.nested-jwt", "info" if ctx.is_jwe else "low", "Nested JWT ('cty': 'JWT')",
            "The content is another JWT: libraries that unwrap the outer layer do not always validate the inner "
            "token's signature and claims.",
            "Validate both layers with the keys and algorithms the application expects, and reject the whole token "
            "if either fails.",
            "RFC 7519 5.2; RFC 8725 2.3, 3.3", "header.cty",
        )


# --- claims -----------------------------------------------------------------------------------------------------


def _claim_rules(ctx: _Ctx) -> Iterator[Finding]:
    p = ctx.payload
    if p is None:
        return
    access = _is_access_token(ctx)
    kind = "access token" if access else "token"
    exp, iat, nbf = _num(p.get("exp")), _num(p.get("iat")), _num(p.get("nbf"))
    if "exp" not in p:
        yield _f(
            "claims.no-exp", "high" if access else "medium", f"The {kind} never expires (no 'exp')",
            "A token without expiry stays usable forever once leaked, logged or stolen; only rotating the key "
            "revokes it.",
            "Issue tokens with 'exp' (minutes for access tokens) and have verifiers require it.",
            "RFC 7519 4.1.4; RFC 9068 2.2" if access else "RFC 7519 4.1.4", "payload.exp",
        )
    if exp is not None:
        start = iat if iat is not None else nbf
        lifetime = exp - start if start is not None else exp - ctx.now
        limit = ACCESS_TOKEN_MAX if access else ANY_TOKEN_MAX
        if lifetime > limit and (start is None or exp > start):
            basis = "lifetime" if start is not None else "remaining lifetime"
            yield _f(
                "claims.long-lifetime", "medium",
                f"Long {basis}: {_duration(lifetime)} for {'an' if access else 'a'} {kind}",
                f"A leaked {kind} stays usable for {_duration(lifetime)}; "
                + ("access tokens should live minutes to hours (more than 24 hours is long)."
                   if access else "more than a week gives a thief a long window."),
                "Shorten the lifetime and use refresh tokens (or re-authentication) for long sessions.",
                "RFC 6819 5.1.5.3", "payload.exp",
            )
    if iat is not None and iat > ctx.now + ctx.leeway:
        yield _f(
            "claims.iat-future", "medium", f"Issued in the future: 'iat' is {_duration(iat - ctx.now)} ahead",
            "Either the issuer's clock is wrong or the token was made by hand; verifiers that check 'iat' reject it "
            "and those that do not may accept a token dated to outlive its intended expiry.",
            "Fix the issuer's clock (NTP) or find out who minted this token; keep the verifier's leeway small.",
            "RFC 7519 4.1.6", "payload.iat",
        )
    if nbf is not None and exp is not None and nbf > exp:
        yield _f(
            "claims.nbf-after-exp", "medium", "Never valid: 'nbf' is after 'exp'",
            "No moment exists at which this token is valid; a verifier that checks only one of the two accepts it "
            "anyway, which points at a broken issuer or a hand-made token.",
            "Fix the issuer so that nbf <= iat < exp.",
            "RFC 7519 4.1.4, 4.1.5", "payload.nbf",
        )
    elif nbf is not None and nbf > ctx.now + ctx.leeway:
        yield _f(
            "claims.nbf-future", "low", f"Not valid yet: 'nbf' is {_duration(nbf - ctx.now)} ahead",
            "Verifiers reject the token until then; a far-future 'nbf' often means clock skew or a token made in "
            "advance to be used later.",
            "Check the issuer's clock; issue tokens when they are needed.",
            "RFC 7519 4.1.5", "payload.nbf",
        )
    if exp is not None and iat is not None and exp <= iat:
        yield _f(
            "claims.exp-before-iat", "medium", "Expired when issued: 'exp' is not after 'iat'",
            "The issuer's lifetime setting or clock is broken; verifiers that ignore 'exp' would accept a token "
            "the issuer meant to be dead.",
            "Fix the issuer's token lifetime so that exp > iat.",
            "RFC 7519 4.1.4, 4.1.6", "payload.exp",
        )
    if "aud" not in p:
        yield _f(
            "claims.no-aud", "medium" if access else "low", "No audience ('aud')",
            "Without 'aud' a token meant for one service can be replayed at another service that trusts the same "
            "issuer (substitution).",
            "Put the intended recipient in 'aud' and have every verifier check that it is named there.",
            "RFC 8725 2.7, 3.9" + ("; RFC 9068 2.2" if access else ""), "payload.aud",
        )
    if "iss" not in p:
        yield _f(
            "claims.no-iss", "medium" if access else "low", "No issuer ('iss')",
            "Without 'iss' a verifier cannot tie the token to the issuer whose keys should verify it, which "
            "invites cross-issuer confusion.",
            "Put the issuer identifier in 'iss' and have verifiers require their expected issuer.",
            "RFC 8725 3.8" + ("; RFC 9068 2.2" if access else ""), "payload.iss",
        )


# --- payload contents -------------------------------------------------------------------------------------------


def _encoding_rules(ctx: _Ctx) -> Iterator[Finding]:
    dup_segments: list[str] = []
    utf8_segments: list[str] = []
    for problem in ctx.token.problems:
        seg = problem.segment if problem.segment in ("header", "payload") else None
        if seg is None:
            continue
        if problem.code == "json.duplicate-member" and seg not in dup_segments:
            dup_segments.append(seg)
        elif problem.code == "utf8.invalid" and seg not in utf8_segments:
            utf8_segments.append(seg)
    for seg in dup_segments:
        yield _f(
            f"{seg}.duplicate-member", "medium", f"Duplicate member names in the {seg} JSON",
            "JSON parsers disagree on which duplicate wins (first, last, or error), so the verifier and the "
            "application can act on different values, e.g. two different 'sub' or 'alg'.",
            "Reject tokens with duplicate member names; issuers must emit each name once.",
            "RFC 7519 4; RFC 7515 4", seg,
        )
    for seg in utf8_segments:
        yield _f(
            f"{seg}.not-utf8", "medium", f"The {seg} is not valid UTF-8",
            "Different decoders repair or reject invalid bytes differently, which a crafted token can use to look "
            "different to the verifier and to the application.",
            "Reject tokens whose JSON is not valid UTF-8; issuers must encode JSON as UTF-8.",
            "RFC 8725 2.6, 3.7", seg,
        )


# Sensitive data in the payload. Only what is typical enough not to fire on ordinary claims.
# Claims that carry personal data by design (OIDC standard claims, Entra ID and common IdP claims): still readable by
# anyone holding the token, but expected in an ID token, so info rather than low.
IDENTITY_CLAIMS = frozenset({
    "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "email", "emails",
    "phone_number", "address", "upn", "unique_name", "login_hint", "verified_primary_email",
    "verified_secondary_email", "username", "user_name", "mail", "email_address", "phone", "signInNames",
})
# Claims that identify clients or the token itself: not personal data even when they look like an email
# (e.g. Google service accounts use their email address as iss/sub).
IDENTIFIER_CLAIMS = frozenset({
    "iss", "aud", "azp", "client_id", "appid", "jti", "sid", "oid", "tid", "kid", "nonce", "at_hash", "c_hash",
    "s_hash", "act", "may_act", "cnf",
})
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "apikey", "privatekey",
                           "secretkey", "accesskey", "clientsecret", "refreshtoken", "cvv", "cvc", "cvv2"})
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key"),
                           ("signing", "key"), ("client", "secret"), ("refresh", "token"), ("secret", "access")})
_NATIONAL_ID_NAMES = frozenset({"ssn", "socialsecuritynumber", "nationalid", "nationalidnumber",
                                "nationalidentitynumber", "nino", "nationalinsurancenumber", "passport",
                                "passportnumber", "passportno", "taxid", "cpf", "dni", "nif", "nie", "aadhaar",
                                "pesel", "bsn", "personnummer", "sozialversicherungsnummer"})
_PHONE_NAMES = frozenset({"phone", "phonenumber", "mobile", "mobilenumber", "mobilephone", "tel", "telephone",
                          "fax", "msisdn", "cell", "cellphone"})

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
                    r"(?![\w-])")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d[\d ().-]{6,20}\d(?!\w)")
_PHONE_NANP = re.compile(r"(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])")
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_SSN = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_NINO = re.compile(r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])"
                   r"(?![A-Za-z0-9])")
_DNI = re.compile(r"(?<![\w-])([XYZ]?)(\d{7,8})-?([A-Z])(?![\w-])")
_CPF = re.compile(r"(?<![\w.])(\d{3})\.(\d{3})\.(\d{3})-(\d{2})(?![\w-])")

# review() runs on every keystroke: bound the scan of huge payloads (real tokens are far smaller).
_MAX_NODES = 1000
_MAX_STRING = 2048
_MAX_TEXT = 32_768
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=512)
def _words(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return tuple(w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w)


def _is_secret_name(name: str) -> bool:
    words = _words(name)
    if not words:
        return False
    if "".join(words) in _SECRET_WORDS or words[-1] in _SECRET_WORDS:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in _SECRET_PAIRS


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_numbers(text: str) -> bool:
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1 and _luhn(digits):
            return True
    return False


def _ssn_ok(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _cpf_ok(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    for n in (9, 10):
        s = sum(int(digits[i]) * (n + 1 - i) for i in range(n))
        if (s * 10 % 11) % 10 != int(digits[n]):
            return False
    return True


def _national_id(text: str) -> bool:
    if any(_ssn_ok(*m.groups()) for m in _SSN.finditer(text)):
        return True
    for m in _NINO.finditer(text):
        if m.group(1) not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            return True
    for m in _DNI.finditer(text):
        prefix, number, letter = m.groups()
        if len(prefix) + len(number) != 8:
            continue
        n = int(str("XYZ".index(prefix)) + number) if prefix else int(number)
        if "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] == letter:
            return True
    return any(_cpf_ok("".join(m.groups())) for m in _CPF.finditer(text))


def _phone(text: str, by_name: bool) -> bool:
    if by_name:
        digits = re.sub(r"\D", "", text)
        return 7 <= len(digits) <= 15 and len(digits) >= len(text.strip()) * 0.6
    for m in _PHONE_INTL.finditer(text):
        if 8 <= len(re.sub(r"\D", "", m.group())) <= 15:
            return True
    return bool(_PHONE_NANP.search(text))


def _leaves(value: Any, path: str, top: str, budget: list[int], depth: int = 0) -> Iterator[tuple[str, str, str, Any]]:
    """(path, top-level claim, member name, value) for every scalar in the payload, within a node budget."""
    if isinstance(value, dict):
        items = [(f"{path}.{k}", top or str(k), str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        name = path.rsplit(".", 1)[-1]
        items = [(f"{path}[{i}]", top, name, v) for i, v in enumerate(value)]
    else:
        return
    for item in items:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if isinstance(item[3], (dict, list)):
            if depth < 32:
                yield from _leaves(item[3], item[0], item[1], budget, depth + 1)
        else:
            yield item


def _sensitive_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.payload is None:
        return
    hits: dict[str, list[str]] = {}
    outside_identity: set[str] = set()

    def hit(kind: str, path: str, top: str) -> None:
        paths = hits.setdefault(kind, [])
        if path not in paths:
            paths.append(path)
        if top not in IDENTITY_CLAIMS:
            outside_identity.add(kind)

    text_budget = _MAX_TEXT
    for path, top, name, value in _leaves(ctx.payload, "payload", "", [_MAX_NODES]):
        if top in IDENTIFIER_CLAIMS:
            continue
        compact = "".join(_words(name))
        if isinstance(value, str):
            if text_budget <= 0:
                continue
            text = value[: min(_MAX_STRING, text_budget)]
            text_budget -= len(text)
            if not text.strip():
                continue
            if _is_secret_name(name) and not re.match(r"(?i)https?://", text):
                hit("secret", path, top)
            if compact in _NATIONAL_ID_NAMES:
                hit("national-id", path, top)
            if "@" in text and _EMAIL.search(text):
                hit("email", path, top)
            if not _DIGIT.search(text):
                continue
            if _phone(text, compact in _PHONE_NAMES):
                hit("phone", path, top)
            id_like = name in ("sub", "id") or compact.endswith("id")
            if not id_like and _card_numbers(text):
                hit("card", path, top)
            if not id_like and _national_id(text):
                hit("national-id", path, top)
        elif isinstance(value, int) and not isinstance(value, bool):
            digits = str(value) if -(10**20) < value < 10**20 else ""
            if compact in _NATIONAL_ID_NAMES and digits:
                hit("national-id", path, top)
            if compact in ("cvv", "cvc", "cvv2", "pin"):
                hit("secret", path, top)
            id_like = name in ("sub", "id") or compact.endswith("id")
            if not id_like and 13 <= len(digits) <= 19 and _card_numbers(digits):
                hit("card", path, top)
            if compact in _PHONE_NAMES and 7 <= len(digits) <= 15:
                hit("phone", path, top)

    for kind, (title, severity_in, severity_out, what) in _SENSITIVE_KINDS.items():
        paths = hits.get(kind)
        if not paths:
            continue
        severity = severity_out if kind in outside_identity else severity_in
        where = ", ".join(paths[:3]) + (f" (+{len(paths) - 3} more)" if len(paths) > 3 else "")
        yield _f(
            "payload.sensitive", severity, title,
            f"The payload is readable by anyone who holds the token (it is only base64url-encoded, not "
            f"encrypted): {what} in {where} reaches every client, proxy and log that sees it.",
            "Expected in an ID token: send it only to the client it is for, and keep personal data out of access "
            "tokens." if severity == "info" else
            "Keep it out of the token (store it server-side and refer to it by an opaque id), or encrypt the token "
            "(JWE) if it must travel.",
            "RFC 7519 12", where,
        )


# kind -> (title, severity in identity claims, severity elsewhere, what)
_SENSITIVE_KINDS: dict[str, tuple[str, Severity, Severity, str]] = {
    "secret": ("Password or secret in the payload", "high", "high", "a password, secret or credential"),
    "card": ("Payment card number in the payload", "high", "high", "a payment card number (passes the Luhn check)"),
    "national-id": ("National identity number in the payload", "high", "high",
                    "a national identity number (SSN, NINO, DNI/NIE, CPF or a field named so)"),
    "email": ("Email address in the payload", "info", "low", "an email address"),
    "phone": ("Phone number in the payload", "info", "low", "a phone number"),
}


RULES: tuple[Callable[[_Ctx], Iterator[Finding]], ...] = (
    _alg_rules,
    _signature_rules,
    _key_rules,
    _private_key_rule,
    _header_url_rules,
    _kid_rule,
    _crit_rule,
    _b64_rule,
    _jwe_rules,
    _typ_rules,
    _claim_rules,
    _encoding_rules,
    _sensitive_rule,
)
