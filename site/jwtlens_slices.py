"""Long jobs in the page (the weak-secret search, a PBES2 password's key, an RSA key) done a slice per timer tick: each
slice runs and returns, so the browser handles input and paints between them and the tab never freezes."""

from __future__ import annotations

from collections.abc import Callable

from pyodide.ffi import create_proxy


class Slices:
    """One job at a time: starting a job replaces the one running, ``cancel`` drops it (its last slice has run)."""

    def __init__(self, window) -> None:
        self.window = window
        self.job: tuple[int, Callable[[], bool], Callable[[], None]] | None = None
        self.started = 0
        self.proxy = create_proxy(self._tick)  # one JS callable for every tick

    def start(self, step: Callable[[], bool], finish: Callable[[], None], delay_ms: int = 0) -> None:
        """``step()`` runs one slice and says whether the job is done; ``finish()`` then runs once, the job over
        (so it may start another)."""
        self.started += 1
        self.job = (self.started, step, finish)
        self.window.setTimeout(self.proxy, delay_ms, self.started)

    def cancel(self) -> None:
        self.job = None

    def _tick(self, number, *_args) -> None:
        job = self.job
        if job is None or job[0] != number:  # cancelled, or replaced by a newer job with its own ticks
            return
        if not job[1]():
            self.window.setTimeout(self.proxy, 0, number)
            return
        self.job = None
        job[2]()
