"""Claims, header parameters, times and the validity verdict (jwtlens.claims, jwtlens.descriptions)."""

from __future__ import annotations

import time

import jwt
import pytest

from helpers import HS, NOW, make_jwe, make_token, only, part
from jwtlens import descriptions
from jwtlens.claims import describe
from jwtlens.segments import decode_token
from jwtlens.times import long_duration, relative, short_duration, utc_text


def described(token: str, now: float = NOW, leeway: float = 0.0):
    r = decode_token(token)
    describe(r, now, leeway)
    return r


def claim(r, name):
    return next(c for c in r.claims if c.name == name)


# -- descriptions ------------------------------------------------------------------------------------------------

REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]
HEADER = ["alg", "typ", "cty", "kid", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit", "enc", "zip", "epk",
          "apu", "apv", "iv", "tag", "p2s", "p2c", "b64"]
OIDC = ["sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
        "picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
        "phone_number_verified", "address", "updated_at", "auth_time", "nonce", "acr", "amr", "azp", "at_hash",
        "c_hash", "sid"]
RFC9068 = ["client_id", "scope", "auth_time", "acr", "amr", "groups", "roles", "entitlements"]
RFC8693_7800 = ["act", "may_act", "scope", "client_id", "cnf"]
ENTRA = ["oid", "tid", "upn", "scp", "roles", "wids", "ver", "azp", "azpacr", "appid", "appidacr", "idp", "ipaddr",
         "unique_name", "name", "preferred_username", "uti", "rh", "aio", "xms_cc", "xms_anything_new"]


@pytest.mark.parametrize("names,spec", [(REGISTERED, "RFC 7519"), (OIDC, None), (RFC9068, None),
                                        (RFC8693_7800, None)])
def test_every_standard_claim_is_described(names, spec):
    for name in names:
        entry = descriptions.claim(name)
        assert entry, name
        text, where = entry
        assert text.endswith(".") and len(text) < 120 and where
        if spec:
            assert spec in where


def test_claim_families_name_their_spec():
    assert "OpenID Connect" in descriptions.claim("email")[1]
    assert "9068" in descriptions.claim("client_id")[1]
    assert "8693" in descriptions.claim("act")[1]
    assert "7800" in descriptions.claim("cnf")[1]


def test_every_entra_claim_is_described():
    for name in ENTRA:
        entry = descriptions.claim(name, entra=True)
        assert entry and "Entra" in entry[1], name
    # Entra-only names are found for any issuer
    assert "Entra" in descriptions.claim("oid")[1]


def test_every_header_parameter_is_described():
    for name in HEADER:
        text, spec = descriptions.header_param(name)
        assert text.endswith(".") and spec.startswith("RFC")
    assert "7797" in descriptions.header_param("b64")[1]


def test_header_and_payload_tables_are_separate():
    r = described(make_token({"alg": "HS256", "typ": "JWT", "x-custom": 1}, {"typ": "Bearer", "sub": "a", "foo": 2}))
    typ_header = next(c for c in r.header_params if c.name == "typ")
    assert typ_header.where == "header" and "7515" in typ_header.spec
    assert claim(r, "typ").description is None  # payload typ is not a registered claim
    assert claim(r, "foo").description is None and claim(r, "foo").value == 2  # unknown claims shown plainly
    assert next(c for c in r.header_params if c.name == "x-custom").description is None
    assert [c.name for c in r.header_params] == ["alg", "typ", "x-custom"]
    assert [c.name for c in r.claims] == ["typ", "sub", "foo"]  # token order


def test_entra_tokens_prefer_entra_meanings():
    entra = {"iss": "https://login.microsoftonline.com/tid/v2.0", "azp": "client", "oid": "o"}
    r = described(make_token({"alg": "RS256", "kid": "k"}, entra))
    assert "Entra" in claim(r, "azp").spec
    r = described(make_token({"alg": "RS256"}, {"iss": "https://accounts.example", "azp": "client"}))
    assert "OpenID" in claim(r, "azp").spec


# -- times in words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds,text", [
    (0, "0 s"), (45, "45 s"), (240, "4 min"), (250, "4 min 10 s"), (2700, "45 min"), (7500, "2 h 5 min"),
    (12 * 3600 + 60, "12 h"), (3 * 86400, "3 days"), (3 * 86400 + 4 * 3600, "3 days 4 h"), (30 * 86400, "30 days"),
    (400 * 86400, "1 year 35 days"),
])
def test_short_durations(seconds, text):
    assert short_duration(seconds) == text


@pytest.mark.parametrize("seconds,text", [(3600, "1 hour"), (30 * 86400, "30 days"), (5400, "1 hour 30 minutes"),
                                          (300, "5 minutes"), (90, "1 minute 30 seconds"), (1, "1 second")])
def test_long_durations(seconds, text):
    assert long_duration(seconds) == text


def test_relative_times():
    assert relative(240) == "in 4 min"
    assert relative(-3 * 86400) == "3 days ago"
    assert relative(-7500) == "2 h 5 min ago"
    assert relative(0.4) == "now"


def test_utc_text():
    assert utc_text(0) == "1970-01-01T00:00:00Z"
    assert utc_text(NOW) == "2027-01-15T08:00:00Z"
    assert utc_text(1.5) == "1970-01-01T00:00:01.5Z"
    assert utc_text(253402300799) == "9999-12-31T23:59:59Z"
    assert utc_text(-86400) == "1969-12-31T00:00:00Z"


@pytest.mark.parametrize("name", ["exp", "nbf", "iat", "auth_time", "updated_at"])
def test_time_claims_carry_time_info(name):
    r = described(make_token(HS, {name: NOW - 3 * 86400}))
    t = claim(r, name).time
    assert (t.epoch, t.utc, t.relative, t.delta) == (NOW - 3 * 86400, "2027-01-12T08:00:00Z", "3 days ago",
                                                    -3 * 86400)


# -- validity ----------------------------------------------------------------------------------------------------


def status(payload, now=NOW, leeway=0.0, header=HS, signature=b"sig"):
    r = described(make_token(header, payload, signature), now, leeway)
    return r.validity.status, r.validity.message


def test_valid():
    s, message = status({"exp": NOW + 240, "iat": NOW - 60})
    assert s == "valid" and message == "Valid: expires in 4 min (2027-01-15T08:04:00Z)."


def test_expired():
    s, message = status({"exp": NOW - 3 * 86400})
    assert s == "expired" and message == "Expired 3 days ago (exp 2027-01-12T08:00:00Z)."


def test_expired_at_exactly_exp():
    assert status({"exp": NOW})[0] == "expired"  # "on or after" (RFC 7519 4.1.4)


def test_not_yet_valid():
    s, message = status({"nbf": NOW + 300, "exp": NOW + 3600})
    assert s == "not-yet-valid" and "in 5 min" in message and "2027-01-15T08:05:00Z" in message


def test_issued_in_the_future_is_not_yet_valid():
    s, message = status({"iat": NOW + 600, "exp": NOW + 3600})
    assert s == "not-yet-valid" and "iat" in message


def test_no_expiry():
    s, message = status({"sub": "a", "iat": NOW - 10})
    assert s == "no-expiry" and "no exp" in message


def test_leeway_shifts_the_verdict():
    assert status({"exp": NOW - 30})[0] == "expired"
    s, message = status({"exp": NOW - 30}, leeway=60)
    assert s == "valid" and "leeway" in message and "30 s ago" in message
    assert status({"exp": NOW - 90}, leeway=60)[0] == "expired"
    assert "even with the 1 min leeway" in status({"exp": NOW - 90}, leeway=60)[1]
    assert status({"nbf": NOW + 30})[0] == "not-yet-valid"
    assert status({"nbf": NOW + 30}, leeway=60)[0] == "no-expiry"
    assert status({"iat": NOW + 30, "exp": NOW + 600}, leeway=60)[0] == "valid"


def test_bad_leeway_values_are_ignored():
    for leeway in (-5, float("nan"), float("inf"), "x", None):
        r = described(make_token(HS, {"exp": NOW - 1}), leeway=leeway)
        assert r.validity.status == "expired" and r.validity.leeway == 0.0


def test_lifetime():
    r = described(make_token(HS, {"iat": NOW - 60, "exp": NOW + 3540}))
    assert (r.validity.lifetime, r.validity.lifetime_text) == (3600, "1 hour")
    r = described(make_token(HS, {"iat": NOW, "exp": NOW + 30 * 86400}))
    assert r.validity.lifetime_text == "30 days"
    r = described(make_token(HS, {"exp": NOW + 60}))
    assert r.validity.lifetime is None and r.validity.lifetime_text is None


def test_exp_before_iat_and_nbf_after_exp():
    r = described(make_token(HS, {"iat": NOW, "exp": NOW - 3600}))
    assert "1 hour before iat" in only(r.problems, "claim.exp-before-iat").message
    assert r.validity.lifetime == -3600 and r.validity.lifetime_text.startswith("negative")
    r = described(make_token(HS, {"nbf": NOW + 100, "exp": NOW + 50}))
    only(r.problems, "claim.nbf-after-exp")


@pytest.mark.parametrize("value,words,fix", [
    ("1700000000", 'a string ("1700000000")', "Remove the quotes"),
    ("2026-11-28T20:38:35Z", "a string", "not date strings"),
    (True, "a boolean (true)", None),
    (None, "null", None),
    ([1700000000], "an array", None),
    ({"t": 1}, "an object", None),
])
def test_non_numeric_times(value, words, fix):
    r = described(make_token(HS, {"exp": value}))
    p = only(r.problems, "claim.time-not-numeric")
    assert '"exp"' in p.message and words in p.message and p.segment == "payload"
    if fix:
        assert fix in p.fix
    assert claim(r, "exp").time is None
    assert r.validity.status == "malformed" and "exp" in r.validity.message


@pytest.mark.parametrize("payload,words", [
    ('{"exp": -5}', "negative"),
    ('{"exp": 1e300}', "beyond year 9999"),
    ('{"exp": 1700000000000}', "milliseconds"),
    ('{"exp": 253402300800}', "beyond year 9999"),
    ('{"exp": ' + "9" * 5000 + "}", "5000 digits"),
    ('{"exp": 1e999}', "digits"),
    ('{"exp": NaN}', "a string"),  # NaN is not JSON: kept as text, so not a number either
])
def test_absurd_times_are_problems_not_crashes(payload, words):
    r = described(part(HS) + "." + part(payload) + ".c2ln")
    found = [p for p in r.problems if p.code in ("claim.time-absurd", "claim.time-not-numeric")]
    assert len(found) == 1 and words in found[0].message, [p.message for p in r.problems]


def test_negative_time_is_shown_but_flagged():
    r = described(make_token(HS, {"iat": -86400, "exp": NOW + 60}))
    assert claim(r, "iat").time.utc == "1969-12-31T00:00:00Z"
    only(r.problems, "claim.time-absurd")
    assert r.validity.status == "valid"


def test_millisecond_times_within_year_9999_are_shown_with_a_hint():
    r = described(make_token(HS, {"auth_time": 200_000_000_000}))
    assert claim(r, "auth_time").time.utc.startswith("8307-")
    assert "milliseconds" in only(r.problems, "claim.time-absurd").message


def test_claim_types():
    r = described(make_token(HS, {"iss": 5, "sub": ["a"], "aud": ["ok", 3], "jti": 7, "scope": ["a", "b"]}))
    assert "a number" in only(r.problems, "claim.iss-type").message
    assert "an array" in only(r.problems, "claim.sub-type").message
    assert "non-string" in only(r.problems, "claim.aud-type").message
    string_problems = [p for p in r.problems if p.code == "claim.string-type"]
    assert {p.level for p in string_problems} == {"error", "warning"}  # jti is an error, a scope array a warning
    r = described(make_token(HS, {"iss": "a", "sub": "b", "aud": "c"}))
    assert r.problems == []
    r = described(make_token(HS, {"aud": {"x": 1}}))
    assert "an object" in only(r.problems, "claim.aud-type").message


def test_unsecured_status_comes_first_and_keeps_the_times():
    s, message = status({"exp": NOW - 3 * 86400}, header={"alg": "none"}, signature="")
    assert s == "unsecured" and '"none"' in message and "3 days ago" in message
    s, message = status({"exp": NOW + 60}, signature="")
    assert s == "unsecured" and "empty signature" in message


def test_encrypted_status():
    r = described(make_jwe({"alg": "dir", "enc": "A256GCM"}))
    assert r.validity.status == "encrypted" and r.claims == []
    assert [c.name for c in r.header_params] == ["alg", "enc"]


@pytest.mark.parametrize("token,words", [
    ("eyJhbGciOiJIUzI1NiJ9.e30", "2 segments"),
    (part("{oops") + "." + part({"exp": NOW + 60}) + ".c2ln", "header"),
    (part(HS) + "." + part("[1]") + ".c2ln", "payload"),
    (part(HS) + "." + part({"exp": NOW + 60}).replace("e", "e!", 1) + ".c2ln", "payload"),
])
def test_malformed_status(token, words):
    r = described(token)
    assert r.validity.status == "malformed" and words in r.validity.message


def test_standard_base64_token_is_malformed_but_still_read():
    token = make_token(HS, {"exp": NOW + 60, "sub": ">>>?"})
    std = token.replace("-", "+").replace("_", "/")
    assert std != token
    r = described(std)
    assert r.validity.status == "malformed" and "expires in 1 min" in r.validity.message
    assert claim(r, "sub").value == ">>>?"


def test_verdict_agrees_with_pyjwt():
    """Our status against PyJWT's own exp/nbf/iat checks, on the real clock (PyJWT has no clock to inject)."""
    now = time.time()
    key = "k" * 32
    cases = [
        ({"exp": now - 1000}, 0), ({"exp": now + 1000}, 0), ({"exp": now - 1000}, 2000), ({"nbf": now + 1000}, 0),
        ({"nbf": now + 1000}, 2000), ({"iat": now + 1000}, 0), ({"iat": now + 1000}, 2000),
        ({"iat": now - 1000, "exp": now + 1000, "nbf": now - 5}, 0), ({"sub": "x"}, 0),
    ]
    for payload, leeway in cases:
        payload = {k: int(v) if isinstance(v, float) else v for k, v in payload.items()}
        token = jwt.encode(payload, key, algorithm="HS256")
        try:
            jwt.decode(token, key, algorithms=["HS256"], leeway=leeway)
            expected = {"valid", "no-expiry"}
        except jwt.ExpiredSignatureError:
            expected = {"expired"}
        except jwt.ImmatureSignatureError:
            expected = {"not-yet-valid"}
        assert described(token, now=time.time(), leeway=leeway).validity.status in expected, (payload, leeway)
