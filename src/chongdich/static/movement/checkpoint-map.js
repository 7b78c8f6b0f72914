/* The checkpoint's location on a small Leaflet map without internet tiles: the commune's boundary when
   one is loaded (the dashboard's shapes), else a blank background; a click sets the latitude and
   longitude inputs (the form works without the map: the inputs are always there). */
(function () {
  "use strict";
  var holder = document.querySelector("[data-location-map]");
  if (!holder || typeof L === "undefined") { return; }
  var readonly = holder.hasAttribute("data-readonly");
  var latInput = document.getElementById(holder.dataset.lat || "");
  var lonInput = document.getElementById(holder.dataset.lon || "");
  var unitInput = document.getElementById(holder.dataset.unit || "");
  var centresNode = document.getElementById("commune-centres");
  var centres = centresNode ? JSON.parse(centresNode.textContent) : {};
  holder.hidden = false;
  var map = L.map(holder, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  var marker = null, outline = null;

  function unpack(ring) {
    var points = [], x = 0, y = 0;
    for (var i = 0; i + 1 < ring.length; i += 2) { x += ring[i]; y += ring[i + 1]; points.push([y / 10000, x / 10000]); }
    return points;
  }
  function point() {
    if (readonly) {
      var parts = (holder.dataset.point || "").split(",");
      return parts.length === 2 ? [parseFloat(parts[0]), parseFloat(parts[1])] : null;
    }
    var lat = parseFloat(latInput && latInput.value), lon = parseFloat(lonInput && lonInput.value);
    return isFinite(lat) && isFinite(lon) ? [lat, lon] : null;
  }
  function place(latlng) {
    if (!latlng) { return; }
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
  }
  function unitCode() { return readonly ? holder.dataset.unitCode : (unitInput ? unitInput.value : ""); }
  function showUnit(fit) {
    var code = unitCode();
    if (outline) { map.removeLayer(outline); outline = null; }
    var centre = centres[code];
    var here = point();
    if (here) { map.setView(here, 13); } else if (centre) { map.setView(centre, 12); } else { map.setView([16.0, 106.0], 5); }
    if (!code || !holder.dataset.shapes) { return; }
    fetch(holder.dataset.shapes + "?unit=" + encodeURIComponent(code), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var packed = data && data.s && data.s[code];
        if (!packed) { return; }
        var polygons = packed.map(function (polygon) { return polygon.map(unpack); });
        outline = L.polygon(polygons, { color: "#0d6efd", weight: 2, fillOpacity: 0.06 }).addTo(map);
        if (fit && !point()) { map.fitBounds(outline.getBounds(), { padding: [12, 12] }); }
      })
      .catch(function () { /* no boundary: the blank map and the marker are enough */ });
  }
  place(point());
  showUnit(true);
  if (!readonly) {
    map.on("click", function (event) {
      var lat = event.latlng.lat.toFixed(6), lon = event.latlng.lng.toFixed(6);
      latInput.value = lat; lonInput.value = lon;
      place([parseFloat(lat), parseFloat(lon)]);
    });
    [latInput, lonInput].forEach(function (input) {
      if (input) { input.addEventListener("change", function () { var p = point(); place(p); if (p) { map.panTo(p); } }); }
    });
    if (unitInput) { unitInput.addEventListener("change", function () { showUnit(true); }); }
  }
  L.control.scale({ imperial: false }).addTo(map);
}());
