"""build.py's helpers that decide what dist/ holds: the Zstandard window check, the plugin chunk names, the order
in which the built page asks for its files, and how jwtlens.html (the single file) holds them."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

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
             "vendor/pyodide/pyodide.asm.wasm", build.SNAPSHOT_FILE, build.SNAPSHOT_STDLIB_FILE]
    if build.SNAPSHOT_FILE not in files:  # built with --no-snapshot: Pyodide's whole standard library instead
        first[-2:] = ["vendor/pyodide/python_stdlib.zip"]
    assert files[:len(first)] == first
    pyscript = [i for i, name in enumerate(files) if name.startswith("vendor/pyscript/") and name.endswith(".js")]
    later = [files.index(name) for name in ("jwtlens-bundle.zip", "pyscript.json", "main.py")]
    assert "vendor/pyodide/pyodide-lock.json" not in files  # boot.mjs passes Pyodide a lock of no packages
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
# --- jwtlens.html (build_single_file) ---------------------------------------------------------------------------


def test_rewrite_module_hands_imports_to_the_loader(tmp_path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "b.js").write_text("export const b = 1;")
    (tmp_path / "lib" / "c.js").write_text("export const c = 1;")
    (tmp_path / "a.js").write_text(
        'import{b}from"./lib/b.js";export*from "./lib/c.js";'
        'const url=import.meta.url;const later=()=>import("./lib/c.js");const any=(x)=>import(x);'
        'const text="obj.import(1)";')
    source, imports = build.rewrite_module(tmp_path, "a.js", 7)
    assert imports == ["lib/b.js", "lib/c.js"]
    assert 'from"jwtlens-single-file:lib/b.js"' in source and 'from "jwtlens-single-file:lib/c.js"' in source
    assert "const url=globalThis.jwtlensSingleFile.meta(7).url" in source
    assert 'globalThis.jwtlensSingleFile.import(7,"./lib/c.js")' in source
    assert "(x)=>globalThis.jwtlensSingleFile.import(7,x)" in source
    assert "obj.import(1)" in source
    assert build.module_imports(tmp_path, "a.js") == ["lib/b.js", "lib/c.js", "lib/c.js"]


def test_rewrite_module_leaves_pyscript_python_sources_alone(tmp_path) -> None:
    # PyScript's chunk holds the `pyscript` package's Python as JSON strings; context.py has "import(url)" in it.
    text = build.PYSCRIPT_STDLIB.read_text(encoding="utf-8")
    context = json.loads(text[text.index("{"): text.rindex("}") + 1])["pyscript"]["context.py"]
    assert "import(url)" in context
    literal = json.dumps(context, ensure_ascii=False)
    (tmp_path / "chunk.js").write_text(f"const stdlib={{context:{literal}}};const m=e=>import(e);")
    source, _ = build.rewrite_module(tmp_path, "chunk.js", 3)
    assert literal in source
    assert source.endswith("const m=e=>globalThis.jwtlensSingleFile.import(3,e);")


def test_single_file_loads_nothing_by_url() -> None:
    single = ROOT / "dist" / build.SINGLE_FILE
    if not single.exists():
        pytest.skip("dist/ is not built")
    html = single.read_text(encoding="utf-8")
    shell = re.sub(r'(<script type="application/x-jwtlens-file"[^>]*>)[^<]*', r"\1", html)
    shell = re.sub(r"<!--.*?-->", "", shell, flags=re.S)  # the licences of the embedded software are comments
    # (main.py is PyScript's to fetch, and the loader answers that fetch)
    assert re.findall(r"<[^>]*\bsrc=[^>]*>", shell) == ['<script type="py" src="main.py" config="pyscript.json">']
    assert re.findall(r"<link\b[^>]*>", shell) == [re.search(r'<link rel="icon" href="data:[^"]+"[^>]*>', shell)[0]]
    # the one inline script with code is the loader, allowed by its hash and by nothing broader
    scripts = re.findall(r"<script>(.*?)</script>", shell, re.S)
    assert scripts == [(ROOT / "site" / build.SINGLE_FILE_LOADER).read_text(encoding="utf-8")]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', shell)[1]
    assert build.csp_hash(scripts[0]) in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert "connect-src 'none'" in csp and "'self'" not in csp
    assert "opened-from-disk" not in shell and "serviceWorker.register" not in shell


def test_single_file_holds_what_the_page_fetches_even_without_preloads(tmp_path) -> None:
    dist = ROOT / "dist"
    if not (dist / build.SINGLE_FILE).exists():
        pytest.skip("dist/ is not built")
    copy = tmp_path / "dist"
    shutil.copytree(dist, copy, ignore=shutil.ignore_patterns("*.zst", "*.br", "*.gz", build.SINGLE_FILE))
    html = (copy / "index.html").read_text(encoding="utf-8")
    (copy / "index.html").write_text(re.sub(r'\s*<link rel="(?:modulepreload|preload)"[^>]*>', "", html))

    def entries(folder: Path) -> list[dict]:
        return build.single_file_entries(folder, build.single_file_page((folder / "index.html").read_text("utf-8")))

    held = [entry["path"] for entry in entries(dist)]
    assert sorted(entry["path"] for entry in entries(copy)) == sorted(held)
    assert held[-1] == build.SNAPSHOT_FILE or build.SNAPSHOT_FILE not in held  # read last


def test_single_file_resumes_the_snapshot_with_pyodides_whole_standard_library() -> None:
    """It needs the whole zip for a start without the snapshot anyway: it holds that one only, and its boot.json
    says so (boot.mjs then reads the zip's index again after the resume)."""
    dist = ROOT / "dist"
    if not (dist / build.SINGLE_FILE).exists():
        pytest.skip("dist/ is not built")
    page = build.single_file_page((dist / "index.html").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in build.single_file_entries(dist, page)}
    assert "vendor/pyodide/python_stdlib.zip" in entries and build.SNAPSHOT_STDLIB_FILE not in entries
    info = json.loads(gzip.decompress(entries[build.BOOT_INFO_FILE]["data"]))
    held = gzip.decompress(entries["vendor/pyodide/python_stdlib.zip"]["data"])
    if info["snapshot"] is not None:
        assert info["snapshot"]["stdlib"] == {"file": "vendor/pyodide/python_stdlib.zip", "reindex": True,
                                              "sha256": hashlib.sha256(held).hexdigest()}
    # Pyodide's zip with every entry the same, stored instead of deflated (gzip packs the whole file better)
    with zipfile.ZipFile(io.BytesIO(held)) as stored, zipfile.ZipFile(dist / build.SINGLE_FILE_STDLIB) as whole:
        assert stored.namelist() == whole.namelist()
        assert {info.compress_type for info in stored.infolist()} == {zipfile.ZIP_STORED}
        assert all(stored.read(name) == whole.read(name) for name in whole.namelist())
