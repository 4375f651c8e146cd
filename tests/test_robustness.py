"""No input kills, freezes or misleads: the audit's reproducers as regression tests, the stated limits, and a growth
check per stage (four times the input may cost at most about four times the work).

Growth is judged by comparing two timings in the same run with a wide margin (linear work gives a ratio near 4,
quadratic near 16; the bound is 8), the best of three each: never an absolute time. These tests also run inside
Pyodide (build.py pyodide-test), where a recursion or stack difference like the deep-JSON crash would show.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import random
import time
from collections.abc import Callable

import pytest

import jwtlens
from helpers import NOW, b64url, make_token
from jwtlens import confusables, extract, jwe, keys, pipeline, rsa, segments
from jwtlens.cli import main

SECRET = b"s" * 32
GROWTH_BOUND = 8.0  # for 4x the input: linear work gives ~4, quadratic ~16


def hs256(header: dict, payload: object, secret: bytes = SECRET) -> str:
    body = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    signing_input = b64url(json.dumps(header)) + "." + b64url(body)
    return signing_input + "." + b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def best_time(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return max(best, 1e-4)


def growth(make: Callable[[int], str], run: Callable[[str], object], n: int) -> float:
    small, large = make(n), make(4 * n)
    return best_time(lambda: run(large)) / best_time(lambda: run(small))


# -- the audit's reproducers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["[" * 7000, '{"a":' * 50000, '{"keys":' + "[" * 5000])
def test_deep_json_in_the_key_box_is_a_problem(key: str) -> None:
    report = jwtlens.inspect(hs256({"alg": "HS256"}, {"sub": "a"}), key, now=NOW)
    sig = report.token.signature
    assert sig.verified == "error" and "nests deeper" in sig.message
    assert [p.code for p in sig.problems] == ["key.json-invalid"]


def test_unterminated_escaped_string_is_linear() -> None:
    def make(n: int) -> str:
        return b64url('{"alg":"HS256"}') + "." + b64url("{" * 201 + '"' + '\\"' * n) + ".c2ln"

    assert growth(make, segments.decode_token, 5000) < GROWTH_BOUND
    assert growth(lambda n: "[" * 201 + '"' + '\\"' * n, jwtlens.inspect, 5000) < GROWTH_BOUND
    problems = segments.decode_token(make(20000)).problems
    assert "json.too-deep" in [p.code for p in problems]


def test_pem_without_end_lines_is_linear() -> None:
    assert growth(lambda n: "-----BEGIN A-----" * n, keys.load_key, 2000) < GROWTH_BOUND
    box = keys.load_key("-----BEGIN A-----" * 8000)
    assert [p.code for p in box.problems] == ["key.pem-invalid"]
    many = keys.load_key("-----BEGIN PUBLIC KEY-----\n" * 3000 + "-----END PUBLIC KEY-----")
    assert not many.keys and many.problems


def _rsa_jwk(n: int, e: int) -> str:
    return json.dumps({"kty": "RSA", "n": b64url(n.to_bytes((n.bit_length() + 7) // 8, "big")),
                       "e": b64url(e.to_bytes((e.bit_length() + 7) // 8, "big"))})


def test_rsa_exponent_and_modulus_are_bounded() -> None:
    n = (1 << 16383) | 1 | (1 << 8000)
    huge_e = _rsa_jwk(n, n - 2)
    token = make_token({"alg": "RS256"}, {"sub": "a"}, b"\x01" * (16384 // 8))
    sig = jwtlens.inspect(token, huge_e, now=NOW).token.signature
    assert sig.verified == "error" and "exponent" in sig.message and "65537" in sig.message
    too_big = _rsa_jwk((1 << (rsa.MAX_MODULUS_BITS + 8)) | 1, 65537)
    sig = jwtlens.inspect(token, too_big, now=NOW).token.signature
    assert sig.verified == "error" and "larger than any real key" in sig.message


def test_a_large_key_set_without_the_tokens_kid_stays_bounded() -> None:
    import jwt
    ec = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ec")

    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()))
    def jwks(n: int) -> str:
        return json.dumps({"keys": [dict(jwk, kid=f"k{i}") for i in range(n)]})

    token = make_token({"alg": "ES256", "kid": "nope"}, {"sub": "a"}, b"\x01" * 64)
    sig = jwtlens.inspect(token, jwks(3000), now=NOW).token.signature
    assert sig.verified == "invalid" and "Only the first 64" in sig.message
    assert len(sig.tried) <= keys.jwk.MAX_SET_MEMBERS
    assert any("3,000 keys" in p.message for p in sig.problems)
    assert growth(jwks, lambda text: jwtlens.inspect(token, text, now=NOW), 250) < GROWTH_BOUND


@pytest.mark.parametrize("exp", [2**4096, 1e20, -1e20, 1e300, -9e18])
def test_times_out_of_range_do_not_break_a_valid_signature(exp: float) -> None:
    report = jwtlens.inspect(hs256({"alg": "HS256"}, {"sub": "1", "exp": exp}), SECRET.decode(), now=NOW)
    assert report.token.signature.verified == "valid"
    assert report.status == "malformed"
    assert not [p for p in report.token.problems if p.code == "internal.error"]


def test_1e400_is_a_huge_number_not_a_key_problem() -> None:
    report = jwtlens.inspect(hs256({"alg": "HS256"}, '{"sub":"1","exp":1e400}'), None, now=NOW)
    assert report.token.signature.verified == "unchecked"
    assert "json.number-too-large" in [p.code for p in report.token.problems]


def test_cli_prints_lone_surrogates_and_rejects_non_finite_options(capsys, monkeypatch) -> None:
    token = hs256({"alg": "HS256"}, '{"sub":"\\ud800"}')
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr("sys.stdout", out)
    assert main([token, "--no-weak", "--now", str(NOW)]) == 0
    assert main([token, "--json", "--no-weak", "--now", str(NOW)]) == 0
    out.flush()
    assert b"\\ud800" in out.buffer.getvalue()
    monkeypatch.undo()
    for args in (["--now", "nan"], ["--now", "inf"], ["--leeway", "inf"], ["--leeway", "-5"]):
        with pytest.raises(SystemExit) as exc:
            main([token, *args])
        assert exc.value.code == 2
    assert "finite" in capsys.readouterr().err


def test_invisible_and_mixed_script_characters_are_flagged() -> None:
    token = hs256({"alg": "HS256", "kid": "k\u200d1"},
                  {"sub": "ad\u200bmin", "file": "\u202egnp.exe", "role": "\u0430dmin", "name": "Zoë Ünal"})
    found = {f.rule: f for f in jwtlens.inspect(token, now=NOW).token.findings}
    invisible = found["text.invisible"]
    assert "U+200B ZERO WIDTH SPACE" in invisible.risk and "U+202E RIGHT-TO-LEFT OVERRIDE" in invisible.risk
    assert "payload.sub" in invisible.risk and "header.kid" in invisible.risk
    assert "Cyrillic" in found["text.mixed-script"].title and "payload.role" in found["text.mixed-script"].risk
    clean = hs256({"alg": "HS256"}, {"sub": "admin", "name": "Zoë Ünal", "city": "Москва"})
    assert not {"text.invisible", "text.mixed-script"} & {f.rule for f in jwtlens.inspect(clean).token.findings}
    assert confusables.is_invisible("\u2066") and not confusables.is_invisible("é")


# -- limits -----------------------------------------------------------------------------------------------------


def test_input_and_key_box_sizes_are_bounded() -> None:
    big = "a" * (pipeline.MAX_INPUT_CHARS + 1)
    report = jwtlens.inspect(big)
    assert [p.code for p in report.problems] == ["input.too-large"] and report.token is None
    sig = jwtlens.inspect(hs256({"alg": "HS256"}, {"sub": "a"}), big, now=NOW).token.signature
    assert sig.verified == "error" and "at most" in sig.message


def test_extract_and_decode_grow_linearly() -> None:
    token = hs256({"alg": "HS256"}, {"sub": "a"})
    assert growth(lambda n: f"log line {token}\n" * n, extract.find_candidates, 50) < GROWTH_BOUND
    assert growth(lambda n: make_token({"alg": "HS256"}, {"blob": "x" * n}), jwtlens.inspect, 20000) < GROWTH_BOUND
    assert growth(lambda n: make_token({"alg": "HS256"}, {f"c{i}": i for i in range(n)}), jwtlens.inspect,
                  2000) < GROWTH_BOUND
    junk = base64.b64encode(b"\xff" * 3).decode()
    assert growth(lambda n: "eyJhbGciOiJIUzI1NiJ9." + (junk + "!") * n + ".c2ln", jwtlens.inspect,
                  5000) < GROWTH_BOUND


def test_jwe_decryption_grows_linearly_and_a_bomb_stops_at_the_limit() -> None:
    secret = "00112233445566778899aabbccddeeff"

    def make(n: int) -> str:  # base64 of random bytes: DEFLATE shrinks it by a quarter, not more
        blob = base64.b64encode(random.Random(n).randbytes(n)).decode()
        return jwe.encrypt({"sub": "a", "blob": blob}, secret, "A128KW", "A128GCM", zip=True)

    assert growth(make, lambda token: jwe.decrypt(token, secret), 12_000) < GROWTH_BOUND
    large = jwe.decrypt(make(200_000), secret)
    assert large.decrypted == "decrypted" and large.size > 260_000
    bomb = jwe.encrypt(b"\x00" * (4 * jwe.MAX_INFLATED_BYTES), secret, "A128KW", "A128GCM", zip=True)
    just_fits = jwe.encrypt(b"\x00" * jwe.MAX_INFLATED_BYTES, secret, "A128KW", "A128GCM", zip=True)
    refused = jwtlens.inspect(bomb, secret, now=NOW).token.encryption
    assert refused.decrypted == "failed" and [p.code for p in refused.problems] == ["jwe.zip-too-large"]
    # the refusal costs about one limit's worth of inflating, not the bomb's full size
    fits_time = best_time(lambda: jwe.decrypt(just_fits, secret))
    assert best_time(lambda: jwe.decrypt(bomb, secret)) < GROWTH_BOUND * fits_time
