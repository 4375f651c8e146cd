"""The states a visitor meets on the page, each set up the way a person would (typing into the boxes, pressing the
buttons): shared by tools/screenshots.py and tests/test_e2e_look.py, so both look at the same pages.

``setup(page, state)`` expects a freshly loaded page (``body[data-state=ready]``), in the Decode view.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STATES = ("empty", "verified", "broken", "weak-secret", "jwe", "sd-jwt", "encode", "long-content")
# jwt.io's example token: HS256 signed with "your-256-bit-secret", a secret from every weak-secret list
WEAK = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
        "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
# the same token with a character no base64url has in its payload
BROKEN = WEAK[:60] + "!" + WEAK[61:]


def jwe_state() -> tuple[str, str]:
    """A dir/A128CBC-HS256 JWE of an access token's claims, and its key (hex)."""
    from jwtlens import jwe

    key = bytes(range(32)).hex()
    claims = {"iss": "https://login.example.com", "sub": "248289761001", "aud": "orders-api",
              "exp": int(time.time()) + 3600, "scope": "orders:read"}
    return jwe.encrypt(claims, key, "dir", "A128CBC-HS256", kid="2026-12"), key


def sd_jwt_state() -> tuple[str, str]:
    """RFC 9901's presentation with key binding, and its issuer's key."""
    data = json.loads((ROOT / "tests" / "vectors" / "sd-jwt" / "rfc9901-examples.json").read_text())
    with_kb = [e for e in data["examples"] if e["sd_jwt"].count("~") > 1 and not e["sd_jwt"].endswith("~")]
    return with_kb[0]["sd_jwt"], json.dumps(data["issuer_jwk"])


def long_content_state() -> tuple[str, str]:
    """What pushes a narrow page sideways if anything does: an ES256 token whose payload has a 300-character URL and
    a 2,000-character value without spaces, whose kid names no member of the key set, and a JWKS of three keys with
    long kid values (each member tried is listed with its kid)."""
    from jwtlens import encode, export, keygen

    keys = [keygen.generate("ES256") for _ in range(3)]
    kids = [f"urn:example:issuer:keys:{i}:" + "0123456789abcdef" * 8 for i in range(3)]
    jwks = {"keys": [export.public_jwk(k, alg="ES256", kid=kid) for k, kid in zip(keys, kids, strict=True)]}
    url = "https://accounts.example.com/oauth2/v1/authorize/callback?" + "&".join(
        f"param{i}=value{i}" for i in range(40))
    url = url[:300]
    payload = {"iss": "https://accounts.example.com", "sub": "user-" + "9" * 40, "aud": "api", "redirect": url,
               "blob": "Q" * 2000, "exp": int(time.time()) + 3600, "iat": int(time.time())}
    header = {"typ": "JWT", "kid": "urn:example:issuer:keys:retired:" + "fedcba9876543210" * 8}
    result = encode.encode(json.dumps(header), json.dumps(payload), "ES256", keys[0])
    assert result.token, result.problems
    return result.token, json.dumps(jwks, indent=2)


def set_box(page, selector: str, text: str) -> None:
    """Fill a box (the input event the page listens to) and wait until the page has rendered again."""
    before = int(page.get_attribute("body", "data-renders") or 0)
    page.fill(selector, text)
    page.wait_for_function(f"Number(document.body.dataset.renders || 0) > {before}", timeout=30_000)


def setup(page, state: str) -> None:
    if state == "empty":
        return
    if state == "verified":
        page.click("#empty-sample")
        page.wait_for_selector("#verdict[data-verdict=trusted]")
    elif state == "broken":
        set_box(page, "#token", BROKEN)
    elif state == "weak-secret":
        set_box(page, "#token", WEAK)
        page.wait_for_selector("body[data-weak-search=done]", timeout=60_000)
    elif state == "jwe":
        token, key = jwe_state()
        set_box(page, "#token", token)
        set_box(page, "#key", key)
    elif state == "sd-jwt":
        token, key = sd_jwt_state()
        set_box(page, "#token", token)
        set_box(page, "#key", key)
    elif state == "encode":
        page.click("#tab-encode")
        page.select_option("#keygen-alg", "ES256")
        page.click("#keygen")
        page.wait_for_selector("#keygen-output:not([hidden])")
        page.click("#keygen-use")
    elif state == "long-content":
        token, key = long_content_state()
        set_box(page, "#token", token)
        set_box(page, "#key", key)
    else:
        raise ValueError(f"unknown state {state!r}")
    page.wait_for_timeout(150)
