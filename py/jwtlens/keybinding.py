"""The Key Binding JWT of an SD-JWT+KB (RFC 9901 4.3, 7.3 step 5): one ``Check`` per requirement, in the order a
verifier applies them, each failure also a ``sdjwt.kb-*`` problem.

The KB-JWT is verified with the holder key that the issuer put into the (processed) payload as ``cnf.jwk``; other
confirmation methods (jkt, kid, x5t#S256) name a key this page does not have, so the signature is then skipped.
"""

from __future__ import annotations

from typing import Any

from . import pop, segments
from .pop import Checks
from .problems import Code
from .report import KeyBinding, Problem, SignatureResult
from .segments import json_value_words

KB_TYP = "kb+jwt"
CHECK_IDS = ("kb.jwt", "kb.typ", "kb.alg", "kb.key", "kb.signature", "kb.sd_hash", "kb.iat", "kb.aud", "kb.nonce")


def check(kb_text: str, *, sd_hash: str | None, hashed_length: int, holder: Any, problems: list[Problem],
          now: float, leeway: float = 0.0, expected_aud: str | None = None, expected_nonce: str | None = None,
          max_age: float | None = None, position: int | None = None) -> KeyBinding:
    """Check one KB-JWT. ``sd_hash`` is the digest of the first ``hashed_length`` characters of the presentation
    (None when _sd_alg is unknown); ``holder`` is the processed payload whose cnf names the holder key."""
    token = segments.decode_token(kb_text)
    kb = KeyBinding(kb_text, token, SignatureResult("unchecked", "Not checked."), sd_hash=sd_hash)
    c = Checks(kb.checks, problems, "Key Binding JWT: ", position)
    header = token.header if isinstance(token.header, dict) else None
    payload = token.payload if isinstance(token.payload, dict) else None
    if token.kind != "JWS" or header is None or payload is None:
        c.add("kb.jwt", "fail", "The last component is not a decodable compact JWS with JSON header and payload "
              "(see its own problems).", Code.SDJWT_KB_MALFORMED)
        c.skip_rest(CHECK_IDS[1:], "The KB-JWT does not decode.")
        return kb
    c.add("kb.jwt", "pass", "A compact JWS with a JSON header and payload.")
    _typ(c, header)
    alg_ok = _alg(c, header)
    key = _holder_key(c, holder)
    _signature(c, kb, alg_ok, key)
    _sd_hash(c, payload.get("sd_hash"), sd_hash, hashed_length)
    result, message, _ = pop.iat_window(payload.get("iat"), now, leeway, max_age)
    c.add("kb.iat", result, message, Code.SDJWT_KB_IAT if result == "fail" else None)
    _string_claim(c, "aud", payload, expected_aud, Code.SDJWT_KB_AUD)
    _string_claim(c, "nonce", payload, expected_nonce, Code.SDJWT_KB_NONCE)
    return kb


def _typ(c: Checks, header: dict[str, Any]) -> None:
    typ = header.get("typ")
    if typ == KB_TYP:
        c.add("kb.typ", "pass", f"typ is \"{KB_TYP}\".")
    else:
        shown = "missing" if typ is None else repr(typ)
        c.add("kb.typ", "fail", f"typ is {shown}, not \"{KB_TYP}\".", Code.SDJWT_KB_TYP)


def _alg(c: Checks, header: dict[str, Any]) -> bool:
    reason = pop.alg_reason(header.get("alg"))
    if reason is None:
        c.add("kb.alg", "pass", f"alg {header['alg']} is a registered asymmetric signature algorithm.")
        return True
    c.add("kb.alg", "fail", f"Not acceptable: {reason}.", Code.SDJWT_KB_ALG)
    return False


def _holder_key(c: Checks, holder: Any) -> Any:
    cnf = holder.get("cnf") if isinstance(holder, dict) else None
    if not isinstance(cnf, dict):
        c.add("kb.key", "fail", "The issuer-signed JWT has no cnf claim, so there is no holder key to verify the "
              "KB-JWT with.", Code.SDJWT_KB_NO_HOLDER_KEY)
        return None
    if "jwk" not in cnf:
        methods = ", ".join(sorted(cnf)) or "nothing"
        c.add("kb.key", "skipped", f"cnf names the holder key by {methods}, not by value (jwk); this page cannot "
              "fetch it, so the signature is not checked.", Code.SDJWT_KB_NO_HOLDER_KEY, level="warning")
        return None
    key, why = pop.load_public_jwk(cnf["jwk"], "cnf.jwk")
    if key is None:
        c.add("kb.key", "fail", f"{why}.", Code.SDJWT_KB_NO_HOLDER_KEY)
        return None
    c.add("kb.key", "pass", f"Holder key from cnf.jwk: {key.describe()} (thumbprint {key.thumbprint()}).")
    return key


def _signature(c: Checks, kb: KeyBinding, alg_ok: bool, key: Any) -> None:
    if not alg_ok or key is None:
        why = "no usable algorithm" if not alg_ok else "no holder key"
        kb.signature = SignatureResult("unchecked", f"Not checked: {why}.")
        c.add("kb.signature", "skipped", f"Not checked: {why}.")
        return
    kb.signature = pop.verify(kb.jwt, key, " from cnf.jwk")
    if kb.signature.verified == "valid":
        c.add("kb.signature", "pass", kb.signature.message)
    else:
        c.add("kb.signature", "fail", kb.signature.message, Code.SDJWT_KB_SIGNATURE)


def _sd_hash(c: Checks, claimed: Any, computed: str | None, length: int) -> None:
    over = f"the first {length} characters of the presentation (up to and including the last '~')"
    if computed is None:
        c.add("kb.sd_hash", "skipped", "Not checked: _sd_alg names no known hash.")
    elif claimed is None:
        c.add("kb.sd_hash", "fail", "sd_hash is missing.", Code.SDJWT_KB_SD_HASH)
    elif claimed == computed:
        c.add("kb.sd_hash", "pass", f"sd_hash {computed} is the hash of {over}.")
    else:
        c.add("kb.sd_hash", "fail", f"sd_hash is {claimed!r}, but the hash of {over} is {computed}: the "
              "disclosures or the issuer-signed JWT are not those the holder signed.", Code.SDJWT_KB_SD_HASH)


def _string_claim(c: Checks, name: str, payload: dict[str, Any], expected: str | None, code: str) -> None:
    value = payload.get(name)
    check_id = f"kb.{name}"
    if not isinstance(value, str):
        shown = "missing" if value is None else f"{json_value_words(value)}, not a single string"
        c.add(check_id, "fail", f"{name} is {shown}.", code)
    elif expected is None:
        c.add(check_id, "pass", f"{name} is {value!r} (no expected value given to compare).")
    elif value == expected:
        c.add(check_id, "pass", f"{name} is {value!r}, as expected.")
    else:
        c.add(check_id, "fail", f"{name} is {value!r}, but this verifier expects {expected!r}.", code)

