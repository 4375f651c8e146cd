"""DPoP proofs (RFC 9449): every check of section 4.3 as a ``Check`` (pass / fail / skipped), the failures as
``dpop.*`` problems, and the security findings (rule ids in ``RULE_IDS``).

``check_pair(access_token, proof, now=None, expected_method=None, expected_url=None, **options)`` checks the proof
and, when the access token sent with it is given, the proof's ath and the token's cnf.jkt binding. ``check_proof``
is the same without an access token. Never raises for bad input.

The request's method and URL are only compared when given (a pasted proof usually comes without its request);
htu is compared after RFC 3986 syntax- and scheme-based normalisation, without query and fragment (RFC 9449 4.3).
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any
from urllib.parse import urlsplit

from . import b64url, jwa, pop, segments
from .pop import Checks
from .problems import Code, problem
from .report import DpopReport, Finding
from .rules import finding
from .segments import json_value_words

DPOP_TYP = "dpop+jwt"
DEFAULT_MAX_AGE = 300.0  # seconds a proof stays acceptable after its iat; RFC 9449 11.1 leaves the window to servers
DEFAULT_LEEWAY = 60.0  # seconds a client clock may be ahead
CHECK_IDS = ("dpop.jwt", "dpop.typ", "dpop.alg", "dpop.jwk", "dpop.signature", "dpop.jti", "dpop.htm", "dpop.htu",
             "dpop.iat", "dpop.nonce", "dpop.ath", "dpop.jkt")


def check_pair(access_token: str | None, proof: str, now: float | None = None, expected_method: str | None = None,
               expected_url: str | None = None, *, expected_nonce: str | None = None,
               max_age: float = DEFAULT_MAX_AGE, leeway: float = DEFAULT_LEEWAY) -> DpopReport:
    """Check a DPoP proof and, when given, the access token sent with it (``Authorization: DPoP <token>``)."""
    when = float(now) if isinstance(now, (int, float)) and not isinstance(now, bool) else time.time()
    token = segments.decode_token(proof.strip() if isinstance(proof, str) else "")
    report = DpopReport(proof=token)
    try:
        _Proof(report, access_token, when, expected_method, expected_url, expected_nonce, max_age, leeway).run()
        report.findings = review(report)
    except Exception as exc:  # noqa: BLE001 - a bug must show as a problem, not a traceback
        report.problems.append(problem(Code.INTERNAL_ERROR, f"DPoP: {type(exc).__name__}: {exc}", segment="token"))
    report.valid = all(c.result != "fail" for c in report.checks) and not any(
        p.code == Code.INTERNAL_ERROR for p in report.problems)
    return report


def check_proof(proof: str, now: float | None = None, **kwargs: Any) -> DpopReport:
    """``check_pair`` without an access token (a proof sent to a token endpoint)."""
    return check_pair(None, proof, now, **kwargs)


def access_token_hash(access_token: str) -> str:
    """ath: base64url(SHA-256(ASCII of the access token)) (RFC 9449 4.2)."""
    return b64url.encode(hashlib.sha256(access_token.encode("ascii")).digest())


class _Proof:
    def __init__(self, report: DpopReport, access_token: str | None, now: float, method: str | None,
                 url: str | None, nonce: str | None, max_age: float, leeway: float) -> None:
        self.report, self.access_token, self.now = report, access_token, now
        self.method, self.url, self.nonce, self.max_age, self.leeway = method, url, nonce, max_age, leeway
        self.c = Checks(report.checks, report.problems, "DPoP proof: ")
        token = report.proof
        self.header = token.header if isinstance(token.header, dict) else None
        self.payload = token.payload if isinstance(token.payload, dict) else None

    def run(self) -> None:
        token, c = self.report.proof, self.c
        if token.kind != "JWS" or self.header is None or self.payload is None:
            c.add("dpop.jwt", "fail", "The proof is not a decodable compact JWS with a JSON header and payload (see "
                  "its own problems).", Code.DPOP_MALFORMED)
            c.skip_rest(CHECK_IDS[1:], "The proof does not decode.")
            return
        c.add("dpop.jwt", "pass", "A compact JWS with a JSON header and payload.")
        self._typ()
        alg_ok = self._alg()
        key = self._jwk()
        self._signature(alg_ok, key)
        self._claims()
        self._ath()
        self._jkt(key)

    def _typ(self) -> None:
        typ = self.header.get("typ")
        plain = segments.media_type(typ)
        if typ == DPOP_TYP:
            self.c.add("dpop.typ", "pass", f"typ is \"{DPOP_TYP}\".")
        elif plain == DPOP_TYP:  # media types compare case-insensitively, "application/" may be spelled out
            self.c.add("dpop.typ", "pass", f"typ is {typ!r}, the same media type as \"{DPOP_TYP}\" (RFC 7515 "
                       "4.1.9); strict servers compare the exact string.")
        else:
            shown = "missing" if typ is None else repr(typ)
            self.c.add("dpop.typ", "fail", f"typ is {shown}, not \"{DPOP_TYP}\".", Code.DPOP_TYP_WRONG)

    def _alg(self) -> bool:
        alg = self.header.get("alg")
        reason = pop.alg_reason(alg)
        if reason is None:
            self.c.add("dpop.alg", "pass", f"alg {alg} is a registered asymmetric signature algorithm.")
            return True
        self.c.add("dpop.alg", "fail", f"Not acceptable: {reason}.", Code.DPOP_ALG_NOT_ASYMMETRIC)
        return False

    def _jwk(self) -> Any:
        jwk = self.header.get("jwk")
        key, why = pop.load_public_jwk(jwk, "The header's jwk")
        private = pop.private_members(jwk) if isinstance(jwk, dict) else []
        if private:
            self.c.add("dpop.jwk", "fail", f"The header's jwk contains private key members ({', '.join(private)}): "
                       "the private key is disclosed to every server that sees the proof.", Code.DPOP_JWK_PRIVATE)
        elif key is None:
            self.c.add("dpop.jwk", "fail", f"{why}.", Code.DPOP_JWK_INVALID)
        if key is not None:
            self.report.thumbprint = key.thumbprint()
            if not private:
                self.c.add("dpop.jwk", "pass", f"jwk is an {key.describe()} (RFC 7638 thumbprint "
                           f"{self.report.thumbprint}).")
        return key

    def _signature(self, alg_ok: bool, key: Any) -> None:
        if not alg_ok or key is None:
            why = "no usable algorithm" if not alg_ok else "no usable jwk"
            self.c.add("dpop.signature", "skipped", f"Not checked: {why}.")
            return
        result = pop.verify(self.report.proof, key, " in the proof's own header")
        self.report.proof.signature = result
        if result.verified == "valid":
            self.c.add("dpop.signature", "pass", result.message)
        else:
            self.c.add("dpop.signature", "fail", result.message, Code.DPOP_SIGNATURE_INVALID)

    def _claims(self) -> None:
        p, c = self.payload, self.c
        jti = p.get("jti")
        if isinstance(jti, str) and jti:
            c.add("dpop.jti", "pass", f"jti is {jti!r} (servers reject a jti they have seen before).")
        else:
            c.add("dpop.jti", "fail", f"jti is {_shown(jti)}; a proof needs a unique string.", Code.DPOP_CLAIM_MISSING)
        self._htm(p.get("htm"))
        self._htu(p.get("htu"))
        result, message, wrong = pop.iat_window(p.get("iat"), self.now, self.leeway, self.max_age)
        code = {"missing": Code.DPOP_CLAIM_MISSING, "future": Code.DPOP_IAT_FUTURE, "old": Code.DPOP_IAT_TOO_OLD}
        c.add("dpop.iat", result, message, code.get(wrong or ""))
        self._nonce(p.get("nonce"))

    def _htm(self, htm: Any) -> None:
        if not isinstance(htm, str) or not htm:
            self.c.add("dpop.htm", "fail", f"htm is {_shown(htm)}; it must name the HTTP method.",
                       Code.DPOP_CLAIM_MISSING)
        elif self.method is None:
            self.c.add("dpop.htm", "pass", f"htm is {htm!r} (no request method given to compare).")
        elif htm == self.method:
            self.c.add("dpop.htm", "pass", f"htm {htm!r} is the request's method.")
        else:
            case = " (method names are case-sensitive)" if htm.lower() == self.method.lower() else ""
            self.c.add("dpop.htm", "fail", f"htm is {htm!r}, but the request's method is {self.method!r}{case}.",
                       Code.DPOP_HTM_MISMATCH)

    def _htu(self, htu: Any) -> None:
        c = self.c
        if not isinstance(htu, str) or not htu:
            c.add("dpop.htu", "fail", f"htu is {_shown(htu)}; it must be the request's URL.", Code.DPOP_CLAIM_MISSING)
            return
        if "?" in htu or "#" in htu:
            self.report.problems.append(problem(Code.DPOP_HTU_HAS_QUERY, f"DPoP proof: htu {htu!r} has a query or "
                                                "fragment; they are ignored when comparing.", segment="payload"))
        claimed, why = normalize_url(htu)
        if claimed is None:
            c.add("dpop.htu", "fail", f"htu {htu!r} is not an absolute http(s) URL: {why}.", Code.DPOP_HTU_MISMATCH)
        elif self.url is None:
            c.add("dpop.htu", "pass", f"htu is {htu!r} (no request URL given to compare).")
        else:
            request, why = normalize_url(self.url)
            if claimed == request:
                c.add("dpop.htu", "pass", f"htu {htu!r} matches the request URL {self.url!r} (compared as "
                      f"{claimed}).")
            else:
                c.add("dpop.htu", "fail", f"htu {htu!r} does not match the request URL {self.url!r} (compared as "
                      f"{claimed} and {request or why}).", Code.DPOP_HTU_MISMATCH)

    def _nonce(self, nonce: Any) -> None:
        if self.nonce is None:
            if nonce is None:
                self.c.add("dpop.nonce", "skipped", "No nonce in the proof, and no server nonce given to compare.")
            else:
                self.c.add("dpop.nonce", "pass", f"nonce is {_shown(nonce)} (no server nonce given to compare).")
        elif nonce == self.nonce:
            self.c.add("dpop.nonce", "pass", f"nonce is the server's {self.nonce!r}.")
        else:
            self.c.add("dpop.nonce", "fail", f"nonce is {_shown(nonce)}, but the server's DPoP-Nonce is "
                       f"{self.nonce!r}.", Code.DPOP_NONCE_MISMATCH)

    def _ath(self) -> None:
        ath, token = self.payload.get("ath"), self.access_token
        if token is None:
            said = f"ath {_shown(ath)} is present, but" if ath is not None else "No ath, and"
            self.c.add("dpop.ath", "skipped", f"{said} no access token was given to compare.")
            return
        if not token.isascii():
            self.c.add("dpop.ath", "fail", "The access token is not ASCII, so it has no ath (RFC 9449 4.2 hashes "
                       "its ASCII encoding).", Code.DPOP_ATH_MISMATCH)
            return
        self.report.ath = expected = access_token_hash(token)
        how = f"base64url(SHA-256) of the {len(token)}-character access token is {expected}"
        if ath is None:
            self.c.add("dpop.ath", "fail", f"ath is missing, but the proof is sent with an access token ({how}).",
                       Code.DPOP_ATH_MISSING)
        elif ath == expected:
            self.c.add("dpop.ath", "pass", f"ath matches: {how}.")
        else:
            self.c.add("dpop.ath", "fail", f"ath is {_shown(ath)}, but {how}.", Code.DPOP_ATH_MISMATCH)

    def _jkt(self, key: Any) -> None:
        token = self.access_token
        if token is None:
            self.c.add("dpop.jkt", "skipped", "No access token given.")
            return
        jwt = segments.decode_token(token) if token.count(".") == 2 else None
        claims = jwt.payload if jwt is not None and isinstance(jwt.payload, dict) else None
        if claims is None:
            self.c.add("dpop.jkt", "skipped", "The access token is opaque (not a JWT): only its issuer knows the key "
                       "it is bound to (token introspection returns cnf.jkt).")
            return
        self.report.access_token = jwt
        cnf = claims.get("cnf")
        jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
        if not isinstance(jkt, str):
            self.c.add("dpop.jkt", "fail", "The access token has no cnf.jkt: it is not bound to any DPoP key, so "
                       "whoever holds it can use it (a bearer token).", Code.DPOP_TOKEN_NOT_BOUND)
        elif key is None:
            self.c.add("dpop.jkt", "skipped", f"cnf.jkt is {jkt}, but the proof has no usable jwk to compare.")
        elif jkt == self.report.thumbprint:
            self.c.add("dpop.jkt", "pass", f"cnf.jkt {jkt} is the thumbprint of the proof's jwk: the token is bound "
                       "to this key.")
        else:
            self.c.add("dpop.jkt", "fail", f"cnf.jkt is {jkt}, but the proof's jwk has thumbprint "
                       f"{self.report.thumbprint}: the token is bound to another key.", Code.DPOP_JKT_MISMATCH)


def _shown(value: Any) -> str:
    return "missing" if value is None else repr(value) if isinstance(value, str) else json_value_words(value)


# -- htu normalisation (RFC 3986 6.2.2, 6.2.3) ---------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def normalize_url(url: str) -> tuple[str | None, str | None]:
    """(normalised URL without query and fragment, None), or (None, why it is not an absolute http(s) URL)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        return None, str(exc)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None, "it needs the http or https scheme and a host"
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    port_text = f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else ""
    path = _remove_dot_segments(_percent(parts.path)) or "/"
    return f"{scheme}://{host}{port_text}{path}", None


def _percent(text: str) -> str:
    """Upper-case percent-encodings, and decode those of unreserved characters (RFC 3986 6.2.2.1, 6.2.2.2)."""
    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else "%" + m.group(1).upper()
    return _PERCENT.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, for absolute paths."""
    out: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    trailing = "/" if path.endswith(("/.", "/..")) else ""
    return ("/" + "/".join(out) + trailing) if path.startswith("/") else path


# -- security review -------------------------------------------------------------------------------------------------


def _symmetric_or_none(report: DpopReport) -> bool:
    alg = report.proof.header.get("alg") if isinstance(report.proof.header, dict) else None
    row = jwa.get(alg, "jws")
    return row is not None and row.family in ("HMAC", "none")


# (the problem code that raises it, or a test of the report; the rule and where it points)
_FINDINGS: tuple[tuple[Any, str, str], ...] = (
    (_symmetric_or_none, "dpop.alg-not-asymmetric", "header.alg"),
    (Code.DPOP_JWK_PRIVATE, "dpop.jwk-private", "header.jwk"),
    (Code.DPOP_ATH_MISSING, "dpop.no-ath", "payload.ath"),
    (Code.DPOP_TOKEN_NOT_BOUND, "dpop.token-not-bound", "access_token.cnf"),
)
RULE_IDS = tuple(rule for _, rule, _ in _FINDINGS)


def review(report: DpopReport) -> list[Finding]:
    """Security findings about a checked proof (filled into ``DpopReport.findings`` by check_pair)."""
    codes = {p.code for p in report.problems}
    return [finding(rule, where) for when, rule, where in _FINDINGS
            if (when in codes if isinstance(when, str) else when(report))]
