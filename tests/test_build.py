"""build.py's helpers that decide what dist/ holds: the Zstandard window check, the plugin chunk names, and the order
in which the built page asks for its files."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
import build  # noqa: E402

MAGIC = b"\x28\xb5\x2f\xfd"


def test_zstd_window_from_the_window_descriptor() -> None:
    # Window_Descriptor 0x68: exponent 13, mantissa 0 -> 2**23; 0x61: exponent 12, mantissa 1 -> 4 MiB + 512 KiB
    assert build.zstd_window(MAGIC + bytes([0x80, 0x68]) + bytes(4)) == 8 * 1024 * 1024
    assert build.zstd_window(MAGIC + bytes([0x80, 0x61]) + bytes(4)) == 4 * 1024 * 1024 + 512 * 1024
    assert build.zstd_window(MAGIC + bytes([0x00, 0x70])) > build.ZSTD_MAX_WINDOW  # 2**24: too big for browsers


def test_zstd_window_of_a_single_segment_frame_is_its_content_size() -> None:
    assert build.zstd_window(MAGIC + bytes([0x20, 200])) == 200  # 1-byte size
    assert build.zstd_window(MAGIC + bytes([0x60]) + (1000).to_bytes(2, "little")) == 1256  # 2 bytes: + 256
    assert build.zstd_window(MAGIC + bytes([0xA0]) + (10**6).to_bytes(4, "little")) == 10**6
    # a dictionary id (1 byte here) comes before the size
    assert build.zstd_window(MAGIC + bytes([0xA1, 7]) + (10**6).to_bytes(4, "little")) == 10**6
    with pytest.raises(ValueError):
        build.zstd_window(b"not zstd")


def test_disabled_plugin_chunks_are_recognised_by_name() -> None:
    disabled = {"py-editor", "donkey"}
    assert build.is_disabled_plugin_chunk("py-editor-C4XsZtn7.js", disabled)
    assert build.is_disabled_plugin_chunk("donkey-4Hrqd7WZ.js", disabled)
    assert not build.is_disabled_plugin_chunk("py-Dl-y4L1b.js", disabled)  # the "py" chunk, not a plugin
    assert not build.is_disabled_plugin_chunk("error-D2315lOB.js", disabled)
    assert not build.is_disabled_plugin_chunk("core.js", disabled)
    assert "error" not in build.disabled_pyscript_plugins()  # PyScript imports it even when turned off


def requested_in_head(html: str) -> list[str]:
    """The files the page's head asks for (scripts, stylesheets, preloads), in document order."""
    head = html.split("</head>", 1)[0]
    pattern = r'<script[^>]*\bsrc="([^"]+)"|<link rel="(?:modulepreload|preload|stylesheet)" href="([^"]+)"'
    return [script or link for script, link in re.findall(pattern, head)]


def test_page_asks_for_python_first_then_pyscript_then_the_small_files() -> None:
    # HTTP/1.1 gives a page six connections per host: Python's boot chain and its big downloads take them first,
    # and PyScript's modules must not queue behind files that are needed only later.
    index = ROOT / "dist" / "index.html"
    if not index.exists():
        pytest.skip("dist/ is not built")
    files = requested_in_head(index.read_text(encoding="utf-8"))
    first = ["boot.mjs", "vendor/pyodide/pyodide.mjs", "vendor/pyodide/pyodide.asm.mjs",
             "vendor/pyodide/pyodide.asm.wasm", build.SNAPSHOT_FILE, "vendor/pyodide/python_stdlib.zip"]
    if build.SNAPSHOT_FILE not in files:  # built with --no-snapshot
        first.remove(build.SNAPSHOT_FILE)
    assert files[:len(first)] == first
    pyscript = [i for i, name in enumerate(files) if name.startswith("vendor/pyscript/") and name.endswith(".js")]
    later = [files.index(name) for name in ("jwtlens-bundle.zip", "pyscript.json", "main.py",
                                            "vendor/pyodide/pyodide-lock.json")]
    assert len(pyscript) >= 3 and max(pyscript) < min(later), files
    assert len(files) == len(set(files)), "each file is asked for once"


def test_the_test_hooks_ship_only_in_the_test_build(tmp_path) -> None:
    """window.jwtlensInspect and window.jwtlensProbe exist only where their module is in the bundle."""
    import zipfile

    build.build_bundle(tmp_path / "default.zip")
    build.build_bundle(tmp_path / "test.zip", test_hooks=True)
    default = set(zipfile.ZipFile(tmp_path / "default.zip").namelist())
    test = set(zipfile.ZipFile(tmp_path / "test.zip").namelist())
    assert "jwtlens_page.py" in default and "jwtlens_test_hooks.py" not in default
    assert test - default == {"jwtlens_test_hooks.py"}
    page = (ROOT / "site" / "jwtlens_page.py").read_text()
    assert "jwtlensInspect" not in page and "jwtlensProbe" not in page  # defined by the hooks module alone
