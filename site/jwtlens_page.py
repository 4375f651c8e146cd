"""The page: read the inputs, call jwtlens.inspect, render the Report. No decoding logic lives here.

site/main.py (the PyScript script) calls start(document, window). This module is imported when the build makes the
memory snapshot, so its code is compiled and its tables built before any visitor arrives; that is why nothing at
module level may touch the browser (there is no `document` under Node), and every JS object arrives through start().

Everything from a token, key or input reaches the page either as textContent or through h(), which HTML-escapes
every text and attribute value it writes, so hostile claim values stay text. The only other markup inserted is
the timeline SVG, which jwtlens builds with every piece of text XML-escaped.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
from dataclasses import dataclass
from html import escape

from pyodide.ffi import create_proxy

from jwtlens import pyjwt_bridge

pyjwt_bridge.refuse_key_fetching()  # before anything imports PyJWT: the page never fetches keys

import jwtlens  # noqa: E402 - after the stand-in above
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


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


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


def value_text(value) -> str:
    """A claim's value for the claims table. A very long one is cut (the JSON view above holds all of it): a table
    cell sizes itself to its content, and laying out a 768 KB value there took 150 ms."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > CLAIM_VALUE_LIMIT:
        return f"{text[:CLAIM_VALUE_LIMIT]}\u2026 ({len(text) - CLAIM_VALUE_LIMIT:,} more characters)"
    return text


def sample_token() -> str:
    """A fresh HS256 token (secret "your-256-bit-secret", a documented example) valid for one hour."""
    import jwt

    now = int(time.time())
    claims = dict(SAMPLE_CLAIMS, iat=now, nbf=now, exp=now + 3600)
    return jwt.encode(claims, "your-256-bit-secret", algorithm="HS256", headers={"typ": "JWT"})


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


class Page:
    """The page's state in one object: the browser's document and window, the elements looked up and what was last
    written to each (so unchanged parts are not touched again), the current Report, and the weak-secret search."""

    def __init__(self, document, window) -> None:
        self.document, self.window = document, window
        self.nodes: dict[str, object] = {}
        self.rendered: dict[str, object] = {}  # the HTML, text or attribute value last written to each element
        self.local_times: dict[float, str] = {}
        self.json_markup: dict[str, tuple[str, str]] = {}  # per JSON view: the decoded text last shown and its markup
        self.report: Report | None = None
        self.select = 0  # which of the tokens found in the text is shown
        self.last_text: str | None = None
        self.renders = 0
        self.generation = 0  # advanced by each decode: timers and searches of older input stand down
        self.timer = None
        self.search: tuple[int, weak.WeakSecretSearch] | None = None
        self.weak_done: WeakDone | None = None
        self.local_time_format = window.Object.fromEntries([["timeZoneName", "short"]])  # Intl options
        self.decode_proxy = create_proxy(self.decode_now)  # JS callables for the timers
        self.render_proxy = create_proxy(self.render_later)
        self.weak_step_proxy = create_proxy(self.weak_step)

    def el(self, node_id: str):
        """self.document.getElementById, remembered: each lookup is a round trip through the JS bridge."""
        node = self.nodes.get(node_id)
        if node is None:
            document = self.document
            node = self.nodes[node_id] = document.body if node_id == "body" else document.getElementById(node_id)
        return node

    def put(self, node_id: str, markup: str) -> None:
        """Set a container's HTML, skipping the DOM when it is unchanged (editing the key leaves the JSON as it is)."""
        if self.rendered.get(node_id) != markup:
            self.rendered[node_id] = markup
            self.el(node_id).innerHTML = markup

    def set_text(self, node_id: str, text: str) -> None:
        """textContent, written only when it changed: most of the page stays the same from one keystroke to the next."""
        if self.rendered.get(node_id + "/text") != text:
            self.rendered[node_id + "/text"] = text
            self.el(node_id).textContent = text

    def set_attr(self, node_id: str, name: str, value: str) -> None:
        if self.rendered.get(f"{node_id}/{name}") != value:
            self.rendered[f"{node_id}/{name}"] = value
            self.el(node_id).setAttribute(name, value)

    def render_json(self, node_id: str, value, raw: str | None) -> None:
        """Pretty JSON with syntax colors; textContent stays exactly the pretty-printed JSON."""
        is_raw = value is None and raw is not None
        if self.rendered.get(node_id + "/raw") != is_raw:
            self.rendered[node_id + "/raw"] = is_raw
            self.el(node_id).classList.toggle("raw", is_raw)
        if value is not None and raw is not None and self.json_markup.get(node_id, (None, ""))[0] == raw:
            # the same decoded text as last time (typing in another segment): the same markup
            self.put(node_id, self.json_markup[node_id][1])
            return
        if value is None:
            raw = raw or ""
            self.put(node_id, chunked(raw, highlight=False) if len(raw) > CHUNKED_JSON else escape(raw))
            return
        text = pretty(value)
        big = len(text) > CHUNKED_JSON
        markup = chunked(text, highlight=len(text) <= HIGHLIGHT_LIMIT) if big else highlight_json(text)
        if raw is not None:
            self.json_markup[node_id] = (raw, markup)
        self.put(node_id, markup)

    def local_time(self, epoch: float) -> str:
        if epoch not in self.local_times:  # the browser formats it (Python in the page has no idea of the local zone)
            if len(self.local_times) > 256:  # editing a time claim makes a new epoch per keystroke
                self.local_times.clear()
            try:
                date = self.window.Date.new(epoch * 1000)
                self.local_times[epoch] = str(date.toLocaleString(self.window.undefined, self.local_time_format))
            except Exception:  # a Date the browser cannot show (out of its range) is simply not shown
                self.local_times[epoch] = ""
        return self.local_times[epoch]

    def render_claim_rows(self, table_id: str, claims) -> None:
        rows = []
        for claim in claims:
            when = ""
            if claim.time is not None:
                local = self.local_time(claim.time.epoch)
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
        self.put(table_id + "-body", "".join(rows))

    def render_encoded(self, token) -> None:
        self.el("encoded").hidden = token is None
        if token is None:
            self.put("encoded", "")
            return
        parts = []
        pos = 0
        for index, seg in enumerate(token.segments):
            parts.append(escape(token.token[pos:seg.start]))
            text = seg.text
            if len(text) > ENCODED_SEGMENT_LIMIT:  # the textarea holds it all; a second full copy only costs layout
                more = len(seg.text) - ENCODED_SEGMENT_LIMIT
                text = f"{text[:ENCODED_SEGMENT_LIMIT]}\u2026 ({more:,} more characters)"
            parts.append(h("span", text, class_=f"seg seg-{seg.name} seg-{index}", title=seg.name))
            pos = seg.start + len(seg.text)
        parts.append(escape(token.token[pos:]))
        self.put("encoded", "".join(parts))

    def render_problems(self, problems) -> None:
        self.put("problems", "".join(
            h("li", data_code=p.code, data_level=p.level, data_segment=p.segment or None, inner=(
                h("span", p.message, class_="message") + (h("span", p.fix, class_="fix") if p.fix else "")
            ))
            for p in problems
        ))

    def render_candidates(self, report: Report) -> None:
        self.el("candidates").hidden = len(report.candidates) < 2
        if len(report.candidates) < 2:
            self.put("candidate-select", "")
            return
        self.put("candidate-select", "".join(
            h("option", f"{c.index + 1}. {c.kind}{' ' + c.alg if c.alg else ''} from {c.source}: {c.token[:24]}...",
              value=str(c.index), selected="" if c.index == report.selected else None)
            for c in report.candidates
        ))


    def render_signature(self, token) -> None:
        sig = token.signature if token else None
        verified = sig.verified if sig else "unchecked"
        self.set_attr("signature", "data-verified", verified)
        self.set_text("signature", VERIFIED_LABELS.get(verified, verified))
        self.set_text("alg", sig.alg if sig and sig.alg else "\u2013")
        self.set_text("signature-reason", sig.message if sig else "")
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
        self.set_text("key-info", " \u00b7 ".join(info))
        if sig is not None:
            notes += [h("li", p.message + (f" {p.fix}" if p.fix else ""), class_="key-problem", data_code=p.code)
                      for p in sig.problems]
        self.put("key-notes", "".join(notes))
        self.put("checks", "".join(
            h("li", c.message, data_claim=c.claim, data_ok="true" if c.ok else "false")
            for c in (sig.checks if sig else [])
        ))
        self.put("tried", "".join(h("li", line) for line in (sig.tried if sig else [])))

    def render_findings(self, token) -> None:
        findings = token.findings if token else []
        self.put("findings", "".join(
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
            self.el("findings-summary").hidden = True
            self.set_attr("findings-summary", "data-severity", "none")
            return
        result = lint.summarize(findings)
        self.el("findings-summary").hidden = False
        self.set_attr("findings-summary", "data-severity", result["highest"])
        self.set_text("findings-summary", f"Security review: {result['text']}.")

    def render_timeline(self, report: Report) -> None:
        line = timeline.build_timeline(report.token, report.now) if report.token else None
        if line is None:
            self.put("timeline", "")
            return
        # render_svg escapes every piece of text it puts in the markup (tested in test_timeline.py)
        self.put("timeline", timeline.render_svg(line, id_prefix="tl")
                 + h("p", timeline.timeline_text(line), class_="sr-only"))

    def start_weak_search(self, report: Report) -> None:
        """Try the bundled weak-secret list against an HMAC token, a chunk per timer tick.

        The answer depends on the token alone, so edits of the key or the options reuse the last search. A search
        belongs to the decode that started it (self.generation, advanced by decode_now).
        """
        self.search = None
        token = report.token
        if token is None or not weak.should_search(token):
            self.el("weak-status").textContent = ""
            self.set_attr("body", "data-weak-search", "done")
            return
        done = self.weak_done
        if done is not None and done.token == token.token:
            self.finish_weak_search(done.search)
            return
        search = weak.WeakSecretSearch(token)
        size = len(search.target.signing_input)
        if size > WEAK_MAX_INPUT:
            self.el("weak-status").textContent = (
                f"Weak-secret search skipped: this token is {size // 1024:,} KB, and each of the "
                f"{search.total:,} secrets would need a hash over all of it."
            )
            self.set_attr("body", "data-weak-search", "done")
            return
        self.search = (self.generation, search)
        self.el("weak-status").textContent = (f"Trying {search.total:,} weak and well-known secrets against the "
                                              "signature\u2026")
        self.window.setTimeout(self.weak_step_proxy, WEAK_START_DELAY_MS)

    def weak_step(self, *_args) -> None:
        if self.search is None:
            return
        generation, search = self.search
        if generation != self.generation:
            return
        per_slice = max(1, WEAK_SLICE_BYTES // (len(search.target.signing_input) + 64))
        deadline = time.perf_counter() + WEAK_BUDGET_S
        while not (done := search.step(per_slice)) and time.perf_counter() < deadline:
            pass
        if not done:
            self.el("weak-status").textContent = f"Trying weak secrets\u2026 {search.checked:,} of {search.total:,}"
            self.window.setTimeout(self.weak_step_proxy, 0)
            return
        self.search = None
        self.weak_done = WeakDone(self.report.token.token, search)
        self.finish_weak_search(search)

    def finish_weak_search(self, search) -> None:
        token = self.report.token
        status = self.el("weak-status")
        if search.found is not None and not any(f.rule == "hmac.weak-secret" for f in token.findings):
            weak.apply(self.report, search.found)  # the finding, and the signature verified with the secret
            self.render_signature(token)
            self.render_findings(token)
            status.textContent = f"Weak secret found after {search.checked:,} tries."
        else:
            status.textContent = f"None of {search.total:,} weak and well-known secrets signed this token."
        self.set_attr("body", "data-weak-search", "done")

    def render(self, report: Report) -> None:
        token = report.token
        self.set_attr("status", "data-status", report.status)
        self.set_text("status", STATUS_LABELS.get(report.status, report.status))
        self.set_text("status-text", token.validity.message if token else (
            report.problems[0].message if report.problems else "Paste a token to decode it."
        ))
        self.render_candidates(report)
        self.render_encoded(token)
        self.render_problems(report.problems + (token.problems if token else []))
        self.render_json("header", token.header if token else None, token.header_text if token else None)
        self.render_json("payload", token.payload if token else None, token.payload_text if token else None)
        self.render_claim_rows("claims", token.claims if token else [])
        self.render_claim_rows("header-params", token.header_params if token else [])
        self.set_text("lifetime", (
            f"Lifetime (exp \u2212 iat): {token.validity.lifetime_text}"
            if token and token.validity.lifetime_text else ""
        ))
        self.render_signature(token)
        self.render_findings(token)
        self.render_timeline(report)

    def read_float(self, node_id: str, default: float = 0.0) -> float:
        try:
            value = float(self.el(node_id).value or default)
        except ValueError:
            return default
        return value if value == value and value >= 0 else default  # NaN and negatives fall back

    def decode_now(self, *_args) -> None:
        self.timer = None
        text = self.el("token").value
        if text != self.last_text:
            self.select = 0
        self.last_text = text
        options = jwtlens.Options(
            leeway=self.read_float("leeway"),
            select=self.select,
            secret_format=self.el("secret-format").value,
            issuer=self.el("expect-iss").value.strip() or None,
            audience=self.el("expect-aud").value.strip() or None,
        )
        report = jwtlens.inspect(text, self.el("key").value or None, options)
        self.report = report
        self.generation += 1  # any weak-secret search or render still scheduled is for older input
        if len(text) > LARGE_INPUT:
            # Decoding and rendering a huge token each take tens of milliseconds: two tasks, so input waits for neither.
            self.window.setTimeout(self.render_proxy, 0, self.generation)
            return
        self.show(report)

    def render_later(self, generation: int) -> None:
        if generation == self.generation:
            self.show(self.report)

    def show(self, report: Report) -> None:
        self.set_attr("body", "data-weak-search", "pending")
        self.render(report)
        self.start_weak_search(report)
        self.renders += 1
        self.document.body.setAttribute("data-renders", str(self.renders))  # lets tests wait for a render

    def schedule(self, *_args) -> None:
        if self.timer is not None:
            self.window.clearTimeout(self.timer)
            self.timer = None
        if self.el("token").textLength <= LARGE_INPUT:  # textLength: no copy of a huge value through the bridge
            self.decode_now()  # at once: a timer hop would only add latency to a render that takes milliseconds
        else:
            self.timer = self.window.setTimeout(self.decode_proxy, LARGE_INPUT_DEBOUNCE_MS)

    def on_candidate(self, *_args) -> None:
        self.select = int(self.el("candidate-select").value)
        self.decode_now()

    def on_sample(self, *_args) -> None:
        self.el("token").value = sample_token()
        self.decode_now()
        self.el("token").focus()

    def on_clear(self, *_args) -> None:
        self.el("token").value = ""
        self.el("key").value = ""
        self.decode_now()
        self.el("token").focus()

    def on_copy(self, event) -> None:
        which = event.currentTarget.getAttribute("data-copy")
        token = self.report.token if self.report else None
        if token is None:
            return
        value = token.header if which == "header" else token.payload
        raw = token.header_text if which == "header" else token.payload_text
        text = pretty(value) if value is not None else (raw or "")
        button = event.currentTarget
        self.window.navigator.clipboard.writeText(text)
        button.textContent = "Copied"
        self.window.setTimeout(create_proxy(lambda *_: setattr(button, "textContent", "Copy")), 1200)

    def start(self) -> None:
        # Decode first: whatever was typed or pasted while Python was starting is what the visitor waits for. No input
        # event can run before the listeners below are in place (this all runs in one turn of the event loop).
        self.decode_now()
        listen = [
            ("token", "input", self.schedule),
            ("key", "input", self.schedule),
            ("leeway", "input", self.schedule),
            ("expect-iss", "input", self.schedule),
            ("expect-aud", "input", self.schedule),
            ("secret-format", "change", self.schedule),
            ("candidate-select", "change", self.on_candidate),
            ("sample", "click", self.on_sample),
            ("clear", "click", self.on_clear),
        ]
        for node_id, event, handler in listen:
            self.el(node_id).addEventListener(event, create_proxy(handler))
        for button in self.document.querySelectorAll("button.copy"):
            button.addEventListener("click", create_proxy(self.on_copy))
        self.el("runtime").textContent = "Python ready. Decoding happens in this tab."


def start(document, window) -> Page:
    """Wire the page up and decode whatever was typed or pasted while Python was starting."""
    page = Page(document, window)
    page.start()
    if importlib.util.find_spec("jwtlens_test_hooks") is not None:  # only in the test build's bundle
        import jwtlens_test_hooks

        jwtlens_test_hooks.install(window)
    document.body.setAttribute("data-state", "ready")
    return page
