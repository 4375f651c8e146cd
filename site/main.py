"""PyScript glue: read the inputs, call jwtlens.inspect, render the Report. No decoding logic lives here.

Everything from a token reaches the page through textContent or attribute values set from Python, never through
innerHTML, so hostile claim values stay text. The only markup inserted is the timeline SVG, which jwtlens builds
with every piece of text XML-escaped.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass

from pyodide.ffi import create_proxy
from pyscript import document, window

sys.path.insert(0, os.path.abspath("jwtlens-bundle.zip"))

import jwtlens  # noqa: E402 - the bundle must be on sys.path first
from jwtlens import lint, timeline, weak  # noqa: E402
from jwtlens.report import Report  # noqa: E402

SAMPLE_CLAIMS = {
    "iss": "https://issuer.example.com",
    "sub": "248289761001",
    "aud": "jwtlens-demo",
    "name": "Jane Doe",
    "email": "jane@example.com",
    "scope": "openid profile",
}
# The weak-secret search runs after the first render, in chunks, so typing never waits for it.
WEAK_CHUNK = 1500
# Typing is decoded at once for normal tokens; very large input waits for a pause so keystrokes stay fluid.
LARGE_INPUT = 64 * 1024
HIGHLIGHT_LIMIT = 256 * 1024
JSON_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)'
    r"|(?P<lit>\btrue\b|\bfalse\b|\bnull\b)"
)

el = document.getElementById
state = {
    "timer": None, "report": None, "select": 0, "last_text": None, "renders": 0,
    "search": None, "generation": 0, "weak_done": None,
}


@dataclass
class WeakDone:
    token: str  # the compact token the finished search ran on
    search: weak.WeakSecretSearch



def text_node(tag: str, text: str = "", cls: str | None = None):
    node = document.createElement(tag)
    node.textContent = text
    if cls:
        node.className = cls
    return node


def clear(node) -> None:
    node.replaceChildren()


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def render_json(target, value, raw: str | None) -> None:
    """Pretty JSON with syntax colors; textContent stays exactly the pretty-printed JSON."""
    clear(target)
    if value is None and raw is None:
        return
    if value is None:
        target.textContent = raw
        target.classList.add("raw")
        return
    target.classList.remove("raw")
    text = pretty(value)
    if len(text) > HIGHLIGHT_LIMIT:
        target.textContent = text
        return
    frag = document.createDocumentFragment()
    pos = 0
    for m in JSON_TOKEN.finditer(text):
        if m.start() > pos:
            frag.append(text[pos:m.start()])
        frag.append(text_node("span", m.group(0), "j-" + m.lastgroup))
        pos = m.end()
    if pos < len(text):
        frag.append(text[pos:])
    target.append(frag)


def local_time(epoch: float) -> str:
    try:
        date = window.Date.new(epoch * 1000)
        return str(date.toLocaleString(window.undefined, {"timeZoneName": "short"}))
    except Exception:  # a Date the browser cannot show (out of its range) is simply not shown
        return ""


def value_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render_claim_rows(table, claims) -> None:
    body = table.querySelector("tbody")
    clear(body)
    for claim in claims:
        row = document.createElement("tr")
        row.setAttribute("data-claim", claim.name)
        row.append(text_node("th", claim.name))
        row.lastChild.setAttribute("scope", "row")
        cell = document.createElement("td")
        cell.append(text_node("code", value_text(claim.value)))
        if claim.time is not None:
            when = document.createElement("div")
            when.className = "when"
            stamp = text_node("time", claim.time.utc)
            stamp.setAttribute("datetime", claim.time.utc)
            when.append(stamp)
            local = local_time(claim.time.epoch)
            if local:
                when.append(text_node("span", local, "local"))
            when.append(text_node("span", claim.time.relative, "relative"))
            cell.append(when)
        row.append(cell)
        meaning = claim.description or ""
        if claim.spec:
            meaning = f"{meaning} ({claim.spec})" if meaning else claim.spec
        row.append(text_node("td", meaning, None if claim.description else "unknown"))
        body.append(row)


def render_encoded(token) -> None:
    target = el("encoded")
    clear(target)
    if token is None:
        target.hidden = True
        return
    target.hidden = False
    pos = 0
    for index, seg in enumerate(token.segments):
        if seg.start > pos:
            target.append(token.token[pos:seg.start])
        span = text_node("span", seg.text, f"seg seg-{seg.name} seg-{index}")
        span.title = seg.name
        target.append(span)
        pos = seg.start + len(seg.text)
    if pos < len(token.token):
        target.append(token.token[pos:])


def render_problems(problems) -> None:
    target = el("problems")
    clear(target)
    for p in problems:
        item = document.createElement("li")
        item.setAttribute("data-code", p.code)
        item.setAttribute("data-level", p.level)
        if p.segment:
            item.setAttribute("data-segment", p.segment)
        item.append(text_node("span", p.message, "message"))
        if p.fix:
            item.append(text_node("span", p.fix, "fix"))
        target.append(item)


def render_candidates(report: Report) -> None:
    box = el("candidates")
    select = el("candidate-select")
    if len(report.candidates) < 2:
        box.hidden = True
        clear(select)
        return
    box.hidden = False
    clear(select)
    for c in report.candidates:
        label = f"{c.index + 1}. {c.kind}{' ' + c.alg if c.alg else ''} from {c.source}: {c.token[:24]}..."
        option = text_node("option", label)
        option.value = str(c.index)
        if c.index == report.selected:
            option.selected = True
        select.append(option)


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
    badge = el("signature")
    verified = sig.verified if sig else "unchecked"
    badge.setAttribute("data-verified", verified)
    badge.textContent = VERIFIED_LABELS.get(verified, verified)
    el("alg").textContent = (sig.alg if sig and sig.alg else "\u2013")
    el("signature-reason").textContent = sig.message if sig else ""
    key = sig.key if sig else None
    info = el("key-info")
    info.textContent = ""
    notes = el("key-notes")
    clear(notes)
    if key is not None:
        parts = [key.description]
        if key.thumbprint:
            parts.append(f"JWK thumbprint (RFC 7638): {key.thumbprint}")
        if key.private:
            parts.append("A private key was pasted: only its public half is used, and it stays in this tab.")
        info.textContent = " \u00b7 ".join(parts)
        for note in key.notes:
            notes.append(text_node("li", note))
    if sig is not None:
        for p in sig.problems:
            item = text_node("li", p.message + (f" {p.fix}" if p.fix else ""), "key-problem")
            item.setAttribute("data-code", p.code)
            notes.append(item)
    checks = el("checks")
    clear(checks)
    for check in (sig.checks if sig else []):
        item = text_node("li", check.message)
        item.setAttribute("data-claim", check.claim)
        item.setAttribute("data-ok", "true" if check.ok else "false")
        checks.append(item)
    tried = el("tried")
    clear(tried)
    for line in (sig.tried if sig else []):
        tried.append(text_node("li", line))


def render_findings(token) -> None:
    target = el("findings")
    clear(target)
    findings = token.findings if token else []
    for f in findings:
        item = document.createElement("li")
        item.setAttribute("data-rule", f.rule)
        item.setAttribute("data-severity", f.severity)
        item.append(text_node("span", f.severity, "sev"))
        item.append(text_node("strong", f.title))
        item.append(text_node("p", f.risk, "risk"))
        item.append(text_node("p", "Fix: " + f.fix, "fix"))
        item.append(text_node("p", f.reference + (f" \u00b7 {f.where}" if f.where else ""), "ref"))
        target.append(item)
    summary = el("findings-summary")
    if not findings:
        summary.hidden = True
        summary.setAttribute("data-severity", "none")
        return
    result = lint.summarize(findings)
    summary.hidden = False
    summary.setAttribute("data-severity", result["highest"])
    summary.textContent = f"Security review: {result['text']}."


def render_timeline(report: Report) -> None:
    target = el("timeline")
    line = timeline.build_timeline(report.token, report.now) if report.token else None
    if line is None:
        target.innerHTML = ""
        return
    # render_svg escapes every piece of text it puts in the markup (tested in test_timeline.py)
    target.innerHTML = timeline.render_svg(line, id_prefix="tl")
    target.append(text_node("p", timeline.timeline_text(line), "sr-only"))


def start_weak_search(report: Report) -> None:
    """Try the bundled weak-secret list against an HMAC token, a chunk per timer tick.

    The answer depends on the token alone, so edits of the key or the options reuse the last search.
    """
    state["generation"] += 1
    state["search"] = None
    token = report.token
    if token is None or not weak.should_search(token):
        el("weak-status").textContent = ""
        document.body.setAttribute("data-weak-search", "done")
        return
    done = state["weak_done"]
    if done is not None and done.token == token.token:
        finish_weak_search(done.search)
        return
    search = weak.WeakSecretSearch(token)
    state["search"] = (state["generation"], search)
    el("weak-status").textContent = f"Trying {search.total:,} weak and well-known secrets against the signature\u2026"
    window.setTimeout(weak_step_proxy, 0)


def weak_step(*_args) -> None:
    if state["search"] is None:
        return
    generation, search = state["search"]
    if generation != state["generation"]:
        return
    if not search.step(WEAK_CHUNK):
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
    document.body.setAttribute("data-weak-search", "done")


def render(report: Report) -> None:
    token = report.token
    status = el("status")
    status.setAttribute("data-status", report.status)
    status.textContent = STATUS_LABELS.get(report.status, report.status)
    el("status-text").textContent = token.validity.message if token else (
        report.problems[0].message if report.problems else "Paste a token to decode it."
    )
    render_candidates(report)
    render_encoded(token)
    render_problems(report.problems + (token.problems if token else []))
    render_json(el("header"), token.header if token else None, token.header_text if token else None)
    render_json(el("payload"), token.payload if token else None, token.payload_text if token else None)
    render_claim_rows(el("claims"), token.claims if token else [])
    render_claim_rows(el("header-params"), token.header_params if token else [])
    lifetime = el("lifetime")
    lifetime.textContent = (
        f"Lifetime (exp \u2212 iat): {token.validity.lifetime_text}" if token and token.validity.lifetime_text else ""
    )
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
    document.body.setAttribute("data-weak-search", "pending")
    render(report)
    start_weak_search(report)
    state["renders"] += 1
    document.body.setAttribute("data-renders", str(state["renders"]))  # lets tests wait for a render


def schedule(*_args) -> None:
    if state["timer"] is not None:
        window.clearTimeout(state["timer"])
    delay = 150 if len(el("token").value) > LARGE_INPUT else 0
    state["timer"] = window.setTimeout(decode_proxy, delay)


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
    import time

    import jwt

    now = int(time.time())
    claims = dict(SAMPLE_CLAIMS, iat=now, nbf=now, exp=now + 3600)
    return jwt.encode(claims, "your-256-bit-secret", algorithm="HS256", headers={"typ": "JWT"})


decode_proxy = create_proxy(decode_now)
weak_step_proxy = create_proxy(weak_step)


def start() -> None:
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
    decode_now()  # whatever was typed or pasted while Python was starting
    runtime = el("runtime")
    runtime.textContent = "Python ready. Decoding happens in this tab."
    document.body.setAttribute("data-state", "ready")


try:
    start()
except Exception as exc:  # a start-up failure is shown in the page, never only in the console
    window.jwtlensFail(f"{type(exc).__name__}: {exc}")
    raise


# --- Test hooks (tests/test_e2e_boot.py, tests/test_e2e_offline.py) -------------------------------------------
# jwtlensInspect: the Report for a text, as JSON, so tests can compare the snapshot and the plain boot.
# jwtlensProbe: this tab's random state and time zone as Python sees them, so tests can check that a resumed
# snapshot shares neither with the build machine nor with another page load. Neither reads the page's inputs.
def _test_probe() -> str:
    import random
    import secrets
    import time

    return json.dumps({
        "random": random.random(),
        "token_hex": secrets.token_hex(16),
        "urandom": os.urandom(16).hex(),
        "tz": [time.timezone, time.altzone, time.daylight, list(time.tzname),
               time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(1_800_000_000))],
    })


window.jwtlensInspect = create_proxy(
    lambda text, key=None, now=None: jwtlens.inspect(text, key or None, now=now).to_json()
)
window.jwtlensProbe = create_proxy(_test_probe)
# --- end of test hooks ---------------------------------------------------------------------------------------
