"""What the commands share: reading an argument that may be text, a file (@FILE) or standard input (-)."""

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
