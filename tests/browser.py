"""Chromium for the end-to-end tests and the benchmarks: which executable, and the flags it needs here.

Playwright's own Chromium when it is installed, else the system's (/usr/bin/chromium, Debian's package).
Nothing here downloads a browser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

# As root and on a closed network, Chromium needs these: without the background-networking flags it keeps trying to
# reach Google hosts, and without --no-sandbox it does not start as root.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def system_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def launch_args(playwright) -> dict:
    """Keyword arguments for playwright.chromium.launch(); raises RuntimeError when there is no Chromium."""
    args: dict = {"args": list(CHROMIUM_FLAGS)}
    if not Path(playwright.chromium.executable_path).exists():
        exe = system_chromium()
        if exe is None:
            raise RuntimeError("No Chromium: install Debian's 'chromium' package (.ci/run does this).")
        args["executable_path"] = exe
    return args
