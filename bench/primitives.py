"""Time of the JWE primitives (py/jwtlens/primitives): ours in CPython, ours in Pyodide under Node (the page's
runtime, the same code via tools/pyodide_node.run_python), and cryptography's in CPython as the baseline; median of
N runs after one warm-up call. Then whole tokens (one key unwrap or agreement + content decryption of 1 KB and
64 KB) against the page's target of 100 ms in Pyodide (PBES2 excluded: it is slow by design).

    .venv/bin/python bench/primitives.py [--runs N] [--no-pyodide] [--pyaes DIR]

--pyaes DIR adds pyaes 1.6.1's block encryption for comparison (DIR holds its unpacked sdist: it has no wheel).
Prints figures only; nothing here passes or fails.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

from _common import parse_args, print_head, timing_namespace  # noqa: E402

TARGET_MS = 100.0

# Runs in CPython and, unchanged, in Pyodide: times our primitives on MATERIAL (made by cryptography).
TIMING_CODE = r'''
import statistics, time
from jwtlens.primitives import aes, cbc_hmac, ecdh, gcm, kdf, keywrap, montgomery, rsaes
from jwtlens.rsa import RSAPrivateKey, RSAPublicKey

H = bytes.fromhex

def _median_ms(fn, runs, inner=1):
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return statistics.median(samples) * 1e3

def _ops(m):
    ops = {}
    block = aes.AES(H(m["key32"]))
    ops["AES-256 block encrypt (per block)"] = (lambda: block.encrypt_block(H(m["block"])), 200)
    for enc in ("A128GCM", "A256GCM"):
        key = H(m[enc]["key"])
        for size in ("1KB", "64KB"):
            c = m[enc][size]
            ops[f"{enc} encrypt {size}"] = (lambda key=key, c=c: gcm.encrypt(key, H(c["iv"]), H(c["pt"]), b"aad"), 1)
            ops[f"{enc} decrypt {size}"] = (
                lambda key=key, c=c: gcm.decrypt(key, H(c["iv"]), H(c["ct"]), H(c["tag"]), b"aad"), 1)
    for enc in ("A128CBC-HS256", "A256CBC-HS512"):
        key = H(m[enc]["key"])
        for size in ("1KB", "64KB"):
            c = m[enc][size]
            ops[f"{enc} encrypt {size}"] = (
                lambda enc=enc, key=key, c=c: cbc_hmac.encrypt(enc, key, H(c["iv"]), H(c["pt"]), b"aad"), 1)
            ops[f"{enc} decrypt {size}"] = (
                lambda enc=enc, key=key, c=c: cbc_hmac.decrypt(enc, key, H(c["iv"]), H(c["ct"]), H(c["tag"]), b"aad"),
                1)
    for alg in ("A128KW", "A256KW"):
        kek, wrapped = H(m[alg]["kek"]), H(m[alg]["wrapped"])
        ops[f"{alg} unwrap (256-bit key)"] = (lambda k=kek, w=wrapped: keywrap.unwrap(k, w), 5)
    for curve in ("X25519", "X448"):
        c = m[curve]
        ops[f"{curve} scalar mult"] = (
            lambda curve=curve, c=c: montgomery.shared_secret(curve, H(c["d"]), H(c["peer"])), 1)
    for curve in ("P-256", "P-384", "P-521"):
        c = m[curve]
        ops[f"ECDH {curve}"] = (lambda curve=curve, c=c: ecdh.agree(curve, c["d"], tuple(c["peer"])), 1)
    ops["Concat KDF (ECDH-ES, 256 bits)"] = (lambda: kdf.ecdh_es_key(bytes(32), "A256GCM", 256, b"a", b"b"), 20)
    for bits in ("2048", "4096"):
        r = m["rsa" + bits]
        key = RSAPrivateKey(RSAPublicKey(r["n"], r["e"]), r["d"], r["p"], r["q"])
        ops[f"RSA-OAEP-256 decrypt {bits}"] = (lambda key=key, ct=H(r["ct"]): rsaes.decrypt_oaep(key, "SHA-256", ct), 1)
    for p2c in (10000, 600000):
        ops[f"PBES2-HS256+A128KW p2c {p2c:,}"] = (
            lambda p2c=p2c: kdf.pbes2_key("PBES2-HS256+A128KW", b"correct horse", bytes(16), p2c), 1)
    return ops

def time_ours(material, runs, only=None):
    out = {}
    for name, (fn, inner) in _ops(material).items():
        if only is None or name in only:
            out[name] = _median_ms(fn, runs if "600,000" not in name else max(7, runs // 3), inner)
    return out

def time_pyaes(runs):
    import pyaes
    cipher = pyaes.AES(bytes(32))
    block = bytes(range(16))
    return _median_ms(lambda: cipher.encrypt(block), runs, 200)
'''


def make_material() -> tuple[dict, dict]:
    """JSON-able inputs for TIMING_CODE, and the cryptography objects for the baseline."""
    from cryptography.hazmat.primitives import hashes, keywrap
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, x448, x25519
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from jwtlens.primitives import cbc_hmac

    m: dict = {"key32": os.urandom(32).hex(), "block": os.urandom(16).hex()}
    sizes = {"1KB": 1024, "64KB": 65536}
    for enc, klen in (("A128GCM", 16), ("A256GCM", 32)):
        key = os.urandom(klen)
        m[enc] = {"key": key.hex()}
        for size, n in sizes.items():
            iv, pt = os.urandom(12), os.urandom(n)
            sealed = AESGCM(key).encrypt(iv, pt, b"aad")
            m[enc][size] = {"iv": iv.hex(), "pt": pt.hex(), "ct": sealed[:-16].hex(), "tag": sealed[-16:].hex()}
    for enc, klen in (("A128CBC-HS256", 32), ("A256CBC-HS512", 64)):
        key = os.urandom(klen)
        m[enc] = {"key": key.hex()}
        for size, n in sizes.items():
            iv, pt = os.urandom(16), os.urandom(n)
            ct, tag = cbc_hmac.encrypt(enc, key, iv, pt, b"aad")  # checked against cryptography in the tests
            m[enc][size] = {"iv": iv.hex(), "pt": pt.hex(), "ct": ct.hex(), "tag": tag.hex()}
    for alg, klen in (("A128KW", 16), ("A256KW", 32)):
        kek = os.urandom(klen)
        m[alg] = {"kek": kek.hex(), "wrapped": keywrap.aes_key_wrap(kek, os.urandom(32)).hex()}
    oracle: dict = {}
    for curve, mod in (("X25519", x25519), ("X448", x448)):
        priv_cls = getattr(mod, f"{curve}PrivateKey")
        ours, peer = priv_cls.generate(), priv_cls.generate()
        m[curve] = {"d": ours.private_bytes_raw().hex(), "peer": peer.public_key().public_bytes_raw().hex()}
        oracle[curve] = (ours, peer.public_key())
    for curve, cls in (("P-256", ec.SECP256R1), ("P-384", ec.SECP384R1), ("P-521", ec.SECP521R1)):
        ours, peer = ec.generate_private_key(cls()), ec.generate_private_key(cls())
        pn = peer.public_key().public_numbers()
        m[curve] = {"d": ours.private_numbers().private_value, "peer": [pn.x, pn.y]}
        oracle[curve] = (ours, peer.public_key())
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    for bits in (2048, 4096):
        key = rsa.generate_private_key(65537, bits)
        n = key.private_numbers()
        ct = key.public_key().encrypt(os.urandom(32), oaep)
        m[f"rsa{bits}"] = {"n": n.public_numbers.n, "e": n.public_numbers.e, "d": n.d, "p": n.p, "q": n.q,
                           "ct": ct.hex()}
        oracle[f"rsa{bits}"] = (key, ct, oaep)
    return m, oracle


def time_cryptography(m: dict, oracle: dict, runs: int) -> dict[str, float]:
    """The same operations through cryptography (C/Rust), CPython only."""
    import hashlib

    from cryptography.hazmat.primitives import hashes, hmac, keywrap, padding
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    median = timing_namespace(TIMING_CODE)["_median_ms"]
    H = bytes.fromhex
    out: dict[str, float] = {}
    ecb = Cipher(algorithms.AES(H(m["key32"])), modes.ECB())
    out["AES-256 block encrypt (per block)"] = median(lambda: ecb.encryptor().update(H(m["block"])), runs, 200)
    for enc in ("A128GCM", "A256GCM"):
        aead = AESGCM(H(m[enc]["key"]))
        for size in ("1KB", "64KB"):
            c = m[enc][size]
            out[f"{enc} encrypt {size}"] = median(lambda a=aead, c=c: a.encrypt(H(c["iv"]), H(c["pt"]), b"aad"), runs)
            out[f"{enc} decrypt {size}"] = median(
                lambda a=aead, c=c: a.decrypt(H(c["iv"]), H(c["ct"]) + H(c["tag"]), b"aad"), runs)

    def cbc(enc, key, iv, data, decrypt):
        half, hash_cls = len(key) // 2, hashes.SHA256 if enc == "A128CBC-HS256" else hashes.SHA512
        if decrypt:
            mac = hmac.HMAC(key[:half], hash_cls())
            mac.update(b"aad" + iv + data + (24).to_bytes(8, "big"))
            mac.finalize()
            padded = Cipher(algorithms.AES(key[half:]), modes.CBC(iv)).decryptor().update(data)
            unpadder = padding.PKCS7(128).unpadder()
            return unpadder.update(padded) + unpadder.finalize()
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        ct = Cipher(algorithms.AES(key[half:]), modes.CBC(iv)).encryptor().update(padded)
        mac = hmac.HMAC(key[:half], hash_cls())
        mac.update(b"aad" + iv + ct + (24).to_bytes(8, "big"))
        return ct, mac.finalize()[:half]

    for enc in ("A128CBC-HS256", "A256CBC-HS512"):
        key = H(m[enc]["key"])
        for size in ("1KB", "64KB"):
            c = m[enc][size]
            out[f"{enc} encrypt {size}"] = median(lambda e=enc, k=key, c=c: cbc(e, k, H(c["iv"]), H(c["pt"]), False),
                                                  runs)
            out[f"{enc} decrypt {size}"] = median(lambda e=enc, k=key, c=c: cbc(e, k, H(c["iv"]), H(c["ct"]), True),
                                                  runs)
    for alg in ("A128KW", "A256KW"):
        out[f"{alg} unwrap (256-bit key)"] = median(
            lambda a=alg: keywrap.aes_key_unwrap(H(m[a]["kek"]), H(m[a]["wrapped"])), runs, 5)
    for curve in ("X25519", "X448"):
        ours, peer = oracle[curve]
        out[f"{curve} scalar mult"] = median(lambda o=ours, p=peer: o.exchange(p), runs)
    for curve in ("P-256", "P-384", "P-521"):
        ours, peer = oracle[curve]
        out[f"ECDH {curve}"] = median(lambda o=ours, p=peer: o.exchange(ec.ECDH(), p), runs)
    for bits in ("2048", "4096"):
        key, ct, oaep = oracle["rsa" + bits]
        out[f"RSA-OAEP-256 decrypt {bits}"] = median(lambda k=key, c=ct, o=oaep: k.decrypt(c, o), runs)
    salt = b"PBES2-HS256+A128KW\x00" + bytes(16)
    for p2c in (10000, 600000):
        out[f"PBES2-HS256+A128KW p2c {p2c:,}"] = median(
            lambda p2c=p2c: hashlib.pbkdf2_hmac("sha256", b"correct horse", salt, p2c, 16), max(7, runs // 3))
    return out


def time_pyodide(m: dict, runs: int, pyaes_dir: Path | None) -> dict | str:
    from tools.pyodide_node import MATERIAL, run_with_material

    code = (TIMING_CODE + "import json, sys\nsys.path.append('/extra1')\n"
            f"ours = time_ours(json.load(open({MATERIAL!r})), {runs})\n"
            + (f"ours['pyaes 1.6.1 block encrypt (per block)'] = time_pyaes({runs})\n" if pyaes_dir else "")
            + "json.dumps(ours)\n")
    return run_with_material(code, m, [pyaes_dir] if pyaes_dir else [])


TOKENS = [  # (what, key-management op or None for "dir", content op prefix)
    ("dir + A256GCM", None, "A256GCM"),
    ("A256KW + A256GCM", "A256KW unwrap (256-bit key)", "A256GCM"),
    ("A256KW + A256CBC-HS512", "A256KW unwrap (256-bit key)", "A256CBC-HS512"),
    ("A128KW + A128CBC-HS256", "A128KW unwrap (256-bit key)", "A128CBC-HS256"),
    ("ECDH-ES P-256 + A256GCM", "ECDH P-256", "A256GCM"),
    ("ECDH-ES P-521 + A256GCM", "ECDH P-521", "A256GCM"),
    ("ECDH-ES X25519 + A256GCM", "X25519 scalar mult", "A256GCM"),
    ("ECDH-ES X448 + A256CBC-HS512", "X448 scalar mult", "A256CBC-HS512"),
    ("RSA-OAEP-256 2048 + A256GCM", "RSA-OAEP-256 decrypt 2048", "A256GCM"),
    ("RSA-OAEP-256 4096 + A256CBC-HS512", "RSA-OAEP-256 decrypt 4096", "A256CBC-HS512"),
]


def _token_ms(times: dict, key_op: str | None, content: str, size: str) -> float:
    kdf = times["Concat KDF (ECDH-ES, 256 bits)"] if key_op and ("ECDH" in key_op or "scalar" in key_op) else 0.0
    return (times[key_op] if key_op else 0.0) + kdf + times[f"{content} decrypt {size}"]


def main(argv: list[str] | None = None) -> int:
    args, runs = parse_args(__doc__, argv, 9, 7, "timed runs per operation (default 9, at least 7)",
                            lambda parser: parser.add_argument(
                                "--pyaes", type=Path,
                                help="a folder holding pyaes 1.6.1 (the unpacked sdist), to compare"))
    namespace = timing_namespace(TIMING_CODE)
    m, oracle = make_material()
    ours = namespace["time_ours"](m, runs)
    crypto = time_cryptography(m, oracle, runs)
    if args.pyaes:
        sys.path.insert(0, str(args.pyaes))
        ours["pyaes 1.6.1 block encrypt (per block)"] = namespace["time_pyaes"](runs)
    pyo = "skipped (--no-pyodide)" if args.no_pyodide else time_pyodide(m, runs, args.pyaes)
    page = pyo if isinstance(pyo, dict) else {}

    print(f"JWE primitives, median of {runs} runs after a warm-up call (ms); Python {sys.version.split()[0]}")
    head = f"{'operation':40} {'ours CPython':>12} {'crypto CPy':>11} {'ratio':>8} {'ours Pyodide':>12} {'Pyo/CPy':>8}"
    print_head(head)
    for name, ms in ours.items():
        c = crypto.get(name)
        row = f"{name:40} {ms:12.3f} " + (f"{c:11.4f} {ms / c:7.0f}x " if c else f"{'-':>11} {'-':>8} ")
        p = page.get(name)
        row += f"{p:12.3f} {p / ms:7.1f}x" if p else f"{'-':>12} {'-':>8}"
        print(row)
    where = page or ours
    label = "Pyodide" if page else "CPython (no Pyodide figures)"
    print(f"\nWhole tokens in {label}: key unwrap/agreement (+ Concat KDF) + content decryption; target "
          f"< {TARGET_MS:.0f} ms")
    print(f"{'token':38} {'1 KB':>9} {'':4} {'64 KB':>9}")
    for what, key_op, content in TOKENS:
        cells = []
        for size in ("1KB", "64KB"):
            t = _token_ms(where, key_op, content, size)
            cells.append(f"{t:9.1f} {'ok' if t < TARGET_MS else 'NO':4}")
        print(f"{what:38} {' '.join(cells)}")
    if not page:
        print(f"\nPyodide: {pyo}")
    print("\nratio = ours / cryptography, both CPython; Pyo/CPy = ours in Pyodide / ours in CPython. PBES2 is outside "
          "the target (its cost is the point); in Pyodide it runs the Python PBKDF2 loop (no hashlib.pbkdf2_hmac).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
