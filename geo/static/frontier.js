/*
 * frontier-map page script.
 *
 * Builds every layer, popup, legend and control from the JSON payload that
 * make_map.py embeds in <script type="application/json"> (large event sets beside it,
 * decoded by store.js). Data reaches the DOM
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
  // Above this many markers on the map, overlapping markers are no longer fanned out.
  var DECLUTTER_MAX = 400;
  // Above this many visible imported events, those are drawn on one canvas, not as markers.
  var DOM_LIMIT = 500;
  // Below this zoom, city and line labels are hidden.
  var LABEL_MIN_ZOOM = 5;

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

  /** The window rule for a date range [start, end] and a window [lo, hi], in days. */
  function inWindow(start, end, lo, hi) {
    var overlap = Math.min(end, hi) - Math.max(start, lo) + 1;
    if (overlap <= 0) return false;
    if (lo >= start && hi <= end) return true;
    return overlap * 2 >= end - start + 1;
  }

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
      return el("li", null, [el("strong", null, [value]), " — reported by: " + f.reported_by,
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
      store.compact && /…$/.test(store.summary(i)) ?
        el("p", { "class": "fm-compact-note" }, ["Summary shortened in this very large map; see the source."]) : null,
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
    // status_history is drawn by status.js (through the "placepopup" event).
    var keys = Object.keys(p.extra || {}).filter(function (key) { return key !== "status_history"; });
    var extra = keys.map(function (key) {
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
    if (shown.length > DECLUTTER_MAX) {
      // Too many to fan out cheaply on every zoom: markers keep their true places.
      shown.forEach(function (m) { m.getElement().style.marginLeft = m.getElement().style.marginTop = "-9px"; });
      return;
    }
    var groups = [];
    var grid = {};  // "cx,cy" -> groups whose centre lies in that cell
    shown.forEach(function (m) {
      var p = map.latLngToLayerPoint(m.getLatLng());
      var cx = Math.floor(p.x / DECLUTTER_PX), cy = Math.floor(p.y / DECLUTTER_PX);
      var group = null;
      for (var dx = -1; dx <= 1 && !group; dx++) {
        for (var dy = -1; dy <= 1 && !group; dy++) {
          (grid[(cx + dx) + "," + (cy + dy)] || []).some(function (g) {
            if (g.center.distanceTo(p) < DECLUTTER_PX) group = g;
            return !!group;
          });
        }
      }
      if (!group) {
        group = { center: p, members: [] };
        groups.push(group);
        (grid[cx + "," + cy] = grid[cx + "," + cy] || []).push(group);
      }
      group.members.push({ marker: m, point: p });
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

  /**
   * The page application. Other scripts extend it through FrontierMap.app:
   * read the filter state (window, categoryOn, visible, visibleIndices), change it
   * (setWindow, setCategory, openEvent) and listen with app.on("change" |
   * "eventopen" | "eventclose", fn).
   */
  var App = L.Evented.extend({
    initialize: function (map, payload) {
      this.map = map;
      this.payload = payload;
      this.store = new FrontierStore.Store(payload.events, payload.categories, payload.eventsBuffer);
      this.features = {};
      /** feature id -> the Leaflet layer of an overlay feature (popups opened by search, site status). */
      this.placeLayers = {};
      this.declutter = new Declutter(map);
      this.highlight = L.layerGroup().addTo(map);
      this.eventMarkers = new Array(this.store.n);
      this.parts = new Array(this.store.n);
      this.openIndex = null;
      var lo = Infinity, hi = -Infinity;
      for (var i = 0; i < this.store.n; i++) {
        lo = Math.min(lo, this.store.start[i]);
        hi = Math.max(hi, this.store.end[i]);
      }
      /** First and last day of all events; the window starts as the whole span. */
      this.span = this.store.n ? [lo, hi] : [0, 0];
      this.window = this.span.slice();
      /** 1 where a category layer is on, by category index. */
      this.catOn = new Uint8Array(payload.categories.length);
      /** 1 where an event is visible (category on and inside the window). */
      this.mask = new Uint8Array(this.store.n);
      this.visibleCount = 0;
      this.mode = "dom";
      /** 1 for events from our own GeoJSON files: always drawn as accessible markers. */
      this.curated = new Uint8Array(this.store.n);
      for (i = 0; i < this.store.n; i++) this.curated[i] = this.store.dataset(i) === "curated" ? 1 : 0;
      this.canvas = new FrontierCanvas.CanvasEvents(this);
    }
  });

  App.prototype.indexFeatures = function (layers) {
    var features = this.features;
    layers.forEach(function (layer) {
      layer.data.features.forEach(function (f) { features[f.id] = f; });
    });
  };

  /** The basemap, in its own pane under the overlay pane: layers added with folium stay visible. */
  App.prototype.basemapLayer = function () {
    var group = L.layerGroup(), pane = "fm-basemap";
    if (!this.map.getPane(pane)) this.map.createPane(pane).style.zIndex = 150;
    this.payload.basemap.forEach(function (layer) {
      var style = layer.style;
      group.addLayer(L.geoJSON(layer.data, {
        interactive: false,
        pane: pane,
        style: function () { return style; },
        pointToLayer: function (feature, latlng) {
          var dot = L.circleMarker(latlng, L.extend({ interactive: false, pane: pane }, style));
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
        leafletLayer.bindPopup(function () {
          var node = placePopup(feature, layer.title);
          app.fire("placepopup", { feature: feature, node: node });  // extensions add sections
          return node;
        }, { maxWidth: 340 });
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
        app.placeLayers[feature.id] = leafletLayer;
      }
    });
    return group;
  };

  /**
   * One category's events as a map layer. It draws only the events inside the
   * app's time window and redraws when the window changes; markers are made
   * once, on first use.
   */
  var EventLayer = L.Layer.extend({
    /** `members`: the rows of this category, in row order. */
    initialize: function (app, catIndex, members) {
      this.app = app;
      this.catIndex = catIndex;
      this.category = app.store.categories[catIndex];
      this.group = L.featureGroup();
      this.members = members;
    },
    onAdd: function (map) {
      this.group.addTo(map);
      this.app.catOn[this.catIndex] = 1;
      this.app.recompute();
    },
    onRemove: function () {
      this.group.remove();
      this.app.catOn[this.catIndex] = 0;
      this.app.recompute();
    },
    /** Show the visible members as markers; in canvas mode only the curated ones. */
    refresh: function () {
      var app = this.app, group = this.group, dom = app.mode === "dom";
      this.members.forEach(function (i) {
        var show = (dom || app.curated[i] === 1) && app.mask[i] === 1;
        if (!show && !app.parts[i]) return;
        app.eventParts(i).forEach(function (part) {
          if (show && !group.hasLayer(part)) group.addLayer(part);
          else if (!show && group.hasLayer(part)) group.removeLayer(part);
        });
      });
    }
  });

  /** The marker (and uncertainty circle) of event i, made on first use. */
  App.prototype.eventParts = function (i) {
    if (this.parts[i]) return this.parts[i];
    var app = this, store = this.store;
    var category = store.categories[store.cat[i]];
    var latlng = [store.lat[i], store.lon[i]];
    var marker = accessibleMarker(latlng, store.title(i),
      markerIcon(category.color, store.precision(i), "event", "fm-cat-" + category.id),
      { "data-event-id": store.id(i) });
    marker.bindPopup(function () { return eventPopup(store, i); }, { maxWidth: 360, maxHeight: 420 });
    marker.on("popupopen", function () { app.eventOpened(i); });
    marker.on("popupclose", function () { app.eventClosed(i); });
    this.declutter.add(marker);
    this.eventMarkers[i] = marker;
    var parts = [marker];
    if (store.precision(i) === "radius" && store.radius[i]) {
      parts.push(L.circle(latlng, L.extend({ radius: store.radius[i] * 1000, interactive: false,
        className: "fm-cat-" + category.id + " fm-uncertainty" },
      this.payload.uncertaintyStyle, { color: category.color })));
    }
    this.parts[i] = parts;
    return parts;
  };

  // ------------------------------------------------------------ filter state

  /**
   * True when event i belongs to the time window: most of its date range lies in
   * the window, or the window lies inside its date range. So "2024" does not show
   * in a December 2024 - March 2025 window, yet "December 2014" still shows when
   * the window is narrowed to one day of that month.
   */
  App.prototype.inWindow = function (i) {
    return inWindow(this.store.start[i], this.store.end[i], this.window[0], this.window[1]);
  };

  /** True when event i's category layer is on the map. */
  App.prototype.categoryOn = function (i) {
    return this.catOn[this.store.cat[i]] === 1;
  };

  /** True when event i is drawn: its category is on and it lies in the window. */
  App.prototype.visible = function (i) {
    return this.mask[i] === 1;
  };

  /** Indices of the events currently drawn, in the store's (date) order. */
  App.prototype.visibleIndices = function () {
    var out = [], mask = this.mask;
    for (var i = 0; i < this.store.n; i++) if (mask[i]) out.push(i);
    return out;
  };

  /**
   * Recompute which events are visible and redraw them: accessible markers while
   * at most DOM_LIMIT are visible, one aggregated canvas above that.
   */
  App.prototype.recompute = function () {
    if (this.starting) return;
    var store = this.store, mask = this.mask, catOn = this.catOn, curated = this.curated;
    var lo = this.window[0], hi = this.window[1], count = 0, bulk = 0;
    var windowCounts = new Int32Array(store.categories.length);
    for (var i = 0; i < store.n; i++) {
      var c = store.cat[i], inside = inWindow(store.start[i], store.end[i], lo, hi);
      if (inside) windowCounts[c]++;
      var on = inside && catOn[c] === 1;
      mask[i] = on ? 1 : 0;
      count += on ? 1 : 0;
      bulk += on && !curated[i] ? 1 : 0;
    }
    this.visibleCount = count;
    /** Events inside the time window per category index, whether shown or not. */
    this.windowCounts = windowCounts;
    this.mode = bulk > DOM_LIMIT ? "canvas" : "dom";
    var map = this.map;
    Object.keys(this.categoryLayers).forEach(function (id) {
      var layer = this.categoryLayers[id];
      if (map.hasLayer(layer)) layer.refresh();
    }, this);
    if (this.mode === "canvas") {
      if (!map.hasLayer(this.canvas)) map.addLayer(this.canvas);
      else this.canvas.redraw();
    } else if (map.hasLayer(this.canvas)) {
      map.removeLayer(this.canvas);
    }
    this.declutter.update();
  };

  /**
   * Set the time window in days since 1970-01-01 (inclusive); null for either
   * end means the events' own first or last day. Fires "change".
   */
  App.prototype.setWindow = function (from, to) {
    var lo = from === null || from === undefined ? this.span[0] : from;
    var hi = to === null || to === undefined ? this.span[1] : to;
    if (hi < lo) { var t = lo; lo = hi; hi = t; }
    this.window = [lo, hi];
    this.recompute();
    this.fire("change", { reason: "window" });
  };

  /** Turn a category's layer on or off (the layer control follows). Fires "change". */
  App.prototype.setCategory = function (id, on) {
    var layer = this.categoryLayers[id];
    if (!layer) return;
    if (on && !this.map.hasLayer(layer)) this.map.addLayer(layer);
    if (!on && this.map.hasLayer(layer)) this.map.removeLayer(layer);
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
    var i = this.store.rowOf(id);
    if (i === undefined) return false;
    this.openRow(i);
    return true;
  };

  /** Open the popup of the event in row i, showing its category and dates first. */
  App.prototype.openRow = function (i) {
    var category = this.store.categories[this.store.cat[i]].id;
    if (!this.categoryOn(i)) this.setCategory(category, true);
    if (!this.inWindow(i)) {
      this.setWindow(Math.min(this.window[0], this.store.start[i]), Math.max(this.window[1], this.store.end[i]));
    }
    var marker = this.eventMarkers[i];
    if (this.mode === "dom" && marker && this.map.hasLayer(marker)) marker.openPopup();
    else this.openPopupAt(i);
  };

  /** A popup listing up to 50 events that share one spot; each opens its own popup. */
  App.prototype.openListPopup = function (latlng, members) {
    var app = this, store = this.store;
    var items = members.slice(0, 50).map(function (i) {
      var button = el("button", { type: "button", "class": "fm-linklike" },
        [store.title(i) + " (" + spanLabel(store.date(i), store.endDate(i)) + ")"]);
      L.DomEvent.on(button, "click", function () { app.openPopupAt(i); });
      return el("li", null, [button]);
    });
    var more = members.length > 50 ? el("p", null, [(members.length - 50) + " more; narrow the time window to see them."]) : null;
    L.popup({ maxWidth: 360, maxHeight: 420 }).setLatLng(latlng)
      .setContent(el("div", { "class": "fm-popup" }, [el("h3", null, [members.length + " events here"]),
        el("ul", null, items), more]))
      .openOn(this.map);
  };

  /** Open event i's popup at its position without a marker (canvas mode). */
  App.prototype.openPopupAt = function (i) {
    var app = this, store = this.store;
    var popup = L.popup({ maxWidth: 360, maxHeight: 420, className: "fm-canvas-popup" })
      .setLatLng([store.lat[i], store.lon[i]])
      .setContent(eventPopup(store, i));
    popup.on("remove", function () { app.eventClosed(i); });
    popup.openOn(this.map);
    this.eventOpened(i);
  };

  /** Event i's popup opened: remember it, outline its area, tell the extensions. */
  App.prototype.eventOpened = function (i) {
    this.openIndex = i;
    this.showArea(i);
    this.fire("eventopen", { index: i });
  };

  /** Event i's popup closed. */
  App.prototype.eventClosed = function (i) {
    this.highlight.clearLayers();
    if (this.openIndex === i) this.openIndex = null;
    this.fire("eventclose", { index: i });
  };

  // --------------------------------------------------------------- controls

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
    return el("div", null, [
      el("h2", null, ["Legend"]),
      el("h3", null, ["Events by category"]), el("ul", null, rows),
      el("h3", null, ["Location precision"]),
      el("ul", null, [
        precisionRow("exact", "exact place"),
        precisionRow("radius", "within a radius (dashed circle)"),
        precisionRow("area", "stands for an area (drawn when opened)"),
        el("li", null, [el("span", { "class": "fm-leader" }, []),
          " line to the true spot of a marker moved apart from its neighbours"])
      ]),
      el("h3", null, ["Places and lines"]),
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
    this.starting = true;
    var rows = payload.categories.map(function () { return []; }), cat = this.store.cat;
    for (var i = 0; i < this.store.n; i++) rows[cat[i]].push(i);  // one pass for every category
    payload.categories.forEach(function (c, index) {
      if (!c.count) return;
      var group = new EventLayer(app, index, rows[index]).addTo(map);
      app.categoryLayers[c.id] = group;
      overlays[swatchName(c.color, "Events: " + c.label + " (" + c.count + ")")] = group;
    });
    this.starting = false;
    this.recompute();
    map.on("overlayadd overlayremove", function () { app.fire("change", { reason: "layers" }); });
    this.layerControl = L.control.layers(baseLayers, overlays, { collapsed: false }).addTo(map);
    this.layout();

    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
    payload.attributions.forEach(function (text) {
      map.attributionControl.addAttribution(escapeHtml(text));
    });

    var b = payload.bounds;
    // No animation: the page is ready only once the first view has settled.
    map.fitBounds([[b[0][0], b[0][1]], [b[1][0], b[1][1]]], { padding: [20, 20], animate: false });
    this.declutter.update();
    L.DomEvent.on(document, "keydown", function (ev) {
      if (ev.key === "Escape") map.closePopup();
    });
    this.restoreViewAfterAutoPan();
    // City and line labels crowd a small-scale view (a phone showing the whole region).
    var container = map.getContainer();
    function labelsByZoom() { container.classList.toggle("fm-zoomed-out", map.getZoom() < LABEL_MIN_ZOOM); }
    map.on("zoomend", labelsByZoom);
    labelsByZoom();
  };

  /**
   * Page layout around the map: a header with the title, a sidebar holding the
   * layer control and the legend (a drawer on narrow screens), and a strip below
   * the map for the timeline. Other scripts add panels through app.ui.
   */
  App.prototype.layout = function () {
    var app = this, map = this.map;
    var sidebarId = "fm-sidebar";
    var toggle = el("button", { type: "button", "class": "fm-sidebar-toggle", "aria-controls": sidebarId,
      "aria-expanded": "false" }, ["Layers & legend"]);
    var header = el("header", { "class": "fm-header" }, [el("h1", null, [this.payload.title]), toggle]);
    var layers = el("section", { "class": "fm-panel fm-layers-panel", "aria-labelledby": "fm-layers-h" },
      [el("h2", { id: "fm-layers-h" }, ["Layers"])]);
    layers.appendChild(this.layerControl.getContainer());
    var legend = el("section", { "class": "fm-panel fm-legend", "aria-label": "Legend" }, [this.legend()]);
    var sidebar = el("aside", { id: sidebarId, "class": "fm-sidebar", "aria-label": "Layers, legend and events" },
      [layers, legend, this.sourcesPanel()]);
    var timeline = el("section", { "class": "fm-timeline", "aria-label": "Timeline" }, []);
    document.body.classList.add("fm-layout");
    document.body.insertBefore(header, document.body.firstChild);
    document.body.appendChild(sidebar);
    document.body.appendChild(timeline);
    L.DomEvent.on(toggle, "click", function () {
      var open = sidebar.classList.toggle("fm-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    this.ui = { header: header, sidebar: sidebar, legend: legend, layers: layers, timeline: timeline,
      sidebarToggle: toggle };
    map.invalidateSize();
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
    }
    return app.ui;
  };

  /**
   * A popup that had to pan the map to fit puts the map back where it was when
   * it closes, so the other markers stay where the reader left them; a pan or
   * zoom by the reader in between cancels that.
   */
  App.prototype.restoreViewAfterAutoPan = function () {
    var map = this.map, saved = null, ours = false;
    map.on("autopanstart", function () {
      if (!saved) saved = { center: map.getCenter(), zoom: map.getZoom() };
      ours = true;
      map.once("moveend", function () { ours = false; });
    });
    map.on("movestart zoomstart", function () { if (!ours) saved = null; });
    map.on("popupclose", function () {
      if (!saved) return;
      var view = saved;
      saved = null;
      ours = true;
      map.setView(view.center, view.zoom, { animate: false });
      ours = false;
    });
  };

  /** Where the data come from: the map's credits and each imported dataset's citation. */
  App.prototype.sourcesPanel = function () {
    var blocks = this.payload.sources.map(function (source) {
      return el("div", { "class": "fm-source-block" }, [el("h3", null, [source.title]),
        el("p", { "class": "fm-source-text" }, [source.text])]);
    });
    var credits = el("ul", null, this.payload.attributions.map(function (text) {
      return el("li", null, [text]);
    }));
    return el("section", { "class": "fm-panel fm-sources", "aria-labelledby": "fm-sources-h" },
      [el("h2", { id: "fm-sources-h" }, ["Sources"]), credits].concat(blocks));
  };

  App.prototype.notice = function (text) {
    if (this.noticeShown) return;
    this.noticeShown = true;
    var node = el("div", { "class": "fm-notice", role: "status" }, [text]);
    this.map.getContainer().appendChild(node);
  };

  var extensions = [];

  window.FrontierMap = {
    /** Register fn(app), run in registration order once the core map is drawn. */
    extend: function (fn) { extensions.push(fn); },
    /** Read the payload (inflating compressed events), draw the map, run extensions. */
    start: function (map, dataElementId) {
      var payload = JSON.parse(document.getElementById(dataElementId).textContent);
      performance.mark("fm-payload-parsed");
      return FrontierStore.loadEvents(payload).then(function () {
        performance.mark("fm-events-loaded");
        var app = new App(map, payload);
        performance.mark("fm-store-built");
        window.FrontierMap.app = app;
        app.start();
        performance.mark("fm-map-drawn");
        extensions.forEach(function (fn) { fn(app); });
        performance.mark("fm-ready");
        document.documentElement.setAttribute("data-frontier-ready", "true");
        return app;
      }, function (error) {
        var message = "The events could not be read: " + error.message;
        map.getContainer().appendChild(el("div", { "class": "fm-notice", role: "alert" }, [message]));
        throw error;
      });
    },
    dateLabel: dateLabel,
    spanLabel: spanLabel,
    inWindow: inWindow,
    el: el
  };
})();
