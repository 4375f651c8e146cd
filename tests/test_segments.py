"""Forensic per-segment decoding (jwtlens.segments)."""

from __future__ import annotations

import base64
import json
import random

import jwt
import pytest

from helpers import HS, b64url, codes, make_jwe, make_token, only, part
from jwtlens.report import Report
from jwtlens.segments import HugeNumber, decode_token, nesting_too_deep, parse_json

PAYLOAD = {"sub": "1234567890", "name": "Jane Doe", "iat": 1516239022}


def test_well_formed_jws():
    token = make_token(HS, PAYLOAD)
    r = decode_token(token)
    assert r.kind == "JWS" and r.problems == []
    assert r.header == HS and r.payload == PAYLOAD
    assert json.loads(r.header_text) == HS and json.loads(r.payload_text) == PAYLOAD
    assert [s.name for s in r.segments] == ["header", "payload", "signature"]
    assert [token[s.start : s.start + len(s.text)] for s in r.segments] == token.split(".")
    assert r.segments[2].decoded_length == len(b"signature-bytes!")


def test_agrees_with_pyjwt_on_real_tokens():
    rng = random.Random(7)
    for i in range(50):
        payload = {"sub": str(rng.random()), "n": rng.randrange(10**20), "x": [rng.random(), None, True, "\u00e9"]}
        token = jwt.encode(payload, "k" * 32, algorithm="HS256", headers={"kid": f"key-{i}"})
        r = decode_token(token)
        assert r.problems == []
        assert r.payload == jwt.decode(token, options={"verify_signature": False})
        assert r.header == jwt.get_unverified_header(token)


@pytest.mark.parametrize("count,hint", [(1, "no dot"), (2, "signature segment is missing"), (4, "One dot too many"),
                                        (7, "More segments")])
def test_segment_count(count, hint):
    segments = [part(HS), part(PAYLOAD), b64url(b"sig"), "AAAA", "BBBB", "CCCC", "DDDD"][:count]
    r = decode_token(".".join(segments))
    p = only(r.problems, "token.segment-count")
    assert r.kind == "unknown"
    assert f"{count} segment" in p.message and "3" in p.message and "5" in p.message and hint in p.message
    assert p.segment == "token" and p.fix
    # whatever can be decoded still is
    assert r.header == HS
    if count >= 2:
        assert r.payload == PAYLOAD
    if count > 3:
        assert [s.name for s in r.segments] == ["header", "payload", "signature", "token"]


def test_many_segments_stay_cheap():
    r = decode_token("eyJ.a." * 100_000)
    assert len(r.segments) == 4 and len(r.problems) < 10


def test_empty_header_and_payload_segments():
    r = decode_token("." + part(PAYLOAD) + ".c2ln")
    p = only(r.problems, "token.empty-segment")
    assert (p.segment, p.level, p.position) == ("header", "error", 0)
    assert r.payload == PAYLOAD  # the payload is still shown

    r = decode_token(part(HS) + "..c2ln")  # a detached payload (RFC 7515 appendix F) or a lost one
    p = only(r.problems, "token.empty-segment")
    assert (p.segment, p.level) == ("payload", "warning") and "detached" in p.message


def test_invalid_character_names_segment_position_and_char():
    payload = part(PAYLOAD)
    broken = payload[:17] + "!" + payload[17:]
    r = decode_token(f"{part(HS)}.{broken}.c2ln")
    p = only(r.problems, "base64url.invalid-char")
    assert (p.segment, p.position, p.level) == ("payload", 17, "error")
    assert p.message.startswith("Payload, character 18: '!'")
    assert r.payload == PAYLOAD  # the stray character is skipped and the rest decodes
    assert r.segments[1].decoded_length is None  # not an exact decoding


@pytest.mark.parametrize("char,words", [
    (" ", "a space"), ("\u200b", "U+200B ZERO WIDTH SPACE"), ('"', "'\"'"), ("\\", "'\\'"),
    ("\u2026", "HORIZONTAL ELLIPSIS"), ("%", "'%'"), ("=", "not at the end"),
])
def test_invalid_characters_are_named_with_a_fix(char, words):
    header = part(HS)
    r = decode_token(header[:5] + char + header[5:] + "." + part(PAYLOAD) + ".c2ln")
    p = only(r.problems, "base64url.invalid-char")
    assert p.segment == "header" and p.position == 5
    assert words in p.message and "character 6" in p.message
    assert p.fix
    assert r.header == HS


def test_many_invalid_characters_are_summed_up():
    header = part(HS)
    junk = "".join(f"{c}!" for c in header)
    r = decode_token(junk + "." + part(PAYLOAD) + ".c2ln")
    found = [p for p in r.problems if p.code == "base64url.invalid-char"]
    assert len(found) == 6  # five one by one, then "N more"
    assert f"{len(header) - 5} more characters" in found[-1].message


def test_standard_alphabet():
    raw = b'{"sub":">>>???"}'
    std = base64.b64encode(raw).decode()
    assert "+" in std or "/" in std
    r = decode_token(f"{part(HS)}.{std}.c2ln")
    p = only(r.problems, "base64url.standard-alphabet")
    first = min(i for i in (std.find("+"), std.find("/")) if i >= 0)
    assert (p.segment, p.position) == ("payload", first)
    assert f"Payload, character {first + 1}: '{std[first]}' is not allowed in base64url" in p.message
    assert "replace '+' with '-' and '/' with '_'" in p.fix
    assert r.payload == {"sub": ">>>???"}  # decoded exactly as standard base64


def test_padding_is_tolerated_with_a_warning():
    padded = base64.urlsafe_b64encode(json.dumps(PAYLOAD).encode() + b" ").decode()
    assert padded.endswith("=")
    r = decode_token(f"{part(HS)}.{padded}.c2ln")
    p = only(r.problems, "base64url.padding")
    assert p.level == "warning" and p.segment == "payload" and p.position == len(padded.rstrip("="))
    assert r.payload == PAYLOAD


def test_impossible_length():
    payload = part(PAYLOAD)
    if len(payload) % 4 == 1:
        payload = payload[:-1]
    broken = payload + "A" * ((1 - len(payload)) % 4)
    assert len(broken) % 4 == 1
    r = decode_token(f"{part(HS)}.{broken}.c2ln")
    p = only(r.problems, "base64url.impossible-length")
    assert p.segment == "payload" and f"{len(broken)} base64url characters" in p.message
    assert r.header == HS


def test_non_canonical_trailing_bits():
    canonical = b64url(b"ab")  # "YWI": 3 characters, the last carries 2 unused bits
    assert canonical == "YWI"
    r = decode_token(f"{part(HS)}.{part(PAYLOAD)}.YWJ")  # 'J' sets an unused bit: same bytes
    p = only(r.problems, "base64url.non-canonical")
    assert (p.segment, p.position, p.level) == ("signature", 2, "warning")
    assert r.segments[2].decoded_length == 2


def test_invalid_utf8_reports_byte_offset_and_still_shows_text():
    raw = b'{"sub":"ab\xff\xfecd"}'
    r = decode_token(f"{part(HS)}.{b64url(raw)}.c2ln")
    p = only(r.problems, "utf8.invalid")
    assert p.segment == "payload" and "byte offset 10" in p.message and "0xff" in p.message
    assert r.payload == {"sub": "ab\ufffd\ufffdcd"}
    assert "\ufffd" in r.payload_text


def test_json_syntax_error_has_line_and_column():
    r = decode_token(part(HS) + "." + part('{\n  "sub": "a",\n}') + ".c2ln")
    p = only(r.problems, "json.syntax")
    # Python's json names the trailing comma itself from 3.13 on (the page's Python): line 2 column 13; before,
    # the brace after it: line 3 column 1.
    where = (2, 13) if "trailing comma" in p.message else (3, 1)
    assert (p.segment, p.line, p.column, p.level) == ("payload", *where, "error")
    assert f"line {where[0]}, column {where[1]}" in p.message
    assert r.payload is None and r.payload_text.startswith("{")
    assert r.header == HS  # a broken payload still shows the header


def test_broken_header_still_shows_payload():
    r = decode_token(part('{"alg":"HS256"') + "." + part(PAYLOAD) + ".c2ln")
    p = only(r.problems, "json.syntax")
    assert p.segment == "header"
    assert r.header is None and r.header_text == '{"alg":"HS256"'
    assert r.payload == PAYLOAD


def test_non_json_payload_is_kept_as_text():
    r = decode_token(f"{part(HS)}.{part('hello, world')}.c2ln")
    p = only(r.problems, "json.syntax")
    assert p.level == "warning" and "shown as text" in p.message
    assert (r.payload, r.payload_text) == (None, "hello, world")


@pytest.mark.parametrize("value,what", [([1, 2], "an array"), ("text", "a string"), (42, "a number"),
                                        (None, "null"), (True, "a boolean")])
def test_json_that_is_not_an_object(value, what):
    r = decode_token(f"{part(HS)}.{part(json.dumps(value))}.c2ln")
    p = only(r.problems, "json.not-object")
    assert p.segment == "payload" and what in p.message
    assert r.payload == value


def test_duplicate_members_last_wins_like_pyjwt():
    text = '{"sub":"first","admin":false,"admin":true}'
    token = f"{part(HS)}.{part(text)}.c2ln"
    r = decode_token(token)
    p = only(r.problems, "json.duplicate-member")
    assert '"admin"' in p.message and p.segment == "payload"
    assert r.payload == {"sub": "first", "admin": True}
    assert r.payload == jwt.decode(token, options={"verify_signature": False})


def test_huge_number_is_kept_as_digits_and_never_crashes():
    digits = "9" * 5000
    r = decode_token(part(HS) + "." + part('{"n": ' + digits + ', "m": -' + digits + ', "f": 1e999}') + ".c2ln")
    found = [p for p in r.problems if p.code == "json.number-too-large"]
    assert len(found) == 3 and all(p.segment == "payload" for p in found)
    assert r.payload["n"] == digits and isinstance(r.payload["n"], HugeNumber)
    assert r.payload["m"] == "-" + digits and r.payload["f"] == "1e999"
    json.loads(Report("token", 0.0, token=r).to_json())  # the report stays valid JSON


def test_huge_numbers_in_big_documents():
    text = "[" + ",".join(["1" * 4400] * 3 + ["2"] * 1000) + "]"
    value, ok, problems = parse_json(text, "payload", "Payload")
    assert ok and value[0] == "1" * 4400 and value[-1] == 2
    assert codes(problems) == ["json.number-too-large"] * 3


def test_non_standard_constants():
    r = decode_token(part(HS) + "." + part('{"x": NaN, "y": -Infinity}') + ".c2ln")
    found = [p for p in r.problems if p.code == "json.non-standard-constant"]
    assert len(found) == 2
    assert r.payload == {"x": "NaN", "y": "-Infinity"}
    json.loads(Report("token", 0.0, token=r).to_json())


@pytest.mark.parametrize("text", ["[" * 100_000, "{\"a\":" * 50_000, "[" * 201 + "]" * 201])
def test_deep_nesting_is_reported_not_parsed(text):
    r = decode_token(f"{part(HS)}.{part(text)}.c2ln")
    p = only(r.problems, "json.too-deep")
    assert p.segment == "payload" and p.line == 1 and p.column is not None and "200" in p.message
    assert r.payload is None and r.header == HS


def test_nesting_check_ignores_brackets_in_strings_and_allows_200_levels():
    assert nesting_too_deep(json.dumps(["[" * 1000, {"a": "{" * 1000}])) is None
    assert nesting_too_deep("[" * 200 + "]" * 200) is None
    assert nesting_too_deep("[" * 201 + "]" * 201) == 200
    shallow_but_long = json.dumps([{"a": [i]} for i in range(5000)])
    assert nesting_too_deep(shallow_but_long) is None
    assert nesting_too_deep(shallow_but_long[:-1] + ", " + "[" * 300 + "]" * 300 + "]") is not None


def test_alg_missing_and_not_a_string():
    r = decode_token(make_token({"typ": "JWT"}, PAYLOAD))
    assert only(r.problems, "header.alg-missing").segment == "header"
    r = decode_token(make_token({"alg": 256}, PAYLOAD))
    assert "a number" in only(r.problems, "header.alg-type").message


def test_unsecured_alg_none():
    r = decode_token(make_token({"alg": "none"}, PAYLOAD, ""))
    p = only(r.problems, "jws.unsecured")
    assert p.segment == "signature" and p.level == "warning" and '"none"' in p.message
    assert r.payload == PAYLOAD


def test_unsecured_alg_none_with_signature_and_odd_case():
    r = decode_token(make_token({"alg": "NoNe"}, PAYLOAD, b"x"))
    assert "not empty" in only(r.problems, "jws.unsecured").message


def test_empty_signature_with_real_alg_is_flagged():
    r = decode_token(make_token(HS, PAYLOAD, ""))
    p = only(r.problems, "jws.unsecured")
    assert "HS256" in p.message and "stripped" in p.message


def test_jwe_header_is_decoded_ciphertext_is_not():
    token = make_jwe({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "enc-1"})
    r = decode_token(token)
    assert r.kind == "JWE"
    assert r.header == {"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "enc-1"}
    assert r.payload is None and r.payload_text is None
    assert [s.name for s in r.segments] == ["header", "encrypted_key", "iv", "ciphertext", "tag"]
    assert [s.decoded_length for s in r.segments[1:]] == [32, 12, 40, 16]
    p = only(r.problems, "jwe.encrypted")
    assert "RSA-OAEP-256" in p.message and "A256GCM" in p.message
    assert codes(r.problems) == ["jwe.encrypted"]


def test_jwe_with_empty_ciphertext():
    r = decode_token(make_jwe({"alg": "dir", "enc": "A128GCM"}, encrypted_key=b"", ciphertext=b""))
    p = only(r.problems, "token.empty-segment")
    assert p.segment == "ciphertext" and p.level == "error"


def test_unencoded_payload_rfc7797():
    header = {"alg": "HS256", "b64": False, "crit": ["b64"]}
    r = decode_token(f"{part(header)}.$raw payload!.c2ln")
    assert r.payload_text == "$raw payload!" and r.payload is None
    assert not [p for p in r.problems if p.segment == "payload"]


def test_hostile_values_stay_data():
    hostile = "<img src=x onerror=alert(1)>"
    r = decode_token(make_token({"alg": "HS256", "kid": hostile}, {hostile: hostile}))
    assert r.header["kid"] == hostile and r.payload == {hostile: hostile}


def test_one_megabyte_token_decodes():
    payload = {"sub": "x", "blob": "A" * 750_000}
    token = make_token(HS, payload)
    assert len(token) > 1_000_000
    r = decode_token(token)
    assert r.problems == [] and r.payload == payload
