"""Every use of PyJWT's private API, in one place, so a PyJWT upgrade that changes it breaks one module and one test
(tests/test_pyjwt_bridge.py), with a message that says what changed.

What is private and used here:

* ``PyJWT._validate_iss``, ``_validate_aud``, ``_validate_sub``, ``_validate_jti``: the claim checks beside the
  signature use PyJWT's own rules for these claims (exact issuer match, audience string-or-array, ...).
* ``PyJWT._jws``: a ``PyJWT`` whose JWS layer has exactly our algorithms (what PyJWT does for its module-level
  instance), so ``algorithms.pyjwt.decode(...)`` works without ``cryptography``.
* ``jwt.jwks_client``: the page stands in for PyJWT's JWKS client, the one part of PyJWT that fetches (keys over
  HTTP). ``refuse_key_fetching()`` must run before PyJWT is first imported, which is why this module imports PyJWT
  only inside its functions, and why ``import jwtlens`` itself does not import PyJWT (see ``jwtlens/__init__.py``).
"""

from __future__ import annotations

import sys
import types
from functools import cache
from typing import Any

JWKS_CLIENT_MODULE = "jwt.jwks_client"  # jwt/__init__.py imports PyJWKClient from here


class KeyFetchingRefused(RuntimeError):
    pass


def refuse_key_fetching() -> bool:
    """Put a stand-in for PyJWT's JWKS client in place, before PyJWT is imported; False when PyJWT already is.

    ``jwt.PyJWKClient`` then refuses to run, and urllib.request, http.client and email, which only the real one
    imports, stay out of the page (0.8 MB of its memory snapshot). The page never fetches keys: a jku or x5u header
    is reported, never followed."""
    if "jwt" in sys.modules:
        return False
    module = types.ModuleType(JWKS_CLIENT_MODULE, "JWT Lens's stand-in for PyJWT's JWKS client: fetching is refused.")

    class PyJWKClient:
        def __init__(self, *_args: Any, **_kwargs: Any) -> None:
            raise KeyFetchingRefused("JWT Lens never fetches keys: paste the key set (JWKS) into the key box instead")

    module.PyJWKClient = PyJWKClient  # type: ignore[attr-defined]
    sys.modules[JWKS_CLIENT_MODULE] = module
    return True


@cache
def _pyjwt() -> Any:
    from jwt import PyJWT

    return PyJWT()


def validator(claim: str) -> Any:
    """PyJWT's validator for one claim: ``iss`` and ``aud`` take (payload, expected), ``sub`` and ``jti`` (payload)."""
    return getattr(_pyjwt(), f"_validate_{claim}")


def pyjwt_error() -> type[Exception]:
    from jwt.exceptions import PyJWTError

    return PyJWTError


def pyjwt_with(jws: Any) -> Any:
    """A ``jwt.PyJWT`` whose JWS layer is ``jws`` (a ``jwt.PyJWS`` with the algorithms we register)."""
    import jwt

    instance = jwt.PyJWT()
    instance._jws = jws
    return instance
