#!/usr/bin/env python3
"""Build dist/ (the deployable folder) and run the developer tasks.

    python3 build.py                 build dist/
    python3 build.py serve [--port N] [--host H]   build, then serve dist/ (default http://127.0.0.1:8000)
    python3 build.py test [PYTEST ARGS]            set up .venv, build, run every test
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
# installation and archive unpacking, none of which the page loads. The small plugin entry modules (py-editor,
# py-terminal, ...) stay: PyScript imports them all at start even when pyscript.json turns them off.
PYSCRIPT_SKIP_PREFIXES = (
    "codemirror", "xterm", "mpy-", "storage", "service-worker", "index-", "toml-", "pyodide_graph-", "zip-",
)
# The wheels' own test suites (ecdsa ships its tests inside the package) are not needed in the page.
TEST_MODULE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$)")
# A zip entry's timestamp: fixed so the bundle (and its hash) only changes when its contents do.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


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
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
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


def build_bundle(dest: Path) -> None:
    """One zip of py/jwtlens and the runtime wheels' packages; main.py puts it on sys.path (zipimport)."""
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
    with zipfile.ZipFile(dest, "w") as zf:
        for name in sorted(entries):
            _zip_write(zf, name, entries[name])


def build(dist: Path = DIST) -> dict:
    ensure_node_modules()
    if dist.exists():
        shutil.rmtree(dist)
    (dist / "vendor" / "pyodide").mkdir(parents=True)
    (dist / "vendor" / "pyscript").mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_MODULES / "pyodide" / name, dist / "vendor" / "pyodide" / name)
    for src in sorted((NODE_MODULES / "@pyscript" / "core" / "dist").iterdir()):
        if src.suffix == ".map" or src.name.startswith(PYSCRIPT_SKIP_PREFIXES):
            continue
        shutil.copy2(src, dist / "vendor" / "pyscript" / src.name)
    for licence, target in [
        (NODE_MODULES / "@pyscript" / "core" / "LICENSE", "vendor/pyscript/LICENSE"),
        (NODE_MODULES / "pyodide" / "README.md", "vendor/pyodide/README.md"),
    ]:
        if licence.exists():
            shutil.copy2(licence, dist / target)
    for src in sorted(SITE.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts:
            continue
        target = dist / src.relative_to(SITE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    build_bundle(dist / "jwtlens-bundle.zip")
    pyodide_version = json.loads((NODE_MODULES / "pyodide" / "package.json").read_text())["version"]
    pyscript_version = json.loads((NODE_MODULES / "@pyscript" / "core" / "package.json").read_text())["version"]
    info = {
        "pyodide": pyodide_version,
        "pyscript": pyscript_version,
        "bundle_sha256": hashlib.sha256((dist / "jwtlens-bundle.zip").read_bytes()).hexdigest(),
    }
    (dist / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    summary(dist)
    return info


def summary(dist: Path) -> None:
    rows = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        data = path.read_bytes()
        rows.append((path.relative_to(dist).as_posix(), len(data), len(gzip.compress(data, 9, mtime=0))))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'file':<{width}}  {'bytes':>10}  {'gzip':>10}")
    for name, raw, gz in rows:
        print(f"{name:<{width}}  {raw:>10,}  {gz:>10,}")
    print(f"{'total (' + str(len(rows)) + ' files)':<{width}}  {sum(r[1] for r in rows):>10,}  "
          f"{sum(r[2] for r in rows):>10,}\n")


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
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    if not stamp.exists() or stamp.read_text() != digest:
        run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
            cwd=ROOT)
        stamp.write_text(digest)
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("task", nargs="?", default="build", choices=["build", "serve", "test", "bench"])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args, rest = parser.parse_known_args(argv)
    if args.task == "build":
        build()
    elif args.task == "serve":
        build()
        serve(DIST, args.host, args.port)
    elif args.task == "test":
        python = ensure_venv()
        build()
        env = dict(os.environ, JWTLENS_DIST=str(DIST))
        return subprocess.run([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env).returncode
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
