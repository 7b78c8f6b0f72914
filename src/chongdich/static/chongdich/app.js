// chongdich: small progressive enhancements; every page works without JavaScript.
// No script is written inside the pages (the Content-Security-Policy allows scripts from /static/ only):
// behaviour is attached here to data- attributes.
(function () {
  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  // Search forms: leave empty filters out of the request, so the pushed URL stays short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.getAttribute && form.getAttribute("role") === "search" && event.detail.verb === "get") {
      var params = event.detail.parameters;
      Object.keys(params).forEach(function (key) { if (params[key] === "") { delete params[key]; } });
      // Exports follow the filters on screen, not those of the page as it was first loaded.
      var link = document.getElementById("export-link");
      if (link) {
        var query = new URLSearchParams();
        Object.keys(params).forEach(function (key) { query.append(key, params[key]); });
        link.href = link.dataset.base + "?" + query.toString();
      }
    }
  });
})();
