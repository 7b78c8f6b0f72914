// The public check-in page: the phone number and name are remembered on this device (localStorage),
// so the next check-in is one tap; "Change" shows the fields again.  Without JavaScript the fields
// are simply shown every time.
(function () {
  "use strict";
  const form = document.querySelector("[data-checkin]");
  if (!form) return;
  const KEY = "chongdich.checkin.who";
  const phone = form.querySelector("[name=phone]");
  const name = form.querySelector("[name=full_name]");
  const fields = form.querySelector("[data-checkin-fields]");
  const remembered = form.querySelector("[data-checkin-remembered]");
  const hasErrors = form.querySelector(".errorlist, .alert-danger") !== null;
  let saved = null;
  try { saved = JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }

  function showFields() {
    fields.classList.remove("d-none");
    remembered.classList.add("d-none");
  }
  if (saved && saved.phone && saved.name && !hasErrors) {
    if (!phone.value) phone.value = saved.phone;
    if (!name.value) name.value = saved.name;
    remembered.querySelector("[data-checkin-name]").textContent = name.value;
    remembered.querySelector("[data-checkin-phone]").textContent = phone.value;
    remembered.classList.remove("d-none");
    fields.classList.add("d-none");
  }
  remembered.querySelector("[data-checkin-edit]").addEventListener("click", function () {
    showFields();
    phone.focus();
  });
  const direction = form.querySelector("input[type=hidden][name=direction]");
  form.querySelectorAll("button[name=direction]").forEach(function (button) {
    button.addEventListener("click", function () { direction.value = button.value; });
  });
  form.addEventListener("submit", function () {
    const who = { phone: phone.value.trim(), name: name.value.trim() };
    if (who.phone && who.name) {
      try { window.localStorage.setItem(KEY, JSON.stringify(who)); } catch (e) { /* private mode: not kept */ }
    }
  });
})();
