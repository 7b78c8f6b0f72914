/* The passage screen: a live preview of the rules' advice (and of the plate, the green-lane card, the
   person's colour and the origin) as the officer types (the commune pickers' suggestions: commune-picker.js).
   Everything works without it: the "See the advice" button asks the server the same question.  The
   offline outbox (another script) owns sending the form when the connection is bad. */
(function () {
  "use strict";
  var form = document.getElementById("passage-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null, asked = 0;

  function byId(id) { return document.getElementById(id); }
  function setText(id, text) { var node = byId(id); if (node) { node.textContent = text || ""; } }

  function show(data) {
    if (!data || !data.ok) { return; }
    setText("plate-display", data.plate);
    var card = byId("card-box");
    if (card) {
      card.hidden = !data.card;
      setText("card-text", data.card ? [data.card.number, data.card.operator, data.card.goods].join(" · ") : "");
    }
    var person = byId("person-box");
    if (person) { person.textContent = data.person_found ? person.dataset.found || "" : ""; }
    var origin = byId("origin-box");
    if (origin) {
      origin.textContent = "";
      if (data.watched) {
        var badge = document.createElement("span");
        badge.className = "badge text-bg-danger";
        badge.textContent = origin.dataset.watched || "!";
        origin.appendChild(badge);
      }
    }
    if (data.colour) {
      var radio = form.querySelector("input[name=colour][value=" + data.colour + "]");
      if (radio) { radio.checked = true; }
    }
    var box = byId("advice-box");
    if (box) {
      box.classList.remove("alert-success", "alert-warning", "alert-secondary");
      box.classList.add(data.advice === "through" ? "alert-success" : data.advice ? "alert-warning" : "alert-secondary");
    }
    setText("advice-label", data.advice_label || "—");
    var list = byId("advice-reasons");
    if (list) {
      list.textContent = "";
      (data.reasons || []).forEach(function (reason) {
        var item = document.createElement("li");
        item.textContent = reason;
        list.appendChild(item);
      });
    }
    form.querySelectorAll(".action-buttons [data-action]").forEach(function (button) {
      button.classList.toggle("advised", button.dataset.action === data.advice);
    });
  }

  function preview() {
    var body = new FormData(form);
    body.delete("action");
    var mine = ++asked;
    fetch(form.dataset.preview, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" }
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (mine === asked) { show(data); } })
      .catch(function () { /* offline: the officer decides; the advice is stored when the entry is sent */ });
  }

  function later() { window.clearTimeout(timer); timer = window.setTimeout(preview, 350); }
  form.addEventListener("change", later);
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type !== "radio" && event.target.type !== "checkbox") { later(); }
  });

  var hasValues = form.querySelector("#id_plate") && form.querySelector("#id_plate").value;
  if (hasValues) { preview(); }
}());
