"""OIDC token pairs: at_hash and c_hash of an ID token against the access token and the authorization code."""

from __future__ import annotations

import hashlib

import pytest

from helpers import make_token
from jose_kit import b64url
from jwtlens import jwa, pairs
from jwtlens.report import TokenPairReport

# OpenID Connect Core 1.0, Appendix A.3 (access token, at_hash) and A.4 (code, c_hash); the ID tokens are RS256
OIDC_ACCESS_TOKEN, OIDC_AT_HASH = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "77QmUPtjPfzWtF2AnpK9RQ"
OIDC_CODE, OIDC_C_HASH = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk", "LDktKdoQak3Pk0cnXxCltA"
# the README of panva's oidc-token-hash (MIT): one access token, its RS256 and EdDSA/Ed25519 at_hash
PANVA_TOKEN = ("YmJiZTAwYmYtMzgyOC00NzhkLTkyOTItNjJjNDM3MGYzOWIy9sFhvH8K_x8UIHj1osisS57f5DduL-ar_qw5jl3lthwpMjm283aVMQ"
               "XDmoqqqydDSqJfbhptzw8rUVwkuQbolw")
PANVA_RS256, PANVA_ED25519 = "x7vk7f6BvQj0jQHYFIk4ag", "EGEAhGYyfuwDaVTifvrWSoD5MSy_5hZPy6I7Vm-7pTQ"


def results(report: TokenPairReport) -> dict[str, str]:
    return {c.id: c.result for c in report.checks}


def id_token(alg: str = "RS256", **claims: object) -> str:
    return make_token({"alg": alg, "kid": "1e9gdk7"}, {"iss": "https://server.example.com", **claims})


def half(value: str, hash_name: str, size: int | None = None) -> str:
    """Computed here without jwtlens: the left half of hashlib's digest, base64url."""
    h = hashlib.new(hash_name, value.encode())
    digest = h.digest(size) if size else h.digest()  # type: ignore[call-arg]
    return b64url(digest[: len(digest) // 2])


def test_openid_connect_core_examples() -> None:
    report = pairs.check_id_token_pair(id_token(at_hash=OIDC_AT_HASH, c_hash=OIDC_C_HASH), OIDC_ACCESS_TOKEN,
                                       OIDC_CODE)
    assert results(report) == {"oidc.at_hash": "pass", "oidc.c_hash": "pass"} and report.problems == []
    at = report.checks[0].message
    assert "SHA-256 (the hash of RS256)" in at and "left-most 16 of 32 bytes" in at and OIDC_AT_HASH in at


def test_oidc_token_hash_vectors() -> None:
    for alg, expected in (("RS256", PANVA_RS256), ("EdDSA", PANVA_ED25519), ("Ed25519", PANVA_ED25519)):
        report = pairs.check_id_token_pair(id_token(alg, at_hash=expected), PANVA_TOKEN)
        assert results(report) == {"oidc.at_hash": "pass"}, report.checks


@pytest.mark.parametrize("alg", sorted(a.name for a in jwa.ALGS.values() if a.kind == "jws" and a.hash))
def test_every_alg_with_a_hash(alg: str) -> None:
    expected = half(OIDC_ACCESS_TOKEN, jwa.ALGS[alg].hash_info.hashlib_name)
    report = pairs.check_id_token_pair(id_token(alg, at_hash=expected), OIDC_ACCESS_TOKEN)
    assert results(report) == {"oidc.at_hash": "pass"}
    wrong = pairs.check_id_token_pair(id_token(alg, at_hash=expected[::-1]), OIDC_ACCESS_TOKEN)
    assert results(wrong) == {"oidc.at_hash": "fail"}
    assert [p.code for p in wrong.problems] == ["oidc.at-hash-mismatch"]
    assert expected in wrong.checks[0].message and repr(expected[::-1]) in wrong.checks[0].message


def test_ed448_uses_shake256_with_114_bytes() -> None:
    expected = half(OIDC_CODE, "shake_256", 114)
    assert len(expected) == 76  # 57 bytes
    for alg, crv in (("Ed448", None), ("EdDSA", "Ed448"), ("EdDSA", None)):
        report = pairs.check_id_token_pair(id_token(alg, c_hash=expected), code=OIDC_CODE, crv=crv)
        assert results(report) == {"oidc.c_hash": "pass"}
        assert "SHAKE256 (114-byte output)" in report.checks[0].message
    wrong_curve = pairs.check_id_token_pair(id_token("EdDSA", c_hash=expected), code=OIDC_CODE, crv="Ed25519")
    assert results(wrong_curve) == {"oidc.c_hash": "fail"}
    both = pairs.check_id_token_pair(id_token("EdDSA", c_hash="AAAA"), code=OIDC_CODE)
    assert "if the key is Ed25519" in both.checks[0].message and "if the key is Ed448" in both.checks[0].message


def test_c_hash_mismatch() -> None:
    report = pairs.check_id_token_pair(id_token(c_hash=OIDC_C_HASH), code=OIDC_CODE + "x")
    assert results(report) == {"oidc.c_hash": "fail"}
    assert [p.code for p in report.problems] == ["oidc.c-hash-mismatch"]
    assert "authorization code was not issued with this ID token" in report.checks[0].message


def test_missing_claims_and_values() -> None:
    report = pairs.check_id_token_pair(id_token(), OIDC_ACCESS_TOKEN)
    assert results(report) == {"oidc.at_hash": "skipped"} and OIDC_AT_HASH in report.checks[0].message
    report = pairs.check_id_token_pair(id_token(at_hash=OIDC_AT_HASH, c_hash=OIDC_C_HASH))
    assert results(report) == {"oidc.at_hash": "skipped", "oidc.c_hash": "skipped"} and report.problems == []
    assert pairs.check_id_token_pair(id_token()).checks == []


def test_unusable_alg_and_claim_type() -> None:
    report = pairs.check_id_token_pair(id_token("none", at_hash=OIDC_AT_HASH), OIDC_ACCESS_TOKEN)
    assert results(report) == {"oidc.at_hash": "skipped"}
    assert [(p.code, p.level) for p in report.problems] == [("oidc.hash-unknown", "warning")]
    report = pairs.check_id_token_pair(id_token(at_hash=12), OIDC_ACCESS_TOKEN)
    assert results(report) == {"oidc.at_hash": "fail"} and [p.code for p in report.problems] == [
        "oidc.hash-claim-type"]


def test_garbage_id_token() -> None:
    for text in ("", "x", "a.b.c", None):
        report = pairs.check_id_token_pair(text, "token", "code")  # type: ignore[arg-type]
        assert "internal.error" not in [p.code for p in report.problems]
        assert all(c.result == "skipped" for c in report.checks)
