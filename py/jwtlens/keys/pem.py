"""PEM: the armour (RFC 7468) around DER keys and certificates, read by a table of labels and written back.

Scanning is linear: each BEGIN line is matched with the next END line after it by ``str.find``, so text with many
BEGIN lines and no END line costs one pass (a lazy regular expression rescanned the rest of the text per BEGIN).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from .. import asn1
from ..problems import Code, problem
from ..rsa import RSAKeyError, RSAPublicKey
from .der import (
    parse_certificate,
    parse_pkcs1_private,
    parse_pkcs1_public,
    parse_pkcs8,
    parse_sec1,
    parse_spki,
    pkcs1_public_der,
    spki_der,
)
from .model import KeyBox, LoadedKey, Member, UnusableKey, for_purpose

Parser = Callable[[bytes, str, "float | None"], LoadedKey]
_CERTIFICATE: Parser = lambda der, fmt, now: parse_certificate(der, now, fmt)  # noqa: E731
# label -> (the format as the page names it, the DER parser)
_PEM_LABELS: dict[str, tuple[str, Parser]] = {
    "PUBLIC KEY": ("PEM public key", lambda der, fmt, now: parse_spki(der, fmt)),
    "RSA PUBLIC KEY": ("PEM RSA public key (PKCS#1)", lambda der, fmt, now: parse_pkcs1_public(der, fmt)),
    "CERTIFICATE": ("PEM certificate", _CERTIFICATE),
    "TRUSTED CERTIFICATE": ("PEM certificate", _CERTIFICATE),
    "X509 CERTIFICATE": ("PEM certificate", _CERTIFICATE),
    "PRIVATE KEY": ("PEM private key (PKCS#8)", lambda der, fmt, now: parse_pkcs8(der, fmt)),
    "RSA PRIVATE KEY": ("PEM RSA private key (PKCS#1)", lambda der, fmt, now: parse_pkcs1_private(der, fmt)),
    "EC PRIVATE KEY": ("PEM EC private key (SEC 1)", lambda der, fmt, now: parse_sec1(der, fmt)),
}
_PEM_REFUSED = {
    "ENCRYPTED PRIVATE KEY": ("the private key is encrypted with a password", Code.KEY_ENCRYPTED),
    "OPENSSH PRIVATE KEY": (
        "OpenSSH private keys are not supported; export the public key as PEM "
        "(ssh-keygen -e -m PKCS8 -f key.pub)", Code.KEY_UNSUPPORTED),
    "SSH2 PUBLIC KEY": ("SSH2 public keys are not supported; convert with ssh-keygen -i -m PKCS8",
                        Code.KEY_UNSUPPORTED),
    "DSA PRIVATE KEY": ("DSA is not a JWS algorithm", Code.KEY_UNSUPPORTED),
    "CERTIFICATE REQUEST": ("a certificate request (CSR) is not a key; paste the issued certificate or the "
                            "public key", Code.KEY_UNSUPPORTED),
    "NEW CERTIFICATE REQUEST": ("a certificate request (CSR) is not a key", Code.KEY_UNSUPPORTED),
    "X509 CRL": ("a certificate revocation list is not a key", Code.KEY_UNSUPPORTED),
    "PGP PUBLIC KEY BLOCK": ("PGP keys are not used by JWS", Code.KEY_UNSUPPORTED),
}
_PEM_SKIPPED = {"EC PARAMETERS", "DH PARAMETERS"}


def _pem_block(label: str, body: str, now: float | None, purpose: str) -> LoadedKey:
    if label in _PEM_REFUSED:
        msg, code = _PEM_REFUSED[label]
        raise UnusableKey(f"{label}: {msg}", code)
    if label not in _PEM_LABELS:
        raise UnusableKey(f"a PEM block labelled {label!r} is not a key this page can use", Code.KEY_UNSUPPORTED)
    if ":" in body:  # RFC 1421 headers: only legacy encrypted keys have them
        if "ENCRYPTED" in body:
            raise UnusableKey(f"{label}: the key is encrypted with a password (Proc-Type: ENCRYPTED)",
                              Code.KEY_ENCRYPTED)
        body = body.split("\n\n", 1)[-1]
    compact = "".join(body.split())
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        bad = next((ch for ch in compact if not (ch.isascii() and (ch.isalnum() or ch in "+/="))), None)
        detail = f"character {bad!r}" if bad else "wrong length or misplaced '=' (a line is missing or cut?)"
        raise UnusableKey(f"the {label} PEM body is not valid base64: {detail}", Code.KEY_PEM_INVALID) from None
    fmt, parser = _PEM_LABELS[label]
    try:
        return for_purpose(parser(der, fmt, now), purpose)
    except asn1.DERError as exc:
        msg = f"the {label} is damaged or not what its label says: {exc}"
        raise UnusableKey(msg, Code.KEY_DER_INVALID) from None


_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]{1,64})-----")
_END = re.compile(r"-----END ([A-Z0-9 ]{1,64})-----")


def pem_blocks(text: str) -> list[tuple[str, str, str | None]]:
    """(BEGIN label, body, END label or None when it is missing) for each block, in one pass over the text."""
    blocks: list[tuple[str, str, str | None]] = []
    pos = 0
    end = None
    while (begin := _BEGIN.search(text, pos)) is not None:
        if end is None or end.start() < begin.end():  # each END is searched for once
            end = _END.search(text, begin.end())
        if end is None:
            blocks.append((begin.group(1), text[begin.end():], None))
            break
        nxt = text.find("-----BEGIN", begin.end(), end.start())
        if nxt >= 0:  # a BEGIN before this block's END: this one has no END of its own
            blocks.append((begin.group(1), text[begin.end():nxt], None))
            pos = nxt
            continue
        blocks.append((begin.group(1), text[begin.end():end.start()], end.group(1)))
        pos = end.end()
    return blocks


def armour(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def public_pem_texts(key: LoadedKey) -> list[str]:
    """The public key as the PEM texts tools write (SPKI, and PKCS#1 for RSA), for the key-confusion check."""
    spki = spki_der(key)
    if spki is None:
        return []
    texts = [armour("PUBLIC KEY", spki)]
    if isinstance(key.public, RSAPublicKey):
        texts.append(armour("RSA PUBLIC KEY", pkcs1_public_der(key.public)))
    return texts


def load_pem(text: str, box: KeyBox, now: float | None) -> None:
    escaped = "\\n" in text and "\n" not in text.strip()
    if escaped:  # pasted from JSON or an environment variable
        text = text.replace("\\r", "").replace("\\n", "\n")
    blocks = pem_blocks(text)
    if not blocks or all(end is None for _, _, end in blocks):
        box.problems.append(problem(Code.KEY_PEM_INVALID,
                                    "The key has a '-----BEGIN' line but no matching '-----END' line.", segment="key"))
        return
    loaded: list[Member] = []
    for i, (label, body, end) in enumerate(blocks, 1):
        if label in _PEM_SKIPPED:
            continue
        if end != label:
            reason = (f"the PEM block BEGIN {label} ends with END {end}" if end is not None
                      else f"the PEM block BEGIN {label} has no END line")
            loaded.append(Member(i, None, reason))
            box.problems.append(problem(Code.KEY_PEM_INVALID, _cap(reason) + ".", segment="key"))
            continue
        try:
            key = _pem_block(label, body, now, box.purpose)
            key.source = text
            if escaped:
                key.notes.append("The PEM had literal '\\n' escapes (as in JSON); they were read as line breaks.")
            loaded.append(Member(i, key))
        except UnusableKey as exc:
            loaded.append(Member(i, None, str(exc)))
            box.problems.append(problem(exc.code, _cap(str(exc)) + ".", segment="key"))
        except (asn1.DERError, RSAKeyError) as exc:
            loaded.append(Member(i, None, str(exc)))
            box.problems.append(problem(Code.KEY_DER_INVALID, _cap(str(exc)) + ".", segment="key"))
    box.format = "PEM"
    usable = _dedupe([m.key for m in loaded if m.key is not None])
    if len(loaded) > 1 and len(usable) > 1:
        box.is_set, box.format = True, "PEM bundle"
        for n, member in enumerate(loaded, 1):
            member.index = n
            if member.key is not None:
                member.key.label = f"key #{n}"
        box.members = loaded
    box.keys = usable
    if usable and box.problems and not box.is_set:
        for p in box.problems:  # one usable key among broken blocks: the others are only warnings
            p.level = "warning"


def _dedupe(keys: list[LoadedKey]) -> list[LoadedKey]:
    """A private key and its certificate in one paste are one key (the first one found is kept)."""
    seen: set[str | None] = set()
    out = []
    for key in keys:
        tp = key.thumbprint()
        if tp in seen:
            continue
        seen.add(tp)
        out.append(key)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
