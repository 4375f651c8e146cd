"""Which key of the key box decrypts a JWE (or receives one): one key's mismatch with the alg in words, and the
keys to try in order: a key set's members by kid (listed as verification lists them), the readings of a secret that
have the size the alg needs, the password of PBES2.

    keys = candidates(box, head.alg, head.enc, "decrypt", kid=head.kid, curve=head.curve, tried=result.tried)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import jwa
from ..keys import KeyBox, LoadedKey
from ..keys import select as key_select
from ..keys.select import Mismatch
from ..problems import Code
from ..rsa import RSAPrivateKey
from .errors import JweError

Direction = Literal["decrypt", "encrypt"]
MAX_SET_TRIES = 64  # as verification: a set of thousands must not hold the tab
LABELS = {**key_select.LABELS, "use": "not for this use"}
# key_ops values (RFC 7517 4.3) that allow each direction; any one of them will do
OPS = {"decrypt": {"decrypt", "unwrapKey", "deriveKey", "deriveBits"},
       "encrypt": {"encrypt", "wrapKey", "deriveKey", "deriveBits"}}
CODES = {"type": Code.JWE_KEY_WRONG_TYPE, "curve": Code.JWE_KEY_WRONG_TYPE, "pss": Code.JWE_KEY_WRONG_TYPE,
         "size": Code.JWE_KEY_SIZE, "private": Code.JWE_KEY_NOT_PRIVATE, "use": Code.JWE_KEY_USE,
         "alg": Code.JWE_KEY_USE}
SECRET_FAMILIES = ("AESKW", "AESGCMKW", "dir", "PBES2")
RSA_FAMILIES = ("RSAES-OAEP", "RSAES-PKCS1-v1_5")


@dataclass
class Candidate:
    key: LoadedKey
    label: str  # how messages name it: "the RSA 2048-bit private key", "key #2 (kid 'a', ...)"
    listed: bool = False  # one of several: its outcome gets a line in tried
    index: int | None = None  # ... or is added to this line (a set member first set aside for its kid)


def secret_bytes(alg: jwa.Alg, enc: jwa.Alg) -> int | None:
    """The secret size the alg needs: its own AES key, the enc's key for dir; None for PBES2 (any password)."""
    if alg.family == "dir":
        return (enc.key_bits or 0) // 8
    return None if alg.family == "PBES2" else (alg.key_bits or 0) // 8


def needs(alg: jwa.Alg, enc: jwa.Alg, direction: Direction) -> str:
    """The key an alg needs, in words."""
    half = "private" if direction == "decrypt" else "public"
    if alg.family in RSA_FAMILIES:
        return f"an RSA {half} key"
    if alg.family == "ECDH-ES":
        return f"an EC P-256/P-384/P-521 or X25519/X448 {half} key"
    if alg.family == "PBES2":
        return "a password"
    return f"a {secret_bytes(alg, enc)}-byte secret" + (f" (the {enc.name} key itself)" if alg.family == "dir" else "")


def _declared(key: LoadedKey, alg: jwa.Alg, enc: jwa.Alg, direction: Direction) -> Mismatch | None:
    """What the JWK itself says: use, key_ops, alg (RFC 7517 4.2-4.4), honoured as verification honours them."""
    if key.use is not None and key.use != "enc":
        return Mismatch("use", f"the key is marked \"use\": {key.use!r} (for signatures), not for encryption")
    if key.key_ops is not None and not OPS[direction] & set(key.key_ops):
        return Mismatch("use", f"the key's key_ops {key.key_ops} do not allow {direction}ing")
    # a dir key is the content key itself: its JWK may name the enc (RFC 7520 5.6 does)
    allowed = (alg.name, enc.name) if alg.family == "dir" else (alg.name,)
    if key.alg is not None and key.alg not in allowed:
        return Mismatch("alg", f"the key is declared for {key.alg} (its JWK \"alg\"), not {alg.name}")
    return None


def mismatch(key: LoadedKey, alg: jwa.Alg, enc: jwa.Alg, direction: Direction,
             curve: str | None = None) -> Mismatch | None:
    """None when the key can serve the alg in this direction, else the reason. ``curve``: the token's epk curve."""
    declared = _declared(key, alg, enc, direction)
    if declared is not None:
        return declared
    what = key.describe(purpose="enc")
    if alg.family in SECRET_FAMILIES:
        if key.kind != "secret":
            return Mismatch("type", f"{alg.name} needs {needs(alg, enc, direction)}; the key is a{_n(what)} {what}")
        size, have = secret_bytes(alg, enc), len(key.secret or b"")
        if size is not None and have != size:
            which = f"dir with {enc.name}" if alg.family == "dir" else alg.name
            return Mismatch("size", f"{which} needs a {size}-byte key; this one is {have} bytes ({key.format})")
        return None
    if alg.family in RSA_FAMILIES:
        if key.kind != "RSA":
            return Mismatch("type", f"{alg.name} needs {needs(alg, enc, direction)}; the key is a{_n(what)} {what}")
        if key.pss_only:
            return Mismatch("pss", "the key is an RSASSA-PSS key (id-RSASSA-PSS): it is restricted to signatures")
        if direction == "decrypt" and not isinstance(key.signer, RSAPrivateKey):
            return Mismatch("private", f"decrypting {alg.name} needs the RSA private key; this is the public key")
        return None
    return _agreement_mismatch(key, alg, enc, direction, curve, what)


def _agreement_mismatch(key: LoadedKey, alg: jwa.Alg, enc: jwa.Alg, direction: Direction, curve: str | None,
                        what: str) -> Mismatch | None:
    key_curve = key.curve.name if key.curve is not None else None
    if key_curve not in alg.curves:
        hint = " (it is for signatures)" if key.curve is not None and key.curve.use == "sig" else ""
        return Mismatch("type", f"{alg.name} needs {needs(alg, enc, direction)}; the key is a{_n(what)} {what}{hint}")
    if curve is not None and key_curve != curve:
        return Mismatch("curve", f"the token's ephemeral key (epk) is on {curve}, this key is on {key_curve}: the "
                                 "token was encrypted to another key")
    if direction == "decrypt" and key.signer is None and key.agreement is None:
        return Mismatch("private", f"decrypting needs the {key_curve} private key; this is the public key")
    return None


def _n(what: str) -> str:
    """"an" before the names the key descriptions start with that sound like a vowel (RSA, EC, Ed25519, X25519)."""
    return "n" if what[:1] in "AEIOUXR" else ""


def candidates(box: KeyBox, alg: jwa.Alg, enc: jwa.Alg, direction: Direction, *, kid: str | None = None,
               curve: str | None = None, tried: list[str] | None = None) -> list[Candidate]:
    """The keys to try, in order; JweError (segment "key") when none can serve the alg."""
    tried = [] if tried is None else tried
    if not box.keys and not box.members:
        reason = next((p.message for p in box.problems if p.level == "error"), None)
        raise JweError(None, "The key cannot be used: " + _lower(reason or "the key box holds no usable key."))
    if box.is_set:
        return _from_set(box, alg, enc, direction, kid, curve, tried)
    if box.keys[0].kind == "secret":
        return _readings(box, alg, enc, direction)
    key = box.keys[0]
    found = mismatch(key, alg, enc, direction, curve)
    if found is not None:
        raise JweError(CODES[found.kind], f"This key cannot {direction} {alg.name}: {found.message}.", segment="key")
    return [Candidate(key, f"the {key.describe(purpose='enc')}")]


def _readings(box: KeyBox, alg: jwa.Alg, enc: jwa.Alg, direction: Direction) -> list[Candidate]:
    """A secret read in "auto" mode has several readings: those of the size the alg needs, in order (PBES2: the
    text as typed, unless a format was chosen)."""
    readings = [box.keys[0], *box.alternatives]
    if alg.family == "PBES2":
        text = [k for k in readings if k.format == "UTF-8 text"]
        readings = text or readings[:1]
    fitting = [k for k in readings if mismatch(k, alg, enc, direction) is None]
    if not fitting:
        found = mismatch(readings[0], alg, enc, direction)
        assert found is not None
        others = [f"as {k.format} it is {len(k.secret or b'')} bytes" for k in readings[1:] if k.secret is not None]
        also = f" ({'; '.join(others)})" if others and found.kind == "size" else ""
        raise JweError(CODES[found.kind], f"This key cannot {direction} {alg.name}: {found.message}{also}.",
                       segment="key")
    listed = len(fitting) > 1
    return [Candidate(k, f"the secret read as {k.format}" if box.format == "secret" else f"the {box.format} secret",
                      listed=listed) for k in fitting]


def _from_set(box: KeyBox, alg: jwa.Alg, enc: jwa.Alg, direction: Direction, kid: str | None, curve: str | None,
              tried: list[str]) -> list[Candidate]:
    def judge(key: LoadedKey) -> Mismatch | None:
        return mismatch(key, alg, enc, direction, curve)

    fitting, other_kid, position = key_select.sort_members(box, judge, kid, tried, LABELS)
    named = key_select.named_members(box, kid)
    if not fitting and not named:
        return [Candidate(m.key, m.label(), True, position[m.index]) for m in other_kid[:MAX_SET_TRIES]
                if m.key is not None] or _no_member_fits(box, alg, enc, direction, kid, named, judge)
    if not fitting:
        _no_member_fits(box, alg, enc, direction, kid, named, judge)
    return [Candidate(m.key, m.label(), True) for m in fitting[:MAX_SET_TRIES] if m.key is not None]


def _no_member_fits(box: KeyBox, alg: jwa.Alg, enc: jwa.Alg, direction: Direction, kid: str | None, named: list,
                    judge: object) -> list[Candidate]:
    if named:
        member = named[0]
        found = judge(member.key) if member.key is not None else None  # type: ignore[operator]
        why = f"it is not usable ({member.reason})" if member.key is None else (found.message if found else "")
        text = f"The {box.format} key with kid {kid!r} cannot {direction} {alg.name}: {why}."
    elif kid is not None:
        text = f"No key in the {box.format} has kid {kid!r}, and none of the others fits {alg.name}."
    else:
        text = f"No key in the {box.format} fits {alg.name} (it needs {needs(alg, enc, direction)})."
    raise JweError(Code.JWE_KEY_NO_MATCH, text, segment="key")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
