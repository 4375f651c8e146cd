"""SD-JWT, DPoP and OIDC token pairs through the one entry point, jwtlens.inspect: recognised in pasted text as the
page receives it, taken apart, checked, and reviewed (the modules' own tests cover each check in depth)."""

from __future__ import annotations

import json
from pathlib import Path

import jwtlens
from jwtlens.cli import main

VECTORS = Path(__file__).resolve().parent / "vectors"
SD = json.loads((VECTORS / "sd-jwt" / "rfc9901-examples.json").read_text())
DPOP = json.loads((VECTORS / "dpop" / "rfc9449-examples.json").read_text())


def _example(name: str) -> dict:
    return next(e for e in SD["examples"] if e["name"] == name)


def test_a_pasted_sd_jwt_is_one_candidate_processed_and_verified() -> None:
    example = _example("5.2 presentation")
    report = jwtlens.inspect(example["sd_jwt"], json.dumps(SD["issuer_jwk"]), now=example["key_binding_payload"]["iat"]
                             + 10, audience=SD["key_binding"]["aud"], nonce=SD["key_binding"]["nonce"])
    assert [c.kind for c in report.candidates] == ["SD-JWT"] and report.input_kind == "token"
    sd = report.sd_jwt
    assert sd is not None and sd.kind == "SD-JWT+KB" and not sd.rejected
    assert sd.payload == example["processed"]  # the processed payload the RFC prints
    assert report.token.signature.verified == "valid"
    assert sd.key_binding is not None and sd.key_binding.signature.verified == "valid"
    names = {c.name for c in report.token.claims}
    assert "_sd" not in names and set(example["processed"]) <= names  # the claims table shows what a verifier sees
    assert "_sd" in report.token.payload  # #payload keeps the raw issuer-signed payload


def test_an_sd_jwt_inside_a_url_and_json_is_found_whole() -> None:
    text = _example("5.1 issuance")["sd_jwt"]
    for pasted in (f"https://wallet.example/cb#credential={text}", json.dumps({"credential": text})):
        report = jwtlens.inspect(pasted)
        assert [c.kind for c in report.candidates] == ["SD-JWT"], pasted[:40]
        assert report.sd_jwt is not None and report.sd_jwt.disclosures


def test_a_missing_key_binding_on_a_holder_bound_credential_is_reviewed() -> None:
    report = jwtlens.inspect(_example("5.1 issuance")["sd_jwt"])
    assert "sdjwt.no-key-binding" in {f.rule for f in report.token.findings}


def test_a_dpop_pair_from_request_lines_is_checked() -> None:
    example = DPOP["resource_request"]
    request = (f"GET /protectedresource HTTP/1.1\nHost: resource.example.org\n"
               f"Authorization: DPoP {example['access_token']}\nDPoP: {example['proof']}\n")
    report = jwtlens.inspect(request, now=example["iat"] + 5)
    assert report.dpop is not None
    results = {c.id: c.result for c in report.dpop.checks}
    assert results["dpop.ath"] == "pass" and results["dpop.htu"] == "pass" and results["dpop.htm"] == "pass"
    assert results["dpop.signature"] == "pass"
    assert any(c.source == "DPoP header" for c in report.candidates)


def test_a_dpop_proof_alone_is_checked_without_an_access_token() -> None:
    proof = DPOP["token_request"]["proof"]
    report = jwtlens.inspect(proof, now=DPOP["token_request"].get("iat", 1562262616) + 5)
    assert report.dpop is not None
    assert {c.id: c.result for c in report.dpop.checks}["dpop.ath"] == "skipped"


def test_an_id_token_with_its_access_token_checks_at_hash() -> None:
    import hashlib

    import jwt

    from jwtlens import b64url

    access = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
    at_hash = b64url.encode(hashlib.sha256(access.encode()).digest()[:16])
    id_token = jwt.encode({"iss": "https://op", "sub": "u", "aud": "c", "at_hash": at_hash}, "k" * 32, "HS256")
    report = jwtlens.inspect(json.dumps({"access_token": access, "id_token": id_token, "token_type": "Bearer"}))
    assert report.pair is not None and [(c.id, c.result) for c in report.pair.checks] == [("oidc.at_hash", "pass")]
    bad = jwtlens.inspect(json.dumps({"access_token": access + "x", "id_token": id_token}))
    assert [(c.id, c.result) for c in bad.pair.checks] == [("oidc.at_hash", "fail")]


def test_the_command_line_prints_what_came_with_the_token(capsys) -> None:
    example = _example("5.2 presentation")
    assert main([example["sd_jwt"], "--no-weak", "--now", str(example["key_binding_payload"]["iat"] + 10)]) in (0, 1)
    out = capsys.readouterr().out
    assert "SD-JWT" in out and "Disclosures:" in out and "Processed payload:" in out
    pair = DPOP["resource_request"]
    request = f"Authorization: DPoP {pair['access_token']}\nDPoP: {pair['proof']}"
    main([request, "--no-weak", "--now", str(DPOP["resource_request"]["iat"] + 5)])
    assert "dpop.ath: pass" in capsys.readouterr().out
