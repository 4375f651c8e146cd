"""End-to-end: how the page starts Python (site/boot.mjs) and how its files are served.

The snapshot boot and the plain boot must give the same Reports; a missing, corrupted or mismatched snapshot must
fall back to the plain boot (visibly, on <html data-boot>) with the page still working; two page loads must never
share random state; every file is fetched once (the preloads are reused). Service workers are blocked here so each
load really boots (test_e2e_offline.py covers them).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from conftest import ROOT, set_token, wait_ready
from static_server import start_in_thread

sys.path.insert(0, str(ROOT))
import build  # noqa: E402

pytestmark = pytest.mark.e2e

NOW = 1_800_000_000  # a fixed clock, so Reports made at different moments compare equal
SECRET = "correct-horse-battery-staple-2027"


def pem(key) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def report_cases() -> list[tuple[str, str | None]]:
    """(text, key) pairs covering every path a decode can take."""
    claims = {"iss": "https://issuer.example", "sub": "u1", "aud": "api", "iat": NOW - 60, "exp": NOW + 600,
              "name": "<img src=x onerror=alert(1)>"}
    expired = dict(claims, exp=NOW - 3600)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    hs = jwt.encode(claims, SECRET, algorithm="HS256")
    ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key())
    return [
        (hs, SECRET),
        (hs, "not-the-secret"),
        (hs, None),
        (jwt.encode(expired, SECRET, algorithm="HS256"), None),
        (jwt.encode(claims, rsa_key, algorithm="RS256"), pem(rsa_key)),
        (jwt.encode(claims, rsa_key, algorithm="PS256"), pem(rsa_key)),
        (jwt.encode(claims, ec_key, algorithm="ES256"), ec_jwk),
        (jwt.encode(claims, ed_key, algorithm="EdDSA"), pem(ed_key)),
        ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", None),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi+/.c2ln", None),
        ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", None),
        (f"Authorization: Bearer {hs}\nCookie: id_token={jwt.encode(expired, SECRET * 2, algorithm='HS384')}", None),
        ("", None),
    ]


def inspect_all(page, cases) -> list[str]:
    return [page.evaluate("([t, k, now]) => jwtlensInspect(t, k, now)", [text, key, NOW]) for text, key in cases]


def probe(page) -> dict:
    return json.loads(page.evaluate("jwtlensProbe()"))


# Python run in the page's own interpreter (boot.mjs hands out the one that is running): what a page script gets
# from PyJWT's JWKS client, and whether any HTTP client module is loaded.
KEY_FETCH = """async () => {
  const py = await (await import("./boot.mjs")).loadPyodide();
  return py.runPython(`
import sys, jwt
try:
    jwt.PyJWKClient("https://issuer.example/.well-known/jwks.json")
    outcome = "constructed"
except RuntimeError as exc:
    outcome = str(exc)
[outcome, [name for name in ("urllib.request", "http.client") if name in sys.modules]]
`).toJs();
}"""


def boot_state(page) -> tuple[str | None, str | None]:
    mode, reason = page.evaluate("[document.documentElement.dataset.boot, document.documentElement.dataset.bootReason]")
    return mode, reason


def open_page(browser, url: str, **context_args):
    context = browser.new_context(service_workers="block", **context_args)
    page = context.new_page()
    page.goto(url)
    wait_ready(page)
    return context, page


@pytest.fixture(scope="module")
def variant(dist_dir: Path, tmp_path_factory):
    """Serve a copy of dist/ changed by `change(folder)`; the servers stop at the end of the module."""
    servers = []

    def make(name: str, change) -> str:
        folder = tmp_path_factory.mktemp(name) / "dist"
        shutil.copytree(dist_dir, folder)
        change(folder)
        server = start_in_thread(folder)
        servers.append(server)
        return server.url

    yield make
    for server in servers:
        server.stop()


def snapshot_file(folder: Path) -> Path:
    return folder / json.loads((folder / "boot.json").read_text())["snapshot"]["file"]


def replace_file(path: Path, data: bytes) -> None:
    """Change a file and drop its precompressed siblings (a host would otherwise serve the old bytes)."""
    path.write_bytes(data)
    for suffix in build.PRECOMPRESSED_SUFFIXES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def remove_snapshot(folder: Path) -> None:
    path = snapshot_file(folder)
    for p in (path, *(path.with_name(path.name + suffix) for suffix in build.PRECOMPRESSED_SUFFIXES)):
        p.unlink(missing_ok=True)


def corrupt_snapshot(folder: Path) -> None:
    path = snapshot_file(folder)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(b ^ 0x5A for b in data[middle:middle + 64])
    replace_file(path, bytes(data))


def truncate_snapshot(folder: Path) -> None:
    path = snapshot_file(folder)
    replace_file(path, path.read_bytes()[: path.stat().st_size // 3])


def mismatch_bundle(folder: Path) -> None:
    info = json.loads((folder / "boot.json").read_text())
    info["bundle"]["sha256"] = hashlib.sha256(b"another build").hexdigest()
    replace_file(folder / "boot.json", json.dumps(info).encode())


def test_snapshot_boot_fetches_every_file_once(browser, dist_dir):
    # A server of its own: a service worker of an earlier test's page may still be filling its cache from the
    # shared one, and those requests would be counted here.
    served = start_in_thread(dist_dir)
    context, page = open_page(browser, served.url)
    try:
        assert boot_state(page) == ("snapshot", None)
        with served.lock:
            log = list(served.log)
    finally:
        context.close()
        served.stop()
    counts = Counter(path for method, path, _ in log if method == "GET")
    assert [p for p, n in counts.items() if n > 1] == [], f"fetched more than once: {counts}"
    for name in ("pyodide-snapshot.bin", "pyodide.asm.wasm", "pyodide-snapshot-stdlib.zip", "jwtlens-bundle.zip",
                 "boot.json"):
        assert any(p.endswith(name) for p in counts), f"{name} not fetched"
    assert all(status == 200 for _, _, status in log), log
    # PyScript imports no plugin that pyscript.json turns off (the <mpy-config> stops its MicroPython side from it)
    disabled = build.disabled_pyscript_plugins()
    assert disabled, "pyscript.json turns no plugin off: nothing to check"
    plugin_requests = [p for p in counts if build.is_disabled_plugin_chunk(p.rsplit("/", 1)[-1], disabled)]
    assert plugin_requests == [], plugin_requests
    assert any("/vendor/pyscript/core-" in p for p in counts), "PyScript's main chunk not fetched"


def test_mpy_config_mirrors_the_plugin_list_and_stays_hidden(ready_page, dist_dir):
    config = json.loads((dist_dir / "pyscript.json").read_text())
    assert ready_page.evaluate("JSON.parse(document.querySelector('mpy-config').textContent)") == {
        "plugins": config["plugins"]
    }
    assert ready_page.evaluate("getComputedStyle(document.querySelector('mpy-config')).display") == "none"
    assert not any(
        build.is_disabled_plugin_chunk(path.name, build.disabled_pyscript_plugins())
        for path in (dist_dir / "vendor" / "pyscript").iterdir()
    )


def test_snapshot_and_plain_boot_give_identical_reports(browser, server, variant):
    cases = report_cases()
    plain_url = variant("no-snapshot", remove_snapshot)
    # A zone with daylight saving time, so a time zone frozen into the snapshot would show.
    results = {}
    for name, url in (("snapshot", server.url), ("plain", plain_url)):
        context, page = open_page(browser, url, timezone_id="Australia/Sydney")
        try:
            facts = probe(page)
            results[name] = (boot_state(page), inspect_all(page, cases), facts["tz"], facts["pyscript_modules"],
                             page.evaluate(KEY_FETCH), facts["late_imports"], facts["optimize"])
        finally:
            context.close()
    assert results["snapshot"][0] == ("snapshot", None)
    mode, reason = results["plain"][0]
    assert mode == "plain" and "404" in reason  # the missing-snapshot fallback
    for (text, _), snap, plain in zip(cases, results["snapshot"][1], results["plain"][1], strict=True):
        assert snap == plain, f"Reports differ for {text[:40]!r}"
    assert json.loads(results["snapshot"][1][0])["token"]["signature"]["verified"] == "valid"
    assert results["snapshot"][2] == results["plain"][2]
    assert results["snapshot"][2][0] == -36000  # Sydney standard time, not the build machine's UTC
    assert results["snapshot"][2][4] == "2027-01-15 19:00 UTC+1100"  # and C's zone names (strftime %Z) too
    # PyScript's own package ran from the snapshot's compiled files (their source hashes matched), not recompiled
    snapshot_modules, plain_modules = results["snapshot"][3], results["plain"][3]
    assert {"pyscript", "pyscript.context", "pyscript.display", "pyscript.events"} <= snapshot_modules.keys()
    assert all(snapshot_modules.values()), snapshot_modules
    assert plain_modules.keys() == snapshot_modules.keys() and not any(plain_modules.values()), plain_modules
    # In both, PyJWT's JWKS client refuses to fetch, and no HTTP client is loaded
    for name in ("snapshot", "plain"):
        outcome, http_clients = results[name][4]
        assert "never fetches keys" in outcome and http_clients == [], (name, results[name][4])
        # Modules left out of the snapshot import from its trimmed standard library (Pyodide's whole one in plain)
        assert set(results[name][5].values()) == {"ok"}, (name, results[name][5])
        assert results[name][6] == 2, name  # -OO in both (site/boot.mjs PYTHON_ENV)


def mismatch_inherited(folder: Path) -> None:
    # As if the wasm served were not the one the snapshot was made with: its static data, which the snapshot
    # leaves out and takes from the heap, would not be what boot.json recorded.
    info = json.loads((folder / "boot.json").read_text())
    info["snapshot"]["inherited"]["sha256"] = hashlib.sha256(b"another wasm").hexdigest()
    replace_file(folder / "boot.json", json.dumps(info).encode())


@pytest.mark.parametrize(
    ("change", "reason"),
    [(corrupt_snapshot, "corrupted"), (truncate_snapshot, "truncated"), (mismatch_bundle, "does not match"),
     (mismatch_inherited, "static data")],
    ids=["corrupted", "truncated", "mismatched-bundle", "mismatched-wasm-data"],
)
def test_unusable_snapshot_falls_back_to_plain_boot(browser, variant, change, reason):
    url = variant(change.__name__, change)
    context, page = open_page(browser, url)
    try:
        mode, why = boot_state(page)
        assert mode == "plain" and reason in why
        token = jwt.encode({"sub": "fallback-works", "exp": int(time.time()) + 600}, SECRET, algorithm="HS256")
        set_token(page, token)
        assert "fallback-works" in page.text_content("#payload")
        assert page.get_attribute("#status", "data-status") == "valid"
    finally:
        context.close()


def test_two_loads_never_share_random_state(browser, server):
    context, page = open_page(browser, server.url)
    try:
        first = probe(page)
        page.reload()
        wait_ready(page)
        assert boot_state(page) == ("snapshot", None)
        second = probe(page)
    finally:
        context.close()
    for key in ("random", "token_hex", "urandom"):
        assert first[key] != second[key], key


def fetch(url: str, encoding: str | None = None, etag: str | None = None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding or "identity"})
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_chromium_decodes_every_zstd_copy(browser, server, dist_dir):
    # Zstandard is what Chromium gets for these files (it prefers it); each copy must decode to the file itself.
    copies = sorted(p for p in dist_dir.rglob("*.zst"))
    names = {p.name for p in copies}
    assert {"pyodide-snapshot.bin.zst", "pyodide.asm.wasm.zst", "pyodide.asm.mjs.zst"} <= names, names
    expected = {p.relative_to(dist_dir).as_posix()[: -len(".zst")]: hashlib.sha256(
        p.with_suffix("").read_bytes()).hexdigest() for p in copies}
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    try:
        page.goto(server.url + "build-info.json")
        got = page.evaluate("""async (paths) => Object.fromEntries(await Promise.all(paths.map(async (path) => {
            const response = await fetch(path, { cache: "no-store" });
            const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
            const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
            return [path, [response.headers.get("content-encoding"), hex]];
        })))""", list(expected))
    finally:
        context.close()
    assert got == {path: ["zstd", digest] for path, digest in expected.items()}


def test_server_sends_precompressed_files_and_revalidates(server, dist_dir):
    url = server.url + "vendor/pyodide/pyodide.asm.wasm"
    raw = (dist_dir / "vendor" / "pyodide" / "pyodide.asm.wasm").read_bytes()
    status, headers, body = fetch(url, "gzip, deflate, br, zstd")
    assert status == 200 and headers["Content-Encoding"] == "zstd" and headers["Content-Type"] == "application/wasm"
    assert body == (dist_dir / "vendor" / "pyodide" / "pyodide.asm.wasm.zst").read_bytes()
    assert build.zstd_window(body) <= build.ZSTD_MAX_WINDOW
    assert "Accept-Encoding" in headers["Vary"] and headers["Cache-Control"] == "no-cache"
    status, headers, body = fetch(url, "gzip, deflate, br")
    assert headers["Content-Encoding"] == "br"
    assert body == (dist_dir / "vendor" / "pyodide" / "pyodide.asm.wasm.br").read_bytes()
    status, headers, body = fetch(url, "gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == raw
    status, plain_headers, body = fetch(url)
    assert "Content-Encoding" not in plain_headers and body == raw
    assert fetch(url, "br", etag=headers["ETag"])[0] == 200  # the gzip copy's tag does not match the br copy
    assert fetch(url, "gzip", etag=headers["ETag"])[0] == 304
    # Small files are not worth precompressing; already compressed ones neither.
    assert not (dist_dir / "build-info.json.br").exists()
    assert fetch(server.url + "icon-192.png", "br")[1].get("Content-Encoding") is None
