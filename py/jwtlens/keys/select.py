"""Which members of a key set fit a token, listed the same way for verification and for decryption.

``sort_members`` walks a key set once: members that fit (and name the token's kid or no kid), members that fit but
name another kid (tried only when the kid names no member), and a line in ``tried`` for every member set aside, with
the reason. ``mismatch`` is the caller's judgement of one key (an algorithm's ``key_mismatch``, or the JWE layer's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .model import KeyBox, LoadedKey, Member


class Mismatch(NamedTuple):
    """Why a key cannot be used with an algorithm: ``kind`` is "type", "curve", "alg", "use", "pss", "size" or
    "private"."""

    kind: str
    message: str


# The word for each kind of mismatch in the member listing (verification's; JWE passes its own for "use").
LABELS = {"type": "wrong type", "curve": "wrong curve", "alg": "alg conflict", "use": "not for signing",
          "pss": "PSS restriction", "size": "wrong size", "private": "public key only"}


def sort_members(box: KeyBox, mismatch: Callable[[LoadedKey], Mismatch | None], kid: str | None, tried: list[str],
                 labels: dict[str, str] = LABELS) -> tuple[list[Member], list[Member], dict[int, int]]:
    """(members that fit, members that fit but name another kid, their line in tried); the others are listed."""
    fitting, other_kid = [], []
    position: dict[int, int] = {}  # member index -> its line in tried (a fallback try is added to that line)
    for member in box.members:
        label, key = member.label(), member.key
        if key is None:
            tried.append(f"{label}: not usable: {member.reason}")
            continue
        found = mismatch(key)
        why = f"{labels[found.kind]}: {found.message}" if found else None
        if kid is not None and key.kid is not None and key.kid != kid:  # a member without kid may be it
            # the label names the member's kid already when the set gave one
            note = (f"wrong kid (the token asks for {kid!r})" if member.kid == key.kid
                    else f"wrong kid ({key.kid!r}, the token asks for {kid!r})")
            if why is None:
                other_kid.append(member)
                position[member.index] = len(tried)
            tried.append(f"{label}: {note}" + (f"; {why}" if why else ""))
        elif why is not None:
            tried.append(f"{label}: {why}")
        else:
            fitting.append(member)
    return fitting, other_kid, position


def named_members(box: KeyBox, kid: str | None) -> list[Member]:
    """The members that carry the token's kid (usable or not)."""
    return [m for m in box.members if kid is not None and (m.kid == kid or (m.key and m.key.kid == kid))]


def record(tried: list[str], index: int | None, entry: str) -> None:
    """A try's outcome: its own line, or added to the member's line when it was set aside for its kid first."""
    if index is None:
        tried.append(entry)
    else:
        tried[index] = tried[index] + "; tried anyway: " + entry.split(": ", 1)[1]
