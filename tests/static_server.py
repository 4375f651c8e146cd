"""A small static file server for dist/: used by `build.py serve`, the end-to-end tests and the benchmarks.

Serves a folder under an optional URL prefix (to prove the page works under a sub-path), with the MIME types the
page needs (.mjs, .wasm), and keeps a log of every request so tests can assert on the page's traffic.
"""

from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".zip": "application/zip",
    ".py": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
}


class StaticServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, host: str, port: int, prefix: str = "/") -> None:
        self.root = Path(root).resolve()
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.log: list[tuple[str, str, int]] = []  # (method, path, status)
        self.lock = threading.Lock()
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"


class Handler(SimpleHTTPRequestHandler):
    server: StaticServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        pass

    def _record(self, status: int) -> None:
        with self.server.lock:
            self.server.log.append((self.command, self.path, status))

    def send_response(self, code: int, message: str | None = None) -> None:
        self._record(code)
        super().send_response(code, message)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.server.prefix):
            return str(self.server.root / "\0missing")
        rel = path[len(self.server.prefix):]
        target = (self.server.root / rel).resolve()
        if target != self.server.root and self.server.root not in target.parents:
            return str(self.server.root / "\0missing")
        return str(target)

    def guess_type(self, path: str) -> str:
        suffix = Path(path).suffix
        return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"

    def end_headers(self) -> None:
        # The page is static and versioned by the build; revalidate so a new build is picked up at once.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_POST(self) -> None:  # the page never posts; record it so tests see it
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    do_PUT = do_DELETE = do_PATCH = do_POST


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0, prefix: str = "/") -> StaticServer:
    return StaticServer(root, host, port, prefix)


def start_in_thread(root: Path, host: str = "127.0.0.1", port: int = 0, prefix: str = "/") -> StaticServer:
    server = make_server(root, host, port, prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
