"""Claims and header parameters with descriptions, times in words, and the validity verdict.

The verdict follows PyJWT's rules so that it agrees with the signature check beside it (an expired token is one
with ``now >= exp + leeway``; not yet valid means ``nbf > now + leeway`` or ``iat > now + leeway``; a time that is
not a number makes the token unusable). PyJWT stops at the first failing claim and reports nothing per claim, so the
per-claim reporting (what is wrong with which time, how long ago, how long the token lives) is ours.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from . import descriptions
from .problems import Code, problem
from .report import Claim, Problem, TimeInfo, TokenReport, Validity
from .segments import HugeNumber, is_unsecured

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_TIME = -62135596800.0  # 0001-01-01T00:00:00Z, the earliest a datetime can show
MAX_TIME = 253402300799.0  # 9999-12-31T23:59:59Z
MILLIS_HINT = 1e11  # above this a NumericDate is beyond year 5138: almost surely milliseconds

# claims that must be strings where they appear (iss, sub and aud have codes of their own)
STRING_CLAIMS = ("jti", "azp", "nonce", "client_id", "at_hash", "c_hash", "acr", "scope")

_SHORT_UNITS = ((365 * 86400, "year", "years"), (86400, "day", "days"), (3600, "h", "h"), (60, "min", "min"),
                (1, "s", "s"))
_LONG_UNITS = ((365 * 86400, "year", "years"), (86400, "day", "days"), (3600, "hour", "hours"),
               (60, "minute", "minutes"), (1, "second", "seconds"))


# ---------------------------------------------------------------------------------------------------------------
# durations and times in words


def _duration(seconds: float, units: tuple[tuple[int, str, str], ...]) -> str:
    """The largest unit and, when it is below 10, the next one: "2 h 5 min", "45 min", "3 days 4 h"."""
    sec = int(round(abs(seconds)))
    for i, (size, one, many) in enumerate(units):
        if sec >= size or size == 1:
            n, rest = divmod(sec, size)
            text = f"{n} {one if n == 1 else many}"
            if n < 10 and i + 1 < len(units):
                size2, one2, many2 = units[i + 1]
                m = rest // size2
                if m:
                    text += f" {m} {one2 if m == 1 else many2}"
            return text
    return "0 s"  # unreachable: the last unit has size 1


def short_duration(seconds: float) -> str:
    return _duration(seconds, _SHORT_UNITS)


def long_duration(seconds: float) -> str:
    return _duration(seconds, _LONG_UNITS)


def relative(delta: float) -> str:
    """delta = time - now: "in 4 min", "3 days ago", "now"."""
    if abs(delta) < 1:
        return "now"
    return f"in {short_duration(delta)}" if delta > 0 else f"{short_duration(delta)} ago"


def utc_text(epoch: float) -> str:
    """ISO 8601 in UTC with a Z; fractional seconds only when given."""
    dt = EPOCH + timedelta(seconds=epoch)
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    if dt.microsecond:
        text += f".{dt.microsecond:06d}".rstrip("0")
    return text + "Z"


def time_info(epoch: float, now: float) -> TimeInfo:
    delta = epoch - now
    return TimeInfo(epoch=float(epoch), utc=utc_text(epoch), relative=relative(delta), delta=delta)


def read_time(name: str, value: Any, now: float, where: str = "payload") -> tuple[float | None, TimeInfo | None,
                                                                                  Problem | None]:
    """(usable seconds or None, TimeInfo when showable, problem when not a sane NumericDate)."""
    label = f"{'Header' if where == 'header' else 'Payload'} claim \"{name}\""
    if isinstance(value, HugeNumber):
        digits = len(value.lstrip("-"))
        return None, None, problem(
            Code.CLAIM_TIME_ABSURD,
            f"{label} is a number with {digits} digits (or out of range), far beyond any date.",
            segment="payload",
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, None, problem(
            Code.CLAIM_TIME_NOT_NUMERIC, f"{label} is {_what(value)}, not a number of seconds.", segment="payload",
            fix=_not_numeric_fix(value),
        )
    if isinstance(value, float) and not math.isfinite(value):
        return None, None, problem(Code.CLAIM_TIME_ABSURD, f"{label} is {value}, not a finite time.", segment="payload")
    if value > MAX_TIME or value < MIN_TIME:
        hint = ""
        if MILLIS_HINT < value <= MAX_TIME * 1000:
            hint = f" It looks like milliseconds: {utc_text(value / 1000)} if divided by 1000."
        return None, None, problem(
            Code.CLAIM_TIME_ABSURD,
            f"{label} is {_num(value)}, beyond year 9999 or before year 1.{hint}",
            segment="payload",
        )
    info = time_info(value, now)
    if value > MILLIS_HINT:
        return float(value), info, problem(
            Code.CLAIM_TIME_ABSURD,
            f"{label} is {_num(value)} ({info.utc}); that far in the future it is probably milliseconds: "
            f"{utc_text(value / 1000)} if divided by 1000.",
            segment="payload",
        )
    if value < 0:
        return float(value), info, problem(
            Code.CLAIM_TIME_ABSURD, f"{label} is negative ({_num(value)}, {info.utc}): before 1970.",
            segment="payload",
        )
    return float(value), info, None


def _num(value: float) -> str:
    return str(value) if len(str(value)) <= 30 else f"{value:.6g}"


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean (" + ("true" if value else "false") + ")"
    if isinstance(value, HugeNumber):
        return f"a number with {len(value.lstrip('-'))} digits"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "\u2026"
        return f"a string (\"{shown}\")"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (int, float)):
        return f"a number ({_num(value)})"
    return type(value).__name__


def _not_numeric_fix(value: Any) -> str | None:
    if isinstance(value, str):
        s = value.strip()
        try:
            float(s)
        except ValueError:
            pass
        else:
            return "Remove the quotes: a NumericDate is a JSON number, not a string holding one."
        if len(s) >= 10 and s[4:5] == "-" and s[:4].isdigit():
            return "JWT times are not date strings: use seconds since 1970-01-01T00:00:00Z as a JSON number."
    return None


# ---------------------------------------------------------------------------------------------------------------
# claims and header parameters


def describe(token: TokenReport, now: float, leeway: float) -> None:
    """Fill token.header_params, token.claims and token.validity; add claim problems to token.problems."""
    leeway = _sane_leeway(leeway)
    header = token.header if isinstance(token.header, dict) else None
    payload = token.payload if isinstance(token.payload, dict) else None
    if header is not None:
        for name, value in header.items():
            entry = descriptions.header_param(name)
            token.header_params.append(Claim(name, value, "header", *(entry or (None, None))))
    times: dict[str, float | None] = {}
    if payload is not None:
        entra = descriptions.is_entra_issuer(payload.get("iss"))
        for name, value in payload.items():
            entry = descriptions.claim(name, entra=entra)
            c = Claim(name, value, "payload", *(entry or (None, None)))
            if name in descriptions.TIME_CLAIMS:
                seconds, c.time, prob = read_time(name, value, now)
                times[name] = seconds
                if prob:
                    token.problems.append(prob)
            token.claims.append(c)
        token.problems.extend(_type_problems(payload))
    token.validity = _validity(token, payload, times, now, leeway)
    token.problems.extend(_order_problems(times, token.validity))


def _sane_leeway(leeway: Any) -> float:
    try:
        value = float(leeway)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0


def _type_problems(payload: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    if "iss" in payload and not isinstance(payload["iss"], str):
        out.append(problem(Code.CLAIM_ISS_TYPE, f"Payload claim \"iss\" is {_what(payload['iss'])}, not a string.",
                           segment="payload"))
    if "sub" in payload and not isinstance(payload["sub"], str):
        out.append(problem(Code.CLAIM_SUB_TYPE, f"Payload claim \"sub\" is {_what(payload['sub'])}, not a string.",
                           segment="payload"))
    if "aud" in payload:
        aud = payload["aud"]
        if not (isinstance(aud, str) or (isinstance(aud, list) and all(isinstance(a, str) for a in aud))):
            what = "an array with non-string members" if isinstance(aud, list) else _what(aud)
            out.append(problem(Code.CLAIM_AUD_TYPE, f"Payload claim \"aud\" is {what}.", segment="payload"))
    for name in STRING_CLAIMS:
        if name in payload and not isinstance(payload[name], str):
            out.append(
                problem(
                    Code.CLAIM_STRING_TYPE,
                    f"Payload claim \"{name}\" is {_what(payload[name])}, not a string.",
                    segment="payload",
                    # a scope array is a common vendor habit; other claims break interoperability
                    level="warning" if name == "scope" else "error",
                    fix="Use one string of space-separated scopes (RFC 8693 4.2)." if name == "scope" else None,
                )
            )
    return out


def _order_problems(times: dict[str, float | None], validity: Validity) -> list[Problem]:
    out: list[Problem] = []
    exp, iat, nbf = times.get("exp"), times.get("iat"), times.get("nbf")
    if exp is not None and iat is not None and exp < iat:
        out.append(problem(Code.CLAIM_EXP_BEFORE_IAT,
                           f"exp is {long_duration(iat - exp)} before iat: the token expired before it was issued.",
                           segment="payload"))
    if exp is not None and nbf is not None and nbf >= exp:
        out.append(problem(Code.CLAIM_NBF_AFTER_EXP,
                           "nbf is not before exp: there is no moment at which the token is valid.", segment="payload"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# validity


def _validity(token: TokenReport, payload: dict[str, Any] | None, times: dict[str, float | None], now: float,
              leeway: float) -> Validity:
    def verdict(status: str, message: str) -> Validity:
        return Validity(status, message, leeway=leeway)  # type: ignore[arg-type]

    if token.kind == "JWE":
        return verdict("encrypted", "Encrypted token (JWE): its claims are inside the ciphertext and cannot be "
                                    "checked without the decryption key.")
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

    status, message = _time_verdict(payload, times, now, leeway)
    result = verdict(status, message)
    exp, iat = times.get("exp"), times.get("iat")
    if exp is not None and iat is not None:
        result.lifetime = exp - iat
        result.lifetime_text = long_duration(exp - iat) if exp >= iat else f"negative ({long_duration(iat - exp)})"
    damaged = _damaged_segments(token)
    if damaged:
        result.status = "malformed"
        result.message = (f"Malformed: the {' and '.join(damaged)} {'is' if len(damaged) == 1 else 'are'} not clean "
                          f"base64url/UTF-8 (see the problems). As decoded anyway: {message[0].lower()}{message[1:]}")
    elif unsecured:
        alg = token.header.get("alg")
        why = f"alg \"{alg}\"" if isinstance(alg, str) and alg.lower() == "none" else "empty signature"
        result.status = "unsecured"
        result.message = (f"Unsecured token ({why}): anyone can create or change it, so do not trust it. "
                          f"By its times: {message[0].lower()}{message[1:]}")
    return result


# errors that make a strict JWT library reject the token even though this page could decode it
_DAMAGE_CODES = {Code.B64_INVALID_CHAR, Code.B64_STANDARD_ALPHABET, Code.B64_IMPOSSIBLE_LENGTH, Code.UTF8_INVALID,
                 Code.TOKEN_EMPTY_SEGMENT}


def _damaged_segments(token: TokenReport) -> list[str]:
    names = [p.segment or "token" for p in token.problems if p.code in _DAMAGE_CODES and p.level == "error"]
    return list(dict.fromkeys(names))


def _time_verdict(payload: dict[str, Any], times: dict[str, float | None], now: float,
                  leeway: float) -> tuple[str, str]:
    broken = [n for n in ("exp", "nbf", "iat") if n in payload and times.get(n) is None]
    if broken:
        names = " and ".join(broken)
        return "malformed", (f"The {names} claim{'s are' if len(broken) > 1 else ' is'} not a usable time, "
                             "so the token's validity cannot be decided.")
    exp, nbf, iat = times.get("exp"), times.get("nbf"), times.get("iat")
    with_leeway = f" with the {short_duration(leeway)} leeway" if leeway else ""
    if exp is not None and now >= exp + leeway:
        even = f", even{with_leeway}" if leeway else ""
        return "expired", f"Expired {relative(exp - now)} (exp {utc_text(exp)}){even}."
    if nbf is not None and nbf > now + leeway:
        return "not-yet-valid", f"Not valid until {utc_text(nbf)} ({relative(nbf - now)}, nbf){with_leeway}."
    if iat is not None and iat > now + leeway:
        return "not-yet-valid", (f"Issued in the future ({utc_text(iat)}, {relative(iat - now)}, iat){with_leeway}: "
                                 "the issuer's clock is ahead, or the token was made up.")
    notes = []
    if exp is not None and now >= exp:
        notes.append(f"it expired {relative(exp - now)}")
    if nbf is not None and nbf > now:
        notes.append(f"it starts {relative(nbf - now)}")
    if iat is not None and iat > now:
        notes.append(f"it was issued {relative(iat - now)}")
    grace = f" Accepted only thanks to the {short_duration(leeway)} leeway: {' and '.join(notes)}." if notes else ""
    if exp is None:
        return "no-expiry", f"No expiry: there is no exp claim, so the token never expires on its own.{grace}"
    if now < exp:
        return "valid", f"Valid: expires {relative(exp - now)} ({utc_text(exp)}).{grace}"
    return "valid", f"Valid within the leeway (exp {utc_text(exp)}).{grace}"
