"""Sensitive data in a payload: passwords and secrets, payment card numbers, national identity numbers, email
addresses and phone numbers, found by member name and by value (with check digits where a format has them).

Only what is typical enough not to fire on ordinary claims. ``scan(payload)`` returns one ``Hit`` per kind found,
with the paths where it was found; the security review (lint.py) turns them into findings. The scan runs on every
keystroke, so it is bounded: at most _MAX_NODES values and _MAX_TEXT characters of a huge payload are looked at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .report import Severity

# Sensitive data in the payload. Only what is typical enough not to fire on ordinary claims.
# Claims that carry personal data by design (OIDC standard claims, Entra ID and common IdP claims): still readable by
# anyone holding the token, but expected in an ID token, so info rather than low.
IDENTITY_CLAIMS = frozenset({
    "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "email", "emails",
    "phone_number", "address", "upn", "unique_name", "login_hint", "verified_primary_email",
    "verified_secondary_email", "username", "user_name", "mail", "email_address", "phone", "signInNames",
})
# Claims that identify clients or the token itself: not personal data even when they look like an email
# (e.g. Google service accounts use their email address as iss/sub).
IDENTIFIER_CLAIMS = frozenset({
    "iss", "aud", "azp", "client_id", "appid", "jti", "sid", "oid", "tid", "kid", "nonce", "at_hash", "c_hash",
    "s_hash", "act", "may_act", "cnf",
})
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "apikey", "privatekey",
                           "secretkey", "accesskey", "clientsecret", "refreshtoken", "cvv", "cvc", "cvv2"})
_SECRET_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key"),
                           ("signing", "key"), ("client", "secret"), ("refresh", "token"), ("secret", "access")})
_NATIONAL_ID_NAMES = frozenset({"ssn", "socialsecuritynumber", "nationalid", "nationalidnumber",
                                "nationalidentitynumber", "nino", "nationalinsurancenumber", "passport",
                                "passportnumber", "passportno", "taxid", "cpf", "dni", "nif", "nie", "aadhaar",
                                "pesel", "bsn", "personnummer", "sozialversicherungsnummer"})
_PHONE_NAMES = frozenset({"phone", "phonenumber", "mobile", "mobilenumber", "mobilephone", "tel", "telephone",
                          "fax", "msisdn", "cell", "cellphone"})

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
                    r"(?![\w-])")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d[\d ().-]{6,20}\d(?!\w)")
_PHONE_NANP = re.compile(r"(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])")
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_SSN = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_NINO = re.compile(r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])"
                   r"(?![A-Za-z0-9])")
_DNI = re.compile(r"(?<![\w-])([XYZ]?)(\d{7,8})-?([A-Z])(?![\w-])")
_CPF = re.compile(r"(?<![\w.])(\d{3})\.(\d{3})\.(\d{3})-(\d{2})(?![\w-])")

# review() runs on every keystroke: bound the scan of huge payloads (real tokens are far smaller).
_MAX_NODES = 1000
_MAX_STRING = 2048
_MAX_TEXT = 32_768
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=512)
def _words(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return tuple(w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w)


def _is_secret_name(name: str) -> bool:
    words = _words(name)
    if not words:
        return False
    if "".join(words) in _SECRET_WORDS or words[-1] in _SECRET_WORDS:
        return True
    return len(words) >= 2 and (words[-2], words[-1]) in _SECRET_PAIRS


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_numbers(text: str) -> bool:
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and len(set(digits)) > 1 and _luhn(digits):
            return True
    return False


def _ssn_ok(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _cpf_ok(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    for n in (9, 10):
        s = sum(int(digits[i]) * (n + 1 - i) for i in range(n))
        if (s * 10 % 11) % 10 != int(digits[n]):
            return False
    return True


def _national_id(text: str) -> bool:
    if any(_ssn_ok(*m.groups()) for m in _SSN.finditer(text)):
        return True
    for m in _NINO.finditer(text):
        if m.group(1) not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            return True
    for m in _DNI.finditer(text):
        prefix, number, letter = m.groups()
        if len(prefix) + len(number) != 8:
            continue
        n = int(str("XYZ".index(prefix)) + number) if prefix else int(number)
        if "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23] == letter:
            return True
    return any(_cpf_ok("".join(m.groups())) for m in _CPF.finditer(text))


def _phone(text: str, by_name: bool) -> bool:
    if by_name:
        digits = re.sub(r"\D", "", text)
        return 7 <= len(digits) <= 15 and len(digits) >= len(text.strip()) * 0.6
    for m in _PHONE_INTL.finditer(text):
        if 8 <= len(re.sub(r"\D", "", m.group())) <= 15:
            return True
    return bool(_PHONE_NANP.search(text))


def _leaves(value: Any, path: str, top: str, budget: list[int], depth: int = 0) -> Iterator[tuple[str, str, str, Any]]:
    """(path, top-level claim, member name, value) for every scalar in the payload, within a node budget."""
    # generators, not lists: the budget stops the walk, so a payload of 100,000 claims costs 1,000 steps
    if isinstance(value, dict):
        items: Iterator[tuple[str, str, str, Any]] = ((f"{path}.{k}", top or str(k), str(k), v)
                                                     for k, v in value.items())
    elif isinstance(value, list):
        name = path.rsplit(".", 1)[-1]
        items = ((f"{path}[{i}]", top, name, v) for i, v in enumerate(value))
    else:
        return
    for item in items:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if isinstance(item[3], (dict, list)):
            if depth < 32:
                yield from _leaves(item[3], item[0], item[1], budget, depth + 1)
        else:
            yield item


@dataclass
class Hit:
    kind: str  # a key of KINDS
    paths: list[str] = field(default_factory=list)
    outside_identity: bool = False  # also found outside the standard identity claims


def scan(payload: dict[str, Any]) -> list[Hit]:
    """The kinds of sensitive data in the payload, in the order of KINDS."""
    hits: dict[str, list[str]] = {}
    outside_identity: set[str] = set()

    def hit(kind: str, path: str, top: str) -> None:
        paths = hits.setdefault(kind, [])
        if path not in paths:
            paths.append(path)
        if top not in IDENTITY_CLAIMS:
            outside_identity.add(kind)

    text_budget = _MAX_TEXT
    for path, top, name, value in _leaves(payload, "payload", "", [_MAX_NODES]):
        if top in IDENTIFIER_CLAIMS:
            continue
        compact = "".join(_words(name))
        if isinstance(value, str):
            if text_budget <= 0:
                continue
            text = value[: min(_MAX_STRING, text_budget)]
            text_budget -= len(text)
            if not text.strip():
                continue
            if _is_secret_name(name) and not re.match(r"(?i)https?://", text):
                hit("secret", path, top)
            if compact in _NATIONAL_ID_NAMES:
                hit("national-id", path, top)
            if "@" in text and _EMAIL.search(text):
                hit("email", path, top)
            if not _DIGIT.search(text):
                continue
            if _phone(text, compact in _PHONE_NAMES):
                hit("phone", path, top)
            id_like = name in ("sub", "id") or compact.endswith("id")
            if not id_like and _card_numbers(text):
                hit("card", path, top)
            if not id_like and _national_id(text):
                hit("national-id", path, top)
        elif isinstance(value, int) and not isinstance(value, bool):
            digits = str(value) if -(10**20) < value < 10**20 else ""
            if compact in _NATIONAL_ID_NAMES and digits:
                hit("national-id", path, top)
            if compact in ("cvv", "cvc", "cvv2", "pin"):
                hit("secret", path, top)
            id_like = name in ("sub", "id") or compact.endswith("id")
            if not id_like and 13 <= len(digits) <= 19 and _card_numbers(digits):
                hit("card", path, top)
            if compact in _PHONE_NAMES and 7 <= len(digits) <= 15:
                hit("phone", path, top)

    return [Hit(kind, hits[kind], kind in outside_identity) for kind in KINDS if kind in hits]


# kind -> (title, severity in identity claims, severity elsewhere, what)
KINDS: dict[str, tuple[str, Severity, Severity, str]] = {
    "secret": ("Password or secret in the payload", "high", "high", "a password, secret or credential"),
    "card": ("Payment card number in the payload", "high", "high", "a payment card number (passes the Luhn check)"),
    "national-id": ("National identity number in the payload", "high", "high",
                    "a national identity number (SSN, NINO, DNI/NIE, CPF or a field named so)"),
    "email": ("Email address in the payload", "info", "low", "an email address"),
    "phone": ("Phone number in the payload", "info", "low", "a phone number"),
}


