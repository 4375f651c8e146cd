"""encode.py: tokens signed here verify with PyJWT + cryptography and tokens signed there verify here, for every
algorithm, with keys from keygen and from cryptography in every format; the header and claim helpers; every
problem code; ECDSA never reuses a nonce."""

from __future__ import annotations

import functools
import json
import os

import jwt
import pytest

import jwtlens
from jwtlens import encode, export, keygen
from jwtlens.problems import DEFAULTS, Code
from jwtlens.report import EncodeResult
from oracle_keys import (
    ALG_KINDS,
    HMAC_SIZES,
    ORACLE,
    PEM,
    SPKI,
    b64u,
    crypto_key,
    crypto_texts,
    jwtlens_key,
    oracle_thumbprint,
    to_crypto,
    unb64u,
)

PAYLOAD = {"sub": "1234567890", "name": "Zoë Example", "admin": True, "n": [1, 2.5, None]}
PAYLOAD_TEXT = json.dumps(PAYLOAD, indent=2, ensure_ascii=False)
NOW = 1_800_000_000
PRIVATE_FORMS = ("pkcs8", "traditional", "jwk")
SECRET_FORMS = ("base64url", "hex", "jwk")


@functools.cache
def _secret(size: int, source: str) -> bytes:
    """An HMAC secret from keygen, or (the "cryptography" side) straight from the OS."""
    return jwtlens_key(f"oct-{size}").secret if source == "jwtlens" else os.urandom(size)


def _secret_texts(secret: bytes, source: str) -> dict[str, str]:
    if source == "jwtlens":
        key = jwtlens_key(f"oct-{len(secret)}")
        return {"base64url": export.secret_b64url(key), "hex": secret.hex(), "jwk": json.dumps(export.secret_jwk(key))}
    return {"base64url": b64u(secret), "hex": secret.hex(), "jwk": json.dumps({"kty": "oct", "k": b64u(secret)})}


def _material(alg: str, kind: str, source: str, form: str) -> tuple[str, str, object, object]:
    """(key text, secret format, the oracle's signing key, the oracle's verifying key) for one case."""
    if kind == "oct":
        secret = _secret(HMAC_SIZES[alg], source)
        return _secret_texts(secret, source)[form], "auto" if form == "jwk" else form, secret, secret
    if source == "jwtlens":
        key = jwtlens_key(kind)
        oracle = to_crypto(key)
        texts = {"pkcs8": export.private_pem(key), "jwk": json.dumps(export.private_jwk(key)),
                 "spki": export.public_pem(key), "jwk-public": json.dumps(export.public_jwk(key))}
        if kind not in ("Ed25519", "Ed448"):
            texts["traditional"] = export.private_pem(key, "traditional")
    else:
        oracle = crypto_key(kind)
        texts = crypto_texts(oracle)
    return texts[form], "auto", oracle, oracle.public_key()


def _cases(forms_for_keys: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    cases = []
    for alg, kind in ALG_KINDS:
        forms = SECRET_FORMS if kind == "oct" else forms_for_keys
        for source in ("jwtlens", "cryptography"):
            for form in forms:
                if form == "traditional" and kind in ("Ed25519", "Ed448"):
                    continue
                cases.append((alg, kind, source, form))
    return cases


@pytest.mark.parametrize(("alg", "kind", "source", "form"), _cases(PRIVATE_FORMS))
def test_signed_here_verifies_with_pyjwt(alg: str, kind: str, source: str, form: str) -> None:
    text, secret_format, _, verifier = _material(alg, kind, source, form)
    made = encode.encode('{"kid": "k1"}', PAYLOAD_TEXT, alg, text, secret_format=secret_format, now=NOW)
    assert made.problems == [] and made.ok
    assert ORACLE.decode(made.token, verifier, algorithms=[alg]) == PAYLOAD
    assert jwt.get_unverified_header(made.token) == {"alg": alg, "typ": "JWT", "kid": "k1"}
    if kind == "oct":
        assert made.public_key is None
    else:
        assert made.public_key == verifier.public_bytes(PEM, SPKI).decode()
        assert jwtlens.inspect(made.token, made.public_key).token.signature.verified == "valid"


@pytest.mark.parametrize(("alg", "kind", "source", "form"), _cases((*PRIVATE_FORMS, "spki", "jwk-public")))
def test_signed_by_pyjwt_verifies_here(alg: str, kind: str, source: str, form: str) -> None:
    text, secret_format, signer, _ = _material(alg, kind, source, form)
    token = ORACLE.encode(PAYLOAD, signer, algorithm=alg)
    report = jwtlens.inspect(token, text, secret_format=secret_format)
    assert report.token.signature.verified == "valid", report.token.signature.message


def test_a_generated_key_object_signs_directly() -> None:
    key = keygen.generate("ES384")
    made = encode.encode("", "{}", "ES384", key)
    assert made.ok and ORACLE.decode(made.token, to_crypto(key).public_key(), algorithms=["ES384"]) == {}


# -- ECDSA nonces and PSS salts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("alg", "kind"), [(a, k) for a, k in ALG_KINDS if a.startswith("ES")])
def test_ecdsa_never_reuses_a_nonce(alg: str, kind: str) -> None:
    key = jwtlens_key(kind)
    size = (to_crypto(key).curve.key_size + 7) // 8
    r_values = set()
    for n in range(4):
        made = encode.encode("{}", json.dumps({"n": n}), alg, key)
        sig = unb64u(made.token.rsplit(".", 1)[1])
        assert len(sig) == 2 * size  # r || s (RFC 7518 3.4); the oracle tests above verify these signatures
        r_values.add(sig[:size])
    assert len(r_values) == 4
    again = [encode.encode("{}", '{"n": 0}', alg, key).token for _ in range(2)]
    assert again[0] == again[1]  # RFC 6979: the nonce depends on the key and the message only


def test_pss_salt_is_fresh_each_time() -> None:
    key = jwtlens_key("RSA")
    tokens = {encode.encode("{}", "{}", "PS256", key).token for _ in range(2)}
    assert len(tokens) == 2


# -- header and claims ------------------------------------------------------------------------------------------


def test_header_alg_follows_the_choice_and_typ_defaults() -> None:
    key = jwtlens_key("P-256")
    made = encode.encode('{"typ": "at+jwt", "alg": "HS256", "x": {"y": 1}}', "{}", "ES256", key)
    assert made.header == {"alg": "ES256", "typ": "at+jwt", "x": {"y": 1}}
    assert list(made.header) == ["alg", "typ", "x"]
    assert made.header_text == '{"alg":"ES256","typ":"at+jwt","x":{"y":1}}'
    assert encode.encode("  ", "{}", "ES256", key).header == {"alg": "ES256", "typ": "JWT"}
    assert encode.encode('{"typ": null}', "{}", "ES256", key).header == {"alg": "ES256", "typ": None}


def test_kid_from_the_key_thumbprint() -> None:
    key = jwtlens_key("Ed25519")
    made = encode.encode('{"kid": "old", "cty": "x"}', "{}", "Ed25519", export.private_pem(key), kid_from_key=True)
    assert made.header["kid"] == oracle_thumbprint(to_crypto(key))
    assert list(made.header) == ["alg", "typ", "kid", "cty"]  # replaced where it stood


def test_claim_helpers() -> None:
    made = encode.encode("{}", '{"sub": "a", "exp": 1}', "HS256", "k" * 32, iat=True, exp="15m", nbf=0, jti=True,
                         now=NOW + 0.7)
    assert made.payload["sub"] == "a" and made.payload["iat"] == NOW
    assert made.payload["exp"] == NOW + 900 and made.payload["nbf"] == NOW
    assert len(unb64u(made.payload["jti"])) == 16
    assert list(made.payload) == ["sub", "exp", "iat", "nbf", "jti"]
    other = encode.encode("{}", "{}", "HS256", "k" * 32, jti=True)
    assert other.payload["jti"] != made.payload["jti"]
    assert set(encode.encode("{}", "{}", "HS256", "k" * 32).payload) == set()


def test_expired_test_token() -> None:
    made = encode.encode("{}", "{}", "HS256", "k" * 32, iat=True, exp="-5m", now=NOW)
    report = jwtlens.inspect(made.token, "k" * 32, now=NOW)
    assert report.status == "expired" and report.token.signature.verified == "valid"


@pytest.mark.parametrize(("value", "seconds"), [
    ("30s", 30), ("15m", 900), ("1h", 3600), ("2d", 172800), ("1w", 604800), ("1h30m", 5400), ("1H 30M", 5400),
    ("15", 900), (15, 900), (0.5, 30), ("1.5h", 5400), ("-5m", -300), ("+2h", 7200), (0, 0),
])
def test_parse_duration(value: object, seconds: int) -> None:
    assert encode.parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "soon", "5 minutes", "1h30", "m", "--5m", "5x", True, None, float("inf"),
                                   "1e3"])
def test_parse_duration_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        encode.parse_duration(value)


def test_segments_and_result_json() -> None:
    made = encode.encode("{}", PAYLOAD_TEXT, "HS384", "k" * 48)
    assert [s.name for s in made.segments] == ["header", "payload", "signature"]
    for seg in made.segments:
        assert made.token[seg.start : seg.start + len(seg.text)] == seg.text
        assert len(unb64u(seg.text)) == seg.decoded_length
    assert made.segments[2].decoded_length == 48
    assert unb64u(made.segments[1].text).decode() == made.payload_text
    assert made.payload_text == json.dumps(PAYLOAD, separators=(",", ":"), ensure_ascii=False)
    as_json = json.loads(made.to_json())
    assert as_json["ok"] is True and as_json["token"] == made.token and as_json["key"]["kind"] == "secret"


def test_secret_formats_are_honoured() -> None:
    secret = bytes(range(32))
    made = encode.encode("{}", "{}", "HS256", secret.hex(), secret_format="hex")
    assert ORACLE.decode(made.token, secret, algorithms=["HS256"]) == {}
    as_text = encode.encode("{}", "{}", "HS256", secret.hex(), secret_format="text")
    assert ORACLE.decode(as_text.token, secret.hex().encode(), algorithms=["HS256"]) == {}
    assert "hex" in made.key.description


def test_the_fitting_private_key_of_a_set_is_used() -> None:
    rsa_key, ec_key = jwtlens_key("RSA"), jwtlens_key("P-256")
    jwks = {"keys": [export.public_jwk(rsa_key), export.private_jwk(ec_key), export.private_jwk(rsa_key)]}
    made = encode.encode("{}", "{}", "RS256", json.dumps(jwks))
    assert made.ok and made.key.thumbprint == rsa_key.thumbprint()


def test_the_kid_chooses_between_private_keys() -> None:
    first, second = keygen.generate("ES256"), keygen.generate("ES256")
    jwks = json.dumps({"keys": [export.private_jwk(first), export.private_jwk(second)]})
    made = encode.encode(json.dumps({"kid": second.thumbprint()}), "{}", "ES256", jwks)
    assert made.ok and made.key.thumbprint == second.thumbprint()
    assert ORACLE.decode(made.token, to_crypto(second).public_key(), algorithms=["ES256"]) == {}


# -- problems ---------------------------------------------------------------------------------------------------


def _public_pem(kind: str) -> str:
    return crypto_key(kind).public_key().public_bytes(PEM, SPKI).decode()


def _jwk(kind: str, **extra: object) -> str:
    return json.dumps({**export.private_jwk(jwtlens_key(kind)), **extra})


def _two_keys() -> str:
    return json.dumps({"keys": [export.private_jwk(keygen.generate("ES256")) for _ in range(2)]})


# (code, level, encode arguments, text in the message)
PROBLEM_CASES = [
    (Code.ENCODE_HEADER_JSON, "error", ('{"a": 1,}', "{}", "HS256", "k" * 32), "line 1, column 9"),
    (Code.ENCODE_HEADER_JSON, "error", ("[1]", "{}", "HS256", "k" * 32), "not an array"),
    (Code.ENCODE_HEADER_JSON, "error", ('{"x": 1, "x": 2}', "{}", "HS256", "k" * 32), "more than once"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", '{\n  "sub": "a",\n}', "HS256", "k" * 32), "line 3, column 1"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", '"text"', "HS256", "k" * 32), "not a str"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", '{"n": ' + "9" * 5000 + "}", "HS256", "k" * 32), "too large"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", '{"n": NaN}', "HS256", "k" * 32), "NaN"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", '{"s": "\\ud800"}', "HS256", "k" * 32), "lone surrogate"),
    (Code.ENCODE_PAYLOAD_JSON, "error", ("{}", "", "HS256", "k" * 32), "line 1, column 1"),
    (Code.ENCODE_HEADER_B64_FALSE, "error", ('{"b64": false}', "{}", "HS256", "k" * 32), "RFC 7797"),
    (Code.ENCODE_ALG_UNSUPPORTED, "error", ("{}", "{}", "RS1", "k" * 32), "not a JWS signature algorithm"),
    (Code.ENCODE_ALG_UNSUPPORTED, "error", ("{}", "{}", "hs256", "k" * 32), "the algorithm is \"HS256\""),
    (Code.ENCODE_ALG_UNSUPPORTED, "error", ("{}", "{}", "A128KW", "k" * 32), "encrypted tokens (JWE)"),
    (Code.ENCODE_ALG_NONE_REFUSED, "error", ("{}", "{}", "none", None), "refused"),
    (Code.ENCODE_KEY_MISSING, "error", ("{}", "{}", "ES256", None), "an EC P-256 private key"),
    (Code.ENCODE_KEY_MISSING, "error", ("{}", "{}", "HS256", "  \n"), "a shared secret"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "RS256", "k" * 32), "RS256 signs with an RSA private key"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "ES256", export.private_pem(jwtlens_key("P-384"))),
     "this EC key is on P-384"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "HS256", _jwk("RSA")), "HS256 signs with a shared secret"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "Ed448", _jwk("Ed25519")), "an Ed448 private key"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "PS256", _jwk("RSA", alg="RS256")), "declared for RS256"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "ES256", _jwk("P-256", key_ops=["verify"])),
     "do not allow signing"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "ES256", _jwk("P-256", use="enc")), "for encryption"),
    (Code.ENCODE_KEY_WRONG_TYPE, "error", ("{}", "{}", "RS256", json.dumps({"keys": [json.loads(_jwk("P-256")),
                                                                                  json.loads(_jwk("Ed25519"))]})),
     "No key in the JWKS fits RS256"),
    (Code.ENCODE_KEY_NOT_PRIVATE, "error", ("{}", "{}", "ES256", _public_pem("P-256")),
     "Signing needs the private key"),
    (Code.ENCODE_KEY_NOT_PRIVATE, "error", ("{}", "{}", "RS256", json.dumps(export.public_jwk(jwtlens_key("RSA")))),
     "RSA 2048-bit public key"),
    (Code.ENCODE_KEY_AMBIGUOUS, "error", ("{}", "{}", "ES256", _two_keys()), "2 private keys"),
    (Code.ENCODE_SECRET_SHORT, "warning", ("{}", "{}", "HS256", "secret"), "6 bytes; HS256 needs at least 32"),
    (Code.ENCODE_SECRET_SHORT, "warning", ("{}", "{}", "HS512", "k" * 48), "needs at least 64"),
]


@pytest.mark.parametrize(("code", "level", "args", "text"), PROBLEM_CASES)
def test_problem(code: str, level: str, args: tuple, text: str) -> None:
    made = encode.encode(*args)
    found = [p for p in made.problems if p.code == code]
    assert found, [(p.code, p.message) for p in made.problems]
    assert text in found[0].message, found[0].message
    assert found[0].level == level and found[0].fix
    assert (made.token is None) == (level == "error") and made.ok == (level != "error")


def test_json_errors_carry_line_and_column() -> None:
    made = encode.encode('{\n "a": 1\n "b": 2}', '{"x": tru}', "HS256", "k" * 32)
    header, payload = made.problems
    assert (header.code, header.segment, header.line, header.column) == (Code.ENCODE_HEADER_JSON, "header", 3, 2)
    assert (payload.code, payload.segment, payload.line, payload.column) == (Code.ENCODE_PAYLOAD_JSON, "payload", 1, 7)


def test_all_problems_are_reported_at_once() -> None:
    made = encode.encode("{", "[", "ES256", "k" * 32)
    assert [p.code for p in made.problems] == [Code.ENCODE_HEADER_JSON, Code.ENCODE_PAYLOAD_JSON,
                                               Code.ENCODE_KEY_WRONG_TYPE]


def test_claim_problem() -> None:
    made = encode.encode("{}", "{}", "HS256", "k" * 32, exp="soon")
    (found,) = made.problems
    assert found.code == Code.ENCODE_CLAIM_INVALID and "'soon' is not a duration" in found.message
    assert made.token is None


def test_alg_none_only_when_allowed() -> None:
    made = encode.encode('{"kid": "x"}', '{"sub": "a"}', "none", "ignored", allow_none=True, kid_from_key=True)
    (found,) = made.problems
    assert found.code == Code.ENCODE_UNSIGNED and found.level == "warning" and made.ok
    assert made.token.endswith(".") and made.header == {"alg": "none", "typ": "JWT", "kid": "x"}
    assert made.segments[2].text == "" and made.key is None and made.public_key is None
    report = jwtlens.inspect(made.token)
    assert report.status == "unsecured" and report.token.payload == {"sub": "a"}


def test_kid_from_a_secret_is_refused_with_a_warning() -> None:
    made = encode.encode("{}", "{}", "HS256", "k" * 32, kid_from_key=True)
    (found,) = made.problems
    assert found.code == Code.ENCODE_KID_UNAVAILABLE and made.ok and "kid" not in made.header


def test_key_box_problems_pass_through() -> None:
    made = encode.encode("{}", "{}", "RS256", "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----")
    assert [p.code for p in made.problems] == ["key.pem-invalid"] and made.token is None


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_a_small_rsa_key_signs_with_a_warning() -> None:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import rsa

    small = rsa.generate_private_key(65537, 1024)
    text = small.private_bytes(PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()).decode()
    made = encode.encode("{}", "{}", "RS256", text)
    assert [p.code for p in made.problems] == ["encode.key-short"] and made.ok
    assert "1024 bits" in made.problems[0].message and "2048" in made.problems[0].message
    assert ORACLE.decode(made.token, small.public_key(), algorithms=["RS256"]) == {}


def test_every_encode_code_is_tested_and_has_a_default() -> None:
    codes = {v for k, v in vars(Code).items() if k.startswith("ENCODE_")}
    tested = {c for c, *_ in PROBLEM_CASES} | {Code.ENCODE_CLAIM_INVALID, Code.ENCODE_UNSIGNED,
                                               Code.ENCODE_KID_UNAVAILABLE, Code.ENCODE_KEY_SHORT}
    assert codes == tested
    assert codes <= set(DEFAULTS) and all(c.startswith("encode.") for c in codes)


def test_result_is_plain_data() -> None:
    result = EncodeResult(alg="HS256")
    assert not result.ok and json.loads(result.to_json())["token"] is None
