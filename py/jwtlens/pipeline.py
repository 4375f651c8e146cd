"""``inspect``: the stages from pasted text to a Report, each guarded so that a bug shows as a problem, never as a
traceback: find the tokens, decode the selected one, decrypt it (a JWE with a key), describe its claims, check its
signature, review it. A nested JWT (the content of a JWE) goes through the same stages with ``Options.inner_key``."""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

from . import claims, extract, lint, presentations, sdjwt, segments, verdict, verify
from .options import Options
from .problems import Code, problem
from .report import Problem, Report, SignatureResult, TokenReport

# The largest input read at all (characters). Every stage is linear in its input; at this size inspect takes about
# 0.5 s in the page (bench/blocking.py), while the browser's own layout of such a paste takes over a second. Real
# tokens are a few kilobytes.
MAX_INPUT_CHARS = 4 * 1024 * 1024
# Nested JWTs opened: a JWE around a JWS is one level; deeper nesting is not a real token.
MAX_NESTING = 3


def inspect(text: str, key: str | None = None, options: Options | None = None, **kwargs: Any) -> Report:
    """Find the tokens in text, decode the selected one, describe its claims, check its signature, review it, and
    judge it (``Report.verdict``).

    kwargs set Options fields (``inspect(t, leeway=30)``); they override the same fields of ``options``.
    An unknown option name is a programming error and raises TypeError.
    """
    opts = dataclasses.replace(options or Options(), **kwargs)
    report = Report(input_kind="empty", now=clock(opts.now))
    _stages(report, _as_text(text), key, dataclasses.replace(opts, now=report.now))
    try:
        report.verdict = verdict.judge(report)
    except Exception as e:  # noqa: BLE001
        report.problems.append(_internal("judging the token", e, "input"))
    return report


def _stages(report: Report, text: str, key: str | None, opts: Options) -> None:
    if len(text) > MAX_INPUT_CHARS:
        report.input_kind = "text"
        report.problems.append(problem(Code.INPUT_TOO_LARGE, f"The input is {len(text):,} characters; at most "
                                       f"{MAX_INPUT_CHARS:,} are read.", segment="input"))
        return
    try:
        report.input_kind, report.candidates, report.problems = extract.find_candidates(text)
    except Exception as e:  # noqa: BLE001 - last resort: a bug must show as a problem, not a traceback
        report.problems.append(_internal("finding tokens in the input", e, "input"))
        return
    if not report.candidates:
        return
    select = opts.select if isinstance(opts.select, int) and not isinstance(opts.select, bool) else 0
    report.selected = max(0, min(select, len(report.candidates) - 1))
    candidate = report.candidates[report.selected]
    if candidate.kind == "SD-JWT":
        _sd_jwt(report, candidate.token, key, opts)
    else:
        try:
            report.token = segments.decode_token(candidate.token)
        except Exception as e:  # noqa: BLE001
            report.token = TokenReport(token=candidate.token, kind=candidate.kind, segments=[])
            report.token.problems.append(_internal("decoding the token", e, "token"))
            return
        _open(report.token, key, opts, 0)
        _check(report.token, key, opts)
    try:
        presentations.attach(report, text, opts)
    except Exception as e:  # noqa: BLE001
        report.problems.append(_internal("checking what came with the token", e, "input"))


def _sd_jwt(report: Report, text: str, key: str | None, opts: Options) -> None:
    """An SD-JWT: sdjwt.py takes it apart and verifies it; its issuer-signed JWT is then described and reviewed
    with the processed payload (the claims a verifier sees)."""
    sd = sdjwt.inspect(text, key, opts, expected_aud=opts.audience, expected_nonce=opts.nonce)
    report.sd_jwt = sd
    token = sd.jwt or TokenReport(token=text, kind="unknown", segments=[])
    token.problems.extend(sd.problems)
    report.token = token
    _check(token, key, opts, verified=True, payload=sd.payload)
    token.findings = sorted(token.findings + sdjwt.review(sd), key=lambda f: lint.SEVERITIES.index(f.severity))


def clock(now: Any) -> float:
    """The clock of a report: the given time when it is a finite number of seconds, else the current time."""
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        try:
            value = float(now)
        except OverflowError:
            return time.time()
        if math.isfinite(value):
            return value
    return time.time()


def _open(token: TokenReport, key: str | None, opts: Options, depth: int) -> None:
    """A JWE with a key: decrypt it; a JSON object content becomes the payload, a nested JWT the inner token."""
    if token.kind != "JWE" or not (isinstance(key, (str, bytes, bytearray)) and key.strip()):
        return
    from . import jwe  # loaded on first use: a session of signed tokens never needs AES, GCM or key wrap

    try:
        opened = jwe.open_token(token, key, opts)
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("decrypting the token", e, "ciphertext"))
        return
    token.encryption, content = opened.result, opened.content
    if content is None:
        return
    token.problems = [p for p in token.problems if p.code != Code.JWE_ENCRYPTED]
    token.payload_text = content.text
    if content.type == "JSON":
        token.payload = content.value
        token.problems.extend(content.problems)
    elif content.type == "JWT" and content.text is not None:
        token.inner = _inner(token, content.text.strip(), opts, depth + 1)


def _inner(outer: TokenReport, text: str, opts: Options, depth: int) -> TokenReport | None:
    """The nested JWT, through the same stages as any token, checked with the inner key."""
    if depth > MAX_NESTING:
        outer.problems.append(problem(Code.JWE_NESTED_TOO_DEEP, f"The content is a JWT nested {depth} levels deep; "
                                      f"at most {MAX_NESTING} are opened.", segment="ciphertext"))
        return None
    try:
        inner = segments.decode_token(text)
    except Exception as e:  # noqa: BLE001
        outer.problems.append(_internal("decoding the nested token", e, "ciphertext"))
        return None
    _open(inner, opts.inner_key, opts, depth)
    _check(inner, opts.inner_key, opts)
    return inner


def _check(token: TokenReport, key: str | None, opts: Options, verified: bool = False, payload: Any = None) -> None:
    """Claims, signature and review of a decoded token; opts.now is the report's clock. ``verified``: the signature
    was checked already; ``payload`` stands in for the token's own (an SD-JWT's processed payload)."""
    time_checks = []
    try:
        time_checks = claims.describe(token, opts.now, opts.leeway, payload)
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("reading the claims", e, "payload"))
    if not verified:
        try:
            token.signature = verify.check_signature(token, key, opts)
        except Exception as e:  # noqa: BLE001
            token.signature = SignatureResult("error", f"Internal error while checking the signature: {e}")
            token.problems.append(_internal("checking the signature", e, "signature"))
    try:
        token.signature.checks = time_checks + claims.expectation_checks(
            payload if isinstance(payload, dict) else token.payload, opts)
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("checking the expected claims", e, "payload"))
    try:
        token.findings = list(lint.review(token, token.signature, opts, key=key, payload=payload))
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("reviewing the token", e, "token"))


def _as_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", errors="replace")
    return "" if text is None else str(text)


def _internal(stage: str, error: BaseException, segment: Any) -> Problem:
    return problem(
        Code.INTERNAL_ERROR,
        f"Internal error while {stage}: {type(error).__name__}: {error}",
        segment=segment,
    )
