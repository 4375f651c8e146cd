"""The token's life on one axis: iat, nbf, exp and now, colored by state, as plain data and as an inline SVG.

``build_timeline(token, now)`` gives a Timeline (dataclasses, positions 0..1 on the axis) or None when the payload
has no usable time claim; ``render_svg(timeline)`` draws it; ``timeline_text(timeline)`` says the same in words (the
SVG's <desc>, and the text alternative the page shows to screen readers).

States follow the page's validity verdict (claims.py, PyJWT's rules, leeway aside): expired from ``exp`` on, not yet
valid before ``nbf`` and before ``iat``, valid in between.

The SVG is safe to insert as HTML: every text node is XML-escaped and only numbers and our own class names go into
attributes. Colors come from CSS classes with fallback fills that read on light and dark backgrounds; text uses
``currentColor``. The page may restyle it with TIMELINE_CSS (custom properties --tl-valid, --tl-expired, --tl-nyv).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from . import times
from .report import TokenReport
from .times import long_duration, relative, utc_text


def escape(text: str) -> str:
    """Escape a text node (&, < and >). html.escape rather than xml.sax.saxutils.escape (the same three
    replacements): the page has html loaded already, and xml.sax.saxutils brings urllib.request with it, 370 KB of
    the page's memory snapshot."""
    return html.escape(text, quote=False)


State = times.State

STATE_WORDS: dict[str, str] = {"not-yet-valid": "not yet valid", "valid": "valid", "expired": "expired"}
# (short label on the axis, label in sentences)
CLAIM_LABELS = {"iat": ("issued", "Issued"), "nbf": ("valid from", "Valid from"), "exp": ("expires", "Expires")}

MARGIN = 0.06  # the claims never sit on the very edge of the axis
ZOOM = 1.5  # now stays on the linear scale while within this many claim spans of the claims
CLAMP_SPAN = (0.06, 0.78)  # where the claims go when now is off the scale to the right (mirrored to the left)
CLAMP_BREAK = 0.86
CLAMP_NOW = 0.94


@dataclass
class TimelinePoint:
    names: list[str]  # "iat", "nbf", "exp" (several when they coincide), or ["now"]
    label: str  # short label on the axis: "issued", "valid from", "expires", "issued, valid from", "now"
    epoch: float
    utc: str  # ISO 8601 with Z
    relative: str  # relative to now: "3 days ago", "in 4 min", "now"
    position: float  # 0..1 along the axis
    clamped: bool = False  # now only: off the scale, drawn at the edge after a break


@dataclass
class TimelineSegment:
    state: State
    start: float  # positions 0..1
    end: float
    label: str  # "valid", "expired", "not yet valid"


@dataclass
class Timeline:
    points: list[TimelinePoint]  # chronological; "now" is one of them
    segments: list[TimelineSegment]  # cover 0..1 without gaps
    now: float
    state: State  # the state now
    lifetime: float | None = None  # exp - (iat or nbf), seconds
    has_exp: bool = True
    never_valid: bool = False  # nbf after exp
    off_scale: Literal["before", "after"] | None = None  # where now is when it had to be clamped
    break_position: float | None = None  # where the axis is broken, when clamped
    notes: list[str] = field(default_factory=list)


def build_timeline(token: TokenReport, now: float) -> Timeline | None:
    """The timeline of a token's iat/nbf/exp around now, or None when it has none of them as a usable number."""
    payload = token.payload if token.kind != "JWE" else None
    if not isinstance(payload, dict):
        return None
    readings = {n: times.seconds(payload.get(n)) for n in ("iat", "nbf", "exp")}
    present = {n: t for n, t in readings.items() if t is not None}
    if not present:
        return None
    now = float(now)
    iat, nbf, exp = readings["iat"], readings["nbf"], readings["exp"]
    claim_times = sorted(set(present.values()))
    pos, off_scale = _scale(claim_times, now)
    start = iat if iat is not None else nbf
    notes = []
    if nbf is not None and exp is not None and nbf >= exp:
        notes.append("nbf is not before exp: the token is never valid.")
    if exp is not None and iat is not None and exp <= iat:
        notes.append("exp is not after iat: the token was expired when issued.")
    return Timeline(
        points=_points(present, claim_times, now, pos, off_scale),
        segments=_segments(claim_times, pos, iat, nbf, exp),
        now=now,
        state=times.state_at(now, iat, nbf, exp),
        lifetime=exp - start if exp is not None and start is not None else None,
        has_exp=exp is not None,
        never_valid=nbf is not None and exp is not None and nbf >= exp,
        off_scale=off_scale,
        break_position=CLAMP_BREAK if off_scale == "after" else (1 - CLAMP_BREAK if off_scale == "before" else None),
        notes=notes,
    )


def _scale(claim_times: list[float], now: float) -> tuple[Callable[[float], float], Literal["before", "after"] | None]:
    """Positions on the axis: linear over the claims and now, unless now is so far away that the claims would shrink
    to a dot; then the claims keep most of the axis and now is drawn at the edge after a break."""
    lo, hi = claim_times[0], claim_times[-1]
    span = hi - lo
    off_scale: Literal["before", "after"] | None = None
    if len(claim_times) >= 2 and not (lo - ZOOM * span <= now <= hi + ZOOM * span):
        off_scale = "after" if now > hi else "before"
    if off_scale == "after":
        a, b = CLAMP_SPAN
    elif off_scale == "before":
        a, b = 1 - CLAMP_SPAN[1], 1 - CLAMP_SPAN[0]
    else:
        lo, hi = min(lo, now), max(hi, now)
        a, b = MARGIN, 1 - MARGIN

    def pos(t: float) -> float:
        return 0.5 if hi == lo else a + (b - a) * (t - lo) / (hi - lo)

    return pos, off_scale


def _points(present: dict[str, float], claim_times: list[float], now: float, pos: Callable[[float], float],
            off_scale: Literal["before", "after"] | None) -> list[TimelinePoint]:
    points: list[TimelinePoint] = []
    for t in claim_times:
        names = [n for n in ("iat", "nbf", "exp") if present.get(n) == t]
        labels = [CLAIM_LABELS[n][0] for n in names]
        if "exp" in names and t <= now:
            labels[names.index("exp")] = "expired"
        points.append(TimelinePoint(names, ", ".join(labels), t, utc_text(t), relative(t - now), pos(t)))
    now_pos = {"after": CLAMP_NOW, "before": 1 - CLAMP_NOW, None: None}[off_scale]
    points.append(TimelinePoint(["now"], "now", now, utc_text(now) if times.in_range(now) else "", "now",
                                now_pos if now_pos is not None else pos(now), clamped=off_scale is not None))
    points.sort(key=lambda p: (p.epoch, p.names == ["now"]))
    return points


def _segments(cuts: list[float], pos: Callable[[float], float], iat: float | None, nbf: float | None,
              exp: float | None) -> list[TimelineSegment]:
    """State segments between the moments where the state can change, covering 0..1."""
    pieces: list[TimelineSegment] = []
    edges = [(-math.inf, 0.0)] + [(t, pos(t)) for t in cuts] + [(math.inf, 1.0)]
    for (t0, p0), (t1, p1) in zip(edges, edges[1:], strict=False):
        state = times.state_at(t1 - 1 if t0 == -math.inf else t0, iat, nbf, exp)
        if p1 <= p0:
            continue
        if pieces and pieces[-1].state == state:
            pieces[-1].end = p1
        else:
            pieces.append(TimelineSegment(state, p0, p1, STATE_WORDS[state]))
    return pieces


# --- words ------------------------------------------------------------------------------------------------------


def timeline_text(timeline: Timeline) -> str:
    """The timeline's facts in sentences: each time in UTC and relative to now, the lifetime, the state now."""
    sentences: list[str] = []
    for p in timeline.points:
        if p.names == ["now"]:
            continue
        words = [CLAIM_LABELS[n][1] for n in p.names]
        if "exp" in p.names and p.epoch <= timeline.now:
            words[p.names.index("exp")] = "Expired"
        text = words[0] + "".join(", " + w.lower() for w in words[1:-1])
        if len(words) > 1:
            text += " and " + words[-1].lower()
        sentences.append(f"{text} {p.utc} ({p.relative}).")
    if timeline.lifetime is not None and timeline.lifetime > 0:
        sentences.append(f"Lifetime {long_duration(timeline.lifetime)}.")
    if not timeline.has_exp:
        sentences.append("No expiry: the token has no exp claim.")
    sentences += timeline.notes
    now_point = next(p for p in timeline.points if p.names == ["now"])
    when = f"Now ({now_point.utc})" if now_point.utc else "Now"
    sentences.append(f"{when}: {STATE_WORDS[timeline.state]}.")
    if timeline.off_scale:
        side = "after the last" if timeline.off_scale == "after" else "before the first"
        sentences.append(f"Now is far {side} time claim; the picture breaks the axis to show it.")
    return " ".join(sentences)


# --- SVG --------------------------------------------------------------------------------------------------------

WIDTH = 320  # drawn 1:1 in a 360 px wide phone screen, so the labels keep their size there
PAD = 8
TRACK_Y = 40
TRACK_H = 16
FONT = 11
CHAR_W = 6.5  # average advance of the page's sans-serif at FONT px, for label collision only
ROWS = ((14, 26), (TRACK_Y + TRACK_H + 18, TRACK_Y + TRACK_H + 30), (TRACK_Y + TRACK_H + 48, TRACK_Y + TRACK_H + 60))

# Fallback fills (CSS classes override them): mid tones that read on white and on near-black, with a text color
# inside each that keeps a 4.5:1 contrast.
FILLS = {"valid": ("#237a36", "#ffffff"), "expired": ("#c92a2a", "#ffffff"), "not-yet-valid": ("#f59f00", "#000000")}
CLASSES = {"valid": "tl-valid", "expired": "tl-expired", "not-yet-valid": "tl-nyv"}

TIMELINE_CSS = """\
.tl { color: inherit; max-width: 100%; height: auto; }
.tl-seg.tl-valid { fill: var(--tl-valid, #237a36); }
.tl-seg.tl-expired { fill: var(--tl-expired, #c92a2a); }
.tl-seg.tl-nyv { fill: var(--tl-nyv, #f59f00); }
.tl-seg-text { fill: var(--tl-seg-text, #ffffff); }
.tl-seg-text.tl-nyv { fill: var(--tl-nyv-text, #000000); }
.tl-tick, .tl-now, .tl-break { stroke: currentColor; }
.tl-label, .tl-arrow { fill: currentColor; }
"""


def _x(position: float) -> float:
    return round(PAD + max(0.0, min(1.0, position)) * (WIDTH - 2 * PAD), 1)


def _num(v: float) -> str:
    return f"{v:g}"


def render_svg(timeline: Timeline, id_prefix: str = "tl") -> str:
    """The timeline as an inline SVG string (viewBox WIDTH wide, scales down to any width)."""
    ident = "".join(c for c in id_prefix if c.isalnum() or c in "-_") or "tl"
    labels, bottom = _point_parts(timeline)
    height = max(bottom, TRACK_Y + TRACK_H + 8)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tl" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{ident}-title">Token timeline: {escape(STATE_WORDS[timeline.state])} now</title>'
        f'<desc id="{ident}-desc">{escape(timeline_text(timeline))}</desc>'
        + "".join(_bar_parts(timeline) + labels)
        + "</svg>"
    )


def _bar_parts(timeline: Timeline) -> list[str]:
    """The state bar: a rectangle per state (with its word when it fits), the break mark, the open end."""
    parts: list[str] = []
    for seg in timeline.segments:
        x0, x1 = _x(seg.start), _x(seg.end)
        fill, text_fill = FILLS[seg.state]
        cls = CLASSES[seg.state]
        parts.append(f'<rect class="tl-seg {cls}" x="{_num(x0)}" y="{TRACK_Y}" width="{_num(round(x1 - x0, 1))}" '
                     f'height="{TRACK_H}" fill="{fill}"><title>{escape(seg.label)}</title></rect>')
        if timeline.break_position is not None and x0 < _x(timeline.break_position) < x1:
            bx = _x(timeline.break_position)  # keep the state word clear of the break mark
            x0, x1 = max((x0, bx - 8), (bx + 8, x1), key=lambda r: r[1] - r[0])
        if x1 - x0 >= len(seg.label) * (CHAR_W - 0.6) + 8:
            parts.append(f'<text class="tl-seg-text {cls}" x="{_num(round((x0 + x1) / 2, 1))}" '
                         f'y="{TRACK_Y + TRACK_H / 2 + 3:g}" font-size="{FONT - 1}" text-anchor="middle" '
                         f'fill="{text_fill}" aria-hidden="true">{escape(seg.label)}</text>')
    if timeline.break_position is not None:
        bx = _x(timeline.break_position)
        for dx in (-3, 3):
            parts.append(f'<line class="tl-break" x1="{_num(bx + dx - 3)}" y1="{TRACK_Y + TRACK_H + 4}" '
                         f'x2="{_num(bx + dx + 3)}" y2="{TRACK_Y - 4}" stroke="currentColor" stroke-width="1.5"/>')
    if not timeline.has_exp:  # open end: the token never expires
        y = TRACK_Y + TRACK_H / 2
        parts.append(f'<path class="tl-arrow" d="M{WIDTH - 1} {y:g} l-7 -6 v12 z" fill="currentColor"/>')
    return parts


def _point_parts(timeline: Timeline) -> tuple[list[str], float]:
    """Ticks and two-line labels, placed in rows so that neighbours do not overlap; and the lowest y used."""
    parts: list[str] = []
    row_end = [-math.inf] * len(ROWS)
    bottom = TRACK_Y + TRACK_H + 8
    for p in timeline.points:
        is_now = p.names == ["now"]
        line1 = p.label + (" ›" if is_now and timeline.off_scale == "after" else "")
        line1 = ("‹ " + line1) if is_now and timeline.off_scale == "before" else line1
        line2 = STATE_WORDS[timeline.state] if is_now else p.relative
        w = max(len(line1), len(line2)) * CHAR_W + 4
        x = _x(p.position)
        cx = min(max(x, w / 2 + 1), WIDTH - w / 2 - 1)
        row = next((i for i, end in enumerate(row_end) if cx - w / 2 >= end + 4), len(ROWS) - 1)
        row_end[row] = cx + w / 2
        y1, y2 = ROWS[row]
        tick = (y2 + 3, TRACK_Y) if row == 0 else (TRACK_Y + TRACK_H, y1 - FONT)
        if row:
            bottom = max(bottom, y2 + 6)
        if is_now:  # the now line crosses the bar as well as leading to its label
            tick = (min(tick[0], TRACK_Y - 4), max(tick[1], TRACK_Y + TRACK_H + 4))
        desc = f"{p.label}: {p.utc} ({p.relative})" if not is_now else f"now: {p.utc}, {line2}"
        style = ('class="tl-now" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"' if is_now
                 else 'class="tl-tick" stroke="currentColor" stroke-width="1"')
        parts.append(
            f'<g class="tl-point"><title>{escape(desc)}</title>'
            f'<line {style} x1="{_num(x)}" y1="{_num(min(tick))}" x2="{_num(x)}" y2="{_num(max(tick))}"/>'
            f'<text class="tl-label" x="{_num(round(cx, 1))}" font-size="{FONT}" text-anchor="middle" '
            f'fill="currentColor"><tspan x="{_num(round(cx, 1))}" y="{y1}" font-weight="bold">{escape(line1)}</tspan>'
            f'<tspan x="{_num(round(cx, 1))}" y="{y2}">{escape(line2)}</tspan></text></g>'
        )
    return parts, bottom
