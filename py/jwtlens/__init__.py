"""JWT Lens: decode, explain, verify and review JSON Web Tokens, offline.

``inspect(text, key=None, options=None, **kwargs) -> Report`` is the one entry point the page, the tests and the
command line share. It never raises on a string: every failure becomes a Problem in the Report.

Importing the package does not import PyJWT: ``inspect`` (and the modules behind it) load on first use. That lets
the page put its stand-in for PyJWT's key-fetching client in place first (``pyjwt_bridge.refuse_key_fetching``).
"""

from __future__ import annotations

from typing import Any

from .options import Options
from .report import Report

__version__ = "0.1.0"
__all__ = ["Options", "Report", "__version__", "inspect"]


def __getattr__(name: str) -> Any:
    if name == "inspect":
        from .pipeline import inspect

        return inspect
    raise AttributeError(f"module 'jwtlens' has no attribute {name!r}")
