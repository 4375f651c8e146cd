#!/usr/bin/env python3
"""Build dist/ (the deployable folder) and run the developer tasks.

    python3 build.py [--no-snapshot] [--test-hooks]   build dist/ (--no-snapshot: Pyodide boots without its snapshot;
                                                   --test-hooks: bundle the end-to-end tests' hooks)
    python3 build.py serve [--port N] [--host H]   build, then serve dist/ (default http://127.0.0.1:8000)
    python3 build.py test [PYTEST ARGS]            set up .venv, build, run every test (then the Pyodide run below;
                                                   with PYTEST ARGS, only those tests, in CPython)
    python3 build.py pyodide-test [PYTEST ARGS]    the unit tests that need no browser, inside the pinned Pyodide
    python3 build.py bench [NAME ...]              set up .venv, build, run the benchmarks under bench/

Needs only Python 3.11+ and Node 20+ (npm): JavaScript comes from `npm ci` (package-lock.json), Python wheels from
`pip download` by the exact versions pinned in pyproject.toml. Nothing here reaches a CDN.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
SITE = ROOT / "site"
CACHE = ROOT / ".cache"
VENV = ROOT / ".venv"
NODE_MODULES = ROOT / "node_modules"

# Only what the page loads: the Pyodide runtime without its REPL pages, d.ts files and source maps.
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# Left out of dist/: the editor's and terminal's libraries (CodeMirror, xterm), MicroPython, TOML config, package
# installation and archive unpacking, none of which the page loads; also the entry modules of the plugins
# site/pyscript.json turns off (see pyscript_plugin_setup).
PYSCRIPT_SKIP_PREFIXES = (
    "codemirror", "xterm", "mpy-", "storage", "service-worker", "index-", "toml-", "pyodide_graph-", "zip-",
)
# The wheels' own test suites (ecdsa ships its tests inside the package) are not needed in the page.
TEST_MODULE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$)")
# A zip entry's timestamp: fixed so the bundle (and its hash) only changes when its contents do.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
TOOLS = ROOT / "tools"
# Page code that ships in the bundle rather than as a file of its own: the snapshot imports it at build time.
BUNDLED_FROM_SITE = ("jwtlens_page.py", "jwtlens_encode.py", "jwtlens_markup.py", "jwtlens_slices.py")
# The end-to-end tests' hooks (window.jwtlensInspect, window.jwtlensProbe): bundled only into the test build.
TEST_HOOKS_FROM_SITE = ("jwtlens_test_hooks.py",)
# The Pyodide memory snapshot (tools/make_snapshot.mjs) and what site/boot.mjs checks it against.
SNAPSHOT_FILE = "pyodide-snapshot.bin"
# The standard library the snapshot resumes with: Pyodide's zip without the modules the snapshot holds
# (tools/make_snapshot.mjs, trimZip). A start without the snapshot uses Pyodide's whole zip.
SNAPSHOT_STDLIB_FILE = "pyodide-snapshot-stdlib.zip"
# The sources of PyScript's `pyscript` Python package, as PyScript embeds them: the snapshot holds them compiled.
PYSCRIPT_STDLIB = NODE_MODULES / "@pyscript" / "core" / "src" / "stdlib" / "pyscript.js"
BOOT_INFO_FILE = "boot.json"
# boot.mjs checks the snapshot a block at a time while it downloads, so only the last block is hashed after it ends.
SNAPSHOT_BLOCK_BYTES = 2 * 1024 * 1024
# Precompressed .zst/.br/.gz siblings for hosts that serve them (docs/deploy.md): text and binaries that shrink.
# (Not .zip or .png: already compressed.)
PRECOMPRESS_SUFFIXES = {".wasm", ".mjs", ".js", ".json", ".html", ".css", ".py", ".svg", ".bin", ".txt",
                        ".webmanifest", ".md"}
PRECOMPRESS_MIN_BYTES = 1024
PRECOMPRESS_MAX_RATIO = 0.95  # keep an encoded copy only when it saves at least 5%
# Brotli's best quality (11) takes about a minute on the 10 MB wasm. Above this size: 9 for the vendored files
# (compressed once, then cached), 7 for the rest (the snapshot changes with every code change; 7 is 3x faster than
# 9 there and only 2% bigger).
BROTLI_BEST_MAX_BYTES = 4 * 1024 * 1024
# Zstandard decodes about twice as fast as Brotli in the browser (the 18 MB snapshot: 237 vs 309 ms on its own), and
# level 19 is also 8% smaller than Brotli here. Level 19 takes 12 s on the snapshot, which changes with every code
# change: 12 there (2 s, as small as Brotli 7). The largest window a browser accepts is 8 MiB (RFC 9659).
ZSTD_BEST_LEVEL = 19
ZSTD_FAST_LEVEL = 12
ZSTD_MAX_WINDOW = 8 * 1024 * 1024
# Served in this order of preference (tests/static_server.py, docs/deploy.md).
PRECOMPRESSED = ((".zst", "zstd"), (".br", "br"), (".gz", "gzip"))
PRECOMPRESSED_SUFFIXES = tuple(suffix for suffix, _ in PRECOMPRESSED)
SW_MANIFEST_LINE = "const MANIFEST = null; // replaced by build.py with the precache manifest"
PYSCRIPT_PRELOADS_MARKER = "<!-- build.py: PyScript modulepreloads -->"
MPY_CONFIG_MARKER = "<!-- build.py: mpy-config -->"
# PyScript's chunk names end in a content hash: "py-editor-C4XsZtn7.js" is the chunk of the py-editor plugin.
PYSCRIPT_CHUNK = re.compile(r"^(?P<name>.+)-[A-Za-z0-9_-]{8}\.js$")
# index.html's one inline script, allowed by its hash: it explains, when the page is opened from disk, why it cannot
# start there (site/index.html).
DISK_SCRIPT = re.compile(r'<script id="opened-from-disk">(.*?)</script>', re.S)
DISK_SCRIPT_HASH_MARKER = "'sha256-(build.py: opened-from-disk)'"
# jwtlens.html: the page in one file that works opened from disk (build_single_file; its loader is
# site/single_file.js, inlined, not copied to dist/ as a file of its own).
SINGLE_FILE = "jwtlens.html"
SINGLE_FILE_LOADER = "single_file.js"
# Its CSP, stricter than index.html's: nothing is loaded from anywhere, not even from the page's own folder.
# - script-src: the loader by its hash, and blob: because every module runs from a blob: URL that the loader makes of
#   the embedded source (a module script cannot be inline and still be imported by URL, and file:// pages may not
#   load modules from files). 'unsafe-eval' and 'wasm-unsafe-eval' as in index.html (PyScript, Pyodide's wasm).
# - connect-src 'none': the loader answers fetch() from memory and never calls the browser's own, so no connection at
#   all is allowed, to any origin (index.html allows its own origin, 'self').
# - img-src data: for the icon, written in as a data: URL; style-src 'unsafe-inline' for the inline style sheet and
#   the style attributes the page sets (index.html needs the latter too). Everything else: default-src 'none'.
SINGLE_FILE_CSP = ("default-src 'none'; script-src {loader} blob: 'unsafe-eval' 'wasm-unsafe-eval'; "
                   "connect-src 'none'; img-src data:; style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
                   "form-action 'none'")
# Its files are base64 in elements of the page, in the order they are needed: the modules and the small files
# first, then those larger than this (single_file_entries). Each is gzipped when that saves at least 1%.
SINGLE_FILE_LARGE = 2 * 1024 * 1024
SINGLE_FILE_GZIP_MAX_RATIO = 0.99
# A file is written in pieces of this many stored bytes, so that the page uses each as soon as it has read it.
SINGLE_FILE_PIECE = 512 * 1024
SINGLE_FILE_TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                     ".json": "application/json", ".py": "text/plain; charset=utf-8", ".zip": "application/zip",
                     ".bin": "application/octet-stream"}
# What it holds: what index.html loads (module scripts, modulepreloads, preloads) and, should a change of index.html
# stop preloading one of them, what the page is known to import or fetch without a literal URL.
SINGLE_FILE_MODULES = ("vendor/pyodide/pyodide.asm.mjs",)  # boot.mjs imports it by a computed URL
SINGLE_FILE_FETCHED = ("vendor/pyodide/pyodide.asm.wasm", "vendor/pyodide/python_stdlib.zip", SNAPSHOT_FILE,
                       BOOT_INFO_FILE, "jwtlens-bundle.zip", "pyscript.json", "main.py")
# In a module's source: relative static imports, dynamic import( and import.meta (rewritten for blob: URLs).
STATIC_IMPORT = re.compile(r"""(\bfrom\s*|(?<![\w$.])import\s*)(["'])(\.\.?/[^"'\n]+)\2""")
DYNAMIC_IMPORT = re.compile(r"(?<![\w$.`])import\s*\(")
IMPORT_META = re.compile(r"(?<![\w$.])import\.meta\b")


def run(cmd: list[str], **kwargs) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def pinned_dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    for dep in deps:
        if "==" not in dep:
            raise SystemExit(f"pyproject.toml: runtime dependency {dep!r} must be pinned with ==")
    return deps


def ensure_node_modules() -> None:
    """npm ci when node_modules is missing or older than the lock file."""
    lock = ROOT / "package-lock.json"
    stamp = NODE_MODULES / ".jwtlens-lock-sha256"
    digest = sha256_file(lock)
    if stamp.exists() and stamp.read_text() == digest:
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm not found: install Node.js 20+ (it brings npm)")
    run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT)
    stamp.write_text(digest)


def ensure_wheels() -> list[Path]:
    """The pinned runtime wheels, downloaded once into .cache/wheels by exact version."""
    wheel_dir = CACHE / "wheels"
    deps = pinned_dependencies()
    wanted = {}
    for dep in deps:
        name, version = dep.split("==")
        wanted[name.lower().replace("-", "_")] = version
    found = {}
    if wheel_dir.exists():
        for whl in wheel_dir.glob("*.whl"):
            name, version = whl.name.split("-")[:2]
            if wanted.get(name.lower()) == version:
                found[name.lower()] = whl
    if len(found) != len(wanted):
        wheel_dir.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.11", "--implementation", "py", "-d", str(wheel_dir), *deps])
        return ensure_wheels()
    for whl in found.values():
        if not whl.name.endswith("-py3-none-any.whl") and not whl.name.endswith("-py2.py3-none-any.whl"):
            raise SystemExit(f"{whl.name} is not a pure-Python wheel: it cannot run in Pyodide from the bundle")
    return sorted(found.values())


def _zip_write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compresslevel=9)


def build_bundle(dest: Path, test_hooks: bool = False) -> None:
    """One zip of py/jwtlens, the page module and the runtime wheels' packages (zipimport, on sys.path); with
    ``test_hooks``, also the end-to-end tests' hooks."""
    entries: dict[str, bytes] = {}
    for whl in ensure_wheels():
        with zipfile.ZipFile(whl) as wz:
            for name in wz.namelist():
                # Keep the code and the licence files; drop RECORD/METADATA noise the page never reads.
                if ".dist-info/" in name and not any(k in name.upper() for k in ("LICENSE", "COPYING")):
                    continue
                if name.endswith("/") or TEST_MODULE.search(name):
                    continue
                entries[name] = wz.read(name)
    pkg = ROOT / "py" / "jwtlens"
    for path in sorted(pkg.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        entries[path.relative_to(ROOT / "py").as_posix()] = path.read_bytes()
    for name in BUNDLED_FROM_SITE + (TEST_HOOKS_FROM_SITE if test_hooks else ()):
        entries[name] = (SITE / name).read_bytes()
    with zipfile.ZipFile(dest, "w") as zf:
        for name in sorted(entries):
            _zip_write(zf, name, entries[name])


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot_hashes(path: Path) -> tuple[str, str]:
    """The snapshot's SHA-256 (the service worker's check) and the SHA-256 over the digests of its blocks
    (boot.mjs hashes each block as it arrives), from one read of the file."""
    data = path.read_bytes()
    block = SNAPSHOT_BLOCK_BYTES
    digests = b"".join(hashlib.sha256(data[at:at + block]).digest() for at in range(0, len(data), block))
    return hashlib.sha256(data).hexdigest(), hashlib.sha256(digests).hexdigest()


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node not found: install Node.js 20+")
    return node


def make_snapshot(pyodide_dir: Path, bundle: Path, out: Path, workdir: Path | None = None) -> dict:
    """The Pyodide memory snapshot for this Pyodide and bundle, made by tools/make_snapshot.mjs (cached), and the
    standard library zip it resumes with, written beside it (SNAPSHOT_STDLIB_FILE).

    Node runs in a scratch directory holding copies of its inputs, with an environment of only TZ=UTC: nothing of
    this machine (paths, user, variables) can reach the frozen process every visitor resumes.
    """
    node = node_executable()
    version = subprocess.run([node, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    key = hashlib.sha256()
    for part in [*(pyodide_dir / name for name in PYODIDE_FILES), bundle, TOOLS / "make_snapshot.mjs", PYSCRIPT_STDLIB]:
        key.update(hashlib.sha256(part.read_bytes()).digest())
    key.update(version.encode())
    digest = key.hexdigest()[:32]
    cache = CACHE / "snapshots"
    stdlib_out = out.with_name(SNAPSHOT_STDLIB_FILE)
    cached_bin, cached_info, cached_stdlib = (cache / f"{digest}{suffix}" for suffix in (".bin", ".json", ".zip"))
    if workdir is None and cached_bin.exists() and cached_info.exists() and cached_stdlib.exists():
        shutil.copyfile(cached_bin, out)
        shutil.copyfile(cached_stdlib, stdlib_out)
        return json.loads(cached_info.read_text())
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        scratch = Path(workdir or tmp)
        (scratch / "pyodide").mkdir(parents=True, exist_ok=True)
        for name in PYODIDE_FILES:
            shutil.copyfile(pyodide_dir / name, scratch / "pyodide" / name)
        shutil.copyfile(bundle, scratch / "bundle.zip")
        shutil.copyfile(TOOLS / "make_snapshot.mjs", scratch / "make_snapshot.mjs")
        shutil.copyfile(PYSCRIPT_STDLIB, scratch / "pyscript-stdlib.mjs")
        print("+ node make_snapshot.mjs (in a scratch directory)", flush=True)
        done = subprocess.run([node, "make_snapshot.mjs", "pyodide", "bundle.zip", "snapshot.bin", "stdlib.zip",
                               "pyscript-stdlib.mjs"], cwd=scratch,
                              env={"TZ": "UTC"}, capture_output=True, text=True)
        if done.returncode != 0:
            # Node's report of an uncaught error starts with the source line: Pyodide's whole minified module
            readable = "\n".join(line for line in done.stderr.splitlines() if len(line) < 1000)
            raise SystemExit(f"making the Pyodide snapshot failed:\n{done.stdout[-4000:]}\n{readable[-6000:]}")
        info = json.loads(done.stdout.strip().splitlines()[-1])
        for line in info.pop("output", []):
            print(f"  (python) {line}")
        if info["warmup_failures"]:
            print("warning: parts of the snapshot warm-up failed (the page imports them later):", flush=True)
            for failure in info["warmup_failures"]:
                print(f"  {failure}", flush=True)
        shutil.copyfile(scratch / "snapshot.bin", out)
        shutil.copyfile(scratch / "stdlib.zip", stdlib_out)
    if workdir is None:
        cache.mkdir(parents=True, exist_ok=True)
        for old in sorted(cache.glob("*.bin"), key=lambda p: p.stat().st_mtime)[:-3]:
            old.unlink()
            old.with_suffix(".json").unlink(missing_ok=True)
            old.with_suffix(".zip").unlink(missing_ok=True)
        shutil.copyfile(out, cached_bin)
        shutil.copyfile(stdlib_out, cached_stdlib)
        cached_info.write_text(json.dumps(info))
    return info


def pyodide_build_id(pyodide_mjs: Path) -> str | None:
    """The build id Pyodide stamps into snapshots and checks on load (for the record in boot.json)."""
    found = re.search(r'BUILD_ID:"([0-9a-f]+)"', pyodide_mjs.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def write_boot_info(dist: Path, pyodide_version: str, snapshot: dict | None) -> dict:
    """boot.json: what site/boot.mjs checks a snapshot against before resuming it."""
    bundle = dist / "jwtlens-bundle.zip"
    info = {
        "pyodide": pyodide_version,
        "pyodide_build_id": pyodide_build_id(dist / "vendor" / "pyodide" / "pyodide.mjs"),
        # site/boot.mjs hands Pyodide this instead of its 119 KB pyodide-lock.json: the page loads no package.
        "lock_info": json.loads((dist / "vendor" / "pyodide" / "pyodide-lock.json").read_text())["info"],
        "bundle": {"file": bundle.name, "path": (snapshot or {}).get("bundle_path", "/home/pyodide/" + bundle.name),
                   "sha256": sha256_file(bundle)},
        "snapshot": None,
    }
    if snapshot is not None:
        path = dist / SNAPSHOT_FILE
        whole, blocks = snapshot_hashes(path)
        stdlib = dist / SNAPSHOT_STDLIB_FILE
        info["snapshot"] = {"file": SNAPSHOT_FILE, "bytes": path.stat().st_size, "sha256": whole,
                            "stdlib": {"file": stdlib.name, "sha256": sha256_file(stdlib)},
                            "block_bytes": SNAPSHOT_BLOCK_BYTES, "blocks_sha256": blocks,
                            "image_bytes": snapshot["image_bytes"], "inherited": snapshot["inherited"],
                            "modules": snapshot.get("modules")}
    (dist / BOOT_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n")
    return info


def disabled_pyscript_plugins() -> set[str]:
    """The plugins site/pyscript.json turns off ("!name"), except `error`: PyScript imports that one even when it
    is off, to keep its messages out of the page."""
    config = json.loads((SITE / "pyscript.json").read_text(encoding="utf-8"))
    return {name[1:] for name in config.get("plugins", []) if name.startswith("!")} - {"error"}


def is_disabled_plugin_chunk(name: str, disabled: set[str]) -> bool:
    match = PYSCRIPT_CHUNK.match(name)
    return bool(match) and match["name"] in disabled


def pyscript_plugin_setup(dist: Path) -> None:
    """Write the <mpy-config> and the modulepreloads of PyScript's chunks into index.html.

    PyScript reads a config for each script type it knows, Python and MicroPython, and imports every plugin a config
    does not turn off; with no MicroPython config at all, that is every plugin, so the page would download and run
    the plugin modules it turns off for Python. An <mpy-config> with the same plugin list stops that (no
    MicroPython starts without an mpy script). The modulepreloads (chunk names carry content hashes, so the build
    writes the tags) let the browser fetch the chunks PyScript does import with the page, instead of one import
    after another."""
    config = json.loads((SITE / "pyscript.json").read_text(encoding="utf-8"))
    mpy_config = json.dumps({"plugins": config.get("plugins", [])}).replace("<", "\\u003c")
    index = dist / "index.html"
    folder = dist / "vendor" / "pyscript"
    names = [p.name for p in folder.glob("*.js") if p.name != "core.js"]
    # core.js imports the main chunk, which imports the plugins at start; chunks further down load on demand.
    first = {n for n in names if n in (folder / "core.js").read_text(encoding="utf-8")}
    chunks = sorted(first | {n for f in first for n in names if n in (folder / f).read_text(encoding="utf-8")})
    tags = "\n".join(f'  <link rel="modulepreload" href="vendor/pyscript/{name}">' for name in chunks)
    text = index.read_text(encoding="utf-8")
    for marker in (PYSCRIPT_PRELOADS_MARKER, MPY_CONFIG_MARKER):
        if text.count(marker) != 1:
            raise SystemExit(f"site/index.html must hold {marker} once")
    text = text.replace(f"  {PYSCRIPT_PRELOADS_MARKER}", tags)
    text = text.replace(MPY_CONFIG_MARKER, f"<mpy-config hidden>{mpy_config}</mpy-config>")
    index.write_text(text, encoding="utf-8")


def drop_snapshot_preload(index: Path) -> None:
    """A build without a snapshot must not ask the browser to preload one; it preloads Pyodide's whole standard
    library instead of the snapshot's."""
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if SNAPSHOT_FILE not in line)
    index.write_text(text.replace(f'"{SNAPSHOT_STDLIB_FILE}"', '"vendor/pyodide/python_stdlib.zip"'), encoding="utf-8")


def write_precache_manifest(dist: Path) -> str:
    """Write the list of dist/ files and their content hashes into sw.js; its version names the worker's cache."""
    sw = dist / "sw.js"
    files = {}
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        rel = path.relative_to(dist).as_posix()
        if rel == "sw.js" or path.suffix in PRECOMPRESSED_SUFFIXES:
            continue
        files[rel] = sha256_file(path)[:16]
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    text = sw.read_text(encoding="utf-8")
    if SW_MANIFEST_LINE not in text:
        raise SystemExit(f"site/sw.js: the line {SW_MANIFEST_LINE!r} is missing")
    manifest = json.dumps({"version": version, "files": files}, indent=1, sort_keys=True)
    sw.write_text(text.replace(SW_MANIFEST_LINE, f"const MANIFEST = {manifest};"), encoding="utf-8")
    return version


def zstd_window(frame: bytes) -> int:
    """The window size a Zstandard frame asks of its decoder (RFC 8878 3.1.1.1)."""
    if frame[:4] != b"\x28\xb5\x2f\xfd":
        raise ValueError("not a Zstandard frame")
    descriptor = frame[4]
    if descriptor & 0x20:  # single segment: no window descriptor; the window is the content size
        at = 5 + {0: 0, 1: 1, 2: 2, 3: 4}[descriptor & 3]  # after the dictionary id, if any
        size_bytes = {0: 1, 1: 2, 2: 4, 3: 8}[descriptor >> 6]
        size = int.from_bytes(frame[at : at + size_bytes], "little")
        return size + 256 if size_bytes == 2 else size
    exponent, mantissa = frame[5] >> 3, frame[5] & 7
    base = 1 << (10 + exponent)
    return base + base // 8 * mantissa


def precompress(dist: Path) -> None:
    """.zst, .br and .gz next to every file that shrinks by them (cached by content: the vendored files never
    change)."""
    cache = CACHE / "precompressed"
    cache.mkdir(parents=True, exist_ok=True)
    jobs, results = [], []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        if path.suffix not in PRECOMPRESS_SUFFIXES or path.stat().st_size < PRECOMPRESS_MIN_BYTES:
            continue
        size = path.stat().st_size
        vendored = path.relative_to(dist).parts[0] == "vendor"
        best = size <= BROTLI_BEST_MAX_BYTES or vendored
        quality = 11 if size <= BROTLI_BEST_MAX_BYTES else 9 if vendored else 7
        level = ZSTD_BEST_LEVEL if best else ZSTD_FAST_LEVEL
        digest = sha256_file(path)
        encoded = {".br": cache / f"{digest}.q{quality}.br", ".gz": cache / f"{digest}.gz",
                   ".zst": cache / f"{digest}.z{level}.zst"}
        job = {"src": str(path), "quality": quality, "zstd_level": level}
        job.update({suffix[1:]: str(target) for suffix, target in encoded.items() if not target.exists()})
        if len(job) > 3:
            jobs.append(job)
        results.append((path, encoded))
    if jobs:
        print(f"+ node tools/precompress.mjs ({len(jobs)} files)", flush=True)
        subprocess.run([node_executable(), str(TOOLS / "precompress.mjs")], input=json.dumps(jobs).encode(),
                       check=True)
    for path, encoded in results:
        size = path.stat().st_size
        with encoded[".zst"].open("rb") as frame:
            window = zstd_window(frame.read(18))  # the frame header is at most 18 bytes
        if window > ZSTD_MAX_WINDOW:
            raise SystemExit(f"{path.name}.zst needs a {window}-byte window; browsers allow {ZSTD_MAX_WINDOW}")
        for suffix, _ in PRECOMPRESSED:
            if encoded[suffix].stat().st_size <= size * PRECOMPRESS_MAX_RATIO:
                shutil.copyfile(encoded[suffix], path.with_name(path.name + suffix))
    used = {p.name for _, encoded in results for p in encoded.values()}
    for stale in cache.iterdir():  # forget what no build has used for a week
        if stale.name not in used and stale.stat().st_mtime < time.time() - 7 * 86400:
            stale.unlink()


def csp_hash(script: str) -> str:
    """A CSP source that allows the inline script with exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def write_disk_script_hash(index: Path) -> None:
    """Allow index.html's one inline script (#opened-from-disk) in its CSP, by the hash of its text."""
    text = index.read_text(encoding="utf-8")
    found = DISK_SCRIPT.findall(text)
    if len(found) != 1 or text.count(DISK_SCRIPT_HASH_MARKER) != 1:
        raise SystemExit("site/index.html must hold the #opened-from-disk script and its CSP hash marker once")
    index.write_text(text.replace(DISK_SCRIPT_HASH_MARKER, csp_hash(found[0])), encoding="utf-8")


def favicon_url(dist: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode((dist / "icon.svg").read_bytes()).decode()


def inline_favicon(index: Path) -> None:
    """The icon as a data: URL in index.html: Chromium fetches a file icon again when the fragment changes (#encode),
    which would be a request after start-up."""
    text = index.read_text(encoding="utf-8")
    link = '<link rel="icon" href="icon.svg" type="image/svg+xml">'
    if text.count(link) != 1:
        raise SystemExit(f"site/index.html must hold {link} once")
    index.write_text(text.replace(link, f'<link rel="icon" href="{favicon_url(index.parent)}" type="image/svg+xml">'),
                     encoding="utf-8")


def page_requests(index_html: str) -> tuple[list[str], list[str], list[str]]:
    """What index.html asks for: its module scripts (in order), its modulepreloads, and its other preloads, which are
    exactly the files the page fetches."""
    head = index_html.split("</head>", 1)[0]
    return (re.findall(r'<script type="module"[^>]*\bsrc="([^"]+)"', head),
            re.findall(r'<link rel="modulepreload" href="([^"]+)"', head),
            re.findall(r'<link rel="preload" href="([^"]+)"', head))


def dist_path(dist: Path, module: str, specifier: str) -> str | None:
    """A relative import specifier of a module in dist/, as a path in dist/ (None when no such file)."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(module), specifier))
    return path if (dist / path).is_file() else None


def module_imports(dist: Path, module: str) -> list[str]:
    """The files in dist/ a module imports by a relative specifier, statically or by a literal import("./...").
    (PyScript names the plugins that dist/ leaves out too: those are skipped.)"""
    source = (dist / module).read_text(encoding="utf-8")
    literal = re.compile(r"""(?<![\w$.`])import\s*\(\s*(["'])(\.\.?/[^"'\n]+)\1\s*\)""")
    found = [m[3] for m in STATIC_IMPORT.finditer(source)] + [m[2] for m in literal.finditer(source)]
    return [path for path in (dist_path(dist, module, spec) for spec in found) if path]


def single_file_modules(dist: Path, entries: list[str]) -> list[str]:
    """The modules jwtlens.html holds: the page's, and every module they import that dist/ holds."""
    found: list[str] = []
    todo = list(entries)
    while todo:
        module = todo.pop(0)
        if module not in found:
            found.append(module)
            todo += module_imports(dist, module)
    return found


def pyscript_python_ranges(source: str) -> list[tuple[int, int]]:
    """Where a PyScript chunk holds the Python sources of the `pyscript` package (JSON string literals): data, not
    code, and the snapshot holds them compiled for exactly that text, so a rewrite must leave them alone."""
    text = PYSCRIPT_STDLIB.read_text(encoding="utf-8")
    package = json.loads(text[text.index("{"): text.rindex("}") + 1])
    ranges = []
    for module in package["pyscript"].values():
        literal = json.dumps(module, ensure_ascii=False)
        at = source.find(literal)
        if at >= 0:
            ranges.append((at, at + len(literal)))
    return ranges


def rewrite_module(dist: Path, module: str, number: int) -> tuple[str, list[str]]:
    """A module's source for a blob: URL, and the embedded modules it imports statically. Relative static imports
    name the embedded file ("jwtlens-single-file:PATH", which the loader replaces by that file's blob: URL); dynamic
    import(X) and import.meta call the loader with the module's number (site/single_file.js)."""
    source = (dist / module).read_text(encoding="utf-8")
    imports: list[str] = []

    def static(match: re.Match) -> str:
        path = dist_path(dist, module, match[3])
        if path is None:
            raise SystemExit(f"{module} imports {match[3]}, which dist/ does not hold")
        imports.append(path)
        return f'{match[1]}"jwtlens-single-file:{path}"'

    source = STATIC_IMPORT.sub(static, source)
    data = pyscript_python_ranges(source)

    def dynamic(match: re.Match) -> str:
        inside_data = any(start <= match.start() < end for start, end in data)
        return match[0] if inside_data else f"globalThis.jwtlensSingleFile.import({number},"

    source = DYNAMIC_IMPORT.sub(dynamic, source)
    source = IMPORT_META.sub(f"globalThis.jwtlensSingleFile.meta({number})", source)
    return source, sorted(set(imports))


def gzip_cached(data: bytes) -> bytes:
    """gzip -9 of data, cached by content (.cache/single-file): the vendored files never change."""
    cached = CACHE / "single-file" / f"{hashlib.sha256(data).hexdigest()}.gz"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(gzip.compress(data, 9, mtime=0))
    os.utime(cached)  # used now: kept by forget_unused_gzip
    return cached.read_bytes()


def forget_unused_gzip(days: int = 7) -> None:
    for stale in (CACHE / "single-file").glob("*.gz"):
        if stale.stat().st_mtime < time.time() - days * 86400:
            stale.unlink()


def single_file_entry(path: str, data: bytes, number: int, imports: list[str] | None) -> dict:
    """One embedded file: gzip where that saves at least 1% (SINGLE_FILE_GZIP_MAX_RATIO), else as it is."""
    packed = gzip_cached(data)
    pays = len(packed) <= len(data) * SINGLE_FILE_GZIP_MAX_RATIO
    stored = packed if pays else data
    cut = range(0, len(stored), SINGLE_FILE_PIECE)
    entry = {"id": number, "path": path, "type": SINGLE_FILE_TYPES[posixpath.splitext(path)[1]],
             "bytes": len(data), "gzip": pays, "stored": len(stored),
             "pieces": [len(stored[at:at + SINGLE_FILE_PIECE]) for at in cut]}
    if imports is not None:
        entry["imports"] = imports
    return entry | {"data": stored}


def single_file_entries(dist: Path, index_html: str) -> list[dict]:
    """Every file jwtlens.html holds, numbered in the order it holds them: the page's modules (rewritten for blob:
    URLs) and the files it fetches."""
    scripts, modulepreloads, preloads = page_requests(index_html)
    modules = single_file_modules(dist, scripts + modulepreloads + list(SINGLE_FILE_MODULES))
    fetched = list(dict.fromkeys(preloads + [path for path in SINGLE_FILE_FETCHED if (dist / path).is_file()]))
    jobs = []
    # In the order they are needed (the loader starts on each piece as soon as the page's parser has read it): the
    # modules and small files first, then the large ones in index.html's order, except the snapshot last. Pyodide makes
    # its module from the wasm and the standard library while the snapshot is still being read (measured: ready
    # about 100 ms sooner than with the standard library last).
    stdlib = single_file_stdlib(dist)
    order = sorted(modules + fetched, key=lambda path: ((dist / path).stat().st_size >= SINGLE_FILE_LARGE,
                                                        path == SNAPSHOT_FILE))
    for number, path in enumerate(order):
        if path in modules:
            source, imports = rewrite_module(dist, path, number)
            jobs.append((path, source.encode("utf-8"), number, imports))
        elif path == BOOT_INFO_FILE:
            jobs.append((path, single_file_boot_info(dist, stdlib), number, None))
        elif path == SINGLE_FILE_STDLIB:
            jobs.append((path, stdlib, number, None))
        else:
            jobs.append((path, (dist / path).read_bytes(), number, None))
    with ThreadPoolExecutor() as pool:  # zlib lets go of the GIL: the snapshot and the wasm compress side by side
        return list(pool.map(lambda job: single_file_entry(*job), jobs))


def single_file_head(index_html: str, loader: str, dist: Path) -> str:
    """index.html's head for jwtlens.html: its own CSP, and no file to load (the style sheets inline, the icon a
    data: URL)."""
    head = index_html.split("<head>", 1)[1].split("</head>", 1)[0].lstrip("\n")
    head = re.sub(r"\s*<!--.*?-->|\s*<link\b[^>]*>|\s*<script\b[^>]*>\s*</script>", "", head, flags=re.S)
    csp = SINGLE_FILE_CSP.format(loader=csp_hash(loader))
    head, found = re.subn(r'(<meta http-equiv="Content-Security-Policy" content=")[^"]*"', rf'\g<1>{csp}"', head)
    if found != 1:
        raise SystemExit("dist/index.html: no CSP to replace for jwtlens.html")
    icon = favicon_url(dist)
    style = "\n".join((dist / name).read_text(encoding="utf-8") for name in ("style.css", "vendor/pyscript/core.css"))
    return (f"  {head.strip()}\n  <!-- Everything this page uses is in this file (the loader and the licences of the "
            "embedded software are at its end). -->\n"
            f'  <link rel="icon" href="{icon}" type="image/svg+xml">\n  <style>\n{style}\n  </style>\n')


def single_file_page(index_html: str) -> str:
    """index.html without its file:// explanation (jwtlens.html is made for file://), preloading Pyodide's whole
    standard library instead of the snapshot's (single_file_boot_info)."""
    page, found = re.subn(r'\s*<!--(?:(?!-->).)*-->\s*<script id="opened-from-disk">.*?</script>', "", index_html,
                          flags=re.S)
    if found != 1:
        raise SystemExit("dist/index.html: the #opened-from-disk script (and the comment before it) is missing")
    return page.replace(f'href="{SNAPSHOT_STDLIB_FILE}"', f'href="{SINGLE_FILE_STDLIB}"')


SINGLE_FILE_STDLIB = "vendor/pyodide/python_stdlib.zip"


def single_file_stdlib(dist: Path) -> bytes:
    """Pyodide's whole standard library for jwtlens.html, its entries stored rather than deflated: gzip over the
    whole file then packs it into 2.21 MB instead of 2.50 (cached; Pyodide's zip never changes)."""
    source = dist / SINGLE_FILE_STDLIB
    cached = CACHE / "single-file" / f"{sha256_file(source)}.stored.zip"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(source) as whole, zipfile.ZipFile(cached, "w", zipfile.ZIP_STORED) as stored:
            for info in whole.infolist():
                stored.writestr(info, whole.read(info), compress_type=zipfile.ZIP_STORED)
    return cached.read_bytes()


def single_file_boot_info(dist: Path, stdlib: bytes) -> bytes:
    """boot.json for jwtlens.html: the snapshot resumes with Pyodide's whole standard library (`stdlib`, as the file
    holds it), which a start without the snapshot needs anyway (holding both would add 2.3 MB), and reads its index
    again (site/boot.mjs)."""
    info = json.loads((dist / BOOT_INFO_FILE).read_text(encoding="utf-8"))
    if info["snapshot"] is not None:
        digest = hashlib.sha256(stdlib).hexdigest()
        info["snapshot"]["stdlib"] = {"file": SINGLE_FILE_STDLIB, "sha256": digest, "reindex": True}
    return (json.dumps(info, indent=2) + "\n").encode()


def licence_comments(dist: Path) -> str:
    """The licences dist/ ships for the software jwtlens.html embeds, as HTML comments (readable in the file)."""
    texts = []
    for name in ("vendor/pyscript/LICENSE", "vendor/pyodide/README.md"):
        if (dist / name).exists():
            text = (dist / name).read_text(encoding="utf-8")
            if "-->" in text or "--!>" in text:
                raise SystemExit(f"{name} cannot be written into an HTML comment")
            texts.append(f"<!-- {name} (embedded in this file):\n\n{text}\n-->\n")
    return "".join(texts)


def single_file_elements(entries: list[dict]) -> list[bytes]:
    """The elements that hold the files, in base64 pieces of SINGLE_FILE_PIECE bytes (site/single_file.js reads
    them)."""
    parts = []
    for entry in entries:
        data = entry["data"]
        for index, at in enumerate(range(0, len(data), SINGLE_FILE_PIECE)):
            element_id = f"jwtlens-file-{entry['id']}-{index}"
            parts += [f'  <script type="application/x-jwtlens-file" id="{element_id}">'.encode("ascii"),
                      base64.b64encode(data[at:at + SINGLE_FILE_PIECE]), b"</script>\n"]
    return parts


def build_single_file(dist: Path) -> list[dict]:
    """dist/jwtlens.html: the page and every file it uses in one HTML file that works opened from disk, with no
    server and no request at all (README, "Opening it from disk"). Returns what it holds, for the summary."""
    index_html = single_file_page((dist / "index.html").read_text(encoding="utf-8"))
    loader = (SITE / SINGLE_FILE_LOADER).read_text(encoding="utf-8")
    if re.search(r"<!--|</?script", loader, re.I):
        raise SystemExit(f"site/{SINGLE_FILE_LOADER} must not hold <!--, <script or </script (it is inlined)")
    entries = single_file_entries(dist, index_html)
    files = [{key: value for key, value in entry.items() if key != "data"} for entry in entries]
    listing = json.dumps({"files": files, "start": page_requests(index_html)[0]}, separators=(",", ":"))
    body = index_html.split("<body", 1)[1].rsplit("</body>", 1)[0].rstrip()
    parts = [b"<!doctype html>\n<html lang=\"en\" data-single-file>\n<head>\n",
             single_file_head(index_html, loader, dist).encode(), b"</head>\n", f"<body{body}\n".encode(),
             f'  <script type="application/json" id="jwtlens-files">{listing}</script>\n'.encode("ascii"),
             f"  <script>{loader}</script>\n".encode("ascii"),
             *single_file_elements(entries),
             licence_comments(dist).encode(), b"</body>\n</html>\n"]
    (dist / SINGLE_FILE).write_bytes(b"".join(parts))
    forget_unused_gzip()
    return entries


def build(dist: Path = DIST, snapshot: bool = True, test_hooks: bool = False) -> dict:
    ensure_node_modules()
    if dist.exists():
        shutil.rmtree(dist)
    (dist / "vendor" / "pyodide").mkdir(parents=True)
    (dist / "vendor" / "pyscript").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_MODULES / "pyodide" / name, dist / "vendor" / "pyodide" / name)
    disabled_plugins = disabled_pyscript_plugins()
    for src in sorted((NODE_MODULES / "@pyscript" / "core" / "dist").iterdir()):
        if src.suffix == ".map" or src.name.startswith(PYSCRIPT_SKIP_PREFIXES):
            continue
        if is_disabled_plugin_chunk(src.name, disabled_plugins):
            continue
        shutil.copy2(src, dist / "vendor" / "pyscript" / src.name)
    for licence, target in [
        (NODE_MODULES / "@pyscript" / "core" / "LICENSE", "vendor/pyscript/LICENSE"),
        (NODE_MODULES / "pyodide" / "README.md", "vendor/pyodide/README.md"),
    ]:
        if licence.exists():
            shutil.copy2(licence, dist / target)
    for src in sorted(SITE.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts or src.name in (*BUNDLED_FROM_SITE, *TEST_HOOKS_FROM_SITE,
                                                                        SINGLE_FILE_LOADER):
            continue
        target = dist / src.relative_to(SITE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    build_bundle(dist / "jwtlens-bundle.zip", test_hooks=test_hooks)
    pyodide_version = json.loads((NODE_MODULES / "pyodide" / "package.json").read_text())["version"]
    pyscript_version = json.loads((NODE_MODULES / "@pyscript" / "core" / "package.json").read_text())["version"]
    pyscript_plugin_setup(dist)
    write_disk_script_hash(dist / "index.html")
    inline_favicon(dist / "index.html")
    snapshot_info = None
    if snapshot:
        snapshot_info = make_snapshot(dist / "vendor" / "pyodide", dist / "jwtlens-bundle.zip", dist / SNAPSHOT_FILE)
    else:
        drop_snapshot_preload(dist / "index.html")
    boot = write_boot_info(dist, pyodide_version, snapshot_info)
    info = {
        "pyodide": pyodide_version,
        "pyscript": pyscript_version,
        "bundle_sha256": boot["bundle"]["sha256"],
        "snapshot": boot["snapshot"] is not None,
        "test_hooks": test_hooks,
    }
    (dist / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    info["precache_version"] = write_precache_manifest(dist)
    precompress(dist)
    single_file = build_single_file(dist)  # after both: the service worker and the hosts never see it
    summary(dist)
    single_file_summary(dist, single_file)
    return info


def summary(dist: Path) -> None:
    """Files and sizes: raw, gzip, and what a host serving the precompressed siblings sends to a browser that
    accepts Zstandard (the first sibling in order of preference; raw when none). jwtlens.html has its own table."""
    rows = []
    files = (p for p in dist.rglob("*") if p.is_file() and p.suffix not in PRECOMPRESSED_SUFFIXES)
    for path in sorted(p for p in files if p.relative_to(dist).as_posix() != SINGLE_FILE):
        raw = path.stat().st_size
        siblings = {suffix: path.with_name(path.name + suffix) for suffix in PRECOMPRESSED_SUFFIXES}
        gz_file = siblings[".gz"]
        gz = gz_file.stat().st_size if gz_file.exists() else len(gzip.compress(path.read_bytes(), 9, mtime=0))
        served = next((f.stat().st_size for f in siblings.values() if f.exists()), raw)
        rows.append((path.relative_to(dist).as_posix(), raw, gz, served))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'file':<{width}}  {'bytes':>10}  {'gzip':>10}  {'served':>10}")
    for name, raw, gz, served in rows:
        print(f"{name:<{width}}  {raw:>10,}  {gz:>10,}  {served:>10,}")
    print(f"{'total (' + str(len(rows)) + ' files)':<{width}}  {sum(r[1] for r in rows):>10,}  "
          f"{sum(r[2] for r in rows):>10,}  {sum(r[3] for r in rows):>10,}\n")


def single_file_summary(dist: Path, entries: list[dict]) -> None:
    """What jwtlens.html holds: each file's size, as stored (gzip where that pays) and as written into the page."""
    total = (dist / SINGLE_FILE).stat().st_size
    embedded = [sum(4 * -(-size // 3) for size in entry["pieces"]) for entry in entries]  # base64, by piece
    width = max(len(entry["path"]) for entry in entries)
    print(f"{SINGLE_FILE}: the page in one file (works opened from disk)")
    print(f"{'holds':<{width}}  {'bytes':>10}  {'stored':>10}  {'base64':>10}")
    for entry, size in zip(entries, embedded, strict=True):
        how = "gzip" if entry["gzip"] else "as is"
        print(f"{entry['path']:<{width}}  {entry['bytes']:>10,}  {entry['stored']:>10,}  {size:>10,}  {how}")
    print(f"{'files (' + str(len(entries)) + ')':<{width}}  {sum(e['bytes'] for e in entries):>10,}  "
          f"{sum(e['stored'] for e in entries):>10,}  {sum(embedded):>10,}")
    print(f"{SINGLE_FILE + ' total':<{width}}  {total:>10,}  ({total / 2**20:.2f} MiB)\n")


def serve(dist: Path, host: str, port: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from static_server import make_server  # the same server the end-to-end tests use

    server = make_server(dist, host, port)
    print(f"Serving {dist} at http://{host}:{server.server_port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def ensure_venv() -> Path:
    """.venv with the package (editable) and its test extras; reinstalled when pyproject.toml changes."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".jwtlens-pyproject-sha256"
    digest = sha256_file(ROOT / "pyproject.toml")
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    if not stamp.exists() or stamp.read_text() != digest:
        run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
            cwd=ROOT)
        stamp.write_text(digest)
    return python


# The unit tests that also run inside Pyodide (build.py pyodide-test): those that need no browser, no subprocess and no
# cryptography (not installable there); test_wycheproof runs the signature vectors through the page's interpreter.
PYODIDE_TESTS = ("test_claims.py", "test_extract.py", "test_fuzz.py", "test_inspect.py", "test_jwe.py", "test_lint.py",
                 "test_one_fact.py", "test_presentations.py", "test_robustness.py", "test_segments.py",
                 "test_timeline.py", "test_verdict.py", "test_weak.py", "test_wycheproof.py")
# What pytest and hypothesis need there: pure-Python wheels, at the versions of the test environment.
PYODIDE_TEST_PACKAGES = ("pytest", "pluggy", "iniconfig", "packaging", "pygments", "hypothesis", "sortedcontainers")
PYODIDE_FUZZ_EXAMPLES = 60


def pyodide_test(python: Path, pytest_args: list[str]) -> int:
    """The unit tests of PYODIDE_TESTS inside the pinned Pyodide under Node (tools/pyodide_node.py)."""
    sys.path.insert(0, str(ROOT))
    from tools.pyodide_node import run_python

    versions = subprocess.run([str(python), "-c", "import importlib.metadata as m, sys; print(' '.join("
                               "f'{p}=={m.version(p)}' for p in sys.argv[1:]))", *PYODIDE_TEST_PACKAGES],
                              check=True, capture_output=True, text=True).stdout.split()
    wheels = CACHE / "pyodide-test-wheels"
    site = CACHE / "pyodide-test-site"
    stamp = site / ".versions"
    if not stamp.exists() or stamp.read_text() != " ".join(versions):
        shutil.rmtree(site, ignore_errors=True)
        wheels.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.12", "--implementation", "py", "-d", str(wheels), *versions])
        for name in versions:
            dist = name.split("==")[0].replace("-", "_").lower()
            for whl in wheels.glob("*.whl"):
                if whl.name.lower().startswith(dist + "-" + name.split("==")[1]):
                    with zipfile.ZipFile(whl) as zf:
                        zf.extractall(site)
        stamp.write_text(" ".join(versions))
    tests = ", ".join(repr(f"/extra0/{name}") for name in PYODIDE_TESTS)
    code = (
        "import os, sys\n"
        f"os.environ['JWTLENS_FUZZ_EXAMPLES'] = '{PYODIDE_FUZZ_EXAMPLES}'\n"
        "sys.path.insert(0, '/extra1')\n"
        "import pytest\n"
        f"str(int(pytest.main(['-q', '-p', 'no:cacheprovider', '--rootdir', '/extra0', {tests}, "
        f"*{pytest_args!r}])))\n"
    )
    print(f"+ pytest in Pyodide: {len(PYODIDE_TESTS)} test files", flush=True)
    try:
        result = run_python(code, [ROOT / "tests", site], stream=True)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    return int(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("task", nargs="?", default="build",
                        choices=["build", "serve", "test", "pyodide-test", "bench"])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-snapshot", dest="snapshot", action="store_false",
                        help="build without the Pyodide memory snapshot (the page boots Pyodide the plain way)")
    parser.add_argument("--test-hooks", action="store_true",
                        help="bundle the end-to-end tests' hooks (the test task always does; a deployed page never)")
    args, rest = parser.parse_known_args(argv)
    if args.task == "build":
        build(snapshot=args.snapshot, test_hooks=args.test_hooks)
    elif args.task == "serve":
        build(snapshot=args.snapshot, test_hooks=args.test_hooks)
        serve(DIST, args.host, args.port)
    elif args.task == "test":
        python = ensure_venv()
        build(test_hooks=True)
        env = dict(os.environ, JWTLENS_DIST=str(DIST))
        code = subprocess.run([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
        if rest:  # a chosen subset of tests: CPython only
            return code
        return code or pyodide_test(python, [])
    elif args.task == "pyodide-test":
        python = ensure_venv()
        ensure_node_modules()
        return pyodide_test(python, rest)
    elif args.task == "bench":
        python = ensure_venv()
        build()
        names = rest or sorted(p.stem for p in (ROOT / "bench").glob("*.py") if not p.stem.startswith("_"))
        for name in names:
            print(f"\n=== bench/{name}.py ===", flush=True)
            subprocess.run([str(python), str(ROOT / "bench" / f"{name}.py")], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
