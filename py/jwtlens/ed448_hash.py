"""Ed448's hash through ``hashlib`` in Pyodide, where ``ecdsa`` would compute it in pure Python.

``ecdsa`` 0.19 asks ``hashlib.new("shake256")`` for SHAKE256, OpenSSL's name for it. Pyodide's Python has no
OpenSSL, only the built-in ``hashlib.shake_256``, so ``ecdsa`` falls back to a Keccak of its own written in Python:
about 3 to 11 ms per hash in Pyodide, and an Ed448 signature takes two of them, reading an Ed448 private key one.
Pointing ``ecdsa``'s Ed448 at ``hashlib.shake_256`` (the same function, from C) made encoding an Ed448 token in
Pyodide about three times faster (bench/sign.py). In CPython this changes nothing: ``ecdsa`` already used OpenSSL.

The key model (``keys/model.py``) calls ``install()`` when it is imported, so every Ed448 key the package makes or
reads uses it; ``algorithms.ed_verify`` calls ``hashlib.shake_256`` itself and never needed it.
``tests/test_keygen.py`` checks that ``ecdsa`` still looks the function up there (a new ``ecdsa`` that does not
would make this a silent no-op, and Ed448 slow again).
"""

from __future__ import annotations

import hashlib

from ecdsa import eddsa


def shake_256(data: bytes, length: int) -> bytes:
    return hashlib.shake_256(data).digest(length)


def install() -> None:
    """Make ``ecdsa``'s Ed448 curve (which calls ``eddsa.shake_256`` at each use) hash with ``hashlib``."""
    eddsa.shake_256 = shake_256
