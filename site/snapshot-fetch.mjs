// Downloads and checks the memory snapshot for site/boot.mjs, in a dedicated worker.
//
// Why a worker: a response body is read on the thread that reads it, and during a cold start the page's main thread
// is busy parsing JavaScript and feeding the wasm compiler. Read there, the 19 MB snapshot waits for it (the network
// stalls while the data pipe is full); read here, it arrives ~150 ms sooner on a 2-core machine (bench/startup.py).
// Only the worker loads this file, so it is fetched once; boot.mjs imports it only when no worker can start.

// The snapshot cannot be used, for a reason to show (boot.mjs then boots without it). Known by its name in boot.mjs.
export class SnapshotUnusable extends Error {
  name = "SnapshotUnusable";
}

export async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The snapshot file's bytes, checked against boot.json's `snapshot` entry. The body is hashed a block at a time as it
// arrives (WebCrypto works off this thread), so 19 MB cost one block's digest after the last byte.
export async function fetchSnapshotFile(url, snapshot) {
  const response = await fetch(url);
  if (!response.ok) throw new SnapshotUnusable(`snapshot: HTTP ${response.status}`);
  const expected = snapshot.bytes;
  // The service worker checks each file against the build's hash as it caches it, and marks the copies it serves.
  const marked = response.headers.get("x-jwtlens-sha256");
  const verify = !(marked?.length >= 16 && snapshot.sha256.startsWith(marked));
  const block = snapshot.block_bytes;
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
  if (length !== expected) {
    throw new SnapshotUnusable(`snapshot has ${length} bytes, expected ${expected} (truncated?)`);
  }
  if (verify) {
    const rest = digests.length * block;
    if (rest < length) digests.push(crypto.subtle.digest("SHA-256", file.subarray(rest)));
    const joined = new Uint8Array(digests.length * 32);
    (await Promise.all(digests)).forEach((digest, i) => joined.set(new Uint8Array(digest), i * 32));
    if ((await sha256(joined)) !== snapshot.blocks_sha256) {
      throw new SnapshotUnusable("snapshot is corrupted (hash mismatch)");
    }
  }
  return file;
}

// In a worker: one request in ({url, snapshot}), one answer out ({file}, transferred, or {error, unusable}).
if (typeof WorkerGlobalScope !== "undefined" && globalThis instanceof WorkerGlobalScope) {
  globalThis.onmessage = async ({ data: { url, snapshot } }) => {
    try {
      const file = await fetchSnapshotFile(url, snapshot);
      // The page's Resource Timing does not see a worker's requests: pass this one on (bench/startup.py counts it).
      const entry = performance.getEntriesByName(url).at(-1);
      const timing = entry && {
        transferSize: entry.transferSize, encodedBodySize: entry.encodedBodySize,
        decodedBodySize: entry.decodedBodySize, startTime: entry.startTime, responseEnd: entry.responseEnd,
      };
      postMessage({ file, timing }, [file.buffer]);
    } catch (error) {
      postMessage({ error: String(error?.message ?? error), unusable: error instanceof SnapshotUnusable });
    }
  };
}
