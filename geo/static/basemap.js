/*
 * frontier-map basemap: the world around the frontier, the frontier's own 1:10m layers,
 * the first view and how far the reader may go, and labels that do not collide.
 *
 * Everything is drawn in the "fm-basemap" pane, below Leaflet's overlay pane, so that
 * any layer added to the map later (our overlays, a folium layer) draws above it. The
 * sea is the map's background; land is drawn over it: Natural Earth 1:50m from the
 * world-atlas package (cut to the map by geo/world.py) everywhere, the 1:10m frontier
 * layers of the payload on top.
 * Colours come from the payload (geo/style.py), never from here.
 */
(function () {
  "use strict";

  var PANE = "fm-basemap";
  var LABEL_PANE = "fm-labels";
  // Padding around a label, in pixels, when testing it against others and markers.
  var LABEL_GAP = 3;
  // Where a city's name may go around its dot, in order of preference: [dx, dy] of the
  // name's anchor in units of (dot radius + gap) and its CSS translate.
  var SPOTS = [
    { side: [1, 0], shift: "translate(0, -50%)" },
    { side: [-1, 0], shift: "translate(-100%, -50%)" },
    { side: [0, -1], shift: "translate(-50%, -100%)" },
    { side: [0, 1], shift: "translate(-50%, 0)" }
  ];

  function panes(map) {
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = 150;
    if (!map.getPane(LABEL_PANE)) {
      var labels = map.createPane(LABEL_PANE);
      labels.style.zIndex = 450;  // above the overlays, below markers and popups
      labels.style.pointerEvents = "none";
    }
  }

  function textNode(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------ the drawing

  /**
   * Web Mercator as Leaflet's EPSG:3857 projects it, in world units (0 to 1 across the
   * world; one unit is 256 * 2^z pixels at zoom z), written out so that a million events
   * or a hundred thousand vertices cost no objects. The page's one copy: cluster.js
   * uses it too (FrontierBasemap.world).
   */
  var MAX_LAT = L.Projection.SphericalMercator.MAX_LATITUDE;
  function worldX(lon) { return (lon + 180) / 360; }
  function worldY(lat) {
    var sin = Math.sin(Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }
  /** The longitude at world x and the latitude at world y (the inverses). */
  function worldLon(x) { return x * 360 - 180; }
  function worldLat(y) {
    return Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
  }

  /**
   * Static shapes drawn on one canvas: each ``{rings, style, closed}`` holds its rings
   * (or lines) as flat arrays of world units (see worldX) relative to ``origin``, projected
   * once. A redraw (after a move or a zoom) scales Path2D objects instead of projecting
   * every vertex again as Leaflet's vector layers do, which made the basemap most of a
   * page's load and of every zoom. The paths of a zoom leave out vertices within half a
   * pixel of the last one kept, so a zoomed-out map does not draw thousands of vertices
   * per pixel (made once per whole zoom; from FULL_DETAIL_ZOOM on, every vertex).
   * Leaflet's canvas renderer still places the canvas, scales it during zoom animations
   * and handles high-density screens.
   */
  var FULL_DETAIL_ZOOM = 12;
  var ShapeCanvas = L.Canvas.extend({
    initialize: function (shapes, origin, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._shapes = shapes;
      this._origin = origin;
      this._paths = {};
    },

    /** The shapes' Path2D objects for zoom ``zoom`` (see above). */
    _pathsAt: function (zoom) {
      var key = Math.max(0, Math.min(FULL_DETAIL_ZOOM, Math.floor(zoom)));
      if (!this._paths[key]) {
        var tolerance = key === FULL_DETAIL_ZOOM ? 0 : 0.5 / (256 * Math.pow(2, key));
        this._paths[key] = this._shapes.map(function (shape) { return pathOf(shape, tolerance); });
      }
      return this._paths[key];
    },

    _draw: function () {
      var map = this._map, ctx = this._ctx, zoom = map.getZoom(), shapes = this._shapes;
      var s = 256 * map.getZoomScale(zoom, 0), pixelOrigin = map.getPixelOrigin();
      ctx.save();
      ctx.translate(this._origin[0] * s - pixelOrigin.x, this._origin[1] * s - pixelOrigin.y);
      ctx.scale(s, s);
      this._pathsAt(zoom).forEach(function (path, k) { paint(ctx, path, shapes[k], s); });
      ctx.restore();
    }
  });

  /** A shape's rings as one Path2D, leaving out vertices within ``tolerance`` of the last one kept. */
  function pathOf(shape, tolerance) {
    var path = new Path2D();
    shape.rings.forEach(function (ring) {
      var n = ring.length / 2, x = ring[0], y = ring[1];
      path.moveTo(x, y);
      for (var k = 1; k < n; k++) {
        var nx = ring[2 * k], ny = ring[2 * k + 1];
        if (k < n - 1 && Math.abs(nx - x) < tolerance && Math.abs(ny - y) < tolerance) continue;
        path.lineTo(nx, ny);
        x = nx;
        y = ny;
      }
      if (shape.closed) path.closePath();
    });
    return path;
  }

  /** Fill and stroke ``path`` as Leaflet's canvas renderer would ``shape``, with its defaults for paths. */
  function paint(ctx, path, shape, scale) {
    var o = L.extend({}, shape.closed ? L.Polygon.prototype.options : L.Polyline.prototype.options, shape.style);
    if (o.fill && shape.closed) {
      ctx.globalAlpha = o.fillOpacity;
      ctx.fillStyle = o.fillColor || o.color;
      ctx.fill(path, o.fillRule || "evenodd");
    }
    if (o.stroke && o.weight !== 0) {
      var dashes = typeof o.dashArray === "string" ? o.dashArray.split(/[, ]+/) : o.dashArray || [];
      ctx.setLineDash(dashes.map(function (d) { return Number(d) / scale; }));
      ctx.globalAlpha = o.opacity;
      ctx.lineWidth = o.weight / scale;
      ctx.strokeStyle = o.color;
      ctx.lineCap = o.lineCap;
      ctx.lineJoin = o.lineJoin;
      ctx.stroke(path);
    }
  }

  /** Every ring of a geometry's polygons, or every line, from its ``coordinates`` or ``coded`` member. */
  function ringsOf(type, nested) {
    return type === "Polygon" || type === "MultiLineString" ? nested
      : type === "MultiPolygon" ? [].concat.apply([], nested)
        : type === "LineString" ? [nested] : [];
  }

  /**
   * Shapes of the payload's coded basemap ``geometries`` (geo/payload.py coded_geometry:
   * GeoJSON's nesting, each ring or line ``[x0, y0, dx1, dy1, ...]`` in ``1/units``
   * degrees) in one style, projected relative to ``origin``.
   */
  function shapes(geometries, style, origin) {
    return geometries.map(function (geometry) {
      return { style: style, closed: /Polygon$/.test(geometry.type), rings: ringsOf(geometry.type, geometry.coded)
        .filter(function (ring) { return ring.length; })
        .map(function (ring) { return coded(ring, geometry.units, origin); }) };
    });
  }

  /** A coded ring or line as GeoJSON positions. */
  function positions(ring, units) {
    var out = new Array(ring.length / 2), lon = 0, lat = 0;
    for (var k = 0; k < ring.length; k += 2) {
      lon += ring[k];
      lat += ring[k + 1];
      out[k / 2] = [lon / units, lat / units];
    }
    return out;
  }

  /** A basemap feature with GeoJSON coordinates (decoded once) where Leaflet needs them. */
  function geoJSON(feature) {
    var g = feature.geometry;
    if (!g.coded) return feature;
    if (!feature.decoded) {
      var line = function (ring) { return positions(ring, g.units); };
      var lines = function (rings) { return rings.map(line); };
      var coordinates = g.type === "LineString" ? line(g.coded) : g.type === "MultiPolygon" ?
        g.coded.map(lines) : lines(g.coded);
      feature.decoded = { type: "Feature", id: feature.id, properties: feature.properties,
        geometry: { type: g.type, coordinates: coordinates } };
    }
    return feature.decoded;
  }

  /**
   * A coded ring or line (geo/world.py encode_line: ``[x0, y0, dx1, dy1, ...]`` in
   * ``1/units`` degrees), projected to world units (see worldX) relative to ``origin``.
   */
  function coded(ring, units, origin) {
    var flat = new Float64Array(ring.length), lon = 0, lat = 0;
    for (var k = 0; k < ring.length; k += 2) {
      lon += ring[k];
      lat += ring[k + 1];
      flat[k] = worldX(lon / units) - origin[0];
      flat[k + 1] = worldY(lat / units) - origin[1];
    }
    return flat;
  }

  /**
   * The basemap's shapes on one canvas: Natural Earth 1:50m land and land borders (cut
   * to the limits at build time), then the payload's 1:10m lines and areas.
   */
  function basemapCanvas(payload) {
    var limits = payload.limits, world = payload.world, units = world.shapes.units;
    // Paths are relative to the middle of the limits: small numbers, precise at any zoom.
    var origin = [worldX((limits[0][1] + limits[1][1]) / 2), worldY((limits[0][0] + limits[1][0]) / 2)];
    var project = function (ring) { return coded(ring, units, origin); };
    var list = [
      // All land in one path, every polygon's rings, filled even-odd (holes stay open).
      { style: world.land, closed: true, rings: [].concat.apply([], world.shapes.land.map(function (polygon) {
        return polygon.map(project);
      })) },
      { style: world.borders, closed: false, rings: world.shapes.borders.map(project) }
    ];
    payload.basemap.forEach(function (layer) {
      var lines = layer.data.features.filter(function (f) { return f.geometry.type !== "Point"; });
      list = list.concat(shapes(lines.map(function (f) { return f.geometry; }), layer.style, origin));
    });
    return new ShapeCanvas(list, origin, { pane: PANE, interactive: false });
  }

  // ------------------------------------------------------------------ labels

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  function grow(box, by) {
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by];
  }

  /**
   * City names by priority (Natural Earth scalerank, then population), each shown only
   * where it overlaps no higher-priority name, no line label, no marker and no map
   * control, and is not cut by the map's edge;
   * recomputed after every zoom, pan, layer switch and change of the events shown.
   */
  function Labels(map) {
    this.map = map;
    this.cities = [];
    this.lineLabels = [];
    /** True while an update is waiting for the next frame. */
    this.pending = false;
    /** Functions giving more boxes to keep clear of, in container pixels (see markerBoxes). */
    this.obstacles = [];
    map.on("zoomend moveend resize overlayadd overlayremove layeradd layerremove", this.schedule, this);
  }

  Labels.prototype.schedule = function () {
    if (this.pending) return;
    this.pending = true;
    var self = this;
    window.requestAnimationFrame(function () { self.update(); });
  };

  Labels.prototype.addCity = function (feature, latlng, dot) {
    var extra = feature.properties.extra || {};
    var marker = L.marker(latlng, { pane: LABEL_PANE, interactive: false, keyboard: false,
      icon: L.divIcon({ className: "fm-city-label", iconSize: null,
        html: textNode("span", "fm-city-name", feature.properties.name) }) });
    this.cities.push({ id: feature.id, latlng: latlng, dot: dot, marker: marker, size: null,
      rank: typeof extra.scalerank === "number" ? extra.scalerank : 99, pop: extra.pop_max || 0 });
    return marker;
  };

  Labels.prototype.sortCities = function () {
    this.cities.sort(function (a, b) {
      return a.rank - b.rank || b.pop - a.pop || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  };

  /** Boxes of the markers, the map's controls and the obstacles, in container pixels. */
  Labels.prototype.markerBoxes = function () {
    var container = this.map.getContainer(), origin = container.getBoundingClientRect();
    // Symbols drawn without a DOM node of their own (the events canvas), from their layers.
    var boxes = [].concat.apply([], this.obstacles.map(function (boxesOf) { return boxesOf(); }));
    var nodes = Array.prototype.slice.call(this.map.getPane("markerPane").children)
      .concat(Array.prototype.slice.call(container.querySelectorAll(".leaflet-control")));
    nodes.forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width || r.height) {
        boxes.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
      }
    });
    return boxes;
  };

  /** Measure the names not measured yet: all shown first, then all read, so one layout serves. */
  Labels.prototype.measure = function () {
    var fresh = this.cities.filter(function (city) { return !city.size && city.marker.getElement(); });
    fresh.forEach(function (city) { city.marker.getElement().style.display = ""; });
    fresh.forEach(function (city) {
      var span = city.marker.getElement().firstChild;
      city.size = [span.offsetWidth, span.offsetHeight];
    });
  };

  Labels.prototype.update = function () {
    this.pending = false;
    var map = this.map, taken = this.markerBoxes(), gap = LABEL_GAP, view = map.getSize();
    this.measure();
    this.lineLabels.forEach(function (label) {
      var box = label.place(taken);
      if (box) taken.push(grow(box, gap));
    });
    this.cities.forEach(function (city) {
      var node = city.marker.getElement(), dot = city.dot.getElement && city.dot.getElement();
      if (!node || !city.size) return;
      var p = map.latLngToContainerPoint(city.latlng);
      var r = (city.dot.options.radius || 3) + 2, w = city.size[0], h = city.size[1];
      var dotBox = [p.x - r, p.y - r, p.x + r, p.y + r];
      var spot = null, box = null;
      for (var k = 0; k < SPOTS.length && !spot; k++) {
        var s = SPOTS[k], x = p.x + s.side[0] * r, y = p.y + s.side[1] * r;
        var left = s.side[0] > 0 ? x : s.side[0] < 0 ? x - w : x - w / 2;
        var top = s.side[1] > 0 ? y : s.side[1] < 0 ? y - h : y - h / 2;
        box = [Math.min(left, dotBox[0]), Math.min(top, dotBox[1]), Math.max(left + w, dotBox[2]),
          Math.max(top + h, dotBox[3])];
        // Leaflet puts markers on whole pixels: a pixel of slack all round.
        var cut = box[0] < 1 || box[1] < 1 || box[2] > view.x - 1 || box[3] > view.y - 1, wide = grow(box, 1);
        if (!cut && !taken.some(function (other) { return overlaps(wide, other); })) spot = s;
      }
      if (spot) {
        taken.push(grow(box, gap));
        var span = node.firstChild;
        span.style.left = spot.side[0] * r + "px";
        span.style.top = spot.side[1] * r + "px";
        span.style.transform = spot.shift;
      }
      node.style.display = spot ? "" : "none";
      if (dot) dot.style.display = spot ? "" : "none";
      node.setAttribute("data-shown", spot ? "true" : "false");
    });
  };

  // ------------------------------------------------------------- line label

  function ring(latlngs) {
    return latlngs.length && !(latlngs[0] instanceof L.LatLng) ? latlngs : [latlngs];
  }

  /**
   * A label set along a line: on its longest straight stretch in view (in screen
   * pixels at the current zoom) that clears the markers, turned to run along it; on
   * one line of text where a stretch is long enough, else on two. It lives in the
   * label pane, which takes no clicks, so it never catches a click meant for an area
   * under it.
   */
  function LineLabel(map, line, lines) {
    this.map = map;
    this.line = line;
    this.forms = [lines.join(" — "), lines.join("\n")];
    var span = textNode("span", "fm-line-label", this.forms[0]);
    span.style.color = line.options.color;
    this.marker = L.marker(line.getBounds().getCenter(), { pane: LABEL_PANE, interactive: false,
      keyboard: false, icon: L.divIcon({ className: "fm-line-label-anchor " + (line.options.className || ""),
        iconSize: null, html: span }) });
    this.sizes = null;
  }

  /** Place the label clear of ``taken`` boxes; its box, or null when it is hidden. */
  LineLabel.prototype.place = function (taken) {
    var map = this.map, node = this.marker.getElement();
    if (!node || !map.hasLayer(this.line)) return null;
    var span = node.firstChild;
    if (!this.sizes) {
      this.sizes = this.forms.map(function (text) {
        span.textContent = text;
        return [span.offsetWidth, span.offsetHeight];
      });
    }
    var best = null;
    for (var f = 0; f < this.forms.length && !(best && best.clear); f++) {
      var found = this.stretch(this.sizes[f], taken);
      if (found && (!best || found.clear)) { best = found; best.form = f; }
    }
    node.style.display = best ? "" : "none";
    if (!best) return null;
    span.textContent = this.forms[best.form];
    this.marker.setLatLng(map.containerPointToLatLng(best.mid));
    span.style.transform = "translate(-50%, -50%) rotate(" + (best.angle * 180 / Math.PI).toFixed(2) + "deg)";
    return best.box;
  };

  /** The longest stretch in view for a label of ``size``, preferring one clear of ``taken``. */
  LineLabel.prototype.stretch = function (size, taken) {
    var map = this.map, w = size[0], h = size[1], view = map.getSize(), best = null;
    ring(this.line.getLatLngs()).forEach(function (part) {
      // Stretches that stay within half the label's height of a straight chord.
      var points = L.LineUtil.simplify(part.map(function (ll) { return map.latLngToContainerPoint(ll); }),
        h / 2);
      for (var k = 1; k < points.length; k++) {
        var a = points[k - 1], b = points[k], length = a.distanceTo(b);
        if (length < w + h) continue;
        var mid = a.add(b).divideBy(2);
        var angle = Math.atan2(b.y - a.y, b.x - a.x);
        if (angle > Math.PI / 2) angle -= Math.PI;
        if (angle < -Math.PI / 2) angle += Math.PI;
        var cos = Math.abs(Math.cos(angle)), sin = Math.abs(Math.sin(angle));
        var hw = (w * cos + h * sin) / 2, hh = (w * sin + h * cos) / 2;
        var box = [mid.x - hw, mid.y - hh, mid.x + hw, mid.y + hh];
        if (box[0] < 4 || box[1] < 4 || box[2] > view.x - 4 || box[3] > view.y - 4) continue;
        var clear = !taken.some(function (other) { return overlaps(box, other); });
        var score = length + (clear ? 1e6 : 0);
        if (!best || score > best.score) best = { score: score, mid: mid, angle: angle, box: box, clear: clear };
      }
    });
    return best;
  };

  // ------------------------------------------------------------------- API

  window.FrontierBasemap = {
    PANE: PANE,
    LABEL_PANE: LABEL_PANE,
    /** Web Mercator in world units: x(lon), y(lat) and the inverses lon(x), lat(y). */
    world: { x: worldX, y: worldY, lon: worldLon, lat: worldLat },
    /** A basemap feature as GeoJSON (its lines and areas travel coded; see shapes). */
    geoJSON: geoJSON,

    /**
     * The whole basemap as one layer group: the world (1:50m), then the payload's
     * basemap layers (1:10m) with their city labels. ``labels`` is a Labels object.
     */
    layer: function (map, payload, labels) {
      panes(map);
      map.getContainer().style.background = payload.world.sea;
      var group = L.layerGroup([basemapCanvas(payload)]);
      payload.basemap.forEach(function (layer) {
        var style = L.extend({}, layer.style, { pane: PANE, interactive: false });
        layer.data.features.forEach(function (feature) {
          if (feature.geometry.type !== "Point") return;
          var c = feature.geometry.coordinates, latlng = L.latLng(c[1], c[0]), dot = L.circleMarker(latlng, style);
          group.addLayer(dot);
          group.addLayer(labels.addCity(feature, latlng, dot));
        });
      });
      labels.sortCities();
      return group;
    },

    /** The labels of a map. */
    labels: function (map) {
      panes(map);
      return new Labels(map);
    },

    /**
     * A label along ``line`` (a Leaflet polyline), added to ``group`` so it shows and
     * hides with it; placed by ``labels`` before the city names. ``lines``: its text,
     * as the lines it breaks into where there is no room for one.
     */
    lineLabel: function (map, labels, group, line, lines) {
      panes(map);
      var label = new LineLabel(map, line, lines);
      labels.lineLabels.push(label);
      group.addLayer(label.marker);
      return label;
    },

    /**
     * The first view and its limits: the view opens on ``payload.frame`` (the frontier;
     * ``payload.bounds`` holds every event and layer) and never leaves ``payload.limits``,
     * which the world basemap covers; the minimum zoom is the one at which the map still
     * fills its box inside the limits, kept up to date as the box changes size.
     */
    view: function (map, payload) {
      var limits = L.latLngBounds(payload.limits);
      map.options.maxBoundsViscosity = 1;
      map.setMaxBounds(limits);
      function minZoom() { map.setMinZoom(map.getBoundsZoom(limits, true)); }
      minZoom();
      map.on("resize", minZoom);
      this.frame(map, payload);
    },

    /** The first view: the frontier (``payload.frame``) fitted to the map's box. */
    frame: function (map, payload) {
      // No animation: the page is ready only once the first view has settled.
      map.fitBounds(L.latLngBounds(payload.frame), { padding: [20, 20], animate: false });
    }
  };
})();
