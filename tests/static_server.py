"""A small static file server for dist/: used by `build.py serve`, the end-to-end tests and the benchmarks.

Serves a folder under an optional URL prefix (to prove the page works under a sub-path), with the MIME types the
page needs (.mjs, .wasm), and keeps a log of every request so tests can assert on the page's traffic.
Like a well-configured static host (docs/deploy.md): serves the build's precompressed `.zst`/`.br`/`.gz` siblings with
Content-Encoding when the browser accepts them, and answers revalidations (ETag, Last-Modified) with 304.
"""

from __future__ import annotations

import email.utils
import mimetypes
import os
import sys
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
    ".png": "image/png",
    ".bin": "application/octet-stream",
}
# Precompressed siblings written by build.py, best first.
ENCODINGS = (("zstd", ".zst"), ("br", ".br"), ("gzip", ".gz"))  # in order of preference (build.PRECOMPRESSED)


class StaticServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, host: str, port: int, prefix: str = "/") -> None:
        self.root = Path(root).resolve()
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.log: list[tuple[str, str, int]] = []  # (method, path, status)
        self.lock = threading.Lock()
        super().__init__((host, port), Handler)

    def handle_error(self, request, client_address) -> None:
        # A browser closing a connection mid-response (a page closed while loading) is not a server error.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def stop(self) -> None:
        """Stop serving (start_in_thread's thread ends) and close the socket."""
        self.shutdown()
        self.server_close()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"


class Handler(SimpleHTTPRequestHandler):
    server: StaticServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts do

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
        # File names are not content-hashed, so caches must revalidate (cheap: ETag/304) to pick up a new build at
        # once. The service worker keeps its own versioned copy for speed and offline use.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def accepted_encodings(self) -> set[str]:
        accepted = set()
        for part in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = part.strip().partition(";")
            if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
                continue
            accepted.add(name.strip().lower())
        return accepted

    def send_head(self):
        """Like the base class, plus precompressed variants, ETag revalidation and keep-alive friendly redirects."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            parts = urlsplit(self.path)
            if not parts.path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", parts.path + "/" + (f"?{parts.query}" if parts.query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = path / "index.html"
        if not path.is_file():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        accepted = self.accepted_encodings()
        variants = [(name, path.with_name(path.name + suffix)) for name, suffix in ENCODINGS]
        has_variants = any(candidate.is_file() for _, candidate in variants)
        encoding, served = None, path
        for name, candidate in variants:
            if name in accepted and candidate.is_file():
                encoding, served = name, candidate
                break
        stat = served.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}{"-" + encoding if encoding else ""}"'
        common = [("ETag", etag), ("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))]
        if has_variants:
            common.append(("Vary", "Accept-Encoding"))
        if etag in {tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")}:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in common:
                self.send_header(name, value)
            self.end_headers()
            return None
        handle = open(served, "rb")  # noqa: SIM115 - the base class copies and closes it
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(os.fstat(handle.fileno()).st_size))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in common:
            self.send_header(name, value)
        self.end_headers()
        return handle

    def do_POST(self) -> None:  # the page never posts; record it so tests see it
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    do_PUT = do_DELETE = do_PATCH = do_POST


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0, prefix: str = "/") -> StaticServer:
    return StaticServer(root, host, port, prefix)


def start_in_thread(root: Path, host: str = "127.0.0.1", port: int = 0, prefix: str = "/") -> StaticServer:
    server = make_server(root, host, port, prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
