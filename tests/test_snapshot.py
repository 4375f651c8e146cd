"""The Pyodide memory snapshot (tools/make_snapshot.mjs via build.make_snapshot): its file format, its record in
boot.json, and that it carries nothing of the machine that made it.

These run Node and Pyodide, not a browser (test_e2e_boot.py covers resuming it in the page).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
import re
import shutil
import struct
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

MAGIC = b"JLSNAP02"
PAGE = 4096
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (the build needs it too)")


def uleb(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def data_segments(wasm: bytes) -> list[tuple[int, bytes]]:
    """The active data segments of a wasm module (offset, bytes): what instantiating it writes into memory."""
    assert wasm[:4] == b"\0asm"
    segments, pos = [], 8
    while pos < len(wasm):
        section = wasm[pos]
        size, body = uleb(wasm, pos + 1)
        pos = body + size
        if section != 11:
            continue
        count, at = uleb(wasm, body)
        for _ in range(count):
            flags, at = uleb(wasm, at)
            assert flags == 0 and wasm[at] == 0x41, "an active segment at an i32.const offset"
            offset, at = uleb(wasm, at + 1)  # the offsets here are positive and below 2**31
            assert wasm[at] == 0x0B
            length, at = uleb(wasm, at + 1)
            segments.append((offset, wasm[at:at + length]))
            at += length
    return segments


def initial_memory(wasm: bytes, ranges: list) -> bytes:
    """The wasm's memory after instantiation, as far as `ranges` reach (zeros past the last data segment)."""
    segments = data_segments(wasm)
    memory = bytearray(max([offset + len(data) for offset, data in segments] + [a + n for a, n in ranges]))
    for offset, data in segments:
        memory[offset:offset + len(data)] = data
    return bytes(memory)


def expand(data: bytes, inherited: list, wasm: bytes) -> bytes:
    """The memory image from a snapshot file (the format written by tools/make_snapshot.mjs): the stored pages, the
    inherited ranges (heap offsets) filled from the wasm's data segments, zeros elsewhere."""
    assert data[:8] == MAGIC
    image_length, count = struct.unpack_from("<II", data, 8)
    image = bytearray(image_length)
    pos = 16 + 8 * count
    previous_end = 0
    for i in range(count):
        offset, length = struct.unpack_from("<II", data, 16 + 8 * i)
        assert offset >= previous_end and offset % PAGE == 0, "segments are ordered, page-aligned, disjoint"
        image[offset:offset + length] = data[pos:pos + length]
        pos += length
        previous_end = offset + length
    assert pos == len(data) and previous_end <= image_length
    header_length = struct.unpack_from("<I", image, 4)[0]
    memory = initial_memory(wasm, inherited)
    for offset, length in inherited:
        at = offset + header_length
        assert at >= PAGE and at % PAGE == 0 and length % PAGE == 0
        assert not any(image[at:at + length]), "an inherited range is never stored in the file too"
        image[at:at + length] = memory[offset:offset + length]
    return bytes(image)


def inherited_bytes(wasm: bytes, ranges: list) -> bytes:
    memory = initial_memory(wasm, ranges)
    return b"".join(memory[offset:offset + length] for offset, length in ranges)


@pytest.fixture(scope="module")
def canary_snapshot(tmp_path_factory):
    """A snapshot made while the build's process has distinctive values everywhere the machine could leak from:
    the working directory, the scratch directory, HOME, the user name and an extra environment variable."""
    tag = uuid.uuid4().hex
    base = tmp_path_factory.mktemp("snap")
    canaries = {
        "cwd": base / f"cwd-canary-{tag}",
        "workdir": base / f"workdir-canary-{tag}",
        "home": base / f"home-canary-{tag}",
    }
    for path in canaries.values():
        path.mkdir()
    env = {"HOME": str(canaries["home"]), "USER": f"user-canary-{tag}", "LOGNAME": f"user-canary-{tag}",
           "JWTLENS_SNAPSHOT_CANARY": f"secret-canary-{tag}"}
    dist = ROOT / "dist"
    pyodide = dist / "vendor" / "pyodide"
    bundle = dist / "jwtlens-bundle.zip"
    if not (pyodide / "pyodide.asm.wasm").exists() or not bundle.exists():
        pytest.skip("dist/ is not built")
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        os.environ.update(env)
        os.chdir(canaries["cwd"])
        out = base / "snapshot.bin"
        info = build.make_snapshot(pyodide, bundle, out, workdir=canaries["workdir"])
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    data = out.read_bytes()
    needles = [str(p) for p in canaries.values()] + list(env.values()) + [tag]
    wasm = (pyodide / "pyodide.asm.wasm").read_bytes()
    image = expand(data, info["inherited"]["ranges"], wasm)
    return {"data": data, "image": image, "info": info, "needles": needles, "pyodide": pyodide, "wasm": wasm,
            "out": out}


def runtime_strings(pyodide: Path) -> bytes:
    """Bytes the runtime itself brings (so a string found there is not a leak of this machine)."""
    return (pyodide / "pyodide.asm.wasm").read_bytes() + (pyodide / "python_stdlib.zip").read_bytes()


def test_snapshot_holds_no_path_user_or_environment_of_the_build(canary_snapshot):
    image = canary_snapshot["image"]
    for needle in canary_snapshot["needles"]:
        assert needle.encode() not in image, f"{needle!r} leaked into the snapshot"
    # The real machine too: the checkout, node_modules, and any distinctive environment value of this process.
    runtime = runtime_strings(canary_snapshot["pyodide"])
    real = [str(ROOT), str(ROOT / "node_modules"), str(Path.home()) + "/"]
    real += [v for v in os.environ.values() if len(v) >= 12]
    for needle in real:
        if needle.encode() in runtime:
            continue  # e.g. /root/ occurs in the paths Pyodide's own build left in its binary
        assert needle.encode() not in image, f"{needle!r} leaked into the snapshot"


def test_snapshot_environment_is_the_explicit_browser_like_one(canary_snapshot):
    # The C environment block the frozen process was started with: exactly what make_snapshot.mjs passes.
    block = (b"USER=web_user\x00LOGNAME=web_user\x00PATH=/\x00PWD=/\x00HOME=/home/pyodide\x00LANG=C.UTF-8\x00"
             b"PYTHONOPTIMIZE=2\x00")
    image = canary_snapshot["image"]
    at = image.find(block)
    assert at >= 0, image[image.find(b"USER=web_user"):][:200]
    rest = image[at + len(block):]
    assert rest.startswith(b"PYTHONINSPECT=1\x00")  # Pyodide's own; then the block ends (no `_=`, nothing else)
    assert not re.match(rb"[A-Za-z_][A-Za-z0-9_]*=", rest[len(b"PYTHONINSPECT=1\x00"):])


def test_snapshot_format_round_trips_and_skips_zero_pages(canary_snapshot):
    data, image, info = canary_snapshot["data"], canary_snapshot["image"], canary_snapshot["info"]
    assert info["bytes"] == len(data) and info["image_bytes"] == len(image)
    assert len(data) < len(image) * 0.8, "zero pages are left out of the file"
    assert not info["warmup_failures"], info["warmup_failures"]
    # PyJWT's JWKS client is stood in for by the page (it never fetches keys), so no HTTP client is loaded
    assert info["http_client_modules"] == []


def test_snapshot_leaves_out_the_wasm_static_data(canary_snapshot):
    data, info, wasm = canary_snapshot["data"], canary_snapshot["info"], canary_snapshot["wasm"]
    ranges, digest = info["inherited"]["ranges"], info["inherited"]["sha256"]
    inherited = inherited_bytes(wasm, ranges)
    # A sizeable part of the image (Pyodide's static data: about 3 MB) is not in the file; what boot.mjs checks the
    # heap against is exactly the wasm's data segments over those ranges, none of them a zero page.
    assert len(inherited) > 1_000_000
    assert hashlib.sha256(inherited).hexdigest() == digest
    assert all(any(inherited[i:i + PAGE]) for i in range(0, len(inherited), PAGE))
    assert sorted(ranges) == ranges and all(a + n < b for (a, n), (b, _) in itertools.pairwise(ranges))
    # The file holds the rest: stored pages plus inherited pages plus zero pages make up the image.
    stored = len(data) - 16 - 8 * struct.unpack_from("<I", data, 12)[0]
    assert stored + len(inherited) <= info["image_bytes"]


def test_built_snapshot_matches_boot_info():
    dist = ROOT / "dist"
    if not (dist / "boot.json").exists():
        pytest.skip("dist/ is not built")
    info = json.loads((dist / "boot.json").read_text())
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    assert info["bundle"]["sha256"] == digest(dist / info["bundle"]["file"])
    assert info["pyodide"] == json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    snapshot = info["snapshot"]
    if snapshot is None:
        pytest.skip("dist/ was built with --no-snapshot")
    assert snapshot["stdlib"]["sha256"] == digest(dist / snapshot["stdlib"]["file"])
    data = (dist / snapshot["file"]).read_bytes()
    assert snapshot["sha256"] == hashlib.sha256(data).hexdigest()
    assert snapshot["bytes"] == len(data)
    wasm = (dist / "vendor" / "pyodide" / "pyodide.asm.wasm").read_bytes()
    assert len(expand(data, snapshot["inherited"]["ranges"], wasm)) == snapshot["image_bytes"]
    assert hashlib.sha256(inherited_bytes(wasm, snapshot["inherited"]["ranges"])).hexdigest() == (
        snapshot["inherited"]["sha256"])
    # The precompressed copy a host may serve instead must hold the same bytes.
    encoded = dist / (snapshot["file"] + ".gz")
    if encoded.exists():
        assert gzip.decompress(encoded.read_bytes()) == data


def test_snapshot_stdlib_is_pyodides_without_the_modules_the_snapshot_holds(canary_snapshot):
    """Each entry kept byte for byte, only Python modules dropped, and the modules a page may still import kept
    (make_snapshot.mjs's smoke test imports one of them, csv, in the resumed process)."""
    whole = zipfile.ZipFile(canary_snapshot["pyodide"] / "python_stdlib.zip")
    trimmed = zipfile.ZipFile(canary_snapshot["out"].with_name(build.SNAPSHOT_STDLIB_FILE))
    assert trimmed.testzip() is None
    kept = {info.filename for info in trimmed.infolist()}
    dropped = {info.filename for info in whole.infolist()} - kept
    assert kept < {info.filename for info in whole.infolist()}
    assert canary_snapshot["info"]["stdlib_modules_held"] == len(dropped) > 50
    assert all(name.endswith(".py") for name in dropped), sorted(dropped)
    assert {"encodings/__init__.py", "json/__init__.py"} <= dropped
    assert {"csv.py", "encodings/cp1252.py", "pydoc.py"} <= kept
    for name in kept:
        assert trimmed.read(name) == whole.read(name), name
