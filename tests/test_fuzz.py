"""Property-based fuzzing: whatever is pasted into the token box or the key box, ``inspect`` returns a Report, no
exception escapes, and no stage reports an internal error (an internal error is a bug).

Inputs: random text, random bytes, valid tokens with mutations (a character changed, inserted or removed, segments
dropped or repeated), random JSON as header and payload (deep, wide, huge numbers, lone surrogates, odd types), and
the same kinds of text in the key box against a token. The budget is JWTLENS_FUZZ_EXAMPLES per property (smaller
inside Pyodide, where build.py pyodide-test sets it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jwtlens
from helpers import NOW, b64url
from jwtlens import jwa, jwe

EXAMPLES = int(os.environ.get("JWTLENS_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BASE = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5"
        "MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
KEY = "your-256-bit-secret"

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
    st.sampled_from(["\ud800", "\u202e", "\u200b", "1e400", "-0", "NaN"]),
)
json_values = st.recursive(
    json_leaf,
    lambda children: st.lists(children, max_size=6) | st.dictionaries(
        st.one_of(st.text(max_size=8), st.sampled_from(["exp", "nbf", "iat", "alg", "kid", "jku", "crit", "aud"])),
        children, max_size=6),
    max_leaves=40,
)


def _clean(report: jwtlens.Report) -> None:
    problems = list(report.problems)
    token = report.token
    while token is not None:  # a nested JWT too
        problems += token.problems + token.signature.problems
        problems += token.encryption.problems if token.encryption is not None else []
        assert not [f for f in token.findings if f.rule == "lint.internal-error"], token.findings
        token = token.inner
    assert not [p for p in problems if p.code == "internal.error"], [p.message for p in problems]
    report.to_json()


def _encode(value: object) -> str:
    return b64url(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    _clean(jwtlens.inspect(text, now=NOW))


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _clean(jwtlens.inspect(data, now=NOW))
    _clean(jwtlens.inspect(data.decode("latin-1"), now=NOW))


def _mutate(data: st.DataObject, token: str, chars: st.SearchStrategy[str],
            segments: Callable[[list[str]], st.SearchStrategy[list[str]]], edits: int = 4) -> str:
    """Up to ``edits`` edits: a character changed (to one of ``chars``), inserted or deleted, or the segments
    redone (``segments`` draws the new list from the old)."""
    for _ in range(data.draw(st.integers(1, edits))):
        op = data.draw(st.sampled_from(["change", "insert", "delete", "segments"]))
        at = data.draw(st.integers(0, len(token)))
        if op == "change" and at < len(token):
            token = token[:at] + data.draw(chars) + token[at + 1:]
        elif op == "insert":
            token = token[:at] + data.draw(st.text(max_size=3)) + token[at:]
        elif op == "delete":
            token = token[:at] + token[at + data.draw(st.integers(1, 5)):]
        else:
            token = ".".join(data.draw(segments(token.split("."))))
    return token


@SETTINGS
@given(st.data())
def test_mutated_tokens(data: st.DataObject) -> None:
    token = _mutate(data, BASE, st.characters(), lambda parts: st.lists(st.sampled_from(parts), max_size=6))
    _clean(jwtlens.inspect(token, KEY, now=NOW))


@SETTINGS
@given(json_values, json_values, st.sampled_from(["", "c2ln", "x" * 43, "_" * 86]))
def test_random_json_header_and_payload(header: object, payload: object, signature: str) -> None:
    token = f"{_encode(header)}.{_encode(payload)}.{signature}"
    _clean(jwtlens.inspect(token, now=NOW))
    _clean(jwtlens.inspect(token, KEY, now=NOW, issuer="x", audience="y", leeway=30))


@SETTINGS
@given(st.one_of(st.text(max_size=300), json_values.map(lambda v: json.dumps(v, ensure_ascii=False)),
                 st.sampled_from(["-----BEGIN PUBLIC KEY-----", "[" * 300, '{"kty":"RSA","n":"AQAB","e":"AQAB"}',
                                  '{"keys":[1,2,{"kty":"EC"}]}', "-----BEGIN CERTIFICATE-----\nMIIB\n"])))
def test_anything_in_the_key_box(key: str) -> None:
    for token in (BASE, BASE.replace("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", _encode({"alg": "RS256"}))):
        _clean(jwtlens.inspect(token, key, now=NOW))
        for fmt in ("text", "hex", "base64", "base64url"):
            _clean(jwtlens.inspect(token, key, now=NOW, secret_format=fmt))


# -- JWE ----------------------------------------------------------------------------------------------------------

JWE_SECRET = "00112233445566778899aabbccddeeff"
JWE_BASE = jwe.encrypt({"sub": "a", "exp": NOW + 60}, JWE_SECRET, "A128KW", "A128GCM", zip=True)
JWE_KEYS = (JWE_SECRET, "ff" * 16, "a password", '{"kty":"OKP","crv":"X25519","x":"' + "A" * 43 + '"}',
            '{"kty":"oct","k":"' + "A" * 22 + '","use":"sig"}')
segment_bytes = st.binary(max_size=80).map(lambda b: b64url(b) if b else "")


@SETTINGS
@given(st.data())
def test_mutated_jwe(data: st.DataObject) -> None:
    def one_segment_redone(parts: list[str]) -> st.SearchStrategy[list[str]]:
        return st.tuples(st.integers(0, len(parts) - 1), segment_bytes).map(
            lambda change: [change[1] if i == change[0] else p for i, p in enumerate(parts)])

    token = _mutate(data, JWE_BASE, st.sampled_from("AQgw_-.=+/ "), one_segment_redone, edits=3)
    _clean(jwtlens.inspect(token, now=NOW))
    _clean(jwtlens.inspect(token, data.draw(st.sampled_from(JWE_KEYS)), now=NOW))


@SETTINGS
@given(json_values, st.sampled_from(sorted(jwa.JWE_ALGS) + ["HS256", "none", None]),
       st.sampled_from(sorted(jwa.JWE_ENCS) + ["A512GCM", None]), st.lists(segment_bytes, min_size=4, max_size=4),
       st.sampled_from(JWE_KEYS))
def test_random_jwe_headers(extra: object, alg: str | None, enc: str | None, segments: list[str], key: str) -> None:
    header = dict(extra) if isinstance(extra, dict) else {}
    header.update({k: v for k, v in (("alg", alg), ("enc", enc)) if v is not None})
    if alg is not None and alg.startswith("PBES2"):
        header.setdefault("p2c", 1000)  # a fuzzer need not run PBKDF2 a million times to find nothing
    token = ".".join([_encode(header), *segments])
    _clean(jwtlens.inspect(token, now=NOW))
    _clean(jwtlens.inspect(token, key, now=NOW, inner_key=key))
