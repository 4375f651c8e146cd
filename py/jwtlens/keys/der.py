"""DER key structures: SubjectPublicKeyInfo, PKCS#1, PKCS#8 (RFC 5958), SEC 1, X.509 certificates (read), and the
public key written back as SPKI and PKCS#1 (for the key-confusion check, which tries the PEM texts tools write).
"""

from __future__ import annotations

import base64
import binascii
import re
import time

import ecdsa
from ecdsa import der as _der

from .. import asn1, jwa, times
from ..jwa import Curve
from ..problems import Code, problem
from ..rsa import RSAKeyError, RSAPrivateKey, RSAPublicKey
from .model import (
    ECPublicKey,
    EdPublicKey,
    LoadedKey,
    PSSParams,
    UnusableKey,
    XPublicKey,
    check_rsa_pair,
    ec_from_private,
    ec_public,
    ed_from_private,
    ed_public,
    for_purpose,
    private_note,
    rsa_public,
    x_from_private,
    x_public,
)

OID_RSA = "1.2.840.113549.1.1.1"
OID_RSA_PSS = "1.2.840.113549.1.1.10"
OID_EC = "1.2.840.10045.2.1"
OID_MGF1 = "1.2.840.113549.1.1.8"
# Curves and key types people paste that JWS signatures cannot use, with the reason.
_OTHER_OIDS = {
    "1.2.840.10045.3.1.1": "the EC curve P-192",
    "1.3.132.0.33": "the EC curve P-224",
    "1.3.36.3.3.2.8.1.1.7": "the EC curve brainpoolP256r1",
    "1.3.36.3.3.2.8.1.1.11": "the EC curve brainpoolP384r1",
    "1.3.36.3.3.2.8.1.1.13": "the EC curve brainpoolP512r1",
    "1.2.156.10197.1.301": "the EC curve SM2",
}
_NOT_SIGNATURE_KEYS = {
    "1.2.840.10040.4.1": "a DSA key: DSA is not a JWS algorithm",
    "1.2.840.113549.1.3.1": "a Diffie-Hellman key: it cannot verify signatures",
}


def _signature_curve(oid: str) -> Curve | None:
    curve = jwa.CURVE_BY_OID.get(oid)
    return curve if curve is not None and curve.use == "sig" else None


def _okp_curve(oid: str, params: bytes | None) -> Curve | None:
    """Ed25519, Ed448, X25519 or X448 by OID (RFC 8410: no algorithm parameters); None for other OIDs."""
    curve = jwa.CURVE_BY_OID.get(oid)
    if curve is None or curve.kty != "OKP":
        return None
    if params:
        raise UnusableKey(f"an {curve.name} key must not carry algorithm parameters", Code.KEY_DER_INVALID)
    return curve


# -- reading ----------------------------------------------------------------------------------------------------


def _read_pss_params(params: bytes | None) -> PSSParams | None:
    """RSASSA-PSS-params (RFC 4055 3.1); absent parameters mean the key is not restricted."""
    if not params:
        return None
    body, rest = asn1.read_sequence(params, "RSASSA-PSS parameters")
    asn1.expect_end(rest, "RSASSA-PSS parameters")
    hash_name, mgf_hash, salt = "SHA-1", "SHA-1", 20  # the defaults of RFC 4055
    if asn1.peek_tag(body) == 0xA0:
        inner, body = asn1.read_explicit(body, 0, "PSS hashAlgorithm")
        oid, _, _ = asn1.read_algorithm(inner, "PSS hashAlgorithm")
        hash_name = jwa.hash_by_oid(oid)
    if asn1.peek_tag(body) == 0xA1:
        inner, body = asn1.read_explicit(body, 1, "PSS maskGenAlgorithm")
        oid, mgf_params, _ = asn1.read_algorithm(inner, "PSS maskGenAlgorithm")
        if oid != OID_MGF1:
            mgf_hash = f"mask generation {oid}"
        elif mgf_params:
            mgf_oid, _, _ = asn1.read_algorithm(mgf_params, "MGF1 hash")
            mgf_hash = jwa.hash_by_oid(mgf_oid)
    if asn1.peek_tag(body) == 0xA2:
        inner, body = asn1.read_explicit(body, 2, "PSS saltLength")
        salt, _ = asn1.read_integer(inner, "PSS saltLength")
    if asn1.peek_tag(body) == 0xA3:
        inner, body = asn1.read_explicit(body, 3, "PSS trailerField")
        trailer, _ = asn1.read_integer(inner, "PSS trailerField")
        if trailer != 1:
            raise UnusableKey(f"RSASSA-PSS trailer field {trailer} is not supported", Code.KEY_UNSUPPORTED)
    asn1.expect_end(body, "RSASSA-PSS parameters")
    return PSSParams(hash_name, mgf_hash, salt)


def _read_rsa_public(der: bytes) -> RSAPublicKey:
    body, rest = asn1.read_sequence(der, "RSAPublicKey")
    asn1.expect_end(rest, "RSAPublicKey")
    n, body = asn1.read_integer(body, "RSA modulus")
    e, body = asn1.read_integer(body, "RSA public exponent")
    asn1.expect_end(body, "RSAPublicKey")
    return rsa_public(n, e)


def parse_pkcs1_public(der: bytes, fmt: str = "PEM RSA public key (PKCS#1)") -> LoadedKey:
    return LoadedKey("RSA", fmt, public=_read_rsa_public(der))


def _named_curve(params: bytes | None, what: str) -> Curve:
    if not params:
        raise UnusableKey(f"{what} has no curve parameters", Code.KEY_DER_INVALID)
    if asn1.peek_tag(params) != asn1.OID:
        raise UnusableKey(f"{what} uses explicit curve parameters; only named curves are supported",
                          Code.KEY_UNSUPPORTED)
    oid, rest = asn1.read_oid(params, f"{what} curve")
    asn1.expect_end(rest, f"{what} curve")
    curve = _signature_curve(oid)
    if curve is not None:
        return curve
    name = _OTHER_OIDS.get(oid, f"the EC curve with OID {oid}")
    raise UnusableKey(f"the key is on {name}, which no JWS algorithm uses", Code.KEY_UNSUPPORTED)


def _unsupported_algorithm(oid: str) -> UnusableKey:
    if oid in _NOT_SIGNATURE_KEYS:
        return UnusableKey(f"this is {_NOT_SIGNATURE_KEYS[oid]}", Code.KEY_UNSUPPORTED)
    return UnusableKey(f"unknown key algorithm (OID {oid})", Code.KEY_UNSUPPORTED)


def parse_spki(der: bytes, fmt: str = "PEM public key") -> LoadedKey:
    """SubjectPublicKeyInfo (RFC 5280 4.1.2.7): RSA, RSASSA-PSS, EC named curves, Ed25519, Ed448."""
    body, rest = asn1.read_sequence(der, "SubjectPublicKeyInfo")
    asn1.expect_end(rest, "SubjectPublicKeyInfo")
    oid, params, body = asn1.read_algorithm(body, "SubjectPublicKeyInfo algorithm")
    bits, body = asn1.read_bit_string(body, "subjectPublicKey")
    asn1.expect_end(body, "SubjectPublicKeyInfo")
    if oid == OID_RSA:
        if params:
            asn1.expect_end(asn1.read_null(params, "rsaEncryption parameters"), "rsaEncryption parameters")
        key = LoadedKey("RSA", fmt, public=_read_rsa_public(bits))
    elif oid == OID_RSA_PSS:
        key = LoadedKey("RSA", fmt, public=_read_rsa_public(bits), pss=_read_pss_params(params), pss_only=True)
    elif oid == OID_EC:
        curve = _named_curve(params, "the EC key")
        key = LoadedKey("EC", fmt, public=ec_public(curve, point=bits))
    elif (curve := _okp_curve(oid, params)) is not None:
        key = LoadedKey("OKP", fmt, public=ed_public(curve, bits) if curve.use == "sig" else x_public(curve, bits))
    else:
        raise _unsupported_algorithm(oid)
    return key


def _versioned(der: bytes, what: str, versions: tuple[int, ...]) -> bytes:
    """The content of a SEQUENCE that starts with a version INTEGER (private key structures), after the version."""
    body, rest = asn1.read_sequence(der, what)
    asn1.expect_end(rest, what)
    version, body = asn1.read_integer(body, f"{what} version")
    if version not in versions:
        raise UnusableKey(f"{what} version {version} is unknown", Code.KEY_DER_INVALID)
    return body


def parse_pkcs1_private(der: bytes, fmt: str = "PEM RSA private key (PKCS#1)") -> LoadedKey:
    """PKCS#1 RSAPrivateKey: version, n, e, d, p, q, dp, dq, qi (multi-prime keys use n, e, d only)."""
    body = _versioned(der, "RSAPrivateKey", (0, 1))
    values = []
    for name in ("modulus", "public exponent", "private exponent", "prime1", "prime2"):
        value, body = asn1.read_integer(body, f"RSA {name}")
        values.append(value)
    n, e, d, p, q = values
    public = rsa_public(n, e)
    check_rsa_pair(n, e, d, p, q, "the RSA private key")
    return private_note(LoadedKey("RSA", fmt, public=public, signer=RSAPrivateKey(public, d, p, q)))



def parse_sec1(der: bytes, fmt: str = "PEM EC private key (SEC 1)", curve: Curve | None = None) -> LoadedKey:
    """SEC 1 ECPrivateKey: version 1, privateKey, [0] named curve, [1] public key."""
    body = _versioned(der, "ECPrivateKey", (1,))
    secret, body = asn1.read_octet_string(body, "EC private key")
    public_bits = None
    if asn1.peek_tag(body) == 0xA0:
        params, body = asn1.read_explicit(body, 0, "ECPrivateKey parameters")
        named = _named_curve(params, "the EC private key")
        if curve is not None and named != curve:
            raise UnusableKey("the EC private key names two different curves", Code.KEY_DER_INVALID)
        curve = named
    if asn1.peek_tag(body) == 0xA1:
        inner, body = asn1.read_explicit(body, 1, "ECPrivateKey public key")
        public_bits, _ = asn1.read_bit_string(inner, "ECPrivateKey public key")
    asn1.expect_end(body, "ECPrivateKey")
    if curve is None:
        raise UnusableKey("the EC private key does not name its curve", Code.KEY_DER_INVALID)
    public = ec_public(curve, point=public_bits) if public_bits else None
    return private_note(ec_from_private(curve, int.from_bytes(secret, "big"), public, fmt))


def parse_pkcs8(der: bytes, fmt: str = "PEM private key (PKCS#8)") -> LoadedKey:
    """PKCS#8 / RFC 5958 OneAsymmetricKey for RSA, EC, Ed25519, Ed448, X25519 and X448."""
    body = _versioned(der, "PrivateKeyInfo", (0, 1))
    oid, params, body = asn1.read_algorithm(body, "PrivateKeyInfo algorithm")
    private, body = asn1.read_octet_string(body, "PrivateKeyInfo privateKey")
    public_raw = None
    if asn1.peek_tag(body) == 0xA0:  # attributes: not needed
        _, _, body = asn1.read_tlv(body, "PrivateKeyInfo attributes")
    if asn1.peek_tag(body) == 0x81:  # [1] IMPLICIT BIT STRING publicKey (v2)
        _, content, body = asn1.read_tlv(body, "OneAsymmetricKey publicKey")
        if not content or content[0] != 0:
            raise UnusableKey("OneAsymmetricKey publicKey has unused bits", Code.KEY_DER_INVALID)
        public_raw = content[1:]
    asn1.expect_end(body, "PrivateKeyInfo")
    if oid in (OID_RSA, OID_RSA_PSS):
        key = parse_pkcs1_private(private, fmt)
        if oid == OID_RSA_PSS:
            key.pss, key.pss_only = _read_pss_params(params), True
        return key
    if oid == OID_EC:
        return parse_sec1(private, fmt, _named_curve(params, "the EC private key"))
    if (curve := _okp_curve(oid, params)) is not None:  # CurvePrivateKey, an OCTET STRING inside (RFC 8410 7)
        seed, tail = asn1.read_octet_string(private, f"{curve.name} private key")
        asn1.expect_end(tail, f"{curve.name} private key")
        made = ed_from_private if curve.use == "sig" else x_from_private
        return private_note(made(curve, seed, public_raw, fmt))
    raise _unsupported_algorithm(oid)


def parse_certificate(der: bytes, now: float | None, fmt: str = "PEM certificate") -> LoadedKey:
    """X.509 (RFC 5280): the subject public key, plus subject, issuer and validity as notes.

    The certificate's own signature and chain are not checked: that needs the issuer's certificate and a trust
    decision, and the key inside is what verifies the token.
    """
    body, rest = asn1.read_sequence(der, "Certificate")
    tbs, _ = asn1.read_sequence(body, "TBSCertificate")
    if asn1.peek_tag(tbs) == 0xA0:
        _, _, tbs = asn1.read_tlv(tbs, "certificate version")
    _, _, tbs = asn1.read_tlv(tbs, "certificate serial number")
    _, _, tbs = asn1.read_tlv(tbs, "certificate signature algorithm")
    issuer, tbs = asn1.read_name(tbs, "certificate issuer")
    validity, tbs = asn1.read_sequence(tbs, "certificate validity")
    not_before, validity = asn1.read_time(validity, "certificate notBefore")
    not_after, validity = asn1.read_time(validity, "certificate notAfter")
    subject, tbs = asn1.read_name(tbs, "certificate subject")
    after_spki = asn1.read_tlv(tbs, "certificate subjectPublicKeyInfo")[2]
    key = parse_spki(tbs[: len(tbs) - len(after_spki)], fmt)
    key.notes += [
        f"Certificate subject: {subject or '(empty)'}",
        f"Certificate issuer: {issuer or '(empty)'}" + (" (self-signed)" if issuer == subject else ""),
        f"Certificate valid from {times.utc_text(not_before)} to {times.utc_text(not_after)}",
    ]
    clock = time.time() if now is None else now  # the key box's clock (Options.now), for the validity notes
    if clock > not_after:
        msg = f"The certificate expired on {times.utc_text(not_after)} (its key can still verify the token)."
        key.notes.append(msg)
        key.warnings.append(problem(Code.KEY_CERT_EXPIRED, msg, segment="key"))
    elif clock < not_before:
        msg = f"The certificate is not valid before {times.utc_text(not_before)}."
        key.notes.append(msg)
        key.warnings.append(problem(Code.KEY_CERT_NOT_YET_VALID, msg, segment="key"))
    key.notes.append("The certificate's own signature and chain are not checked here.")
    if rest:
        key.notes.append("Extra bytes after the certificate were ignored.")
    return key


# -- bare DER --------------------------------------------------------------------------------------------------

_HEX = re.compile(r"[0-9a-fA-F]+")


def parse_any_der(text: str, purpose: str = "sig") -> LoadedKey | None:
    """Bare DER in base64 or hex (no PEM armour): used only when it parses as a key structure for ``purpose``."""
    compact = "".join(text.split())
    der = None
    if _HEX.fullmatch(compact) and len(compact) % 2 == 0 and compact[:2] == "30":
        der, enc = bytes.fromhex(compact), "hex"
    elif compact[:1] == "M":  # base64 of a DER SEQUENCE (0x30) starts with M
        try:
            der, enc = base64.b64decode(compact, validate=True), "base64"
        except (binascii.Error, ValueError):
            return None
    if not der or der[0] != 0x30:
        return None
    attempts = (
        lambda d: parse_spki(d, f"{enc} DER public key"),
        lambda d: parse_certificate(d, None, f"{enc} DER certificate"),
        lambda d: parse_pkcs8(d, f"{enc} DER private key (PKCS#8)"),
        lambda d: parse_pkcs1_public(d, f"{enc} DER RSA public key (PKCS#1)"),
        lambda d: parse_pkcs1_private(d, f"{enc} DER RSA private key (PKCS#1)"),
        lambda d: parse_sec1(d, f"{enc} DER EC private key"),
    )
    for parse in attempts:
        try:
            return for_purpose(parse(der), purpose)
        except (asn1.DERError, UnusableKey, RSAKeyError):
            continue
    return None


# -- writing ----------------------------------------------------------------------------------------------------


def pkcs1_public_der(pub: RSAPublicKey) -> bytes:
    return _der.encode_sequence(_der.encode_integer(pub.n), _der.encode_integer(pub.e))


def spki_der(key: LoadedKey) -> bytes | None:
    """The public key as SubjectPublicKeyInfo; None for secrets."""
    pub = key.public
    if isinstance(pub, RSAPublicKey):
        alg = _der.encode_sequence(_der.encode_oid(*map(int, OID_RSA.split("."))), b"\x05\x00")
        return _der.encode_sequence(alg, _der.encode_bitstring(pkcs1_public_der(pub), 0))
    if isinstance(pub, ECPublicKey):
        return pub.vk.to_der()
    if isinstance(pub, EdPublicKey):
        return ecdsa.VerifyingKey.from_string(pub.raw, curve=pub.curve.ecdsa_curve).to_der()
    if isinstance(pub, XPublicKey):  # RFC 8410 4: the algorithm OID alone, the u-coordinate as the bit string
        alg = _der.encode_sequence(_der.encode_oid(*map(int, pub.curve.oid.split("."))))
        return _der.encode_sequence(alg, _der.encode_bitstring(pub.raw, 0))
    return None
