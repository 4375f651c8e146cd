"""``jwtlens [decode] [TOKEN|-] [--key FILE] [--inner-key FILE] [--leeway S] [--json]``: the default command.

Reads the token (or any text holding tokens) from the argument or from standard input, and prints a readable
summary or the Report as JSON. A JWE with --key is decrypted (a nested JWT's signature is checked with --inner-key).
The exit status says whether the token can be used (EXIT_CODES, also in --help).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from .. import __version__, inspect, weak
from ..options import Options
from ..report import Report, TokenReport
from .common import add_secret_format, read_file, read_key, text_argument
from .output import paint, use_colour, write

EXIT_OK = 0  # decoded; times fine (or no expiry, unsecured, encrypted: the summary says which); signature not failed
EXIT_NOT_VALID = 1  # no token found, malformed, expired or not yet valid
EXIT_USAGE = 2  # bad arguments (argparse's own code)
EXIT_SIGNATURE = 3  # --key given and the signature is invalid, or the key cannot be used for this token
EXIT_CODES = f"""exit status:
  {EXIT_OK}  the token decodes, its times allow it now, and the signature did not fail (checked with --key, or not)
  {EXIT_NOT_VALID}  no token found, or the token is malformed, expired or not yet valid (or an SD-JWT a verifier
     must reject)
  {EXIT_USAGE}  usage error
  {EXIT_SIGNATURE}  a key was given and the signature is invalid, or the key cannot verify this token; for a JWE:
     decryption failed, or the nested token's signature is invalid (with --inner-key)
     (checked before 1: an expired token with a failed signature exits with {EXIT_SIGNATURE})"""

_NOT_VALID = ("empty", "malformed", "expired", "not-yet-valid")
# verdicts shown in green (True) or red (False) on a terminal; others stay plain
_GOOD = {"valid": True, "expired": False, "malformed": False, "not-yet-valid": False, "unsecured": False,
         "invalid": False, "error": False}
_DECRYPTED = {"decrypted": True, "failed": False}


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def _leeway(text: str) -> float:
    value = _finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _parser() -> argparse.ArgumentParser:
    others = f" Other commands: {', '.join(COMMANDS)} (jwtlens COMMAND --help)." if COMMANDS else ""
    parser = argparse.ArgumentParser(prog="jwtlens", description="Decode, explain and check a JWT, offline." + others,
                                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("token", nargs="?", default="-", help="the token or text holding tokens; '-' reads stdin")
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", metavar="FILE", help="file with the secret, PEM, certificate, JWK or JWKS (a JWE: the "
                     "recipient's private key, secret or password)")
    key.add_argument("--secret", metavar="TEXT|@FILE",
                     help="the HMAC secret itself, or @FILE (--secret=VALUE for one that starts with '-')")
    parser.add_argument("--inner-key", metavar="FILE", help="a JWE holding a nested JWT: the key that checks it")
    add_secret_format(parser)
    parser.add_argument("--iss", metavar="ISSUER", help="the expected issuer (checked beside the signature)")
    parser.add_argument("--aud", metavar="AUDIENCE", help="the expected audience (also a KB-JWT's)")
    parser.add_argument("--nonce", metavar="NONCE", help="the expected nonce of a KB-JWT or a DPoP proof")
    parser.add_argument("--leeway", type=_leeway, default=0.0, metavar="S", help="clock-skew allowance in seconds")
    parser.add_argument("--select", type=int, default=0, metavar="N", help="which token found in the text to decode")
    parser.add_argument("--now", type=_finite, default=None, metavar="EPOCH", help="use this time instead of the clock")
    parser.add_argument("--json", action="store_true", help="print the Report as JSON")
    parser.add_argument("--no-weak", action="store_true", help="skip the weak-secret search for HS* tokens")
    parser.add_argument("--version", action="version", version=f"jwtlens {__version__}")
    return parser


COMMANDS: tuple[str, ...] = ()  # the other commands, for --help (set by the package)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.token == "-" else args.token
    key = read_file(args.key, parser, "key") if args.key else text_argument(args.secret, parser, "secret")
    options = Options(now=args.now, leeway=args.leeway, select=args.select, secret_format=args.secret_format,
                      issuer=args.iss, audience=args.aud, nonce=args.nonce, inner_key=read_key(parser, args.inner_key),
                      pbes2_inline_iterations=None)
    report = inspect(text, key, options)
    if not args.no_weak:
        weak.attach(report)  # the page runs this search after its first render; here it is part of the run
    write(report.to_json(indent=2) if args.json else summary(report, colour=use_colour()))
    return exit_status(report)


def failed_check(token: TokenReport | None) -> bool:
    """A signature or a decryption failed, in the token or in the JWT nested in it."""
    return token is not None and any(
        layer.signature.verified in ("invalid", "error")
        or (layer.encryption is not None and layer.encryption.decrypted == "failed") for layer in token.layers())


def exit_status(report: Report) -> int:
    if failed_check(report.token):
        return EXIT_SIGNATURE
    if report.sd_jwt is not None and report.sd_jwt.rejected:
        return EXIT_NOT_VALID
    return EXIT_NOT_VALID if report.status in _NOT_VALID else EXIT_OK


def summary(report: Report, colour: bool = False) -> str:
    """A readable text version of the Report; ``colour`` marks the verdicts for a terminal."""
    out: list[str] = []
    if report.verdict is not None:
        good = {"trusted": True, "untrusted": False, "malformed": False}.get(report.verdict.verdict)
        out.append(f"Verdict: {paint(report.verdict.verdict, good, colour)}: {report.verdict.headline}")
    out.append(f"Input: {report.input_kind}")
    if len(report.candidates) > 1:
        out.append(f"Tokens found: {len(report.candidates)}")
        for c in report.candidates:
            mark = "*" if c.index == report.selected else " "
            out.append(f" {mark} [{c.index}] {c.kind} {c.alg or '?'} from {c.source}")
    elif report.candidates:
        out.append(f"Token from: {report.candidates[0].source}")
    for p in report.problems:
        out.append(_problem_line(p))
    if report.token is not None:
        out += token_lines(report.token, colour)
    out.extend(_presentation_lines(report))
    return "\n".join(out)


def token_lines(token: TokenReport, colour: bool = False) -> list[str]:
    """One token as text (a nested one follows its outer token, indented by its heading)."""
    out = [f"Kind: {token.kind}"]
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
    out.append(f"Status: {paint(v.status, _GOOD.get(v.status), colour)}")
    out.append(f"  {v.message}")
    if v.lifetime_text:
        out.append(f"Lifetime: {v.lifetime_text}")
    s = token.signature
    out.append(f"Signature: {paint(s.verified, _GOOD.get(s.verified), colour)}: {s.message}")
    e = token.encryption
    if e is not None:
        out.append(f"Encryption: {paint(e.decrypted, _DECRYPTED.get(e.decrypted), colour)}: {e.message}")
        out.extend(f"  tried {line}" for line in e.tried)
    for p in token.problems + s.problems + (e.problems if e is not None else []):
        out.append(_problem_line(p))
    for f in token.findings:
        out.append(f"[{paint(f.severity, f.severity not in ('critical', 'high'), colour)}] {f.rule}: {f.title} "
                   f"({f.reference})")
    if token.inner is not None:
        nested = "\n".join(token_lines(token.inner, colour)).split("\n")  # some entries are several lines
        out += ["", "Nested token:"] + ["  " + line if line else line for line in nested]
    return out


def _presentation_lines(report: Report) -> list[str]:
    """SD-JWT disclosures and key binding, DPoP and OIDC pair checks, when the report has them."""
    out: list[str] = []
    sd = report.sd_jwt
    if sd is not None:
        out += ["", f"{sd.kind} ({sd.serialization}, _sd_alg {sd.sd_alg}): {sd.summary}", "Disclosures:"]
        for d in sd.disclosures:
            name = "(array element)" if d.kind == "array" else json.dumps(d.name, ensure_ascii=False)
            out.append(f"  #{d.index} {d.status}: {name} = {_short(d.value)}  at {d.location or '-'}")
        out += [f"  not disclosed: {u.location} ({u.kind})" for u in sd.undisclosed]
        out += ["Processed payload:", _indent(_pretty(sd.payload, None))]
        if sd.key_binding is not None:
            out.append(f"Key Binding JWT: signature {sd.key_binding.signature.verified}")
            out += [f"  {c.id}: {c.result}: {c.message}" for c in sd.key_binding.checks]
    for title, checks in (("DPoP", report.dpop.checks if report.dpop else None),
                          ("Token pair", report.pair.checks if report.pair else None)):
        if checks:
            out += ["", f"{title} checks:"] + [f"  {c.id}: {c.result}: {c.message}" for c in checks]
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


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
