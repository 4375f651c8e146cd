// jwtlens.html's loader: the one inline script of the single-file page (build.py writes it in, with its hash in the
// page's CSP). The page must work opened from disk, where a browser refuses module scripts and fetches, and must make
// no request at all once the file is read. So every file of dist/ that the page uses is embedded in it, and this
// script hands them out from memory:
//
// - fetch() is replaced by a lookup in the embedded files: what Pyodide, PyScript and boot.mjs fetch (boot.json, the
//   snapshot, the wasm, the standard library, the bundle, pyscript.json, main.py, ...) is answered with a Response
//   made here, at the URL the file would have next to the page. Anything else is refused: the real fetch is never
//   called, and the CSP (connect-src 'none') would refuse it too.
// - Modules run from blob: URLs made here. build.py rewrote their import specifiers: static imports name the embedded
//   file ("jwtlens-single-file:PATH"), replaced by its blob: URL below; dynamic import(X) and import.meta call
//   globalThis.jwtlensSingleFile with the module's number, so that a relative or absolute URL resolves the way it
//   would next to the page and loads the embedded module.
//
// Each file is held in script elements of type application/x-jwtlens-file (ids jwtlens-file-N-K), its bytes (gzip
// where that pays) in base64 pieces of 512 KiB, in the order the page needs them. This script comes before them and
// starts at once: each piece is used as soon as the parser has read it, so Python starts while the rest of the file
// is still being read.
// (Raw bytes in a windows-1252 page were tried: 12.2 instead of 16.0 MB, but the parser reads such text half as fast
// as ASCII, and the page was ready a second later. README, "Opening it from disk".)
(() => {
  "use strict";
  const PLACEHOLDER = /"jwtlens-single-file:([^"]+)"/g;
  const { files, start } = JSON.parse(document.getElementById("jwtlens-files").textContent);
  // Where the files of dist/ would be: the page's own folder (also when jwtlens.html is served over HTTP).
  const BASE = new URL(".", document.baseURI).href;
  const byPath = new Map(files.map((file) => [file.path, file]));

  function fail(reason) {
    if (typeof globalThis.jwtlensFail === "function") return globalThis.jwtlensFail(reason);
    if (document.body.dataset.state !== "loading") return;
    document.body.dataset.state = "failed";
    const runtime = document.getElementById("runtime");
    runtime.textContent = `Python could not start: ${reason}. Reload the page to try again.`;
    runtime.classList.add("error");
  }

  // element id -> Promise of its bytes, kept: a plain boot after a failed snapshot reads the files again
  const pieces = new Map();
  const waiting = new Map(); // element id -> [resolve, reject]

  // The page's parser is still reading the file when this script runs (it comes before the files, which are in the
  // order they are needed): an element is complete once a node follows it, or once the whole page is parsed.
  function settle() {
    const parsed = document.readyState !== "loading";
    for (const [id, [resolve, reject]] of waiting) {
      const element = document.getElementById(id);
      if (element && (element.nextSibling || parsed)) resolve(element);
      else if (parsed) reject(new Error(`this copy of jwtlens.html is incomplete (no ${id})`));
      else continue;
      waiting.delete(id);
    }
  }
  new MutationObserver(settle).observe(document.body, { childList: true });
  document.addEventListener("readystatechange", settle);

  function decode(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const binary = atob(text); // browsers before 2025
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // A large file is written in pieces (of 512 KiB), each an element of its own: jwtlens-file-N-K.
  function piece(file, index) {
    const id = `jwtlens-file-${file.id}-${index}`;
    if (!pieces.has(id)) {
      const element = new Promise((resolve, reject) => {
        waiting.set(id, [resolve, reject]);
        settle();
      });
      pieces.set(id, element.then((element) => {
        const bytes = decode(element.text);
        element.remove();
        if (bytes.length !== file.pieces[index]) {
          throw new Error(`${file.path} is damaged in this copy of jwtlens.html`);
        }
        return bytes;
      }));
    }
    return pieces.get(id);
  }

  // A file's contents as a Response body, a piece at a time as the parser reads them, and decompressed as they come:
  // the wasm compiles and the snapshot is hashed while the rest of the page is still being read. A damaged copy fails
  // gzip's CRC check.
  function body(file) {
    let index = 0;
    const stored = new ReadableStream({
      start(controller) {
        if (file.pieces.length === 0) controller.close();
      },
      async pull(controller) {
        controller.enqueue(await piece(file, index));
        if (++index === file.pieces.length) controller.close();
      },
    });
    return file.gzip ? stored.pipeThrough(new DecompressionStream("gzip")) : stored;
  }

  function fileAt(url) {
    const href = url.href.split("#")[0];
    return href.startsWith(BASE) ? byPath.get(href.slice(BASE.length)) : undefined;
  }

  globalThis.fetch = async function fetch(resource, options = {}) {
    const request = resource instanceof Request ? resource : null;
    const url = new URL(request ? request.url : String(resource), document.baseURI);
    const method = String(options.method ?? request?.method ?? "GET").toUpperCase();
    const file = method === "GET" ? fileAt(url) : undefined;
    if (!file) throw new TypeError(`jwtlens.html makes no requests: ${method} ${url.href} is not a file it holds`);
    return new Response(body(file), { status: 200, headers: { "content-type": file.type } });
  };

  const modules = new Map(); // file number -> Promise of its blob: URL

  function moduleURL(file) {
    if (!modules.has(file.id)) {
      modules.set(file.id, (async () => {
        const [source, ...imports] = await Promise.all([
          new Response(body(file)).text(),
          ...file.imports.map((path) => moduleURL(byPath.get(path))),
        ]);
        const urls = new Map(file.imports.map((path, i) => [path, imports[i]]));
        const code = source.replace(PLACEHOLDER, (_, path) => JSON.stringify(urls.get(path)));
        return URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      })());
    }
    return modules.get(file.id);
  }

  const metas = new Map();

  function meta(id) {
    if (!metas.has(id)) metas.set(id, Object.freeze({ url: new URL(files[id].path, BASE).href }));
    return metas.get(id);
  }

  async function importFrom(id, specifier) {
    const url = new URL(String(specifier), id === null ? BASE : meta(id).url);
    const file = fileAt(url);
    if (!file?.imports) throw new TypeError(`${url.href} is not a module that jwtlens.html holds`);
    return import(await moduleURL(file));
  }

  globalThis.jwtlensSingleFile = Object.freeze({
    import: (id, specifier) => importFrom(id, specifier),
    meta,
  });

  // The module scripts of index.html, in its order: boot.mjs first, so Python starts at once; app.js before
  // PyScript, as there.
  (async () => {
    const [first, ...rest] = start;
    const booting = importFrom(null, first);
    booting.catch(() => {}); // awaited below
    for (const path of rest) await importFrom(null, path);
    await booting;
  })().catch((error) => fail(String(error?.message ?? error)));
})();
