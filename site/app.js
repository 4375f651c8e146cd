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
  if (body.dataset.state === "ready") return;
  body.dataset.state = "failed";
  runtime.textContent = `Python could not start: ${reason}. Reload the page to try again.`;
  runtime.classList.add("error");
}

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
