// Precompress files for hosts that serve .zst / .br / .gz siblings (run by build.py). Brotli and gzip come with
// Node's zlib; Zstandard is not in Node 20's, so it comes from @bokuweb/zstd-wasm (the reference C library built to
// WebAssembly: same output on every machine, nothing native to install).
//
//   node precompress.mjs < jobs.json
//   jobs: [{"src": PATH, "br": PATH, "gz": PATH, "zst": PATH, "quality": 0-11, "zstd_level": 1-19}, ...]
//
// Brotli and gzip jobs run concurrently on libuv's thread pool, Zstandard meanwhile on this thread. Output is
// deterministic (no timestamps), so a rebuild of the same input gives the same bytes.

import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

// Browsers decode a zstd Content-Encoding only with a window of at most 8 MiB (RFC 9659). Levels up to 19 stay
// within it (levels 20-22 use bigger windows); build.py checks each frame's window too.
const ZSTD_MAX_LEVEL = 19;

async function startZlib(job) {
  const data = await readFile(job.src);
  const tasks = [];
  if (job.br) {
    tasks.push(
      brotli(data, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: job.quality ?? 11,
          [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }).then((out) => writeFile(job.br, out)),
    );
  }
  if (job.gz) {
    tasks.push(gzip(data, { level: 9 }).then((out) => writeFile(job.gz, out)));
  }
  return { tasks, data };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8"));

let zstd = null;
if (jobs.some((job) => job.zst)) {
  const require = createRequire(import.meta.url);
  zstd = require("@bokuweb/zstd-wasm");
  await zstd.init();
}
const started = await Promise.all(jobs.map(startZlib));
// Largest first: the thread pool's jobs finish meanwhile.
const order = jobs
  .map((_, i) => i)
  .filter((i) => jobs[i].zst)
  .sort((a, b) => started[b].data.length - started[a].data.length);
for (const i of order) {
  const level = Math.min(jobs[i].zstd_level ?? ZSTD_MAX_LEVEL, ZSTD_MAX_LEVEL);
  await writeFile(jobs[i].zst, zstd.compress(started[i].data, level));
}
await Promise.all(started.flatMap(({ tasks }) => tasks));
