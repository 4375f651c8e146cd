"""The token timeline (jwtlens.timeline): data, SVG (well-formed, escaped, accessible) and its text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from jwtlens.report import TokenReport
from jwtlens.timeline import (
    CLAMP_NOW,
    WIDTH,
    Timeline,
    TimelinePoint,
    TimelineSegment,
    build_timeline,
    render_svg,
    timeline_text,
)

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
SVG = "{http://www.w3.org/2000/svg}"


def token(payload: object, kind: str = "JWS") -> TokenReport:
    return TokenReport(token="x.y.z", kind=kind, segments=[], header={"alg": "RS256"}, payload=payload)  # type: ignore


def timeline(payload: object, now: float = NOW) -> Timeline:
    t = build_timeline(token(payload), now)
    assert t is not None
    return t


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == SVG + "svg"
    return root


def point(t: Timeline, name: str) -> TimelinePoint:
    return next(p for p in t.points if name in p.names)


def state_at(t: Timeline, position: float) -> str:
    return next(s.state for s in t.segments if s.start <= position <= s.end)


def check_shape(t: Timeline) -> None:
    """Segments tile 0..1; positions are in range and follow time."""
    assert t.segments[0].start == 0.0 and t.segments[-1].end == 1.0
    for a, b in zip(t.segments, t.segments[1:], strict=False):
        assert a.end == b.start and a.state != b.state
    assert all(0.0 <= p.position <= 1.0 for p in t.points)
    ordered = sorted(t.points, key=lambda p: p.epoch)
    assert [p.position for p in ordered] == sorted(p.position for p in ordered)


# --- data ---------------------------------------------------------------------------------------------------------


def test_valid_token_with_iat_nbf_exp() -> None:
    t = timeline({"iat": NOW - 600, "nbf": NOW - 600, "exp": NOW + 300})
    check_shape(t)
    assert t.state == "valid" and t.lifetime == 900 and t.off_scale is None
    merged = point(t, "iat")
    assert merged.names == ["iat", "nbf"] and merged.label == "issued, valid from"
    assert merged.utc == "2027-01-15T07:50:00Z" and merged.relative == "10 min ago"
    exp = point(t, "exp")
    assert exp.label == "expires" and exp.relative == "in 5 min"
    now = point(t, "now")
    assert merged.position < now.position < exp.position
    assert state_at(t, (merged.position + exp.position) / 2) == "valid"
    assert state_at(t, (exp.position + 1) / 2) == "expired"
    assert state_at(t, merged.position / 2) == "not-yet-valid"


def test_only_exp() -> None:
    t = timeline({"exp": NOW - 3 * 86400})
    check_shape(t)
    assert t.state == "expired" and t.lifetime is None and t.has_exp
    assert [p.names for p in t.points] == [["exp"], ["now"]]
    assert point(t, "exp").label == "expired" and point(t, "exp").relative == "3 days ago"


def test_only_iat_has_no_expiry() -> None:
    t = timeline({"iat": NOW - 100, "sub": "x"})
    check_shape(t)
    assert t.state == "valid" and not t.has_exp
    assert [s.state for s in t.segments] == ["not-yet-valid", "valid"]
    assert "No expiry" in timeline_text(t)


@pytest.mark.parametrize("payload", [
    {"sub": "x"}, {"exp": "tomorrow", "iat": True, "nbf": None}, {"exp": float("inf")}, {"exp": 10**20},
    [], "text", None,
])
def test_no_usable_time_claims_gives_none(payload: object) -> None:
    assert build_timeline(token(payload), NOW) is None


def test_encrypted_token_has_no_timeline() -> None:
    assert build_timeline(token({"exp": NOW}, kind="JWE"), NOW) is None


def test_now_far_after_the_token_is_clamped() -> None:
    t = timeline({"iat": NOW - 3 * 365 * 86400, "exp": NOW - 3 * 365 * 86400 + 900})
    check_shape(t)
    now = point(t, "now")
    assert now.clamped and t.off_scale == "after" and now.position == CLAMP_NOW
    assert t.break_position is not None and point(t, "exp").position < t.break_position < now.position
    # the 15 minutes still get most of the axis instead of shrinking to a dot
    assert point(t, "exp").position - point(t, "iat").position > 0.5
    assert t.state == "expired" and "breaks the axis" in timeline_text(t)


def test_now_far_before_the_token_is_clamped() -> None:
    t = timeline({"iat": NOW + 400 * 86400, "exp": NOW + 400 * 86400 + 3600})
    check_shape(t)
    assert t.off_scale == "before" and point(t, "now").position == pytest.approx(1 - CLAMP_NOW)
    assert t.state == "not-yet-valid"


def test_now_near_the_token_stays_on_the_scale() -> None:
    t = timeline({"iat": NOW - 3600, "exp": NOW - 1800})  # 30 min after expiry of a 30 min token
    assert t.off_scale is None and not point(t, "now").clamped


def test_nbf_after_exp_is_never_valid() -> None:
    t = timeline({"iat": NOW - 60, "nbf": NOW + 3600, "exp": NOW + 600})
    check_shape(t)
    assert t.never_valid and "valid" not in [s.state for s in t.segments]
    assert t.state == "not-yet-valid"
    assert "never valid" in timeline_text(t)


def test_single_time_equal_to_now() -> None:
    t = timeline({"iat": NOW})
    check_shape(t)
    assert point(t, "iat").relative == "now"


# --- text alternative ---------------------------------------------------------------------------------------------


def test_text_alternative_has_the_facts() -> None:
    t = timeline({"iat": NOW - 600, "exp": NOW + 300})
    text = timeline_text(t)
    assert "Issued 2027-01-15T07:50:00Z (10 min ago)." in text
    assert "Expires 2027-01-15T08:05:00Z (in 5 min)." in text
    assert "Lifetime 15 minutes." in text
    assert text.endswith("Now (2027-01-15T08:00:00Z): valid.")
    expired = timeline_text(timeline({"iat": NOW - 7200, "exp": NOW - 3600}))
    assert "Expired 2027-01-15T07:00:00Z (1 h ago)." in expired and expired.endswith(": expired.")


# --- SVG ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [
    {"iat": NOW - 600, "nbf": NOW - 600, "exp": NOW + 300},
    {"exp": NOW - 86400},
    {"iat": NOW - 100},
    {"iat": NOW - 10**8, "exp": NOW - 10**8 + 60},
    {"iat": NOW + 10**8, "exp": NOW + 10**8 + 60},
    {"iat": NOW, "nbf": NOW + 3600, "exp": NOW + 600},
    {"iat": NOW - 1, "nbf": NOW, "exp": NOW + 1},
])
def test_svg_is_well_formed_and_accessible(payload: dict) -> None:
    t = timeline(payload)
    root = parse(render_svg(t))
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH} ")
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == timeline_text(t)
    # one bar piece per state segment, one labelled group per point
    assert len(root.findall(SVG + "rect")) == len(t.segments)
    groups = root.findall(SVG + "g")
    assert len(groups) == len(t.points)
    labels = [" ".join(tspan.text or "" for tspan in g.iter(SVG + "tspan")) for g in groups]
    assert any(label.startswith("now") or label.startswith("‹ now") for label in labels)
    # everything drawn stays inside the viewBox horizontally
    for el in root.iter():
        for attr in ("x", "x1", "x2"):
            if el.get(attr) is not None:
                assert 0 <= float(el.get(attr)) <= WIDTH


def test_svg_uses_theme_colors_and_classes() -> None:
    svg = render_svg(timeline({"iat": NOW - 600, "exp": NOW - 300}))
    root = parse(svg)
    assert "currentColor" in svg
    classes = {el.get("class") for el in root.iter(SVG + "rect")}
    assert classes == {"tl-seg tl-nyv", "tl-seg tl-valid", "tl-seg tl-expired"}
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg


def test_svg_escapes_all_text() -> None:
    hostile = "<script>alert(1)</script> & \"quotes\" 'too' ]]>"
    t = timeline({"iat": NOW - 600, "exp": NOW + 300})
    t.points[0].label = hostile
    t.points[0].relative = hostile
    t.points[0].utc = hostile
    t.segments[0] = TimelineSegment(t.segments[0].state, t.segments[0].start, t.segments[0].end, hostile * 3)
    svg = render_svg(t, id_prefix='x" onload="alert(1)')
    root = parse(svg)
    assert "<script" not in svg and '"' not in root.find(SVG + "title").get("id", "")
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert not [el for el in root.iter() if any(name.startswith("on") for name in el.attrib)]
    texts = "".join(root.itertext())
    assert hostile in texts  # shown as text, intact
    for el in root.iter():
        for name, value in el.attrib.items():
            assert "<" not in value and "alert(" not in value and '"' not in value, (name, value)
