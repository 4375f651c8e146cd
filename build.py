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
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
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
BUNDLED_FROM_SITE = ("jwtlens_page.py",)
# The end-to-end tests' hooks (window.jwtlensInspect, window.jwtlensProbe): bundled only into the test build.
TEST_HOOKS_FROM_SITE = ("jwtlens_test_hooks.py",)
# The Pyodide memory snapshot (tools/make_snapshot.mjs) and what site/boot.mjs checks it against.
SNAPSHOT_FILE = "pyodide-snapshot.bin"
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
    """The Pyodide memory snapshot for this Pyodide and bundle, made by tools/make_snapshot.mjs (cached).

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
    cached_bin, cached_info = cache / f"{digest}.bin", cache / f"{digest}.json"
    if workdir is None and cached_bin.exists() and cached_info.exists():
        shutil.copyfile(cached_bin, out)
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
        done = subprocess.run([node, "make_snapshot.mjs", "pyodide", "bundle.zip", "snapshot.bin",
                               "pyscript-stdlib.mjs"], cwd=scratch,
                              env={"TZ": "UTC"}, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"making the Pyodide snapshot failed:\n{done.stdout}\n{done.stderr}")
        info = json.loads(done.stdout.strip().splitlines()[-1])
        for line in info.pop("output", []):
            print(f"  (python) {line}")
        if info["warmup_failures"]:
            print("warning: parts of the snapshot warm-up failed (the page imports them later):", flush=True)
            for failure in info["warmup_failures"]:
                print(f"  {failure}", flush=True)
        shutil.copyfile(scratch / "snapshot.bin", out)
    if workdir is None:
        cache.mkdir(parents=True, exist_ok=True)
        for old in sorted(cache.glob("*.bin"), key=lambda p: p.stat().st_mtime)[:-3]:
            old.unlink()
            old.with_suffix(".json").unlink(missing_ok=True)
        shutil.copyfile(out, cached_bin)
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
        "stdlib_sha256": sha256_file(dist / "vendor" / "pyodide" / "python_stdlib.zip"),
        "bundle": {"file": bundle.name, "path": (snapshot or {}).get("bundle_path", "/home/pyodide/" + bundle.name),
                   "sha256": sha256_file(bundle)},
        "snapshot": None,
    }
    if snapshot is not None:
        path = dist / SNAPSHOT_FILE
        whole, blocks = snapshot_hashes(path)
        info["snapshot"] = {"file": SNAPSHOT_FILE, "bytes": path.stat().st_size, "sha256": whole,
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
    """A build without a snapshot must not ask the browser to preload one."""
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(line for line in lines if SNAPSHOT_FILE not in line), encoding="utf-8")


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
        if src.is_dir() or "__pycache__" in src.parts or src.name in BUNDLED_FROM_SITE + TEST_HOOKS_FROM_SITE:
            continue
        target = dist / src.relative_to(SITE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    build_bundle(dist / "jwtlens-bundle.zip", test_hooks=test_hooks)
    pyodide_version = json.loads((NODE_MODULES / "pyodide" / "package.json").read_text())["version"]
    pyscript_version = json.loads((NODE_MODULES / "@pyscript" / "core" / "package.json").read_text())["version"]
    pyscript_plugin_setup(dist)
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
    summary(dist)
    return info


def summary(dist: Path) -> None:
    """Files and sizes: raw, gzip, and what a host serving the precompressed siblings sends to a browser that
    accepts Zstandard (the first sibling in order of preference; raw when none)."""
    rows = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix not in PRECOMPRESSED_SUFFIXES):
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
                 "test_one_fact.py", "test_robustness.py", "test_segments.py", "test_timeline.py", "test_weak.py",
                 "test_wycheproof.py")
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
