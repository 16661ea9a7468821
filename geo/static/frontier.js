/*
 * frontier-map page script.
 *
 * Builds every layer, popup, legend and control from the JSON payload that
 * make_map.py embeds in <script type="application/json"> (large event sets beside it,
 * decoded by store.js). Data reaches the DOM
 * only through textContent, setAttribute and single style properties (never CSS
 * text); the Leaflet API that takes HTML strings (attribution) gets text escaped by
 * escapeHtml.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var LANGUAGES = { ps: "Pashto", fa: "Dari", prs: "Dari", ur: "Urdu", en: "English" };
  var RTL = { ps: true, fa: true, prs: true, ur: true, ar: true };
  // Events a cluster's list shows at a time.
  var LIST_PAGE = 50;
  // Width and height a Leaflet popup adds around its content (margins, tip), px.
  var POPUP_FRAME = [48, 64];

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

  /**
   * Human labels for the keys of overlay properties (data/README.md). `unit` is put
   * after a number; `technical` keys go into the "Technical details" fold.
   */
  var KEY_LABELS = {
    admin_level: { label: "Administrative level" },
    alt_names: { label: "Also spelled" },
    approximate: { label: "Position approximate" },
    city_area_km2: { label: "City area", unit: "km²" },
    distance_to_durand_line_km: { label: "Distance to the Durand Line", unit: "km" },
    distance_to_kabul_km: { label: "Distance to Kabul", unit: "km" },
    drawn: { label: "Drawn" },
    length_km: { label: "Length", unit: "km" },
    length_note: { label: "About the length" },
    license: { label: "Licence", technical: true },
    attribution: { label: "Credit", technical: true },
    status: { label: "Status" },
    status_note: { label: "About the status" },
    precision_note: { label: "How it is placed" },
    ne_line_offset_km: { label: "Distance from the drawn border line", unit: "km", technical: true },
    iso_3166_2: { label: "ISO 3166-2 code", technical: true },
    osm_relation: { label: "OpenStreetMap relation", technical: true },
    osm_way_ids: { label: "OpenStreetMap ways", technical: true },
    name_ne: { label: "Natural Earth name", technical: true },
    north_end: { label: "Northern end", technical: true, position: true },
    south_end: { label: "Southern end", technical: true, position: true }
  };

  /** Human labels of the source columns that imports keep (ACLED, UCDP GED). */
  var CODE_LABELS = {
    event_type: "Event type", sub_event_type: "Sub-event type", disorder_type: "Disorder type",
    time_precision: "Date precision code", geo_precision: "Location precision code",
    actor1: "Actor 1", assoc_actor_1: "Associated actor 1", inter1: "Actor 1 type",
    actor2: "Actor 2", assoc_actor_2: "Associated actor 2", inter2: "Actor 2 type",
    interaction: "Interaction", civilian_targeting: "Civilian targeting", admin1: "Province",
    admin2: "District", admin3: "Sub-district", location: "Location", source_scale: "Source scale",
    tags: "Tags", timestamp: "Last changed", event_id_cnty: "ACLED event id",
    type_of_violence: "Type of violence", where_prec: "Location precision code",
    date_prec: "Date precision code", relid: "UCDP release id", conflict_name: "Conflict",
    dyad_name: "Dyad", side_a: "Side A", side_b: "Side B", low: "Low estimate", high: "High estimate",
    best: "Best estimate", deaths_a: "Deaths, side A", deaths_b: "Deaths, side B",
    deaths_civilians: "Civilian deaths", deaths_unknown: "Deaths, unknown side",
    where_description: "Place description", adm_1: "Province", adm_2: "District",
    event_clarity: "Event clarity", source_headline: "Source headline", source_article: "Source article",
    source_office: "Source office", source_date: "Source date", source_original: "Original source",
    number_of_sources: "Number of sources", code_status: "Code status", active_year: "Active year"
  };

  /** Singular and plural of the figure kinds in our data; others are read from their key. */
  var FIGURE_KINDS = {
    deaths: ["death", "deaths"],
    civilian_deaths: ["civilian death", "civilian deaths"],
    soldiers_killed: ["soldier killed", "soldiers killed"],
    schoolchildren_killed: ["schoolchild killed", "schoolchildren killed"],
    registered_refugees: ["registered refugee", "registered refugees"],
    fatalities: ["fatality", "fatalities"],
    injured: ["person injured", "people injured"]
  };

  /** 'Some key' from 'some_key' (the last resort for a key without a label). */
  function keyWords(key) {
    var words = String(key).replace(/_/g, " ").replace(/\s+/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  /** 'Type of violence (UCDP)' from a source column's label 'UCDP type_of_violence'. */
  function codeLabel(label) {
    var at = String(label).indexOf(" "), source = at > 0 ? label.slice(0, at) : "";
    var key = at > 0 ? label.slice(at + 1) : String(label);
    return (CODE_LABELS[key] || keyWords(key)) + (source ? " (" + source + ")" : "");
  }

  /** A figure's kind for `value`: "1 soldier killed", "46 deaths". */
  function figureKind(kind, value) {
    var forms = FIGURE_KINDS[kind];
    if (!forms) {
      var plural = String(kind).replace(/_/g, " ");
      forms = [plural.replace(/^(\S+?)s\b/, "$1"), plural];
    }
    return value === 1 ? forms[0] : forms[1];
  }

  /** One figure as text: "at least 46 deaths". */
  function figureText(f) {
    var value = Number(f.value);
    return (f.qualifier ? f.qualifier + " " : "") + value.toLocaleString("en") + " " + figureKind(f.kind, value);
  }

  /** A fold (<details>) titled `title` holding `body` nodes; null when there is nothing to fold. */
  function fold(title, body, className) {
    body = body.filter(Boolean);
    if (!body.length) return null;
    return el("details", { "class": "fm-fold" + (className ? " " + className : "") },
      [el("summary", null, [title])].concat(body));
  }

  function list(items) {
    return items.length ? el("ul", null, items) : null;
  }

  /** A property value as text: lists joined, positions as degrees, true as "yes". */
  function valueText(value, spec) {
    if (spec && spec.position && Array.isArray(value) && value.length === 2) {
      var lon = Number(value[0]), lat = Number(value[1]);
      return Math.abs(lat).toFixed(4) + "° " + (lat < 0 ? "S" : "N") + ", " +
        Math.abs(lon).toFixed(4) + "° " + (lon < 0 ? "W" : "E");
    }
    if (value === true) return "yes";
    if (value === false) return "no";
    if (typeof value === "number") {  // ids stay as they are; measures read as numbers with their unit
      return spec && spec.unit ? value.toLocaleString("en", { maximumFractionDigits: 3 }) + " " + spec.unit
        : String(value);
    }
    if (Array.isArray(value)) return value.map(function (v) { return valueText(v, null); }).join(", ");
    if (value !== null && typeof value === "object") {
      return Object.keys(value).map(function (k) { return keyWords(k) + " " + valueText(value[k], null); }).join("; ");
    }
    return String(value) + (spec && spec.unit && /^[0-9.]+$/.test(String(value)) ? " " + spec.unit : "");
  }

  function fact(label, text) {
    return el("li", null, [el("strong", null, [label + ": "]), text]);
  }

  /** The card of event i: title, date, place and precision, summary and figures; the rest folded. */
  function eventPopup(store, i) {
    var category = store.categories[store.cat[i]];
    var dot = el("span", { "class": "fm-swatch" }, []);
    dot.style.backgroundColor = category.color;
    var figures = (store.figures[i] || []).map(function (f) {
      var about = [f.reported_by ? "source: " + f.reported_by : "", f.note || ""].filter(Boolean).join("; ");
      return el("li", null, [el("strong", null, [figureText(f)]), about ? " (" + about + ")" : ""]);
    });
    var claims = (store.claims[i] || []).map(function (c) {
      return el("li", null, [el("strong", null, [c.by + ": "]), c.claim]);
    });
    var notes = (store.notes[i] || []).map(function (n) { return el("li", null, [n]); });
    var codes = store.orig.filter(function (o) { return o.get(i); }).map(function (o) {
      return fact(codeLabel(o.label), o.get(i));
    });
    return el("div", { "class": "fm-popup", "data-event-id": store.id(i) }, [
      el("h3", null, [store.title(i)]),
      el("p", { "class": "fm-meta" }, [
        el("time", { datetime: store.date(i), "class": "fm-date" }, [spanLabel(store.date(i), store.endDate(i))]),
        " · ", dot, " " + category.label
      ]),
      el("p", { "class": "fm-place" }, [store.place(i) + " · " + store.precisionLabel(i)]),
      store.detailsLoaded ? el("p", { "class": "fm-summary" }, [store.summary(i)])
        : el("p", { "class": "fm-summary fm-reading", "aria-busy": "true" }, ["Reading the summary…"]),
      store.compact && /…$/.test(store.summary(i)) ?
        el("p", { "class": "fm-compact-note" }, ["Summary shortened in this very large map; see the source."]) : null,
      figures.length ? el("ul", { "class": "fm-figures" }, figures) : null,
      fold("Competing claims (" + claims.length + ")", [list(claims)], "fm-claims"),
      fold(notes.length === 1 ? "Note" : "Notes (" + notes.length + ")", [list(notes)], "fm-notes"),
      fold("Source", [el("p", null, [store.source(i)])], "fm-source"),
      fold("Codes in the source data", [list(codes)], "fm-codes")
    ]);
  }

  /**
   * Event i's card for `popup`: in a large map whose details (summary, figures, claims,
   * notes) are not read yet, a card that fills in when they are.
   */
  function eventCard(store, i, popup) {
    var node = eventPopup(store, i);
    if (!store.detailsLoaded) {
      store.withDetails(function () {
        var full = eventPopup(store, i);
        while (node.firstChild) node.removeChild(node.firstChild);
        while (full.firstChild) node.appendChild(full.firstChild);
        if (popup.isOpen()) popup.update();
      }, function (error) {
        node.querySelector(".fm-reading").textContent = "The summary could not be read: " + error.message;
      });
    }
    return node;
  }

  /** The card of an overlay feature: name, layer, place, description and facts; the rest folded. */
  function placePopup(feature, layerTitle) {
    var p = feature.properties;
    var names = Object.keys(p.names || {}).map(function (lang) {
      return el("li", null, [(LANGUAGES[lang] || lang) + ": ",
        el("span", { lang: lang, dir: RTL[lang] ? "rtl" : null }, [p.names[lang]])]);
    });
    // status_history is drawn by status.js (through the "placepopup" event).
    var keys = Object.keys(p.extra || {}).filter(function (key) { return key !== "status_history"; });
    var facts = [], technical = [];
    keys.forEach(function (key) {
      var spec = KEY_LABELS[key] || { label: keyWords(key), unit: /_km$/.test(key) ? "km" : null };
      (spec.technical ? technical : facts).push(fact(spec.label, valueText(p.extra[key], spec)));
    });
    return el("div", { "class": "fm-popup", "data-feature-id": feature.id }, [
      el("h3", null, [p.name]),
      el("p", { "class": "fm-meta" }, ["Layer: " + layerTitle]),
      el("p", { "class": "fm-place" }, ["Location: " + p.precision.label]),
      el("p", { "class": "fm-summary" }, [p.description]),
      facts.length ? el("ul", { "class": "fm-facts" }, facts) : null,
      fold("Names in local scripts", [list(names)], "fm-names"),
      // Provenance names files and fields, so it shares the fold with the raw ids.
      fold("Source and technical details", [el("p", null, [p.source]), list(technical)], "fm-source fm-technical")
    ]);
  }

  /**
   * Every popup fits the map: no wider than the map less the zoom buttons, no taller
   * than the map less the controls at its bottom (the content scrolls), and panned clear
   * of the zoom buttons and of the bottom controls (the scale bar, the attribution: on a
   * phone they span the bottom edge, and they stand over popups).
   */
  function fitPopup(popup, map) {
    var size = map.getSize(), o = popup.options, container = map.getContainer();
    var zoom = map.zoomControl && map.zoomControl.getContainer();
    var left = zoom ? zoom.offsetLeft + zoom.offsetWidth + 8 : 10, bottom = 10;
    var corners = container.querySelectorAll(".leaflet-bottom");
    for (var k = 0; k < corners.length; k++) {
      // A lifted corner (see keepBottomLeftClear) reaches higher than its own height.
      var reach = container.clientHeight - corners[k].offsetTop;
      if (corners[k].offsetHeight) bottom = Math.max(bottom, reach + 6);
    }
    // The content's margins and the tip add POPUP_FRAME px around the content.
    o.maxWidth = Math.max(140, Math.min(o.maxWidth || 360, 360, size.x - left - 10 - POPUP_FRAME[0]));
    o.minWidth = Math.min(o.minWidth || 50, o.maxWidth);
    o.maxHeight = Math.max(120, Math.min(o.maxHeight || 420, size.y - 10 - bottom - POPUP_FRAME[1]));
    o.autoPanPaddingTopLeft = L.point(left, 10);
    o.autoPanPaddingBottomRight = L.point(10, bottom);
  }

  /**
   * A fold opened or closed in a popup changes its height: lay it out again (the
   * maximum height and its scroll) and pan it back inside the map. Not update(), which
   * would make the content anew and close the fold again.
   */
  function refitOnToggle(popup) {
    var node = popup.getElement();
    if (!node || node.getAttribute("data-fm-refit")) return;
    node.setAttribute("data-fm-refit", "true");
    node.addEventListener("toggle", function () {
      if (!popup.isOpen()) return;
      var content = node.querySelector(".leaflet-popup-content"), top = content ? content.scrollTop : 0;
      popup._updateLayout();
      popup._updatePosition();
      if (content) content.scrollTop = top;
      popup._adjustPan();
    }, true);  // toggle does not bubble
  }

  var popupOnAdd = L.Popup.prototype.onAdd;
  L.Popup.include({
    onAdd: function (map) {
      fitPopup(this, map);
      popupOnAdd.call(this, map);
      refitOnToggle(this);
    }
  });

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

  // ----------------------------------------------------------------- layers

  /**
   * The page application. Other scripts extend it through FrontierMap.app:
   * read the filter state (window, categoryOn, visible, visibleIndices), change it
   * (setWindow, setCategory, openEvent) and listen with app.on("change" |
   * "eventopen" | "eventclose" | "drawn", fn).
   */
  var App = L.Evented.extend({
    initialize: function (map, payload) {
      this.map = map;
      this.payload = payload;
      this.store = new FrontierStore.Store(payload.events, payload.categories, payload.eventsBuffer,
        payload.detailsElement);
      this.features = {};
      /** feature id -> the Leaflet layer of an overlay feature (popups opened by search, site status). */
      this.placeLayers = {};
      this.highlight = L.layerGroup().addTo(map);
      /** Event i's marker, once made (it is drawn while event i is not in a cluster). */
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
      /** How the events are drawn now: "dom" (markers) or "canvas" (see cluster.js). */
      this.mode = "dom";
      /** 1 for events from our own GeoJSON files: drawn as accessible markers when not clustered. */
      this.curated = new Uint8Array(this.store.n);
      for (i = 0; i < this.store.n; i++) this.curated[i] = this.store.dataset(i) === "curated" ? 1 : 0;
      /** Every event's symbol, clustered by place (cluster.js). */
      this.clusters = new FrontierCluster.ClusterLayer(this);
      map.setMaxZoom(FrontierCluster.MAX_ZOOM);
    }
  });

  App.prototype.indexFeatures = function (layers) {
    var features = this.features;
    layers.forEach(function (layer) {
      layer.data.features.forEach(function (f) { features[f.id] = f; });
    });
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
        group.addLayer(leafletLayer);
        if (feature.id === "durand-line") {
          FrontierBasemap.lineLabel(app.map, app.labels, group, leafletLayer, ["Durand Line", "disputed border"]);
        }
        app.placeLayers[feature.id] = leafletLayer;
      }
    });
    return group;
  };

  /**
   * One category's switch in the layer control: while it is on the map, the category's
   * events are visible (the cluster layer draws them).
   */
  var EventLayer = L.Layer.extend({
    initialize: function (app, catIndex) {
      this.app = app;
      this.catIndex = catIndex;
    },
    onAdd: function () {
      this.app.catOn[this.catIndex] = 1;
      this.app.recompute();
    },
    onRemove: function () {
      this.app.catOn[this.catIndex] = 0;
      this.app.recompute();
    }
  });

  /** The icon of event i's marker: a dot of its category's colour, shaped by its precision. */
  App.prototype.eventIcon = function (i, className) {
    var store = this.store, category = store.categories[store.cat[i]];
    var classes = "fm-cat-" + category.id + (className ? " " + className : "");
    return markerIcon(category.color, store.precision(i), "event", classes);
  };

  /** Event markers stand above the marker of a place at the same spot (Torkham's events sit on Torkham). */
  App.prototype.eventZIndex = 500;

  /** The marker (and uncertainty circle) of event i, made on first use. */
  App.prototype.eventParts = function (i) {
    if (this.parts[i]) return this.parts[i];
    var app = this, store = this.store;
    var category = store.categories[store.cat[i]];
    var latlng = [store.lat[i], store.lon[i]];
    var marker = accessibleMarker(latlng, store.title(i), this.eventIcon(i), { "data-event-id": store.id(i) });
    marker.setZIndexOffset(this.eventZIndex);
    marker.bindPopup(function () { return eventCard(store, i, marker.getPopup()); }, { maxWidth: 360, maxHeight: 420 });
    marker.on("popupopen", function () { app.eventOpened(i); });
    marker.on("popupclose", function () { app.eventClosed(i); });
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

  /** Recompute which events are visible and redraw them (clustered by cluster.js). */
  App.prototype.recompute = function () {
    if (this.starting) return;
    var store = this.store, mask = this.mask, catOn = this.catOn;
    var lo = this.window[0], hi = this.window[1], count = 0;
    var windowCounts = new Int32Array(store.categories.length);
    for (var i = 0; i < store.n; i++) {
      var c = store.cat[i], inside = inWindow(store.start[i], store.end[i], lo, hi);
      if (inside) windowCounts[c]++;
      var on = inside && catOn[c] === 1;
      mask[i] = on ? 1 : 0;
      count += on ? 1 : 0;
    }
    this.visibleCount = count;
    /** Events inside the time window per category index, whether shown or not. */
    this.windowCounts = windowCounts;
    this.clusters.redraw();
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
      this.highlight.addLayer(L.geoJSON(FrontierBasemap.geoJSON(feature), { interactive: false, className: "fm-area-highlight",
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
    if (marker && this.map.hasLayer(marker)) marker.openPopup();
    else this.openPopupAt(i);
  };

  /**
   * A popup listing the events of a cluster in date order, LIST_PAGE at a time ("Show
   * more" adds the next); each item opens its event's popup. Opened from the keyboard,
   * the first item takes the focus.
   */
  App.prototype.openListPopup = function (latlng, members, focus) {
    var app = this, store = this.store, rows = members.slice().sort(function (a, b) { return a - b; });
    var list = el("ul", { "class": "fm-cluster-list" }, []);
    var more = el("button", { type: "button", "class": "fm-list-more" }, []);
    var shown = 0;
    function page() {
      var first = null;
      rows.slice(shown, shown + LIST_PAGE).forEach(function (i) {
        var button = el("button", { type: "button", "class": "fm-linklike", "data-event-id": store.id(i) },
          [store.title(i) + " (" + spanLabel(store.date(i), store.endDate(i)) + ")"]);
        L.DomEvent.on(button, "click", function () { app.openPopupAt(i); });
        list.appendChild(el("li", null, [button]));
        first = first || button;
      });
      shown = Math.min(rows.length, shown + LIST_PAGE);
      more.textContent = "Show " + Math.min(LIST_PAGE, rows.length - shown) + " more (" +
        (rows.length - shown).toLocaleString("en") + " not listed yet)";
      more.hidden = shown >= rows.length;
      return first;
    }
    var firstItem = page();
    L.DomEvent.on(more, "click", function () { var item = page(); if (item) item.focus(); });
    L.popup({ maxWidth: 360, maxHeight: 420, className: "fm-list-popup" }).setLatLng(latlng)
      .setContent(el("div", { "class": "fm-popup" }, [
        el("h3", null, [rows.length.toLocaleString("en") + " events here"]), list, more]))
      .openOn(this.map);
    if (focus && firstItem) firstItem.focus();
  };

  /** Open event i's popup at its position without a marker (when it is in a cluster or on the canvas). */
  App.prototype.openPopupAt = function (i) {
    var app = this, store = this.store;
    var popup = L.popup({ maxWidth: 360, maxHeight: 420, className: "fm-canvas-popup" })
      .setLatLng([store.lat[i], store.lon[i]]);
    popup.setContent(eventCard(store, i, popup));
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

  /** A small symbol drawn like the layer: a line (dashed when the layer is), an area or a place. */
  function layerSymbol(layer) {
    var types = layer.data.features.map(function (f) { return f.geometry && f.geometry.type; });
    var has = function (re) { return types.some(function (t) { return re.test(t || ""); }); };
    var color = layer.style.color;
    var node;
    if (has(/Polygon/)) {
      var fill = el("span", { "class": "fm-sym-fill" }, []);
      fill.style.backgroundColor = color;
      node = el("span", { "class": "fm-sym fm-sym-area" }, [fill]);
      node.style.borderColor = color;
    } else if (has(/LineString/)) {
      node = el("span", { "class": "fm-sym fm-sym-line" + (layer.style.dashArray ? " fm-sym-dashed" : "") }, []);
      node.style.borderTopColor = color;
    } else {
      node = el("span", { "class": "fm-sym fm-dot fm-place fm-prec-exact" }, []);
      node.style.backgroundColor = color;
    }
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  /**
   * The six (or however many) layers as checkboxes, each with its symbol; they follow
   * the map when something else switches a layer (a link, the story tour).
   */
  App.prototype.layerList = function () {
    var map = this.map, groups = this.overlayLayers;
    return el("ul", { "class": "fm-layer-list" }, this.payload.overlays.map(function (layer) {
      var group = groups[layer.id];
      var box = el("input", { type: "checkbox", "data-layer": layer.id }, []);
      box.checked = map.hasLayer(group);
      box.addEventListener("change", function () {
        if (box.checked) map.addLayer(group); else map.removeLayer(group);
      });
      group.on("add remove", function () { box.checked = map.hasLayer(group); });
      return el("li", null, [el("label", null, [box, layerSymbol(layer), " " + layer.title])]);
    }));
  };

  /**
   * The basemap chooser, only when there is a choice (online tile layers built in):
   * the offline vector basemap stays underneath every choice.
   */
  App.prototype.basemapChooser = function () {
    var app = this, map = this.map, tiles = this.payload.tileLayers;
    if (!tiles.length) return null;
    var current = null;
    var options = [{ name: "Vector basemap (offline)", layer: null }].concat(tiles.map(function (t) {
      var layer = L.tileLayer(t.url, { attribution: escapeHtml(t.attribution), maxZoom: t.maxZoom,
        errorTileUrl: "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" });
      layer.on("tileerror", function () { app.notice("Online tiles could not load; the vector basemap stays drawn."); });
      return { name: t.name, layer: layer };
    }));
    var items = options.map(function (option, k) {
      var radio = el("input", { type: "radio", name: "fm-basemap", value: String(k) }, []);
      radio.checked = k === 0;
      radio.addEventListener("change", function () {
        if (current) map.removeLayer(current);
        current = option.layer;
        if (current) current.addTo(map).bringToBack();
      });
      return el("li", null, [el("label", null, [radio, " " + option.name])]);
    });
    return el("fieldset", { "class": "fm-basemaps" }, [el("legend", null, ["Basemap"]), el("ul", null, items)]);
  };

  /** The symbols not explained where they are switched: precision, basemap lines. */
  App.prototype.legend = function () {
    function dotRow(kind, shape, text) {
      var dot = el("span", { "class": "fm-dot fm-" + shape + " fm-prec-" + kind }, []);
      dot.style.backgroundColor = "#555";
      return el("li", null, [dot, " " + text]);
    }
    function lineRow(cls, text) {
      return el("li", null, [el("span", { "class": "fm-line " + cls }, []), " " + text]);
    }
    return el("div", null, [
      el("h2", null, ["Legend"]),
      el("ul", { "class": "fm-legend-grid" }, [
        dotRow("exact", "event", "exact place"),
        lineRow("fm-line-border", "international border"),
        dotRow("radius", "event", "within a radius"),
        lineRow("fm-line-province", "province border"),
        dotRow("area", "event", "an area (outlined)"),
        lineRow("fm-line-river", "river"),
        el("li", { "class": "fm-legend-wide" }, [FrontierCluster.legendSymbol(this.payload.categories, false, false),
          " several events: their number, and their categories in the ring"]),
        el("li", { "class": "fm-legend-wide" }, [FrontierCluster.legendSymbol(this.payload.categories, false, true),
          " most of them placed only approximately"]),
        el("li", { "class": "fm-legend-wide" }, [FrontierCluster.legendSymbol(this.payload.categories, true, true),
          " placeholders for a province or country"]),
        el("li", { "class": "fm-legend-wide" }, [FrontierCluster.legendTag(this.payload.categories),
          " placeholders under a cluster of places: their number on a tag"])
      ])
    ]);
  };

  /**
   * Everything but the drawing: the layers (not yet on the map), the page around the
   * map, the controls. Extensions run next and may add panels (the timeline strip
   * under the map); draw() then puts the layers on the map once its box is final.
   */
  App.prototype.start = function () {
    var app = this, map = this.map, payload = this.payload;
    this.indexFeatures(payload.basemap.concat(payload.overlays));

    /** City and line labels, kept clear of each other and of the markers. */
    this.labels = FrontierBasemap.labels(map);
    this.labels.obstacles.push(function () { return app.clusters.paintedBoxes(); });
    this.overlayLayers = {};
    payload.overlays.forEach(function (layer) {
      app.overlayLayers[layer.id] = app.overlayLayer(layer);
    });
    this.categoryLayers = {};
    this.starting = true;
    payload.categories.forEach(function (c, index) {
      if (!c.count) return;
      app.categoryLayers[c.id] = new EventLayer(app, index).addTo(map);
    });
    this.starting = false;
    this.recompute();
    // Switching a layer or a category, by any means, fires overlayadd/overlayremove on the map.
    [this.overlayLayers, this.categoryLayers].forEach(function (groups) {
      Object.keys(groups).forEach(function (id) {
        groups[id].on("add remove", function (e) {
          map.fire(e.type === "add" ? "overlayadd" : "overlayremove", { layer: groups[id], name: id });
        });
      });
    });
    this.layout();

    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>');
    payload.attributions.forEach(function (text) {
      map.attributionControl.addAttribution(escapeHtml(text));
    });
    // Escape closes the open popup (and nothing else: preventDefault tells the other handlers).
    L.DomEvent.on(document, "keydown", function (ev) {
      if (ev.key !== "Escape" || ev.defaultPrevented || !app.popupOpen()) return;
      ev.preventDefault();
      map.closePopup();
    });
    this.restoreViewAfterAutoPan();
    this.on("change", this.labels.schedule, this.labels);
  };

  /**
   * Draw the map once every panel is in: the map learns its final box, frames the
   * first view for it, and only then gets its layers, so each is projected and drawn
   * once (a layer drawn before the timeline strip came in was drawn for a stale box,
   * then all over again). Fires "drawn": what a link asks for applies from then on.
   */
  App.prototype.draw = function () {
    var app = this, map = this.map, payload = this.payload;
    map.invalidateSize({ animate: false });
    FrontierBasemap.view(map, payload);
    // The basemap has a pane of its own under the overlay pane: layers added with folium stay visible.
    FrontierBasemap.layer(map, payload, this.labels).addTo(map);
    payload.overlays.forEach(function (layer) { app.overlayLayers[layer.id].addTo(map); });
    // From now on a layer switched on or off is a change (putting them on the map is not).
    map.on("overlayadd overlayremove", function () { app.fire("change", { reason: "layers" }); });
    this.clusters.addTo(map);
    this.labels.schedule();
    this.fire("drawn");
  };

  /** True while a popup is open on the map. */
  App.prototype.popupOpen = function () {
    return !!(this.map._popup && this.map.hasLayer(this.map._popup));
  };

  // The sidebar's panels from top to bottom; app.ui.addPanel(node, slot) puts a panel in its place.
  var PANEL_SLOTS = ["layers", "categories", "legend", "events", "tools", "sources"];

  /**
   * Page layout around the map: a header with the title, a sidebar (a drawer on
   * narrow screens) with the layers first, then the event categories, the legend,
   * the event list, the downloads and the sources, and a strip below the map for
   * the timeline. The sidebar comes before the map in the document, so the layer
   * switches are among the first stops of the Tab key.
   */
  App.prototype.layout = function () {
    var app = this, map = this.map;
    var sidebarId = "fm-sidebar";
    var toggle = el("button", { type: "button", "class": "fm-sidebar-toggle", "aria-controls": sidebarId,
      "aria-expanded": "false" }, ["Layers & legend"]);
    var header = el("header", { "class": "fm-header" }, [el("h1", null, [this.payload.title]), toggle]);
    var layers = el("section", { "class": "fm-panel fm-layers-panel", "aria-labelledby": "fm-layers-h" },
      [el("h2", { id: "fm-layers-h" }, ["Layers"]), this.layerList(), this.basemapChooser()]);
    var legend = el("section", { "class": "fm-panel fm-legend", "aria-label": "Legend" }, [this.legend()]);
    var sidebar = el("aside", { id: sidebarId, "class": "fm-sidebar", "aria-label": "Layers, legend and events" }, []);
    var timeline = el("section", { "class": "fm-timeline", "aria-label": "Timeline" }, []);
    document.body.classList.add("fm-layout");
    document.body.insertBefore(header, document.body.firstChild);
    document.body.insertBefore(sidebar, map.getContainer().parentNode === document.body ?
      map.getContainer() : null);
    document.body.appendChild(timeline);
    L.DomEvent.on(toggle, "click", function () {
      var open = sidebar.classList.toggle("fm-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    /** Put a sidebar panel in its slot (one of PANEL_SLOTS), after the panels already there. */
    function addPanel(node, slot) {
      var rank = PANEL_SLOTS.indexOf(slot);
      node.setAttribute("data-slot", slot);
      var next = Array.prototype.filter.call(sidebar.children, function (child) {
        return PANEL_SLOTS.indexOf(child.getAttribute("data-slot")) > rank;
      })[0];
      sidebar.insertBefore(node, next || null);
      return node;
    }
    addPanel(layers, "layers");
    addPanel(legend, "legend");
    addPanel(this.sourcesPanel(), "sources");
    this.ui = { header: header, sidebar: sidebar, legend: legend, layers: layers, timeline: timeline,
      sidebarToggle: toggle, addPanel: addPanel };
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(map.getContainer());
    }
    this.keepBottomLeftClear();
    return app.ui;
  };

  /**
   * The attribution (long once sources are imported) fills the map's bottom right corner
   * and, on a narrow map, the whole bottom edge: the bottom left corner (the scale bar,
   * the story card) then stands on top of it instead of hiding under it.
   */
  App.prototype.keepBottomLeftClear = function () {
    var container = this.map.getContainer();
    var left = container.querySelector(".leaflet-bottom.leaflet-left");
    var right = container.querySelector(".leaflet-bottom.leaflet-right");
    if (!left || !right || !window.ResizeObserver) return;
    // Either corner growing (a longer credit, the story card) or the map narrowing can make them meet.
    var observer = new ResizeObserver(function () {
      var meet = left.offsetWidth > 0 && right.offsetWidth > 0 &&
        left.offsetWidth + right.offsetWidth > container.clientWidth;
      left.style.bottom = meet ? right.offsetHeight + "px" : "";
    });
    [container, left, right].forEach(function (node) { observer.observe(node); });
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
    /** Register fn(app), run in registration order once the core map is set up, before it is drawn. */
    extend: function (fn) { extensions.push(fn); },
    /** Read the payload (inflating compressed events), set up the map, run extensions, draw. */
    start: function (map, dataElementId) {
      var payload = JSON.parse(document.getElementById(dataElementId).textContent);
      performance.mark("fm-payload-parsed");
      return FrontierStore.loadEvents(payload).then(function () {
        performance.mark("fm-events-loaded");
        var app = new App(map, payload);
        performance.mark("fm-store-built");
        window.FrontierMap.app = app;
        app.start();
        performance.mark("fm-map-set-up");
        extensions.forEach(function (fn) { fn(app); });
        performance.mark("fm-extended");
        app.draw();
        performance.mark("fm-ready");
        document.documentElement.setAttribute("data-frontier-ready", "true");
        return app;
      }, function (error) {
        var message = "The events could not be read: " + error.message;
        map.getContainer().appendChild(el("div", { "class": "fm-notice", role: "alert" }, [message]));
        throw error;
      });
    },
    /** How every date on the page reads (the one place that makes date labels). */
    dateLabel: dateLabel,
    spanLabel: spanLabel,
    monthName: function (m) { return MONTHS[m - 1]; },
    inWindow: inWindow,
    el: el
  };
})();
