"""Weak-secret detection (jwtlens.weak): the bundled list, the search, its chunked form and the finding."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
import warnings
from pathlib import Path

import jwt
import pytest

from jwtlens import weak
from jwtlens.report import Segment, TokenReport
from jwtlens.weak import (
    WeakSecretSearch,
    find_weak_secret,
    is_weak_secret,
    iter_check,
    load_secrets,
    should_search,
    weak_secret_finding,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(weak.__file__).parent / "data" / "weak-secrets.txt"  # where the package is (also inside Pyodide)
CLAIMS = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}


def sign(secret: str | bytes, alg: str = "HS256", claims: dict | None = None) -> str:
    with warnings.catch_warnings():  # PyJWT warns about short HMAC keys: that is the point here
        warnings.simplefilter("ignore")
        return jwt.encode(claims or CLAIMS, secret, algorithm=alg)


def hand_signed(secret: bytes, alg: str = "HS256") -> str:
    """Signed without PyJWT, for keys it refuses (the empty secret)."""
    def enc(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    signing_input = enc(json.dumps({"alg": alg, "typ": "JWT"}).encode()) + "." + enc(json.dumps(CLAIMS).encode())
    mac = hmac.new(secret, signing_input.encode(), getattr(hashlib, "sha" + alg[2:])).digest()
    return signing_input + "." + enc(mac)


def entries() -> list[str]:
    return [line for line in DATA.read_text("utf-8").split("\n") if line and not line.startswith("#")]


# --- the list -----------------------------------------------------------------------------------------------------


def test_list_has_at_least_10000_unique_entries() -> None:
    lines = entries()
    assert len(lines) >= 10_000
    assert len(set(lines)) == len(lines)
    assert all(line == line.strip() for line in lines)


def test_list_starts_with_the_documented_example_secrets_and_holds_common_passwords() -> None:
    secrets = load_secrets()
    assert secrets[0] == b""  # the empty secret is always tried first
    assert secrets[1] == b"your-256-bit-secret"
    for s in ("secret", "changeme", "your-secret-key", "shhhhh", "supersecret",
              "a-string-secret-at-least-256-bits-long", "123456", "password", "qwerty", "dragon"):
        assert is_weak_secret(s), s
    assert len(load_secrets()) == len(entries()) + 1


def test_data_file_carries_the_zxcvbn_license_notice() -> None:
    head = DATA.read_text("utf-8").split("\n", 40)[:40]
    text = "\n".join(head)
    assert "zxcvbn 4.5.0" in text and "MIT License" in text
    assert "Permission is hereby granted, free of charge" in text


def test_data_file_is_what_the_generator_makes() -> None:
    pytest.importorskip("zxcvbn")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_weak_secrets
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert make_weak_secrets.build() == entries()


def test_is_weak_secret() -> None:
    assert is_weak_secret("  changeme\n") and is_weak_secret(b"secret") and is_weak_secret("")
    assert not is_weak_secret("p7Qz3Vw9sL2xN8rT4kY6mB1cF5hJ0dG3aE")


# --- the search ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_token_signed_with_a_list_entry_is_found(alg: str) -> None:
    lines = entries()
    for secret in ("your-256-bit-secret", lines[len(lines) // 2], lines[-1]):
        assert find_weak_secret(sign(secret, alg)) == secret


def test_empty_secret_is_found() -> None:
    assert find_weak_secret(hand_signed(b"")) == ""
    assert "empty secret" in weak_secret_finding("", "HS256").title


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_random_secret_finds_nothing(alg: str) -> None:
    assert find_weak_secret(sign(os.urandom(32), alg)) is None


def test_token_report_input_and_surrounding_whitespace() -> None:
    token = sign("changeme", "HS384")
    parts = token.split(".")
    report = TokenReport(token=token, kind="JWS", segments=[Segment("signature", parts[2], 0)],
                         header={"alg": "HS384", "typ": "JWT"}, payload=CLAIMS)
    assert find_weak_secret(report) == "changeme"
    assert find_weak_secret("  " + token[:40] + "\n" + token[40:] + " ") == "changeme"


@pytest.mark.parametrize("token", [
    "", "not a token", "a.b", "a.b.c.d.e",
    hand_signed(b"secret").rsplit(".", 1)[0] + ".",  # no signature
    hand_signed(b"secret")[:-4] + "!!!!",  # signature not base64url
    hand_signed(b"secret") + "AAAA",  # signature of the wrong length
])
def test_malformed_tokens_find_nothing(token: str) -> None:
    search = WeakSecretSearch(token)
    assert not search.applicable and search.done and find_weak_secret(token) is None


def test_non_hmac_tokens_are_not_searched() -> None:
    ec = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ec")

    es = jwt.encode(CLAIMS, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256")
    assert not WeakSecretSearch(es).applicable and find_weak_secret(es) is None
    lowercase = hand_signed(b"secret").split(".")
    lowercase[0] = base64.urlsafe_b64encode(b'{"alg":"hs256"}').rstrip(b"=").decode()
    assert find_weak_secret(".".join(lowercase)) is None  # alg names are case-sensitive: hs256 is no HMAC alg


def test_custom_secret_list() -> None:
    token = sign("correct horse battery staple")
    assert find_weak_secret(token) is None
    assert find_weak_secret(token, ["x", b"y", "correct horse battery staple"]) == "correct horse battery staple"


# --- the chunked API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["mustang", None])
def test_chunked_search_gives_the_same_answer(secret: str | None) -> None:
    token = sign(secret if secret is not None else os.urandom(32), "HS512")
    steps = list(iter_check(token, chunk=1500))
    assert steps[-1].found == find_weak_secret(token) == secret
    checked = [s.checked for s in steps]
    assert checked == sorted(checked) and all(s.total == len(load_secrets()) for s in steps)
    if secret is None:
        assert len(steps) == -(-len(load_secrets()) // 1500) and checked[-1] == steps[-1].total
    assert steps[-1].done and steps[-1].progress == 1.0

    search = WeakSecretSearch(token)
    rounds = 0
    while not search.step(997):
        rounds += 1
        assert 0 < search.progress < 1
    assert search.found == secret and rounds > 0
    assert search.step(10) is True  # stepping a finished search is harmless


def test_should_search() -> None:
    token = sign("secret")
    report = TokenReport(token=token, kind="JWS", segments=[], header={"alg": "HS256"})
    assert should_search(report)
    report.findings.append(weak_secret_finding("secret", "HS256"))
    assert not should_search(report)
    rs = TokenReport(token="eyJhbGciOiJSUzI1NiJ9.e30.c2ln", kind="JWS", segments=[], header={"alg": "RS256"})
    assert not should_search(rs)


def test_weak_secret_finding() -> None:
    f = weak_secret_finding("your-256-bit-secret", "HS256")
    assert (f.rule, f.severity) == ("hmac.weak-secret", "critical")
    assert "signed with the well-known secret 'your-256-bit-secret'" in f.title.lower()
    assert "32 random bytes" in f.fix or "at least 32" in f.fix
    assert "at least 64" in weak_secret_finding("x", "HS512").fix


@pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide (the page itself loads the zip)")
def test_list_loads_from_a_zip_bundle(tmp_path: Path) -> None:
    """The page imports jwtlens from a zip (zipimport): the data file must load from there too."""
    import site
    import subprocess
    import zipfile

    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in (ROOT / "py" / "jwtlens").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(ROOT / "py").as_posix())
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path += sys.argv[2:]\n"
        "from jwtlens import weak\n"
        "assert weak.__file__.startswith(sys.argv[1]), weak.__file__\n"
        "print(len(weak.load_secrets()))\n"
    )
    # -S: no site-packages .pth files, so the editable install cannot shadow the zip
    out = subprocess.run([sys.executable, "-S", "-c", code, str(bundle), *site.getsitepackages()],
                         capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(load_secrets())
