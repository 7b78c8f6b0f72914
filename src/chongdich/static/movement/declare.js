// The public health declaration: the commune pickers (diacritics-insensitive search on the server,
// villages of the picked commune).  No inline script (CSP); everything hangs on data- attributes.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }

  function fillVillages(select, url, code) {
    if (!select) { return; }
    var keep = select.value;
    while (select.options.length > 1) { select.remove(1); }
    if (!code) { return; }
    fetchJson(url + "?parent=" + encodeURIComponent(code)).then(function (data) {
      (data.results || []).forEach(function (unit) {
        var option = document.createElement("option");
        option.value = unit.code;
        option.textContent = unit.name;
        if (unit.code === keep) { option.selected = true; }
        select.appendChild(option);
      });
    }).catch(function () { /* offline: the village stays empty, the commune is enough */ });
  }

  function setup(input) {
    var url = input.getAttribute("data-unit-search");
    var hidden = document.getElementById(input.getAttribute("data-unit-code"));
    var villages = document.getElementById(input.getAttribute("data-unit-villages") || "");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var results = [];
    var active = -1;
    var asked = "";

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function pick(unit) {
      input.value = unit.label;
      if (hidden) { hidden.value = unit.code; }
      input.classList.remove("is-invalid");
      close();
      fillVillages(villages, url, unit.code);
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.classList.toggle("active", i === index); });
      active = index;
    }

    function show(found) {
      results = found;
      list.textContent = "";
      if (!found.length) { close(); return; }
      found.forEach(function (unit, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        button.setAttribute("role", "option");
        var name = document.createElement("span");
        name.className = "unit-name";
        name.textContent = unit.name;
        var where = document.createElement("span");
        where.className = "unit-where";
        where.textContent = unit.label.slice(unit.name.length).replace(/^,\s*/, "");
        button.appendChild(name);
        button.appendChild(where);
        button.addEventListener("mousedown", function (event) { event.preventDefault(); });
        button.addEventListener("click", function () { pick(results[index]); });
        list.appendChild(button);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    var search = debounce(function () {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      asked = text;
      fetchJson(url + "?q=" + encodeURIComponent(text)).then(function (data) {
        if (asked === text && document.activeElement === input) { show(data.results || []); }
      }).catch(close);
    }, 200);

    input.addEventListener("input", function () {
      if (hidden && hidden.value) {
        hidden.value = "";
        fillVillages(villages, url, "");
      }
      search();
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") { event.preventDefault(); pick(results[Math.max(active, 0)]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    if (hidden && hidden.value && villages && villages.options.length <= 1) { fillVillages(villages, url, hidden.value); }
  }

  document.querySelectorAll("input[data-unit-search]").forEach(setup);
})();
