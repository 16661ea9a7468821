/*
 * Deep links that work from file://: the URL hash records the open event, the
 * time window, the category filters, the visible overlay layers and the view,
 *
 *   map.html#event=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&cats=a,b&layers=x,y&map=zoom/lat/lon
 *
 * kept up to date with history.replaceState (throttled: no history entries, no
 * reload; skipped where the address cannot be written, as in a notebook's iframe). Opening such a link, or changing the hash, applies what it names;
 * parameters it leaves out stay as they are. Unknown or malformed values are
 * ignored. from/to also take YYYY or YYYY-MM (the first/last day they mean);
 * cats/layers list ids to show ("none" for none; all shown when absent).
 */
(function () {
  "use strict";

  var WRITE_MS = 300;
  var VIEW = /^([0-9]{1,2}(?:\.[0-9]+)?)\/(-?[0-9]{1,2}(?:\.[0-9]+)?)\/(-?[0-9]{1,3}(?:\.[0-9]+)?)$/;

  /** name -> value of '#a=1&b=2'; pairs that cannot be decoded are skipped. */
  function parse(hash) {
    var out = Object.create(null);
    String(hash).replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at <= 0) return;
      try {
        out[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
      } catch (e) {
        return;  // a malformed %-escape: this pair is ignored
      }
    });
    return out;
  }

  /** The known ids of a comma list; [] for "none"; null when absent or naming none. */
  function idList(value, known) {
    if (value === undefined) return null;
    if (value === "none") return [];
    var out = value.split(",").filter(function (id) { return known.indexOf(id) >= 0; });
    return out.length ? out : null;
  }

  FrontierMap.extend(function (app) {
    var kit = FrontierMap.kit, map = app.map, store = app.store;
    var overlays = Object.keys(app.overlayLayers), categories = Object.keys(app.categoryLayers);

    function showOnly(groups, ids, wanted) {
      ids.forEach(function (id) {
        var on = wanted.indexOf(id) >= 0;
        if (on !== map.hasLayer(groups[id])) {
          if (on) map.addLayer(groups[id]); else map.removeLayer(groups[id]);
        }
      });
    }

    /** Apply a hash; `fly` moves the map to a linked event (after the page opened). */
    function apply(hash, fly) {
      var p = parse(hash);
      var layers = idList(p.layers, overlays), cats = idList(p.cats, categories);
      if (layers) showOnly(app.overlayLayers, overlays, layers);
      if (cats) showOnly(app.categoryLayers, categories, cats);
      var from = p.from === undefined ? null : kit.parseDay(p.from, false);
      var to = p.to === undefined ? null : kit.parseDay(p.to, true);
      if ((from !== null || to !== null) && (from === null || to === null || from <= to)) {
        app.setWindow(from, to);  // null: the events' own first or last day
      }
      var view = VIEW.exec(p.map || "");
      if (view && Math.abs(+view[2]) <= 85 && Math.abs(+view[3]) <= 180) {
        var zoom = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), +view[1]));  // Leaflet snaps it
        map.setView([+view[2], +view[3]], zoom, { animate: false });
      }
      var i = p.event === undefined ? undefined : store.rowOf(p.event);
      if (i === undefined) return;
      // Without a view of its own, the link brings the event's marker into view: a jump
      // when the page opens, a flight when the hash changes later.
      if (!view) kit.showEvent(i, !fly);
      else app.openRow(i);
    }

    /** The hash of the current state (defaults left out, the view always in). */
    function state() {
      var parts = [];
      if (app.openIndex !== null && app.openIndex !== undefined) {
        parts.push("event=" + encodeURIComponent(store.id(app.openIndex)));
      }
      var w = app.window;
      if (w[0] !== app.span[0] || w[1] !== app.span[1]) parts.push("from=" + kit.isoDay(w[0]), "to=" + kit.isoDay(w[1]));
      [["cats", categories, app.categoryLayers], ["layers", overlays, app.overlayLayers]].forEach(function (g) {
        var on = g[1].filter(function (id) { return map.hasLayer(g[2][id]); });
        if (on.length < g[1].length) parts.push(g[0] + "=" + (on.length ? on.map(encodeURIComponent).join(",") : "none"));
      });
      var c = map.getCenter();
      parts.push("map=" + map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
      return "#" + parts.join("&");
    }

    // Some documents cannot change their address: a notebook shows the map in an
    // iframe's srcdoc (about:srcdoc), where replaceState throws. There the links
    // still apply when opened; the page just stops writing them.
    var writable = true;
    var write = kit.throttle(function () {
      var hash = state();
      if (!writable || hash === window.location.hash) return;
      try {
        window.history.replaceState(window.history.state, "", hash);
      } catch (e) {
        writable = false;
      }
    }, WRITE_MS);

    // A link the page was opened with applies once the map is drawn for its final box.
    if (window.location.hash.length > 1) app.once("drawn", function () { apply(window.location.hash, false); });
    app.on("change eventopen eventclose", write);
    map.on("moveend", write);
    // The event's own new URL: a throttled write may already have replaced location.hash.
    window.addEventListener("hashchange", function (e) { apply(new URL(e.newURL).hash, true); });
  });
})();
