"""End-to-end: signature verification and the security review in the page, with keys pasted into #key."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from conftest import fill_and_wait, set_token, wait_ready

pytestmark = pytest.mark.e2e

PEM = serialization.Encoding.PEM
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo


def public_pem(private_key) -> str:
    return private_key.public_key().public_bytes(PEM, SPKI).decode()


def claims() -> dict:
    now = int(time.time())
    return {"iss": "https://issuer.example", "aud": "api", "sub": "u1", "iat": now, "exp": now + 900}


# one token per algorithm family, signed by PyJWT with cryptography (the oracle)
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FAMILIES = {
    "HS256": ("a-strong-random-looking-secret-9f8e7d6c5b4a3928", None),
    "RS256": (RSA_KEY, public_pem(RSA_KEY)),
    "PS384": (RSA_KEY, public_pem(RSA_KEY)),
    "ES256": (k := ec.generate_private_key(ec.SECP256R1()), public_pem(k)),
    "ES512": (k2 := ec.generate_private_key(ec.SECP521R1()), public_pem(k2)),
    "Ed25519": (k3 := ed25519.Ed25519PrivateKey.generate(), public_pem(k3)),
    "Ed448": (k4 := ed448.Ed448PrivateKey.generate(), public_pem(k4)),
}


@pytest.fixture(scope="module")
def verify_page(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    yield page
    context.close()


def verdict(page) -> tuple[str, str]:
    return page.get_attribute("#signature", "data-verified"), page.inner_text("#signature-reason")


@pytest.mark.parametrize("name", list(FAMILIES))
def test_each_family_verifies_with_a_pasted_key(verify_page, name):
    signing_key, public = FAMILIES[name]
    alg = "EdDSA" if name.startswith("Ed") else name
    token = jwt.encode(claims(), signing_key, algorithm=alg, headers={"kid": "k1"})
    set_token(verify_page, token)
    assert verdict(verify_page)[0] == "unchecked"
    fill_and_wait(verify_page, "#key", public or signing_key)
    state, reason = verdict(verify_page)
    assert state == "valid", reason
    assert verify_page.inner_text("#alg") == alg
    # tamper with the payload: the same key now rejects it
    head, body, sig = token.split(".")
    forged = jwt.utils.base64url_encode(json.dumps(dict(claims(), sub="admin")).encode()).decode()
    set_token(verify_page, f"{head}.{forged}.{sig}")
    assert verdict(verify_page)[0] == "invalid"
    fill_and_wait(verify_page, "#key", "")


def test_wrong_keys_get_precise_reasons(verify_page):
    es256 = jwt.encode(claims(), FAMILIES["ES256"][0], algorithm="ES256")
    set_token(verify_page, es256)
    # an RSA key for an ES256 token
    fill_and_wait(verify_page, "#key", FAMILIES["RS256"][1])
    state, reason = verdict(verify_page)
    assert state == "error" and "RSA" in reason and "ES256" in reason, reason
    # a P-521 key for ES256: the curve is named
    fill_and_wait(verify_page, "#key", FAMILIES["ES512"][1])
    state, reason = verdict(verify_page)
    assert state == "error" and ("P-521" in reason or "P-256" in reason), reason
    # a different P-256 key: a plain invalid signature
    other = public_pem(ec.generate_private_key(ec.SECP256R1()))
    fill_and_wait(verify_page, "#key", other)
    assert verdict(verify_page)[0] == "invalid"
    # garbage in the key box is an error with a reason, and decoding is untouched
    fill_and_wait(verify_page, "#key", "-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----")
    state, reason = verdict(verify_page)
    assert state == "error" and reason
    assert json.loads(verify_page.text_content("#payload"))["sub"] == "u1"
    fill_and_wait(verify_page, "#key", "")


def test_key_confusion_is_named(verify_page):
    public = FAMILIES["RS256"][1]
    # the attack: HMAC over the token with the public key's PEM text as the secret (PyJWT refuses to sign it)
    signing_input = ".".join(jwt.utils.base64url_encode(json.dumps(part).encode()).decode()
                             for part in ({"alg": "HS256", "typ": "JWT"}, claims()))
    mac = hmac.new(public.encode(), signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{jwt.utils.base64url_encode(mac).decode()}"
    set_token(verify_page, forged)
    fill_and_wait(verify_page, "#key", public)
    state, reason = verdict(verify_page)
    assert state == "invalid"
    assert "confusion" in reason.lower()
    rules = verify_page.eval_on_selector_all("#findings li", "els => els.map(e => e.dataset.rule)")
    assert "key.confusion" in rules
    fill_and_wait(verify_page, "#key", "")


def test_jwks_picks_the_key_by_kid_and_lists_the_others(verify_page):
    es = FAMILIES["ES256"][0]
    token = jwt.encode(claims(), es, algorithm="ES256", headers={"kid": "ec-1"})
    jwk_ec = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(es.public_key()))
    jwk_rsa = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    jwks = {"keys": [dict(jwk_rsa, kid="rsa-1", use="sig"), dict(jwk_ec, kid="ec-1", use="sig")]}
    set_token(verify_page, token)
    fill_and_wait(verify_page, "#key", json.dumps(jwks))
    state, reason = verdict(verify_page)
    assert state == "valid", reason
    tried = verify_page.inner_text("#tried")
    assert "rsa-1" in tried and "ec-1" in tried
    assert verify_page.inner_text("#key-info")  # type, curve, thumbprint
    fill_and_wait(verify_page, "#key", "")


def test_claim_checks_with_expected_issuer_and_audience(verify_page):
    token = jwt.encode(claims(), FAMILIES["HS256"][0], algorithm="HS256")
    set_token(verify_page, token)
    fill_and_wait(verify_page, "#key", FAMILIES["HS256"][0])
    fill_and_wait(verify_page, "#expect-iss", "https://other.example")
    fill_and_wait(verify_page, "#expect-aud", "api")
    checks = dict(verify_page.eval_on_selector_all(
        "#checks li", "els => els.map(e => [e.dataset.claim, e.dataset.ok])"))
    assert checks["iss"] == "false" and checks["aud"] == "true" and checks["exp"] == "true"
    fill_and_wait(verify_page, "#expect-iss", "")
    fill_and_wait(verify_page, "#expect-aud", "")
    fill_and_wait(verify_page, "#key", "")


def test_weak_secret_found_and_risky_header_reported(verify_page):
    token = jwt.encode({"sub": "x"}, "changeme", algorithm="HS256",
                       headers={"jku": "https://attacker.example/jwks.json", "kid": "../../etc/passwd"})
    set_token(verify_page, token)
    verify_page.wait_for_function("document.body.dataset.weakSearch === 'done'", timeout=30_000)
    findings = dict(verify_page.eval_on_selector_all(
        "#findings li", "els => els.map(e => [e.dataset.rule, e.dataset.severity])"))
    assert findings.get("hmac.weak-secret") == "critical"
    assert "changeme" in verify_page.inner_text("#findings li[data-rule='hmac.weak-secret']")
    assert "header.jku" in findings and "kid.injection" in findings and "claims.no-exp" in findings
    assert verify_page.get_attribute("#findings-summary", "data-severity") == "critical"
    # the timeline is drawn for a token with times, with a text alternative
    set_token(verify_page, jwt.encode(claims(), FAMILIES["HS256"][0], algorithm="HS256"))
    assert verify_page.locator("#timeline svg").count() == 1
    assert "exp" in verify_page.inner_text("#timeline .sr-only").lower() or "expire" in verify_page.inner_text(
        "#timeline .sr-only").lower()


def test_clean_token_has_no_high_findings(verify_page):
    now = int(time.time())
    token = jwt.encode(
        {"iss": "https://issuer.example", "aud": "api", "sub": "u1", "client_id": "c1", "scope": "read",
         "iat": now, "exp": now + 900, "jti": "abc"},
        RSA_KEY, algorithm="RS256", headers={"typ": "at+jwt", "kid": "2024-key"},
    )
    set_token(verify_page, token)
    fill_and_wait(verify_page, "#key", FAMILIES["RS256"][1])
    assert verdict(verify_page)[0] == "valid"
    severities = verify_page.eval_on_selector_all("#findings li", "els => els.map(e => e.dataset.severity)")
    assert not {"critical", "high"} & set(severities), severities
    fill_and_wait(verify_page, "#key", "")
