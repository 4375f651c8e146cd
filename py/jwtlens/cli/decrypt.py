"""``jwtlens decrypt TOKEN|- --key FILE [--inner-key FILE] [--json]``: decrypt a compact JWE and print its content,
then the nested token's report when the content is a JWT (its signature checked with --inner-key)."""

from __future__ import annotations

import argparse
import sys

from .. import inspect
from ..options import Options
from ..report import Report
from . import decode
from .common import add_secret_format, read_key
from .output import write

EXIT_CODES = f"""exit status:
  {decode.EXIT_OK}  decrypted (and a nested token's signature, if checked, is valid and its times allow it now)
  {decode.EXIT_NOT_VALID}  no JWE found, or the claims (or the nested token) are malformed, expired or not yet valid
  {decode.EXIT_USAGE}  usage error
  {decode.EXIT_SIGNATURE}  decryption failed (wrong key, altered token, refused header), or the nested token's
     signature is invalid or cannot be checked with --inner-key"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jwtlens decrypt", description="Decrypt a compact JWE, offline.",
                                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("token", nargs="?", default="-", help="the JWE, or text holding it; '-' reads stdin")
    parser.add_argument("--key", metavar="FILE", required=True,
                        help="the recipient's private key (PEM, JWK, JWKS), the shared secret, or the PBES2 password")
    parser.add_argument("--inner-key", metavar="FILE", help="the key that checks a nested JWT's signature")
    add_secret_format(parser)
    parser.add_argument("--now", type=decode._finite, default=None, metavar="EPOCH", help="use this time")
    parser.add_argument("--leeway", type=decode._leeway, default=0.0, metavar="S", help="clock-skew allowance")
    parser.add_argument("--json", action="store_true", help="print the Report as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.token == "-" else args.token
    key, inner_key = read_key(parser, args.key), read_key(parser, args.inner_key)
    options = Options(now=args.now, leeway=args.leeway, secret_format=args.secret_format, inner_key=inner_key,
                      pbes2_inline_iterations=None)
    report = inspect(text, key, options)
    write(report.to_json(indent=2) if args.json else _text(report))
    return exit_status(report)


def _text(report: Report) -> str:
    token = report.token
    if token is None or token.kind != "JWE":
        return decode.summary(report) + "\nNo JWE (5-segment token) found."
    enc = token.encryption
    if enc is None or enc.decrypted != "decrypted":
        return decode.summary(report)
    content = enc.plaintext if enc.plaintext is not None else f"(binary, base64url) {enc.plaintext_base64url}"
    return f"{content}\n\n{decode.summary(report)}"


def exit_status(report: Report) -> int:
    token = report.token
    if token is None or token.kind != "JWE":
        return decode.EXIT_NOT_VALID
    if decode.failed_check(token):
        return decode.EXIT_SIGNATURE
    enc = token.encryption
    claims = token.inner is not None or (enc is not None and enc.content_type == "JSON")
    return decode.EXIT_NOT_VALID if claims and report.status in decode._NOT_VALID else decode.EXIT_OK
