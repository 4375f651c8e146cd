"""check_signature as the page sees it (through jwtlens.inspect): verdicts, precise mismatch messages, key confusion,
JWKS selection and the `tried` list, claim checks one by one, unsecured tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

import jwtlens
from helpers import make_token
from jwtlens.claims import expectation_checks
from jwtlens.options import Options
from jwtlens.report import SignatureResult
from jwtlens.segments import decode_token
from jwtlens.verify import check_signature

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

NOW = 1_800_000_000.0
SECRET = "a-very-long-shared-secret-for-hs256!"


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pem(key: object) -> str:
    return key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo).decode()


def _jwk(key: object, **extra: str) -> dict:
    pub = key.public_key()
    algo = {rsa.RSAPrivateKey: jwt.algorithms.RSAAlgorithm, ec.EllipticCurvePrivateKey: jwt.algorithms.ECAlgorithm}
    cls = next((v for k, v in algo.items() if isinstance(key, k)), jwt.algorithms.OKPAlgorithm)
    return {**json.loads(cls.to_jwk(pub)), **extra}


def _sig(token: str, key: str | None, **options) -> SignatureResult:
    return jwtlens.inspect(token, key=key, now=NOW, **options).token.signature


def _codes(result: SignatureResult) -> list[str]:
    return [p.code for p in result.problems]


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


@pytest.fixture(scope="module")
def p256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def test_no_key_is_unchecked(rsa_key) -> None:
    result = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256"), None)
    assert result.verified == "unchecked" and result.alg == "RS256"
    assert "No key given" in result.message and "RSA public key" in result.message
    assert _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256"), "   \n").verified == "unchecked"


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_valid_and_invalid(alg: str) -> None:
    token = jwt.encode({"a": 1}, SECRET + "x" * 30, algorithm=alg)
    assert _sig(token, SECRET + "x" * 30).verified == "valid"
    wrong = _sig(token, SECRET + "y" * 30)
    assert wrong.verified == "invalid" and "HMAC does not match" in wrong.message
    assert _codes(wrong) == ["signature.mismatch"]


def test_valid_message_names_the_key(rsa_key) -> None:
    result = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="PS256"), _pem(rsa_key))
    assert result.verified == "valid"
    assert result.message == "Signature verified: PS256 with the RSA 2048-bit public key."
    assert result.key.kind == "RSA" and result.key.size == 2048 and len(result.key.thumbprint) == 43


def test_mismatch_messages(rsa_key, p256) -> None:
    es256 = jwt.encode({"a": 1}, p256, algorithm="ES256")
    rs256 = jwt.encode({"a": 1}, rsa_key, algorithm="RS256")
    cases = [
        (es256, _pem(rsa_key), ["ES256 needs an EC P-256 public key", "RSA 2048-bit"]),
        (es256, _pem(ec.generate_private_key(ec.SECP384R1())), ["ES256 needs a P-256 key", "P-384", "fits ES384"]),
        (rs256, SECRET, ["RS256 is verified with an RSA public key", "HMAC secret"]),
        (rs256, _pem(p256), ["RS256 needs an RSA public key", "EC P-256"]),
        (jwt.encode({"a": 1}, ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA"), _pem(p256),
         ["EdDSA needs an Ed25519 or Ed448 public key"]),
    ]
    for token, key, words in cases:
        result = _sig(token, key)
        assert result.verified == "error", result.message
        for word in words:
            assert word in result.message, (word, result.message)
        assert "key.wrong-type" in _codes(result)


def _forge_hs256(public_text: str, payload: dict) -> str:
    head = _b64u(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64u(json.dumps(payload).encode())
    mac = hmac.new(public_text.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64u(mac)}"


def test_key_confusion_forgery_is_named(rsa_key) -> None:
    pem = _pem(rsa_key)
    forged = _forge_hs256(pem, {"sub": "admin"})
    result = _sig(forged, pem)
    assert result.verified == "invalid"
    assert result.message.startswith("KEY CONFUSION") and "RFC 8725" in result.message
    assert "key.confusion" in _codes(result)
    # the same forgery is recognised when the key is pasted as a JWK: the attacker used the key's PEM text
    as_jwk = _sig(forged, json.dumps(_jwk(rsa_key)))
    assert as_jwk.verified == "invalid" and "key.confusion" in _codes(as_jwk) and "PEM encoding" in as_jwk.message
    # ... and with the PEM pasted without its final newline
    assert _sig(forged, pem.strip()).verified == "invalid"


def test_public_key_for_an_honest_hmac_token_is_an_error(rsa_key) -> None:
    result = _sig(jwt.encode({"a": 1}, SECRET, algorithm="HS256"), _pem(rsa_key))
    assert result.verified == "error"
    assert "key-confusion" in result.message and "not a forgery" in result.message


def test_signature_length_problems(p256) -> None:
    token = jwt.encode({"a": 1}, p256, algorithm="ES256")
    head, body, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig + "==")
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    from ecdsa.util import sigencode_der

    der_token = f"{head}.{body}.{_b64u(sigencode_der(r, s, 0))}"
    result = _sig(der_token, _pem(p256))
    assert result.verified == "invalid" and "DER" in result.message and "64 bytes" in result.message
    assert _codes(result) == ["signature.wrong-length"]
    short = _sig(f"{head}.{body}.{_b64u(raw[:48])}", _pem(p256))
    assert short.verified == "invalid" and "48 bytes" in short.message
    es384_sized = _sig(f"{head}.{body}.{_b64u(raw + raw[:32])}", _pem(p256))
    assert "the size for ES384" in es384_sized.message
    zero_r = _sig(f"{head}.{body}.{_b64u(bytes(32) + raw[32:])}", _pem(p256))
    assert zero_r.verified == "invalid" and "r is zero" in zero_r.message


def test_rsa_signature_length_and_other_key(rsa_key) -> None:
    token = jwt.encode({"a": 1}, rsa_key, algorithm="RS256")
    head, body, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig + "==")
    cut = _sig(f"{head}.{body}.{_b64u(raw[:-3])}", _pem(rsa_key))
    assert cut.verified == "invalid" and "256" in cut.message and "signature.wrong-length" in _codes(cut)
    other = _sig(token, _pem(rsa.generate_private_key(65537, 2048)))
    assert other.verified == "invalid" and "another key" in other.message
    # A signature at or above the modulus cannot come from this key (the random key above may hit either path).
    all_ones = _b64u(bytes([255]) * len(raw))
    too_big = _sig(f"{head}.{body}.{all_ones}", _pem(rsa_key))
    assert too_big.verified == "invalid" and "not smaller than this key's modulus" in too_big.message
    assert "another key" in too_big.message
    pss_as_rs = jwt.encode({"a": 1}, rsa_key, algorithm="PS256")
    head2, body2, sig2 = pss_as_rs.split(".")
    forged_alg = _b64u(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    result = _sig(f"{forged_alg}.{body2}.{sig2}", _pem(rsa_key))
    assert result.verified == "invalid" and "RSASSA-PSS with SHA-256: was it made for PS256?" in result.message


def test_a_block_that_merely_ends_in_0xbc_is_not_called_pss(rsa_key) -> None:
    # One wrong-key signature in 256 opens to a block ending in 0xbc; only a real PSS layout is named as PSS.
    token = jwt.encode({"a": 1}, rsa_key, algorithm="RS256")
    head, body, _ = token.split(".")
    numbers = rsa_key.private_numbers()
    n, d = numbers.public_numbers.n, numbers.d
    block = int.from_bytes(b"\x00" + hashlib.sha256(b"not a signature").digest() * 7 + bytes(30) + b"\xbc", "big")
    assert block < n
    garbage = _b64u(pow(block, d, n).to_bytes(256, "big"))
    result = _sig(f"{head}.{body}.{garbage}", _pem(rsa_key))
    assert result.verified == "invalid" and "made with another key" in result.message
    assert "PSS" not in result.message


def test_short_hmac_secret_is_one_review_finding() -> None:
    token = jwt.encode({"a": 1}, "k" * 10, algorithm="HS256")
    report = jwtlens.inspect(token, key="k" * 10, now=NOW)
    assert report.token.signature.verified == "valid"
    assert "key.secret-short" not in [p.code for p in report.token.signature.problems]
    short = next(f for f in report.token.findings if f.rule == "hmac.short-secret")
    assert "80 bits" in short.title and "32 bytes" in short.fix


def test_jwks_selection_by_kid_and_tried(rsa_key, p256) -> None:
    other_rsa = rsa.generate_private_key(65537, 2048)
    jwks = json.dumps({"keys": [
        _jwk(other_rsa, kid="old"),
        _jwk(rsa_key, kid="enc", use="enc"),
        _jwk(p256, kid="ec"),
        _jwk(ec.generate_private_key(ec.SECP384R1()), kid="ec384"),
        _jwk(rsa_key, kid="rs512-only", alg="RS512"),
        {"kty": "RSA", "kid": "broken"},
        _jwk(rsa_key, kid="current"),
    ]})
    by_kid = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256", headers={"kid": "current"}), jwks)
    assert by_kid.verified == "valid" and "key #7" in by_kid.message and "kid 'current'" in by_kid.message
    assert len(by_kid.tried) == 7
    assert "wrong kid" in by_kid.tried[0] and "signature verified" in by_kid.tried[6]
    assert any("Chosen from a JWKS of 7 keys" in n for n in by_kid.key.notes)

    no_kid = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256"), jwks)
    assert no_kid.verified == "valid" and "key #7" in no_kid.message
    tried = dict(t.split(": ", 1) for t in (e.split(" (", 1)[0] + ": " + e.split("): ", 1)[1] for e in no_kid.tried))
    assert tried["key #1"].startswith("signature does not match")
    assert tried["key #2"].startswith("not for signing") and "enc" in tried["key #2"]
    assert tried["key #3"].startswith("wrong type")
    assert tried["key #4"].startswith("wrong type")
    assert tried["key #5"].startswith("alg conflict") and "RS512" in tried["key #5"]
    assert tried["key #6"].startswith("not usable")
    assert tried["key #7"] == "signature verified"

    es512 = _sig(jwt.encode({"a": 1}, ec.generate_private_key(ec.SECP521R1()), algorithm="ES512"), jwks)
    assert es512.verified == "error" and "key.no-match" in _codes(es512)
    assert any("wrong curve" in t and "P-256" in t for t in es512.tried)
    assert any("wrong curve" in t and "P-384" in t for t in es512.tried)


def test_jwks_kid_that_names_no_key(rsa_key) -> None:
    jwks = json.dumps({"keys": [_jwk(rsa_key, kid="a")]})
    result = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256", headers={"kid": "zzz"}), jwks)
    assert result.verified == "valid" and "names no key" in result.message
    assert "key.kid-mismatch" in _codes(result)
    wrong = _sig(jwt.encode({"a": 1}, rsa.generate_private_key(65537, 2048), algorithm="RS256",
                            headers={"kid": "zzz"}), jwks)
    assert wrong.verified == "invalid" and "names no key" in wrong.message


def test_jwks_with_a_matching_kid_of_the_wrong_type(rsa_key, p256) -> None:
    jwks = json.dumps({"keys": [_jwk(rsa_key, kid="k1")]})
    result = _sig(jwt.encode({"a": 1}, p256, algorithm="ES256", headers={"kid": "k1"}), jwks)
    assert result.verified == "error" and "kid 'k1' cannot verify ES256" in result.message


def test_hs256_with_oct_jwks() -> None:
    secret = b"0123456789abcdef0123456789abcdef"
    jwks = json.dumps({"keys": [{"kty": "oct", "kid": "s1", "k": _b64u(b"x" * 32)},
                                {"kty": "oct", "kid": "s2", "k": _b64u(secret)}]})
    result = _sig(jwt.encode({"a": 1}, secret, algorithm="HS256"), jwks)
    assert result.verified == "valid" and "key #2" in result.message


@pytest.mark.parametrize("make", [lambda: ec.generate_private_key(ec.SECP521R1()), ed448.Ed448PrivateKey.generate])
def test_jwk_forms_of_other_curves(make) -> None:
    key = make()
    alg = "ES512" if isinstance(key, ec.EllipticCurvePrivateKey) else "EdDSA"
    assert _sig(jwt.encode({"a": 1}, key, algorithm=alg), json.dumps(_jwk(key))).verified == "valid"


def test_unsecured_tokens_are_never_valid(rsa_key) -> None:
    token = jwt.encode({"a": 1}, None, algorithm="none")
    without = _sig(token, None)
    assert without.verified == "unchecked" and "Unsecured" in without.message
    with_key = _sig(token, _pem(rsa_key))
    assert with_key.verified == "invalid" and "must reject" in with_key.message
    with_secret = _sig(token, SECRET)
    assert with_secret.verified == "invalid"
    stripped = jwt.encode({"a": 1}, SECRET, algorithm="HS256").rsplit(".", 1)[0] + "."
    empty = _sig(stripped, SECRET)
    assert empty.verified == "invalid" and "empty" in empty.message


def test_algorithm_names_are_case_sensitive() -> None:
    head = _b64u(b'{"alg":"hs256"}')
    body = _b64u(b'{"a":1}')
    mac = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    result = _sig(f"{head}.{body}.{_b64u(mac)}", SECRET)
    assert result.verified == "invalid" and "case-sensitive" in result.message and '"HS256"' in result.message
    assert "signature.alg-unsupported" in _codes(result)


def test_undecodable_or_malformed_tokens() -> None:
    garbage_header = "eyJhbGciOiJIUzI1NiJ.eyJhIjoxfQ.abc"
    assert _sig(garbage_header, SECRET).verified in ("unchecked", "invalid")
    token = jwt.encode({"a": 1}, SECRET, algorithm="HS256")
    head, body, sig = token.split(".")
    bad = _sig(f"{head}.{body}.{sig[:-1]}*", SECRET)
    assert bad.verified == "invalid" and "base64url" in bad.message
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"
    assert "JWE" in check_signature(decode_token(jwe), SECRET, Options()).message


def test_bad_key_never_breaks_decoding() -> None:
    token = jwt.encode({"sub": "alice"}, SECRET, algorithm="HS256")
    for key in ("-----BEGIN PUBLIC KEY-----\nnot base64!!\n-----END PUBLIC KEY-----", "{", '{"keys": 5}', "\x00\xff"):
        report = jwtlens.inspect(token, key=key, now=NOW)
        assert report.token.payload == {"sub": "alice"}
        assert report.token.signature.verified in ("error", "invalid"), key


def _checks(payload: dict, **options) -> dict[str, tuple[bool, str]]:
    """The claim checks beside the signature, as jwtlens.inspect makes them."""
    token = jwt.encode(payload, SECRET, algorithm="HS256")
    report = jwtlens.inspect(token, options=Options(now=NOW, **options))
    return {c.claim: (c.ok, c.message) for c in report.token.signature.checks}


def test_claim_checks_report_each_claim() -> None:
    payload = {"exp": NOW - 3600, "nbf": NOW + 120, "iat": NOW + 7200, "iss": "https://a", "aud": ["x", "y"]}
    checks = _checks(payload, issuer="https://b", audience="z")
    assert set(checks) == {"exp", "nbf", "iat", "iss", "aud"}
    assert not any(ok for ok, _ in checks.values())  # every failure is reported, not only the first
    assert "expired 1 h ago" in checks["exp"][1]
    assert "not valid yet" in checks["nbf"][1] and "in 2 min" in checks["nbf"][1]
    assert "future" in checks["iat"][1]
    assert "'https://a' is not the expected issuer 'https://b'" in checks["iss"][1]
    assert "does not include the expected audience 'z'" in checks["aud"][1]
    good = _checks({"exp": NOW + 60, "nbf": NOW - 1, "iat": NOW - 1, "iss": "https://b", "aud": "z"},
                   issuer="https://b", audience="z")
    assert all(ok for ok, _ in good.values()) and len(good) == 5


def test_claim_checks_leeway_now_and_types() -> None:
    assert _checks({"exp": NOW - 30}, leeway=60)["exp"][0] is True
    assert _checks({"exp": NOW - 30})["exp"][0] is False
    assert _checks({"nbf": NOW + 30}, leeway=60)["nbf"][0] is True
    assert _checks({"exp": "soon"})["exp"] == (False, _checks({"exp": "soon"})["exp"][1])
    assert "not a usable NumericDate" in _checks({"exp": "soon"})["exp"][1]
    assert _checks({"iss": "a"}) == {}  # iss/aud only when an expected value is given
    assert _checks({}, issuer="a", audience="b") == {
        "iss": (False, "iss: missing; the expected issuer is 'a'."),
        "aud": (False, "aud: missing; the expected audience is 'b'."),
    }
    assert _checks({"sub": 5})["sub"][0] is False
    assert expectation_checks("not an object", Options(issuer="a")) == []


def test_claim_checks_ride_along_with_the_signature(rsa_key) -> None:
    token = jwt.encode({"exp": NOW - 10, "iss": "me"}, rsa_key, algorithm="RS256")
    result = jwtlens.inspect(token, options=Options(now=NOW, issuer="me")).token.signature
    assert result.verified == "unchecked"
    assert [(c.claim, c.ok) for c in result.checks] == [("exp", False), ("iss", True)]
    assert _sig(token, _pem(rsa_key)).verified == "valid"  # an expired token still has a valid signature


def test_pss_with_another_salt_length_is_explained(rsa_key) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    head = _b64u(json.dumps({"alg": "PS256"}).encode())
    body = _b64u(b'{"a":1}')
    pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=20)
    sig = rsa_key.sign(f"{head}.{body}".encode(), pad, hashes.SHA256())
    result = _sig(f"{head}.{body}.{_b64u(sig)}", _pem(rsa_key))
    assert result.verified == "invalid"
    assert "salt is 20 bytes" in result.message and "32 bytes for SHA-256" in result.message


def test_kid_against_members_without_kid_or_broken(rsa_key, p256) -> None:
    bundle = _pem(p256) + _pem(rsa_key)  # PEM blocks carry no kid: a token's kid does not rule them out
    result = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256", headers={"kid": "k9"}), bundle)
    assert result.verified == "valid" and "key #2" in result.message
    assert "key.kid-mismatch" not in _codes(result)
    broken = json.dumps({"keys": [{"kty": "RSA", "kid": "k9", "n": "!!"}, _jwk(rsa_key, kid="other")]})
    named = _sig(jwt.encode({"a": 1}, rsa_key, algorithm="RS256", headers={"kid": "k9"}), broken)
    assert named.verified == "error" and "kid 'k9'" in named.message and "not usable" in named.message


def test_oct_jwk_alg_conflict() -> None:
    jwk = json.dumps({"kty": "oct", "k": _b64u(SECRET.encode()), "alg": "HS512"})
    result = _sig(jwt.encode({"a": 1}, SECRET, algorithm="HS256"), jwk)
    assert result.verified == "error" and "declared for HS512" in result.message


@pytest.mark.parametrize(("alg", "length", "plausible"), [
    ("RS256", 75, False), ("RS256", 256, True), ("RS256", 127, False), ("ES256", 64, True), ("ES256", 72, False),
    ("ES512", 132, True), ("EdDSA", 64, True), ("EdDSA", 114, True), ("EdDSA", 100, False), ("Ed25519", 114, False),
    ("HS256", 32, True), ("HS256", 16, False), ("PS512", 512, True),
])
def test_signature_length_is_judged_without_a_key(alg: str, length: int, plausible: bool) -> None:
    """A signature whose length no key of the header's alg makes is a problem even before a key is pasted."""
    token = make_token({"alg": alg}, {"sub": "a"}, b"\x01" * length)
    report = jwtlens.inspect(token, now=NOW)
    found = [p for p in report.token.problems if p.code == "signature.implausible-length"]
    assert bool(found) != plausible
    if found:
        assert found[0].segment == "signature" and f"{length} bytes" in found[0].message
