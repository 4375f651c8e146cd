"""Does any input under the stated limits block the page's main thread for more than a second? Measured in the built
page in Chromium with an audit's hostile inputs (prints figures; never passes or fails on time).

    python3 build.py bench blocking          (builds dist/ first)
    .venv/bin/python bench/blocking.py [--runs N] [--dist DIR] [--only NAME ...] [--list] [--no-trace]
                                       [--no-python-timing] [--stages over|all|none]

Each case is a few steps, each a Playwright fill of #token or #key (one input event with the whole text, as a paste
gives), in a freshly loaded page: the token first, then the key, as a person pastes them; each step waits until the
page has rendered the input (body[data-renders] advances) and settled (body[data-weak-search=done]; for a JWE with
its key, #encryption[data-decrypted] is "decrypted" or "failed"). From each fill on, the page records every long task
(Long Tasks API), every long animation frame and the longest gap between animation frames (_mainthread.py, shared with
startup.py). Per case and run: the longest task and frame gap over its steps, and the slowest step's time from the
fill (its beforeinput event) to the render and to the settled page.

Chromium's trace of each step (--no-trace leaves it out) adds what the Long Tasks API cannot say: each task's CPU time
(on a loaded machine a task's wall time includes other programs' turns), what the longest tasks were (the paste, the
decode, the render, later work) and where their time went (the textarea's own layout of the pasted text, the page's
script, layout after the render, garbage collection). The page's script is split further in the page itself: each
jwtlens.inspect call and each render (Page.show) is timed by a wrapper the bench puts into jwtlens_page's namespace
(--no-python-timing leaves it out). For the cases over a second, jwtlens.inspect is then timed per stage in Pyodide
under Node (--stages): which stage of the decoding takes the time.
Case 9c is the floor: the 4 MiB paste into startup.py's minimal page (same style sheet, atob + JSON.parse), what the
browser alone costs.

Cases run round-robin (run 1 of every case, then run 2, ...), so the ratio of each case's longest task to the
baseline's (a normal 1 KB HS256 token with its key) holds on a noisy machine. A case whose median longest task
exceeds 1,000 ms is marked "> 1 s" (and "CPU > 1 s" when one task's CPU time does). Results, raw and summarized:
bench/results/blocking-<time>.json.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import hashlib
import hmac
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

import _mainthread as mainthread  # noqa: E402
import build  # noqa: E402
from _results import write_results  # noqa: E402
from browser import launch_args  # noqa: E402
from startup import TIMEOUT_MS, b64url, make_floor, make_token, stats  # noqa: E402
from static_server import start_in_thread  # noqa: E402

LIMIT_MS = 1000.0  # the claim under test: no input under the limits blocks the main thread for longer
MIB = 1024 * 1024
SECRET = "bench-secret"  # startup.make_token's HMAC secret; not in the weak-secret list

# -- inputs (deterministic: fixed seeds; only the baseline, startup.make_token's, is dated now so that it is valid) --


def hs256(header: str, payload: str, secret: str = SECRET) -> str:
    """A compact HS256 JWS of the header and payload JSON texts, exactly as given (literals are not re-encoded)."""
    signing_input = f"{b64url(header.encode())}.{b64url(payload.encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


HS256_HEADER = '{"alg":"HS256","typ":"JWT"}'
CLAIMS = '"iss":"https://issuer.example.com","sub":"248289761001","aud":"jwtlens-bench","iat":1700000000'


def token_with_exp(literal: str) -> str:
    return hs256(HS256_HEADER, '{' + CLAIMS + ',"exp":' + literal + '}')


def quadratic_token(n: int) -> str:
    """201 unclosed objects (one over the depth limit) before a string of n escaped quotes, never closed: stresses a
    parser that re-scans the string for each level, or error reporting that copies the rest of the text per level."""
    return b64url(b'{"alg":"HS256"}') + "." + b64url(("{" * 201 + '"' + '\\"' * n).encode()) + ".c2ln"


def many_claims_token(count: int) -> str:
    """count claims in one payload: stresses the claims table, the review's scans and the JSON view."""
    claims = ",".join(f'"c{i:05d}":{100000 + i}' for i in range(count))
    return hs256(HS256_HEADER, '{"sub":"bench","exp":4102444800,' + claims + '}')


@functools.cache
def token_of_length(length: int) -> str:
    """A valid HS256 token of exactly `length` characters (one long claim pads it): stresses every linear stage at
    the input limit (extract, base64url, JSON, HMAC over 4 MiB, the token box itself)."""
    for kid in range(4):  # a base64url text of 4k+1 characters does not exist: the kid's length moves the payload's
        header = json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k" * (kid + 1)})
        room = length - len(b64url(header.encode())) - 2 - 43  # 43: an HS256 signature in base64url
        if room % 4 == 1:
            continue
        payload_bytes = room // 4 * 3 + {0: 0, 2: 1, 3: 2}[room % 4]
        base = '{"sub":"bench","exp":4102444800,"pad":""}'
        payload = base[:-2] + "x" * (payload_bytes - len(base)) + '"}'
        token = hs256(header, payload)
        assert len(token) == length, (len(token), length)
        return token
    raise AssertionError("unreachable")


def _probable_prime(rng: random.Random, bits: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if all(candidate % p for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)) and _miller_rabin(rng, candidate):
            return candidate


def _miller_rabin(rng: random.Random, n: int, rounds: int = 24) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


@dataclass(frozen=True)
class RsaKey:
    n: int
    e: int
    d: int

    def jwk(self, kid: str) -> dict:
        size = (self.n.bit_length() + 7) // 8
        return {"kty": "RSA", "kid": kid, "use": "sig", "n": b64url(self.n.to_bytes(size, "big")),
                "e": b64url(self.e.to_bytes(3, "big"))}

    def rs256(self, header: dict, payload: dict) -> str:
        """RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 8.2), as RS256 signs."""
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
        digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
        digest_info += hashlib.sha256(signing_input.encode()).digest()
        size = (self.n.bit_length() + 7) // 8
        encoded = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        signature = pow(int.from_bytes(encoded, "big"), self.d, self.n).to_bytes(size, "big")
        return f"{signing_input}.{b64url(signature)}"


@functools.cache
def rsa_2048() -> RsaKey:
    """A fixed RSA-2048 key (seeded primes): the same key in every run."""
    rng = random.Random(2048)
    while True:
        p, q = _probable_prime(rng, 1024), _probable_prime(rng, 1024)
        phi = (p - 1) * (q - 1)
        if p != q and phi % 65537:
            return RsaKey(p * q, 65537, pow(65537, -1, phi))


def huge_jwk_case() -> tuple[str, str]:
    """A JWK with a 16384-bit n and e = n - 2 (odd numbers, not a real key) and an RS256 token with a 2048-byte
    signature: stresses the RSA limits (a 16384-bit e would make the modular exponentiation cost seconds)."""
    rng = random.Random(16384)
    n = rng.getrandbits(16384) | (1 << 16383) | 1
    jwk = {"kty": "RSA", "n": b64url(n.to_bytes(2048, "big")), "e": b64url((n - 2).to_bytes(2048, "big"))}
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": "bench", "exp": 4102444800}).encode())
    token = f"{header}.{payload}.{b64url(rng.randbytes(2048))}"
    return token, json.dumps(jwk)


def jwks_case(kid: str, members: int = 10_000) -> tuple[str, str]:
    """A JWKS of `members` RSA keys (one 2048-bit key under different kids) and an RS256 token naming `kid`:
    stresses reading the set (1000 members read, plus the named one) and trying keys when the kid names none.
    Compact JSON keeps it under the key box's limit (4 MiB): 3.9 MB."""
    key = rsa_2048()
    jwks = json.dumps({"keys": [key.jwk(f"k{i}") for i in range(members)]}, separators=(",", ":"))
    token = key.rs256({"alg": "RS256", "typ": "JWT", "kid": kid}, {"sub": "bench", "exp": 4102444800})
    return token, jwks


@contextmanager
def seeded_secrets(seed: int):
    """secrets.token_bytes from a seeded generator while a JWE is made, so the bench's inputs are the same each run."""
    import secrets

    rng = random.Random(seed)
    real = secrets.token_bytes
    secrets.token_bytes = lambda n=32: rng.randbytes(n)
    try:
        yield
    finally:
        secrets.token_bytes = real


PBES2_PASSWORD = "correct horse battery staple"
DIR_KEY = bytes(range(16)).hex()  # A128GCM's 128-bit key, as hex


def pbes2_token() -> str:
    """PBES2-HS256+A128KW at p2c = 1,000,000 (the limit): stresses the key derivation, which runs in slices."""
    from jwtlens import jwe

    with seeded_secrets(1):
        return jwe.encrypt({"sub": "bench", "exp": 4102444800}, PBES2_PASSWORD, "PBES2-HS256+A128KW", "A128GCM",
                           p2c=1_000_000)


def zip_bomb_token() -> str:
    """A JWE with "zip": "DEF" whose content inflates to 64 MiB of zeros: stresses the inflation limit (4 MiB)."""
    from jwtlens import jwe

    with seeded_secrets(2):
        return jwe.encrypt(bytes(64 * MIB), DIR_KEY, "dir", "A128GCM", zip=True)


def weak_search_token() -> str:
    """An HS256 token signed with a secret that is in no list: the page's search tries every weak secret."""
    secret = hashlib.sha256(b"jwtlens bench: not a weak secret").hexdigest()
    return hs256(HS256_HEADER, '{' + CLAIMS + ',"exp":4102444800}', secret)


# -- cases -------------------------------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    what: str  # the input, in words
    stresses: str  # what it stresses
    make: Callable[[], list[tuple[str, str]]]  # the steps: (selector, text) filled in order
    decrypt: bool = False  # the last step waits for #encryption[data-decrypted] to be decrypted or failed
    page: str = "jwtlens"  # or "floor": startup.py's minimal page (the same style sheet, atob + JSON.parse)
    steps: list[tuple[str, str]] = field(default_factory=list)


def _token_then_key(token: str, key: str) -> list[tuple[str, str]]:
    return [("#token", token), ("#key", key)]


def cases() -> list[Case]:
    baseline = make_token(1024)
    return [
        Case("baseline", "1 KB HS256 token, then its secret", "nothing: the normal case every ratio is against",
             lambda: _token_then_key(baseline, SECRET)),
        Case("1a-key-deep-arrays", "1 KB token, then '[' * 7000 in #key",
             "the key box's JSON depth check (200 levels) before any parser recursion",
             lambda: _token_then_key(baseline, "[" * 7000)),
        Case("1b-key-deep-objects", "1 KB token, then '{\"a\":' * 50000 in #key",
             "the depth check on 250 KB of nested objects (a recursive parser would overflow)",
             lambda: _token_then_key(baseline, '{"a":' * 50_000)),
        Case("2a-quadratic-53KB", "201 open objects + 20000 escaped quotes in the payload, 53 KB token",
             "JSON error reporting and depth scanning over a long escaped string (quadratic if re-scanned per "
             "level); decoded in the input event (under 64 KB)",
             lambda: [("#token", quadratic_token(20_000))]),
        Case("2b-quadratic-107KB", "the same with 40000 escaped quotes, 107 KB token",
             "the same, above 64 KB (decoded after a pause, rendered in the next task)",
             lambda: [("#token", quadratic_token(40_000))]),
        Case("2c-quadratic-text", "'[' * 201 + '\"' + '\\\\\"' * 20000 pasted as text in #token",
             "token extraction from arbitrary text (JSON-document detection) on a deep, unterminated string",
             lambda: [("#token", "[" * 201 + '"' + '\\"' * 20_000)]),
        Case("3-pem-headers", "1 KB token, then '-----BEGIN A-----' * 8000 in #key",
             "the PEM reader: 8000 BEGIN lines with no END (quadratic if each searches the rest for its END)",
             lambda: _token_then_key(baseline, "-----BEGIN A-----" * 8000)),
        Case("4-rsa-16384-e-huge", "RS256 token with a 2048-byte signature, then a JWK with a 16384-bit n and "
             "e = n - 2", "RSA key limits: an unbounded e makes pow() cost seconds",
             lambda: _token_then_key(*huge_jwk_case())),
        Case("5a-jwks-10000-kid-none", "RS256 token with kid 'nope', then a JWKS of 10,000 RSA-2048 keys",
             "reading a huge key set (1000 read) and the keys tried when the kid names none (64)",
             lambda: _token_then_key(*jwks_case("nope"))),
        Case("5b-jwks-10000-kid-last", "RS256 token whose kid is the last of 10,000 members, then the JWKS",
             "finding the named member beyond the first 1000, then one verification",
             lambda: _token_then_key(*jwks_case("k9999"))),
        Case("6-exp-2pow4096", "HS256 token with exp = 2**4096 (a 1234-digit integer literal), then its secret",
             "huge integers in claims: time conversion, formatting, the timeline",
             lambda: _token_then_key(token_with_exp(str(2**4096)), SECRET)),
        Case("7a-exp-1e20", "HS256 token with exp 1e20, then its secret", "a float beyond any date",
             lambda: _token_then_key(token_with_exp("1e20"), SECRET)),
        Case("7b-exp-neg1e20", "HS256 token with exp -1e20, then its secret", "a float before any date",
             lambda: _token_then_key(token_with_exp("-1e20"), SECRET)),
        Case("7c-exp-1e300", "HS256 token with exp 1e300, then its secret", "a float near the double's limit",
             lambda: _token_then_key(token_with_exp("1e300"), SECRET)),
        Case("8-100k-claims", "HS256 token with 100,000 claims (2.1 MB), then its secret",
             "the claims table (200 rows shown), the review's scans, the JSON view of 1.6 MB",
             lambda: _token_then_key(many_claims_token(100_000), SECRET)),
        Case("9a-4MiB-token", "an HS256 token of exactly 4 MiB characters (the limit), then its secret",
             "every linear stage at the input limit, and the token box itself",
             lambda: _token_then_key(token_of_length(4 * MIB), SECRET)),
        Case("9b-4MiB+1-refused", "an HS256 token of 4 MiB + 1 characters",
             "the refusal of input over the limit (nothing decoded)",
             lambda: [("#token", token_of_length(4 * MIB + 1))]),
        Case("9c-floor-4MiB-token", "the 4 MiB token of 9a pasted into the floor page: a textarea with the page's "
             "style sheet, decoded with atob + JSON.parse (startup.py's floor)",
             "nothing of jwtlens: what the browser itself costs for a 4 MiB paste into a textarea styled alike",
             lambda: [("#token", token_of_length(4 * MIB))], page="floor"),
        Case("10a-pbes2-p2c-1e6", "PBES2-HS256+A128KW JWE with p2c = 1,000,000, then its password",
             "the PBKDF2 derivation of a million iterations, in slices", lambda: _token_then_key(pbes2_token(),
                                                                                               PBES2_PASSWORD),
             decrypt=True),
        Case("10b-zip-bomb", "dir/A128GCM JWE, zip DEF, 64 MiB of zeros inside (an 87 KB token), then its key",
             "the inflation limit: stop after 4 MiB of output", lambda: _token_then_key(zip_bomb_token(), DIR_KEY),
             decrypt=True),
        Case("11-weak-search-miss", "HS256 token signed with a secret in no list (no key)",
             "the weak-secret search over the whole list, in 15 ms slices",
             lambda: [("#token", weak_search_token())]),
    ]


# -- the page ----------------------------------------------------------------------------------------------------------

# Per step: when the fill began (the first beforeinput; else input), when the page's render was written
# (data-renders advanced) and when it settled (weak-secret search done; for a JWE with its key, decrypted or failed).
STEP_PROBE = """
() => {
  if (window.__step) return;
  const s = (window.__step = { step: null });
  const body = document.body;
  const renders = () => Number(body.dataset.renders || 0);
  s.begin = (decrypt) => {
    s.step = { begun: performance.now(), renders: renders(), decrypt, fill: null, input: null, render: null,
               settled: null };
    check();
  };
  document.addEventListener("beforeinput", (e) => { if (s.step && s.step.fill === null) s.step.fill = e.timeStamp; },
                            { capture: true });
  document.addEventListener("input", (e) => { if (s.step && s.step.input === null) s.step.input = e.timeStamp; },
                            { capture: true });
  const check = () => {
    const p = s.step;
    if (!p || p.settled !== null) return;
    const now = performance.now();
    if (p.render === null && renders() > p.renders) p.render = now;
    if (p.render === null || (body.dataset.weakSearch ?? "done") !== "done") return;  // the floor has no search
    if (p.decrypt && !["decrypted", "failed"].includes(document.getElementById("encryption").dataset.decrypted)) return;
    p.settled = now;
  };
  new MutationObserver(check).observe(body, {
    subtree: true, attributes: true, attributeFilter: ["data-renders", "data-weak-search", "data-decrypted"],
  });
}
"""
# What the page showed: enough to see that each case did what it was made for.
OUTCOME = """
() => {
  const attr = (id, name) => document.getElementById(id)?.getAttribute(name) ?? null;
  const codes = (selector) => [...document.querySelectorAll(selector)].map((li) => li.dataset.code);
  const text = (id) => (document.getElementById(id)?.textContent || "").trim().slice(0, 160);
  return {
    verdict: attr("verdict", "data-verdict"), status: attr("status", "data-status"),
    signature: attr("signature", "data-verified"), decrypted: attr("encryption", "data-decrypted"),
    problems: codes("#problems li[data-code]").slice(0, 8), key_problems: codes("#key-notes li[data-code]").slice(0, 8),
    signature_reason: text("signature-reason"), encryption_reason: text("encryption-reason"),
    weak_status: text("weak-status"), claims_rows: document.querySelectorAll("#claims-body tr").length,
  };
}
"""
# Python timing in the page (--no-python-timing leaves it out): which part of the page's script is decoding and which
# is rendering, in the page's own interpreter. An init script notes the page's input listener on #token (a Pyodide
# proxy of jwtlens_page's Page.schedule); through it the bench runs, in jwtlens_page's namespace, a wrapper that times
# each jwtlens.inspect call and each Page.show (the render). Two perf_counter calls per call; nothing else changes.
NOTE_LISTENER = """
(() => {
  const real = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === "input" && this.id === "token" && !window.__pageInput) window.__pageInput = listener;
    return real.call(this, type, listener, options);
  };
})();
"""
PY_TIMING = """
import json as _bench_json, time as _bench_time
import jwtlens as _bench_jwtlens
_BENCH = {"inspect": [], "render": []}
def _bench_wrap(owner, name, key):
    real = getattr(owner, name)
    def timed(*args, **kwargs):
        t0 = _bench_time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            _BENCH[key].append((_bench_time.perf_counter() - t0) * 1e3)
    setattr(owner, name, timed)
_bench_wrap(_bench_jwtlens, "inspect", "inspect")
_bench_wrap(Page, "show", "render")
def _bench_take():
    out = _bench_json.dumps(_BENCH)
    for calls in _BENCH.values():
        calls.clear()
    return out
"""
INSTALL_PY_TIMING = """(code) => {
  const listener = window.__pageInput;
  if (!listener || !listener.__globals__) return false;  // not jwtlens's page (the floor)
  const names = listener.__globals__;
  const builtins = names.get("__builtins__");
  (builtins.get ? builtins.get("exec") : builtins.exec)(code, names);
  return true;
}"""
TAKE_PY_TIMING = "() => window.__pageInput.__globals__.get('_bench_take')()"
SETTLE = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150))))"


# Chromium's own trace of each step (what DevTools' Performance panel records): each task on the page's main thread
# with its wall time and its CPU time (thread time: on a loaded machine a task's wall time includes the time other
# programs had the CPU), and what ran inside the longest task.
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
RENDERING = {"UpdateLayoutTree", "RecalculateStyles", "Layout", "PrePaint", "Paint", "Layerize", "Commit",
             "UpdateLayer", "UpdateLayerTree", "HitTest"}
SCRIPT = {"FunctionCall", "TimerFire", "EvaluateScript", "FireAnimationFrame", "RunMicrotasks", "v8.callFunction",
          "V8.Execute"}
GC = {"MajorGC", "MinorGC"}
# What the longest task's wall time went to, each moment counted once, in this order of precedence:
PARTS = {
    "textarea_layout": "style and layout of the box's new text, inside the browser's insertion (textInput)",
    "layout": "style, layout and paint otherwise (after the page's render, or forced by it)",
    "gc": "JavaScript garbage collection",
    "script": "the page's handlers and timers: Python (jwtlens.inspect and the render) and JavaScript",
    "textarea_edit": "the browser's insertion of the text (textInput), apart from its layout",
    "other": "the rest of the task (input routing, IPC, time between traced events)",
}


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _covers(union: list[tuple[float, float]], t: float) -> bool:
    i = bisect.bisect_right(union, (t, float("inf"))) - 1
    return i >= 0 and union[i][0] <= t < union[i][1]


def analyse_trace(trace: bytes, top: int = 3) -> dict:
    """The page's main thread in a trace: its `top` longest tasks, each described (describe_task), and the most CPU
    time one task used."""
    events = json.loads(trace)["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"].get("name") for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    by_thread: dict[tuple[int, int], list[dict]] = {}
    for e in events:
        if e.get("ph") == "X" and "dur" in e and names.get((e["pid"], e["tid"])) == "CrRendererMain":
            by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
    if not by_thread:
        return {}
    mine = max(by_thread.values(), key=lambda evs: sum(e["dur"] for e in evs if e["name"] == "RunTask"))
    tasks = [e for e in mine if e["name"] == "RunTask"]
    if not tasks:
        return {}
    fills = [e["ts"] for e in mine if e["name"] == "EventDispatch"
             and e.get("args", {}).get("data", {}).get("type") in ("beforeinput", "textInput", "input")]
    origin = min(fills) if fills else min(e["ts"] for e in tasks)
    longest = sorted(tasks, key=lambda e: -e["dur"])[:top]
    return {
        "top_tasks": [describe_task(task, mine, origin) for task in longest],
        "most_cpu_task_ms": max(e.get("tdur", 0) for e in tasks) / 1000,
        "tasks": len(tasks),
    }


def describe_task(task: dict, thread: list[dict], origin: float) -> dict:
    """One task: when it began (ms after the fill), its wall and CPU ms, what started it, and its wall time split into
    PARTS, with each part's CPU time estimated from the innermost traced event around each moment (its CPU / wall)."""
    start, end = task["ts"], task["ts"] + task["dur"]
    inside = [e for e in thread if e is not task and start <= e["ts"] and e["ts"] + e["dur"] <= end]

    def spans(selected) -> list[tuple[float, float]]:
        return _union([(e["ts"], e["ts"] + e["dur"]) for e in inside if selected(e)])

    def event_type(e: dict) -> str | None:
        return e.get("args", {}).get("data", {}).get("type")

    rendering = spans(lambda e: e["name"] in RENDERING)
    text_input = spans(lambda e: e["name"] == "EventDispatch" and event_type(e) == "textInput")
    gc = spans(lambda e: e["name"] in GC)
    script = spans(lambda e: e["name"] in SCRIPT)
    timed = sorted((e for e in inside if e["dur"] >= 500 and "tdur" in e), key=lambda e: e["dur"])  # innermost first
    edges = sorted({start, end, *(t for u in (rendering, text_input, gc, script) for span in u for t in span),
                    *(t for e in timed for t in (e["ts"], e["ts"] + e["dur"]))})
    wall, cpu = dict.fromkeys(PARTS, 0.0), dict.fromkeys(PARTS, 0.0)
    for a, b in zip(edges, edges[1:], strict=False):
        if not start <= a < end:
            continue
        mid = (a + b) / 2
        if _covers(rendering, mid):
            part = "textarea_layout" if _covers(text_input, mid) else "layout"
        elif _covers(gc, mid):
            part = "gc"
        elif _covers(script, mid):
            part = "script"
        elif _covers(text_input, mid):
            part = "textarea_edit"
        else:
            part = "other"
        around = next((e for e in timed if e["ts"] <= mid < e["ts"] + e["dur"]), task)
        length = min(b, end) - a
        wall[part] += length / 1000
        cpu[part] += length * around.get("tdur", 0) / max(around["dur"], 1) / 1000
    kinds = [("textInput" if event_type(e) == "textInput" else f"{e['name']} {event_type(e) or ''}".strip())
             for e in inside if e["name"] in ("TimerFire", "EventDispatch") and e["dur"] >= 1000]
    return {
        "at_ms": (start - origin) / 1000, "wall_ms": task["dur"] / 1000, "cpu_ms": task.get("tdur", 0) / 1000,
        "started_by": ", ".join(dict.fromkeys(kinds)) or ("rendering" if rendering else "-"),
        "parts_ms": wall, "parts_cpu_ms": cpu,
    }


# jwtlens.inspect as the page calls it, in the pinned Pyodide under Node (the page's interpreter, no browser), with
# the time spent in each stage: which part of the page's script time is decoding (the rest is the page's render and
# the bridge). Stages are module functions wrapped with a timer; verify.load_key runs inside verify.check_signature.
STAGE_CODE = r'''
import json, time
import jwtlens
from jwtlens import claims, extract, lint, pipeline, presentations, segments, verdict, verify

STAGES = [(extract, "find_candidates"), (segments, "decode_token"), (pipeline, "_open"), (claims, "describe"),
          (verify, "check_signature"), (verify, "load_key"), (lint, "review"), (presentations, "attach"),
          (verdict, "judge")]
spent = {}

def _timed(module, name):
    real = getattr(module, name)
    label = module.__name__.rsplit(".", 1)[-1] + "." + name
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + (time.perf_counter() - t0) * 1e3
    setattr(module, name, timed)

for module, name in STAGES:
    _timed(module, name)

def time_inspect(material, runs):
    out = {}
    for case, calls in material.items():
        out[case] = []
        for text, key in calls:
            samples = []
            for _ in range(runs):
                spent.clear()
                t0 = time.perf_counter()
                jwtlens.inspect(text, key or None)
                samples.append(((time.perf_counter() - t0) * 1e3, dict(spent)))
            samples.sort(key=lambda s: s[0])
            total, stages = samples[len(samples) // 2]
            out[case].append({"median_ms": total, "runs": runs, "stages_ms": stages})
    return out
'''


def inspect_in_pyodide(chosen: list[Case], runs: int) -> dict | str:
    """Per case, per step: jwtlens.inspect(token box, key box) as the page calls it after that step's fill."""
    from tools.pyodide_node import MATERIAL, run_with_material

    material = {}
    for case in chosen:
        boxes, calls = {"#token": "", "#key": ""}, []
        for selector, text in case.steps:
            boxes[selector] = text
            calls.append((boxes["#token"], boxes["#key"]))
        material[case.name] = calls
    warm = {"warm-up": [(make_token(1024), SECRET)]}  # the first call of a fresh interpreter imports and warms up
    code = STAGE_CODE + f"json.dumps(time_inspect(json.load(open({MATERIAL!r})), {runs}))\n"
    result = run_with_material(code, {**warm, **material}, tail=2000)
    if isinstance(result, str):
        return result
    result.pop("warm-up", None)
    return result


def run_case(browser, context, url: str, case: Case, trace: bool, python_timing: bool) -> dict:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(url)
        page.wait_for_function("document.body.dataset.state === 'ready'", timeout=TIMEOUT_MS)
        page.evaluate(STEP_PROBE)
        mainthread.install(page)
        timed = python_timing and page.evaluate(INSTALL_PY_TIMING, PY_TIMING)
        page.evaluate(SETTLE)
        steps = []
        for i, (selector, text) in enumerate(case.steps):
            decrypt = case.decrypt and i == len(case.steps) - 1
            if trace:
                browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            if timed:
                page.evaluate(TAKE_PY_TIMING)  # calls before this step are not its own
            mainthread.reset(page)
            page.evaluate("(decrypt) => window.__step.begin(decrypt)", decrypt)
            page.fill(selector, text)
            page.wait_for_function("window.__step.step.settled !== null", timeout=TIMEOUT_MS, polling=50)
            page.evaluate(SETTLE)  # the frame after the render is laid out, and its long task reported
            traced = analyse_trace(browser.stop_tracing()) if trace else {}
            step = page.evaluate("window.__step.step")
            watch = mainthread.collect(page)
            python = json.loads(page.evaluate(TAKE_PY_TIMING)) if timed else None
            start = step["fill"] if step["fill"] is not None else step["input"]
            for task in traced.get("top_tasks", []):
                task["role"] = task_role(task, step["render"] - start if start is not None else None)
            tasks = watch["longtasks"]
            longest = max(tasks, key=lambda t: t["duration"], default=None)
            frames = watch["frames"] or []
            frame = max(frames, key=lambda f: f["duration"], default=None)
            steps.append({
                "selector": selector, "chars": len(text),
                "longest_task_ms": longest["duration"] if longest else 0.0,
                "longest_task_at_ms": longest["start"] - start if longest and start is not None else None,
                "long_tasks": [[round(t["start"] - watch["since"], 1), round(t["duration"], 1)] for t in tasks],
                "max_frame_gap_ms": watch["maxFrameGap"],
                "longest_frame": frame,
                "fill_to_render_ms": step["render"] - start if start is not None else None,
                "fill_to_settled_ms": step["settled"] - start if start is not None else None,
                "insert_ms": step["input"] - step["fill"] if step["fill"] is not None else None,
                "trace": traced,
                "python_ms": python,  # each jwtlens.inspect call and each render (Page.show) during the step
            })
        outcome = page.evaluate(OUTCOME)
    finally:
        page.close()
    worst = max(steps, key=lambda s: s["longest_task_ms"])
    traced = [s["trace"] for s in steps if s["trace"]]
    python = [s["python_ms"] for s in steps if s["python_ms"]]
    return {
        "longest_inspect_ms": max((ms for p in python for ms in p["inspect"]), default=None),
        "longest_render_ms": max((ms for p in python for ms in p["render"]), default=None),
        "longest_task_ms": worst["longest_task_ms"],
        "longest_task_step": worst["selector"],
        "most_cpu_task_ms": max((t["most_cpu_task_ms"] for t in traced), default=None),
        "max_frame_gap_ms": max(s["max_frame_gap_ms"] for s in steps),
        "fill_to_render_ms": max(s["fill_to_render_ms"] for s in steps),
        "fill_to_settled_ms": max(s["fill_to_settled_ms"] for s in steps),
        "steps": steps,
        "outcome": outcome,
    }


def task_role(task: dict, render_at: float | None) -> str:
    """What a traced task was, from when it ran: the paste (the browser's insertion, and the page's input handler
    when it decodes at once), the decode (the page's timer before its render: jwtlens.inspect, for input over 64 KB),
    the render (the task that wrote data-renders: for input up to 64 KB decoding too), or later work (a frame, the
    weak-secret search or PBES2 slices). render_at: ms from the fill to the render; trace times count from the fill's
    first event."""
    started = task["started_by"]
    role = ""
    if task["at_ms"] + task["wall_ms"] < 0:
        return f"before the fill: the automation delivering the text ({started})"
    if render_at is not None and task["at_ms"] - 2 <= render_at <= task["at_ms"] + task["wall_ms"] + 2:
        role = "decode + render" if "EventDispatch input" in started else "render"
    elif render_at is not None and task["at_ms"] > render_at:
        role = f"after the render ({started})"
    elif "TimerFire" in started:
        role = "decode"
    if "textInput" in started:
        role = "paste" + (f" + {role}" if role else "")
    return role or started


# -- report ------------------------------------------------------------------------------------------------------------

FIGURES = ("longest_task_ms", "most_cpu_task_ms", "longest_inspect_ms", "longest_render_ms", "max_frame_gap_ms",
           "fill_to_render_ms", "fill_to_settled_ms")


def summarize(results: dict[str, list[dict]]) -> dict[str, dict]:
    out = {}
    for name, runs in results.items():
        s = out[name] = {key: stats([r[key] for r in runs]) for key in FIGURES}
        s["runs"] = len(runs)
        order = sorted(range(len(runs)), key=lambda i: runs[i]["longest_task_ms"])
        s["median_run"] = order[(len(order) - 1) // 2]  # whose longest task is the median (the lower one of two)
    base = out.get("baseline")
    for s in out.values():
        for key, ratio in (("longest_task_ms", "ratio_longest_task"), ("most_cpu_task_ms", "ratio_most_cpu_task")):
            median, against = s[key]["median"], base[key]["median"] if base else None
            s[ratio] = median / against if median is not None and against else None
        s["over_limit"] = (s["longest_task_ms"]["median"] or 0) > LIMIT_MS
        s["over_limit_any_run"] = (s["longest_task_ms"]["max"] or 0) > LIMIT_MS
        s["cpu_over_limit"] = (s["most_cpu_task_ms"]["median"] or 0) > LIMIT_MS
    return out


def _ms(stat: dict) -> str:
    if stat["median"] is None:
        return "-"
    return f"{stat['median']:.0f} ({stat['max']:.0f})"


def _ratio(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def _mark(s: dict) -> str:
    marks = ["> 1 s" if s["over_limit"] else "> 1 s once" if s["over_limit_any_run"] else ""]
    if s["cpu_over_limit"]:
        marks.append("CPU > 1 s")
    return ", ".join(m for m in marks if m)


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def print_tables(chosen: list[Case], summary: dict, results: dict, stages: dict | str | None) -> None:
    print(f"\nmedian (max) of {summary['baseline']['runs']} runs, ms. longest task: Long Tasks API, wall time, over "
          "all of a case's fills; CPU: the most CPU time one task took (Chromium's trace); x base: median / the "
          "baseline's median; inspect, render: the longest jwtlens.inspect call and the longest render (Page.show) "
          "in the page, wall time; fill->render and fill->settled: the slowest of a case's fills")
    rows = [("case", "chars", "longest task", "x base", "CPU", "x base", "inspect", "render", "frame gap",
             "fill->render", "fill->settled", "")]
    for case in chosen:
        s = summary[case.name]
        rows.append((case.name, f"{sum(len(t) for _, t in case.steps):,}", _ms(s["longest_task_ms"]),
                     _ratio(s["ratio_longest_task"]), _ms(s["most_cpu_task_ms"]), _ratio(s["ratio_most_cpu_task"]),
                     _ms(s["longest_inspect_ms"]), _ms(s["longest_render_ms"]), _ms(s["max_frame_gap_ms"]),
                     _ms(s["fill_to_render_ms"]), _ms(s["fill_to_settled_ms"]), _mark(s)))
    _table(rows)
    print("\nthe longest tasks of the median run (Chromium's trace; three for a case over 1 s): the step, ms after its "
          "fill, what the task was (task_role), wall ms / CPU ms, and where the wall time went, each part as wall/CPU "
          "ms (CPU estimated):")
    for key, words in PARTS.items():
        print(f"  {key}: {words}")
    rows = [("case", "step", "at", "task", "wall/CPU", *PARTS)]
    shows = []
    for case in chosen:
        s = summary[case.name]
        run = results[case.name][s["median_run"]]
        tasks = sorted(((step["selector"], task) for step in run["steps"]
                        for task in step["trace"].get("top_tasks", [])), key=lambda st: -st[1]["wall_ms"])
        explain = s["over_limit_any_run"] or s["cpu_over_limit"]
        for selector, task in tasks[:3 if explain else 1]:
            rows.append((case.name, selector, f"{task['at_ms']:.0f}", task.get("role", task["started_by"])[:44],
                         f"{task['wall_ms']:.0f}/{task['cpu_ms']:.0f}",
                         *(f"{task['parts_ms'][k]:.0f}/{task['parts_cpu_ms'][k]:.0f}" for k in PARTS)))
        if not tasks:
            rows.append((case.name, run["longest_task_step"], "-", "-", "-", *("-" for _ in PARTS)))
        shown = run["outcome"]
        shows.append((case.name, " ".join([f"{k}={shown[k]}" for k in ("verdict", "signature", "decrypted")
                                           if shown.get(k)] + shown["problems"][:3] + shown["key_problems"][:3])))
    _table(rows)
    print("\nwhat the page showed at the end (median run):")
    _table([("case", "page shows"), *shows])
    if isinstance(stages, str):
        print(f"\njwtlens.inspect in Pyodide under Node: not measured ({stages})")
    elif stages:
        print("\njwtlens.inspect in Pyodide under Node, as the page calls it after each fill (median ms; stages over "
              "1 ms, verify.load_key is part of verify.check_signature):")
        for name, calls in stages.items():
            for (selector, text), call in zip(next(c for c in chosen if c.name == name).steps, calls, strict=True):
                parts = ", ".join(f"{k} {v:.0f}" for k, v in sorted(call["stages_ms"].items(), key=lambda kv: -kv[1])
                                  if v >= 1)
                print(f"  {name:<24} after {selector} ({len(text):,} chars): {call['median_ms']:.0f} ms; {parts}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--dist", type=Path, default=build.DIST, help="the built page (default dist/)")
    parser.add_argument("--only", nargs="*", default=None,
                        help="case names (or their beginnings, e.g. 5 or 9a) to run; the baseline always runs")
    parser.add_argument("--list", action="store_true", help="list the cases and their input sizes, then stop")
    parser.add_argument("--no-trace", action="store_true",
                        help="no Chromium trace (no CPU times, no breakdown): Long Tasks and frame gaps only")
    parser.add_argument("--no-python-timing", action="store_true",
                        help="leave the page's Python untouched: no inspect and render times")
    parser.add_argument("--stages", choices=("over", "all", "none"), default="over",
                        help="time jwtlens.inspect per stage in Pyodide under Node for the cases over 1 s in any run "
                             "(default), for all, or none")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, flush=True)

    chosen = [c for c in cases() if c.name == "baseline" or not args.only
              or any(c.name.startswith(prefix) for prefix in args.only)]
    log(f"making {len(chosen)} inputs ...")
    for case in chosen:
        case.steps = case.make()
        log(f"  {case.name:<24} " + ", then ".join(f"{sel} {len(text):,} chars" for sel, text in case.steps))
    if args.list:
        return 0
    if not (args.dist / "index.html").exists():
        build.build(args.dist)
    load_before = os.getloadavg()
    results: dict[str, list[dict]] = {case.name: [] for case in chosen}
    floor = tempfile.TemporaryDirectory(prefix="jwtlens-bench-floor-")
    servers = {"jwtlens": start_in_thread(args.dist), "floor": start_in_thread(make_floor(Path(floor.name), args.dist))}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_args(playwright))
            try:
                context = browser.new_context()
                if not args.no_python_timing:
                    context.add_init_script(NOTE_LISTENER)
                for run in range(args.runs):
                    for case in chosen:
                        r = run_case(browser, context, servers[case.page].url, case, trace=not args.no_trace,
                                     python_timing=not args.no_python_timing)
                        results[case.name].append(r)
                        cpu = f"{r['most_cpu_task_ms']:6.0f}" if r["most_cpu_task_ms"] is not None else "     -"
                        log(f"  run {run + 1} {case.name:<24} longest task {r['longest_task_ms']:6.0f} ms "
                            f"({r['longest_task_step']}), CPU {cpu} ms, frame gap {r['max_frame_gap_ms']:6.0f} ms, "
                            f"fill->render {r['fill_to_render_ms']:6.0f} ms, settled {r['fill_to_settled_ms']:6.0f} ms")
                version = browser.version
                context.close()
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
        floor.cleanup()
    load_after = os.getloadavg()
    summary = summarize(results)
    stages: dict | str | None = None
    staged = [c for c in chosen if c.page == "jwtlens" and (args.stages == "all" or (args.stages == "over" and (
        summary[c.name]["over_limit_any_run"] or summary[c.name]["cpu_over_limit"])))]
    if staged:
        log(f"timing jwtlens.inspect in Pyodide under Node for {len(staged)} case(s) ...")
        stages = inspect_in_pyodide(staged, runs=3)
    print_tables(chosen, summary, results, stages)
    over = [name for name, s in summary.items() if s["over_limit"]]
    print(f"\ncases whose median longest task exceeds {LIMIT_MS:,.0f} ms: {', '.join(over) if over else 'none'}; "
          f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} on {os.cpu_count()} CPUs")
    out = {
        "meta": {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": args.runs, "limit_ms": LIMIT_MS,
                 "chromium": version, "cpus": os.cpu_count(), "load_average_before": load_before,
                 "load_average_after": load_after, "traced": not args.no_trace, "parts": PARTS,
                 "python_timing": not args.no_python_timing,
                 "build": json.loads((args.dist / "build-info.json").read_text())},
        "cases": {case.name: {"what": case.what, "stresses": case.stresses,
                              "page": case.page, "steps": [[sel, len(text)] for sel, text in case.steps],
                              "summary": summary[case.name], "runs": results[case.name]} for case in chosen},
        "inspect_in_pyodide": stages,
    }
    print(f"written: {write_results('blocking', out).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
