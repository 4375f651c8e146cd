"""The page: read the inputs, call jwtlens.inspect, render the Report. No decoding logic lives here.

site/main.py (the PyScript script) calls start(document, window). This module is imported when the build makes the
memory snapshot, so its code is compiled and its tables built before any visitor arrives; that is why nothing at
module level may touch the browser (there is no `document` under Node), and every JS object arrives through start().

Everything from a token, key or input reaches the page either as textContent or through h(), which HTML-escapes
every text and attribute value it writes, so hostile claim values stay text. The only other markup inserted is
the timeline SVG, which jwtlens builds with every piece of text XML-escaped.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import types
from dataclasses import dataclass
from html import escape

from pyodide.ffi import create_proxy


def _no_key_fetching() -> None:
    """Stand in for PyJWT's JWKS client before PyJWT is imported.

    PyJWKClient is the one part of PyJWT that fetches: it downloads key sets over HTTP. The page never fetches keys
    (a jku or x5u header is reported, never followed), so here jwt.PyJWKClient refuses to run, and urllib.request,
    http.client and email, which only it imports, stay out of the page (0.8 MB of the memory snapshot)."""
    if "jwt" in sys.modules:
        return
    module = types.ModuleType("jwt.jwks_client", "JWT Lens's stand-in for PyJWT's JWKS client: fetching is refused.")

    class PyJWKClient:
        def __init__(self, *_args, **_kwargs) -> None:
            raise RuntimeError("JWT Lens never fetches keys: paste the key set (JWKS) into the key box instead")

    module.PyJWKClient = PyJWKClient
    sys.modules[module.__name__] = module


_no_key_fetching()

import jwtlens  # noqa: E402 - after the stand-in above
from jwtlens import lint, timeline, weak  # noqa: E402
from jwtlens.report import Report  # noqa: E402

# The browser's globals, set by start().
document = None
window = None

SAMPLE_CLAIMS = {
    "iss": "https://issuer.example.com",
    "sub": "248289761001",
    "aud": "jwtlens-demo",
    "name": "Jane Doe",
    "email": "jane@example.com",
    "scope": "openid profile",
}
# The weak-secret search runs after the first render, a slice per timer tick, so typing never waits for it: each
# slice hashes about WEAK_SLICE_BYTES and stops at WEAK_BUDGET_S. Each candidate secret costs one HMAC over the
# whole signing input, so huge tokens (no real issuer makes them) are not searched at all.
WEAK_SLICE_BYTES = 256 * 1024
WEAK_BUDGET_S = 0.015
WEAK_MAX_INPUT = 64 * 1024
# The search starts once typing pauses, so its slices never sit between a keystroke and its render.
WEAK_START_DELAY_MS = 250
# Typing is decoded at once for normal tokens; very large input waits for a pause so keystrokes stay fluid.
LARGE_INPUT = 64 * 1024
LARGE_INPUT_DEBOUNCE_MS = 50
HIGHLIGHT_LIMIT = 256 * 1024
# Decoded JSON longer than this goes into the page as blocks of about CHUNK_CHARS, each laid out only when it is
# scrolled near (content-visibility: auto in style.css): laying out a 1 MB <pre> at once blocked the page for 180 ms.
CHUNKED_JSON = 32 * 1024
CHUNK_CHARS = 16 * 1024
ENCODED_SEGMENT_LIMIT = 4096
CLAIM_VALUE_LIMIT = 2048
JSON_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)"
)

_nodes: dict[str, object] = {}


def el(node_id: str):
    """document.getElementById, remembered: each lookup is a round trip through the JS bridge."""
    node = _nodes.get(node_id)
    if node is None:
        node = _nodes[node_id] = document.body if node_id == "body" else document.getElementById(node_id)
    return node


LOCAL_TIME_FORMAT = None  # Intl options for local times, made by start()
rendered: dict[str, str] = {}  # the HTML, text or attribute value last written to each element
local_times: dict[float, str] = {}
json_markup: dict[str, tuple[str, str]] = {}  # per JSON view: the decoded text last shown and its markup
state = {
    "timer": None, "report": None, "select": 0, "last_text": None, "renders": 0,
    "search": None, "generation": 0, "weak_done": None,
}


@dataclass
class WeakDone:
    token: str  # the compact token the finished search ran on
    search: weak.WeakSecretSearch



def h(tag: str, text: str = "", inner: str = "", **attrs: str | None) -> str:
    """One element as HTML: text is escaped, inner is HTML built by h() itself, every attribute value is escaped.

    The page renders through these strings (one innerHTML per container) rather than creating DOM nodes one by
    one: each node created from Python is a round trip through the JS bridge, which made a render 30 ms.
    """
    attributes = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items() if value is not None
    )
    return f"<{tag}{attributes}>{escape(text)}{inner}</{tag}>"


def put(node_id: str, markup: str) -> None:
    """Set a container's HTML, skipping the DOM when it is unchanged (editing the key leaves the JSON as it is)."""
    if rendered.get(node_id) != markup:
        rendered[node_id] = markup
        el(node_id).innerHTML = markup


def set_text(node_id: str, text: str) -> None:
    """textContent, written only when it changed: most of the page stays the same from one keystroke to the next."""
    if rendered.get(node_id + "/text") != text:
        rendered[node_id + "/text"] = text
        el(node_id).textContent = text


def set_attr(node_id: str, name: str, value: str) -> None:
    if rendered.get(f"{node_id}/{name}") != value:
        rendered[f"{node_id}/{name}"] = value
        el(node_id).setAttribute(name, value)


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def render_json(node_id: str, value, raw: str | None) -> None:
    """Pretty JSON with syntax colors; textContent stays exactly the pretty-printed JSON."""
    is_raw = value is None and raw is not None
    if rendered.get(node_id + "/raw") != is_raw:
        rendered[node_id + "/raw"] = is_raw
        el(node_id).classList.toggle("raw", is_raw)
    if value is not None and raw is not None and json_markup.get(node_id, (None, ""))[0] == raw:
        put(node_id, json_markup[node_id][1])  # same decoded text as last time (typing in another segment)
        return
    if value is None:
        raw = raw or ""
        put(node_id, chunked(raw, highlight=False) if len(raw) > CHUNKED_JSON else escape(raw))
        return
    text = pretty(value)
    markup = chunked(text, highlight=len(text) <= HIGHLIGHT_LIMIT) if len(text) > CHUNKED_JSON else highlight_json(text)
    if raw is not None:
        json_markup[node_id] = (raw, markup)
    put(node_id, markup)


def chunked(text: str, highlight: bool) -> str:
    """Long text as consecutive blocks; their textContent is still exactly `text`.

    Blocks end after a line break where there is one near the size limit, so lines stay whole; a single huge line
    (one long claim value) is cut at the limit and shows a line break there.
    """
    blocks = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            newline = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            end = newline + 1 if newline >= 0 else end
        part = text[start:end]
        blocks.append(h("span", class_="chunk", inner=highlight_json(part) if highlight else escape(part)))
        start = end
    return "".join(blocks)


def highlight_json(text: str) -> str:
    """Pretty JSON text as HTML with a span per key, string, number and literal."""
    parts = []
    pos = 0
    for m in JSON_TOKEN.finditer(text):
        parts.append(escape(text[pos:m.start()]))
        parts.append(h("span", m.group(0), class_="j-" + m.lastgroup))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return "".join(parts)


def local_time(epoch: float) -> str:
    if epoch not in local_times:  # the browser formats it (Python in the page has no idea of the local zone)
        if len(local_times) > 256:  # editing a time claim makes a new epoch per keystroke
            local_times.clear()
        try:
            local_times[epoch] = str(window.Date.new(epoch * 1000).toLocaleString(window.undefined, LOCAL_TIME_FORMAT))
        except Exception:  # a Date the browser cannot show (out of its range) is simply not shown
            local_times[epoch] = ""
    return local_times[epoch]


def value_text(value) -> str:
    """A claim's value for the claims table. A very long one is cut (the JSON view above holds all of it): a table
    cell sizes itself to its content, and laying out a 768 KB value there took 150 ms."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > CLAIM_VALUE_LIMIT:
        return f"{text[:CLAIM_VALUE_LIMIT]}\u2026 ({len(text) - CLAIM_VALUE_LIMIT:,} more characters)"
    return text


def render_claim_rows(table_id: str, claims) -> None:
    rows = []
    for claim in claims:
        when = ""
        if claim.time is not None:
            local = local_time(claim.time.epoch)
            when = h("div", class_="when", inner=(
                h("time", claim.time.utc, datetime=claim.time.utc)
                + (h("span", local, class_="local") if local else "")
                + h("span", claim.time.relative, class_="relative")
            ))
        meaning = claim.description or ""
        if claim.spec:
            meaning = f"{meaning} ({claim.spec})" if meaning else claim.spec
        rows.append(h("tr", data_claim=claim.name, inner=(
            h("th", claim.name, scope="row")
            + h("td", inner=h("code", value_text(claim.value)) + when)
            + h("td", meaning, class_=None if claim.description else "unknown")
        )))
    put(table_id + "-body", "".join(rows))


def render_encoded(token) -> None:
    el("encoded").hidden = token is None
    if token is None:
        put("encoded", "")
        return
    parts = []
    pos = 0
    for index, seg in enumerate(token.segments):
        parts.append(escape(token.token[pos:seg.start]))
        text = seg.text
        if len(text) > ENCODED_SEGMENT_LIMIT:  # the textarea holds it all; a second full copy only costs layout
            text = f"{text[:ENCODED_SEGMENT_LIMIT]}\u2026 ({len(seg.text) - ENCODED_SEGMENT_LIMIT:,} more characters)"
        parts.append(h("span", text, class_=f"seg seg-{seg.name} seg-{index}", title=seg.name))
        pos = seg.start + len(seg.text)
    parts.append(escape(token.token[pos:]))
    put("encoded", "".join(parts))


def render_problems(problems) -> None:
    put("problems", "".join(
        h("li", data_code=p.code, data_level=p.level, data_segment=p.segment or None, inner=(
            h("span", p.message, class_="message") + (h("span", p.fix, class_="fix") if p.fix else "")
        ))
        for p in problems
    ))


def render_candidates(report: Report) -> None:
    el("candidates").hidden = len(report.candidates) < 2
    if len(report.candidates) < 2:
        put("candidate-select", "")
        return
    put("candidate-select", "".join(
        h("option", f"{c.index + 1}. {c.kind}{' ' + c.alg if c.alg else ''} from {c.source}: {c.token[:24]}...",
          value=str(c.index), selected="" if c.index == report.selected else None)
        for c in report.candidates
    ))


STATUS_LABELS = {
    "empty": "No token",
    "malformed": "Malformed",
    "valid": "Valid now",
    "expired": "Expired",
    "not-yet-valid": "Not yet valid",
    "no-expiry": "No expiry",
    "unsecured": "Unsecured",
    "encrypted": "Encrypted (JWE)",
}
VERIFIED_LABELS = {"unchecked": "Not checked", "valid": "Signature valid", "invalid": "Signature invalid",
                   "error": "Key problem"}


def render_signature(token) -> None:
    sig = token.signature if token else None
    verified = sig.verified if sig else "unchecked"
    set_attr("signature", "data-verified", verified)
    set_text("signature", VERIFIED_LABELS.get(verified, verified))
    set_text("alg", sig.alg if sig and sig.alg else "\u2013")
    set_text("signature-reason", sig.message if sig else "")
    key = sig.key if sig else None
    info = []
    notes = []
    if key is not None:
        info = [key.description]
        if key.thumbprint:
            info.append(f"JWK thumbprint (RFC 7638): {key.thumbprint}")
        if key.private:
            info.append("A private key was pasted: only its public half is used, and it stays in this tab.")
        notes = [h("li", note) for note in key.notes]
    set_text("key-info", " \u00b7 ".join(info))
    if sig is not None:
        notes += [h("li", p.message + (f" {p.fix}" if p.fix else ""), class_="key-problem", data_code=p.code)
                  for p in sig.problems]
    put("key-notes", "".join(notes))
    put("checks", "".join(
        h("li", c.message, data_claim=c.claim, data_ok="true" if c.ok else "false") for c in (sig.checks if sig else [])
    ))
    put("tried", "".join(h("li", line) for line in (sig.tried if sig else [])))


def render_findings(token) -> None:
    findings = token.findings if token else []
    put("findings", "".join(
        h("li", data_rule=f.rule, data_severity=f.severity, inner=(
            h("span", f.severity, class_="sev")
            + h("strong", f.title)
            + h("p", f.risk, class_="risk")
            + h("p", "Fix: " + f.fix, class_="fix")
            + h("p", f.reference + (f" \u00b7 {f.where}" if f.where else ""), class_="ref")
        ))
        for f in findings
    ))
    if not findings:
        el("findings-summary").hidden = True
        set_attr("findings-summary", "data-severity", "none")
        return
    result = lint.summarize(findings)
    el("findings-summary").hidden = False
    set_attr("findings-summary", "data-severity", result["highest"])
    set_text("findings-summary", f"Security review: {result['text']}.")


def render_timeline(report: Report) -> None:
    line = timeline.build_timeline(report.token, report.now) if report.token else None
    if line is None:
        put("timeline", "")
        return
    # render_svg escapes every piece of text it puts in the markup (tested in test_timeline.py)
    put("timeline", timeline.render_svg(line, id_prefix="tl") + h("p", timeline.timeline_text(line), class_="sr-only"))


def start_weak_search(report: Report) -> None:
    """Try the bundled weak-secret list against an HMAC token, a chunk per timer tick.

    The answer depends on the token alone, so edits of the key or the options reuse the last search. A search
    belongs to the decode that started it (state["generation"], advanced by decode_now).
    """
    state["search"] = None
    token = report.token
    if token is None or not weak.should_search(token):
        el("weak-status").textContent = ""
        set_attr("body", "data-weak-search", "done")
        return
    done = state["weak_done"]
    if done is not None and done.token == token.token:
        finish_weak_search(done.search)
        return
    search = weak.WeakSecretSearch(token)
    size = len(search.target.signing_input)
    if size > WEAK_MAX_INPUT:
        el("weak-status").textContent = (
            f"Weak-secret search skipped: this token is {size // 1024:,} KB, and each of the "
            f"{search.total:,} secrets would need a hash over all of it."
        )
        set_attr("body", "data-weak-search", "done")
        return
    state["search"] = (state["generation"], search)
    el("weak-status").textContent = f"Trying {search.total:,} weak and well-known secrets against the signature\u2026"
    window.setTimeout(weak_step_proxy, WEAK_START_DELAY_MS)


def weak_step(*_args) -> None:
    if state["search"] is None:
        return
    generation, search = state["search"]
    if generation != state["generation"]:
        return
    per_slice = max(1, WEAK_SLICE_BYTES // (len(search.target.signing_input) + 64))
    deadline = time.perf_counter() + WEAK_BUDGET_S
    while not (done := search.step(per_slice)) and time.perf_counter() < deadline:
        pass
    if not done:
        el("weak-status").textContent = f"Trying weak secrets\u2026 {search.checked:,} of {search.total:,}"
        window.setTimeout(weak_step_proxy, 0)
        return
    state["search"] = None
    state["weak_done"] = WeakDone(state["report"].token.token, search)
    finish_weak_search(search)


def finish_weak_search(search) -> None:
    token = state["report"].token
    status = el("weak-status")
    if search.found is not None:
        token.findings.insert(0, weak.weak_secret_finding(search.found, search.alg))
        render_findings(token)
        status.textContent = f"Weak secret found after {search.checked:,} tries."
    else:
        status.textContent = f"None of {search.total:,} weak and well-known secrets signed this token."
    set_attr("body", "data-weak-search", "done")


def render(report: Report) -> None:
    token = report.token
    set_attr("status", "data-status", report.status)
    set_text("status", STATUS_LABELS.get(report.status, report.status))
    set_text("status-text", token.validity.message if token else (
        report.problems[0].message if report.problems else "Paste a token to decode it."
    ))
    render_candidates(report)
    render_encoded(token)
    render_problems(report.problems + (token.problems if token else []))
    render_json("header", token.header if token else None, token.header_text if token else None)
    render_json("payload", token.payload if token else None, token.payload_text if token else None)
    render_claim_rows("claims", token.claims if token else [])
    render_claim_rows("header-params", token.header_params if token else [])
    set_text("lifetime", (
        f"Lifetime (exp \u2212 iat): {token.validity.lifetime_text}" if token and token.validity.lifetime_text else ""
    ))
    render_signature(token)
    render_findings(token)
    render_timeline(report)


def read_float(node_id: str, default: float = 0.0) -> float:
    try:
        value = float(el(node_id).value or default)
    except ValueError:
        return default
    return value if value == value and value >= 0 else default  # NaN and negatives fall back


def decode_now(*_args) -> None:
    state["timer"] = None
    text = el("token").value
    if text != state["last_text"]:
        state["select"] = 0
    state["last_text"] = text
    options = jwtlens.Options(
        leeway=read_float("leeway"),
        select=state["select"],
        secret_format=el("secret-format").value,
        issuer=el("expect-iss").value.strip() or None,
        audience=el("expect-aud").value.strip() or None,
    )
    report = jwtlens.inspect(text, el("key").value or None, options)
    state["report"] = report
    state["generation"] += 1  # any weak-secret search or render still scheduled is for older input
    if len(text) > LARGE_INPUT:
        # Decoding and rendering a huge token each take tens of milliseconds: two tasks, so input waits for neither.
        window.setTimeout(render_proxy, 0, state["generation"])
        return
    show(report)


def render_later(generation: int) -> None:
    if generation == state["generation"]:
        show(state["report"])


def show(report: Report) -> None:
    set_attr("body", "data-weak-search", "pending")
    render(report)
    start_weak_search(report)
    state["renders"] += 1
    document.body.setAttribute("data-renders", str(state["renders"]))  # lets tests wait for a render


def schedule(*_args) -> None:
    if state["timer"] is not None:
        window.clearTimeout(state["timer"])
        state["timer"] = None
    if el("token").textLength <= LARGE_INPUT:  # textLength: no copy of a huge value through the bridge
        decode_now()  # at once: a timer hop would only add latency to a render that takes milliseconds
    else:
        state["timer"] = window.setTimeout(decode_proxy, LARGE_INPUT_DEBOUNCE_MS)


def on_candidate(*_args) -> None:
    state["select"] = int(el("candidate-select").value)
    decode_now()


def on_sample(*_args) -> None:
    el("token").value = sample_token()
    decode_now()
    el("token").focus()


def on_clear(*_args) -> None:
    el("token").value = ""
    el("key").value = ""
    decode_now()
    el("token").focus()


def on_copy(event) -> None:
    which = event.currentTarget.getAttribute("data-copy")
    token = state["report"].token if state["report"] else None
    if token is None:
        return
    value = token.header if which == "header" else token.payload
    raw = token.header_text if which == "header" else token.payload_text
    text = pretty(value) if value is not None else (raw or "")
    button = event.currentTarget
    window.navigator.clipboard.writeText(text)
    button.textContent = "Copied"
    window.setTimeout(create_proxy(lambda *_: setattr(button, "textContent", "Copy")), 1200)


def sample_token() -> str:
    """A fresh HS256 token (secret "your-256-bit-secret", a documented example) valid for one hour."""
    import jwt

    now = int(time.time())
    claims = dict(SAMPLE_CLAIMS, iat=now, nbf=now, exp=now + 3600)
    return jwt.encode(claims, "your-256-bit-secret", algorithm="HS256", headers={"typ": "JWT"})


decode_proxy = None  # JS callables for the timers, made by start()
render_proxy = None
weak_step_proxy = None


def start(document_, window_) -> None:
    """Wire the page up and decode whatever was typed or pasted while Python was starting."""
    global document, window, LOCAL_TIME_FORMAT, decode_proxy, render_proxy, weak_step_proxy
    document, window = document_, window_
    LOCAL_TIME_FORMAT = window.Object.fromEntries([["timeZoneName", "short"]])
    decode_proxy = create_proxy(decode_now)
    render_proxy = create_proxy(render_later)
    weak_step_proxy = create_proxy(weak_step)
    # Decode first: whatever was typed or pasted while Python was starting is what the visitor waits for. No input
    # event can run before the listeners below are in place (this all runs in one turn of the event loop).
    decode_now()
    listen = [
        ("token", "input", schedule),
        ("key", "input", schedule),
        ("leeway", "input", schedule),
        ("expect-iss", "input", schedule),
        ("expect-aud", "input", schedule),
        ("secret-format", "change", schedule),
        ("candidate-select", "change", on_candidate),
        ("sample", "click", on_sample),
        ("clear", "click", on_clear),
    ]
    for node_id, event, handler in listen:
        el(node_id).addEventListener(event, create_proxy(handler))
    for button in document.querySelectorAll("button.copy"):
        button.addEventListener("click", create_proxy(on_copy))
    runtime = el("runtime")
    runtime.textContent = "Python ready. Decoding happens in this tab."
    install_test_hooks()
    document.body.setAttribute("data-state", "ready")


# --- Test hooks (tests/test_e2e_boot.py, tests/test_e2e_offline.py) -------------------------------------------
# jwtlensInspect: the Report for a text, as JSON, so tests can compare the snapshot and the plain boot.
# jwtlensProbe: this tab's random state and time zone as Python sees them, so tests can check that a resumed
# snapshot shares neither with the build machine nor with another page load. Neither reads the page's inputs.
def _test_probe() -> str:
    import random
    import secrets

    return json.dumps({
        "random": random.random(),
        "token_hex": secrets.token_hex(16),
        "urandom": os.urandom(16).hex(),
        "tz": [time.timezone, time.altzone, time.daylight, list(time.tzname),
               time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(1_800_000_000))],
        "pyscript_modules": _pyscript_modules(),
    })


def _pyscript_modules() -> dict[str, bool]:
    """PyScript's own modules, each with whether a compiled file from the snapshot (checked against its source's
    hash, PEP 552) is what Python loaded. Nothing rewrites those files (sys.dont_write_bytecode after a resume)."""
    from importlib.util import source_hash

    found = {}
    for name, module in sys.modules.items():
        source, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
        if name.split(".")[0] != "pyscript" or not source or not cached:
            continue
        try:
            with open(cached, "rb") as file:
                head = file.read(16)
            with open(source, "rb") as file:
                found[name] = head[4:8] == b"\x03\0\0\0" and head[8:16] == source_hash(file.read())
        except OSError:
            found[name] = False
    return found


def install_test_hooks() -> None:
    window.jwtlensInspect = create_proxy(
        lambda text, key=None, now=None: jwtlens.inspect(text, key or None, now=now).to_json()
    )
    window.jwtlensProbe = create_proxy(_test_probe)
# --- end of test hooks ---------------------------------------------------------------------------------------
