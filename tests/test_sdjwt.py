"""SD-JWT (RFC 9901) and SD-JWT VC: the specifications' own examples, and one mutation of a valid SD-JWT for every
way the verification algorithm (RFC 9901 7.1, 7.3) rejects one."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import pytest

from jose_kit import SALT, SdJwtKit, b64url, digest, disclosure, jwk, key_for, sign
from jwtlens import sdjwt
from jwtlens.options import Options
from jwtlens.report import SdJwtReport

VECTORS = Path(__file__).parent / "vectors" / "sd-jwt"
RFC = json.loads((VECTORS / "rfc9901-examples.json").read_text(encoding="utf-8"))
RFC_JSON = json.loads((VECTORS / "rfc9901-json-serialization.json").read_text(encoding="utf-8"))
RFC_DISCLOSURES = json.loads((VECTORS / "rfc9901-disclosures.json").read_text(encoding="utf-8"))
VC = json.loads((VECTORS / "sd-jwt-vc-examples.json").read_text(encoding="utf-8"))
RFC_KB_IAT = 1748536865  # the iat of every KB-JWT in RFC 9901's examples
NOW = 1_800_000_000.0


def run(text: str, key: str | None = None, now: float = NOW, **kwargs: Any) -> SdJwtReport:
    return sdjwt.inspect(text, key, Options(now=now), **kwargs)


def codes(report: SdJwtReport) -> list[str]:
    return [p.code for p in report.problems]


def only(report: SdJwtReport, code: str) -> Any:
    found = [p for p in report.problems if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(p.code, p.message) for p in report.problems]}"
    return found[0]


def example(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in doc["examples"] if e["name"] == name)


# -- the examples of RFC 9901 and of the SD-JWT VC draft ---------------------------------------------------------


@pytest.mark.parametrize("name", [e["name"] for e in RFC["examples"]])
def test_rfc9901_examples(name: str) -> None:
    ex = example(RFC, name)
    kb = RFC["key_binding"]
    report = run(ex["sd_jwt"], json.dumps(RFC["issuer_jwk"]), now=RFC_KB_IAT + 60, expected_aud=kb["aud"],
                 expected_nonce=kb["nonce"])
    assert report.problems == [] and not report.rejected, report.problems
    assert report.jwt.signature.verified == "valid"
    assert report.sd_alg == "sha-256"
    if "processed" in ex:
        assert report.payload == ex["processed"]
        assert list(report.payload) == list(ex["processed"])  # the order the RFC prints: plain claims, then disclosed
    printed = {d["disclosure"]: d["digest"] for d in ex.get("disclosures", [])}
    for d in report.disclosures:
        assert d.status == "used"
        if d.text in printed:
            assert d.digest == printed[d.text]
    if not ex["sd_jwt"].endswith("~"):
        assert report.kind == "SD-JWT+KB"
        if ex.get("key_binding_payload"):
            assert report.key_binding.jwt.payload == ex["key_binding_payload"]
            assert report.key_binding.sd_hash == ex["key_binding_payload"]["sd_hash"]
        assert {c.id: c.result for c in report.key_binding.checks} == dict.fromkeys(
            ("kb.jwt", "kb.typ", "kb.alg", "kb.key", "kb.signature", "kb.sd_hash", "kb.iat", "kb.aud", "kb.nonce"),
            "pass")
        assert report.key_binding.signature.verified == "valid"
    else:
        assert report.kind == "SD-JWT" and report.key_binding is None


def test_rfc9901_5_1_disclosures_decode_as_printed() -> None:
    report = run(example(RFC, "5.1 issuance")["sd_jwt"])
    by_text = {d.text: d for d in report.disclosures}
    given = by_text["WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd"]
    assert (given.salt, given.name, given.value) == ("2GLC42sKQveCfGfryNRN9w", "given_name", "John")
    assert given.digest == "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4" and given.location == "$.given_name"
    us = by_text["WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0"]
    assert (us.name, us.value, us.kind, us.location) == (None, "US", "array", "$.nationalities[0]")
    assert all(d.salt_bits == 128 for d in report.disclosures)


def test_rfc9901_5_2_locations_and_undisclosed() -> None:
    report = run(example(RFC, "5.2 presentation")["sd_jwt"], now=RFC_KB_IAT)
    assert [d.location for d in report.disclosures] == ["$.family_name", "$.address", "$.given_name",
                                                        "$.nationalities[0]"]
    hidden = [(u.location, u.kind) for u in report.undisclosed]
    assert hidden.count(("$", "object")) == 5  # email, phone_number, phone_number_verified, birthdate, updated_at
    assert ("$.nationalities[1]", "array") in hidden and len(hidden) == 6


def test_rfc9901_a1_decoys_are_listed_as_not_disclosed() -> None:
    ex = example(RFC, "A.1 presentation")
    report = run(ex["sd_jwt"])
    assert len(report.undisclosed) == 14  # 8 + 8 digests, 2 disclosed (6 of the 14 are decoys)
    assert sum(u.location == "$.address" for u in report.undisclosed) == 6
    assert [d.location for d in report.disclosures] == ["$.address.region", "$.address.country"]


def test_rfc9901_a2_array_element_with_nested_digests() -> None:
    report = run(example(RFC, "A.2 presentation")["sd_jwt"])
    evidence = next(d for d in report.disclosures if d.kind == "array")
    assert evidence.location == "$.verified_claims.verification.evidence[0]"
    assert any(d.location == "$.verified_claims.verification.evidence[0].method" for d in report.disclosures)


def test_rfc9901_a3_names_that_are_not_identifiers_get_bracket_paths() -> None:
    report = run(example(RFC, "A.3 presentation")["sd_jwt"], now=RFC_KB_IAT)
    assert [d.location for d in report.disclosures] == ["$.age_equal_or_over", "$.age_equal_or_over['18']",
                                                        "$.nationalities"]


def test_disclosure_vectors_of_section_4_2() -> None:
    prop = RFC_DISCLOSURES["object_property"]
    d, problems = sdjwt.decode_disclosure(1, prop["disclosure"], None, sdjwt.SD_HASHES["sha-256"])
    assert problems == [] and d.digest == prop["digest"] and [d.salt, d.name, d.value] == prop["contents"]
    for variant in prop["same_value_variants"]:  # other JSON spellings: same claim, other digest
        v, problems = sdjwt.decode_disclosure(2, variant, None, sdjwt.SD_HASHES["sha-256"])
        assert problems == [] and [v.salt, v.name, v.value] == prop["contents"] and v.digest != prop["digest"]
    arr = RFC_DISCLOSURES["array_element"]
    a, _ = sdjwt.decode_disclosure(1, arr["disclosure"], None, sdjwt.SD_HASHES["sha-256"])
    assert (a.kind, a.salt, a.value, a.digest) == ("array", *arr["contents"], arr["digest"])


@pytest.fixture(scope="module")
def kit() -> SdJwtKit:
    return SdJwtKit()


NESTED = RFC_DISCLOSURES["nested"]


@pytest.mark.parametrize("name", list(NESTED))
def test_rfc9901_section_6_payloads_with_all_disclosures(kit: SdJwtKit, name: str) -> None:
    """Section 6 prints payloads and disclosures (no tokens): signed here, processed back to the claims."""
    case = NESTED[name]
    sent = case["disclosures"]
    if name == "structured_one_open":  # country is in the clear there: its disclosure does not belong
        sent = [d for d in sent if d["digest"] in json.dumps(case["payload"])]
    sd_jwt = kit.issue(case["payload"], [d["disclosure"] for d in sent], bind=False)
    report = run(sd_jwt, kit.issuer_jwk_text)
    assert report.problems == [] and report.jwt.signature.verified == "valid"
    assert report.payload["address"] == {"street_address": "Schulstr. 12", "locality": "Schulpforta",
                                         "region": "Sachsen-Anhalt", "country": "DE"}
    assert [d.digest for d in report.disclosures] == [d["digest"] for d in sent]


def test_rfc9901_6_3_recursive_without_the_sub_claims(kit: SdJwtKit) -> None:
    case = NESTED["recursive"]
    address = next(d["disclosure"] for d in case["disclosures"] if d["digest"].startswith("HvrKX6"))
    report = run(kit.issue(case["payload"], [address], bind=False))
    assert report.problems == [] and report.payload["address"] == {}
    assert [(u.location, u.kind) for u in report.undisclosed] == [("$.address", "object")] * 4


def test_rfc9901_6_3_sub_claim_without_its_parent_is_unreferenced(kit: SdJwtKit) -> None:
    case = NESTED["recursive"]
    street = next(d["disclosure"] for d in case["disclosures"] if d["digest"].startswith("9gjVu"))
    report = run(kit.issue(case["payload"], [street], bind=False))
    problem = only(report, "sdjwt.disclosure-unreferenced")
    assert "nowhere in the issuer-signed JWT" in problem.message and report.rejected
    assert report.disclosures[0].status == "unreferenced" and "street_address" not in json.dumps(report.payload)


@pytest.mark.parametrize("name", [e["name"] for e in RFC_JSON["examples"]])
def test_rfc9901_json_serialization(name: str) -> None:
    ex = example(RFC_JSON, name)
    report = run(json.dumps(ex["sd_jwt"]), json.dumps(RFC_JSON["issuer_jwk"]), now=RFC_KB_IAT,
                 expected_aud=RFC_JSON["key_binding"]["aud"], expected_nonce=RFC_JSON["key_binding"]["nonce"])
    assert report.problems == [] and not report.rejected and report.jwt.signature.verified == "valid"
    assert report.serialization == ("json-general" if "general" in name else "json-flattened")
    disclosed = {d.name for d in report.disclosures}
    assert disclosed <= set(report.payload) and {"given_name", "family_name"} <= disclosed
    if report.key_binding:
        assert all(c.result == "pass" for c in report.key_binding.checks)


@pytest.mark.parametrize("name", [e["name"] for e in VC["examples"]])
def test_sd_jwt_vc_examples(name: str) -> None:
    ex = example(VC, name)
    kb = VC["key_binding"]
    report = run(ex["sd_jwt"], json.dumps(VC["issuer_jwk"]), now=1787325881, expected_aud=kb["aud"],
                 expected_nonce=kb["nonce"])
    assert report.problems == [] and report.jwt.signature.verified == "valid"
    assert report.jwt.header["typ"] == "dc+sd-jwt"
    if "processed" in ex:
        assert report.payload == ex["processed"]
    if report.key_binding:
        assert all(c.result == "pass" for c in report.key_binding.checks)
    assert [f.rule for f in sdjwt.review(report)] == ([] if "presentation" in name else ["sdjwt.no-key-binding"])


def test_recognising_sd_jwts() -> None:
    for ex in RFC["examples"] + VC["examples"]:
        assert sdjwt.looks_like_sd_jwt(ex["sd_jwt"])
        assert sdjwt.COMPACT_PATTERN.search("Authorization: x " + ex["sd_jwt"] + " more").group() == ex["sd_jwt"]
    for ex in RFC_JSON["examples"]:
        assert sdjwt.looks_like_sd_jwt(json.dumps(ex["sd_jwt"]))
    plain = example(RFC, "5.1 issuance")["sd_jwt"].split("~")[0]
    assert not sdjwt.looks_like_sd_jwt(plain) and not sdjwt.looks_like_sd_jwt('{"payload": "x"}')


# -- mutations: every way a presentation is rejected -------------------------------------------------------------

PAYLOAD = {"iss": "https://issuer.example", "iat": 1_799_990_000, "exp": 1_900_000_000}
GIVEN = disclosure(SALT, "given_name", "Erika")
FAMILY = disclosure(SALT, "family_name", "Mustermann")
DE = disclosure(SALT, "DE")


def base_payload(**extra: Any) -> dict[str, Any]:
    return {**PAYLOAD, "_sd": [digest(GIVEN), digest(FAMILY)], "nationalities": [{"...": digest(DE)}],
            "_sd_alg": "sha-256", **extra}


def test_the_base_presentation_is_valid(kit: SdJwtKit) -> None:
    text = kit.bind(kit.issue(base_payload(), [GIVEN, FAMILY, DE]), iat=int(NOW))
    report = run(text, kit.issuer_jwk_text, expected_aud="https://verifier.example", expected_nonce="n-0S6")
    assert report.problems == [] and not report.rejected
    assert report.payload["given_name"] == "Erika" and report.payload["nationalities"] == ["DE"]
    assert report.summary == "SD-JWT+KB: 3 of 3 disclosures used, 0 digests not disclosed."


def test_not_an_sd_jwt() -> None:
    report = run(example(RFC, "5.1 issuance")["sd_jwt"].split("~")[0])
    assert codes(report) == ["sdjwt.not-sd-jwt"] and report.rejected and report.jwt is None


def test_final_tilde_missing(kit: SdJwtKit) -> None:
    text = kit.issue(base_payload(), [GIVEN, FAMILY, DE])[:-1]
    report = run(text)
    problem = only(report, "sdjwt.final-tilde-missing")
    assert problem.position == len(text) - len(DE) and report.kind == "SD-JWT"
    assert report.disclosures[-1].status == "used"  # read as the disclosure it is


def test_payload_that_is_not_an_object(kit: SdJwtKit) -> None:
    token = sign("ES256", kit.issuer, {"alg": "ES256"}, b'["not", "an", "object"]')
    report = run(f"{token}~{GIVEN}~")
    assert "sdjwt.payload-unusable" in codes(report) and report.payload is None
    assert report.disclosures[0].status == "unchecked" and report.disclosures[0].name == "given_name"


def test_unknown_sd_alg_with_case_hint(kit: SdJwtKit) -> None:
    report = run(kit.issue(base_payload(_sd_alg="SHA-256"), [GIVEN]))
    problem = only(report, "sdjwt.unknown-sd-alg")
    assert "'sha-256'" in problem.message and report.payload is None and report.rejected
    assert report.disclosures[0].digest is None and report.disclosures[0].status == "unchecked"


@pytest.mark.parametrize("alg", ["sha-384", "sha-512", "sha3-256", "blake2b-512", "sha-256-128"])
def test_other_registered_hashes(kit: SdJwtKit, alg: str) -> None:
    row = sdjwt.SD_HASHES[alg]
    payload = {**PAYLOAD, "_sd": [sdjwt.sd_digest(GIVEN, row)], "_sd_alg": alg}
    sd_jwt = kit.issue(payload, [GIVEN])
    kb_hash = b64url(row.digest(sd_jwt.encode()))
    report = run(kit.bind(sd_jwt, iat=int(NOW), sd_hash=kb_hash))
    assert report.problems == [] and report.payload["given_name"] == "Erika"
    assert report.key_binding.sd_hash == kb_hash
    rules = {f.rule: f.severity for f in sdjwt.review(report)}
    expected = {"sha-384": None, "sha-512": None, "sha3-256": "low", "blake2b-512": "low", "sha-256-128": "high"}
    assert rules.get("sdjwt.sd-alg") == expected[alg]


def test_sd_alg_nested(kit: SdJwtKit) -> None:
    report = run(kit.issue(base_payload(address={"_sd_alg": "sha-256", "locality": "Köln"}), [GIVEN]))
    problem = only(report, "sdjwt.sd-alg-misplaced")
    assert "$.address._sd_alg" in problem.message and problem.level == "warning"
    assert report.payload["address"] == {"locality": "Köln"}


@pytest.mark.parametrize("sd, where", [("not-a-list", "$._sd is a string"), ([7], "$._sd[0] is a number")])
def test_sd_that_is_not_an_array_of_strings(kit: SdJwtKit, sd: Any, where: str) -> None:
    report = run(kit.issue({**PAYLOAD, "_sd": sd}))
    assert where in only(report, "sdjwt.sd-malformed").message and report.rejected


def test_ellipsis_outside_an_array_digest(kit: SdJwtKit) -> None:
    report = run(kit.issue(base_payload(extra=[{"...": digest(DE), "more": 1}]), [GIVEN, FAMILY, DE]))
    assert "$.extra[0]" in only(report, "sdjwt.ellipsis-misused").message
    assert report.payload["extra"] == [{"...": digest(DE), "more": 1}]


@pytest.mark.parametrize("text, message, offset", [
    ("", "is empty", 0),
    ("WyJzYWx0IiwgIm5hbWUiLCAidmFsdWUiXQ+", "character 35 is '+'", 34),
    ("WyJzYWx0IiwgIm5hbWUiLCAidmFsdWUiX", "impossible base64url length", 32),
    (b64url(b"\xff\xfe not utf-8"), "not decode to UTF-8", None),
    (b64url("[\"salt\", \"name\""), "not valid JSON", None),
    (b64url("{\"salt\": 1}"), "is an object, not a JSON array", None),
    (disclosure(SALT, "a", "b", "c"), "array of 4 elements", None),
    (disclosure(SALT), "array of 1 elements", None),
    (disclosure(12345, "name", "value"), "salt that is a number", None),
    (disclosure(SALT, ["name"], "value"), "claim name that is an array", None),
])
def test_malformed_disclosures(kit: SdJwtKit, text: str, message: str, offset: int | None) -> None:
    sd_jwt = kit.issue(base_payload(), [GIVEN, text])
    report = run(sd_jwt)
    problem = only(report, "sdjwt.disclosure-malformed")
    assert message in problem.message and problem.level == "error" and report.rejected
    start = sd_jwt.index("~" + text + "~", len(sd_jwt.split("~")[0])) + 1 if text else len(sd_jwt) - 1
    assert problem.position == (None if offset is None else start + offset)
    assert report.disclosures[1].status == "malformed"


def test_non_canonical_disclosure_is_a_warning(kit: SdJwtKit) -> None:
    odd = GIVEN[:-1] + chr(ord(GIVEN[-1]) + 1)  # 'd' -> 'e': same bytes, stray low bits
    report = run(kit.issue({**PAYLOAD, "_sd": [digest(odd)]}, [odd]))
    assert codes(report) == ["base64url.non-canonical"] and not report.rejected
    assert report.payload["given_name"] == "Erika"


def test_disclosure_sent_twice(kit: SdJwtKit) -> None:
    report = run(kit.issue(base_payload(), [GIVEN, FAMILY, GIVEN]))
    assert "Disclosure 3 repeats" in only(report, "sdjwt.disclosure-reused").message
    assert [d.status for d in report.disclosures] == ["used", "used", "duplicate"]


def test_array_disclosure_in_sd_and_object_disclosure_in_array(kit: SdJwtKit) -> None:
    payload = {**PAYLOAD, "_sd": [digest(DE)], "list": [{"...": digest(GIVEN)}]}
    report = run(kit.issue(payload, [DE, GIVEN], bind=False))
    messages = " ".join(p.message for p in report.problems if p.code == "sdjwt.disclosure-wrong-kind")
    assert "Disclosure 1 is an array element [salt, value], but its digest is in an _sd array" in messages
    assert "Disclosure 2 is an object property [salt, name, value], but its digest is an array element" in messages
    assert report.payload == {**PAYLOAD, "list": []}
    assert [d.status for d in report.disclosures] == ["rejected", "rejected"]


def test_unreferenced_disclosure(kit: SdJwtKit) -> None:
    other = disclosure(SALT, "birthdate", "1963-08-12")
    report = run(kit.issue(base_payload(), [GIVEN, other]))
    problem = only(report, "sdjwt.disclosure-unreferenced")
    assert problem.message.startswith("Disclosure 2 is not referenced") and report.rejected
    assert "birthdate" not in report.payload
    assert report.summary.startswith("SD-JWT: 1 of 2 disclosures used, 2 digests not disclosed. Rejected: "
                                     "Disclosure 2 is not referenced by any digest.")


def test_unreferenced_child_names_its_unreferenced_parent(kit: SdJwtKit) -> None:
    street = disclosure(SALT, "street_address", "Heidestraße 17")
    address = disclosure(SALT, "address", {"_sd": [digest(street)]})
    report = run(kit.issue(base_payload(), [street, address]))  # address's digest is not in the payload
    messages = [p.message for p in report.problems if p.code == "sdjwt.disclosure-unreferenced"]
    assert len(messages) == 2 and "referenced from disclosure 2, which is itself not referenced" in messages[0]


@pytest.mark.parametrize("where", ["top", "nested", "array", "inside a disclosure"])
def test_digest_that_appears_twice(kit: SdJwtKit, where: str) -> None:
    given = digest(GIVEN)
    payloads = {
        "top": {**PAYLOAD, "_sd": [given, given]},
        "nested": {**PAYLOAD, "_sd": [given], "address": {"_sd": [given]}},
        "array": {**PAYLOAD, "_sd": [given], "list": [{"...": given}]},
    }
    sent = [GIVEN]
    if where == "inside a disclosure":
        holder = disclosure(SALT, "address", {"_sd": [given]})
        payloads[where] = {**PAYLOAD, "_sd": [given, digest(holder)]}
        sent.append(holder)
    report = run(kit.issue(payloads[where], sent))
    problem = only(report, "sdjwt.digest-duplicate")
    places = {"top": ("$._sd[1]", "$._sd[0]"), "nested": ("$._sd[0]", "$.address._sd[0]"),
              "array": ("$._sd[0]", "$.list[0]"), "inside a disclosure": ("$.address._sd[0]", "$._sd[0]")}[where]
    assert problem.message.startswith(f"{places[0]}: the digest {given} appears again (first at {places[1]})")
    assert report.rejected


def test_recursive_disclosure(kit: SdJwtKit, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cycle needs a hash fixed point, so the hash is replaced by a table for this test."""
    loop = disclosure(SALT, "loop", {"_sd": ["digest-of-loop"]})
    real = sdjwt.sd_digest
    monkeypatch.setattr(sdjwt, "sd_digest", lambda text, alg: "digest-of-loop" if text == loop else real(text, alg))
    report = run(kit.issue({**PAYLOAD, "_sd": ["digest-of-loop"]}, [loop], bind=False))
    assert "inside its own value" in only(report, "sdjwt.recursive-disclosure").message
    assert report.payload["loop"] == {} and report.rejected


@pytest.mark.parametrize("name", ["_sd", "..."])
def test_reserved_claim_names(kit: SdJwtKit, name: str) -> None:
    bad = disclosure(SALT, name, "x")
    report = run(kit.issue({**PAYLOAD, "_sd": [digest(bad)]}, [bad]))
    assert repr(name) in only(report, "sdjwt.claim-name-reserved").message
    assert report.disclosures[0].status == "rejected" and name not in report.payload


def test_claim_that_already_exists(kit: SdJwtKit) -> None:
    iss = disclosure(SALT, "iss", "https://evil.example")
    twice = disclosure("c2FsdHNhbHRzYWx0c2FsdB", "given_name", "Eve")
    report = run(kit.issue({**PAYLOAD, "_sd": [digest(GIVEN), digest(iss), digest(twice)]}, [GIVEN, iss, twice]))
    messages = [p.message for p in report.problems if p.code == "sdjwt.claim-exists"]
    assert len(messages) == 2 and "'iss'" in messages[0] and "'given_name'" in messages[1]
    assert report.payload["iss"] == PAYLOAD["iss"] and report.payload["given_name"] == "Erika"


def test_nesting_too_deep(kit: SdJwtKit) -> None:
    deep: Any = "bottom"
    for _ in range(sdjwt.MAX_DEPTH + 5):
        deep = {"a": deep}
    report = run(kit.issue({**PAYLOAD, "deep": deep}))
    assert "nested more than 100 levels" in only(report, "sdjwt.too-deep").message


def test_json_serialization_problems() -> None:
    flat = dict(example(RFC_JSON, "8.2 flattened presentation")["sd_jwt"])
    legacy = {k: v for k, v in flat.items() if k != "header"} | flat["header"]
    report = run(json.dumps(legacy), now=RFC_KB_IAT)
    assert codes(report) == ["sdjwt.json-legacy-layout"] and not report.rejected
    assert report.key_binding.checks[5].result == "pass"  # sd_hash over the rebuilt compact form
    general = json.loads(json.dumps(example(RFC_JSON, "8.3 general presentation")["sd_jwt"]))
    general["signatures"][1]["header"]["disclosures"] = []
    assert "sdjwt.json-extra-header" in codes(run(json.dumps(general), now=RFC_KB_IAT))
    broken = {k: v for k, v in flat.items() if k != "signature"}
    report = run(json.dumps(broken))
    assert codes(report) == ["sdjwt.json-invalid"] and "no string signature" in report.problems[0].message
    assert codes(run("{\"payload\": ")) == ["json.syntax", "sdjwt.json-invalid"]


def test_issuer_signature_and_alg_none_reject(kit: SdJwtKit) -> None:
    sd_jwt = kit.issue(base_payload(), [GIVEN])
    report = run(sd_jwt, json.dumps(jwk(key_for("ES256"))))
    assert report.jwt.signature.verified == "invalid" and report.rejected
    assert report.summary.endswith("Rejected: The issuer's signature does not verify.")
    unsigned = b64url('{"alg":"none"}') + "." + b64url(json.dumps(base_payload())) + ".~" + GIVEN + "~"
    report = run(unsigned)
    assert report.rejected and "not signed" in report.summary


def test_a_broken_issuer_jwt_is_reported_and_rejected(kit: SdJwtKit) -> None:
    sd_jwt = kit.issue(base_payload(), [GIVEN, FAMILY, DE])
    head, rest = sd_jwt.split(".", 1)
    report = run(head[:5] + "*" + head[6:] + "." + rest)
    assert "base64url.invalid-char" in [p.code for p in report.jwt.problems] and report.rejected
    assert report.problems == [] and report.payload["given_name"] == "Erika"  # the payload still decodes


def test_claim_checks_use_the_processed_payload(kit: SdJwtKit) -> None:
    exp = disclosure(SALT, "exp", 1_700_000_000)
    report = run(kit.issue({"iss": "x", "_sd": [digest(exp)]}, [exp]), kit.issuer_jwk_text)
    assert [(c.claim, c.ok) for c in report.jwt.signature.checks] == [("exp", False)]


# -- key binding ----------------------------------------------------------------------------------------------------


def kb_report(kit: SdJwtKit, text: str, **kwargs: Any) -> tuple[SdJwtReport, dict[str, str]]:
    report = run(text, expected_aud="https://verifier.example", expected_nonce="n-0S6", **kwargs)
    return report, {c.id: c.result for c in report.key_binding.checks}


@pytest.fixture
def sd_jwt(kit: SdJwtKit) -> str:
    return kit.issue(base_payload(), [GIVEN, FAMILY])


def test_kb_required_but_missing(sd_jwt: str) -> None:
    assert "sdjwt.kb-missing" in codes(run(sd_jwt, require_key_binding=True))
    assert "sdjwt.kb-missing" not in codes(run(sd_jwt))


def test_kb_not_a_jws(sd_jwt: str, kit: SdJwtKit) -> None:
    report, results = kb_report(kit, sd_jwt + "eyJhbGciOiJFUzI1NiJ9.e30")
    assert results["kb.jwt"] == "fail" and set(list(results.values())[1:]) == {"skipped"}
    assert only(report, "sdjwt.kb-malformed").position == len(sd_jwt)


@pytest.mark.parametrize("header, result", [({"alg": "ES256"}, "missing"), ({"alg": "ES256", "typ": "JWT"}, "'JWT'")])
def test_kb_typ(sd_jwt: str, kit: SdJwtKit, header: dict[str, str], result: str) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW), header=header))
    assert results["kb.typ"] == "fail" and result in only(report, "sdjwt.kb-typ").message
    assert results["kb.signature"] == "pass"


def test_kb_alg_hmac_and_none(sd_jwt: str, kit: SdJwtKit) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW), alg="HS256", key=b"k" * 32))
    assert results["kb.alg"] == "fail" and "shared-secret MAC" in only(report, "sdjwt.kb-alg").message
    assert results["kb.signature"] == "skipped"
    none = b64url('{"alg":"none","typ":"kb+jwt"}') + "." + b64url(json.dumps({"sd_hash": digest(sd_jwt)})) + "."
    report, results = kb_report(kit, sd_jwt + none)
    assert "alg \"none\"" in only(report, "sdjwt.kb-alg").message


def test_kb_holder_key(kit: SdJwtKit) -> None:
    unbound = kit.issue(base_payload(), [GIVEN], bind=False)
    report, results = kb_report(kit, kit.bind(unbound, iat=int(NOW)))
    assert results["kb.key"] == "fail" and "no cnf claim" in only(report, "sdjwt.kb-no-holder-key").message
    by_thumbprint = kit.issue(base_payload(cnf={"jkt": "abc"}), [GIVEN], bind=False)
    report, results = kb_report(kit, kit.bind(by_thumbprint, iat=int(NOW)))
    problem = only(report, "sdjwt.kb-no-holder-key")
    assert results["kb.key"] == "skipped" and problem.level == "warning" and "by jkt" in problem.message
    broken = kit.issue(base_payload(cnf={"jwk": {"kty": "EC", "crv": "P-256", "x": "AA"}}), [GIVEN], bind=False)
    report, results = kb_report(kit, kit.bind(broken, iat=int(NOW)))
    assert results["kb.key"] == "fail" and "cnf.jwk is not usable" in only(report, "sdjwt.kb-no-holder-key").message


def test_kb_signed_by_another_key(sd_jwt: str, kit: SdJwtKit) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW), key=key_for("ES256")))
    assert results["kb.signature"] == "fail" and report.key_binding.signature.verified == "invalid"
    assert "sdjwt.kb-signature" in codes(report) and report.rejected


def test_kb_holder_key_of_another_type(kit: SdJwtKit) -> None:
    sd_jwt = kit.issue(base_payload(cnf={"jwk": jwk(key_for("EdDSA"))}), [GIVEN], bind=False)
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW)))
    assert results["kb.signature"] == "fail" and report.key_binding.signature.verified == "error"
    assert "cannot verify ES256" in report.key_binding.signature.message


def test_kb_sd_hash(sd_jwt: str, kit: SdJwtKit) -> None:
    signed = kit.bind(sd_jwt, iat=int(NOW))
    kb = signed[len(sd_jwt):]
    report, results = kb_report(kit, sd_jwt + FAMILY + "~" + kb)  # a disclosure slipped in after signing
    assert results["kb.sd_hash"] == "fail" and "sdjwt.kb-sd-hash" in codes(report)
    assert "disclosure-reused" in " ".join(codes(report))  # FAMILY was already there
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW), sd_hash=None))
    assert results["kb.sd_hash"] == "fail" and "missing" in only(report, "sdjwt.kb-sd-hash").message


@pytest.mark.parametrize("iat, max_age, wording", [
    (int(NOW) + 600, None, "in the future"),
    (int(NOW) - 600, 300, "more than the accepted 300 s ago"),
    (None, None, "missing"),
    ("yesterday", None, "not a NumericDate"),
])
def test_kb_iat(sd_jwt: str, kit: SdJwtKit, iat: Any, max_age: float | None, wording: str) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=iat), kb_max_age=max_age)
    assert results["kb.iat"] == "fail" and wording in only(report, "sdjwt.kb-iat").message


def test_kb_iat_window_passes(sd_jwt: str, kit: SdJwtKit) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW) - 100), kb_max_age=300)
    assert results["kb.iat"] == "pass" and report.problems == []


@pytest.mark.parametrize("claim, value, wording", [
    ("aud", "https://other.example", "but this verifier expects 'https://verifier.example'"),
    ("aud", ["https://verifier.example"], "an array, not a single string"),
    ("nonce", "replayed", "but this verifier expects 'n-0S6'"),
    ("nonce", None, "nonce is missing"),
])
def test_kb_aud_and_nonce(sd_jwt: str, kit: SdJwtKit, claim: str, value: Any, wording: str) -> None:
    report, results = kb_report(kit, kit.bind(sd_jwt, iat=int(NOW), **{claim: value}))
    assert results[f"kb.{claim}"] == "fail" and wording in only(report, f"sdjwt.kb-{claim}").message


def test_kb_aud_and_nonce_without_expectations_are_shown(sd_jwt: str, kit: SdJwtKit) -> None:
    report = run(kit.bind(sd_jwt, iat=int(NOW)))
    messages = {c.id: c.message for c in report.key_binding.checks}
    assert "no expected value given" in messages["kb.aud"] and "'n-0S6'" in messages["kb.nonce"]


# -- review findings ---------------------------------------------------------------------------------------------


def test_finding_no_key_binding(sd_jwt: str, kit: SdJwtKit) -> None:
    assert [f.rule for f in sdjwt.review(run(sd_jwt))] == ["sdjwt.no-key-binding"]
    assert sdjwt.review(run(kit.bind(sd_jwt, iat=int(NOW)))) == []
    assert sdjwt.review(run(kit.issue(base_payload(), [GIVEN], bind=False))) == []


def test_finding_short_salt(kit: SdJwtKit) -> None:
    short = disclosure("salt", "given_name", "Erika")  # "salt" decodes to 3 bytes
    finding = sdjwt.review(run(kit.issue({**PAYLOAD, "_sd": [digest(short)]}, [short], bind=False)))[0]
    assert (finding.rule, finding.severity, finding.reference) == ("sdjwt.short-salt", "medium", "RFC 9901 9.3")
    assert "disclosure 1 (24 bits)" in finding.risk


def test_vc_findings(kit: SdJwtKit) -> None:
    exp = disclosure(SALT, "exp", 1_900_000_000)
    payload = {"iss": "x", "vct": "urn:example", "_sd": [digest(exp)]}
    report = run(kit.issue(payload, [exp], header={"alg": "ES256", "typ": "vc+sd-jwt"}, bind=False))
    assert [f.rule for f in sdjwt.review(report)] == ["sdjwt.vc-legacy-typ", "sdjwt.vc-claim-disclosable"]
    report = run(kit.issue(payload, [exp], header={"alg": "ES256", "typ": "example+sd-jwt"}, bind=False))
    assert sdjwt.review(report) == []


# -- robustness ------------------------------------------------------------------------------------------------------


def test_garbage_never_raises() -> None:
    rng = random.Random(9901)
    base = example(RFC, "5.2 presentation")["sd_jwt"]
    alphabet = "~.{}[]\"aZ09-_=+/ \n\u00e9"
    for _ in range(300):
        chars = list(base)
        for _ in range(rng.randrange(1, 6)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        report = run("".join(chars[: rng.randrange(len(chars) + 1)]))
        assert "internal.error" not in codes(report), report.problems
        json.dumps(dataclasses.asdict(report))  # plain JSON-compatible data all the way down
    for text in ("", "~", "~~~", "{}", "[]", "{\"signatures\": []}", "a.b.c~", "a~b~c.d.e", None):
        assert "internal.error" not in codes(run(text))
