"""JWE (RFC 7516/7518, RFC 8037): the specifications' vectors, a round trip for every alg and enc, every refusal
with its code and message, tampering, key sets, PBES2 in slices, and what ``inspect``, the review and the command
line make of it. Nothing here needs ``cryptography`` (keys come from the vectors, ``ecdsa`` and our X25519), so the
file also runs inside Pyodide; test_jwe_differential.py checks against jwcrypto."""

from __future__ import annotations

import json
from pathlib import Path

import ecdsa
import pytest

import jwtlens
from helpers import NOW, b64url
from jwtlens import b64url as b64
from jwtlens import jwa, jwe
from jwtlens.cli import main
from jwtlens.keys import XPublicKey, load_key
from jwtlens.options import Options
from jwtlens.primitives import kdf, montgomery

VECTORS = Path(__file__).resolve().parent / "vectors" / "jwe"
RFC7516 = json.loads((VECTORS / "rfc7516-appendix-a.json").read_text())["vectors"]
ONE_SHOT = Options(now=NOW, pbes2_inline_iterations=None)
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi")
CLAIMS = {"sub": "alice", "iss": "https://issuer.example", "aud": "api", "exp": NOW + 600}


def cookbook(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def public(jwk: dict) -> str:
    return json.dumps({k: v for k, v in jwk.items() if k not in PRIVATE_MEMBERS})


def ec_jwk(curve: str) -> dict:
    sk = ecdsa.SigningKey.generate(jwa.CURVES[curve].ecdsa_curve)
    size, point = jwa.CURVES[curve].size, sk.get_verifying_key().pubkey.point
    return {"kty": "EC", "crv": curve, "x": b64.encode_uint(point.x(), size), "y": b64.encode_uint(point.y(), size),
            "d": b64.encode_uint(sk.privkey.secret_multiplier, size)}


def okp_jwk(curve: str) -> dict:
    private, public_raw = montgomery.generate(curve)
    return {"kty": "OKP", "crv": curve, "x": b64.encode(public_raw), "d": b64.encode(private)}


RSA_JWK = RFC7516[0]["key"]  # 2048 bits, private
SECRETS = {n: bytes(range(n)).hex() for n in (16, 24, 32, 48, 64)}
AGREEMENT = {c: (ec_jwk(c) if c.startswith("P-") else okp_jwk(c)) for c in jwa.ALGS["ECDH-ES"].curves}


def key_pair(alg: str, enc: str, curve: str = "P-256") -> tuple[str, str]:
    """(encryption key text, decryption key text) for an alg."""
    row = jwa.ALGS[alg]
    if row.family in ("RSAES-OAEP", "RSAES-PKCS1-v1_5"):
        return public(RSA_JWK), json.dumps(RSA_JWK)
    if row.family == "ECDH-ES":
        return public(AGREEMENT[curve]), json.dumps(AGREEMENT[curve])
    if row.family == "PBES2":
        return "tr0ub4dor&3 horse battery", "tr0ub4dor&3 horse battery"
    bits = jwa.ALGS[enc].key_bits if row.family == "dir" else row.key_bits
    return SECRETS[bits // 8], SECRETS[bits // 8]


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


# -- the specifications' examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", RFC7516, ids=lambda v: v["section"])
def test_rfc7516_appendix_a(vector: dict) -> None:
    result = jwe.decrypt(vector["token"], json.dumps(vector["key"]))
    assert result.decrypted == "decrypted", result.message
    assert result.plaintext == vector["plaintext"] and result.content_type == "text"


COOKBOOK = sorted(p.name for p in VECTORS.glob("*.json") if p.name[0] in "5c")


@pytest.mark.parametrize("name", COOKBOOK)
def test_rfc7520_examples(name: str) -> None:
    example = cookbook(name)
    given = example["input"]
    key = given.get("pwd") or json.dumps(given["key"])
    result = jwe.decrypt(example["output"]["compact"], key, ONE_SHOT)
    assert result.decrypted == "decrypted", result.message
    assert result.plaintext == given["plaintext"]
    assert (result.alg, result.enc, result.zip) == (given["alg"], given["enc"], given.get("zip"))


def test_rfc7520_nested_jwt() -> None:
    example = cookbook("6.nesting_signatures_and_encryption.json")
    token = example["encrypt"]["output"]["compact"]
    recipient, signer = json.dumps(example["encrypt"]["input"]["key"]), public(example["sign"]["input"]["key"])
    report = jwtlens.inspect(token, recipient, now=1300819000, inner_key=signer)
    outer, inner = report.token, report.token.inner
    assert outer.encryption.content_type == "JWT" and inner is not None
    assert inner.signature.verified == "valid" and inner.payload["iss"] == "hobbiton.example"
    assert report.status == inner.validity.status == "valid"
    assert "nested JWT" in outer.validity.message and "jwe.encrypted" not in [p.code for p in outer.problems]
    assert jwtlens.inspect(token, recipient, now=1300819381, inner_key=signer).status == "expired"
    unchecked = jwtlens.inspect(token, recipient, now=1300819000).token.inner
    assert unchecked.signature.verified == "unchecked"
    wrong = jwtlens.inspect(token, recipient, now=1300819000, inner_key=public(RSA_JWK)).token.inner
    assert wrong.signature.verified == "invalid"


# -- round trips ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", sorted(jwa.JWE_ALGS))
@pytest.mark.parametrize("enc", sorted(jwa.JWE_ENCS))
def test_round_trip(alg: str, enc: str) -> None:
    curves = jwa.ALGS[alg].curves or ("-",)
    for i, curve in enumerate(curves):
        sender, recipient = key_pair(alg, enc, curve)
        token = jwe.encrypt(CLAIMS, sender, alg, enc, zip=i % 2 == 0, kid="k1", p2c=1000)
        report = jwtlens.inspect(token, recipient, ONE_SHOT)
        assert report.token.encryption.decrypted == "decrypted", report.token.encryption.message
        assert report.token.payload == CLAIMS and report.status == "valid"
        assert report.token.header["kid"] == "k1"


def test_encrypt_forms_and_header() -> None:
    secret = SECRETS[16]
    for content, expected in ((b"\xff\x00", "bytes"), ("plain text", "text"), ([1, 2], "JSON")):
        result = jwe.decrypt(jwe.encrypt(content, secret, "A128KW", "A128GCM"), secret)
        assert result.content_type == expected
    binary = jwe.decrypt(jwe.encrypt(b"\xff\x00", secret, "A128KW", "A128GCM"), secret)
    assert binary.plaintext is None and b64.decode(binary.plaintext_base64url) == b"\xff\x00"
    token = jwe.encrypt("x", secret, "A128KW", "A128GCM", cty="text/plain", extra_header={"x-note": 1})
    header = json.loads(b64.decode(token.split(".")[0]))
    assert header == {"alg": "A128KW", "enc": "A128GCM", "cty": "text/plain", "x-note": 1}
    with pytest.raises(jwe.EncryptError, match="may not set"):
        jwe.encrypt("x", secret, "A128KW", "A128GCM", extra_header={"enc": "A256GCM"})
    with pytest.raises(jwe.EncryptError) as exc:
        jwe.encrypt("x", SECRETS[32], "A128KW", "A128GCM")
    assert exc.value.problem.code == "jwe.key-size"
    pbes2 = json.loads(b64.decode(jwe.encrypt("x", "pw", "PBES2-HS256+A128KW", "A128GCM", p2c=1000).split(".")[0]))
    assert pbes2["p2c"] == 1000 and len(b64.decode(pbes2["p2s"])) == 16
    assert jwe.DEFAULT_P2C == 600_000


def test_ecdh_uses_a_fresh_ephemeral_key() -> None:
    sender, _ = key_pair("ECDH-ES", "A128GCM", "X25519")
    epks = {json.dumps(json.loads(b64.decode(jwe.encrypt("x", sender, "ECDH-ES", "A128GCM").split(".")[0]))["epk"])
            for _ in range(3)}
    assert len(epks) == 3


# -- keys -------------------------------------------------------------------------------------------------------


def test_x25519_and_x448_keys_load_for_encryption_only() -> None:
    for curve in ("X25519", "X448"):
        jwk = AGREEMENT[curve]
        key = load_key(json.dumps(jwk), purpose="enc").keys[0]
        assert isinstance(key.public, XPublicKey) and key.private
        assert key.describe(purpose="enc") == f"{curve} private key"
        assert load_key(public(jwk), purpose="enc").keys[0].thumbprint()
        refused = load_key(json.dumps(jwk))
        assert refused.keys == [] and refused.problems[0].code == "key.unsupported"
        message = refused.problems[0].message
        assert "key agreement" in message and "cannot verify signatures" in message


def _jwk_with(**members: object) -> str:
    return json.dumps({**RSA_JWK, **members})


def _token(alg: str = "RSA-OAEP-256", enc: str = "A128GCM", **kw: object) -> str:
    return jwe.encrypt(CLAIMS, key_pair(alg, enc)[0], alg, enc, p2c=1000, **kw)


@pytest.mark.parametrize(("key", "code", "words"), [
    (_jwk_with(use="sig"), "jwe.key-use", "marked \"use\": 'sig'"),
    (_jwk_with(key_ops=["sign", "encrypt"]), "jwe.key-use", "do not allow decrypting"),
    (_jwk_with(alg="RSA-OAEP"), "jwe.key-use", "declared for RSA-OAEP"),
    (public(RSA_JWK), "jwe.key-not-private", "needs the RSA private key"),
    (SECRETS[16], "jwe.key-wrong-type", "RSA-OAEP-256 needs an RSA private key; the key is a secret"),
    (json.dumps(AGREEMENT["P-256"]), "jwe.key-wrong-type", "the key is an EC P-256 private key"),
], ids=["use", "key_ops", "alg", "public", "secret", "ec"])
def test_key_that_does_not_fit(key: str, code: str, words: str) -> None:
    result = jwe.decrypt(_token(), key)
    assert result.decrypted == "failed" and codes(result)[-1] == code and words in result.message, result.message
    assert jwe.decrypt(_token(), _jwk_with(use="enc", key_ops=["unwrapKey"], alg="RSA-OAEP-256")).decrypted == \
        "decrypted"


def test_secret_sizes_are_named() -> None:
    result = jwe.decrypt(_token("A128KW"), SECRETS[32], Options(secret_format="hex"))
    assert "A128KW needs a 16-byte key; this one is 32 bytes" in result.message and codes(result) == ["jwe.key-size"]
    result = jwe.decrypt(_token("dir"), SECRETS[32], Options(secret_format="hex"))
    assert "dir with A128GCM needs a 16-byte key; this one is 32 bytes" in result.message
    # in auto mode the reading of the right size is used: 32 hex digits are 16 bytes
    assert jwe.decrypt(_token("A128KW"), SECRETS[16]).decrypted == "decrypted"


def test_key_sets_pick_by_kid_and_list_every_member() -> None:
    other = ec_jwk("P-256")
    jwks = json.dumps({"keys": [{**other, "kid": "ec"}, {**RSA_JWK, "kid": "sig", "use": "sig"},
                                {**RSA_JWK, "kid": "enc", "use": "enc"}]})
    result = jwe.decrypt(_token(kid="enc"), jwks)
    assert result.decrypted == "decrypted" and "key #3" in result.message
    assert any("key #2" in t and "not for this use" in t for t in result.tried), result.tried
    fallback = jwe.decrypt(_token(kid="nope"), jwks)
    assert fallback.decrypted == "decrypted" and any("tried anyway" in t for t in fallback.tried), fallback.tried
    named = jwe.decrypt(_token(kid="sig"), jwks)
    assert named.decrypted == "failed" and codes(named)[-1] == "jwe.key-no-match" and "kid 'sig'" in named.message


# -- refusals, each before the work it would cost ---------------------------------------------------------------


def _with_header(token: str, **changes: object) -> str:
    parts = token.split(".")
    header = json.loads(b64.decode(parts[0]))
    header.update(changes)
    parts[0] = b64url(json.dumps({k: v for k, v in header.items() if v is not None}))
    return ".".join(parts)


@pytest.mark.parametrize(("changes", "code", "words"), [
    ({"alg": "RSA-OAEP-999"}, "jwe.alg-unsupported", "not a registered JWE key-management algorithm"),
    ({"alg": "HS256"}, "jwe.alg-unsupported", "a JWS signature algorithm"),
    ({"alg": "rsa-oaep-256"}, "jwe.alg-unsupported", "'RSA-OAEP-256' is registered"),
    ({"enc": None}, "jwe.enc-missing", "no \"enc\""),
    ({"enc": "A128GCMKW"}, "jwe.enc-unsupported", "belongs in alg"),
    ({"zip": "GZIP"}, "jwe.zip-unsupported", "\"DEF\""),
])
def test_header_refusals(changes: dict, code: str, words: str) -> None:
    result = jwe.decrypt(_with_header(_token(), **changes), json.dumps(RSA_JWK))
    assert result.decrypted == "failed" and codes(result) == [code] and words in result.message, result.message


def _refuse(*_: object) -> bytes:
    raise AssertionError("PBKDF2 ran")


@pytest.mark.parametrize(("changes", "code", "words"), [
    ({"p2c": None}, "jwe.p2c-refused", "is missing"),
    ({"p2c": jwa.PBES2_MAX_ITERATIONS + 1}, "jwe.p2c-refused", "runs at most 1,000,000"),
    ({"p2c": "1000"}, "jwe.p2c-refused", "not a positive integer"),
    ({"p2s": b64url(b"short")}, "jwe.p2s-invalid", "is 5 bytes"),
    ({"p2s": None}, "jwe.p2s-invalid", "\"p2s\" is missing"),
])
def test_pbes2_parameters_are_refused_before_any_work(monkeypatch: pytest.MonkeyPatch, changes: dict, code: str,
                                                     words: str) -> None:
    token = _with_header(_token("PBES2-HS256+A128KW"), **changes)
    monkeypatch.setattr(kdf, "_pbkdf2", _refuse)
    monkeypatch.setattr(kdf.PBKDF2, "step", _refuse)
    result = jwe.decrypt(token, key_pair("PBES2-HS256+A128KW", "A128GCM")[1], ONE_SHOT)
    assert result.decrypted == "failed" and codes(result) == [code] and words in result.message, result.message


def test_ecdh_epk_is_checked() -> None:
    sender, recipient = key_pair("ECDH-ES", "A128GCM", "P-256")
    token = jwe.encrypt("x", sender, "ECDH-ES", "A128GCM")
    epk = json.loads(b64.decode(token.split(".")[0]))["epk"]
    y = bytearray(b64.decode(epk["y"]))
    y[-1] ^= 1
    off_curve = jwe.decrypt(_with_header(token, epk={**epk, "y": b64.encode(bytes(y))}), recipient)
    assert codes(off_curve) == ["jwe.epk-invalid"] and "invalid-curve" in off_curve.message
    assert codes(jwe.decrypt(_with_header(token, epk=None), recipient)) == ["jwe.epk-invalid"]
    p384 = jwe.encrypt("x", key_pair("ECDH-ES", "A128GCM", "P-384")[0], "ECDH-ES", "A128GCM")
    other = jwe.decrypt(p384, recipient)
    assert codes(other) == ["jwe.key-wrong-type"] and "epk) is on P-384, this key is on P-256" in other.message
    finding = {f.rule for f in jwtlens.inspect(_with_header(token, epk={**epk, "y": b64.encode(bytes(y))}),
                                               now=NOW).token.findings}
    assert {"jwe.epk-invalid", "jwe.ecdh-no-party-info"} <= finding


def test_segment_lengths_are_named_with_positions() -> None:
    parts = _token("A128KW").split(".")
    short_iv = ".".join([*parts[:2], b64url(b"i" * 8), *parts[3:]])
    result = jwe.decrypt(short_iv, SECRETS[16])
    problem = result.problems[0]
    assert (problem.code, problem.segment, problem.position) == ("jwe.segment-length", "iv", 11)
    assert "8 bytes, but A128GCM needs exactly 12" in problem.message
    long_tag = ".".join([*parts[:4], parts[4] + "AAAA"])
    problem = jwe.decrypt(long_tag, SECRETS[16]).problems[0]
    assert (problem.segment, problem.position) == ("tag", 22) and "the extra bytes start at character 23" in \
        problem.message
    cut_key = ".".join([parts[0], parts[1][:-4], *parts[2:]])
    assert jwe.decrypt(cut_key, SECRETS[16]).problems[0].segment == "encrypted_key"
    bad_char = ".".join([*parts[:3], parts[3][:5] + "*" + parts[3][6:], parts[4]])
    problem = jwe.decrypt(bad_char, SECRETS[16]).problems[0]
    assert (problem.code, problem.segment, problem.position) == ("jwe.segment-invalid", "ciphertext", 5)
    direct = _token("dir").split(".")
    with_key = ".".join([direct[0], b64url(b"k" * 16), *direct[2:]])
    assert "must be empty" in jwe.decrypt(with_key, SECRETS[16]).message
    cbc = _token("A128KW", "A128CBC-HS256").split(".")
    ragged = ".".join([*cbc[:3], b64url(b64.decode(cbc[3])[:-3]), cbc[4]])
    assert jwe.decrypt(ragged, SECRETS[16]).problems[0].segment == "ciphertext"


# -- tampering ----------------------------------------------------------------------------------------------------

TAG_WORDS = ("wrong key, or the token was altered: the protected header, encrypted key, IV, ciphertext or tag cannot "
             "be trusted")


def _flip(token: str, index: int, at: int = -1) -> str:
    parts = token.split(".")
    data = bytearray(b64.decode(parts[index]))
    data[at] ^= 0x01
    parts[index] = b64.encode(bytes(data))
    return ".".join(parts)


@pytest.mark.parametrize(("alg", "index", "code"), [
    ("A128KW", 1, "jwe.key-unwrap"), ("A128KW", 2, "jwe.tag-mismatch"), ("A128KW", 3, "jwe.tag-mismatch"),
    ("A128KW", 4, "jwe.tag-mismatch"), ("RSA-OAEP", 1, "jwe.key-unwrap"), ("A256GCMKW", 1, "jwe.key-unwrap"),
    ("RSA1_5", 1, "jwe.tag-mismatch"),  # a random CEK on a bad padding: no padding oracle (RFC 7516 11.5)
    ("dir", 3, "jwe.tag-mismatch"), ("ECDH-ES+A128KW", 1, "jwe.key-unwrap"),
])
def test_tampering_is_rejected(alg: str, index: int, code: str) -> None:
    token = _token(alg, "A128GCM")
    result = jwe.decrypt(_flip(token, index), key_pair(alg, "A128GCM")[1])
    assert result.decrypted == "failed" and codes(result) == [code], result.message
    if code == "jwe.tag-mismatch":
        assert TAG_WORDS in result.message


def test_tampered_header_is_rejected() -> None:
    token = _token("A128KW", kid="k1")
    result = jwe.decrypt(_with_header(token, kid="k2"), SECRETS[16])
    assert codes(result) == ["jwe.tag-mismatch"]


# -- zip --------------------------------------------------------------------------------------------------------


def test_decompression_bomb_is_a_problem() -> None:
    bomb = jwe.encrypt(b"\x00" * (jwe.MAX_INFLATED_BYTES + 1), SECRETS[16], "A128KW", "A128GCM", zip=True)
    assert len(bomb) < 20_000
    result = jwe.decrypt(bomb, SECRETS[16])
    assert codes(result) == ["jwe.zip-too-large"] and "4,194,304" in result.message
    fits = jwe.decrypt(jwe.encrypt(b"\x00" * jwe.MAX_INFLATED_BYTES, SECRETS[16], "A128KW", "A128GCM", zip=True),
                       SECRETS[16])
    assert fits.decrypted == "decrypted" and fits.size == jwe.MAX_INFLATED_BYTES


def test_broken_deflate_is_a_problem() -> None:
    token = _with_header(jwe.encrypt("plain, not deflated", SECRETS[16], "dir", "A128GCM"), zip="DEF")
    assert codes(jwe.decrypt(token, SECRETS[16])) == ["jwe.tag-mismatch"]  # the header is authenticated
    from jwtlens.jwe import content

    with pytest.raises(jwe.errors.JweError, match="ends early"):
        content.inflate(content.deflate(b"x" * 1000)[:-2])


# -- PBES2 in slices --------------------------------------------------------------------------------------------


def test_pbes2_is_locked_until_derived_in_slices() -> None:
    password = "a long and random enough passphrase"
    token = jwe.encrypt(CLAIMS, password, "PBES2-HS384+A192KW", "A192GCM", p2c=25_000)
    report = jwtlens.inspect(token, password, now=NOW)
    enc = report.token.encryption
    assert enc.decrypted == "locked" and enc.pending.iterations == 25_000 and report.status == "encrypted"
    assert "jwe.pbes2-pending" in codes(enc)
    work = jwe.pending_work(report.token, password)
    progress = []
    while not work.step(4_000):
        progress.append(work.progress)
    assert progress == sorted(progress) and 0 < progress[0] < 1 and work.progress == 1.0
    header = json.loads(b64.decode(token.split(".")[0]))
    assert work.key == kdf.pbes2_key("PBES2-HS384+A192KW", password.encode(), b64.decode(header["p2s"]), 25_000)
    again = jwtlens.inspect(token, password, now=NOW)
    assert again.token.encryption.decrypted == "decrypted" and again.status == "valid"
    assert jwe.pending_work(token, "wrong password") is not None
    assert jwe.pending_work(_token("A128KW"), SECRETS[16]) is None


def test_pbes2_encryption_with_a_key_derived_beforehand_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's way: pick the salt, derive in slices (progress shown), then encrypt without deriving again."""
    from jwtlens.jwe import pbes2

    password, salt = "a long and random enough passphrase", bytes(range(16))
    work = jwe.encryption_work(password, "PBES2-HS256+A128KW", "A128GCM", salt, p2c=30_000)
    assert isinstance(work, pbes2.Pbes2Derivation)
    while not work.step(7_000):
        pass
    assert jwe.encryption_work(password, "PBES2-HS256+A128KW", "A128GCM", salt, p2c=30_000) is None  # cached
    assert jwe.encryption_work(password, "A128KW", "A128GCM", salt) is None
    monkeypatch.setattr(kdf, "pbes2_key", _refuse)  # a second derivation would be a bug: the key is cached
    token = jwe.encrypt(CLAIMS, password, "PBES2-HS256+A128KW", "A128GCM", p2c=30_000, p2s=salt)
    header = json.loads(b64.decode(token.split(".")[0]))
    assert b64.decode(header["p2s"]) == salt and header["p2c"] == 30_000
    assert jwtlens.inspect(token, password, now=NOW).token.encryption.decrypted == "decrypted"
    with pytest.raises(jwe.EncryptError) as short:
        jwe.encrypt(CLAIMS, password, "PBES2-HS256+A128KW", "A128GCM", p2c=30_000, p2s=b"short")
    assert short.value.problem.code == "jwe.p2s-invalid"


# -- inspect, the review, the command line ------------------------------------------------------------------------


def test_inspect_states() -> None:
    token = _token("A128KW")
    locked = jwtlens.inspect(token, now=NOW)
    assert locked.status == "encrypted" and locked.token.encryption is None
    assert "jwe.encrypted" in [p.code for p in locked.token.problems]
    failed = jwtlens.inspect(token, SECRETS[24], now=NOW)
    assert failed.status == "encrypted" and failed.token.encryption.decrypted == "failed"
    assert "not decrypted" in failed.token.validity.message
    opened = jwtlens.inspect(token, SECRETS[16], now=NOW)
    assert opened.status == "valid" and [c.name for c in opened.token.claims] == list(CLAIMS)
    assert "jwe.encrypted" not in [p.code for p in opened.token.problems]
    assert opened.token.signature.verified == "unchecked" and opened.token.signature.key is None
    assert jwtlens.inspect(token, SECRETS[16], now=NOW + 601).status == "expired"
    text = jwtlens.inspect(jwe.encrypt("hello", SECRETS[16], "A128KW", "A128GCM"), SECRETS[16], now=NOW)
    assert text.status == "malformed" and "content is text" in text.token.validity.message
    json.loads(opened.to_json())


def test_review_of_decrypted_tokens() -> None:
    secret_claims = {**CLAIMS, "card": "4111 1111 1111 1111"}
    report = jwtlens.inspect(jwe.encrypt(secret_claims, SECRETS[16], "A128KW", "A128GCM"), SECRETS[16], now=NOW)
    assert "payload.sensitive" not in {f.rule for f in report.token.findings}  # it is encrypted
    weak = jwtlens.inspect(jwe.encrypt(CLAIMS, "password", "PBES2-HS256+A128KW", "A128GCM", p2c=1000), "password",
                           now=NOW)
    found = {f.rule: f for f in weak.token.findings}
    assert found["jwe.pbes2-weak-password"].severity == "critical"
    short = jwtlens.inspect(jwe.encrypt(CLAIMS, "blorptag", "PBES2-HS256+A128KW", "A128GCM", p2c=1000),
                            "blorptag", now=NOW)
    finding = next(f for f in short.token.findings if f.rule == "jwe.pbes2-weak-password")
    assert finding.severity == "high" and "bits" in finding.title
    typed = jwtlens.inspect(jwe.encrypt(CLAIMS, "sixteen-chars-ok", "dir", "A128GCM", secret_format="text"),
                            "sixteen-chars-ok", now=NOW, secret_format="text")
    assert {f.rule: f.severity for f in typed.token.findings}["jwe.dir-key"] == "high"
    wrong = jwtlens.inspect(_token("dir"), "0011", now=NOW, secret_format="hex")
    assert "jwe.dir-key" in {f.rule for f in wrong.token.findings}


def test_cli_encrypt_and_decrypt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipient, sender = tmp_path / "recipient.jwk", tmp_path / "sender.jwk"
    recipient.write_text(json.dumps(RSA_JWK))
    sender.write_text(public(RSA_JWK))
    payload = tmp_path / "claims.json"
    payload.write_text(json.dumps(CLAIMS))
    assert main(["encrypt", f"@{payload}", "--key", str(sender), "--alg", "RSA-OAEP-256", "--enc", "A256GCM",
                 "--zip", "--kid", "r1"]) == 0
    token = capsys.readouterr().out.strip()
    assert main(["decrypt", token, "--key", str(recipient), "--now", str(NOW)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(json.dumps(CLAIMS)) and "Encryption: decrypted" in out
    assert main([token, "--key", str(recipient), "--now", str(NOW)]) == 0
    assert main(["decrypt", token, "--key", str(sender), "--now", str(NOW)]) == 3
    assert main([token, "--key", str(sender), "--now", str(NOW)]) == 3
    assert main(["decrypt", token, "--key", str(recipient), "--now", str(NOW + 601)]) == 1
    assert main(["encrypt", "x", "--key", str(sender), "--alg", "A128KW", "--enc", "A128GCM"]) == 3
    assert "jwe.key-wrong-type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["encrypt", "x", "--key", str(sender), "--alg", "RSA-OAEP-1024", "--enc", "A128GCM"])
    assert exc.value.code == 2
    capsys.readouterr()
    assert main(["decrypt", token, "--key", str(recipient), "--json", "--now", str(NOW)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["token"]["encryption"]["decrypted"] == "decrypted" and report["status"] == "valid"


def test_cli_nested(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    example = cookbook("6.nesting_signatures_and_encryption.json")
    recipient, signer = tmp_path / "r.jwk", tmp_path / "s.jwk"
    recipient.write_text(json.dumps(example["encrypt"]["input"]["key"]))
    signer.write_text(public(example["sign"]["input"]["key"]))
    token = example["encrypt"]["output"]["compact"]
    args = ["decrypt", token, "--key", str(recipient), "--now", "1300819000"]
    assert main([*args, "--inner-key", str(signer)]) == 0
    out = capsys.readouterr().out
    nested = out.split("Nested token:\n", 1)[1]
    # every line of the nested token is indented under its heading, its JSON lines too
    assert all(line.startswith("  ") for line in nested.splitlines() if line), nested
    assert '      "iss": "hobbiton.example"' in nested
    signer.write_text(public(RSA_JWK))
    assert main([*args, "--inner-key", str(signer)]) == 3
