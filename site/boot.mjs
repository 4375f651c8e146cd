// PyScript's `interpreter` (site/pyscript.json): the vendored Pyodide, resumed from the build's memory snapshot when
// it can be, else started the ordinary way. PyScript imports this module and calls its loadPyodide like Pyodide's own.
//
// The snapshot (made by tools/make_snapshot.mjs at build time) is a frozen Python process with jwtlens already
// imported. It is only valid for the exact Pyodide build, standard library and jwtlens bundle it was made with:
// boot.json records their hashes and anything that does not match, or fails, means a plain boot. Which path was taken
// is logged to the console and shown on <html data-boot="snapshot|plain" data-boot-reason="...">.
//
// Both paths also write the jwtlens bundle into Python's file system (the snapshot's zipimport index points into it).

import { loadPyodide as startPyodide, version } from "./vendor/pyodide/pyodide.mjs";

export { version };

const BASE = new URL("./", import.meta.url);
const INDEX_URL = new URL("vendor/pyodide/", BASE).href;
// Defaults for a build without boot.json; build.py writes the real names and hashes there.
const DEFAULTS = { bundle: { file: "jwtlens-bundle.zip", path: "/home/pyodide/jwtlens-bundle.zip" }, snapshot: null };

// Run in Python right after a resume. A snapshot holds the random generator's state and the time zone of the
// machine that made it: reseed from this browser's entropy (os.urandom draws from crypto.getRandomValues), and redo
// what CPython's time module computes at start-up (timemodule.c init_timezone) with this browser's clock, once
// resyncTimezone has done the same for the C library. The file system starts empty: write out the compiled PyScript
// modules the snapshot holds (tools/make_snapshot.mjs), for PyScript's imports to find next to its sources.
const RESUME_FIXUPS = `
def _resume():
    import os
    import random
    import sys
    import time

    # No .pyc files written at run time: the file system lasts one page load, and the snapshot's stay as made.
    sys.dont_write_bytecode = True
    precompiled = sys.modules.pop("_jwtlens_precompiled", None)
    for path, data in getattr(precompiled, "PYC", {}).items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)

    if REINDEX_STDLIB:  # not the zip the snapshot was made with: Pyodide's whole one (jwtlens.html, build.py)
        import zipimport
        zipimport._zip_directory_cache.pop(REINDEX_STDLIB, None)

    random.seed()
    year = (365 * 24 + 6) * 3600
    start = (int(time.time()) // year) * year
    jan, jul = time.localtime(start), time.localtime(start + year // 2)
    jan_zone, jul_zone = -jan.tm_gmtoff, -jul.tm_gmtoff
    if jan_zone < jul_zone:  # southern hemisphere: daylight saving time in January
        time.timezone, time.altzone, time.tzname = jul_zone, jan_zone, (jul.tm_zone[:9], jan.tm_zone[:9])
    else:
        time.timezone, time.altzone, time.tzname = jan_zone, jul_zone, (jan.tm_zone[:9], jul.tm_zone[:9])
    time.daylight = int(jan_zone != jul_zone)

_resume()
`;

// The page loads no package: Pyodide gets a lock file that lists none (with the real one's ABI and versions, which it
// checks), instead of fetching and parsing its 119 KB pyodide-lock.json. An import of a module no file here holds
// then fails at once, never asks the network.
const noPackages = (info) =>
  info?.lock_info ? { lockFileContents: JSON.stringify({ info: info.lock_info, packages: {} }) } : {};

// Python's -OO, as the snapshot was made (tools/make_snapshot.mjs): a start without the snapshot runs the same code.
const PYTHON_ENV = { PYTHONOPTIMIZE: "2" };

class SnapshotUnusable extends Error {}

// Start-up stages, for bench/startup.py's breakdown (performance marks cost nothing measurable).
const mark = (stage) => performance.mark(`jwtlens:${stage}`);

function resyncTimezone(module) {
  // The C library's tzset ran when the snapshot was made (and does not run twice): redo its work, Emscripten's
  // _tzset_js, into the same variables, so C and Python see this browser's zone and its names.
  const names = module._tzname >>> 2;
  module.__tzset_js(module._timezone, module._daylight, module.HEAPU32[names], module.HEAPU32[names + 1]);
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname.split("/").pop()}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readBootInfo() {
  try {
    const response = await fetch(new URL("boot.json", BASE));
    if (response.ok) return { ...DEFAULTS, ...(await response.json()) };
  } catch {
    // fall through: without boot.json there is nothing to check a snapshot against
  }
  return null;
}

function writeBundle(pyodide, info, bytes) {
  const dir = info.bundle.path.slice(0, info.bundle.path.lastIndexOf("/"));
  pyodide.FS.mkdirTree(dir);
  pyodide.FS.writeFile(info.bundle.path, bytes);
}

// The snapshot file holds only the non-zero pages of the memory image that the wasm does not bring itself (format:
// tools/make_snapshot.mjs); boot.json lists the ranges the wasm brings ("inherited").
const SNAPSHOT_MAGIC = "JLSNAP02";

async function fetchSnapshot(info) {
  const response = await fetch(new URL(info.snapshot.file, BASE));
  if (!response.ok) throw new SnapshotUnusable(`snapshot: HTTP ${response.status}`);
  mark("snapshot-response");
  const expected = info.snapshot.bytes;
  // The service worker checks each file against the build's hash as it caches it, and marks the copies it serves.
  const marked = response.headers.get("x-jwtlens-sha256");
  const verify = !(marked?.length >= 16 && info.snapshot.sha256.startsWith(marked));
  // Read the body as it arrives and hash it a block at a time (WebCrypto works off the main thread), so checking
  // the whole file costs one block's digest after the last byte instead of a second pass over it.
  const block = info.snapshot.block_bytes;
  const file = new Uint8Array(expected);
  const digests = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > expected) {
      await reader.cancel();
      throw new SnapshotUnusable(`snapshot has more than the ${expected} bytes expected`);
    }
    file.set(value, length);
    length += value.length;
    while (verify && length - digests.length * block >= block) {
      const at = digests.length * block;
      digests.push(crypto.subtle.digest("SHA-256", file.subarray(at, at + block)));
    }
  }
  mark("snapshot-read");
  if (length !== expected) {
    throw new SnapshotUnusable(`snapshot has ${length} bytes, expected ${expected} (truncated?)`);
  }
  if (verify) {
    const rest = digests.length * block;
    if (rest < length) digests.push(crypto.subtle.digest("SHA-256", file.subarray(rest)));
    const joined = new Uint8Array(digests.length * 32);
    (await Promise.all(digests)).forEach((digest, i) => joined.set(new Uint8Array(digest), i * 32));
    if ((await sha256(joined)) !== info.snapshot.blocks_sha256) {
      throw new SnapshotUnusable("snapshot is corrupted (hash mismatch)");
    }
  }
  return file;
}

// Pyodide's snapshot image is its header (magic, build id, a JSON note; the second u32 is the header's length)
// followed by the whole linear memory, which restoreSnapshot copies into the heap. Instead of expanding the file
// into a 31 MB image for Pyodide to copy again, Pyodide gets only the image's first HEAD_BYTES and the rest is
// written straight into the heap: half the copying, and no 31 MB buffer to allocate and collect.
const HEAD_BYTES = 4096;

function snapshotSegments(file, imageLength) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const bad = (what) => new SnapshotUnusable(`snapshot file is malformed (${what})`);
  if (new TextDecoder().decode(file.subarray(0, 8)) !== SNAPSHOT_MAGIC) throw bad("not a snapshot");
  if (view.getUint32(8, true) !== imageLength) throw bad("image size differs from boot.json");
  const count = view.getUint32(12, true);
  const segments = [];
  let data = 16 + 8 * count;
  let end = 0;
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(16 + 8 * i, true);
    const length = view.getUint32(20 + 8 * i, true);
    if (offset < end || offset + length > imageLength || data + length > file.length) {
      throw bad("segment out of order or out of range");
    }
    segments.push([offset, file.subarray(data, data + length)]);
    data += length;
    end = offset + length;
  }
  if (data !== file.length) throw bad("trailing bytes");
  return segments;
}

// The snapshot leaves out the pages that hold the wasm's static data unchanged: instantiating the wasm has just
// written them into the heap. Check that it did (same bytes as when the snapshot was made) before relying on it;
// this runs as soon as the module exists, before anything else writes to the heap, and hashes off the main thread.
async function checkInherited(module, { ranges, sha256: expected }) {
  const heap = module.HEAPU8;
  const bytes = new Uint8Array(ranges.reduce((total, [, length]) => total + length, 0));
  let at = 0;
  for (const [offset, length] of ranges) {
    if (!(offset >= 0 && length > 0 && offset + length <= heap.length)) {
      throw new SnapshotUnusable("boot.json's inherited ranges lie outside this wasm's memory");
    }
    bytes.set(heap.subarray(offset, offset + length), at);
    at += length;
  }
  if ((await sha256(bytes)) !== expected) {
    throw new SnapshotUnusable("this Pyodide's wasm does not hold the static data the snapshot was made with");
  }
}

// Image bytes [0, HEAD_BYTES) go to head; the rest to the heap, at (image offset - header length). Every byte of the
// image is written, the zero ones too (the heap already holds what the wasm's own start-up put there), except the
// inherited ranges (heap offsets), which checkInherited found already in place.
function expandSnapshot(segments, imageLength, head, module, inherited) {
  const first = segments[0];
  if (!first || first[0] !== 0 || first[1].length < 8) {
    throw new SnapshotUnusable("snapshot file is malformed (no header)");
  }
  const headerLength = new DataView(first[1].buffer, first[1].byteOffset, 8).getUint32(4, true);
  if (!(headerLength > 8 && headerLength <= HEAD_BYTES && headerLength % 4 === 0)) {
    throw new SnapshotUnusable(`snapshot header of ${headerLength} bytes is not what this page expects`);
  }
  if (module.HEAPU8.length < imageLength - headerLength) module._free(module._malloc(imageLength));
  const heap = module.HEAPU8; // after growing: a view of the grown memory
  if (heap.length < imageLength - headerLength) throw new SnapshotUnusable("cannot grow memory for the snapshot");
  const put = (offset, length, bytes) => {
    const split = Math.max(offset, Math.min(offset + length, HEAD_BYTES)); // where the head part ends
    if (offset < split) {
      if (bytes) head.set(bytes.subarray(0, split - offset), offset);
      else head.fill(0, offset, split);
    }
    if (split < offset + length) {
      if (bytes) heap.set(bytes.subarray(split - offset), split - headerLength);
      else heap.fill(0, split - headerLength, offset + length - headerLength);
    }
  };
  // Inherited ranges as image offsets; they lie in the gaps between stored segments, past the head.
  const kept = inherited.map(([offset, length]) => [offset + headerLength, offset + headerLength + length]);
  const zeros = (start, end) => {
    for (const [from, to] of kept) {
      if (to <= start || from >= end) continue;
      if (from < start || to > end) throw new SnapshotUnusable("snapshot file is malformed (inherited range overlaps)");
      if (start < from) put(start, from - start, null);
      start = to;
    }
    if (start < end) put(start, end - start, null);
  };
  if (kept.some(([from], i) => from < HEAD_BYTES || (i > 0 && from < kept[i - 1][1]))) {
    throw new SnapshotUnusable("boot.json's inherited ranges are out of order");
  }
  let at = 0;
  for (const [offset, bytes] of segments) {
    if (kept.some(([from, to]) => from < offset + bytes.length && to > offset)) {
      throw new SnapshotUnusable("snapshot file is malformed (inherited range overlaps)");
    }
    if (at < offset) zeros(at, offset);
    put(offset, bytes.length, bytes);
    at = offset + bytes.length;
  }
  if (at < imageLength) zeros(at, imageLength);
}

async function resume(options, info, bundlePromise) {
  if (!info) throw new SnapshotUnusable("boot.json is missing");
  if (!info.snapshot) throw new SnapshotUnusable("this build has no snapshot");
  if (!info.snapshot.stdlib?.file || !info.snapshot.stdlib.sha256) {
    throw new SnapshotUnusable("boot.json does not name the snapshot's standard library");
  }
  if (!(info.snapshot.block_bytes > 0 && info.snapshot.blocks_sha256)) {
    throw new SnapshotUnusable("boot.json has no block hashes for the snapshot");
  }
  const inherited = info.snapshot.inherited;
  if (!(Array.isArray(inherited?.ranges) && typeof inherited.sha256 === "string")) {
    throw new SnapshotUnusable("boot.json does not say which pages the snapshot inherits from the wasm");
  }
  if (info.pyodide !== version) {
    throw new SnapshotUnusable(`snapshot is for Pyodide ${info.pyodide}, this is ${version}`);
  }
  if (!globalThis.crypto?.subtle) {
    throw new SnapshotUnusable("no WebCrypto to check the snapshot (not a secure context)");
  }

  // Pyodide reads the snapshot only once its wasm is compiled and instantiated, so the snapshot downloads and is
  // checked while the wasm compiles (a hook between the two steps waits for it), instead of before.
  const imageLength = info.snapshot.image_bytes;
  const head = new Uint8Array(HEAD_BYTES); // filled in before Pyodide reads it (restoreSnapshot, after the hook)
  const checked = (async () => {
    const [file, bundle] = await Promise.all([fetchSnapshot(info), bundlePromise]);
    if ((await sha256(bundle)) !== info.bundle.sha256) {
      throw new SnapshotUnusable("jwtlens bundle does not match the snapshot");
    }
    mark("snapshot-checked");
    return { segments: snapshotSegments(file, imageLength), bundle };
  })();
  checked.catch(() => {}); // awaited in the hook; an early failure must not count as unhandled
  const { default: createModule } = await import(`${INDEX_URL}pyodide.asm.mjs`);
  mark("asm-imported");
  const pyodide = await startPyodide({
    ...options,
    indexURL: INDEX_URL,
    stdLibURL: new URL(info.snapshot.stdlib.file, BASE).href,
    ...noPackages(info),
    _loadSnapshot: head,
    async createPyodideModule(settings) {
      const created = createModule(settings);
      created.then(() => mark("wasm-instantiated"), () => {});
      const inheritedChecked = created.then((module) => checkInherited(module, inherited));
      const [module, { segments }] = await Promise.all([created, checked, inheritedChecked]);
      // The snapshot is the whole linear memory of the process that made it, bigger than the wasm's initial
      // memory: expandSnapshot grows the memory (through the allocator, which resizes the heap views) first.
      expandSnapshot(segments, imageLength, head, module, inherited.ranges);
      mark("snapshot-expanded");
      return module;
    },
  });
  mark("pyodide-resumed");
  // The standard library is read lazily from its zip through an index frozen in the snapshot: it must be the same.
  // (It is Pyodide's zip without the modules the snapshot holds: tools/make_snapshot.mjs, trimZip.)
  const stdlib = pyodide.FS.readdir("/lib").find((name) => /^python\d+\.zip$/.test(name));
  if (!stdlib || (await sha256(pyodide.FS.readFile(`/lib/${stdlib}`))) !== info.snapshot.stdlib.sha256) {
    throw new SnapshotUnusable("Python standard library does not match the snapshot");
  }
  mark("stdlib-checked");
  writeBundle(pyodide, info, (await checked).bundle);
  resyncTimezone(pyodide._module);
  const reindex = info.snapshot.stdlib.reindex === true ? `/lib/${stdlib}` : null; // the zip's path, or none
  pyodide.runPython(RESUME_FIXUPS, { globals: pyodide.toPy({ REINDEX_STDLIB: reindex }) });
  return pyodide;
}

function report(mode, reason) {
  const root = document.documentElement;
  root.dataset.boot = mode;
  if (reason) root.dataset.bootReason = reason;
  else delete root.dataset.bootReason;
  performance.mark("jwtlens:runtime-ready");
  const text = `[jwtlens] Python started ${mode === "snapshot" ? "from the memory snapshot" : "without a snapshot"}`;
  if (reason && reason !== "this build has no snapshot") console.warn(`${text}: ${reason}`);
  else console.info(reason ? `${text}: ${reason}` : text);
}

async function boot(options) {
  mark("boot-start");
  const info = await readBootInfo();
  mark("boot-json");
  const settings = info ?? DEFAULTS;
  const bundlePromise = fetchBytes(new URL(settings.bundle.file, BASE));
  bundlePromise.catch(() => {}); // awaited below; a failure is reported there
  try {
    const pyodide = await resume(options, info, bundlePromise);
    report("snapshot", null);
    return pyodide;
  } catch (error) {
    const reason = error instanceof SnapshotUnusable ? error.message : `snapshot failed: ${error?.message ?? error}`;
    const env = { ...options.env, ...PYTHON_ENV };
    const pyodide = await startPyodide({ ...options, ...noPackages(info), env, indexURL: INDEX_URL });
    writeBundle(pyodide, settings, await bundlePromise);
    report("plain", reason);
    return pyodide;
  }
}

// The page loads this module early (<script type="module" async src="boot.mjs"> in index.html), so Python starts
// while PyScript itself is still loading; PyScript's later call gets the same, already running boot. Output goes to
// PyScript's handlers once it has passed them, to the console before that.
const output = { stdout: null, stderr: null };
let booting = null;

function start() {
  booting ??= boot({
    stdout: (line) => (output.stdout ?? console.log)(line),
    stderr: (line) => (output.stderr ?? console.error)(line),
  });
  return booting;
}

export function loadPyodide(options = {}) {
  if (options.packages?.length || options.lockFileContents) {
    console.warn("[jwtlens] boot.mjs ignores PyScript packages: the page's Python comes from the bundle");
  }
  output.stdout = options.stdout ?? null;
  output.stderr = options.stderr ?? null;
  return start();
}

if (globalThis.document) start().catch(() => {}); // a failure surfaces where PyScript awaits loadPyodide
