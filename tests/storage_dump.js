// Everything the page could have persisted, as one string: Web Storage, cookies, IndexedDB and Cache Storage.
// Binary values are decoded as UTF-8 text so a token stored as bytes is still found by a substring search.
async () => {
  const text = (v) => new TextDecoder("utf-8").decode(v instanceof ArrayBuffer ? new Uint8Array(v) : v);
  const plain = (k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? text(v) : v);
  const request = (r) => new Promise((ok, err) => { r.onsuccess = () => ok(r.result); r.onerror = err; });
  const out = { local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, idb: {}, caches: {} };
  const dbs = indexedDB.databases ? await indexedDB.databases() : [];
  for (const { name } of dbs) {
    const db = await request(indexedDB.open(name));
    for (const store of db.objectStoreNames) {
      const tx = db.transaction(store, "readonly");
      const values = await request(tx.objectStore(store).getAll());
      const keys = await request(tx.objectStore(store).getAllKeys());
      out.idb[`${name}/${store}`] = JSON.stringify([keys, values], plain);
    }
    db.close();
  }
  if (self.caches) {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out.caches[name] = (await cache.keys()).map((r) => r.url);
    }
  }
  return JSON.stringify(out);
}
