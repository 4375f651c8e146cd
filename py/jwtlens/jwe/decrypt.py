"""Decrypting a compact JWE: ``decrypt(token, key_text, options) -> EncryptionResult``, never raising.

The order is the order of cost: the header (alg, enc, zip and the alg's parameters, p2c refused above its limit),
then the segments' lengths, then the key box (read for "enc": X25519/X448 load; use, key_ops and alg honoured),
then the key management and the content decryption, then the content (inflated with a limit, and read: JWT, JSON,
text or bytes). A failure at any step is a jwe.* problem with the reason; see problems.Code.

``open_token`` also returns the content as read (the JSON value of the claims), for ``inspect``; ``pending_work``
returns the PBES2 derivation that leaves a token locked, for the page to run in slices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import b64url, segments
from ..keys import load_key
from ..keys.select import record
from ..options import Options
from ..problems import Code, problem
from ..report import EncryptionResult, PendingWork, TokenReport
from . import content, keymgmt, pbes2, recipient
from .compact import Parts, read_parts
from .content import Content
from .errors import JweError
from .header import Header, read_header
from .recipient import Candidate


@dataclass
class Opened:
    result: EncryptionResult
    content: Content | None = None  # when decrypted


def decrypt(token: TokenReport | str, key: str | None, options: Options | None = None) -> EncryptionResult:
    """Decrypt a compact JWE (a decoded TokenReport or the token's text) with the key box text ``key``."""
    return open_token(token, key, options).result


def open_token(token: TokenReport | str, key: str | None, options: Options | None = None) -> Opened:
    run = _Decryption(token, key, options)
    try:
        return run.run()
    except Exception as exc:  # noqa: BLE001 - last resort: a bug must show as a problem, not a traceback
        run.result.decrypted, run.result.message = "failed", f"Decryption failed unexpectedly: {exc}"
        run.result.problems.append(problem(Code.INTERNAL_ERROR, f"Decryption: {type(exc).__name__}: {exc}",
                                           segment="ciphertext"))
        return Opened(run.result)


def pending_work(token: TokenReport | str, key: str | None,
                 options: Options | None = None) -> pbes2.Pbes2Derivation | None:
    """The PBES2 derivation this token and password need (None when there is none, or the token fails before)."""
    run = _Decryption(token, key, options)
    try:
        prepared = run.prepare()
    except JweError:
        return None
    if prepared is None or prepared[0].alg.family != "PBES2":
        return None
    head, _, candidates = prepared
    return pbes2.Pbes2Derivation(head.alg.name, candidates[0].key.secret or b"", head.p2s, head.p2c)


def _as_token(token: TokenReport | str | bytes) -> TokenReport:
    if isinstance(token, TokenReport):
        return token
    text = token.decode("utf-8", "replace") if isinstance(token, (bytes, bytearray)) else str(token)
    return segments.decode_token("".join(text.split()))


class _Decryption:
    def __init__(self, token: TokenReport | str, key: Any, options: Options | None) -> None:
        self.options = options or Options()
        self.token = _as_token(token)
        if isinstance(key, (bytes, bytearray)):
            key = bytes(key).decode("utf-8", errors="replace")
        self.key_text: str | None = key if isinstance(key, str) and key.strip() else None
        header = self.token.header if isinstance(self.token.header, dict) else {}
        named = {n: header.get(n) if isinstance(header.get(n), str) else None for n in ("alg", "enc", "zip")}
        self.result = EncryptionResult("locked", "", **named)
        self.head: Header | None = None

    def prepare(self) -> tuple[Header, Parts, list[Candidate]] | None:
        """Everything before the work; None when there is no key. JweError when the token or key cannot be used."""
        token = self.token
        if token.kind != "JWE":
            raise JweError(Code.TOKEN_SEGMENT_COUNT, f"The token has {len(token.segments)} segments; a compact JWE "
                                                     "has 5.", segment="token")
        head = self.head = read_header(token.header)
        parts = read_parts(token.token, head)
        if self.key_text is None:
            return None
        now = self.options.now if isinstance(self.options.now, (int, float)) else None
        box = load_key(self.key_text, self.options.secret_format, now, head.kid, purpose="enc")
        self.result.problems.extend(box.problems)
        self.result.key = box.info()
        return head, parts, recipient.candidates(box, head.alg, head.enc, "decrypt", kid=head.kid, curve=head.curve,
                                                 tried=self.result.tried)

    def run(self) -> Opened:
        result = self.result
        try:
            prepared = self.prepare()
            if prepared is None:
                head = self.head
                assert head is not None
                result.message = (f"Encrypted token (JWE, {head.alg.name} with {head.enc.name}): paste "
                                  f"{recipient.needs(head.alg, head.enc, 'decrypt')} to decrypt it.")
                return Opened(result)
            head, parts, candidates = prepared
            if self._pending(head, candidates):
                return Opened(result)
            return self._try(head, parts, candidates)
        except JweError as exc:
            result.decrypted, result.message = "failed", exc.message
            if exc.problem is not None:
                result.problems.append(exc.problem)
            return Opened(result)

    def _pending(self, head: Header, candidates: list[Candidate]) -> bool:
        """PBES2 beyond the iterations run at once, and not derived before: locked, with the work to do."""
        limit = self.options.pbes2_inline_iterations
        if head.alg.family != "PBES2" or limit is None or head.p2c <= limit:
            return False
        if pbes2.cached(head.alg.name, candidates[0].key.secret or b"", head.p2s, head.p2c) is not None:
            return False
        self.result.pending = PendingWork("pbes2", head.alg.name, head.p2c)
        self.result.message = (f"PBES2 needs {head.p2c:,} PBKDF2 iterations to derive the key from the password; "
                               "they run in slices (decryption follows when they are done).")
        self.result.problems.append(problem(
            Code.JWE_PBES2_PENDING, f"{head.p2c:,} iterations are more than the {limit:,} run at once.",
            segment="header", fix="The page runs them in slices (jwe.pending_work); from Python, set "
            "Options.pbes2_inline_iterations=None to derive the key at once."))
        return True

    def _try(self, head: Header, parts: Parts, candidates: list[Candidate]) -> Opened:
        failures: list[JweError] = []
        tried = self.result.tried
        for candidate in candidates:
            try:
                cek = keymgmt.unwrap(head, candidate.key, parts.encrypted_key, parts.texts["encrypted_key"])
                data = content.decrypt_content(head.enc, cek, parts)
            except JweError as exc:
                if len(candidates) == 1:
                    self._use(candidate)
                    raise
                failures.append(exc)
                record(tried, candidate.index, f"{candidate.label}: does not decrypt ({_lower(exc.message)})")
                continue
            if candidate.listed:
                record(tried, candidate.index, f"{candidate.label}: decrypted")
            return self._decrypted(head, candidate, data)
        codes = {f.problem.code for f in failures if f.problem is not None}
        names = ", ".join(c.label for c in candidates[:5]) + (f" and {len(candidates) - 5} more"
                                                              if len(candidates) > 5 else "")
        raise JweError(codes.pop() if len(codes) == 1 else Code.JWE_KEY_NO_MATCH,
                       f"Decryption failed with every fitting key (tried {names}): {_lower(failures[0].message)}",
                       segment="key")

    def _use(self, candidate: Candidate) -> None:
        key = candidate.key
        self.result.key = key.info(purpose="enc")
        if candidate.listed and candidate.label.startswith("key #"):
            self.result.key.notes.insert(0, f"Chosen from the key set: {candidate.label}.")
        self.result.problems += [w for w in key.warnings if w.code != Code.KEY_PRIVATE]

    def _decrypted(self, head: Header, candidate: Candidate, data: bytes) -> Opened:
        result = self.result
        self._use(candidate)
        if head.zip is not None:
            result.compressed_size = len(data)
            data = content.inflate(data)
        read = content.classify(data, head.cty)
        result.decrypted, result.content_type, result.size = "decrypted", read.type, len(data)
        result.plaintext = read.text
        if read.type == "bytes":
            result.plaintext_base64url = b64url.encode(data)
        what = {"JWT": "a nested JWT", "JSON": "JSON", "text": "text", "bytes": "binary data (not UTF-8 text)"}
        packed = f", inflated from {result.compressed_size:,}" if head.zip else ""
        result.message = (f"Decrypted with {candidate.label} ({head.alg.name}, {head.enc.name}): "
                          f"{len(data):,} bytes{packed} of {what[read.type]}.")
        return Opened(result, read)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
