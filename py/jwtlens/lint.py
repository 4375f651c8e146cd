"""Security review of one token: what is risky about it, why, and what to do (RFC 8725 and friends).

``review()`` runs on every keystroke, so it only looks at what the decoder and the signature check already produced
(plus a set lookup for a pasted weak secret); the slow dictionary search of the signature is weak.py's, run by the
page after the first render. Each rule function below only decides whether its rule fires and with which values;
the words (title, risk, fix, reference) and the severity are rules.py's table. It never raises: a rule that fails
on odd input becomes an info finding "lint.internal-error" instead of breaking the page.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import confusables, jwa, sensitive, times, weak
from .options import Options
from .report import Finding, KeyInfo, SignatureResult, TokenReport
from .rules import RULE_IDS, SEVERITIES, finding
from .segments import media_type
from .weak import is_weak_secret

__all__ = ["RULE_IDS", "SEVERITIES", "review", "summarize"]

_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# Header parameters defined by RFC 7515/7516: "crit" must not list them (RFC 7515 4.1.11).
REGISTERED_HEADER_PARAMS = frozenset({
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip",
    "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
})
# Extensions that this page (and the verifiers it models) understands when listed in "crit".
UNDERSTOOD_CRIT = frozenset({"b64"})

ACCESS_TOKEN_MAX = 24 * 3600
ANY_TOKEN_MAX = 7 * 24 * 3600
P2C_MAX = 1_000_000
P2C_MIN = 1000  # RFC 7518 4.8.1.2 recommends at least this many iterations


@dataclass
class _Ctx:
    token: TokenReport
    signature: SignatureResult
    key_text: str | None
    header: dict[str, Any]  # {} when the header is not a JSON object
    payload: dict[str, Any] | None  # None when the payload is not a JSON object (or encrypted)
    alg: Any
    now: float
    leeway: float

    @property
    def is_jwe(self) -> bool:
        return self.token.kind == "JWE"

    @property
    def key(self) -> KeyInfo | None:
        return self.signature.key


def review(
    token: TokenReport, signature: SignatureResult, options: Options, key: str | None = None, payload: Any = None,
) -> list[Finding]:
    """All findings for one token, most severe first. ``key`` is the raw text of the key box, when there is one;
    ``payload`` stands in for the token's own (an SD-JWT's processed payload)."""
    header = token.header if isinstance(token.header, dict) else {}
    decrypted = token.encryption is not None and token.encryption.decrypted == "decrypted"
    if not isinstance(payload, dict):
        payload = token.payload if isinstance(token.payload, dict) and (token.kind != "JWE" or decrypted) else None
    now = options.now if isinstance(options.now, (int, float)) and not isinstance(options.now, bool) else None
    ctx = _Ctx(
        token=token,
        signature=signature,
        key_text=key if isinstance(key, str) and key.strip() else None,
        header=header,
        payload=payload,
        alg=header.get("alg"),
        now=float(now) if now is not None else time.time(),
        leeway=_sane_leeway(options.leeway),
    )
    findings: list[Finding] = []
    for rule in RULES:
        try:
            findings.extend(rule(ctx))
        except Exception as exc:  # a rule must never break the page; say which one failed instead
            findings.append(finding("lint.internal-error", check=rule.__name__.lstrip("_"),
                                    error=f"{type(exc).__name__}: {exc}"))
    findings.sort(key=lambda f: _RANK.get(f.severity, len(SEVERITIES)))
    return findings


def summarize(findings: list[Finding]) -> dict[str, Any]:
    """The page's summary line: highest severity, counts per severity, and one line of text."""
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        if f.severity in counts:
            counts[f.severity] += 1
    highest = next((s for s in SEVERITIES if counts[s]), None)
    parts = [f"{counts[s]} {s}" for s in SEVERITIES if counts[s]]
    return {
        "highest": highest,
        "counts": counts,
        "total": sum(counts.values()),
        "text": ", ".join(parts) if parts else "No findings",
    }


def _sane_leeway(value: Any) -> float:
    try:
        leeway = float(value)
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return leeway if leeway == leeway and 0 < leeway < float("inf") else 0.0


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_none(alg: Any) -> bool:
    return isinstance(alg, str) and alg.lower() == "none"


# --- algorithm --------------------------------------------------------------------------------------------------


def _alg_rules(ctx: _Ctx) -> Iterator[Finding]:
    if not ctx.header:
        return
    alg, kind = ctx.alg, "jwe-alg" if ctx.is_jwe else "jws"
    if alg is None and "alg" not in ctx.header:
        yield finding("alg.missing", "header.alg")
        return
    if _is_none(alg) and not ctx.is_jwe:
        odd = alg != "none"
        yield finding("alg.none", "header.alg", alg=_short(alg), odd=": a case variant of 'none'" if odd else "",
                      case=" or compares algorithm names case-insensitively" if odd else "")
        return
    if jwa.get(alg, kind) is not None:
        return
    match = jwa.case_variant(alg, kind)
    if match is not None:
        yield finding("alg.case", "header.alg", alg=_short(alg), match=match)
    else:
        words = "key-management (JWE)" if ctx.is_jwe else "signature (JWS)"
        yield finding("alg.unregistered", "header.alg", kind=words, alg=_short(alg))


def _signature_rules(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.is_jwe or _is_none(ctx.alg):
        return
    sig = next((s for s in ctx.token.segments if s.name == "signature"), None)
    if sig is not None and sig.text == "":
        yield finding("signature.empty", "signature", alg=_short(ctx.alg))


# --- keys -------------------------------------------------------------------------------------------------------


def _key_rules(ctx: _Ctx) -> Iterator[Finding]:
    key, row = ctx.key, jwa.get(ctx.alg, "jws")
    if row is None or ctx.is_jwe:
        return
    if row.family == "HMAC":
        yield from _hmac_key_rules(ctx, row)
        return
    kind = key.kind if key is not None else None
    if key is None or kind not in ("secret", "RSA", "EC", "OKP"):  # no key, or a key set (JWKS)
        return
    mismatch = _mismatch(row, key)
    if mismatch:
        yield finding("key.alg-mismatch", "header.alg", mismatch=mismatch)
    if kind == "RSA" and row.min_key_bits and key.size is not None and 0 < key.size < row.min_key_bits:
        yield finding("key.rsa-short", "key", bits=key.size, need=row.min_key_bits)


def _hmac_key_rules(ctx: _Ctx, row: jwa.Alg) -> Iterator[Finding]:
    key, confusion = ctx.key, ctx.signature.key_confusion
    if confusion is not None:
        material = key.kind if key is not None and key.kind in ("RSA", "EC", "OKP") else (
            key.format if key is not None else "public key")
        yield finding("key.confusion", "header.alg", variant="forged" if confusion == "forged" else None,
                      alg=row.name, material=material)
        return
    need = row.min_key_bits or 0
    kind = key.kind if key is not None else None
    if key is not None and kind == "secret" and key.size is not None and 0 < key.size < need:
        yield finding("hmac.short-secret", "key", bits=key.size, alg=row.name, need=need, need_bytes=need // 8)
    if kind in ("secret", None) and ctx.key_text is not None and is_weak_secret(ctx.key_text):
        secret = ctx.key_text.strip()
        named = "an empty secret" if secret == "" else f"the well-known secret '{_short(secret, 40)}'"
        verified = ctx.signature.verified == "valid"
        yield finding("hmac.weak-secret", "key", variant=None if verified else "unverified", named=named,
                      alg=row.name, need_bytes=need // 8)


def _mismatch(row: jwa.Alg, key: KeyInfo) -> str | None:
    """Why the key's type or curve does not fit the algorithm, in words; None when it fits."""
    expected = row.kty
    if expected is None:
        return None
    if key.kind != expected:
        if key.kind == "secret":
            return f"{row.name} needs an {expected} public key, not an HMAC secret"
        return f"{row.name} needs {'an' if expected in ('RSA', 'EC', 'OKP') else 'a'} {expected} key, not {key.kind}"
    if row.curves and key.curve and key.curve not in row.curves:
        return f"{row.name} needs a {' or '.join(row.curves)} key, not {key.curve}"
    return None


def _private_key_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.key is not None and ctx.key.private:
        yield finding("key.private", "key")


# --- header -----------------------------------------------------------------------------------------------------


def _header_url_rules(ctx: _Ctx) -> Iterator[Finding]:
    for name in ("jku", "x5u"):
        if name in ctx.header:
            value = ctx.header[name]
            plain = isinstance(value, str) and not value.lower().startswith("https://")
            yield finding(f"header.{name}", f"header.{name}", plain=", here not even over HTTPS" if plain else "")
    if "jwk" in ctx.header:
        yield finding("header.jwk", "header.jwk")
    if "x5c" in ctx.header:
        yield finding("header.x5c", "header.x5c")


_KID_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a file path", re.compile(r"\.\.[/\\]|[/\\]\.\.|%2e%2e|^/(?:dev|etc|proc|tmp|var|usr|home|root|bin|sys)/|"
                               r"^[a-z]:\\|file:", re.IGNORECASE)),
    ("a NUL or control character", re.compile(r"[\x00-\x1f\x7f]|%00")),
    ("quotes", re.compile(r"['\"`]")),
    ("SQL syntax", re.compile(r"--|/\*|\*/|;|\b(?:union\s+select|or\s+\d+\s*=\s*\d+|sleep\s*\()", re.IGNORECASE)),
    ("shell metacharacters", re.compile(r"[|&$<>]|\$\(")),
)


def _kid_rule(ctx: _Ctx) -> Iterator[Finding]:
    if "kid" not in ctx.header:
        return
    kid = ctx.header["kid"]
    if isinstance(kid, (dict, list)):
        found = ["a JSON " + ("object" if isinstance(kid, dict) else "array") + " instead of a string"]
    elif isinstance(kid, str):
        found = [name for name, pattern in _KID_CHECKS if pattern.search(kid)]
    else:
        return
    if found:
        yield finding("kid.injection", "header.kid", found=", ".join(found))


def _crit_reasons(h: dict[str, Any], crit: Any) -> list[str]:
    if not isinstance(crit, list) or not crit:
        return ["it is not a non-empty array of names"]
    reasons: list[str] = []
    names = [c for c in crit if isinstance(c, str)]
    if len(names) != len(crit):
        reasons.append("it contains non-string entries")
    if len(set(names)) != len(names):
        reasons.append("it lists a name twice")
    registered = [n for n in names if n in REGISTERED_HEADER_PARAMS]
    if registered:
        reasons.append("it lists registered parameters (" + ", ".join(registered) + ")")
    absent = [n for n in names if n not in h and n not in REGISTERED_HEADER_PARAMS]
    if absent:
        reasons.append("it names parameters missing from the header (" + ", ".join(map(_short, absent)) + ")")
    unknown = [n for n in names if n not in UNDERSTOOD_CRIT and n not in REGISTERED_HEADER_PARAMS and n in h]
    if unknown:
        reasons.append("it requires extensions this page and most verifiers do not support ("
                       + ", ".join(map(_short, unknown)) + ")")
    return reasons


def _crit_rule(ctx: _Ctx) -> Iterator[Finding]:
    if "crit" in ctx.header:
        reasons = _crit_reasons(ctx.header, ctx.header["crit"])
        if reasons:
            yield finding("header.crit", "header.crit", reasons="; ".join(reasons))


def _b64_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.header.get("b64") is not False:
        return
    crit = ctx.header.get("crit")
    in_crit = isinstance(crit, list) and "b64" in crit
    yield finding("header.b64-false", "header.b64",
                  crit="" if in_crit else ", and without 'b64' in 'crit' they may silently misread the token")


# --- JWE --------------------------------------------------------------------------------------------------------


def _jwe_rules(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    if not ctx.is_jwe or not h:
        return
    if "zip" in h:
        yield finding("jwe.zip", "header.zip", zip=_short(h["zip"]))
    if h.get("alg") == "RSA1_5":
        yield finding("jwe.rsa1_5", "header.alg")
    p2c = h.get("p2c")
    if isinstance(p2c, (int, float)) and not isinstance(p2c, bool) and abs(p2c) < float("inf"):
        p2c = int(p2c)
        if p2c > P2C_MAX:
            yield finding("jwe.p2c", "header.p2c", p2c=p2c, limit=P2C_MAX)
        elif p2c < P2C_MIN:
            yield finding("jwe.p2c-low", "header.p2c", p2c=p2c, minimum=P2C_MIN)


def _jwe_key_rules(ctx: _Ctx) -> Iterator[Finding]:
    """What the key box and the header say about the strength of a JWE's key: a weak PBES2 password or dir key
    (judged only when it decrypted, or failed for its size), an unusable epk, ECDH-ES without party info."""
    row = jwa.get(ctx.alg, "jwe-alg")
    if not ctx.is_jwe or row is None:
        return
    if row.family == "ECDH-ES":
        if "epk" in ctx.header:
            from .jwe.errors import JweError  # loaded on first use, as by inspect
            from .jwe.header import read_epk

            try:
                read_epk(ctx.header)
            except JweError as exc:
                yield finding("jwe.epk-invalid", "header.epk", why=exc.message)
        if "apu" not in ctx.header and "apv" not in ctx.header:
            yield finding("jwe.ecdh-no-party-info", "header")
    enc = ctx.token.encryption
    key = enc.key if enc is not None else None
    if enc is None or key is None or key.kind != "secret" or ctx.key_text is None:
        return
    typed = key.format.startswith("UTF-8 text")
    text = ctx.key_text.strip() if key.format == "UTF-8 text" else ctx.key_text
    if row.family == "PBES2" and enc.decrypted == "decrypted" and typed:
        yield from _password_rule(ctx, text)
    elif row.family == "dir":
        yield from _dir_key_rule(ctx, enc.decrypted, key, typed, text)


def _password_rule(ctx: _Ctx, password: str) -> Iterator[Finding]:
    p2c = ctx.header.get("p2c") if isinstance(ctx.header.get("p2c"), int) else 0
    if is_weak_secret(password):
        yield finding("jwe.pbes2-weak-password", "key", variant="listed", p2c=p2c, estimate="listed")
        return
    bits = weak.estimate_bits(password)
    if bits < weak.LOW_BITS:
        yield finding("jwe.pbes2-weak-password", "key", p2c=p2c, estimate=f"about {bits:.0f} bits")


def _dir_key_rule(ctx: _Ctx, state: str, key: KeyInfo, typed: bool, text: str) -> Iterator[Finding]:
    enc_row = jwa.get(ctx.header.get("enc"), "jwe-enc")
    if enc_row is None or enc_row.key_bits is None or key.size is None:
        return
    need = enc_row.key_bits
    if key.size != need:
        yield finding("jwe.dir-key", "key", bits=key.size, enc=enc_row.name, need=need, need_bytes=need // 8)
    elif state == "decrypted" and typed:
        listed = ", in a public list of weak secrets" if is_weak_secret(text) else ""
        yield finding("jwe.dir-key", "key", variant="text", estimate=f"about {weak.estimate_bits(text):.0f} bits"
                      + listed, enc=enc_row.name, need=need, need_bytes=need // 8)


# --- typing -----------------------------------------------------------------------------------------------------


def _is_access_token(ctx: _Ctx) -> bool:
    if media_type(ctx.header.get("typ")) == "at+jwt":
        return True
    return ctx.payload is not None and any(k in ctx.payload for k in ("scope", "scp", "client_id"))


def _typ_rules(ctx: _Ctx) -> Iterator[Finding]:
    h = ctx.header
    if not h:
        return
    if not ctx.is_jwe and ctx.payload is not None and _is_access_token(ctx):
        if media_type(h.get("typ")) != "at+jwt":
            shown = "no 'typ'" if "typ" not in h else f"typ '{_short(h.get('typ'))}'"
            yield finding("typ.missing", "header.typ", shown=shown)
    if media_type(h.get("cty")) == "jwt":
        yield finding("typ.nested-jwt", "header.cty", variant="jwe" if ctx.is_jwe else None)


# --- claims -----------------------------------------------------------------------------------------------------


def _claim_rules(ctx: _Ctx) -> Iterator[Finding]:
    p = ctx.payload
    if p is None:
        return
    access = "access" if _is_access_token(ctx) else None
    exp, iat, nbf = times.seconds(p.get("exp")), times.seconds(p.get("iat")), times.seconds(p.get("nbf"))
    if "exp" not in p:
        yield finding("claims.no-exp", "payload.exp", variant=access)
    yield from _lifetime_rule(ctx, exp, iat, nbf, access)
    if iat is not None and times.state_at(ctx.now, iat, None, None, ctx.leeway) == "not-yet-valid":
        yield finding("claims.iat-future", "payload.iat", ahead=times.long_duration(iat - ctx.now))
    if nbf is not None and exp is not None and nbf > exp:
        yield finding("claims.nbf-after-exp", "payload.nbf")
    elif nbf is not None and times.state_at(ctx.now, None, nbf, None, ctx.leeway) == "not-yet-valid":
        yield finding("claims.nbf-future", "payload.nbf", ahead=times.long_duration(nbf - ctx.now))
    if exp is not None and iat is not None and exp <= iat:
        yield finding("claims.exp-before-iat", "payload.exp")
    if "aud" not in p:
        yield finding("claims.no-aud", "payload.aud", variant=access)
    if "iss" not in p:
        yield finding("claims.no-iss", "payload.iss", variant=access)


def _lifetime_rule(ctx: _Ctx, exp: float | None, iat: float | None, nbf: float | None,
                   access: str | None) -> Iterator[Finding]:
    if exp is None:
        return
    start = iat if iat is not None else nbf
    lifetime = exp - start if start is not None else exp - ctx.now
    limit = ACCESS_TOKEN_MAX if access else ANY_TOKEN_MAX
    if lifetime > limit and (start is None or exp > start):
        basis = "lifetime" if start is not None else "remaining lifetime"
        yield finding("claims.long-lifetime", "payload.exp", variant=access, basis=basis,
                      duration=times.long_duration(lifetime))


# --- payload contents -------------------------------------------------------------------------------------------

_ENCODING_RULES = {"json.duplicate-member": "duplicate-member", "utf8.invalid": "not-utf8"}


def _encoding_rules(ctx: _Ctx) -> Iterator[Finding]:
    """One finding per segment for duplicate JSON members and for invalid UTF-8, read from the decoder's problems."""
    fired: list[str] = []
    for problem in ctx.token.problems:
        if problem.segment in ("header", "payload") and problem.code in _ENCODING_RULES:
            rule = f"{problem.segment}.{_ENCODING_RULES[problem.code]}"
            if rule not in fired:
                fired.append(rule)
    for rule in sorted(fired, key=lambda r: (r.endswith("not-utf8"), r.startswith("payload"))):
        yield finding(rule, rule.split(".")[0])


def _sensitive_rule(ctx: _Ctx) -> Iterator[Finding]:
    if ctx.payload is None or ctx.is_jwe:  # encrypted: the risk this rule names does not apply
        return
    for hit in sensitive.scan(ctx.payload):
        title, severity_in, severity_out, what = sensitive.KINDS[hit.kind]
        severity = severity_out if hit.outside_identity else severity_in
        where = ", ".join(hit.paths[:3]) + (f" (+{len(hit.paths) - 3} more)" if len(hit.paths) > 3 else "")
        yield finding("payload.sensitive", where, variant="identity" if severity == "info" else None,
                      severity=severity, title=title, what=what, paths=where)


def _text_rule(ctx: _Ctx) -> Iterator[Finding]:
    payload = ctx.payload if ctx.payload is not None else {}
    for hit in confusables.scan(ctx.header, payload):
        paths = ", ".join(hit.paths[:3]) + (f" (+{len(hit.paths) - 3} more)" if len(hit.paths) > 3 else "")
        examples = ", ".join(hit.examples[:3]) + (" and more" if len(hit.examples) > 3 else "")
        segments = " and ".join(dict.fromkeys(p.split(".")[0].split("[")[0] for p in hit.paths))
        yield finding(f"text.{hit.kind}", hit.paths[0], paths=paths, examples=examples, where_words=f"the {segments}")


RULES: tuple[Callable[[_Ctx], Iterator[Finding]], ...] = (
    _alg_rules,
    _signature_rules,
    _key_rules,
    _private_key_rule,
    _header_url_rules,
    _kid_rule,
    _crit_rule,
    _b64_rule,
    _jwe_rules,
    _jwe_key_rules,
    _typ_rules,
    _claim_rules,
    _encoding_rules,
    _sensitive_rule,
    _text_rule,
)
