"""Screenshots of the built page (dist/) in the states a visitor meets, at phone and desktop widths, in both themes,
so the layout can be looked at after a change: ``python3 tools/screenshots.py [--out DIR] [--only NAME ...]``.

Serves dist/ on 127.0.0.1 like the tests do and drives Chromium with Playwright. The pictures go to screenshots/
(git-ignored). Each state is set up the way a person would: typing into the boxes, pressing the buttons
(tests/page_states.py, shared with tests/test_e2e_look.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "py")]

from browser import launch_args  # noqa: E402
from page_states import STATES, setup  # noqa: E402
from static_server import start_in_thread  # noqa: E402

WIDTHS = {"360": (360, 780), "1280": (1280, 860)}  # named like tests/test_e2e_look.py's pictures
THEMES = ("light", "dark")


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
                        page.screenshot(path=str(path), full_page=width_name == "360")
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                        page.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
