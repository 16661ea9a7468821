/*
 * frontier-map page script.
 *
 * Builds every layer, popup, legend and control from the JSON payload that
 * make_map.py embeds in <script type="application/json">. Data reaches the DOM
 * only through textContent and setAttribute; the two Leaflet APIs that take HTML
 * strings (layer-control names, attribution) get text escaped by escapeHtml.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var LANGUAGES = { ps: "Pashto", fa: "Dari", prs: "Dari", ur: "Urdu", en: "English" };
  var RTL = { ps: true, fa: true, prs: true, ur: true, ar: true };
  var DECLUTTER_PX = 18;

  // ---------------------------------------------------------------- helpers

  /** Create an element; string children become text nodes, never markup. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] !== null && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  /** Escape text for the few Leaflet APIs that only accept HTML strings. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"'`]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  /** '1893', 'December 2014', '25 December 2024' from a partial ISO date. */
  function dateLabel(iso) {
    if (!iso) return "";
    var parts = String(iso).split("-");
    if (parts.length === 1) return parts[0];
    var month = MONTHS[parseInt(parts[1], 10) - 1];
    if (parts.length === 2) return month + " " + parts[0];
    return parseInt(parts[2], 10) + " " + month + " " + parts[0];
  }

  function spanLabel(start, end) {
    return end && end !== start ? dateLabel(start) + " – " + dateLabel(end) : dateLabel(start);
  }

  /** A column sent either as a plain array or as {dict, codes}. */
  function column(encoded) {
    if (Array.isArray(encoded)) return function (i) { return encoded[i]; };
    return function (i) { return encoded.dict[encoded.codes[i]]; };
  }

  // ------------------------------------------------------------ event store

  /** Columnar events with typed arrays for the fields filters run over. */
  function Store(events, categories) {
    var n = events.n;
    this.n = n;
    this.categories = categories;
    this.lon = Float64Array.from(events.lon);
    this.lat = Float64Array.from(events.lat);
    this.start = Int32Array.from(events.start);
    this.end = Int32Array.from(events.end);
    this.cat = Uint8Array.from(events.cat);
    this.radius = events.radius;
    this.figures = events.figures;
    this.claims = events.claims;
    this.notes = events.notes;
    var text = ["id", "title", "summary", "date", "datePrecision", "endDate", "country", "place",
      "precision", "area", "areaRef", "layers", "source", "dataset"];
    var self = this;
    text.forEach(function (key) { self[key] = column(events[key]); });
    this.orig = events.orig.map(function (o) { return { label: o.label, get: column(o.values) }; });
    this.index = {};
    for (var i = 0; i < n; i++) this.index[this.id(i)] = i;
  }

  Store.prototype.precisionLabel = function (i) {
    var kind = this.precision(i);
    if (kind === "radius") return "within " + this.radius[i] + " km";
    if (kind === "area") return "somewhere in " + this.area(i);
    return "exact";
  };

  // ----------------------------------------------------------------- popups

  function section(title, items) {
    if (!items.length) return null;
    return el("div", { "class": "fm-section" }, [el("h4", null, [title]), el("ul", null, items)]);
  }

  function eventPopup(store, i) {
    var category = store.categories[store.cat[i]];
    var figures = (store.figures[i] || []).map(function (f) {
      var value = (f.qualifier ? f.qualifier + " " : "") + Number(f.value).toLocaleString("en") + " " +
        String(f.kind).replace(/_/g, " ");
      return el("li", null, [el("strong", null, [value]), " — reported by " + f.reported_by,
        f.note ? " (" + f.note + ")" : ""]);
    });
    var claims = (store.claims[i] || []).map(function (c) {
      return el("li", null, [el("strong", null, [c.by + ": "]), c.claim]);
    });
    var notes = (store.notes[i] || []).map(function (n) { return el("li", null, [n]); });
    var orig = store.orig.filter(function (o) { return o.get(i); }).map(function (o) {
      return el("li", null, [el("strong", null, [o.label + ": "]), o.get(i)]);
    });
    return el("div", { "class": "fm-popup", "data-event-id": store.id(i) }, [
      el("h3", null, [store.title(i)]),
      el("p", { "class": "fm-meta" }, [
        el("time", { datetime: store.date(i), "class": "fm-date" }, [spanLabel(store.date(i), store.endDate(i))]),
        " · ",
        el("span", { "class": "fm-swatch", style: "background:" + category.color }, []),
        " " + category.label
      ]),
      el("p", { "class": "fm-place" }, [
        el("strong", null, ["Place: "]), store.place(i) + " (" + store.precisionLabel(i) + ")"
      ]),
      el("p", { "class": "fm-summary" }, [store.summary(i)]),
      section("Numbers", figures),
      section("Competing claims", claims),
      section("Notes", notes),
      section("Original codes", orig),
      el("p", { "class": "fm-source" }, [el("strong", null, ["Source: "]), store.source(i)])
    ]);
  }

  function placePopup(feature, layerTitle) {
    var p = feature.properties;
    var names = Object.keys(p.names || {}).map(function (lang) {
      return el("li", null, [(LANGUAGES[lang] || lang) + ": ",
        el("span", { lang: lang, dir: RTL[lang] ? "rtl" : null }, [p.names[lang]])]);
    });
    var extra = Object.keys(p.extra || {}).map(function (key) {
      var value = p.extra[key];
      if (Array.isArray(value)) value = value.join(", ");
      else if (value !== null && typeof value === "object") value = JSON.stringify(value);
      return el("li", null, [el("strong", null, [key.replace(/_/g, " ") + ": "]), String(value)]);
    });
    return el("div", { "class": "fm-popup", "data-feature-id": feature.id }, [
      el("h3", null, [p.name]),
      el("p", { "class": "fm-meta" }, ["Layer: " + layerTitle]),
      el("p", { "class": "fm-place" }, [el("strong", null, ["Location: "]), p.precision.label]),
      el("p", { "class": "fm-summary" }, [p.description]),
      section("Local names", names),
      section("Details", extra),
      el("p", { "class": "fm-source" }, [el("strong", null, ["Source: "]), p.source])
    ]);
  }

  // ---------------------------------------------------------------- markers

  function markerIcon(color, kind, shape, className) {
    var dot = el("span", { "class": "fm-dot fm-" + shape + " fm-prec-" + kind }, []);
    dot.style.setProperty("--fm-color", color);
    return L.divIcon({ className: "fm-marker " + className, html: dot, iconSize: [18, 18],
      iconAnchor: [9, 9], popupAnchor: [0, -8] });
  }

  /** A keyboard-reachable marker whose accessible name is ``label``. */
  function accessibleMarker(latlng, label, icon, attrs) {
    var marker = L.marker(latlng, { icon: icon, title: label, alt: label, keyboard: true,
      riseOnHover: false });
    marker.on("add", function () {
      var node = marker.getElement();
      node.setAttribute("aria-label", label);
      Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
      node.setAttribute("aria-haspopup", "dialog");
      L.DomEvent.on(node, "keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") {
          L.DomEvent.preventDefault(ev);
          marker.openPopup();
        }
      });
    });
    return marker;
  }

  /**
   * Fans out markers that would overlap on screen, so each stays visible and
   * clickable; a thin leader line ties a moved marker to its true position.
   */
  function Declutter(map) {
    this.map = map;
    this.markers = [];
    this.leaders = L.layerGroup().addTo(map);
    map.on("zoomend viewreset overlayadd overlayremove", this.update, this);
  }

  Declutter.prototype.add = function (marker) { this.markers.push(marker); };

  Declutter.prototype.update = function () {
    var map = this.map;
    this.leaders.clearLayers();
    var shown = this.markers.filter(function (m) { return map.hasLayer(m) && m.getElement(); });
    var groups = [];
    var seen = [];
    shown.forEach(function (m) {
      var p = map.latLngToLayerPoint(m.getLatLng());
      var group = null;
      for (var g = 0; g < groups.length && !group; g++) {
        if (groups[g].center.distanceTo(p) < DECLUTTER_PX) group = groups[g];
      }
      if (!group) { group = { center: p, members: [] }; groups.push(group); }
      group.members.push({ marker: m, point: p });
      seen.push(m);
    });
    var leaders = this.leaders;
    groups.forEach(function (group) {
      var k = group.members.length;
      var ring = Math.max(DECLUTTER_PX, (k * (DECLUTTER_PX + 2)) / (2 * Math.PI));
      group.members.forEach(function (member, j) {
        var dx = 0, dy = 0;
        if (k > 1) {
          var angle = (2 * Math.PI * j) / k - Math.PI / 2;
          dx = group.center.x + ring * Math.cos(angle) - member.point.x;
          dy = group.center.y + ring * Math.sin(angle) - member.point.y;
          var to = map.layerPointToLatLng(member.point.add([dx, dy]));
          leaders.addLayer(L.polyline([member.marker.getLatLng(), to],
            { color: "#555", weight: 1, interactive: false }));
        }
        var node = member.marker.getElement();
        node.style.marginLeft = (dx - 9) + "px";
        node.style.marginTop = (dy - 9) + "px";
      });
    });
  };

  // ----------------------------------------------------------------- layers

  function App(map, payload) {
    this.map = map;
    this.payload = payload;
    this.store = new Store(payload.events, payload.categories);
    this.features = {};
    this.declutter = new Declutter(map);
    this.highlight = L.layerGroup().addTo(map);
    this.eventMarkers = new Array(this.store.n);
  }

  App.prototype.indexFeatures = function (layers) {
    var features = this.features;
    layers.forEach(function (layer) {
      layer.data.features.forEach(function (f) { features[f.id] = f; });
    });
  };

  App.prototype.basemapLayer = function () {
    var group = L.layerGroup();
    this.payload.basemap.forEach(function (layer) {
      var style = layer.style;
      group.addLayer(L.geoJSON(layer.data, {
        interactive: false,
        style: function () { return style; },
        pointToLayer: function (feature, latlng) {
          var dot = L.circleMarker(latlng, L.extend({ interactive: false }, style));
          dot.bindTooltip(el("span", null, [feature.properties.name]), {
            permanent: true, direction: "right", offset: [4, 0], className: "fm-city-label"
          });
          return dot;
        }
      }));
    });
    return group;
  };

  App.prototype.overlayLayer = function (layer) {
    var app = this;
    var group = L.featureGroup();
    var uncertainty = this.payload.uncertaintyStyle;
    var className = "fm-layer-" + layer.id;
    L.geoJSON(layer.data, {
      className: className,
      style: function () { return layer.style; },
      pointToLayer: function (feature, latlng) {
        var marker = accessibleMarker(latlng, feature.properties.name,
          markerIcon(layer.style.color, feature.properties.precision.kind, "place", className),
          { "data-feature-id": feature.id });
        app.declutter.add(marker);
        return marker;
      },
      onEachFeature: function (feature, leafletLayer) {
        leafletLayer.bindPopup(function () { return placePopup(feature, layer.title); },
          { maxWidth: 340 });
        var precision = feature.properties.precision;
        if (precision.kind === "radius" && feature.geometry.type === "Point") {
          var c = feature.geometry.coordinates;
          group.addLayer(L.circle([c[1], c[0]], L.extend({ radius: precision.radius_km * 1000,
            interactive: false, className: className + " fm-uncertainty" }, uncertainty)));
        }
        if (feature.id === "durand-line") {
          leafletLayer.bindTooltip(el("span", null, ["Durand Line — disputed border"]),
            { permanent: true, direction: "center", className: "fm-line-label" });
        }
        group.addLayer(leafletLayer);
      }
    });
    return group;
  };

  App.prototype.eventLayer = function (catIndex) {
    var app = this, store = this.store;
    var group = L.featureGroup();
    var category = store.categories[catIndex];
    var uncertainty = this.payload.uncertaintyStyle;
    for (var i = 0; i < store.n; i++) {
      if (store.cat[i] !== catIndex) continue;
      (function (i) {
        var latlng = [store.lat[i], store.lon[i]];
        var title = store.title(i);
        var marker = accessibleMarker(latlng, title,
          markerIcon(category.color, store.precision(i), "event", "fm-cat-" + category.id),
          { "data-event-id": store.id(i) });
        marker.bindPopup(function () { return eventPopup(store, i); }, { maxWidth: 360, maxHeight: 420 });
        marker.on("popupopen", function () { app.showArea(i); });
        marker.on("popupclose", function () { app.highlight.clearLayers(); });
        app.declutter.add(marker);
        app.eventMarkers[i] = marker;
        group.addLayer(marker);
        if (store.precision(i) === "radius" && store.radius[i]) {
          group.addLayer(L.circle(latlng, L.extend({ radius: store.radius[i] * 1000,
            interactive: false, className: "fm-cat-" + category.id + " fm-uncertainty" },
          uncertainty, { color: category.color })));
        }
      })(i);
    }
    return group;
  };

  /** Draw the area an area-precision event stands for while its popup is open. */
  App.prototype.showArea = function (i) {
    this.highlight.clearLayers();
    var ref = this.store.areaRef(i);
    var feature = ref && this.features[ref];
    if (feature && feature.geometry.type !== "Point") {
      this.highlight.addLayer(L.geoJSON(feature, { interactive: false, className: "fm-area-highlight",
        style: this.payload.uncertaintyStyle }));
    }
  };

  /** Open an event's popup by id; returns false when the id is unknown. */
  App.prototype.openEvent = function (id) {
    var i = this.store.index[id];
    var marker = i === undefined ? null : this.eventMarkers[i];
    if (!marker) return false;
    marker.openPopup();
    return true;
  };

  // --------------------------------------------------------------- controls

  function control(position, className, build) {
    var Ctl = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var node = el("div", { "class": "leaflet-control " + className }, [build()]);
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      }
    });
    return new Ctl();
  }

  function swatchName(color, label, extraClass) {
    return '<span class="fm-swatch ' + (extraClass || "") + '" style="background:' + escapeHtml(color) +
      '"></span> ' + escapeHtml(label);
  }

  App.prototype.legend = function () {
    var payload = this.payload;
    var rows = payload.categories.filter(function (c) { return c.count > 0; }).map(function (c) {
      var dot = el("span", { "class": "fm-dot fm-event fm-prec-exact" }, []);
      dot.style.setProperty("--fm-color", c.color);
      return el("li", { title: c.description }, [dot, " " + c.label + " (" + c.count + ")"]);
    });
    function precisionRow(kind, text) {
      var dot = el("span", { "class": "fm-dot fm-event fm-prec-" + kind }, []);
      dot.style.setProperty("--fm-color", "#555");
      return el("li", null, [dot, " " + text]);
    }
    function lineRow(cls, text) {
      return el("li", null, [el("span", { "class": "fm-line " + cls }, []), " " + text]);
    }
    return el("details", { open: "" }, [
      el("summary", null, ["Legend"]),
      el("h4", null, ["Events by category"]), el("ul", null, rows),
      el("h4", null, ["Location precision"]),
      el("ul", null, [
        precisionRow("exact", "exact place"),
        precisionRow("radius", "within a radius (dashed circle)"),
        precisionRow("area", "stands for an area (drawn when opened)"),
        el("li", null, [el("span", { "class": "fm-leader" }, []),
          " line to the true spot of a marker moved apart from its neighbours"])
      ]),
      el("h4", null, ["Places and lines"]),
      el("ul", null, [
        lineRow("fm-line-durand", "Durand Line (disputed border)"),
        lineRow("fm-line-river", "Kabul River and other rivers"),
        lineRow("fm-line-border", "other international borders"),
        lineRow("fm-line-province", "province borders"),
        (function () {
          var dot = el("span", { "class": "fm-dot fm-place fm-prec-exact" }, []);
          dot.style.setProperty("--fm-color", "#1f4e79");
          return el("li", null, [dot, " place of a layer (Torkham, Peshawar, …)"]);
        })()
      ])
    ]);
  };

  App.prototype.start = function () {
    var app = this, map = this.map, payload = this.payload;
    this.indexFeatures(payload.basemap.concat(payload.overlays));

    var base = this.basemapLayer().addTo(map);
    var baseLayers = {};
    baseLayers[escapeHtml("Vector basemap (offline)")] = base;
    payload.tileLayers.forEach(function (t) {
      var tiles = L.tileLayer(t.url, { attribution: escapeHtml(t.attribution), maxZoom: t.maxZoom,
        errorTileUrl: "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" });
      tiles.on("tileerror", function () { app.notice("Online tiles could not load; the vector basemap stays drawn."); });
      baseLayers[escapeHtml(t.name)] = L.layerGroup([base, tiles]);
    });

    var overlays = {};
    this.overlayLayers = {};
    payload.overlays.forEach(function (layer) {
      var group = app.overlayLayer(layer).addTo(map);
      app.overlayLayers[layer.id] = group;
      overlays[swatchName(layer.style.color, layer.title, "fm-swatch-layer")] = group;
    });
    this.categoryLayers = {};
    payload.categories.forEach(function (c, index) {
      if (!c.count) return;
      var group = app.eventLayer(index).addTo(map);
      app.categoryLayers[c.id] = group;
      overlays[swatchName(c.color, "Events: " + c.label + " (" + c.count + ")")] = group;
    });
    this.layerControl = L.control.layers(baseLayers, overlays, {
      collapsed: window.innerWidth < 700, position: "topright"
    }).addTo(map);

    control("topleft", "fm-title", function () {
      return el("h1", null, [payload.title]);
    }).addTo(map);
    control("bottomright", "fm-legend", function () { return app.legend(); }).addTo(map);

    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
    payload.attributions.forEach(function (text) {
      map.attributionControl.addAttribution(escapeHtml(text));
    });

    var b = payload.bounds;
    map.fitBounds([[b[0][0], b[0][1]], [b[1][0], b[1][1]]], { padding: [20, 20] });
    this.declutter.update();
    L.DomEvent.on(document, "keydown", function (ev) {
      if (ev.key === "Escape") map.closePopup();
    });
    document.documentElement.setAttribute("data-frontier-ready", "true");
  };

  App.prototype.notice = function (text) {
    if (this.noticeShown) return;
    this.noticeShown = true;
    var node = el("div", { "class": "fm-notice", role: "status" }, [text]);
    this.map.getContainer().appendChild(node);
  };

  window.FrontierMap = {
    start: function (map, dataElementId) {
      var payload = JSON.parse(document.getElementById(dataElementId).textContent);
      var app = new App(map, payload);
      app.start();
      window.FrontierMap.app = app;
      return app;
    },
    dateLabel: dateLabel,
    escapeHtml: escapeHtml
  };
})();
