"""Benchmark: the full weak-secret search (every entry of the bundled list) in CPython and in Pyodide under Node.

    .venv/bin/python bench/weak_secrets.py [--runs N] [--no-pyodide]

For HS256/384/512 tokens signed with a random 32-byte secret (nothing is found, so the whole list is tried), it
prints the median of N runs of ``find_weak_secret``, next to a baseline measured in the same run: one plain
``hashlib`` digest of the same signing input per list entry (an HMAC costs about two of those plus key setup). It
also prints the time to load the list and the slowest 2,000-entry chunk (what the page runs between two frames).

In Pyodide the code runs from the same zip bundle as the page (build.py's build_bundle: py/jwtlens plus the pinned
wheels, put on sys.path, zipimport), so the list is read through importlib.resources exactly as in the browser.
Target in the page: under 300 ms for 10,000 entries. Prints figures only; never fails on time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"

# Runs unchanged in CPython and in Pyodide; RUNS is set before it runs. Tokens are signed with hmac here so the
# measurement needs nothing but jwtlens.
MEASURE = r'''
import base64, hashlib, hmac, json, os, platform, statistics, sys, time
from jwtlens import weak

def _b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def _token(alg):
    claims = {"iss": "https://issuer.example.com", "sub": "248289761001", "aud": "s6BhdRkqt3",
              "name": "Jane Doe", "email": "janedoe@example.com", "iat": 1800000000, "exp": 1800003600,
              "scope": "openid profile email orders:read orders:write"}
    signing_input = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." + _b64(json.dumps(claims).encode())
    mac = hmac.new(os.urandom(32), signing_input.encode(), weak.HMAC_ALGS[alg][0]).digest()
    return signing_input + "." + _b64(mac)

def _ms(seconds):
    return round(seconds * 1000, 2)

weak._secrets = None
weak._secret_set = None
t = time.perf_counter()
secrets = weak.load_secrets()
load_ms = _ms(time.perf_counter() - t)
t = time.perf_counter()
weak.is_weak_secret("x")
set_ms = _ms(time.perf_counter() - t)

rows = []
for alg in ("HS256", "HS384", "HS512"):
    token = _token(alg)
    target = weak.hmac_target(token)
    full = []
    for _ in range(RUNS):
        t = time.perf_counter()
        found = weak.find_weak_secret(token)
        full.append(time.perf_counter() - t)
        assert found is None
    digest = getattr(hashlib, target.hash_name)
    msg = target.signing_input
    base = []
    for _ in range(RUNS):
        t = time.perf_counter()
        for _s in secrets:
            digest(msg).digest()
        base.append(time.perf_counter() - t)
    search = weak.WeakSecretSearch(token)
    chunks = []
    while True:
        t = time.perf_counter()
        done = search.step(2000)
        chunks.append(time.perf_counter() - t)
        if done:
            break
    rows.append({"alg": alg, "entries": len(secrets), "input_bytes": len(msg),
                 "search_ms": _ms(statistics.median(full)), "baseline_ms": _ms(statistics.median(base)),
                 "max_chunk_ms": _ms(max(chunks)), "chunks": len(chunks)})

RESULT = json.dumps({"python": sys.version.split()[0], "platform": platform.platform(), "load_ms": load_ms,
                     "set_ms": set_ms, "rows": rows})
'''

NODE_SCRIPT = r'''
import { loadPyodide } from "%(pyodide)s";
import { readFileSync } from "node:fs";
const py = await loadPyodide();
py.FS.writeFile("/tmp/jwtlens-bundle.zip", readFileSync("%(bundle)s"));
py.runPython("import sys; sys.path.insert(0, '/tmp/jwtlens-bundle.zip')");
py.globals.set("RUNS", %(runs)d);
py.runPython(%(code)s);
console.log(py.globals.get("RESULT"));
'''


def run_cpython(runs: int) -> dict:
    sys.path.insert(0, str(ROOT / "py"))
    scope: dict = {"RUNS": runs}
    exec(MEASURE, scope)  # noqa: S102 - our own measurement code, shared with the Pyodide run
    return json.loads(scope["RESULT"])


def run_pyodide(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import build  # the page's bundle, built the same way

    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "jwtlens-bundle.zip"
        build.build_bundle(bundle)
        script = Path(tmp) / "bench.mjs"
        script.write_text(NODE_SCRIPT % {"pyodide": PYODIDE.as_posix(), "bundle": bundle.as_posix(), "runs": runs,
                                         "code": json.dumps(MEASURE)})
        out = subprocess.run(["node", str(script)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"Pyodide run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, result: dict) -> None:
    print(f"\n{name} (Python {result['python']}): list load {result['load_ms']} ms, "
          f"set for key-box lookups {result['set_ms']} ms")
    print(f"  {'alg':6} {'entries':>7} {'search ms':>10} {'baseline ms':>12} {'ratio':>6} {'per entry µs':>13} "
          f"{'max 2000-chunk ms':>18}")
    for r in result["rows"]:
        ratio = r["search_ms"] / r["baseline_ms"] if r["baseline_ms"] else float("nan")
        per = r["search_ms"] * 1000 / r["entries"]
        print(f"  {r['alg']:6} {r['entries']:>7} {r['search_ms']:>10.1f} {r['baseline_ms']:>12.1f} {ratio:>6.2f} "
              f"{per:>13.2f} {r['max_chunk_ms']:>18.1f}")
    per10k = max(r["search_ms"] * 10_000 / r["entries"] for r in result["rows"])
    print(f"  slowest alg scaled to 10,000 entries: {per10k:.1f} ms (target in the page: < 300 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median); default 7")
    parser.add_argument("--no-pyodide", action="store_true", help="CPython only")
    args = parser.parse_args()
    print(f"Weak-secret search, median of {args.runs} runs; signing input of a typical access token. "
          "Baseline: one plain hash of the signing input per entry, same run.")
    report("CPython", run_cpython(args.runs))
    if not args.no_pyodide:
        if not PYODIDE.exists():
            print("\nPyodide: skipped (node_modules/pyodide missing: run npm ci)")
        else:
            report("Pyodide under Node", run_pyodide(args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
