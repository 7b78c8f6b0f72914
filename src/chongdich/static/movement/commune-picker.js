/* Commune pickers: an input marked data-commune-picker, in a form whose data-communes is the search URL,
   gets suggestions from the whole country as the officer types (diacritics optional) in the datalist
   #commune-options.  Without it (or offline) a typed name or code is matched by the server. */
(function () {
  "use strict";
  var options = document.getElementById("commune-options");
  if (!options || !window.fetch) { return; }
  var timer = null;
  document.querySelectorAll("form[data-communes] [data-commune-picker]").forEach(function (input) {
    var url = input.form.dataset.communes;
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || /\(\w[\w-]*\)$/.test(q)) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            options.textContent = "";
            data.results.forEach(function (unit) {
              var option = document.createElement("option");
              option.value = unit.label;
              options.appendChild(option);
            });
          })
          .catch(function () { /* offline: a typed name is matched by the server later */ });
      }, 200);
    });
  });
}());
