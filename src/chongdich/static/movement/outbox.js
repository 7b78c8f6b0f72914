// chongdich: forms that work with a bad connection (issue 11: the passage screen, the public health
// declaration, the venue check-in page).
//
// A page marks a form <form method="post" action="…" data-outbox="passage"> (with {% csrf_token %} and
// the hidden client_id) and loads this file.  On submit the form's fields go into an outbox in
// IndexedDB first, then are POSTed with fetch; an answer that does not come (offline, network error,
// timeout, 5xx) leaves them there, and the form is reset at once for the next person or vehicle.  The
// outbox is sent again on the `online` event, on page load, by a retry with backoff and by Background
// Sync in the service worker (/movement/sw.js, which loads this same file).  The same client_id goes
// with every attempt, so the server answers with the record it saved the first time, never a duplicate.
//
// The server's answer: 2xx or a redirect → sent (the element [data-outbox-result] of the answer, if
// any, is shown); a redirect to the sign-in page → the session ended, the entry is kept; 403 → a fresh
// CSRF token is read from the form's page and the entry re-sent once; other 4xx → refused: shown on the
// form when the user just submitted it, else kept in a "refused" list with the server's messages.
//
// Optional attributes: data-outbox-timeout (ms, default 10000) and data-outbox-summary ("name,plate":
// the fields that name an entry in the lists) on the form; data-outbox-keep on a field that keeps its
// value for the next entry (the checkpoint, the direction); data-outbox-follow on a form whose answer is
// a page to open when sent at once (the receipt of a declaration).  No script is written into the pages
// (Content-Security-Policy): everything is attached here.
(function (scope) {
  "use strict";

  var DB_NAME = "chongdich-outbox";
  var STORE = "entries";
  var SYNC_TAG = "chongdich-outbox";
  var CHANNEL = "chongdich-outbox";
  var DEFAULT_TIMEOUT = 10000;
  var DEFAULT_LOGIN = "/accounts/login/";
  var MAX_ANSWER = 100000; // characters of a refusal kept to show its messages
  var WAITING = "waiting";
  var SIGNIN = "signin";
  var REFUSED = "refused";

  // -- storage ---------------------------------------------------------------------------------------
  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!scope.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex("state", "state");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }

  function inStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result;
        work(transaction.objectStore(STORE), function (value) { result = value; });
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function allEntries() {
    return inStore("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () {
        done(request.result.sort(function (a, b) { return a.queuedAt - b.queuedAt; }));
      };
    });
  }

  function getEntry(id) {
    return inStore("readonly", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () { done(request.result); };
    });
  }

  function putEntry(entry) {
    return inStore("readwrite", function (store) { store.put(entry); });
  }

  function removeEntry(id) {
    return inStore("readwrite", function (store) { store.delete(id); });
  }

  // -- sending ---------------------------------------------------------------------------------------
  function newClientId() {
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function tokenOf(entry) {
    for (var i = 0; i < entry.fields.length; i++) {
      if (entry.fields[i][0] === "csrfmiddlewaretoken") { return entry.fields[i][1]; }
    }
    return "";
  }

  function setToken(entry, token) {
    var found = false;
    entry.fields.forEach(function (pair) { if (pair[0] === "csrfmiddlewaretoken") { pair[1] = token; found = true; } });
    if (!found) { entry.fields.push(["csrfmiddlewaretoken", token]); }
  }

  function timedFetch(url, options, timeout) {
    var controller = scope.AbortController ? new AbortController() : null;
    var timer = null;
    if (controller) {
      options.signal = controller.signal;
      timer = setTimeout(function () { controller.abort(); }, timeout);
    }
    return fetch(url, options).then(
      function (response) { if (timer) { clearTimeout(timer); } return response; },
      function (error) { if (timer) { clearTimeout(timer); } throw error; }
    );
  }

  function isLogin(response, entry) {
    var path = new URL(response.url || entry.action, scope.location.href).pathname;
    var login = entry.login || DEFAULT_LOGIN;
    return path.indexOf(login) === 0 && new URL(entry.action, scope.location.href).pathname.indexOf(login) !== 0;
  }

  function post(entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return timedFetch(entry.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "follow",
      cache: "no-store",
      headers: { "X-Outbox": entry.kind, "X-CSRFToken": tokenOf(entry), "Accept": "text/html, application/json" }
    }, entry.timeout || DEFAULT_TIMEOUT);
  }

  function answerOf(response) {
    return response.text().then(function (text) {
      return {
        status: response.status,
        type: response.headers.get("Content-Type") || "",
        url: response.url,
        text: text.length > MAX_ANSWER ? text.slice(0, MAX_ANSWER) : text
      };
    });
  }

  // A fresh CSRF token from the form's page (the token rotates when the user signs in again).
  function freshToken(entry) {
    return timedFetch(entry.page, { credentials: "same-origin", cache: "no-store", headers: { "X-Outbox": entry.kind } },
                      entry.timeout || DEFAULT_TIMEOUT)
      .then(function (response) {
        if (isLogin(response, entry)) { return { signin: true }; }
        if (!response.ok) { return answerOf(response).then(function (answer) { return { answer: answer }; }); }
        return response.text().then(function (text) {
          var match = /name=["']csrfmiddlewaretoken["']\s+value=["']([^"']+)["']/.exec(text) ||
                      /value=["']([^"']+)["']\s+name=["']csrfmiddlewaretoken["']/.exec(text);
          return { token: match ? match[1] : "" };
        });
      });
  }

  // Send one entry: resolves to {outcome: "sent" | "refused" | "signin" | "retry", answer}.
  function send(entry, refreshed) {
    return post(entry).then(function (response) {
      if (isLogin(response, entry) || response.status === 401) {
        return { outcome: SIGNIN };
      }
      if (response.ok) {
        return answerOf(response).then(function (answer) { return { outcome: "sent", answer: answer }; });
      }
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        return { outcome: "retry", status: response.status };
      }
      if (response.status === 403 && !refreshed) {
        return freshToken(entry).then(function (fresh) {
          if (fresh.signin) { return { outcome: SIGNIN }; }
          if (fresh.answer) { return { outcome: REFUSED, answer: fresh.answer }; }
          if (!fresh.token) { return answerOf(response).then(function (answer) { return { outcome: REFUSED, answer: answer }; }); }
          setToken(entry, fresh.token);
          return send(entry, true);
        });
      }
      return answerOf(response).then(function (answer) { return { outcome: REFUSED, answer: answer }; });
    }, function () {
      return { outcome: "retry" }; // offline, network error, timeout
    });
  }

  // One sender per entry at a time, across tabs and the service worker (the server would answer a
  // second copy with the same record anyway; this only saves the traffic).
  function exclusively(id, work) {
    var locks = scope.navigator && scope.navigator.locks;
    if (!locks) { return work(); }
    return locks.request("chongdich-outbox:" + id, { ifAvailable: true }, function (lock) {
      return lock ? work() : { outcome: "busy" };
    });
  }

  var channel = scope.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null;

  function announce(message) {
    if (channel) { channel.postMessage(message); }
    if (scope.clients && scope.clients.matchAll) { // in the service worker: tell the open pages
      scope.clients.matchAll({ type: "window" }).then(function (list) {
        list.forEach(function (client) { client.postMessage({ outbox: message }); });
      });
    }
  }

  // Send one stored entry and keep the outbox in step with the answer.
  function deliver(entry) {
    return exclusively(entry.id, function () {
      return getEntry(entry.id).then(function (current) {
        if (!current || current.state === REFUSED) { return { outcome: "gone" }; }
        return send(current).then(function (result) {
          current.attempts = (current.attempts || 0) + 1;
          current.triedAt = Date.now();
          if (result.outcome === "sent") {
            return removeEntry(current.id).then(function () { return result; });
          }
          if (result.outcome === REFUSED) {
            current.state = REFUSED;
            current.answer = result.answer;
          } else if (result.outcome === SIGNIN) {
            current.state = SIGNIN;
          } else {
            current.state = WAITING;
          }
          return putEntry(current).then(function () { return result; });
        });
      });
    });
  }

  // Send every waiting entry, oldest first; resolves to the counts of each outcome.
  var flushing = null;

  function flush() {
    if (flushing) { return flushing; }
    flushing = allEntries().then(function (entries) {
      var counts = { sent: 0, refused: 0, signin: 0, retry: 0, results: [] };
      var waiting = entries.filter(function (e) { return e.state !== REFUSED; });
      return waiting.reduce(function (chain, entry) {
        return chain.then(function (stop) {
          if (stop) { return true; }
          return deliver(entry).then(function (result) {
            if (counts[result.outcome] !== undefined) { counts[result.outcome] += 1; }
            counts.results.push({ id: entry.id, kind: entry.kind, outcome: result.outcome, answer: result.answer });
            // No connection: the next entries would fail the same way; try again later.
            return result.outcome === "retry" && !result.status;
          });
        });
      }, Promise.resolve(false)).then(function () {
        if (counts.sent || counts.refused || counts.signin) {
          var byKind = {};
          counts.results.forEach(function (r) {
            var k = byKind[r.kind] = byKind[r.kind] || { sent: 0, refused: 0, signin: 0 };
            if (k[r.outcome] !== undefined) { k[r.outcome] += 1; }
          });
          announce({ type: "flushed", kinds: byKind });
        }
        return counts;
      });
    }).then(function (counts) { flushing = null; return counts; }, function (error) { flushing = null; throw error; });
    return flushing;
  }

  var api = {
    DB_NAME: DB_NAME, SYNC_TAG: SYNC_TAG, WAITING: WAITING, SIGNIN: SIGNIN, REFUSED: REFUSED,
    all: allEntries, get: getEntry, put: putEntry, remove: removeEntry,
    flush: flush, deliver: deliver, send: send, newClientId: newClientId, announce: announce
  };
  scope.chongdichOutbox = api;

  // In the service worker (importScripts) the machinery above is all there is.
  if (typeof document === "undefined") { return; }

  // -- the page --------------------------------------------------------------------------------------
  var FALLBACK = {
    vi: {
      queued: "Đã lưu trên máy, sẽ gửi khi có mạng",
      waiting: "chờ gửi",
      sending: "Đang gửi…",
      sent: "Đã gửi",
      sent_later: "Đã gửi các mục lưu trên máy",
      refused: "Bị từ chối",
      refused_now: "Máy chủ từ chối mục này, xem bên dưới",
      refused_later: "Có mục đã lưu bị máy chủ từ chối: mở danh sách để sửa",
      refused_generic: "Máy chủ từ chối mục này",
      signin: "Phiên đăng nhập đã hết. Hãy đăng nhập lại; các mục vẫn được giữ trên máy này.",
      signin_link: "Đăng nhập",
      edit: "Mở lại để sửa",
      drop: "Bỏ mục này",
      drop_confirm: "Bỏ hẳn mục này? Nó sẽ không được gửi.",
      send_now: "Gửi ngay",
      saved_at: "Lưu lúc",
      offline: "Không có mạng",
      no_storage: "Trình duyệt này không cho lưu trên máy: biểu mẫu được gửi thẳng."
    },
    en: {
      queued: "Saved on this device; it will be sent when there is a connection",
      waiting: "waiting to be sent",
      sending: "Sending…",
      sent: "Sent",
      sent_later: "Entries saved on this device were sent",
      refused: "Refused",
      refused_now: "The server refused this entry, see below",
      refused_later: "The server refused an entry saved on this device: open the list to correct it",
      refused_generic: "The server refused this entry",
      signin: "Your session has ended. Sign in again; the entries are kept on this device.",
      signin_link: "Sign in",
      edit: "Open in the form",
      drop: "Discard this entry",
      drop_confirm: "Discard this entry for good? It will not be sent.",
      send_now: "Send now",
      saved_at: "Saved at",
      offline: "No connection",
      no_storage: "This browser cannot store entries: the form is sent directly."
    }
  };
  var texts = FALLBACK[(document.documentElement.lang || "vi").slice(0, 2)] || FALLBACK.vi;
  var config = { sw: "/movement/sw.js", scope: "/movement/", login: DEFAULT_LOGIN };
  var storage = true;
  var retryDelay = 5000;
  var retryTimer = null;
  var MAX_DELAY = 300000;

  function readConfig() {
    // {% include "movement/offline/outbox.html" %} gives the translated texts and the addresses.
    var holder = document.querySelector("template[data-outbox-texts]");
    if (holder) {
      var own = {};
      Array.prototype.forEach.call(holder.content.querySelectorAll("[data-text]"), function (node) {
        own[node.getAttribute("data-text")] = node.textContent.trim();
      });
      texts = Object.assign({}, texts, own);
      ["sw", "scope", "login"].forEach(function (key) {
        if (holder.dataset[key]) { config[key] = holder.dataset[key]; }
      });
    }
  }

  function forms() { return Array.prototype.slice.call(document.querySelectorAll("form[data-outbox]")); }

  function kinds() {
    return forms().map(function (form) { return form.dataset.outbox; });
  }

  function setClientId(form, value) {
    var input = form.querySelector("input[name=client_id]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "client_id";
      form.appendChild(input);
    }
    input.value = value;
    return value;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The status area of a form: the waiting badge, the last message, the server's result, the refused list.
  function statusOf(form) {
    if (form._outboxStatus) { return form._outboxStatus; }
    var box = document.querySelector('[data-outbox-status="' + form.dataset.outbox + '"]');
    if (!box) {
      box = element("div", "outbox-status mb-3");
      box.setAttribute("data-outbox-status", form.dataset.outbox);
      form.parentNode.insertBefore(box, form);
    }
    var line = element("div", "d-flex flex-wrap align-items-center gap-2");
    var badge = element("span", "badge rounded-pill text-bg-warning outbox-badge");
    badge.setAttribute("data-outbox-badge", "");
    badge.hidden = true;
    var sendNow = element("button", "btn btn-sm btn-outline-secondary", texts.send_now);
    sendNow.type = "button";
    sendNow.setAttribute("data-outbox-send", "");
    sendNow.hidden = true;
    var offline = element("span", "badge rounded-pill text-bg-secondary", texts.offline);
    offline.setAttribute("data-outbox-offline", "");
    offline.hidden = navigator.onLine !== false;
    line.appendChild(badge);
    line.appendChild(offline);
    line.appendChild(sendNow);
    var message = element("div", "alert py-2 mt-2 mb-0");
    message.setAttribute("data-outbox-message", "");
    message.setAttribute("role", "status");
    message.setAttribute("aria-live", "polite");
    message.hidden = true;
    var result = element("div", "outbox-result mt-2");
    result.setAttribute("data-outbox-answer", "");
    var refused = element("details", "outbox-refused mt-2");
    refused.setAttribute("data-outbox-refused", "");
    refused.hidden = true;
    var summary = element("summary", "text-danger fw-semibold");
    summary.appendChild(element("span", "", texts.refused + " "));
    var count = element("span", "badge rounded-pill text-bg-danger", "0");
    count.setAttribute("data-outbox-refused-count", "");
    summary.appendChild(count);
    refused.appendChild(summary);
    var list = element("ul", "list-unstyled mt-2 mb-0");
    list.setAttribute("data-outbox-refused-list", "");
    refused.appendChild(list);
    [line, message, result, refused].forEach(function (node) { box.appendChild(node); });
    form._outboxStatus = { box: box, badge: badge, sendNow: sendNow, offline: offline, message: message,
                           result: result, refused: refused, count: count, list: list };
    return form._outboxStatus;
  }

  // Page scripts follow the outbox through events on the form: outbox:queued, outbox:sent (detail: the
  // answer), outbox:refused (the server's form replaced this one's fields: rebind what was bound to them).
  function tell(form, name, detail) {
    form.dispatchEvent(new CustomEvent("outbox:" + name, { bubbles: true, detail: detail || {} }));
  }

  function say(form, text, tone, link) {
    var status = statusOf(form);
    status.message.className = "alert py-2 mt-2 mb-0 alert-" + (tone || "info");
    status.message.textContent = text;
    if (link) {
      status.message.appendChild(document.createTextNode(" "));
      var anchor = element("a", "alert-link", link.text);
      anchor.href = link.href;
      status.message.appendChild(anchor);
    }
    status.message.hidden = false;
  }

  function signinLink() {
    return { text: texts.signin_link, href: config.login + "?next=" + encodeURIComponent(location.pathname + location.search) };
  }

  // What the server said, as lines of text: JSON {detail, errors}, or the refused form's errors.
  function messagesOf(answer) {
    var lines = [];
    function add(text) {
      text = (text || "").replace(/\s+/g, " ").trim();
      if (text && lines.indexOf(text) < 0) { lines.push(text); }
    }
    if (!answer) { return [texts.refused_generic]; }
    if (answer.type.indexOf("json") >= 0) {
      try {
        var data = JSON.parse(answer.text);
        add(data.detail);
        Object.keys(data.errors || {}).forEach(function (field) {
          [].concat(data.errors[field]).forEach(add);
        });
      } catch (error) { /* not JSON after all */ }
    } else if (answer.text) {
      var doc = new DOMParser().parseFromString(answer.text, "text/html");
      Array.prototype.forEach.call(doc.querySelectorAll("[data-outbox-message], .alert-danger, .invalid-feedback"), function (node) {
        add(node.textContent);
      });
      Array.prototype.forEach.call(doc.querySelectorAll(".errorlist li"), function (item) {
        var group = item.closest(".mb-3, .form-group, p, div");
        var label = group && group.querySelector("label, .form-label");
        add((label ? label.textContent.replace("*", "").trim() + ": " : "") + item.textContent);
      });
      if (!lines.length) {
        var main = doc.querySelector("main") || doc.body;
        var heading = main && main.querySelector("h1, h2");
        var para = main && main.querySelector("p");
        add(heading && heading.textContent);
        add(para && para.textContent);
      }
    }
    if (!lines.length) { add(texts.refused_generic + " (HTTP " + answer.status + ")"); }
    return lines;
  }

  // The success answer's [data-outbox-result] (the advice given at the checkpoint, the receipt), else
  // its success messages.
  function showResult(form, answer) {
    var status = statusOf(form);
    status.result.textContent = "";
    if (!answer || !answer.text || answer.type.indexOf("html") < 0) { return; }
    var doc = new DOMParser().parseFromString(answer.text, "text/html");
    var shown = doc.querySelectorAll("[data-outbox-result]");
    if (!shown.length) { shown = doc.querySelectorAll("main .alert-success"); }
    Array.prototype.forEach.call(shown, function (node) {
      Array.prototype.forEach.call(node.querySelectorAll("script"), function (script) { script.remove(); });
      status.result.appendChild(document.importNode(node, true));
    });
  }

  function summaryOf(form) {
    var names = (form.dataset.outboxSummary || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var fields = names.length
      ? names.map(function (name) { return form.elements.namedItem(name); })
      : Array.prototype.filter.call(form.elements, function (field) {
          return field.type === "text" || field.type === "tel" || field.tagName === "SELECT";
        });
    var parts = [];
    fields.forEach(function (field) {
      if (!field || parts.length >= 3) { return; }
      var value = field.tagName === "SELECT" && field.selectedIndex >= 0 ? field.options[field.selectedIndex].text : field.value;
      if (value && String(value).trim()) { parts.push(String(value).trim()); }
    });
    return parts.join(" · ");
  }

  // The time of the entry (2021-08-21T07:05:09+07:00) in the fields that ask for it: a passage logged
  // offline keeps the time it happened, not the time it was sent.  The time is the server's clock
  // (the page says its "now"), carried by the device's: a device whose clock is off, or a demo or drill
  // whose clock is pinned, still stamps the server's time.  The newest page seen sets the offset, so a
  // page opened later from the offline copy does not bring back an old one.
  function serverClock() {
    var holder = document.querySelector("template[data-outbox-texts]");
    var text = holder ? holder.getAttribute("data-now") || "" : "";
    var server = Date.parse(text);
    var zone = /([+-])(\d\d):(\d\d)$/.exec(text);
    var offset = zone ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 420;
    var best = null;
    try { best = JSON.parse(window.localStorage.getItem("chongdich-outbox-clock") || "null"); } catch (error) { best = null; }
    if (!isNaN(server) && (!best || server >= best.server)) {
      best = { server: server, device: Date.now(), offset: offset };
      try { window.localStorage.setItem("chongdich-outbox-clock", JSON.stringify(best)); } catch (error) { /* private mode */ }
    }
    var skew = best ? best.server - best.device : 0;
    return { skew: Math.abs(skew) < 120000 ? 0 : skew, offset: best ? best.offset : offset };
  }
  var CLOCK = null;

  function stampTime(form) {
    CLOCK = CLOCK || serverClock();
    var local = new Date(Date.now() + CLOCK.skew + CLOCK.offset * 60000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var zone = (CLOCK.offset < 0 ? "-" : "+") + two(Math.floor(Math.abs(CLOCK.offset) / 60)) + ":" + two(Math.abs(CLOCK.offset) % 60);
    var text = local.getUTCFullYear() + "-" + two(local.getUTCMonth() + 1) + "-" + two(local.getUTCDate()) + "T" +
      two(local.getUTCHours()) + ":" + two(local.getUTCMinutes()) + ":" + two(local.getUTCSeconds()) + zone;
    Array.prototype.forEach.call(form.querySelectorAll("input[data-outbox-time], input[type=hidden][name=at]"), function (input) {
      if (!input.value) { input.value = text; input.setAttribute("data-outbox-stamped", ""); }
    });
  }

  function entryOf(form, submitter) {
    stampTime(form);
    var data;
    try { data = new FormData(form, submitter || undefined); } catch (error) {
      data = new FormData(form);
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    }
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string") { fields.push([name, value]); } });
    var id = (form.querySelector("input[name=client_id]") || {}).value || setClientId(form, newClientId());
    return {
      id: id,
      kind: form.dataset.outbox,
      action: new URL(form.getAttribute("action") || location.href, location.href).href,
      page: location.href,
      login: config.login,
      timeout: parseInt(form.dataset.outboxTimeout, 10) || DEFAULT_TIMEOUT,
      fields: fields,
      summary: summaryOf(form),
      queuedAt: Date.now(),
      attempts: 0,
      state: WAITING
    };
  }

  // Ready for the next person or vehicle: cleared, kept fields kept, a new client id, first field focused.
  function resetForm(form) {
    var kept = Array.prototype.filter.call(form.elements, function (field) { return field.hasAttribute("data-outbox-keep"); })
      .map(function (field) {
        return { field: field, value: field.value, checked: field.checked,
                 selected: field.tagName === "SELECT" ? Array.prototype.map.call(field.options, function (o) { return o.selected; }) : null };
      });
    form.reset();
    Array.prototype.forEach.call(form.querySelectorAll("[data-outbox-stamped]"), function (input) {
      input.value = "";
      input.removeAttribute("data-outbox-stamped");
    });
    kept.forEach(function (k) {
      if (k.selected) { Array.prototype.forEach.call(k.field.options, function (o, i) { o.selected = k.selected[i]; }); }
      else if (k.field.type === "checkbox" || k.field.type === "radio") { k.field.checked = k.checked; }
      else { k.field.value = k.value; }
    });
    Array.prototype.forEach.call(form.querySelectorAll(".is-invalid"), function (field) { field.classList.remove("is-invalid"); });
    Array.prototype.forEach.call(form.querySelectorAll(".errorlist, .invalid-feedback"), function (node) { node.remove(); });
    setClientId(form, newClientId());
    var first = form.querySelector("[autofocus]") ||
      Array.prototype.find.call(form.elements, function (field) {
        return !field.disabled && field.type !== "hidden" && !field.hasAttribute("data-outbox-keep") &&
               ["INPUT", "SELECT", "TEXTAREA"].indexOf(field.tagName) >= 0;
      });
    if (first) { first.focus({ preventScroll: true }); }
    var status = statusOf(form);
    if (status.box.getBoundingClientRect().top < 0) { status.box.scrollIntoView({ block: "start" }); }
  }

  function setBusy(form, busy) {
    form.toggleAttribute("data-outbox-busy", busy);
    form.setAttribute("aria-busy", busy ? "true" : "false");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"), function (button) {
      button.disabled = busy;
    });
  }

  function fill(form, entry) {
    var names = {};
    entry.fields.forEach(function (pair) { (names[pair[0]] = names[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "submit" || field.type === "button") { return; }
      var values = names[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") { field.checked = values.indexOf(field.value) >= 0; }
      else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = values.indexOf(option.value) >= 0; });
      } else if (field.type !== "file") { field.value = values.length ? values[0] : ""; }
    });
    setClientId(form, entry.id);
  }

  // A refusal of what the user just typed: the server's form (its errors on the fields, what they
  // typed kept) takes the place of this one.
  function showRefusal(form, entry, answer) {
    var shown = false;
    if (answer && answer.type.indexOf("html") >= 0) {
      var doc = new DOMParser().parseFromString(answer.text, "text/html");
      var theirs = doc.querySelector('form[data-outbox="' + form.dataset.outbox + '"]');
      if (theirs) {
        form.replaceChildren.apply(form, Array.prototype.map.call(theirs.childNodes, function (node) {
          return document.importNode(node, true);
        }));
        setClientId(form, entry.id);
        shown = true;
      }
    }
    if (!shown) { fill(form, entry); }
    say(form, shown ? texts.refused_now : messagesOf(answer).join(" · "), "danger");
    var invalid = form.querySelector(".is-invalid, .errorlist") || form.querySelector(".alert-danger");
    if (invalid) {
      var target = invalid.matches("input, select, textarea") ? invalid : invalid.closest(".mb-3") || invalid;
      target.scrollIntoView({ block: "center" });
      if (invalid.focus) { invalid.focus({ preventScroll: true }); }
    }
  }

  function formOfKind(kind) {
    return document.querySelector('form[data-outbox="' + kind + '"]');
  }

  function timeText(ms) { // 07:05 08/12, the way the pages write times and dates
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + " " + two(d.getDate()) + "/" + two(d.getMonth() + 1);
  }

  // Redraw the badges and refused lists of every outbox form on the page.
  function render() {
    if (!storage) { return Promise.resolve(); }
    return allEntries().then(function (entries) {
      forms().forEach(function (form) {
        var status = statusOf(form);
        var mine = entries.filter(function (e) { return e.kind === form.dataset.outbox; });
        var waiting = mine.filter(function (e) { return e.state !== REFUSED; });
        var refused = mine.filter(function (e) { return e.state === REFUSED; });
        status.badge.textContent = waiting.length + " " + texts.waiting;
        status.badge.hidden = waiting.length === 0;
        status.box.setAttribute("data-outbox-waiting", String(waiting.length));
        status.box.setAttribute("data-outbox-refused-total", String(refused.length));
        status.sendNow.hidden = waiting.length === 0 || navigator.onLine === false;
        status.offline.hidden = navigator.onLine !== false;
        status.count.textContent = String(refused.length);
        if (refused.length && status.refused.hidden) { status.refused.open = true; } // needs attention
        status.refused.hidden = refused.length === 0;
        status.list.replaceChildren.apply(status.list, refused.map(function (entry) {
          var item = element("li", "border rounded bg-white p-2 mb-2");
          item.setAttribute("data-outbox-entry", entry.id);
          item.appendChild(element("div", "fw-semibold", entry.summary || entry.id.slice(0, 8)));
          item.appendChild(element("div", "small text-secondary", texts.saved_at + " " + timeText(entry.queuedAt)));
          var reasons = element("ul", "small text-danger mb-2 ps-3");
          messagesOf(entry.answer).forEach(function (line) { reasons.appendChild(element("li", "", line)); });
          item.appendChild(reasons);
          var buttons = element("div", "d-flex flex-wrap gap-2");
          var edit = element("button", "btn btn-sm btn-outline-primary", texts.edit);
          edit.type = "button";
          edit.setAttribute("data-outbox-edit", entry.id);
          var drop = element("button", "btn btn-sm btn-outline-danger", texts.drop);
          drop.type = "button";
          drop.setAttribute("data-outbox-drop", entry.id);
          buttons.appendChild(edit);
          buttons.appendChild(drop);
          item.appendChild(buttons);
          return item;
        }));
        if (mine.some(function (e) { return e.state === SIGNIN; })) { say(form, texts.signin, "warning", signinLink()); }
      });
    }).catch(function () { /* storage went away: nothing to draw */ });
  }

  function scheduleRetry(reset) {
    if (reset) { retryDelay = 5000; }
    if (retryTimer) { clearTimeout(retryTimer); }
    retryTimer = setTimeout(function () {
      retryTimer = null;
      sendWaiting(false);
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, MAX_DELAY);
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register(SYNC_TAG); }
    }).catch(function () { /* Background Sync refused: the page's own retries remain */ });
  }

  // Send what waits; report on the forms; plan the next attempt.
  function sendWaiting(resetDelay) {
    if (!storage) { return Promise.resolve(); }
    if (navigator.onLine === false) { return render(); } // the `online` event sends them
    return flush().then(function (counts) {
      counts.results.forEach(function (r) {
        var form = formOfKind(r.kind);
        if (!form) { return; }
        if (r.outcome === "sent") { showResult(form, r.answer); }
      });
      forms().forEach(function (form) {
        var mine = counts.results.filter(function (r) { return r.kind === form.dataset.outbox; });
        var sent = mine.filter(function (r) { return r.outcome === "sent"; }).length;
        var refused = mine.filter(function (r) { return r.outcome === REFUSED; }).length;
        if (refused) { say(form, texts.refused_later, "danger"); statusOf(form).refused.open = true; }
        else if (sent) { say(form, texts.sent_later + ": " + sent, "success"); }
      });
      return render().then(function () {
        return allEntries().then(function (entries) {
          var left = entries.filter(function (e) { return e.state !== REFUSED; }).length;
          if (left) { scheduleRetry(resetDelay || counts.sent > 0); }
        });
      });
    }).catch(function () { scheduleRetry(false); });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox]") || event.defaultPrevented || !storage) { return; }
    // A button that only asks a question (the passage screen's "See the advice") submits the ordinary way.
    if (event.submitter && event.submitter.hasAttribute("data-outbox-skip")) { return; }
    event.preventDefault();
    if (form.hasAttribute("data-outbox-busy")) { return; }
    var entry = entryOf(form, event.submitter);
    setBusy(form, true);
    getEntry(entry.id).then(function (existing) {
      if (existing) { // a second entry with an id already waiting: an id of its own
        entry.id = setClientId(form, newClientId());
        entry.fields.forEach(function (pair) { if (pair[0] === "client_id") { pair[1] = entry.id; } });
      }
      return putEntry(entry);
    }).then(function () {
      if (navigator.onLine === false) {
        setBusy(form, false);
        resetForm(form);
        say(form, texts.queued, "warning");
        tell(form, "queued", { id: entry.id });
        askBackgroundSync();
        return render();
      }
      say(form, texts.sending, "secondary");
      return exclusively(entry.id, function () { return send(entry); }).then(function (result) {
        setBusy(form, false);
        statusOf(form).result.textContent = "";
        if (result.outcome === "sent") {
          return removeEntry(entry.id).then(function () {
            // data-outbox-follow: a form whose answer is a page of its own (the declaration's receipt)
            // opens it when it was sent at once; an entry sent later shows its result here.
            if (form.hasAttribute("data-outbox-follow") && result.answer.url &&
                result.answer.url.split("#")[0] !== window.location.href.split("#")[0]) {
              window.location.assign(result.answer.url);
              return null;
            }
            resetForm(form);
            say(form, texts.sent, "success");
            showResult(form, result.answer);
            tell(form, "sent", { id: entry.id, answer: result.answer });
            return render();
          });
        }
        if (result.outcome === REFUSED) {
          return removeEntry(entry.id).then(function () {
            showRefusal(form, entry, result.answer);
            tell(form, "refused", { id: entry.id, answer: result.answer });
            return render();
          });
        }
        if (result.outcome === SIGNIN) {
          entry.state = SIGNIN;
          return putEntry(entry).then(function () {
            resetForm(form);
            say(form, texts.signin, "warning", signinLink());
            return render();
          });
        }
        resetForm(form); // "retry" (no answer, 5xx) or "busy": the entry waits in the outbox
        say(form, texts.queued, "warning");
        tell(form, "queued", { id: entry.id });
        askBackgroundSync();
        scheduleRetry(true);
        return render();
      });
    }).catch(function () {
      // Storage failed under us: send the form the ordinary way rather than lose it.
      storage = false;
      setBusy(form, false);
      form.submit();
    });
  }

  function onClick(event) {
    var target = event.target.closest && event.target.closest("[data-outbox-send], [data-outbox-edit], [data-outbox-drop]");
    if (!target) { return; }
    if (target.hasAttribute("data-outbox-send")) { sendWaiting(true); return; }
    var id = target.getAttribute("data-outbox-edit") || target.getAttribute("data-outbox-drop");
    getEntry(id).then(function (entry) {
      if (!entry) { return render(); }
      if (target.hasAttribute("data-outbox-drop")) {
        if (!window.confirm(texts.drop_confirm)) { return; }
        return removeEntry(id).then(render);
      }
      var form = formOfKind(entry.kind);
      if (!form) { return; }
      fill(form, entry);
      return removeEntry(id).then(function () {
        form.scrollIntoView({ block: "start" });
        var first = Array.prototype.find.call(form.elements, function (f) { return f.type !== "hidden" && !f.disabled; });
        if (first) { first.focus(); }
        return render();
      });
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !config.sw) { return; }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.outbox) { heard(event.data.outbox); }
    });
    // Offline, the worker already in place serves the page; asking for it again would only fail.
    if (navigator.onLine === false) { return; }
    navigator.serviceWorker.register(config.sw, { scope: config.scope }).then(function (registration) {
      // This page was loaded before the worker existed: have it keep a copy for offline use.
      var worker = registration.active || registration.waiting || registration.installing;
      function cacheThisPage(w) { w.postMessage({ type: "cache-page", url: location.href }); }
      if (worker && worker.state === "activated") { cacheThisPage(worker); }
      else if (worker) {
        worker.addEventListener("statechange", function () { if (worker.state === "activated") { cacheThisPage(worker); } });
      }
    }).catch(function () { /* no service worker (plain http, private mode): the outbox still works */ });
  }

  // Another tab or the service worker sent entries: say so on the forms of those kinds.
  function heard(message) {
    if (message && message.type === "flushed" && message.kinds) {
      forms().forEach(function (form) {
        var mine = message.kinds[form.dataset.outbox];
        if (!mine) { return; }
        if (mine.refused) { say(form, texts.refused_later, "danger"); }
        else if (mine.sent) { say(form, texts.sent_later + ": " + mine.sent, "success"); }
      });
    }
    render();
  }

  function start() {
    var outboxForms = forms();
    if (!outboxForms.length) { return; }
    readConfig();
    if (!scope.indexedDB) { storage = false; }
    // A page opened from the service worker's copy carries the client id of that copy: every entry gets its own.
    outboxForms.forEach(function (form) { setClientId(form, newClientId()); statusOf(form); });
    document.addEventListener("submit", onSubmit);
    document.addEventListener("click", onClick);
    window.addEventListener("online", function () { render(); sendWaiting(true); });
    window.addEventListener("offline", function () { render(); });
    if (channel) { channel.onmessage = function (event) { heard(event.data); }; }
    registerWorker();
    openDb().then(function () {
      return render().then(function () { if (navigator.onLine !== false) { return sendWaiting(true); } });
    }, function () {
      storage = false;
      outboxForms.forEach(function (form) { say(form, texts.no_storage, "secondary"); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})(self);
