// Registers the service worker (sw.js) and tells the page how it stands, through
// window.zipfitOffline ('unsupported', 'installing', 'ready' or 'update') and a
// 'zipfit-offline' event on window each time it changes. window.zipfitUpdate() switches
// to a waiting new version and reloads.
//
// Without COOP/COEP headers from the host, the page is not cross-origin isolated until
// the service worker serves it; it then reloads once so that Wasm threads can start.
(() => {
  const say = (state) => {
    window.zipfitOffline = state;
    window.dispatchEvent(new Event('zipfit-offline'));
  };
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    say('unsupported');
    return;
  }
  say('installing');
  const reloadedKey = 'zipfit-isolation-reload';
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) return;
    if (window.zipfitOffline === 'switching' || (!window.crossOriginIsolated && !sessionStorage.getItem(reloadedKey))) {
      reloading = true;
      sessionStorage.setItem(reloadedKey, '1');
      window.location.reload();
    }
  });
  // Where the host isolates the page itself, the offline cache waits until the page has
  // loaded and is idle, so that it never competes with the first load; without
  // isolation, nothing works until the service worker adds it, so it starts at once.
  const whenIdle = (then) => (window.requestIdleCallback
    ? window.requestIdleCallback(then, { timeout: 3000 })
    : setTimeout(then, 1000));
  const ready = window.crossOriginIsolated
    ? new Promise((idle) => window.addEventListener('load', () => whenIdle(idle)))
    : Promise.resolve();
  ready.then(() => navigator.serviceWorker.register('sw.js')).then((registration) => {
    const watch = (worker) => {
      if (!worker) return;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) say('update');
        if (worker.state === 'activated' && window.zipfitOffline !== 'update') say('ready');
      });
    };
    window.zipfitUpdate = () => {
      if (!registration.waiting) return;
      say('switching');
      registration.waiting.postMessage({ type: 'skip-waiting' });
    };
    if (registration.waiting && navigator.serviceWorker.controller) say('update');
    else if (registration.active?.state === 'activated') say('ready');
    // A worker may be past 'installing' but not yet 'activated' here (waiting, or
    // activating): watch it too, or "ready" would never be said for it.
    watch(registration.installing);
    watch(registration.waiting);
    if (registration.active?.state === 'activating') watch(registration.active);
    registration.addEventListener('updatefound', () => watch(registration.installing));
    if (registration.active && !navigator.serviceWorker.controller && !window.crossOriginIsolated
        && !sessionStorage.getItem(reloadedKey)) {
      sessionStorage.setItem(reloadedKey, '1');
      window.location.reload();
    }
  }, () => say('unsupported'));
})();
