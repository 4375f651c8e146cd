"""JWE against an independent implementation: jwcrypto (with ``cryptography``) decrypts what we encrypt and we
decrypt what it encrypts, for every alg and enc it has (zip and nested JWTs included), with keys that
``cryptography`` generates. RSA-OAEP-384 and RSA-OAEP-512, which jwcrypto lacks, are checked against tokens built
and opened with ``cryptography``'s primitives directly. CPython only (test-only dependencies)."""

from __future__ import annotations

import json
import os
import secrets

import pytest

pytest.importorskip("cryptography")
jwcrypto = pytest.importorskip("jwcrypto")

from cryptography.hazmat.primitives import hashes, hmac, padding, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa, x448, x25519  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding as asym  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from jwcrypto import jwe as jj  # noqa: E402
from jwcrypto import jwk as jk  # noqa: E402
from jwcrypto import jws as js  # noqa: E402

import jwtlens  # noqa: E402
from helpers import NOW  # noqa: E402
from jwtlens import b64url, jwa, jwe  # noqa: E402
from jwtlens.options import Options  # noqa: E402

ONE_SHOT = Options(now=NOW, pbes2_inline_iterations=None)
CLAIMS = {"sub": "bob", "aud": "api", "iss": "https://issuer.example", "exp": NOW + 600}
ORACLE_ALGS = [*jj.default_allowed_algs, "RSA1_5"]
CURVES = {"P-256": lambda: ec.generate_private_key(ec.SECP256R1()),
          "P-384": lambda: ec.generate_private_key(ec.SECP384R1()),
          "P-521": lambda: ec.generate_private_key(ec.SECP521R1()),
          "X25519": x25519.X25519PrivateKey.generate, "X448": x448.X448PrivateKey.generate}
RSA_KEY = rsa.generate_private_key(65537, 2048)
AGREEMENT = {name: make() for name, make in CURVES.items()}
PASSWORD = "an oracle's passphrase, long enough"


def _okp_jwk(key: x25519.X25519PrivateKey | x448.X448PrivateKey, curve: str) -> jk.JWK:
    """jwcrypto's from_pyca knows X25519 but not X448: the JWK from the raw bytes (RFC 8037 2)."""
    raw, ser = serialization.Encoding.Raw, serialization
    public = key.public_key().public_bytes(raw, ser.PublicFormat.Raw)
    private = key.private_bytes(raw, ser.PrivateFormat.Raw, ser.NoEncryption())
    return jk.JWK(kty="OKP", crv=curve, x=b64url.encode(public), d=b64url.encode(private))


def _oracle_key(curve: str) -> jk.JWK:
    key = AGREEMENT[curve]
    return _okp_jwk(key, curve) if curve.startswith("X") else jk.JWK.from_pyca(key)


def _keys(alg: str, enc: str, curve: str | None) -> tuple[jk.JWK, str, str]:
    """(the oracle's JWK, our encryption key text, our decryption key text)."""
    family = jwa.ALGS[alg].family
    if family in ("RSAES-OAEP", "RSAES-PKCS1-v1_5"):
        key = jk.JWK.from_pyca(RSA_KEY)
    elif family == "ECDH-ES":
        assert curve is not None
        key = _oracle_key(curve)
    elif family == "PBES2":
        key = jk.JWK(kty="oct", k=b64url.encode(PASSWORD.encode()))
        return key, PASSWORD, PASSWORD
    else:
        bits = jwa.ALGS[enc].key_bits if family == "dir" else jwa.ALGS[alg].key_bits
        key = jk.JWK(kty="oct", k=b64url.encode(secrets.token_bytes(bits // 8)))
        return key, key.export(), key.export()
    return key, key.export_public(), key.export_private()


CASES = [(alg, enc, curve) for alg in sorted(jwa.JWE_ALGS) if alg in ORACLE_ALGS for enc in sorted(jwa.JWE_ENCS)
         for curve in (jwa.ALGS[alg].curves or (None,))]


@pytest.mark.parametrize(("alg", "enc", "curve"), CASES)
def test_both_directions(alg: str, enc: str, curve: str | None) -> None:
    oracle_key, sender, recipient = _keys(alg, enc, curve)
    zipped = hash((alg, enc, curve)) % 2 == 0
    ours = jwe.encrypt(CLAIMS, sender, alg, enc, zip=zipped, p2c=2048)
    opened = jj.JWE()
    opened.allowed_algs = ORACLE_ALGS
    opened.deserialize(ours, oracle_key)
    assert json.loads(opened.payload) == CLAIMS
    header = {"alg": alg, "enc": enc, **({"zip": "DEF"} if zipped else {}), **({"p2c": 2048} if "PBES2" in alg else {})}
    theirs = jj.JWE(json.dumps(CLAIMS).encode(), json.dumps(header))
    theirs.allowed_algs = ORACLE_ALGS
    theirs.add_recipient(oracle_key)
    report = jwtlens.inspect(theirs.serialize(compact=True), recipient, ONE_SHOT)
    assert report.token.encryption.decrypted == "decrypted", report.token.encryption.message
    assert report.token.payload == CLAIMS and report.status == "valid"


@pytest.mark.parametrize("vector", json.loads(open(os.path.join(os.path.dirname(__file__), "vectors", "jwe",
                                                               "rfc7516-appendix-a.json")).read())["vectors"],
                         ids=lambda v: v["section"])
def test_the_oracle_agrees_with_the_rfc_vectors(vector: dict) -> None:
    opened = jj.JWE()
    opened.allowed_algs = ORACLE_ALGS
    opened.deserialize(vector["token"], jk.JWK(**vector["key"]))
    assert opened.payload.decode() == vector["plaintext"]


# -- RSA-OAEP-384/512 (not in jwcrypto): cryptography's primitives directly ----------------------------------------


def _oaep(alg: str) -> asym.OAEP:
    digest = {"RSA-OAEP-384": hashes.SHA384(), "RSA-OAEP-512": hashes.SHA512()}[alg]
    return asym.OAEP(asym.MGF1(digest), digest, None)


def _cbc_tag(enc: jwa.Alg, mac_key: bytes, aad: bytes, iv: bytes, ct: bytes) -> bytes:
    mac = hmac.HMAC(mac_key, {"SHA-256": hashes.SHA256(), "SHA-384": hashes.SHA384(),
                              "SHA-512": hashes.SHA512()}[enc.hash])
    mac.update(aad + iv + ct + (8 * len(aad)).to_bytes(8, "big"))
    return mac.finalize()[: len(mac_key)]


def _oracle_encrypt(alg: str, enc_name: str, plaintext: bytes) -> str:
    enc = jwa.ALGS[enc_name]
    cek = secrets.token_bytes(enc.key_bits // 8)
    protected = b64url.encode(json.dumps({"alg": alg, "enc": enc_name}).encode())
    aad, iv = protected.encode(), secrets.token_bytes(enc.iv_bytes)
    if enc.family == "AES-GCM":
        sealed = AESGCM(cek).encrypt(iv, plaintext, aad)
        ct, tag = sealed[:-16], sealed[-16:]
    else:
        half = len(cek) // 2
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(cek[half:]), modes.CBC(iv)).encryptor()
        ct = encryptor.update(padder.update(plaintext) + padder.finalize()) + encryptor.finalize()
        tag = _cbc_tag(enc, cek[:half], aad, iv, ct)
    ek = RSA_KEY.public_key().encrypt(cek, _oaep(alg))
    return ".".join([protected, *(b64url.encode(p) for p in (ek, iv, ct, tag))])


def _oracle_decrypt(token: str) -> bytes:
    protected, *rest = token.split(".")
    ek, iv, ct, tag = (b64url.decode(p) for p in rest)
    header = json.loads(b64url.decode(protected))
    enc = jwa.ALGS[header["enc"]]
    cek = RSA_KEY.decrypt(ek, _oaep(header["alg"]))
    if enc.family == "AES-GCM":
        return AESGCM(cek).decrypt(iv, ct + tag, protected.encode())
    half = len(cek) // 2
    assert _cbc_tag(enc, cek[:half], protected.encode(), iv, ct) == tag
    decryptor = Cipher(algorithms.AES(cek[half:]), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(ct) + decryptor.finalize()) + unpadder.finalize()


@pytest.mark.parametrize("alg", ["RSA-OAEP-384", "RSA-OAEP-512"])
@pytest.mark.parametrize("enc", sorted(jwa.JWE_ENCS))
def test_oaep_384_and_512_against_cryptography(alg: str, enc: str) -> None:
    private = jk.JWK.from_pyca(RSA_KEY)
    ours = jwe.encrypt(b"to the oracle", private.export_public(), alg, enc)
    assert _oracle_decrypt(ours) == b"to the oracle"
    result = jwe.decrypt(_oracle_encrypt(alg, enc, b"from the oracle"), private.export_private())
    assert result.decrypted == "decrypted" and result.plaintext == "from the oracle"


# -- nested JWTs ---------------------------------------------------------------------------------------------------


def test_nested_jwt_both_directions() -> None:
    signer = jk.JWK.from_pyca(AGREEMENT["P-256"])
    recipient = jk.JWK.from_pyca(RSA_KEY)
    inner = js.JWS(json.dumps(CLAIMS).encode())
    inner.add_signature(signer, protected=json.dumps({"alg": "ES256", "typ": "JWT"}))
    jws_text = inner.serialize(compact=True)
    ours = jwe.encrypt(jws_text, recipient.export_public(), "RSA-OAEP-256", "A256GCM", cty="JWT", zip=True)
    opened = jj.JWE()
    opened.deserialize(ours, recipient)
    check = js.JWS()
    check.deserialize(opened.payload.decode(), signer)
    assert json.loads(check.payload) == CLAIMS
    theirs = jj.JWE(jws_text.encode(), json.dumps({"alg": "ECDH-ES+A128KW", "enc": "A128CBC-HS256", "cty": "JWT"}))
    encryption_key = _oracle_key("X448")
    theirs.add_recipient(encryption_key)
    report = jwtlens.inspect(theirs.serialize(compact=True), encryption_key.export_private(), now=NOW,
                             inner_key=signer.export_public())
    assert report.token.inner.signature.verified == "valid" and report.status == "valid"
    assert report.token.inner.payload == CLAIMS
