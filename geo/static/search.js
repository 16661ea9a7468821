/*
 * Search over events (title, place, summary) and places (overlay and basemap
 * features: name, local-script names, alternative spellings such as Patakia for
 * Paktika). An ARIA 1.2 combobox: the text field keeps focus, Up/Down move the
 * active option (aria-activedescendant), Enter chooses, Escape closes. Choosing
 * flies to the result and opens it. Results are capped, so a million events
 * stay quick; matching ignores case, accents and Arabic-script vowel marks.
 */
(function () {
  "use strict";

  var MAX_PLACES = 8;
  var MAX_RESULTS = 40;
  var MIN_CHARS = 2;

  /** Lower-case, accents and Arabic-script vowel marks removed, Arabic/Persian letter variants unified. */
  function fold(text) {
    var s = String(text || "").toLowerCase();
    if (!/[^\x00-\x7f]/.test(s)) return s;
    return s.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "")
      .replace(/\u064a/g, "\u06cc").replace(/\u0643/g, "\u06a9");
  }

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, kit = FrontierMap.kit, store = app.store, map = app.map;
    var places = placeIndex();
    var cache = {};  // folded text columns, built on the first search

    var input = el("input", { id: "fm-search", type: "search", role: "combobox", autocomplete: "off",
      spellcheck: "false", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "fm-search-list",
      placeholder: "Search events and places" }, []);
    var listbox = el("ul", { id: "fm-search-list", role: "listbox", "aria-label": "Search results", hidden: "hidden" }, []);
    var status = el("p", { "class": "fm-sr", role: "status", "aria-live": "polite" }, []);
    var box = el("div", { "class": "fm-search", role: "search" }, [
      el("label", { "for": "fm-search", "class": "fm-sr" }, ["Search events and places"]), input, listbox, status]);
    app.ui.header.insertBefore(box, app.ui.header.firstChild.nextSibling);
    var results = [], active = -1;

    /** Every overlay and basemap feature with the names it can be found by. */
    function placeIndex() {
      var out = [];
      app.payload.overlays.concat(app.payload.basemap).forEach(function (layer) {
        var overlay = app.payload.overlays.indexOf(layer) >= 0;
        layer.data.features.forEach(function (f) {
          var p = f.properties || {};
          var names = [p.name].concat(Object.keys(p.names || {}).map(function (k) { return p.names[k]; }));
          var alt = p.extra && Array.isArray(p.extra.alt_names) ? p.extra.alt_names : [];
          names = names.concat(alt).filter(function (n) { return typeof n === "string" && n; });
          out.push({ feature: f, layer: layer, overlay: overlay, names: names, folded: names.map(fold) });
        });
      });
      return out;
    }

    /** A text column of the store, folded once (on the first search). */
    function folded(key) {
      if (!cache[key]) {
        var values = new Array(store.n);
        for (var i = 0; i < store.n; i++) values[i] = fold(store[key](i));
        cache[key] = values;
      }
      return cache[key];
    }

    /** Places first (name starts with the query before name contains it), then events in date order. */
    function search(query) {
      var q = fold(query).trim(), out = [];
      if (q.length < MIN_CHARS) return out;
      var starts = [], contains = [];
      places.forEach(function (p) {
        for (var k = 0; k < p.folded.length; k++) {
          var at = p.folded[k].indexOf(q);
          if (at < 0) continue;
          (at === 0 ? starts : contains).push({ kind: "place", place: p, matched: p.names[k] });
          return;
        }
      });
      out = starts.concat(contains).slice(0, MAX_PLACES);
      // Summaries are searched once a large map has read them (the first search starts that).
      var summaries = store.detailsLoaded;
      if (!summaries) store.withDetails(function () { if (input.value === query) show(); });
      var title = folded("title"), place = folded("place"), ids = kit.order();
      var later = [];
      for (var j = 0; j < ids.length && out.length < MAX_RESULTS; j++) {
        var i = ids[j];
        if (title[i].indexOf(q) >= 0 || place[i].indexOf(q) >= 0) out.push({ kind: "event", index: i });
        else if (summaries && later.length < MAX_RESULTS && fold(store.summary(i)).indexOf(q) >= 0) {
          later.push({ kind: "event", index: i });
        }
      }
      return out.concat(later).slice(0, MAX_RESULTS);
    }

    function option(result, k) {
      var main, detail;
      if (result.kind === "event") {
        var i = result.index;
        main = store.title(i);
        detail = "Event · " + FrontierMap.spanLabel(store.date(i), store.endDate(i)) + " · " + store.place(i);
      } else {
        var p = result.place.feature.properties;
        main = p.name + (result.matched !== p.name ? " (" + result.matched + ")" : "");
        detail = "Place · " + result.place.layer.title;
      }
      var node = el("li", { id: "fm-search-opt-" + k, role: "option", "aria-selected": "false",
        "class": "fm-search-option" }, [el("span", { "class": "fm-search-main" }, [main]),
        el("span", { "class": "fm-search-detail" }, [detail])]);
      node.addEventListener("mousedown", function (e) { e.preventDefault(); });
      node.addEventListener("click", function () { choose(k); });
      return node;
    }

    function show() {
      results = search(input.value);
      active = -1;
      while (listbox.firstChild) listbox.removeChild(listbox.firstChild);
      results.forEach(function (r, k) { listbox.appendChild(option(r, k)); });
      var open = results.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      var q = fold(input.value).trim();
      status.textContent = q.length < MIN_CHARS ? "" : results.length
        ? results.length + (results.length >= MAX_RESULTS ? " or more" : "") + " results" : "No results";
    }

    function hide() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(k) {
      var options = listbox.children;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = k;
      if (k < 0) { input.removeAttribute("aria-activedescendant"); return; }
      options[k].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[k].id);
      options[k].scrollIntoView({ block: "nearest" });
    }

    /** Fly to result k and open it: an event's popup, or a place's own popup. */
    function choose(k) {
      var r = results[k];
      if (!r) return;
      hide();
      if (r.kind === "event") { kit.showEvent(r.index); return; }
      var f = r.place.feature, layer = app.placeLayers[f.id];
      if (r.place.overlay && !map.hasLayer(app.overlayLayers[r.place.layer.id])) {
        map.addLayer(app.overlayLayers[r.place.layer.id]);
      }
      var shape = L.geoJSON(FrontierBasemap.geoJSON(f));
      var target = f.geometry.type === "Point" ? { latlng: shape.getBounds().getCenter(), zoom: 9 }
        : { bounds: shape.getBounds() };
      kit.moveTo(target, function () {
        if (layer) layer.openPopup();
        else basemapPopup(r.place, target.latlng || target.bounds.getCenter());
      });
    }

    /** Basemap features have no popup of their own: show their names. */
    function basemapPopup(place, latlng) {
      var p = place.feature.properties;
      var names = Object.keys(p.names || {}).map(function (lang) {
        return el("li", null, [lang + ": ", el("span", { lang: lang }, [p.names[lang]])]);
      });
      L.popup({ maxWidth: 300 }).setLatLng(latlng).setContent(el("div", { "class": "fm-popup" }, [
        el("h3", null, [p.name]), el("p", { "class": "fm-meta" }, ["Basemap: " + place.layer.title]),
        names.length ? el("ul", null, names) : null])).openOn(map);
    }

    var update = kit.debounce(show, store.n > 20000 ? 200 : 60);
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (listbox.hidden) { show(); return; }
        var n = results.length;
        if (n) highlight(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (listbox.hidden) show();
        choose(active >= 0 ? active : 0);
      } else if (e.key === "Escape") {
        if (!listbox.hidden) { e.stopPropagation(); hide(); } else input.value = "";
      }
    });
    input.addEventListener("blur", function () { setTimeout(hide, 150); });
  });
})();
