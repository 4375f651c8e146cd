"""The one verdict (verdict.py): trusted only when the signature is verified and nothing fails; every failing part
named; the same verdict for the page and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest

import jwtlens
from helpers import NOW, make_token
from jwtlens import export, jwe, keygen, weak
from jwtlens.cli import main

SECRET = "correct-horse-battery-staple-2027-!"
GOOD = {"iss": "https://issuer", "aud": "api", "sub": "u", "iat": NOW - 60, "exp": NOW + 600}


def verdict(text: str, key: str | None = None, **options) -> jwtlens.report.Verdict:
    report = jwtlens.inspect(text, key, now=NOW, **options)
    assert report.verdict is not None
    return report.verdict


def hs(claims: dict, secret: str = SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def test_trusted_only_with_a_verified_signature_and_nothing_failing() -> None:
    v = verdict(hs(GOOD), SECRET)
    assert (v.verdict, v.tone) == ("trusted", "ok") and v.headline.startswith("Signature verified (HS256)")
    assert verdict(hs(GOOD)).verdict == "unverified"
    no_expiry = {k: value for k, value in GOOD.items() if k != "exp"}
    v = verdict(hs(no_expiry), SECRET)
    assert (v.verdict, v.tone) == ("trusted", "warn")  # no expiry: trusted, in amber


@pytest.mark.parametrize(("case", "words"), [
    ("wrong key", "Signature invalid"),
    ("expired", "Expired"),
    ("issuer", "Expected issuer does not match"),
    ("audience", "Expected audience does not match"),
])
def test_untrusted_names_what_fails(case: str, words: str) -> None:
    claims = {**GOOD, "exp": NOW - 10} if case == "expired" else GOOD
    key = "another-secret-of-sufficient-length" if case == "wrong key" else SECRET
    options = {"issuer": "https://other"} if case == "issuer" else {"audience": "web"} if case == "audience" else {}
    v = verdict(hs(claims), key, **options)
    assert v.verdict == "untrusted" and v.tone == "fail" and words in v.headline, v.headline


def test_a_green_time_never_hides_a_failed_signature() -> None:
    """Regression: the summary said a green "Valid now" while the signature had just failed."""
    v = verdict(hs(GOOD), "wrong-secret-wrong-secret-wrong!!")
    assert v.verdict == "untrusted"
    assert {p.id: p.state for p in v.parts}["time"] == "ok" and v.parts[0].state == "fail"


def test_a_signature_no_key_makes_is_untrusted_without_a_key() -> None:
    v = verdict(make_token({"alg": "RS256"}, GOOD, b"\x01" * 75))
    assert v.verdict == "untrusted" and "length no key makes" in v.headline


def test_unsigned_malformed_and_empty() -> None:
    assert verdict(make_token({"alg": "none"}, GOOD, "")).verdict == "untrusted"
    assert verdict("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOi+/.c2ln").verdict == "malformed"
    assert verdict("").verdict == "empty"
    assert verdict("no token in here").verdict == "malformed"


def test_a_found_weak_secret_verifies_and_says_so() -> None:
    report = jwtlens.inspect(hs(GOOD, "secret"), now=NOW)
    assert report.verdict.verdict == "unverified"
    assert weak.attach(report) == "secret"
    assert report.token.signature.verified == "valid" and "guessed secret 'secret'" in report.token.signature.message
    assert report.verdict.verdict == "untrusted" and "guessable secret" in report.verdict.headline


def test_the_command_line_prints_the_verdict_first(capsys) -> None:
    main([hs(GOOD), "--secret", SECRET, "--now", str(NOW), "--no-weak"])
    assert capsys.readouterr().out.startswith("Verdict: trusted: Signature verified (HS256)")



# -- JWE: judged by what it holds ---------------------------------------------------------------------------------


def test_a_nested_jwe_is_judged_by_its_decryption_and_the_nested_signature() -> None:
    example = json.loads((Path(__file__).parent / "vectors/jwe/6.nesting_signatures_and_encryption.json").read_text())
    token = example["encrypt"]["output"]["compact"]
    recipient = json.dumps(example["encrypt"]["input"]["key"])
    signer = json.dumps({k: v for k, v in example["sign"]["input"]["key"].items() if k in ("kty", "n", "e", "kid")})
    at = 1300819000
    v = jwtlens.inspect(token, now=at).verdict
    assert (v.verdict, v.parts[0].text) == ("unverified", "Encrypted: add the decryption key")
    v = jwtlens.inspect(token, "0" * 64, now=at).verdict
    assert v.verdict == "untrusted" and "does not decrypt with this key" in v.headline
    v = jwtlens.inspect(token, recipient, now=at).verdict
    assert v.verdict == "unverified" and {p.id for p in v.parts} >= {"signature", "decryption", "time"}
    v = jwtlens.inspect(token, recipient, now=at, inner_key=signer).verdict
    assert v.verdict == "trusted" and v.headline.startswith("Signature verified (PS256)"), v.headline
    v = jwtlens.inspect(token, recipient, now=at + 3600, inner_key=signer).verdict
    assert v.verdict == "untrusted" and "Expired" in v.headline


def test_a_jwe_of_claims_is_trusted_only_with_a_shared_key() -> None:
    claims = {"sub": "u", "exp": NOW + 600}
    shared = bytes(range(32)).hex()
    v = verdict(jwe.encrypt(claims, shared, "dir", "A128CBC-HS256"), shared)
    assert v.verdict == "trusted" and "authenticated with the shared key" in v.headline
    private = keygen.generate("RS256")
    token = jwe.encrypt(claims, export.export(private, "spki"), "RSA-OAEP-256", "A256GCM")
    v = verdict(token, export.export(private, "pkcs8"))
    assert v.verdict == "unverified" and "anyone with the recipient's public key" in v.headline


def test_a_signature_verified_by_a_key_the_kid_does_not_name_is_trusted_in_amber() -> None:
    token = jwt.encode(GOOD, SECRET, algorithm="HS256", headers={"kid": "retired"})
    jwks = json.dumps({"keys": [{"kty": "oct", "kid": "current", "k": jwt.utils.base64url_encode(
        SECRET.encode()).decode()}]})
    v = verdict(token, jwks)
    assert (v.verdict, v.tone) == ("trusted", "warn") and "with a warning" in v.headline, v.headline
