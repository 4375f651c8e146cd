// Plain-JS chrome that must work before Python starts: theme, runtime progress, and a visible failure state.
// Decoding logic lives in Python (main.py and the jwtlens package), never here.

const body = document.body;
const runtime = document.getElementById("runtime");
const toggle = document.getElementById("theme-toggle");
const THEME_KEY = "jwtlens-theme"; // only "light" or "dark" is ever stored: never a token or key

function applyTheme(theme) {
  if (theme === "light" || theme === "dark") {
    document.documentElement.dataset.theme = theme;
  } else {
    delete document.documentElement.dataset.theme;
  }
  const dark = theme ? theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  toggle.setAttribute("aria-pressed", String(dark));
  toggle.textContent = dark ? "Light theme" : "Dark theme";
}

let stored = null;
try { stored = localStorage.getItem(THEME_KEY); } catch { /* storage may be blocked */ }
applyTheme(stored);
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(stored));
toggle.addEventListener("click", () => {
  const dark = toggle.getAttribute("aria-pressed") === "true";
  stored = dark ? "light" : "dark";
  try { localStorage.setItem(THEME_KEY, stored); } catch { /* theme just won't persist */ }
  applyTheme(stored);
});

function fail(reason) {
  if (body.dataset.state !== "loading") return; // ready, or failed already: the first reason stays
  body.dataset.state = "failed";
  runtime.textContent = `Python could not start: ${reason}. Reload the page to try again.`;
  runtime.classList.add("error");
}

// The first date formatted with Intl loads the browser's locale and time-zone data, 20 to 50 ms of main thread on a
// 2-core machine. The first decode shows local times (jwtlens_page.local_time): pay that now, while the page waits
// for Python to download, not after (the first decode's own work went from about 110 to 65 ms).
setTimeout(() => new Date(0).toLocaleString(undefined, { timeZoneName: "short" }), 0);

// PyScript reports its boot steps as events; show them so a slow start is visibly progressing.
addEventListener("py:progress", (event) => {
  if (body.dataset.state === "loading" && typeof event.detail === "string") {
    runtime.textContent = `Loading Python runtime\u2026 (${event.detail})`;
  }
});
addEventListener("error", (event) => {
  if (body.dataset.state === "loading") fail(event.message || "a script failed to load");
});
addEventListener("unhandledrejection", (event) => {
  if (body.dataset.state === "loading") fail(String(event.reason?.message || event.reason || "unknown error"));
});
// main.py reports its own start-up errors through this hook.
globalThis.jwtlensFail = fail;

// ---------------------------------------------------------------------------------------------------------------
// Offline support (owned with site/sw.js): the service worker precaches this build so the page works offline.
// It is registered once Python has started, so its downloads never compete with the boot; a later visit is served
// from its cache. #offline-status says "Works offline" when every file is cached, and offers a reload when a newer
// build has been cached and is waiting.
// ---------------------------------------------------------------------------------------------------------------
(() => {
  const status = document.getElementById("offline-status");
  if (!status || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  // No service worker from disk (browsers refuse file:// registrations), nor for jwtlens.html, which holds every
  // file itself and must make no request at all, wherever it is opened from.
  if (location.protocol === "file:" || "singleFile" in document.documentElement.dataset) return;
  let reloading = false;

  function show(state, text) {
    status.hidden = false;
    status.dataset.offline = state;
    status.replaceChildren(text);
  }

  function offerReload(worker) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "reload-new-version";
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      if (worker.state !== "installed") return location.reload(); // another tab switched to it already
      reloading = true;
      worker.postMessage({ type: "activate" });
    });
    show("update", "A new version is available. ");
    status.append(button);
  }

  // Another tab accepted the new version: this page keeps its own build's files (sw.js), and offers to reload.
  function offerSwitch() {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "reload-new-version";
    button.textContent = "Reload";
    button.addEventListener("click", () => location.reload());
    show("update", "JWT Lens was updated in another tab. ");
    status.append(button);
  }

  function ask(worker) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({ type: "status" }, [channel.port2]);
    });
  }

  async function showReady(registration) {
    if (registration.waiting && navigator.serviceWorker.controller) return offerReload(registration.waiting);
    const answer = registration.active ? await ask(registration.active) : null;
    if (answer?.complete && status.dataset.offline !== "update") {
      status.dataset.version = answer.version;
      show("ready", "Works offline");
    }
  }

  function watch(registration) {
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerReload(worker);
        if (worker.state === "activated") showReady(registration);
      });
    });
  }

  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
    else if (controlled) offerSwitch(); // a first visit's page taken over by its own build is not an update
    controlled = true;
  });

  async function register() {
    try {
      const registration = await navigator.serviceWorker.register("sw.js", { scope: "./", updateViaCache: "none" });
      watch(registration);
      await navigator.serviceWorker.ready;
      await showReady(registration);
    } catch (error) {
      console.warn("[jwtlens] offline support unavailable:", error);
    }
  }

  if (body.dataset.state !== "loading") {
    register();
  } else {
    const observer = new MutationObserver(() => {
      if (body.dataset.state === "loading") return;
      observer.disconnect();
      register();
    });
    observer.observe(body, { attributes: true, attributeFilter: ["data-state"] });
  }
})();
