"""Zero upload, proven: every request of a full session is recorded and checked."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import fill_and_wait, set_token, wait_ready

pytestmark = pytest.mark.e2e


def b64(data: str) -> str:
    return base64.urlsafe_b64encode(data.encode()).rstrip(b"=").decode()


# A distinctive token and key: if either leaks anywhere, searching for these strings finds it.
MARK = "leakcanary7f3a9c"
SECRET = "key-canary-5b21e0-not-a-real-secret-value!"
TOKEN = ".".join([
    b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": MARK})),
    b64(json.dumps({"sub": MARK, "exp": int(time.time()) + 3600, "jku": "https://attacker.example/keys"})),
    b64("signature-" + MARK),
])

STORAGE_DUMP = (Path(__file__).parent / "storage_dump.js").read_text()


def test_full_session_makes_only_same_origin_file_requests(browser, server, dist_dir):
    context = browser.new_context()
    page = context.new_page()
    # (time, method, url, made by the service worker?): the worker's own fetches are reported on the context only
    requests: list[tuple[float, str, str, bool]] = []
    context.on("request", lambda r: requests.append((time.monotonic(), r.method, r.url, r.service_worker is not None)))
    with server.lock:
        server.log.clear()

    page.goto(server.url)
    wait_ready(page)
    ready_at = time.monotonic()

    # a full session: paste, decode, edit the token, type a key, change options, switch theme, clear
    set_token(page, TOKEN)
    assert MARK in page.text_content("#payload")
    set_token(page, TOKEN[:-3] + "xyz")
    set_token(page, "Authorization: Bearer " + TOKEN)
    fill_and_wait(page, "#key", SECRET)
    fill_and_wait(page, "#leeway", "30")
    page.click("#theme-toggle")
    page.click("#sample")
    page.click("#clear")
    # the Encode view: generate a key, sign with it, open the token in Decode
    page.click("#tab-encode")
    page.select_option("#keygen-alg", "ES256")
    page.click("#keygen")
    page.wait_for_selector("#keygen-output:not([hidden])")
    private_line = page.input_value("#keygen-private").splitlines()[1]
    page.click("#keygen-use")
    page.fill("#encode-payload", json.dumps({"sub": MARK}))
    page.click("#encode-open")
    page.wait_for_function("document.body.dataset.view === 'decode'")
    assert page.get_attribute("#signature", "data-verified") == "valid"
    page.wait_for_timeout(1500)  # anything scheduled after a render (weak-secret search, ...) runs now
    # The page itself goes quiet once Python is ready. The service worker then fills its offline cache with the
    # files of this build (deliberately after start-up, so it never competes with the boot): same-origin GETs of
    # dist/ files, checked like every other request below.
    after_ready = [r for r in requests if r[0] > ready_at and not r[3]]
    storage = page.evaluate(STORAGE_DUMP)
    final_url = page.url
    context.close()

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server.url))
    assert requests, "no request recorded: the recorder is broken"
    for _, method, url, _by_worker in requests:
        assert method == "GET", (method, url)
        assert url.startswith(origin + "/"), f"request to another origin: {url}"
        path = unquote(urlsplit(url).path).lstrip("/")
        assert (dist_dir / path).is_file() or (dist_dir / path / "index.html").is_file(), url
        assert MARK not in url and SECRET not in url and "eyJ" not in url
    assert after_ready == [], f"requests after the page was ready: {after_ready}"
    # the server saw the same: only GETs, nothing it could not serve
    assert {m for m, _, _ in server.log} == {"GET"}
    assert all(status < 400 for _, _, status in server.log), server.log
    # and nothing was written to storage
    for needle in (MARK, SECRET, TOKEN[:40], private_line):
        assert needle not in storage, f"{needle!r} found in browser storage"
    assert not any(private_line in url for _, _, url, _ in requests)
    assert MARK not in final_url and "eyJ" not in final_url


def test_csp_forbids_other_origins(ready_page):
    csp = ready_page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in (p.strip() for p in csp.split(";")) if part
    )
    assert directives["connect-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    for values in directives.values():
        for value in values:
            assert value.startswith("'") or value in ("data:",), f"CSP allows an origin: {value}"
    # the browser enforces it: a fetch to another origin is refused inside the page
    blocked = ready_page.evaluate(
        "fetch('https://example.com/x').then(() => 'sent', e => 'blocked: ' + e.message)"
    )
    assert blocked.startswith("blocked")
