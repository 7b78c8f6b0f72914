/* Levels on a map without internet tiles: a circle at each unit's centre, coloured by level, with a
   legend.  The same levels are in the list under the map, which works without JavaScript. */
(function () {
  "use strict";
  var holder = document.getElementById("portal-map");
  var data = document.getElementById("portal-map-data");
  if (!holder || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  if (!points.length) { return; }
  var figure = document.getElementById("portal-map-figure");
  if (figure) { figure.hidden = false; }  // shown only when the map can be drawn; the list is always there
  var colours = { red: "#b02a37", orange: "#fd7e14", yellow: "#ffc107", green: "#146c43", none: "#adb5bd" };
  var map = L.map(holder, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: p.current ? 12 : 9, weight: p.current ? 3 : 1, color: p.current ? "#000" : "#333",
      fillColor: colours[p.colour] || colours.none, fillOpacity: 0.85
    }).addTo(map);
    marker.bindTooltip(p.name + " — " + p.label, { className: "unit-label" });
    marker.on("click", function () { window.location.href = p.url; });
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 11);
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
  }
  L.control.scale({ imperial: false }).addTo(map);
}());
