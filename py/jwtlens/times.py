"""Time, in one place: reading a NumericDate, UTC and relative text, durations, and the state of a token at an
instant (valid, expired, not yet valid).

Every part of the Report that speaks of time (the claims table, the validity line, the claim checks beside the
signature, the security review, the timeline, the certificate notes of the key box) reads and words it here, so a
token is never "in 3 years" in one place and "in 3 years 62 days" in another.

The rules are RFC 7519's, as PyJWT applies them: expired from ``exp`` on (``now >= exp + leeway``), not yet valid
while ``now + leeway < nbf`` and, like PyJWT, while ``now + leeway < iat``. Times are compared exactly (a NumericDate
may have a fraction); a time is usable when it is a finite JSON number between year 1 and year 9999.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from .problems import Code, problem
from .report import ClaimCheck, Problem, TimeInfo
from .segments import HugeNumber, json_value_words, number_text

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_TIME = -62135596800.0  # 0001-01-01T00:00:00Z, the earliest a datetime can show
MAX_TIME = 253402300799.0  # 9999-12-31T23:59:59Z
MILLIS_HINT = 1e11  # above this a NumericDate is beyond year 5138: almost surely milliseconds
TIME_CLAIMS = ("exp", "nbf", "iat")  # the claims that decide validity

State = Literal["not-yet-valid", "valid", "expired"]

_SHORT_UNITS = ((365 * 86400, "year", "years"), (86400, "day", "days"), (3600, "h", "h"), (60, "min", "min"),
                (1, "s", "s"))
_LONG_UNITS = ((365 * 86400, "year", "years"), (86400, "day", "days"), (3600, "hour", "hours"),
               (60, "minute", "minutes"), (1, "second", "seconds"))

# -- words ------------------------------------------------------------------------------------------------------


def _duration(seconds: float, units: tuple[tuple[int, str, str], ...]) -> str:
    """The largest unit and, when it is below 10, the next one: "2 h 5 min", "45 min", "3 days 4 h"."""
    sec = int(round(abs(seconds))) if math.isfinite(seconds) else 0
    for i, (size, one, many) in enumerate(units):
        if sec >= size or size == 1:
            n, rest = divmod(sec, size)
            text = f"{n:,} {one if n == 1 else many}"
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


def in_range(epoch: float) -> bool:
    return MIN_TIME <= epoch <= MAX_TIME


def utc_text(epoch: float) -> str:
    """ISO 8601 in UTC with a Z; fractional seconds only when given. Outside years 1 to 9999: the number itself."""
    if not (math.isfinite(epoch) and in_range(epoch)):
        return f"{number_text(epoch)} s since 1970"
    dt = EPOCH + timedelta(seconds=epoch)
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    if dt.microsecond:
        text += f".{dt.microsecond:06d}".rstrip("0")
    return text + "Z"


def time_info(epoch: float, now: float) -> TimeInfo:
    delta = epoch - now
    return TimeInfo(epoch=float(epoch), utc=utc_text(epoch), relative=relative(delta), delta=delta)


# -- reading --------------------------------------------------------------------------------------------------


def seconds(value: Any) -> float | None:
    """The one reading of a NumericDate: seconds since the epoch, or None when the value is not a usable time."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or isinstance(value, HugeNumber):
        return None
    try:
        v = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return v if math.isfinite(v) and in_range(v) else None


@dataclass
class Reading:
    seconds: float | None  # usable seconds, or None
    info: TimeInfo | None  # for showing, when usable
    problem: Problem | None  # when it is not a sane NumericDate (also for usable but suspicious values)


def read(name: str, value: Any, now: float, where: str = "payload") -> Reading:
    """A time claim with what is wrong with it: not a number, not finite, out of range, milliseconds, negative."""
    label = f"{'Header' if where == 'header' else 'Payload'} claim \"{name}\""
    usable = seconds(value)
    if usable is None:
        return Reading(None, None, _unusable(label, value))
    info = time_info(usable, now)
    if usable > MILLIS_HINT:
        return Reading(usable, info, problem(
            Code.CLAIM_TIME_ABSURD,
            f"{label} is {number_text(value)} ({info.utc}); that far in the future it is probably milliseconds: "
            f"{utc_text(usable / 1000)} if divided by 1000.", segment="payload"))
    if usable < 0:
        return Reading(usable, info, problem(
            Code.CLAIM_TIME_ABSURD, f"{label} is negative ({number_text(value)}, {info.utc}): before 1970.",
            segment="payload"))
    return Reading(usable, info, None)


def _unusable(label: str, value: Any) -> Problem:
    if isinstance(value, HugeNumber):
        digits = len(value.lstrip("-"))
        return problem(Code.CLAIM_TIME_ABSURD,
                       f"{label} is a number with {digits} digits (or out of range), far beyond any date.",
                       segment="payload")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return problem(Code.CLAIM_TIME_NOT_NUMERIC, f"{label} is {json_value_words(value)}, not a number of seconds.",
                       segment="payload", fix=_not_numeric_fix(value))
    if isinstance(value, float) and not math.isfinite(value):
        return problem(Code.CLAIM_TIME_ABSURD, f"{label} is {value}, not a finite time.", segment="payload")
    hint = ""
    if MILLIS_HINT < value <= MAX_TIME * 1000:
        hint = f" It looks like milliseconds: {utc_text(value / 1000)} if divided by 1000."
    return problem(Code.CLAIM_TIME_ABSURD, f"{label} is {number_text(value)}, beyond year 9999 or before year 1."
                   f"{hint}", segment="payload")


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


# -- the state of a token ---------------------------------------------------------------------------------------


def state_at(t: float, iat: float | None, nbf: float | None, exp: float | None, leeway: float = 0.0) -> State:
    """The one rule for valid / expired / not yet valid at instant t."""
    if exp is not None and t >= exp + leeway:
        return "expired"
    if (nbf is not None and nbf > t + leeway) or (iat is not None and iat > t + leeway):
        return "not-yet-valid"
    return "valid"


@dataclass
class Evaluation:
    """The time verdict of one token, and the per-claim checks that say the same thing claim by claim."""

    status: str  # "valid", "expired", "not-yet-valid", "no-expiry" or "malformed" (a time claim is unusable)
    message: str
    checks: list[ClaimCheck]


def evaluate(payload: dict[str, Any], times: dict[str, float | None], now: float, leeway: float) -> Evaluation:
    """``times`` holds the reading of each time claim present (None when unusable)."""
    checks = _checks(payload, times, now, leeway)
    broken = [n for n in TIME_CLAIMS if n in payload and times.get(n) is None]
    if broken:
        names = " and ".join(broken)
        return Evaluation("malformed", f"The {names} claim{'s are' if len(broken) > 1 else ' is'} not a usable time, "
                                       "so the token's validity cannot be decided.", checks)
    exp, nbf, iat = times.get("exp"), times.get("nbf"), times.get("iat")
    state = state_at(now, iat, nbf, exp, leeway)
    with_leeway = f" with the {short_duration(leeway)} leeway" if leeway else ""
    if state == "expired":
        assert exp is not None
        even = f", even{with_leeway}" if leeway else ""
        return Evaluation("expired", f"Expired {relative(exp - now)} (exp {utc_text(exp)}){even}.", checks)
    if state == "not-yet-valid":
        if nbf is not None and nbf > now + leeway:
            return Evaluation("not-yet-valid", f"Not valid until {utc_text(nbf)} ({relative(nbf - now)}, nbf)"
                                               f"{with_leeway}.", checks)
        assert iat is not None
        return Evaluation("not-yet-valid", f"Issued in the future ({utc_text(iat)}, {relative(iat - now)}, iat)"
                                           f"{with_leeway}: the issuer's clock is ahead, or the token was made up.",
                          checks)
    grace = _grace(exp, nbf, iat, now, leeway)
    if exp is None:
        return Evaluation("no-expiry", f"No expiry: there is no exp claim, so the token never expires on its own."
                                       f"{grace}", checks)
    if now < exp:
        return Evaluation("valid", f"Valid: expires {relative(exp - now)} ({utc_text(exp)}).{grace}", checks)
    return Evaluation("valid", f"Valid within the leeway (exp {utc_text(exp)}).{grace}", checks)


def _grace(exp: float | None, nbf: float | None, iat: float | None, now: float, leeway: float) -> str:
    notes = []
    if exp is not None and now >= exp:
        notes.append(f"it expired {relative(exp - now)}")
    if nbf is not None and nbf > now:
        notes.append(f"it starts {relative(nbf - now)}")
    if iat is not None and iat > now:
        notes.append(f"it was issued {relative(iat - now)}")
    return f" Accepted only thanks to the {short_duration(leeway)} leeway: {' and '.join(notes)}." if notes else ""


def _checks(payload: dict[str, Any], times: dict[str, float | None], now: float, leeway: float) -> list[ClaimCheck]:
    """One check per time claim present, by the same rule as the status."""
    lee = f" (leeway {short_duration(leeway)})" if leeway else ""
    out = []
    for name in TIME_CLAIMS:
        if name not in payload:
            continue
        t = times.get(name)
        if t is None:
            out.append(ClaimCheck(name, False, f"{name}: {json_value_words(payload[name])} is not a usable "
                                               "NumericDate (seconds since 1970 as a JSON number)."))
            continue
        when = f"{utc_text(t)} ({relative(t - now)})"
        if name == "exp":
            ok = now < t + leeway
            text = f"exp: not expired; expires {when}{lee}." if ok else f"exp: expired {relative(t - now)} " \
                   f"({utc_text(t)}){lee}."
        elif name == "nbf":
            ok = not t > now + leeway
            text = f"nbf: valid since {when}{lee}." if ok else f"nbf: not valid yet; valid from {when}{lee}."
        else:
            ok = not t > now + leeway
            text = f"iat: issued {when}." if ok else f"iat: issued in the future ({utc_text(t)}, " \
                   f"{relative(t - now)}){lee}; verifiers reject it."
        out.append(ClaimCheck(name, ok, text))
    return out
