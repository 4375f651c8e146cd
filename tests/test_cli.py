"""The command line's commands: encode and keygen make what decode then verifies; decode takes the page's options
(secret text, its format, expected issuer and audience) and colours only a terminal."""

from __future__ import annotations

import io
import json

import pytest

from jwtlens import cli
from jwtlens.cli import output


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("alg", ["ES256", "EdDSA", "HS384"])
def test_keygen_encode_decode_round_trip(alg: str, tmp_path, capsys) -> None:
    fmt = "secret-b64url" if alg.startswith("HS") else "pkcs8"
    code, private, _ = run(["keygen", "--alg", alg, "--format", fmt], capsys)
    assert code == 0 and private.strip()
    (tmp_path / "private").write_text(private)
    code, token, err = run(["encode", '{"sub": "me"}', "--alg", alg, "--key", str(tmp_path / "private"),
                            "--exp", "15m", "--iat", "--kid", "thumbprint" if fmt == "pkcs8" else "k1"], capsys)
    assert code == 0 and token.count(".") == 2, err
    if alg.startswith("HS"):
        verify_key = private
        # --secret=VALUE: a base64url secret may start with '-', which argparse would take for an option
        args = [f"--secret={verify_key.strip()}", "--secret-format", "base64url"]
    else:
        _, public, _ = run(["keygen", "--alg", alg, "--format", "spki"], capsys)  # another key: must not verify
        (tmp_path / "other").write_text(public)
        assert run([token.strip(), "--key", str(tmp_path / "other"), "--no-weak"], capsys)[0] == 3
        args = ["--key", str(tmp_path / "private")]  # the private key's public half verifies
    code, out, _ = run([token.strip(), *args, "--no-weak", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["token"]["signature"]["verified"] == "valid"
    assert report["token"]["payload"]["sub"] == "me" and "exp" in report["token"]["payload"]


def test_encode_reports_problems_and_fails(capsys) -> None:
    code, out, err = run(["encode", '{"sub": ', "--alg", "HS256", "--secret", "s" * 32], capsys)
    assert code == 1 and out == "" and "encode.payload-json" in err and "line 1" in err
    code, _, err = run(["encode", "{}", "--alg", "none"], capsys)
    assert code == 1 and "encode.alg-none-refused" in err
    code, out, err = run(["encode", "{}", "--alg", "none", "--allow-none"], capsys)
    assert code == 0 and out.strip().endswith(".") and "encode.unsigned" in err


def test_decode_takes_a_secret_and_expected_values(capsys) -> None:
    code, token, _ = run(["encode", '{"iss": "https://a", "aud": "api"}', "--alg", "HS256", "--secret",
                          "616263" * 11, "--secret-format", "hex"], capsys)
    token = token.strip()
    assert run([token, "--secret", "616263" * 11, "--secret-format", "hex", "--no-weak"], capsys)[0] == 0
    assert run([token, "--secret", "616263" * 11, "--secret-format", "text", "--no-weak"], capsys)[0] == 3
    code, out, _ = run([token, "--secret", "616263" * 11, "--secret-format", "hex", "--iss", "https://b",
                        "--aud", "api", "--no-weak", "--json"], capsys)
    checks = {c["claim"]: c["ok"] for c in json.loads(out)["token"]["signature"]["checks"]}
    assert checks == {"iss": False, "aud": True}


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert output.use_colour(Tty())
    assert not output.use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not output.use_colour(Tty())
    assert output.paint("valid", True, True) == "\x1b[32mvalid\x1b[0m" and output.paint("x", None, True) == "x"


def test_each_command_documents_its_exit_status(capsys) -> None:
    for argv in (["--help"], ["encode", "--help"], ["keygen", "--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        assert "exit status" in capsys.readouterr().out


def test_keygen_rsa_and_every_format(capsys) -> None:
    code, out, _ = run(["keygen", "--alg", "RS256"], capsys)
    assert code == 0
    for label in ("PKCS#8", "PKCS#1", "SubjectPublicKeyInfo", "JWKS"):
        assert label in out
    assert run(["keygen", "--alg", "ES256", "--format", "pkcs1"], capsys)[0] == 1  # no such form for EC
