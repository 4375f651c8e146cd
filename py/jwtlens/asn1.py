"""A minimal, strict DER reader: just what public keys, private keys and X.509 certificates need.

The primitives come from ``ecdsa.der`` (pure Python, already a runtime dependency): it reads SEQUENCE, INTEGER,
OBJECT IDENTIFIER, BIT STRING and OCTET STRING strictly (minimal lengths, no indefinite length, minimal
integers, zero padding bits). It has no generic "read any element" and knows nothing of times, names or
string types, which certificates need; those few helpers are ours. Every failure is a ``DERError`` with a
message that says what was being read.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import TypeVar

from ecdsa import der as _der

T = TypeVar("T")

# Universal tags used here.
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
UTF8_STRING = 0x0C
SEQUENCE = 0x30
SET = 0x31
PRINTABLE_STRING = 0x13
T61_STRING = 0x14
IA5_STRING = 0x16
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
UNIVERSAL_STRING = 0x1C
BMP_STRING = 0x1E


class DERError(ValueError):
    """The bytes are not the strict DER structure that was expected."""


def _wrap(what: str, fn: Callable[..., T], *args: object) -> T:
    try:
        return fn(*args)
    except _der.UnexpectedDER as exc:
        raise DERError(f"{what}: {exc}") from None
    except (IndexError, ValueError, TypeError) as exc:
        raise DERError(f"{what}: truncated or malformed ({exc})") from None


def peek_tag(data: bytes) -> int | None:
    """The identifier byte of the next element, or None at the end."""
    return data[0] if data else None


def read_tlv(data: bytes, what: str = "element") -> tuple[int, bytes, bytes]:
    """Any single element: (identifier byte, content, the bytes after it). High tag numbers are refused."""
    if not data:
        raise DERError(f"{what}: missing (end of data)")
    tag = data[0]
    if tag & 0x1F == 0x1F:
        raise DERError(f"{what}: multi-byte tags are not used in keys or certificates")
    length, llen = _wrap(what, _der.read_length, data[1:])
    start = 1 + llen
    if length > len(data) - start:
        raise DERError(f"{what}: length {length} runs past the end of the data")
    return tag, data[start : start + length], data[start + length :]


def read_element(data: bytes, tag: int, what: str) -> tuple[bytes, bytes]:
    got, body, rest = read_tlv(data, what)
    if got != tag:
        raise DERError(f"{what}: expected tag 0x{tag:02x}, found 0x{got:02x}")
    return body, rest


def read_sequence(data: bytes, what: str = "SEQUENCE") -> tuple[bytes, bytes]:
    return _wrap(what, _der.remove_sequence, data)


def read_integer(data: bytes, what: str = "INTEGER") -> tuple[int, bytes]:
    """A non-negative, minimally encoded INTEGER (ecdsa.der refuses negative and padded encodings)."""
    return _wrap(what, _der.remove_integer, data)


def read_oid(data: bytes, what: str = "OBJECT IDENTIFIER") -> tuple[str, bytes]:
    numbers, rest = _wrap(what, _der.remove_object, data)
    return ".".join(str(n) for n in numbers), rest


def read_bit_string(data: bytes, what: str = "BIT STRING") -> tuple[bytes, bytes]:
    """A BIT STRING holding whole bytes (keys and signatures never have unused bits)."""
    return _wrap(what, _der.remove_bitstring, data, 0)


def read_octet_string(data: bytes, what: str = "OCTET STRING") -> tuple[bytes, bytes]:
    return _wrap(what, _der.remove_octet_string, data)


def read_null(data: bytes, what: str = "NULL") -> bytes:
    body, rest = read_element(data, NULL, what)
    if body:
        raise DERError(f"{what}: NULL with content")
    return rest


def read_explicit(data: bytes, number: int, what: str) -> tuple[bytes, bytes]:
    """A context-specific constructed [number] wrapper; returns its content."""
    return read_element(data, 0xA0 | number, what)


def expect_end(rest: bytes, what: str) -> None:
    if rest:
        raise DERError(f"{what}: {len(rest)} unexpected byte(s) after the end")


def read_algorithm(data: bytes, what: str = "AlgorithmIdentifier") -> tuple[str, bytes | None, bytes]:
    """AlgorithmIdentifier: (oid, the raw parameters element or None, rest)."""
    body, rest = read_sequence(data, what)
    oid, params = read_oid(body, f"{what} algorithm")
    return oid, (params or None), rest


def read_time(data: bytes, what: str = "Time") -> tuple[float, bytes]:
    """UTCTime or GeneralizedTime in the strict DER form (UTC, seconds, 'Z'): seconds since the epoch."""
    tag, body, rest = read_tlv(data, what)
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise DERError(f"{what}: not ASCII") from None
    if tag == UTC_TIME:
        if len(text) != 13 or not text[:12].isdigit() or text[12] != "Z":
            raise DERError(f"{what}: UTCTime {text!r} is not YYMMDDHHMMSSZ")
        year = int(text[:2])
        year += 2000 if year < 50 else 1900  # RFC 5280 4.1.2.5.1
        digits = text[2:12]
    elif tag == GENERALIZED_TIME:
        if len(text) != 15 or not text[:14].isdigit() or text[14] != "Z":
            raise DERError(f"{what}: GeneralizedTime {text!r} is not YYYYMMDDHHMMSSZ")
        year = int(text[:4])
        digits = text[4:14]
    else:
        raise DERError(f"{what}: expected UTCTime or GeneralizedTime, found tag 0x{tag:02x}")
    month, day, hour, minute, second = (int(digits[i : i + 2]) for i in range(0, 10, 2))
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 60):
        raise DERError(f"{what}: {text!r} is not a valid date")
    return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))), rest


_NAME_ATTRIBUTES = {
    "2.5.4.3": "CN",
    "2.5.4.4": "SN",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "street",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "title",
    "2.5.4.42": "GN",
    "1.2.840.113549.1.9.1": "emailAddress",
    "0.9.2342.19200300.100.1.1": "UID",
    "0.9.2342.19200300.100.1.25": "DC",
}


def _string_value(tag: int, body: bytes) -> str:
    if tag == BMP_STRING:
        return body.decode("utf-16-be", errors="replace")
    if tag == UNIVERSAL_STRING:
        return body.decode("utf-32-be", errors="replace")
    if tag == T61_STRING:
        return body.decode("latin-1")
    if tag in (UTF8_STRING, PRINTABLE_STRING, IA5_STRING, 0x12, 0x1A):
        return body.decode("utf-8", errors="replace")
    return "#" + body.hex()


def read_name(data: bytes, what: str = "Name") -> tuple[str, bytes]:
    """An X.501 Name as one line in certificate order, e.g. "C=US, O=Example, CN=example.com"."""
    body, rest = read_sequence(data, what)
    parts: list[str] = []
    while body:
        rdn, body = read_element(body, SET, f"{what} RDN")
        while rdn:
            atv, rdn = read_sequence(rdn, f"{what} attribute")
            oid, value = read_oid(atv, f"{what} attribute type")
            tag, content, tail = read_tlv(value, f"{what} attribute value")
            expect_end(tail, f"{what} attribute")
            parts.append(f"{_NAME_ATTRIBUTES.get(oid, oid)}={_string_value(tag, content)}")
    return ", ".join(parts), rest
