"""End-to-end: the built page in Chromium, served over HTTP on 127.0.0.1, driven like a person would."""

from __future__ import annotations

import base64
import json
import time

import pytest

from conftest import fill_and_wait, set_token, wait_ready
from static_server import start_in_thread

pytestmark = pytest.mark.e2e


def b64(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header: dict | str, payload: dict | str, signature: bytes = b"\x01" * 32) -> str:
    h = header if isinstance(header, str) else json.dumps(header)
    p = payload if isinstance(payload, str) else json.dumps(payload)
    return f"{b64(h)}.{b64(p)}.{b64(signature)}"


@pytest.fixture(scope="module")
def shared_page(browser, server):
    """One booted page for the tests that only paste and read: a Pyodide start costs seconds."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(server.url)
    wait_ready(page)
    yield page
    context.close()


def problem_codes(page) -> list[str]:
    return page.eval_on_selector_all("#problems li", "els => els.map(e => e.dataset.code)")


def test_decodes_a_pasted_token(shared_page):
    now = int(time.time())
    claims = {"iss": "https://issuer.example", "sub": "user-1", "exp": now + 600, "iat": now - 60, "custom": 7}
    set_token(shared_page, token({"alg": "HS256", "typ": "JWT"}, claims))
    header = json.loads(shared_page.text_content("#header"))
    payload = json.loads(shared_page.text_content("#payload"))
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert payload == claims
    # textContent is exactly the 2-space pretty-printed JSON (the automation contract)
    assert shared_page.text_content("#payload") == json.dumps(claims, indent=2)
    assert shared_page.get_attribute("#status", "data-status") == "valid"
    exp_row = shared_page.locator("#claims tr[data-claim=exp]")
    stamp = exp_row.locator("time").get_attribute("datetime")
    assert stamp == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 600))
    assert "in " in exp_row.inner_text()  # relative time, e.g. "in 10 min"
    assert "Expiration" in exp_row.inner_text() or "expir" in exp_row.inner_text().lower()
    unknown = shared_page.locator("#claims tr[data-claim=custom]")
    assert "7" in unknown.inner_text()
    # the token is shown colored by segment
    assert shared_page.locator("#token-layer .seg-header").count() == 1
    assert shared_page.locator("#token-layer .seg-signature").count() == 1


def test_large_token_keeps_the_whole_json_and_stays_editable(shared_page):
    # ~600 KB: decoded and rendered in two tasks, the JSON in blocks laid out on demand, the long claim value cut
    # in the claims table (the JSON view holds all of it).
    claims = {"sub": "big", "exp": int(time.time()) + 600, "blob": "y" * 400_000,
              "lines": [f"line {i}" for i in range(9000)]}
    text = token({"alg": "HS256"}, claims)
    set_token(shared_page, text)
    assert shared_page.text_content("#payload") == json.dumps(claims, indent=2)
    assert shared_page.locator("#payload .chunk").count() > 10
    assert shared_page.get_attribute("#status", "data-status") == "valid"
    blob_row = shared_page.locator("#claims tr[data-claim=blob]").inner_text()
    assert "y" * 2048 + "\u2026 (397,952 more characters)" in blob_row
    # typing at the end (into the signature) renders again, with the same decoded payload
    shared_page.focus("#token")
    shared_page.evaluate("() => { const b = document.getElementById('token'); "
                         "b.selectionStart = b.selectionEnd = b.value.length; }")
    before = shared_page.evaluate("Number(document.body.dataset.renders)")
    shared_page.keyboard.press("A")
    shared_page.wait_for_function(f"Number(document.body.dataset.renders) > {before}", timeout=30_000)
    assert shared_page.input_value("#token") == text + "A"
    assert json.loads(shared_page.text_content("#payload")) == claims


def test_status_follows_time_and_leeway(shared_page):
    now = int(time.time())
    set_token(shared_page, token({"alg": "HS256"}, {"sub": "a", "exp": now - 30}))
    assert shared_page.get_attribute("#status", "data-status") == "expired"
    fill_and_wait(shared_page, "#leeway", "120")
    assert shared_page.get_attribute("#status", "data-status") == "valid"
    fill_and_wait(shared_page, "#leeway", "0")
    set_token(shared_page, token({"alg": "HS256"}, {"sub": "a", "nbf": now + 3600, "exp": now + 7200}))
    assert shared_page.get_attribute("#status", "data-status") == "not-yet-valid"
    set_token(shared_page, token({"alg": "HS256"}, {"sub": "a"}))
    assert shared_page.get_attribute("#status", "data-status") == "no-expiry"
    set_token(shared_page, token({"alg": "none"}, {"sub": "a"}, b""))
    assert shared_page.get_attribute("#status", "data-status") == "unsecured"
    set_token(shared_page, "")
    assert shared_page.get_attribute("#status", "data-status") == "empty"


def test_finds_tokens_in_headers_urls_and_json(shared_page):
    first = token({"alg": "HS256", "kid": "one"}, {"sub": "first"})
    second = token({"alg": "HS256", "kid": "two"}, {"sub": "second"})
    set_token(shared_page, f"Authorization: Bearer {first}")
    assert json.loads(shared_page.text_content("#payload")) == {"sub": "first"}
    set_token(shared_page, f"https://app.example/cb#state=x&id_token={second}&token_type=Bearer")
    assert json.loads(shared_page.text_content("#payload")) == {"sub": "second"}
    set_token(shared_page, json.dumps({"access_token": first, "id_token": second}))
    assert not shared_page.locator("#candidates").is_hidden()
    assert shared_page.locator("#candidate-select option").count() == 2
    before = int(shared_page.evaluate("document.body.dataset.renders"))
    shared_page.select_option("#candidate-select", "1")
    shared_page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert json.loads(shared_page.text_content("#payload")) == {"sub": "second"}


BROKEN = [
    # (description, token, expected problem code, segment)
    ("standard base64", "eyJhbGciOiJIUzI1NiJ9." + base64.b64encode(b'{"sub":">??"}').decode() + ".c2ln",
     "base64url.standard-alphabet", "payload"),
    ("stray character", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIi!OiJhIn0.c2ln", "base64url.invalid-char", "payload"),
    ("two segments", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0", "token.segment-count", None),
    ("impossible length", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0xx.c2ln", "base64url.impossible-length", "payload"),
    ("invalid utf-8", b64('{"alg":"HS256"}') + "." + b64(b'{"sub":"\xff\xfe"}') + ".c2ln", "utf8.invalid", "payload"),
    ("json syntax", b64('{"alg":"HS256"}') + "." + b64('{"sub": "a",}') + ".c2ln", "json.syntax", "payload"),
    ("not an object", b64('{"alg":"HS256"}') + "." + b64("[1, 2]") + ".c2ln", "json.not-object", "payload"),
    ("duplicate names", b64('{"alg":"HS256"}') + "." + b64('{"sub":"a","sub":"b"}') + ".c2ln",
     "json.duplicate-member", "payload"),
    ("huge number", b64('{"alg":"HS256"}') + "." + b64('{"n": ' + "9" * 5000 + "}") + ".c2ln",
     "json.number-too-large", "payload"),
    ("deep nesting", b64('{"alg":"HS256"}') + "." + b64("[" * 5000 + "]" * 5000) + ".c2ln", "json.too-deep", "payload"),
    ("broken header", b64('{"alg":"HS256"') + "." + b64('{"sub":"still shown"}') + ".c2ln", "json.syntax", "header"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_tokens_get_specific_messages(shared_page, case):
    _, text, code, segment = case
    set_token(shared_page, text)
    item = shared_page.locator(f"#problems li[data-code='{code}']").first
    assert item.count() == 1, f"expected {code}, got {problem_codes(shared_page)}"
    if segment:
        assert item.get_attribute("data-segment") == segment
    message = item.inner_text()
    assert len(message) > 20 and "Traceback" not in message
    assert shared_page.get_attribute("#status", "data-status") == "malformed" or code.startswith("json.")
    assert shared_page.evaluate("document.body.dataset.state") == "ready"


def test_broken_payload_still_shows_header(shared_page):
    set_token(shared_page, b64('{"alg":"HS256","kid":"k1"}') + "." + b64('{"sub": ') + ".c2ln")
    assert json.loads(shared_page.text_content("#header")) == {"alg": "HS256", "kid": "k1"}
    set_token(shared_page, b64('{"alg": ') + "." + b64('{"sub":"visible"}') + ".c2ln")
    assert json.loads(shared_page.text_content("#payload")) == {"sub": "visible"}


def test_hostile_claims_are_shown_as_text(shared_page, server):
    hostile = "<img src=x onerror=alert(1)>"
    payload = {"name": hostile, "<b>bold</b>": "<script>alert(2)</script>", "exp": "<svg onload=alert(3)>",
               'x" onmouseover="alert(5)': "'><img src=y onerror=alert(6)>"}
    with server.lock:
        server.log.clear()
    set_token(shared_page, token({"alg": "HS256", "kid": "<iframe src=javascript:alert(4)>"}, payload))
    shared_page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert shared_page.dialogs == []
    assert hostile in shared_page.text_content("#payload")
    assert hostile in shared_page.locator("#claims tr[data-claim=name]").inner_text()
    for sel in ("#payload", "#header", "#claims", "#header-params", "#problems", "#token-layer", "#findings"):
        assert shared_page.locator(f"{sel} img, {sel} script, {sel} iframe, {sel} b").count() == 0, sel
    handlers = shared_page.evaluate("document.querySelectorAll('[onmouseover],[onerror],[onload],[onclick]').length")
    assert handlers == 0
    assert shared_page.locator('#claims tr[data-claim=\'x" onmouseover="alert(5)\']').count() == 1
    assert [r for r in server.log if "/x" in r[1] or "/y" in r[1] or "alert" in r[1]] == []


def test_sample_and_clear_buttons_and_keyboard(shared_page):
    before = int(shared_page.evaluate("document.body.dataset.renders"))
    shared_page.click("#sample")
    shared_page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert shared_page.get_attribute("#status", "data-status") == "valid"
    before = int(shared_page.evaluate("document.body.dataset.renders"))
    shared_page.focus("#clear")
    shared_page.keyboard.press("Enter")
    shared_page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert shared_page.input_value("#token") == ""
    assert shared_page.get_attribute("#status", "data-status") == "empty"
    # every control is reachable by keyboard and labelled for screen readers
    for control in ("#token", "#key", "#leeway", "#secret-format", "#sample", "#clear", "#theme-toggle"):
        label = shared_page.evaluate(
            "sel => { const e = document.querySelector(sel); return (e.labels && e.labels.length) ? "
            "e.labels[0].innerText : (e.getAttribute('aria-label') || e.innerText) }",
            control,
        )
        assert label.strip(), control
        assert shared_page.evaluate("sel => document.querySelector(sel).tabIndex >= 0", control), control


def test_readable_at_360_px(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    set_token(page, token({"alg": "HS256"}, {"sub": "narrow", "description": "x" * 300}))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways at 360 px: {width}"
    context.close()


def test_theme_toggle(shared_page):
    shared_page.click("#theme-toggle")
    first = shared_page.evaluate("document.documentElement.dataset.theme")
    shared_page.click("#theme-toggle")
    second = shared_page.evaluate("document.documentElement.dataset.theme")
    assert {first, second} == {"light", "dark"}
    bg = shared_page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg


def test_works_under_a_sub_path(browser, dist_dir):
    srv = start_in_thread(dist_dir, prefix="/tools/jwt/")
    try:
        context = browser.new_context()
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        page.goto(srv.url)
        wait_ready(page)
        set_token(page, token({"alg": "HS256"}, {"sub": "sub-path"}))
        assert json.loads(page.text_content("#payload")) == {"sub": "sub-path"}
        assert urls and all(u.startswith(srv.url) for u in urls), [u for u in urls if not u.startswith(srv.url)]
        assert all(status < 400 for _, _, status in srv.log), srv.log
        context.close()
    finally:
        srv.stop()
