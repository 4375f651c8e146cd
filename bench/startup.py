"""Startup and typing benchmark of the built page in Chromium (prints figures; never passes or fails on time).

    python3 build.py bench startup          (builds dist/ first)
    .venv/bin/python bench/startup.py [--runs N] [--dist DIR] [--skip-typing]

Startup: time from navigation to the first decoded token visible (the token is in #token before the page's scripts
run, as if pasted at once), split into "runtime ready" (boot.mjs has a Python) and the rest; bytes transferred
(encoded and decoded) and requests, from the page's Resource Timing. Variants, measured round-robin in one run so
their ratio holds on a noisy machine:
  a  snapshot   this build: Pyodide resumed from the memory snapshot
  b  pyscript   plain PyScript, the baseline of the targets: the same vendored Pyodide and PyScript, no snapshot, a
                main.py that decodes with PyJWT (its wheel on sys.path) and writes header and payload
  c  floor      the physical floor: a minimal page decoding the token with atob + JSON.parse
  d  nosnap     (--nosnap) this build made with --no-snapshot: what the snapshot saves this page
Cases: cold (a fresh browser context: empty caches, no service worker), warm (the same context reloaded, once the
service worker has cached the build) and cold over a simulated network (50 Mbit/s down, 20 ms latency).

Typing: keystroke-to-render (keydown to the page's next render, and to the frame after it) for a 1 KB and a 1 MB
token, and the longest main-thread block while typing (Long Tasks API and the largest gap between animation frames,
from the first keystroke on), in this build and in the floor page (which decodes with atob + JSON.parse on each input,
with the same style sheet): the floor shows what the browser's own textarea editing costs.

Stages: for this build, the medians of when each start-up stage was reached (the navigation's HTML received and
parsed, then the `jwtlens:*` performance marks of site/boot.mjs and site/main.py), to show where the time goes.

The table is printed and written as JSON to bench/results/startup-<time>.json.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

import _mainthread as mainthread  # noqa: E402
import build  # noqa: E402
from _results import write_results  # noqa: E402
from browser import launch_args  # noqa: E402
from static_server import start_in_thread  # noqa: E402

NETWORK = {"offline": False, "latency": 20, "downloadThroughput": 50_000_000 / 8, "uploadThroughput": 20_000_000 / 8}
TIMEOUT_MS = 300_000  # generous: a huge token can block the page for long

# Runs in every page before its own scripts: puts the token in #token as the document finishes parsing (before any
# deferred or module script runs), and records when the decoded token is in the DOM and when the next frame shows it.
PROBE = """
(() => {
  const token = %s;
  const bench = (window.__bench = { decoded: null, visible: null });
  document.addEventListener("readystatechange", () => {
    const box = document.getElementById("token");
    if (document.readyState === "interactive" && box && token) box.value = token;
  });
  const check = () => {
    if (bench.decoded !== null || !document.body || document.body.dataset.state !== "ready") return;
    if (!(document.getElementById("payload")?.textContent || "").length) return;
    bench.decoded = performance.now();
    requestAnimationFrame(() => { bench.visible = performance.now(); });
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "data-renders"],
  });
})();
"""

COLLECT = """
() => {
  const bench = window.__bench;
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
    .filter((e) => e.startTime <= bench.visible);
  const sum = (key) => entries.reduce((total, e) => total + (e[key] || 0), 0);
  const ready = performance.getEntriesByName("jwtlens:runtime-ready")[0];
  return {
    visible_ms: bench.visible,
    decoded_ms: bench.decoded,
    runtime_ms: ready ? ready.startTime : null,
    requests: entries.length,
    transfer_bytes: sum("transferSize"),
    encoded_bytes: sum("encodedBodySize"),
    decoded_bytes: sum("decodedBodySize"),
    boot: document.documentElement.dataset.boot || null,
    boot_reason: document.documentElement.dataset.bootReason || null,
    stages: Object.fromEntries([
      ["html-received", performance.getEntriesByType("navigation")[0].responseEnd],
      ["html-parsed", performance.getEntriesByType("navigation")[0].domInteractive],
      ...performance.getEntriesByType("mark").filter((e) => e.name.startsWith("jwtlens:"))
        .map((e) => [e.name.slice("jwtlens:".length), e.startTime]),
      ["decoded", bench.decoded],
      ["visible", bench.visible],
    ]),
  };
}
"""

FLOOR_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-eval'">
<link rel="stylesheet" href="style.css">
<script type="module" src="floor.js"></script></head>
<body data-state="loading"><main>
<section class="card"><textarea id="token" rows="6" spellcheck="false"></textarea></section>
<section class="card"><pre id="header" class="json"></pre><pre id="payload" class="json"></pre></section>
</main></body>
</html>
"""
FLOOR_JS = """// The physical floor: decode the token in #token with atob + JSON.parse, nothing else (and again on each
// input, for the typing figures). It uses the page's style sheet, so its textarea and JSON boxes are laid out alike.
const part = (s) => JSON.parse(decodeURIComponent(escape(atob(s.replace(/-/g, "+").replace(/_/g, "/")))));
const box = document.getElementById("token");
let renders = 0;
function decode() {
  const [header, payload] = box.value.trim().split(".");
  try {
    document.getElementById("header").textContent = JSON.stringify(part(header), null, 2);
    document.getElementById("payload").textContent = JSON.stringify(part(payload), null, 2);
  } catch (error) {
    document.getElementById("payload").textContent = String(error);
  }
  document.body.dataset.renders = String(++renders);
}
decode();
box.addEventListener("input", decode);
document.body.dataset.state = "ready";
"""


PYSCRIPT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>plain PyScript</title>
<link rel="stylesheet" href="vendor/pyscript/core.css">
<script type="module" src="vendor/pyscript/core.js"></script></head>
<body data-state="loading"><main>
<textarea id="token" rows="6" spellcheck="false"></textarea><pre id="header"></pre><pre id="payload"></pre>
<script type="py" src="main.py" config="pyscript.json"></script>
<mpy-config hidden>%s</mpy-config>
</main></body>
</html>
"""
PYSCRIPT_MAIN = """import json
import sys

sys.path.insert(0, "pyjwt.whl")  # a pure-Python wheel imports as a zip
import jwt
from pyscript import document

token = document.getElementById("token").value.strip()
header = jwt.get_unverified_header(token)
payload = jwt.decode(token, options={"verify_signature": False})
document.getElementById("header").textContent = json.dumps(header, indent=2)
document.getElementById("payload").textContent = json.dumps(payload, indent=2)
document.body.dataset.state = "ready"
"""


def make_pyscript(folder: Path, dist: Path) -> Path:
    """Plain PyScript: this build's vendored Pyodide and PyScript, started the way PyScript starts Pyodide."""
    shutil.copytree(dist / "vendor", folder / "vendor")
    (wheel,) = (whl for whl in build.ensure_wheels() if whl.name.startswith("pyjwt-"))
    shutil.copyfile(wheel, folder / "pyjwt.whl")
    # The plugins this build leaves out (and does not vendor) are turned off as the page does (build.py
    # pyscript_plugin_setup), so that no request fails.
    config = json.loads((dist / "pyscript.json").read_text())
    config.update(interpreter="./vendor/pyodide/pyodide.mjs", files={"./pyjwt.whl": "./pyjwt.whl"})
    (folder / "pyscript.json").write_text(json.dumps(config))
    (folder / "index.html").write_text(PYSCRIPT_HTML % json.dumps({"plugins": config["plugins"]}))
    (folder / "main.py").write_text(PYSCRIPT_MAIN)
    return folder


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(size: int) -> str:
    """An HS256 token of about `size` characters with realistic claims (padded with a long claim)."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "bench-key"}).encode())
    now = int(time.time())
    claims = {"iss": "https://issuer.example.com", "sub": "248289761001", "aud": "jwtlens-bench", "iat": now,
              "nbf": now, "exp": now + 3600, "name": "Jane Doe", "email": "jane@example.com",
              "scope": "openid profile email", "pad": ""}
    base = len(header) + 1 + len(b64url(json.dumps(claims).encode())) + 44
    claims["pad"] = "x" * max(0, (size - base) * 3 // 4)
    body = b64url(json.dumps(claims).encode())
    signature = b64url(hmac.new(b"bench-secret", f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{signature}"


def make_floor(folder: Path, dist: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(FLOOR_HTML)
    (folder / "floor.js").write_text(FLOOR_JS)
    (folder / "style.css").write_bytes((dist / "style.css").read_bytes())
    return folder


def load(page, url: str, token: str, reload: bool = False) -> dict:
    if reload:
        page.reload(wait_until="commit")
    else:
        page.goto(url, wait_until="commit")
    page.wait_for_function("window.__bench && window.__bench.visible !== null", timeout=TIMEOUT_MS, polling=50)
    return page.evaluate(COLLECT)


def wait_offline_ready(page) -> bool:
    """The service worker has cached the whole build (the page says so), so the next load is a warm one."""
    if page.evaluate("!document.getElementById('offline-status')"):
        return False
    try:
        page.wait_for_selector("#offline-status[data-offline=ready]", state="attached", timeout=TIMEOUT_MS)
        return True
    except Exception:  # noqa: BLE001 - no service worker (e.g. not supported): warm means HTTP cache only
        return False


def cold_run(browser, url: str, token: str, network: bool) -> dict:
    context = browser.new_context()
    try:
        context.add_init_script(PROBE % json.dumps(token))
        page = context.new_page()
        if network:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", NETWORK)
        return load(page, url, token)
    finally:
        context.close()


def stats(values: list[float]) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(runs: list[dict]) -> dict:
    keys = ["visible_ms", "runtime_ms", "requests", "transfer_bytes", "encoded_bytes", "decoded_bytes"]
    out = {key: stats([r[key] for r in runs]) for key in keys}
    out["after_runtime_ms"] = stats([r["visible_ms"] - r["runtime_ms"] for r in runs if r["runtime_ms"] is not None])
    out["boot"] = sorted({f"{r['boot']}" + (f" ({r['boot_reason']})" if r["boot_reason"] else "") for r in runs})
    out["runs"] = len(runs)
    return out


def startup(browser, urls: dict[str, str], token: str, runs: int, log) -> dict:
    results: dict[str, dict[str, list[dict]]] = {name: {"cold": [], "warm": [], "cold-net": []} for name in urls}
    for case in ("cold", "cold-net"):
        for i in range(runs):
            for name, url in urls.items():
                result = cold_run(browser, url, token, network=case == "cold-net")
                results[name][case].append(result)
                log(f"  {case:<8} {name:<9} run {i + 1}: {result['visible_ms']:8.0f} ms  boot={result['boot']}")
    contexts = {}
    try:
        for name, url in urls.items():
            context = browser.new_context()
            context.add_init_script(PROBE % json.dumps(token))
            page = context.new_page()
            load(page, url, token)
            cached = wait_offline_ready(page)
            log(f"  warm-up  {name:<9} service worker cache complete: {cached}")
            contexts[name] = (context, page)
        for i in range(runs):
            for name, (_, page) in contexts.items():
                result = load(page, urls[name], token, reload=True)
                results[name]["warm"].append(result)
                log(f"  warm     {name:<9} run {i + 1}: {result['visible_ms']:8.0f} ms  boot={result['boot']}")
    finally:
        for context, _ in contexts.values():
            context.close()
    return {name: {case: {"summary": summarize(r), "raw": r} for case, r in cases.items()}
            for name, cases in results.items()}


# Keystrokes per token size: enough for a stable median at 1 KB; a 1 MB token takes a second per keystroke.
TYPING_KEYS_SMALL = 40
TYPING_KEYS_LARGE = 6
TYPING_PROBE = """
() => {
  const t = (window.__typing = { keys: [], pending: null });
  const box = document.getElementById("token");
  box.addEventListener("keydown", (e) => {
    t.pending = { start: e.timeStamp, renders: document.body.dataset.renders };
  }, { capture: true });
  new MutationObserver(() => {
    const p = t.pending;
    if (!p || document.body.dataset.renders === p.renders) return;
    t.pending = null;
    const entry = { render: performance.now() - p.start, frame: null };
    t.keys.push(entry);
    requestAnimationFrame(() => { entry.frame = performance.now() - p.start; });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-renders"] });
}
"""


def typing(browser, url: str, log, name: str) -> dict:
    """Paste a token, then type at its end; long tasks are counted from the first keystroke (the paste is apart)."""
    context = browser.new_context()
    out = {}
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.wait_for_function("document.body.dataset.state === 'ready'")
        for label, size, keys in (("1 KB", 1024, TYPING_KEYS_SMALL), ("1 MB", 1024 * 1024, TYPING_KEYS_LARGE)):
            token = make_token(size)
            page.evaluate(TYPING_PROBE)
            mainthread.install(page)
            # The paste: one input event with the whole token (as a real paste gives).
            before = page.evaluate("Number(document.body.dataset.renders || 0)")
            start = time.perf_counter()
            page.evaluate("""(token) => { const box = document.getElementById("token");
                box.value = token; box.dispatchEvent(new Event("input", { bubbles: true })); }""", token)
            page.wait_for_function(f"Number(document.body.dataset.renders || 0) > {before}", timeout=TIMEOUT_MS)
            paste_ms = (time.perf_counter() - start) * 1000
            page.focus("#token")
            page.evaluate("() => { const b = document.getElementById('token'); b.selectionStart = b.selectionEnd = "
                          "b.value.length; }")
            page.wait_for_timeout(500)
            page.evaluate("() => { window.__typing.keys = []; }")
            mainthread.reset(page)
            for i in range(keys):
                before = page.evaluate("Number(document.body.dataset.renders || 0)")
                page.keyboard.press("A" if i % 2 == 0 else "Backspace")
                page.wait_for_function(f"Number(document.body.dataset.renders || 0) > {before}",
                                       timeout=TIMEOUT_MS)
                page.wait_for_timeout(30)  # let the frame after the render happen
            data = page.evaluate("window.__typing")
            watch = mainthread.collect(page)
            longtasks = [task["duration"] for task in watch["longtasks"]]
            out[label] = {
                "paste_to_render_ms": paste_ms,
                "keystroke_to_render_ms": stats([k["render"] for k in data["keys"]]),
                "keystroke_to_frame_ms": stats([k["frame"] for k in data["keys"]]),
                "longest_long_task_ms": max(longtasks, default=0.0),
                "long_tasks": len(longtasks),
                "max_frame_gap_ms": watch["maxFrameGap"],
                "keystrokes": len(data["keys"]),
            }
            log(f"  typing {name:<9} {label}: render median {out[label]['keystroke_to_render_ms']['median']:.1f} ms, "
                f"longest task {out[label]['longest_long_task_ms']:.0f} ms")
            page.reload()
            page.wait_for_function("document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)
    finally:
        context.close()
    return out


def fmt(stat: dict, scale: float = 1.0, digits: int = 0) -> str:
    if stat["median"] is None:
        return "-"
    m, lo, hi = (stat[k] / scale for k in ("median", "min", "max"))
    return f"{m:.{digits}f} ({lo:.{digits}f}-{hi:.{digits}f})"


def stage_breakdown(runs: list[dict]) -> list[tuple[str, float, float]]:
    """(stage, median time since navigation, median time since the stage before), in the order they happen."""
    names = {name for run in runs for name in run.get("stages", {})}
    at = {name: statistics.median(run["stages"][name] for run in runs if name in run["stages"]) for name in names}
    order = sorted(names, key=at.__getitem__)
    out = []
    for i, name in enumerate(order):
        steps = [run["stages"][name] - run["stages"][order[i - 1]] for run in runs
                 if i and name in run["stages"] and order[i - 1] in run["stages"]]
        out.append((name, at[name], statistics.median(steps) if steps else at[name]))
    return out


def print_stages(result: dict) -> None:
    cases = result["startup"].get("snapshot", {})
    for case, data in cases.items():
        print(f"\nsnapshot, {case}: stage (ms since navigation, ms since the stage before; medians)")
        for name, at, step in stage_breakdown(data["raw"]):
            print(f"  {name:<20} {at:7.0f} {step:+7.0f}")


def print_table(result: dict) -> None:
    rows = [("variant", "case", "n", "first decode ms", "runtime ready ms", "rest ms", "transferred KB",
             "decoded KB", "requests", "boot")]
    for name, cases in result["startup"].items():
        for case, data in cases.items():
            s = data["summary"]
            rows.append((name, case, str(s["runs"]), fmt(s["visible_ms"]), fmt(s["runtime_ms"]),
                         fmt(s["after_runtime_ms"]), fmt(s["transfer_bytes"], 1e3), fmt(s["decoded_bytes"], 1e3),
                         fmt(s["requests"]), ", ".join(s["boot"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print()
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print()
    for case, ratio in result["ratios"].items():
        print(f"snapshot / plain PyScript, {case}: {ratio:.2f}x" if ratio is not None else f"{case}: -")
    if result.get("typing"):
        print("\ntyping (long tasks and frame gaps: from the first keystroke on, after the paste)")
        for name, labels in result["typing"].items():
            for label, t in labels.items():
                print(f"{name:<9} {label}: paste->render {t['paste_to_render_ms']:.0f} ms; keystroke->render "
                      f"{fmt(t['keystroke_to_render_ms'], digits=1)} ms; keystroke->frame "
                      f"{fmt(t['keystroke_to_frame_ms'], digits=1)} ms; longest long task "
                      f"{t['longest_long_task_ms']:.0f} ms ({t['long_tasks']} long tasks in {t['keystrokes']} keys); "
                      f"longest frame gap {t['max_frame_gap_ms']:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per variant and case (default 5)")
    parser.add_argument("--dist", type=Path, default=build.DIST, help="the built page (default dist/)")
    parser.add_argument("--skip-typing", action="store_true", help="startup figures only")
    parser.add_argument("--skip-startup", action="store_true", help="typing figures only")
    parser.add_argument("--nosnap", action="store_true", help="also measure this build made with --no-snapshot")
    args = parser.parse_args(argv)
    if not (args.dist / "index.html").exists():
        build.build(args.dist)

    def log(line: str) -> None:
        print(line, flush=True)

    token = make_token(1024)
    with tempfile.TemporaryDirectory(prefix="jwtlens-bench-") as tmp:
        folders = {"snapshot": args.dist, "pyscript": make_pyscript(Path(tmp) / "pyscript", args.dist),
                   "floor": make_floor(Path(tmp) / "floor", args.dist)}
        if args.nosnap:
            log("building variant d (--no-snapshot) ...")
            build.build(Path(tmp) / "nosnap", snapshot=False)
            folders["nosnap"] = Path(tmp) / "nosnap"
        servers = {name: start_in_thread(folder) for name, folder in folders.items()}
        try:
            urls = {name: server.url for name, server in servers.items()}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_args(playwright))
                try:
                    result = {"startup": {} if args.skip_startup else startup(browser, urls, token, args.runs, log)}
                    if not args.skip_typing:
                        result["typing"] = {name: typing(browser, urls[name], log, name)
                                            for name in ("snapshot", "floor")}
                finally:
                    browser.close()
        finally:
            for server in servers.values():
                server.stop()
    result["ratios"] = {}
    for case in ("cold", "warm", "cold-net") if result["startup"] else ():
        a = result["startup"]["snapshot"][case]["summary"]["visible_ms"]["median"]
        b = result["startup"]["pyscript"][case]["summary"]["visible_ms"]["median"]
        result["ratios"][case] = a / b if a and b else None
    result["meta"] = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": args.runs, "token_chars": len(token),
                      "network": NETWORK, "build": json.loads((args.dist / "build-info.json").read_text())}
    print_table(result)
    print_stages(result)
    print(f"\nwritten: {write_results('startup', result).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
