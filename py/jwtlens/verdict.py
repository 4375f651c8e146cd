"""The one verdict on a token: can it be trusted? It combines everything that decides that (the signature, the
time, the expected issuer and audience, what came with the token, and the worst finding of the review) into one
line with its parts, so the page shows it first and the command line prints it, worded the same.

``judge(report) -> Verdict``:

* ``trusted``: the signature is verified and nothing fails (findings below critical, or a caveat on the
  signature such as a key the kid does not name, colour it amber);
* ``untrusted``: something fails: the signature, the time, the expected issuer or audience, a check of what came
  with it (SD-JWT, DPoP, at_hash), a signature no key can have made, or a critical finding (anyone can forge it);
* ``unverified``: it decodes and its times are fine, but no key was given (or it stays encrypted, or it decrypted
  with a private key but nothing signed it: anyone with the recipient's public key can make one);

A JWE is judged by what it holds: the decryption is a part of its own, and a nested JWT (decrypted) gives the
signature, time, expected values and review parts.
* ``malformed``: it does not decode cleanly (``Report.status`` is "malformed"), or no token was found;
* ``empty``: nothing was pasted.
"""

from __future__ import annotations

from . import jwa
from .problems import Code
from .report import Report, TokenReport, Verdict, VerdictPart, VerdictState
from .rules import SEVERITIES

_RANK = {"fail": 0, "warn": 1, "unknown": 2, "ok": 3}


def judge(report: Report) -> Verdict:
    token = report.token
    if token is None:
        if report.problems:
            return Verdict("malformed", "fail", report.problems[0].message)
        return Verdict("empty", "unknown", "Paste a token to see whether it can be trusted.")
    layers = token.layers()
    subject = layers[-1]  # a decrypted JWE's nested JWT is what the signature, time and expected values are about
    parts = [_signature(subject), _decryption(token), _time(subject), *_expected(subject), *_presentation(report),
             _review([f for layer in layers for f in layer.findings])]
    parts = [p for p in parts if p is not None]
    tone = min((p.state for p in parts), key=_RANK.__getitem__, default="unknown")
    if report.status == "malformed":
        return Verdict("malformed", "fail", token.validity.message, parts)
    failing = [p for p in parts if p.state == "fail"]
    if failing:
        return Verdict("untrusted", "fail", "Do not trust this token: " + "; ".join(p.text for p in failing) + ".",
                       parts)
    signature = parts[0]
    if signature.state in ("ok", "warn"):
        rest = [p.text for p in parts[1:] if p.state == "warn"]
        return Verdict("trusted", tone, signature.text + (" (" + "; ".join(rest) + ")" if rest else "") + ".", parts)
    return Verdict("unverified", tone, signature.text + ".", parts)


def _decryption(token: TokenReport) -> VerdictPart | None:
    """A decrypted JWE whose content is itself signed: the decryption is a part beside the nested signature."""
    enc = token.encryption
    if token.kind != "JWE" or token.inner is None or enc is None:
        return None
    return VerdictPart("decryption", "ok", f"Decrypted ({enc.alg}, {enc.enc})", "encryption-section")


def _encrypted(token: TokenReport) -> VerdictPart:
    """The signature part of a JWE without a nested JWT: what its decryption says about who made it."""
    enc = token.encryption
    if enc is None:
        return VerdictPart("signature", "unknown", "Encrypted: add the decryption key", "key")
    if enc.decrypted == "failed":
        return VerdictPart("signature", "fail", "It does not decrypt with this key", "encryption-section")
    if enc.decrypted != "decrypted":
        return VerdictPart("signature", "unknown", "Encrypted: " + _lower(enc.message).rstrip("."),
                           "encryption-section")
    row = jwa.ALGS.get(enc.alg or "")
    if row is not None and row.kty == "oct":  # a shared key: the authentication tag proves a key holder made it
        return VerdictPart("signature", "ok", f"Decrypted and authenticated with the shared key ({enc.alg})",
                           "encryption-section")
    return VerdictPart("signature", "unknown", "Decrypted, but not signed: anyone with the recipient's public key "
                       "can make such a token", "encryption-section")


def _signature(token: TokenReport) -> VerdictPart:
    if token.kind == "JWE":
        return _encrypted(token)
    sig = token.signature
    implausible = next((p for p in token.problems if p.code == Code.SIG_IMPLAUSIBLE_LENGTH), None)
    if sig.verified == "valid":
        guessed = any(f.rule == "hmac.weak-secret" and f.severity == "critical" for f in token.findings)
        if guessed:
            return VerdictPart("signature", "fail", "Signed with a guessable secret", "signature-section")
        # verified, but with a caveat a verifier may not accept (a key the token's kid does not name, ...)
        warned = any(p.level == "warning" for p in sig.problems)
        return VerdictPart("signature", "warn" if warned else "ok", f"Signature verified ({sig.alg})"
                           + (", with a warning" if warned else ""), "signature-section")
    if sig.verified == "invalid":
        return VerdictPart("signature", "fail", "Signature invalid", "signature-section")
    if sig.verified == "error":
        return VerdictPart("signature", "fail", "The key cannot verify it", "signature-section")
    if implausible is not None:
        return VerdictPart("signature", "fail", "Its signature has a length no key makes", "problems")
    if _unsecured(token):
        return VerdictPart("signature", "fail", "Unsigned: anyone can make it", "signature-section")
    return VerdictPart("signature", "unknown", "Not verified: add the key to check the signature", "key")


def _unsecured(token: TokenReport) -> bool:
    return token.validity.status == "unsecured"


_TIME_STATES: dict[str, VerdictState] = {"valid": "ok", "no-expiry": "warn", "expired": "fail", "not-yet-valid": "fail",
                                  "unsecured": "ok", "malformed": "fail", "encrypted": "unknown"}


def _time(token: TokenReport) -> VerdictPart | None:
    status = token.validity.status
    state = _TIME_STATES.get(status, "unknown")
    if status == "unsecured":  # the signature part says it; the times are judged on their own here
        failing = [c for c in token.signature.checks if c.claim in ("exp", "nbf", "iat") and not c.ok]
        state = "fail" if failing else "ok"
    words = {"valid": "valid now", "no-expiry": "no expiry", "expired": "expired", "not-yet-valid": "not yet valid",
             "malformed": "times unusable", "encrypted": "times unknown (encrypted)", "unsecured": "times"}
    return VerdictPart("time", state, words.get(status, status).capitalize() if status != "unsecured" else
                       ("Times fine" if state == "ok" else "Expired or not yet valid"), "claims-section")


def _expected(token: TokenReport) -> list[VerdictPart]:
    parts = []
    for check in token.signature.checks:
        if check.claim in ("iss", "aud"):
            label = "issuer" if check.claim == "iss" else "audience"
            text = f"Expected {label}" + (" matches" if check.ok else " does not match")
            parts.append(VerdictPart(label, "ok" if check.ok else "fail", text, "checks"))
    return parts


def _presentation(report: Report) -> list[VerdictPart]:
    parts = []
    if report.sd_jwt is not None:
        bad = report.sd_jwt.rejected
        parts.append(VerdictPart("presentation", "fail" if bad else "ok",
                                 "SD-JWT rejected by its checks" if bad else "SD-JWT checks pass", "disclosures"))
    for name, checks in (("DPoP", report.dpop.checks if report.dpop else None),
                         ("Token pair", report.pair.checks if report.pair else None)):
        if checks:
            failed = [c.id for c in checks if c.result == "fail"]
            parts.append(VerdictPart("presentation", "fail" if failed else "ok",
                                     f"{name}: {', '.join(failed)} failed" if failed else f"{name} checks pass",
                                     "pair"))
    return parts


def _review(findings: list) -> VerdictPart:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    worst = next((s for s in SEVERITIES if counts[s]), None)
    if worst is None:
        return VerdictPart("review", "ok", "No findings", "findings-section")
    state: VerdictState = "fail" if worst == "critical" else "warn" if worst in ("high", "medium") else "ok"
    n = counts[worst]
    return VerdictPart("review", state, f"{n} {worst} finding{'s' if n > 1 else ''}", "findings-section")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
