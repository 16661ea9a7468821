/*
 * Where events are drawn: one clustering model for every event, and its two renderers.
 *
 * The model is geographic and hierarchical. The world, in Web Mercator, is cut into
 * square cells of CELL_PX screen pixels at each whole zoom (up to twice that between
 * whole zooms); a cell at zoom z is exactly
 * four cells at zoom z + 1, so a zoom step splits or merges clusters predictably and a
 * pan never changes a cluster's members (cells are fixed to the world, not the screen).
 * The events of one cell that pass the time window and the category filters form one
 * symbol; area placeholders (province or country centroids) form symbols of their own
 * and never merge with events that have a place. A symbol with one event is that
 * event's marker at its own position; a symbol with more is a cluster, drawn at its
 * members' centroid (inside their extent) with its count, a ring of category colours
 * and, when most members are imprecise, a dashed outer ring (a diamond for placeholders).
 *
 * Up to DOM_SYMBOLS symbols in view are DOM markers (each reachable by Tab; a cluster's
 * is a clear button over its symbol, which the canvas paints); more, or more than
 * DOM_EVENTS visible events, are drawn on one canvas, except the article's own single
 * events, which keep their markers.
 * Exposes window.FrontierCluster = { ClusterLayer, MAX_ZOOM }.
 */
(function () {
  "use strict";

  /** A cell's side in screen pixels at the zoom it belongs to. */
  var CELL_PX = 64;
  /** The map's maximum zoom: 64 px there are about 150 m at 30° N. */
  var MAX_ZOOM = 16;
  /**
   * Above this many symbols in view, or this many visible events, all but the article's
   * single events go on a canvas: a hundred DOM clusters cost tens of milliseconds to
   * replace on every zoom, the canvas a few.
   */
  var DOM_SYMBOLS = 150, DOM_EVENTS = 20000;
  var EARTH_M = 40075016.686;
  var DASH_IMPRECISE = [3, 2];

  /** Radius in pixels of a cluster of `count` events. */
  function clusterRadius(count) {
    return 12 + 3.5 * Math.log(count) / Math.LN10;
  }

  /** "1,234,567" (not toLocaleString: its first call costs milliseconds). */
  function thousands(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** "7", "1,234", "12k": a cluster's count on its symbol. */
  function countLabel(count) {
    return count >= 10000 ? Math.round(count / 1000) + "k" : thousands(count);
  }

  /** The height of the tallest stack of map controls in a top or bottom corner, in pixels. */
  function controlInset(map) {
    var corners = map.getContainer().querySelectorAll(".leaflet-top, .leaflet-bottom"), inset = 0;
    for (var k = 0; k < corners.length; k++) inset = Math.max(inset, corners[k].offsetHeight);
    return inset;
  }

  /** Fill the current path with `fill` and outline it dashed: the look of placeholders' diamonds and tags. */
  function fillDashed(ctx, fill, width) {
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = width;
    ctx.strokeStyle = "#333";
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /** One event's symbol: a dot (dashed when within a radius) or a hollow diamond (an area). */
  function drawEvent(ctx, color, kind, px, py) {
    ctx.fillStyle = color;
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.setLineDash(kind === "exact" ? [] : DASH_IMPRECISE);
    ctx.beginPath();
    if (kind === "area") {
      ctx.moveTo(px, py - 8); ctx.lineTo(px + 8, py); ctx.lineTo(px, py + 8); ctx.lineTo(px - 8, py);
      ctx.closePath();
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = color;
      ctx.lineWidth = 3;
      ctx.stroke();
    } else {
      ctx.arc(px, py, 7, 0, 2 * Math.PI);
      ctx.globalAlpha = kind === "exact" ? 1 : 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  /**
   * A cluster's symbol centred on (px, py): a white disc with the count, a ring split by
   * category in proportion to the members, a dashed outer ring when most members are
   * imprecise, and a dashed diamond around it all for area placeholders.
   */
  function drawCluster(ctx, sym, categories, px, py) {
    var r = clusterRadius(sym.count);
    if (sym.area) {
      var d = r + 7;
      ctx.beginPath();
      ctx.moveTo(px, py - d); ctx.lineTo(px + d, py); ctx.lineTo(px, py + d); ctx.lineTo(px - d, py);
      ctx.closePath();
      fillDashed(ctx, "rgba(255, 255, 255, 0.9)", 2);
    } else if (sym.imprecise * 2 > sym.count) {
      ctx.beginPath();
      ctx.arc(px, py, r + 3, 0, 2 * Math.PI);
      ctx.setLineDash(DASH_IMPRECISE);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#333";
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.fillStyle = "#fff";
    ctx.fill();
    var angle = -Math.PI / 2;
    ctx.lineWidth = 5;
    for (var c = 0; c < sym.cats.length; c++) {
      if (!sym.cats[c]) continue;
      var next = angle + 2 * Math.PI * sym.cats[c] / sym.count;
      ctx.beginPath();
      ctx.arc(px, py, r - 2.5, angle, next);
      ctx.strokeStyle = categories[c].color;
      ctx.stroke();
      angle = next;
    }
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "rgba(0, 0, 0, 0.6)";
    ctx.stroke();
    ctx.fillStyle = "#1f2d3a";
    ctx.font = "bold 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(countLabel(sym.count), px, py + 0.5);
  }

  /** Half the width of the box a symbol is drawn in (and answers clicks in). */
  function symbolHalf(sym) {
    return sym.count === 1 ? 9 : clusterRadius(sym.count) + (sym.area ? 7 : 3);
  }

  /**
   * The tag that carries the count of placeholders (a cluster or a single one) whose
   * centre a place's symbol covers (a province's placeholders on its capital): its box
   * [x0, y0, x1, y1] for the symbol centred on (x, y), on the diamond's top corner, and
   * clear of the top of the symbol drawn over it (sym.tag: that symbol's half-size).
   */
  function tagBox(sym, x, y) {
    var w = 7 * countLabel(sym.count).length + 10;
    var bottom = y - Math.max(clusterRadius(sym.count) + 7, sym.tag || 0) + 3;
    return [x - w / 2, bottom - 15, x + w / 2, bottom];
  }

  /** Paint an area cluster's tag (see tagBox): its count in a dashed box, as its diamond is dashed. */
  function drawTag(ctx, sym, px, py) {
    var b = tagBox(sym, px, py);
    ctx.beginPath();
    ctx.rect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    fillDashed(ctx, "rgba(255, 255, 255, 0.95)", 1.5);
    ctx.fillStyle = "#1f2d3a";
    ctx.font = "bold 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(countLabel(sym.count), px, (b[1] + b[3]) / 2 + 0.5);
  }

  /** Pixels per metre at latitude `lat` and world size `scale`. */
  function pixelsPerMetre(lat, scale) {
    return scale / (EARTH_M * Math.cos(lat * Math.PI / 180));
  }

  /** What a cluster holds, in words: for its accessible name. */
  function clusterName(sym, categories) {
    var parts = [];
    for (var c = 0; c < sym.cats.length; c++) {
      if (sym.cats[c]) parts.push(sym.cats[c] + " " + categories[c].label);
    }
    var where = sym.area ? "; placeholders for a province or country, not exact places" :
      sym.imprecise * 2 > sym.count ? "; most placed only approximately" : "";
    return "Cluster of " + thousands(sym.count) + " events: " + parts.join(", ") + where;
  }

  /**
   * The events layer. `app` gives the store, the visibility mask and the popups;
   * redraw() follows the view, the window and the filters.
   */
  var ClusterLayer = L.Layer.extend({
    initialize: function (app) {
      this.app = app;
      this.symbols = [];
      this.shown = new Map();  // DOM symbols on the map, by identity
      /** Above this many symbols in view, the canvas draws them. */
      this.domLimit = DOM_SYMBOLS;
      this.mode = "dom";
    },

    /** Web Mercator x/y in 0..1 world units, area and imprecise flags: made on first draw. */
    index: function () {
      if (this.x) return;
      var store = this.app.store, n = store.n, kinds = store.kinds(), lon = store.lon, lat = store.lat, i;
      var world = FrontierBasemap.world;
      var x = this.x = new Float64Array(n), y = this.y = new Float64Array(n);
      var area = this.area = new Uint8Array(n), imprecise = this.imprecise = new Uint8Array(n);
      for (i = 0; i < n; i++) {
        x[i] = Math.min(Math.max(world.x(lon[i]), 0), 1 - 1e-12);
        y[i] = Math.min(Math.max(world.y(lat[i]), 0), 1 - 1e-12);
        area[i] = kinds[i] === 2 ? 1 : 0;
        imprecise[i] = kinds[i] === 0 ? 0 : 1;
      }
      this.next = new Int32Array(n);
    },

    onAdd: function (map) {
      this.canvas = L.DomUtil.create("canvas", "fm-event-canvas");
      this.canvas.setAttribute("aria-hidden", "true");
      map.getPanes().overlayPane.appendChild(this.canvas);
      this.dom = L.layerGroup().addTo(map);
      // Every change of view (pan, zoom, reset, resize) ends with one moveend: one redraw.
      map.on("moveend", this.redraw, this);
      map.on("zoomstart", this.hideCanvas, this);
      map.on("click", this.onMapClick, this);
      this.redraw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this.canvas);
      this.dom.remove();
      this.shown.clear();
      map.off("moveend", this.redraw, this);
      map.off("zoomstart", this.hideCanvas, this);
      map.off("click", this.onMapClick, this);
    },

    hideCanvas: function () { this.canvas.style.visibility = "hidden"; },

    /** Cluster the visible events in the cells the view touches, then draw them. */
    redraw: function () {
      if (!this._map) return;
      this.index();
      this.cluster();
      this.draw();
    },

    /**
     * The symbols of the current view: every cell that intersects the view, with all of
     * its visible members (also those just outside the view), so a pan keeps clusters.
     */
    cluster: function () {
      var map = this._map, app = this.app, store = app.store, categories = store.categories;
      // At a fractional zoom, the cells of the whole zoom below: CELL_PX to 2 * CELL_PX wide.
      var zoom = Math.floor(map.getZoom()), cells = Math.pow(2, zoom) * 256 / CELL_PX;
      var scale = 256 * Math.pow(2, map.getZoom()), bounds = map.getPixelBounds();
      var cx0 = Math.max(0, Math.floor(bounds.min.x / scale * cells));
      var cx1 = Math.min(cells - 1, Math.floor(bounds.max.x / scale * cells));
      var cy0 = Math.max(0, Math.floor(bounds.min.y / scale * cells));
      var cy1 = Math.min(cells - 1, Math.floor(bounds.max.y / scale * cells));
      var w = Math.max(0, cx1 - cx0 + 1), h = Math.max(0, cy1 - cy0 + 1), keys = w * h * 2;
      var nc = categories.length;
      var count = new Int32Array(keys), head = new Int32Array(keys).fill(-1);
      var sx = new Float64Array(keys), sy = new Float64Array(keys);
      var minX = new Float64Array(keys), maxX = new Float64Array(keys);
      var minY = new Float64Array(keys), maxY = new Float64Array(keys);
      var cats = new Int32Array(keys * nc), impreciseCount = new Int32Array(keys);
      var mask = app.mask, x = this.x, y = this.y, area = this.area, imprecise = this.imprecise;
      var next = this.next, cat = store.cat, n = store.n;
      for (var i = 0; i < n; i++) {
        if (!mask[i]) continue;
        var cx = Math.floor(x[i] * cells) - cx0;
        if (cx < 0 || cx >= w) continue;
        var cy = Math.floor(y[i] * cells) - cy0;
        if (cy < 0 || cy >= h) continue;
        var k = (cy * w + cx) * 2 + area[i], xi = x[i], yi = y[i];
        if (count[k]++ === 0) {
          minX[k] = maxX[k] = xi;
          minY[k] = maxY[k] = yi;
        } else {
          if (xi < minX[k]) minX[k] = xi; else if (xi > maxX[k]) maxX[k] = xi;
          if (yi < minY[k]) minY[k] = yi; else if (yi > maxY[k]) maxY[k] = yi;
        }
        sx[k] += xi;
        sy[k] += yi;
        cats[k * nc + cat[i]]++;
        impreciseCount[k] += imprecise[i];
        next[i] = head[k];
        head[k] = i;
      }
      var symbols = [], place = null;
      for (k = 0; k < keys; k++) {
        if (!count[k]) continue;
        var cell = k >> 1;
        symbols.push({
          zoom: zoom,
          cell: [cx0 + cell % w, cy0 + Math.floor(cell / w)],
          area: (k & 1) === 1,
          count: count[k],
          row: count[k] === 1 ? head[k] : -1,
          head: head[k],
          x: sx[k] / count[k],
          y: sy[k] / count[k],
          extent: [minX[k], minY[k], maxX[k], maxY[k]],
          cats: cats.slice(k * nc, (k + 1) * nc),
          imprecise: impreciseCount[k]
        });
        // A cell's placeholders come right after its place symbol (key k - 1). Where that
        // symbol covers their centre, their count (or their one diamond) would be hidden:
        // they get a tag, and sym.tag keeps the covering symbol's half-size (see tagBox).
        var sym = symbols[symbols.length - 1];
        if (sym.area && place && place.key === k - 1) {
          var half = symbolHalf(place.sym);
          if (Math.abs(sym.x - place.sym.x) <= half / scale && Math.abs(sym.y - place.sym.y) <= half / scale) {
            sym.tag = half;
          }
        }
        place = sym.area ? null : { key: k, sym: sym };
      }
      // Placeholders under places: area symbols first, so exact ones are drawn on top.
      symbols.sort(function (a, b) { return (b.area ? 1 : 0) - (a.area ? 1 : 0); });
      this.symbols = symbols;
      this.scale = scale;
    },

    /** The rows of a symbol (its members), newest first. */
    members: function (sym) {
      var out = [], next = this.next;
      for (var i = sym.head; i >= 0 && out.length < sym.count; i = next[i]) out.push(i);
      return out;
    },

    /** The symbol's position as a LatLng (its event's own, or its members' centroid). */
    latLng: function (sym) {
      var store = this.app.store;
      if (sym.row >= 0) return L.latLng(store.lat[sym.row], store.lon[sym.row]);
      return L.latLng(FrontierBasemap.world.lat(sym.y), FrontierBasemap.world.lon(sym.x));
    },

    /** The symbol's identity: the same event, or the same cell with the same members. */
    identity: function (sym) {
      if (sym.row >= 0) return "e" + sym.row;
      return ["c", sym.zoom, sym.cell[0], sym.cell[1], sym.area ? 1 : 0, sym.head,
        Array.prototype.join.call(sym.cats, ",")].join("/");
    },

    /** Draw the symbols: DOM markers for few, a canvas for many (article events stay DOM). */
    draw: function () {
      var app = this.app, symbols = this.symbols;
      this.mode = symbols.length > this.domLimit || app.visibleCount > DOM_EVENTS ? "canvas" : "dom";
      app.mode = this.mode;
      var wanted = new Map(), onCanvas = [], painted = [];
      for (var s = 0; s < symbols.length; s++) {
        var sym = symbols[s], inDom = this.mode === "dom" || (sym.row >= 0 && app.curated[sym.row]);
        // A tag (see tagBox) is part of what is shown: a symbol that gains or loses one is made again.
        if (inDom) wanted.set(this.identity(sym) + (sym.tag ? "/tag" : ""), sym);
        else onCanvas.push(sym);
        // Every cluster is painted on the canvas; a DOM cluster is a clear button over its
        // symbol. A single placeholder under places is painted too, diamond and tag (see below).
        if (!inDom || sym.row < 0 || sym.tag) painted.push(sym);
      }
      var dom = this.dom, shown = this.shown;
      shown.forEach(function (layers, id) {
        if (wanted.has(id)) return;
        layers.forEach(function (layer) { dom.removeLayer(layer); });
        shown.delete(id);
      });
      wanted.forEach(function (sym, id) {
        if (shown.has(id)) return;
        var layers = sym.row >= 0 ? app.eventParts(sym.row) : [this.clusterMarker(sym)];
        var marker = sym.row >= 0 && app.eventMarkers[sym.row], under = !!sym.tag;
        if (marker && (marker.underPlaces || false) !== under) {
          // A single placeholder under places keeps its marker on its spot (for the keyboard),
          // but unseen and under the places' button: its diamond would hide their count.
          marker.underPlaces = under;
          marker.setIcon(app.eventIcon(sym.row, under ? "fm-under-places" : ""));
          marker.setZIndexOffset(under ? -1500 : app.eventZIndex);
        }
        if (sym.tag) layers = layers.concat([this.tagMarker(sym)]);
        layers.forEach(function (layer) { dom.addLayer(layer); });
        shown.set(id, layers);
      }, this);
      this.onCanvas = onCanvas;
      this.painted = painted;
      this.paint(painted);
    },

    /** Paint the canvas symbols; a single event within a radius with its footprint. */
    paint: function (symbols) {
      var map = this._map, canvas = this.canvas;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = symbols.length ? size.x * ratio : 0;
      canvas.height = symbols.length ? size.y * ratio : 0;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      canvas.style.visibility = "visible";
      this.drawnAt = Date.now();
      if (!symbols.length) return;
      var ctx = canvas.getContext("2d"), store = this.app.store, categories = store.categories;
      var scale = this.scale, origin = map.getPixelOrigin().add(topLeft);
      var uncertainty = this.app.payload.uncertaintyStyle;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      for (var s = 0; s < symbols.length; s++) {
        var sym = symbols[s], i = sym.row;
        sym.px = (i >= 0 ? this.x[i] : sym.x) * scale - origin.x;
        sym.py = (i >= 0 ? this.y[i] : sym.y) * scale - origin.y;
        if (i >= 0 && store.precision(i) === "radius" && store.radius[i] > 0) {
          ctx.beginPath();
          ctx.arc(sym.px, sym.py, store.radius[i] * 1000 * pixelsPerMetre(store.lat[i], scale), 0, 2 * Math.PI);
          ctx.fillStyle = categories[store.cat[i]].color;
          ctx.globalAlpha = uncertainty.fillOpacity;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.setLineDash(DASH_IMPRECISE);
          ctx.lineWidth = uncertainty.weight;
          ctx.strokeStyle = categories[store.cat[i]].color;
          ctx.stroke();
          ctx.setLineDash([]);
        }
      }
      for (s = 0; s < symbols.length; s++) {
        sym = symbols[s];
        if (sym.row >= 0) drawEvent(ctx, categories[store.cat[sym.row]].color, store.precision(sym.row), sym.px, sym.py);
        else drawCluster(ctx, sym, categories, sym.px, sym.py);
      }
      // Tags last: over the symbols that cover their clusters.
      for (s = 0; s < symbols.length; s++) {
        if (symbols[s].tag) drawTag(ctx, symbols[s], symbols[s].px, symbols[s].py);
      }
    },

    /**
     * A cluster as a DOM marker: a clear button (Enter or click opens it) over the symbol
     * the canvas paints (one canvas for all: a canvas per cluster made zooms slow).
     */
    clusterMarker: function (sym) {
      var layer = this, categories = this.app.store.categories;
      var half = Math.ceil(symbolHalf(sym)) + 2, side = 2 * half;
      var name = clusterName(sym, categories), identity = this.identity(sym);
      var marker = L.marker(this.latLng(sym), {
        icon: L.divIcon({ className: "fm-cluster" + (sym.area ? " fm-cluster-area" : ""), html: "",
          iconSize: [side, side], iconAnchor: [half, half] }),
        // Under event markers; placeholders under places whatever order the markers came
        // in (a cluster made again later is added last), as the canvas paints them.
        title: name, alt: name, keyboard: true, zIndexOffset: sym.area ? -2000 : -1000
      });
      marker.on("add", function () {
        var node = marker.getElement();
        node.setAttribute("aria-label", name);
        node.setAttribute("data-cluster-count", String(sym.count));
        node.setAttribute("data-cluster", identity);
        L.DomEvent.on(node, "keydown", function (ev) {
          if (ev.key !== "Enter" && ev.key !== " ") return;
          L.DomEvent.preventDefault(ev);
          layer.open(sym, true);
        });
      });
      marker.on("click", function () { layer.open(sym, false); });
      return marker;
    },

    /**
     * The marker of a tag: a clear box over the painted tag that opens the placeholders
     * (a click only: the keyboard reaches them through their own marker).
     */
    tagMarker: function (sym) {
      var layer = this, b = tagBox(sym, 0, 0), name = clusterName(sym, this.app.store.categories);
      var marker = L.marker(this.latLng(sym), {
        icon: L.divIcon({ className: "fm-cluster-tag", html: "", iconSize: [b[2] - b[0], b[3] - b[1]],
          iconAnchor: [-b[0], -b[1]] }),
        title: name, keyboard: false, zIndexOffset: -500
      });
      marker.on("add", function () {
        var node = marker.getElement();
        node.setAttribute("aria-hidden", "true");
        node.setAttribute("data-cluster", layer.identity(sym));
      });
      marker.on("click", function () { layer.activate(sym); });
      return marker;
    },

    /** A click on the canvas: the topmost canvas symbol (a tag before any symbol) under it opens. */
    onMapClick: function (e) {
      var symbols = this.onCanvas || [], p = e.containerPoint;
      for (var t = 0; t < symbols.length; t++) {
        var b = symbols[t].tag && tagBox(symbols[t], symbols[t].px, symbols[t].py);
        if (b && p.x >= b[0] && p.x <= b[2] && p.y >= b[1] && p.y <= b[3]) {
          this.activate(symbols[t]);
          return;
        }
      }
      for (var s = symbols.length - 1; s >= 0; s--) {
        var sym = symbols[s], half = symbolHalf(sym);
        if (Math.abs(p.x - sym.px) <= half && Math.abs(p.y - sym.py) <= half) {
          this.activate(sym);
          return;
        }
      }
    },

    /** A symbol or its tag clicked: a single event's popup, or the cluster opened (see open). */
    activate: function (sym) {
      if (sym.row >= 0) this.app.openRow(sym.row);
      else this.open(sym, false);
    },

    /**
     * Open a cluster: zoom to its members' extent, or, when they share one position or
     * the map is at its maximum zoom, list them. Each zoom is at least one step, and the
     * maximum zoom ends in a list, so clicks never loop.
     */
    open: function (sym, byKeyboard) {
      var map = this._map, store = this.app.store, rows = this.members(sym);
      var bounds = L.latLngBounds(rows.map(function (i) { return [store.lat[i], store.lon[i]]; }));
      var zoom = map.getZoom(), max = map.getMaxZoom();
      if (bounds.getNorthEast().equals(bounds.getSouthWest()) || zoom >= max) {
        this.app.openListPopup(this.latLng(sym), rows, byKeyboard);
        return;
      }
      // Keep the members clear of the controls above and below (on a phone the attribution
      // bar is several lines tall): as much room at both ends, so the centre stays centred.
      var inset = controlInset(map);
      var padding = L.point(40, 40 + 2 * inset);
      var target = Math.min(max, Math.max(zoom + 1, map.getBoundsZoom(bounds, false, padding)));
      map.setView(bounds.getCenter(), target, { animate: false });
    },

    /** Container-pixel boxes of the symbols on the canvas (city names keep clear of them). */
    paintedBoxes: function () {
      var boxes = [];
      (this.painted || []).forEach(function (sym) {
        var half = symbolHalf(sym);
        boxes.push([sym.px - half, sym.py - half, sym.px + half, sym.py + half]);
        if (sym.tag) boxes.push(tagBox(sym, sym.px, sym.py));
      });
      return boxes;
    },

    /** What is drawn, for tests and scripts: each symbol with its container position. */
    drawn: function () {
      var map = this._map, layer = this;
      return this.symbols.map(function (sym) {
        var p = map.latLngToContainerPoint(layer.latLng(sym));
        var sw = map.latLngToContainerPoint(layer.extentCorner(sym, 0)), ne = map.latLngToContainerPoint(layer.extentCorner(sym, 1));
        return { count: sym.count, area: sym.area, row: sym.row, x: p.x, y: p.y,
          extent: [sw.x, ne.y, ne.x, sw.y], canvas: layer.onCanvas.indexOf(sym) >= 0,
          members: layer.members(sym), tag: sym.tag ? tagBox(sym, p.x, p.y) : null };
      });
    },

    /** South-west (0) or north-east (1) corner of a symbol's members' extent. */
    extentCorner: function (sym, which) {
      var e = sym.extent, mx = which ? e[2] : e[0], my = which ? e[1] : e[3];
      return L.latLng(FrontierBasemap.world.lat(my), FrontierBasemap.world.lon(mx));
    }
  });

  /** A legend canvas of `width` × `height` CSS pixels, sharp on any screen, painted by `paint(ctx)`. */
  function legendCanvas(width, height, paint) {
    var ratio = window.devicePixelRatio || 1, canvas = document.createElement("canvas");
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    canvas.setAttribute("class", "fm-legend-cluster");
    canvas.setAttribute("aria-hidden", "true");
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    paint(ctx);
    return canvas;
  }

  /** A legend cluster of 3 events in 3 categories (imprecise, placeholders: as asked). */
  function legendSym(categories, area, imprecise) {
    var cats = new Int32Array(categories.length);
    for (var c = 0; c < cats.length && c < 3; c++) cats[c] = 1;
    return { count: 3, area: area, imprecise: imprecise ? 3 : 0, cats: cats };
  }

  /** A small cluster symbol for the legend (categories' colours, imprecise, placeholders). */
  function legendSymbol(categories, area, imprecise) {
    var sym = legendSym(categories, area, imprecise), half = Math.ceil(symbolHalf(sym)) + 1;
    return legendCanvas(2 * half, 2 * half, function (ctx) { drawCluster(ctx, sym, categories, half, half); });
  }

  /** The legend's tag (see tagBox): placeholders under a cluster of places, their number on the tag. */
  function legendTag(categories) {
    var under = legendSym(categories, true, true), over = legendSym(categories, false, false);
    var half = Math.ceil(symbolHalf(under)) + 1, top = Math.ceil(-tagBox(under, 0, 0)[1]) + 1;
    return legendCanvas(2 * half, top + half, function (ctx) {
      drawCluster(ctx, under, categories, half, top);
      drawCluster(ctx, over, categories, half, top);
      drawTag(ctx, under, half, top);
    });
  }

  window.FrontierCluster = { ClusterLayer: ClusterLayer, MAX_ZOOM: MAX_ZOOM, legendSymbol: legendSymbol,
    legendTag: legendTag };
})();
