"""Signing and key generation time: ours in CPython and in Pyodide under Node (the page's runtime), against
cryptography (PyJWT[crypto]) in CPython in the same run.

    .venv/bin/python bench/sign.py [--runs N] [--rsa-runs 2048:10,3072:5,4096:3] [--no-pyodide]

Signing: "sign" is ``Algorithm.sign(signing_input, key)`` with the key already loaded; "encode" is the whole
``encode.encode(header, payload, alg, key_text)`` the Encode view runs (JSON checks, key box, signing), which the
targets are judged on; "first" is the first signature in a fresh interpreter (ECDSA/EdDSA build the curve's
generator table then, unless key generation already did). Key generation: "first" is the first key of its kind in a
fresh interpreter. RSA generation varies a lot from key to key (the prime search is a run of random draws), so it
is shown as median and max, with the Miller-Rabin rounds spent against the expected mean. Prints figures only;
nothing here passes or fails on time.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

from _common import parse_args, print_head, timing_namespace  # noqa: E402

# Targets in the page, milliseconds.
SIGN_TARGET_MS = 30.0
CURVE_KEYGEN_TARGET_MS = 100.0
RSA_2048_TARGET_MS = 2000.0

SIGN_CASES = [
    ("HS256", "HS256", "oct"), ("HS384", "HS384", "oct"), ("HS512", "HS512", "oct"),
    ("RS256", "RS256", "RSA"), ("RS384", "RS384", "RSA"), ("RS512", "RS512", "RSA"),
    ("PS256", "PS256", "RSA"), ("PS384", "PS384", "RSA"), ("PS512", "PS512", "RSA"),
    ("ES256", "ES256", "P-256"), ("ES384", "ES384", "P-384"), ("ES512", "ES512", "P-521"),
    ("ES256K", "ES256K", "secp256k1"), ("EdDSA/Ed25519", "EdDSA", "Ed25519"), ("EdDSA/Ed448", "EdDSA", "Ed448"),
    ("RS256/4096", "RS256", "RSA-4096"),  # a key size, not an algorithm: shown for information, no target
]
CURVE_KEYGEN = [("ES256", None), ("ES384", None), ("ES512", None), ("ES256K", None), ("EdDSA", "Ed25519"),
                ("EdDSA", "Ed448")]

# Runs in CPython and, unchanged, in Pyodide.
TIMING_CODE = r'''
import statistics, time
from jwtlens import algorithms, encode, keygen, keys

HEADER = '{"kid": "bench"}'
PAYLOAD = '{"sub": "1234567890", "name": "Bench Mark", "iat": 1700000000, "exp": 1900000000}'
SIGNING_INPUT = b"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkJlbmNoIE1hcmsifQ"


def _ms(fn):
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1e3, value


def time_signing(material, runs):
    out = {}
    for case, (alg_name, key_text) in material.items():
        alg = algorithms.get(alg_name)
        key = keys.load_key(key_text).keys[0]
        first, _ = _ms(lambda: alg.sign(SIGNING_INPUT, key))
        sign = [_ms(lambda: alg.sign(SIGNING_INPUT, key))[0] for _ in range(runs)]
        made = encode.encode(HEADER, PAYLOAD, alg_name, key_text)
        whole = [_ms(lambda: encode.encode(HEADER, PAYLOAD, alg_name, key_text))[0] for _ in range(runs)]
        out[case] = {"ok": made.ok, "first": first, "sign": statistics.median(sign),
                     "encode": statistics.median(whole)}
    return out


def time_keygen(curve_cases, runs, rsa_plan):
    out = {}
    for alg, curve in curve_cases:
        label = curve or alg
        first, _ = _ms(lambda: keygen.generate(alg, curve=curve))
        samples = [_ms(lambda: keygen.generate(alg, curve=curve))[0] for _ in range(runs)]
        out[label] = {"runs": runs, "first": first, "median": statistics.median(samples), "max": max(samples)}
    t0 = time.perf_counter()
    keygen._sieve()
    out["sieve"] = (time.perf_counter() - t0) * 1e3
    for bits, n in rsa_plan:
        samples, rounds = [], []
        for _ in range(n):
            steps = []
            ms, key = _ms(lambda: keygen.generate("RS256", rsa_bits=bits, progress=steps.append))
            assert key.public.n.bit_length() == bits
            samples.append(ms)
            rounds.append(len(steps))
        out[f"RSA-{bits}"] = {"runs": n, "median": statistics.median(samples), "max": max(samples),
                              "min": min(samples), "rounds": statistics.mean(rounds),
                              "expected": 2 * keygen.expected_rounds(bits // 2)}
    return out
'''


def make_material() -> tuple[dict[str, tuple[str, str]], dict[str, object]]:
    """case -> (alg, key text) for us; case -> cryptography key (or secret bytes) for the oracle."""
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    made = {
        "RSA": rsa.generate_private_key(65537, 2048), "RSA-4096": rsa.generate_private_key(65537, 4096),
        "P-256": ec.generate_private_key(ec.SECP256R1()), "P-384": ec.generate_private_key(ec.SECP384R1()),
        "P-521": ec.generate_private_key(ec.SECP521R1()), "secp256k1": ec.generate_private_key(ec.SECP256K1()),
        "Ed25519": ed25519.Ed25519PrivateKey.generate(), "Ed448": ed448.Ed448PrivateKey.generate(),
    }
    material, oracle = {}, {}
    for case, alg, kind in SIGN_CASES:
        if kind == "oct":
            secret = b"k" * (int(alg[2:]) // 8)
            material[case], oracle[case] = (alg, secret.decode()), secret
            continue
        key = made[kind]
        pem = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()).decode()
        material[case], oracle[case] = (alg, pem), key
    return material, oracle


def time_cryptography(material: dict, oracle: dict, runs: int) -> dict[str, float]:
    from jwt.algorithms import get_default_algorithms

    algs = get_default_algorithms()
    msg = timing_namespace(TIMING_CODE)["SIGNING_INPUT"]
    out = {}
    for case, (alg_name, _) in material.items():
        alg = algs[alg_name]
        key = alg.prepare_key(oracle[case])
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            alg.sign(msg, key)
            samples.append(time.perf_counter() - t0)
        out[case] = statistics.median(samples) * 1e3
    return out


def run_here(material: dict, runs: int, rsa_plan: list[tuple[int, int]]) -> dict:
    """Key generation first (so its 'first' includes the curve tables), then signing."""
    namespace = timing_namespace(TIMING_CODE)
    return {"keygen": namespace["time_keygen"](CURVE_KEYGEN, runs, rsa_plan),
            "sign": namespace["time_signing"](material, runs)}


def run_pyodide(material: dict, runs: int, rsa_plan: list[tuple[int, int]]) -> dict | str:
    from tools.pyodide_node import MATERIAL, run_with_material

    code = ("import json\n" + TIMING_CODE
            + f"json.dumps({{'keygen': time_keygen({CURVE_KEYGEN!r}, {runs}, {rsa_plan!r}), "
            f"'sign': time_signing(json.load(open({MATERIAL!r})), {runs})}})\n")
    return run_with_material(code, material, tail=800)


def _yes(value: float, target: float) -> str:
    return "yes" if value < target else "NO"


def print_signing(material: dict, cpy: dict, pyo: dict | None, crypto: dict, runs: int) -> None:
    print(f"Signing, median of {runs} runs (ms); judged on 'encode' in Pyodide, target < {SIGN_TARGET_MS:.0f} ms")
    head = (f"{'alg':15} {'crypto CPy':>10} {'sign CPy':>9} {'ratio':>7} {'sign Pyo':>9} {'Pyo/CPy':>8} "
            f"{'encode Pyo':>10} {'first Pyo':>9}  in target")
    print_head(head)
    for case in material:
        o, c, p = cpy[case], crypto[case], (pyo or {}).get(case)
        row = f"{case:15} {c:10.3f} {o['sign']:9.3f} {o['sign'] / c:6.0f}x "
        if p:
            row += f"{p['sign']:9.3f} {p['sign'] / o['sign']:7.1f}x {p['encode']:10.3f} {p['first']:9.1f}  "
        else:
            row += f"{'-':>9} {'-':>8} {'-':>10} {'-':>9}  "
        measured = p["encode"] if p else o["encode"]
        row += "(info)" if case.endswith("/4096") else _yes(measured, SIGN_TARGET_MS)
        if not o["ok"] or (p and not p["ok"]):
            row += "  (ENCODE FAILED)"
        print(row)


def print_keygen(cpy: dict, pyo: dict | None) -> None:
    print("\nKey generation (ms): EC/EdDSA median and max of the runs after the first; RSA median/max/min of the runs")
    head = f"{'kind':10} {'runs':>4} {'CPy median':>10} {'CPy max':>8} {'Pyo first':>9} {'Pyo median':>10} " \
           f"{'Pyo max':>8} {'Pyo min':>8} {'MR rounds':>13}  in target"
    print_head(head)
    for label, o in cpy.items():
        if label == "sieve":
            continue
        p = (pyo or {}).get(label)
        rsa = label.startswith("RSA")
        row = f"{label:10} {o['runs']:4d} {o['median']:10.1f} {o['max']:8.1f} "
        if p:
            first = "-" if rsa else f"{p['first']:.1f}"
            low = f"{p['min']:.0f}" if rsa else "-"
            rounds = f"{p['rounds']:.0f}/{p['expected']:.0f}" if rsa else "-"
            row += f"{first:>9} {p['median']:10.1f} {p['max']:8.1f} {low:>8} {rounds:>13}  "
            if not rsa:
                row += _yes(p["median"], CURVE_KEYGEN_TARGET_MS)
            elif label == "RSA-2048":
                row += _yes(p["median"], RSA_2048_TARGET_MS)
        print(row)
    if pyo:
        print(f"(RSA's small-prime table is built once, on the first RSA key: {pyo['sieve']:.0f} ms in Pyodide; "
              "'MR rounds' is the mean number of Miller-Rabin rounds per key / the expected mean)")


def main(argv: list[str] | None = None) -> int:
    args, runs = parse_args(__doc__, argv, 15, 10, "timed runs for signing and EC keys (at least 10)",
                            lambda parser: parser.add_argument("--rsa-runs", default="2048:10,3072:5,4096:3",
                                                               help="RSA keys per size (bits:count,...)"))
    rsa_plan = [(int(b), int(n)) for b, n in (item.split(":") for item in args.rsa_runs.split(",") if item)]

    material, oracle = make_material()
    crypto = time_cryptography(material, oracle, runs)
    ours = run_here(material, runs, rsa_plan)
    pyo = "skipped (--no-pyodide)" if args.no_pyodide else run_pyodide(material, runs, rsa_plan)
    in_page = pyo if isinstance(pyo, dict) else None
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]} (CPython) vs Pyodide under Node; cryptography in CPython; "
          f"{os.cpu_count()} CPUs, load average at the end {load} (other work on the machine slows every figure)\n")
    print_signing(material, ours["sign"], in_page["sign"] if in_page else None, crypto, runs)
    print_keygen(ours["keygen"], in_page["keygen"] if in_page else None)
    if in_page is None:
        print(f"\nPyodide: {pyo}")
    print("\nratio = ours / cryptography in CPython; Pyo/CPy = ours in Pyodide / ours in CPython.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
