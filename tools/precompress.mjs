// Precompress files for hosts that serve .br / .gz siblings (run by build.py; Node's zlib has Brotli built in).
//
//   node precompress.mjs < jobs.json      jobs: [{"src": PATH, "br": PATH, "gz": PATH, "quality": 0-11}, ...]
//
// Jobs run concurrently on libuv's thread pool. Output is deterministic (no timestamps), so a rebuild of the same
// input gives the same bytes.

import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function compress(job) {
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
  await Promise.all(tasks);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8"));
await Promise.all(jobs.map(compress));
