// Cross-origin isolation for static hosts that cannot send headers.
//
// Wasm threads need SharedArrayBuffer, which browsers only allow on pages served with
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.
// `trunk serve` sends both. Elsewhere this file, loaded by index.html, registers itself
// as a service worker that adds them to every same-origin response, then reloads once.
if (typeof window === 'undefined') {
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    event.respondWith(
      fetch(request).then((response) => {
        if (response.status === 0) return response;
        const headers = new Headers(response.headers);
        headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      }),
    );
  });
} else if (!window.crossOriginIsolated && window.isSecureContext && 'serviceWorker' in navigator) {
  const reloadedKey = 'zipfit-coi-reloaded';
  navigator.serviceWorker.register(document.currentScript.src).then((registration) => {
    const reloadOnce = () => {
      if (sessionStorage.getItem(reloadedKey)) return;
      sessionStorage.setItem(reloadedKey, '1');
      window.location.reload();
    };
    if (registration.active && !navigator.serviceWorker.controller) reloadOnce();
    navigator.serviceWorker.addEventListener('controllerchange', reloadOnce);
  });
}
