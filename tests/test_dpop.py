"""DPoP proofs (RFC 9449): the RFC's examples, proofs made with cryptography for every asymmetric algorithm, and one
mutation per check of section 4.3."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest

from jose_kit import b64url, jwk, key_for, sign, thumbprint
from jwtlens import dpop
from jwtlens.report import DpopReport

RFC = json.loads((Path(__file__).parent / "vectors" / "dpop" / "rfc9449-examples.json").read_text())
NOW = 1_800_000_000
URL = "https://resource.example.org/protectedresource"
ALGS = ["ES256", "ES384", "ES512", "ES256K", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA",
        "EdDSA-Ed448"]


def results(report: DpopReport) -> dict[str, str]:
    return {c.id: c.result for c in report.checks}


def message(report: DpopReport, check_id: str) -> str:
    return next(c.message for c in report.checks if c.id == check_id)


def codes(report: DpopReport) -> list[str]:
    return [p.code for p in report.problems]


def proof(alg: str = "ES256", *, header: dict[str, Any] | None = None, key: Any = None, drop: tuple[str, ...] = (),
          **claims: Any) -> str:
    """A DPoP proof for GET URL at NOW; ``claims`` override payload members, ``drop`` removes them."""
    signer = key or key_for(alg)
    head = {"typ": "dpop+jwt", "alg": "EdDSA" if alg.startswith("EdDSA") else alg, "jwk": jwk(key_for(alg))}
    payload = {"jti": "e1j3V_bKic8-LAEB", "htm": "GET", "htu": URL, "iat": NOW, **claims}
    payload = {k: v for k, v in payload.items() if k not in drop}
    return sign(alg, signer, {**head, **(header or {})}, payload)


def bound_token(key_jwk: dict[str, Any], **cnf: Any) -> str:
    """A JWT access token bound with cnf.jkt (its signature does not matter to these checks)."""
    claims = {"sub": "alice", "cnf": cnf if cnf else {"jkt": thumbprint(key_jwk)}}
    return sign("ES256", key_for("ES384"), {"alg": "ES384", "typ": "at+jwt"}, claims)


def check(text: str, access_token: str | None = None, **kwargs: Any) -> DpopReport:
    kwargs.setdefault("expected_method", "GET")
    kwargs.setdefault("expected_url", URL)
    return dpop.check_pair(access_token, text, NOW + 5, **kwargs)


# -- RFC 9449's examples ------------------------------------------------------------------------------------------


def test_rfc9449_token_request_proof() -> None:
    v = RFC["token_request"]
    report = dpop.check_proof(v["proof"], v["iat"] + 10, expected_method=v["htm"], expected_url=v["htu"])
    assert report.valid and report.problems == [] and report.findings == []
    assert results(report) == {"dpop.jwt": "pass", "dpop.typ": "pass", "dpop.alg": "pass", "dpop.jwk": "pass",
                               "dpop.signature": "pass", "dpop.jti": "pass", "dpop.htm": "pass", "dpop.htu": "pass",
                               "dpop.iat": "pass", "dpop.nonce": "skipped", "dpop.ath": "skipped",
                               "dpop.jkt": "skipped"}
    assert report.thumbprint == RFC["jkt"]
    assert report.proof.signature.verified == "valid"


def test_rfc9449_resource_request_with_its_access_token() -> None:
    v = RFC["resource_request"]
    report = dpop.check_pair(v["access_token"], v["proof"], v["iat"], v["htm"], v["htu"])
    assert report.valid and report.ath == v["ath"] == dpop.access_token_hash(v["access_token"])
    assert results(report)["dpop.ath"] == "pass" and results(report)["dpop.jkt"] == "skipped"
    assert "opaque" in message(report, "dpop.jkt")


def test_rfc9449_jwt_access_token_bound_by_jkt() -> None:
    v = RFC["resource_request"]
    token = RFC["jwt_access_token_with_jkt"]["token"]
    report = dpop.check_pair(token, v["proof"], v["iat"], v["htm"], v["htu"])
    assert results(report)["dpop.jkt"] == "pass" and RFC["jkt"] in message(report, "dpop.jkt")
    assert results(report)["dpop.ath"] == "fail"  # the RFC's proof hashes the opaque token, not this one
    assert report.access_token.payload["cnf"] == {"jkt": RFC["jkt"]}


# -- every asymmetric algorithm ------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ALGS)
def test_valid_proof_for_each_algorithm(alg: str) -> None:
    key_jwk = jwk(key_for(alg))
    token = bound_token(key_jwk)
    report = check(proof(alg, ath=dpop.access_token_hash(token)), token)
    assert report.valid and report.problems == [], report.problems
    assert set(results(report).values()) == {"pass", "skipped"} and results(report)["dpop.nonce"] == "skipped"
    assert report.thumbprint == thumbprint(key_jwk)
    assert report.proof.signature.alg == ("EdDSA" if alg.startswith("EdDSA") else alg)


# -- one mutation per check ------------------------------------------------------------------------------------------


def test_not_a_jws() -> None:
    report = check("eyJhbGciOiJFUzI1NiJ9.e30")
    assert results(report)["dpop.jwt"] == "fail" and codes(report) == ["dpop.malformed"]
    assert set(list(results(report).values())[1:]) == {"skipped"} and not report.valid


@pytest.mark.parametrize("typ, result", [(None, "fail"), ("JWT", "fail"), ("application/DPoP+JWT", "pass")])
def test_typ(typ: str | None, result: str) -> None:
    report = check(proof(header={"typ": typ}))
    assert results(report)["dpop.typ"] == result
    assert ("dpop.typ-wrong" in codes(report)) == (result == "fail")


def test_alg_hmac_is_critical() -> None:
    text = sign("HS256", b"s" * 32, {"typ": "dpop+jwt", "alg": "HS256", "jwk": jwk(key_for("ES256"))},
                {"jti": "x", "htm": "GET", "htu": URL, "iat": NOW})
    report = check(text)
    assert results(report)["dpop.alg"] == "fail" and results(report)["dpop.signature"] == "skipped"
    assert "shared-secret MAC" in message(report, "dpop.alg")
    assert [(f.rule, f.severity) for f in report.findings] == [("dpop.alg-not-asymmetric", "critical")]


def test_alg_none() -> None:
    head = {"typ": "dpop+jwt", "alg": "none", "jwk": jwk(key_for("ES256"))}
    text = b64url(json.dumps(head)) + "." + b64url(json.dumps({"jti": "x", "htm": "GET", "htu": URL, "iat": NOW})) + "."
    report = check(text)
    assert "alg \"none\"" in message(report, "dpop.alg") and "dpop.alg-not-asymmetric" in codes(report)


def test_jwk_with_private_members_is_critical() -> None:
    report = check(proof(header={"jwk": jwk(key_for("ES256"), private=True)}))
    assert results(report)["dpop.jwk"] == "fail" and "(d)" in message(report, "dpop.jwk")
    assert results(report)["dpop.signature"] == "pass"  # the key still verifies; the proof is still refused
    assert [f.rule for f in report.findings] == ["dpop.jwk-private"] and report.findings[0].severity == "critical"
    assert not report.valid


@pytest.mark.parametrize("value, wording", [
    (None, "is missing"),
    ({"kty": "oct", "k": "c2VjcmV0c2VjcmV0c2VjcmV0"}, "symmetric (oct) key"),
    ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, "is not usable"),
    ("not-an-object", "not a JSON object"),
])
def test_jwk_unusable(value: Any, wording: str) -> None:
    report = check(proof(header={"jwk": value}))
    assert results(report)["dpop.jwk"] == "fail" and wording in message(report, "dpop.jwk")
    assert results(report)["dpop.signature"] == "skipped" and "dpop.jwk-invalid" in codes(report)


def test_signature_by_another_key() -> None:
    report = check(proof(key=key_for("EdDSA-Ed448"), alg="EdDSA"))
    assert results(report)["dpop.signature"] == "fail" and "dpop.signature-invalid" in codes(report)
    report = check(proof("ES256", key=key_for("ES256K"), header={"alg": "ES256K"}))  # ES256K with a P-256 jwk
    assert results(report)["dpop.signature"] == "fail" and "cannot verify ES256K" in message(report, "dpop.signature")


@pytest.mark.parametrize("claim", ["jti", "htm", "htu", "iat"])
def test_required_claims(claim: str) -> None:
    report = check(proof(drop=(claim,)))
    assert results(report)[f"dpop.{claim}"] == "fail" and "missing" in message(report, f"dpop.{claim}")
    assert "dpop.claim-missing" in codes(report)


def test_htm() -> None:
    report = check(proof(), expected_method="POST")
    assert results(report)["dpop.htm"] == "fail" and "dpop.htm-mismatch" in codes(report)
    assert "case-sensitive" in message(check(proof(htm="get")), "dpop.htm")
    assert "no request method given" in message(check(proof(), expected_method=None), "dpop.htm")


@pytest.mark.parametrize("htu, request_url, result", [
    (URL, "https://resource.example.org/other", "fail"),
    (URL, "http://resource.example.org/protectedresource", "fail"),
    (URL, "HTTPS://Resource.Example.ORG:443/protectedresource?page=2#top", "pass"),
    ("https://resource.example.org:8443/a/./b/../c%7e", "https://resource.example.org:8443/a/c~", "pass"),
    ("https://resource.example.org", "https://resource.example.org/", "pass"),
    ("/protectedresource", URL, "fail"),
])
def test_htu(htu: str, request_url: str, result: str) -> None:
    report = check(proof(htu=htu), expected_url=request_url)
    assert results(report)["dpop.htu"] == result, message(report, "dpop.htu")


def test_htu_with_query_is_a_warning() -> None:
    report = check(proof(htu=URL + "?x=1"))
    assert results(report)["dpop.htu"] == "pass" and codes(report) == ["dpop.htu-has-query"]
    assert report.problems[0].level == "warning" and report.valid


@pytest.mark.parametrize("iat, kwargs, wrong", [
    (NOW + 120, {}, "dpop.iat-future"),
    (NOW - 400, {}, "dpop.iat-too-old"),
    (NOW - 200, {"max_age": 60}, "dpop.iat-too-old"),
    (NOW - 10, {"max_age": 5, "leeway": 0}, "dpop.iat-too-old"),
    (NOW + 30, {"leeway": 10}, "dpop.iat-future"),
    ("now", {}, "dpop.claim-missing"),
])
def test_iat_window(iat: Any, kwargs: dict[str, Any], wrong: str) -> None:
    report = check(proof(iat=iat), **kwargs)
    assert results(report)["dpop.iat"] == "fail" and wrong in codes(report)


def test_iat_within_the_window() -> None:
    assert results(check(proof(iat=NOW + 30)))["dpop.iat"] == "pass"  # default leeway 60 s
    assert results(check(proof(iat=NOW - 290)))["dpop.iat"] == "pass"  # default window 300 s


def test_nonce() -> None:
    assert results(check(proof(nonce="eyJ7S_zG.eyJH0-Z.HX4w-7v"), expected_nonce="eyJ7S_zG.eyJH0-Z.HX4w-7v"))[
        "dpop.nonce"] == "pass"
    report = check(proof(nonce="old"), expected_nonce="new")
    assert results(report)["dpop.nonce"] == "fail" and "dpop.nonce-mismatch" in codes(report)
    assert results(check(proof(), expected_nonce="new"))["dpop.nonce"] == "fail"
    assert "no server nonce given" in message(check(proof(nonce="n")), "dpop.nonce")


def test_ath_missing_mismatch_and_not_ascii() -> None:
    token = bound_token(jwk(key_for("ES256")))
    report = check(proof(), token)
    assert results(report)["dpop.ath"] == "fail" and "dpop.ath-missing" in codes(report)
    assert [f.rule for f in report.findings] == ["dpop.no-ath"]
    report = check(proof(ath=dpop.access_token_hash("another token")), token)
    assert results(report)["dpop.ath"] == "fail" and report.ath in message(report, "dpop.ath")
    assert "dpop.ath-mismatch" in codes(report)
    assert "not ASCII" in message(check(proof(ath="x"), "tökén"), "dpop.ath")
    assert "no access token was given" in message(check(proof(ath="x")), "dpop.ath")


def test_jkt_mismatch_and_unbound_token() -> None:
    other = bound_token(jwk(key_for("ES384")))  # bound to another key
    report = check(proof(ath=dpop.access_token_hash(other)), other)
    assert results(report)["dpop.jkt"] == "fail" and "dpop.jkt-mismatch" in codes(report)
    assert thumbprint(jwk(key_for("ES384"))) in message(report, "dpop.jkt")
    bearer = bound_token({}, x5t="not-jkt")
    report = check(proof(ath=dpop.access_token_hash(bearer)), bearer)
    assert results(report)["dpop.jkt"] == "fail" and "dpop.token-not-bound" in codes(report)
    assert [(f.rule, f.severity) for f in report.findings] == [("dpop.token-not-bound", "high")]


def test_normalize_url() -> None:
    assert dpop.normalize_url("HTTP://[2001:DB8::1]:80/%7euser/%2f") == ("http://[2001:db8::1]/~user/%2F", None)
    assert dpop.normalize_url("https://x.example:99999/")[0] is None
    assert dpop.normalize_url("ftp://x.example/")[1] == "it needs the http or https scheme and a host"


def test_garbage_never_raises() -> None:
    rng = random.Random(9449)
    base = RFC["resource_request"]["proof"]
    for _ in range(300):
        chars = list(base)
        for _ in range(rng.randrange(1, 5)):
            chars[rng.randrange(len(chars))] = rng.choice(".{}\"aZ09-_=+/ \u00e9")
        report = dpop.check_pair(rng.choice([None, "tok", "a.b.c"]), "".join(chars), NOW)
        assert "internal.error" not in codes(report), report.problems
        json.dumps(dataclasses.asdict(report))
    for text in ("", ".", "..", None, "a.b.c"):
        assert "internal.error" not in codes(dpop.check_pair(None, text, NOW))  # type: ignore[arg-type]
