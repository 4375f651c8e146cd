"""End-to-end: the page opened from disk (file://), as someone who downloaded it would.

jwtlens.html, copied alone into an empty folder (it needs nothing else), decodes and verifies from a file:// URL with
no request at all: the only URL the browser loads is the file itself; everything else is a blob: URL the page made of
what it holds, or the data: icon written in it. Nothing is stored. index.html opened from disk in Chromium says within
a second why it cannot start there and what to do. Both again in Firefox (through WebDriver BiDi, tests/firefox.py)
when it is installed (Debian: firefox-esr).
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import BOOT_TIMEOUT_MS, fill_and_wait, set_token, wait_ready
from firefox import Firefox, firefox_executable

pytestmark = pytest.mark.e2e

SINGLE_FILE = "jwtlens.html"
SECRET = "file-secret-7c1d-long-enough-for-hs256!"
MARK = "filecanary93b2e1"  # searched for in every URL and in storage
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PEM = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
STORAGE_DUMP = (Path(__file__).parent / "storage_dump.js").read_text()

# Runs before the page's scripts: every blob: URL the page makes, and when body[data-state] first leaves "loading".
RECORDER = """
(() => {
  const made = (window.__madeURLs = []);
  const create = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    const url = create.call(URL, object);
    made.push(url);
    return url;
  };
  new MutationObserver(() => {
    const state = document.body?.dataset.state;
    if (state && state !== "loading" && !window.__settled) window.__settled = { state, at: performance.now() };
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
})();
"""


def claims(**extra) -> dict:
    now = int(time.time())
    return {"iss": "https://issuer.example", "sub": MARK, "iat": now, "exp": now + 900, **extra}


@pytest.fixture(scope="module")
def single_file(dist_dir: Path, tmp_path_factory) -> Path:
    """jwtlens.html alone in a folder of its own."""
    source = dist_dir / SINGLE_FILE
    if not source.exists():
        pytest.fail(f"{source} is missing: build.py writes it")
    folder = tmp_path_factory.mktemp("downloaded")
    shutil.copyfile(source, folder / SINGLE_FILE)
    assert [p.name for p in folder.iterdir()] == [SINGLE_FILE]
    return folder / SINGLE_FILE


@pytest.fixture(scope="module")
def file_session(browser, single_file):
    """One page of jwtlens.html from file://, with every request of its context recorded."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    requests: list[tuple[float, str, str]] = []
    context.on("request", lambda r: requests.append((time.monotonic(), r.method, r.url)))
    page = context.new_page()
    page.goto(single_file.as_uri())
    wait_ready(page)
    yield page, requests
    context.close()


def test_single_file_boots_from_its_snapshot(file_session, dist_dir):
    page, _ = file_session
    assert page.url.startswith("file://")
    mode, reason = page.evaluate("[document.documentElement.dataset.boot, document.documentElement.dataset.bootReason]")
    has_snapshot = json.loads((dist_dir / "boot.json").read_text())["snapshot"] is not None
    assert mode == ("snapshot" if has_snapshot else "plain"), reason
    # The snapshot resumed with Pyodide's whole standard library zip, whose index it read again: late imports work
    late = json.loads(page.evaluate("jwtlensProbe()"))["late_imports"]
    assert set(late.values()) == {"ok"}, late


def test_single_file_decodes(file_session):
    page, _ = file_session
    token = jwt.encode(claims(name="Ada"), SECRET, algorithm="HS256")
    set_token(page, f"Authorization: Bearer {token}")
    assert json.loads(page.text_content("#header"))["alg"] == "HS256"
    assert json.loads(page.text_content("#payload"))["name"] == "Ada"
    assert page.get_attribute("#status", "data-status") == "valid"
    rules = page.eval_on_selector_all("#findings li[data-rule]", "els => els.map(e => e.dataset.rule)")
    assert rules, "the security review ran"


def test_single_file_verifies_hs256_and_rs256(file_session):
    page, _ = file_session
    set_token(page, jwt.encode(claims(), SECRET, algorithm="HS256"))
    fill_and_wait(page, "#key", SECRET)
    assert page.get_attribute("#signature", "data-verified") == "valid", page.inner_text("#signature-reason")
    fill_and_wait(page, "#key", SECRET + "x")
    assert page.get_attribute("#signature", "data-verified") == "invalid"
    set_token(page, jwt.encode(claims(), RSA_KEY, algorithm="RS256"))
    fill_and_wait(page, "#key", RSA_PEM)
    assert page.get_attribute("#signature", "data-verified") == "valid", page.inner_text("#signature-reason")
    fill_and_wait(page, "#key", "")


def test_single_file_makes_no_request_and_stores_nothing(file_session, single_file):
    page, requests = file_session
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    set_token(page, token)
    fill_and_wait(page, "#key", SECRET)
    fill_and_wait(page, "#leeway", "30")
    page.click("#theme-toggle")
    page.click("#sample")
    page.click("#clear")
    page.wait_for_timeout(1500)  # anything scheduled after a render (weak-secret search, ...) runs now
    made = set(page.evaluate("window.__madeURLs"))
    icon = page.get_attribute("link[rel=icon]", "href")
    storage = page.evaluate(STORAGE_DUMP)
    assert requests, "no request recorded: the recorder is broken"
    # The file itself, read once; every other URL is one the page made (blob:) or holds (its data: icon): none of
    # them reaches the network or the file system.
    assert [url for _, _, url in requests if not url.startswith(("blob:", "data:"))] == [single_file.as_uri()]
    for _, method, url in requests:
        assert method == "GET", (method, url)
        assert url in made or url == icon or url == single_file.as_uri(), f"a request the page did not make: {url}"
        assert MARK not in url and SECRET not in url and "eyJ" not in url
    for needle in (MARK, SECRET, token[:40]):
        assert needle not in storage, f"{needle!r} found in browser storage"
    assert page.url == single_file.as_uri()


def test_single_file_csp_refuses_every_connection(file_session, single_file):
    page, _ = file_session
    csp = page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
    directives = {part.split()[0]: part.split()[1:] for part in (p.strip() for p in csp.split(";")) if part}
    assert directives["default-src"] == ["'none'"]
    assert directives["connect-src"] == ["'none'"]
    for values in directives.values():
        for value in values:
            assert value.startswith("'") or value in ("blob:", "data:"), f"CSP allows an origin: {value}"
    assert "'self'" not in csp
    # fetch() only answers from what the page holds; the browser's own is refused by the CSP as well
    for url in ("https://example.com/x", "index.html", single_file.with_name("other.txt").as_uri()):
        outcome = page.evaluate("(url) => fetch(url).then(() => 'sent', (e) => 'blocked: ' + e.message)", url)
        assert outcome.startswith("blocked"), (url, outcome)


def test_single_file_served_over_http_asks_the_server_for_itself_only(browser, served):
    """Served from a host (dist/ holds it), jwtlens.html works the same way: one GET, for itself."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(RECORDER)
    urls: list[str] = []
    context.on("request", lambda r: urls.append(r.url))
    page = context.new_page()
    try:
        page.goto(served.url + SINGLE_FILE)
        wait_ready(page)
        set_token(page, jwt.encode(claims(), SECRET, algorithm="HS256"))
        assert json.loads(page.text_content("#payload"))["sub"] == MARK
        made = set(page.evaluate("window.__madeURLs"))
        assert [url for url in urls if url not in made and not url.startswith("data:")] == [served.url + SINGLE_FILE]
        assert [path for _, path, _ in served.log] == ["/" + SINGLE_FILE]
    finally:
        context.close()


def test_single_file_with_a_damaged_snapshot_boots_the_plain_way(browser, single_file, tmp_path, dist_dir):
    """One character changed in the snapshot's data (gzip's CRC or the snapshot's hash finds it): Python starts the
    plain way, reading the wasm and the standard library a second time from what the page holds, and works."""
    if json.loads((dist_dir / "boot.json").read_text())["snapshot"] is None:
        pytest.skip("built without a snapshot")
    html = single_file.read_bytes()
    listing = json.loads(html.split(b'id="jwtlens-files">', 1)[1].split(b"</script>", 1)[0])
    number = next(f["id"] for f in listing["files"] if f["path"] == "pyodide-snapshot.bin")
    at = html.index(f'id="jwtlens-file-{number}-2">'.encode()) + 1000
    damaged = tmp_path / SINGLE_FILE
    damaged.write_bytes(html[:at] + (b"B" if html[at:at + 1] == b"A" else b"A") + html[at + 1:])
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(damaged.as_uri())
        wait_ready(page)
        mode, reason = page.evaluate(
            "[document.documentElement.dataset.boot, document.documentElement.dataset.bootReason]")
        assert mode == "plain" and "snapshot" in reason, (mode, reason)
        set_token(page, jwt.encode(claims(), SECRET, algorithm="HS256"))
        assert json.loads(page.text_content("#payload"))["sub"] == MARK
    finally:
        context.close()


def test_index_html_from_disk_explains_within_a_second(browser, dist_dir):
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    try:
        page.goto((dist_dir.resolve() / "index.html").as_uri(), wait_until="commit")
        page.wait_for_function("window.__settled", timeout=5_000)
        settled = page.evaluate("window.__settled")
        assert settled["state"] == "failed"
        assert settled["at"] < 1000, f"the explanation came after {settled['at']:.0f} ms"
        page.wait_for_selector("#disk-help", timeout=1_000)
        help_text = page.inner_text("#disk-help")
        assert "python3 -m http.server" in help_text and str(dist_dir.resolve()) in help_text
        assert page.get_attribute("#disk-help a", "href") == SINGLE_FILE
        assert "file://" in page.inner_text("#runtime")
    finally:
        context.close()


# --- Firefox ----------------------------------------------------------------------------------------------------

FIREFOX = firefox_executable()


@pytest.fixture(scope="module")
def firefox():
    if FIREFOX is None:
        pytest.skip("Firefox is not installed (Debian: apt-get install firefox-esr)")
    pytest.importorskip("websockets", reason="the Firefox tests need the websockets package (test extras)")
    browser = Firefox(FIREFOX)
    yield browser
    browser.close()


def firefox_fill(browser: Firefox, selector: str, text: str) -> None:
    """Like Playwright's fill: set the value and fire the input event the page listens to; wait for a render."""
    before = browser.evaluate("Number(document.body.dataset.renders || 0)")
    browser.evaluate(f"""(() => {{
        const box = document.querySelector({json.dumps(selector)});
        box.value = {json.dumps(text)};
        box.dispatchEvent(new Event("input", {{ bubbles: true }}));
    }})()""")
    browser.wait_for(f"Number(document.body.dataset.renders || 0) > {before}", timeout=30)


def test_single_file_in_firefox(firefox, single_file):
    firefox.subscribe("network.beforeRequestSent")
    firefox.goto(single_file.as_uri())
    state = firefox.wait_for("document.body.dataset.state !== 'loading' && document.body.dataset.state",
                             timeout=BOOT_TIMEOUT_MS / 1000)
    assert state == "ready", firefox.evaluate("document.getElementById('runtime').textContent")
    assert firefox.evaluate("document.documentElement.dataset.boot") in ("snapshot", "plain")
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    firefox_fill(firefox, "#token", token)
    assert json.loads(firefox.evaluate("document.getElementById('payload').textContent"))["sub"] == MARK
    firefox_fill(firefox, "#key", SECRET)
    assert firefox.evaluate("document.getElementById('signature').dataset.verified") == "valid"
    firefox_fill(firefox, "#token", jwt.encode(claims(), RSA_KEY, algorithm="RS256"))
    firefox_fill(firefox, "#key", RSA_PEM)
    assert firefox.evaluate("document.getElementById('signature').dataset.verified") == "valid"
    storage = firefox.evaluate(f"({STORAGE_DUMP.strip()})()")
    assert MARK not in storage and SECRET not in storage
    icon = firefox.evaluate("document.querySelector('link[rel=icon]').href")
    urls = [e["params"]["request"]["url"] for e in firefox.events if e["method"] == "network.beforeRequestSent"]
    # Firefox reports a data: font of its own: its style sheet draws a <details> element's disclosure triangle with
    # it (tried on a page holding only <details><summary>). A data: URL carries its content; nothing leaves the tab.
    others = [url for url in urls if url != single_file.as_uri() and url != icon and not url.startswith("blob:")
              and not url.startswith("data:font/woff2;")]
    assert others == [], f"requests other than the file itself: {others}"
    assert base64.b64decode(icon.split(",", 1)[1]).startswith(b"<svg")


def test_index_html_from_disk_in_firefox(firefox, dist_dir):
    """Firefox lets a page from disk load modules and fetch files in its own folder: index.html starts as it is."""
    firefox.goto((dist_dir.resolve() / "index.html").as_uri())
    state = firefox.wait_for("document.body.dataset.state !== 'loading' && document.body.dataset.state",
                             timeout=BOOT_TIMEOUT_MS / 1000)
    assert state == "ready", firefox.evaluate("document.getElementById('runtime').textContent")
    assert firefox.evaluate("document.getElementById('disk-help')") is None
