"""One fact, one home: the places that used to keep their own copy of a fact now read it from one module, and the
parts of a Report that speak of the same fact agree.

Each disagreement that was seen between copies has a test here, and the single-source rules are pinned: every
algorithm has one jwa row, base64url is decoded in one module, times are read in one function.
"""

from __future__ import annotations

import re
from pathlib import Path

import jwt
import pytest

import jwtlens
from helpers import NOW
from jwtlens import algorithms, jwa, rules, timeline, times
from jwtlens.lint import RULE_IDS

PY = Path(__file__).resolve().parent.parent / "py" / "jwtlens"
SECRET = "s" * 32


def _inspect(payload: dict, **options) -> jwtlens.Report:
    return jwtlens.inspect(jwt.encode(payload, SECRET, algorithm="HS256"), SECRET, now=NOW, **options)


def test_one_wording_of_relative_time_everywhere() -> None:
    """Regression: the claim check said "in 3 years" while the validity line said "in 3 years 62 days"."""
    exp = NOW + 3 * 365 * 86400 + 62 * 86400
    report = _inspect({"sub": "a", "exp": exp})
    words = times.relative(exp - NOW)
    assert words == "in 3 years 62 days"
    token = report.token
    assert words in token.validity.message
    assert words in next(c.message for c in token.signature.checks if c.claim == "exp")
    assert next(c.time for c in token.claims if c.name == "exp").relative == words
    line = timeline.build_timeline(token, report.now)
    assert next(p.relative for p in line.points if "exp" in p.names) == words


@pytest.mark.parametrize("value", ["1800000000", 1e20, -9e18, 1e300, 2**4096, True, None, [1]])
def test_an_unusable_time_is_unusable_everywhere(value: object) -> None:
    """One reading of a NumericDate: the status, the claim check, the claims table, the review and the timeline
    agree that the value is not a time (and a correct signature stays valid)."""
    report = _inspect({"sub": "a", "iat": NOW - 60, "exp": value})
    token = report.token
    assert report.status == "malformed"
    assert token.signature.verified == "valid"
    assert next(c for c in token.signature.checks if c.claim == "exp").ok is False
    assert next(c for c in token.claims if c.name == "exp").time is None
    assert not any(p.code == "internal.error" for p in token.problems)
    assert not {"claims.long-lifetime", "claims.no-exp", "lint.internal-error"} & {f.rule for f in token.findings}
    line = timeline.build_timeline(token, report.now)
    assert line is not None and not any("exp" in p.names for p in line.points)


@pytest.mark.parametrize(("payload", "status", "failing"), [
    ({"exp": NOW + 0.5}, "valid", set()),
    ({"exp": NOW}, "expired", {"exp"}),
    ({"nbf": NOW + 0.5}, "not-yet-valid", {"nbf"}),
    ({"iat": NOW + 10, "exp": NOW + 600}, "not-yet-valid", {"iat"}),
    ({"exp": NOW - 30}, "valid", set()),  # with the leeway below
])
def test_one_status_and_the_checks_say_the_same(payload: dict, status: str, failing: set[str]) -> None:
    leeway = 60 if payload == {"exp": NOW - 30} else 0
    report = _inspect(payload, leeway=leeway)
    assert report.status == status
    assert {c.claim for c in report.token.signature.checks if not c.ok} == failing


def test_every_jws_algorithm_has_one_row_and_one_implementation() -> None:
    rows = {name for name in jwa.JWS_ALGS if name != "none"}
    assert set(algorithms.ALGORITHMS) == rows
    assert set(algorithms.pyjws.get_algorithms()) == rows  # what PyJWT registers on our instance
    for name, alg in algorithms.ALGORITHMS.items():
        row = jwa.ALGS[name]
        assert alg.row is row and alg.name == name
        if row.hash:
            assert alg.hash_name == row.hash


def test_registered_names_come_from_the_table() -> None:
    for name in jwa.JWS_ALGS - {"none"}:
        report = jwtlens.inspect(jwt.encode({"a": 1}, "k" * 64, algorithm="HS256").replace(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", jwtlens_header(name)), now=NOW)
        assert "alg.unregistered" not in {f.rule for f in report.token.findings}, name
    unknown = jwtlens.inspect(jwt.encode({"a": 1}, "k" * 64, algorithm="HS256").replace(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", jwtlens_header("HS999")), now=NOW)
    assert "alg.unregistered" in {f.rule for f in unknown.token.findings}


def jwtlens_header(alg: str) -> str:
    from jwtlens import b64url

    return b64url.encode(f'{{"alg":"{alg}","typ":"JWT"}}'.encode())


def test_base64url_is_decoded_in_one_module() -> None:
    """b64url.py is the one strict decoder; segments.py keeps only its forensic scan and calls b64url too."""
    users = sorted(p.relative_to(PY).as_posix() for p in PY.rglob("*.py")
                   if re.search(r"urlsafe_b64(de|en)code|base64url_(de|en)code", p.read_text())
                   and p.name != "b64url.py")
    assert users == [], users


def test_numericdates_are_read_in_one_function() -> None:
    """No module but times.py decides what a usable time is (math.isfinite on a claim, ranges, gmtime)."""
    for path in PY.rglob("*.py"):
        if path.name == "times.py":
            continue
        text = path.read_text()
        assert "time.gmtime" not in text and "MAX_TIME" not in text, path.name


def test_rule_table_and_review_agree() -> None:
    assert RULE_IDS == tuple(rules.RULES)
    for (rule_id, _), row in rules.VARIANTS.items():
        assert row.id == rule_id and rule_id in rules.RULES
