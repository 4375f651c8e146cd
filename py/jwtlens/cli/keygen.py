"""``jwtlens keygen --alg ALG [--bits N] [--format NAME|all]``: make a key for a JWS algorithm, offline.

Prints the key in the chosen formats (export.FORMATS): private and public PEM, JWK, JWKS, or a secret. Generation
progress for RSA goes to standard error. The same core as the page's key generator (keygen.py, export.py).
"""

from __future__ import annotations

import argparse
import sys

from .. import export, jwa, keygen
from .output import write

FORMATS = [f.name for f in export.FORMATS]


def _parser() -> argparse.ArgumentParser:
    algs = sorted(a for a in jwa.JWS_ALGS if a != "none")
    return _add(argparse.ArgumentParser(
        prog="jwtlens keygen", description="Generate a key for a JWS algorithm, offline.",
        epilog=f"formats: {', '.join(FORMATS)}, all (default: every one that applies)\nexit status: 0 made, "
               "1 the key cannot be written in that format, 2 usage error",
        formatter_class=argparse.RawDescriptionHelpFormatter), algs)


def _add(parser: argparse.ArgumentParser, algs: list[str]) -> argparse.ArgumentParser:
    parser.add_argument("--alg", required=True, choices=algs, metavar="ALG", help=f"one of {', '.join(algs)}")
    parser.add_argument("--bits", type=int, default=2048, choices=keygen.RSA_SIZES, help="RSA modulus size")
    parser.add_argument("--curve", choices=("Ed25519", "Ed448"), help="for EdDSA: the curve (default Ed25519)")
    parser.add_argument("--format", default="all", choices=[*FORMATS, "all"], metavar="NAME")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    progress = _progress if sys.stderr.isatty() else None
    try:
        key = keygen.generate(args.alg, rsa_bits=args.bits, curve=args.curve, progress=progress)
    except keygen.KeygenError as exc:
        write(f"error: {exc}", sys.stderr)
        return 1
    if progress:
        sys.stderr.write("\n")
    try:
        if args.format != "all":
            write(export.export(key, args.format, args.alg))
            return 0
        for item in export.export_all(key, args.alg):
            write(f"# {item.label}" + (" (keep it secret)" if item.private else ""))
            write(item.text.rstrip("\n") + "\n")
    except export.ExportError as exc:
        write(f"error: {exc}", sys.stderr)
        return 1
    return 0


def _progress(step: keygen.Progress) -> None:
    sys.stderr.write(f"\rgenerating: {step.fraction:4.0%}")
    sys.stderr.flush()
