"""The main thread watched from inside a page, shared by the page benchmarks (startup.py, blocking.py).

``install(page, name)`` puts an object at ``window[name]`` that records, from then on:
  - every long task (Long Tasks API: a task of 50 ms or more, with its start and duration),
  - every long animation frame (Long Animation Frames API: a frame of 50 ms or more, with the time its scripts ran
    and the time style and layout took, which says whether script or layout blocked the page),
  - the longest gap between two animation frames (a requestAnimationFrame loop).
``window[name].reset()`` starts a new window of observation; ``collect(page, name)`` returns what happened since:
long tasks and frames that ended after the reset, and the longest frame gap.
(Not collected by the build's test runner or the bench task: the leading underscore keeps it out of both.)
"""

from __future__ import annotations

WATCH = """
(name) => {
  if (window[name]) return;
  const t = (window[name] = { since: performance.now(), longtasks: [], frames: [], maxFrameGap: 0 });
  t.reset = () => { t.since = performance.now(); t.maxFrameGap = 0; };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) t.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask" });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const end = e.startTime + e.duration;
        t.frames.push({
          start: e.startTime, duration: e.duration,
          script: e.scripts.reduce((sum, s) => sum + s.duration, 0),
          forced_layout: e.scripts.reduce((sum, s) => sum + (s.forcedStyleAndLayoutDuration || 0), 0),
          render: e.renderStart ? end - e.renderStart : 0,
          style_layout: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((s) => ({ invoker: s.invoker, duration: s.duration })).slice(0, 8),
        });
      }
    }).observe({ type: "long-animation-frame" });
  } catch (error) {
    t.frames = null;  // a browser without the Long Animation Frames API
  }
  let last = performance.now();
  const frame = (now) => {
    t.maxFrameGap = Math.max(t.maxFrameGap, now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
"""

COLLECT = """
(name) => {
  const t = window[name];
  const after = (e) => e.start + e.duration > t.since;
  return {
    since: t.since,
    longtasks: t.longtasks.filter(after),
    frames: t.frames === null ? null : t.frames.filter(after),
    maxFrameGap: t.maxFrameGap,
  };
}
"""


def install(page, name: str = "__mainthread") -> None:
    page.evaluate(WATCH, name)


def reset(page, name: str = "__mainthread") -> None:
    page.evaluate("(name) => window[name].reset()", name)


def collect(page, name: str = "__mainthread") -> dict:
    """Long tasks ({start, duration}), long animation frames (or None) and the longest frame gap since the reset."""
    return page.evaluate(COLLECT, name)
