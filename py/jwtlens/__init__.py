"""JWT Lens: decode, explain, verify and review JSON Web Tokens, offline.

``inspect(text, key=None, options=None, **kwargs) -> Report`` is the one entry point the page, the tests and the
command line share. It never raises on a string: every failure becomes a Problem in the Report.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from . import claims, extract, lint, segments, verify
from .options import Options
from .problems import Code, problem
from .report import Problem, Report, SignatureResult, TokenReport

__version__ = "0.1.0"
__all__ = ["Options", "Report", "__version__", "inspect"]


def inspect(text: str, key: str | None = None, options: Options | None = None, **kwargs: Any) -> Report:
    """Find the tokens in text, decode the selected one, describe its claims, check its signature, review it.

    kwargs set Options fields (``inspect(t, leeway=30)``); they override the same fields of ``options``.
    An unknown option name is a programming error and raises TypeError.
    """
    opts = dataclasses.replace(options or Options(), **kwargs)
    now = opts.now if isinstance(opts.now, (int, float)) and not isinstance(opts.now, bool) else time.time()
    report = Report(input_kind="empty", now=float(now))
    text = _as_text(text)

    try:
        report.input_kind, report.candidates, report.problems = extract.find_candidates(text)
    except Exception as e:  # noqa: BLE001 - last resort: a bug must show as a problem, not a traceback
        report.problems.append(_internal("finding tokens in the input", e, "input"))
        return report
    if not report.candidates:
        return report
    select = opts.select if isinstance(opts.select, int) else 0
    report.selected = max(0, min(select, len(report.candidates) - 1))
    candidate = report.candidates[report.selected]

    try:
        token = segments.decode_token(candidate.token)
    except Exception as e:  # noqa: BLE001
        token = TokenReport(token=candidate.token, kind=candidate.kind, segments=[])
        token.problems.append(_internal("decoding the token", e, "token"))
        report.token = token
        return report
    report.token = token

    try:
        claims.describe(token, report.now, opts.leeway)
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("reading the claims", e, "payload"))

    try:
        token.signature = verify.check_signature(token, key, opts)
    except Exception as e:  # noqa: BLE001
        token.signature = SignatureResult("error", f"Internal error while checking the signature: {e}")
        token.problems.append(_internal("checking the signature", e, "signature"))

    try:
        token.findings = list(lint.review(token, token.signature, opts, key=key))
    except Exception as e:  # noqa: BLE001
        token.problems.append(_internal("reviewing the token", e, "token"))
    return report


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
