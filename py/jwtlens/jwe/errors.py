"""The one failure of the JWE layer: ``JweError`` carries a Problem (stable code, segment, position, message), so
every refusal, from a header parameter to a tag mismatch, reaches the report the same way."""

from __future__ import annotations

from ..problems import problem
from ..report import Problem, SegmentName


class JweError(Exception):
    """A JWE cannot be decrypted (or encrypted) as given; ``problem`` says why, where and what to do."""

    def __init__(self, code: str | None, message: str, *, segment: SegmentName | None = None,
                 position: int | None = None, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # None when the reason is already a problem of its own (the key box's)
        self.problem: Problem | None = (problem(code, message, segment=segment, position=position, fix=fix)
                                        if code is not None else None)
