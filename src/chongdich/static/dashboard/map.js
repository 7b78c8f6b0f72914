/* Epidemic map: circles (or boundaries once loaded) coloured by level — or by vaccination coverage
   (the "Colour by" layer) —, a day slider replaying the levels, a framework filter and a unit card.  No tiles unless DASHBOARD_TILE_URL is set.
   Data: the page's #map-config (see dashboard/mapdata.py for the compact payload). */
(function () {
  "use strict";
  var configElement = document.getElementById("map-config");
  if (!configElement || !window.L) { return; }
  var cfg = JSON.parse(configElement.textContent);
  var legend = cfg.legend, T = cfg.text, base = cfg.payload;
  var COLOURS = { green: "#146c43", yellow: "#ffc107", orange: "#fd7e14", red: "#b02a37" };
  var NONE = "#adb5bd", OTHER = "#f1f3f5";
  var COMMUNE_ZOOM = 8.5;
  var LABELLED = 40;        // up to this many units, names and levels are written next to the circles
  var state = { day: base.lv.length - 1, framework: "", layer: "", timer: null };
  var BANDS = cfg.coverageBands || [];
  var sets = [];            // every drawn payload (the base one, and provinces' communes when zoomed in)
  var loaded = {};          // province code → set (national map)

  // SVG rendering: each unit is an element (class map-u-CODE) that can be clicked and tested.
  var map = L.map("map", { zoomSnap: 0.5, attributionControl: Boolean(cfg.tileUrl) });
  window.chongdichMap = map;
  if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution || "", maxZoom: 18 }).addTo(map); }

  function addDays(iso, n) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d;
  }
  function dayLabel(index) {
    var d = addDays(base.start, index);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getUTCDate()) + "/" + pad(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear();
  }
  function number(n) { return Number(n || 0).toLocaleString(document.documentElement.lang || "vi"); }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function coverageOf(set, i) {
    var cv = (set.payload.cv || [])[i] || [null, null];
    return { dose1: cv[0], full: cv[1] };
  }
  function percent(value) {
    return value === null || value === undefined ? "—" :
      Number(value).toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: 1 }) + "%";
  }
  function coverageColour(value) {
    if (value === null || value === undefined) { return NONE; }
    var colour = NONE;
    BANDS.forEach(function (band) { if (value >= band[0]) { colour = COLOURS[band[1]]; } });
    return colour;
  }
  function paintOf(set, i) {
    if (!state.layer) { return levelOf(set, i); }
    var value = coverageOf(set, i)[state.layer];
    var text = value === null || value === undefined ? T.noCoverage : percent(value) + " " + T[state.layer];
    return { colour: coverageColour(value), text: text, short: percent(value), other: false };
  }

  function levelOf(set, i) {
    var row = set.payload.lv[Math.min(state.day, set.payload.lv.length - 1)] || "";
    var item = legend[row.charAt(i)];
    if (!item) { return { colour: NONE, text: T.noLevel, short: T.noLevel, other: false }; }
    var short = item.t.charAt(0).toUpperCase() + item.t.slice(1);
    var text = short + " · " + item.n;
    if (state.framework && item.fw !== state.framework) {
      return { colour: OTHER, text: text + " (" + T.otherFramework + ")", short: short + " *", other: true };
    }
    return { colour: COLOURS[item.c] || NONE, text: text, short: short, other: false };
  }

  function unpack(ring) {
    var points = [], x = 0, y = 0;
    for (var i = 0; i + 1 < ring.length; i += 2) {
      x += ring[i]; y += ring[i + 1];
      points.push([y / 10000, x / 10000]);
    }
    return points;
  }

  function showCard(set, i) {
    var u = set.payload.u[i], level = levelOf(set, i);
    var card = document.getElementById("map-card"), body = document.getElementById("map-card-body");
    var isProvince = set.payload.tier === "province";
    var html = '<div class="d-flex justify-content-between gap-2"><strong>' + esc(u[1]) + "</strong>" +
      '<button type="button" class="btn-close" aria-label="×" id="map-card-close"></button></div>' +
      '<div class="small"><span class="map-chip"><i class="map-swatch" style="background:' + level.colour + '"></i>' +
      esc(level.text) + "</span> " + esc(dayLabel(state.day)) + "</div>" +
      '<div class="small">' + esc(T.active) + ": <strong>" + number(u[4]) + "</strong> · " + esc(T.new7) + ": <strong>" +
      number(u[5]) + "</strong></div>" +
      '<div class="small map-card-coverage">' + esc(T.dose1) + ": <strong>" + percent(coverageOf(set, i).dose1) +
      "</strong> · " + esc(T.full) + ": <strong>" + percent(coverageOf(set, i).full) + "</strong></div>" +
      '<a class="btn btn-sm btn-primary me-1" href="' + cfg.urls.dashboard + "?unit=" + encodeURIComponent(u[0]) + '">' + esc(T.dashboard) + "</a>" +
      '<a class="btn btn-sm btn-outline-secondary me-1" href="' + cfg.urls.risk + encodeURIComponent(u[0]) + '/">' + esc(T.riskPage) + "</a>";
    if (isProvince) {
      html += '<button type="button" class="btn btn-sm btn-outline-secondary" id="map-zoom-to">+</button>';
    }
    body.innerHTML = html;
    card.hidden = false;
    document.getElementById("map-card-close").addEventListener("click", function () { card.hidden = true; });
    var zoom = document.getElementById("map-zoom-to");
    if (zoom && u[2] !== null) {
      zoom.addEventListener("click", function () { map.setView([u[2], u[3]], COMMUNE_ZOOM + 0.5); });
    }
  }

  function radiusScale(payload) {
    var max = 1;
    payload.u.forEach(function (u) { if (u[4] > max) { max = u[4]; } });
    return 22 / Math.sqrt(max);
  }

  function makeSet(payload) {
    var set = { payload: payload, group: L.featureGroup(), circles: [], shapes: {}, k: radiusScale(payload),
                labelled: payload.u.length <= LABELLED };
    payload.u.forEach(function (u, i) {
      if (u[2] === null || u[3] === null) { set.circles.push(null); return; }
      var radius = 4 + Math.sqrt(u[4]) * set.k;
      var circle = L.circleMarker([u[2], u[3]], { radius: radius, weight: 1, color: "#343a40",
                                                  fillOpacity: 0.85, className: "map-unit map-u-" + u[0] });
      circle.on("click", function () { showCard(set, i); });
      circle.bindTooltip("", set.labelled ? { permanent: true, direction: "right", className: "map-label", offset: [radius + 2, 0] }
                                          : { direction: "top" });
      set.circles.push(circle);
      set.group.addLayer(circle);
    });
    return set;
  }

  function style(set) {
    set.payload.u.forEach(function (u, i) {
      var level = paintOf(set, i), circle = set.circles[i], shape = set.shapes[u[0]];
      var label = set.labelled ? u[1] + " · " + level.short : u[1] + " — " + level.text + " — " + T.active + ": " + number(u[4]);
      if (shape) {
        shape.setStyle({ fillColor: level.colour, fillOpacity: level.other ? 0.35 : 0.7, dashArray: level.other ? "3" : null });
        shape.setTooltipContent(esc(label));
        if (circle) { circle.setStyle({ fillColor: "#1d2939", fillOpacity: 0.55, color: "#fff" }); circle.setTooltipContent(esc(label)); }
      } else if (circle) {
        circle.setStyle({ fillColor: level.colour, dashArray: level.other ? "3" : null });
        circle.setTooltipContent(esc(label));
      }
    });
  }

  function addShapes(set, code) {
    fetch(cfg.urls.shapes + "?unit=" + encodeURIComponent(code), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { s: {} }; })
      .then(function (data) {
        set.payload.u.forEach(function (u, i) {
          var packed = data.s[u[0]];
          if (!packed) { return; }
          var polygons = packed.map(function (polygon) { return polygon.map(unpack); });
          var shape = L.polygon(polygons, { weight: 1, color: "#495057", fillOpacity: 0.7, className: "map-shape map-s-" + u[0] });
          shape.on("click", function () { showCard(set, i); });
          shape.bindTooltip("", { sticky: true });
          set.shapes[u[0]] = shape;
          set.group.addLayer(shape);
          shape.bringToBack();
        });
        style(set);
      })
      .catch(function () { /* circles stay */ });
  }

  function redraw() {
    document.getElementById("map-slider-day").textContent = dayLabel(state.day);
    sets.forEach(style);
  }

  // -- the base payload ------------------------------------------------------------------------
  var main = makeSet(base);
  sets.push(main);
  main.group.addTo(map);
  if (base.shapes) { addShapes(main, base.unit); }
  var bounds = main.group.getBounds();
  if (bounds.isValid()) {
    if (base.u.length === 1) {
      map.setView(bounds.getCenter(), 11);
    } else {  // room on the right for the names written next to the circles
      map.fitBounds(bounds, { paddingTopLeft: [24, 24], paddingBottomRight: [main.labelled ? 130 : 24, 24] });
    }
  } else {
    map.setView([16.0, 106.5], 5);  // Vietnam
  }
  redraw();

  // -- national map: a province's communes replace its circle when zoomed in ------------------------
  if (cfg.nation) {
    var hint = L.control({ position: "topright" });
    hint.onAdd = function () {
      var div = L.DomUtil.create("div", "map-hint");
      div.textContent = T.zoomHint;
      return div;
    };
    hint.addTo(map);
    var loadProvince = function (i) {
      var code = base.u[i][0];
      if (loaded[code]) { return; }
      loaded[code] = "loading";
      var url = cfg.urls.data + "?unit=" + encodeURIComponent(code) + "&day=" + base.day + "&days=" + base.lv.length;
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (payload) {
          var set = makeSet(payload);
          set.province = i;
          loaded[code] = set;
          sets.push(set);
          if (payload.shapes) { addShapes(set, code); }
          style(set);
          onZoom();
        })
        .catch(function () { delete loaded[code]; });
    };
    var onZoom = function () {
      var zoomedIn = map.getZoom() >= COMMUNE_ZOOM, view = map.getBounds().pad(0.3), started = 0;
      base.u.forEach(function (u, i) {
        var circle = main.circles[i];
        var inView = u[2] !== null && view.contains([u[2], u[3]]);
        var set = loaded[u[0]];
        var showCommunes = zoomedIn && inView && set && set !== "loading";
        if (zoomedIn && inView && !set && started < 6) { started += 1; loadProvince(i); }
        if (set && set !== "loading") {
          if (showCommunes && !map.hasLayer(set.group)) { set.group.addTo(map); }
          if (!showCommunes && map.hasLayer(set.group)) { map.removeLayer(set.group); }
        }
        if (circle) {
          if (showCommunes && main.group.hasLayer(circle)) { main.group.removeLayer(circle); }
          if (!showCommunes && !main.group.hasLayer(circle)) { main.group.addLayer(circle); }
        }
      });
    };
    map.on("zoomend moveend", onZoom);
  }

  // -- controls ---------------------------------------------------------------------------------
  if (!base.lv.length) { return; }  // nothing assessed or no unit to draw: no replay
  var layer = document.getElementById("map-layer");
  if (layer) {
    layer.addEventListener("change", function () { state.layer = layer.value; redraw(); });
  }
  var controls = document.getElementById("map-controls");
  var slider = document.getElementById("map-slider");
  var play = document.getElementById("map-play");
  var framework = document.getElementById("map-framework");
  controls.hidden = false;
  slider.addEventListener("input", function () { state.day = Number(slider.value); redraw(); });
  framework.addEventListener("change", function () { state.framework = framework.value; redraw(); });
  function stop() {
    window.clearInterval(state.timer);
    state.timer = null;
    play.textContent = T.play;
  }
  play.addEventListener("click", function () {
    if (state.timer) { stop(); return; }
    if (state.day >= base.lv.length - 1) { state.day = 0; }
    play.textContent = T.pause;
    state.timer = window.setInterval(function () {
      slider.value = String(state.day);
      redraw();
      if (state.day >= base.lv.length - 1) { stop(); return; }
      state.day += 1;
    }, 350);
  });
})();
