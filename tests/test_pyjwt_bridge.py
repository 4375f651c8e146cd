"""PyJWT's private API, as jwtlens/pyjwt_bridge.py uses it. When a PyJWT upgrade changes any of it, these tests say
what changed, before a user sees a wrong claim check or a page that imports an HTTP client."""

from __future__ import annotations

import subprocess
import sys

import jwt
import pytest
from jwt.exceptions import PyJWTError

from conftest import ROOT
from jwtlens import algorithms, pyjwt_bridge


@pytest.mark.parametrize(("claim", "good", "bad"), [
    ("iss", ({"iss": "a"}, "a"), ({"iss": "b"}, "a")),
    ("aud", ({"aud": ["x", "y"]}, "y"), ({"aud": "x"}, "z")),
    ("sub", ({"sub": "u"},), ({"sub": 5},)),
    ("jti", ({"jti": "j"},), ({"jti": 5},)),
])
def test_claim_validators_exist_and_decide(claim: str, good: tuple, bad: tuple) -> None:
    validate = pyjwt_bridge.validator(claim)
    assert callable(validate), f"PyJWT {jwt.__version__} has no PyJWT._validate_{claim}: update pyjwt_bridge.py"
    validate(*good)
    with pytest.raises(PyJWTError):
        validate(*bad)


def test_pyjwt_instance_uses_our_jws_layer() -> None:
    instance = jwt.PyJWT()
    assert isinstance(getattr(instance, "_jws", None), jwt.PyJWS), (
        f"PyJWT {jwt.__version__}: PyJWT()._jws is gone or no longer a PyJWS; update pyjwt_bridge.pyjwt_with")
    token = algorithms.pyjwt.encode({"a": 1}, "k" * 32, algorithm="HS256")
    assert algorithms.pyjwt.decode(token, "k" * 32, algorithms=["HS256"]) == {"a": 1}
    assert set(algorithms.pyjws.get_algorithms()) == set(algorithms.ALGORITHMS)


def test_the_key_fetching_stand_in_replaces_the_jwks_client() -> None:
    """In a fresh interpreter without cryptography, as in the page: the stand-in is used by `import jwt`, and no HTTP
    client module comes with it."""
    code = (
        "import sys; sys.path.insert(0, 'py')\n"
        "sys.modules['cryptography'] = None  # as in the page: PyJWT without cryptography\n"
        "from jwtlens import pyjwt_bridge\n"
        "assert 'jwt' not in sys.modules, 'import jwtlens must not import PyJWT'\n"
        "assert pyjwt_bridge.refuse_key_fetching()\n"
        "import jwt, jwtlens\n"
        "jwtlens.inspect('eyJhbGciOiJIUzI1NiJ9.e30.x')\n"
        "assert jwt.PyJWKClient is sys.modules[pyjwt_bridge.JWKS_CLIENT_MODULE].PyJWKClient\n"
        "try:\n"
        "    jwt.PyJWKClient('https://example.invalid/jwks')\n"
        "except pyjwt_bridge.KeyFetchingRefused:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('PyJWKClient ran')\n"
        "loaded = [m for m in ('urllib.request', 'http.client', 'email') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, (
        f"PyJWT {jwt.__version__} no longer takes its JWKS client from {pyjwt_bridge.JWKS_CLIENT_MODULE} (or now "
        f"imports an HTTP client elsewhere); update pyjwt_bridge.refuse_key_fetching:\n{done.stderr}")
