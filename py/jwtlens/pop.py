"""What proof-of-possession JWTs share: the Key Binding JWT of an SD-JWT (RFC 9901 4.3) and the DPoP proof
(RFC 9449 4.2) are both signed by the holder's key, which the verifier takes from a JWK (the issuer's cnf.jwk, or the
proof's own header), and both are only good for a short time after their iat.

Nothing here raises for bad input: each function returns the reason in words, or a ``SignatureResult``.
"""

from __future__ import annotations

from typing import Any

from jwt.exceptions import InvalidKeyError

from . import algorithms, b64url, jwa, times
from .algorithms import UnsupportedAlgorithm
from .keys import LoadedKey, UnusableKey, load_jwk
from .problems import Level, problem
from .report import Check, CheckResult, Problem, SignatureResult, TokenReport
from .times import relative, utc_text

# JWK members that only a private key has (RFC 7518 6.2.2, 6.3.2; RFC 8037 2); an oct key ("k") is refused as such
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth")


class Checks:
    """Collects named checks; a failing one (given a code) also becomes a problem, its message prefixed."""

    def __init__(self, checks: list[Check], problems: list[Problem], prefix: str, position: int | None = None) -> None:
        self.checks, self.problems, self.prefix, self.position = checks, problems, prefix, position

    def add(self, check_id: str, result: CheckResult, message: str, code: str | None = None,
            level: Level | None = None) -> None:
        self.checks.append(Check(check_id, result, message))
        if code is not None:
            self.problems.append(problem(code, f"{self.prefix}{message}", segment="token", position=self.position,
                                         level=level))

    def skip_rest(self, ids: tuple[str, ...], message: str) -> None:
        for check_id in ids:
            self.add(check_id, "skipped", message)


def alg_reason(alg: Any) -> str | None:
    """None when ``alg`` names a registered asymmetric JWS algorithm that this package verifies, else why not."""
    if alg is None:
        return "the header has no 'alg'"
    if not isinstance(alg, str):
        return f"'alg' must be a string, not {type(alg).__name__}"
    row = jwa.get(alg, "jws")
    if row is not None and row.family == "none":
        return "alg \"none\" means no signature at all"
    if row is not None and row.family == "HMAC":
        return f"{alg} is a shared-secret MAC: anyone who can check it can also forge it"
    try:
        algorithms.get(alg)
    except UnsupportedAlgorithm as exc:
        return str(exc)
    return None


def private_members(jwk: dict[str, Any]) -> list[str]:
    return [m for m in PRIVATE_MEMBERS if m in jwk]


def load_public_jwk(jwk: Any, what: str) -> tuple[LoadedKey | None, str | None]:
    """(key, None) for a usable asymmetric JWK, else (None, reason). Private members are the caller's concern."""
    if not isinstance(jwk, dict):
        return None, f"{what} is missing" if jwk is None else f"{what} is not a JSON object"
    try:
        key = load_jwk(jwk)
    except UnusableKey as exc:
        return None, f"{what} is not usable: {exc}"
    if key.kind == "secret":
        return None, f"{what} is a symmetric (oct) key; a holder proves possession with an asymmetric key pair"
    return key, None


def verify(token: TokenReport, key: LoadedKey, whose: str = "") -> SignatureResult:
    """Check the signature of a decoded compact JWS with ``key`` (the algorithm named in its header); ``whose``
    says where the key came from, for the message (" from cnf.jwk")."""
    header = token.header if isinstance(token.header, dict) else {}
    alg = header.get("alg")
    result = SignatureResult("unchecked", "", alg=alg if isinstance(alg, str) else None, key=key.info())
    reason = alg_reason(alg)
    if reason is not None:
        result.verified, result.message = "invalid", f"Not checked: {reason}."
        return result
    alg_obj = algorithms.get(alg)
    mismatch = alg_obj.key_mismatch(key)
    if mismatch is not None:
        result.verified, result.message = "error", f"This key cannot verify {alg}: {mismatch.message}."
        return result
    head, _, rest = token.token.partition(".")
    body, _, sig_text = rest.partition(".")
    try:
        sig = b64url.decode(sig_text, "The signature")
        why = alg_obj.check(f"{head}.{body}".encode("ascii"), key, sig)
    except (b64url.Base64urlError, InvalidKeyError, ValueError, ArithmeticError, UnicodeEncodeError) as exc:
        why = str(exc)
    if why is None:
        result.verified, result.message = "valid", f"Signature verified: {alg} with the {key.describe()}{whose}."
    else:
        result.verified, result.message = "invalid", f"Invalid signature: {why}."
    return result


def iat_window(iat: Any, now: float, leeway: float, max_age: float | None) -> tuple[CheckResult, str, str | None]:
    """(result, message, what is wrong: "missing", "future" or "old") for an iat claim judged at ``now``."""
    if iat is None:
        return "fail", "iat: missing.", "missing"
    t = times.seconds(iat)
    if t is None:
        return "fail", f"iat: {iat!r} is not a NumericDate (seconds since 1970 as a JSON number).", "missing"
    when = f"{utc_text(t)} ({relative(t - now)})"
    if t > now + leeway:
        return "fail", f"iat: issued in the future, {when}; allowed clock skew {leeway:g} s.", "future"
    if max_age is not None and now - t > max_age + leeway:
        skew = f" (+{leeway:g} s clock skew)" if leeway else ""
        return "fail", f"iat: issued {when}, more than the accepted {max_age:g} s{skew} ago.", "old"
    window = f"; accepted for {max_age:g} s" if max_age is not None else ""
    return "pass", f"iat: issued {when}{window}.", None
