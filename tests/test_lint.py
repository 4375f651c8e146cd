"""Security review (jwtlens.lint): each rule fires on the risky shape and stays quiet on the ordinary one.

TokenReports are built directly from the dataclasses, so these tests do not depend on the decoder; one test at the
end goes through jwtlens.inspect with real tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings

import jwt
import pytest

import jwtlens
from jwtlens.lint import RULE_IDS, SEVERITIES, review, summarize
from jwtlens.options import Options
from jwtlens.report import Finding, KeyInfo, Problem, Segment, SignatureResult, TokenReport

NOW = 1_800_000_000.0
RSA_2048 = KeyInfo(kind="RSA", format="PEM public key", description="RSA 2048-bit public key", size=2048)
PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"


@pytest.fixture(scope="module")
def real_rsa():
    """A real RSA key and its PEM text (cryptography: CPython only; these tests are skipped inside Pyodide)."""
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = rsa.generate_private_key(65537, 2048)
    return key, key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def b64(obj: object) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make(
    header: object,
    payload: object = None,
    *,
    kind: str = "JWS",
    sig: str = "c2lnbmF0dXJl",
    problems: list[Problem] | None = None,
    key: KeyInfo | None = None,
    verified: str = "unchecked",
    confusion: str | None = None,
) -> TokenReport:
    if kind == "JWE":
        texts = [b64(header), "ZW5j", "aXY", "Y2lwaGVy", "dGFn"]
        names = ["header", "encrypted_key", "iv", "ciphertext", "tag"]
    else:
        texts = [b64(header if header is not None else b"\xff"), b64(payload if payload is not None else b"\xff"), sig]
        names = ["header", "payload", "signature"]
    segments, start = [], 0
    for name, text in zip(names, texts, strict=True):
        segments.append(Segment(name, text, start))  # type: ignore[arg-type]
        start += len(text) + 1
    alg = header.get("alg") if isinstance(header, dict) else None
    return TokenReport(
        token=".".join(texts),
        kind=kind,  # type: ignore[arg-type]
        segments=segments,
        header=header,
        payload=payload if kind != "JWE" else None,
        problems=problems or [],
        signature=SignatureResult(verified, "", alg=alg if isinstance(alg, str) else None, key=key,  # type: ignore
                                  key_confusion=confusion),  # type: ignore[arg-type]
    )


def run(token: TokenReport, key: str | None = None, now: float = NOW, leeway: float = 0.0) -> list[Finding]:
    findings = review(token, token.signature, Options(now=now, leeway=leeway), key=key)
    assert {f.rule for f in findings} <= set(RULE_IDS)  # every emitted id is a documented one
    return findings


def by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule: f for f in findings}


def good_claims(**extra: object) -> dict[str, object]:
    claims: dict[str, object] = {"iss": "https://issuer.example", "aud": "api://orders", "sub": "user-42",
                                 "iat": NOW - 60, "exp": NOW + 840}
    claims.update(extra)
    return claims


RS = {"alg": "RS256", "typ": "JWT", "kid": "2024-05-key-1"}


# --- the clean baseline ------------------------------------------------------------------------------------------


def test_clean_access_token_from_a_well_configured_issuer_has_no_findings() -> None:
    header = {"alg": "RS256", "typ": "at+jwt", "kid": "k1-2026-05"}
    payload = good_claims(client_id="s6BhdRkqt3", scope="orders:read", jti="6f1c2a3e-2b4d-4f8a-9c1e-0d2b3a4c5e6f",
                          nbf=NOW - 60)
    findings = run(make(header, payload, key=RSA_2048, verified="valid"))
    assert findings == []


def test_clean_id_token_gets_only_info_about_its_identity_claims() -> None:
    payload = good_claims(email="jane.doe@example.com", email_verified=True, name="Jane Doe", nonce="n-0S6_WzA2Mj",
                          at_hash="77QmUPtjPfzWtF2AnpK9RQ", phone_number="+1 555 123 4567")
    findings = run(make(RS, payload, key=RSA_2048, verified="valid"))
    assert findings and all(f.severity == "info" for f in findings)
    assert {f.title for f in findings} == {"Email address in the payload", "Phone number in the payload"}


def test_findings_have_every_field_and_come_most_severe_first() -> None:
    token = make({"alg": "none", "jku": "http://evil.example/jwks"}, {"sub": "x"}, sig="")
    findings = run(token)
    assert [f.severity for f in findings] == sorted((f.severity for f in findings), key=SEVERITIES.index)
    for f in findings:
        assert f.rule and f.title and f.risk.endswith(".") and f.fix.endswith(".")
        assert f.reference.startswith("RFC ") and f.severity in SEVERITIES


# --- algorithm ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_in_any_case_is_critical(alg: str) -> None:
    found = by_rule(run(make({"alg": alg}, good_claims(), sig="")))
    assert found["alg.none"].severity == "critical"
    assert "alg.case" not in found and "signature.empty" not in found
    assert ("case variant" in found["alg.none"].title) == (alg != "none")


def test_empty_signature_with_a_real_alg_is_critical() -> None:
    assert by_rule(run(make({"alg": "HS256"}, good_claims(), sig="")))["signature.empty"].severity == "critical"
    assert "signature.empty" not in by_rule(run(make({"alg": "HS256"}, good_claims())))


@pytest.mark.parametrize("alg", ["HS257", "RS1", "ES999", "", 5, None, {"x": 1}])
def test_unregistered_alg(alg: object) -> None:
    found = by_rule(run(make({"alg": alg}, good_claims())))
    assert found["alg.unregistered"].severity == "high"


@pytest.mark.parametrize("alg", ["HS256", "RS512", "PS384", "ES256", "ES256K", "EdDSA", "Ed25519", "Ed448"])
def test_registered_alg_is_quiet(alg: str) -> None:
    assert not {"alg.unregistered", "alg.case", "alg.none", "alg.missing"} & set(by_rule(run(make({"alg": alg},
                                                                                              good_claims()))))


@pytest.mark.parametrize(("alg", "right"), [("hs256", "HS256"), ("Rs256", "RS256"), ("EDDSA", "EdDSA")])
def test_alg_in_wrong_case(alg: str, right: str) -> None:
    found = by_rule(run(make({"alg": alg}, good_claims())))
    assert "alg.unregistered" not in found
    assert right in found["alg.case"].title


def test_missing_alg() -> None:
    assert by_rule(run(make({"typ": "JWT"}, good_claims())))["alg.missing"].severity == "high"


def test_jwe_algs_use_the_key_management_registry() -> None:
    assert "alg.unregistered" not in by_rule(run(make({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, kind="JWE")))
    assert "alg.unregistered" in by_rule(run(make({"alg": "HS256", "enc": "A256GCM"}, kind="JWE")))


# --- keys ---------------------------------------------------------------------------------------------------------


def secret(bits: int) -> KeyInfo:
    return KeyInfo(kind="secret", format="text", description=f"HMAC secret, {bits // 8} bytes", size=bits)


@pytest.mark.parametrize(("alg", "bits", "short"), [("HS256", 128, True), ("HS256", 256, False),
                                                    ("HS384", 256, True), ("HS512", 504, True),
                                                    ("HS512", 512, False)])
def test_hmac_secret_shorter_than_the_hash(alg: str, bits: int, short: bool) -> None:
    found = by_rule(run(make({"alg": alg}, good_claims(), key=secret(bits), verified="valid")))
    assert ("hmac.short-secret" in found) == short
    if short:
        assert found["hmac.short-secret"].severity == "high"
        assert found["hmac.short-secret"].reference.startswith("RFC 7518 3.2")


def test_pasted_weak_secret_is_named() -> None:
    token = make({"alg": "HS256"}, good_claims(), key=secret(19 * 8), verified="valid")
    f = by_rule(run(token, key="your-256-bit-secret"))["hmac.weak-secret"]
    assert f.severity == "critical"
    assert "'your-256-bit-secret'" in f.title
    token = make({"alg": "HS256"}, good_claims(), key=secret(6 * 8), verified="invalid")
    assert by_rule(run(token, key="secret"))["hmac.weak-secret"].severity == "high"


def test_strong_pasted_secret_is_not_weak() -> None:
    token = make({"alg": "HS256"}, good_claims(), key=secret(344), verified="valid")
    assert "hmac.weak-secret" not in by_rule(run(token, key="p7Qz3Vw9sL2xN8rT4kY6mB1cF5hJ0dG3aE"))


def test_public_key_as_hmac_secret_is_key_confusion() -> None:
    found = by_rule(run(make({"alg": "HS256"}, good_claims(), key=RSA_2048, verified="error",
                             confusion="attempted"), key=PEM))
    assert found["key.confusion"].severity == "high" and "forged" not in found["key.confusion"].title
    forged = by_rule(run(make({"alg": "HS256"}, good_claims(), key=RSA_2048, verified="invalid",
                              confusion="forged"), key=PEM))
    assert forged["key.confusion"].severity == "critical" and "forged" in forged["key.confusion"].title


def test_key_confusion_is_decided_by_verification_through_inspect(real_rsa) -> None:
    """The review reads the verdict verification reached, in every form the key can take."""
    _, REAL_PEM = real_rsa
    # signed with the PEM text: a real forgery, whatever the line ends and final newline of the pasted copy
    for pasted in (REAL_PEM, REAL_PEM.strip(), REAL_PEM.replace("\n", "\r\n")):
        token = forge_with_text({"alg": "HS256"}, good_claims(), REAL_PEM).token
        report = jwtlens.inspect(token, key=pasted, now=NOW)
        f = by_rule(report.token.findings)["key.confusion"]
        assert report.token.signature.key_confusion == "forged"
        assert f.severity == "critical" and "forged" in f.title
    jwk = json.dumps({"kty": "RSA", "n": "0vx7", "e": "AQAB"})  # not even a usable key: still the setup
    hs384 = jwtlens.inspect(make_signed({"alg": "HS384"}, good_claims(), b"x" * 48), key=jwk, now=NOW)
    assert by_rule(hs384.token.findings)["key.confusion"].severity == "high"
    jwks = json.dumps({"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]})
    hs256 = jwtlens.inspect(make_signed({"alg": "HS256"}, good_claims(), b"x" * 32), key=jwks, now=NOW)
    assert "key.confusion" in by_rule(hs256.token.findings)


def test_forgery_with_the_pem_text_pasted_as_a_jwk_is_critical_in_both_places(real_rsa) -> None:
    """Regression: the signature panel said forged while the review rated key.confusion only high."""
    key, REAL_PEM = real_rsa
    numbers = key.public_key().public_numbers()
    as_jwk = json.dumps({"kty": "RSA", "n": b64(numbers.n.to_bytes(256, "big")),
                         "e": b64(numbers.e.to_bytes(3, "big"))})
    token = forge_with_text({"alg": "HS256"}, good_claims(), REAL_PEM).token
    report = jwtlens.inspect(token, key=as_jwk, now=NOW)
    assert report.token.signature.verified == "invalid" and "KEY CONFUSION" in report.token.signature.message
    assert by_rule(report.token.findings)["key.confusion"].severity == "critical"


def make_signed(header: dict, payload: dict, secret: bytes) -> str:
    signing_input = b64(header) + "." + b64(payload)
    return signing_input + "." + b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def forge_with_text(header: dict, payload: dict, text: str) -> TokenReport:
    signing_input = b64(header) + "." + b64(payload)
    mac = hmac.new(text.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = make(header, payload, sig=b64(mac), key=RSA_2048, verified="invalid")
    token.token = signing_input + "." + b64(mac)
    return token


def test_public_key_with_asymmetric_alg_is_no_confusion() -> None:
    found = by_rule(run(make(RS, good_claims(), key=RSA_2048, verified="valid"), key=PEM))
    assert "key.confusion" not in found and "key.alg-mismatch" not in found


@pytest.mark.parametrize(
    ("alg", "key", "fits"),
    [
        ("ES256", KeyInfo("RSA", "PEM", "", size=2048), False),
        ("ES256", KeyInfo("EC", "JWK", "", size=384, curve="P-384"), False),
        ("ES256", KeyInfo("EC", "JWK", "", size=256, curve="P-256"), True),
        ("ES256", KeyInfo("EC", "PEM", "", size=256, curve="P-256"), True),
        ("ES256K", KeyInfo("EC", "PEM", "", size=256, curve="secp256k1"), True),
        ("ES512", KeyInfo("EC", "PEM", "", size=521, curve="P-521"), True),
        ("EdDSA", KeyInfo("OKP", "JWK", "", curve="Ed448"), True),
        ("Ed25519", KeyInfo("OKP", "JWK", "", curve="Ed448"), False),
        ("RS256", KeyInfo("EC", "JWK", "", curve="P-256"), False),
        ("PS256", KeyInfo("RSA", "JWK", "", size=3072), True),
        ("RS256", KeyInfo("secret", "text", "", size=256), False),
        ("RS256", KeyInfo("set", "JWKS", "JWKS with 2 key(s)"), True),
    ],
)
def test_key_must_fit_the_alg(alg: str, key: KeyInfo, fits: bool) -> None:
    found = by_rule(run(make({"alg": alg}, good_claims(), key=key)))
    assert ("key.alg-mismatch" not in found) == fits


def test_short_rsa_key_and_private_key() -> None:
    small = KeyInfo("RSA", "PEM", "", size=1024, private=True)
    found = by_rule(run(make(RS, good_claims(), key=small, verified="valid")))
    assert found["key.rsa-short"].severity == "high"
    assert found["key.private"].severity == "low"
    assert not {"key.rsa-short", "key.private"} & set(by_rule(run(make(RS, good_claims(), key=RSA_2048))))


# --- header -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("param", "value", "severity"), [
    ("jku", "https://evil.example/jwks.json", "high"),
    ("x5u", "http://10.0.0.1/cert.pem", "high"),
    ("jwk", {"kty": "RSA", "n": "0vx7", "e": "AQAB"}, "high"),
    ("x5c", ["MIIC..."], "medium"),
])
def test_header_key_sources(param: str, value: object, severity: str) -> None:
    found = by_rule(run(make({**RS, param: value}, good_claims())))
    assert found[f"header.{param}"].severity == severity
    assert found[f"header.{param}"].where == f"header.{param}"
    assert f"header.{param}" not in by_rule(run(make(RS, good_claims())))


def test_plain_http_key_url_is_called_out() -> None:
    assert "HTTPS" in by_rule(run(make({**RS, "jku": "http://x.example/k"}, good_claims())))["header.jku"].risk


@pytest.mark.parametrize("kid", [
    "../../../../dev/null", "/dev/null", "..\\keys\\a", "%2e%2e%2fetc%2fpasswd", "key' OR '1'='1",
    "1 or 1=1", "k1; DROP TABLE keys--", "k1\x00", "k1|cat /etc/passwd", "$(id)", "`id`", 'a"b',
    {"$ne": None}, ["k1"],
])
def test_kid_injection(kid: object) -> None:
    assert by_rule(run(make({**RS, "kid": kid}, good_claims())))["kid.injection"].severity == "high"


@pytest.mark.parametrize("kid", [
    "2024-05-key-1", "nOo3ZDrODXEK1jKWhXslHR_KXEg", "did:example:123#key-1", "https://issuer.example/keys/1",
    "a1b2+c3d4/e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0=", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd", 7,
])
def test_ordinary_kid_is_quiet(kid: object) -> None:
    assert "kid.injection" not in by_rule(run(make({**RS, "kid": kid}, good_claims())))


@pytest.mark.parametrize("crit", [["exp"], ["alg"], "b64", [], ["b64"], [1], ["x-custom", "x-custom"]])
def test_crit_problems(crit: object) -> None:
    header = {**RS, "crit": crit}
    if crit == ["x-custom", "x-custom"]:
        header["x-custom"] = 1
    found = by_rule(run(make(header, good_claims())))  # ["b64"] without b64 in the header: names a missing param
    assert found["header.crit"].severity == "medium"


def test_crit_b64_with_b64_false_is_only_the_b64_finding() -> None:
    found = by_rule(run(make({**RS, "b64": False, "crit": ["b64"]}, good_claims())))
    assert "header.crit" not in found
    assert found["header.b64-false"].severity == "medium"
    assert "without 'b64' in 'crit'" not in found["header.b64-false"].risk


def test_b64_false_without_crit_says_so() -> None:
    found = by_rule(run(make({**RS, "b64": False}, good_claims())))
    assert "without 'b64' in 'crit'" in found["header.b64-false"].risk
    assert "header.b64-false" not in by_rule(run(make({**RS, "b64": True, "crit": ["b64"]}, good_claims())))


# --- JWE ----------------------------------------------------------------------------------------------------------


def test_jwe_rules() -> None:
    found = by_rule(run(make({"alg": "RSA1_5", "enc": "A128CBC-HS256", "zip": "DEF"}, kind="JWE")))
    assert found["jwe.rsa1_5"].severity == "high"
    assert found["jwe.zip"].severity == "medium"
    clean = by_rule(run(make({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, kind="JWE")))
    assert clean == {}
    # zip on a JWS means nothing: not a JWE finding
    assert "jwe.zip" not in by_rule(run(make({**RS, "zip": "DEF"}, good_claims())))


@pytest.mark.parametrize(("p2c", "rule"), [(10_000_000, "jwe.p2c"), (1_000_001, "jwe.p2c"), (100, "jwe.p2c-low"),
                                           (600_000, None), (1_000_000, None), ("lots", None)])
def test_pbes2_count(p2c: object, rule: str | None) -> None:
    header = {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": "c2FsdA", "p2c": p2c}
    found = by_rule(run(make(header, kind="JWE")))
    assert {r for r in found if r.startswith("jwe.p2c")} == ({rule} if rule else set())


def test_ecdh_header_rules() -> None:
    point = {"kty": "EC", "crv": "P-256", "x": b64(b"\x01" * 32), "y": b64(b"\x02" * 32)}  # not on P-256
    found = by_rule(run(make({"alg": "ECDH-ES", "enc": "A128GCM", "epk": point}, kind="JWE")))
    assert found["jwe.epk-invalid"].severity == "high" and "P-256" in found["jwe.epk-invalid"].risk
    assert found["jwe.ecdh-no-party-info"].severity == "info"
    with_info = by_rule(run(make({"alg": "ECDH-ES+A128KW", "enc": "A128GCM", "apu": "QWxpY2U"}, kind="JWE")))
    assert "jwe.ecdh-no-party-info" not in with_info and "jwe.epk-invalid" not in with_info  # no epk: a problem


def test_estimate_bits() -> None:
    from jwtlens.weak import LOW_BITS, estimate_bits

    assert estimate_bits("") == 0 and estimate_bits("aaaaaaaaaaaa") < 5
    assert estimate_bits("blorptag") < LOW_BITS < estimate_bits("Tr0ub4dor&3-horse")


# --- claims -------------------------------------------------------------------------------------------------------


def test_no_exp() -> None:
    payload = good_claims()
    del payload["exp"]
    assert by_rule(run(make(RS, payload)))["claims.no-exp"].severity == "medium"
    assert by_rule(run(make(RS, {**payload, "scope": "read"})))["claims.no-exp"].severity == "high"
    assert "claims.no-exp" not in by_rule(run(make(RS, good_claims())))


@pytest.mark.parametrize(("header", "extra", "lifetime", "long"), [
    (RS, {"scope": "read"}, 25 * 3600, True),
    (RS, {"scope": "read"}, 23 * 3600, False),
    (RS, {"scp": "User.Read"}, 2 * 86400, True),
    (RS, {"client_id": "app"}, 30 * 86400, True),
    ({**RS, "typ": "at+jwt"}, {}, 2 * 86400, True),
    ({**RS, "typ": "application/AT+JWT"}, {}, 2 * 86400, True),
    (RS, {}, 2 * 86400, False),
    (RS, {}, 8 * 86400, True),
    (RS, {}, 6 * 86400, False),
])
def test_long_lifetime(header: dict, extra: dict, lifetime: float, long: bool) -> None:
    payload = good_claims(iat=NOW - 10, exp=NOW - 10 + lifetime, **extra)
    assert ("claims.long-lifetime" in by_rule(run(make(header, payload)))) == long


def test_long_remaining_lifetime_without_iat() -> None:
    payload = good_claims(exp=NOW + 30 * 86400)
    del payload["iat"]
    found = by_rule(run(make(RS, payload)))
    assert "remaining lifetime" in found["claims.long-lifetime"].title


def test_iat_and_nbf_in_the_future() -> None:
    found = by_rule(run(make(RS, good_claims(iat=NOW + 3600, nbf=NOW + 3600, exp=NOW + 7200))))
    assert found["claims.iat-future"].severity == "medium"
    assert found["claims.nbf-future"].severity == "low"
    within_leeway = by_rule(run(make(RS, good_claims(iat=NOW + 10, nbf=NOW + 10)), leeway=30))
    assert not {"claims.iat-future", "claims.nbf-future"} & set(within_leeway)


def test_nbf_after_exp_and_exp_before_iat() -> None:
    found = by_rule(run(make(RS, good_claims(nbf=NOW + 9000, exp=NOW + 600))))
    assert found["claims.nbf-after-exp"].severity == "medium"
    assert "claims.nbf-future" not in found
    assert "claims.exp-before-iat" in by_rule(run(make(RS, good_claims(iat=NOW - 10, exp=NOW - 20))))
    assert not {"claims.nbf-after-exp", "claims.exp-before-iat"} & set(by_rule(run(make(RS, good_claims()))))


def test_no_aud_no_iss() -> None:
    payload = {"sub": "x", "iat": NOW, "exp": NOW + 600}
    found = by_rule(run(make(RS, payload)))
    assert found["claims.no-aud"].severity == "low" and found["claims.no-iss"].severity == "low"
    access = by_rule(run(make({**RS, "typ": "at+jwt"}, payload)))
    assert access["claims.no-aud"].severity == "medium" and access["claims.no-iss"].severity == "medium"
    assert not {"claims.no-aud", "claims.no-iss"} & set(by_rule(run(make(RS, good_claims()))))


def test_odd_time_values_do_not_count_as_times() -> None:
    for exp in ("tomorrow", True, None, float("inf"), [1]):
        found = by_rule(run(make(RS, good_claims(exp=exp))))
        assert "claims.no-exp" not in found and "lint.internal-error" not in found


# --- typing -------------------------------------------------------------------------------------------------------


def test_access_token_without_at_jwt() -> None:
    found = by_rule(run(make(RS, good_claims(scope="read"))))
    assert found["typ.missing"].severity == "low"
    assert "typ.missing" not in by_rule(run(make({**RS, "typ": "application/at+jwt"}, good_claims(scope="read"))))
    assert "typ.missing" not in by_rule(run(make(RS, good_claims())))  # not an access token: no profile applies


def test_nested_jwt() -> None:
    assert by_rule(run(make({**RS, "cty": "JWT"}, good_claims())))["typ.nested-jwt"].severity == "low"
    jwe = by_rule(run(make({"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "jwt"}, kind="JWE")))
    assert jwe["typ.nested-jwt"].severity == "info"
    assert "typ.nested-jwt" not in by_rule(run(make({**RS, "cty": "json"}, good_claims())))


# --- payload contents ---------------------------------------------------------------------------------------------


def test_duplicate_members_and_bad_utf8_from_decoder_problems() -> None:
    problems = [
        Problem("json.duplicate-member", "dup sub", segment="payload", position=30),
        Problem("json.duplicate-member", "dup sub again", segment="payload", position=50),
        Problem("json.duplicate-member", "dup alg", segment="header", position=12),
        Problem("utf8.invalid", "bad byte", segment="payload", position=4),
        Problem("utf8.invalid", "bad byte", segment="header", position=2),
    ]
    found = run(make(RS, good_claims(), problems=problems))
    rules = [f.rule for f in found]
    assert rules.count("payload.duplicate-member") == 1
    assert {"payload.duplicate-member", "header.duplicate-member", "payload.not-utf8", "header.not-utf8"} <= set(rules)
    other = [Problem("json.syntax", "x", segment="payload"), Problem("base64url.padding", "x", segment="header")]
    assert not {"payload.duplicate-member", "payload.not-utf8"} & set(by_rule(run(make(RS, good_claims(),
                                                                                       problems=other))))


def sensitive(payload_extra: dict[str, object]) -> list[Finding]:
    return [f for f in run(make(RS, good_claims(**payload_extra))) if f.rule == "payload.sensitive"]


@pytest.mark.parametrize(("extra", "title", "severity"), [
    ({"password": "hunter2"}, "Password or secret in the payload", "high"),
    ({"user": {"clientSecret": "abc123"}}, "Password or secret in the payload", "high"),
    ({"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG"}, "Password or secret in the payload", "high"),
    ({"api_key": "sk_live_1234"}, "Password or secret in the payload", "high"),
    ({"card": "4111 1111 1111 1111"}, "Payment card number in the payload", "high"),
    ({"pan": 5555555555554444}, "Payment card number in the payload", "high"),
    ({"note": "paid with 3782-822463-10005 today"}, "Payment card number in the payload", "high"),
    ({"ssn": "123-45-6789"}, "National identity number in the payload", "high"),
    ({"ref": "AB 12 34 56 C"}, "National identity number in the payload", "high"),
    ({"doc": "12345678Z"}, "National identity number in the payload", "high"),
    ({"doc": "X1234567L"}, "National identity number in the payload", "high"),
    ({"doc": "111.444.777-35"}, "National identity number in the payload", "high"),
    ({"contact": "mail me at jane@example.org"}, "Email address in the payload", "low"),
    ({"emails": ["jane@example.org"]}, "Email address in the payload", "info"),
    ({"notes": "call +44 20 7946 0958"}, "Phone number in the payload", "low"),
    ({"mobile": "0612345678"}, "Phone number in the payload", "low"),
])
def test_sensitive_data(extra: dict[str, object], title: str, severity: str) -> None:
    found = sensitive(extra)
    assert [(f.title, f.severity) for f in found] == [(title, severity)]
    assert "readable by anyone who holds the token" in found[0].risk
    assert found[0].where and found[0].where.startswith("payload.")


@pytest.mark.parametrize("extra", [
    {"pwd_exp": 1_800_100_000, "pwd_url": "https://portal.example/pwd"},
    {"has_password": True, "password_changed_at": 1_700_000_000},
    {"card": "4111 1111 1111 1112"},  # fails Luhn
    {"ts_ms": 1_700_000_000_000, "user_id": "4111111111111111", "discord_id": "803511102246789123"},
    {"jti": "6f1c2a3e-2b4d-4f8a-9c1e-0d2b3a4c5e6f", "sid": "08a5019c-17e1-4977-8f42-65a12843ea02"},
    {"ssn": ""},
    {"ref": "000-12-3456", "day": "2024-01-15", "ver": "1.2.3.4", "ip": "192.168.100.200"},
    {"oid": "00000000-0000-0000-66f3-3332eca7ea81", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad"},
    {"iss": "svc@project.iam.gserviceaccount.com"},
    {"amount": 1234567890123, "count": 42, "scope": "openid profile email"},
    {"hash": "a3f5c7e9b1d2468013579bdf2468ace013579bdf"},
])
def test_ordinary_claims_are_not_sensitive(extra: dict[str, object]) -> None:
    assert sensitive(extra) == []


def test_one_finding_per_kind_listing_where() -> None:
    found = sensitive({"a_password": "x1", "b_password": "x2", "c_password": "x3", "d_password": "x4"})
    assert len(found) == 1
    assert found[0].where == "payload.a_password, payload.b_password, payload.c_password (+1 more)"


def test_sensitive_scan_is_bounded_on_huge_payloads() -> None:
    payload = good_claims(items=[{"v": i} for i in range(50_000)], password="late")
    assert isinstance(run(make(RS, payload)), list)  # bounded scan: finishes, whatever it reports


# --- robustness and summary ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "payload"), [
    (None, None), ([], "text"), ("x", 5), ({"alg": {"a": 1}, "crit": None, "kid": 5, "typ": 7, "cty": []}, []),
    ({"alg": "RS256", "b64": "no", "jku": None, "p2c": "x"}, {"exp": "soon", "iat": [], "nbf": {}}),
    ({"alg": "HS256"}, {"exp": 10**30, "iat": -(10**30), "aud": None, "x": {"y": [[[{"password": 1}]]]}}),
])
def test_broken_tokens_never_raise(header: object, payload: object) -> None:
    for kind in ("JWS", "JWE", "unknown"):
        findings = run(make(header, payload, kind=kind, key=secret(8)), key="{not json")
        assert "lint.internal-error" not in {f.rule for f in findings}


def test_summary_line() -> None:
    findings = run(make({"alg": "none", "jku": "https://x.example"}, {"sub": "x"}, sig=""))
    s = summarize(findings)
    assert s["highest"] == "critical"
    assert s["counts"]["critical"] == 1 and s["counts"]["high"] == 1
    assert s["text"].startswith("1 critical, 1 high")
    assert s["total"] == len(findings)
    assert summarize([]) == {"highest": None, "counts": dict.fromkeys(SEVERITIES, 0), "total": 0,
                             "text": "No findings"}


# --- through inspect ----------------------------------------------------------------------------------------------


def test_through_inspect_with_real_tokens() -> None:
    from jwtlens import inspect

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        risky = jwt.encode({"sub": "1", "password": "hunter2"}, "secret", algorithm="HS256",
                           headers={"jku": "https://evil.example/jwks", "kid": "../../dev/null"})
    report = inspect(risky, now=NOW)
    rules = {f.rule for f in report.token.findings}
    assert {"header.jku", "kid.injection", "claims.no-exp", "payload.sensitive"} <= rules

    unsigned = b64({"alg": "none", "typ": "JWT"}) + "." + b64({"sub": "1", "exp": int(NOW) + 60}) + "."
    assert "alg.none" in {f.rule for f in inspect(unsigned, now=NOW).token.findings}


def test_key_rules_with_the_real_signature_check() -> None:
    """Decoder and signature check from jwtlens.inspect, then review() with the key box text."""
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    from cryptography.hazmat.primitives import serialization

    from jwtlens import inspect

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weak_token = jwt.encode(good_claims(), "your-256-bit-secret", algorithm="HS256")
    report = inspect(weak_token, key="your-256-bit-secret", now=NOW)
    found = by_rule(review(report.token, report.token.signature, Options(now=NOW), key="your-256-bit-secret"))
    assert found["hmac.weak-secret"].severity == "critical"
    assert found["hmac.short-secret"].severity == "high"

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    signing_input = b64({"alg": "HS256", "typ": "JWT"}) + "." + b64(good_claims())
    forged = signing_input + "." + b64(hmac.new(pem.encode(), signing_input.encode(), hashlib.sha256).digest())
    report = inspect(forged, key=pem, now=NOW)
    found = by_rule(review(report.token, report.token.signature, Options(now=NOW), key=pem))
    assert found["key.confusion"].severity == "critical"
