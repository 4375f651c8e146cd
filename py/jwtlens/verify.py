"""Signature verification and claim validation for one decoded token: ``check_signature`` -> ``SignatureResult``.

The verdict (``SignatureResult.verified``) follows the automation contract:

* ``unchecked``: nothing to check against (no key), or nothing to check (unsecured ``none`` without a key,
  encrypted or undecodable token);
* ``valid``: the signature verifies with the key (or with one member of a key set, named in the message);
* ``invalid``: the token cannot be valid under the key: the signature does not match, it is unsecured
  (``none``) while a key is expected, it names an unknown algorithm, or it is an HS* token forged with the public
  key's own text as the HMAC secret (key confusion);
* ``error``: the key is unusable for this token (unreadable, wrong type or curve, no fitting key in a set); the
  message says why.

The claim checks that ride along in ``SignatureResult.checks`` are made by claims.py (jwtlens.inspect puts them
there); this module only judges the signature and the key.
"""

from __future__ import annotations

import time
from typing import Any

from . import algorithms, b64url, jwa, rsa
from .algorithms import HMAC, UnsupportedAlgorithm
from .keys import KeyBox, LoadedKey, Member, load_key, public_pem_texts
from .keys.select import named_members, record, sort_members
from .options import Options
from .problems import Code, problem
from .report import Problem, SignatureResult, TokenReport, Verified

# A key set whose kid matches nothing is tried member by member; a set of thousands must not hold the tab for minutes.
MAX_SET_TRIES = 64


def check_signature(token: TokenReport, key: str | None, options: Options) -> SignatureResult:
    """Verify ``token`` with the key box text ``key``; never raises (a bad key must not break decoding)."""
    try:
        return _Check(token, key, options).run()
    except Exception as exc:  # noqa: BLE001 - last resort: report, never a traceback in the page
        return SignatureResult(
            "error", f"Verification failed unexpectedly: {type(exc).__name__}: {exc}", alg=_alg(token),
            problems=[problem(Code.INTERNAL_ERROR, f"Signature check: {type(exc).__name__}: {exc}", segment="key")],
        )


def _alg(token: TokenReport) -> str | None:
    alg = token.header.get("alg") if isinstance(token.header, dict) else None
    return alg if isinstance(alg, str) else None


class _Check:
    def __init__(self, token: TokenReport, key: str | None, options: Options) -> None:
        self.token = token
        self.options = options
        now = options.now
        self.now = float(now) if isinstance(now, (int, float)) and not isinstance(now, bool) else time.time()
        self.header = token.header if isinstance(token.header, dict) else None
        self.alg_value: Any = self.header.get("alg") if self.header else None
        self.result = SignatureResult("unchecked", "", alg=_alg(token))
        self.box: KeyBox | None = None
        if isinstance(key, (bytes, bytearray)):
            key = bytes(key).decode("utf-8", errors="replace")
        if isinstance(key, str) and key.strip() and token.kind != "JWE":  # a JWE's key decrypts it (jwe/)
            kid = self.header.get("kid") if self.header else None
            self.box = load_key(key, options.secret_format, self.now, kid if isinstance(kid, str) else None)
            self.result.key = self.box.info()
            self.result.problems.extend(self.box.problems)

    # -- outcome helpers --
    def _done(self, verified: Verified, message: str, *problems: Problem) -> SignatureResult:
        self.result.verified, self.result.message = verified, message
        self.result.problems.extend(problems)
        return self.result

    def _use_key(self, key: LoadedKey, *, set_note: str | None = None) -> None:
        info = key.info()
        if set_note:
            info.notes.insert(0, set_note)
        self.result.key = info
        for warning in key.warnings:
            if warning not in self.result.problems:
                self.result.problems.append(warning)

    # -- the flow --
    def run(self) -> SignatureResult:
        token, box = self.token, self.box
        if token.kind == "JWE":
            return self._done("unchecked", "Encrypted token (JWE): it has no signature of its own; the key box "
                                           "decrypts it (see the encryption result), and a nested JWT's signature "
                                           "is checked with the inner key.")
        if self.header is None:
            return self._done("unchecked", "The header does not decode, so the algorithm is unknown and the "
                                           "signature cannot be checked.")
        parts = token.token.split(".")
        if len(parts) != 3:
            return self._done("unchecked", f"The token has {len(parts)} segments; a signed token (JWS) has 3, so "
                                           "there is no signature to check.")
        have_key = box is not None
        alg = self.alg_value
        if alg is None:
            return self._done("invalid" if have_key else "unchecked",
                              "The header has no 'alg', so no verifier can check the signature (RFC 7515 4.1.1).")
        if alg == "none":
            msg = "Unsecured token (alg \"none\"): it carries no signature, so nothing vouches for its content."
            if parts[2]:
                msg += " (It has a signature segment anyway, which RFC 7519 6.1 forbids.)"
            if have_key:
                return self._done("invalid", msg + " A verifier that holds a key must reject it.")
            return self._done("unchecked", msg)
        try:
            alg_obj = algorithms.get(alg)
        except UnsupportedAlgorithm as exc:
            return self._done("invalid" if have_key else "unchecked", _sentence(str(exc)),
                              problem(Code.SIG_ALG_UNSUPPORTED, _sentence(str(exc)), segment="header"))
        if box is None:  # (with a key, the check itself says what is wrong with the length)
            implausible = _implausible_length(alg_obj.row, parts[2])
            if implausible is not None:  # a problem of the token's signature segment, listed with the others
                token.problems.append(implausible)
            return self._done("unchecked", f"No key given: paste {alg_obj.needs} to check this {alg} signature.")
        sig = _decode_signature(parts[2])
        if sig is None:
            msg = "The signature segment is not valid base64url, so it cannot be checked."
            return self._done("invalid", msg, problem(Code.SIG_UNDECODABLE, msg, segment="signature"))
        if not sig:
            return self._done("invalid", f"The signature segment is empty: the token claims {alg} but is not "
                                         "signed. A verifier must reject it.")
        if isinstance(alg_obj, HMAC) and box.asymmetric:
            self.result.key_confusion = "attempted"
        if not box.keys:
            reason = next((p.message for p in box.problems if p.level == "error"), None)
            reason = reason or (box.problems[0].message if box.problems else "The key box holds no usable key.")
            return self._done("error", f"The key cannot be used: {_lower(reason)}")
        # The JWS Signing Input is the text before the last dot, also for an unencoded (b64: false) payload.
        msg_bytes = (parts[0] + "." + parts[1]).encode("utf-8")
        if isinstance(alg_obj, HMAC):
            return self._hmac(alg_obj, msg_bytes, sig)
        return self._asymmetric(alg_obj, msg_bytes, sig)

    # -- HS* --
    def _hmac(self, alg: HMAC, msg: bytes, sig: bytes) -> SignatureResult:
        box = self.box
        assert box is not None
        secrets = [k for k in box.keys if k.kind == "secret"]
        asymmetric = [k for k in box.keys if k.kind != "secret"]
        if box.is_set:
            return self._from_set(alg, msg, sig, confusion=asymmetric)
        if not secrets:
            return self._forged(alg, msg, sig, asymmetric) or self._not_a_secret(alg, asymmetric[0])
        key = secrets[0]
        mismatch = alg.key_mismatch(key)  # an oct JWK may name another algorithm or another use
        if mismatch is not None:
            self._use_key(key)
            text = f"This key cannot verify {alg.name}: {mismatch.message}."
            return self._done("error", text, problem(Code.KEY_WRONG_TYPE, text, segment="key"))
        tried = []
        for candidate in [key, *box.alternatives]:
            reason = alg.check_secret(msg, candidate.secret or b"", sig)
            if reason is None:
                self._use_key(candidate)
                how = "" if candidate is key else (
                    f" It verified with the secret read as {candidate.format}, not as {key.format}: set the secret "
                    f"format to {candidate.format.split(',')[0]} to make that explicit.")
                return self._done("valid", f"Signature verified: {alg.name} with the {candidate.describe()}.{how}")
            tried.append(candidate.format)
        self._use_key(key)
        reason = alg.check_secret(msg, key.secret or b"", sig) or ""
        also = f" Also tried the secret read as {', '.join(tried[1:])}." if len(tried) > 1 else ""
        code = Code.SIG_WRONG_LENGTH if len(sig) != alg.signature_length(key) else Code.SIG_MISMATCH
        msg_text = f"Invalid signature: {reason}.{also}"
        return self._done("invalid", msg_text, problem(code, msg_text, segment="signature"))

    def _forged(self, alg: HMAC, msg: bytes, sig: bytes, keys: list[LoadedKey]) -> SignatureResult | None:
        """An HS* token and an asymmetric key: was the token forged with the public key's text as the secret?"""
        for key in keys:
            for label, secret in _confusion_secrets(key):
                if alg.check_secret(msg, secret, sig) is None:
                    self._use_key(key)
                    self.result.key_confusion = "forged"
                    what = key.describe(public=True)
                    text = (
                        f"KEY CONFUSION: this {alg.name} token is signed with the {what}'s own text ({label}) used "
                        "as the HMAC secret. That is the algorithm-confusion forgery (RFC 8725 2.1): anyone who has "
                        "the public key can make such tokens. A correct verifier rejects it, because this key only "
                        f"verifies {algorithms.fits(key)} tokens."
                    )
                    return self._done("invalid", text, problem(Code.KEY_CONFUSION, text, segment="key"))
        return None

    def _not_a_secret(self, alg: HMAC, key: LoadedKey) -> SignatureResult:
        self._use_key(key)
        text = (
            f"{alg.name} needs the shared HMAC secret, but the key box holds an {key.describe(public=True)}. Using "
            "a public key as an HMAC secret is the setup of the key-confusion attack (RFC 8725 2.1); the key's PEM "
            "text does not produce this HMAC either, so it is not a forgery of that kind."
        )
        return self._done("error", text, problem(Code.KEY_WRONG_TYPE, text, segment="key"))

    # -- RS*, PS*, ES*, EdDSA --
    def _asymmetric(self, alg: Any, msg: bytes, sig: bytes) -> SignatureResult:
        box = self.box
        assert box is not None
        if box.is_set:
            return self._from_set(alg, msg, sig)
        key = box.keys[0]
        self._use_key(key)
        mismatch = alg.key_mismatch(key)
        if mismatch is not None:
            text = f"This key cannot verify {alg.name}: {mismatch.message}."
            return self._done("error", text, problem(Code.KEY_WRONG_TYPE, text, segment="key"))
        kid = self.header.get("kid") if self.header else None
        if isinstance(kid, str) and key.kid is not None and key.kid != kid:
            self.result.problems.append(problem(
                Code.KEY_KID_MISMATCH,
                f"The token's kid {kid!r} differs from the key's kid {key.kid!r}.", segment="key"))
        return self._verdict(alg, key, msg, sig, f"the {key.describe()}")

    def _verdict(self, alg: Any, key: LoadedKey, msg: bytes, sig: bytes, which: str) -> SignatureResult:
        reason = alg.check(msg, key, sig)
        if reason is None:
            return self._done("valid", f"Signature verified: {alg.name} with {which}.")
        expected = alg.signature_length(key)
        code = Code.SIG_WRONG_LENGTH if expected is not None and len(sig) != expected else Code.SIG_MISMATCH
        text = f"Invalid signature: {reason}."
        return self._done("invalid", text, problem(code, text, segment="signature"))

    def _from_set(self, alg: Any, msg: bytes, sig: bytes, confusion: list[LoadedKey] | None = None) -> SignatureResult:
        """A key set: select by kid, else every member that fits; list each member and what happened to it."""
        box = self.box
        assert box is not None
        kid = self.header.get("kid") if self.header else None
        kid = kid if isinstance(kid, str) else None
        fitting, other_kid, position = sort_members(box, alg.key_mismatch, kid, self.result.tried)
        named = named_members(box, kid)
        fallback = not fitting and not named
        if fallback:
            fitting = other_kid  # the kid names no key here: try the fitting ones anyway
        verdict = self._try_members(alg, msg, sig, fitting, position if fallback else None, kid)
        if verdict is not None:
            return verdict
        if confusion:
            forged = self._forged(alg, msg, sig, confusion)
            if forged is not None:
                return forged
        return self._no_member_fits(alg, kid, named)

    def _try_members(self, alg: Any, msg: bytes, sig: bytes, members: list[Member], position: dict[int, int] | None,
                     kid: str | None) -> SignatureResult | None:
        """Verify with each member in turn (at most MAX_SET_TRIES); the verdict, or None when none was tried."""
        box, tried = self.box, self.result.tried
        assert box is not None
        failures = []
        for member in members[:MAX_SET_TRIES]:
            key = member.key
            assert key is not None
            reason = alg.check(msg, key, sig)
            index = position[member.index] if position is not None else None
            if reason is not None:
                record(tried, index, f"{member.label()}: signature does not match ({reason})")
                failures.append(member)
                continue
            record(tried, index, f"{member.label()}: signature verified")
            self._use_key(key, set_note=f"Chosen from a {box.format} of {len(box.members)} keys: {member.label()}.")
            if position is not None:
                text = (f"Signature verified with {member.label()} of the {box.format}, although the token's kid "
                        f"{kid!r} names no key in the set: a verifier that selects keys by kid would reject it.")
                return self._done("valid", text, problem(Code.KEY_KID_MISMATCH, text, segment="key"))
            return self._done("valid", f"Signature verified: {alg.name} with {member.label()} of the {box.format}.")
        if not failures:
            return None
        names = ", ".join(m.label() for m in failures[:5]) + (f" and {len(failures) - 5} more" if len(failures) > 5
                                                               else "")
        text = f"Invalid signature: it matches no fitting key of the {box.format} (tried {names})."
        if len(members) > MAX_SET_TRIES:
            text += (f" Only the first {MAX_SET_TRIES} of the {len(members)} fitting keys were tried: a token's kid "
                     "should name its key.")
        if kid is not None and position is not None:
            text += f" The token's kid {kid!r} names no key in the set."
        return self._done("invalid", text, problem(Code.SIG_MISMATCH, text, segment="signature"))

    def _no_member_fits(self, alg: Any, kid: str | None, named: list[Member]) -> SignatureResult:
        box = self.box
        assert box is not None
        self.result.key = box.info()
        if named:
            member = named[0]
            if member.key is None:
                why = f"it is not usable ({member.reason})"
            else:
                mismatch = alg.key_mismatch(member.key)
                why = mismatch.message if mismatch else "it does not fit"
            text = f"The {box.format} key with kid {kid!r} cannot verify {alg.name}: {why}."
        elif kid is not None:
            text = f"No key in the {box.format} has kid {kid!r}, and none of the others fits {alg.name}."
        else:
            text = f"No key in the {box.format} fits {alg.name} (it needs {alg.needs})."
        return self._done("error", text, problem(Code.KEY_NO_MATCH, text, segment="key"))


def _confusion_secrets(key: LoadedKey) -> list[tuple[str, bytes]]:
    """The byte strings an attacker would use as the HMAC secret: the pasted text and standard PEM forms."""
    out: list[tuple[str, bytes]] = []
    seen: set[bytes] = set()

    def add(label: str, text: str) -> None:
        for variant, how in ((text, ""), (text.strip(), " without the final newline"),
                             (text.strip() + "\n", " with a final newline"),
                             (text.replace("\r\n", "\n"), " with LF line ends")):
            data = variant.encode("utf-8")
            if data and data not in seen:
                seen.add(data)
                out.append((label + how, data))

    if key.source:
        add("the text as pasted", key.source)
    for pem in public_pem_texts(key):
        add("its PEM encoding" if "BEGIN PUBLIC KEY" in pem else "its PKCS#1 PEM encoding", pem)
    return out


def plausible_lengths(row: jwa.Alg) -> tuple[str, range | tuple[int, ...]]:
    """The signature sizes in bytes some key of this algorithm makes, in words and as a set to test against."""
    if row.signature_bytes:
        sizes = row.signature_bytes
        return " or ".join(str(n) for n in sizes) + " bytes", sizes
    # RSA: as long as the modulus; no key of 1024 bits or more (anything in real use) makes less, none within the
    # accepted modulus sizes makes more
    top = rsa.MAX_MODULUS_BITS // 8
    return f"{jwa.RSA_MIN_SIGNATURE_BYTES} to {top} bytes (the key's modulus size: 256 for RSA-2048)", \
        range(jwa.RSA_MIN_SIGNATURE_BYTES, top + 1)


def _implausible_length(row: jwa.Alg, text: str) -> Problem | None:
    """A signature no key of the header's algorithm can produce (cut short, or from another algorithm), even without
    a key to check it with."""
    sig = _decode_signature(text)
    if not sig:
        return None
    words, sizes = plausible_lengths(row)
    if len(sig) in sizes:
        return None
    return problem(Code.SIG_IMPLAUSIBLE_LENGTH, f"Signature: {len(sig)} bytes, but {row.name} signatures are "
                   f"{words}. No key makes this one: it was truncated, or made with another algorithm.",
                   segment="signature")


def _decode_signature(text: str) -> bytes | None:
    try:
        return b64url.decode(text, "the signature", padding=True)
    except b64url.Base64urlError:
        return None


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
