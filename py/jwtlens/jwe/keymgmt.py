"""Key management (RFC 7518 section 4): the content encryption key (CEK) out of a JWE for each alg family, and into
one. Each function takes the header as read (header.py), the key, and the encrypted key, and raises JweError with
the reason in words; a wrong CEK from RSA1_5 is never reported as such (RFC 7516 11.5): it fails at the tag.

    cek = unwrap(head, key, encrypted_key)                       # decryption
    cek, encrypted_key, params = wrap(head, key, cek_or_none)    # encryption: the header parameters it adds
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from .. import b64url, jwa
from ..keys import ECPublicKey, LoadedKey, XPublicKey
from ..primitives import ecdh, gcm, kdf, keywrap, rsaes
from ..primitives.errors import DecryptionError, InputError, IntegrityError, InvalidPoint, TagMismatch
from ..problems import Code
from . import pbes2
from .compact import length_error
from .errors import JweError
from .header import Header

_UNWRAP_FAILED = ("The encrypted key does not unwrap with this key ({how}): wrong key, or the encrypted key was "
                  "altered.")


def _cek_bytes(head: Header) -> int:
    return (head.enc.key_bits or 0) // 8


def _checked(head: Header, cek: bytes) -> bytes:
    if len(cek) != _cek_bytes(head):
        raise JweError(Code.JWE_CEK_LENGTH, f"The content key unwrapped to {len(cek)} bytes; {head.enc.name} "
                       f"needs {_cek_bytes(head)}: the sender used another enc.", segment="encrypted_key")
    return cek


def _aes_unwrap(kek: bytes, encrypted_key: bytes, how: str) -> bytes:
    try:
        return keywrap.unwrap(kek, encrypted_key)
    except IntegrityError:
        raise JweError(Code.JWE_KEY_UNWRAP, _UNWRAP_FAILED.format(how=f"{how}: the AES key wrap integrity check "
                                                                      "fails"), segment="encrypted_key") from None


# -- decryption -------------------------------------------------------------------------------------------------


def _rsa_private_op(head: Header, key: LoadedKey, encrypted_key: bytes, text: str) -> bytes:
    try:
        if head.alg.family == "RSAES-PKCS1-v1_5":  # a random CEK on a bad padding: it then fails at the tag
            return rsaes.decrypt_pkcs1v15_cek(key.signer, encrypted_key, _cek_bytes(head))
        return rsaes.decrypt_oaep(key.signer, head.alg.hash or "", encrypted_key)
    except InputError:
        size = key.signer.public.size
        raise length_error("encrypted_key", text, len(encrypted_key), size,
                           f"this {key.signer.public.bits}-bit RSA key") from None
    except DecryptionError:
        raise JweError(Code.JWE_KEY_UNWRAP, _UNWRAP_FAILED.format(how="RSAES-OAEP decryption fails") + " (Or it "
                       "was encrypted with another OAEP hash.)", segment="encrypted_key") from None


def _agreed_key(head: Header, private: Any, peer: ECPublicKey | XPublicKey) -> bytes:
    """The ECDH-ES derived key (RFC 7518 4.6.2): the enc's key (direct) or the key-wrap key."""
    curve = peer.curve.name
    peer_value = (peer.x, peer.y) if isinstance(peer, ECPublicKey) else peer.raw
    try:
        z = ecdh.agree(curve, private, peer_value)
    except InvalidPoint as exc:
        raise JweError(Code.JWE_EPK_INVALID, f"Key agreement refused: {exc}.", segment="header") from None
    direct = head.alg.key_bits is None
    algorithm_id, bits = (head.enc.name, head.enc.key_bits) if direct else (head.alg.name, head.alg.key_bits)
    assert bits is not None
    return kdf.ecdh_es_key(z, algorithm_id, bits, head.apu, head.apv)


def _ecdh_private(key: LoadedKey) -> Any:
    return key.agreement if key.agreement is not None else key.signer.privkey.secret_multiplier


def unwrap(head: Header, key: LoadedKey, encrypted_key: bytes, encrypted_key_text: str = "",
           kek: bytes | None = None) -> bytes:
    """The CEK. ``kek``: a PBES2 key already derived (pbes2.Pbes2Derivation or the cache)."""
    family = head.alg.family
    if family in ("RSAES-OAEP", "RSAES-PKCS1-v1_5"):
        return _checked(head, _rsa_private_op(head, key, encrypted_key, encrypted_key_text))
    if family == "dir":
        return _checked(head, key.secret or b"")
    if family == "ECDH-ES":
        assert head.epk is not None
        derived = _agreed_key(head, _ecdh_private(key), head.epk)
        if head.alg.key_bits is None:
            return derived
        return _checked(head, _aes_unwrap(derived, encrypted_key, "the key agreed with the epk"))
    if family == "AESGCMKW":
        try:
            return _checked(head, gcm.decrypt(key.secret or b"", head.iv, encrypted_key, head.tag))
        except TagMismatch:
            raise JweError(Code.JWE_KEY_UNWRAP, _UNWRAP_FAILED.format(how="the AES-GCM tag of the key wrap does not "
                           "match") + " The header's \"iv\" and \"tag\" are part of it too.",
                           segment="encrypted_key") from None
    if family == "PBES2":
        password = key.secret or b""
        kek = kek or pbes2.derive(head.alg.name, password, head.p2s, head.p2c)
        return _checked(head, _aes_unwrap(kek, encrypted_key, "the key derived from the password"))
    return _checked(head, _aes_unwrap(key.secret or b"", encrypted_key, "AES key wrap"))  # AESKW


# -- encryption -------------------------------------------------------------------------------------------------


def _epk_jwk(curve: str, public: Any) -> dict[str, str]:
    size = jwa.CURVES[curve].size
    if curve in ecdh.NIST_CURVES:
        x, y = public
        return {"kty": "EC", "crv": curve, "x": b64url.encode_uint(x, size), "y": b64url.encode_uint(y, size)}
    return {"kty": "OKP", "crv": curve, "x": b64url.encode(public)}


def _wrap_ecdh(head: Header, key: LoadedKey, cek: bytes) -> tuple[bytes, bytes, dict[str, Any]]:
    peer = key.public
    assert isinstance(peer, (ECPublicKey, XPublicKey))
    curve = peer.curve.name
    private, public = ecdh.generate(curve)  # a fresh ephemeral key for every token
    derived = _agreed_key(head, private, peer)
    params: dict[str, Any] = {"epk": _epk_jwk(curve, public)}
    if head.alg.key_bits is None:
        return derived, b"", params
    return cek, keywrap.wrap(derived, cek), params


def _wrap_gcm(head: Header, key: LoadedKey, cek: bytes) -> tuple[bytes, bytes, dict[str, Any]]:
    iv = secrets.token_bytes(head.alg.iv_bytes or 12)
    encrypted, tag = gcm.encrypt(key.secret or b"", iv, cek)
    return cek, encrypted, {"iv": b64url.encode(iv), "tag": b64url.encode(tag)}


def _wrap_pbes2(head: Header, key: LoadedKey, cek: bytes) -> tuple[bytes, bytes, dict[str, Any]]:
    if head.p2s:  # a salt chosen beforehand: the key was derived in slices (pbes2.Pbes2Derivation) and is cached
        p2s, kek = head.p2s, pbes2.derive(head.alg.name, key.secret or b"", head.p2s, head.p2c)
    else:
        p2s = secrets.token_bytes(16)
        kek = kdf.pbes2_key(head.alg.name, key.secret or b"", p2s, head.p2c)  # at once
    return cek, keywrap.wrap(kek, cek), {"p2s": b64url.encode(p2s), "p2c": head.p2c}


def _wrap_rsa(head: Header, key: LoadedKey, cek: bytes) -> tuple[bytes, bytes, dict[str, Any]]:
    if head.alg.family == "RSAES-PKCS1-v1_5":
        return cek, rsaes.encrypt_pkcs1v15(key.public, cek), {}
    return cek, rsaes.encrypt_oaep(key.public, head.alg.hash or "", cek), {}


_WRAP: dict[str, Callable[[Header, LoadedKey, bytes], tuple[bytes, bytes, dict[str, Any]]]] = {
    "RSAES-OAEP": _wrap_rsa,
    "RSAES-PKCS1-v1_5": _wrap_rsa,
    "dir": lambda head, key, cek: (key.secret or b"", b"", {}),
    "ECDH-ES": _wrap_ecdh,
    "AESGCMKW": _wrap_gcm,
    "PBES2": _wrap_pbes2,
    "AESKW": lambda head, key, cek: (cek, keywrap.wrap(key.secret or b"", cek), {}),
}


def wrap(head: Header, key: LoadedKey) -> tuple[bytes, bytes, dict[str, Any]]:
    """(CEK, encrypted key, header parameters) for a fresh random CEK (dir and direct ECDH-ES: the key they give)."""
    return _WRAP[head.alg.family](head, key, secrets.token_bytes(_cek_bytes(head)))
