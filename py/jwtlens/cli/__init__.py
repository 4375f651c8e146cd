"""The command line: ``jwtlens [COMMAND] ...``. Decoding is the default command, so ``jwtlens TOKEN`` works as it
always did; each other command is a module of this package with a ``main(argv) -> int``."""

from __future__ import annotations

import importlib

from . import decode

# command -> module of this package
COMMANDS: dict[str, str] = {"decode": "decode", "decrypt": "decrypt", "encode": "encode", "encrypt": "encrypt",
                            "keygen": "keygen"}


def main(argv: list[str] | None = None) -> int:
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        module = importlib.import_module(f"{__name__}.{COMMANDS[args[0]]}")
        return module.main(args[1:])
    decode.COMMANDS = tuple(c for c in COMMANDS if c != "decode")
    return decode.main(args)
