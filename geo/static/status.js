/*
 * Sites whose status changes over time (Torkham: open or closed). A place with
 * properties.extra.status_history — a list of {status, from, to, note, events},
 * dates as partial ISO strings, null for open-ended — shows that history in its
 * popup, and its symbol follows the status on the LAST day of the time window:
 * class fm-status-<status> on the marker (closed draws a red cross) and the
 * status after its name, e.g. "Torkham (closed)".
 */
(function () {
  "use strict";

  var CLASS = /^[a-z][a-z-]{0,20}$/;

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, kit = FrontierMap.kit, store = app.store;
    var sites = {};

    /** A history entry with its days parsed; null when it cannot be read. */
    function entry(raw) {
      if (!raw || typeof raw !== "object" || typeof raw.status !== "string" || !raw.status) return null;
      var from = raw.from === null || raw.from === undefined ? null : kit.parseDay(raw.from, false);
      var to = raw.to === null || raw.to === undefined ? null : kit.parseDay(raw.to, true);
      if ((from === null && raw.from) || (to === null && raw.to)) return null;
      return { status: raw.status, from: from, to: to, fromText: raw.from, toText: raw.to,
        note: typeof raw.note === "string" ? raw.note : "",
        events: Array.isArray(raw.events) ? raw.events.filter(function (id) { return typeof id === "string"; }) : [] };
    }

    app.payload.overlays.forEach(function (layer) {
      layer.data.features.forEach(function (f) {
        var history = f.properties && f.properties.extra && f.properties.extra.status_history;
        if (!Array.isArray(history)) return;
        var entries = history.map(entry).filter(Boolean);
        if (entries.length) sites[f.id] = { feature: f, history: entries };
      });
    });

    /** The entry in force on `day` (the last listed wins when several are), or null. */
    function statusOn(site, day) {
      var found = null;
      site.history.forEach(function (e) {
        if ((e.from === null || e.from <= day) && (e.to === null || day <= e.to)) found = e;
      });
      return found;
    }

    /** Class, name and title of the site's marker as of the window's last day. */
    function mark(id) {
      var site = sites[id], layer = app.placeLayers[id];
      var node = layer && layer.getElement && layer.getElement();
      if (!node) return;
      var now = statusOn(site, app.window[1]);
      Array.prototype.slice.call(node.classList).forEach(function (c) {
        if (c.indexOf("fm-status-") === 0) node.classList.remove(c);
      });
      if (now && CLASS.test(now.status)) node.classList.add("fm-status-" + now.status);
      if (layer instanceof L.Marker) {
        var name = site.feature.properties.name + (now ? " (" + now.status + ")" : "");
        node.setAttribute("aria-label", name);
        node.setAttribute("title", name);
      }
    }

    function when(e) {
      if (e.fromText && e.toText) return FrontierMap.spanLabel(e.fromText, e.toText);
      if (e.fromText) return "since " + FrontierMap.dateLabel(e.fromText);
      if (e.toText) return "until " + FrontierMap.dateLabel(e.toText);
      return "throughout";
    }

    function capital(text) {
      return text.charAt(0).toUpperCase() + text.slice(1);
    }

    /** (Re)fill a popup section with the site's history, marking the entry in force. */
    function fill(section, site) {
      while (section.firstChild) section.removeChild(section.firstChild);
      var day = app.window[1], now = statusOn(site, day);
      var items = site.history.map(function (e) {
        // A site's history names our own events (an unknown id costs no full index).
        var links = e.events.filter(function (id) { return store.rowOf(id, true) !== undefined; }).map(function (id) {
          var i = store.rowOf(id, true);
          var button = el("button", { type: "button", "class": "fm-linklike" }, [store.title(i)]);
          button.addEventListener("click", function () { kit.showEvent(i); });
          return button;
        });
        var events = links.length ? [" Events: "] : [];
        links.forEach(function (b, k) { events.push(b); if (k < links.length - 1) events.push("; "); });
        return el("li", { "class": e === now ? "fm-status-entry fm-current" : "fm-status-entry" },
          [el("strong", null, [capital(e.status)]), " " + when(e) + (e.note ? ": " + e.note : "") +
            (e === now ? " (in force at the end of the time window)" : "")].concat(events));
      });
      section.appendChild(el("h4", null, ["Status over time"]));
      section.appendChild(el("p", { "class": "fm-status-now" }, ["On " + kit.dayLabel(day) +
        " (end of the time window): ", el("strong", null, [now ? now.status : "no status recorded"])]));
      section.appendChild(el("ul", null, items));
    }

    app.on("placepopup", function (e) {
      var site = sites[e.feature.id];
      if (!site) return;
      var section = el("div", { "class": "fm-section fm-status-history", "data-site": e.feature.id }, []);
      fill(section, site);
      e.node.insertBefore(section, e.node.querySelector(".fm-source"));
    });

    Object.keys(sites).forEach(function (id) {
      var layer = app.placeLayers[id];
      if (layer) layer.on("add", function () { mark(id); });  // runs after the core sets the name
      mark(id);
    });
    app.on("change", function () {
      Object.keys(sites).forEach(mark);
      Array.prototype.forEach.call(document.querySelectorAll(".fm-status-history[data-site]"), function (node) {
        var site = sites[node.getAttribute("data-site")];
        if (site) fill(node, site);
      });
    });

    var names = Object.keys(sites).map(function (id) { return sites[id].feature.properties.name; });
    if (names.length) {
      var closed = el("span", { "class": "fm-status-key fm-status-closed" },
        [el("span", { "class": "fm-dot fm-place fm-prec-exact" }, [])]);
      app.ui.legend.firstChild.appendChild(el("h3", null, ["Sites that open and close"]));
      app.ui.legend.firstChild.appendChild(el("ul", null, [el("li", null, [closed,
        " closed on the last day of the time window (" + names.join(", ") + ")"])]));
    }
  });
})();
