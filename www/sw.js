// The app's service worker. It keeps every file the page needs in one cache, so that
// after one visit the app works with the network off, and it adds the cross-origin
// isolation headers Wasm threads need (COOP/COEP) to every response, for static hosts
// that cannot send them.
//
// VERSION and FILES are written at build time by scripts/precache.py: VERSION is a hash
// of every file, so any change to the app makes a new sw.js, which the browser installs
// beside the old one with a cache of its own. The page then offers to reload; on
// activation the old cache is deleted. FILES lists each file with the SHA-256 of this
// build's bytes: a file is taken from the browser's HTTP cache (where the page's first
// load just put the module, so it is not downloaded twice) only when its bytes are
// these, else fetched again past that cache. Nothing is mixed across versions.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `zipfit-${VERSION}`;
// OpenAI's encodings, kept by the scoring worker when first chosen (www/worker.js): not
// this version's files, so they stay when the app is updated.
const ENCODINGS = 'zipfit-encodings';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(FILES.map(async ([file, sha256]) => {
      let response = await fetch(file);
      if (!response.ok || await digest(response.clone()) !== sha256) {
        // 'reload' bypasses the HTTP cache: a file of another build, or none.
        response = await fetch(file, { cache: 'reload' });
        if (!response.ok || await digest(response.clone()) !== sha256) {
          throw new Error(`${file} is not this version's (${VERSION})`);
        }
      }
      await cache.put(file, response);
    }));
    // The first version takes over at once; later ones wait for the page's word.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

async function digest(response) {
  const hash = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('zipfit-') && name !== CACHE && name !== ENCODINGS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

function isolated(response) {
  if (response.status === 0) return response; // opaque: cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request) {
  const cache = await caches.open(CACHE);
  // A page load is always the cached page (whatever query or path the address has).
  const cached = request.mode === 'navigate'
    ? await cache.match('index.html')
    : await cache.match(request, { ignoreSearch: true });
  return isolated(cached ?? await fetch(request));
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(request));
});
