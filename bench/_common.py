"""What the micro-benchmarks (jwe, primitives, sign, verify) share: their command line, their timing code run in
CPython exactly as Pyodide runs it, and the head of their tables."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def parse_args(doc: str | None, argv: list[str] | None, default_runs: int, minimum: int, runs_help: str,
               more: Callable[[argparse.ArgumentParser], None] | None = None) -> tuple[argparse.Namespace, int]:
    """--runs (raised to `minimum`) and --no-pyodide, plus what `more` adds; returns the arguments and the runs."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=default_runs, help=runs_help)
    parser.add_argument("--no-pyodide", action="store_true", help="CPython only")
    if more is not None:
        more(parser)
    args = parser.parse_args(argv)
    return args, max(minimum, args.runs)


def timing_namespace(code: str) -> dict:
    """The names the timing code defines, run here (the same code runs in Pyodide)."""
    namespace: dict = {}
    exec(code, namespace)
    return namespace


def print_head(head: str) -> None:
    print(head)
    print("-" * len(head))
