"""The one entry point, jwtlens.inspect, and the command line."""

from __future__ import annotations

import io
import json
import random

import pytest

import jwtlens
from helpers import HS, NOW, make_jwe, make_token, part
from jwtlens import Options, Report, inspect
from jwtlens.cli import main
from jwtlens.problems import DEFAULTS, Code

TOKEN = make_token(HS, {"sub": "a", "iat": NOW - 60, "exp": NOW + 3540})


def test_exports():
    assert jwtlens.__version__
    assert set(jwtlens.__all__) >= {"inspect", "Options", "Report", "__version__"}


def test_full_report():
    r = inspect(TOKEN, now=NOW)
    assert isinstance(r, Report)
    assert (r.input_kind, r.now, r.selected, r.status) == ("token", NOW, 0, "valid")
    assert r.token.payload == {"sub": "a", "iat": NOW - 60, "exp": NOW + 3540}
    assert r.token.validity.lifetime_text == "1 hour"
    assert r.token.signature.verified == "unchecked"
    d = json.loads(r.to_json())
    assert d["status"] == "valid" and d["token"]["claims"][2]["time"]["utc"] == "2027-01-15T08:59:00Z"


def test_empty_input():
    r = inspect("   ")
    assert (r.input_kind, r.status, r.token, r.problems, r.selected) == ("empty", "empty", None, [], None)


def test_no_token_is_malformed_with_a_problem():
    r = inspect("just some words")
    assert r.status == "malformed" and [p.code for p in r.problems] == ["input.no-token"]


def test_now_defaults_to_the_clock():
    import time

    before = time.time()
    r = inspect(TOKEN)
    assert before <= r.now <= time.time()


def test_kwargs_override_options():
    expired = make_token(HS, {"exp": NOW - 30})
    assert inspect(expired, now=NOW).status == "expired"
    assert inspect(expired, options=Options(now=NOW, leeway=60)).status == "valid"
    assert inspect(expired, options=Options(now=NOW, leeway=60), leeway=0).status == "expired"
    with pytest.raises(TypeError):
        inspect(TOKEN, no_such_option=1)


@pytest.mark.parametrize("select,expected", [(0, 0), (1, 1), (2, 2), (9, 2), (-4, 0)])
def test_select_is_clamped(select, expected):
    tokens = [make_token(HS, {"n": i}) for i in range(3)]
    r = inspect("\n".join(tokens), now=NOW, select=select)
    assert r.selected == expected and r.token.payload == {"n": expected}
    assert len(r.candidates) == 3


def test_key_reaches_signature_check():
    r = inspect(TOKEN, "secret", now=NOW)
    assert r.token.signature.verified in ("unchecked", "valid", "invalid", "error")
    assert r.token.signature.alg == "HS256"


def test_jwe_and_unsecured_statuses():
    assert inspect(make_jwe({"alg": "RSA-OAEP", "enc": "A256GCM"}), now=NOW).status == "encrypted"
    assert inspect(make_token({"alg": "none"}, {"sub": "a"}, ""), now=NOW).status == "unsecured"


def test_hostile_claims_stay_data():
    hostile = "<img src=x onerror=alert(1)>"
    r = inspect(make_token({"alg": "HS256", "kid": hostile}, {"name": hostile, hostile: 1}), now=NOW)
    assert r.token.payload["name"] == hostile
    assert [c.name for c in r.token.claims] == ["name", hostile]
    assert json.loads(r.to_json())["token"]["header"]["kid"] == hostile


def test_deep_nesting_and_huge_numbers_through_inspect():
    r = inspect(part(HS) + "." + part("[" * 100_000) + ".c2ln", now=NOW)
    assert "json.too-deep" in [p.code for p in r.token.problems]
    r = inspect(part(HS) + "." + part('{"exp": ' + "1" * 10_000 + "}") + ".c2ln", now=NOW)
    assert {"json.number-too-large", "claim.time-absurd"} <= {p.code for p in r.token.problems}
    json.loads(r.to_json())
    r = inspect('{"a":' * 100_000, now=NOW)  # deep JSON as the input itself
    assert r.status == "malformed"


def test_internal_errors_become_problems(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jwtlens.claims, "describe", broken)
    monkeypatch.setattr(jwtlens.verify, "check_signature", broken)
    r = inspect(TOKEN, "key", now=NOW)
    internal = [p for p in r.token.problems if p.code == "internal.error"]
    assert len(internal) == 2 and "boom" in internal[0].message and "Traceback" not in internal[0].message
    assert r.token.signature.verified == "error"
    assert r.token.payload["sub"] == "a"  # the stages that worked still report


def test_every_code_has_a_default_fix():
    for name, code in vars(Code).items():
        if name.isupper():
            level, fix = DEFAULTS[code]
            assert level in ("error", "warning") and fix.endswith((".", ")")), code


def _mutations(token: str, rng: random.Random) -> list[str]:
    out = []
    alphabet = "+/=._-!\"'\\ \n\t%\u2026\u200b\x00\udcff{}[]eyJ"
    for _ in range(120):
        t = list(token)
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(t))
            op = rng.randrange(3)
            if op == 0:
                t[i] = rng.choice(alphabet)
            elif op == 1:
                del t[i]
            else:
                t.insert(i, rng.choice(alphabet))
        out.append("".join(t))
    return out


def test_never_raises_on_garbage():
    rng = random.Random(2026)
    inputs = ["", ".", "..", "....", "....", "e", "ey", "eyJ", "eyJ.", "eyJ..", "\x00", "\udcff" * 3, '"', "Bearer",
              "Cookie:", "Cookie: =", "https://", "?#&=", "{", "[", '{"a": "eyJ.e.e"}', "e30.e30.e30", "e30..",
              "e30.W10.", "ew0K.e30.", "eyJhbGciOiJub25lIn0.bnVsbA."]
    for _ in range(150):
        n = rng.randrange(0, 200)
        inputs.append("".join(chr(rng.randrange(0, 0x3000)) for _ in range(n)))
        inputs.append(bytes(rng.randrange(256) for _ in range(n)).decode("latin-1"))
        inputs.append("".join(rng.choice("eyJAQw0._-+/= \n\"'") for _ in range(n)))
    inputs += _mutations(TOKEN, rng)
    inputs += _mutations(make_jwe({"alg": "dir", "enc": "A128GCM"}), rng)
    for text in inputs:
        r = inspect(text, now=NOW)
        d = json.loads(r.to_json())
        assert d["status"] in ("empty", "malformed", "valid", "expired", "not-yet-valid", "no-expiry", "unsecured",
                               "encrypted")
        problems = r.problems + (r.token.problems if r.token else [])
        assert not [p for p in problems if p.code == "internal.error"], (text, problems)


def test_non_str_input_does_not_raise():
    assert inspect(TOKEN.encode(), now=NOW).status == "valid"
    assert inspect(None).status == "empty"  # type: ignore[arg-type]


# -- the command line --------------------------------------------------------------------------------------------


def test_cli_summary(capsys):
    code = main([TOKEN, "--now", str(NOW)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Status: valid\n" in out and '"sub": "a"' in out
    assert "Expiration time" in out and "2027-01-15T08:59:00Z" in out


def test_cli_json_and_leeway(capsys):
    expired = make_token(HS, {"exp": NOW - 30})
    assert main([expired, "--now", str(NOW), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "expired"
    assert main([expired, "--now", str(NOW), "--leeway", "60", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "valid"


def test_cli_reads_stdin_and_key_file(capsys, monkeypatch, tmp_path):
    key = tmp_path / "key.txt"
    key.write_text("secret")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"Authorization: Bearer {TOKEN}\n"))
    assert main(["-", "--key", str(key), "--now", str(NOW)]) == 3  # the key does not verify this token
    out = capsys.readouterr().out
    assert "Input: Authorization header" in out and "Signature: invalid" in out


def test_cli_exit_status_follows_the_signature(capsys, tmp_path):
    """A failed verification is a failure exit status; the codes are in --help."""
    import jwt

    token = jwt.encode({"sub": "a", "exp": NOW + 600}, "s" * 32, algorithm="HS256")
    key = tmp_path / "key.txt"
    key.write_text("s" * 32)
    assert main([token, "--key", str(key), "--now", str(NOW), "--no-weak"]) == 0
    key.write_text("t" * 32)
    assert main([token, "--key", str(key), "--now", str(NOW), "--no-weak"]) == 3
    assert main([token, "--key", str(key), "--now", str(NOW + 3600), "--no-weak"]) == 3  # expired, and invalid
    assert main([token, "--now", str(NOW + 3600), "--no-weak"]) == 1
    assert main([token, "--now", str(NOW), "--no-weak"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "exit status:" in capsys.readouterr().out


def test_cli_broken_token(capsys):
    assert main(["eyJhbGciOiJIUzI1NiJ9.eyJzdWIi!OiJhIn0.c2ln"]) == 1
    out = capsys.readouterr().out
    assert "base64url.invalid-char" in out and "Fix:" in out


def test_cli_runs_the_weak_secret_search(capsys):
    import jwt

    weak_token = jwt.encode({"sub": "a"}, "your-256-bit-secret", algorithm="HS256")
    strong_token = jwt.encode({"sub": "a"}, "q8Zr2vKx7TnW4pLs9YbE3mHc6JfD1gUa", algorithm="HS256")
    main([weak_token])
    assert "hmac.weak-secret" in capsys.readouterr().out
    main([strong_token])
    assert "hmac.weak-secret" not in capsys.readouterr().out
    main([weak_token, "--no-weak"])
    assert "hmac.weak-secret" not in capsys.readouterr().out
