"""Shared fixtures: the built dist/ served on 127.0.0.1, and Chromium for the end-to-end tests.

The browser is Playwright's own Chromium when it is installed, else the system's (/usr/bin/chromium, Debian's
package). Tests never download a browser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import CHROMIUM_FLAGS, system_chromium  # noqa: E402 - shared with bench/
from static_server import StaticServer, start_in_thread  # noqa: E402

BOOT_TIMEOUT_MS = 90_000  # generous: two cores, a cold Pyodide start and other tests running


@pytest.fixture(scope="session")
def dist_dir() -> Path:
    """dist/ as built by `build.py test`; built here when a test run starts without it."""
    dist = Path(os.environ.get("JWTLENS_DIST", ROOT / "dist"))
    if not (dist / "index.html").exists():
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--test-hooks"], check=True, cwd=ROOT)
    return dist


@pytest.fixture(scope="session")
def server(dist_dir: Path):
    srv = start_in_thread(dist_dir)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    args = dict(browser_type_launch_args)
    args["args"] = [*args.get("args", []), *CHROMIUM_FLAGS]
    if not Path(playwright.chromium.executable_path).exists():
        exe = system_chromium()
        if exe is None:
            pytest.exit("No Chromium: install Debian's 'chromium' package (.ci/run does this).", returncode=3)
        args["executable_path"] = exe
    return args


@pytest.fixture
def served(server: StaticServer) -> StaticServer:
    """The session's server with its request log cleared for this test."""
    with server.lock:
        server.log.clear()
    return server


def wait_ready(page, timeout: int = BOOT_TIMEOUT_MS) -> None:
    page.wait_for_function("document.body.dataset.state !== 'loading'", timeout=timeout)
    state = page.evaluate("document.body.dataset.state")
    assert state == "ready", f"page state {state!r}: {page.inner_text('#runtime')}"


def renders(page) -> int:
    return int(page.evaluate("document.body.dataset.renders || '0'"))


def fill_and_wait(page, selector: str, text: str) -> None:
    """Fill fires the input event the page listens to; then wait until the page has rendered again."""
    before = renders(page)
    page.fill(selector, text)
    page.wait_for_function(f"Number(document.body.dataset.renders || 0) > {before}", timeout=30_000)


def set_token(page, text: str) -> None:
    fill_and_wait(page, "#token", text)


@pytest.fixture
def ready_page(page, served):
    page.goto(served.url)
    wait_ready(page)
    return page
