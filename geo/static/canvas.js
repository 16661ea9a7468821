/*
 * Many events on one canvas, for when too many are visible for one marker each.
 * Exposes window.FrontierCanvas = { CanvasEvents }, a Leaflet layer made from the app
 * (its store, visibility mask and popups).
 */
(function () {
  "use strict";

  // Events are binned into square screen cells of this size.
  var CELL_PX = 44;

  /**
   * Many events on one canvas: visible events are binned into a screen grid of
   * CELL_PX cells; a cell with one event shows that event's symbol (precision
   * included), a cell with more shows a count. Clicking a count zooms in; at the
   * deepest zoom, or on a single event, a popup opens, built on demand.
   */
  var CanvasEvents = L.Layer.extend({
    initialize: function (app) {
      this.app = app;
      var store = app.store, n = store.n;
      // Web Mercator position of every event, in 0..1 world units.
      this.x = new Float64Array(n);
      this.y = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var lat = Math.max(-85, Math.min(85, store.lat[i])) * Math.PI / 180;
        this.x[i] = (store.lon[i] + 180) / 360;
        this.y[i] = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
      }
    },
    onAdd: function (map) {
      this.canvas = L.DomUtil.create("canvas", "fm-event-canvas");
      this.canvas.setAttribute("aria-hidden", "true");
      map.getPanes().overlayPane.appendChild(this.canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      map.on("zoomstart", this.hide, this);
      map.on("click", this.onClick, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this.canvas);
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      map.off("zoomstart", this.hide, this);
      map.off("click", this.onClick, this);
    },
    hide: function () { this.canvas.style.visibility = "hidden"; },
    /** Bin the visible events in view and draw them. */
    redraw: function () {
      var map = this._map;
      if (!map) return;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this.canvas, topLeft);
      this.canvas.width = size.x * ratio;
      this.canvas.height = size.y * ratio;
      this.canvas.style.width = size.x + "px";
      this.canvas.style.height = size.y + "px";
      this.canvas.style.visibility = "visible";
      var scale = 256 * Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin().add(topLeft);
      var cols = Math.ceil(size.x / CELL_PX) + 1, rows = Math.ceil(size.y / CELL_PX) + 1;
      var cells = cols * rows;
      var count = new Int32Array(cells), first = new Int32Array(cells).fill(-1);
      var sx = new Float64Array(cells), sy = new Float64Array(cells);
      var mask = this.app.mask, curated = this.app.curated, x = this.x, y = this.y, n = x.length;
      for (var i = 0; i < n; i++) {
        if (!mask[i] || curated[i]) continue;
        var px = x[i] * scale - origin.x, py = y[i] * scale - origin.y;
        if (px < 0 || py < 0 || px >= size.x || py >= size.y) continue;
        var c = Math.floor(px / CELL_PX) + Math.floor(py / CELL_PX) * cols;
        if (first[c] < 0) first[c] = i;
        count[c]++;
        sx[c] += px;
        sy[c] += py;
      }
      this.grid = { cols: cols, count: count, first: first, sx: sx, sy: sy, scale: scale, origin: origin,
        size: size };
      var ctx = this.canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      for (c = 0; c < cells; c++) {
        if (count[c] === 1) this.drawEvent(ctx, first[c], x[first[c]] * scale - origin.x,
          y[first[c]] * scale - origin.y);
        else if (count[c] > 1) this.drawCount(ctx, count[c], sx[c] / count[c], sy[c] / count[c]);
      }
      this.drawnAt = Date.now();
    },
    drawEvent: function (ctx, i, px, py) {
      var store = this.app.store, kind = store.precision(i);
      ctx.fillStyle = store.categories[store.cat[i]].color;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 2;
      ctx.setLineDash(kind === "exact" ? [] : [3, 2]);
      ctx.beginPath();
      if (kind === "area") {
        ctx.moveTo(px, py - 8); ctx.lineTo(px + 8, py); ctx.lineTo(px, py + 8); ctx.lineTo(px - 8, py);
        ctx.closePath();
        ctx.fillStyle = "#fff";
        ctx.fill();
        ctx.strokeStyle = store.categories[store.cat[i]].color;
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
    },
    drawCount: function (ctx, k, px, py) {
      var r = 7 + 3 * Math.log(k) / Math.LN10;
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(31, 45, 58, 0.6)";
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.stroke();
      ctx.fillStyle = "#fff";
      ctx.font = "bold 10px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(k >= 10000 ? Math.round(k / 1000) + "k" : String(k), px, py);
    },
    /** A click on a single event opens it; on a count zooms in (or lists them at max zoom). */
    onClick: function (e) {
      var g = this.grid, map = this._map;
      if (!g) return;
      var p = e.containerPoint;
      var c = Math.floor(p.x / CELL_PX) + Math.floor(p.y / CELL_PX) * g.cols;
      if (!(g.count[c] > 0)) return;
      if (g.count[c] === 1) { this.app.openPopupAt(g.first[c]); return; }
      var members = this.cellMembers(c);
      if (map.getZoom() < map.getMaxZoom() - 1) {
        var bounds = L.latLngBounds(members.map(function (i) {
          return [this.app.store.lat[i], this.app.store.lon[i]];
        }, this));
        if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), map.getZoom() + 3);
        else map.fitBounds(bounds.pad(0.2));
      } else {
        this.app.openListPopup(e.latlng, members);
      }
    },
    cellMembers: function (c) {
      var g = this.grid, out = [], mask = this.app.mask, curated = this.app.curated, x = this.x, y = this.y;
      for (var i = 0; i < x.length && out.length < g.count[c]; i++) {
        if (!mask[i] || curated[i]) continue;
        var px = x[i] * g.scale - g.origin.x, py = y[i] * g.scale - g.origin.y;
        if (px < 0 || py < 0 || px >= g.size.x || py >= g.size.y) continue;  // as in redraw
        if (Math.floor(px / CELL_PX) + Math.floor(py / CELL_PX) * g.cols === c) out.push(i);
      }
      return out;
    }
  });

  window.FrontierCanvas = { CanvasEvents: CanvasEvents };
})();
