// Service worker: keeps every file of this build in a cache so the page loads and decodes with the network off.
//
// build.py writes the precache manifest below (every dist/ file with a hash of its content). The manifest's version
// names the cache, so a new build installs beside the old one: files are checked against their hashes as they are
// stored, files unchanged since the previous version are copied from its cache instead of downloaded again, and
// an old version's cache is deleted once no open page was loaded from it. The new version waits until a page asks for
// it (the "new version available" offer), and a page keeps being served the files of the build it was loaded from even
// after a newer worker took over in another tab: a running page never mixes files of two builds. All URLs are
// relative to the registration scope, so the page works under any sub-path.

const MANIFEST = null; // replaced by build.py with the precache manifest
const PREFIX = "jwtlens-";
const CACHE = MANIFEST && PREFIX + MANIFEST.version;
// Stored in each version's cache beside the files: what the next version compares hashes against.
const MANIFEST_KEY = "__precache-manifest__";
// Which version's cache each open page was loaded from (client id -> cache name), in a cache of its own (outside
// PREFIX, so no version deletes it): a worker's memory does not outlive its idle stop, and every version reads it.
const CLIENTS_CACHE = "jwtlens.clients";
const CLIENTS_KEY = "__clients__";

const scope = () => self.registration.scope;
const urlOf = (path) => new URL(path, scope()).href;

async function sha256Prefix(buffer, length) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, length);
}

async function previousCopies() {
  // file -> cached Response, from older versions' caches where the file's hash is unchanged
  const copies = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const stored = await cache.match(urlOf(MANIFEST_KEY));
    if (!stored) continue;
    const old = await stored.json();
    for (const [path, hash] of Object.entries(old.files || {})) {
      if (MANIFEST.files[path] === hash && !copies.has(path)) {
        const response = await cache.match(urlOf(path));
        if (response) copies.set(path, response);
      }
    }
  }
  return copies;
}

async function download(path) {
  // no-cache: revalidate with the server (a 304 reuses the HTTP cache) so a stale copy is never precached
  const response = await fetch(urlOf(path), { cache: "no-cache" });
  if (!response.ok) throw new Error(`precache ${path}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  const hash = await sha256Prefix(body, MANIFEST.files[path].length);
  if (hash !== MANIFEST.files[path]) throw new Error(`precache ${path}: content does not match this build`);
  // Store the decoded body: drop the transfer headers that described the encoded one. Mark the copy as checked, so
  // boot.mjs need not hash the large snapshot again on every start.
  const headers = new Headers(response.headers);
  for (const name of ["content-encoding", "content-length", "transfer-encoding"]) headers.delete(name);
  headers.set("x-jwtlens-sha256", hash);
  return new Response(body, { status: 200, statusText: "OK", headers });
}

async function precache() {
  const cache = await caches.open(CACHE);
  const copies = await previousCopies();
  const missing = [];
  for (const path of Object.keys(MANIFEST.files)) {
    if (!(await cache.match(urlOf(path)))) missing.push(path);
  }
  // A few downloads at a time: parallel enough for speed, without starving a page that is loading.
  const queue = [...missing];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      const response = copies.get(path) ?? (await download(path));
      await cache.put(urlOf(path), response);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await cache.put(urlOf(MANIFEST_KEY), new Response(JSON.stringify(MANIFEST), {
    headers: { "content-type": "application/json" },
  }));
}

async function complete() {
  if (!MANIFEST || !(await caches.has(CACHE))) return false;
  const cache = await caches.open(CACHE);
  for (const path of [MANIFEST_KEY, ...Object.keys(MANIFEST.files)]) {
    if (!(await cache.match(urlOf(path)))) return false;
  }
  return true;
}

// The map of open pages to their build, read from storage once per worker (one shared promise: one object). Changes
// and their saves go one after another. A fetch reads the map without queueing behind them (a queued read made every
// request of a start wait for the navigation's save to storage): a page not in the map yet gets this worker's build,
// which is what its navigation records, and an entry is removed only after its page has closed.
let clientsLoad = null;
let queue = Promise.resolve();
function serially(task) {
  const run = queue.then(task);
  queue = run.catch(() => {});
  return run;
}

function clientVersions() {
  clientsLoad ??= (async () => {
    const stored = await (await caches.open(CLIENTS_CACHE)).match(urlOf(CLIENTS_KEY));
    return stored ? await stored.json() : {};
  })();
  return clientsLoad;
}

async function saveClientVersions() {
  const map = await clientVersions();
  await (await caches.open(CLIENTS_CACHE)).put(urlOf(CLIENTS_KEY), new Response(JSON.stringify(map), {
    headers: { "content-type": "application/json" },
  }));
}

async function remember(clientId) {
  if (!clientId || !CACHE) return;
  (await clientVersions())[clientId] = CACHE;
  await saveClientVersions();
}

// Forget closed pages, and delete every version's cache that neither this version nor an open page uses.
async function prune() {
  const open = new Set((await self.clients.matchAll({ type: "window", includeUncontrolled: true })).map((c) => c.id));
  const map = await clientVersions();
  for (const id of Object.keys(map)) if (!open.has(id)) delete map[id];
  await saveClientVersions();
  const used = new Set([CACHE, ...Object.values(map)]);
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && !used.has(name)) await caches.delete(name);
  }
}

self.addEventListener("install", (event) => {
  if (MANIFEST) event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    await serially(prune);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const { type } = event.data || {};
  const reply = (data) => event.ports[0]?.postMessage(data);
  if (type === "activate") {
    self.skipWaiting();
  } else if (type === "status") {
    event.waitUntil(serially(prune).then(complete).then((done) =>
      reply({ version: MANIFEST?.version ?? null, complete: done })));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!MANIFEST || request.method !== "GET" || !request.url.startsWith(scope())) return;
  let path = request.url.slice(scope().length).split(/[?#]/)[0];
  if (request.mode === "navigate" && path === "") path = "index.html";
  if (!(path in MANIFEST.files)) return; // not a file of this build: the network, as without a service worker
  const navigation = request.mode === "navigate";
  if (navigation) event.waitUntil(serially(() => remember(event.resultingClientId)));
  event.respondWith((async () => {
    // A page loaded from an older build that is still open gets that build's files while its cache exists.
    const own = navigation ? CACHE : (await clientVersions())[event.clientId] ?? CACHE;
    const cached = await caches.match(urlOf(path), { cacheName: own });
    return cached ?? fetch(request);
  })());
});
