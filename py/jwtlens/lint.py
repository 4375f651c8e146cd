"""Security review of a token (placeholder until the lint work lands)."""

from __future__ import annotations

from .options import Options
from .report import Finding, SignatureResult, TokenReport


def review(token: TokenReport, signature: SignatureResult, options: Options) -> list[Finding]:
    return []
