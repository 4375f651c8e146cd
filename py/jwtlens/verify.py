"""Signature verification (placeholder until the verification work lands)."""

from __future__ import annotations

from .options import Options
from .report import SignatureResult, TokenReport


def check_signature(token: TokenReport, key: str | None, options: Options) -> SignatureResult:
    return SignatureResult("unchecked", "No key given.", alg=_alg(token))


def _alg(token: TokenReport) -> str | None:
    alg = token.header.get("alg") if isinstance(token.header, dict) else None
    return alg if isinstance(alg, str) else None
