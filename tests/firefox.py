"""Firefox for the end-to-end tests, driven through WebDriver BiDi, the protocol Firefox itself speaks.

Playwright drives only its own patched Firefox, and its BiDi mode asks for commands that Firefox ESR lacks
(emulation.setMediaFeaturesOverride, in Firefox 153 ESR); geckodriver is not packaged by Debian. Firefox started with
--remote-debugging-port serves WebDriver BiDi itself, so this small client over a WebSocket (the `websockets` package)
is all the tests need: open a page, evaluate script in it, and record the page's requests.

Firefox runs headless in a fresh profile whose proxy is a closed port on 127.0.0.1, so whatever the browser itself
might want to fetch (updates, telemetry, safe browsing) cannot leave this machine; the pages under test are file://.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

# Also: no first-run pages, no update checks, no telemetry, no prefetching (the remote agent adds its own set).
PREFS = {
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.share_proxy_settings": True,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "extensions.update.enabled": False,
}


def firefox_executable() -> str | None:
    for name in ("firefox-esr", "firefox"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BidiError(RuntimeError):
    pass


class Firefox:
    """One headless Firefox with one tab; events of the subscribed kinds are kept in `events`."""

    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        from websockets.sync.client import connect  # a test extra: tests skip Firefox without it

        self.profile = Path(tempfile.mkdtemp(prefix="jwtlens-firefox-"))
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items()))
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port=0",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        self.connection = ExitStack()
        self.socket = self.connection.enter_context(
            connect(self._endpoint(timeout) + "/session", max_size=None, open_timeout=timeout))
        self.version = self.send("session.new", capabilities={})["capabilities"]["browserVersion"]
        self.context = self.send("browsingContext.getTree")["contexts"][0]["context"]

    def _endpoint(self, timeout: float) -> str:
        """The WebSocket address Firefox prints on stderr; its stderr is drained from then on (a full pipe would
        stall the browser), keeping the last lines for error messages."""
        found = threading.Event()
        self.log: list[str] = []

        def drain() -> None:
            for line in self.process.stderr:
                self.log = [*self.log[-50:], line.rstrip()]
                match = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
                if match and not found.is_set():
                    self.address = match[1].rstrip("/")
                    found.set()

        threading.Thread(target=drain, daemon=True).start()
        if not found.wait(timeout):
            self.close()
            raise BidiError("Firefox did not start its WebDriver BiDi server: " + "\n".join(self.log[-10:]))
        return self.address

    def send(self, method: str, **params) -> dict:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == number:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def subscribe(self, *events: str) -> None:
        self.send("session.subscribe", events=list(events), contexts=[self.context])

    def goto(self, url: str) -> None:
        self.send("browsingContext.navigate", context=self.context, url=url, wait="interactive")

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (awaited when it is a promise), as JSON."""
        result = self.send("script.evaluate", expression=f"(async () => JSON.stringify(await ({expression})))()",
                           target={"context": self.context}, awaitPromise=True)
        if result["type"] == "exception":
            raise BidiError(result["exceptionDetails"]["text"])
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    def wait_for(self, expression: str, timeout: float = 90.0, interval: float = 0.05):
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {expression}")
            time.sleep(interval)

    def close(self) -> None:
        try:
            if getattr(self, "socket", None):
                try:
                    self.send("session.end")
                except Exception:  # noqa: BLE001 - the browser may be gone already
                    pass
                self.connection.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
