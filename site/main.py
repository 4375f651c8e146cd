"""The page's PyScript script: hands the browser's document and window to jwtlens_page, which does the work.

This file stays a few lines on purpose: PyScript compiles it on every page load, while jwtlens_page (in the bundle)
is compiled and imported once, when the build makes the memory snapshot.
"""

import os
import sys

from pyscript import document, window

window.performance.mark("jwtlens:main-py")  # a start-up stage for bench/startup.py

BUNDLE = os.path.abspath("jwtlens-bundle.zip")
if BUNDLE not in sys.path:  # a resumed snapshot has it already; a plain boot does not
    sys.path.insert(0, BUNDLE)

try:
    import jwtlens_page

    jwtlens_page.start(document, window)
except Exception as exc:  # a start-up failure is shown in the page, never only in the console
    window.jwtlensFail(f"{type(exc).__name__}: {exc}")
    raise
