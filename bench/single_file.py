"""Start-up of jwtlens.html opened from disk (file://) next to index.html served over HTTP (prints figures; never
passes or fails on time).

    python3 build.py bench single_file      (builds dist/ first)
    .venv/bin/python bench/single_file.py [--runs N] [--dist DIR]

Cold loads (a fresh browser context each: empty caches, no service worker), measured round-robin in one run so the
ratio holds on a noisy machine. For each: when the page was parsed (DOMContentLoaded), when boot.mjs had a Python
(jwtlens:runtime-ready), when the page said ready (body[data-state=ready]), and when the first token was decoded
(the token is put in #token as the page finishes parsing, as if pasted at once). jwtlens.html is copied alone into
a temporary folder first, as someone who downloaded it would have it.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch_args  # noqa: E402
from static_server import start_in_thread  # noqa: E402

TOKEN = ".".join(base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
                 for part in ({"alg": "HS256", "typ": "JWT"}, {"sub": "bench", "exp": 4102444800}, "sig"))
PROBE = """
(() => {
  const token = TOKEN;
  const bench = (window.__bench = { ready: null, decoded: null });
  document.addEventListener("readystatechange", () => {
    const box = document.getElementById("token");
    if (document.readyState === "interactive" && box) box.value = token;
  });
  new MutationObserver(() => {
    const body = document.body;
    if (!body || body.dataset.state !== "ready") return;
    bench.ready ??= performance.now();
    if (bench.decoded === null && (document.getElementById("payload")?.textContent || "").length) {
      bench.decoded = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true,
                         attributeFilter: ["data-state", "data-renders"] });
})();
""".replace("TOKEN", json.dumps(TOKEN))
COLLECT = """() => ({
  parsed: performance.getEntriesByType("navigation")[0].domContentLoadedEventStart,
  runtime: performance.getEntriesByName("jwtlens:runtime-ready")[0]?.startTime ?? null,
  ready: window.__bench.ready,
  decoded: window.__bench.decoded,
  boot: document.documentElement.dataset.boot,
})"""
KEYS = ("parsed", "runtime", "ready", "decoded")


def load(browser, url: str) -> dict:
    context = browser.new_context(service_workers="block")
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__bench && window.__bench.decoded !== null", timeout=180_000)
        return page.evaluate(COLLECT)
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jwtlens-bench-") as folder:
        single = Path(folder) / "jwtlens.html"
        shutil.copyfile(args.dist / "jwtlens.html", single)
        server = start_in_thread(args.dist)
        variants = {"jwtlens.html from file://": single.as_uri(), "index.html over HTTP": server.url}
        results: dict[str, list[dict]] = {name: [] for name in variants}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args(playwright))
            load(browser, server.url)  # warm up the browser process itself, not counted
            for _ in range(args.runs):
                for name, url in variants.items():
                    results[name].append(load(browser, url))
            browser.close()
        server.stop()
    print(f"cold loads, medians of {args.runs} (ms from navigation):")
    print(f"{'':<28}" + "".join(f"{key:>10}" for key in KEYS) + "  boot")
    for name, runs in results.items():
        medians = "".join(f"{statistics.median(r[key] for r in runs):>10.0f}" for key in KEYS)
        print(f"{name:<28}{medians}  {','.join(sorted({r['boot'] for r in runs}))}")
        print(f"{'  ready, each load':<28}" + ", ".join(f"{r['ready']:.0f}" for r in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
