"""Claims and header parameters with descriptions, claim problems, the validity verdict and the claim checks.

Times are read, worded and judged by times.py (one reading, one status); this module applies that to a token: one
row per claim with its description, problems for claims of the wrong type or in an impossible order, the validity
line, and one check per claim beside the signature (exp, nbf, iat by the same rule as the status; iss, aud, sub and
jti by PyJWT's own validators, so its rules for them apply).
"""

from __future__ import annotations

import math
from typing import Any

from . import descriptions, times
from .options import Options
from .problems import Code, problem
from .pyjwt_bridge import pyjwt_error, validator
from .report import Claim, ClaimCheck, Problem, TokenReport, Validity
from .segments import is_unsecured, json_value_words

# claims that must be strings where they appear (iss, sub and aud have codes of their own)
STRING_CLAIMS = ("jti", "azp", "nonce", "client_id", "at_hash", "c_hash", "acr", "scope")


# ---------------------------------------------------------------------------------------------------------------
# claims and header parameters


def describe(token: TokenReport, now: float, leeway: float, payload: Any = None) -> list[ClaimCheck]:
    """Fill token.header_params, token.claims and token.validity; add claim problems to token.problems. Returns the
    time checks (exp, nbf, iat), decided by the same evaluation as the validity. ``payload`` stands in for the
    token's own (an SD-JWT's processed payload: the claims a verifier sees)."""
    leeway = sane_leeway(leeway)
    header = token.header if isinstance(token.header, dict) else None
    payload = payload if isinstance(payload, dict) else token.payload if isinstance(token.payload, dict) else None
    if header is not None:
        for name, value in header.items():
            entry = descriptions.header_param(name)
            token.header_params.append(Claim(name, value, "header", *(entry or (None, None))))
    readings: dict[str, float | None] = {}
    if payload is not None:
        describe_claim = descriptions.claim_lookup(entra=descriptions.is_entra_issuer(payload.get("iss")))
        for name, value in payload.items():
            entry = describe_claim(name)
            c = Claim(name, value, "payload", *(entry or (None, None)))
            if name in descriptions.TIME_CLAIMS:
                reading = times.read(name, value, now)
                c.time = reading.info
                readings[name] = reading.seconds
                if reading.problem:
                    token.problems.append(reading.problem)
            token.claims.append(c)
        token.problems.extend(_type_problems(payload))
    token.validity, checks = _validity(token, payload, readings, now, leeway)
    token.problems.extend(_order_problems(readings))
    return checks


def sane_leeway(leeway: Any) -> float:
    try:
        value = float(leeway)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def _type_problems(payload: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    for name, code in (("iss", Code.CLAIM_ISS_TYPE), ("sub", Code.CLAIM_SUB_TYPE)):
        if name in payload and not isinstance(payload[name], str):
            out.append(problem(code, f"Payload claim \"{name}\" is {json_value_words(payload[name])}, not a string.",
                               segment="payload"))
    if "aud" in payload:
        aud = payload["aud"]
        if not (isinstance(aud, str) or (isinstance(aud, list) and all(isinstance(a, str) for a in aud))):
            what = "an array with non-string members" if isinstance(aud, list) else json_value_words(aud)
            out.append(problem(Code.CLAIM_AUD_TYPE, f"Payload claim \"aud\" is {what}.", segment="payload"))
    for name in STRING_CLAIMS:
        if name in payload and not isinstance(payload[name], str):
            out.append(
                problem(
                    Code.CLAIM_STRING_TYPE,
                    f"Payload claim \"{name}\" is {json_value_words(payload[name])}, not a string.",
                    segment="payload",
                    # a scope array is a common vendor habit; other claims break interoperability
                    level="warning" if name == "scope" else "error",
                    fix="Use one string of space-separated scopes (RFC 8693 4.2)." if name == "scope" else None,
                )
            )
    return out


def _order_problems(readings: dict[str, float | None]) -> list[Problem]:
    out: list[Problem] = []
    exp, iat, nbf = readings.get("exp"), readings.get("iat"), readings.get("nbf")
    if exp is not None and iat is not None and exp < iat:
        out.append(problem(Code.CLAIM_EXP_BEFORE_IAT, f"exp is {times.long_duration(iat - exp)} before iat: the token "
                           "expired before it was issued.",
                           segment="payload"))
    if exp is not None and nbf is not None and nbf >= exp:
        out.append(problem(Code.CLAIM_NBF_AFTER_EXP,
                           "nbf is not before exp: there is no moment at which the token is valid.", segment="payload"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# validity


def _validity(token: TokenReport, payload: dict[str, Any] | None, readings: dict[str, float | None], now: float,
              leeway: float) -> tuple[Validity, list[ClaimCheck]]:
    def verdict(status: str, message: str) -> tuple[Validity, list[ClaimCheck]]:
        return Validity(status, message, leeway=leeway), []  # type: ignore[arg-type]

    if token.kind == "JWE":  # decrypted, its claims are judged like any payload's
        enc = token.encryption
        if enc is None or enc.decrypted != "decrypted":
            return verdict("encrypted", _encrypted_message(token))
        if token.inner is not None:
            return _nested_validity(token.inner, leeway), []
        if payload is None:
            words = {"JSON": "JSON but not an object", "text": "text", "bytes": "binary data"}
            return verdict("malformed", f"Decrypted, but the content is {words.get(enc.content_type or '', 'not JSON')}"
                                        ", not a JSON object of claims, so it is no JWT.")
    if token.kind == "unknown":
        return verdict("malformed", f"The token has {len(token.segments)} segment"
                                    f"{'s' if len(token.segments) != 1 else ''}, not 3 or 5, so it is not a JWT.")
    if not isinstance(token.header, dict):
        return verdict("malformed", "The header does not decode to a JSON object, so the token cannot be used.")
    unsecured = is_unsecured(token)
    if payload is None:
        if unsecured:
            return verdict("unsecured", "Unsecured token (no signature), and its payload is not a JSON object.")
        return verdict("malformed", "The payload is not a JSON object, so there are no claims to check.")

    evaluation = times.evaluate(payload, readings, now, leeway)
    message = evaluation.message
    result = Validity(evaluation.status, message, leeway=leeway)  # type: ignore[arg-type]
    exp, iat = readings.get("exp"), readings.get("iat")
    if exp is not None and iat is not None:
        result.lifetime = exp - iat
        result.lifetime_text = (times.long_duration(exp - iat) if exp >= iat
                                else f"negative ({times.long_duration(iat - exp)})")
    damaged = _damaged_segments(token)
    if damaged:
        result.status = "malformed"
        result.message = (f"The {' and '.join(damaged)} {'is' if len(damaged) == 1 else 'are'} not clean "
                          f"base64url/UTF-8 (see the problems). As decoded anyway: {message[0].lower()}{message[1:]}")
    elif unsecured:
        alg = token.header.get("alg")
        why = f"alg \"{alg}\"" if isinstance(alg, str) and alg.lower() == "none" else "empty signature"
        result.status = "unsecured"
        result.message = (f"Unsecured token ({why}): anyone can create or change it, so do not trust it. "
                          f"By its times: {message[0].lower()}{message[1:]}")
    return result, evaluation.checks


def _encrypted_message(token: TokenReport) -> str:
    enc = token.encryption
    if enc is None:
        return ("Encrypted token (JWE): its claims are inside the ciphertext and cannot be checked without the "
                "decryption key.")
    if enc.decrypted == "failed":
        return f"Encrypted token (JWE), not decrypted: {enc.message[:1].lower()}{enc.message[1:]}"
    return f"Encrypted token (JWE): {enc.message[:1].lower()}{enc.message[1:]}"


def _nested_validity(inner: TokenReport, leeway: float) -> Validity:
    """A decrypted JWE whose content is a nested JWT: the inner token's status, said to be the inner one's."""
    v = inner.validity
    return Validity(v.status, f"Decrypted; the content is a nested JWT ({inner.kind}), so the validity is the inner "
                              f"token's: {v.message[:1].lower()}{v.message[1:]}", leeway=leeway, lifetime=v.lifetime,
                    lifetime_text=v.lifetime_text)


# errors that make a strict JWT library reject the token even though this page could decode it
_DAMAGE_CODES = {Code.B64_INVALID_CHAR, Code.B64_STANDARD_ALPHABET, Code.B64_IMPOSSIBLE_LENGTH, Code.UTF8_INVALID,
                 Code.TOKEN_EMPTY_SEGMENT}


def _damaged_segments(token: TokenReport) -> list[str]:
    names = [p.segment or "token" for p in token.problems if p.code in _DAMAGE_CODES and p.level == "error"]
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------------------------------------------------------
# expected values beside the signature


def payload_checks(payload: Any, options: Options) -> list[ClaimCheck]:
    """The claim checks of a payload on its own (an SD-JWT's processed payload): the time checks by the same
    evaluation as the validity line, then the expected values. ``options.now`` is the clock."""
    if not isinstance(payload, dict):
        return []
    from .pipeline import clock  # the report's clock rule; pipeline imports this module

    now = clock(options.now)
    readings = {n: times.read(n, payload[n], now).seconds for n in times.TIME_CLAIMS if n in payload}
    evaluation = times.evaluate(payload, readings, now, sane_leeway(options.leeway))
    return evaluation.checks + expectation_checks(payload, options)


def expectation_checks(payload: Any, options: Options) -> list[ClaimCheck]:
    """iss and aud when an expected value is given, and sub/jti when PyJWT would reject them, each decided by
    PyJWT's own validator for that claim and reported one by one (PyJWT itself stops at the first failure)."""
    if not isinstance(payload, dict):
        return []
    checks: list[ClaimCheck] = []
    failed = (pyjwt_error(), TypeError)
    if options.issuer is not None:
        iss = payload.get("iss")
        try:
            validator("iss")(payload, options.issuer)
            checks.append(ClaimCheck("iss", True, f"iss: {iss!r} is the expected issuer."))
        except failed:
            checks.append(ClaimCheck("iss", False, f"iss: missing; the expected issuer is {options.issuer!r}."
                                     if "iss" not in payload else
                                     f"iss: {iss!r} is not the expected issuer {options.issuer!r}."))
    if options.audience is not None:
        aud = payload.get("aud")
        try:
            validator("aud")(payload, options.audience)
            checks.append(ClaimCheck("aud", True, f"aud: {aud!r} includes the expected audience "
                                                  f"{options.audience!r}."))
        except failed:
            checks.append(ClaimCheck("aud", False, f"aud: missing; the expected audience is {options.audience!r}."
                                     if not aud else
                                     f"aud: {aud!r} does not include the expected audience {options.audience!r}."))
    for claim in ("sub", "jti"):
        if claim in payload:
            try:
                validator(claim)(payload)
            except pyjwt_error() as exc:
                checks.append(ClaimCheck(claim, False, f"{claim}: {exc} (PyJWT rejects the token)."))
    return checks
