"""Hooks for the end-to-end tests, bundled only into the test build (``python3 build.py --test-hooks``, which
``build.py test`` uses); the deployed page has neither of them (tests/test_build.py checks the default bundle).

jwtlensInspect: the Report for a text, as JSON, so tests can compare the snapshot and the plain boot.
jwtlensProbe: this tab's random state and time zone as Python sees them, so tests can check that a resumed snapshot
shares neither with the build machine nor with another page load, and whether modules left out of the snapshot
import. Neither reads the page's inputs.
"""

from __future__ import annotations

import json
import os
import sys
import time

from pyodide.ffi import create_proxy

import jwtlens


def install(window) -> None:
    window.jwtlensInspect = create_proxy(
        lambda text, key=None, now=None: jwtlens.inspect(text, key or None, now=now).to_json()
    )
    window.jwtlensProbe = create_proxy(_probe)


def _probe() -> str:
    import random
    import secrets

    return json.dumps({
        "random": random.random(),
        "token_hex": secrets.token_hex(16),
        "urandom": os.urandom(16).hex(),
        "tz": [time.timezone, time.altzone, time.daylight, list(time.tzname),
               time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(1_800_000_000))],
        "pyscript_modules": _pyscript_modules(),
        "late_imports": _late_imports(),
        "optimize": sys.flags.optimize,
    })


# Not in the snapshot, so read from the standard library zip after the resume. json.tool lies in a package whose own
# module the snapshot's zip leaves out (tools/make_snapshot.mjs, trimZip).
LATE_IMPORTS = ("csv", "difflib", "encodings.cp1252", "json.tool")


def _late_imports() -> dict[str, str]:
    import importlib

    found = {}
    for name in LATE_IMPORTS:
        try:
            importlib.import_module(name)
            found[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported to the test, which names it
            found[name] = f"{type(exc).__name__}: {exc}"
    return found


def _pyscript_modules() -> dict[str, bool]:
    """PyScript's own modules, each with whether a compiled file from the snapshot (checked against its source's
    hash, PEP 552) is what Python loaded. Nothing rewrites those files (sys.dont_write_bytecode after a resume)."""
    from importlib.util import source_hash

    found = {}
    for name, module in sys.modules.items():
        source, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
        if name.split(".")[0] != "pyscript" or not source or not cached:
            continue
        try:
            with open(cached, "rb") as file:
                head = file.read(16)
            with open(source, "rb") as file:
                found[name] = head[4:8] == b"\x03\0\0\0" and head[8:16] == source_hash(file.read())
        except OSError:
            found[name] = False
    return found
