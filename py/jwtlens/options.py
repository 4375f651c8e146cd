"""Options for jwtlens.inspect: the knobs the page and the command line expose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SecretFormat = Literal["auto", "text", "base64", "base64url", "hex"]


@dataclass
class Options:
    now: float | None = None  # seconds since the epoch; None means the current time
    leeway: float = 0.0  # clock-skew allowance in seconds for exp/nbf/iat
    select: int = 0  # which of the tokens found in the text to decode
    secret_format: SecretFormat = "auto"  # how to read an HMAC secret from the key box
    issuer: str | None = None  # expected iss, checked beside the signature when given
    audience: str | None = None  # expected aud, checked beside the signature when given (and a KB-JWT's aud)
    nonce: str | None = None  # expected nonce of a Key Binding JWT or a DPoP proof
    method: str | None = None  # expected HTTP method of a DPoP proof (else the pasted request's)
    url: str | None = None  # expected HTTP URL of a DPoP proof (else the pasted request's)
    inner_key: str | None = None  # a nested JWT (JWE around a JWS): the key box text that checks the inner token
    # PBES2 iterations a decryption runs at once; more leave the token "locked" for jwe.Pbes2Derivation to run in
    # slices (the page shows progress). None: no such limit (the command line). The default keeps inspect() under
    # about 50 ms in the page.
    pbes2_inline_iterations: int | None = 10_000
