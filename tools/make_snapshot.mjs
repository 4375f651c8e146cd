// Make the Pyodide memory snapshot the page boots from (run by build.py, never by the page).
//
//   node make_snapshot.mjs PYODIDE_DIR BUNDLE_ZIP OUT_FILE OUT_STDLIB [PYSCRIPT_STDLIB]
//
// Starts the pinned Pyodide under Node, imports jwtlens and everything a first decode touches, collects garbage,
// scrubs freed memory and saves makeMemorySnapshot() to OUT_FILE. A snapshot is a frozen process that every visitor's
// tab resumes, so it must hold nothing of the machine that made it: build.py runs this from a scratch directory with
// copies of the inputs and an empty environment, and Python starts here with an explicit, browser-like environment
// (Emscripten would otherwise put the script path in sys.executable and the `_` variable).
// PYSCRIPT_STDLIB is @pyscript/core's src/stdlib/pyscript.js: the sources of the `pyscript` Python package, which
// PyScript writes into the file system and imports on every page load. They are compiled here into checked
// hash-based .pyc files (PEP 552) kept in the snapshot; boot.mjs writes them beside where PyScript will write the
// sources, and Python uses a .pyc only while its source hash matches, so a changed source is simply compiled again.
// OUT_STDLIB gets the standard library zip the snapshot resumes with: Pyodide's, without the modules the snapshot
// already holds (see HELD_STDLIB and trimZip).
// Prints one JSON line with facts about the snapshot for build.py.

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, bundlePath, outPath, outStdlib, pyscriptStdlib] = process.argv.slice(2);
if (!outStdlib) {
  console.error("usage: node make_snapshot.mjs PYODIDE_DIR BUNDLE_ZIP OUT_FILE OUT_STDLIB [PYSCRIPT_STDLIB]");
  process.exit(2);
}

// Where the page puts the bundle: PyScript's working directory is HOME, and boot.mjs writes the bundle there.
// zipimport keeps the bundle's directory in memory, so the path (and the bundle's bytes) must match at run time.
export const HOME = "/home/pyodide";
export const BUNDLE_PATH = `${HOME}/jwtlens-bundle.zip`;

// Python code run before the snapshot. Each step may fail without failing the build (the snapshot is still
// valid, the page just imports that part later), but a failure is reported.
const WARMUP = String.raw`
import gc, json, os, pkgutil, re, sys, warnings

sys.path.insert(0, ${JSON.stringify(BUNDLE_PATH)})
failures = []

def step(name, fn):
    try:
        fn()
    except Exception as e:  # report and carry on: a missing warm-up only costs speed
        failures.append(f"{name}: {type(e).__name__}: {e}")

# The page's own code (site/jwtlens_page.py), compiled now rather than in every visit. First: it sets up what the page
# imports PyJWT with.
import jwtlens_page
import jwtlens

# Every jwtlens module (some are imported lazily by the code paths a token takes), and the stdlib modules
# PyScript's own Python imports at start-up.
def page_modules(path, prefix):
    # The command line (argparse) never runs in the page: jwtlens.cli is neither imported nor walked into (a walk
    # with pkgutil.walk_packages would import the package to list it).
    for info in pkgutil.iter_modules(path, prefix):
        if info.name in ("jwtlens.__main__", "jwtlens.cli"):
            continue
        yield info.name
        if info.ispkg:
            yield from page_modules(__import__(info.name, fromlist=["*"]).__path__, info.name + ".")

for name in list(page_modules(jwtlens.__path__, "jwtlens.")):
    step("import " + name, lambda n=name: __import__(n))
for name in ("html", "html.entities"):
    step("import " + name, lambda n=name: __import__(n))

def tokens():
    # Throwaway keys from fixed numbers: deterministic, so no secret or randomness of the build machine is kept.
    import jwt
    from ecdsa import Ed25519, NIST256p, SigningKey
    claims = {"iss": "https://issuer.example", "sub": "warm-up", "aud": "jwtlens", "iat": 1700000000,
              "nbf": 1700000000, "exp": 4102444800, "scope": "openid"}
    out = [(jwt.encode(claims, "your-256-bit-secret", algorithm="HS256"), "your-256-bit-secret"),
           (jwt.encode(claims, "secret", algorithm="HS256"), None)]
    ec = SigningKey.from_secret_exponent(0x1D5E5, curve=NIST256p)
    ed = SigningKey.from_string(bytes(range(32)), curve=Ed25519)
    for key, alg in ((ec, "ES256"), (ed, "EdDSA")):
        header = jwt.utils.base64url_encode(json.dumps({"alg": alg, "typ": "JWT"}).encode()).decode()
        body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
        signing_input = f"{header}.{body}".encode()
        if alg == "ES256":
            import hashlib
            sig = key.sign_deterministic(signing_input, hashfunc=hashlib.sha256)
        else:
            sig = key.sign(signing_input)
        token = f"{header}.{body}.{jwt.utils.base64url_encode(sig).decode()}"
        out.append((token, key.get_verifying_key().to_pem().decode()))
    out.append(("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", None))
    out.append(("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", None))
    out.append(("Authorization: Bearer eyJhbGc+OiJIUzI1NiJ9.e30.x", None))
    return out

def decode_all():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text, key in tokens():
            step("inspect", lambda t=text, k=key: jwtlens.inspect(t, k).to_json())

step("warm-up decodes", decode_all)
del tokens, decode_all, step
gc.collect()

# boot.mjs reseeds random's module-level generator after a resume; any other generator created at import time would
# give every visitor the same sequence.
import random
frozen = [type(o).__name__ for o in gc.get_objects()
          if isinstance(o, random.Random) and not isinstance(o, random.SystemRandom) and o is not random._inst]
# The page never fetches (jwtlens_page stands in for PyJWT's JWKS client): no HTTP client should be in its memory.
http_clients = [name for name in ("urllib.request", "http.client") if name in sys.modules]
json.dumps({"failures": failures, "frozen_generators": frozen, "http_clients": http_clients})
`;

// Checked in a process resumed from the new snapshot: it decodes, and modules left out of the snapshot still import
// (from the standard library zip, and from the bundle through zipimport's index frozen in the snapshot).
// The .pyc files of PyScript's package, by path relative to the working directory (where PyScript writes the
// sources), held by a module boot.mjs empties after a resume.
const PRECOMPILE = String.raw`
import json, sys, types
from importlib import _bootstrap_external as bootstrap
from importlib.util import cache_from_source, source_hash

def precompile(tree, base=""):
    for name, value in tree.items():
        path = f"{base}{name}"
        if isinstance(value, dict):
            yield from precompile(value, path + "/")
        elif name.endswith(".py"):
            source = value.encode()
            code = compile(source, f"${HOME}/{path}", "exec", dont_inherit=True)
            yield cache_from_source(path), bootstrap._code_to_hash_pyc(code, source_hash(source), checked=True)

holder = types.ModuleType("_jwtlens_precompiled", "Compiled PyScript modules for site/boot.mjs to write out.")
holder.PYC = dict(precompile(json.loads(SOURCES)))
sys.modules[holder.__name__] = holder
len(holder.PYC)
`;

// A module in sys.modules is never read from its zip again (Python looks in sys.modules first, and zipimport only
// reads source for a traceback's lines, which the page never shows): the snapshot's standard library needs only the
// entries of the modules it does not hold. Python names them (HELD_STDLIB); trimZip copies the rest, byte for byte,
// into a new zip that replaces the whole one at the same path; then zipimport's one shared index of that file is read
// again (REINDEX_STDLIB) before the snapshot is taken, so the snapshot holds the index of the file it resumes with.
// The zip is rewritten here rather than in Python so that the snapshot's heap does not grow by the work (done in
// Python, it grew 6 MB and the stored snapshot 1.2 MB). Pyodide started without the snapshot uses its whole zip.
const HELD_STDLIB = String.raw`
import json, sys
_archive = next(path for path in sys.path if path.startswith("/lib/") and path.endswith(".zip"))
json.dumps({"archive": _archive, "held": sorted({
    origin[len(_archive) + 1:] for origin in (getattr(getattr(module, "__spec__", None), "origin", None)
                                             for module in list(sys.modules.values()))
    if isinstance(origin, str) and origin.startswith(_archive + "/")})})
`;
// Every zipimporter of the archive (its sys.path entry's, its packages') reads the one shared index through
// _get_files. (Not importlib.invalidate_caches(): it imports importlib.metadata and with it a dozen modules.)
const REINDEX_STDLIB = String.raw`
import zipimport
zipimport._zip_directory_cache.pop(_archive, None)
sys.path_importer_cache[_archive]._get_files()
del _archive
`;

// The zip without the entries named in drop: each kept entry's local header and data copied as they are, the
// central directory rewritten with the new offsets. Only what Pyodide's zip uses is handled (no ZIP64, no archive
// comment); anything else fails the build.
function trimZip(zip, drop) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  if (view.getUint32(end, true) !== 0x06054b50) throw new Error("stdlib zip: no end record (or a comment)");
  const count = view.getUint16(end + 10, true);
  const directory = view.getUint32(end + 16, true);
  const entries = [];
  for (let at = directory, i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("stdlib zip: bad central directory");
    const size = 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + view.getUint16(at + 28, true)));
    const local = view.getUint32(at + 42, true);
    if (local === 0xffffffff) throw new Error("stdlib zip: ZIP64 is not handled");
    entries.push({ name, header: zip.subarray(at, at + size), local });
    at += size;
  }
  // A local record runs to the next one (data descriptors included), the last one to the central directory.
  const starts = [...entries.map((entry) => entry.local), directory].sort((a, b) => a - b);
  const next = new Map(starts.slice(0, -1).map((start, i) => [start, starts[i + 1]]));
  const kept = entries.filter((entry) => !drop.has(entry.name));
  const records = kept.map((entry) => zip.subarray(entry.local, next.get(entry.local)));
  const recordBytes = records.reduce((total, record) => total + record.length, 0);
  const directoryBytes = kept.reduce((total, entry) => total + entry.header.length, 0);
  const out = new Uint8Array(recordBytes + directoryBytes + 22);
  const outView = new DataView(out.buffer);
  let at = 0;
  kept.forEach((entry, i) => {
    entry.newLocal = at;
    out.set(records[i], at);
    at += records[i].length;
  });
  for (const entry of kept) {
    out.set(entry.header, at);
    outView.setUint32(at + 42, entry.newLocal, true);
    at += entry.header.length;
  }
  out.set(zip.subarray(end, end + 22), at);
  outView.setUint16(at + 8, kept.length, true);
  outView.setUint16(at + 10, kept.length, true);
  outView.setUint32(at + 12, directoryBytes, true);
  outView.setUint32(at + 16, recordBytes, true);
  return out;
}

const SMOKE_TEST = String.raw`
import csv
import importlib.util
import jwtlens
report = jwtlens.inspect("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
assert report.token is not None and report.token.payload == {"sub": "x"}, report.to_json()
assert "def " in importlib.util.find_spec("jwtlens.cli").loader.get_source("jwtlens.cli")
import sys
assert "jwtlens.cli" not in sys.modules
import jwtlens.cli  # left out of the snapshot: it must still import from the bundle
`;

function scrubFreedMemory(module) {
  // Freed heap chunks still hold whatever was there (source text read during imports, temporaries): they compress
  // badly and could hold build-time data. calloc zero-fills every chunk it hands out, so take every free chunk,
  // largest sizes first, without ever growing memory, then give them all back and zero what lies past the break.
  const taken = [];
  for (const size of [1 << 20, 1 << 16, 4096, 512, 64, 16]) {
    while (module._sbrk(0) + size + 65536 <= module.HEAPU8.length) {
      const ptr = module._calloc(size, 1);
      if (!ptr) break;
      taken.push(ptr);
    }
  }
  for (const ptr of taken) module._free(ptr);
  module.HEAPU8.fill(0, module._sbrk(0));
  // The stack below the current frame is dead too (the snapshot is taken from JavaScript, outside any wasm call).
  module.HEAPU8.fill(0, module._emscripten_stack_get_end(), module._emscripten_stack_get_current() - 1024);
}

// The file format: Pyodide's snapshot is the whole linear memory, about half of it zero pages (the unused stack,
// the free end of the heap), and a fifth of the rest is the wasm's own static data, which instantiating the wasm
// writes into memory before the snapshot is resumed (its data segments: string constants, tables). Only the other
// non-zero 4 KiB pages are stored, so every step that handles the file (download, cache, hash, copy) does less work:
//   "JLSNAP02" | u32 image length | u32 segment count | count x (u32 offset, u32 length) | the segments' bytes
// (little-endian). The pages left out are zeros, except the "inherited" ranges build.py records in boot.json
// (heap offsets, with the SHA-256 of their bytes): those hold the wasm's data segments, unchanged. site/boot.mjs
// checks that the heap holds exactly those bytes before it writes the rest around them.
const MAGIC = "JLSNAP02";
const PAGE = 4096;
// The first image page is Pyodide's header and the first heap bytes, which Pyodide copies itself (boot.mjs HEAD_BYTES).
const HEAD_BYTES = 4096;

const leb = (bytes, at) => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return [value, at];
  }
};

// The wasm's initial memory: its active data segments at their offsets. Written here rather than taken from a wasm
// parsing package: the data section's layout is all that is needed, and a segment of any other kind (passive, or
// placed by a global rather than a constant) makes the build fail loudly instead of guessing.
function initialMemory(wasm, length) {
  const memory = new Uint8Array(length);
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    at = body + size;
    if (id !== 11) continue; // the data section
    let [count, pos] = leb(wasm, body);
    for (; count > 0; count--) {
      let flags;
      [flags, pos] = leb(wasm, pos);
      if (flags !== 0 || wasm[pos] !== 0x41) throw new Error(`data segment kind ${flags} is not handled`);
      // i32.const takes a signed LEB128; a memory offset is never negative (sign bit clear in the last byte), and
      // then the unsigned reading gives the same number.
      let offset;
      [offset, pos] = leb(wasm, pos + 1);
      if (wasm[pos - 1] & 0x40 || wasm[pos++] !== 0x0b) throw new Error("data segment offset is not a plain constant");
      let bytes;
      [bytes, pos] = leb(wasm, pos);
      memory.set(wasm.subarray(pos, pos + bytes), offset);
      pos += bytes;
    }
  }
  return memory;
}

// Image pages that hold the wasm's data segments unchanged, as ranges of heap offsets (image offset - header length).
function inheritedRanges(image, initial) {
  const headerLength = new DataView(image.buffer, image.byteOffset).getUint32(4, true);
  const ranges = [];
  for (let at = HEAD_BYTES; at + PAGE <= image.length; at += PAGE) {
    const heap = at - headerLength;
    if (heap + PAGE > initial.length) break;
    let same = true;
    let zero = true;
    for (let i = 0; i < PAGE && same; i++) {
      same = image[at + i] === initial[heap + i];
      zero &&= image[at + i] === 0;
    }
    if (!same || zero) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[0] + last[1] === heap) last[1] += PAGE;
    else ranges.push([heap, PAGE]);
  }
  return { ranges, headerLength };
}

const rangeBytes = (memory, ranges) => {
  const out = new Uint8Array(ranges.reduce((total, [, length]) => total + length, 0));
  let at = 0;
  for (const [offset, length] of ranges) {
    out.set(memory.subarray(offset, offset + length), at);
    at += length;
  }
  return out;
};

function sparse(image, skip) {
  // skip: image offsets of pages stored elsewhere (inherited); zero pages are never stored.
  const zeroPage = (at) => image.subarray(at, Math.min(at + PAGE, image.length)).every((b) => b === 0);
  const segments = [];
  for (let at = 0; at < image.length; at += PAGE) {
    if (skip.has(at) || zeroPage(at)) continue;
    const last = segments[segments.length - 1];
    const length = Math.min(PAGE, image.length - at);
    if (last && last[0] + last[1] === at) last[1] += length;
    else segments.push([at, length]);
  }
  const headerLength = 16 + 8 * segments.length;
  const file = new Uint8Array(headerLength + segments.reduce((total, [, length]) => total + length, 0));
  const view = new DataView(file.buffer);
  file.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, image.length, true);
  view.setUint32(12, segments.length, true);
  let data = headerLength;
  segments.forEach(([offset, length], i) => {
    view.setUint32(16 + 8 * i, offset, true);
    view.setUint32(20 + 8 * i, length, true);
    file.set(image.subarray(offset, offset + length), data);
    data += length;
  });
  return file;
}

function expand(file, initial, inherited, headerLength) {
  // The same steps as site/boot.mjs, to check the file before it ships.
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (new TextDecoder().decode(file.subarray(0, 8)) !== MAGIC) throw new Error("bad magic");
  const image = new Uint8Array(view.getUint32(8, true));
  for (const [offset, length] of inherited) {
    image.set(initial.subarray(offset, offset + length), offset + headerLength);
  }
  const count = view.getUint32(12, true);
  let data = 16 + 8 * count;
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(16 + 8 * i, true);
    const length = view.getUint32(20 + 8 * i, true);
    image.set(file.subarray(data, data + length), offset);
    data += length;
  }
  if (data !== file.length) throw new Error("trailing bytes");
  return image;
}

const { loadPyodide, version } = await import(resolve(pyodideDir, "pyodide.mjs"));
const out = [];
const pyodide = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  _makeSnapshot: true,
  // What a browser gets, minus its language: no path, user or variable of this machine. And Python's -OO
  // (site/boot.mjs PYTHON_ENV, the same for a start without the snapshot): no docstrings in the imported modules'
  // code made the snapshot 14.9 -> 13.9 MB, 0.33 MB less to download; nothing in the page reads a docstring, and
  // the asserts it drops only narrow types.
  env: { HOME, USER: "web_user", LOGNAME: "web_user", PATH: "/", PWD: "/", LANG: "C.UTF-8", PYTHONOPTIMIZE: "2",
         _: undefined },
  _sysExecutable: "./this.program",
  stdout: (line) => out.push(line),
  stderr: (line) => out.push(line),
});
const bundle = readFileSync(bundlePath);
pyodide.FS.writeFile(BUNDLE_PATH, bundle);
const warmup = JSON.parse(pyodide.runPython(WARMUP));
if (warmup.frozen_generators.length) {
  console.error(`random generators created at import time would be shared by every visitor's tab: ${
    warmup.frozen_generators.join(", ")}; use random's module functions or secrets, or reseed them in site/boot.mjs`);
  process.exit(1);
}
let precompiled = 0;
if (pyscriptStdlib) {
  const { default: tree } = await import(pathToFileURL(resolve(pyscriptStdlib)).href);
  const globals = pyodide.toPy({ SOURCES: JSON.stringify(tree) });
  precompiled = pyodide.runPython(PRECOMPILE, { globals });
  globals.destroy();
}
const stdlib = JSON.parse(pyodide.runPython(HELD_STDLIB));
const trimmedStdlib = trimZip(pyodide.FS.readFile(stdlib.archive), new Set(stdlib.held));
pyodide.FS.writeFile(stdlib.archive, trimmedStdlib);
pyodide.runPython(REINDEX_STDLIB);
writeFileSync(outStdlib, trimmedStdlib);
const modules = pyodide.runPython("import sys; len(sys.modules)");
scrubFreedMemory(pyodide._module);
const image = pyodide.makeMemorySnapshot();
const initial = initialMemory(readFileSync(resolve(pyodideDir, "pyodide.asm.wasm")), pyodide._module.HEAPU8.length);
const { ranges: inherited, headerLength } = inheritedRanges(image, initial);
const file = sparse(image, new Set(inherited.flatMap(([offset, length]) =>
  Array.from({ length: length / PAGE }, (_, i) => offset + headerLength + i * PAGE))));
const inheritedSha256 = createHash("sha256").update(rangeBytes(initial, inherited)).digest("hex");

// Resume it as site/boot.mjs does, and smoke-test it, so a broken snapshot fails the build rather than the page.
const snapshot = expand(file, initial, inherited, headerLength);
if (Buffer.compare(Buffer.from(snapshot), Buffer.from(image)) !== 0) throw new Error("the file does not round-trip");
const { default: createModule } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.asm.mjs")).href);
const resumed = await loadPyodide({
  indexURL: resolve(pyodideDir) + "/",
  stdLibURL: resolve(outStdlib),
  _loadSnapshot: snapshot,
  async createPyodideModule(settings) {
    const module = await createModule(settings);
    // What boot.mjs relies on: when Pyodide hands over the module, the inherited ranges still hold the data segments.
    const found = createHash("sha256").update(rangeBytes(module.HEAPU8, inherited)).digest("hex");
    if (found !== inheritedSha256) {
      throw new Error("the wasm's start-up changed its static data: the snapshot cannot inherit it");
    }
    if (module.HEAP8.length < snapshot.length) module._free(module._malloc(snapshot.length));
    return module;
  },
  stdout: (line) => out.push(line),
  stderr: (line) => out.push(line),
});
resumed.FS.writeFile(BUNDLE_PATH, bundle);
resumed.runPython(SMOKE_TEST);

writeFileSync(outPath, file);
console.log(JSON.stringify({
  pyodide: version,
  bytes: file.length,
  image_bytes: snapshot.length,
  inherited: { ranges: inherited, sha256: inheritedSha256 },
  modules,
  stdlib_modules_held: stdlib.held.length,
  precompiled,
  bundle_path: BUNDLE_PATH,
  warmup_failures: warmup.failures,
  http_client_modules: warmup.http_clients,
  output: out,
}));
