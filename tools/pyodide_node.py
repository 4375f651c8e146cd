"""Run Python code inside the pinned Pyodide under Node: the interpreter the page really runs, without a browser.

    from tools.pyodide_node import run_python
    result = run_python("import json, jwtlens; json.dumps(jwtlens.__version__)")   # the value of the last line

The runtime wheels (pyproject.toml's pins, as build.py bundles them) are unpacked into a scratch folder that is on
Python's path, together with ``py/`` of this repository (mounted read-only, so edits are picked up without a build)
and any ``extra_paths`` (mounted as /extra0, /extra1, ...). The code's last expression must be a string; it is
returned. Used by the benchmarks and by ``build.py pyodide-test``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"

_RUNNER = r"""
import { loadPyodide } from %(pyodide)s;
import fs from "node:fs";
const py = await loadPyodide();
py.FS.mkdirTree("/work"); py.mountNodeFS("/work", %(work)s);
py.FS.mkdirTree("/src"); py.mountNodeFS("/src", %(src)s);
const extra = %(extra)s;
extra.forEach((dir, i) => { py.FS.mkdirTree(`/extra${i}`); py.mountNodeFS(`/extra${i}`, dir); });
py.runPython("import sys; sys.path[:0] = ['/work/site', '/src'] + [f'/extra{i}' for i in range(%(n_extra)d)]");
const code = fs.readFileSync(%(script)s, "utf8");
const result = await py.runPythonAsync(code);
fs.writeFileSync(%(out)s, String(result));
"""


class PyodideUnavailable(RuntimeError):
    """Node or the pinned Pyodide package is missing."""


def _wheels() -> list[Path]:
    import sys

    sys.path.insert(0, str(ROOT))
    import build  # downloads the pinned wheels once into .cache/wheels

    return build.ensure_wheels()


def _readable(stderr: str) -> str:
    """Node's report of an uncaught error starts with the offending source line: Pyodide's whole minified module.
    Keep the rest (the Python traceback and the stack)."""
    return "\n".join(line for line in stderr.splitlines() if len(line) < 1000)[-6000:]


def run_python(code: str, extra_paths: list[Path] | None = None, timeout: float = 1800, stream: bool = False) -> str:
    """The string value of the code's last expression, run in Pyodide. Raises RuntimeError when it fails.

    ``stream`` lets the run's output through to this process's output as it comes (for test runs)."""
    if not PYODIDE.exists():
        raise PyodideUnavailable("node_modules/pyodide is missing (run npm ci, or python3 build.py)")
    node = shutil.which("node")
    if node is None:
        raise PyodideUnavailable("node is not installed")
    extra = [str(Path(p).resolve()) for p in extra_paths or []]
    with tempfile.TemporaryDirectory(prefix="jwtlens-pyodide-") as tmp:
        work = Path(tmp)
        for wheel in _wheels():
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(work / "site")
        script, out = work / "run.py", work / "result.txt"
        script.write_text(code)
        runner = work / "run.mjs"
        runner.write_text(_RUNNER % {
            "pyodide": json.dumps(PYODIDE.as_posix()), "work": json.dumps(str(work)),
            "src": json.dumps(str(ROOT / "py")),
            "extra": json.dumps(extra), "n_extra": len(extra), "script": json.dumps(str(script)),
            "out": json.dumps(str(out)),
        })
        proc = subprocess.run([node, str(runner)], stdout=None if stream else subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"Pyodide run failed (exit {proc.returncode}):\n{(proc.stdout or '')[-2000:]}\n"
                               f"{_readable(proc.stderr)}")
        return out.read_text()


# Where run_with_material puts its data, for the code to read
MATERIAL = "/extra0/material.json"


def run_with_material(code: str, material: object, extra_paths: list[Path] | None = None, timeout: float = 1800,
                      tail: int = 500) -> object:
    """``run_python`` for the benchmarks: ``material`` as JSON at MATERIAL, the code's last expression a JSON text,
    parsed. When Pyodide is missing or the run fails, the reason (its last ``tail`` characters) instead."""
    with tempfile.TemporaryDirectory(prefix="jwtlens-bench-") as tmp:
        (Path(tmp) / "material.json").write_text(json.dumps(material))
        try:
            return json.loads(run_python(code, [Path(tmp), *(extra_paths or [])], timeout=timeout))
        except RuntimeError as exc:  # PyodideUnavailable included
            return str(exc)[-tail:]
