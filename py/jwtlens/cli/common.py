"""What the commands share: reading an argument that may be text, a file (@FILE) or standard input (-), a key file,
and the --secret-format option."""

from __future__ import annotations

import argparse
import sys


def text_argument(value: str | None, parser: argparse.ArgumentParser, what: str) -> str | None:
    """``-`` reads standard input, ``@FILE`` reads the file, anything else is the text itself."""
    if value is None:
        return None
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        return read_file(value[1:], parser, what)
    return value


def read_file(path: str, parser: argparse.ArgumentParser, what: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        parser.error(f"cannot read the {what} file: {e}")
        raise  # not reached: parser.error exits


def read_key(parser: argparse.ArgumentParser, path: str | None, what: str = "key") -> str | None:
    """The key file's text, None without one; a file that cannot be read is a usage error."""
    return read_file(path, parser, what) if path else None


def add_secret_format(parser: argparse.ArgumentParser, what: str = "a secret or password") -> None:
    parser.add_argument("--secret-format", choices=("auto", "text", "base64", "base64url", "hex"), default="auto",
                        help=f"how to read {what} (default: detected where unambiguous; a PBES2 password is text)")
