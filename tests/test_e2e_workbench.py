"""End-to-end: the workbench in the page, driven as a person would: the verdict, the tabs and the Encode view,
key generation -> signing -> opening in Decode, SD-JWT, a DPoP request and a JWE with its key."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jwt
import pytest

from conftest import fill_and_wait, renders, set_token, wait_ready
from jwtlens import jwe

pytestmark = pytest.mark.e2e

VECTORS = Path(__file__).resolve().parent / "vectors"
SD = json.loads((VECTORS / "sd-jwt" / "rfc9901-examples.json").read_text())
DPOP = json.loads((VECTORS / "dpop" / "rfc9449-examples.json").read_text())
SECRET = "an-HS256-secret-nobody-guesses-7d1c9b0e"


@pytest.fixture(scope="module")
def bench(browser, server):
    """One booted page for the whole module (a Pyodide start costs seconds); each test starts from #decode."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(server.url)
    wait_ready(page)
    yield page
    context.close()


@pytest.fixture
def page(bench):
    if bench.get_attribute("body", "data-view") != "decode":
        bench.click("#tab-decode")
    for box in ("#key", "#inner-key", "#expect-iss", "#expect-aud"):
        if bench.is_visible(box) and bench.input_value(box):
            fill_and_wait(bench, box, "")
    # "Open in Decode" and "Use to sign" of a generated secret set base64url
    bench.select_option("#secret-format", "auto")
    bench.evaluate("document.querySelector('#encode-secret-format').value = 'auto'")
    yield bench
    assert bench.errors == []


def claims(**extra) -> dict:
    now = int(time.time())
    return {"iss": "https://issuer.example", "aud": "api", "sub": "u1", "iat": now - 5, "exp": now + 600, **extra}


def verdict(page) -> tuple[str, str]:
    return page.get_attribute("#verdict", "data-verdict"), page.inner_text("#verdict")


# -- the verdict ---------------------------------------------------------------------------------------------------


def test_the_verdict_is_first_and_never_green_over_a_failure(page) -> None:
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    set_token(page, token)
    assert verdict(page)[0] == "unverified"
    fill_and_wait(page, "#key", SECRET)
    state, text = verdict(page)
    assert state == "trusted" and "Signature verified (HS256)" in text
    assert page.get_attribute("#verdict", "data-tone") == "ok"
    fill_and_wait(page, "#key", SECRET + "-wrong")
    state, text = verdict(page)
    assert state == "untrusted" and "Signature invalid" in text
    assert page.get_attribute("#status", "data-status") == "valid"  # #status keeps meaning the time status
    fill_and_wait(page, "#key", SECRET)
    fill_and_wait(page, "#expect-aud", "web")
    assert verdict(page)[0] == "untrusted" and "audience does not match" in verdict(page)[1]
    parts = page.eval_on_selector_all("#verdict-parts a", "els => els.map(a => [a.dataset.part, a.dataset.state])")
    assert ["signature", "ok"] in parts and ["audience", "fail"] in parts
    # each part links to its section
    targets = page.eval_on_selector_all("#verdict-parts a", "els => els.map(a => a.getAttribute('href'))")
    assert all(page.locator(t).count() == 1 for t in targets), targets


def test_the_verdict_sits_directly_below_the_token_on_a_phone(page) -> None:
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        set_token(page, jwt.encode(claims(), SECRET, algorithm="HS256"))
        token_box = page.locator("#token").bounding_box()
        verdict_box = page.locator("#verdict").bounding_box()
        key_box = page.locator("#key").bounding_box()
        assert token_box["y"] < verdict_box["y"] < key_box["y"]
        assert verdict_box["y"] - (token_box["y"] + token_box["height"]) < 150  # nothing else in between
    finally:
        page.set_viewport_size({"width": 1280, "height": 860})


def test_two_panes_scroll_on_their_own_on_a_desktop(page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    set_token(page, jwt.encode(claims(**{f"c{i}": "v" * 40 for i in range(60)}), SECRET, algorithm="HS256"))
    token_box = page.locator("#token").bounding_box()
    verdict_box = page.locator("#verdict").bounding_box()
    assert verdict_box["x"] > token_box["x"] + token_box["width"]  # the results are to the right of the input
    scrolls = page.evaluate("""() => [...document.querySelectorAll('#view-decode .pane')].map(p =>
        [getComputedStyle(p).overflowY, p.scrollHeight > p.clientHeight])""")
    assert ["auto", True] in scrolls
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 1")


def test_a_problem_is_marked_in_the_token_and_the_caret_goes_there(page) -> None:
    good = jwt.encode(claims(), SECRET, algorithm="HS256")
    header, payload, sig = good.split(".")
    broken = f"{header}.{payload[:10]}+{payload[11:]}.{sig}"
    set_token(page, broken)
    item = page.locator("#problems li[data-code='base64url.standard-alphabet']")
    assert item.count() == 1
    mark = page.locator("#token-layer .mark")
    assert mark.count() >= 1 and mark.first.inner_text() == "+"
    assert "not allowed" in mark.first.get_attribute("title")
    item.locator("button.at").click()
    position = page.evaluate("[document.activeElement.id, document.activeElement.selectionStart]")
    assert position == ["token", len(header) + 1 + 10]
    assert "not allowed" in page.inner_text("#token-caret-note")
    # the layer has the same text as the box: nothing is added, moved or lost
    assert page.text_content("#token-layer") == broken
    levels = page.eval_on_selector_all("#problems li", "els => els.map(e => e.dataset.level)")
    assert levels == sorted(levels, key=lambda lv: lv != "error")  # errors first


def test_a_found_weak_secret_verifies_and_the_sample_verifies(page) -> None:
    set_token(page, jwt.encode(claims(), "secret", algorithm="HS256"))
    page.wait_for_selector("body[data-weak-search=done]")
    page.wait_for_function("document.querySelector('#findings li[data-rule=\"hmac.weak-secret\"]') !== null")
    assert page.get_attribute("#signature", "data-verified") == "valid"
    state, text = verdict(page)
    assert state == "untrusted" and "guessable secret" in text
    before = renders(page)
    page.click("#sample")
    page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert page.input_value("#key").startswith("-----BEGIN PUBLIC KEY-----")
    assert verdict(page)[0] == "trusted"
    assert page.get_attribute("#signature", "data-verified") == "valid"


def test_the_empty_page_says_what_to_paste_and_offers_the_sample(page) -> None:
    set_token(page, "")
    assert page.get_attribute("#verdict", "data-verdict") == "empty"
    assert page.is_visible("#empty-sample") and not page.is_visible("#claims")
    before = renders(page)
    page.click("#empty-sample")
    page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert verdict(page)[0] == "trusted" and not page.is_visible("#empty-state")


# -- tabs, Encode and key generation ---------------------------------------------------------------------------


def test_tabs_follow_the_fragment_and_the_keyboard(page) -> None:
    page.click("#tab-encode")
    assert page.evaluate("location.hash") == "#encode" and page.is_visible("#encode-payload")
    assert not page.is_visible("#token")
    page.focus("#tab-encode")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("location.hash") == "#decode" and page.is_visible("#token")
    assert page.evaluate("document.activeElement.id") == "tab-decode"
    page.evaluate("location.hash = '#encode'")
    page.wait_for_function("document.body.dataset.view === 'encode'")
    assert page.get_attribute("#tab-encode", "aria-selected") == "true"


def test_encode_signs_as_you_type_and_names_each_problem(page) -> None:
    page.click("#tab-encode")
    page.select_option("#encode-alg", "HS256")
    page.fill("#encode-key", SECRET)
    page.fill("#encode-payload", '{"sub": "me", "admin": true}')
    token = page.text_content("#encoded")
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == {"sub": "me", "admin": True}
    assert json.loads(page.input_value("#encode-header"))["alg"] == "HS256"
    page.fill("#encode-payload", '{"sub": ')
    assert page.text_content("#encoded") == ""
    codes = page.eval_on_selector_all("#encode-problems li", "els => els.map(e => e.dataset.code)")
    assert "encode.payload-json" in codes
    page.fill("#encode-payload", '{"sub": "me"}')
    page.fill("#encode-key", "short")
    codes = page.eval_on_selector_all("#encode-problems li", "els => els.map(e => e.dataset.code)")
    assert "encode.secret-short" in codes
    page.select_option("#encode-alg", "none")
    assert json.loads(page.input_value("#encode-header"))["alg"] == "none"
    assert "encode.alg-none-refused" in page.eval_on_selector_all(
        "#encode-problems li", "els => els.map(e => e.dataset.code)")
    page.check("#encode-allow-none")
    assert page.text_content("#encoded").endswith(".")
    page.uncheck("#encode-allow-none")


def test_claim_helpers_and_keyboard_only_signing(page) -> None:
    page.click("#tab-encode")
    page.select_option("#encode-alg", "HS384")
    page.fill("#encode-key", SECRET * 2)
    page.fill("#encode-payload", "{}")
    page.focus("#encode-iat")
    page.keyboard.press("Enter")
    page.fill("#encode-exp-minutes", "30")
    page.focus("#encode-exp")
    page.keyboard.press("Space")
    page.focus("#encode-jti")
    page.keyboard.press("Enter")
    payload = json.loads(page.input_value("#encode-payload"))
    now = time.time()
    assert abs(payload["iat"] - now) < 60 and abs(payload["exp"] - (now + 1800)) < 60 and len(payload["jti"]) >= 16
    token = page.text_content("#encoded")
    assert jwt.decode(token, SECRET * 2, algorithms=["HS384"])["jti"] == payload["jti"]


@pytest.mark.parametrize("kind, alg", [("ES256", "ES256"), ("Ed25519", "EdDSA"), ("HS256", "HS256")])
def test_generate_sign_and_open_in_decode_verifies(page, kind: str, alg: str) -> None:
    page.click("#tab-encode")
    page.select_option("#keygen-alg", kind)
    page.click("#keygen")
    page.wait_for_selector("#keygen-output:not([hidden])")
    private = page.input_value("#keygen-private")
    assert private.startswith("-----BEGIN PRIVATE KEY-----") if kind != "HS256" else len(private) >= 43
    if kind != "HS256":
        assert page.input_value("#keygen-public").startswith("-----BEGIN PUBLIC KEY-----")
        assert json.loads(page.input_value("#keygen-jwks"))["keys"][0]["kty"] in ("EC", "OKP")
    page.click("#keygen-use")
    assert page.input_value("#encode-alg") == alg
    page.click("#encode-kid") if kind != "HS256" else None
    page.fill("#encode-payload", json.dumps(claims()))
    assert page.text_content("#encoded").count(".") == 2
    before = renders(page)
    page.click("#encode-open")
    page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    assert page.evaluate("location.hash") == "#decode"
    assert page.get_attribute("#signature", "data-verified") == "valid"
    assert verdict(page)[0] == "trusted"


def test_an_rsa_key_is_generated_in_slices_with_progress(page) -> None:
    page.click("#tab-encode")
    page.select_option("#keygen-alg", "RSA-2048")
    page.click("#keygen")
    page.wait_for_selector("#keygen-output:not([hidden])", timeout=60_000)
    assert page.input_value("#keygen-private").startswith("-----BEGIN PRIVATE KEY-----")
    jwk = json.loads(page.input_value("#keygen-jwk-public"))
    assert jwk["kty"] == "RSA" and len(jwk["n"]) >= 342  # 2048 bits of base64url
    assert page.is_hidden("#keygen-progress")


def test_copy_from_decode_resigns_only_on_request(page) -> None:
    token = jwt.encode(claims(role="user"), SECRET, algorithm="HS256")
    set_token(page, token)
    page.click("#tab-encode")
    page.click("#encode-from-decode")
    assert json.loads(page.input_value("#encode-payload"))["role"] == "user"
    assert page.input_value("#encode-alg") == "HS256"
    page.click("#tab-decode")
    assert page.input_value("#token") == token  # the Decode view's token is never re-signed behind the user's back


# -- what comes with a token: SD-JWT, DPoP, JWE ------------------------------------------------------------------


def test_an_sd_jwt_shows_its_disclosures_and_processed_payload(page) -> None:
    example = next(e for e in SD["examples"] if e["name"] == "5.2 presentation")
    set_token(page, example["sd_jwt"])
    fill_and_wait(page, "#key", json.dumps(SD["issuer_jwk"]))
    rows = page.eval_on_selector_all("#disclosures tr[data-digest]", "els => els.map(e => e.dataset.status)")
    assert rows and set(rows) == {"used"}
    assert json.loads(page.text_content("#processed")) == example["processed"]
    assert page.get_attribute("#key-binding", "data-verified") == "valid"
    assert page.is_visible("#expect-nonce")  # key binding: its nonce field is opened
    assert page.get_attribute("#signature", "data-verified") == "valid"


def test_a_dpop_request_is_checked_as_a_pair(page) -> None:
    example = DPOP["resource_request"]
    request = (f"GET /protectedresource HTTP/1.1\nHost: resource.example.org\n"
               f"Authorization: DPoP {example['access_token']}\nDPoP: {example['proof']}\n")
    set_token(page, request)
    results = dict(page.eval_on_selector_all("#pair li[data-check]",
                                             "els => els.map(e => [e.dataset.check, e.dataset.result])"))
    assert results["dpop.ath"] == "pass" and results["dpop.htm"] == "pass" and results["dpop.htu"] == "pass"
    assert set(results.values()) <= {"pass", "fail", "skipped"}


def test_a_jwe_decrypts_with_its_key_and_a_nested_token_verifies(page) -> None:
    key = bytes(range(32)).hex()
    token = jwe.encrypt(claims(scope="orders:read"), key, "dir", "A128CBC-HS256")
    set_token(page, token)
    assert page.get_attribute("#encryption", "data-decrypted") == "locked"
    assert "encrypted" in page.inner_text("#payload-title")
    fill_and_wait(page, "#key", key)
    assert page.get_attribute("#encryption", "data-decrypted") == "decrypted"
    assert json.loads(page.text_content("#decrypted"))["scope"] == "orders:read"
    assert json.loads(page.text_content("#payload"))["scope"] == "orders:read"
    assert verdict(page)[0] == "trusted"
    fill_and_wait(page, "#key", "00" * 32)
    assert page.get_attribute("#encryption", "data-decrypted") == "failed"
    assert verdict(page)[0] == "untrusted"

    inner = jwt.encode(claims(), SECRET, algorithm="HS256")
    nested = jwe.encrypt(inner.encode(), key, "A256KW", "A256GCM", cty="JWT")
    set_token(page, nested)
    fill_and_wait(page, "#key", key)
    assert page.is_visible("#inner-block") and page.get_attribute("#inner-signature", "data-verified") == "unchecked"
    fill_and_wait(page, "#inner-key", SECRET)
    assert page.get_attribute("#inner-signature", "data-verified") == "valid"
    assert json.loads(page.text_content("#payload"))["sub"] == "u1"
    assert verdict(page)[0] == "trusted"


def test_a_pbes2_password_is_derived_in_slices(page) -> None:
    token = jwe.encrypt(claims(), "correct horse battery staple", "PBES2-HS256+A128KW", "A128GCM", p2c=60_000)
    set_token(page, token)
    before = renders(page)
    page.fill("#key", "correct horse battery staple")
    page.wait_for_function(f"Number(document.body.dataset.renders) > {before + 1}", timeout=60_000)
    page.wait_for_function("document.querySelector('#encryption').dataset.decrypted === 'decrypted'",
                           timeout=60_000)
    assert page.is_hidden("#pbes2-progress")
    assert json.loads(page.text_content("#payload"))["sub"] == "u1"


def test_hostile_content_in_disclosures_and_decrypted_text_stays_text(page) -> None:
    import base64
    import hashlib

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    hostile = "<img src=x onerror=alert(1)>"
    disclosure = b64(json.dumps(["salt-salt-salt-salt", hostile, "<script>alert(2)</script>"]).encode())
    digest = b64(hashlib.sha256(disclosure.encode()).digest())
    issued = jwt.encode({"_sd": [digest], "_sd_alg": "sha-256", "iss": hostile}, SECRET, algorithm="HS256",
                        headers={"typ": "dc+sd-jwt"})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    set_token(page, f"{issued}~{disclosure}~")
    assert page.locator("#disclosures tr[data-digest]").count() == 1
    assert hostile in page.inner_text("#disclosures") and hostile in page.text_content("#processed")
    key = bytes(range(32)).hex()
    set_token(page, jwe.encrypt(f"{hostile} \u202egnp.exe".encode(), key, "dir", "A256GCM"))
    fill_and_wait(page, "#key", key)
    assert hostile in page.text_content("#decrypted")
    assert page.locator("#decrypted .invisible").count() == 1  # the right-to-left override is made visible
    page.wait_for_timeout(200)
    for sel in ("#disclosures", "#processed", "#decrypted", "#payload", "#token-layer"):
        assert page.locator(f"{sel} img, {sel} script").count() == 0, sel
    assert dialogs == []


@pytest.mark.parametrize("alg", ["A256KW", "PBES2-HS256+A128KW"])
def test_sign_then_encrypt_opens_in_decode_with_both_keys(page, alg: str) -> None:
    page.click("#tab-encode")
    page.select_option("#encode-alg", "HS256")
    page.fill("#encode-key", SECRET)
    page.fill("#encode-payload", json.dumps(claims(role="nested")))
    page.evaluate("document.querySelector('#encode-encrypt-block').open = true")
    page.check("#encode-encrypt")
    page.select_option("#encode-jwe-alg", alg)
    page.select_option("#encode-jwe-enc", "A128GCM")
    recipient = bytes(range(32)).hex() if alg == "A256KW" else "a passphrase for the recipient 9c7e"
    page.fill("#encode-jwe-key", recipient)
    try:
        page.wait_for_function("document.querySelector('#encoded').textContent.split('.').length === 5",
                               timeout=60_000)  # PBES2: 600,000 iterations derived in slices first
    except Exception:  # say why no JWE came
        raise AssertionError(page.inner_text("#encode-problems") + page.inner_text("#encode-key-info")) from None
    assert "encrypted" in page.inner_text("#encoded-title")
    before = renders(page)
    page.click("#encode-open")
    page.wait_for_function(f"Number(document.body.dataset.renders) > {before}")
    page.wait_for_function("document.querySelector('#encryption').dataset.decrypted === 'decrypted'",
                           timeout=60_000)
    assert page.get_attribute("#inner-signature", "data-verified") == "valid"
    assert json.loads(page.text_content("#payload"))["role"] == "nested"
    assert verdict(page)[0] == "trusted"
    page.click("#tab-encode")
    page.uncheck("#encode-encrypt")
    assert page.text_content("#encoded").count(".") == 2
