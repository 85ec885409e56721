// Suara's service worker. The server prepends SUARA_BUILD (a hash of the
// built files) and SUARA_PRECACHE (the app shell: /shell, pkg/, icons), so
// this file is the logic only; see server/src/http/pwa.rs.
//
// - The app shell is precached under a cache name tied to the build, so a
//   phone that opened Suara once can open any citizen page offline.
// - Pages: network first; without network, the shell (the app then renders
//   in the browser from the cached catalogue).
// - Complaint tracking pages (/pengaduan/{code}): network first, and each
//   copy kept, so the last known state of a complaint shows offline — but
//   never a copy marked no-store (the unit's view, shown to signed-in staff).
// - The catalogue: network first, cache fallback (its own cache, kept across
//   builds so that a new version never loses the last known catalogue).
// - A new build installs in the background and waits; the page asks the
//   citizen, then posts "skip-waiting".
// - Nothing but GET is touched: responses travel through the outbox.

/* global SUARA_BUILD, SUARA_PRECACHE */
const SHELL_CACHE = `suara-shell-${SUARA_BUILD}`;
const CATALOG_CACHE = 'suara-catalog-v1';
const CATALOG_URL = '/api/v1/catalog';
const TRACKING_CACHE = 'suara-tracking-v1';
const TRACKING_PATH = /^\/pengaduan\/[0-9A-Za-z-]{12,20}$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL_CACHE);
    // The app's files have their content's hash in their names: the copies
    // the page just downloaded are this build's, so they come from the HTTP
    // cache, not again over the network. Everything else is revalidated.
    await shell.addAll(SUARA_PRECACHE.map((url) => new Request(url, {
      cache: url.startsWith('/pkg/') ? 'default' : 'no-cache',
    })));
    try {
      const catalog = await fetch(CATALOG_URL, { cache: 'no-cache' });
      if (catalog.ok) await (await caches.open(CATALOG_CACHE)).put(CATALOG_URL, catalog);
    } catch (_) { /* offline at install: the catalogue is cached on its next fetch */ }
    // The first worker takes over at once; an update waits for consent.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, CATALOG_CACHE, TRACKING_CACHE]);
    for (const name of await caches.keys()) {
      if (name.startsWith('suara-') && !keep.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (url.pathname === CATALOG_URL) {
    event.respondWith(catalog(request));
  } else if (SUARA_PRECACHE.includes(url.pathname) && url.pathname !== '/shell') {
    event.respondWith(precached(request, url.pathname));
  }
});

async function page(request) {
  const url = new URL(request.url);
  const tracking = TRACKING_PATH.test(url.pathname);
  try {
    const response = await fetch(request);
    // A page marked no-store (what staff see signed in) is never kept.
    const keep = !/no-store/i.test(response.headers.get('Cache-Control') || '');
    if (tracking && response.ok && keep) {
      const cache = await caches.open(TRACKING_CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (err) {
    if (tracking) {
      const kept = await caches.match(url.pathname, { cacheName: TRACKING_CACHE });
      if (kept) return kept;
    }
    const shell = await caches.match('/shell', { cacheName: SHELL_CACHE });
    if (shell) return shell;
    throw err;
  }
}

async function catalog(request) {
  const cache = await caches.open(CATALOG_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(CATALOG_URL, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(CATALOG_URL);
    if (cached) return cached;
    throw err;
  }
}

async function precached(request, path) {
  const cached = await caches.match(path, { cacheName: SHELL_CACHE });
  return cached || fetch(request);
}
