"""Differential tests against the reference implementation of RFC 9901 (the ``sd-jwt`` package, test-only): SD-JWTs
it issues and presents (flat, structured, recursive, array elements, decoys; with and without Key Binding; keys
made with cryptography) give the same processed payload and the same verdict here.

Where the reference is more lenient than RFC 9901 (it skips 7.1 step 5, unreferenced disclosures, and checks no
sd_hash in the JSON serialization), the tests say so and only check that we reject.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from jose_kit import b64url, jwk, key_for
from jwtlens import sdjwt
from jwtlens.options import Options

pytest.importorskip("sd_jwt")
from jwcrypto.jwk import JWK  # noqa: E402 - after the skip: both come with the reference package
from sd_jwt.common import SDObj  # noqa: E402
from sd_jwt.holder import SDJWTHolder  # noqa: E402
from sd_jwt.issuer import SDJWTIssuer  # noqa: E402
from sd_jwt.verifier import SDJWTVerifier  # noqa: E402

AUD, NONCE = "https://verifier.example", "XZOUco1u_gEPknxS78sWWg"

CLAIMS: dict[str, dict[Any, Any]] = {
    "flat": {
        "iss": "https://issuer.example", "sub": "user_42", SDObj("given_name"): "Erika",
        SDObj("address"): {"street_address": "Heidestraße 17", "locality": "Köln", "country": "DE"},
    },
    "structured": {
        "iss": "https://issuer.example",
        "address": {SDObj("street_address"): "Heidestraße 17", SDObj("locality"): "Köln", "country": "DE"},
    },
    "recursive": {
        "iss": "https://issuer.example",
        SDObj("address"): {SDObj("street_address"): "Heidestraße 17", SDObj("locality"): "Köln"},
    },
    "arrays": {
        "iss": "https://issuer.example",
        "nationalities": [SDObj("US"), SDObj("DE"), "FR"],
        "degrees": [{"type": "BSc", SDObj("year"): 2001}, SDObj({"type": "MSc", SDObj("year"): 2003})],
        "matrix": [[SDObj(1), 2], SDObj([3, SDObj(4)])],
        SDObj("null_and_bool"): [None, SDObj(False), SDObj(None)],
    },
}
ALL = {  # every disclosure (a bare True discloses nothing of an object in the reference's selection format)
    "flat": {"given_name": True, "address": True},
    "structured": {"address": {"street_address": True, "locality": True}},
    "recursive": {"address": {"street_address": True, "locality": True}},
    "arrays": {"nationalities": [True, True], "degrees": [{"year": True}, {"year": True}],
               "matrix": [[True], [None, True]], "null_and_bool": [None, True, True]},
}
SELECTIONS = {  # spec -> [(what the holder discloses, how many disclosures that sends)]
    "flat": [(ALL["flat"], 2), ({"given_name": True}, 1), ({}, 0)],
    "structured": [(ALL["structured"], 2), ({"address": {"locality": True}}, 1)],
    "recursive": [(ALL["recursive"], 3), ({"address": {"street_address": True}}, 2), ({"address": True}, 1)],
    "arrays": [(ALL["arrays"], 11), ({"nationalities": [False, True], "degrees": [{"year": True}, {}]}, 3),
               ({"matrix": [[True], [True, False]], "null_and_bool": [None, True, False]}, 4)],
}
ALGS = ["ES256", "ES384", "ES512", "ES256K", "RS256", "PS256", "EdDSA"]


def _jwcrypto(key: Any) -> JWK:
    return JWK.from_pyca(key)


def _present(spec: str, selection: Any, *, issuer_alg: str = "ES256", decoys: bool = False, kb: bool = True,
             fmt: str = "compact") -> tuple[str, str]:
    """(presentation, issuer public JWK text), issued and presented by the reference."""
    issuer, holder = key_for(issuer_alg), key_for("ES256")
    issued = SDJWTIssuer(CLAIMS[spec], _jwcrypto(issuer), _jwcrypto(holder), sign_alg=issuer_alg,
                         add_decoy_claims=decoys, serialization_format=fmt)
    holding = SDJWTHolder(issued.sd_jwt_issuance, serialization_format=fmt)
    if kb:
        holding.create_presentation(selection, NONCE, AUD, _jwcrypto(holder), "ES256")
    else:
        holding.create_presentation(selection)
    return holding.sd_jwt_presentation, json.dumps(jwk(issuer))


def _reference(presentation: str, issuer_jwk: str, kb: bool, fmt: str = "compact") -> dict[str, Any]:
    verifier = SDJWTVerifier(presentation, lambda iss, header: JWK.from_json(issuer_jwk),
                             AUD if kb else None, NONCE if kb else None, serialization_format=fmt)
    return verifier.get_verified_payload()


def _ours(presentation: str, issuer_jwk: str) -> sdjwt.SdJwtReport:
    return sdjwt.inspect(presentation, issuer_jwk, Options(now=time.time()), expected_aud=AUD, expected_nonce=NONCE)


@pytest.mark.parametrize("kb", [True, False], ids=["kb", "no-kb"])
@pytest.mark.parametrize("spec, index", [(s, i) for s, sel in SELECTIONS.items() for i in range(len(sel))])
def test_same_payload_as_the_reference(spec: str, index: int, kb: bool) -> None:
    selection, sent = SELECTIONS[spec][index]
    presentation, issuer_jwk = _present(spec, selection, kb=kb, decoys=index == 0)
    expected = _reference(presentation, issuer_jwk, kb)
    report = _ours(presentation, issuer_jwk)
    assert report.problems == [] and not report.rejected, report.problems
    assert [d.status for d in report.disclosures] == ["used"] * sent
    assert report.jwt.signature.verified == "valid"
    assert report.payload == expected
    assert report.kind == ("SD-JWT+KB" if kb else "SD-JWT")
    if kb:
        assert [c.result for c in report.key_binding.checks] == ["pass"] * 9


@pytest.mark.parametrize("alg", ALGS)
def test_issuer_algorithms(alg: str) -> None:
    presentation, issuer_jwk = _present("structured", ALL["structured"], issuer_alg=alg)
    report = _ours(presentation, issuer_jwk)
    assert report.payload == _reference(presentation, issuer_jwk, True)
    assert report.jwt.signature.verified == "valid" and report.jwt.signature.alg == alg


def test_json_serialization_of_the_reference() -> None:
    """sd-jwt 0.10.4 writes disclosures and kb_jwt as top-level members (the layout of older drafts), and its holder
    takes sd_hash over the JSON text of the issuance instead of the compact form RFC 9901 8.1 prescribes."""
    issuer, holder = key_for("ES256"), key_for("ES256")
    issued = SDJWTIssuer(CLAIMS["recursive"], _jwcrypto(issuer), _jwcrypto(holder), serialization_format="json")
    holding = SDJWTHolder(issued.sd_jwt_issuance, serialization_format="json")
    holding.create_presentation(ALL["recursive"], NONCE, AUD, _jwcrypto(holder), "ES256")
    presentation, issuer_jwk = holding.sd_jwt_presentation, json.dumps(jwk(issuer))
    report = _ours(presentation, issuer_jwk)
    assert [p.code for p in report.problems] == ["sdjwt.json-legacy-layout", "sdjwt.kb-sd-hash"]
    assert [d.status for d in report.disclosures] == ["used"] * 3
    assert report.payload == _reference(presentation, issuer_jwk, True, fmt="json")
    theirs = report.key_binding.jwt.payload["sd_hash"]
    over_json = issued.sd_jwt_issuance + "~" + "".join(d + "~" for d in holding.hs_disclosures)
    assert theirs == sdjwt.sd_digest(over_json, sdjwt.SD_HASHES["sha-256"]) != report.key_binding.sd_hash


def _both_reject(presentation: str, issuer_jwk: str, code: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - the reference raises ValueError or jwcrypto's own errors
        _reference(presentation, issuer_jwk, True)
    report = _ours(presentation, issuer_jwk)
    assert report.rejected and code in [p.code for p in report.problems]


def test_tampering_is_rejected_by_both() -> None:
    presentation, issuer_jwk = _present("flat", ALL["flat"])
    jwt, *disclosures, kb = presentation.split("~")
    _both_reject("~".join([jwt, *disclosures[1:], kb]), issuer_jwk, "sdjwt.kb-sd-hash")  # a disclosure dropped
    head, payload, sig = kb.split(".")
    other_kb = b64url(json.dumps({"nonce": "other", "aud": AUD, "iat": int(time.time()),
                                  "sd_hash": "x"}))
    _both_reject("~".join([jwt, *disclosures, f"{head}.{other_kb}.{sig}"]), issuer_jwk, "sdjwt.kb-signature")
    other_issuer = json.dumps(jwk(key_for("ES384")))
    with pytest.raises(Exception):  # noqa: B017
        _reference(presentation, other_issuer, True)
    assert _ours(presentation, other_issuer).jwt.signature.verified == "error"


def test_where_the_reference_is_lenient() -> None:
    """An extra disclosure that no digest references: RFC 9901 7.1 step 5 rejects it, the reference ignores it."""
    presentation, issuer_jwk = _present("flat", {"given_name": True}, kb=False)
    stray = b64url(json.dumps(["c2FsdHNhbHRzYWx0c2FsdA", "admin", True]))
    tampered = presentation + stray + "~"
    assert "admin" not in _reference(tampered, issuer_jwk, False)
    report = _ours(tampered, issuer_jwk)
    assert report.rejected and [p.code for p in report.problems] == ["sdjwt.disclosure-unreferenced"]
