"""The key box: every format of the same key gives the same key and the same verdict; secrets; thumbprints;
garbage gives Problems, never exceptions. Keys, certificates and tokens are made here with cryptography/PyJWT."""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x25519
from cryptography.x509.oid import NameOID
from ecdsa import der

import jwtlens
from jwtlens import algorithms
from jwtlens.keys import load_key
from jwtlens.options import Options

NOW = 1_800_000_000.0
PEM, DER = ser.Encoding.PEM, ser.Encoding.DER
SPKI, PKCS1 = ser.PublicFormat.SubjectPublicKeyInfo, ser.PublicFormat.PKCS1
PKCS8, TRAD = ser.PrivateFormat.PKCS8, ser.PrivateFormat.TraditionalOpenSSL
NOENC = ser.NoEncryption()


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _cert(key: object, *, days: tuple[int, int] = (-1, 365), cn: str = "issuer.example") -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ex")])
    start = dt.datetime.fromtimestamp(NOW, dt.UTC)
    algo = None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start + dt.timedelta(days=days[0])).not_valid_after(start + dt.timedelta(days=days[1]))
        .sign(key, algo)
    )
    return cert.public_bytes(PEM).decode()


def _public_jwk(key: object) -> dict:
    pub = key.public_key()
    if isinstance(key, rsa.RSAPrivateKey):
        return json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(pub))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return json.loads(jwt.algorithms.ECAlgorithm.to_jwk(pub))
    return json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(pub))


def _private_jwk(key: object) -> dict:
    if isinstance(key, rsa.RSAPrivateKey):
        return json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key))
    return json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key))


def _forms(key: object) -> dict[str, str]:
    """The same key in every form the key box accepts."""
    pub = key.public_key()
    forms = {
        "SPKI PEM": pub.public_bytes(PEM, SPKI).decode(),
        "JWK": json.dumps(_public_jwk(key)),
        "JWKS member": json.dumps({"keys": [{**_public_jwk(key), "kid": "k1"}]}),
        "certificate": _cert(key),
        "PKCS#8 private key": key.private_bytes(PEM, PKCS8, NOENC).decode(),
        "private JWK": json.dumps(_private_jwk(key)),
        "base64 DER": base64.b64encode(pub.public_bytes(DER, SPKI)).decode(),
        "PEM with \\n escapes": pub.public_bytes(PEM, SPKI).decode().replace("\n", "\\n"),
    }
    if isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        forms["traditional private key"] = key.private_bytes(PEM, TRAD, NOENC).decode()
    if isinstance(key, rsa.RSAPrivateKey):
        forms["PKCS#1 PEM"] = pub.public_bytes(PEM, PKCS1).decode()
    return forms


KEY_CASES = {
    "RS256": lambda: rsa.generate_private_key(65537, 2048),
    "PS384": lambda: rsa.generate_private_key(65537, 2048),
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "ES512": lambda: ec.generate_private_key(ec.SECP521R1()),
    "ES256K": lambda: ec.generate_private_key(ec.SECP256K1()),
    "EdDSA": ed25519.Ed25519PrivateKey.generate,
    "EdDSA/Ed448": ed448.Ed448PrivateKey.generate,
}


@pytest.mark.parametrize("case", list(KEY_CASES))
def test_every_form_of_a_key_gives_the_same_key_and_verdict(case: str) -> None:
    alg = case.split("/")[0]
    key = KEY_CASES[case]()
    token = jwt.encode({"sub": "alice", "exp": NOW + 60}, key, algorithm=alg, headers={"kid": "k1"})
    head, _, sig = token.split(".")
    tampered = ".".join([head, _b64u(b'{"sub":"mallory"}'), sig])
    expected = algorithms.get(alg).prepare_key(key.public_key().public_bytes(PEM, SPKI).decode()).thumbprint()
    for form, text in _forms(key).items():
        box = load_key(text, now=NOW)
        assert [p.message for p in box.problems if p.level == "error"] == [], form
        assert len(box.keys) == 1 and box.keys[0].thumbprint() == expected, form
        good = jwtlens.inspect(token, key=text, now=NOW).token.signature
        assert good.verified == "valid", (form, good.message)
        assert good.key is not None and good.key.thumbprint == expected, form
        assert good.key.private == ("private" in form), form
        bad = jwtlens.inspect(tampered, key=text, now=NOW).token.signature
        assert bad.verified == "invalid", (form, bad.message)


def test_private_key_is_noted_and_its_public_half_used() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode({"a": 1}, key, algorithm="ES256")
    result = jwtlens.inspect(token, key=key.private_bytes(PEM, PKCS8, NOENC).decode(), now=NOW).token.signature
    assert result.verified == "valid"
    assert result.key.private and "private key" in result.key.description
    warning = next(p for p in result.problems if p.code == "key.private-pasted")
    assert warning.level == "warning" and "stays in this tab" in warning.fix


def test_certificate_details_and_expiry() -> None:
    key = rsa.generate_private_key(65537, 2048)
    token = jwt.encode({"a": 1}, key, algorithm="RS256")
    live = jwtlens.inspect(token, key=_cert(key, cn="api.example.com"), now=NOW).token.signature
    assert live.verified == "valid" and live.key.format == "PEM certificate"
    notes = " | ".join(live.key.notes)
    assert "CN=api.example.com" in notes and "self-signed" in notes and "valid from" in notes
    assert "key.cert-expired" not in [p.code for p in live.problems]
    expired = jwtlens.inspect(token, key=_cert(key, days=(-400, -10)), now=NOW).token.signature
    assert expired.verified == "valid"  # the key inside still verifies; the expiry is a warning
    assert [p.code for p in expired.problems if p.code.startswith("key.cert")] == ["key.cert-expired"]
    future = load_key(_cert(key, days=(5, 10)), now=NOW)
    assert "key.cert-not-yet-valid" in [w.code for w in future.keys[0].warnings]


def test_rfc7638_thumbprint_example() -> None:
    # The RSA key and thumbprint of RFC 7638 section 3.1.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
        "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgd"
        "AZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur"
        "-kEgU8awapJzKnqDKgw"
    )
    jwk = {"kty": "RSA", "n": n, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
    box = load_key(json.dumps(jwk))
    assert box.keys[0].thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    info = box.info()
    assert (info.kind, info.size, info.kid) == ("RSA", 2048, "2011-04-29")


def test_thumbprints_match_cryptography_for_ec_and_okp() -> None:
    for key in (ec.generate_private_key(ec.SECP384R1()), ed25519.Ed25519PrivateKey.generate()):
        jwk = _public_jwk(key)
        members = {"EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}[jwk["kty"]]
        canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
        digest = hashes.Hash(hashes.SHA256())
        digest.update(canonical.encode())
        pem = key.public_key().public_bytes(PEM, SPKI).decode()
        assert load_key(pem).keys[0].thumbprint() == _b64u(digest.finalize())


SECRET = bytes(range(1, 33))
URL_SECRET = bytes.fromhex("fbef3e92c4a1ff0e7d5513b2c8a4ee01779f0c3ae2bd45fe6b0289d3cc147a90")  # has '-' and '_'


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("my shared secret", "auto", ("UTF-8 text", b"my shared secret")),
        ("your-256-bit-secret", "auto", ("UTF-8 text", b"your-256-bit-secret")),
        (SECRET.hex(), "auto", ("hex", SECRET)),
        (base64.b64encode(SECRET).decode(), "auto", ("base64", SECRET)),
        (_b64u(URL_SECRET), "auto", ("base64url", URL_SECRET)),
        (SECRET.hex(), "text", ("UTF-8 text", SECRET.hex().encode())),
        (" " + SECRET.hex().upper() + "\n", "hex", ("hex", SECRET)),
        (base64.b64encode(SECRET).decode(), "base64", ("base64", SECRET)),
        (_b64u(SECRET), "base64url", ("base64url", SECRET)),
    ],
)
def test_secret_formats(text: str, fmt: str, expected: tuple[str, bytes]) -> None:
    box = load_key(text, fmt)
    assert box.problems == []
    key = box.keys[0]
    assert (key.format, key.secret) == expected
    assert key.kind == "secret" and key.thumbprint() is None  # never a hash of a secret on screen
    assert expected[0] in key.describe() and f"{len(expected[1])} bytes" in key.describe()


def test_secret_format_errors_are_problems() -> None:
    for text, fmt, words in (("xyz", "hex", "not hex"), ("abc", "hex", "even number"),
                             ("a+b/" * 8, "base64url", "valid base64"), ("@@@@", "base64", "not canonical")):
        box = load_key(text, fmt)
        assert box.keys == [] and [p.code for p in box.problems] == ["key.secret-invalid"], text
        assert words in box.problems[0].message, box.problems[0].message


def test_auto_secret_tries_the_other_reading() -> None:
    text = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"  # looks like base64, but the issuer used it as text
    token = jwt.encode({"a": 1}, text.encode(), algorithm="HS256")
    box = load_key(text)
    assert box.keys[0].format == "base64" and box.alternatives[0].format == "UTF-8 text"
    sig = jwtlens.inspect(token, key=text).token.signature
    assert sig.verified == "valid" and "read as UTF-8 text" in sig.message
    forced = jwtlens.inspect(token, key=text, secret_format="base64").token.signature
    assert forced.verified == "invalid"


def _pss_spki(key: rsa.RSAPrivateKey, salt: int = 32) -> str:
    """An id-RSASSA-PSS SubjectPublicKeyInfo restricted to SHA-256 (RFC 4055 parameters), built by hand."""
    nums = key.public_key().public_numbers()
    hash_alg = der.encode_sequence(der.encode_oid(2, 16, 840, 1, 101, 3, 4, 2, 1))
    mgf = der.encode_sequence(der.encode_oid(1, 2, 840, 113549, 1, 1, 8), hash_alg)
    params = der.encode_sequence(der.encode_constructed(0, hash_alg), der.encode_constructed(1, mgf),
                                 der.encode_constructed(2, der.encode_integer(salt)))
    alg = der.encode_sequence(der.encode_oid(1, 2, 840, 113549, 1, 1, 10), params)
    spki = der.encode_sequence(alg, der.encode_bitstring(
        der.encode_sequence(der.encode_integer(nums.n), der.encode_integer(nums.e)), 0))
    return der.topem(spki, "PUBLIC KEY").decode()


def test_rsassa_pss_key_restrictions() -> None:
    key = rsa.generate_private_key(65537, 2048)
    pem = _pss_spki(key)
    assert "RSASSA-PSS only" in load_key(pem).keys[0].describe()
    assert jwtlens.inspect(jwt.encode({"a": 1}, key, algorithm="PS256"), key=pem).token.signature.verified == "valid"
    rs = jwtlens.inspect(jwt.encode({"a": 1}, key, algorithm="RS256"), key=pem).token.signature
    assert rs.verified == "error" and "RSASSA-PSS" in rs.message
    ps384 = jwtlens.inspect(jwt.encode({"a": 1}, key, algorithm="PS384"), key=pem).token.signature
    assert ps384.verified == "error" and "restricted to hash SHA-256" in ps384.message


def _openssh(key: object) -> str:
    return key.public_key().public_bytes(ser.Encoding.OpenSSH, ser.PublicFormat.OpenSSH).decode()


def _garbage() -> dict[str, tuple[str, str]]:
    rsa_key = rsa.generate_private_key(65537, 2048)
    pem = rsa_key.public_key().public_bytes(PEM, SPKI).decode()
    lines = pem.splitlines()
    ec_jwk = _public_jwk(ec.generate_private_key(ec.SECP256R1()))
    y = bytearray(base64.urlsafe_b64decode(ec_jwk["y"] + "=="))
    y[-1] ^= 1
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")])).sign(rsa_key, hashes.SHA256()))
    return {  # name -> (key text, expected problem code)
        "truncated PEM": ("\n".join(lines[:5]), "key.pem-invalid"),
        "PEM with a broken line": ("\n".join([lines[0], lines[1][:-3] + "!@#", *lines[2:]]), "key.pem-invalid"),
        "PEM body not a key": ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "key.der-invalid"),
        "mismatched PEM labels": (pem.replace("END PUBLIC", "END PRIVATE"), "key.pem-invalid"),
        "encrypted private key": (rsa_key.private_bytes(PEM, PKCS8, ser.BestAvailableEncryption(b"pw")).decode(),
                                  "key.encrypted"),
        "X25519 key": (x25519.X25519PrivateKey.generate().public_key().public_bytes(PEM, SPKI).decode(),
                       "key.unsupported"),
        "DSA key": (dsa.generate_private_key(2048).public_key().public_bytes(PEM, SPKI).decode(), "key.unsupported"),
        "P-224 key": (ec.generate_private_key(ec.SECP224R1()).public_key().public_bytes(PEM, SPKI).decode(),
                      "key.unsupported"),
        "certificate request": (csr.public_bytes(PEM).decode(), "key.unsupported"),
        "OpenSSH public key": (_openssh(rsa_key), "key.unsupported"),
        "JWT pasted as key": (jwt.encode({"a": 1}, "k" * 32, algorithm="HS256"), "key.is-token"),
        "broken JSON": ('{"kty": "RSA", "n": ', "key.json-invalid"),
        "JSON but no kty": ('{"alg": "RS256"}', "key.jwk-invalid"),
        "JWK without n": ('{"kty": "RSA", "e": "AQAB"}', "key.jwk-invalid"),
        "JWK with bad base64": ('{"kty": "RSA", "n": "ab+c", "e": "AQAB"}', "key.jwk-invalid"),
        "EC point off the curve": (json.dumps({**ec_jwk, "y": _b64u(bytes(y))}), "key.unsupported"),
        "unknown curve": ('{"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}', "key.unsupported"),
        "X25519 JWK": ('{"kty": "OKP", "crv": "X25519", "x": "' + "A" * 43 + '"}', "key.unsupported"),
        "short Ed25519 JWK": ('{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}', "key.unsupported"),
        "empty JWKS": ('{"keys": []}', "key.jwks-empty"),
        "JWKS of junk": ('{"keys": [1, {"kty": "nope"}]}', "key.jwks-member-unusable"),
        "OpenID configuration": ('{"issuer": "https://x", "jwks_uri": "https://x/jwks"}', "key.unreadable"),
        "small RSA modulus": (json.dumps({"kty": "RSA", "n": _b64u((2**127 - 1).to_bytes(16, "big")), "e": "AQAB"}),
                              "key.unsupported"),
        "mismatched private JWK": (
            json.dumps({**_private_jwk(rsa_key), "d": _private_jwk(rsa.generate_private_key(65537, 2048))["d"]}),
            "key.pair-mismatch"),
    }


def test_garbage_keys_give_problems_not_exceptions() -> None:
    token = jwt.encode({"sub": "alice"}, rsa.generate_private_key(65537, 2048), algorithm="RS256")
    for name, (text, code) in _garbage().items():
        box = load_key(text)
        assert box.keys == [], name
        assert code in [p.code for p in box.problems], (name, [(p.code, p.message) for p in box.problems])
        assert all(p.segment == "key" and p.message for p in box.problems), name
        report = jwtlens.inspect(token, key=text)
        assert report.token.payload == {"sub": "alice"}, name  # a bad key never breaks decoding
        sig = report.token.signature
        assert sig.verified == "error" and sig.message, (name, sig.verified, sig.message)


def test_rsa_key_size_is_one_review_finding_not_a_key_problem() -> None:
    """One fact, one finding: a short RSA key is the review's key.rsa-short, never also a key-box problem."""
    for bits in (1024, 1536):
        key = rsa.generate_private_key(65537, bits)
        pem = key.public_key().public_bytes(PEM, SPKI).decode()
        assert load_key(pem).keys[0].warnings == []
        report = jwtlens.inspect(jwt.encode({"a": 1}, key, algorithm="RS256"), key=pem, now=NOW)
        codes = [p.code for p in report.token.problems + report.token.signature.problems]
        short = [f for f in report.token.findings if f.rule == "key.rsa-short"]
        assert "key.rsa-small" not in codes and len(short) == 1, (codes, report.token.findings)
        assert f"{bits} bits" in short[0].title and short[0].severity == "high"
    big = rsa.generate_private_key(65537, 2048)
    report = jwtlens.inspect(jwt.encode({"a": 1}, big, algorithm="RS256"),
                             key=big.public_key().public_bytes(PEM, SPKI).decode(), now=NOW)
    assert "key.rsa-short" not in {f.rule for f in report.token.findings}


def test_pem_bundle_is_a_key_set() -> None:
    a, b = rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP256R1())
    bundle = a.public_key().public_bytes(PEM, SPKI).decode() + _cert(b)
    box = load_key(bundle, now=NOW)
    assert box.is_set and len(box.keys) == 2
    sig = jwtlens.inspect(jwt.encode({"a": 1}, b, algorithm="ES256"), key=bundle, now=NOW).token.signature
    assert sig.verified == "valid" and "key #2" in sig.message
    # a private key and its own certificate are one key, not a set
    same = a.private_bytes(PEM, PKCS8, NOENC).decode() + _cert(a)
    assert not load_key(same, now=NOW).is_set


def test_algorithm_api_accepts_every_key_object() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode({"a": 1}, key, algorithm="ES256")
    signing_input, _, sig = token.rpartition(".")
    raw_sig = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    alg = algorithms.get("ES256")
    pem = key.public_key().public_bytes(PEM, SPKI)
    for form in (pem, pem.decode(), _public_jwk(key), json.dumps(_public_jwk(key)), load_key(pem.decode()),
                 load_key(pem.decode()).keys[0], key.public_key().public_bytes(DER, SPKI)):
        assert alg.verify(signing_input.encode(), alg.prepare_key(form), raw_sig), type(form)
    assert algorithms.pyjwt.decode(token, pem, algorithms=["ES256"]) == {"a": 1}
    assert alg.to_jwk(alg.prepare_key(pem), as_dict=True)["crv"] == "P-256"
    assert isinstance(algorithms.get("HS256"), jwt.algorithms.HMACAlgorithm)


def test_options_secret_format_reaches_the_key_box() -> None:
    token = jwt.encode({"a": 1}, SECRET, algorithm="HS256")
    assert jwtlens.inspect(token, key=SECRET.hex(), options=Options(secret_format="hex")).token.signature.verified \
        == "valid"


def test_mutated_keys_never_raise() -> None:
    """Random damage to real keys in every format: the key box reports, it never raises."""
    import random

    rng = random.Random(5280)
    key = ec.generate_private_key(ec.SECP256R1())
    samples = list(_forms(key).values()) + list(_forms(rsa.generate_private_key(65537, 2048)).values())
    samples += [key.public_key().public_bytes(DER, SPKI).hex()]
    for _ in range(400):
        text = list(rng.choice(samples))
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            op = rng.random()
            if op < 0.4:
                text[i] = rng.choice("AZaz09+/=-_{}[]\":,\n \\x")
            elif op < 0.7:
                del text[i : i + rng.randint(1, 40)]
            else:
                text.insert(i, rng.choice(["\n", "=", "-----", '"kty"', "0", "\x00"]))
        box = load_key("".join(text), now=NOW)
        assert box.keys or box.problems
        for loaded in box.keys:
            loaded.info()


def test_algorithm_refuses_a_loaded_key_of_another_curve_or_type() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1())
    loaded = load_key(p384.public_key().public_bytes(PEM, SPKI).decode()).keys[0]
    token = jwt.encode({"a": 1}, p384, algorithm="ES384")
    signing_input, _, sig = token.rpartition(".")
    raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    assert algorithms.get("ES384").verify(signing_input.encode(), loaded, raw)
    for name in ("ES256", "ES512", "RS256", "EdDSA", "HS384"):
        assert algorithms.get(name).verify(signing_input.encode(), loaded, raw) is False, name
        with pytest.raises(jwt.exceptions.InvalidKeyError):
            algorithms.get(name).check(signing_input.encode(), loaded, raw)
