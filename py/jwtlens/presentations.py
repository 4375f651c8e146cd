"""What travels with a token, checked together: a DPoP proof with its HTTP request and access token (RFC 9449), and
an ID token with the access token or code issued beside it (OpenID Connect at_hash and c_hash).

``attach(report, text, options)`` looks at the whole pasted text (extract.py finds the request lines and response
values), runs dpop.py and pairs.py, and puts their reports on the Report; the findings of a DPoP pair join the review
of the selected token when that token is the proof or its access token.
"""

from __future__ import annotations

from . import dpop, extract, pairs
from .options import Options
from .report import Finding, Report
from .rules import SEVERITIES
from .segments import media_type


def attach(report: Report, text: str, options: Options) -> None:
    if report.token is None:
        return
    _dpop(report, text, options)
    _pair(report, text)


def _dpop(report: Report, text: str, options: Options) -> None:
    token = report.token
    assert token is not None
    header = token.header if isinstance(token.header, dict) else {}
    selected_is_proof = media_type(header.get("typ")) == "dpop+jwt"
    request = extract.http_request(text)
    proof = request.proof if request is not None and request.proof else token.token if selected_is_proof else None
    if proof is None:
        return
    access = request.access_token if request is not None and (request.scheme or "").lower() == "dpop" else None
    method = options.method or (request.method if request is not None else None)
    url = options.url or (request.url if request is not None else None)
    report.dpop = dpop.check_pair(access, proof, options.now, method, url, expected_nonce=options.nonce)
    if token.token in {proof.strip(), (access or "").strip()}:
        token.findings = _merge(token.findings, report.dpop.findings)


def _pair(report: Report, text: str) -> None:
    values = extract.response_values(text)
    id_token = values.get("id_token")
    if id_token and (values.get("access_token") or values.get("code")):
        report.pair = pairs.check_id_token_pair(id_token, values.get("access_token"), values.get("code"))


def _merge(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    seen = {(f.rule, f.where) for f in findings}
    merged = findings + [f for f in more if (f.rule, f.where) not in seen]
    return sorted(merged, key=lambda f: SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES))
