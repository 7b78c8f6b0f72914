// chongdich service worker for /movement/: the pages with a [data-outbox] form (the passage screen,
// the health declaration, the venue check-in page) open without a connection once visited, and the
// outbox that movement/outbox.js keeps in IndexedDB is sent by Background Sync.  Served by
// movement.views.offline.service_worker (no-store), which writes the configuration line below.
"use strict";
var CONFIG = {{ config|safe }};
var PREFIX = "chongdich-movement-";
var CACHE = PREFIX + CONFIG.version;
var PAGE_WAIT = 6000; // a page slower than this comes from the copy (the network still refreshes it)

importScripts(CONFIG.outbox);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // One missing asset must not stop the worker: each is added on its own.
    return Promise.all(CONFIG.assets.map(function (url) { return cache.add(url).catch(function () {}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function isLogin(response) {
  return new URL(response.url || self.location.href).pathname.indexOf(CONFIG.login) === 0;
}

// Keep a copy of an answer that is a page with an outbox form (200, not the sign-in page).
function keepPage(url, response) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) {
    if (response && response.redirected && isLogin(response)) { return forgetPages(); }
    return Promise.resolve();
  }
  if ((response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) { return Promise.resolve(); }
  var copy = response.clone();
  return copy.clone().text().then(function (text) {
    if (text.indexOf("data-outbox=") < 0) { return; }
    return caches.open(CACHE).then(function (cache) { return cache.put(url, copy); });
  });
}

// Signed out (the server sent the sign-in page): the copies of pages go; the outbox stays.
function forgetPages() {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return new URL(request.url).pathname.indexOf(CONFIG.scope) === 0;
      }).map(function (request) { return cache.delete(request); }));
    });
  });
}

function copyOf(url) {
  return caches.match(url, { ignoreVary: true, cacheName: CACHE }).then(function (hit) {
    return hit || caches.match(url, { ignoreVary: true, ignoreSearch: true, cacheName: CACHE });
  });
}

function offlinePage() {
  var html = '<!doctype html><html lang="vi"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' + CONFIG.texts.title + '</title></head>' +
    '<body style="font-family:sans-serif;margin:2rem;max-width:36rem"><h1 style="font-size:1.25rem">' + CONFIG.texts.title +
    '</h1><p>' + CONFIG.texts.body + '</p></body></html>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

// Pages: the network first; its answer refreshes the copy.  No answer (or a slow one with a copy at
// hand): the copy; no copy: a short page saying that there is no connection.
function page(event) {
  var request = event.request;
  if (self.navigator.onLine === false) { // no connection at all: not even an attempt
    return copyOf(request.url).then(function (hit) { return hit || offlinePage(); });
  }
  var network = fetch(request).then(function (response) {
    event.waitUntil(keepPage(request.url, response));
    return response;
  });
  return new Promise(function (resolve) {
    var settled = false;
    function answer(response) { if (!settled && response) { settled = true; resolve(response); } }
    var timer = setTimeout(function () { copyOf(request.url).then(answer); }, PAGE_WAIT);
    network.then(function (response) { clearTimeout(timer); answer(response); }, function () {
      clearTimeout(timer);
      copyOf(request.url).then(function (hit) { answer(hit || offlinePage()); });
    });
  });
}

// Static files: the copy at once when there is one, refreshed from the network behind it.
function asset(event) {
  var request = event.request;
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      var network = fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") { cache.put(request, response.clone()); }
        return response;
      });
      if (hit) {
        event.waitUntil(network.catch(function () {}));
        return hit;
      }
      return network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; } // the outbox's POSTs go straight to the network
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(asset(event));
  }
});

// The page asks for a copy of itself (it was loaded before this worker took over).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "cache-page" && typeof data.url === "string") {
    var url = new URL(data.url, self.location.href);
    if (url.origin === self.location.origin && url.pathname.indexOf(CONFIG.scope) === 0) {
      event.waitUntil(fetch(url.href, { credentials: "same-origin" }).then(function (response) {
        return keepPage(url.href, response);
      }).catch(function () {}));
    }
  }
});

// Background Sync: the browser wakes the worker when the connection is back, even with the page closed.
self.addEventListener("sync", function (event) {
  if (event.tag === self.chongdichOutbox.SYNC_TAG) {
    event.waitUntil(self.chongdichOutbox.flush().then(function (counts) {
      if (counts.retry) { throw new Error("entries still waiting"); } // the browser tries again later
    }));
  }
});
