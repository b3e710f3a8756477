// Waymark's service worker: the site shell and search index are cached on first visit, and every
// page a visitor opens (with its images) stays readable with no network. The cache name changes
// with every build that changes the site, so updates arrive and old caches are dropped.
const CACHE = {{ cache_name | json_encode | safe }};
const SHELL = {{ shell | json_encode | safe }};
const FALLBACK = {{ fallback | json_encode | safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("waymark-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function remember(request, response) {
  const stored = !/no-store/i.test((response && response.headers.get("Cache-Control")) || "");
  if (response && response.ok && response.type === "basic" && stored) {
    const copy = response.clone();
    caches.open(CACHE).then((c) => c.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  // The editor and print files of `waymark serve` on the same host: always the network.
  if (url.pathname.startsWith("/_edit/") || url.pathname.startsWith("/_print/")) return;
  if (req.mode === "navigate") {
    // Pages: the network first, so that updates show; the cache when there is no signal.
    event.respondWith(
      fetch(req).then((r) => remember(req, r)).catch(() =>
        caches.match(req, { ignoreSearch: true }).then((hit) => hit || caches.match(FALLBACK)))
    );
    return;
  }
  // Images, the search index and the rest: the cache first, refreshed in the background.
  event.respondWith(
    caches.match(req).then((hit) => {
      const fresh = fetch(req).then((r) => remember(req, r)).catch(() => hit);
      return hit || fresh;
    })
  );
});
