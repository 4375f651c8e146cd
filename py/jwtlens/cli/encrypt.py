"""``jwtlens encrypt [PAYLOAD|-|@FILE] --key FILE --alg ALG --enc ENC [--zip] [--kid K] [--cty JWT]``: print a
compact JWE of the payload (text as given, UTF-8; @FILE: the file's bytes; '-': standard input)."""

from __future__ import annotations

import argparse
import sys

from .. import jwa, jwe
from . import decode
from .common import add_secret_format, read_key
from .output import write

EXIT_CODES = f"""exit status:
  {decode.EXIT_OK}  the JWE was printed
  {decode.EXIT_USAGE}  usage error (unknown alg or enc, unreadable file)
  {decode.EXIT_SIGNATURE}  the key cannot be used for this alg (wrong type or size, a key set without --kid, ...)"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jwtlens encrypt", description="Encrypt a payload to a compact JWE, offline.",
                                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("payload", nargs="?", default="-", help="the content; '-' reads stdin, @FILE reads a file")
    parser.add_argument("--key", metavar="FILE", required=True,
                        help="the recipient's public key (PEM, JWK, JWKS), the shared secret, or the PBES2 password")
    parser.add_argument("--alg", required=True, choices=sorted(jwa.JWE_ALGS), metavar="ALG",
                        help="key management: " + ", ".join(sorted(jwa.JWE_ALGS)))
    parser.add_argument("--enc", required=True, choices=sorted(jwa.JWE_ENCS), metavar="ENC",
                        help="content encryption: " + ", ".join(sorted(jwa.JWE_ENCS)))
    parser.add_argument("--zip", action="store_true", help="compress with DEFLATE first (\"zip\": \"DEF\")")
    parser.add_argument("--kid", help="the key id for the header (and the member of a key set to use)")
    parser.add_argument("--cty", help="content type for the header, e.g. JWT for a nested signed token")
    parser.add_argument("--p2c", type=int, default=None, metavar="N",
                        help=f"PBES2 iterations (default {jwe.DEFAULT_P2C:,})")
    add_secret_format(parser)
    return parser


def _payload(parser: argparse.ArgumentParser, arg: str) -> bytes:
    if arg == "-":
        return sys.stdin.buffer.read()
    if arg.startswith("@"):
        try:
            with open(arg[1:], "rb") as f:
                return f.read()
        except OSError as e:
            parser.error(f"cannot read payload file: {e}")
    return arg.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    data = _payload(parser, args.payload)
    key = read_key(parser, args.key) or ""
    try:
        token = jwe.encrypt(data, key, args.alg, args.enc, zip=args.zip, kid=args.kid, cty=args.cty,
                            secret_format=args.secret_format, p2c=args.p2c)
    except jwe.EncryptError as exc:
        print(f"jwtlens encrypt: {exc.problem.code}: {exc.problem.message}", file=sys.stderr)
        return decode.EXIT_SIGNATURE
    write(token)
    return decode.EXIT_OK
