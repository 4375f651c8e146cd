"""The page: read the inputs, call jwtlens, render the Report. No decoding logic lives here.

site/main.py (the PyScript script) calls start(document, window). This module is imported when the build makes the
memory snapshot, so its code is compiled and its tables built before any visitor arrives; that is why nothing at
module level may touch the browser (there is no `document` under Node), and every JS object arrives through start().

The Decode view is this module's ``Page``; the Encode view and key generation are ``jwtlens_encode``'s; the markup
(escaped HTML strings) is ``jwtlens_markup``'s. Everything from a token, key or input reaches the page either as
textContent or through that markup, which escapes every text and attribute value; the only other markup inserted is
the timeline SVG, which jwtlens builds with every piece of text XML-escaped.
"""

from __future__ import annotations

import importlib.util
import time
import traceback
from dataclasses import dataclass

from pyodide.ffi import create_proxy

from jwtlens import pyjwt_bridge

pyjwt_bridge.refuse_key_fetching()  # before anything imports PyJWT: the page never fetches keys

import jwtlens  # noqa: E402 - after the stand-in above
from jwtlens import encode, keygen, lint, timeline, verdict, weak  # noqa: E402
from jwtlens.report import Report  # noqa: E402
from jwtlens_encode import EncodeView  # noqa: E402
from jwtlens_markup import (  # noqa: E402
    VERDICT_WORDS,
    claim_row,
    finding_items,
    h,
    json_markup,
    pretty,
    problem_items,
    problem_offsets,
    raw_positions,
    token_layer,
    verdict_parts,
)
from jwtlens_slices import Slices  # noqa: E402

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
# PBES2 work left by inspect (Options.pbes2_inline_iterations) runs in slices of this many iterations per timer tick
# (about 10 ms each in the page), with a progress bar; the derived key is cached, so the next decode is immediate.
PBES2_SLICE = 2_000
# The coloured layer over the token box is drawn up to this size; beyond, the box shows its own (plain) text.
LAYER_LIMIT = 64 * 1024
# Claims tables show this many rows at first; a button shows the rest (100,000 claims took 9 s to lay out).
CLAIM_ROWS = 200
CLAIM_LABELS = ("Claim", "Value", "Meaning")
PARAM_LABELS = ("Parameter", "Value", "Meaning")

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
DECRYPTED_LABELS = {"locked": "Locked", "decrypted": "Decrypted", "failed": "Decryption failed"}
CONTENT_LABELS = {"JWT": "(a nested JWT)", "JSON": "(JSON claims)", "text": "(text, not JSON)",
                  "bytes": "(binary, shown as base64url)"}


_UNSET = object()  # an attribute never written by the page: whatever the markup says, the first write happens


@dataclass
class WeakDone:
    token: str  # the compact token the finished search ran on
    search: weak.WeakSecretSearch


class Page:
    """The page's state in one object: the browser's document and window, the elements looked up and what was last
    written to each (so unchanged parts are not touched again), the current Report, and the weak-secret search."""

    def __init__(self, document, window) -> None:
        self.document, self.window = document, window
        self.nodes: dict[str, object] = {}
        self.rendered: dict[str, object] = {}  # the HTML, text or attribute value last written to each element
        self.local_times: dict[float, str] = {}
        self.report: Report | None = None
        self.text = ""  # the token box's text of the current report
        self.select = 0  # which of the tokens found in the text is shown
        self.last_text: str | None = None
        self.renders = 0
        self.generation = 0  # advanced by each decode: timers and searches of older input stand down
        self.timer = None
        self.all_claims = False  # the visitor asked for every row of a long claims table
        self.weak = Slices(window)  # the weak-secret search
        self.weak_done: WeakDone | None = None
        self.pbes2 = Slices(window)  # a PBES2 password's key being derived
        self.local_time_format = window.Object.fromEntries([["timeZoneName", "short"]])  # Intl options
        self.decode_proxy = create_proxy(self.decode_now)  # JS callables for the timers
        self.render_proxy = create_proxy(self.render_later)
        self.encode = EncodeView(self)

    # -- writing to the page, only what changed --------------------------------------------------------------

    def el(self, node_id: str):
        """document.getElementById, remembered: each lookup is a round trip through the JS bridge."""
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
        if self.rendered.get(node_id + "/text") != text:
            self.rendered[node_id + "/text"] = text
            self.el(node_id).textContent = text

    def set_attr(self, node_id: str, name: str, value: str | None) -> None:
        if self.rendered.get(f"{node_id}/{name}", _UNSET) != value:  # None (remove) is a value too
            self.rendered[f"{node_id}/{name}"] = value
            if value is None:
                self.el(node_id).removeAttribute(name)
            else:
                self.el(node_id).setAttribute(name, value)

    def show_if(self, node_id: str, shown: bool) -> None:
        self.set_attr(node_id, "hidden", None if shown else "")

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

    # -- rendering the Report ------------------------------------------------------------------------------------

    def render(self, report: Report) -> None:
        token = report.token
        subject = token.layers()[-1] if token else None  # a decrypted JWE's nested JWT: what the claims are about
        self.set_attr("body", "data-empty", "" if report.verdict and report.verdict.verdict == "empty" else None)
        self.render_verdict(report)
        self.set_attr("status", "data-status", report.status)
        self.set_text("status", STATUS_LABELS.get(report.status, report.status))
        self.set_text("status-text", token.validity.message if token else (
            report.problems[0].message if report.problems else "Paste a token to decode it."))
        self.render_candidates(report)
        self.render_layer(report)
        self.render_problems(report)
        self.put("header", json_markup(token.header if token else None, token.header_text if token else None))
        self.put("payload", json_markup(subject.payload if subject else None,
                                        subject.payload_text if subject else None))
        self.set_text("payload-source", payload_source(token))
        self.render_encryption(token)
        self.render_claims(subject)
        self.render_signature(subject)
        self.render_findings(token)
        self.render_timeline(report)
        self.render_sd_jwt(report)
        self.render_pairs(report)
        if report.dpop is not None or (report.sd_jwt is not None and report.sd_jwt.key_binding is not None):
            self.set_attr("expectations", "open", "")  # their nonce, method and URL matter now (never closed for them)

    def render_verdict(self, report: Report) -> None:
        v = report.verdict or verdict.judge(report)
        self.set_attr("verdict", "data-verdict", v.verdict)
        self.set_attr("verdict", "data-tone", v.tone)
        self.put("verdict", h("span", VERDICT_WORDS[v.verdict], class_="verdict-word") + " "
                 + h("span", v.headline, id="verdict-headline"))
        self.put("verdict-parts", verdict_parts(v))

    def render_candidates(self, report: Report) -> None:
        many = len(report.candidates) > 1
        self.show_if("candidates", many)
        self.put("candidate-select", "".join(
            h("option", f"{c.index + 1}. {c.kind}{' ' + c.alg if c.alg else ''} from {c.source}: {c.token[:24]}...",
              value=str(c.index), selected="" if c.index == report.selected else None)
            for c in report.candidates) if many else "")

    def render_layer(self, report: Report) -> None:
        """The coloured copy of the token box's text drawn over it (textarea text is transparent then)."""
        drawn = len(self.text) <= LAYER_LIMIT and report.token is not None
        self.el("token-editor").classList.toggle("highlighted", drawn)
        self.put("token-layer", token_layer(self.text, report) if drawn else "")
        self.fit_token_box()

    def fit_token_box(self) -> None:
        """The box grows with its text (no scrollbar of its own), so the layer over it lines up."""
        box = self.el("token")
        if len(self.text) <= LAYER_LIMIT:
            box.style.height = "auto"
            box.style.height = f"{box.scrollHeight + 2}px"
        else:
            box.style.height = ""

    def problem_positions(self, report: Report) -> dict[int, int]:
        """Problem index (in the list shown) -> offset in the token box, for the problems that point at a place."""
        token = report.token
        if token is None or report.selected is None:
            return {}
        candidate = report.candidates[report.selected]
        places = raw_positions(self.text, candidate.start, candidate.end, candidate.token)
        if places == []:
            return {}
        shift = len(report.problems)
        return {shift + i: (candidate.start + off if places is None else places[off])
                for i, off in problem_offsets(token).items() if off < len(candidate.token)}

    def render_problems(self, report: Report) -> None:
        problems = report.problems + (report.token.problems if report.token else [])
        self.put("problems", problem_items(problems, self.problem_positions(report)))

    def render_claims(self, token) -> None:
        claims = token.claims if token else []
        shown = claims if self.all_claims else claims[:CLAIM_ROWS]
        self.put("claims-body", "".join(claim_row(c, self.when(c), CLAIM_LABELS) for c in shown))
        self.show_if("claims-more", len(shown) < len(claims))
        self.set_text("claims-all", f"Show all {len(claims):,} claims")
        self.put("header-params-body", "".join(
            claim_row(c, self.when(c), PARAM_LABELS) for c in (token.header_params if token else [])))
        self.set_text("lifetime", f"Lifetime (exp \u2212 iat): {token.validity.lifetime_text}"
                      if token and token.validity.lifetime_text else "")

    def when(self, claim) -> str:
        if claim.time is None:
            return ""
        local = self.local_time(claim.time.epoch)
        return h("div", class_="when", inner=(
            h("time", claim.time.utc, datetime=claim.time.utc)
            + (h("span", local, class_="local") if local else "")
            + h("span", claim.time.relative, class_="relative")))

    def render_signature(self, token) -> None:
        sig = token.signature if token else None
        verified = sig.verified if sig else "unchecked"
        self.set_attr("signature", "data-verified", verified)
        self.set_text("signature", VERIFIED_LABELS.get(verified, verified))
        self.set_text("alg", sig.alg if sig and sig.alg else "\u2013")
        self.set_text("signature-reason", sig.message if sig else "")
        key = sig.key if sig else None
        info, notes = [], []
        if key is not None:
            info = [key.description]
            if key.thumbprint:
                info.append(f"JWK thumbprint (RFC 7638): {key.thumbprint}")
            if key.private:
                info.append("A private key was pasted: only its public half is used, and it stays in this tab.")
            notes = [h("li", note) for note in key.notes]
        self.set_text("key-info", " \u00b7 ".join(info))
        if sig is not None:  # a problem that is the reason itself is said once, as the reason
            notes += [h("li", p.message + (f" {p.fix}" if p.fix else ""), class_="key-problem", data_code=p.code)
                      for p in sig.problems if p.message != sig.message]
        self.put("key-notes", "".join(notes))
        self.put("checks", "".join(h("li", c.message, data_claim=c.claim, data_ok="true" if c.ok else "false")
                                   for c in (sig.checks if sig else [])))
        self.put("tried", "".join(h("li", line) for line in (sig.tried if sig else [])))

    def render_findings(self, token) -> None:
        findings = sorted((f for layer in (token.layers() if token else []) for f in layer.findings),
                          key=lambda f: lint.SEVERITIES.index(f.severity))
        self.put("findings", finding_items(findings))
        if not findings:
            self.show_if("findings-summary", token is not None)
            self.set_attr("findings-summary", "data-severity", "none")
            self.set_text("findings-summary", "Security review: no findings. None of the checks below applies to "
                                              "this token.")
            return
        result = lint.summarize(findings)
        self.show_if("findings-summary", True)
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

    def render_encryption(self, token) -> None:
        """A JWE: its state, the key that opened it (or what was tried), the content, and a nested token."""
        jwe_token = token is not None and token.kind == "JWE"
        self.show_if("encryption-section", jwe_token)
        enc = token.encryption if jwe_token else None
        state = enc.decrypted if enc else "locked"
        # the second key box is asked for only while it may be needed: a JWE not yet open, or one holding a JWT
        self.show_if("inner-key-field", jwe_token and (state != "decrypted" or enc.content_type == "JWT"))
        if not jwe_token:
            return
        header = token.header if isinstance(token.header, dict) else {}
        self.set_attr("encryption", "data-decrypted", state)
        self.set_text("encryption", DECRYPTED_LABELS[state])
        self.set_text("jwe-alg", str(enc.alg if enc and enc.alg else header.get("alg", "\u2013")))
        self.set_text("jwe-enc", str(enc.enc if enc and enc.enc else header.get("enc", "\u2013")))
        self.set_text("encryption-reason", enc.message if enc else "Paste the recipient's private key, the shared "
                      "secret or the password into the key box to decrypt it. It stays in this tab.")
        self.set_text("encryption-key-info", enc.key.description if enc and enc.key else "")
        self.put("encryption-tried", "".join(h("li", line) for line in (enc.tried if enc else []))
                 + "".join(h("li", p.message + (f" {p.fix}" if p.fix else ""), class_="key-problem", data_code=p.code)
                           for p in (enc.problems if enc else [])))
        opened = enc is not None and state == "decrypted"
        self.show_if("decrypted-block", opened)
        if opened:
            text = enc.plaintext if enc.plaintext is not None else enc.plaintext_base64url or ""
            value = token.payload if enc.content_type == "JSON" else None
            self.put("decrypted", json_markup(value, text))
            self.set_text("decrypted-type", CONTENT_LABELS.get(enc.content_type or "", ""))
        inner = token.inner
        self.show_if("inner-block", inner is not None)
        if inner is not None:
            verified = inner.signature.verified
            self.set_attr("inner-signature", "data-verified", verified)
            self.set_text("inner-signature", VERIFIED_LABELS.get(verified, verified))
            self.set_text("inner-alg", inner.signature.alg or "\u2013")
            self.set_text("inner-signature-reason", inner.signature.message)
            self.put("inner-header", json_markup(inner.header, inner.header_text))

    # -- PBES2: a password's key derived in slices ------------------------------------------------------------------

    def start_pbes2(self, report: Report) -> None:
        """A PBES2 token with more iterations than inspect runs at once: derive the key a slice per timer tick, with
        progress, then decode again (the derived key is cached by the jwe package)."""
        self.pbes2.cancel()
        token = report.token
        enc = token.encryption if token is not None else None
        self.show_if("pbes2-progress", False)
        if enc is None or enc.pending is None:
            return
        from jwtlens import jwe  # loaded on first use, as inspect does

        work = jwe.pending_work(token, self.el("key").value, self.options())
        if work is None:
            return
        self.show_if("pbes2-progress", True)
        self.el("pbes2-progress").value = 0
        self.pbes2.start(lambda: self.pbes2_slice(work), self.decode_now)

    def pbes2_slice(self, work) -> bool:
        if work.step(PBES2_SLICE):
            return True
        self.el("pbes2-progress").value = work.progress
        self.set_text("encryption-reason", f"Deriving the key from the password: {work.progress:.0%} of "
                                           f"{work.p2c:,} PBKDF2 iterations\u2026")
        return False

    def render_sd_jwt(self, report: Report) -> None:
        sd = report.sd_jwt
        self.show_if("sd-jwt-section", sd is not None)
        if sd is None:
            return
        self.set_text("sd-jwt-summary", sd.summary)
        self.put("disclosures-body", "".join(_disclosure_row(d) for d in sd.disclosures))
        self.put("processed", json_markup(sd.payload, None) if sd.payload is not None else "")
        self.put("undisclosed", "".join(h("li", f"Not disclosed: a {u.kind} digest at {u.location} ({u.digest})")
                                        for u in sd.undisclosed))
        kb = sd.key_binding
        self.show_if("key-binding-block", kb is not None)
        if kb is not None:
            self.set_attr("key-binding", "data-verified", kb.signature.verified)
            self.set_text("key-binding", VERIFIED_LABELS.get(kb.signature.verified, kb.signature.verified))
            self.put("key-binding-checks", "".join(h("li", c.message, data_check=c.id, data_result=c.result)
                                                   for c in kb.checks))

    def render_pairs(self, report: Report) -> None:
        checks = (report.dpop.checks if report.dpop else []) + (report.pair.checks if report.pair else [])
        self.show_if("pair-section", bool(checks))
        hint = []
        if report.dpop is not None:
            hint.append("A DPoP proof" + (" and the access token sent with it" if report.dpop.ath else "")
                        + f": its key's thumbprint is {report.dpop.thumbprint or 'unknown'}.")
        if report.pair is not None:
            hint.append("An ID token with the access token or code issued beside it.")
        self.set_text("pair-hint", " ".join(hint))
        self.put("pair", "".join(h("li", c.message, data_check=c.id, data_result=c.result) for c in checks))

    # -- the weak-secret search ------------------------------------------------------------------------------------

    def start_weak_search(self, report: Report) -> None:
        """Try the bundled weak-secret list against an HMAC token, a chunk per timer tick.

        The answer depends on the token alone, so edits of the key or the options reuse the last search. A search
        belongs to the decode that started it (decode_now cancels it).
        """
        self.weak.cancel()
        token = report.token
        if token is None or not weak.should_search(token):
            self.set_text("weak-status", "")
            self.set_attr("body", "data-weak-search", "done")
            return
        done = self.weak_done
        if done is not None and done.token == token.token:
            self.finish_weak_search(done.search)
            return
        search = weak.WeakSecretSearch(token)
        size = len(search.target.signing_input)
        if size > WEAK_MAX_INPUT:
            self.set_text("weak-status", f"Weak-secret search skipped: this token is {size // 1024:,} KB, and each of "
                                         f"the {search.total:,} secrets would need a hash over all of it.")
            self.set_attr("body", "data-weak-search", "done")
            return
        self.set_text("weak-status", f"Trying {search.total:,} weak and well-known secrets against the signature\u2026")
        self.weak.start(lambda: self.weak_slice(search), lambda: self.weak_searched(search), WEAK_START_DELAY_MS)

    def weak_slice(self, search: weak.WeakSecretSearch) -> bool:
        per_slice = max(1, WEAK_SLICE_BYTES // (len(search.target.signing_input) + 64))
        deadline = time.perf_counter() + WEAK_BUDGET_S
        while not (done := search.step(per_slice)) and time.perf_counter() < deadline:
            pass
        if not done:
            self.set_text("weak-status", f"Trying weak secrets\u2026 {search.checked:,} of {search.total:,}")
        return done

    def weak_searched(self, search: weak.WeakSecretSearch) -> None:
        self.weak_done = WeakDone(self.report.token.token, search)
        self.finish_weak_search(search)

    def finish_weak_search(self, search) -> None:
        report = self.report
        token = report.token
        if search.found is not None and not any(f.rule == "hmac.weak-secret" for f in token.findings):
            weak.apply(report, search.found)  # the finding, and the signature verified with the secret
            self.render_signature(token)
            self.render_findings(token)
            self.render_verdict(report)
            self.set_text("weak-status", f"Weak secret found after {search.checked:,} tries.")
        elif search.found is None:
            self.set_text("weak-status", f"None of {search.total:,} weak and well-known secrets signed this token.")
        self.set_attr("body", "data-weak-search", "done")

    # -- decoding ----------------------------------------------------------------------------------------------------

    def read_float(self, node_id: str, default: float = 0.0) -> float:
        try:
            value = float(self.el(node_id).value or default)
        except ValueError:
            return default
        return value if value == value and 0 <= value < float("inf") else default  # NaN, negatives, inf fall back

    def options(self) -> jwtlens.Options:
        def text(node_id: str) -> str | None:
            return self.el(node_id).value.strip() or None

        return jwtlens.Options(
            leeway=self.read_float("leeway"), select=self.select, secret_format=self.el("secret-format").value,
            issuer=text("expect-iss"), audience=text("expect-aud"), nonce=text("expect-nonce"),
            method=text("expect-method"), url=text("expect-url"), inner_key=self.el("inner-key").value or None)

    def decode_now(self, *_args) -> None:
        self.timer = None
        text = self.el("token").value
        if text != self.last_text:
            self.select = 0
            self.all_claims = False
        self.last_text = text
        report = jwtlens.inspect(text, self.el("key").value or None, self.options())
        self.report, self.text = report, text
        self.generation += 1  # a render still scheduled is for older input, and so are these jobs:
        self.weak.cancel()
        self.pbes2.cancel()
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
        try:
            self.render(report)
            self.start_weak_search(report)
            self.start_pbes2(report)
        except Exception as exc:  # never leave the last token's results on screen under a new token's status
            self.render_failure(exc)
        self.renders += 1
        self.document.body.setAttribute("data-renders", str(self.renders))  # lets tests wait for a render

    def render_failure(self, exc: BaseException) -> None:
        traceback.print_exc()  # the console keeps the details for a bug report
        for node_id in ("header", "payload", "claims-body", "header-params-body", "timeline", "findings", "checks",
                        "key-notes", "tried", "verdict-parts", "token-layer", "problems", "decrypted", "inner-header",
                        "encryption-tried", "disclosures-body", "processed", "pair"):
            self.put(node_id, "")
        self.set_attr("verdict", "data-verdict", "malformed")
        self.set_attr("verdict", "data-tone", "fail")
        self.set_text("verdict", f"This input could not be shown ({type(exc).__name__}: {exc}). This is a bug in JWT "
                                 "Lens; nothing else on the page belongs to it.")
        self.set_text("weak-status", "")
        self.set_attr("body", "data-weak-search", "done")

    def schedule(self, *_args) -> None:
        if self.timer is not None:
            self.window.clearTimeout(self.timer)
            self.timer = None
        # textLength: no copy of a huge value through the bridge. A huge key (a JWKS of thousands of keys) waits too:
        # the browser's own layout of its paste is one long task, and the decode must not be added to it.
        if max(self.el("token").textLength, self.el("key").textLength) <= LARGE_INPUT:
            self.decode_now()  # at once: a timer hop would only add latency to a render that takes milliseconds
        else:
            self.timer = self.window.setTimeout(self.decode_proxy, LARGE_INPUT_DEBOUNCE_MS)

    # -- controls ----------------------------------------------------------------------------------------------------

    def on_candidate(self, *_args) -> None:
        self.select = int(self.el("candidate-select").value)
        self.decode_now()

    def on_sample(self, *_args) -> None:
        token, key = sample_token()
        self.el("token").value = token
        self.el("key").value = key
        self.el("secret-format").value = "auto"
        self.decode_now()
        self.el("token").focus()

    def on_clear(self, *_args) -> None:
        self.el("token").value = ""
        self.el("key").value = ""
        self.decode_now()
        self.el("token").focus()

    def on_all_claims(self, *_args) -> None:
        self.all_claims = True
        self.render_claims(self.report.token if self.report else None)

    def on_problem_click(self, event) -> None:
        """A problem's "Show in token" button, or a marked character: the caret goes there."""
        target = event.target.closest("[data-pos]")
        if target is None:
            return
        self.move_caret(int(target.getAttribute("data-pos")))

    def move_caret(self, pos: int) -> None:
        box = self.el("token")
        box.focus()
        box.setSelectionRange(pos, pos + 1)
        self.on_caret()

    def on_caret(self, *_args) -> None:
        """The problem at the caret, said beside the token box (where hovering shows it in a tooltip)."""
        report = self.report
        note = ""
        if report is not None and report.token is not None:
            caret = self.el("token").selectionStart
            problems = report.problems + report.token.problems
            for index, pos in self.problem_positions(report).items():
                if pos == caret or pos == caret - 1:
                    note = problems[index].message
                    break
        self.set_text("token-caret-note", note)

    def on_copy(self, event) -> None:
        which = event.currentTarget.getAttribute("data-copy")
        token = self.report.token if self.report else None
        if token is None:
            return
        value = token.header if which == "header" else token.payload
        raw = token.header_text if which == "header" else token.payload_text
        self.copy(pretty(value) if value is not None else (raw or ""), event.currentTarget)

    def copy(self, text: str, button) -> None:
        self.window.navigator.clipboard.writeText(text)
        label = button.textContent
        button.textContent = "Copied"
        self.window.setTimeout(create_proxy(lambda *_: setattr(button, "textContent", label)), 1200)

    def open_token(self, token: str, key: str, secret_format: str = "auto", inner_key: str = "") -> None:
        """Put a token and its keys into the Decode view and show it (the Encode view's "Open in Decode")."""
        self.el("token").value = token
        self.el("key").value = key
        self.el("inner-key").value = inner_key
        self.el("secret-format").value = secret_format
        self.switch_view("decode")
        self.decode_now()

    def switch_view(self, view: str) -> None:
        """The two tabs: the choice is kept in the URL fragment (#decode, #encode), never anything else."""
        for name in ("decode", "encode"):
            chosen = name == view
            tab = self.el(f"tab-{name}")
            tab.setAttribute("aria-selected", "true" if chosen else "false")
            tab.setAttribute("tabindex", "0" if chosen else "-1")
            self.show_if(f"view-{name}", chosen)
        self.set_attr("body", "data-view", view)
        if self.window.location.hash != f"#{view}":
            self.window.history.replaceState(None, "", f"#{view}")
        if view == "encode":
            self.encode.start()
            self.encode.refresh()

    def on_tab(self, event) -> None:
        self.switch_view(event.currentTarget.id.removeprefix("tab-"))

    def on_tab_key(self, event) -> None:
        """Arrow keys move between the tabs (the ARIA tabs pattern)."""
        if event.key in ("ArrowLeft", "ArrowRight", "Home", "End"):
            view = "encode" if self.el("body").getAttribute("data-view") == "decode" else "decode"
            self.switch_view(view)
            self.el(f"tab-{view}").focus()
            event.preventDefault()

    def on_hash(self, *_args) -> None:
        wanted = self.window.location.hash.removeprefix("#")
        if wanted in ("decode", "encode"):
            self.switch_view(wanted)

    def start(self) -> None:
        # Decode first: whatever was typed or pasted while Python was starting is what the visitor waits for. No input
        # event can run before the listeners below are in place (this all runs in one turn of the event loop).
        self.decode_now()
        listen = [
            ("token", "input", self.schedule), ("key", "input", self.schedule), ("leeway", "input", self.schedule),
            ("inner-key", "input", self.schedule),
            ("expect-iss", "input", self.schedule), ("expect-aud", "input", self.schedule),
            ("expect-nonce", "input", self.schedule), ("expect-method", "input", self.schedule),
            ("expect-url", "input", self.schedule), ("secret-format", "change", self.schedule),
            ("candidate-select", "change", self.on_candidate), ("sample", "click", self.on_sample),
            ("empty-sample", "click", self.on_sample), ("clear", "click", self.on_clear),
            ("claims-all", "click", self.on_all_claims), ("problems", "click", self.on_problem_click),
            ("token-layer", "click", self.on_problem_click), ("token", "keyup", self.on_caret),
            ("token", "click", self.on_caret), ("tab-decode", "click", self.on_tab),
            ("tab-encode", "click", self.on_tab), ("tab-decode", "keydown", self.on_tab_key),
            ("tab-encode", "keydown", self.on_tab_key),
        ]
        for node_id, event, handler in listen:
            self.el(node_id).addEventListener(event, create_proxy(handler))
        for button in self.document.querySelectorAll("button.copy"):
            button.addEventListener("click", create_proxy(self.on_copy))
        self.window.addEventListener("hashchange", create_proxy(self.on_hash))
        self.on_hash()
        self.el("runtime").textContent = "Python ready. Decoding happens in this tab."


def payload_source(token) -> str:
    if token is None or token.kind != "JWE":
        return ""
    enc = token.encryption
    if token.inner is not None:
        return "(of the nested JWT, decrypted)"
    if enc is not None and enc.decrypted == "decrypted":
        return "(decrypted)"
    return "(encrypted: add the key to read it)"


def _disclosure_row(d) -> str:
    name = "(array element)" if d.kind == "array" else str(d.name)
    value = pretty(d.value) if d.kind != "malformed" else d.text
    return h("tr", data_digest=d.digest or "", data_status=d.status, inner=(
        h("th", str(d.index), scope="row")
        + h("td", name, data_label="Claim")
        + h("td", inner=h("code", value if len(value) < 2048 else value[:2048] + "\u2026"), data_label="Value")
        + h("td", d.location or "\u2013", data_label="Where")
        + h("td", d.status, data_status=d.status, data_label="Status")
        + h("td", inner=h("code", d.digest or "\u2013") + h("div", f"salt {d.salt_bits or 0} bits", class_="hint"),
            data_label="Digest")))


def sample_token() -> tuple[str, str]:
    """A fresh ES256 token, valid for one hour, and its public key: both made in this tab (the sample verifies, and
    shows a signature checked with a key rather than a secret anybody could guess)."""
    now = int(time.time())
    key = keygen.generate("ES256")
    claims = dict(SAMPLE_CLAIMS, iat=now, nbf=now, exp=now + 3600)
    made = encode.encode('{"typ": "JWT"}', encode.compact_json(claims), "ES256", key, kid_from_key=True)
    return made.token or "", made.public_key or ""


def start(document, window) -> Page:
    """Wire the page up and decode whatever was typed or pasted while Python was starting."""
    page = Page(document, window)
    page.start()
    if importlib.util.find_spec("jwtlens_test_hooks") is not None:  # only in the test build's bundle
        import jwtlens_test_hooks

        jwtlens_test_hooks.install(window)
    document.body.setAttribute("data-state", "ready")
    return page
