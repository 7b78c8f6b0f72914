/* Epidemic map.  Units (communes; provinces on the national map) are circles sized by cases under
   treatment, inside the outlines of their districts once `load_boundaries` loaded them; both are coloured
   by the chosen layer ("Colour by"): the level in force (a day slider replays it, a framework filter
   greys out the others), vaccination coverage, Rt or week-over-week growth (nightly estimates).  Names
   are written next to the circles by a label-placement pass (labels.layout): the biggest and worst
   units first, a label that would overlap another label or a circle is hidden, recomputed on every
   zoom and move.  A legend of the layer in a collapsible box, a unit card on click.  No tiles unless
   DASHBOARD_TILE_URL is set.  Data: the page's #map-config (see dashboard/mapdata.py for the payload). */
(function () {
  "use strict";
  var configElement = document.getElementById("map-config");
  if (!configElement || !window.L) { return; }
  var cfg = JSON.parse(configElement.textContent);
  var legend = cfg.legend, T = cfg.text, base = cfg.payload;
  var COLOURS = { green: "#146c43", lightgreen: "#75b798", yellow: "#ffc107", orange: "#fd7e14", red: "#b02a37" };
  var SEVERITY = { "#b02a37": 5, "#fd7e14": 4, "#ffc107": 3, "#75b798": 2, "#146c43": 1 };
  var NONE = "#adb5bd", OTHER = "#f1f3f5";
  var COMMUNE_ZOOM = 8.5;
  var VALUED = 40;          // up to this many units, labels carry the layer's value after the name
  var state = { day: base.lv.length - 1, framework: "", layer: "", timer: null };
  var BANDS = { coverage: cfg.coverageBands || [], rt: cfg.rtBands || [], growth: cfg.growthBands || [] };
  var lang = document.documentElement.lang || "vi";
  var sets = [];            // every drawn payload (the base one, and provinces' communes when zoomed in)
  var loaded = {};          // province code → set (national map)
  var moved = false;        // the user moved the map: loading outlines no longer refits it

  // SVG rendering: each unit is an element (class map-u-CODE, an area map-a-CODE) that can be clicked and tested.
  var map = L.map("map", { zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix(false);
  window.chongdichMap = map;
  if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution || "", maxZoom: 18 }).addTo(map); }
  var labelPane = map.createPane("map-labels");
  labelPane.classList.add("leaflet-zoom-hide");  // hidden while a zoom animates; laid out again at its end

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
  function isoLabel(iso) { return iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : ""; }
  function number(n) { return Number(n || 0).toLocaleString(lang); }
  function decimal(n, digits) {
    return Number(n).toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Names shortened for labels: "Xã Đức Hạnh" → "Đức Hạnh", "Thị trấn Thanh Bình" → "TT. Thanh Bình".
  var PREFIXES = [["Thành phố ", "TP. "], ["Thị xã ", "TX. "], ["Thị trấn ", "TT. "], ["Huyện ", "H. "],
                  ["Quận ", "Q. "], ["Phường ", "P. "], ["Xã ", "X. "], ["Tỉnh ", ""], ["Đặc khu ", "ĐK. "]];
  var DROPPED = { "Huyện ": true, "Xã ": true, "Tỉnh ": true };
  function shortName(name) {
    for (var i = 0; i < PREFIXES.length; i += 1) {
      var prefix = PREFIXES[i][0];
      if (name.indexOf(prefix) === 0) {
        var rest = name.slice(prefix.length);
        // "Phường 3" keeps its kind; "Xã Đức Hạnh" needs none
        return (DROPPED[prefix] && !/^\d/.test(rest)) ? rest : PREFIXES[i][1] + rest;
      }
    }
    return name;
  }

  // -- colours of the layers --------------------------------------------------------------------
  function banded(value, bands) {
    var colour = NONE;
    bands.forEach(function (band) { if (value >= band[0]) { colour = COLOURS[band[1]] || NONE; } });
    return colour;
  }
  function percent(value) {
    return value === null || value === undefined ? "—" :
      Number(value).toLocaleString(lang, { maximumFractionDigits: 1 }) + "%";
  }
  function levelOf(set, kind, i) {
    var days = kind === "d" ? set.payload.dlv : set.payload.lv;
    var row = (days || [])[Math.min(state.day, (days || []).length - 1)] || "";
    var item = legend[row.charAt(i)];
    if (!item) { return { colour: NONE, text: T.noLevel, short: T.noLevel, other: false }; }
    var short = item.t.charAt(0).toUpperCase() + item.t.slice(1);
    var text = short + " · " + item.n;
    if (state.framework && item.fw !== state.framework) {
      return { colour: OTHER, text: text + " (" + T.otherFramework + ")", short: short + " *", other: true };
    }
    return { colour: COLOURS[item.c] || NONE, text: text, short: short, other: false };
  }
  function estimateOf(set, kind, i) {
    var rt = set.payload.rt;
    return rt && rt[kind] ? rt[kind][i] || null : null;
  }
  function rtPaint(e) {
    if (!e) { return { colour: NONE, text: T.noEstimate, short: "—" }; }
    if (e[0] === null) { return { colour: NONE, text: T.fewCases, short: "—" }; }
    return { colour: banded(e[0], BANDS.rt), short: "Rt " + decimal(e[0], 2),
             text: "Rt " + decimal(e[0], 2) + " (" + decimal(e[1], 2) + "–" + decimal(e[2], 2) + ")" };
  }
  function growthText(wow) { return (wow > 0 ? "+" : "") + Math.round(wow * 100).toLocaleString(lang) + "%"; }
  function growthPaint(e) {
    if (!e) { return { colour: NONE, text: T.noEstimate, short: "—" }; }
    if (e[3] === null) {
      return e[4] > 0 ? { colour: COLOURS.red, text: T.newAfterQuiet, short: T.newShort }
                      : { colour: NONE, text: T.noCases, short: "0" };
    }
    return { colour: banded(e[3], BANDS.growth), short: growthText(e[3]),
             text: growthText(e[3]) + " " + T.weekOverWeek + " (" + number(e[4]) + " " + T.cases7 + ")" };
  }
  function paintOf(set, kind, i) {
    if (state.layer === "rt") { return rtPaint(estimateOf(set, kind, i)); }
    if (state.layer === "growth") { return growthPaint(estimateOf(set, kind, i)); }
    if (state.layer === "dose1" || state.layer === "full") {
      if (kind === "d") { return { colour: "#f8f9fa", text: "", short: "", neutral: true }; }
      var cv = (set.payload.cv || [])[i] || [null, null];
      var value = state.layer === "dose1" ? cv[0] : cv[1];
      var text = value === null || value === undefined ? T.noCoverage : percent(value) + " " + T[state.layer];
      return { colour: value === null || value === undefined ? NONE : banded(value, BANDS.coverage),
               text: text, short: percent(value) };
    }
    return levelOf(set, kind, i);
  }

  function unpack(ring) {
    var points = [], x = 0, y = 0;
    for (var i = 0; i + 1 < ring.length; i += 2) {
      x += ring[i]; y += ring[i + 1];
      points.push([y / 10000, x / 10000]);
    }
    return points;
  }

  // -- the unit card ----------------------------------------------------------------------------
  function showCard(set, kind, i) {
    var u = kind === "d" ? set.payload.d[i] : set.payload.u[i];
    var level = levelOf(set, kind, i), cv = kind === "u" ? (set.payload.cv || [])[i] : null;
    var card = document.getElementById("map-card"), body = document.getElementById("map-card-body");
    var html = '<div class="d-flex justify-content-between gap-2"><strong>' + esc(u[1]) + "</strong>" +
      '<button type="button" class="btn-close" aria-label="×" id="map-card-close"></button></div>' +
      '<div class="small"><span class="map-chip"><i class="map-swatch" style="background:' + level.colour + '"></i>' +
      esc(level.text) + "</span> " + esc(dayLabel(state.day)) + "</div>" +
      '<div class="small">' + esc(T.active) + ": <strong>" + number(u[4]) + "</strong> · " + esc(T.new7) + ": <strong>" +
      number(u[5]) + "</strong></div>";
    if (cv) {
      html += '<div class="small map-card-coverage">' + esc(T.dose1) + ": <strong>" + percent(cv[0]) +
        "</strong> · " + esc(T.full) + ": <strong>" + percent(cv[1]) + "</strong></div>";
    }
    if (set.payload.rt) {
      var e = estimateOf(set, kind, i);
      html += '<div class="small map-card-rt">' + esc(rtPaint(e).text) + " · " + esc(growthPaint(e).text) +
        (set.payload.rt.day ? " (" + esc(isoLabel(set.payload.rt.day)) + ")" : "") + "</div>";
    }
    html += '<a class="btn btn-sm btn-primary me-1" href="' + cfg.urls.dashboard + "?unit=" + encodeURIComponent(u[0]) + '">' + esc(T.dashboard) + "</a>" +
      '<a class="btn btn-sm btn-outline-secondary me-1" href="' + cfg.urls.map + "?unit=" + encodeURIComponent(u[0]) + '">' + esc(T.mapOf) + "</a>" +
      '<a class="btn btn-sm btn-outline-secondary me-1" href="' + cfg.urls.risk + encodeURIComponent(u[0]) + '/">' + esc(T.riskPage) + "</a>";
    if (set.payload.tier === "province") {
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

  // -- drawing ----------------------------------------------------------------------------------
  function radiusScale(payload) {
    var max = 1;
    payload.u.forEach(function (u) { if (u[4] > max) { max = u[4]; } });
    return (payload.u.length > VALUED ? 16 : 22) / Math.sqrt(max);
  }

  function makeLabel(set, kind, i, latlng, radius) {
    var el = L.DomUtil.create("div", "map-label" + (kind === "d" ? " map-label-area" : ""), labelPane);
    el.hidden = true;
    el.setAttribute("data-code", (kind === "d" ? set.payload.d : set.payload.u)[i][0]);
    var label = { set: set, kind: kind, i: i, el: el, latlng: latlng, radius: radius, text: "", w: 0, h: 0 };
    set.labels.push(label);
    return label;
  }

  function makeSet(payload) {
    var set = { payload: payload, group: L.featureGroup(), areas: L.featureGroup(), circles: [], shapes: {},
                areaShapes: {}, labels: [], k: radiusScale(payload), valued: payload.u.length <= VALUED };
    payload.u.forEach(function (u, i) {
      if (u[2] === null || u[3] === null) { set.circles.push(null); return; }
      var radius = 4 + Math.sqrt(u[4]) * set.k;
      var circle = L.circleMarker([u[2], u[3]], { radius: radius, weight: 1, color: "#343a40",
                                                  fillOpacity: 0.9, className: "map-unit map-u-" + u[0] });
      circle.on("click", function () { showCard(set, "u", i); });
      circle.bindTooltip("", { direction: "top" });
      circle.label = makeLabel(set, "u", i, circle.getLatLng(), radius);
      set.circles.push(circle);
      set.group.addLayer(circle);
    });
    return set;
  }

  function show(set) {
    if (!map.hasLayer(set.areas)) { set.areas.addTo(map); }
    if (!map.hasLayer(set.group)) { set.group.addTo(map); }
    set.areas.bringToBack();
    set.shown = true;
  }
  function hide(set) {
    if (map.hasLayer(set.areas)) { map.removeLayer(set.areas); }
    if (map.hasLayer(set.group)) { map.removeLayer(set.group); }
    set.shown = false;
    set.labels.forEach(function (label) { label.el.hidden = true; });
  }

  function style(set) {
    set.payload.u.forEach(function (u, i) {
      var paint = paintOf(set, "u", i), circle = set.circles[i], shape = set.shapes[u[0]];
      var tip = u[1] + " — " + paint.text + " — " + T.active + ": " + number(u[4]);
      if (shape) {  // a unit's own outline (provinces on the national map): the circle shows cases only
        shape.setStyle({ fillColor: paint.colour, fillOpacity: paint.other ? 0.35 : 0.7, dashArray: paint.other ? "3" : null });
        shape.setTooltipContent(esc(tip));
        if (circle) { circle.setStyle({ fillColor: "#1d2939", fillOpacity: 0.55, color: "#fff" }); }
      } else if (circle) {
        circle.setStyle({ fillColor: paint.colour, dashArray: paint.other ? "3" : null });
      }
      if (circle) {
        circle.setTooltipContent(esc(tip));
        circle.label.severity = SEVERITY[paint.colour] || 0;
        circle.label.text = shortName(u[1]) + (set.valued && paint.short ? " · " + paint.short : "");
      }
    });
    (set.payload.d || []).forEach(function (d, i) {
      var shape = set.areaShapes[d[0]];
      if (!shape) { return; }
      var paint = paintOf(set, "d", i);
      shape.setStyle({ fillColor: paint.colour, fillOpacity: paint.neutral ? 0.6 : (paint.other ? 0.15 : 0.3),
                       dashArray: paint.other ? "4" : null });
      shape.setTooltipContent(esc(d[1] + (paint.text ? " — " + paint.text : "") + " — " + T.active + ": " + number(d[4])));
      if (shape.label) { shape.label.text = shortName(d[1]); }
    });
  }

  // The centroid of an outline's largest part (Leaflet's getCenter needs the layer on the map).
  function areaCentre(shape) {
    var latlngs = shape.getLatLngs();
    var rings = L.LineUtil.isFlat(latlngs) ? [latlngs] :
      (L.LineUtil.isFlat(latlngs[0]) ? [latlngs[0]] : latlngs.map(function (part) { return part[0]; }));
    var best = null, bestArea = -1;
    rings.forEach(function (ring) {
      var b = L.latLngBounds(ring), area = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
      if (area > bestArea) { best = ring; bestArea = area; }
    });
    return L.PolyUtil.polygonCenter(best, map.options.crs);
  }

  function addShapes(set, code) {
    fetch(cfg.urls.shapes + "?unit=" + encodeURIComponent(code), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { s: {} }; })
      .then(function (data) {
        var polygon = function (packed, className) {
          return L.polygon(packed.map(function (p) { return p.map(unpack); }),
                           { weight: 1, color: "#495057", fillOpacity: 0.7, className: className });
        };
        set.payload.u.forEach(function (u, i) {
          if (!data.s[u[0]]) { return; }
          var shape = polygon(data.s[u[0]], "map-shape map-s-" + u[0]);
          shape.on("click", function () { showCard(set, "u", i); });
          shape.bindTooltip("", { sticky: true });
          set.shapes[u[0]] = shape;
          set.group.addLayer(shape);
          shape.bringToBack();
        });
        var areas = set.payload.d || [];
        areas.forEach(function (d, i) {
          if (!data.s[d[0]]) { return; }
          var shape = polygon(data.s[d[0]], "map-area map-a-" + d[0]);
          shape.setStyle({ weight: 1.5, color: "#343a40" });
          shape.on("click", function () { showCard(set, "d", i); });
          shape.bindTooltip("", { sticky: true });
          if (areas.length > 1) { shape.label = makeLabel(set, "d", i, areaCentre(shape), 0); }
          set.areaShapes[d[0]] = shape;
          set.areas.addLayer(shape);
        });
        if (map.hasLayer(set.areas)) { set.areas.bringToBack(); }  // outlines under the circles
        (data.src || []).forEach(function (source) { map.attributionControl.addAttribution(esc(source)); });
        if (set === main && !moved && Object.keys(set.areaShapes).length) { fit(); }
        style(set);
        layout();
      })
      .catch(function (error) { window.console.warn("map outlines:", error); /* circles stay */ });
  }

  // -- labels: greedy placement, biggest and worst first, none overlapping ------------------------
  var GAP = 2;
  function overlaps(a, list) {
    for (var i = 0; i < list.length; i += 1) {
      var b = list[i];
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] && a[4] !== b[4]) { return true; }
    }
    return false;
  }
  function layout() {
    var size = map.getSize(), origin = map.containerPointToLayerPoint([0, 0]);
    var boxes = [], controls = [], candidates = [];
    var frame = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {  // zoom, legend, hint
      var r = control.getBoundingClientRect();
      if (r.width) { controls.push([r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top, control]); }
    });
    boxes = boxes.concat(controls);
    sets.forEach(function (set) {
      if (!set.shown) { return; }
      set.circles.forEach(function (circle) {
        if (!circle || !set.group.hasLayer(circle)) { return; }
        var p = map.latLngToContainerPoint(circle.getLatLng()), r = circle.getRadius();
        boxes.push([p.x - r, p.y - r, p.x + r, p.y + r, circle.label]);  // circles are obstacles to others' labels
      });
      set.labels.forEach(function (label) {
        label.el.hidden = true;
        if (!label.text || (label.kind === "u" && !set.group.hasLayer(set.circles[label.i]))) { return; }
        candidates.push(label);
      });
    });
    candidates.sort(function (a, b) {  // areas first (few, they name the outlines), then worse, then bigger
      if ((a.kind === "d") !== (b.kind === "d")) { return a.kind === "d" ? -1 : 1; }
      if ((b.severity || 0) !== (a.severity || 0)) { return (b.severity || 0) - (a.severity || 0); }
      var ua = a.set.payload[a.kind][a.i], ub = b.set.payload[b.kind][b.i];
      return ub[4] - ua[4] || ub[5] - ua[5];
    });
    var placed = [];
    candidates.forEach(function (label) {
      var p = map.latLngToContainerPoint(label.latlng);
      if (p.x < -50 || p.y < -50 || p.x > size.x + 50 || p.y > size.y + 50) { return; }
      if (label.el.textContent !== label.text) { label.el.textContent = label.text; label.w = 0; }
      if (!label.w) {  // measured once per text
        label.el.hidden = false;
        label.w = label.el.offsetWidth; label.h = label.el.offsetHeight;
        label.el.hidden = true;
      }
      var w = label.w, h = label.h, r = label.radius;
      var spots = label.kind === "d" ?
        [[p.x - w / 2, p.y - h / 2], [p.x - w / 2, p.y - h * 1.6], [p.x - w / 2, p.y + h * 0.6]] :
        [[p.x + r + GAP, p.y - h / 2], [p.x - r - GAP - w, p.y - h / 2],
         [p.x - w / 2, p.y - r - GAP - h], [p.x - w / 2, p.y + r + GAP]];
      // an area's name avoids circles where it can, else is written over them (never over a name or a control)
      var passes = label.kind === "d" ? [boxes, controls] : [boxes];
      for (var pass = 0; pass < passes.length; pass += 1) {
        for (var s = 0; s < spots.length; s += 1) {
          var box = [spots[s][0], spots[s][1], spots[s][0] + w, spots[s][1] + h, label];
          if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) { continue; }
          if (overlaps(box, placed) || overlaps(box, passes[pass])) { continue; }
          placed.push(box);
          L.DomUtil.setPosition(label.el, L.point(Math.round(box[0] + origin.x), Math.round(box[1] + origin.y)));
          label.el.hidden = false;
          return;
        }
      }
    });
  }

  function redraw() {
    document.getElementById("map-slider-day").textContent = dayLabel(state.day);
    sets.forEach(style);
    layout();
    showLegend();
  }

  // -- the legend: the chosen layer's scale, in a box that folds away on a phone ------------------
  var legendBox = document.getElementById("map-legend");
  function showLegend() {
    if (!legendBox) { return; }
    var layer = state.layer === "dose1" || state.layer === "full" ? "coverage" : (state.layer || "level");
    legendBox.querySelectorAll("[data-layer]").forEach(function (part) {
      part.hidden = part.getAttribute("data-layer") !== layer;
    });
    legendBox.querySelectorAll("[data-rt-day]").forEach(function (span) {
      span.textContent = base.rt && base.rt.day ? isoLabel(base.rt.day) : T.noEstimate;
    });
  }
  if (legendBox) {
    var legendControl = L.control({ position: "bottomleft" });
    legendControl.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar map-legend-control");
      div.appendChild(legendBox);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legendControl.addTo(map);
    legendBox.open = map.getSize().x >= 576;  // on a phone the legend starts folded
    legendBox.addEventListener("toggle", function () { layout(); });  // names under the legend give way
  }

  // -- the base payload ------------------------------------------------------------------------
  var main = makeSet(base);
  sets.push(main);
  show(main);
  var fitting = false;
  function fit() {
    fitting = true;
    try { fitTo(); } finally { fitting = false; }
  }
  function fitTo() {
    var bounds = main.group.getBounds();
    if (main.areas.getLayers().length) { bounds = main.areas.getBounds().extend(bounds); }
    if (!bounds.isValid()) { map.setView([16.0, 106.5], 5); return; }  // Vietnam
    if (base.u.length === 1 && !main.areas.getLayers().length) { map.setView(bounds.getCenter(), 11); return; }
    // room on the left for the legend when it is open beside the map (a wide screen)
    var legendWidth = legendBox && legendBox.open && map.getSize().x >= 900 ? legendBox.parentNode.offsetWidth + 12 : 16;
    map.fitBounds(bounds, { paddingTopLeft: [legendWidth, 16], paddingBottomRight: [16, 16] });
  }
  fit();
  if (base.shapes) { addShapes(main, base.unit); }
  redraw();
  map.on("dragstart", function () { moved = true; });
  map.on("zoomstart", function () { if (!fitting) { moved = true; } });
  map.on("moveend", layout);

  // -- national map: a province's districts and communes replace it when zoomed in -----------------
  if (cfg.nation) {
    var hint = L.control({ position: "topright" }), hintDiv = null;
    hint.onAdd = function () {
      hintDiv = L.DomUtil.create("div", "map-hint");
      hintDiv.textContent = T.zoomHint;
      return hintDiv;
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
      if (hintDiv) { hintDiv.hidden = zoomedIn; }
      base.u.forEach(function (u, i) {
        var circle = main.circles[i], shape = main.shapes[u[0]];
        var inView = u[2] !== null && view.contains([u[2], u[3]]);
        var set = loaded[u[0]];
        var showCommunes = zoomedIn && inView && set && set !== "loading";
        if (zoomedIn && inView && !set && started < 6) { started += 1; loadProvince(i); }
        if (set && set !== "loading") {
          if (showCommunes && !set.shown) { show(set); }
          if (!showCommunes && set.shown) { hide(set); }
        }
        [circle, shape].forEach(function (layer) {
          if (!layer) { return; }
          if (showCommunes && main.group.hasLayer(layer)) { main.group.removeLayer(layer); }
          if (!showCommunes && !main.group.hasLayer(layer)) { main.group.addLayer(layer); if (layer === shape) { shape.bringToBack(); } }
        });
      });
      layout();
    };
    map.on("zoomend moveend", onZoom);
  }

  // -- controls ---------------------------------------------------------------------------------
  var layer = document.getElementById("map-layer");
  var controls = document.getElementById("map-controls");
  controls.hidden = false;
  if (layer) {
    layer.addEventListener("change", function () {
      state.layer = layer.value;
      var framework = document.getElementById("map-framework-box");
      if (framework) { framework.hidden = Boolean(state.layer); }
      redraw();
    });
  }
  var slider = document.getElementById("map-slider");
  var play = document.getElementById("map-play");
  var framework = document.getElementById("map-framework");
  if (!base.lv.length && !(base.dlv || []).length) {  // nothing assessed or no unit to draw: no replay
    document.getElementById("map-replay").hidden = true;
    return;
  }
  slider.addEventListener("input", function () { state.day = Number(slider.value); redraw(); });
  framework.addEventListener("change", function () { state.framework = framework.value; redraw(); });
  function stop() {
    window.clearInterval(state.timer);
    state.timer = null;
    play.textContent = T.play;
  }
  play.addEventListener("click", function () {
    if (state.timer) { stop(); return; }
    var last = Math.max(base.lv.length, (base.dlv || []).length) - 1;
    if (state.day >= last) { state.day = 0; }
    play.textContent = T.pause;
    state.timer = window.setInterval(function () {
      slider.value = String(state.day);
      redraw();
      if (state.day >= last) { stop(); return; }
      state.day += 1;
    }, 350);
  });
})();
