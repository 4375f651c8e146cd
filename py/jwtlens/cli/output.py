"""Output of the command line: text that always prints, and colour only where it helps."""

from __future__ import annotations

import os
import sys
from typing import TextIO


def write(text: str, stream: TextIO | None = None) -> None:
    """Tokens may hold lone surrogates (a JSON escape like \\ud800): print them as escapes, never crash."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")


def use_colour(stream: TextIO | None = None) -> bool:
    """Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, good: bool | None, colour: bool) -> str:
    """Green for a good verdict, red for a bad one, plain otherwise or without colour."""
    if not colour or good is None:
        return text
    return f"\033[{'32' if good else '31'}m{text}\033[0m"
