"""End-to-end: the page works offline after one visit (site/sw.js), picks up a new build, and is installable.

The service worker precaches every file of the build once the page is ready and says "Works offline"; a reload with
the network off then boots and decodes from its cache. A new build is cached beside the old one and offered as
"A new version is available"; accepting reloads into it and the old cache is deleted once no open page uses it. A
second tab keeps its own build's files and offers to reload. Also under a sub-path.
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
import time
import urllib.request
from pathlib import Path

import jwt
import pytest

from conftest import ROOT, set_token, wait_ready
from static_server import start_in_thread

sys.path.insert(0, str(ROOT))
import build  # noqa: E402

pytestmark = pytest.mark.e2e

SECRET = "offline-secret-that-is-long-enough-for-hs256"
PRECACHE_TIMEOUT_MS = 60_000


def wait_offline_ready(page) -> str:
    page.wait_for_selector("#offline-status[data-offline=ready]", timeout=PRECACHE_TIMEOUT_MS)
    assert page.inner_text("#offline-status") == "Works offline"
    return page.get_attribute("#offline-status", "data-version")


def token(sub: str) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + 600}, SECRET, algorithm="HS256")


def test_offline_reload_boots_and_decodes(browser, dist_dir):
    # A server of its own, so that no other test's service worker adds to the request log checked here.
    server = start_in_thread(dist_dir)
    context = browser.new_context()
    try:
        page = context.new_page()
        with server.lock:
            server.log.clear()
        page.goto(server.url)
        wait_ready(page)
        wait_offline_ready(page)
        with server.lock:
            log = list(server.log)
            server.log.clear()
        # Precaching revalidates what the page already loaded (304) instead of downloading the build again.
        for name in ("pyodide-snapshot.bin", "pyodide.asm.wasm", "pyodide-snapshot-stdlib.zip"):
            statuses = sorted(status for _, path, status in log if path.endswith(name))
            assert statuses == [200, 304], (name, statuses)
        context.set_offline(True)
        page.reload()
        wait_ready(page)
        assert page.evaluate("document.documentElement.dataset.boot") == "snapshot"
        set_token(page, token("decoded-offline"))
        assert "decoded-offline" in page.text_content("#payload")
        assert page.get_attribute("#status", "data-status") == "valid"
        with server.lock:
            assert server.log == [], "an offline reload reached the server"
    finally:
        context.close()
        server.stop()


def new_build(folder: Path, marker: str) -> str:
    """Turn the served copy into another build: a changed page and a fresh precache manifest (what build.py does)."""
    index = folder / "index.html"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("</head>", f'  <meta name="jwtlens-test-build" content="{marker}">\n</head>'))
    shutil.copyfile(ROOT / "site" / "sw.js", folder / "sw.js")
    for name in ("index.html", "sw.js"):
        for suffix in build.PRECOMPRESSED_SUFFIXES:
            (folder / (name + suffix)).unlink(missing_ok=True)
    return build.write_precache_manifest(folder)


def marker(page) -> str | None:
    return page.evaluate("document.querySelector('meta[name=jwtlens-test-build]')?.content ?? null")


def test_new_build_is_cached_and_offered_under_a_sub_path(browser, dist_dir, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(dist_dir, folder)
    server = start_in_thread(folder, prefix="/tools/jwt/")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url)
        wait_ready(page)
        version_a = wait_offline_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == server.url + "sw.js"

        with server.lock:
            server.log.clear()
        version_b = new_build(folder, "B")
        assert version_b != version_a
        page.reload()  # served by the old worker from its cache; the browser finds the new sw.js
        wait_ready(page)
        assert marker(page) is None
        page.wait_for_selector("#reload-new-version", timeout=PRECACHE_TIMEOUT_MS)
        assert "new version" in page.inner_text("#offline-status")
        with page.expect_navigation():
            page.click("#reload-new-version")
        wait_ready(page)
        assert marker(page) == "B"
        assert wait_offline_ready(page) == version_b
        caches = page.evaluate("caches.keys()")
        assert sorted(caches) == sorted(["jwtlens.clients", f"jwtlens-{version_b}"]), caches
        # Unchanged files were copied from the old version's cache, not downloaded again.
        with server.lock:
            downloaded = {path.rsplit("/", 1)[-1] for _, path, status in server.log if status == 200}
        assert "index.html" in downloaded and "sw.js" in downloaded
        assert not downloaded & {"pyodide.asm.wasm", "pyodide-snapshot.bin", "pyodide-snapshot-stdlib.zip",
                                 "python_stdlib.zip"}, downloaded
    finally:
        context.close()
        server.stop()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_makes_the_page_installable(server):
    with urllib.request.urlopen(server.url) as response:
        page = response.read().decode()
    assert '<link rel="manifest" href="manifest.webmanifest">' in page
    with urllib.request.urlopen(server.url + "manifest.webmanifest") as response:
        assert response.headers["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.read())
    assert manifest["start_url"] == "./" and manifest["scope"] == "./" and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        assert not icon["src"].startswith(("/", "http")), "icons must be relative (sub-path hosting)"
        with urllib.request.urlopen(server.url + icon["src"]) as response:
            data = response.read()
        if icon["type"] == "image/png":
            width, height = png_size(data)
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


def test_a_second_tab_keeps_its_build_and_reloads_into_the_new_one(browser, dist_dir, tmp_path):
    """Tab 1 accepts the new version; tab 2, still showing the old page, is served the old build's files (never a mix)
    and offers a reload that works; the old cache goes once no page of it is open."""
    folder = tmp_path / "site"
    shutil.copytree(dist_dir, folder)
    server = start_in_thread(folder)
    context = browser.new_context()
    try:
        first = context.new_page()
        first.goto(server.url)
        wait_ready(first)
        version_a = wait_offline_ready(first)
        second = context.new_page()
        second.goto(server.url)
        wait_ready(second)
        set_token(second, token("typed-in-tab-2"))
        version_b = new_build(folder, "B")
        first.reload()
        wait_ready(first)
        first.wait_for_selector("#reload-new-version", timeout=PRECACHE_TIMEOUT_MS)
        with first.expect_navigation():
            first.click("#reload-new-version")
        wait_ready(first)
        assert marker(first) == "B"
        assert wait_offline_ready(first) == version_b
        # tab 2: told, not reloaded behind the visitor's back, and still served its own build
        second.wait_for_function("document.querySelector('#offline-status').textContent.includes('another tab')")
        assert "typed-in-tab-2" in second.text_content("#payload")
        page_a = second.evaluate("fetch('index.html').then(r => r.text())")
        assert "jwtlens-test-build" not in page_a
        assert sorted(second.evaluate("caches.keys()")) == sorted(
            ["jwtlens.clients", f"jwtlens-{version_a}", f"jwtlens-{version_b}"])
        with second.expect_navigation():
            second.click("#reload-new-version")
        wait_ready(second)
        assert marker(second) == "B"
        wait_offline_ready(second)  # its status request prunes the caches no open page uses
        assert sorted(second.evaluate("caches.keys()")) == sorted(["jwtlens.clients", f"jwtlens-{version_b}"])
    finally:
        context.close()
        server.stop()
