"""Wycheproof signature vectors through the entry point the page uses: ``jwtlens.algorithms.get(alg)``.

Generic per family, dispatched on each file's ``schema`` and each group's parameters, so that any other Wycheproof
file of these families (other key sizes, curves, hashes) runs unchanged: RSASSA-PKCS1-v1_5, RSASSA-PSS, ECDSA in
the P1363 (r||s) form, EdDSA and HMAC. Groups whose parameters no JWS algorithm uses are skipped and counted (PSS
with another salt length or MGF hash, truncated HMAC tags, curve/hash pairs JWS does not define). The key is used
in the form the vector gives it: the JWK where there is one, else the PEM (the PEM is also loaded next to the JWK
and must be the same key). Every ``valid`` case must verify, every ``invalid`` case must be rejected (a key our
loader refuses rejects every signature). ``acceptable`` cases follow ACCEPTABLE below or are only counted.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jwt.exceptions import InvalidKeyError

from jwtlens import algorithms

# The repository's copy (tests/vectors/wycheproof, with its licence), plus any other Wycheproof file of these families
# found in a shared vectors folder beside the checkout (other key sizes and curves, used for acceptance checks).
VECTORS = Path(__file__).resolve().parent / "vectors" / "wycheproof"
EXTRA_VECTORS = Path(__file__).resolve().parent.parent.parent / "shared" / "vectors" / "wycheproof"


def _vector_files() -> list[Path]:
    files = {p.name: p for p in VECTORS.glob("*.json")}
    if EXTRA_VECTORS.is_dir():
        for p in EXTRA_VECTORS.glob("*.json"):
            files.setdefault(p.name, p)
    return [files[name] for name in sorted(files)]


FILES = _vector_files()

# Our documented decision for the "acceptable" flags we know: True = we accept, False = we reject.
ACCEPTABLE = {
    # DigestInfo without the NULL parameters: rejected, PKCS#1 v1.5 is compared against the one DER encoding
    # RFC 8017 9.2 gives (see jwtlens/rsa.py).
    "MissingNull": False,
}

HASH_LEN = {"SHA-256": 32, "SHA-384": 48, "SHA-512": 64}
RS = {"SHA-256": "RS256", "SHA-384": "RS384", "SHA-512": "RS512"}
PS = {"SHA-256": "PS256", "SHA-384": "PS384", "SHA-512": "PS512"}
ES = {
    ("secp256r1", "SHA-256"): "ES256",
    ("secp384r1", "SHA-384"): "ES384",
    ("secp521r1", "SHA-512"): "ES512",
    ("secp256k1", "SHA-256"): "ES256K",
}
EC_CRV = {"P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1", "secp256k1": "secp256k1"}
HS = {"HMACSHA256": ("HS256", 256), "HMACSHA384": ("HS384", 384), "HMACSHA512": ("HS512", 512)}


def _family(schema: str) -> str | None:
    for prefix, family in (
        ("rsassa_pkcs1_verify", "rsa"),
        ("rsassa_pss_verify", "pss"),
        ("ecdsa_p1363_verify", "ecdsa"),
        ("eddsa_verify", "eddsa"),
        ("mac_test", "mac"),
    ):
        if schema.startswith(prefix):
            return family
    return None


def _jws_alg(family: str, data: dict[str, Any], group: dict[str, Any]) -> str | None:
    """The JWS algorithm for a group, or None when JWS does not use its parameters."""
    if family == "rsa":
        return RS.get(group.get("sha", ""))
    if family == "pss":
        sha = group.get("sha", "")
        same_mgf = group.get("mgf", "MGF1") == "MGF1" and group.get("mgfSha") == sha
        return PS.get(sha) if same_mgf and group.get("sLen") == HASH_LEN.get(sha) else None
    if family == "ecdsa":
        curve = (group.get("publicKey") or {}).get("curve") or EC_CRV.get((_jwk(group) or {}).get("crv", ""))
        return ES.get((curve, group.get("sha", "")))
    if family == "eddsa":
        curve = (group.get("publicKey") or {}).get("curve") or (_jwk(group) or {}).get("crv")
        return "EdDSA" if curve in ("edwards25519", "edwards448", "Ed25519", "Ed448") else None
    if family == "mac":
        alg, bits = HS.get(data.get("algorithm", ""), (None, 0))
        return alg if group.get("tagSize") == bits else None
    return None


def _jwk(group: dict[str, Any]) -> dict[str, Any] | None:
    return group.get("publicKeyJwk") or group.get("keyJwk")


def _prepare(alg: Any, group: dict[str, Any]) -> tuple[Any, str | None]:
    """The group's key as given (JWK, else PEM); (None, reason) when our loader refuses it."""
    jwk, pem = _jwk(group), group.get("publicKeyPem")
    try:
        key = alg.prepare_key(jwk if jwk is not None else pem)
    except InvalidKeyError as exc:
        return None, str(exc)
    if jwk is not None and pem is not None:  # the same key in its other form must load to the same key
        assert alg.prepare_key(pem).thumbprint() == key.thumbprint(), "PEM and JWK of the group differ"
    return key, None


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.name) for p in FILES]
    or [pytest.param(None, marks=pytest.mark.skip(reason=f"no Wycheproof vectors at {VECTORS}"))],
)
def test_wycheproof_file(path: Path) -> None:
    data = json.loads(path.read_text())
    family = _family(data.get("schema", ""))
    if family is None:
        pytest.skip(f"{data.get('schema')}: not a JWS signature family (DER ECDSA, DSA, ... are not used by JWS)")
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for group in data["testGroups"]:
        name = _jws_alg(family, data, group)
        if name is None:
            counts["skipped (not a JWS parameter set)"] += len(group["tests"])
            continue
        alg = algorithms.get(name)
        key, refused = (None, None) if family == "mac" else _prepare(alg, group)
        for case in group["tests"]:
            msg = bytes.fromhex(case["msg"])
            if family == "mac":
                key = alg.prepare_key(bytes.fromhex(case["key"]))
                sig = bytes.fromhex(case["tag"])
            else:
                sig = bytes.fromhex(case["sig"])
            ok = key is not None and alg.verify(msg, key, sig)
            result = case["result"]
            counts[f"{result} {'accepted' if ok else 'rejected'}"] += 1
            where = f"tcId {case['tcId']} ({name}, {case.get('comment') or ','.join(case['flags'])})"
            if result == "valid" and not ok:
                failures.append(f"{where}: valid but rejected: {refused or alg.check(msg, key, sig)}")
            elif result == "invalid" and ok:
                failures.append(f"{where}: invalid but accepted")
            elif result == "acceptable":
                decided = [ACCEPTABLE[f] for f in case["flags"] if f in ACCEPTABLE]
                if decided and ok != all(decided):
                    failures.append(f"{where}: acceptable case does not follow the documented choice {decided}")
    print(f"{path.name}: {dict(sorted(counts.items()))}")
    assert not failures, f"{len(failures)} case(s) disagree:\n" + "\n".join(failures[:20])
    if not any(k.startswith(("valid", "invalid", "acceptable")) for k in counts):
        pytest.skip("no group of this file uses JWS parameters")
