// kubelab's offline worker. The page registers it; it keeps the built site in one cache.
// - Page loads (navigations): network first, so a new deployment is picked up at once; the fresh
//   index.html is cached and the assets it names (trunk gives them content-hashed names; the
//   lessons' prose files, listed by scripts/lesson-files.sh, are hashed by build.rs) are
//   fetched and cached, and assets of older builds are dropped. Offline: the cached index.html.
// - Everything else from this origin: the cache first, then the network (and cached).
// Nothing is ever requested from another origin.
const CACHE = 'kubelab';
const INDEX = new URL('./', self.location).href;

function assetsOf(html) {
  const out = new Set();
  const re = /(?:href|src)=["']([^"']+)["']|['"](\.?\/?[\w./-]+\.(?:js|wasm|css|svg|png|woff2))['"]/g;
  let m;
  while ((m = re.exec(html))) {
    const u = new URL(m[1] || m[2], INDEX);
    if (u.origin === self.location.origin) out.add(u.href);
  }
  return out;
}

async function refresh(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(INDEX, response.clone());
  const wanted = assetsOf(html);
  await Promise.all([...wanted].map(async (u) => {
    if (!(await cache.match(u))) {
      try { const r = await fetch(u); if (r.ok) await cache.put(u, r); } catch (_) { /* offline: later */ }
    }
  }));
  for (const req of await cache.keys()) {
    if (req.url !== INDEX && !wanted.has(req.url) && !req.url.endsWith('/sw.js')) await cache.delete(req);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(fetch(INDEX).then((r) => (r.ok ? refresh(r) : null)).catch(() => null).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).then((r) => {
      if (r.ok) event.waitUntil(refresh(r.clone()));
      return r;
    }).catch(async () => (await caches.match(INDEX)) || Response.error()));
    return;
  }
  event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((r) => {
    if (r.ok) { const copy = r.clone(); caches.open(CACHE).then((c) => c.put(req, copy)); }
    return r;
  })));
});
