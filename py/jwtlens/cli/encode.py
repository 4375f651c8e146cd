"""``jwtlens encode [PAYLOAD|-|@FILE] --alg ALG (--key FILE | --secret TEXT|@FILE) [...]``: sign a token.

The payload and header are JSON (text, a file or standard input); the token is printed on standard output and the
problems on standard error. The same core as the page's Encode view (encode.py).
"""

from __future__ import annotations

import argparse
import sys

from .. import encode, jwa
from .common import add_secret_format, read_file, text_argument
from .output import write

EXIT_OK, EXIT_FAILED = 0, 1


def _parser() -> argparse.ArgumentParser:
    algs = sorted(a for a in jwa.JWS_ALGS)
    parser = argparse.ArgumentParser(
        prog="jwtlens encode", description="Create and sign a JWT, offline.",
        epilog=f"algorithms: {', '.join(algs)}\nexit status: {EXIT_OK} the token was made, {EXIT_FAILED} it was not "
               "(the problems say why), 2 usage error", formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("payload", nargs="?", default="{}", help="payload JSON, '-' for stdin, @FILE for a file")
    parser.add_argument("--header", default="", metavar="JSON", help="header JSON or @FILE (alg and typ are set)")
    parser.add_argument("--alg", required=True, choices=algs, metavar="ALG", help="the JWS algorithm")
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", metavar="FILE", help="private key (PEM, JWK, JWKS) or secret file")
    key.add_argument("--secret", metavar="TEXT|@FILE",
                     help="the HMAC secret, or @FILE (--secret=VALUE for one that starts with '-')")
    add_secret_format(parser, "the HMAC secret")
    parser.add_argument("--iat", action="store_true", help="add iat = now")
    parser.add_argument("--exp", metavar="DURATION", help="add exp = now + DURATION (15m, 1h, 2d; a number: minutes)")
    parser.add_argument("--nbf", metavar="DURATION", help="add nbf = now + DURATION (0 for now)")
    parser.add_argument("--jti", action="store_true", help="add a random jti")
    parser.add_argument("--kid", metavar="KID", help="the header's kid; 'thumbprint' for the key's RFC 7638 one")
    parser.add_argument("--allow-none", action="store_true", help="allow alg none (an unsigned token)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    payload = text_argument(args.payload, parser, "payload") or "{}"
    header = text_argument(args.header, parser, "header") or ""
    key = read_file(args.key, parser, "key") if args.key else text_argument(args.secret, parser, "secret")
    thumbprint = args.kid == "thumbprint"
    if args.kid and not thumbprint:
        header = _with_kid(header, args.kid, parser)
    result = encode.encode(header, payload, args.alg, key, secret_format=args.secret_format,
                           allow_none=args.allow_none, kid_from_key=thumbprint, iat=args.iat, exp=args.exp,
                           nbf=args.nbf, jti=args.jti)
    if args.json:
        write(result.to_json(indent=2))
    else:
        for p in result.problems:
            write(f"{p.level.upper()} {p.code}: {p.message}" + (f"\n      Fix: {p.fix}" if p.fix else ""), sys.stderr)
        if result.token:
            write(result.token)
    return EXIT_OK if result.ok else EXIT_FAILED


def _with_kid(header: str, kid: str, parser: argparse.ArgumentParser) -> str:
    import json

    try:
        obj = json.loads(header) if header.strip() else {}
    except ValueError:
        return header  # encode reports the header's JSON error with its line and column
    if not isinstance(obj, dict):
        parser.error("--kid needs the header to be a JSON object")
    obj["kid"] = kid
    return json.dumps(obj)
