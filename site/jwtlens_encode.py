"""The Encode view: create and sign a token as you type (jwtlens.encode), and generate keys (jwtlens.keygen and
jwtlens.export), all in the tab. Nothing here signs a token of the Decode view unless the visitor presses the button
that says so ("Copy from Decode"); editing in Decode never re-signs anything.

RSA keys are made in slices of about 16 ms (keygen.generate_steps), with a progress bar, so the tab stays
responsive: pure-Python RSA-2048 takes about 0.7 s in the page (median of 10, bench/sign.py), well under the 2 s
that would have called for the browser's WebCrypto, and keeps one implementation for the page and the command line.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import TYPE_CHECKING

from pyodide.ffi import create_proxy

from jwtlens import encode, export, jwa, jwe, keygen, keys
from jwtlens_markup import encoded_token, h, problem_items
from jwtlens_slices import Slices

if TYPE_CHECKING:
    from jwtlens_page import Page

# Algorithms offered for signing: every JWS row the verifier supports, and none (refused unless allowed)
SIGN_ALGS = sorted(a for a in jwa.JWS_ALGS if a != "none") + ["none"]
# Keys offered: (value, label, alg, RSA bits, curve)
KEY_KINDS = (
    ("HS256", "HMAC secret for HS256 (32 bytes)", "HS256", None, None),
    ("HS384", "HMAC secret for HS384 (48 bytes)", "HS384", None, None),
    ("HS512", "HMAC secret for HS512 (64 bytes)", "HS512", None, None),
    ("RSA-2048", "RSA 2048 (RS256, PS256, ...)", "RS256", 2048, None),
    ("RSA-3072", "RSA 3072", "RS256", 3072, None),
    ("RSA-4096", "RSA 4096 (slow: seconds)", "RS256", 4096, None),
    ("ES256", "EC P-256 (ES256)", "ES256", None, None),
    ("ES384", "EC P-384 (ES384)", "ES384", None, None),
    ("ES512", "EC P-521 (ES512)", "ES512", None, None),
    ("ES256K", "EC secp256k1 (ES256K)", "ES256K", None, None),
    ("Ed25519", "Ed25519 (EdDSA)", "EdDSA", None, "Ed25519"),
    ("Ed448", "Ed448 (EdDSA)", "EdDSA", None, "Ed448"),
)
KEYGEN_SLICE_S = 0.016
# "Sign, then encrypt": the JWE algorithms offered, and their defaults
JWE_ALGS = sorted(jwa.JWE_ALGS)
JWE_ENCS = sorted(jwa.JWE_ENCS)
DEFAULT_JWE = ("RSA-OAEP-256", "A256GCM")
PBES2_SLICE = 2_000  # PBKDF2 iterations per timer tick (about 10 ms in the page)
OUTPUTS = {"keygen-private": ("pkcs8", "secret-b64url"), "keygen-public": ("spki", None),
           "keygen-jwk-private": ("jwk-private", "jwk-oct"), "keygen-jwk-public": ("jwk-public", None),
           "keygen-jwks": ("jwks", None)}


class EncodeView:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.result: encode.EncodeResult | None = None
        self.generated: keys.LoadedKey | None = None
        self.generated_kind: tuple | None = None
        self.keygen = Slices(page.window)  # an RSA key being searched
        self.made: keys.LoadedKey | None = None  # what the search found
        self.jwe_token: str | None = None  # the signed token encrypted, when "Sign, then encrypt" is on
        # PBES2: one salt per password and alg in this view, so a key derived once (in slices, seconds) serves every
        # token made while typing; each token still gets its own random content key and IV.
        self.salts: dict[tuple[str, str], bytes] = {}
        self.pbes2 = Slices(page.window)  # a PBES2 password's key being derived
        self.started = False

    def el(self, node_id: str):
        return self.page.el(node_id)

    def start(self) -> None:
        """Fill the view's lists and wire it up, the first time it is shown (Page.switch_view): 23 ms that a visit
        to Decode alone, and the first decode, need not wait for."""
        if self.started:
            return
        self.started = True
        self.page.put("encode-alg", "".join(h("option", a, value=a, selected="" if a == "HS256" else None)
                                            for a in SIGN_ALGS))
        self.page.put("keygen-alg", "".join(h("option", label, value=value) for value, label, *_ in KEY_KINDS))
        self.page.put("encode-jwe-alg", "".join(h("option", a, value=a, selected="" if a == DEFAULT_JWE[0] else None)
                                                for a in JWE_ALGS))
        self.page.put("encode-jwe-enc", "".join(h("option", e, value=e, selected="" if e == DEFAULT_JWE[1] else None)
                                                for e in JWE_ENCS))
        for node_id in ("encode-header", "encode-payload", "encode-key", "encode-jwe-key"):
            self.el(node_id).addEventListener("input", create_proxy(self.refresh))
        for node_id in ("encode-secret-format", "encode-allow-none", "encode-encrypt", "encode-jwe-alg",
                        "encode-jwe-enc"):
            self.el(node_id).addEventListener("change", create_proxy(self.refresh))
        handlers = {"encode-alg": ("change", self.on_alg), "encode-iat": ("click", self.on_helper),
                    "encode-exp": ("click", self.on_helper), "encode-nbf": ("click", self.on_helper),
                    "encode-jti": ("click", self.on_helper), "encode-kid": ("click", self.on_kid),
                    "encode-open": ("click", self.on_open), "encode-from-decode": ("click", self.on_from_decode),
                    "keygen": ("click", self.on_keygen), "keygen-use": ("click", self.on_use)}
        for node_id, (event, handler) in handlers.items():
            self.el(node_id).addEventListener(event, create_proxy(handler))
        for button in self.page.document.querySelectorAll("button.copy-field"):
            button.addEventListener("click", create_proxy(self.on_copy_field))

    # -- signing as you type -----------------------------------------------------------------------------------------

    def refresh(self, *_args) -> None:
        self.pbes2.cancel()  # the inputs changed: encrypt() starts the derivation it needs now, if any
        self.page.show_if("encode-pbes2-progress", False)
        result = encode.encode(
            self.el("encode-header").value, self.el("encode-payload").value, self.el("encode-alg").value,
            self.el("encode-key").value or None, secret_format=self.el("encode-secret-format").value,
            allow_none=bool(self.el("encode-allow-none").checked))
        self.result = result
        problems = list(result.problems)
        encrypting = bool(self.el("encode-encrypt").checked)
        self.jwe_token = self.encrypt(result.token, problems) if encrypting and result.token else None
        shown = self.jwe_token if encrypting else result.token
        self.page.put("encoded", encoded_token(shown) if shown else "")
        self.page.set_text("encoded-title", "Signed, then encrypted token (JWE)" if encrypting else "Signed token")
        self.page.put("encode-problems", problem_items(problems, {}))
        info = []
        if result.key is not None:
            info.append(f"Signed with the {result.key.description}.")
        if result.public_key:
            info.append("\"Open in Decode\" takes the public key with the token, so it verifies there.")
        if self.jwe_token and not self.recipient_shared():
            info.append("Decode needs the recipient's private key to open the JWE: paste it there.")
        self.page.set_text("encode-key-info", " ".join(info))
        self.el("encode-open").disabled = not shown

    def recipient_shared(self) -> bool:
        """The recipient's key is a shared secret or password (Decode can open the JWE with the same text)."""
        row = jwa.get(self.el("encode-jwe-alg").value, "jwe-alg")
        return row is not None and row.kty == "oct"

    def encrypt(self, token: str, problems: list) -> str | None:
        """The signed token as the content of a JWE (cty JWT) for the recipient's key; None with a problem when the
        key does not fit, or while a PBES2 password's key is being derived."""
        key, alg = self.el("encode-jwe-key").value, self.el("encode-jwe-alg").value
        enc = self.el("encode-jwe-enc").value
        if not key.strip():
            self.page.set_text("encode-key-info", "")
            return None
        salt = self.salts.setdefault((alg, key), secrets.token_bytes(16))
        work = jwe.encryption_work(key, alg, enc, salt)
        if work is not None:
            self.start_pbes2(work)
            return None
        try:
            return jwe.encrypt(token.encode("utf-8"), key, alg, enc, cty="JWT", p2s=salt)
        except jwe.EncryptError as exc:
            problems.append(exc.problem)
            return None

    def start_pbes2(self, work) -> None:
        self.page.show_if("encode-pbes2-progress", True)
        self.el("encode-pbes2-progress").value = work.progress
        self.pbes2.start(lambda: self.pbes2_slice(work), self.refresh)

    def pbes2_slice(self, work) -> bool:
        """A slice of the password's key derivation (typing starts a new one: refresh cancels this)."""
        if work.step(PBES2_SLICE):
            return True
        self.el("encode-pbes2-progress").value = work.progress
        self.page.set_text("encode-key-info", f"Deriving the key from the password: {work.progress:.0%} of "
                                              f"{work.p2c:,} PBKDF2 iterations\u2026")
        return False

    def on_alg(self, *_args) -> None:
        """The header's alg follows the chosen algorithm (when the header is a JSON object)."""
        self.edit_json("encode-header", lambda obj: obj.update(alg=self.el("encode-alg").value))
        self.refresh()

    def edit_json(self, node_id: str, change) -> bool:
        """Apply a change to the JSON object in an editor, keeping it pretty; False when the text is not an object."""
        box = self.el(node_id)
        try:
            obj = json.loads(box.value) if box.value.strip() else {}
        except ValueError:
            return False
        if not isinstance(obj, dict):
            return False
        change(obj)
        box.value = json.dumps(obj, indent=2, ensure_ascii=False)
        return True

    def on_helper(self, event) -> None:
        """iat now, exp now + N minutes, nbf now, a random jti: written into the payload."""
        which = event.currentTarget.id.removeprefix("encode-")
        now = int(time.time())
        minutes = self.page.read_float("encode-exp-minutes", 15.0)
        value = {"iat": now, "nbf": now, "exp": now + int(minutes * 60), "jti": encode.new_jti()}[which]
        if self.edit_json("encode-payload", lambda obj: obj.update({which: value})):
            self.refresh()

    def on_kid(self, *_args) -> None:
        """kid = the RFC 7638 thumbprint of the signing key (a secret has none: hashing a weak one would help
        guessing it)."""
        box = keys.load_key(self.el("encode-key").value, self.el("encode-secret-format").value)
        thumbprint = box.keys[0].thumbprint() if len(box.keys) == 1 else None
        if thumbprint and self.edit_json("encode-header", lambda obj: obj.update(kid=thumbprint)):
            self.refresh()
        elif not thumbprint:
            self.page.set_text("encode-key-info", "A kid from the key needs an asymmetric key (a secret has no "
                                                  "thumbprint); paste or generate one first.")

    def on_open(self, *_args) -> None:
        result = self.result
        if result is None or not result.token:
            return
        # the key that verifies the signed token: its public key, or the same secret read the same way
        verify_key = result.public_key or self.el("encode-key").value
        secret_format = "auto" if result.public_key else self.el("encode-secret-format").value
        if self.el("encode-encrypt").checked and self.jwe_token:
            recipient = self.el("encode-jwe-key").value if self.recipient_shared() else ""
            self.page.open_token(self.jwe_token, recipient, "auto", inner_key=verify_key)
        else:
            self.page.open_token(result.token, verify_key, secret_format)

    def on_from_decode(self, *_args) -> None:
        """Re-signing on purpose: the decoded token's header and payload come here, to be signed with this key."""
        report = self.page.report
        token = report.token if report else None
        if token is None or not isinstance(token.payload, dict):
            self.page.set_text("encode-key-info", "Decode a token with a JSON payload first.")
            return
        header = dict(token.header) if isinstance(token.header, dict) else {}
        self.el("encode-header").value = json.dumps(header, indent=2, ensure_ascii=False)
        self.el("encode-payload").value = json.dumps(token.payload, indent=2, ensure_ascii=False)
        if isinstance(header.get("alg"), str) and header["alg"] in SIGN_ALGS:
            self.el("encode-alg").value = header["alg"]
        self.refresh()

    # -- key generation --------------------------------------------------------------------------------------------

    def on_keygen(self, *_args) -> None:
        kind = next(k for k in KEY_KINDS if k[0] == self.el("keygen-alg").value)
        _, label, alg, bits, curve = kind
        self.generated_kind = kind
        self.el("keygen").disabled = True
        self.el("keygen-use").disabled = True
        self.el("keygen-output").hidden = True  # never the last key under the new one's heading
        if bits is None:
            self.done(keygen.generate(alg, curve=curve))
            return
        steps = keygen.generate_steps(alg, rsa_bits=bits, curve=curve)
        self.show_progress(0.0)
        self.keygen.start(lambda: self.keygen_slice(steps), lambda: self.done(self.made))

    def keygen_slice(self, steps) -> bool:
        """A slice of an RSA generation: candidates are tested until the slice's time is up."""
        deadline = time.perf_counter() + KEYGEN_SLICE_S
        try:
            while time.perf_counter() < deadline:
                progress = next(steps)
        except StopIteration as end:
            self.made = end.value
            return True
        self.show_progress(progress.fraction)
        return False

    def show_progress(self, fraction: float) -> None:
        bar = self.el("keygen-progress")
        bar.hidden = False
        bar.value = fraction
        self.page.set_text("keygen-status", f"Looking for primes\u2026 about {fraction:.0%}")

    def done(self, key: keys.LoadedKey) -> None:
        self.generated = key
        self.el("keygen-progress").hidden = True
        alg = self.generated_kind[2]
        for node_id, (asymmetric, secret) in OUTPUTS.items():
            fmt = secret if key.kind == "secret" else asymmetric
            self.el(node_id).value = export.export(key, fmt, alg) if fmt else (
                "A secret has no public half: whoever verifies needs the same secret." if node_id == "keygen-public"
                else "")
        self.el("keygen-output").hidden = False
        what = f"{len(key.secret or b'') * 8}-bit HMAC secret" if key.kind == "secret" else f"{key.name} key pair"
        self.page.set_text("keygen-status", f"A new {what}, made in this tab just now. It is not stored anywhere: "
                                            "copy what you need.")
        self.el("keygen").disabled = False
        self.el("keygen-use").disabled = False

    def on_use(self, *_args) -> None:
        key = self.generated
        if key is None:
            return
        self.el("encode-key").value = self.el("keygen-private").value
        self.el("encode-secret-format").value = "base64url" if key.kind == "secret" else "auto"
        self.el("encode-alg").value = self.generated_kind[2]
        self.on_alg()

    def on_copy_field(self, event) -> None:
        node = self.el(event.currentTarget.getAttribute("data-field"))
        text = node.value if hasattr(node, "value") and node.value is not None else node.textContent
        self.page.copy(str(text), event.currentTarget)
