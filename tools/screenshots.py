"""Screenshots of the built page (dist/) in the states a visitor meets, at phone and desktop widths, in both themes,
so the layout can be looked at after a change: ``python3 tools/screenshots.py [--out DIR] [--only NAME ...]``.

Serves dist/ on 127.0.0.1 like the tests do and drives Chromium with Playwright. The pictures go to screenshots/
(git-ignored). Each state is set up the way a person would: typing into the boxes, pressing the buttons.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "py")]

from browser import launch_args  # noqa: E402
from static_server import start_in_thread  # noqa: E402

WIDTHS = {"phone": (360, 780), "desktop": (1280, 860)}
THEMES = ("light", "dark")
# jwt.io's example token: HS256 signed with "your-256-bit-secret", a secret from every weak-secret list
WEAK = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
        "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
# the same token with a character no base64url has in its payload
BROKEN = WEAK[:60] + "!" + WEAK[61:]


def _jwe_state() -> tuple[str, str]:
    from jwtlens import jwe

    key = bytes(range(32)).hex()
    claims = {"iss": "https://login.example.com", "sub": "248289761001", "aud": "orders-api",
              "exp": int(time.time()) + 3600, "scope": "orders:read"}
    return jwe.encrypt(claims, key, "dir", "A128CBC-HS256", kid="2026-12"), key


def _sd_jwt_state() -> tuple[str, str]:
    """RFC 9901's presentation with key binding, and its issuer's key."""
    data = json.loads((ROOT / "tests" / "vectors" / "sd-jwt" / "rfc9901-examples.json").read_text())
    with_kb = [e for e in data["examples"] if e["sd_jwt"].count("~") > 1 and not e["sd_jwt"].endswith("~")]
    return with_kb[0]["sd_jwt"], json.dumps(data["issuer_jwk"])


def set_box(page, selector: str, text: str) -> None:
    before = int(page.get_attribute("body", "data-renders") or 0)
    page.fill(selector, text)
    page.wait_for_function(f"Number(document.body.dataset.renders || 0) > {before}")


def setup(page, state: str) -> None:
    if state == "empty":
        return
    if state == "verified":
        page.click("#empty-sample")
    elif state == "broken":
        set_box(page, "#token", BROKEN)
    elif state == "weak-secret":
        set_box(page, "#token", WEAK)
        page.wait_for_selector("body[data-weak-search=done]")
    elif state == "jwe":
        token, key = _jwe_state()
        set_box(page, "#token", token)
        set_box(page, "#key", key)
    elif state == "sd-jwt":
        token, key = _sd_jwt_state()
        set_box(page, "#token", token)
        set_box(page, "#key", key)
    elif state == "encode":
        page.click("#tab-encode")
        page.select_option("#keygen-alg", "ES256")
        page.click("#keygen")
        page.wait_for_selector("#keygen-output:not([hidden])")
        page.click("#keygen-use")
    page.wait_for_timeout(150)


STATES = ("empty", "verified", "broken", "weak-secret", "jwe", "sd-jwt", "encode")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", nargs="*", choices=STATES, help="these states only")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    server = start_in_thread(ROOT / "dist")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**launch_args(p))
            for state in args.only or STATES:
                for width_name, (width, height) in WIDTHS.items():
                    for theme in THEMES:
                        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=theme)
                        page.goto(server.url + ("#encode" if state == "encode" else ""))
                        page.wait_for_selector("body[data-state=ready]", timeout=60_000)
                        setup(page, state)
                        path = args.out / f"{state}-{width_name}-{theme}.png"
                        page.screenshot(path=str(path), full_page=width_name == "phone")
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                        page.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
