"""Command line: ``jwtlens [TOKEN|-] [--key FILE] [--leeway S] [--json]``.

Reads the token (or any text holding tokens) from the argument or from standard input, and prints a readable
summary or the Report as JSON. Exit status: 1 when no token was found or the token is malformed, expired or not yet
valid; 2 for usage errors; 0 otherwise (valid, no expiry, unsecured, encrypted: the summary says which).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import __version__, inspect, weak
from .options import Options
from .report import Report

_FAILED = ("empty", "malformed", "expired", "not-yet-valid")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jwtlens", description="Decode, explain and check a JWT, offline.")
    parser.add_argument("token", nargs="?", default="-", help="the token or text holding tokens; '-' reads stdin")
    parser.add_argument("--key", metavar="FILE", help="file with the secret, PEM, certificate, JWK or JWKS")
    parser.add_argument("--leeway", type=float, default=0.0, metavar="S", help="clock-skew allowance in seconds")
    parser.add_argument("--select", type=int, default=0, metavar="N", help="which token found in the text to decode")
    parser.add_argument("--now", type=float, default=None, metavar="EPOCH", help="use this time instead of the clock")
    parser.add_argument("--json", action="store_true", help="print the Report as JSON")
    parser.add_argument("--no-weak", action="store_true", help="skip the weak-secret search for HS* tokens")
    parser.add_argument("--version", action="version", version=f"jwtlens {__version__}")
    args = parser.parse_args(argv)

    text = sys.stdin.read() if args.token == "-" else args.token
    key = None
    if args.key:
        try:
            with open(args.key, encoding="utf-8", errors="replace") as f:
                key = f.read()
        except OSError as e:
            parser.error(f"cannot read key file: {e}")
    report = inspect(text, key, Options(now=args.now, leeway=args.leeway, select=args.select))
    if report.token is not None and not args.no_weak and weak.should_search(report.token):
        # the page runs this search after its first render; here it is simply part of the run
        found = weak.find_weak_secret(report.token)
        if found is not None:
            alg = report.token.header.get("alg", "HS256") if isinstance(report.token.header, dict) else "HS256"
            report.token.findings.insert(0, weak.weak_secret_finding(found, alg))
    if args.json:
        print(report.to_json(indent=2))
    else:
        print(summary(report))
    return 1 if report.status in _FAILED else 0


def summary(report: Report) -> str:
    """A readable text version of the Report."""
    out: list[str] = [f"Input: {report.input_kind}"]
    if len(report.candidates) > 1:
        out.append(f"Tokens found: {len(report.candidates)}")
        for c in report.candidates:
            mark = "*" if c.index == report.selected else " "
            out.append(f" {mark} [{c.index}] {c.kind} {c.alg or '?'} from {c.source}")
    elif report.candidates:
        out.append(f"Token from: {report.candidates[0].source}")
    for p in report.problems:
        out.append(_problem_line(p))
    token = report.token
    if token is None:
        return "\n".join(out)
    out.append(f"Kind: {token.kind}")
    out.append("")
    out.append("Header:")
    out.append(_indent(_pretty(token.header, token.header_text)))
    out.append("Payload:")
    out.append(_indent(_pretty(token.payload, token.payload_text)))
    if token.header_params:
        out.append("")
        out.append("Header parameters:")
        out.extend(_claim_line(c) for c in token.header_params)
    if token.claims:
        out.append("")
        out.append("Claims:")
        out.extend(_claim_line(c) for c in token.claims)
    out.append("")
    v = token.validity
    out.append(f"Status: {v.status}")
    out.append(f"  {v.message}")
    if v.lifetime_text:
        out.append(f"Lifetime: {v.lifetime_text}")
    s = token.signature
    out.append(f"Signature: {s.verified}: {s.message}")
    for p in token.problems + s.problems:
        out.append(_problem_line(p))
    for f in token.findings:
        out.append(f"[{f.severity}] {f.rule}: {f.title} ({f.reference})")
    return "\n".join(out)


def _pretty(value: Any, text: str | None) -> str:
    if value is not None:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return text if text is not None else "(not decodable)"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _claim_line(c: Any) -> str:
    value = json.dumps(c.value, ensure_ascii=False)
    if len(value) > 80:
        value = value[:77] + "..."
    line = f"  {c.name} = {value}"
    if c.time:
        line += f"  [{c.time.utc}, {c.time.relative}]"
    if c.description:
        line += f"\n      {c.description} ({c.spec})"
    return line


def _problem_line(p: Any) -> str:
    line = f"{p.level.upper()} {p.code}: {p.message}"
    if p.fix:
        line += f"\n      Fix: {p.fix}"
    return line


if __name__ == "__main__":
    sys.exit(main())
